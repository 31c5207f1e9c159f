"""Corpus functions: checked against values worked out by hand or by an independent estimator.

Three tiny day-number cases serve several tests; their figures are derived
from CASE_FORMAT.md section 2 in the comments of :func:`three_cases`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import make_casebook

import casuistry
from casuistry.corpus import (
    NO_REASON,
    distance_split,
    reason_counts,
    silo_pair_matrix,
    stack,
    survival_curves,
)
from casuistry.errors import CasuistryError
from casuistry.vocabulary import REASONS

SILOS = {"school": "onderwijs", "huisarts": "zorg", "agent": "politie"}


@pytest.fixture(scope="module")
def three_cases():
    """Three day-number cases; actors school (onderwijs), huisarts (zorg), agent (politie).

    c1: signals at school (day 0) and huisarts (day 2); the GP shares its
        signal with the school on day 5, so both converge then; incident day 10.
        Pair onderwijs/zorg: met on day 5, 5 - max(0, 2) = 3 days.
        Dwell: school 5, GP 3. No opportunity, so relational = dwell.
    c2: signals at huisarts (day 0) and school (day 1); a contact school-GP on
        day 8 moves nothing; incident day 20. Nothing converges: both censored.
        Pair onderwijs/zorg: censored, 20 - 1 = 19 days.
        Dwell: GP 20, school 19. With the contact taken (a meeting that pools
        all) both meet on day 8: relational GP 8, school 7; decision 12 each.
    c3: signals at agent (day 0), school (day 4), huisarts (day 6); a meeting
        of the agent with school and GP on day 11, listing no signals, pools
        everything (not an opportunity); horizon = last event, day 11.
        Pairs: onderwijs/politie 11 - 4 = 7, onderwijs/zorg 11 - 6 = 5,
        politie/zorg 11 - 6 = 5. Dwell: agent 11, school 7, GP 5.
    """
    rows = [
        {"case_id": "c1", "event_id": "e1", "time": "0", "kind": "signal", "actor": "school"},
        {"case_id": "c1", "event_id": "e2", "time": "2", "kind": "signal", "actor": "huisarts"},
        {
            "case_id": "c1",
            "event_id": "e3",
            "time": "5",
            "kind": "share",
            "actor": "huisarts",
            "to": "school",
            "signals": "e2",
        },
        {"case_id": "c1", "event_id": "e4", "time": "10", "kind": "incident", "actor": "school"},
        {"case_id": "c2", "event_id": "e1", "time": "0", "kind": "signal", "actor": "huisarts"},
        {"case_id": "c2", "event_id": "e2", "time": "1", "kind": "signal", "actor": "school"},
        {
            "case_id": "c2",
            "event_id": "e3",
            "time": "8",
            "kind": "contact",
            "actor": "school",
            "to": "huisarts",
        },
        {"case_id": "c2", "event_id": "e4", "time": "20", "kind": "incident", "actor": "school"},
        {"case_id": "c3", "event_id": "e1", "time": "0", "kind": "signal", "actor": "agent"},
        {"case_id": "c3", "event_id": "e2", "time": "4", "kind": "signal", "actor": "school"},
        {"case_id": "c3", "event_id": "e3", "time": "6", "kind": "signal", "actor": "huisarts"},
        {
            "case_id": "c3",
            "event_id": "e4",
            "time": "11",
            "kind": "meeting",
            "actor": "agent",
            "to": "school;huisarts",
        },
    ]
    for row in rows:
        row.setdefault("category", "zorgen" if row["kind"] == "signal" else None)
    return casuistry.analyse(make_casebook(rows, SILOS))


# --- survival_curves -----------------------------------------------------------


def test_kaplan_meier_by_hand_on_a_small_censored_sample():
    signals = pd.DataFrame(
        {
            "silo": ["zorg"] * 5 + ["onderwijs"] * 3,
            "dwell_days": [2.0, 3.0, 3.0, 5.0, 8.0, 0.0, 0.0, 4.0],
            "censored": [False, True, False, False, True, False, False, False],
        }
    )
    curves = survival_curves(signals, method="linear")
    assert list(curves.columns) == [
        "silo",
        "days",
        "at_risk",
        "observed",
        "censored",
        "survival",
        "lower",
        "upper",
    ]
    zorg = curves[curves["silo"] == "zorg"]
    # zorg, n = 5: at day 2 one of 5 converges: S = 4/5 = 0.8.
    # Day 3: 4 at risk, one converges and one is censored: S = 0.8 * 3/4 = 0.6.
    # Day 5: 2 at risk (the signals of 5 and 8 days), one converges: S = 0.6 * 1/2 = 0.3.
    # Day 8: 1 at risk, censored: S stays 0.3.
    assert zorg["days"].tolist() == [2.0, 3.0, 5.0, 8.0]
    assert zorg["at_risk"].tolist() == [5, 4, 2, 1]
    assert zorg["observed"].tolist() == [1, 1, 1, 0]
    assert zorg["censored"].tolist() == [0, 1, 0, 1]
    assert zorg["survival"].tolist() == pytest.approx([0.8, 0.6, 0.3, 0.3])
    # Greenwood at day 5: var = S^2 * (1/(5*4) + 1/(4*3) + 1/(2*1)) = 0.09 * 0.6333 = 0.057;
    # upper = 0.3 + 1.959964 * sqrt(0.057) = 0.76794; lower 0.3 - 0.46794 < 0, clipped to 0.
    day5 = zorg[zorg["days"] == 5.0].iloc[0]
    assert day5["upper"] == pytest.approx(0.3 + 1.959964 * math.sqrt(0.057), abs=1e-5)
    assert day5["lower"] == 0.0
    onderwijs = curves[curves["silo"] == "onderwijs"]
    # onderwijs, n = 3: two converge at day 0 (S = 1/3), the last at day 4 (S = 0);
    # at survival 0 the interval is undefined.
    assert onderwijs["survival"].tolist() == pytest.approx([1 / 3, 0.0])
    assert onderwijs["at_risk"].tolist() == [3, 1]
    assert np.isnan(onderwijs["lower"].iloc[-1]) and np.isnan(onderwijs["upper"].iloc[-1])
    # Groups come sorted: onderwijs before zorg.
    assert curves["silo"].tolist()[:2] == ["onderwijs", "onderwijs"]


def test_log_log_interval_matches_the_textbook_formula():
    signals = pd.DataFrame(
        {"dwell_days": [2.0, 3.0, 3.0, 5.0, 8.0], "censored": [False, True, False, False, True]}
    )
    curve = survival_curves(signals, by=None, confidence=0.9).set_index("days")
    # Exponential Greenwood (Kalbfleisch-Prentice): v = sum d/(n(n-d)) / log(S)^2,
    # CI = S ** exp(+-z sqrt(v)). At day 3: sum = 1/20 + 1/12, S = 0.6.
    z = 1.6448536  # 90 %
    s = 0.6
    v = (1 / 20 + 1 / 12) / math.log(s) ** 2
    assert curve.loc[3.0, "lower"] == pytest.approx(s ** math.exp(z * math.sqrt(v)), rel=1e-6)
    assert curve.loc[3.0, "upper"] == pytest.approx(s ** math.exp(-z * math.sqrt(v)), rel=1e-6)


def test_survival_matches_an_independent_product_limit_on_random_data():
    rng = np.random.default_rng(7)
    days = rng.integers(0, 15, size=200).astype(float)  # many ties
    censored = rng.random(200) < 0.3
    curve = survival_curves(
        pd.DataFrame({"dwell_days": days, "censored": censored}), by=None
    ).set_index("days")
    s = 1.0
    for t in np.unique(days):
        at_risk = int((days >= t).sum())
        ended = int(((days == t) & ~censored).sum())
        s *= 1 - ended / at_risk
        assert curve.loc[t, "survival"] == pytest.approx(s), t
        assert curve.loc[t, "at_risk"] == at_risk
    assert (np.diff(curve["survival"].to_numpy()) <= 1e-12).all()
    inside = curve["lower"].notna()
    assert (curve.loc[inside, "lower"] <= curve.loc[inside, "survival"] + 1e-12).all()
    assert (curve.loc[inside, "upper"] >= curve.loc[inside, "survival"] - 1e-12).all()


def test_all_censored_group_stays_at_one_with_a_closed_interval():
    signals = pd.DataFrame({"silo": ["bank", "bank"], "dwell_days": [1.0, 2.0], "censored": True})
    curve = survival_curves(signals)
    assert curve["survival"].tolist() == [1.0, 1.0]
    assert curve["lower"].tolist() == [1.0, 1.0] and curve["upper"].tolist() == [1.0, 1.0]


def test_survival_from_an_analysis_groups_by_silo(three_cases):
    curves = survival_curves(three_cases)
    onderwijs = curves[curves["silo"] == "onderwijs"]
    # School signals: c1 converges after 5, c2 censored at 19, c3 converges after 7.
    # S(5) = 2/3, S(7) = 2/3 * 1/2 = 1/3, S(19) = 1/3 (censored).
    assert onderwijs["days"].tolist() == [5.0, 7.0, 19.0]
    assert onderwijs["survival"].tolist() == pytest.approx([2 / 3, 1 / 3, 1 / 3])
    assert sorted(curves["silo"].unique()) == ["onderwijs", "politie", "zorg"]


def test_survival_with_two_grouping_columns_and_other_duration():
    frame = pd.DataFrame(
        {
            "scenario": ["a", "a", "b"],
            "silo": ["zorg", "zorg", "zorg"],
            "acting_days": [1.0, 3.0, 2.0],
            "acting_censored": [False, False, True],
        }
    )
    curves = survival_curves(
        frame, by=["scenario", "silo"], duration="acting_days", censored="acting_censored"
    )
    assert curves[["scenario", "silo", "days"]].values.tolist() == [
        ["a", "zorg", 1.0],
        ["a", "zorg", 3.0],
        ["b", "zorg", 2.0],
    ]
    assert curves["survival"].tolist() == pytest.approx([0.5, 0.0, 1.0])


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"dwell_days": [1.0]}), "no column 'censored'"),
        (pd.DataFrame({"dwell_days": [-1.0], "censored": [False]}), "negative"),
        (pd.DataFrame({"dwell_days": [np.nan], "censored": [False]}), "missing"),
        (pd.DataFrame({"dwell_days": [1.0], "censored": [None]}), "missing flags"),
    ],
)
def test_survival_refuses_bad_input(frame, message):
    with pytest.raises(CasuistryError, match=message):
        survival_curves(frame, by=None)


def test_survival_refuses_a_confidence_outside_zero_and_one():
    frame = pd.DataFrame({"dwell_days": [1.0], "censored": [False]})
    with pytest.raises(CasuistryError, match="between 0 and 1"):
        survival_curves(frame, by=None, confidence=95)


def test_functions_refuse_what_is_neither_analysis_nor_table():
    with pytest.raises(CasuistryError, match="not a list"):
        survival_curves([1, 2, 3])


# --- silo_pair_matrix ----------------------------------------------------------


def test_silo_pair_matrix_from_three_cases(three_cases):
    matrix = silo_pair_matrix(three_cases)
    assert list(matrix.index) == list(matrix.columns) == ["onderwijs", "politie", "zorg"]
    assert (matrix.index.name, matrix.columns.name) == ("silo_a", "silo_b")
    # onderwijs/zorg: c1 3, c2 19 (censored), c3 5 -> median 5.
    assert matrix.loc["onderwijs", "zorg"] == matrix.loc["zorg", "onderwijs"] == 5.0
    # onderwijs/politie and politie/zorg occur in c3 only: 7 and 5.
    assert matrix.loc["politie", "onderwijs"] == 7.0
    assert matrix.loc["zorg", "politie"] == 5.0
    assert np.isnan(np.diag(matrix.to_numpy())).all()
    censored = silo_pair_matrix(three_cases, value="censored", agg="mean")
    assert censored.loc["onderwijs", "zorg"] == pytest.approx(1 / 3)  # c2 of three
    assert censored.loc["onderwijs", "politie"] == 0.0
    counts = silo_pair_matrix(three_cases, agg="count")
    assert counts.loc["zorg", "onderwijs"] == 3.0


def test_silo_pair_matrix_in_a_given_order_keeps_empty_silos():
    pairs = pd.DataFrame(
        {"silo_a": ["politie", "politie"], "silo_b": ["zorg", "zorg"], "delay_days": [4.0, 10.0]}
    )
    matrix = silo_pair_matrix(pairs, agg="max", silos=["zorg", "wonen", "politie"])
    assert list(matrix.index) == ["zorg", "wonen", "politie"]
    assert matrix.loc["zorg", "politie"] == 10.0
    assert matrix.loc["wonen"].isna().all()


def test_silo_pair_matrix_names_a_missing_column():
    with pytest.raises(CasuistryError, match="no column 'silo_b'"):
        silo_pair_matrix(pd.DataFrame({"silo_a": ["x"], "delay_days": [1.0]}))


# --- reason_counts -------------------------------------------------------------


def test_reason_counts_by_group_with_missing_and_unknown_codes():
    opportunities = pd.DataFrame(
        {
            "scenario": ["a", "a", "a", "a", "a", "b"],
            "kind": ["withhold", "withhold", "withhold", "contact", "withhold", "withhold"],
            "reason": ["privacy_uncertainty", "privacy_uncertainty", " ", None, "angst", None],
            "missed": [True, False, False, True, True, True],
        }
    )
    opportunities.loc[5, "reason"] = "no_consent"
    counts = reason_counts(opportunities, by="scenario")
    assert list(counts.columns) == [
        "scenario",
        "reason",
        "label_nl",
        "label_en",
        "withholds",
        "share",
        "missed",
    ]
    a = counts[counts["scenario"] == "a"].set_index("reason")
    # Every code of the format, then the unknown "angst", then the missing reason.
    assert list(a.index) == [*REASONS, "angst", NO_REASON]
    # Scenario a: four withholds (the contact does not count).
    assert a.loc["privacy_uncertainty", "withholds"] == 2
    assert a.loc["privacy_uncertainty", "missed"] == 1
    assert a.loc["privacy_uncertainty", "share"] == 0.5
    assert a.loc["privacy_uncertainty", "label_nl"] == REASONS["privacy_uncertainty"]["nl"]
    assert (a.loc["angst", "withholds"], a.loc["angst", "label_en"]) == (1, "angst")
    assert a.loc[NO_REASON, "withholds"] == 1  # the blank " " counts as no reason
    assert a.loc["no_consent", "withholds"] == 0
    assert a["withholds"].sum() == 4
    b = counts[counts["scenario"] == "b"].set_index("reason")
    assert (b.loc["no_consent", "withholds"], b.loc["no_consent", "share"]) == (1, 1.0)


def test_reason_counts_from_analysis_and_casebook():
    book = casuistry.load(casuistry.example_path())
    from_analysis = reason_counts(casuistry.analyse(book)).set_index("reason")
    # The puzzle has one withhold (e04, privacy_uncertainty), a missed opportunity.
    assert from_analysis.loc["privacy_uncertainty", ["withholds", "missed"]].tolist() == [1, 1]
    assert from_analysis["withholds"].sum() == 1
    from_book = reason_counts(book).set_index("reason")
    assert from_book.loc["privacy_uncertainty", "withholds"] == 1
    assert from_book["missed"].isna().all()  # a casebook does not know what was missed


# --- distance_split ------------------------------------------------------------


def test_distance_split_by_case_from_three_cases(three_cases):
    split = distance_split(three_cases).set_index("case_id")
    # c1: dwell 5 + 3, no opportunity: all relational.
    assert split.loc["c1", ["signals", "censored"]].tolist() == [2, 0]
    assert split.loc["c1", ["dwell_days", "relational_days", "decision_days"]].tolist() == [
        8.0,
        8.0,
        0.0,
    ]
    assert split.loc["c1", "decision_share"] == 0.0
    # c2: dwell 20 + 19 (censored), relational 8 + 7, decision 12 + 12.
    assert split.loc["c2", ["signals", "censored"]].tolist() == [2, 2]
    assert split.loc["c2", ["dwell_days", "relational_days", "decision_days"]].tolist() == [
        39.0,
        15.0,
        24.0,
    ]
    assert split.loc["c2", "decision_share"] == pytest.approx(24 / 39)
    assert split.loc["c2", ["median_dwell_days", "median_relational_days"]].tolist() == [
        19.5,
        7.5,
    ]
    assert split.loc["c2", "median_decision_days"] == 12.0
    # c3: dwell 11 + 7 + 5, median 7.
    assert split.loc["c3", "dwell_days"] == 23.0
    assert split.loc["c3", "median_dwell_days"] == 7.0


def test_distance_split_over_all_and_by_silo(three_cases):
    total = distance_split(three_cases, by=None)
    assert len(total) == 1 and "case_id" not in total.columns
    assert total.loc[0, ["signals", "dwell_days", "decision_days"]].tolist() == [7, 70.0, 24.0]
    by_silo = distance_split(three_cases, by="silo").set_index("silo")
    # onderwijs: c1 5, c2 19, c3 7.
    assert by_silo.loc["onderwijs", "dwell_days"] == 31.0


def test_decision_share_is_missing_when_no_time_was_spent():
    signals = pd.DataFrame(
        {
            "case_id": ["x"],
            "dwell_days": [0.0],
            "relational_days": [0.0],
            "decision_days": [0.0],
            "censored": [False],
        }
    )
    assert np.isnan(distance_split(signals).loc[0, "decision_share"])


# --- stack ---------------------------------------------------------------------


def test_stack_names_each_corpus_and_feeds_the_functions(three_cases):
    puzzle = casuistry.analyse(casuistry.load(casuistry.example_path()))
    signals = stack({"klein": three_cases, "puzzel": puzzle})
    assert list(signals.columns) == ["scenario", *three_cases.signals.columns]
    assert signals["scenario"].value_counts().to_dict() == {"klein": 7, "puzzel": 5}
    split = distance_split(signals, by="scenario").set_index("scenario")
    assert split.loc["klein", "dwell_days"] == 70.0
    # The puzzle's dwell: 53 + 71 + 35 + 25 + 4 (see test_engine_golden).
    assert split.loc["puzzel", "dwell_days"] == 188.0
    pairs = stack({"klein": three_cases}, table="silo_pairs", name="bron")
    assert pairs["bron"].eq("klein").all() and len(pairs) == 5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"table": "events"}, "choose one of"),
        ({"name": "case_id"}, "already has a column"),
    ],
)
def test_stack_refuses_bad_options(three_cases, kwargs, message):
    with pytest.raises(CasuistryError, match=message):
        stack({"klein": three_cases}, **kwargs)


def test_stack_refuses_what_is_no_analysis(three_cases):
    with pytest.raises(CasuistryError, match="not an Analysis"):
        stack({"klein": three_cases.signals})
    with pytest.raises(CasuistryError, match="no analyses"):
        stack({})
