"""The case planner: one case drawn from a plan whose outcome is known.

Every case is drawn from a *plan* whose outcome is known by construction, not
by running the analysis: which event made every signal converge, and which
withholds and contacts were missed opportunities (planted by
:mod:`.opportunities`, whose notes say why the truth is exact).

The plan of a case
------------------
Every case has a *hub* (the organisation that convenes: a neighbourhood team,
Veilig Thuis, a Zorg- en Veiligheidshuis, the public prosecutor) that never
observes signals itself, and *observers* of at least two silos that do.

1. **Signals.** Each observer sees signals at a rate that grows as trouble
   grows (density rising with time), on its own rhythm: offices on working
   days, schools on school days and never in the holidays, police and coast
   guard at any hour. An incident ends some cases; no signal comes after it.
2. **Before the table.** Each signal leads to a decision some days later:
   an ordinary share inside the silo (listing the signal), an attempt to
   take it to another silo, a withhold, or nothing. Until the first
   successful attempt every share stays inside one silo and lists its
   signals, so *nobody knows signals of two silos*: nothing converges.
3. **The table** (the planned convergence ``T``), by the scenario's route:
   a case meeting of the hub with some observers (``overleg``), a share of
   everything one observer knows with an observer of another silo that
   holds signals (``melding``), or the first report to the hub from a second
   silo after earlier reports from one (``radar``). The signals known then
   to the parties whose knowledge is pooled (the *feeders*) converge at
   ``T``: call that set ``C``.
4. **First round.** ``meeting_cadence_days`` later the hub convenes a
   meeting of all observers that pools everything (``R``). Every signal not
   in ``C`` and observed before ``R`` converges there; from ``R`` on all
   observers know signals of two silos, so every later signal converges at
   its own observation. Between ``T`` and ``R`` only the parties that
   received the pooled knowledge at ``T`` (the *receivers*) see their new
   signals converge at once; nothing else moves information.
5. **After the first round**: follow-up meetings (some listing signals),
   updates to the hub, followers (a certified institution, the public
   prosecutor), actions, and withholds and contacts that can no longer gain.


Examples
--------
>>> from casuistry.synthetic.knobs import resolve_knobs
>>> from casuistry.synthetic.lookups import Lookup
>>> from casuistry.synthetic.scenarios import SCENARIOS
>>> scenario = SCENARIOS["ondermijning"]
>>> knobs = resolve_knobs(scenario, {})
>>> case = CasePlan(scenario, Lookup(scenario, knobs), knobs, seed=1, index=0).plan()
>>> case.hub, len(case.signals) > 0
('zvh', True)
"""

from __future__ import annotations

from bisect import bisect_right
from operator import attrgetter

from casuistry.kinds import ACTION, INCIDENT, MEETING, SHARE, SIGNAL, WITHHOLD
from casuistry.synthetic.calendar import DAY
from casuistry.synthetic.case import AFTER, BEFORE, WINDOW, CaseState, Event
from casuistry.synthetic.opportunities import add_withhold, plant_contacts, verdict
from casuistry.synthetic.scenarios import MELDING, OVERLEG, SCHOOL

#: Signals have density proportional to ``t ** GROWTH`` over a case: trouble grows.
GROWTH = 1.5
#: Chance that an observer is invited to a case meeting (the first round invites all).
INVITE = 0.6
#: Chance that a decision comes with an action of the observer (a talk, a colleague consulted).
OBSERVER_ACTION = 0.12
#: Chance that a follow-up meeting lists the signals it is about.
LISTED_MEETING = 0.3
#: Chance that a withhold lists the signal it concerns (else it withholds all the sender knows).
WITHHOLD_LISTS = 0.8

_SIGNAL_EXPONENT = 1 / (1 + GROWTH)
_KEY = attrgetter("key")


