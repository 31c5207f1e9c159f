"""Tests of casuistry.corpus.findings and reach_curves, against hand-worked values."""

from __future__ import annotations

import pandas as pd
import pytest

import casuistry
from casuistry import corpus
from casuistry.errors import CasuistryError


def test_holding_shares_counts_verdicts_per_group():
    # scenario a: two signals (holds, changes) and one opportunity (gone) without
    # uncertain rows; scenario b: one signal that holds. By hand: a/signal 1 of 2
    # holds (0.5), a/opportunity 0 of 1 (0.0), b/signal 1 of 1 (1.0).
    table = pd.DataFrame(
        {
            "scenario": ["a", "a", "a", "b"],
            "finding": ["signal", "signal", "opportunity", "signal"],
            "variant": ["without_uncertain"] * 4,
            "verdict": ["holds", "changes", "gone", "holds"],
        }
    )
    out = corpus.holding_shares(table, by="scenario")
    assert out[["scenario", "finding", "findings", "holds", "changes", "gone"]].values.tolist() == [
        ["a", "opportunity", 1, 0, 0, 1],
        ["a", "signal", 2, 1, 1, 0],
        ["b", "signal", 1, 1, 0, 0],
    ]
    assert out["share_holding"].tolist() == [0.0, 0.5, 1.0]


def test_holding_shares_of_the_bundled_case_match_its_robustness_table():
    analysis = casuistry.analyse(casuistry.load("data/synthetic/huiselijk_geweld"))
    out = corpus.holding_shares(analysis, by=None)
    table = analysis.robustness
    for row in out.itertuples():
        rows = table[(table["finding"] == row.finding) & (table["variant"] == row.variant)]
        assert row.findings == len(rows)
        assert row.holds == int((rows["verdict"] == "holds").sum())


def test_findings_bank_counts_factors_with_their_episodes_figures():
    # Case a: episode k1 (problematic, 1 missed, gain 10) names workload and team;
    # k2 (problematic, 2 missed, gain 5) names workload. Case b: k1 (good, 0 missed)
    # names team. By hand, per assessment: problematic workload 2 episodes, 1 case,
    # 3 missed, 15 days; problematic team 1, 1, 1, 10; good team 1, 1, 0, 0.
    rows = pd.DataFrame(
        {
            "case_id": ["a", "a", "a", "b"],
            "episode_id": ["k1", "k1", "k2", "k1"],
            "factor": ["workload", "team", "workload", "team"],
            "assessment": ["problematic", "problematic", "problematic", "good"],
            "missed": [1, 1, 2, 0],
            "gain_signal_days": [10.0, 10.0, 5.0, 0.0],
        }
    )
    bank = corpus.findings_bank(rows, by="assessment", lang="en")
    assert bank[["assessment", "factor", "episodes", "cases", "missed"]].values.tolist() == [
        ["good", "team", 1, 1, 0],
        ["problematic", "workload", 2, 1, 3],
        ["problematic", "team", 1, 1, 1],
    ]
    assert bank["gain_signal_days"].tolist() == [0.0, 15.0, 10.0]
    assert bank["label"].tolist() == ["teamwork", "workload and time", "teamwork"]
    # Over all rows: team 2 episodes (a/k1, b/k1) in 2 cases, workload 2 episodes
    # (a/k1, a/k2) in 1 case; a tie in episodes is broken by the code: team first.
    dutch = corpus.findings_bank(rows, by=None, lang="nl")
    assert dutch[["factor", "episodes", "cases"]].values.tolist() == [
        ["team", 2, 2],
        ["workload", 2, 1],
    ]
    assert dutch["label"].tolist() == ["samenwerking in het team", "werkdruk en tijd"]


def test_findings_bank_over_analyses_names_the_scenario():
    runs = {
        name: casuistry.analyse(casuistry.load(f"data/synthetic/{name}"))
        for name in ("huiselijk_geweld", "ondermijning")
    }
    factors = corpus.episode_factors(runs)
    assert list(factors.columns[:4]) == ["scenario", "case_id", "episode_id", "factor"]
    # each bundled case plants a problematic episode around one missed opportunity
    # and a good one around its table: one factor each
    assert factors.groupby("scenario")["assessment"].apply(sorted).tolist() == [
        ["good", "problematic"],
        ["good", "problematic"],
    ]
    assert factors.loc[factors["assessment"] == "problematic", "missed"].tolist() == [1, 1]
    assert (factors.loc[factors["assessment"] == "good", "gain_signal_days"] == 0).all()
    bank = corpus.findings_bank(factors, by=["scenario", "assessment"])
    assert bank["episodes"].sum() == 4


def test_episode_factors_refuses_what_is_no_analysis():
    with pytest.raises(CasuistryError, match="not an Analysis"):
        corpus.episode_factors({"a": "text"})


def test_reach_curves_leave_out_cases_without_deciders():
    # Three signals with reach, one without (its case has nobody who decides):
    # reached at once (0 days), censored at 10, reached at 30. By hand:
    # S(0) = 2/3; at 10 one censored, S stays 2/3; at 30 the last reaches, S = 0.
    signals = pd.DataFrame(
        {
            "silo": ["zorg"] * 4,
            "reach_days": [0.0, 10.0, 30.0, None],
            "reach_censored": [False, True, False, None],
        }
    )
    curve = corpus.reach_curves(signals)
    assert curve[["silo", "days", "at_risk", "observed", "censored"]].values.tolist() == [
        ["zorg", 0.0, 3, 1, 0],
        ["zorg", 10.0, 2, 0, 1],
        ["zorg", 30.0, 1, 1, 0],
    ]
    assert curve["survival"].round(6).tolist() == [0.666667, 0.666667, 0.0]


def test_stack_takes_the_robustness_and_episodes_tables():
    analysis = casuistry.analyse(casuistry.load("data/synthetic/huiselijk_geweld"))
    episodes = corpus.stack({"hg": analysis}, table="episodes")
    assert episodes["scenario"].tolist() == ["hg", "hg"]
    robustness = corpus.stack({"hg": analysis}, table="robustness")
    assert len(robustness) == len(analysis.robustness)


def test_a_group_column_the_table_lacks_gets_a_way_to_group_otherwise():
    # holding_shares groups by scenario by default, which only a stack of corpora has.
    result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    with pytest.raises(CasuistryError, match=r"no column 'scenario'; .*\(by=None\)"):
        corpus.holding_shares(result)
    assert corpus.holding_shares(result, by=None)["findings"].sum() == len(result.robustness)
    with pytest.raises(CasuistryError) as caught:  # a missing data column is no grouping matter
        corpus.holding_shares(result.robustness.drop(columns="verdict"), by=None)
    assert "by=" not in str(caught.value)
