"""Where the axes of a picture sit: margins added up from the sizes of the texts around it.

The timeline and the journey chart are each one axes with the same
furniture: labels left of it (lanes, signals), the time axis under it (tick
labels and the axis' name), the legend under that, and texts beside points
that may reach past its edges (an event's id, the incident's name above the
lanes, a signal's dwell right of its bar). Matplotlib's constrained layout
finds the margins by drawing the whole figure once more before it is saved,
only to measure every artist: about 0.06 s of CPU per figure, with the two
figures of a report a third of its time (docs/choices.md). Here only the
texts are measured, each once, as outlines (no hinting, as SVG draws them)
with an Agg renderer at the figure's dpi:

- every text is a :class:`Box`, fixed in points to an anchor that moves with
  the axes: a tick label to its tick, an annotation to the point it annotates,
  the axis' name under the lowest tick label;
- the axes' left edge and width are the widest for which every box lies
  inside the figure, :data:`PAD` from its edges (:func:`across`, exact);
- the plot keeps the height the picture asks for; the figure's height adds
  what reaches above and below the axes, a gap, and the legend, which hangs
  centred under the axis' name.

Examples
--------
>>> figure, ax = new_figure()
>>> ticks = ax.set_yticks([0, 1], ["short", "a much longer label"])
>>> legend = figure.legend(handles=[], loc="upper center")
>>> lay_out(ax, plot_height=2.0)
>>> float(round(ax.get_position().height * figure.get_figheight(), 6))  # the plot, inches
2.0
>>> left = ax.get_position().x0 * figure.get_figwidth() * 72  # points
>>> bool(PAD + 90 < left < PAD + 110)  # the longer label is 10 pt high and about 95 pt wide
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

#: Width of the pictures, in inches.
WIDTH = 12.0
#: Room between anything drawn and the figure's edge, in points (as constrained layout keeps).
PAD = 3.0
#: Room between the time axis' name and the legend, in points.
GAP = 5.0
#: How much wider than its outline hinting may draw a text, as a share of its width:
#: up to 3% in PNG files of 120 dpi and more (the slides: 150), up to 8% below (DejaVu
#: Sans, measured); SVG text (the reports) is drawn as its outline.
HINTING = 0.03
#: Points per inch.
POINTS = 72.0


@dataclass(frozen=True)
class Box:
    """How far a text reaches around its anchor, a point that moves with the axes.

    Attributes
    ----------
    fx, fy : float
        The anchor, as fractions of the axes' width and height from its lower
        left corner.
    left, right, below, above : float
        How far the text reaches from the anchor, in points (negative when it
        stays on the other side of it).
    """

    fx: float
    fy: float
    left: float
    right: float
    below: float
    above: float


#: The axes' own corners: the axes lies inside the figure too.
CORNERS = (Box(0.0, 0.0, 0.0, 0.0, 0.0, 0.0), Box(1.0, 1.0, 0.0, 0.0, 0.0, 0.0))


def new_figure():
    """A figure of the pictures' width with one axes, to be placed by :func:`lay_out`.

    Returns
    -------
    tuple of matplotlib.figure.Figure and matplotlib.axes.Axes
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, 1.0))
    return figure, figure.add_axes((0.0, 0.0, 1.0, 1.0))


def lay_out(ax, *, plot_height: float) -> None:
    """Size the figure of ``ax``, place the axes and hang the figure's legend under it.

    Call it when everything is drawn: the texts of the axes and its ticks are
    measured as they are. The figure keeps its width.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The figure's one axes; its texts are annotations of data or
        axes-fraction points.
    plot_height : float, keyword-only
        Height of the axes, in inches.
    """
    import matplotlib

    figure = ax.get_figure()
    (legend,) = figure.legends
    renderer = _renderer(figure.dpi)
    with matplotlib.rc_context({"text.hinting": "none"}):  # the outlines, as SVG draws them
        boxes = [*CORNERS, *text_boxes(ax, renderer)]
        legend_height = legend.get_window_extent(renderer).height * POINTS / figure.dpi
    width, plot = figure.get_figwidth() * POINTS, plot_height * POINTS
    left, wide = across(boxes, width)
    above = max(box.above - (1.0 - box.fy) * plot for box in boxes)
    below = max(box.below - box.fy * plot for box in boxes)
    bottom = PAD + legend_height + GAP + below
    height = bottom + plot + above + PAD
    figure.set_size_inches(width / POINTS, height / POINTS)
    ax.set_position((left / width, bottom / height, wide / width, plot / height))
    legend.set_bbox_to_anchor((0.5, (PAD + legend_height) / height), transform=figure.transFigure)


