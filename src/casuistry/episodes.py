"""Key practice episodes beside the figures (docs/case_format.md section 5.4).

An episode is a set of events the review singles out. Its figures are read
from the rows of its case's analysis (who knew which signal from which
event, the signals observed, the gains of each missed opportunity), never
from a replay: they are taken right after its last event that takes part
(processing order, events up to the horizon). Both engines give the same
rows, so the figures do not depend on which ran the case.

:func:`case_episodes` finds them for every episode of a corpus at once, with
numpy: the rows each episode names, its parties (the actors and recipients
of those rows), what the parties knew by its last event that takes part
(the knowledge rows of the case), the signals observed by then, and its
missed opportunities.

Examples
--------
>>> import casuistry
>>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
>>> row = result.episodes.iloc[0]
>>> row["events"], row["known_signals"], row["signals_elsewhere"], row["missed"]
(('e04',), ('e02',), ('e01', 'e03'), ('e04',))
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import chain
from typing import NamedTuple

import numpy as np
import pandas as pd

from casuistry.event_lookup import EventRows
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

    Returns
    -------
    list of tuple
        In case order, each case's episodes in the order given.
    """
    numbers = pd.Index(case_ids.astype(str)).get_indexer(list(episodes_by_case))
    wanted = sorted(
        (case, episodes)
        for case, episodes in zip(numbers.tolist(), episodes_by_case.values(), strict=True)
        if case >= 0
    )
    listed = [(case, episode) for case, episodes in wanted for episode in episodes]
    if not listed:
        return []
    case = np.array([c for c, _ in listed], dtype=np.int64)
    n = len(listed)
    event_ids = events[EVENT_ID]
    # The rows each episode names, each once, in processing order.
    named = [episode[1] for _, episode in listed]
    owner = np.repeat(np.arange(n), np.fromiter(map(len, named), dtype=np.int64, count=n))
    row = _rows_named(event_ids, starts, case[owner], list(chain.from_iterable(named)))
    keys = _distinct(owner[row >= 0] * len(events) + row[row >= 0])
    pair_ep, pair_row = keys // len(events), keys % len(events)
    bounds = np.searchsorted(pair_ep, np.arange(n + 1))
    has_rows = bounds[1:] > bounds[:-1]
    padded = np.append(pair_row, -1)  # what an episode without rows reads
    first = np.where(has_rows, padded[bounds[:-1]], -1)
    last_named = np.where(has_rows, padded[bounds[1:] - 1], -1)
    taking = in_horizon[pair_row]
    last = np.full(n, -1, dtype=np.int64)  # the last row that takes part
    np.maximum.at(last, pair_ep[taking], pair_row[taking])

    known = _known(events, columns["knowledge"], case, pair_ep, pair_row, last)
    observed, is_known = _observed(columns["signals"], case, last, known, len(events))
    missed_ep, missed_row, missed_gain = _missed(
        columns["opportunities"], pair_ep, pair_row, taking
    )
    gains = np.bincount(missed_ep, weights=missed_gain, minlength=n) / SECONDS_PER_DAY

    ep, rows = observed
    of_known = _grouped(event_ids, ep[is_known], rows[is_known], n)
    of_others = _grouped(event_ids, ep[~is_known], rows[~is_known], n)
    of_missed = _grouped(event_ids, missed_ep, missed_row, n)
    first, last_named, last = first.tolist(), last_named.tolist(), last.tolist()
    gains, starts = gains.tolist(), starts.tolist()
    found = []
    for k, (case_number, episode) in enumerate(listed):
        lo = starts[case_number]
        if first[k] < 0:
            figures = EpisodeFigures(None, None, None, None, None, math.nan)
        elif last[k] < 0:
            figures = EpisodeFigures(first[k] - lo, last_named[k] - lo, None, None, None, math.nan)
        else:
            figures = EpisodeFigures(
                first[k] - lo,
                last_named[k] - lo,
                of_known(k),
                of_others(k),
                of_missed(k),
                gains[k],
            )
        found.append((case_number, lo, episode, figures))
    return found


