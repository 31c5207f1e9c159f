"""The signal graph on a time axis: one lane per organisation, events as marks in their lane.

The default view of the signal graph. Every event is placed at a fixed
``x`` (its day since the first event) and ``y`` (its actor's lane, in the
order of the lanes section, :func:`casuistry.viz.lane_order.lane_heights`), so
vis-network draws it without physics. Information that moved is an edge from
the event in the sender's lane to the recipient's lane at the same moment,
drawn as the kind's mark says (:class:`casuistry.kinds.Mark`; a withhold is
dashed red). Every item carries ``t``, the day from which it exists, for the
replay; the lanes, the time axis and the horizon have ``t = 0`` and are always
shown.

Examples
--------
>>> import casuistry
>>> from casuistry.presentation.clock import Clock
>>> from casuistry.presentation.texts import Texts
>>> one = casuistry.analyse(casuistry.load(casuistry.example_path()))
>>> nodes, edges = time_items(one, Texts("en"), Clock.of_case(one, Texts("en")))
>>> [n["label"] for n in nodes if n["id"].startswith("lane:")][:2]
['Basisschool', 'Huisarts']
>>> withheld = [e for e in edges if e["from"] == "ev:e04"]
>>> from casuistry.presentation.palette import INCIDENT
>>> withheld[0]["color"]["color"] == INCIDENT, withheld[0]["dashes"]
(True, [8, 6])
"""

from __future__ import annotations

from casuistry.kinds import EventKind, Mark
from casuistry.presentation.palette import (
    HORIZON,
    INCIDENT,
    INK,
    WHITE,
    silo_colour,
    text_colour,
)
from casuistry.viz.graph_items import MARK_EDGES, PALE, POINT_FACES, POINT_SHAPES
from casuistry.viz.lane_order import lane_heights
from casuistry.vocabulary import ACTOR, DESCRIPTION, EVENT_ID, KIND, LABEL, SILO, TICKS, TO

#: Pixels the case's span takes on the time axis.
WIDTH = 1400.0
#: Pixels between two lanes.
LANE = 80.0
#: Where the lane names stand, left of the first event.
LABEL_X = -170.0
#: Nearest two events of one lane may stand, in pixels; closer ones are spread.
MIN_GAP = 30.0
#: Number of labelled moments on the time axis.
TICKS_SHOWN = 6

#: vis-network options of the time view: no physics, straight lines, no dragging.
TIME_OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {
        "hover": True,
        "tooltipDelay": 120,
        "dragNodes": False,
        "navigationButtons": False,
    },
    "edges": {"smooth": False},
    "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}},
}


def time_items(analysis, texts, clock) -> tuple[list[dict], list[dict]]:
    """vis-network nodes and edges of the time view of one case.

    Parameters
    ----------
    analysis : casuistry.Analysis
        The analysis of one case.
    texts : casuistry.presentation.texts.Texts
        The language of labels and tooltips.
    clock : casuistry.presentation.clock.Clock
        How the case's times are written and turned into days.

    Returns
    -------
    (list of dict, list of dict)
        Nodes (with fixed ``x`` and ``y``) and edges; plain JSON only. An
        event's node has the id ``ev:<event_id>``; its mark in a recipient's
        lane ``ev:<event_id>><actor>``; a lane's name ``lane:<actor>``.
    """
    book = analysis.casebook
    events = book.events.reset_index(drop=True)
    silo_of = dict(zip(book.actors[ACTOR], book.actors[SILO], strict=True))
    label_of = dict(zip(book.actors[ACTOR], book.actors[LABEL], strict=True))
    heights = lane_heights(events, silo_of)
    lane_y = {actor: -h * LANE for actor, h in heights.items()}
    days = [clock.day_of_ticks(ticks) for ticks in events[TICKS]]
    horizon = clock.day(analysis.cases["horizon"].iloc[0])
    span = max(max(days), horizon, 1.0)
    scale = WIDTH / span
    right = WIDTH + 2 * MIN_GAP
    bottom = max(lane_y.values()) + LANE * 0.8
    nodes, edges = _lanes(lane_y, silo_of, label_of, right)
    nodes += _axis(clock, span, scale, bottom)
    line_colour = INCIDENT if isinstance(analysis.cases["horizon_event"].iloc[0], str) else HORIZON
    nodes += [_anchor("horizon:top", horizon * scale, -LANE * 0.6)]
    nodes += [_anchor("horizon:bottom", horizon * scale, bottom - LANE * 0.4)]
    edges.append(
        {"from": "horizon:top", "to": "horizon:bottom", "t": 0.0, "width": 2, "dashes": [6, 4]}
        | {"color": {"color": line_colour}, "arrows": ""}
    )
    used: dict[str, float] = {}
    for pos, ev in events.iterrows():
        kind = book.kinds[ev[KIND]]
        actor, day = ev[ACTOR], days[pos]
        x = max(day * scale, used.get(actor, -MIN_GAP) + MIN_GAP)
        used[actor] = x
        title = _title(texts, clock, kind, ev, day, label_of)
        extra = {"opacity": PALE} if day > horizon else {}
        node_id = f"ev:{ev[EVENT_ID]}"
        node = {"id": node_id, "label": str(ev[EVENT_ID]), "title": title, "t": day, **extra}
        node |= {"x": x, "y": lane_y[actor], "font": {"size": 12, "vadjust": -4}}
        nodes.append(node | _NODE[kind.mark](kind, silo_colour(silo_of[actor])))
        for other in (a for a in ev[TO] if a != actor):
            end = f"{node_id}>{other}"
            nodes.append(
                {"id": end, "x": x, "y": lane_y[other], "t": day, "title": title, **extra}
                | _END[kind.mark](kind)
            )
            edge = {"from": node_id, "to": end, "t": day, "title": title, **MARK_EDGES[kind.mark]}
            if extra:
                edge["color"] = {**edge["color"], "opacity": PALE}
            edges.append(edge)
    return nodes, edges


