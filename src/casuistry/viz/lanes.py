"""Timeline lanes: what each organisation saw, shared, withheld and when it met others.

One horizontal lane per actor, grouped by silo and tinted in the silo's
colour. Signals are dots in the silo's colour; a share is a solid arrow from
the sender's lane to each recipient's; a withhold is a dashed line ending in
a cross at the lane it did not reach; a contact is a dotted line between the
parties; a meeting joins its participants with squares; an action is a star.
The incident (or, without one, the horizon) is a vertical line; events after
it are drawn pale, because they take no part in the figures. A key practice
episode of the reviewer is a shaded band in its assessment's colour. Each event is
drawn as its kind's mark says (:class:`casuistry.kinds.Mark`), with its
marker and face; the legend shows every kind of the case's registry.

Examples
--------
>>> import casuistry
>>> from casuistry.viz.lanes import timeline
>>> fig = timeline(casuistry.load(casuistry.example_path()), lang="en")
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()][:2]
['Basisschool', 'Huisarts']
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from casuistry.kinds import EventKind, Mark
from casuistry.presentation.clock import Clock
from casuistry.presentation.missing import missing
from casuistry.presentation.palette import (
    ACCENT,
    ANY_SILO,
    HORIZON,
    ID_LABEL,
    INK,
    assessment_colour,
    silo_colour,
)
from casuistry.presentation.palette import INCIDENT as INCIDENT_COLOUR
from casuistry.presentation.texts import Texts
from casuistry.viz.axes import legend_below, time_axis
from casuistry.viz.lane_order import lane_heights
from casuistry.viz.layout import lay_out, new_figure
from casuistry.viz.source import one_case
from casuistry.viz.svg import mpl_text, tag
from casuistry.vocabulary import ACTOR, EVENT_ID, KIND, LABEL, SILO, TICKS, TO

PALE = 0.3
#: Height of the plot per lane, in inches.
PLOT_PER_LANE = 0.55
#: Height of the plot besides its lanes (above the first, below the last), in inches.
PLOT_AROUND_LANES = 0.47
#: Days a key practice episode's band reaches beyond its first and last event.
EPISODE_PAD = 0.8
#: Offsets (points) of an event id from its marker: above, below, further above, further below.
LABEL_OFFSETS = (9, -9, 20, -20)
#: Width of an event id as a share of the time axis, for spreading crowded ids.
LABEL_WIDTH = 0.035
#: The legend's face of a point in its silo's colour (which differs per lane).
SILO_FACE = ANY_SILO


def timeline(
    source,
    case_id: str | None = None,
    *,
    lang: str = "nl",
    calendar_dates=False,
    until: float | None = None,
):
    """The timeline lanes of one case as a matplotlib Figure.

    Parameters
    ----------
    source : casuistry.Analysis or casuistry.Casebook
        The case(s); a Casebook is analysed first.
    case_id : str or None
        The case to draw; None when ``source`` holds one case.
    lang : {"nl", "en"}, keyword-only
        Language of the labels.
    calendar_dates : bool, keyword-only
        Calendar dates on the time axis instead of days since the first event.
    until : float or None, keyword-only
        Draw only the events up to this day since the first event (the case
        as it stood then, marked by a vertical line); None draws them all.
        The time axis and the lanes stay those of the whole case.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; y tick labels are the actors' labels, top to bottom.
    """
    analysis = one_case(source, case_id)
    drawing = _Lanes(analysis, Texts(lang), calendar_dates, until=until)
    return drawing.figure()


def timeline_svgs(
    source,
    moments: list[float],
    case_id: str | None = None,
    *,
    lang: str = "nl",
    calendar_dates=False,
) -> list[str]:
    """The timeline as inline SVG, then the case as it stood at each moment, from one drawing.

    The same pictures as :func:`timeline` and ``timeline(..., until=day)``
    per moment (see :func:`casuistry.viz.svg.figure_svg`), at the cost of
    one: every event is drawn once, tagged with the moments it belongs to,
    and each picture leaves out the others (:func:`casuistry.viz.svg.figure_variants`).

    Parameters
    ----------
    source, case_id, lang, calendar_dates
        As for :func:`timeline`.
    moments : list of float
        Days since the first event.

    Returns
    -------
    list of str
        The ``<svg>`` of the whole timeline (ids prefixed ``timeline``), then
        one per moment (ids prefixed ``moment0``, ``moment1``, ...).

    Examples
    --------
    >>> import casuistry
    >>> whole, early = timeline_svgs(casuistry.load(casuistry.example_path()), [10.0])
    >>> ">e01<" in early and ">e06<" in whole and ">e06<" not in early
    True
    """
    from casuistry.viz.svg import figure_variants

    analysis = one_case(source, case_id)
    drawing = _Lanes(analysis, Texts(lang), calendar_dates, moments=moments)
    cuts = sorted(set(moments))
    until = [f"until{k}" for k in range(len(moments))]
    hidden = {"timeline": until}
    for k, day in enumerate(moments):
        later = [f"seg{n}" for n in range(cuts.index(day) + 1, len(cuts) + 1)]
        hidden[f"moment{k}"] = [*later, *until[:k], *until[k + 1 :]]
    return list(figure_variants(drawing.figure(), hidden).values())


class _Lanes:
    """Positions of the lanes and the drawing of the events."""

    def __init__(self, analysis, texts: Texts, calendar_dates: bool, *, until=None, moments=()):
        self.until = until
        self.moments = list(moments)
        book = analysis.casebook
        self.kinds = book.kinds
        self.texts = texts
        self.events = book.events.reset_index(drop=True)
        self.case = analysis.cases.iloc[0]
        self.clock = Clock.of_case(analysis, texts, calendar_dates=calendar_dates)
        self.silo_of = dict(zip(book.actors[ACTOR], book.actors[SILO], strict=True))
        self.label_of = dict(zip(book.actors[ACTOR], book.actors[LABEL], strict=True))
        self.days = self.events[TICKS].map(self.clock.day_of_ticks)
        self.horizon = self.clock.day(self.case["horizon"])
        self.lanes = self._order()
        self.episodes = analysis.episodes
        span = max(float(self.days.max()), self.horizon) + 2
        self._label_gap = LABEL_WIDTH * span
        self._label_places: dict[str, list[float]] = {}

    def _order(self) -> dict[str, float]:
        """Lane height per actor: silos in order of first appearance, a gap between silos."""
        return lane_heights(self.events, self.silo_of)

    def figure(self):
        """The drawing as a matplotlib Figure."""
        fig, ax = new_figure()
        self.draw(ax)
        lay_out(ax, plot_height=PLOT_AROUND_LANES + PLOT_PER_LANE * len(self.lanes))
        return fig

    def draw(self, ax) -> None:
        """Draw the lanes; with moments, tag each event's artists ``segN``.

        ``N`` is the number of moments before the event's day, so that the
        case as it stood at a moment leaves out the segments after it; each
        moment's line is tagged ``untilK`` (see :func:`timeline_svgs`).
        """
        self._backdrop(ax)
        self._episodes(ax)
        cuts, tagged = sorted(set(self.moments)), 0
        for pos, ev in self.events.iterrows():
            if self.until is not None and self.days[pos] > self.until:
                continue
            alpha = 1.0 if self.days[pos] <= self.horizon else PALE
            if not cuts:
                self._event(ax, ev, self.days[pos], alpha)
                continue
            made = _Recorded(ax)
            self._event(made, ev, self.days[pos], alpha)
            tagged = tag(made.artists(), f"seg{bisect_left(cuts, self.days[pos])}", tagged)
        if self.until is not None:
            ax.axvline(self.until, color=ACCENT, lw=3, alpha=0.6, zorder=2)
        for k, day in enumerate(self.moments):
            tag([ax.axvline(day, color=ACCENT, lw=3, alpha=0.6, zorder=2)], f"until{k}")
        self._axes(ax)

    def _backdrop(self, ax) -> None:
        for actor, y in self.lanes.items():
            colour = silo_colour(self.silo_of[actor])
            ax.axhspan(y - 0.45, y + 0.45, color=colour, alpha=0.16, lw=0)
            ax.axhline(y, color=colour, lw=1.2, alpha=0.7, zorder=1)
        line_colour = INCIDENT_COLOUR if self._incident() else HORIZON
        ax.axvline(
            self.horizon, color=line_colour, lw=2, ls="-" if self._incident() else "--", zorder=2
        )
        label = self.texts("timeline.incident" if self._incident() else "timeline.horizon")
        late = self.horizon > 0.5 * float(self.days.max())  # label on the side with room
        ax.annotate(
            label,
            (self.horizon, 1),
            xycoords=("data", "axes fraction"),
            xytext=(-4 if late else 4, 2),
            textcoords="offset points",
            va="bottom",
            ha="right" if late else "left",
            color=line_colour,
            fontsize=11,
            fontweight="bold",
        )

    def _episodes(self, ax) -> None:
        """A band per key practice episode, in its assessment's colour, its id at the foot."""
        for e in self.episodes.to_dict("records"):
            if missing(e["start"]):
                continue
            start, end = self.clock.day(e["start"]), self.clock.day(e["end"])
            colour = assessment_colour(e["assessment"])
            ax.axvspan(start - EPISODE_PAD, end + EPISODE_PAD, color=colour, alpha=0.14, lw=0)
            ax.annotate(
                mpl_text(e["episode_id"]),
                ((start + end) / 2, 0),
                xycoords=("data", "axes fraction"),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                color=colour,
                fontsize=10,
                fontweight="bold",
            )

    def _incident(self) -> bool:
        return isinstance(self.case["horizon_event"], str)

    def _event(self, ax, ev, x: float, alpha: float) -> None:
        kind, y = self.kinds[ev[KIND]], self.lanes[ev[ACTOR]]
        targets = [self.lanes[a] for a in ev[TO] if a != ev[ACTOR]]
        _DRAW[kind.mark](self, ax, kind, ev, x, y, targets, alpha)
        dy = self._label_offset(ev[ACTOR], x)
        ax.annotate(
            mpl_text(ev[EVENT_ID]),
            (x, y),
            xytext=(0, dy),
            textcoords="offset points",
            ha="center",
            va="bottom" if dy > 0 else "top",
            fontsize=9,
            color=ID_LABEL,
            alpha=alpha,
            zorder=7,
        )

    def _arrow(self, ax, kind: EventKind, ev, x, y, targets, alpha) -> None:
        """A solid arrow to each recipient's lane."""
        for ty in targets:
            ax.annotate(
                "",
                (x, ty),
                (x, y),
                zorder=4,
                alpha=alpha,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": INK,
                    "lw": 1.8,
                    "mutation_scale": 16,
                    "shrinkA": 5,
                    "shrinkB": 5,
                },
            )
        _marks(ax, [x], [y], marker="o", area=30, face=INK, width=1, zorder=5, alpha=alpha)

    def _blocked(self, ax, kind: EventKind, ev, x, y, targets, alpha) -> None:
        """A dashed line to each intended recipient's lane, crossed there."""
        for ty in targets:
            ax.plot([x, x], [y, ty], color=INK, lw=1.6, ls=(0, (4, 3)), zorder=4, alpha=alpha)
            _marks(ax, [x], [ty], marker="x", area=90, face=INK, width=2.2, zorder=5, alpha=alpha)
        _marks(ax, [x], [y], marker="o", area=30, face=INK, width=1, zorder=5, alpha=alpha)

    def _link(self, ax, kind: EventKind, ev, x, y, targets, alpha) -> None:
        """A dotted line joining the parties, a diamond on each lane."""
        ys = [y, *targets]
        ax.plot([x, x], [min(ys), max(ys)], color=INK, lw=1.6, ls=":", zorder=4, alpha=alpha)
        _marks(ax, [x] * len(ys), ys, marker="D", area=45, width=1.4, zorder=5, alpha=alpha)

    def _gathering(self, ax, kind: EventKind, ev, x, y, targets, alpha) -> None:
        """A band joining the participants, a square on each lane."""
        ys = [y, *targets]
        ax.plot(
            [x, x],
            [min(ys), max(ys)],
            color=INK,
            lw=3,
            alpha=0.35 * alpha,
            zorder=3,
            solid_capstyle="round",
        )
        _marks(ax, [x] * len(ys), ys, marker="s", area=70, width=1.6, zorder=5, alpha=alpha)

    def _point(self, ax, kind: EventKind, ev, x, y, targets, alpha) -> None:
        """The kind's marker in the actor's lane, in its face colour."""
        glyph, area, _ = kind.marker
        face = {"silo": silo_colour(self.silo_of[ev[ACTOR]]), "ink": INK, "alarm": INCIDENT_COLOUR}
        colour = face[kind.face]
        _marks(ax, [x], [y], marker=glyph, area=area, face=colour, width=1, zorder=6, alpha=alpha)

    def _label_offset(self, actor: str, x: float) -> int:
        """Where an event id goes: above its marker, or below or further out when crowded.

        Per lane, each of the four places remembers the last x it was used
        at; an id takes the first place that is free by the width of an id.
        """
        used = self._label_places.setdefault(actor, [-np.inf] * len(LABEL_OFFSETS))
        free = [n for n, last in enumerate(used) if x - last >= self._label_gap]
        place = free[0] if free else int(np.argmin(used))
        used[place] = x
        return LABEL_OFFSETS[place]

    def _axes(self, ax) -> None:
        ys = list(self.lanes.values())
        ax.set_yticks(ys, [mpl_text(self.label_of.get(a, a)) for a in self.lanes], fontsize=12)
        for tick in ax.get_yticklabels():
            tick.set_bbox({"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none"})
        ax.set_ylim(min(ys) - 0.7, max(ys) + 0.8)
        time_axis(ax, self.clock, max(float(self.days.max()), self.horizon))
        legend_below(ax.figure, self._legend(), ncol=7)

    def _legend(self) -> list:
        from matplotlib.lines import Line2D

        return [
            Line2D([], [], label=self.texts.kind(kind.code), **_LEGEND[kind.mark](kind))
            for kind in self.kinds
        ]


