"""Planting opportunities where their counterfactual is known.

The planner (:mod:`.planner`) places every withhold and contact, and every
meeting that lists signals, where taking it would have had a known effect;
the functions here say which effect (:func:`verdict`), add withholds and
draw the contacts of a case.

Planted opportunities
---------------------
Every withhold and contact, and every meeting that lists signals, is placed
where its counterfactual (docs/case_format.md, section 2) is known:

``cross_silo`` (missed)
    Before ``T``: the parties between them knew signals of two silos, so
    taking the opportunity would have made them converge at once, while in
    fact nothing converges before ``T``.
``before_table`` (missed)
    Before ``T``, inside one silo or with the hub: a party whose knowledge
    is pooled at ``T`` would have brought signals to the table that in fact
    only converge at ``R`` or never.
``known_not_passed`` (missed)
    Between ``T`` and ``R``: a party that knew signals of two silos, and one
    outside the receivers that held a signal not yet converged.
``one_silo``, ``nothing_known`` (not missed)
    Before ``T``: only signals of one silo would have moved, to parties that
    bring nothing extra to the table; or nothing at all.
``after_table`` (not missed)
    After ``R``, when every signal converges at its own observation.

Why the truth is exact
----------------------
Rows are written in processing order (time, then kind), so ties are
resolved as planned. Before ``T`` every share lists its signals and stays
inside a silo (radar reports come from one silo), so every actor knows
signals of one silo at most. An opportunity is planted only where its
counterfactual keeps that true, or breaks it at once (``cross_silo``): the
extra knowledge goes to a party of the same silo, or to the hub when it
will receive nothing else (or only reports of that very silo) before ``T``.
Its only later effect is then on what the feeders pool at ``T``, which is
checked (``before_table`` when it adds a signal). Between ``T`` and ``R``
nothing moves information but the table itself, and at ``R`` everyone pools
everything, so the counterfactual and the actual run agree again. No
opportunity falls on the day (tick) of ``T`` or ``R``, so a planted missed
opportunity always gains a positive time and every other gains none. An
incident is the horizon: everything planned comes before it, and the
reports and actions that follow it come on later days and take no part.
"""

from __future__ import annotations

from casuistry.kinds import CONTACT, WITHHOLD
from casuistry.synthetic.calendar import DAY
from casuistry.synthetic.case import AFTER, BEFORE, WINDOW, CaseState
from casuistry.synthetic.scenarios import RADAR
from casuistry.vocabulary import REASONS

#: Contacts grow as trouble grows, more slowly than signals: density
#: proportional to ``t ** CONTACT_GROWTH`` over a case.
CONTACT_GROWTH = 0.75
#: Chance that a withhold records its reason.
REASON_RECORDED = 0.9

_CONTACT_EXPONENT = 1 / (1 + CONTACT_GROWTH)
#: Texts of a contact by the shape it is planted in (others: ``contact_quiet``).
_CONTACT_TEXTS = {"nothing_known": "contact_nothing", "after_table": "contact_after"}


def verdict(case: CaseState, union: int, receivers) -> tuple | None:
    """Missed or not, for an opportunity before the table; None when not plannable.

    ``union`` is what the receivers would know with the opportunity
    taken; ``receivers`` holds ``(actor, what it knows)`` for every party
    that would receive something.
    """
    silos = case.silos_in(union)
    if len(silos) > 1:
        return (True, "cross_silo")
    if not silos:
        return (False, "nothing_known")
    feeds = False  # whether a receiver's knowledge is pooled at the table
    for actor, known in receivers:
        if union & ~known and not _may_receive(case, actor, silos[0]):
            return None
        feeds = feeds or actor in case.feeders
    if feeds and case.table is not None and union & ~case.pooled:
        return (True, "before_table")
    return (False, "one_silo")


def _may_receive(case: CaseState, actor: str, silo: str) -> bool:
    """Whether knowing signals of ``silo`` before the table stays harmless for
    ``actor``: it will never learn signals of another silo before the table."""
    if actor == case.hub:
        return case.route != RADAR or case.hub_silo in (None, silo)
    return case.lk.silo[actor] == silo


def unconverged(case: CaseState, actor: str, key: tuple) -> bool:
    """In the window: whether an actor outside the receivers holds a signal
    that has not converged."""
    return actor not in case.receivers and bool(case.knows(actor, key) & ~case.pooled)


def add_withhold(case: CaseState, tick, sender, signals, recipient, planted, about) -> None:
    """Add a withhold of ``signals`` (about the signal ``about``) planted as ``planted``."""
    reason = case.weighted(case.lk.reasons)
    case.add(
        tick,
        WITHHOLD,
        sender,
        case.say("withhold", to=recipient, about=about, reason=REASONS[reason]["nl"]),
        to=(recipient,),
        signals=signals,
        subject=about.subject,
        planted=planted,
        reason=reason if case.u() < REASON_RECORDED else None,
    )


def plant_contacts(case: CaseState) -> None:
    """Draw the contacts of a case, more of them as trouble grows, each planted
    where its counterfactual is known (contacts that cannot be are left out)."""
    parties = [*case.observers, case.hub]
    span = (case.limit - case.start * DAY) / DAY
    for _ in range(case.poisson(case.kn.contact_frequency * span / 30)):
        first = case.pick(parties)
        tick = case.tick(first, case.start + int(case.u() ** _CONTACT_EXPONENT * span))
        if tick >= case.limit:
            continue
        phase = case.phase(tick)
        key = case.key(tick, CONTACT)
        options = []
        if phase == BEFORE:
            other = case.pick([p for p in parties if p != first])
            mine, theirs = case.knows(first, key), case.knows(other, key)
            shape = verdict(case, mine | theirs, [(first, mine), (other, theirs)])
            if shape is not None:
                options.append((other, shape))
        elif phase == WINDOW:
            for other in parties:
                inside = (first in case.receivers) + (other in case.receivers)
                if (
                    other != first
                    and inside == 1
                    and (unconverged(case, first, key) or unconverged(case, other, key))
                ):
                    options.append((other, (True, "known_not_passed")))
        elif phase == AFTER:
            options = [
                (p, (False, "after_table")) for p in [*parties, *case.followers] if p != first
            ]
        if options:
            other, shape = case.pick(options)
            group = _CONTACT_TEXTS.get(shape[1], "contact_quiet")
            text = case.say(group, to=other, subject=case.subject())
            case.add(tick, CONTACT, first, text, to=(other,), planted=shape)
