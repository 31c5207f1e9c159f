"""The signal graph of a case, interactive, with a time slider that replays who knew what when.

Organisations are boxes and signals are diamonds, both in the colour of their
silo; an edge from a signal to an organisation means the organisation knew
the signal, from the time stored on the edge. Every node and edge carries
``t``, the day (since the first event) from which it exists; the slider
hides what is not yet known at the chosen moment. The graph is drawn by
vis-network through pyvis (see :mod:`casuistry.viz.pyvis_html`), offline.
"""

from __future__ import annotations

import html
import json

from casuistry.reporting.clock import Clock
from casuistry.reporting.texts import Texts
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


CONTROLS_CSS = (
    ".replay-controls { display: flex; align-items: center; gap: 1rem; margin: .6rem 0; "
    "font-size: 1rem; flex-wrap: wrap; }"
    ".replay-controls button { font: inherit; padding: .3rem 1.1rem; border-radius: 6px; "
    "border: 2px solid #0b4f8a; background: #0b4f8a; color: #fff; cursor: pointer; }"
    ".replay-controls label { display: flex; align-items: center; gap: .6rem; flex: 1; }"
    ".replay-controls input[type=range] { flex: 1; min-width: 12rem; }"
    ".replay-controls output { font-weight: 700; min-width: 7rem; }"
    "div.vis-tooltip { font: 15px/1.4 system-ui, sans-serif; white-space: pre-line; "
    "max-width: 28rem; padding: .5rem .7rem; }"
)


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
        Id of the graph's container, unique on the page. The graph's vis
        DataSets are published as ``window.casuistryGraphs[element_id]``.
    lang : {"nl", "en"}, keyword-only
        Language of labels, tooltips and controls.
    calendar_dates : bool, keyword-only
        Calendar dates on the slider instead of days since the first event.

    Returns
    -------
    str
        Style, container, controls and scripts; nothing loaded from outside.
    """
    from casuistry.reporting.texts import asset
    from casuistry.viz.graph_items import graph_items
    from casuistry.viz.pyvis_html import network_fragment

    analysis = one_case(source, case_id)
    texts = Texts(lang)
    book = analysis.casebook
    clock = Clock.from_ticks(
        analysis.cases["time_style"].iloc[0],
        int(book.events["ticks"].min()),
        texts,
        calendar_dates=calendar_dates,
    )
    nodes, edges = graph_items(analysis, texts, clock)
    drawing = network_fragment(nodes, edges, OPTIONS, element_id=element_id, height=HEIGHT)
    horizon = clock.day(analysis.cases["horizon"].iloc[0])
    times = sorted({item["t"] for item in [*nodes, *edges]} | {horizon})
    steps = [{"t": t, "label": clock.label_of_day(t)} for t in times]
    steps_json = json.dumps(steps, ensure_ascii=False).replace("<", "\\u003c")
    controls = (
        f'<div class="replay-controls" data-graph="{element_id}">'
        f'<button type="button" data-play="{html.escape(texts("graph.play"))}" '
        f'data-pause="{html.escape(texts("graph.pause"))}">{html.escape(texts("graph.play"))}'
        "</button>"
        f"<label>{html.escape(texts('graph.time'))} "
        f'<input type="range" min="0" max="{len(steps) - 1}" value="{len(steps) - 1}" '
        f'aria-label="{html.escape(texts("graph.slider"))}"></label>'
        "<output></output></div>"
    )
    return "\n".join(
        [
            '<div class="signal-graph">',
            f"<style>{CONTROLS_CSS}</style>",
            drawing,
            controls,
            f'<script type="application/json" id="{element_id}-steps">{steps_json}</script>',
            f"<script>{asset('replay.js')}</script>",
            "</div>",
        ]
    )


def graph_page(source, case_id: str | None = None, *, lang: str = "nl", calendar_dates=False):
    """The signal graph of one case as a whole HTML page (for a notebook or a file).

    Parameters are those of :func:`graph_fragment`.

    Returns
    -------
    str
        An HTML document that loads nothing from outside itself.
    """
    from casuistry.reporting.render import CONTENT_SECURITY_POLICY

    analysis = one_case(source, case_id)
    texts = Texts(lang)
    case = analysis.casebook.case_ids[0]
    fragment = graph_fragment(analysis, lang=lang, calendar_dates=calendar_dates)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        f"<title>{html.escape(texts('section.graph'))}: {html.escape(case)}</title>\n"
        "<style>body { font-family: system-ui, sans-serif; margin: 1rem; }</style>\n"
        f"</head>\n<body>\n<h1>{html.escape(texts('section.graph'))}: {html.escape(case)}</h1>\n"
        f"<p>{html.escape(texts('graph.intro'))}</p>\n{fragment}\n</body>\n</html>\n"
    )
