"""A pyvis network as an HTML fragment that works offline, several per page.

pyvis 0.3.2 (frozen upstream) always writes a whole page that loads bootstrap
from a CDN, names its container ``mynetwork`` and keeps its DataSets in page
globals. This module asks pyvis for the page with vis-network inlined
(``cdn_resources="in_line"``), never calls ``show()``, and cuts out what a
report needs:

- the vis-network stylesheet and script (inlined by pyvis);
- the drawing script, with the container renamed to a unique element id and
  wrapped in a function, so its ``nodes``, ``edges`` and ``network`` do not
  clash with another graph; they are published as
  ``window.casuistryGraphs[id]`` for the time slider (and for tests).

Every remote reference of pyvis's template (bootstrap) is dropped; a check
afterwards refuses any ``src``/``href`` that is left.
"""

from __future__ import annotations

import json
import re

from casuistry.errors import CasuistryError

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_STYLE = re.compile(r"<style[^>]*>(?P<body>.*?)</style>", re.DOTALL | re.IGNORECASE)
_REMOTE = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_ELEMENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def network_fragment(
    nodes: list[dict], edges: list[dict], options: dict, *, element_id: str, height: str
) -> str:
    """Draw nodes and edges with pyvis/vis-network; return the HTML to put in a page.

    Parameters
    ----------
    nodes, edges : list of dict
        vis-network items: nodes need ``id``; edges ``from`` and ``to``.
        Every value must be plain JSON (str, int, float, bool, list, dict).
        A ``title`` is shown as plain text by vis-network 9 (it sets the
        tooltip's ``innerText``), so it is never parsed as HTML.
    options : dict
        vis-network options.
    element_id : str
        The id of the graph's container; unique on the page.
    height : str
        CSS height of the container (e.g. ``"640px"``).

    Returns
    -------
    str
        ``<style>`` and ``<script>`` elements and the container ``<div>``.
    """
    from pyvis.network import Network

    if not _ELEMENT_ID.fullmatch(element_id):
        raise ValueError(f"an element id needs letters, digits, '-' or '_', not {element_id!r}")
    _check_plain(nodes, "node")
    _check_plain(edges, "edge")
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    for node in nodes:
        net.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    for edge in edges:
        net.add_edge(
            edge["from"], edge["to"], **{k: v for k, v in edge.items() if k not in ("from", "to")}
        )
    net.set_options(json.dumps(options))
    page = net.generate_html()
    return _fragment(page, element_id, height)


def _fragment(page: str, element_id: str, height: str) -> str:
    scripts = [m for m in _SCRIPT.finditer(page) if "src" not in m.group("attrs").lower()]
    library = [
        m.group("body")
        for m in scripts
        if "vis.Network" not in m.group("body") and "vis-network" in m.group("body")
    ]
    drawing = [m.group("body") for m in scripts if "function drawGraph" in m.group("body")]
    styles = [m.group("body") for m in _STYLE.finditer(page) if ".vis-network" in m.group("body")]
    if len(library) != 1 or len(drawing) != 1 or len(styles) != 1:
        raise CasuistryError(
            "the pyvis page does not look as expected (pyvis 0.3.2 with in_line resources); "
            "the signal graph cannot be embedded"
        )
    draw = drawing[0].replace("getElementById('mynetwork')", f"getElementById('{element_id}')")
    if "mynetwork" in draw:
        raise CasuistryError("the pyvis drawing script names its container in an unexpected way")
    register = (
        "window.casuistryGraphs = window.casuistryGraphs || {};\n"
        f"window.casuistryGraphs[{json.dumps(element_id)}] = "
        "{network: network, nodes: nodes, edges: edges};\n"
        "network.once('stabilizationIterationsDone', function () {\n"
        "  network.setOptions({physics: false});\n"
        "});\n"
    )
    parts = [
        f"<style>{styles[0]}</style>",
        f"<style>#{element_id} {{ width: 100%; height: {height}; border: 1px solid #d0d0d0; "
        "background: #ffffff; }</style>",
        f'<div id="{element_id}" class="graph-canvas"></div>',
        f"<script>{library[0]}</script>",
        f"<script>(function () {{\n{draw}\n{register}}})();</script>",
    ]
    html = "\n".join(parts)
    if _REMOTE.search(html):
        raise CasuistryError("the signal graph would load something from the network; refused")
    return html


def _check_plain(items: list[dict], what: str) -> None:
    for item in items:
        for key, value in item.items():
            if not _plain(value):
                raise TypeError(
                    f"{what} attribute {key!r} must be plain JSON, not {type(value).__name__}"
                )


def _plain(value) -> bool:
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) in (list, tuple):
        return all(_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False
