"""The handout's pictures: the timeline lanes as the case stood at its key moments.

Printed (and in the PDF), the interactive signal graph gives way to static
pictures (inline SVG from matplotlib, like the lanes) of the case at each
stop of presentation mode (missed opportunities, key practice episodes) and
at the horizon.
"""

from __future__ import annotations

from casuistry.presentation.html import trusted
from casuistry.reporting.facts import CaseFacts

#: At most this many moments are drawn before the horizon (the earliest stops).
MOMENTS = 4


def key_moments(f: CaseFacts, show: dict) -> list[dict]:
    """``{"svg", "caption"}`` per key moment, in time order, the horizon last.

    Parameters
    ----------
    f : CaseFacts
        The case.
    show : dict
        The data of presentation mode (:func:`casuistry.reporting.present.presentation`),
        whose stops are the moments.
    """
    from casuistry.viz.lanes import timeline
    from casuistry.viz.svg import figure_svg

    t = f.texts
    stops = [s for s in show["steps"] if s["stop"]][:MOMENTS]
    moments = [(s["t"], t("handout.moment", when=s["when"], note=s["note"])) for s in stops]
    end = t("handout.end", when=f.clock.label_of_day(f.horizon_day))
    moments.append((f.horizon_day, end))
    options = {"lang": t.lang, "calendar_dates": f.clock.calendar_dates}
    return [
        {
            "svg": trusted(
                figure_svg(timeline(f.analysis, until=day, **options), prefix=f"moment{n}")
            ),
            "caption": caption,
        }
        for n, (day, caption) in enumerate(moments)
    ]
