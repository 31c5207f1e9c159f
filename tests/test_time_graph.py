"""The time view of the signal graph: lanes in the lanes section's order, events at their day."""

from __future__ import annotations

import pytest

import casuistry
from casuistry.presentation.clock import Clock
from casuistry.presentation.palette import INCIDENT
from casuistry.presentation.texts import Texts
from casuistry.viz.lanes import timeline
from casuistry.viz.time_graph import LANE, MIN_GAP, WIDTH, time_items


@pytest.fixture(scope="module")
def analysis():
    return casuistry.analyse(casuistry.load(casuistry.example_path()))


@pytest.fixture(scope="module")
def items(analysis):
    texts = Texts("en")
    return time_items(analysis, texts, Clock.of_case(analysis, texts))


def test_lanes_follow_the_order_of_the_timeline(analysis, items):
    nodes, _ = items
    lanes = sorted(
        (n for n in nodes if n["id"].startswith("lane:")), key=lambda n: n["y"]
    )  # vis: y grows downwards
    ticks = [t.get_text() for t in timeline(analysis, lang="en").axes[0].get_yticklabels()]
    assert [n["label"] for n in lanes] == ticks
    # Basisschool and Huisarts are of different silos: one lane and a gap of 0.4 apart.
    assert [n["y"] for n in lanes][:2] == [0.0, pytest.approx(1.4 * LANE)]


def test_events_stand_at_their_day_in_their_lane(items):
    nodes, _ = items
    by_id = {n["id"]: n for n in nodes}
    # The case spans 79 days (e13 is the last, after the incident e12 on day 78).
    scale = WIDTH / 79
    assert by_id["ev:e01"]["x"] == 0.0
    assert by_id["ev:e08"]["x"] == pytest.approx(46 * scale)  # 2024-03-01
    assert by_id["ev:e08"]["y"] == by_id["lane:woningcorporatie"]["y"]
    assert by_id["ev:e08>wijkteam"]["y"] == by_id["lane:wijkteam"]["y"]
    assert all("x" in n and "y" in n and "t" in n for n in nodes)
    # e12 (incident, school, day 78) stands at least MIN_GAP right of the school's e09.
    assert by_id["ev:e12"]["x"] - by_id["ev:e09"]["x"] >= MIN_GAP


def test_information_that_moved_is_an_edge_between_lanes(items):
    _, edges = items
    by_source = {}
    for edge in edges:
        by_source.setdefault(edge["from"], []).append(edge)
    [shared] = by_source["ev:e07"]
    assert shared["to"] == "ev:e07>veilig_thuis" and shared["arrows"] == "to"
    [withheld] = by_source["ev:e04"]
    assert withheld["color"]["color"] == INCIDENT and withheld["dashes"]
    meeting = by_source["ev:e10"]
    assert sorted(e["to"] for e in meeting) == ["ev:e10>school", "ev:e10>veilig_thuis"]
    assert "ev:e01" not in by_source  # a signal moves nothing


def test_events_after_the_horizon_are_pale(items):
    nodes, _ = items
    by_id = {n["id"]: n for n in nodes}
    assert "opacity" in by_id["ev:e13"] and "opacity" not in by_id["ev:e12"]
