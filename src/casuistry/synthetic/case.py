"""The state of one case while it is planned: its draws, its events, what is known.

:class:`CaseState` holds everything the planner (:mod:`.planner`) and the
planting of opportunities (:mod:`.opportunities`) share: the stream of
uniform draws that is the case's only randomness, the events made so far in
processing order, and who knows which signals before the table. Its last two
methods read the finished plan: the planted convergence of each signal and
the ``source`` of each event.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator
from itertools import chain, repeat

import numpy as np

from casuistry.kinds import KINDS, SHARE
from casuistry.synthetic.calendar import DAY, clock_seconds
from casuistry.synthetic.knobs import Knobs
from casuistry.synthetic.lookups import Lookup
from casuistry.synthetic.scenarios import Scenario

#: Chance that a share records its legal basis.
BASIS_RECORDED = 0.85
#: Processing order of events on the same tick (rows are written in this order).
ORDER = {kind.code: kind.order for kind in KINDS}

# Phases of a time relative to the table (T) and the first round (R).
BEFORE, WINDOW, AFTER = "before", "window", "after"


def uniforms(generator: np.random.Generator) -> Iterator[float]:
    """An endless stream of uniform numbers in [0, 1), drawn in blocks of 256."""
    return chain.from_iterable(map(np.ndarray.tolist, map(generator.random, repeat(256))))


class Event:
    """One planned event; the attributes are the cells of its row.

    Made only by :meth:`CaseState.add`, which sets every attribute.
    """

    __slots__ = (
        "actor",
        "basis",
        "bit",
        "category",
        "event_id",
        "key",
        "kind",
        "planted",
        "reason",
        "severity",
        "signals",
        "subject",
        "text",
        "to",
    )


#: The optional attributes of an :class:`Event` and their values when not given.
BLANK = {
    "to": (),
    "signals": (),
    "category": None,
    "severity": None,
    "basis": None,
    "reason": None,
    "subject": None,
    "planted": None,
}


class CaseState:
    """One case being planned: draws, events, and what they are known to do."""

    def __init__(self, scenario: Scenario, lookup: Lookup, knobs: Knobs, seed: int, index: int):
        self.sc = scenario
        self.lk = lookup
        self.kn = knobs
        self.draws = uniforms(np.random.default_rng([seed, index]))
        self.u = self.draws.__next__
        self.n = 0
        self.events: list[Event] = []
        self.acquired: dict[str, list[tuple[tuple, int]]] = {}
        self.silo_masks: dict[str, int] = {}
        self.signals: list[Event] = []
        self.table: Event | None = None
        self.first_round: Event | None = None
        self.incident: Event | None = None
        self.feeders: frozenset = frozenset()
        self.receivers: frozenset = frozenset()
        self.pooled = 0  # C: the signals that converge at the table
        self.hub_silo: str | None = None

    # --- draws ----------------------------------------------------------------

    def below(self, n: int) -> int:
        return int(self.u() * n)

    def pick(self, items):
        return items[int(self.u() * len(items))]

    def weighted(self, table: tuple[tuple, list[float]]):
        items, cumulative = table
        return items[bisect_right(cumulative, self.u() * cumulative[-1])]

    def poisson(self, mean: float) -> int:
        limit, k, p = math.exp(-mean), 0, self.u()
        while p > limit:
            k += 1
            p *= self.u()
        return k

    # --- events ---------------------------------------------------------------

    def tick(self, actor: str, day: int) -> int:
        """The moment an actor of its rhythm acts on (or after) ``day``."""
        ticks = self.lk.day_ticks[actor]
        if ticks is None:
            return day * DAY + clock_seconds(self.u())
        return ticks[day - self.lk.first_day]

    def key(self, tick: int, kind: str) -> tuple:
        """The processing key the next event of this kind at ``tick`` will get."""
        return (tick, ORDER[kind], self.n)

    def add(self, tick: int, kind: str, actor: str, text: str, **cells) -> Event:
        """Add an event; its key (tick, the kind's order, creation number) orders it.

        ``cells`` sets any of the optional attributes of :data:`BLANK` (``to``
        and ``signals`` tuples, ``category``, ``severity``, ``basis``,
        ``reason``, ``subject``; ``planted`` is (missed, shape) for planted
        opportunities).
        """
        if not cells.keys() <= BLANK.keys():
            raise TypeError(f"no such cell of an event: {sorted(cells.keys() - BLANK.keys())}")
        event = Event()
        event.key = (tick, ORDER[kind], self.n)
        event.kind = kind
        event.actor = actor
        event.text = text
        for name, value in (BLANK | cells).items():
            setattr(event, name, value)
        event.bit = -1  # signals: number in order of observation
        event.event_id = ""
        self.n += 1
        self.events.append(event)
        return event

    def say(
        self,
        group: str,
        *,
        to: str = "",
        about: Event | None = None,
        subject: str = "",
        reason: str = "",
    ) -> str:
        key = (group, to, None if about is None else about.category, subject, reason)
        texts = self.lk.said.get(key) or self.lk.texts(key)
        return texts[int(self.u() * len(texts))]

    def subject(self) -> str:
        return self.weighted(self.lk.subjects)

    def basis(self, group: str) -> str | None:
        return self.pick(self.sc.bases[group]) if self.u() < BASIS_RECORDED else None

    # --- knowledge ------------------------------------------------------------

    def knows(self, actor: str, key: tuple) -> int:
        """Signals (bitmask) the actor knows before ``key``, as far as it matters here.

        Only acquisitions before the table are recorded: own signals and
        shares inside a silo, and reports to the hub on the ``radar`` route.
        """
        mask = 0
        for when, bits in self.acquired.get(actor, ()):
            if when < key:
                mask |= bits
        return mask

    def silos_in(self, mask: int) -> list[str]:
        return [silo for silo, bits in self.silo_masks.items() if bits & mask]

    def listed(self, mask: int) -> tuple:
        return tuple(s for s in self.signals if mask >> s.bit & 1)

    def phase(self, tick: int) -> str | None:
        """Where a moment lies: before the table, in the window up to the first
        round, after it; None on the very day (tick) of either."""
        if self.table is None or tick < self.table.key[0]:
            return BEFORE
        if tick == self.table.key[0]:
            return None
        if self.first_round is None or tick < self.first_round.key[0]:
            return WINDOW
        if tick == self.first_round.key[0]:
            return None
        return AFTER

    def share_signal(self, tick, sender, recipient, signal, group: str) -> Event:
        """Add a share of one signal, with a text and a legal basis of ``group``."""
        return self.add(
            tick,
            SHARE,
            sender,
            self.say(group, to=recipient, about=signal),
            to=(recipient,),
            signals=(signal,),
            basis=self.basis(group),
            subject=signal.subject,
        )

    def share_inside(self, tick, sender, recipient, signal, *, record: bool) -> None:
        """Add an ordinary share inside a silo; ``record`` it before the table."""
        event = self.share_signal(tick, sender, recipient, signal, "same_silo")
        if record:
            self.acquired.setdefault(recipient, []).append((event.key, 1 << signal.bit))

    # --- the finished plan ------------------------------------------------------

    def converged_by(self, signal: Event) -> Event | None:
        """The planted convergence of a signal (see the notes of :mod:`.planner`)."""
        if self.table is None:
            return None
        if self.pooled >> signal.bit & 1:
            return self.table
        if signal.key < self.table.key:
            return self.first_round
        if self.first_round is None or signal.key < self.first_round.key:
            return signal if signal.actor in self.receivers else self.first_round
        return signal

    def sources(self, events: list[Event]) -> list[str]:
        """Where a reconstruction found each event: one draw for each that is picked."""
        u, found = self.u, self.lk.found
        picked = []
        for event in events:
            options = found[event.kind][event.actor]
            picked.append(options if isinstance(options, str) else options[int(u() * len(options))])
        return picked
