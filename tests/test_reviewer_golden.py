"""The hand-worked golden of the reviewer's layer (issues 11 and 12, CASE_FORMAT section 5).

Actors: school (onderwijs), huisarts (zorg), wijkteam (gemeente), vt
(veilig_thuis, decides). Day numbers. Every expected figure below is derived
by hand in the comment beside it, from the definitions of sections 2 and 5.
"""

from __future__ import annotations

import json
import math

import pytest
from conftest import make_casebook

import casuistry

SILOS = {"school": "onderwijs", "huisarts": "zorg", "wijkteam": "gemeente", "vt": "veilig_thuis"}
ROWS = [
    {"event_id": "e1", "time": "0", "kind": "signal", "actor": "school"},
    {"event_id": "e2", "time": "10", "kind": "signal", "actor": "huisarts"},
    {"event_id": "e3", "time": "20", "kind": "share", "actor": "huisarts", "to": "wijkteam",
     "signals": "e2", "confidence": "likely"},
    {"event_id": "e4", "time": "30", "kind": "contact", "actor": "school", "to": "wijkteam"},
    {"event_id": "e5", "time": "40", "kind": "share", "actor": "wijkteam", "to": "vt",
     "signals": "e2", "confidence": "uncertain"},
    {"event_id": "e6", "time": "50", "kind": "withhold", "actor": "school", "to": "vt",
     "signals": "e1"},
    {"event_id": "e7", "time": "70", "kind": "meeting", "actor": "vt", "to": "school;wijkteam"},
    {"event_id": "e8", "time": "80", "kind": "action", "actor": "vt"},
    {"event_id": "e9", "time": "90", "kind": "incident", "actor": "school"},
]  # fmt: skip
EPISODES = [
    {"episode_id": "k1", "events": "e4;e6", "assessment": "problematic"},
    {"episode_id": "k2", "events": "e3", "assessment": "good"},
    {"episode_id": "k3", "events": "e8", "assessment": "good"},
]


@pytest.fixture(scope="module")
def result():
    book = make_casebook(ROWS, SILOS, decides={"vt"}, episodes=EPISODES)
    return casuistry.analyse(book, progress=False)


def test_reach_per_signal(result):
    sig = result.signals.set_index("signal_id")
    # Actual run: e3 tells wijkteam e2 @20; e5 tells vt (decides) e2 @40: e2 reached
    # @40, 30 days after its observation @10. e7 (no list) pools {e1, e2} among
    # vt, school, wijkteam @70: e1 reaches vt @70, 70 days after @0.
    assert sig.loc["e1", "reached_decision_at"] == 70
    assert sig.loc["e1", "reach_days"] == 70
    assert sig.loc["e2", "reached_decision_at"] == 40
    assert sig.loc["e2", "reach_days"] == 30
    assert not sig["reach_censored"].any()
    # e7 converges both (some actor knows signals of two silos) @70: dwell
    # 70 - 0 = 70 and 70 - 10 = 60. With every opportunity taken, the contact
    # e4 @30 pools school{e1} and wijkteam{e2}: relational 30 and 20.
    assert sig["dwell_days"].tolist() == [70, 60]
    assert sig["relational_days"].tolist() == [30, 20]


def test_reach_per_case(result):
    case = result.cases.iloc[0]
    # both signals reached vt; vt first knows e1 (onderwijs) and e2 (zorg), a
    # signal of each silo with signals, @70: 70 days after the first observation @0.
    assert case["signals_reached"] == 2
    assert case["full_picture_at"] == 70
    assert case["full_picture_days"] == 70
    assert not case["full_picture_censored"]
    # first convergence @70, first action at or after it e8 @80: 10 days.
    assert case["knowing_acting_days"] == 10


def test_gains_and_reach_gains(result):
    opp = result.opportunities.set_index("event_id")
    # e4 taken: the contact pools e1 and e2 @30: both converge @30 instead of
    # @70: 40 + 40 = 80. Deciders still learn e2 @40 (e5) and e1 @70 (e7): reach gain 0.
    assert opp.loc["e4", "gain_signal_days"] == 80
    assert opp.loc["e4", "reach_gain_signal_days"] == 0
    # e6 taken: school shares e1 with vt @50; vt knows e2 since @40: both converge
    # @50: 20 + 20 = 40. e1 reaches vt @50 instead of @70: reach gain 20.
    assert opp.loc["e6", "gain_signal_days"] == 40
    assert opp.loc["e6", "reach_gain_signal_days"] == 20


def test_silo_pair(result):
    pair = result.silo_pairs.set_index(["silo_a", "silo_b"]).loc[("onderwijs", "zorg")]
    # converged @70, from the later first observation @10: 60.
    assert pair["converged_at"] == 70
    assert pair["delay_days"] == 60


