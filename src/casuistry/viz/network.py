"""The signal graph of a case, interactive, with a time slider that replays who knew what when.

Two views of the same case, switched by two buttons: the time view
(:mod:`casuistry.viz.time_graph`, the default: one lane per organisation,
events at their moment) and the network view, laid out by physics.
In the network view, organisations are boxes and signals are diamonds, both in the colour of their
silo; an edge from a signal to an organisation means the organisation knew
the signal, from the time stored on the edge. Every node and edge carries
``t``, the day (since the first event) from which it exists; the slider
hides what is not yet known at the chosen moment. The graph is drawn by
vis-network (see :mod:`casuistry.viz.vis_network`), offline, from the templates
``graph.html.j2`` and ``graph_page.html.j2``.
"""

from __future__ import annotations

from casuistry.presentation.clock import Clock
from casuistry.presentation.html import render, trusted
from casuistry.presentation.palette import ACCENT
from casuistry.presentation.texts import Texts, package_file
from casuistry.viz.source import one_case

HEIGHT = "700px"

#: vis-network options: a fixed seed so the same case is laid out the same way.
OPTIONS = {
    "layout": {"randomSeed": 7, "improvedLayout": True},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -120,
            "springLength": 140,
            "avoidOverlap": 0.6,
        },
        "stabilization": {"iterations": 400},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "edges": {"smooth": {"type": "continuous"}},
    "nodes": {"font": {"size": 18, "face": "system-ui, sans-serif"}},
}


def graph_fragment(
    source,
    case_id: str | None = None,
    *,
    element_id: str = "signal-graph",
    lang: str = "nl",
    calendar_dates=False,
) -> str:
    """The signal graph of one case with its time slider, as HTML to put in a page.

    Parameters
    ----------
    source : casuistry.Analysis or casuistry.Casebook
        The case(s); a Casebook is analysed first.
    case_id : str or None
        The case; None when ``source`` holds one case.
    element_id : str, keyword-only
        Id of the time view's container, unique on the page; the network
        view's is ``element_id + "-network"``. Each view's vis DataSets are
        published as ``window.casuistryGraphs[id]``.
    lang : {"nl", "en"}, keyword-only
        Language of labels, tooltips and controls.
    calendar_dates : bool, keyword-only
        Calendar dates on the slider instead of days since the first event.

    Returns
    -------
    str
        Style, container, controls and scripts; nothing loaded from outside.
    """
    from casuistry.viz.graph_items import graph_items
    from casuistry.viz.time_graph import TIME_OPTIONS, time_items
    from casuistry.viz.vis_network import network_fragment

    analysis = one_case(source, case_id)
    texts = Texts(lang)
    clock = Clock.of_case(analysis, texts, calendar_dates=calendar_dates)
    nodes, edges = graph_items(analysis, texts, clock)
    network_id = f"{element_id}-network"
    network = network_fragment(
        nodes, edges, OPTIONS, element_id=network_id, height=HEIGHT, library=False
    )
    lane_nodes, lane_edges = time_items(analysis, texts, clock)
    lane_count = sum(1 for n in lane_nodes if n["id"].startswith("lane:"))
    height = f"{min(160 + 75 * lane_count, 700)}px"
    lanes = network_fragment(
        lane_nodes, lane_edges, TIME_OPTIONS, element_id=element_id, height=height
    )
    horizon = clock.day(analysis.cases["horizon"].iloc[0])
    times = sorted({item["t"] for item in [*nodes, *edges, *lane_nodes]} | {horizon})
    return render(
        "casuistry.viz",
        "graph.html.j2",
        t=texts,
        element_id=element_id,
        network_id=network_id,
        accent=ACCENT,
        lanes=trusted(lanes),
        network=trusted(network),
        steps=[{"t": t, "label": clock.label_of_day(t)} for t in times],
        replay_script=trusted(package_file("casuistry.viz", "assets/replay.js")),
    )


def graph_page(source, case_id: str | None = None, *, lang: str = "nl", calendar_dates=False):
    """The signal graph of one case as a whole HTML page (for a notebook or a file).

    Parameters are those of :func:`graph_fragment`.

    Returns
    -------
    str
        An HTML document that loads nothing from outside itself.
    """
    analysis = one_case(source, case_id)
    return render(
        "casuistry.viz",
        "graph_page.html.j2",
        t=Texts(lang),
        lang=lang,
        case_id=analysis.casebook.case_ids[0],
        fragment=trusted(graph_fragment(analysis, lang=lang, calendar_dates=calendar_dates)),
    )
