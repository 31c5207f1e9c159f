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

import matplotlib

_NAMESPACE = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'\bxlink:href="#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


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
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", prefix):
        raise ValueError(f"an SVG id prefix needs letters, digits and '-', not {prefix!r}")
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": prefix}):
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
    text = head + ">" + rest
    text = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = _HREF.sub(lambda m: f'href="#{prefix}-{m.group(1)}"', text)
    text = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", text)
    return text.strip()


def mpl_text(value: object) -> str:
    """Text from the input as matplotlib shows it literally (no mathtext).

    Examples
    --------
    >>> mpl_text("costs $5 and $6")
    'costs \\\\$5 and \\\\$6'
    """
    return str(value).replace("$", r"\$")
