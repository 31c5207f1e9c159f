"""What-if: hypothetical shares and meetings added to a case."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import PUZZLE_ACTORS, PUZZLE_EVENTS, load_csv

import casuistry
from casuistry.errors import CasuistryError, UnknownCase
from casuistry.whatif import InvalidHypothesis

DAYS_CASE = """\
    case_id,event_id,time,kind,actor,to,signals,category
    d,a,0,signal,school,,,verzuim
    d,b,2,signal,gp,,,letsel
    d,x,5,share,school,police,,
    d,i,10,incident,school,,,
"""


@pytest.fixture
def puzzle(tmp_path):
    return load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS)


@pytest.fixture
def days(tmp_path):
    return load_csv(tmp_path, DAYS_CASE)


def by_signal(table: pd.DataFrame) -> dict[str, dict]:
    return {row["signal_id"]: row for row in table.to_dict("records")}


def test_a_share_from_the_gp_to_veilig_thuis(puzzle):
    table = casuistry.what_if(
        puzzle,
        "puzzel",
        add=[{"kind": "share", "time": "2024-02-05", "actor": "huisarts", "to": "veilig_thuis"}],
    )
    rows = by_signal(table)
    # The same as taking the withhold e04: e02 converges on 02-20 (with e05 at
    # Veilig Thuis) instead of being censored at 04-02: 42 days earlier; e05
    # 17 days earlier (03-08 -> 02-20).
    assert rows["e02"]["gain_days"] == 42.0
    assert not rows["e02"]["converged_before"] and rows["e02"]["converged_after"]
    assert rows["e02"]["end_before"] == pd.Timestamp("2024-04-02")
    assert rows["e02"]["end_after"] == pd.Timestamp("2024-02-20")
    assert rows["e05"]["gain_days"] == 17.0
    assert rows["e03"]["gain_days"] == 0.0
    assert list(table.columns) == [
        "case_id",
        "signal_id",
        "silo",
        "observed_at",
        "end_before",
        "end_after",
        "converged_before",
        "converged_after",
        "dwell_before",
        "dwell_after",
        "gain_days",
    ]


def test_an_added_event_comes_after_events_at_the_same_time(days):
    # A meeting on day 2 of school and gp: inserted after b's observation on
    # day 2, so it pools {a} and {b}: both converge on day 2.
    table = casuistry.what_if(
        days, "d", add=[{"kind": "overleg", "time": 2, "actor": "school", "to": ["gp"]}]
    )
    rows = by_signal(table)
    assert rows["a"]["dwell_after"] == 2.0
    assert rows["b"]["dwell_after"] == 0.0
    assert rows["a"]["gain_days"] == 8.0  # censored at day 10 before
    assert rows["a"]["end_after"] == 2.0


def test_a_listed_share_carries_only_what_it_lists(days):
    # gp tells school about b on day 3, listing it: school then holds {a, b}.
    table = casuistry.what_if(
        days,
        "d",
        add=[{"kind": "share", "time": "3", "actor": "gp", "to": "school", "signals": "b"}],
    )
    assert by_signal(table)["a"]["dwell_after"] == 3.0


def test_several_hypotheticals_run_together(days):
    table = casuistry.what_if(
        days,
        "d",
        add=[
            {"kind": "share", "time": 6, "actor": "gp", "to": "police"},
            {"kind": "share", "time": 8, "actor": "police", "to": "vt"},
        ],
    )
    # Police knows a from day 5 (share x) and b from day 6: both converge on day 6.
    assert by_signal(table)["a"]["end_after"] == 6.0


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"kind": "withhold", "time": 3, "actor": "gp", "to": "school"}, "cannot be added"),
        ({"kind": "share", "time": "soon", "actor": "gp", "to": "school"}, "does not parse"),
        ({"kind": "share", "time": "2024-01-01", "actor": "gp", "to": "x"}, "case's style"),
        ({"kind": "share", "time": 11, "actor": "gp", "to": "school"}, "after the case's horizon"),
        ({"kind": "share", "time": 3, "actor": "gp", "to": ""}, "names nobody"),
        ({"kind": "share", "time": 3, "actor": "gp"}, "missing 'to'"),
        ({"kind": "share", "time": 3, "actor": "gp", "to": "x", "when": 1}, "unknown key"),
        ({"kind": "share", "time": 3, "actor": "gp", "to": "x", "signals": "zz"}, "'zz' is no"),
        ({"kind": "share", "time": 1, "actor": "gp", "to": "x", "signals": "b"}, "observed after"),
    ],
)
def test_bad_hypotheticals_are_refused_with_a_reason(days, item, message):
    with pytest.raises(InvalidHypothesis, match=message):
        casuistry.what_if(days, "d", add=[item])


def test_an_unknown_actor_is_refused_when_there_is_an_actors_table(puzzle):
    with pytest.raises(InvalidHypothesis, match="'buurman' is not in the actors table"):
        casuistry.what_if(
            puzzle,
            "puzzel",
            add=[{"kind": "share", "time": "2024-02-01", "actor": "buurman", "to": "school"}],
        )


def test_a_new_actor_is_its_own_silo_without_an_actors_table(days):
    # vt is new: it learns a from school on day 1 and b from gp on day 3.
    table = casuistry.what_if(
        days,
        "d",
        add=[
            {"kind": "share", "time": 1, "actor": "school", "to": "vt"},
            {"kind": "share", "time": 3, "actor": "gp", "to": "vt"},
        ],
    )
    assert by_signal(table)["b"]["end_after"] == 3.0


def test_an_unknown_case_and_nothing_to_add(days):
    with pytest.raises(UnknownCase):
        casuistry.what_if(days, "nope", add=[])
    with pytest.raises(CasuistryError, match="nothing to change"):
        casuistry.what_if(days, "d", add=[])


@pytest.mark.parametrize("scenario", ["huiselijk_geweld", "ondermijning", "publiek_privaat"])
def test_taking_an_opportunity_gives_exactly_its_gains(scenario):
    # Two independent routes to the same number: the engine's counterfactual
    # (resumed from a saved state) and a full re-run with the event replaced.
    book = casuistry.synthesize(scenario, 6, seed=11).casebook
    analysis = casuistry.analyse(book)
    checked = 0
    for opp in analysis.opportunities.itertuples():
        gains = casuistry.what_if(book, opp.case_id, take=[opp.event_id])["gain_days"]
        assert gains.sum() == pytest.approx(opp.gain_signal_days)
        assert gains.max() == pytest.approx(opp.max_gain_days)
        assert int((gains > 0).sum()) == opp.signals_advanced
        checked += 1
    assert checked > 5


def test_what_if_taking_every_opportunity_gives_the_relational_days():
    book = casuistry.synthesize("jeugdbescherming", 4, seed=3).casebook
    analysis = casuistry.analyse(book)
    for case_id, opps in analysis.opportunities.groupby("case_id"):
        table = casuistry.what_if(book, case_id, take=opps["event_id"].tolist())
        expected = analysis.signals[analysis.signals["case_id"] == case_id]
        assert table["dwell_after"].tolist() == pytest.approx(expected["relational_days"].tolist())


def test_the_counterfactual_of_a_taken_event_sits_in_its_own_place(tmp_path):
    # Day 1: w withholds s1 from b, then b shares everything it knows with c.
    # Taken in place, b holds s1 when it shares, so c knows s1 and s2 on day 1:
    # s1 converges on day 1 instead of staying censored to the horizon (day 5),
    # a gain of 5 - 1 = 4 days. Placed after both day-1 events it would gain 0.
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,category
        d,s1,0,signal,a,,,x
        d,s2,0,signal,c,,,y
        d,w,1,withhold,a,b,s1,
        d,sh,1,share,b,c,,
        d,end,5,action,c,,,
        """,
    )
    assert by_signal(casuistry.what_if(book, "d", take=["w"]))["s1"]["gain_days"] == 4.0


def test_only_opportunities_can_be_taken(puzzle):
    with pytest.raises(CasuistryError, match="is a signal; only a withhold"):
        casuistry.what_if(puzzle, "puzzel", take=["e01"])
    with pytest.raises(CasuistryError, match="no event 'e99'"):
        casuistry.what_if(puzzle, "puzzel", take=["e99"])
