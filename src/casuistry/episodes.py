"""Key practice episodes beside the figures (docs/case_format.md section 5.4).

An episode is a set of events the review singles out. Its figures are read
from the engine's run of its case (who knew which signal from which
position, and the gains of each opportunity), never from a replay: they are
taken right after its last event that takes part (processing order, events
up to the horizon).

Examples
--------
>>> from casuistry.engine import propagate
>>> run = propagate([0, 86400, 2 * 86400], ["signal", "signal", "share"],
...                 ["school", "gp", "gp"], [(), (), ("vt",)], [(), (), ()],
...                 ["e1", "e2", "e3"], {"school": "onderwijs", "gp": "zorg", "vt": "vt"})
>>> columns = {"actor": ["school", "gp", "gp"], "to": [(), (), ("vt",)],
...            "event_id": ["e1", "e2", "e3"]}
>>> row = episode_figures(run, ("e3",), columns)
>>> row.known_signals, row.signals_elsewhere, row.missed
(('e2',), ('e1',), ())
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from casuistry.engine import CaseRun
from casuistry.vocabulary import ACTOR, EVENT_ID, SECONDS_PER_DAY, TO


class EpisodeFigures(NamedTuple):
    """The figures of one episode; positions in the case's events.

    ``first`` and ``last`` are the positions of its first and last event
    (None when it names none of the case's events); the other fields are
    None (``gain_signal_days`` NaN) when none of its events takes part.
    """

    first: int | None
    last: int | None
    known_signals: tuple[str, ...] | None
    signals_elsewhere: tuple[str, ...] | None
    missed: tuple[str, ...] | None
    gain_signal_days: float


def episode_figures(
    run: CaseRun, events: Sequence[str], columns: Mapping[str, Sequence]
) -> EpisodeFigures:
    """Figures of the episode made of the events ``events`` (event_ids) of a case.

    Parameters
    ----------
    run : CaseRun
        The engine's run of the case.
    events : sequence of str
        The episode's event_ids.
    columns : mapping
        The case's ``actor``, ``to`` and ``event_id`` lists (more may be
        there), in processing order, as given to the engine.
    """
    actors, to, event_ids = columns[ACTOR], columns[TO], columns[EVENT_ID]
    wanted = set(events)
    positions = [j for j, event_id in enumerate(event_ids) if event_id in wanted]
    if not positions:
        return EpisodeFigures(None, None, None, None, None, float("nan"))
    taking_part = [j for j in positions if j < run.n_in]
    if not taking_part:
        return EpisodeFigures(positions[0], positions[-1], None, None, None, float("nan"))
    last = taking_part[-1]
    parties = set()
    for j in positions:
        parties.add(actors[j])
        parties.update(to[j])
    numbers = {a for a, name in enumerate(run.actors) if name in parties}
    known = {s for a, s, at in run.knowledge if at <= last and a in numbers}
    sig_pos = run.signal_positions
    observed = [s for s, at in enumerate(sig_pos) if at <= last]
    gains_at = dict(run.opportunities)
    missed = [j for j in taking_part if gains_at.get(j)]
    gain = sum(sum(gains_at[j].values()) for j in missed) / SECONDS_PER_DAY
    return EpisodeFigures(
        positions[0],
        positions[-1],
        tuple(event_ids[sig_pos[s]] for s in observed if s in known),
        tuple(event_ids[sig_pos[s]] for s in observed if s not in known),
        tuple(event_ids[j] for j in missed),
        gain,
    )