class _Recorded:
    """The axes an event is drawn on, keeping what each drawing call made.

    An event is drawn with :meth:`plot` and :meth:`annotate` only; any other
    call fails here rather than leave an artist untagged. Counting the axes'
    artists before and after each event instead read all of them each time:
    the report of a case of 2,000 events took 13.7 s with that, 6.8 s without.
    """

    def __init__(self, ax):
        self._ax = ax
        self._lines: list = []
        self._texts: list = []

    def plot(self, *args, **kwargs) -> list:
        lines = self._ax.plot(*args, **kwargs)
        self._lines.extend(lines)
        return lines

    def annotate(self, *args, **kwargs):
        text = self._ax.annotate(*args, **kwargs)
        self._texts.append(text)
        return text

    def artists(self) -> list:
        """What was drawn, lines before texts, each in the order made."""
        return [*self._lines, *self._texts]


def _marks(
    ax, xs: list, ys: list, *, marker: str, area: float, width: float, zorder, alpha, face="white"
):
    """Markers at the points ``(xs, ys)`` with an ink edge, drawn as one line without its line.

    A line's markers look as :meth:`~matplotlib.axes.Axes.scatter` draws them
    (``area`` in points squared, the marker's width its root), and a line is
    much cheaper to make than scatter's collection.
    """
    ax.plot(
        xs,
        ys,
        ls="none",
        marker=marker,
        markersize=area**0.5,
        markerfacecolor=face,
        markeredgecolor=INK,
        markeredgewidth=width,
        zorder=zorder,
        alpha=alpha,
    )