def _grouped(event_ids: pd.Series, ep: np.ndarray, rows: np.ndarray, n: int):
    """Per episode (``ep``, sorted) the event_ids of its ``rows``, as a function of the episode."""
    ids = event_ids.take(rows).tolist()
    bounds = np.searchsorted(ep, np.arange(n + 1)).tolist()
    return lambda k: tuple(ids[bounds[k] : bounds[k + 1]])


def _rows_named(
    event_ids: pd.Series, starts: np.ndarray, case: np.ndarray, ids: list
) -> np.ndarray:
    """The row of the event of each ``(case, id)`` (-1 when the case has none)."""
    lookup = EventRows(np.repeat(np.arange(len(starts) - 1), np.diff(starts)), event_ids)
    return lookup.rows(case, lookup.numbers(ids))


def _known(events, knowledge, case, pair_ep, pair_row, last) -> np.ndarray:
    """Keys ``episode * n_events + signal row`` of the signals an episode's parties
    (actors and recipients of its rows) knew by its last row that takes part."""
    n_events = len(events)
    actors = events[ACTOR].take(pair_row).to_numpy(dtype=object)
    to = events[TO].to_numpy(dtype=object)[pair_row]
    to_count = np.fromiter(map(len, to), dtype=np.int64, count=len(to))
    party_ep = np.concatenate([pair_ep, np.repeat(pair_ep, to_count)])
    party = np.concatenate([actors, np.array(list(chain.from_iterable(to)), dtype=object)])
    party_code, space = pd.factorize(party)
    know_code = pd.Index(space).get_indexer(np.asarray(knowledge["actor"], dtype=object))
    width = len(space) + 1
    know_key = np.asarray(knowledge["case"], dtype=np.int64) * width + know_code
    order = np.argsort(know_key, kind="stable")
    ordered = know_key[order]
    sought = _distinct(party_ep * width + party_code)
    ep = sought // width
    sought = case[ep] * width + sought % width
    lo, hi = np.searchsorted(ordered, sought), np.searchsorted(ordered, sought, side="right")
    which, at = _expand(lo, hi - lo)
    at, ep = order[at], ep[which]
    by_then = np.asarray(knowledge["via_row"])[at] <= last[ep]
    return _distinct(ep[by_then] * n_events + np.asarray(knowledge["signal_row"])[at][by_then])


def _observed(signals, case, last, known, n_events) -> tuple[tuple, np.ndarray]:
    """Per episode its case's signals observed by its last row that takes part, as
    ``(episode, signal row)`` in order of observation, and whether its parties knew each
    (``known``: sorted keys ``episode * n_events + signal row``).

    The signal rows rise through the table (cases in row order, each case's
    signals in order of observation), so one search finds where each range ends.
    """
    sig_case, sig_row = np.asarray(signals["case"]), np.asarray(signals["signal_row"])
    lo = np.searchsorted(sig_case, case)
    hi = np.clip(np.searchsorted(sig_row, last, side="right"), lo, None)
    hi = np.where(last >= 0, np.minimum(hi, np.searchsorted(sig_case, case, side="right")), lo)
    ep, at = _expand(lo, hi - lo)
    rows = sig_row[at]
    return (ep, rows), _found(known, ep * n_events + rows)[1]


def _found(ordered: np.ndarray, sought: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``sought`` stands in ``ordered`` (sorted), and whether it is there."""
    if not len(ordered):
        return np.zeros(len(sought), dtype=np.int64), np.zeros(len(sought), dtype=bool)
    at = np.minimum(np.searchsorted(ordered, sought), len(ordered) - 1)
    return at, ordered[at] == sought


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (as :func:`numpy.unique`, by sorting)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def _expand(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each range ``[start, start + length)`` spelled out: its number and its positions."""
    at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    return np.repeat(np.arange(len(starts)), lengths), at


def _missed(opportunities, pair_ep, pair_row, taking):
    """The missed opportunities among the rows of each episode that take part, in
    row order: their episode, row and gain in seconds."""
    missed = np.asarray(opportunities["missed"], dtype=bool)
    rows = np.asarray(opportunities["row"])[missed]
    seconds = np.rint(np.asarray(opportunities["gain_signal_days"])[missed] * SECONDS_PER_DAY)
    at, hit = _found(rows, pair_row)
    hit &= taking
    return pair_ep[hit], pair_row[hit], seconds[at[hit]]
