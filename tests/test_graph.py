"""The networkx signal graph of a case."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from conftest import PUZZLE_ACTORS, PUZZLE_EVENTS, load_csv

import casuistry
from casuistry.errors import CasuistryError
from casuistry.graph import Attr, Node, Relation, node_id


@pytest.fixture
def graph(tmp_path):
    return casuistry.signal_graph(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS), "puzzel")


def edges(graph, relation):
    return {
        (u, v, k): d
        for u, v, k, d in graph.edges(keys=True, data=True)
        if d[Attr.RELATION] == relation
    }


def test_nodes_for_actors_signals_and_events(graph):
    kinds = {n: d[Attr.KIND] for n, d in graph.nodes(data=True)}
    assert kinds["actor:school"] == Node.ACTOR
    assert kinds["signal:e02"] == Node.SIGNAL
    assert kinds["meeting:e10"] == Node.MEETING
    assert kinds["action:e11"] == Node.ACTION
    assert kinds["incident:e12"] == Node.INCIDENT
    school = graph.nodes["actor:school"]
    assert (school[Attr.SILO], school[Attr.LABEL]) == ("onderwijs", "Basisschool")
    e02 = graph.nodes["signal:e02"]
    assert e02[Attr.CATEGORY] == "letsel"
    assert e02[Attr.CENSORED] is True
    assert e02[Attr.CONVERGED_AT] is None
    assert e02[Attr.TIME] == "2024-01-22"
    assert e02[Attr.SOURCE] == "HIS huisarts"
    # Every node has a kind: no edge points at a node that was never described.
    assert set(kinds.values()) == {
        Node.ACTOR,
        Node.SIGNAL,
        Node.MEETING,
        Node.ACTION,
        Node.INCIDENT,
    }
    assert graph.graph["case_id"] == "puzzel"


def test_edges_say_who_did_what_when(graph):
    shared = edges(graph, Relation.SHARED)
    e07 = shared["actor:wijkagent", "actor:veilig_thuis", "e07"]
    assert (e07[Attr.TIME], e07[Attr.BASIS], e07[Attr.SIGNALS]) == (
        "2024-02-20",
        "avg-6.1.e",
        "e05",
    )
    assert e07[Attr.AFTER_HORIZON] is False
    # The share after the incident is drawn, marked as past the horizon.
    assert shared["actor:huisarts", "actor:veilig_thuis", "e13"][Attr.AFTER_HORIZON] is True
    withheld = edges(graph, Relation.WITHHELD)
    assert withheld["actor:huisarts", "actor:veilig_thuis", "e04"][Attr.REASON] == (
        "privacy_uncertainty"
    )
    assert ("actor:school", "actor:wijkagent", "e06") in edges(graph, Relation.CONTACTED)
    met = {u for u, v, _ in edges(graph, Relation.MET) if v == "meeting:e10"}
    assert met == {"actor:wijkteam", "actor:veilig_thuis", "actor:school"}
    assert ("meeting:e10", "signal:e03", "e10") in edges(graph, Relation.DISCUSSED)
    assert ("actor:veilig_thuis", "action:e11", "e11") in edges(graph, Relation.ACTED)
    assert set(edges(graph, Relation.ACTED_ON)) == {("action:e11", "signal:e05", "e11")}
    assert ("actor:school", "incident:e12", "e12") in edges(graph, Relation.SURFACED)
    assert ("actor:huisarts", "signal:e02", "e02") in edges(graph, Relation.OBSERVED)


def test_knowledge_edges_carry_arrival_times(graph):
    knew = edges(graph, Relation.KNEW)
    vt = knew["signal:e05", "actor:veilig_thuis", "e05"]
    assert (vt[Attr.KNOWN_FROM], vt[Attr.VIA]) == ("2024-02-20", "e07")
    assert len(knew) == 9  # one per actor and signal it came to know


def test_an_unlisted_action_acts_on_what_its_actor_knew(tmp_path):
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,category
        u,a,0,signal,school,,,verzuim
        u,sh,1,share,school,vt,,
        u,x,2,action,vt,,,
        u,b,3,signal,vt,,,letsel
        """,
    )
    graph = casuistry.signal_graph(book)
    # Veilig Thuis knew a (from day 1) but not yet b when it acted on day 2.
    assert set(edges(graph, Relation.ACTED_ON)) == {("action:x", "signal:a", "x")}
    assert graph.nodes["action:x"][Attr.TIME] == 2  # day numbers stay numbers


def test_attribute_values_are_plain_python(graph):
    plain = (str, int, float, bool, type(None))
    for _, data in graph.nodes(data=True):
        assert all(isinstance(v, plain) for v in data.values()), data
    for _, _, data in graph.edges(data=True):
        assert all(isinstance(v, plain) for v in data.values()), data
    assert all(isinstance(n, str) for n in graph.nodes)
    json.dumps(nx.node_link_data(graph, edges="edges"))


def test_an_analysis_can_be_reused(tmp_path, monkeypatch):
    book = load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS)
    from_book = casuistry.signal_graph(book, "puzzel")
    result = casuistry.analyse(book)

    def no_second_analysis(*args, **kwargs):
        raise AssertionError("the analysis given was not reused")

    monkeypatch.setattr(casuistry.graph, "analyse", no_second_analysis)
    graph = casuistry.signal_graph(result, "puzzel")
    assert dict(graph.nodes(data=True)) == dict(from_book.nodes(data=True))
    assert list(graph.edges(data=True)) == list(from_book.edges(data=True))
    e01 = graph.nodes[node_id(Node.SIGNAL, "e01")]
    # school's absence signal of 2024-01-15 meets other silos' signals at the
    # meeting of 2024-03-08: 16 days of January, 29 of February, 8 of March.
    assert (e01[Attr.CONVERGED_AT], e01[Attr.DWELL_DAYS]) == ("2024-03-08", 53.0)


def test_a_corpus_needs_a_case_id(tmp_path):
    events = PUZZLE_EVENTS + "    other,z,2024-01-01,signal,school,,,verzuim,,,\n"
    book = load_csv(tmp_path, events, PUZZLE_ACTORS)
    with pytest.raises(CasuistryError, match="2 cases"):
        casuistry.signal_graph(book)
