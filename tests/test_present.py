"""Presentation mode's data: one step per event, the matrix from the knowledge table, stops."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pandas as pd
import pytest

import casuistry
from casuistry.reporting.facts import CaseFacts
from casuistry.reporting.present import episodes, presentation


@pytest.fixture(scope="module")
def facts():
    analysis = casuistry.analyse(casuistry.load(casuistry.example_path()))
    return CaseFacts(analysis, "puzzel-1", lang="nl", calendar_dates=False)


def test_one_step_per_event_in_time_order(facts):
    data = presentation(facts)
    assert [s["event"] for s in data["steps"]] == [f"e{n:02d}" for n in range(1, 14)]
    days = [s["t"] for s in data["steps"]]
    assert days == sorted(days)
    # e08 is 2024-03-01, 46 days after the first event of 2024-01-15 (17 + 29 days).
    e08 = data["steps"][7]
    assert e08["t"] == 46.0
    assert e08["sentence"] == (
        "Dag 46: Woningcorporatie deelde met Sociaal wijkteam (grondslag: "
        + facts.texts.basis(facts.event("e08")["basis"])
        + ")."
    )


def test_the_matrix_is_the_knowledge_table(facts):
    data = presentation(facts)
    actors = [a["label"] for a in data["actors"]]
    signals = [s["id"] for s in data["signals"]]
    assert signals == ["e01", "e02", "e03", "e05", "e09"]  # in order of observation
    assert len(data["cells"]) == len(facts.knowledge) == 9
    # Veilig Thuis heard e05 through e07 on 2024-02-20: day 36 (17 + 19), not seen itself.
    cell = next(
        c for c in data["cells"] if actors[c["a"]] == "Veilig Thuis" and signals[c["s"]] == "e05"
    )
    assert cell == {"a": cell["a"], "s": cell["s"], "t": 36.0, "own": False}
    assert sum(c["own"] for c in data["cells"]) == 5  # each signal seen by its observer


def test_missed_opportunities_are_stops(facts):
    # the example's episodes start at e04 (k1), e06 (k2) and e07 (k3); e04 and e06
    # are missed opportunities too and stay "missed" stops, their notes naming both
    data = presentation(facts)
    stops = [(s["step"], s["event"], s["stop"]) for s in data["stops"]]
    assert stops == [(3, "e04", "missed"), (5, "e06", "missed"), (6, "e07", "episode")]
    assert "59 dagen" in data["stops"][0]["note"]  # gain_signal_days of e04
    assert "k1" in data["stops"][0]["note"]


def test_key_practice_episodes_are_stops_when_the_casebook_has_them(facts, monkeypatch):
    table = pd.DataFrame(
        {
            "case_id": ["puzzel-1", "puzzel-1", "other"],
            "episode_id": ["ep1", "ep2", "ep3"],
            "events": ["e10;e08", "e99", "e01"],  # e99 is not an event of the case
            "assessment": ["good", "mixed", "good"],
            "title": ["het overleg", None, "elders"],
        }
    )
    # The Casebook gets its episodes table from another change; a stand-in holds one here.
    monkeypatch.setattr(facts, "book", SimpleNamespace(episodes=table, kinds=facts.book.kinds))
    found = episodes(facts)
    assert found == [
        {
            "name": "ep1: het overleg",
            "assessment": "goed",
            "description": "",
            "events": ["e08", "e10"],  # in time order
        }
    ]
    data = presentation(facts)
    assert [(s["event"], s["stop"]) for s in data["stops"]] == [
        ("e04", "missed"),
        ("e06", "missed"),
        ("e08", "episode"),
    ]


def test_a_casebook_without_episodes_has_none():
    book = casuistry.load(casuistry.example_path())
    book = replace(book, episodes=book.episodes.iloc[:0])
    facts = CaseFacts(casuistry.analyse(book), "puzzel-1", lang="nl", calendar_dates=False)
    assert episodes(facts) == []
