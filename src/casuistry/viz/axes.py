"""The time axis and legend that the timeline and the journey chart share."""

from __future__ import annotations

from casuistry.presentation.clock import Clock
from casuistry.presentation.palette import GRID

#: The shortest time axis drawn, in days, so a case of one day still reads as days.
MIN_SPAN_DAYS = 7.0


def time_axis(ax, clock: Clock, last: float, *, room_right: float = 0.03) -> None:
    """Set up the x axis as days since the first event (or dates), from 0 to ``last``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to set up.
    clock : Clock
        How times are written; with calendar dates, ticks show dates.
    last : float
        The latest day to show.
    room_right : float, keyword-only
        Extra room after ``last``, as a share of the span (for labels).
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    span = max(float(last), MIN_SPAN_DAYS)
    ax.set_xlim(-0.03 * span, span * (1 + room_right))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
    if clock.calendar_dates:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda day, _: clock.tick_label_of_day(day)))
    ax.set_xlabel(clock.axis_label(), fontsize=12)
    ax.tick_params(axis="x", labelsize=11)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color=GRID, lw=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def legend_below(figure, handles: list, *, ncol: int) -> None:
    """A legend hung by its top centre, put under the axes by :func:`.layout.lay_out`.

    Its place is computed rather than found by matplotlib's constrained layout
    (see :mod:`casuistry.viz.layout`).
    """
    figure.legend(
        handles=handles,
        loc="upper center",
        borderaxespad=0.0,
        ncol=ncol,
        frameon=False,
        fontsize=10.5,
        handletextpad=0.4,
        columnspacing=1.4,
    )
