"""Facts of a scenario and its knobs, worked out once for the case planner.

The planner (:mod:`casuistry.synthetic.planner`) runs for every case, so
everything that depends on the scenario and the knobs alone is looked up here
once: silos, rhythms, weighted tables to draw from, formatted texts and where
a reconstruction finds each event.

Examples
--------
>>> from casuistry.synthetic.knobs import resolve_knobs
>>> from casuistry.synthetic.scenarios import SCENARIOS
>>> scenario = SCENARIOS["huiselijk_geweld"]
>>> lookup = Lookup(scenario, resolve_knobs(scenario, {}))
>>> lookup.silo["seh"], lookup.is_clock["seh"]
('zorg', True)
>>> lookup.found["withhold"]["huisarts"]
'interview huisarts'
"""

from __future__ import annotations

from itertools import accumulate

from casuistry.kinds import KINDS, EventKind, Knowledge, Opportunity
from casuistry.synthetic.calendar import next_day_ticks
from casuistry.synthetic.knobs import Knobs
from casuistry.synthetic.scenarios import (
    ABOUT_A_CHILD,
    ABOUT_AN_ADULT,
    CATEGORY_NL,
    CLOCK,
    EVENT_TEXTS,
    SCHOOL,
    SIGNAL_TEXTS,
    Scenario,
)


def failing_bsn(u: float, v: float) -> str:
    """A nine-digit registration number that fails the BSN eleven-test.

    It starts with 1 to 9 (so it is no phone number either) and its last
    digit is chosen so that the eleven-test does not hold.

    Examples
    --------
    >>> from stdnum.nl import bsn
    >>> number = failing_bsn(0.5, 0.5)
    >>> len(number), bsn.is_valid(number)
    (9, False)
    """
    head = f"{1 + int(u * 9)}{int(v * 10_000_000):07d}"
    total = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True))
    passing = total % 11  # the last digit that would pass the test (10 means none does)
    last = (passing + 1 + int(v * 97) % 9) % 10
    return head + str(last)


#: Page numbers 1 to 140 and registration numbers for ``source`` cells: a fixed
#: table (not random), picked from with the case's draws.
_PAGES_AND_REFS = tuple(
    (1 + i, failing_bsn(i * 0.6180339887 % 1, i * 0.7548776662 % 1)) for i in range(140)
)


def cumulative(pairs) -> tuple[tuple, list[float]]:
    """``(items, cumulative weights)`` for :meth:`~casuistry.synthetic.case.CaseState.weighted`."""
    pairs = list(pairs)
    items = tuple(item for item, _ in pairs)
    return items, list(accumulate(float(weight) for _, weight in pairs))


def _fitting(subjects, category: str):
    """The subject roles a signal of ``category`` can be about: children for what
    is seen of a child, adults for what adults do, all roles otherwise (or when the
    scenario has none of the fitting kind)."""
    if category in ABOUT_A_CHILD:
        fitting = [(role, w) for role, w in subjects if role.startswith("kind")]
    elif category in ABOUT_AN_ADULT:
        fitting = [(role, w) for role, w in subjects if not role.startswith("kind")]
    else:
        fitting = []
    return fitting or list(subjects)


class Lookup:
    """Facts of a scenario and its knobs, as plain dicts and tables for the hot loop."""

    def __init__(self, scenario: Scenario, knobs: Knobs):
        self.silo = {a.name: a.silo for a in scenario.actors}
        self.label = {a.name: a.label for a in scenario.actors}
        self.is_clock = {a.name: a.rhythm == CLOCK for a in scenario.actors}
        self.first_day, office = next_day_ticks(False)
        _, school = next_day_ticks(True)
        #: Per actor, the tick of its next day to act (None for the clock rhythm).
        self.day_ticks = {
            a.name: None if a.rhythm == CLOCK else school if a.rhythm == SCHOOL else office
            for a in scenario.actors
        }
        self.spec = {a.name: a for a in scenario.actors}
        self.observes = {a.name: cumulative(a.observes) for a in scenario.actors if a.observes}
        self.partners: dict[str, list[str]] = {}
        for sender, recipient in scenario.same_silo:
            self.partners.setdefault(sender, []).append(recipient)
        self.hubs = cumulative(scenario.hubs)
        self.routes = cumulative(scenario.routes)
        self.subjects = cumulative(scenario.subjects)
        self.subjects_for = {
            category: cumulative(_fitting(scenario.subjects, category)) for category in SIGNAL_TEXTS
        }
        self.reasons = cumulative(knobs.reason_mix.items())
        self.capital = {role: role[:1].upper() + role[1:] for role, _ in scenario.subjects}
        self.signal_texts = {
            (category, role): tuple(t.format(s=role, S=self.capital[role]) for t in texts)
            for category, texts in SIGNAL_TEXTS.items()
            for role, _ in scenario.subjects
        }
        #: Texts (see :meth:`texts`) and partners (:meth:`partners_among`) worked out so far.
        self.said: dict[tuple, tuple[str, ...]] = {}
        self.among: dict[tuple, dict[str, list[str]]] = {}
        files = {
            a.name: tuple(a.source.format(page=page, ref=ref) for page, ref in _PAGES_AND_REFS)
            if "{" in a.source
            else (a.source,)
            for a in scenario.actors
        }

        #: Where a reconstruction finds an event, per kind and actor: a fixed text,
        #: or the options one draw picks from (see :meth:`CaseState.sources`).
        self.found = {
            kind.code: {name: _found_in(kind, files[name], self.label[name]) for name in files}
            for kind in KINDS
        }

    def partners_among(self, observers: tuple[str, ...]) -> dict[str, list[str]]:
        """Recipients of ordinary shares inside a silo per sender, among ``observers``
        (worked out once per set of observers)."""
        partners = self.among.get(observers)
        if partners is None:
            partners = self.among[observers] = {
                sender: [p for p in recipients if p in observers]
                for sender, recipients in self.partners.items()
            }
        return partners

    def texts(self, key: tuple) -> tuple[str, ...]:
        """The texts of an :data:`EVENT_TEXTS` group with their fields filled in.

        ``key`` is ``(group, to, category, subject, reason)``; each key is
        formatted once and remembered in :attr:`said`.
        """
        group, to, category, subject, reason = key
        fields = {
            "to": self.label.get(to, to),
            "what": CATEGORY_NL[category] if category is not None else "de zorgen",
            "reason": reason,
            "s": subject,
            "S": self.capital.get(subject, subject),
        }
        texts = self.said[key] = tuple(text.format(**fields) for text in EVENT_TEXTS[group])
        return texts


#: The minutes of case meetings, by page.
_MINUTES = tuple(f"verslag casusoverleg p.{page}" for page in range(1, 61))


def _found_in(kind: EventKind, files: tuple[str, ...], label: str) -> str | tuple[str, ...]:
    """Where a reconstruction finds an event of ``kind`` by an actor.

    The horizon (an incident) in the calamity investigation; an event that
    is always an opportunity (a withhold, a contact: nothing moved, so no
    file holds it) in an interview with the actor; a meeting in its minutes;
    anything else in the actor's own files.
    """
    if kind.sets_horizon:
        return "calamiteitenonderzoek"
    if kind.opportunity is Opportunity.ALWAYS:
        return f"interview {label.lower()}"
    if kind.knowledge is Knowledge.MEET:
        return _MINUTES
    return files
