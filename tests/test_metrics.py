"""The rows of figures built from one engine run (casuistry.metrics)."""

from __future__ import annotations

import numpy as np

from casuistry.engine import propagate
from casuistry.metrics import (
    CASE_ROW,
    KNOWLEDGE_ROW,
    OPPORTUNITY_ROW,
    SIGNAL_ROW,
    SILO_PAIR_ROW,
    Rows,
    accountability,
    days,
)

DAY = 86_400
# A day-number case: school (onderwijs) sees s1 on day 0, the GP (zorg) s2 on
# day 1; the GP withholds s2 from school on day 2 and shares it on day 4;
# school acts (listing no signal) on day 5; the incident is on day 6.
TICKS = [0, 1 * DAY, 2 * DAY, 4 * DAY, 5 * DAY, 6 * DAY]
KINDS = ["signal", "signal", "withhold", "share", "action", "incident"]
ACTORS = ["school", "gp", "gp", "gp", "school", "school"]
TO = [(), (), ("school",), ("school",), (), ()]
SIGNALS = [(), (), ("s2",), ("s2",), (), ()]
EVENT_IDS = ["s1", "s2", "w", "sh", "act", "inc"]
SILO_OF = {"school": "onderwijs", "gp": "zorg"}


def rows_of_the_case(case: int = 7, offset: int = 10) -> Rows:
    run = propagate(TICKS, KINDS, ACTORS, TO, SIGNALS, EVENT_IDS, SILO_OF)
    rows = Rows()
    rows.add(case, offset, run, TICKS, KINDS, EVENT_IDS)
    return rows


def test_days_is_the_exact_difference_and_never_negative():
    assert days(0, 129_600) == 1.5  # 36 hours
    assert days(3_600, 0) == 0.0
    assert days(0, 1) == 1 / 86_400


def test_every_row_has_its_layout():
    rows = rows_of_the_case()
    for table, layout in (
        (rows.signals, SIGNAL_ROW),
        (rows.opportunities, OPPORTUNITY_ROW),
        (rows.silo_pairs, SILO_PAIR_ROW),
        (rows.cases, CASE_ROW),
        (rows.knowledge, KNOWLEDGE_ROW),
    ):
        assert table and all(len(row) == len(layout) for row in table)


def _no_reach(fields) -> bool:
    row, days, censored = fields
    return row == -1 and np.isnan(days) and censored is None


def test_signal_rows_by_hand():
    # Positions are offset 10 into the corpus: s1 10, s2 11, w 12, sh 13, act 14.
    # The share on day 4 gives school s2 beside s1: both converge then (row 13).
    # Taking the withhold (a share on day 2) would have converged both on day 2,
    # so relational s1 = 2 days, s2 = 1 day. School acts on day 5, knowing both.
    signals = rows_of_the_case().signals
    assert [row[:11] for row in signals] == [
        (7, 10, "onderwijs", 13, False, 4.0, 2.0, 2.0, 14, 5.0, False),
        (7, 11, "zorg", 13, False, 3.0, 1.0, 2.0, 14, 4.0, False),
    ]
    # nobody decides in this case: no reach (row -1, days and censoring null)
    assert all(_no_reach(row[11:14]) for row in signals)


def test_opportunity_rows_by_hand():
    # The withhold taken brings both signals from day 4 to day 2: 2 + 2 days.
    ((*figures, reach_gain),) = rows_of_the_case().opportunities
    assert figures == [7, 12, 4.0, 2.0, 2, ("s1", "s2"), True]
    assert np.isnan(reach_gain)  # nobody decides: no reach gain


def test_silo_pair_case_and_knowledge_rows_by_hand():
    rows = rows_of_the_case()
    # zorg is first seen on day 1, the later of the two; they meet on day 4.
    assert rows.silo_pairs == [(7, "onderwijs", "zorg", 13, False, 3.0)]
    # horizon day 6 (row 15); first convergence row 13 on day 4, action day 5.
    ((*figures, reached, picture_row, picture_days, picture_censored),) = rows.cases
    assert figures == [7, 6 * DAY, 15, 13, 1.0, False, 6, 2, 2, 0, 1]
    assert (reached, picture_row, picture_censored) == (None, -1, None)
    assert np.isnan(picture_days)
    # in the order of learning: the two observers, then school learning s2.
    assert rows.knowledge == [(7, "school", 10, 10), (7, "gp", 11, 11), (7, "school", 11, 13)]


def test_a_case_without_convergence_has_no_knowing_acting_figures():
    run = propagate(
        [0, DAY], ["signal", "action"], ["a", "a"], [(), ()], [(), ()], ["s", "x"], {"a": "A"}
    )
    rows = Rows()
    rows.add(0, 0, run, [0, DAY], ["signal", "action"], ["s", "x"])
    ((_, horizon, horizon_row, first, knowing, censored, *_),) = rows.cases
    # no incident: the horizon is the last event, day 1; nothing converges
    assert (horizon, horizon_row, first, censored) == (DAY, -1, -1, None)
    assert np.isnan(knowing)
    # one signal, censored: it dwells to the horizon, and the action acts on it
    ((*figures, reached_row, reach_days, reach_censored),) = rows.signals
    assert figures == [0, 0, "A", -1, True, 1.0, 1.0, 0.0, 1, 1.0, False]
    assert _no_reach((reached_row, reach_days, reach_censored))


def test_accountability_counts_only_events_up_to_the_horizon():
    out = accountability(
        np.array([0, 0, 0, 1, 1]),
        np.array(["share", "share", "withhold", "withhold", "share"]),
        np.array([True, False, False, False, True]),
        np.array([False, False, True, True, False]),
        np.array([True, True, True, True, False]),  # case 1's share is after its horizon
        2,
    )
    assert {k: v.tolist() for k, v in out.items()} == {
        "shares": [2, 0],
        "shares_with_basis": [1, 0],
        "withholds": [1, 1],
        "withholds_with_reason": [1, 1],
    }
