"""The signal graph of :func:`casuistry.signal_graph` as vis-network items, each with its time.

Every node and edge gets ``t``: the day (since the case's first event) from
which it exists. A signal, meeting, action or incident exists from its event;
an organisation from its first event or first knowledge; an edge from its
event, or, for a *knew* edge, from when the organisation came to know the
signal. Items after the horizon are drawn pale. Titles (tooltips) are plain
text, which vis-network 9 shows as text (it sets ``innerText``).

Event nodes and the edges of events are drawn as their kind's mark says
(:class:`casuistry.kinds.Mark`), with its marker and face; the registry of
the case's Casebook says which kind an event node or an edge's relation is.
"""

from __future__ import annotations

from casuistry.graph import Attr, Node, Relation, signal_graph
from casuistry.kinds import EventKind, Mark
from casuistry.presentation.clock import Clock
from casuistry.presentation.palette import (
    ANY_SILO,
    FAINT,
    GREY,
    INCIDENT,
    INK,
    WHITE,
    silo_colour,
    text_colour,
)
from casuistry.presentation.texts import Texts

WITHHELD = INCIDENT
PALE = 0.35

#: The vis-network shape of each matplotlib marker a point may have.
POINT_SHAPES = {
    "o": "dot",
    "*": "star",
    "X": "hexagon",
    "h": "hexagon",
    "H": "hexagon",
    "s": "square",
    "D": "diamond",
    "d": "diamond",
    "^": "triangle",
    "v": "triangleDown",
}
#: The background of a point node by its face; an event node has no silo of its
#: own, so a silo face is the neutral grey of the lanes' legend.
POINT_FACES = {"ink": INK, "alarm": INCIDENT, "silo": ANY_SILO}
#: The edge from the actor to a point node, by the point's face: observing,
#: acting, or something surfacing.
POINT_EDGES = {
    "silo": {"width": 3, "color": {"color": INK}, "arrows": ""},
    "ink": {"width": 1.5, "color": {"color": INK}, "arrows": "to"},
    "alarm": {"width": 2, "color": {"color": INCIDENT}, "arrows": ""},
}

#: How the edges of each mark are drawn (points: see POINT_EDGES).
MARK_EDGES = {
    Mark.ARROW: {"width": 2.5, "color": {"color": INK}, "arrows": "to"},
    Mark.BLOCKED: {
        "width": 2.5,
        "dashes": [8, 6],
        "color": {"color": WITHHELD},
        "arrows": {"to": {"enabled": True, "type": "bar"}},
    },
    Mark.LINK: {"width": 2, "dashes": [2, 5], "color": {"color": INK}, "arrows": ""},
    Mark.GATHERING: {"width": 1.5, "color": {"color": GREY}, "arrows": ""},
}

#: How the edges to the signals are drawn.
SIGNAL_EDGES = {
    Relation.KNEW: {"width": 1.2, "dashes": True, "color": {"color": FAINT}, "arrows": ""},
    Relation.DISCUSSED: {"width": 1, "color": {"color": GREY}, "arrows": ""},
    Relation.ACTED_ON: {"width": 1, "color": {"color": GREY}, "arrows": "to"},
}


def graph_items(analysis, texts: Texts, clock: Clock) -> tuple[list[dict], list[dict]]:
    """vis-network nodes and edges of the signal graph of one case.

    Parameters
    ----------
    analysis : casuistry.Analysis
        The analysis of one case.
    texts : Texts
        The language of labels and tooltips.
    clock : Clock
        How the case's times are written and turned into days.

    Returns
    -------
    (list of dict, list of dict)
        Nodes and edges; plain JSON values only. Every node of the signal
        graph is a node here; *knew* edges of an organisation for the signal
        it observed itself are left out (the *observed* edge shows that).
    """
    graph = signal_graph(analysis)
    kinds = analysis.casebook.kinds
    label_of = {n: d[Attr.LABEL] for n, d in graph.nodes(data=True)}
    edges, first = [], {}
    for source, target, data in graph.edges(data=True):
        relation = data[Attr.RELATION]
        if relation == Relation.KNEW and data[Attr.VIA] == graph.nodes[source][Attr.EVENT_ID]:
            continue
        day = clock.day(data[Attr.KNOWN_FROM] if relation == Relation.KNEW else data[Attr.TIME])
        for node in (source, target):
            first[node] = min(first.get(node, day), day)
        style = SIGNAL_EDGES.get(relation) or _edge_style(kinds.by_relation[relation])
        edge = {"from": source, "to": target, "t": day, **style}
        edge["title"] = _edge_title(texts, clock, relation, label_of, source, target, data)
        if data.get(Attr.AFTER_HORIZON):
            edge["color"] = {**edge["color"], "opacity": PALE}
        edges.append(edge)
    nodes = []
    for node, data in graph.nodes(data=True):
        kind = data[Attr.KIND]
        if kind == Node.ACTOR:
            item = _actor(texts, data)
            item["t"] = first.get(node, 0.0)
        else:
            day = clock.day(data[Attr.TIME])
            if kind == Node.SIGNAL:
                item = _signal(texts, clock, data)
            else:
                item = _event(texts, data, kinds[kind])
            item["t"] = min(day, first.get(node, day))
            if data.get(Attr.AFTER_HORIZON):
                item["opacity"] = PALE
        nodes.append({"id": node, **item})
    return nodes, edges