def test_robustness_verdicts(result):
    sig = result.signals.set_index("signal_id")
    # without_uncertain drops e5: e7 still pools school{e1}, wijkteam{e2} @70:
    # every figure of e1 and e2 holds. certain_only drops e3 and e5 too:
    # wijkteam never learns e2, e7 pools only {e1}: both censored: changes.
    assert sig["robust_without_uncertain"].tolist() == ["holds", "holds"]
    assert sig["robust_certain_only"].tolist() == ["changes", "changes"]
    opp = result.opportunities.set_index("event_id")
    # e4: without e5 it still pools e1/e2 @30 (gain 80): holds. certain_only:
    # the contact pools school{e1} and wijkteam{}: nothing converges, not missed: gone.
    assert opp.loc["e4", "robust_without_uncertain"] == "holds"
    assert opp.loc["e4", "robust_certain_only"] == "gone"
    # e6: without e5 vt knows nothing @50; the taken share gives it e1 only,
    # which converges nothing: no longer missed in either variant: gone.
    assert opp.loc["e6", "robust_without_uncertain"] == "gone"
    assert opp.loc["e6", "robust_certain_only"] == "gone"
    pair = result.silo_pairs.set_index(["silo_a", "silo_b"]).loc[("onderwijs", "zorg")]
    # certain_only: censored, delay to the horizon 90 - 10 = 80: changes.
    assert pair["robust_without_uncertain"] == "holds"
    assert pair["robust_certain_only"] == "changes"
    case = result.cases.iloc[0]
    # certain_only: no convergence: knowing-acting null: gone.
    assert case["knowing_acting_robust_without_uncertain"] == "holds"
    assert case["knowing_acting_robust_certain_only"] == "gone"


def test_robustness_table(result):
    table = result.robustness
    row = table[
        (table["finding"] == "silo_pair")
        & (table["finding_id"] == "onderwijs;zorg")
        & (table["variant"] == "certain_only")
    ].iloc[0]
    assert (row["verdict"], row["value_all"], row["value_variant"]) == ("changes", 60, 80)
    case = table[(table["finding"] == "case") & (table["variant"] == "certain_only")].iloc[0]
    assert case["verdict"] == "gone" and case["value_all"] == 10
    assert math.isnan(case["value_variant"])


def test_episodes(result):
    ep = result.episodes.set_index("episode_id")
    # k1 = e4;e6, taken after e6 @50: its actors school, wijkteam, vt know
    # e1 (school) and e2 (wijkteam since e3, vt since e5); nothing elsewhere;
    # both events are missed opportunities: 80 + 40 = 120.
    assert ep.loc["k1", "known_signals"] == ("e1", "e2")
    assert ep.loc["k1", "signals_elsewhere"] == ()
    assert ep.loc["k1", "missed"] == ("e4", "e6")
    assert ep.loc["k1", "gain_signal_days"] == 120
    assert (ep.loc["k1", "start"], ep.loc["k1", "end"]) == (30, 50)
    # k2 = e3, after e3 @20: huisarts and wijkteam know e2; e1 sits at school.
    assert ep.loc["k2", "known_signals"] == ("e2",)
    assert ep.loc["k2", "signals_elsewhere"] == ("e1",)
    assert ep.loc["k2", "missed"] == ()
    assert ep.loc["k2", "gain_signal_days"] == 0
    # k3 = e8, after e8 @80: vt knows both since e7.
    assert ep.loc["k3", "known_signals"] == ("e1", "e2")
    assert ep.loc["k3", "signals_elsewhere"] == ()
    assert ep.loc["k3", "gain_signal_days"] == 0


def test_json(result):
    case = json.loads(result.to_json())["cases"][0]
    e1 = case["signals"][0]
    assert (e1["reached_decision_at"], e1["reach_days"], e1["reach_censored"]) == (70, 70, False)
    assert e1["robust"] == {"without_uncertain": "holds", "certain_only": "changes"}
    e6 = next(o for o in case["opportunities"] if o["event_id"] == "e6")
    assert e6["reach_gain_signal_days"] == 20
    assert e6["robust"] == {"without_uncertain": "gone", "certain_only": "gone"}
    assert case["silo_pairs"][0]["robust"]["certain_only"] in ("holds", "changes", "gone")
    assert case["signals_reached"] == 2
    assert (case["full_picture_at"], case["full_picture_days"]) == (70, 70)
    assert case["full_picture_censored"] is False
    assert case["knowing_acting_robust"] == {"without_uncertain": "holds", "certain_only": "gone"}
    k1 = case["episodes"][0]
    assert k1 == {
        "episode_id": "k1",
        "assessment": "problematic",
        "start": 30,
        "end": 50,
        "known_signals": ["e1", "e2"],
        "signals_elsewhere": [],
        "missed": ["e4", "e6"],
        "gain_signal_days": 120,
    }
