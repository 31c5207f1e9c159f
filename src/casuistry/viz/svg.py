"""Matplotlib figures as inline SVG for an HTML page.

A figure is written as SVG with text kept as text (selectable, small, scaled
with the page), without a date or creator in its metadata (the same input
gives the same bytes), and without the XML prologue, the DOCTYPE and the
namespace declarations that an SVG inside HTML does not need. Every ``id``
and every reference to one get a prefix, so several figures on one page never
share an id.

Examples
--------
>>> from matplotlib.figure import Figure
>>> svg = figure_svg(Figure(), prefix="demo")
>>> svg.startswith("<svg") and "http" not in svg
True
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable, Mapping

import matplotlib

_NAMESPACE = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'\bxlink:href="#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_DEFINITIONS = re.compile(r"<defs>.*?</defs>\s*", re.DOTALL)
_TAGGED = re.compile(r'<g id="([A-Za-z][A-Za-z0-9]*)-\d+"(/?)>')
_GROUP = re.compile(r"<g\b[^>]*?(/?)>|</g>")


def figure_svg(figure, *, prefix: str) -> str:
    """Render ``figure`` as an ``<svg>`` element to put straight into HTML.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure to render; it is not closed.
    prefix : str
        Put in front of every id of the drawing (letters, digits, ``-``).

    Returns
    -------
    str
        The ``<svg ...>...</svg>`` element, with ``width`` and ``height``
        removed so that the page's CSS sizes it (the ``viewBox`` keeps the
        aspect ratio).
    """
    _check_prefix(prefix)
    return _prefixed(_rendered(figure, salt=prefix), prefix)


def figure_variants(figure, hidden: Mapping[str, Collection[str]]) -> dict[str, str]:
    """Render ``figure`` once; per prefix, the ``<svg>`` without some of its artists.

    Many pictures that differ only in what they leave out (the case as it
    stood at several moments) cost one drawing this way. An artist is left
    out through its gid: one set to ``"KEY-N"`` (N a number unique per
    artist, see :func:`tag`) is left out of each variant whose keys include
    ``KEY``. The layout is that of the whole figure.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure with every artist of every variant.
    hidden : mapping of str to collection of str
        Per variant, its id prefix (as for :func:`figure_svg`) and the keys
        of the artists it leaves out.

    Returns
    -------
    dict of str to str
        The ``<svg>`` element of each variant, by prefix.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure = Figure()
    >>> tag([figure.text(0.5, 0.5, "late")], "late")
    1
    >>> svgs = figure_variants(figure, {"all": [], "early": ["late"]})
    >>> "late" in svgs["all"], "late" in svgs["early"]
    (True, False)
    """
    for prefix in hidden:
        _check_prefix(prefix)
    # Markers are defined once, where first drawn: the definitions move to the
    # top, so leaving out the artist that first drew one leaves it defined.
    text = _rendered(figure, salt="casuistry")
    definitions = _DEFINITIONS.findall(text)
    head, rest = text.split(">", 1)
    text = head + ">" + "".join(definitions) + _DEFINITIONS.sub("", rest)
    return {
        prefix: _prefixed(_without_groups(text, set(keys)), prefix)
        for prefix, keys in hidden.items()
    }


def tag(artists: Iterable, key: str, first: int = 0) -> int:
    """Give each artist the gid ``"KEY-N"`` that :func:`figure_variants` leaves out by.

    N counts up from ``first``; an annotation's arrow (drawn apart from its
    text) gets one too. Returns the next free N.
    """
    number = first
    for artist in artists:
        for part in (artist, getattr(artist, "arrow_patch", None)):
            if part is not None:
                part.set_gid(f"{key}-{number}")
                number += 1
    return number


def _check_prefix(prefix: str) -> None:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", prefix):
        raise ValueError(f"an SVG id prefix needs letters, digits and '-', not {prefix!r}")


def _rendered(figure, *, salt: str) -> str:
    """The figure's ``<svg>`` element, without prologue, metadata, namespaces and size."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = _METADATA.sub("", text)
    head, rest = text.split(">", 1)
    head = _NAMESPACE.sub("", head)
    head = re.sub(r'\s(?:width|height)="[^"]*"', "", head)
    return head + ">" + rest


def _prefixed(text: str, prefix: str) -> str:
    text = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = _HREF.sub(lambda m: f'href="#{prefix}-{m.group(1)}"', text)
    text = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", text)
    return text.strip()


def _without_groups(text: str, keys: set[str]) -> str:
    """``text`` without the ``<g>`` elements whose id is ``KEY-N`` for a key in ``keys``."""
    if not keys:
        return text
    kept, at = [], 0
    for start in _TAGGED.finditer(text):
        if start.group(1) not in keys or start.start() < at:
            continue
        kept.append(text[at : start.start()])
        at = start.end() if start.group(2) else _group_end(text, start.end())
    kept.append(text[at:])
    return "".join(kept)


def _group_end(text: str, at: int) -> int:
    """Where the ``<g>`` element opened just before ``at`` ends (after its ``</g>``)."""
    depth = 1
    for mark in _GROUP.finditer(text, at):
        if mark.group(0) == "</g>":
            depth -= 1
        elif not mark.group(1):  # not an empty <g .../>
            depth += 1
        if depth == 0:
            return mark.end()
    raise ValueError("an SVG group is not closed")


def mpl_text(value: object) -> str:
    """Text from the input as matplotlib shows it literally (no mathtext).

    Examples
    --------
    >>> mpl_text("costs $5 and $6")
    'costs \\\\$5 and \\\\$6'
    """
    return str(value).replace("$", r"\$")
