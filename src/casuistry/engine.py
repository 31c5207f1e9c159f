"""Who knew which signal when: knowledge propagation over one case.

This is the hot path of casuistry. :func:`propagate` takes the ordered events
of one case as plain Python sequences and returns a :class:`CaseRun`: for every
actor and signal the event from which the actor knew it, for every signal the
event at which it converged, the acting event, the first convergence of every
pair of silos, and the counterfactual end of every signal, per opportunity and
with all opportunities taken at once. Everything is in *positions* of the
ordered events and in integer *ticks*; :mod:`casuistry.metrics` turns them into
days and tables.

How it works
------------
Signals are numbered 0, 1, ... in order of observation, and what an actor
knows is a Python ``int`` used as a bitset over those numbers. A signal has
converged once some actor knows it together with a signal of another silo;
for an actor that knows the set ``K`` this is true of every signal in ``K`` as
soon as ``K`` holds two silos, which is one test: take the lowest set bit of
``K`` and see whether ``K`` has a bit outside that signal's silo.

A counterfactual replaces one event and leaves the others. Before it,
nothing changes, so it does not restart from the beginning: it resumes from
the actual run's state before its opportunity with the replaced event. An
actor's knowledge changes only at events it takes part in, so the actual run
keeps, per actor, what it knew after each of those: what it knew before any
event is what it knew after its previous one. The kept state thus grows
with the events' parties, not with events times actors. Taking an
opportunity only ever adds knowledge, so the counterfactual state is kept as
what each actor knows *beyond* the actual run after the same event. Events
none of whose parties know more do the same in both runs: the counterfactual
visits only the others, in order, from a heap of the next event of each
actor that knows more. Once nobody knows more, everything after is
identical, and the run stops. It also stops when every signal has converged
or cannot gain (one that converged when it was observed cannot converge
earlier). A signal therefore never converges later than in the actual run,
and gains are never negative.

What each kind of event does to knowledge, which events are opportunities
and what they become when taken, and which kind sets the horizon, come from
the registry of event kinds (:mod:`casuistry.kinds`), read once per case into
one operation per event.

Order and horizon
-----------------
Events are processed in the order given (by time, equal times in row order).
The horizon is the time of the first ``incident`` (of the first event of a
kind that sets the horizon), or of the last event without one. Events *at*
the horizon take part even when their row comes after the incident's: the
horizon is a time, and "after the horizon" means a later time. Events with a
later time take no part.

The engine relies on what validation guarantees: an event lists only signals
processed before it (so an action always comes after the observation of a
signal it acts on), and every actor has a silo.

Examples
--------
A school notices absence, the GP notices bruises, and the school tells the GP
three days later; both signals converge then:

>>> run = propagate(
...     ticks=[0, 86400, 3 * 86400],
...     kind_codes=["signal", "signal", "share"],
...     actors=["school", "gp", "school"],
...     to=[(), (), ("gp",)],
...     signals=[(), (), ()],
...     event_ids=["e1", "e2", "e3"],
...     silo_of={"school": "onderwijs", "gp": "zorg"},
... )
>>> run.converged
[2, 2]
>>> run.end
[259200, 259200]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from casuistry.errors import CasuistryError
from casuistry.kinds import KINDS, KindRegistry, Knowledge
from casuistry.replay import Resume, settled_signals

# What an event does to knowledge (see Knowledge). S is the carried set, L the
# listed signals.
_NOTHING = Knowledge.NOTHING  # nobody learns anything
_OBSERVE = Knowledge.OBSERVE  # its actor knows the signal
_SHARE = Knowledge.SHARE  # S = L, or everything the sender knows when L is empty
_MEET = Knowledge.MEET  # S = L, or the union of what the participants know when L is empty
_POOL = Knowledge.POOL  # S = L | the union of what the participants know
_ACT = Knowledge.ACT  # nobody learns anything, acting is recorded


class UnknownSignalReference(CasuistryError):
    """An event lists a ``signals`` item that is no signal of the case by its horizon."""


class CaseRun(NamedTuple):
    """What the events of one case did to knowledge.

    Positions index the case's ordered events; only positions below
    ``n_in`` (the events up to and at the horizon) took part. Signal numbers
    index ``signal_positions``.

    Attributes
    ----------
    horizon : int
        Ticks of the first incident, or of the last event without one.
    horizon_position : int or None
        Position of the first incident; None without one.
    n_in : int
        Number of events that take part (ticks <= horizon).
    actors : tuple of str
        Actor names by actor number.
    signal_positions : tuple of int
        Position of each signal's ``signal`` event.
    signal_silos : tuple of str
        Silo of each signal (its observer's silo).
    converged : list of (int or None)
        Per signal, the position of the event after which it had converged;
        None when censored.
    end : list of int
        Per signal, ticks of convergence, or the horizon when censored.
    relational_end : list of int
        Per signal, ``end`` with every opportunity replaced by its
        counterfactual at once.
    acted : list of (int or None)
        Per signal, the position of the first action on it; None without one.
    knowledge : list of tuple
        ``(actor number, signal number, position)``: the actor knew the
        signal from (and through) the event at that position. One entry per
        actor and signal that actor came to know.
    opportunities : list of tuple
        ``(position, gains)`` per opportunity in processing order; ``gains``
        maps signal number to ticks gained (only gains above zero).
    silo_pairs : list of tuple
        ``(silo_a, silo_b, position or None)`` for every pair of silos that
        both have signals, ``silo_a < silo_b``: the position after which some
        actor first knew a signal of each, None when censored.
    reached : list of (int or None), or None
        Per signal, the position of the event after which an actor that
        decides first knew it (section 5.3); None when not reached. The
        whole field is None for a case without deciding actors.
    full_picture : int or None
        Position of the event after which one deciding actor first knew a
        signal of every silo with signals; None when never (or no deciders).
    reach_gains : list of dict, or None
        Per opportunity (as in ``opportunities``): signal number to ticks by
        which its counterfactual brings ``reached`` forward (only gains
        above zero; the end of a signal not reached is the horizon). None
        without deciding actors.
    """

    horizon: int
    horizon_position: int | None
    n_in: int
    actors: tuple[str, ...]
    signal_positions: tuple[int, ...]
    signal_silos: tuple[str, ...]
    converged: list[int | None]
    end: list[int]
    relational_end: list[int]
    acted: list[int | None]
    knowledge: list[tuple[int, int, int]]
    opportunities: list[tuple[int, dict[int, int]]]
    silo_pairs: list[tuple[str, str, int | None]]
    reached: list[int | None] | None = None
    full_picture: int | None = None
    reach_gains: list[dict[int, int]] | None = None


#: An item of a ``signals`` list that names nothing: the list was given and
#: every signal it named was removed (a robustness variant, section 5.2). A
#: share, meeting or action listing only this carries or acts on nothing; a
#: meeting listing it stays an opportunity.
LISTED_NOTHING = "\x00listed-nothing"


def horizon_of(
    ticks: Sequence[int], kind_codes: Sequence[str], *, kinds: KindRegistry = KINDS
) -> tuple[int, int | None, int]:
    """The horizon of a case.

    Parameters
    ----------
    ticks, kind_codes : sequences
        The case's times and kinds, in processing order.
    kinds : KindRegistry, keyword-only
        The registry that says which kinds set the horizon.

    Returns
    -------
    tuple
        ``(horizon ticks, position of the first incident or None, number of
        events that take part)``.

    Examples
    --------
    >>> horizon_of([0, 5, 5, 9], ["signal", "incident", "share", "signal"])
    (5, 1, 3)
    >>> horizon_of([0, 5], ["signal", "action"])
    (5, None, 2)
    """
    first = None
    for code in kinds.setting_horizon:
        if code in kind_codes:
            at = kind_codes.index(code)
            first = at if first is None or at < first else first
    if first is None:
        return ticks[-1], None, len(ticks)
    horizon = ticks[first]
    return horizon, first, bisect_right(ticks, horizon)


def propagate(
    ticks: Sequence[int],
    kind_codes: Sequence[str],
    actors: Sequence[str],
    to: Sequence[tuple[str, ...]],
    signals: Sequence[tuple[str, ...]],
    event_ids: Sequence[str],
    silo_of: Mapping[str, str],
    *,
    kinds: KindRegistry = KINDS,
    deciders: frozenset[str] | set[str] = frozenset(),
    counterfactuals: bool = True,
) -> CaseRun:
    """Run one case: knowledge, convergence, acting, silo pairs, counterfactuals.

    Parameters
    ----------
    ticks, kind_codes, actors, to, signals, event_ids : sequences
        The columns of one case's events, in processing order (sorted by
        ticks, equal ticks in row order); ``kind_codes`` the kinds' codes,
        ``to`` and ``signals`` tuples of str. Lists are fastest.
    silo_of : mapping
        Actor name to silo, covering every actor of the case.
    kinds : KindRegistry, keyword-only
        What each kind does (the Casebook's ``kinds``).
    deciders : set of str, keyword-only
        Actors that decide (section 5.3). When one of them takes part in the
        case (as actor or ``to``), the run also gives ``reached``,
        ``full_picture`` and ``reach_gains``, the last from the same
        counterfactual runs.
    counterfactuals : bool, keyword-only
        False runs the actual run only (no saved states, no replays):
        ``opportunities`` is then empty and ``relational_end`` equals ``end``.

    Returns
    -------
    CaseRun

    Raises
    ------
    UnknownSignalReference
        When an event up to the horizon lists an id that is no signal of the
        case up to the horizon (validated input never does).
    """
    horizon, horizon_position, n_in = horizon_of(ticks, kind_codes, kinds=kinds)
    codes = kind_codes[:n_in]
    op_of = kinds.knowledge_of
    ops = [op_of[code] for code in codes]
    sig_pos = [j for j, op in enumerate(ops) if op == _OBSERVE]
    always, when_listing = kinds.opportunities, kinds.opportunities_when_listing
    opportunity_positions = [
        j for j, code in enumerate(codes) if code in always or (code in when_listing and signals[j])
    ]
    sig_silo = tuple(silo_of[actors[j]] for j in sig_pos)
    silos = sorted(set(sig_silo))
    silo_mask = dict.fromkeys(silos, 0)
    for s, silo in enumerate(sig_silo):
        silo_mask[silo] |= 1 << s
    all_bits = (1 << len(sig_pos)) - 1
    other = [all_bits & ~silo_mask[silo] for silo in sig_silo]

    if not counterfactuals:
        opportunity_positions = []
    actual = _Actual(len(sig_pos), other, opportunity_positions)
    silo_bit = [1 << silos.index(silo) for silo in sig_silo]
    actual.run(
        ops,
        actors,
        to,
        signals,
        event_ids,
        {event_ids[j]: s for s, j in enumerate(sig_pos)},
        silo_bit,
    )
    converged = actual.converged
    end = [horizon if c is None else ticks[c] for c in converged]

    reach = None
    if deciders and _takes_part(deciders, actors, to):
        reach = _Reach(actual, deciders, silo_bit, (1 << len(silos)) - 1, ticks, horizon, sig_pos)

    opportunities = []
    reach_gains = None if reach is None else []
    relational_end = end
    if opportunity_positions:
        resume = Resume(ticks, actual, all_bits, reach, settled_signals(end, ticks, sig_pos))
        counterfactual_of = kinds.counterfactual_of
        replacements = {i: counterfactual_of[codes[i]] for i in opportunity_positions}
        for i in actual.emptied:
            if i in replacements and replacements[i] not in (_POOL, _OBSERVE):
                del replacements[i]  # listed nothing: its counterfactual carries nothing
        for i in opportunity_positions:
            ends, reach_ends = resume.run({i: replacements[i]}) if i in replacements else ({}, {})
            gains = {s: end[s] - t for s, t in ends.items() if t < end[s]} if ends else {}
            opportunities.append((i, gains))
            if reach is not None:
                reach_gains.append(
                    {s: reach.end[s] - t for s, t in reach_ends.items() if t < reach.end[s]}
                )
        if replacements:
            relational_end = end.copy()
            for s, t in resume.run(replacements, with_reach=False)[0].items():
                relational_end[s] = min(t, end[s])

    pairs = [
        (silos[a], silos[b], actual.pair_at.get((a, b)))
        for a in range(len(silos))
        for b in range(a + 1, len(silos))
    ]
    return CaseRun(
        horizon=horizon,
        horizon_position=horizon_position,
        n_in=n_in,
        actors=tuple(actual.actor_number),
        signal_positions=tuple(sig_pos),
        signal_silos=sig_silo,
        converged=converged,
        end=end,
        relational_end=relational_end,
        acted=actual.acted,
        knowledge=actual.knowledge,
        opportunities=opportunities,
        silo_pairs=pairs,
        reached=None if reach is None else reach.reached,
        full_picture=None if reach is None else reach.full_picture,
        reach_gains=reach_gains,
    )


def _takes_part(deciders, actors: Sequence[str], to: Sequence[tuple[str, ...]]) -> bool:
    """Whether a deciding actor is the actor or a ``to`` party of any event of the case."""
    if not deciders.isdisjoint(actors):
        return True
    return any(not deciders.isdisjoint(names) for names in to if names)


class _Reach:
    """Reach of the actual run (section 5.3), read from its knowledge entries.

    ``reached[s]``: position after which a deciding actor first knew signal
    ``s``; ``end[s]``: its ticks, or the horizon; ``full_picture``: position
    after which one deciding actor first knew a signal of every silo. The
    knowledge entries are in processing order, so one pass over them does.
    ``after(j)`` gives the set of signals reached by position ``j``.
    """

    __slots__ = ("_masks", "_positions", "deciding", "end", "full_picture", "reached", "settled")

    def __init__(self, actual, deciders, silo_bit, all_silos, ticks, horizon, signal_positions):
        numbers = actual.actor_number
        self.deciding = frozenset(numbers[name] for name in deciders if name in numbers)
        reached: list[int | None] = [None] * len(signal_positions)
        silos_known: dict[int, int] = {}
        full = None
        for p, s, j in actual.knowledge:
            if p not in self.deciding:
                continue
            if reached[s] is None:
                reached[s] = j
            if full is None:
                known = silos_known[p] = silos_known.get(p, 0) | silo_bit[s]
                if known == all_silos:
                    full = j
        self.reached = reached
        self.full_picture = full
        self.end = [horizon if at is None else ticks[at] for at in reached]
        self.settled = settled_signals(self.end, ticks, signal_positions)
        order = sorted((at, s) for s, at in enumerate(reached) if at is not None)
        self._positions = [at for at, _ in order]
        masks, mask = [], 0
        for _, s in order:
            mask |= 1 << s
            masks.append(mask)
        self._masks = masks

    def after(self, j: int) -> int:
        """The signals that a deciding actor knew after the event at position ``j``."""
        k = bisect_right(self._positions, j)
        return self._masks[k - 1] if k else 0


class _Actual:
    """The actual run: knowledge, convergence, acting and silo pairs.

    It numbers the actors in order of appearance and keeps each event encoded
    as ``(op, parties, listed)`` (parties: actor numbers, the event's actor
    first, without repeats; listed: the bitset of ``signals``, or a signal
    event's own bit) for the counterfactuals.

    When there are opportunities (``opportunities`` not empty) it also keeps
    what the counterfactuals resume from, in space that grows with the
    events' parties and not with events times actors: per actor, the
    positions of the events it takes part in that can change what someone
    knows (``occurrences``) and what it knew after each (``after``), and per
    such event each party's index into those lists (``slots``; None for the
    other events). What an actor knew before one of its events is what it
    knew after the previous one. From the first opportunity on it keeps the
    set of converged signals before each event and after the last
    (``conv_states``), one int per event, shared while unchanged.
    """

    def __init__(self, n_signals: int, other: list[int], opportunities: Sequence[int]):
        self.other = other
        self.opportunities = frozenset(opportunities)
        self.first = opportunities[0] if opportunities else None
        self.actor_number: dict[str, int] = {}
        self.events: list[tuple[int, tuple[int, ...], int]] = []
        self.occurrences: list[list[int]] = []
        self.after: list[list[int]] = []
        self.slots: list[tuple[int, ...] | None] = []
        self.conv_states: list[int] = []  # conv_states[j - first]: converged before event j
        self.converged: list[int | None] = [None] * n_signals
        self.acted: list[int | None] = [None] * n_signals
        self.knowledge: list[tuple[int, int, int]] = []
        self.pair_at: dict[tuple[int, int], int] = {}
        self.emptied: list[int] = []  # positions whose list names nothing (LISTED_NOTHING)

    def stored(self) -> int:
        """How many entries the saved states hold: the size the counterfactuals keep."""
        return sum(map(len, self.after)) + len(self.conv_states)

    def run(self, ops, actors, to, signals, event_ids, sig_number, silo_bit) -> None:
        """Process the events (the case's columns, up to the horizon).

        ``ops`` gives per event what it does to knowledge; ``sig_number``
        maps a signal's event_id to its number; ``silo_bit`` gives per signal
        number ``1 << k`` for its silo, the k-th in sorted
        order. Per actor it also keeps the set of silos whose signals it
        knows, so a pair of silos is checked only when an actor's set grows.
        """
        numbers = self.actor_number
        other, first = self.other, self.first
        keep = first is not None
        if not keep:
            first = len(ops)
        opportunities = self.opportunities
        encoded = self.events.append
        keep_slots, keep_conv = self.slots.append, self.conv_states.append
        occurrences, after = self.occurrences, self.after
        converged, acted, pair_at = self.converged, self.acted, self.pair_at
        learn = self.knowledge.append
        know: list[int] = []
        silos_known: list[int] = []  # per actor: bitset of the silos of the signals it knows
        conv = acted_mask = 0

        def new_actor(name: str) -> int:
            """Number an actor met for the first time; it knows nothing yet."""
            number = numbers[name] = len(numbers)
            know.append(0)
            silos_known.append(0)
            if keep:
                occurrences.append([])
                after.append([])
            return number

        for j, op in enumerate(ops):
            # Encode the event.
            name = actors[j]
            number = numbers.get(name)
            if number is None:
                number = new_actor(name)
            group: tuple[int, ...] = (number,)
            if to[j]:
                for name in to[j]:
                    number = numbers.get(name)
                    if number is None:
                        number = new_actor(name)
                    if number not in group:
                        group += (number,)
            mask = 0
            if op == _OBSERVE:
                mask = 1 << sig_number[event_ids[j]]
            elif signals[j]:
                for sid in signals[j]:
                    if sid not in sig_number:
                        if sid == LISTED_NOTHING:
                            continue
                        raise UnknownSignalReference(
                            f"event {event_ids[j]!r} lists {sid!r}, which is no signal "
                            "event of its case up to the horizon"
                        )
                    mask |= 1 << sig_number[sid]
                if not mask:  # the list names nothing: it carries or acts on nothing
                    self.emptied.append(j)
                    if op != _POOL:
                        op = _NOTHING
            encoded((op, group, mask))
            if j >= first:
                keep_conv(conv)

            # Process it.
            if op == _ACT:
                fresh = (mask or know[group[0]]) & ~acted_mask
                acted_mask |= fresh
                while fresh:
                    low = fresh & -fresh
                    acted[low.bit_length() - 1] = j
                    fresh ^= low
            elif op != _NOTHING:
                if op == _SHARE:
                    carried = mask or know[group[0]]
                elif op == _OBSERVE or (mask and op == _MEET):
                    carried = mask
                else:  # a meeting without listed signals, or a pooling: what the parties know
                    carried = mask
                    for p in group:
                        carried |= know[p]
                for p in group:
                    old = know[p]
                    new = old | carried
                    if new == old:
                        continue
                    know[p] = new
                    gained = new ^ old
                    seen = reached = silos_known[p]
                    while gained:
                        low = gained & -gained
                        s = low.bit_length() - 1
                        learn((p, s, j))
                        reached |= silo_bit[s]
                        gained ^= low
                    if reached != seen:
                        silos_known[p] = reached
                        if reached & (reached - 1):  # p now knows signals of two silos or more
                            _pairs_met(reached & ~seen, reached, j, pair_at)
                    fresh = new & ~conv
                    if fresh and new & other[(new & -new).bit_length() - 1]:
                        conv |= fresh
                        while fresh:
                            low = fresh & -fresh
                            converged[low.bit_length() - 1] = j
                            fresh ^= low

            # Keep what a counterfactual may resume from: events that change knowledge,
            # and opportunities (which may when taken).
            if keep:
                if op in (_NOTHING, _ACT) and j not in opportunities:
                    keep_slots(None)
                    continue
                slot = []
                for p in group:
                    positions = occurrences[p]
                    slot.append(len(positions))
                    positions.append(j)
                    after[p].append(know[p])
                keep_slots(tuple(slot))
        if keep:
            keep_conv(conv)


def _pairs_met(new: int, known: int, j: int, pair_at: dict[tuple[int, int], int]) -> None:
    """Record position ``j`` for the pairs of silos (by number) that an actor
    knows signals of for the first time: each silo in ``new`` with each in ``known``."""
    while new:
        low = new & -new
        a = low.bit_length() - 1
        rest = known ^ low
        while rest:
            bit = rest & -rest
            b = bit.bit_length() - 1
            pair_at.setdefault((a, b) if a < b else (b, a), j)
            rest ^= bit
        new ^= low
