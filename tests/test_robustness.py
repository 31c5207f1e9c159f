"""Robustness to uncertain rows (section 5.2): variants, "listed, now empty", verdicts."""

from __future__ import annotations

import math

from conftest import make_casebook
from hypothesis import given, settings
from test_engine_properties import SILOS, cases

import casuistry
from casuistry.engine import LISTED_NOTHING, propagate
from casuistry.robustness import variant_rows

SILO_OF = {"school": "onderwijs", "gp": "zorg", "vt": "vt"}


def run(rows):
    """The engine on rows ``(event_id, day, kind, actor, to, signals)``."""
    ids, days, kinds, actors, to, signals = (list(col) for col in zip(*rows, strict=True))
    return propagate([d * 86400 for d in days], kinds, actors, to, signals, ids, SILO_OF)


def test_a_list_that_loses_every_signal_names_nothing():
    kept, lists = variant_rows(
        ["a", "b", "s", "t"],
        [(), (), ("a", "b"), ("a",)],
        [None, "uncertain", "likely", None],
        frozenset({"uncertain"}),
    )
    # b is dropped: s keeps a; t keeps a; nothing emptied
    assert (kept, lists) == ([0, 2, 3], [(), ("a",), ("a",)])
    kept, lists = variant_rows(
        ["a", "b", "s"], [(), (), ("b",)], [None, "uncertain", None], frozenset({"uncertain"})
    )
    assert (kept, lists) == ([0, 2], [(), (LISTED_NOTHING,)])


def test_a_share_that_listed_nothing_carries_nothing():
    # Without the marker an empty list would carry everything the sender knows
    # (school knows a): with it, gp learns nothing and a never converges.
    empty = run([("a", 0, "signal", "school", (), ()), ("g", 1, "signal", "gp", (), ()),
                 ("s", 2, "share", "school", ("gp",), (LISTED_NOTHING,))])  # fmt: skip
    assert empty.converged == [None, None]
    everything = run([("a", 0, "signal", "school", (), ()), ("g", 1, "signal", "gp", (), ()),
                      ("s", 2, "share", "school", ("gp",), ())])  # fmt: skip
    assert everything.converged == [2, 2]


def test_a_meeting_that_listed_nothing_carries_nothing_and_stays_an_opportunity():
    r = run([("a", 0, "signal", "school", (), ()), ("g", 1, "signal", "gp", (), ()),
             ("m", 2, "meeting", "school", ("gp",), (LISTED_NOTHING,)),
             ("i", 5, "incident", "school", (), ())])  # fmt: skip
    assert r.converged == [None, None]  # carries nothing
    # still an opportunity: taken, it pools what school and gp know @2: gains 3 + 3 days
    assert r.opportunities == [(2, {0: 3 * 86400, 1: 3 * 86400})]


def test_a_withhold_that_listed_nothing_gains_nothing_and_an_action_acts_on_nothing():
    r = run([("a", 0, "signal", "school", (), ()), ("g", 1, "signal", "gp", (), ()),
             ("w", 2, "withhold", "school", ("gp",), (LISTED_NOTHING,)),
             ("x", 3, "action", "school", (), (LISTED_NOTHING,)),
             ("i", 5, "incident", "school", (), ())])  # fmt: skip
    # the counterfactual share carries nothing: no gain (a plain withhold
    # without a list would share a @2 and gain 3 + 3 days)
    assert r.opportunities == [(2, {})]
    assert r.acted == [None, None]  # an empty-list action would act on all school knows
    assert r.relational_end == r.end


def test_verdicts_on_a_case_without_confidence_values_hold_without_a_rerun():
    book = make_casebook(
        [{"event_id": "a", "time": "0", "kind": "signal", "actor": "school"},
         {"event_id": "w", "time": "1", "kind": "withhold", "actor": "school", "to": "gp"},
         {"event_id": "g", "time": "0", "kind": "signal", "actor": "gp"},
         {"event_id": "i", "time": "5", "kind": "incident", "actor": "gp"}],
        SILO_OF,
    )  # fmt: skip
    result = casuistry.analyse(book, progress=False)
    # the withhold, taken, shares a with gp @1: both converge 4 days earlier
    assert result.opportunities["missed"].tolist() == [True]
    assert set(result.robustness["verdict"]) == {"holds"}
    same = result.robustness.dropna(subset=["value_all"])
    assert (same["value_all"] == same["value_variant"]).all()
    # 2 signals + 1 missed opportunity + 1 silo pair + 1 case, twice
    assert len(result.robustness) == 10


def test_a_case_whose_rows_are_all_dropped_is_gone_everywhere():
    book = make_casebook(
        [{"event_id": "a", "time": "0", "kind": "signal", "actor": "school",
          "confidence": "likely"},
         {"event_id": "g", "time": "1", "kind": "signal", "actor": "gp", "confidence": "likely"},
         {"event_id": "s", "time": "2", "kind": "share", "actor": "school", "to": "gp",
          "confidence": "likely"}],
        SILO_OF,
    )  # fmt: skip
    result = casuistry.analyse(book, progress=False)
    assert result.signals["robust_without_uncertain"].tolist() == ["holds", "holds"]
    assert result.signals["robust_certain_only"].tolist() == ["gone", "gone"]
    assert result.silo_pairs["robust_certain_only"].tolist() == ["gone"]
    # knowing-acting: converged @2, no action: 0 days to the horizon; then null: gone
    assert result.cases["knowing_acting_robust_certain_only"].tolist() == ["gone"]
    case = result.robustness[result.robustness["finding"] == "case"]
    assert math.isnan(case["value_variant"].iloc[-1])


@settings(max_examples=60, deadline=None)
@given(cases())
def test_a_case_whose_rows_are_all_certain_holds_everywhere(rows):
    certain = [{**row, "confidence": "certain"} for row in rows]
    result = casuistry.analyse(make_casebook(certain, SILOS), progress=False)
    assert set(result.robustness["verdict"]) <= {"holds"}
    for frame in (result.signals, result.silo_pairs):
        assert (frame["robust_certain_only"] == "holds").all()
    assert (result.opportunities["robust_without_uncertain"].dropna() == "holds").all()
