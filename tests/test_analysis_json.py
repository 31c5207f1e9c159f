"""The JSON document of docs/case_format.md section 3 (:meth:`Analysis.to_json`)."""

from __future__ import annotations

import dataclasses
import io
import json
import random

import numpy as np
import pandas as pd
import pytest
from conftest import PUZZLE_ACTORS, PUZZLE_EVENTS, load_csv, make_casebook
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_properties import SILOS, random_episodes, random_rows, restyle

import casuistry
from casuistry import analysis_json
from casuistry.analysis_json import table_time, write_json
from casuistry.cli import main
from casuistry.errors import CasuistryError
from casuistry.robustness import VARIANTS
from casuistry.timeaxis import format_times

CASE_KEYS = [
    "case_id",
    "horizon",
    "first_convergence_at",
    "knowing_acting_days",
    "knowing_acting_censored",
    "signals",
    "opportunities",
    "silo_pairs",
    "accountability",
    # section 5.5
    "signals_reached",
    "full_picture_at",
    "full_picture_days",
    "full_picture_censored",
    "knowing_acting_robust",
    "episodes",
]
SIGNAL_KEYS = [
    "signal_id",
    "actor",
    "silo",
    "category",
    "observed_at",
    "converged_at",
    "censored",
    "dwell_days",
    "relational_days",
    "decision_days",
    "acted_at",
    "acting_days",
    "acting_censored",
    "reached_decision_at",
    "reach_days",
    "reach_censored",
    "robust",
]
OPPORTUNITY_KEYS = [
    "event_id",
    "kind",
    "time",
    "actor",
    "to",
    "gain_signal_days",
    "max_gain_days",
    "signals_advanced",
    "reach_gain_signal_days",
    "robust",
]
EPISODE_KEYS = [
    "episode_id",
    "assessment",
    "start",
    "end",
    "known_signals",
    "signals_elsewhere",
    "missed",
    "gain_signal_days",
]
PAIR_KEYS = ["silo_a", "silo_b", "converged_at", "censored", "delay_days", "robust"]
ACCOUNTABILITY_KEYS = ["shares", "shares_with_basis", "withholds", "withholds_with_reason"]

# A day-number case without convergence, and a late signal after the incident.
DAYS_CASE = """\
    case_id,event_id,time,kind,actor,to,signals,category
    dagen,a,0,signal,school,,,verzuim
    dagen,w,2,withhold,school,huisarts,a,
    dagen,i,7,incident,school,,,
    dagen,late,9,signal,huisarts,,,letsel
"""


@pytest.fixture
def puzzle_doc(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS))
    return json.loads(result.to_json())


def test_document_shape_is_exactly_section_3(puzzle_doc):
    assert list(puzzle_doc) == ["cases"]
    (case,) = puzzle_doc["cases"]
    assert list(case) == CASE_KEYS
    assert all(list(s) == SIGNAL_KEYS for s in case["signals"])
    assert all(list(o) == OPPORTUNITY_KEYS for o in case["opportunities"])
    assert all(list(p) == PAIR_KEYS for p in case["silo_pairs"])
    assert list(case["accountability"]) == ACCOUNTABILITY_KEYS


def test_values_of_the_puzzle(puzzle_doc):
    (case,) = puzzle_doc["cases"]
    assert case["case_id"] == "puzzel"
    assert case["horizon"] == "2024-04-02"
    assert case["first_convergence_at"] == "2024-03-08"
    assert case["knowing_acting_days"] == 12.0
    assert case["knowing_acting_censored"] is False
    e02 = next(s for s in case["signals"] if s["signal_id"] == "e02")
    assert e02 == {
        "signal_id": "e02",
        "actor": "huisarts",
        "silo": "zorg",
        "category": "letsel",
        "observed_at": "2024-01-22",
        "converged_at": None,
        "censored": True,
        "dwell_days": 71.0,
        "relational_days": 29.0,
        "decision_days": 42.0,
        "acted_at": None,
        "acting_days": 71.0,
        "acting_censored": True,
        # no actor decides: reach is null; no confidence values: nothing was removed
        "reached_decision_at": None,
        "reach_days": None,
        "reach_censored": None,
        "robust": {"without_uncertain": "holds", "certain_only": "holds"},
    }
    # Only the missed opportunities, in time order (e10 gains nothing).
    assert [o["event_id"] for o in case["opportunities"]] == ["e04", "e06"]
    assert case["opportunities"][1] == {
        "event_id": "e06",
        "kind": "contact",
        "time": "2024-02-14",
        "actor": "school",
        "to": ["wijkagent"],
        "gain_signal_days": 50.0,
        "max_gain_days": 23.0,
        "signals_advanced": 3,
        "reach_gain_signal_days": None,
        "robust": {"without_uncertain": "holds", "certain_only": "holds"},
    }
    assert all(p["silo_a"] < p["silo_b"] for p in case["silo_pairs"])
    assert case["accountability"] == {
        "shares": 2,
        "shares_with_basis": 2,
        "withholds": 1,
        "withholds_with_reason": 1,
    }
    assert case["signals_reached"] is None and case["full_picture_at"] is None
    assert case["full_picture_days"] is None and case["full_picture_censored"] is None
    assert case["knowing_acting_robust"] == {"without_uncertain": "holds", "certain_only": "holds"}
    assert case["episodes"] == []


