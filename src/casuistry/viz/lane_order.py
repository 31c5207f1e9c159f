"""The order of the lanes: one per organisation, grouped by silo, as the lanes section shows them.

Shared by the timeline lanes, the time view of the signal graph and the
who-knows-what matrix of presentation mode, so all three list organisations
in the same order.
"""

from __future__ import annotations


def lane_heights(events, silo_of: dict, *, gap: float = 0.4) -> dict[str, float]:
    """Height of each actor's lane, top (0) down, as the lanes section orders them.

    Actors in order of first appearance (as actor, then as recipient),
    grouped by silo in order of the silo's first appearance; one unit per
    lane and ``gap`` more between silos.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"actor": ["a", "b"], "to": [("c",), ()]})
    >>> lane_heights(events, {"a": "x", "b": "y", "c": "x"})
    {'a': 0.0, 'c': -1.0, 'b': -2.4}
    """
    seen = list(dict.fromkeys([a for ev in events.itertuples() for a in (ev.actor, *ev.to)]))
    silos = list(dict.fromkeys(silo_of[a] for a in seen))
    lanes, y = {}, 0.0
    for silo in silos:
        for actor in (a for a in seen if silo_of[a] == silo):
            lanes[actor] = y
            y -= 1.0
        y -= gap
    return lanes