def _point_legend(kind: EventKind) -> dict:
    glyph, _, size = kind.marker
    face = {"silo": SILO_FACE, "ink": INK, "alarm": INCIDENT_COLOUR}[kind.face]
    return {
        "marker": glyph,
        "color": face,
        "markeredgecolor": INK,
        "markersize": size,
        "lw": 0,
    }


#: The drawing of each mark in the lanes.
_DRAW = {
    Mark.POINT: _Lanes._point,
    Mark.ARROW: _Lanes._arrow,
    Mark.BLOCKED: _Lanes._blocked,
    Mark.LINK: _Lanes._link,
    Mark.GATHERING: _Lanes._gathering,
}

#: The legend entry of each mark (line style of :class:`matplotlib.lines.Line2D`).
_LEGEND = {
    Mark.POINT: _point_legend,
    Mark.ARROW: lambda kind: {"marker": ">", "color": INK, "markersize": 8, "lw": 1.8},
    Mark.BLOCKED: lambda kind: {
        "marker": "x",
        "color": INK,
        "markersize": 8,
        "ls": (0, (4, 3)),
        "lw": 1.6,
        "markeredgewidth": 2,
    },
    Mark.LINK: lambda kind: {
        "marker": "D",
        "color": INK,
        "markerfacecolor": "white",
        "ls": ":",
        "lw": 1.6,
    },
    Mark.GATHERING: lambda kind: {
        "marker": "s",
        "color": INK,
        "markerfacecolor": "white",
        "lw": 0,
    },
}