def test_day_numbers_nulls_and_signals_by_the_horizon(tmp_path):
    doc = json.loads(casuistry.analyse(load_csv(tmp_path, DAYS_CASE)).to_json())
    (case,) = doc["cases"]
    # TIME is a number of days; nothing converged, so the knowing-acting figures are null.
    assert case["horizon"] == 7
    assert case["first_convergence_at"] is None
    assert case["knowing_acting_days"] is None
    assert case["knowing_acting_censored"] is None
    # The signal on day 9 is after the incident on day 7: not listed.
    assert [s["signal_id"] for s in case["signals"]] == ["a"]
    assert case["signals"][0]["observed_at"] == 0
    assert case["signals"][0]["converged_at"] is None
    # The withhold would have converged nothing: huisarts knows no signal by day 7.
    assert case["opportunities"] == []
    assert case["silo_pairs"] == []


def test_a_corpus_keeps_each_case_in_its_own_time_style(tmp_path):
    events = PUZZLE_EVENTS + "\n".join(DAYS_CASE.splitlines()[1:]) + "\n"
    actors = PUZZLE_ACTORS
    result = casuistry.analyse(load_csv(tmp_path, events, actors))
    doc = json.loads(result.to_json())
    assert [c["case_id"] for c in doc["cases"]] == ["puzzel", "dagen"]
    assert doc["cases"][0]["horizon"] == "2024-04-02"
    assert doc["cases"][1]["horizon"] == 7
    # Mixed styles make object time columns: a Timestamp or a float per row.
    assert result.cases["horizon"].dtype == object
    assert result.cases["horizon"].tolist() == [pd.Timestamp("2024-04-02"), 7.0]
    converged_at = result.signals.set_index("signal_id")["converged_at"]
    assert converged_at["e01"] == pd.Timestamp("2024-03-08")
    assert converged_at["e02"] is pd.NaT  # censored, in a calendar case
    assert np.isnan(converged_at["a"])  # censored, in a day-number case
    assert result.signals["converged_at"].dtype == object


def test_date_times_are_written_with_the_time_of_day(tmp_path):
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,category
        t,a,2024-03-01T08:00,signal,school,,,verzuim
        t,b,2024-03-01,signal,gp,,,letsel
        t,sh,2024-03-02T02:30,share,gp,school,,
        """,
    )
    (case,) = json.loads(casuistry.analyse(book).to_json())["cases"]
    assert case["horizon"] == "2024-03-02T02:30"
    assert [s["observed_at"] for s in case["signals"]] == ["2024-03-01T00:00", "2024-03-01T08:00"]


# Two silos (no actors table: each actor is its own silo), date-times, one withhold.
SMALL_CASE = """\
    case_id,event_id,time,kind,actor,to,signals,category,basis,reason
    k,a,2024-03-01T08:00,signal,school,,,verzuim,,
    k,b,2024-03-01T12:00,signal,gp,,,letsel,,
    k,w,2024-03-02,withhold,gp,school,b,,,privacy_uncertainty
    k,act,2024-03-03,action,school,,a,,,
    k,sh,2024-03-04T06:00,share,gp,school,b,,meldcode,
    k,i,2024-03-05,incident,school,,,,,
