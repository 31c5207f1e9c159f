"""Shares that list a signal their sender did not know yet: a warning, not an error.

The case format lets a share list any signal of its case observed before it;
when the sender had not come to know that signal by then, the engine takes the
sender to have known it from the share on, and validation says so. Finding
those shares needs what each actor knew when, as the engine's actual run
(:func:`casuistry.engine.propagate`) has it, but only for the signals such a
share lists, and only up to the last such share of its case.

How it works
------------
Whether an actor knows one signal depends on that signal alone: an event
passes it on when it lists it, or, when it lists nothing (a share: what the
sender knows; a meeting: what the parties know) or pools, when a party knows
it. So each case tracks only the signals its candidate shares list, one bit
each in a 64-bit word per actor, and all cases are run side by side, one
event of each per step, with numpy: the k-th step processes the k-th event of
every case that has one. Only events that can move one of those bits take a
step. Cases with more than 64 such signals, and the few longest ones, run
through the engine's actual run instead.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from casuistry.casebook import Casebook
from casuistry.engine import LISTED_NOTHING, UnknownSignalReference
from casuistry.event_rows import ParsedEvents, pair_keys
from casuistry.hints import shown
from casuistry.kinds import Knowledge
from casuistry.problems import Problems
from casuistry.vocabulary import ACTOR, EVENT_ID, KIND, ROW, SIGNALS, TICKS, TO

#: Bits in a word: a case whose candidate shares list more signals runs in the engine.
_WORD = 64
#: At most this many cases longer than :data:`_STEPS` events run in the engine instead.
_FEW = 64
_STEPS = 256

# What an event does to the tracked bits: nothing; the word it lists (a signal: its own
# bit); all the sender knows; the word it lists and all the parties know.
_NONE, _LISTED, _SENDER, _PARTIES = 0, 1, 2, 3


class _Book:
    """The parsed events in the Casebook's order (by case, time and row)."""

    def __init__(self, book: Casebook, parsed: ParsedEvents, order: np.ndarray | None):
        def ordered(values: np.ndarray) -> np.ndarray:
            return values if order is None else values[order]

        self.book, self.parsed, self.kinds = book, parsed, book.kinds
        self.case = ordered(parsed.case)
        self.event = ordered(parsed.event)
        self.actor = ordered(parsed.actor)
        self.kind = ordered(parsed.kind)
        self.listed = ordered(parsed.signals.codes)
        self.to = ordered(parsed.to.codes)
        self.ticks = ordered(parsed.ticks)
        knowledge = self.kinds.knowledge_of
        op_of_kind = np.asarray([int(knowledge[code]) for code in self.kinds.codes], np.int8)
        self.op = op_of_kind[self.kind]
        self.n = len(self.case)
        self.n_ids = len(parsed.event_ids)
        self.case_start = np.searchsorted(self.case, np.arange(parsed.n_cases + 1))
        self.signals = np.flatnonzero(self.op == Knowledge.OBSERVE)
        keys = pair_keys(self.case[self.signals], self.event[self.signals], self.n_ids)
        self.observed = pd.Index(keys)

    def items(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (row, listed item) pair of ``rows``: the row, the item's position in
        ``parsed.signals.items``, and the signal event it names (-1: no signal event)."""
        owner, item = self.parsed.signals.explode(rows, self.listed)
        keys = pair_keys(self.case[owner], self.parsed.item_events[item], self.n_ids)
        found = self.observed.get_indexer(keys)
        return owner, item, np.where(found >= 0, self.signals[found], -1)


def shares_beyond_knowledge(
    book: Casebook,
    parsed: ParsedEvents,
    order: np.ndarray | None,
    file: str,
    problems: Problems,
) -> None:
    """Warn where a share lists a signal its sender did not know at that time.

    Only shares that list a signal observed by someone else than the sender
    can do that; for the cases holding one, knowledge is followed up to the
    last such share, to see what the sender knew just before it (the engine
    then takes the sender to have known it, as the case format says).

    Parameters
    ----------
    book : Casebook
        The valid tables.
    parsed : ParsedEvents
        The events table parsed, in input order.
    order : numpy.ndarray or None
        The input row of each row of ``book.events``; None when they are the same.
    file, problems
        Where the warnings go.

    Raises
    ------
    UnknownSignalReference
        As the engine would: an event up to the horizon, before the last such
        share of its case, lists an id that is no signal of the case (only a
        kind that lists no signals can keep such a cell).
    """
    ev = _Book(book, parsed, order)
    shares = np.flatnonzero(ev.op == Knowledge.SHARE)
    share_of, _, signal_of = ev.items(shares)
    # a listed id without a signal event picks the last signal, as the check always did
    signal_of = np.where(signal_of >= 0, signal_of, ev.signals[-1] if len(ev.signals) else -1)
    candidates = np.unique(share_of[ev.actor[signal_of] != ev.actor[share_of]])
    if not len(candidates):
        return
    inside = _up_to_horizon(ev)
    last = np.full(len(ev.case_start), -1)
    np.maximum.at(last, ev.case[candidates], candidates)
    run = inside & (np.arange(ev.n) <= last[ev.case])  # what the engine ran
    carries = _carries(ev, run)
    queries = candidates[inside[candidates]]
    if not len(queries):
        return
    q_share, q_item, q_signal = ev.items(queries)
    known = np.zeros(len(q_share), dtype=bool)
    in_engine = _side_by_side(ev, run, carries, queries, q_share, q_signal, known)
    if len(in_engine):
        _in_engine(ev, in_engine, queries, q_share, q_item, known)
    _warn(ev, q_share, q_item, known, file, problems)


def _up_to_horizon(ev: _Book) -> np.ndarray:
    """Per row whether it takes part: its time is not after its case's first incident."""
    setting = [ev.kinds.codes.index(code) for code in ev.kinds.setting_horizon]
    incidents = np.flatnonzero(np.isin(ev.kind, setting))
    first = np.full(len(ev.case_start) - 1, ev.n)
    np.minimum.at(first, ev.case[incidents], incidents)
    horizon = np.full(len(first), np.iinfo(np.int64).max)
    has = first < ev.n
    horizon[has] = ev.ticks[first[has]]
    return ev.ticks <= horizon[ev.case]


def _carries(ev: _Book, run: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What each row the engine runs does to knowledge, and which signals it lists.

    Returns
    -------
    what : numpy.ndarray
        Per row :data:`_NONE`, :data:`_LISTED`, :data:`_SENDER` or :data:`_PARTIES`
        (meaningful where ``run``).
    row, signal : numpy.ndarray
        Each (row, signal event) pair of a listed item that names a signal.
    """
    op = ev.op
    sizes = ev.parsed.signals.sizes()[ev.listed]
    owner, item, target = ev.items(np.flatnonzero(run & (op != Knowledge.OBSERVE) & (sizes > 0)))
    resolved = target >= 0
    resolved[resolved] = run[target[resolved]]
    if not resolved.all():
        items = ev.parsed.signals.items
        for pair in np.flatnonzero(~resolved):  # only a kind that lists no signals gets here
            if items[item[pair]] != LISTED_NOTHING:
                event_id = ev.parsed.event_ids[ev.event[owner[pair]]]
                raise UnknownSignalReference(
                    f"event {event_id!r} lists {items[item[pair]]!r}, which is no signal "
                    "event of its case up to the horizon"
                )
    names_some = np.zeros(ev.n, dtype=bool)
    names_some[owner[resolved]] = True
    share, meet = op == Knowledge.SHARE, op == Knowledge.MEET
    what = np.full(ev.n, _NONE, dtype=np.int8)
    what[(op == Knowledge.OBSERVE) | ((share | meet) & names_some)] = _LISTED
    what[share & (sizes == 0)] = _SENDER
    what[(meet & (sizes == 0)) | (op == Knowledge.POOL)] = _PARTIES
    return what, owner[resolved], target[resolved]


def _side_by_side(ev, run, carries, queries, q_share, q_signal, known) -> np.ndarray:
    """Fill ``known`` for the cases run side by side; the cases left for the engine."""
    what, carry_row, carry_signal = carries
    n_cases = len(ev.case_start) - 1
    asked = np.unique(q_signal[q_signal >= 0])  # in row order, so grouped by case
    asked_case = ev.case[asked]
    bit = np.full(ev.n, -1, dtype=np.int64)
    bit[asked] = np.arange(len(asked)) - np.searchsorted(asked_case, asked_case)
    n_bits = np.bincount(asked_case, minlength=n_cases)
    last = np.full(n_cases, -1)
    np.maximum.at(last, ev.case[queries], queries)

    word = np.zeros(ev.n, dtype=np.uint64)
    own = (ev.op == Knowledge.OBSERVE) & (bit >= 0)
    word[own] = np.left_shift(np.uint64(1), bit[own].astype(np.uint64))
    carried = (bit[carry_signal] >= 0) & (what[carry_row] != _NONE)
    np.bitwise_or.at(
        word,
        carry_row[carried],
        np.left_shift(np.uint64(1), bit[carry_signal[carried]].astype(np.uint64)),
    )
    is_query = np.zeros(ev.n, dtype=bool)
    is_query[queries] = True
    moves = ((what == _LISTED) & (word != 0)) | (what >= _SENDER) | is_query
    rows = np.flatnonzero(run & moves & (np.arange(ev.n) <= last[ev.case]))

    length = np.bincount(ev.case[rows], minlength=n_cases)
    cases = np.unique(ev.case[queries])
    wide = cases[n_bits[cases] > _WORD]
    narrow = cases[n_bits[cases] <= _WORD]
    longest = np.sort(length[narrow])[::-1]
    limit = max(_STEPS, int(longest[_FEW]) if len(longest) > _FEW else 0)
    in_engine = np.union1d(wide, narrow[length[narrow] > limit])
    rows = rows[~np.isin(ev.case[rows], in_engine)]
    if len(rows):
        before = _run_side_by_side(ev, rows, what, word, length)
        at = np.full(ev.n, -1)
        at[rows] = np.arange(len(rows))
        pairs = np.flatnonzero((at[q_share] >= 0) & (q_signal >= 0))
        shift = bit[q_signal[pairs]].astype(np.uint64)
        known[pairs] = ((before[at[q_share[pairs]]] >> shift) & np.uint64(1)) == 1
    return in_engine


def _run_side_by_side(ev, rows, what, word, length) -> np.ndarray:
    """What the actor of each of ``rows`` knew before it, as a word over its case's bits.

    ``rows`` holds whole cases in row order; the k-th step processes the k-th
    row of every case that has one, longest cases first.
    """
    case = ev.case[rows]
    starts = np.r_[0, np.flatnonzero(np.diff(case)) + 1]
    lanes = case[starts]
    rank = np.empty(len(ev.case_start), dtype=np.int64)
    rank[lanes[np.argsort(-length[lanes], kind="stable")]] = np.arange(len(lanes))
    step = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    lane = rank[case]
    order = np.lexsort((lane, step))
    rows, lane, step = rows[order], lane[order], step[order]
    bounds = np.r_[0, np.cumsum(np.bincount(step))]

    # every (lane, actor) is one slot of knowledge; recipients may be named in `to` only
    to = ev.parsed.to
    names = ev.parsed.actor_names
    to_actor = names.get_indexer(to.items) if to.items else np.zeros(0, dtype=np.intp)
    strangers = to_actor < 0
    if strangers.any():
        extra, _ = pd.factorize(np.asarray(to.items, dtype=object)[strangers])
        to_actor[strangers] = len(names) + extra
    n_actors = len(names) + int(strangers.sum()) + 1
    owner, item = to.explode(np.arange(len(rows)), ev.to[rows])
    keys = np.r_[lane * n_actors + ev.actor[rows], lane[owner] * n_actors + to_actor[item]]
    slots, _ = pd.factorize(keys)
    sender, member = slots[: len(rows)], slots[len(rows) :]
    member_bounds = np.searchsorted(owner, bounds)

    words = word[rows]
    from_sender = what[rows] == _SENDER
    from_parties = what[rows] == _PARTIES
    know = np.zeros(int(slots.max()) + 1, dtype=np.uint64)
    before = np.empty(len(rows), dtype=np.uint64)
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        mine = sender[a:b]
        knew = know[mine]
        before[a:b] = knew
        carried = np.where(from_sender[a:b], knew, words[a:b])
        ma, mb = member_bounds[k], member_bounds[k + 1]
        of, slot = owner[ma:mb] - a, member[ma:mb]
        parties = from_parties[a:b]
        if parties.any():
            pooled = knew.copy()
            np.bitwise_or.at(pooled, of, know[slot])
            carried |= np.where(parties, pooled, np.uint64(0))
        know[mine] |= carried
        know[slot] |= carried[of]
    out = np.empty(len(rows), dtype=np.uint64)
    out[order] = before
    return out


def _in_engine(ev: _Book, cases, queries, q_share, q_item, known) -> None:
    """Fill ``known`` for ``cases`` from the engine's actual run, up to each case's last share."""
    from casuistry.engine import propagate

    book = ev.book
    items = ev.parsed.signals.items
    names = (TICKS, KIND, ACTOR, TO, SIGNALS, EVENT_ID)
    silo_of = book.silo_of()
    for case in cases.tolist():
        lo = int(ev.case_start[case])
        mine = np.flatnonzero(ev.case[q_share] == case)
        hi = int(q_share[mine].max()) + 1
        columns = {c: book.events[c].iloc[lo:hi].tolist() for c in names}
        run = propagate(
            *(columns[c] for c in names), silo_of, kinds=book.kinds, counterfactuals=False
        )
        learned = {
            (run.actors[a], columns[EVENT_ID][run.signal_positions[s]]): at
            for a, s, at in run.knowledge
        }
        for pair in mine.tolist():
            j = int(q_share[pair]) - lo
            sender = columns[ACTOR][j]
            known[pair] = learned.get((sender, items[q_item[pair]]), j) < j


def _warn(ev: _Book, q_share, q_item, known, file: str, problems: Problems) -> None:
    """One warning per share listing signals its sender did not know, in cell order."""
    unknown = np.flatnonzero(~known)
    if not len(unknown):
        return
    items = ev.parsed.signals.items
    rows = ev.book.events[ROW].to_numpy()
    quote = lru_cache(maxsize=None)(shown)
    share = q_share[unknown]
    starts = np.r_[0, np.flatnonzero(np.diff(share)) + 1, len(share)]
    names = [quote(items[i]) for i in q_item[unknown].tolist()]
    for a, b in zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True):
        problems.warn(
            file,
            int(rows[share[a]]),
            SIGNALS,
            f"the sender did not know {', '.join(names[a:b])} at this time; "
            "it is taken to have known it from this share on",
        )
