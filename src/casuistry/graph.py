"""The signal graph of a case as a networkx MultiDiGraph.

Nodes are the organisations (actors), the signals, and the meetings, actions
and incidents of the case; edges say who observed, shared, withheld, met,
contacted, acted and knew what, and when. Node ids are plain strings such as
``"actor:school"`` and ``"signal:e3"``; every attribute value is a plain
Python ``str``, ``int``, ``float``, ``bool`` or None, so the graph can be
written to GraphML or JSON, or handed to pyvis, as it is. Times are ISO text
for calendar cases and numbers of days for day-number cases, as in the JSON
output. All attribute names and values are defined once, below.

Examples
--------
>>> import casuistry
>>> g = casuistry.signal_graph(casuistry.load(casuistry.example_path()), "puzzel-1")
>>> g.nodes["actor:school"][Attr.SILO]
'onderwijs'
>>> sorted({r for _, _, r in g.edges(data=Attr.RELATION)})[:3]
['acted', 'acted_on', 'contacted']
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from casuistry.analysis import Analysis, analyse
from casuistry.analysis_json import table_time
from casuistry.casebook import Casebook
from casuistry.engine import horizon_of
from casuistry.errors import CasuistryError
from casuistry.kinds import EventKind, Knowledge, Mark
from casuistry.timeaxis import format_time
from casuistry.vocabulary import (
    ACTOR,
    BASIS,
    CATEGORY,
    DESCRIPTION,
    EVENT_ID,
    KIND,
    LIST_SEPARATOR,
    REASON,
    SEVERITY,
    SOURCE,
    TICKS,
)


class Attr:
    """Names of node and edge attributes."""

    KIND = "kind"  #: node: one of :class:`Node`
    RELATION = "relation"  #: edge: one of :class:`Relation`
    LABEL = "label"  #: node: display name (actors: the actors table's label)
    SILO = "silo"  #: actor and signal nodes
    CATEGORY = "category"  #: signal nodes
    SEVERITY = "severity"  #: signal nodes (int or None)
    TIME = "time"  #: event nodes and edges: when the event happened
    EVENT_ID = "event_id"  #: the event a node or edge comes from (traceability)
    SOURCE = "source"  #: where the reconstruction found the event
    DESCRIPTION = "description"  #: the event's short text
    BASIS = "basis"  #: shared edges: the legal basis recorded
    REASON = "reason"  #: withheld edges: why nothing was shared
    SIGNALS = "signals"  #: ``;``-joined signal ids an event lists ("" for none)
    KNOWN_FROM = "known_from"  #: knew edges: when the actor came to know the signal
    VIA = "via"  #: knew edges: the event through which it came to know it
    CONVERGED_AT = "converged_at"  #: signal nodes: convergence time, None if censored
    CENSORED = "censored"  #: signal nodes
    DWELL_DAYS = "dwell_days"  #: signal nodes
    AFTER_HORIZON = "after_horizon"  #: event nodes and edges past the case's horizon


class Node:
    """Values of :attr:`Attr.KIND` on nodes, also the prefixes of node ids.

    Actors and signals have their own; the node of any other event drawn as a
    point or a gathering (:class:`casuistry.kinds.Mark`) has its kind's code,
    for the case format one of those below.
    """

    ACTOR = "actor"
    SIGNAL = "signal"
    MEETING = "meeting"
    ACTION = "action"
    INCIDENT = "incident"


class Relation:
    """Values of :attr:`Attr.RELATION` on edges.

    The edges of an event have its kind's ``relation`` (for the case format
    one of those below); ``discussed``, ``acted_on`` and ``knew`` join event
    nodes and actors to the signals.
    """

    OBSERVED = "observed"  #: actor -> signal
    SHARED = "shared"  #: sender -> recipient
    WITHHELD = "withheld"  #: sender -> intended recipient
    CONTACTED = "contacted"  #: actor -> other party
    MET = "met"  #: participant -> meeting (the convenor too)
    DISCUSSED = "discussed"  #: meeting -> signal it lists
    ACTED = "acted"  #: actor -> action
    ACTED_ON = "acted_on"  #: action -> signal it concerns
    SURFACED = "surfaced"  #: actor -> incident
    KNEW = "knew"  #: signal -> actor, with known_from and via


def node_id(kind: str, name: str) -> str:
    """The id of a node: ``"actor:school"``, ``"signal:e3"``."""
    return f"{kind}:{name}"


def signal_graph(source: Casebook | Analysis, case_id: str | None = None) -> nx.MultiDiGraph:
    """The signal graph of one case.

    Parameters
    ----------
    source : Casebook or Analysis
        The cases; a Casebook is analysed first (pass an Analysis to reuse one).
    case_id : str or None
        The case; None when ``source`` holds exactly one case.

    Returns
    -------
    networkx.MultiDiGraph
        Graph attribute ``case_id``. Nodes ``actor:NAME`` (kind, label, silo),
        ``signal:ID`` (kind, label, silo, category, severity, time, event_id,
        converged_at, censored, dwell_days, source, description) and
        ``meeting:ID``, ``action:ID``, ``incident:ID`` (kind, label, time,
        event_id, signals, source, description, after_horizon). Edges, keyed
        by event_id (knew edges by the signal id), with ``relation`` one of
        :class:`Relation`, the event's ``time``, ``event_id`` and
        ``after_horizon``; shared edges add ``basis`` and ``signals``,
        withheld edges ``reason`` and ``signals``, knew edges ``known_from``
        and ``via``. Signals observed after the horizon are left out.

    Raises
    ------
    UnknownCase
        When there is no such case.
    CasuistryError
        When ``case_id`` is None and ``source`` holds several cases.
    """
    analysis = source if isinstance(source, Analysis) else None
    book = source.casebook if analysis is not None else source
    if case_id is None:
        if len(book) != 1:
            raise CasuistryError(f"the input holds {len(book)} cases; say which one (case_id=...)")
        case_id = book.case_ids[0]
    analysis = (analysis or analyse(book.case(case_id), progress=False)).case(case_id)
    return _Builder(analysis).graph


class _Builder:
    def __init__(self, analysis: Analysis):
        book = analysis.casebook
        self.case_id = book.case_ids[0]
        self.style = book.time_styles.iloc[0]
        self.events = book.events
        self.graph = nx.MultiDiGraph(case_id=self.case_id)
        self.kinds = book.kinds
        ticks, codes = self.events[TICKS].tolist(), self.events[KIND].tolist()
        self.horizon = horizon_of(ticks, codes, kinds=self.kinds)[0]
        silo_of, label_of = book.silo_of(), book.label_of()
        for actor in book.actors[ACTOR]:
            self.graph.add_node(
                node_id(Node.ACTOR, actor),
                **{
                    Attr.KIND: Node.ACTOR,
                    Attr.LABEL: _text(label_of[actor]),
                    Attr.SILO: silo_of[actor],
                },
            )
        self.signals = {row["signal_id"]: row for row in analysis.signals.to_dict("records")}
        self.position = {eid: k for k, eid in enumerate(self.events[EVENT_ID])}
        knowledge = analysis.knowledge.to_dict("records")
        self.known = {(row[ACTOR], row["signal_id"]): row["via"] for row in knowledge}
        for row in self.events.to_dict("records"):
            self._event(row)
        for row in knowledge:
            self.graph.add_edge(
                node_id(Node.SIGNAL, row["signal_id"]),
                node_id(Node.ACTOR, row[ACTOR]),
                key=row["signal_id"],
                **{
                    Attr.RELATION: Relation.KNEW,
                    Attr.KNOWN_FROM: table_time(row["known_from"], self.style),
                    Attr.VIA: row["via"],
                },
            )

    def _time(self, ticks: int):
        return format_time(int(ticks), self.style)

    def _event(self, row: dict) -> None:
        """Add the nodes and edges of one event, as its kind's mark says."""
        kind = self.kinds[row[KIND]]
        late = int(row[TICKS]) > self.horizon
        common = {
            Attr.TIME: self._time(row[TICKS]),
            Attr.EVENT_ID: row[EVENT_ID],
            Attr.AFTER_HORIZON: late,
        }
        texts = {Attr.SOURCE: _text(row.get(SOURCE)), Attr.DESCRIPTION: _text(row.get(DESCRIPTION))}
        _DRAW[kind.mark](self, row, kind, late, common, texts)

    def _point(self, row: dict, kind: EventKind, late: bool, common: dict, texts: dict) -> None:
        """A node of its own, joined to its actor; a signal's node carries its figures."""
        if kind.knowledge is Knowledge.OBSERVE:
            self._signal(row, kind, late, common, texts)
            return
        eid, sender = row[EVENT_ID], node_id(Node.ACTOR, row[ACTOR])
        event_node = self._event_node(row, kind, common, texts)
        self._edge(sender, event_node, eid, kind.relation, common)
        if kind.lists_signals:
            for sid in self._drawn(self._acted_on(row, kind, late)):
                self._edge(event_node, node_id(Node.SIGNAL, sid), eid, Relation.ACTED_ON, common)

    def _signal(self, row: dict, kind: EventKind, late: bool, common: dict, texts: dict) -> None:
        if late:
            return
        eid = row[EVENT_ID]
        sig = self.signals[eid]
        self.graph.add_node(
            node_id(Node.SIGNAL, eid),
            **{
                Attr.KIND: Node.SIGNAL,
                Attr.LABEL: eid,
                Attr.SILO: sig["silo"],
                Attr.CATEGORY: _text(row.get(CATEGORY)),
                Attr.SEVERITY: _int(row.get(SEVERITY)),
                Attr.CONVERGED_AT: table_time(sig["converged_at"], self.style),
                Attr.CENSORED: bool(sig["censored"]),
                Attr.DWELL_DAYS: float(sig["dwell_days"]),
                **common,
                **texts,
            },
        )
        sender = node_id(Node.ACTOR, row[ACTOR])
        self._edge(sender, node_id(Node.SIGNAL, eid), eid, kind.relation, common)

    def _gathering(self, row: dict, kind: EventKind, late: bool, common: dict, texts: dict):
        """A node joined to every participant and to the signals it lists."""
        eid = row[EVENT_ID]
        event_node = self._event_node(row, kind, common, texts)
        for person in dict.fromkeys((row[ACTOR], *row["to"])):
            self._edge(node_id(Node.ACTOR, person), event_node, eid, kind.relation, common)
        for sid in self._drawn(row["signals"]):
            self._edge(event_node, node_id(Node.SIGNAL, sid), eid, Relation.DISCUSSED, common)

    def _arrow(self, row: dict, kind: EventKind, late: bool, common: dict, texts: dict) -> None:
        """Information that went: an edge to each recipient, with the legal basis."""
        self._lines(row, kind, {Attr.BASIS: _text(row.get(BASIS))}, common, texts)

    def _blocked(self, row: dict, kind: EventKind, late: bool, common: dict, texts: dict) -> None:
        """Information that did not go: an edge to each intended recipient, with the reason."""
        self._lines(row, kind, {Attr.REASON: _text(row.get(REASON))}, common, texts)

    def _link(self, row: dict, kind: EventKind, late: bool, common: dict, texts: dict) -> None:
        """Parties in touch: an edge to each other party."""
        self._lines(row, kind, {}, common, texts)

    def _lines(self, row: dict, kind: EventKind, extra: dict, common: dict, texts: dict) -> None:
        """An edge from the actor to each other party, with the signals it lists."""
        if kind.lists_signals:
            extra[Attr.SIGNALS] = LIST_SEPARATOR.join(row["signals"])
        eid, actor = row[EVENT_ID], row[ACTOR]
        sender = node_id(Node.ACTOR, actor)
        for other in row["to"]:
            if other != actor:
                target = node_id(Node.ACTOR, other)
                self._edge(sender, target, eid, kind.relation, {**common, **extra, **texts})

    def _event_node(self, row: dict, kind: EventKind, common: dict, texts: dict) -> str:
        """Add the node of an event of ``kind`` (its code is the node's kind); return its id."""
        event_node = node_id(kind.code, row[EVENT_ID])
        listed = LIST_SEPARATOR.join(row["signals"])
        self.graph.add_node(
            event_node,
            **{
                Attr.KIND: kind.code,
                Attr.LABEL: row[EVENT_ID],
                Attr.SIGNALS: listed,
                **common,
                **texts,
            },
        )
        return event_node

    def _acted_on(self, row: dict, kind: EventKind, late: bool) -> tuple[str, ...]:
        """The signals an event concerns: those it lists, or else, for an action
        (:attr:`Knowledge.ACT`), those its actor knew."""
        if row["signals"] or late or kind.knowledge is not Knowledge.ACT:
            return tuple(row["signals"])
        position = self.position[row[EVENT_ID]]
        return tuple(
            sid
            for (actor, sid), via in self.known.items()
            if actor == row[ACTOR] and self.position[via] < position
        )

    def _drawn(self, signal_ids) -> list[str]:
        """The signals that have a node: those observed by the horizon."""
        return [sid for sid in signal_ids if sid in self.signals]

    def _edge(self, source: str, target: str, key: str, relation: str, attrs: dict) -> None:
        self.graph.add_edge(source, target, key=key, **{Attr.RELATION: relation, **attrs})


#: The drawing of each mark.
_DRAW = {
    Mark.POINT: _Builder._point,
    Mark.ARROW: _Builder._arrow,
    Mark.BLOCKED: _Builder._blocked,
    Mark.LINK: _Builder._link,
    Mark.GATHERING: _Builder._gathering,
}


def _text(value) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
