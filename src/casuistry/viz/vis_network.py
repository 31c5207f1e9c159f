"""A vis-network drawing as an HTML fragment that works offline, several per page.

The vis-network script and stylesheet are read from the files pyvis ships
(``pyvis/templates/lib/vis-9.1.2``), without importing or running pyvis, and
inlined into the fragment of ``templates/network.html.j2``: the container
with a unique element id and a small drawing script of casuistry's own,
wrapped in a function so its ``nodes``, ``edges`` and ``network`` do not clash
with another graph. They are published as ``window.casuistryGraphs[id]``
for the time slider (and for tests). Nodes, edges and options reach the script
through Jinja's ``tojson``, which keeps them data.

A check refuses any remote ``src``/``href`` in the fragment's own markup and
the library (once per process for each height, options and library flag).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from casuistry.errors import CasuistryError
from casuistry.presentation.html import render, trusted
from casuistry.presentation.palette import RULE, WHITE

#: The vis-network release pyvis 0.3.2 ships and draws with.
VIS_NETWORK = "vis-9.1.2"

_REMOTE = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_ELEMENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@cache
def vis_library() -> tuple[str, str]:
    """The vis-network script and stylesheet shipped with pyvis, as text.

    Raises
    ------
    CasuistryError
        When pyvis or its vis-network files are missing, or a file would end
        the element it is inlined into.
    """
    spec = find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise CasuistryError("pyvis is not installed; the signal graph needs it: pip install pyvis")
    folder = Path(spec.origin).parent / "templates" / "lib" / VIS_NETWORK
    try:
        script = (folder / "vis-network.min.js").read_text("utf-8")
        style = (folder / "vis-network.css").read_text("utf-8")
    except OSError as err:
        raise CasuistryError(
            f"pyvis's vis-network files are missing from {folder} ({err.strerror}); "
            "reinstall pyvis 0.3.2"
        ) from None
    if "</script" in script.lower() or "</style" in style.lower():
        raise CasuistryError(f"the vis-network files in {folder} cannot be inlined in a page")
    return script, style


def network_fragment(
    nodes: list[dict],
    edges: list[dict],
    options: dict,
    *,
    element_id: str,
    height: str,
    library: bool = True,
) -> str:
    """Draw nodes and edges with vis-network; return the HTML to put in a page.

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
    library : bool
        Inline the vis-network script and stylesheet; False for a second
        drawing on a page that an earlier fragment gave them already.

    Returns
    -------
    str
        ``<style>`` and ``<script>`` elements and the container ``<div>``.

    Examples
    --------
    >>> html = network_fragment([{"id": "a", "label": "A"}], [], {}, element_id="g", height="9px")
    >>> 'window.casuistryGraphs["g"]' in html and "<div id=\\"g\\"" in html
    True
    """
    if not _ELEMENT_ID.fullmatch(element_id):
        raise ValueError(f"an element id needs letters, digits, '-' or '_', not {element_id!r}")
    _check_plain(nodes, "node")
    _check_plain(edges, "edge")
    _check_plain([options], "option")
    # Our markup and the library must load nothing; the case's own text (labels,
    # descriptions) travels as escaped JSON data and is shown, never loaded, so a
    # description reading "href=https://..." is harmless text and is not refused.
    _check_offline(height, library, json.dumps(options, sort_keys=True))
    return _page(element_id, height, library, nodes, edges, options)


@cache
def _check_offline(height: str, library: bool, options: str) -> None:
    """Refuse a fragment whose own markup would load from the network; once per process and kind.

    The skeleton (no nodes, no edges) is all that is checked; an element id
    (letters, digits, ``-``, ``_``) cannot change the outcome, so one stands in.
    """
    if _REMOTE.search(_page("skeleton", height, library, [], [], json.loads(options))):
        raise CasuistryError("the signal graph would load something from the network; refused")


def _page(element_id: str, height: str, library: bool, nodes, edges, options) -> str:
    script, style = vis_library()
    return render(
        "casuistry.viz",
        "network.html.j2",
        element_id=element_id,
        height=height,
        border=RULE,
        background=WHITE,
        vis_script=trusted(script) if library else "",
        vis_style=trusted(style) if library else "",
        nodes=nodes,
        edges=edges,
        options=options,
    )


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