"""
HOUR = 3600 / 86400  # one hour in days
ROBUST = {
    "without_uncertain": "holds",
    "certain_only": "holds",
}  # no confidence values: nothing removed
# Worked out by hand from docs/case_format.md sections 2 and 3:
# - the style is datetime (dates and date-times mixed): a date is written T00:00;
# - horizon: the incident, 03-05 00:00;
# - school learns b (gp's silo) with the share sh at 03-04 06:00, knowing a:
#   a and b both converge then. dwell a = 03-01 08:00 -> 03-04 06:00 = 70 h,
#   dwell b = 03-01 12:00 -> 03-04 06:00 = 66 h;
# - the withhold w taken as a share at 03-02 00:00 brings both forward to then:
#   gain a = 70 - 16 = 54 h, gain b = 66 - 12 = 54 h (2.25 days each);
#   relational a = 16 h, b = 12 h (w is the only opportunity);
# - the action act lists a: acted 03-03 00:00, 40 h after observing it; nothing
#   acts on b, so its acting runs to the horizon, 03-05 00:00: 84 h, censored;
# - knowing-acting: no action at or after 03-04 06:00, so 18 h to the horizon;
# - silo pair gp/school: the later first observation is gp's, 03-01 12:00,
#   66 h before they met.
SMALL_DOC = {
    "cases": [
        {
            "case_id": "k",
            "horizon": "2024-03-05T00:00",
            "first_convergence_at": "2024-03-04T06:00",
            "knowing_acting_days": 18 * HOUR,
            "knowing_acting_censored": True,
            "signals": [
                {
                    "signal_id": "a",
                    "actor": "school",
                    "silo": "school",
                    "category": "verzuim",
                    "observed_at": "2024-03-01T08:00",
                    "converged_at": "2024-03-04T06:00",
                    "censored": False,
                    "dwell_days": 70 * 3600 / 86400,
                    "relational_days": 16 * 3600 / 86400,
                    "decision_days": 70 * 3600 / 86400 - 16 * 3600 / 86400,
                    "acted_at": "2024-03-03T00:00",
                    "acting_days": 40 * 3600 / 86400,
                    "acting_censored": False,
                    "reached_decision_at": None,
                    "reach_days": None,
                    "reach_censored": None,
                    "robust": ROBUST,
                },
                {
                    "signal_id": "b",
                    "actor": "gp",
                    "silo": "gp",
                    "category": "letsel",
                    "observed_at": "2024-03-01T12:00",
                    "converged_at": "2024-03-04T06:00",
                    "censored": False,
                    "dwell_days": 66 * 3600 / 86400,
                    "relational_days": 12 * 3600 / 86400,
                    "decision_days": 66 * 3600 / 86400 - 12 * 3600 / 86400,
                    "acted_at": None,
                    "acting_days": 84 * 3600 / 86400,
                    "acting_censored": True,
                    "reached_decision_at": None,
                    "reach_days": None,
                    "reach_censored": None,
                    "robust": ROBUST,
                },
            ],
            "opportunities": [
                {
                    "event_id": "w",
                    "kind": "withhold",
                    "time": "2024-03-02T00:00",
                    "actor": "gp",
                    "to": ["school"],
                    "gain_signal_days": 4.5,
                    "max_gain_days": 2.25,
                    "signals_advanced": 2,
                    "reach_gain_signal_days": None,
                    "robust": ROBUST,
                }
            ],
            "silo_pairs": [
                {
                    "silo_a": "gp",
                    "silo_b": "school",
                    "converged_at": "2024-03-04T06:00",
                    "censored": False,
                    "delay_days": 66 * 3600 / 86400,
                    "robust": ROBUST,
                }
            ],
            "accountability": {
                "shares": 1,
                "shares_with_basis": 1,
                "withholds": 1,
                "withholds_with_reason": 1,
            },
            # section 5.5: no deciding actor, no confidence values, no episodes
            "signals_reached": None,
            "full_picture_at": None,
            "full_picture_days": None,
            "full_picture_censored": None,
            "knowing_acting_robust": ROBUST,
            "episodes": [],
        }
    ]
}


def test_to_json_of_a_small_case_is_the_hand_built_document(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, SMALL_CASE))
    assert result.to_dict() == SMALL_DOC
    # byte for byte, key order and number spelling included
    assert result.to_json() == json.dumps(SMALL_DOC, ensure_ascii=False)
    assert result.to_json(indent=2) == json.dumps(SMALL_DOC, indent=2, ensure_ascii=False)


def test_summary_text_is_plain_and_blame_free(tmp_path):
    text = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS)).summary_text()
    assert "Case puzzel" in text
    assert "Huisarts" in text  # organisations by their label
    assert "71 days (censored)" in text
    assert "59 days over all signals" in text
    assert "the first action followed 12 days later" in text
    for word in ("fault", "blame", "failed", "should have"):
        assert word not in text.lower()


def test_summary_text_for_one_case_of_a_corpus(tmp_path):
    events = PUZZLE_EVENTS + "\n".join(DAYS_CASE.splitlines()[1:]) + "\n"
    result = casuistry.analyse(load_csv(tmp_path, events, PUZZLE_ACTORS))
    text = result.summary_text(case_id="dagen")
    assert text.startswith("Case dagen")
    assert "puzzel" not in text
    assert "on day 7" in text


def test_an_empty_table_keeps_its_columns(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, DAYS_CASE))
    assert result.silo_pairs.empty
    assert list(result.silo_pairs.columns) == [
        "case_id",
        "silo_a",
        "silo_b",
        "converged_at",
        "censored",
        "delay_days",
        "robust_without_uncertain",
        "robust_certain_only",
    ]
    assert result.episodes.empty and "known_signals" in result.episodes


def test_progress_bar_goes_to_stderr(capsys):
    book = make_casebook(
        [
            {"event_id": "a", "time": "0", "kind": "signal", "actor": "x"},
            {"event_id": "b", "time": "1", "kind": "signal", "actor": "y"},
        ]
    )
    casuistry.analyse(book, progress=True)
    captured = capsys.readouterr()
    assert "analysing cases" in captured.err
    assert captured.out == ""


def test_a_reference_to_no_signal_names_the_case():
    book = make_casebook(
        [
            {"event_id": "a", "time": "0", "kind": "signal", "actor": "x"},
            {
                "event_id": "s",
                "time": "1",
                "kind": "share",
                "actor": "x",
                "to": "y",
                "signals": "zz",
            },
        ]
    )
    with pytest.raises(CasuistryError, match=r"case 'c1'.*'zz'"):
        casuistry.analyse(book)


def test_calendar_time_columns_are_timestamps_and_days_are_floats(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS))
    assert pd.api.types.is_datetime64_any_dtype(result.signals["observed_at"])
    assert pd.api.types.is_datetime64_any_dtype(result.knowledge["known_from"])
    days = casuistry.analyse(load_csv(tmp_path, DAYS_CASE))
    assert days.signals["observed_at"].dtype == np.float64
    assert days.cases["horizon"].tolist() == [7.0]


def test_repr_and_notebook_display(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS))
    assert (
        repr(result) == "<Analysis: 1 case(s), 5 signals (1 censored), 2 missed of 3 opportunities>"
    )
    assert "<table" in result._repr_html_()


def per_cell_document(result) -> dict:
    """The document written the slow, obvious way: one cell at a time with table_time."""

    def how(key):
        if key in ("time", "start", "end") or key.endswith("_at"):
            return "time"
        if key.endswith("_days"):
            return "num"
        return {
            "censored": "bool",
            "acting_censored": "bool",
            "reach_censored": "bool",
            "full_picture_censored": "bool",
            "signals_advanced": "int",
            "signals_reached": "int",
        }.get(
            key, "list" if key in ("to", "known_signals", "signals_elsewhere", "missed") else "text"
        )

    def value(cell, key, style):
        if key == "robust":
            return cell
        if how(key) == "time":
            return table_time(cell, style)
        if how(key) == "list":
            return None if cell is None else list(cell)
        if cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
            return None
        return {"num": float, "int": int, "bool": bool, "text": str}[how(key)](cell)

    missed = result.opportunities[result.opportunities["missed"]]
    cases = []
    for case in result.cases.to_dict("records"):
        style, case_id = case["time_style"], case["case_id"]
        converged = table_time(case["first_convergence_at"], style) is not None

        def rows(frame, keys, case_id=case_id, style=style):
            mine = frame[frame["case_id"] == case_id].to_dict("records")
            for row in mine:
                row["robust"] = {v: row.get(f"robust_{v}") for v in VARIANTS}
            return [{k: value(row[k], k, style) for k in keys} for row in mine]

        cases.append(
            {
                "case_id": case_id,
                "horizon": table_time(case["horizon"], style),
                "first_convergence_at": table_time(case["first_convergence_at"], style),
                "knowing_acting_days": float(case["knowing_acting_days"]) if converged else None,
                "knowing_acting_censored": (
                    bool(case["knowing_acting_censored"]) if converged else None
                ),
                "signals": rows(result.signals, SIGNAL_KEYS),
                "opportunities": rows(missed, OPPORTUNITY_KEYS),
                "silo_pairs": rows(result.silo_pairs, PAIR_KEYS),
                "accountability": {k: int(case[k]) for k in ACCOUNTABILITY_KEYS},
                **{k: value(case[k], k, style) for k in CASE_KEYS[9:13]},
                "knowing_acting_robust": {v: case[f"knowing_acting_robust_{v}"] for v in VARIANTS},
                "episodes": rows(result.episodes, EPISODE_KEYS),
            }
        )
    return {"cases": cases}


@pytest.mark.parametrize("scenario", ["huiselijk_geweld", "ondermijning"])
def test_to_json_of_a_synthetic_corpus_is_the_per_cell_document(scenario):
    result = casuistry.analyse(casuistry.synthesize(scenario, 15, seed=11).casebook)
    expected = per_cell_document(result)
    assert result.to_json() == json.dumps(expected, ensure_ascii=False)


def test_to_json_of_a_mixed_corpus_is_the_per_cell_document(tmp_path):
    events = PUZZLE_EVENTS + "\n".join(DAYS_CASE.splitlines()[1:]) + "\n"
    result = casuistry.analyse(load_csv(tmp_path, events, PUZZLE_ACTORS))
    assert result.signals["observed_at"].dtype == object  # Timestamps and floats
    expected = per_cell_document(result)
    assert result.to_json() == json.dumps(expected, ensure_ascii=False)


def reference_text(result, indent=None) -> str:
    """The document as json.dumps writes the per-cell document."""
    return json.dumps(per_cell_document(result), indent=indent, ensure_ascii=False, allow_nan=False)


def random_corpus(seed: int, n_cases: int = 40):
    """Random cases (section 5 layer included) in all three time styles, ids not all ASCII.

    Each case draws its style (day numbers, dates or date-times, 5 hours a
    step), so the tables' time columns hold Timestamps and floats; two
    deciding actors, confidence values and episodes on some cases.
    """
    rng = random.Random(seed)
    rows = []
    for n in range(n_cases):
        case = random_rows(rng, f"zaak-{n}-ë", confidence=True)
        rows += restyle(case, rng.choice(["days", "date", "datetime"]))
    deciders = frozenset(rng.sample(sorted(SILOS), 2))
    return make_casebook(rows, SILOS, decides=deciders, episodes=random_episodes(rng, rows))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("indent", [None, 2])
def test_to_json_of_random_corpora_is_the_per_cell_document(seed, indent):
    result = casuistry.analyse(random_corpus(seed), progress=False)
    # the corpus reaches every branch: all styles, nulls, episodes, lists, verdicts
    assert result.signals["observed_at"].dtype == object
    assert (
        result.signals["converged_at"].isna().any() and result.signals["reach_days"].notna().any()
    )
    assert len(result.episodes) and (result.opportunities["missed"]).any()
    assert result.to_json(indent=indent) == reference_text(result, indent)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([None, 0, 2, "\t"]))
def test_to_json_is_the_per_cell_document_on_hypothesis_corpora(seed, indent):
    result = casuistry.analyse(random_corpus(seed, n_cases=6), progress=False)
    assert result.to_json(indent=indent) == reference_text(result, indent)


def test_to_dict_is_the_document_read_back():
    result = casuistry.analyse(random_corpus(4), progress=False)
    assert result.to_dict() == per_cell_document(result)


def test_awkward_cells_are_written_as_json_dumps_writes_them(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS), progress=False)
    signals = result.signals.copy()
    signals["dwell_days"] = [-0.0, 0.0, np.nan, 1e-300, 123456789.125]  # -0.0 stays -0.0
    signals["category"] = ['ä "quoted" \\ \n', None, "x", "x", "\u2028"]
    signals["converged_at"] = pd.NaT
    opportunities = result.opportunities.copy()
    opportunities["to"] = [("één", "b"), (), None][: len(opportunities)]  # e04, e06 missed
    awkward = dataclasses.replace(result, signals=signals, opportunities=opportunities)
    for indent in (None, 2):
        assert awkward.to_json(indent=indent) == reference_text(awkward, indent)
    text = awkward.to_json()
    assert '"dwell_days": -0.0' in text and '"to": []' in text and '"één"' in text


def test_empty_tables_and_no_cases():
    result = casuistry.analyse(random_corpus(5, n_cases=3), progress=False)
    tables = ("signals", "opportunities", "silo_pairs", "episodes")
    nothing = dataclasses.replace(
        result, **{name: getattr(result, name).iloc[:0] for name in tables}
    )
    for indent in (None, 2):
        assert nothing.to_json(indent=indent) == reference_text(nothing, indent)
    assert '"signals": []' in nothing.to_json()
    no_cases = dataclasses.replace(nothing, cases=result.cases.iloc[:0])
    assert no_cases.to_json() == '{"cases": []}'
    assert no_cases.to_json(indent=2) == '{\n  "cases": []\n}'


def test_a_value_json_cannot_hold_is_an_error_before_any_output(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS), progress=False)
    signals = result.signals.assign(dwell_days=np.inf)
    out = io.StringIO()
    with pytest.raises(ValueError, match="Out of range float"):
        write_json(dataclasses.replace(result, signals=signals), out)
    assert out.getvalue() == ""


def test_the_document_written_in_small_chunks_is_the_same(monkeypatch):
    result = casuistry.analyse(random_corpus(6, n_cases=8), progress=False)
    monkeypatch.setattr(analysis_json, "_CHUNK", 7)
    out = io.StringIO()
    write_json(result, out, indent=2)
    assert out.getvalue() == reference_text(result, 2)


def test_the_command_prints_the_indented_document(capsys):
    path = casuistry.example_path()
    assert main(["analyse", str(path), "--json"]) == 0
    expected = casuistry.analyse(casuistry.load(path), progress=False).to_json(indent=2)
    assert capsys.readouterr().out == expected + "\n"


# Ticks of the years 1 to 9999 (numpy writes them), before and after (format_times).
FIRST_TICK, LAST_TICK = -62_135_596_800, 253_402_300_799
TICKS = st.one_of(
    st.integers(FIRST_TICK, LAST_TICK),
    st.integers(FIRST_TICK - 10**11, FIRST_TICK - 1),
    st.integers(LAST_TICK + 1, LAST_TICK + 10**11),
    st.sampled_from([FIRST_TICK - 1, FIRST_TICK, LAST_TICK, LAST_TICK + 1, 0]),
    st.integers(0, 10**6).map(lambda day: day * 86_400),  # midnights
    st.integers(0, 10**8).map(lambda minute: minute * 60),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(TICKS, st.sampled_from(["date", "datetime", "days"])), max_size=40))
def test_times_written_with_numpy_are_format_times_as_json(cells):
    ticks = np.array([tick for tick, _ in cells], dtype=np.int64)
    styles = np.array([style for _, style in cells], dtype=object)
    plain = format_times(ticks, styles, np.zeros(len(cells), dtype=bool))
    assert analysis_json._time_texts(ticks, styles).tolist() == [json.dumps(t) for t in plain]


def test_numbers_and_times_shared_by_columns_are_written_as_each_cell(tmp_path):
    events = PUZZLE_EVENTS + "\n".join(DAYS_CASE.splitlines()[1:]) + "\n"
    result = casuistry.analyse(load_csv(tmp_path, events, PUZZLE_ACTORS), progress=False)
    shared = [0.0, -0.0, 1.5, 7.0, np.nan, 1e-300]
    signals = result.signals.assign(
        dwell_days=shared[: len(result.signals)],
        acting_days=shared[::-1][: len(result.signals)],
        acted_at=result.signals["observed_at"],  # times of both styles in two columns
    )
    pairs = result.silo_pairs.assign(delay_days=-0.0)
    episodes = result.episodes.assign(gain_signal_days=1.5)
    awkward = dataclasses.replace(result, signals=signals, silo_pairs=pairs, episodes=episodes)
    for indent in (None, 2):
        assert awkward.to_json(indent=indent) == reference_text(awkward, indent)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.tuples(*[st.integers(0, 2 + 3 * k) for k in range(width)]), min_size=1, max_size=6
        )
    ),
    st.sampled_from([None, 2]),
)
def test_framed_columns_are_the_rows_as_json_dumps_writes_them(rows, indent):
    keys = [f"k{k}" for k in range(len(rows[0]))]
    columns = []
    for k in range(len(keys)):
        codes, distinct = pd.factorize(np.array([row[k] for row in rows]))
        columns.append(analysis_json._Column(codes, np.array(list(map(str, distinct)), object)))
    first, last = np.arange(len(rows)) == 0, np.arange(len(rows)) == len(rows) - 1
    layout = analysis_json._Layout(indent)
    framed = analysis_json._framed(columns, keys, layout, 1, first, last)
    text = "".join(c.texts[c.codes[r]] for r in range(len(rows)) for c in framed)
    assert text == json.dumps([dict(zip(keys, row, strict=True)) for row in rows], indent=indent)
