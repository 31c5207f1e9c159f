"""The handout's pictures: the timeline lanes as the case stood at its key moments.

Printed (and in the PDF), the interactive signal graph gives way to static
pictures (inline SVG from matplotlib, like the lanes) of the case at each
stop of presentation mode (missed opportunities, key practice episodes) and
at the horizon.
"""

from __future__ import annotations

from casuistry.reporting.facts import CaseFacts

#: At most this many moments are drawn before the horizon (the earliest stops).
MOMENTS = 4


def key_moments(f: CaseFacts, show: dict) -> list[tuple[float, str]]:
    """``(day, caption)`` per key moment, in time order, the horizon last.

    The page draws the case as it stood at each day
    (:func:`casuistry.viz.lanes.timeline_svgs`).

    Parameters
    ----------
    f : CaseFacts
        The case.
    show : dict
        The data of presentation mode (:func:`casuistry.reporting.present.presentation`),
        whose stops are the moments.
    """
    t = f.texts
    stops = [s for s in show["steps"] if s["stop"]][:MOMENTS]
    moments = [(s["t"], t("handout.moment", when=s["when"], note=s["note"])) for s in stops]
    end = t("handout.end", when=f.clock.label_of_day(f.horizon_day))
    moments.append((f.horizon_day, end))
    return moments