def across(boxes: list[Box], width: float) -> tuple[float, float]:
    """The axes' left edge and width (points) that keep every box :data:`PAD` inside ``width``.

    A box at ``fx`` asks ``left + fx * wide - box.left >= PAD`` and
    ``left + fx * wide + box.right <= width - PAD``. Each pair of a box and
    one further right bounds ``wide``; the least bound is the widest axes
    that fits, and ``left`` the least that fits it.

    Examples
    --------
    >>> label = Box(0.0, 0.5, 100.0, -4.0, 6.0, 6.0)  # a label left of the axes
    >>> tick = Box(1.0, 0.0, 10.0, 10.0, 20.0, -4.0)  # a tick label at its right end
    >>> across([*CORNERS, label, tick], 500.0)
    (103.0, 384.0)
    """
    fx = np.array([box.fx for box in boxes])
    lowest = PAD + np.array([box.left for box in boxes])
    highest = width - PAD - np.array([box.right for box in boxes])
    # Boxes at one fx bound as the one that asks most room does, on either side.
    at, which = np.unique(fx, return_inverse=True)
    low, high = np.full(len(at), -np.inf), np.full(len(at), np.inf)
    np.maximum.at(low, which, lowest)
    np.minimum.at(high, which, highest)
    wide = width - 2 * PAD
    for first in range(0, len(at), _PAIR_ROWS):  # all pairs at once took GBs for a long case
        rows = slice(first, first + _PAIR_ROWS)
        further = at[None, :] - at[rows, None]  # [i, j]: how much further right j sits than i
        room = high[None, :] - low[rows, None]
        pairs = further > 0
        wide = float(np.min(room[pairs] / further[pairs], initial=wide))
    return float(np.max(lowest - fx * wide)), wide


#: Rows of pairs :func:`across` weighs at a time: a few megabytes a step, however many
#: boxes (a timeline of 20,000 events has as many labels; their pairs took 10 GB at once).
_PAIR_ROWS = 256


def text_boxes(ax, renderer) -> list[Box]:
    """The boxes of the tick labels, the time axis' name and the annotations of ``ax``."""
    from matplotlib.text import Annotation

    under, beside = _tick_boxes(ax, "x", renderer), _tick_boxes(ax, "y", renderer)
    notes = []
    for text in ax.texts:
        if not isinstance(text, Annotation):
            raise ValueError("the layout places annotations only, not texts")
        if text.get_text():
            notes.append(_box(ax, text, _anchor(ax, text), renderer))
    return [*under, *beside, _axis_name(ax, under, renderer), *notes]


def _tick_boxes(ax, axis: str, renderer) -> list[Box]:
    """The boxes of the tick labels of the ``"x"`` or ``"y"`` axis that are drawn.

    A label is anchored at its tick on the axes' edge; it is drawn when its
    tick lies within the axes' limits (matplotlib's own tolerance is a share
    of 1e-10 of the span).
    """
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    boxes = []
    for label in labels:
        fx, fy = _fraction(ax, *label.get_position())
        anchor = (fx, 0.0) if axis == "x" else (0.0, fy)
        if min(anchor) >= -1e-9 and max(anchor) <= 1 + 1e-9:
            boxes.append(_box(ax, label, anchor, renderer))
    return boxes


def _axis_name(ax, ticks: list[Box], renderer) -> Box:
    """The box of the x axis' name, its top ``labelpad`` under the lowest tick label."""
    name = ax.xaxis.label
    extent = name.get_window_extent(renderer)
    scale = POINTS / ax.get_figure().dpi
    depth = max((box.below for box in ticks), default=0.0)
    fx = name.get_position()[0]
    half = extent.width * scale / 2
    return Box(fx, 0.0, half, half, depth + ax.xaxis.labelpad + extent.height * scale, 0.0)


def _box(ax, text, anchor: tuple[float, float], renderer) -> Box:
    """The box of ``text`` around ``anchor`` (axes fractions), with its frame and room for hinting.

    Hinting widens the text away from the side it is aligned by.
    """
    extent = text.get_window_extent(renderer)
    x, y = ax.transAxes.transform(anchor)
    scale = POINTS / ax.get_figure().dpi
    patch = text.get_bbox_patch()
    pad = 0.0 if patch is None else patch.get_boxstyle().pad * text.get_fontsize()
    wider = HINTING * extent.width * scale
    share = {"left": 0.0, "center": 0.5, "right": 1.0}[text.get_horizontalalignment()]
    return Box(
        anchor[0],
        anchor[1],
        (x - extent.x0) * scale + pad + share * wider,
        (extent.x1 - x) * scale + pad + (1.0 - share) * wider,
        (y - extent.y0) * scale + pad,
        (extent.y1 - y) * scale + pad,
    )


def _anchor(ax, note) -> tuple[float, float]:
    """The point an annotation annotates, as fractions of the axes."""
    coords = note.xycoords if isinstance(note.xycoords, tuple) else (note.xycoords,) * 2
    if not set(coords) <= {"data", "axes fraction"}:
        raise ValueError(f"the layout places annotations of data or axes points, not {coords}")
    in_data = _fraction(ax, *note.xy)
    fx, fy = (
        share if system == "data" else value
        for system, share, value in zip(coords, in_data, note.xy, strict=True)
    )
    return fx, fy


def _fraction(ax, x: float, y: float) -> tuple[float, float]:
    """A point of the data as fractions of the axes."""
    fx, fy = (ax.transScale + ax.transLimits).transform((x, y))
    return float(fx), float(fy)


@cache
def _renderer(dpi: float):
    """One Agg renderer per dpi that only measures (matplotlib caches text sizes per renderer)."""
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, dpi)
