"""Key practice episodes beside the figures (docs/case_format.md section 5.4).

An episode is a set of events the review singles out. Its figures are read
from the rows of its case's analysis (who knew which signal from which
event, the signals observed, the gains of each missed opportunity), never
from a replay: they are taken right after its last event that takes part
(processing order, events up to the horizon). Both engines give the same
rows, so the figures do not depend on which ran the case.

Examples
--------
>>> case = CaseRows(
...     first_row=0, event_ids=["e1", "e2", "e3"], actors=["school", "gp", "gp"],
...     to=[(), (), ("vt",)], taking_part=[True, True, True], signals=[0, 1],
...     knowledge=[("school", 0, 0), ("gp", 1, 1), ("vt", 1, 2)], gains={})
>>> row = episode_figures(("e3",), case)
>>> row.known_signals, row.signals_elsewhere, row.missed
(('e2',), ('e1',), ())
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

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


class CaseRows(NamedTuple):
    """What an episode reads of its case.

    ``first_row`` is the corpus row of the case's first event; ``event_ids``,
    ``actors``, ``to`` and ``taking_part`` (up to the horizon) are per event
    of the case in processing order. The other positions are corpus rows:
    ``signals`` the case's signals in order of observation; ``knowledge``
    who knows which signal from which event, as ``(actor, signal row, row)``;
    ``gains`` per missed opportunity's row its gain in seconds.
    """

    first_row: int
    event_ids: Sequence[str]
    actors: Sequence[str]
    to: Sequence[tuple[str, ...]]
    taking_part: Sequence[bool]
    signals: Sequence[int]
    knowledge: Sequence[tuple[str, int, int]]
    gains: Mapping[int, int]


def episode_figures(events: Sequence[str], case: CaseRows) -> EpisodeFigures:
    """Figures of the episode made of the events ``events`` (event_ids) of a case."""
    wanted = set(events)
    positions = [j for j, event_id in enumerate(case.event_ids) if event_id in wanted]
    if not positions:
        return EpisodeFigures(None, None, None, None, None, float("nan"))
    taking_part = [j for j in positions if case.taking_part[j]]
    if not taking_part:
        return EpisodeFigures(positions[0], positions[-1], None, None, None, float("nan"))
    lo = case.first_row
    last = lo + taking_part[-1]
    parties = set()
    for j in positions:
        parties.add(case.actors[j])
        parties.update(case.to[j])
    known = {s for actor, s, at in case.knowledge if at <= last and actor in parties}
    observed = [s for s in case.signals if s <= last]
    missed = [lo + j for j in taking_part if lo + j in case.gains]
    ids = case.event_ids
    return EpisodeFigures(
        positions[0],
        positions[-1],
        tuple(ids[s - lo] for s in observed if s in known),
        tuple(ids[s - lo] for s in observed if s not in known),
        tuple(ids[j - lo] for j in missed),
        sum(case.gains[j] for j in missed) / SECONDS_PER_DAY,
    )


def case_episodes(
    episodes_by_case: Mapping[str, list[tuple]],
    case_ids: pd.Index,
    starts: np.ndarray,
    events: pd.DataFrame,
    in_horizon: np.ndarray,
    columns: Mapping[str, Mapping[str, np.ndarray]],
) -> list[tuple]:
    """The figures of every episode, as ``(case, first row, episode, EpisodeFigures)``.

    Parameters
    ----------
    episodes_by_case : mapping
        Per case_id its episodes as ``(episode_id, events, assessment, title)``.
    case_ids : pandas.Index
        The case_ids by case number; ``starts`` per case its first row (and
        the number of events last).
    events : pandas.DataFrame
        The corpus' events; ``in_horizon`` per event whether it takes part.
    columns : mapping
        The row tables' columns in case order (layouts of :mod:`casuistry.metrics`).
    """
    if not episodes_by_case:
        return []
    numbers = pd.Index(case_ids.astype(str)).get_indexer(list(episodes_by_case))
    wanted = sorted(
        (case, episodes)
        for case, episodes in zip(numbers.tolist(), episodes_by_case.values(), strict=True)
        if case >= 0
    )
    sig, opp, know = columns["signals"], columns["opportunities"], columns["knowledge"]
    missed = np.asarray(opp["missed"], dtype=bool)
    gains = {  # the missed opportunities: case, row, gain in seconds
        "case": opp["case"][missed],
        "row": opp["row"][missed],
        "seconds": np.rint(np.asarray(opp["gain_signal_days"])[missed] * SECONDS_PER_DAY),
    }
    found = []
    for block in range(0, len(wanted), _BLOCK):
        found += _block_episodes(
            wanted[block : block + _BLOCK], starts, events, in_horizon, sig, know, gains
        )
    return found


#: Cases whose episodes are read at a time: their rows as Python lists, no more.
_BLOCK = 2048


def _block_episodes(wanted, starts, events, in_horizon, sig, know, gains) -> list:
    """The episodes of a block of cases (sorted by case number), from lists of its rows."""
    cases = np.array([case for case, _ in wanted], dtype=np.int64)
    span = [cases[0], cases[-1] + 1]
    top, end = int(starts[span[0]]), int(starts[span[1]])

    def rows_of(table: dict, *fields: str) -> tuple[list, list]:
        """Per case of the block its rows of ``table`` (as tuples of ``fields``)."""
        lo, hi = np.searchsorted(table["case"], span)
        columns = [table[f][lo:hi].tolist() for f in fields]
        rows = columns[0] if len(fields) == 1 else list(zip(*columns, strict=True))
        return np.searchsorted(table["case"][lo:hi], [cases, cases + 1]).T.tolist(), rows

    signals = rows_of(sig, "signal_row")
    knowledge = rows_of(know, "actor", "signal_row", "via_row")
    gained = rows_of(gains, "row", "seconds")
    event_ids, actors, to = (events[name].iloc[top:end].tolist() for name in (EVENT_ID, ACTOR, TO))
    taking_part = in_horizon[top:end].tolist()
    found = []
    for k, (case, episodes) in enumerate(wanted):
        lo, hi = int(starts[case]) - top, int(starts[case + 1]) - top
        (s0, s1), (k0, k1), (g0, g1) = (bounds[k] for bounds, _ in (signals, knowledge, gained))
        rows = CaseRows(
            first_row=lo + top,
            event_ids=event_ids[lo:hi],
            actors=actors[lo:hi],
            to=to[lo:hi],
            taking_part=taking_part[lo:hi],
            signals=signals[1][s0:s1],
            knowledge=knowledge[1][k0:k1],
            gains={row: int(seconds) for row, seconds in gained[1][g0:g1]},
        )
        found += [
            (case, lo + top, episode, episode_figures(episode[1], rows)) for episode in episodes
        ]
    return found