def _lanes(lane_y: dict, silo_of: dict, label_of: dict, right: float):
    nodes, edges = [], []
    for actor, y in lane_y.items():
        colour = silo_colour(silo_of[actor])
        nodes.append(
            {
                "id": f"lane:{actor}",
                "label": str(label_of.get(actor, actor)),
                "x": LABEL_X,
                "y": y,
                "t": 0.0,
                "shape": "box",
                "widthConstraint": {"minimum": 150, "maximum": 150},
                "color": {"background": colour, "border": INK},
                "font": {"color": text_colour(colour), "size": 14},
            }
        )
        nodes.append(_anchor(f"lane-end:{actor}", right, y))
        edges.append(
            {"from": f"lane:{actor}", "to": f"lane-end:{actor}", "t": 0.0, "width": 10}
            | {"color": {"color": colour, "opacity": 0.25}, "arrows": "", "hoverWidth": 0}
        )
    return nodes, edges


def _axis(clock, span: float, scale: float, bottom: float) -> list[dict]:
    """Labelled moments below the lanes, evenly spread over the case's span."""
    step = span / (TICKS_SHOWN - 1)
    return [
        {
            "id": f"tick:{n}",
            "label": clock.label_of_day(round(n * step)),
            "x": round(n * step) * scale,
            "y": bottom,
            "t": 0.0,
            "shape": "text",
            "font": {"size": 13, "color": INK},
        }
        for n in range(TICKS_SHOWN)
    ]


def _anchor(node_id: str, x: float, y: float) -> dict:
    """An invisible point a line starts or ends at."""
    return {"id": node_id, "x": x, "y": y, "t": 0.0, "shape": "text", "label": " "}


def _title(texts, clock, kind: EventKind, ev, day: float, label_of: dict) -> str:
    who = str(label_of.get(ev[ACTOR], ev[ACTOR]))
    to = [str(label_of.get(a, a)) for a in ev[TO] if a != ev[ACTOR]]
    lines = [f"{ev[EVENT_ID]} · {texts.kind(kind.code)} · {clock.label_of_day(day)}"]
    lines.append(f"{who} → {', '.join(to)}" if to else who)
    if isinstance(ev.get(DESCRIPTION), str):
        lines.append(ev[DESCRIPTION])
    return "\n".join(lines)


def _point(kind: EventKind, silo: str) -> dict:
    face = silo if kind.face == "silo" else POINT_FACES[kind.face]
    shape = POINT_SHAPES[kind.marker[0]]
    return {"shape": shape, "size": 13, "color": {"background": face, "border": INK}}


def _sender(kind: EventKind, silo: str) -> dict:
    return {"shape": "dot", "size": 6, "color": {"background": INK, "border": INK}}


def _open(shape: str):
    def node(kind: EventKind, *_) -> dict:
        return {"shape": shape, "size": 8, "color": {"background": WHITE, "border": INK}}

    return node


#: The node of an event in its actor's lane, by its kind's mark.
_NODE = {
    Mark.POINT: _point,
    Mark.ARROW: _sender,
    Mark.BLOCKED: _sender,
    Mark.LINK: _open("diamond"),
    Mark.GATHERING: _open("square"),
}


def _tip(kind: EventKind) -> dict:
    return {"shape": "dot", "size": 2, "color": {"background": INK, "border": INK}}


#: The node of an event in a recipient's lane, by its kind's mark.
_END = {
    Mark.POINT: _tip,
    Mark.ARROW: _tip,
    Mark.BLOCKED: _tip,
    Mark.LINK: _open("diamond"),
    Mark.GATHERING: _open("square"),
}
