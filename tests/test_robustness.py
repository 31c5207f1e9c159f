"""Robustness to uncertain rows (section 5.2): variants, "listed, now empty", verdicts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from conftest import make_casebook
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_properties import SILOS, cases
from test_kernel import analysed

import casuistry
from casuistry.engine import LISTED_NOTHING, propagate
from casuistry.kinds import KINDS
from casuistry.metrics import days, knowing_to_acting, silo_pair_delays
from casuistry.robustness import variant_rows

SILO_OF = {"school": "onderwijs", "gp": "zorg", "vt": "vt"}


def run(rows):
    """The engine on rows ``(event_id, day, kind, actor, to, signals)``."""
    ids, days, kinds, actors, to, signals = (list(col) for col in zip(*rows, strict=True))
    return propagate([d * 86400 for d in days], kinds, actors, to, signals, ids, SILO_OF)


def variant(event_ids, signals, confidence, case=None):
    """variant_rows without uncertain rows, on one case (or the cases given per row)."""
    events = pd.DataFrame({"event_id": event_ids, "signals": signals, "confidence": confidence})
    codes = np.zeros(len(event_ids), dtype=int) if case is None else np.array(case)
    kept, rows = variant_rows(
        events, codes, np.ones(codes.max() + 1, dtype=bool), frozenset({"uncertain"})
    )
    return kept.tolist(), rows["signals"].tolist()


def test_a_list_that_loses_every_signal_names_nothing():
    kept, lists = variant(
        ["a", "b", "s", "t"],
        [(), (), ("a", "b"), ("a",)],
        [None, "uncertain", "likely", None],
    )
    # b is dropped: s keeps a; t keeps a; nothing emptied
    assert (kept, lists) == ([0, 2, 3], [(), ("a",), ("a",)])
    kept, lists = variant(["a", "b", "s"], [(), (), ("b",)], [None, "uncertain", None])
    assert (kept, lists) == ([0, 2], [(), (LISTED_NOTHING,)])


def test_a_dropped_signal_leaves_only_the_lists_of_its_own_case():
    # Case 1 has its own "b", certain: its share keeps listing it.
    kept, lists = variant(
        ["b", "s", "b", "s"],
        [(), ("b",), (), ("b",)],
        ["uncertain", None, None, None],
        [0, 0, 1, 1],
    )
    assert (kept, lists) == ([1, 2, 3], [(LISTED_NOTHING,), (), ("b",)])


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


# --- the verdicts against a case-by-case oracle ---------------------------------


def oracle(book) -> dict[tuple[str, str, str], tuple[str, float]]:
    """Verdicts of one case made the slow way: the reference engine on the case
    and on each variant built row by row, the findings compared by event_id.

    Keys ``(finding, finding_id, variant)``; values ``(verdict, value_variant)``.
    """
    events = book.events
    columns = {name: events[name].tolist() for name in ("ticks", "kind", "actor", "to")}
    ids, lists, levels = (events[name].tolist() for name in ("event_id", "signals", "confidence"))

    def figures(kept):
        gone = {ids[j] for j in range(len(ids)) if j not in kept}
        listed = [lists[j] for j in kept]
        listed = [
            (tuple(s for s in x if s not in gone) or (LISTED_NOTHING,)) if set(x) & gone else x
            for x in listed
        ]
        ticks, kinds, actors, to = ([columns[c][j] for j in kept] for c in columns)
        v_ids = [ids[j] for j in kept]
        r = propagate(ticks, kinds, actors, to, listed, v_ids, SILOS)
        signals = {
            v_ids[pos]: (
                None if r.converged[s] is None else ticks[r.converged[s]],
                days(ticks[pos], r.end[s]),
                days(ticks[pos], r.relational_end[s]),
            )
            for s, pos in enumerate(r.signal_positions)
        }
        gains = {v_ids[pos]: sum(g.values()) / 86400 for pos, g in r.opportunities}
        pairs = {
            f"{a};{b}": (None if pos is None else ticks[pos], delay)
            for (a, b, pos), delay in zip(r.silo_pairs, silo_pair_delays(r, ticks), strict=True)
        }
        converged = [c for c in r.converged if c is not None]
        acting = KINDS.acting
        knowing, _ = knowing_to_acting(r, ticks, kinds, min(converged, default=None), acting)
        return signals, gains, pairs, knowing

    everything = list(range(len(ids)))
    signals, gains, pairs, knowing = figures(everything)
    out = {}
    for variant, dropped in {
        "without_uncertain": {"uncertain"},
        "certain_only": {"uncertain", "likely"},
    }.items():
        kept = [j for j in everything if levels[j] not in dropped]
        gone = {ids[j] for j in everything if j not in kept}
        if kept:
            v_signals, v_gains, v_pairs, v_knowing = figures(kept)
        else:
            v_signals, v_gains, v_pairs, v_knowing = {}, {}, {}, math.nan
        for signal_id, base in signals.items():
            found = v_signals.get(signal_id)
            verdict = "gone" if signal_id in gone else "holds" if found == base else "changes"
            value = math.nan if found is None or signal_id in gone else found[1]
            out["signal", signal_id, variant] = (verdict, value)
        for event_id, gain in gains.items():
            if gain:
                other = v_gains.get(event_id)
                verdict = "gone" if not other else "holds" if other == gain else "changes"
                out["opportunity", event_id, variant] = (
                    verdict,
                    math.nan if other is None else other,
                )
        for pair, base in pairs.items():
            found = v_pairs.get(pair)
            verdict = "gone" if found is None else "holds" if found == base else "changes"
            out["silo_pair", pair, variant] = (verdict, math.nan if found is None else found[1])
        same = v_knowing == knowing or (math.isnan(v_knowing) and math.isnan(knowing))
        verdict = "holds" if same else "gone" if math.isnan(v_knowing) else "changes"
        out["case", "h", variant] = (verdict, v_knowing)
    return out


@settings(max_examples=80, deadline=None)
@given(cases(confidence=True), st.booleans())
def test_the_verdicts_of_either_engine_match_a_case_by_case_oracle(rows, compiled):
    book = make_casebook(rows, SILOS)
    table = analysed(book, compiled=compiled).robustness  # the kernel as plain Python without numba
    got = {
        (str(f), str(i), str(v)): (str(verdict), value)
        for f, i, v, verdict, value in zip(
            table["finding"], table["finding_id"], table["variant"], table["verdict"],
            table["value_variant"], strict=True,
        )
    }  # fmt: skip
    expected = oracle(book)
    assert got.keys() == expected.keys()
    for key, (verdict, value) in expected.items():
        assert got[key][0] == verdict, key
        assert got[key][1] == value or (math.isnan(got[key][1]) and math.isnan(value)), key
