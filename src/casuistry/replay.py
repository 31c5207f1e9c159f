"""Counterfactual runs of one case, resumed from the actual run's saved states.

:func:`casuistry.engine.propagate` runs a case once as it happened
(:class:`casuistry.engine._Actual`), keeping per actor what it knew after
each event it took part in; :class:`Resume` then runs each counterfactual
(one or more events replaced by what they become when taken) from the
replaced event on. It keeps only what each actor knows *beyond* the actual
run, visits only the events of the actors that do (from a heap of their
next events) and stops as soon as nobody does, or every signal has converged
or cannot gain. The engine's module docstring explains the whole.

Examples
--------
A signal whose convergence ends at the time it was observed cannot gain:

>>> settled_signals([5, 9], [5, 7], [0, 1])
1
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush
from typing import TYPE_CHECKING

from casuistry.kinds import Knowledge

if TYPE_CHECKING:
    from casuistry.engine import _Actual, _Reach

_NOTHING = Knowledge.NOTHING
_OBSERVE = Knowledge.OBSERVE
_SHARE = Knowledge.SHARE
_MEET = Knowledge.MEET
_ACT = Knowledge.ACT


class Resume:
    """Counterfactual runs that resume from the actual run's saved states.

    A counterfactual only ever knows more than the actual run, so it is kept
    as the difference: per actor, what it knows beyond the actual run after
    the same event (the actor then *holds more*). Only events with a party
    that holds more, and the replaced events, can differ from the actual
    run, so a counterfactual visits only those: it keeps a heap of each
    holder's next event, and the run ends when the heap is empty (no actor
    holds more after the last replaced event: the two runs are identical
    from there on) or when every signal has converged. At an event that
    carries what it does in the actual run (listed signals, an observation,
    a share whose sender holds nothing more), only the holders among the
    parties can come to differ; at the others (a replaced event, a pooling,
    a meeting without listed signals, a share of all its sender knows when
    the sender holds more) every party is looked at. The cost of a
    counterfactual is thus the events of its holders, not the events after
    its opportunity.

    With deciding actors (``reach``) it also records when a deciding actor
    first knows a signal before the actual run's ``reached``, and does not
    stop at full convergence until every signal has reached a deciding actor.
    """

    __slots__ = (
        "after",
        "all_bits",
        "conv_states",
        "events",
        "first",
        "occurrences",
        "other",
        "reach",
        "settled",
        "slots",
        "ticks",
    )

    def __init__(self, ticks, actual: _Actual, all_bits: int, reach: _Reach | None, settled: int):
        self.reach = reach
        self.settled = settled
        self.ticks = ticks
        self.events = actual.events
        self.slots = actual.slots
        self.occurrences = actual.occurrences
        self.after = actual.after
        self.other = actual.other
        self.all_bits = all_bits
        self.conv_states = actual.conv_states  # conv_states[j - first]: converged before j
        self.first = actual.first

    def run(
        self, replaced: dict[int, int], *, with_reach: bool = True
    ) -> tuple[dict[int, int], dict[int, int]]:
        """The counterfactual with the events at the keys of ``replaced`` given those ops.

        Returns the ticks at which signals converge in the counterfactual
        while they had not yet converged in the actual run (every other
        signal ends as in the actual run), and likewise the ticks at which
        they reach a deciding actor (empty without deciding actors, or when
        ``with_reach`` is false).
        """
        events, slots, other, ticks = self.events, self.slots, self.other, self.ticks
        occurrences, after = self.occurrences, self.after
        conv_states, first, all_bits = self.conv_states, self.first, self.all_bits
        reach = self.reach if with_reach else None
        deciding = () if reach is None else reach.deciding
        more: dict[int, int] = {}  # actor -> what it knows beyond the actual run
        # signals converged here and not (yet) in the actual run, or that cannot gain
        extra = self.settled
        ends: dict[int, int] = {}
        reach_ends: dict[int, int] = {}  # signal -> ticks it reached a decider here, not yet there
        # (position, actor, index of the event in the actor's lists): a holder's next
        # event; actor -1 for a replaced event. A sorted list is a heap.
        pending = [(j, -1, 0) for j in sorted(replaced)]
        while pending:
            j, p, k = heappop(pending)
            holders = [(p, k)] if p >= 0 else []
            while pending and pending[0][0] == j:
                _, p, k = heappop(pending)
                if p >= 0:
                    holders.append((p, k))
            op, group, mask = events[j]
            slot = slots[j]
            whole = j in replaced  # whether every party is looked at
            if whole:
                op = replaced[j]
            elif op in (_NOTHING, _ACT):  # nothing moves: the holders go on
                for p, k in holders:
                    _next(pending, occurrences[p], p, k)
                continue
            if op == _SHARE:
                if mask:
                    carried = mask
                else:
                    sender, k = group[0], slot[0]
                    carried = (after[sender][k - 1] if k else 0) | more.get(sender, 0)
                    whole = whole or sender in more
            elif op == _OBSERVE or (op == _MEET and mask):
                carried = mask
            else:
                carried = mask
                for p, k in zip(group, slot, strict=True):
                    carried |= (after[p][k - 1] if k else 0) | more.get(p, 0)
                whole = True
            conv = conv_states[j + 1 - first] | extra
            for p, k in zip(group, slot, strict=True) if whole else holders:
                known = after[p]
                know = (known[k - 1] if k else 0) | more.get(p, 0) | carried
                beyond = know & ~known[k]
                if not beyond:
                    more.pop(p, None)
                    continue
                more[p] = beyond
                _next(pending, occurrences[p], p, k)
                if p in deciding:
                    _reach_earlier(beyond, j, reach, reach_ends, ticks[j])
                fresh = know & ~conv
                if fresh and know & other[(know & -know).bit_length() - 1]:
                    conv |= fresh
                    extra |= fresh
                    while fresh:
                        low = fresh & -fresh
                        ends[low.bit_length() - 1] = ticks[j]
                        fresh ^= low
            if conv == all_bits and (
                reach is None or reach.after(j) | reach.settled | _bits(reach_ends) == all_bits
            ):
                break
        return ends, reach_ends


def _next(pending: list, positions: list[int], p: int, k: int) -> None:
    """Put actor ``p``'s event after its ``k``-th (if any) on the heap ``pending``."""
    if k + 1 < len(positions):
        heappush(pending, (positions[k + 1], p, k + 1))


def settled_signals(end: Sequence[int], ticks: Sequence[int], observed: Sequence[int]) -> int:
    """The bitset of the signals whose ``end`` is the time they were observed:
    no counterfactual can bring them forward, as nobody knows a signal before it
    is observed."""
    settled = 0
    for s, j in enumerate(observed):
        if end[s] == ticks[j]:
            settled |= 1 << s
    return settled


def _reach_earlier(beyond: int, j: int, reach: _Reach, reach_ends: dict[int, int], t: int):
    """Record ``t`` for the signals in ``beyond`` (known to a deciding actor after
    position ``j`` in a counterfactual, not in the actual run) that no deciding
    actor knew by then in either run."""
    reached = reach.reached
    while beyond:
        low = beyond & -beyond
        s = low.bit_length() - 1
        if s not in reach_ends and (reached[s] is None or reached[s] > j):
            reach_ends[s] = t
        beyond ^= low


def _bits(numbers: dict[int, int]) -> int:
    """The bitset of the keys of ``numbers``."""
    mask = 0
    for s in numbers:
        mask |= 1 << s
    return mask
