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

from collections.abc import Mapping
from itertools import chain

import numpy as np
import pandas as pd

from casuistry.event_lookup import EventRows
from casuistry.ranges import spelled_out
from casuistry.vocabulary import ACTOR, CASE_ID, EVENT_ID, SECONDS_PER_DAY, TO


def case_episodes(
    episodes: pd.DataFrame,
    case_ids: pd.Index,
    starts: np.ndarray,
    events: pd.DataFrame,
    in_horizon: np.ndarray,
    columns: Mapping[str, Mapping[str, np.ndarray]],
    *,
    lookup: EventRows | None = None,
) -> dict[str, np.ndarray]:
    """The figures of every episode, as the columns of the episodes table.

    Parameters
    ----------
    episodes : pandas.DataFrame
        The reviewer's episodes (``case_id``, ``episode_id``, ``events``,
        ``assessment``, ``title`` when there); those of cases the corpus does
        not hold are left out.
    case_ids : pandas.Index
        The case_ids by case number; ``starts`` per case its first row (and
        the number of events last).
    events : pandas.DataFrame
        The corpus' events; ``in_horizon`` per event whether it takes part.
    columns : mapping
        The row tables' columns in case order (layouts of :mod:`casuistry.metrics`).
    lookup : EventRows, keyword-only
        The events by case number and event_id, when the caller has them (the
        compiled kernel's input does); made here otherwise.

    Returns
    -------
    dict of numpy.ndarray
        One row per episode, in case order, each case's episodes in the order
        given: ``case`` (number), ``episode_id``, ``assessment``, ``title``,
        ``events`` (tuples), ``first`` and ``last`` (rows of its first and
        last event, -1 when it names none of the case's events),
        ``known_signals``, ``signals_elsewhere`` and ``missed`` (tuples of
        event_ids, None when none of its events takes part) and
        ``gain_signal_days`` (NaN then).
    """
    numbers = pd.Index(case_ids.astype(str)).get_indexer(episodes[CASE_ID].astype(str))
    keep = np.flatnonzero(numbers >= 0)
    keep = keep[np.argsort(numbers[keep], kind="stable")]
    case = numbers[keep].astype(np.int64)
    n = len(case)
    named = [tuple(ids) for ids in episodes["events"].to_numpy(dtype=object)[keep]]
    titles = episodes["title"] if "title" in episodes else pd.Series([None] * len(episodes))
    out = {
        "case": case,
        "episode_id": _objects(episodes["episode_id"].to_numpy(dtype=object)[keep]),
        "assessment": _objects(episodes["assessment"].to_numpy(dtype=object)[keep]),
        "title": _objects(titles.to_numpy(dtype=object)[keep]),
        "events": _objects(named),
    }
    if lookup is None:
        cases = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
        lookup = EventRows(cases, events[EVENT_ID])
    # The rows each episode names, each once, in processing order.
    owner = np.repeat(np.arange(n), np.fromiter(map(len, named), dtype=np.int64, count=n))
    row = lookup.rows(case[owner], lookup.numbers(list(chain.from_iterable(named))))
    keys = _distinct(owner[row >= 0] * len(events) + row[row >= 0])
    pair_ep, pair_row = keys // len(events), keys % len(events)
    bounds = np.searchsorted(pair_ep, np.arange(n + 1))
    has_rows = bounds[1:] > bounds[:-1]
    padded = np.append(pair_row, -1)  # what an episode without rows reads
    out["first"] = np.where(has_rows, padded[bounds[:-1]], -1)
    out["last"] = np.where(has_rows, padded[bounds[1:] - 1], -1)
    taking = in_horizon[pair_row]
    last = np.full(n, -1, dtype=np.int64)  # the last row that takes part
    np.maximum.at(last, pair_ep[taking], pair_row[taking])

    known = _known(events, columns["knowledge"], case, pair_ep, pair_row, last)
    (ep, rows), is_known = _observed(columns["signals"], case, last, known, len(events))
    missed_ep, missed_row, missed_gain = _missed(
        columns["opportunities"], pair_ep, pair_row, taking
    )
    takes_part = last >= 0
    out["known_signals"] = _grouped(lookup, ep[is_known], rows[is_known], takes_part)
    out["signals_elsewhere"] = _grouped(lookup, ep[~is_known], rows[~is_known], takes_part)
    out["missed"] = _grouped(lookup, missed_ep, missed_row, takes_part)
    gains = np.bincount(missed_ep, weights=missed_gain, minlength=n) / SECONDS_PER_DAY
    out["gain_signal_days"] = np.where(takes_part, gains, np.nan)
    return out


def _objects(values) -> np.ndarray:
    """``values`` as a one-dimensional object array (tuples stay items)."""
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def _grouped(lookup: EventRows, ep: np.ndarray, rows: np.ndarray, present: np.ndarray):
    """Per episode the tuple of the event_ids of its ``rows`` (``ep`` sorted), None
    where not ``present``."""
    ids = lookup.ids(rows).tolist()
    kept = np.flatnonzero(present)
    starts, ends = (np.searchsorted(ep, kept, side=side).tolist() for side in ("left", "right"))
    out = np.full(len(present), None, dtype=object)
    out[kept] = _objects([tuple(ids[a:b]) for a, b in zip(starts, ends, strict=True)])
    return out


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
    # The knowledge rows' actors by their few distinct names (not a million strings).
    actor, names = pd.factorize(knowledge["actor"])
    know_code = np.append(pd.Index(space).get_indexer(np.asarray(names, dtype=object)), -1)[actor]
    width = len(space) + 1
    know_key = np.asarray(knowledge["case"], dtype=np.int64) * width + know_code
    order = np.argsort(know_key, kind="stable")
    ordered = know_key[order]
    sought = _distinct(party_ep * width + party_code)
    ep = sought // width
    sought = case[ep] * width + sought % width
    lo, hi = np.searchsorted(ordered, sought), np.searchsorted(ordered, sought, side="right")
    which, at = spelled_out(lo, hi - lo)
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
    ep, at = spelled_out(lo, hi - lo)
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


def _missed(opportunities, pair_ep, pair_row, taking):
    """The missed opportunities among the rows of each episode that take part, in
    row order: their episode, row and gain in seconds."""
    missed = np.asarray(opportunities["missed"], dtype=bool)
    rows = np.asarray(opportunities["row"])[missed]
    seconds = np.rint(np.asarray(opportunities["gain_signal_days"])[missed] * SECONDS_PER_DAY)
    at, hit = _found(rows, pair_row)
    hit &= taking
    return pair_ep[hit], pair_row[hit], seconds[at[hit]]