def _actor(texts: Texts, data: dict) -> dict:
    colour = silo_colour(data[Attr.SILO])
    return {
        "label": data[Attr.LABEL],
        "title": f"{data[Attr.LABEL]}\n{texts.silo(data[Attr.SILO])}",
        "shape": "box",
        "color": {"background": colour, "border": INK},
        "font": {"color": text_colour(colour), "size": 18},
        "margin": 8,
    }


def _signal(texts: Texts, clock: Clock, data: dict) -> dict:
    category = texts.category(data[Attr.CATEGORY])
    if data[Attr.CENSORED]:
        fate = texts("graph.not_converged")
    else:
        fate = texts("graph.converged", when=clock.label(data[Attr.CONVERGED_AT]))
    lines = [
        f"{data[Attr.EVENT_ID]} · {category}",
        f"{texts('col.observed')}: {clock.label(data[Attr.TIME])}",
        fate,
        *_about(texts, data),
    ]
    return {
        "label": f"{data[Attr.LABEL]}\n{category}",
        "title": "\n".join(lines),
        "shape": "diamond",
        "size": 16,
        "color": {"background": silo_colour(data[Attr.SILO]), "border": INK},
        "font": {"size": 15},
    }


def _event(texts: Texts, data: dict, kind: EventKind) -> dict:
    lines = [f"{data[Attr.EVENT_ID]} · {texts.kind(kind.code)}", *_about(texts, data)]
    return {
        "label": data[Attr.LABEL],
        "title": "\n".join(lines),
        "font": {"size": 13},
        **_NODE_SHAPES[kind.mark](kind),
    }


def _point_node(kind: EventKind) -> dict:
    glyph = kind.marker[0]
    colour = {"background": POINT_FACES[kind.face], "border": INK}
    return {"shape": POINT_SHAPES[glyph], "size": 16, "color": colour}


def _gathering_node(kind: EventKind) -> dict:
    return {"shape": "square", "size": 11, "color": {"background": WHITE, "border": INK}}


#: The node of an event, by its kind's mark (only points and gatherings have one).
_NODE_SHAPES = {Mark.POINT: _point_node, Mark.GATHERING: _gathering_node}


def _edge_style(kind: EventKind) -> dict:
    """The style of the edges of an event of ``kind``."""
    return POINT_EDGES[kind.face] if kind.mark is Mark.POINT else MARK_EDGES[kind.mark]


def _about(texts: Texts, data: dict) -> list[str]:
    lines = []
    if data.get(Attr.DESCRIPTION):
        lines.append(data[Attr.DESCRIPTION])
    if data.get(Attr.SOURCE):
        lines.append(f"{texts('col.source')}: {data[Attr.SOURCE]}")
    return lines


def _edge_title(texts, clock, relation, label_of, source, target, data) -> str:
    if relation == Relation.KNEW:
        when = clock.label(data[Attr.KNOWN_FROM])
        return texts(
            "graph.edge.knew",
            actor=label_of[target],
            signal=label_of[source],
            when=when,
            via=data[Attr.VIA],
        )
    line = texts(
        f"graph.edge.{relation}",
        a=label_of[source],
        b=label_of[target],
        when=clock.label(data[Attr.TIME]),
        event=data[Attr.EVENT_ID],
    )
    extra = []
    if relation == Relation.SHARED:
        basis = data.get(Attr.BASIS)
        extra.append(f"{texts('col.basis')}: {texts.basis(basis) if basis else '—'}")
    if relation == Relation.WITHHELD:
        reason = data.get(Attr.REASON)
        extra.append(f"{texts('col.reason')}: {texts.reason(reason) if reason else '—'}")
    return "\n".join([line, *extra, *_about(texts, data)])
