"""The signal-journey chart: how long each signal stayed within its own silo.

One bar per signal, on the case's time axis, from its observation to its
convergence (a dot) or, when censored, to the horizon (an open arrowhead).
The bar's length is split in the two parts of CASE_FORMAT.md: the relational
days (solid, no channel existed) and the decision days (hatched, a channel
existed and was not used). The split is a share of the dwell, not an order
in time: the solid part is drawn first. A diamond marks when the signal
reached an actor that decides (CASE_FORMAT section 5.3), for cases that have
one.

Examples
--------
>>> import casuistry
>>> fig = journey_chart(casuistry.load(casuistry.example_path()), lang="en")
>>> len(fig.axes[0].get_yticklabels())
5
"""

from __future__ import annotations

from casuistry.presentation.clock import Clock
from casuistry.presentation.missing import missing
from casuistry.presentation.palette import ACCENT, ANY_SILO, HATCH, HORIZON, INK, silo_colour
from casuistry.presentation.texts import Texts
from casuistry.viz.axes import legend_below, time_axis
from casuistry.viz.layout import lay_out, new_figure
from casuistry.viz.source import one_case
from casuistry.viz.svg import mpl_text
from casuistry.vocabulary import ACTOR, CATEGORY, LABEL

BAR = 0.62
#: Height of the plot per signal, in inches.
PLOT_PER_SIGNAL = 0.55
#: Height of the plot besides its bars (above the first, below the last), in inches.
PLOT_AROUND_BARS = 0.35
#: The face of the mark where a signal reached an actor that decides.
REACH = ACCENT


def journey_chart(source, case_id: str | None = None, *, lang: str = "nl", calendar_dates=False):
    """The journey of every signal of one case as a matplotlib Figure.

    Parameters are those of :func:`casuistry.viz.lanes`.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with a bar per signal, earliest observation on top.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    analysis = one_case(source, case_id)
    texts = Texts(lang)
    book = analysis.casebook
    labels = dict(zip(book.actors[ACTOR], book.actors[LABEL], strict=True))
    case = analysis.cases.iloc[0]
    clock = Clock.of_case(analysis, texts, calendar_dates=calendar_dates)
    horizon = clock.day(case["horizon"])
    signals = analysis.signals.sort_values("observed_at", kind="stable").reset_index(drop=True)

    fig, ax = new_figure()
    # The bars of all signals at once (three calls, not three per signal); they never overlap.
    ys = list(range(len(signals)))
    colours = [silo_colour(silo) for silo in signals["silo"]]
    starts = [clock.day(at) for at in signals["observed_at"]]
    relational = [float(days) for days in signals["relational_days"]]
    decision = [float(days) for days in signals["decision_days"]]
    ax.barh(ys, relational, left=starts, height=BAR, color=colours, edgecolor=INK, lw=1)
    ax.barh(
        ys,
        decision,
        left=[start + days for start, days in zip(starts, relational, strict=True)],
        height=BAR,
        color="white",
        edgecolor=colours,
        hatch="///",
        lw=1.5,
    )
    whole = [r + d for r, d in zip(relational, decision, strict=True)]
    ax.barh(ys, whole, left=starts, height=BAR, fill=False, edgecolor=INK, lw=1)
    names = []
    for y, s in signals.iterrows():
        start = starts[y]
        end = start + float(s["dwell_days"])
        if s["censored"]:
            ax.plot(
                [end],
                [y],
                marker=">",
                markersize=12,
                color="white",
                markeredgecolor=INK,
                markeredgewidth=1.6,
                zorder=5,
            )
        else:
            ax.plot([end], [y], marker="o", markersize=8, color=INK, zorder=5)
        ax.annotate(
            texts.days(s["dwell_days"]) + ("+" if s["censored"] else ""),
            (end, y),
            xytext=(10, 0),
            textcoords="offset points",
            va="center",
            fontsize=11,
        )
        if not missing(s["reached_decision_at"]):
            reached = clock.day(s["reached_decision_at"])
            ax.plot(
                [reached], [y], marker="D", markersize=9, color=REACH, markeredgecolor=INK, zorder=6
            )
        who = labels.get(s[ACTOR], s[ACTOR])
        names.append(mpl_text(f"{s['signal_id']} · {texts.category(s[CATEGORY])} ({who})"))
    ax.set_yticks(range(len(signals)), names, fontsize=11.5)
    ax.invert_yaxis()
    ax.axvline(horizon, color=HORIZON, lw=1.6, ls="--")
    time_axis(ax, clock, horizon, room_right=0.12)
    handles = [
        Patch(facecolor=ANY_SILO, edgecolor=INK, label=texts("journey.relational")),
        Patch(facecolor="white", edgecolor=HATCH, hatch="///", label=texts("journey.decision")),
        Line2D([], [], marker="o", color=INK, lw=0, label=texts("col.converged")),
        Line2D(
            [],
            [],
            marker=">",
            color="white",
            markeredgecolor=INK,
            markersize=11,
            lw=0,
            label=texts("journey.censored"),
        ),
    ]
    if not missing(case["signals_reached"]):
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                color=REACH,
                markeredgecolor=INK,
                lw=0,
                label=texts("col.reached"),
            )
        )
    legend_below(fig, handles, ncol=4)
    lay_out(ax, plot_height=PLOT_AROUND_BARS + PLOT_PER_SIGNAL * max(len(signals), 1))
    return fig