class CasePlan(CaseState):
    """The plan of one case: :meth:`plan` draws its events in the order of the notes."""

    def plan(self) -> CasePlan:
        sc, kn = self.sc, self.kn
        self.start = kn.start_day + self.below(365)
        self.end = (self.start + kn.case_length_days) * DAY
        self.hub = self.weighted(self.lk.hubs)
        self.observers = self._observers()
        self.followers = [f for f in sc.followers if self.u() < 0.5]
        self.limit = self.end
        self.ending = None
        if self.u() < kn.incident_rate:
            day = self.start + int(kn.case_length_days * (0.4 + 0.6 * self.u()))
            involved = [pair for pair in sc.incidents if pair[0] in self.observers]
            self.ending = self.pick(involved or sc.incidents)
            self.limit = self.tick(self.ending[0], day)
        self.route = self.weighted(self.lk.routes)
        self._signals()
        post = self._decisions()
        if self.table is not None:
            for feeder in self.feeders:
                self.pooled |= self.knows(feeder, self.table.key)
            self._rounds()
        self._after_decisions(post)
        plant_contacts(self)
        self._ending()
        return self

    def _observers(self) -> tuple[str, ...]:
        """The organisations that see signals: a weighted draw without replacement
        (the largest ``u ** (1 / weight)`` win), of at least two silos."""
        names = self.sc.observers
        keys = [self.u() ** (1 / self.lk.spec[name].weight) for name in names]
        ranked = sorted(range(len(names)), key=keys.__getitem__, reverse=True)
        chosen = sorted(ranked[: self.kn.n_organisations - 1])
        silos = {self.lk.silo[names[i]] for i in chosen}
        if len(silos) < 2:
            others = [i for i in ranked if self.lk.silo[names[i]] not in silos]
            chosen = sorted([*chosen[:-1], others[0]])
        return tuple(names[i] for i in chosen)

    def _signals(self) -> None:
        start, limit = self.start, self.limit
        span = (limit - start * DAY) / DAY
        u, lk, signals = self.u, self.lk, self.signals
        for observer in self.observers:
            spec = lk.spec[observer]
            categories, cumulative = lk.observes[observer]
            total = cumulative[-1]
            school = lk.day_ticks[observer] if spec.rhythm == SCHOOL else None
            for _ in range(self.poisson(spec.rate * span / 90)):
                fraction = u() ** _SIGNAL_EXPONENT
                day = start + int(fraction * span)
                severity = min(4, 1 + int(3 * fraction + 0.8 * u()))
                category = categories[bisect_right(cumulative, u() * total)]
                if school is not None and school[day - lk.first_day] > (day + 3) * DAY:
                    continue  # school holidays: no signals from school
                tick = self.tick(observer, day)
                if tick >= limit:
                    continue
                subject = self.weighted(lk.subjects_for[category])
                texts = lk.signal_texts[category, subject]
                signals.append(
                    self.add(
                        tick,
                        SIGNAL,
                        observer,
                        texts[int(u() * len(texts))],
                        category=category,
                        severity=severity,
                        subject=subject,
                    )
                )
        signals.sort(key=_KEY)
        masks, acquired, silo_of = self.silo_masks, self.acquired, lk.silo
        for bit, signal in enumerate(signals):
            signal.bit = bit
            silo = silo_of[signal.actor]
            masks[silo] = masks.get(silo, 0) | 1 << bit
            acquired.setdefault(signal.actor, []).append((signal.key, 1 << bit))

    def _decisions(self) -> list[tuple]:
        """Walk the decisions on signals in time order up to the table.

        Returns the decisions taken at or after the table, to be placed once
        the first round is known.
        """
        share_propensity = self.kn.share_propensity
        withhold_propensity = self.kn.withhold_propensity
        decisions = []
        for signal in self.signals:
            tick = self.tick(signal.actor, signal.key[0] // DAY + 1 + self.below(7))
            if tick < self.limit:
                decisions.append((tick, signal.bit, signal))
        decisions.sort()
        partners_of = self.lk.partners_among(self.observers)
        self.withholds_before: list[tuple] = []
        post = []
        for tick, _, signal in decisions:
            sender = signal.actor
            to_other_silo = share_propensity * (signal.severity / 5) ** 2
            r = self.u()
            share = r < to_other_silo
            withhold = not share and r < to_other_silo + (1 - to_other_silo) * withhold_propensity
            partners = partners_of.get(sender)
            inside = self.pick(partners) if partners and self.u() < share_propensity else None
            if self.u() < OBSERVER_ACTION:
                self.add(
                    tick,
                    ACTION,
                    sender,
                    self.say("observer_action", subject=signal.subject),
                    signals=(signal,),
                    subject=signal.subject,
                )
            if self.table is None or self.key(tick, SHARE) < self.table.key:
                if inside:
                    self.share_inside(tick, sender, inside, signal, record=True)
                if self.table is None and share:
                    self._open_table(tick, sender, signal)
                elif withhold:
                    self.withholds_before.append((tick, sender, signal))
            else:
                post.append((tick, signal, share, withhold, inside))
        return post

    def _open_table(self, tick: int, sender: str, signal: Event) -> None:
        silo_of = self.lk.silo
        subject = signal.subject
        if self.route == OVERLEG:
            when = self.tick(self.hub, tick // DAY + 2 + self.below(8))
            invited = [o for o in self.observers if o == sender or self.u() < INVITE]
            if when >= self.limit:
                return
            key = self.key(when, MEETING)
            pooled = 0
            for member in invited:
                pooled |= self.knows(member, key)
            if len(self.silos_in(pooled)) < 2:
                return
            self.table = self.add(
                when,
                MEETING,
                self.hub,
                self.say("table_meeting", subject=subject),
                to=tuple(invited),
                subject=subject,
            )
            self.feeders = self.receivers = frozenset([*invited, self.hub])
        elif self.route == MELDING:
            key = self.key(tick, SHARE)
            holders = [
                o for o in self.observers if silo_of[o] != silo_of[sender] and self.knows(o, key)
            ]
            if not holders:
                return
            recipient = self.pick(holders)
            text = self.say("melding", to=recipient, about=signal, subject=subject)
            self.table = self.add(
                tick,
                SHARE,
                sender,
                text,
                to=(recipient,),
                basis=self.basis("report"),
                subject=subject,
            )
            self.feeders = frozenset([sender, recipient])
            self.receivers = frozenset([recipient])
        elif self.hub_silo in (None, silo_of[sender]):  # radar: a report from the same silo
            key = self.key(tick, SHARE)
            listed = self.knows(sender, key) & ~self.knows(self.hub, key)
            event = self.add(
                tick,
                SHARE,
                sender,
                self.say("report", to=self.hub, about=signal),
                to=(self.hub,),
                signals=self.listed(listed),
                basis=self.basis("report"),
                subject=subject,
            )
            self.acquired.setdefault(self.hub, []).append((event.key, listed))
            self.hub_silo = silo_of[sender]
        else:  # radar: the first report from a second silo
            self.table = self.add(
                tick,
                SHARE,
                sender,
                self.say("report", to=self.hub, about=signal),
                to=(self.hub,),
                basis=self.basis("report"),
                subject=subject,
            )
            self.feeders = frozenset([sender, self.hub])
            self.receivers = frozenset([self.hub])

    def _rounds(self) -> None:
        """The first round and the meetings, actions and followers after the table."""
        cadence = self.kn.meeting_cadence_days
        table_tick = self.table.key[0]
        actions = list(self.sc.hub_actions)
        for _ in range(1 + self.below(2)):
            text = actions.pop(self.below(len(actions)))
            when = self.tick(self.hub, table_tick // DAY + 3 + self.below(30))
            if when < self.limit:
                self.add(when, ACTION, self.hub, text)
        when = self.tick(self.hub, table_tick // DAY + cadence)
        if when >= self.limit:
            return
        subject = self.subject()
        self.first_round = self.add(
            when,
            MEETING,
            self.hub,
            self.say("first_round"),
            to=self.observers,
            subject=subject,
        )
        while True:
            when = self.tick(self.hub, when // DAY + cadence)
            if when >= self.limit:
                break
            members = tuple(o for o in self.observers if self.u() < INVITE)
            members = members or (self.pick(self.observers),)
            if self.u() < LISTED_MEETING:
                key = self.key(when, MEETING)
                listed = tuple(s for s in self.signals if s.key < key)[-2:]
                if listed:
                    self.add(
                        when,
                        MEETING,
                        self.hub,
                        self.say("listed_meeting", about=listed[-1]),
                        to=members,
                        signals=listed,
                        subject=listed[-1].subject,
                        planted=(False, "after_table"),
                    )
                    continue
            self.add(when, MEETING, self.hub, self.say("follow_meeting"), to=members)
        for follower in self.followers:
            day = self.first_round.key[0] // DAY + 5 + self.below(40)
            when = self.tick(self.hub, day)
            if when >= self.limit:
                continue
            self.add(
                when,
                SHARE,
                self.hub,
                self.say("follower", to=follower),
                to=(follower,),
                basis=self.basis("follower"),
                subject=subject,
            )
            when = self.tick(follower, when // DAY + 5 + self.below(20))
            if when < self.limit and self.sc.follower_actions:
                self.add(when, ACTION, follower, self.pick(self.sc.follower_actions))

    # --- opportunities ----------------------------------------------------------

    def _after_decisions(self, post) -> None:
        parties = [*self.observers, self.hub]
        for tick, sender, signal in self.withholds_before:
            if self.phase(tick) != BEFORE:
                continue
            key = self.key(tick, WITHHOLD)
            listed = (signal,) if self.u() < WITHHOLD_LISTS else ()
            carried = 1 << signal.bit if listed else self.knows(sender, key)
            options = []
            for other in parties:
                if other != sender:
                    known = self.knows(other, key)
                    shape = verdict(self, carried | known, [(other, known)])
                    if shape is not None:
                        options.append((other, shape))
            if options:
                other, shape = self.pick(options)
                add_withhold(self, tick, sender, listed, other, shape, signal)
        for tick, signal, share, withhold, inside in post:
            phase = self.phase(tick)
            sender = signal.actor
            if phase == AFTER:
                if inside:
                    self.share_inside(tick, sender, inside, signal, record=False)
                if share:
                    self.share_signal(tick, sender, self.hub, signal, "update")
                elif withhold:
                    to = self.pick([p for p in [*parties, *self.followers] if p != sender])
                    add_withhold(self, tick, sender, (signal,), to, (False, "after_table"), signal)
            elif (
                phase == WINDOW
                and withhold
                and sender not in self.receivers
                and not self.pooled >> signal.bit & 1
            ):
                to = self.pick([p for p in parties if p in self.receivers])
                add_withhold(self, tick, sender, (signal,), to, (True, "known_not_passed"), signal)

    def _ending(self) -> None:
        if self.ending is not None:
            actor, text = self.ending
            subject = self.subject()
            self.incident = self.add(
                self.limit,
                INCIDENT,
                actor,
                text.format(s=subject, S=self.lk.capital[subject]),
                severity=5,
                subject=subject,
            )
            day = self.limit // DAY + 1
            reporters = sorted({s.actor for s in self.signals}, key=self.observers.index)
            if reporters and self.u() < 0.6:
                reporter = self.pick(reporters)
                own = [s for s in self.signals if s.actor == reporter][-2:]
                self.add(
                    self.tick(reporter, day + self.below(10)),
                    SHARE,
                    reporter,
                    self.say("after_incident", to=self.hub, about=own[-1]),
                    to=(self.hub,),
                    signals=tuple(own),
                    basis=self.basis("after_incident"),
                    subject=own[-1].subject,
                )
            if self.u() < 0.5:
                self.add(
                    self.tick(self.hub, day + 1 + self.below(14)),
                    ACTION,
                    self.hub,
                    self.pick(self.sc.hub_actions),
                )
        else:
            last = max((e.key[0] for e in self.events), default=self.start * DAY)
            day = max(self.end // DAY, last // DAY + 1)
            self.add(self.tick(self.hub, day), ACTION, self.hub, self.pick(self.sc.closings))

    # --- output -------------------------------------------------------------------
