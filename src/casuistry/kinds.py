"""The registry of event kinds: what each kind of event means, in one place.

Every module that treats kinds differently (validation, the engine, what-if,
the signal graph, the timeline lanes, the report's texts, the synthetic
generator) reads it here instead of writing its own ``if kind == ...``. Adding
a kind is one :class:`EventKind` entry plus its texts (``kind.<code>`` in the
texts of the presentation layer).

An entry says

- its code (the English name in the case format) and its Dutch aliases;
- which columns it needs (``to``, ``category``) and whether it may list
  ``signals``;
- what processing it does to knowledge (:class:`Knowledge`);
- whether it is an opportunity (:class:`Opportunity`) and, when it is, its
  counterfactual: what it does to knowledge when taken, and which kind of
  event a taken opportunity becomes in a what-if;
- how the timeline lanes and the signal graph draw it (:class:`Mark`);
- its place among events of the same moment in a synthetic timeline.

A :class:`KindRegistry` holds the entries. :data:`KINDS` is the registry of
the case format; a Casebook carries the registry it was validated with, so a
registry made for a test flows through validation, the engine and the lanes.

Examples
--------
>>> KINDS.normalise("Niet delen")
'withhold'
>>> KINDS.normalise("telefoon") is None
True
>>> KINDS["contact"].is_opportunity(listed=False)
True
>>> KINDS["meeting"].is_opportunity(listed=False)
False
>>> KINDS["withhold"].taken_as
'share'
>>> sorted(KINDS.needing_to)
['contact', 'meeting', 'share', 'withhold']
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from casuistry.errors import InvalidKindRegistry

# The case format's kinds by name, for code that must single one out (the
# engine's observation, the horizon's incident, the accountability counts).
SIGNAL = "signal"
SHARE = "share"
WITHHOLD = "withhold"
CONTACT = "contact"
MEETING = "meeting"
ACTION = "action"
INCIDENT = "incident"


class Knowledge(enum.IntEnum):
    """What processing an event does to knowledge (CASE_FORMAT section 2).

    ``S`` is the carried set, ``L`` the listed signals.
    """

    NOTHING = 0  #: nobody learns anything
    OBSERVE = 1  #: the actor knows the signal from now on
    SHARE = 2  #: S = L, or all the sender knows when L is empty; sender and recipients learn S
    MEET = 3  #: S = L, or the union of what the participants know when L is empty
    POOL = 4  #: S = L | the union of what the participants know (a counterfactual)
    ACT = 5  #: nobody learns anything; acting on signals is recorded


class Opportunity(enum.Enum):
    """Whether an event of this kind could have moved information and did not."""

    NEVER = "never"
    ALWAYS = "always"
    WHEN_LISTING = "when_listing"  #: only when it lists ``signals`` (a meeting)


class Mark(enum.Enum):
    """How an event is drawn in the lanes and the signal graph.

    The lanes and the graph each have one drawing function per mark; what
    differs between kinds of the same mark comes from the entry (its
    ``marker``, ``face`` and ``relation``).
    """

    POINT = "point"  #: a marker in the actor's lane; a node of its own in the graph
    ARROW = "arrow"  #: an arrow from the actor's lane to each recipient's
    BLOCKED = "blocked"  #: a dashed line to each recipient, crossed at the recipient
    LINK = "link"  #: a dotted line joining the parties
    GATHERING = "gathering"  #: a band joining the participants; a node in the graph


#: Face colour roles of a point: the silo's colour, the ink, or the alarm red.
FACES: tuple[str, ...] = ("silo", "ink", "alarm")
#: What an event can do to knowledge when an opportunity is taken: pass something on.
_CARRYING = (Knowledge.SHARE, Knowledge.MEET, Knowledge.POOL)


@dataclass(frozen=True)
class EventKind:
    """One kind of event and everything the code needs to know about it.

    Attributes
    ----------
    code : str
        The English name used in the case format and in every output.
    aliases : tuple of str
        Other spellings accepted in the ``kind`` column, compared
        case-insensitively with spaces and hyphens read as underscores. The
        first is the Dutch name; without aliases the kind has the same name
        in Dutch and English (:attr:`dutch_name`).
    needs_to : bool
        The ``to`` column must name at least one recipient or party.
    lists_signals : bool
        The ``signals`` column may name signal events.
    needs_category : bool
        The ``category`` column is required.
    knowledge : Knowledge
        What processing the event does to knowledge.
    opportunity : Opportunity
        Whether the event is an opportunity.
    counterfactual : Knowledge or None
        What the event does to knowledge when the opportunity is taken.
    taken_as : str or None
        The kind a taken opportunity becomes in a what-if.
    taken_keeps_signals : bool
        Whether that event keeps the listed signals (a withhold's refused
        share does; a pooling meeting carries everything instead).
    mark : Mark
        How lanes and graph draw it.
    marker : tuple of (str, int, int) or None
        For a :attr:`Mark.POINT`: the matplotlib marker, its area in the
        lanes (points squared) and its size in the legend (points).
    face : str
        Face colour role of a point, one of :data:`FACES`: ``"silo"``,
        ``"ink"`` or ``"alarm"``.
    relation : str
        The relation of its edges in the signal graph (``observed``,
        ``shared``, ...); each kind of a registry has its own. Without one,
        the code.
    order : int
        Place among events of the same moment in a synthetic timeline.
    sets_horizon : bool
        Its first occurrence ends what the figures look at.
    """

    code: str
    aliases: tuple[str, ...] = ()
    needs_to: bool = False
    lists_signals: bool = False
    needs_category: bool = False
    knowledge: Knowledge = Knowledge.NOTHING
    opportunity: Opportunity = Opportunity.NEVER
    counterfactual: Knowledge | None = None
    taken_as: str | None = None
    taken_keeps_signals: bool = False
    mark: Mark = Mark.POINT
    marker: tuple[str, int, int] | None = None
    face: str = "ink"
    relation: str = ""
    order: int = 9
    sets_horizon: bool = False

    def __post_init__(self) -> None:
        if not self.relation:
            object.__setattr__(self, "relation", self.code)
        problem = _contradiction(self)
        if problem:
            raise InvalidKindRegistry(f"event kind {self.code!r}: {problem}")

    @property
    def dutch_name(self) -> str:
        """The kind's name in Dutch: its first alias, or its code when it has none."""
        return self.aliases[0] if self.aliases else self.code

    def is_opportunity(self, *, listed: bool) -> bool:
        """Whether an event of this kind is an opportunity, given whether it lists signals."""
        if self.opportunity is Opportunity.ALWAYS:
            return True
        return self.opportunity is Opportunity.WHEN_LISTING and listed


def _contradiction(kind: EventKind) -> str | None:
    """What makes an entry contradict itself, or None."""
    if not kind.code:
        return "give it a code"
    if (kind.opportunity is Opportunity.NEVER) != (kind.counterfactual is None):
        return "an opportunity needs a counterfactual, and only an opportunity has one"
    if (kind.counterfactual is None) != (kind.taken_as is None):
        return "a counterfactual needs the kind a taken opportunity becomes (taken_as)"
    if kind.counterfactual is not None and kind.counterfactual not in _CARRYING:
        return "a counterfactual passes something on: SHARE, MEET or POOL"
    if kind.opportunity is Opportunity.WHEN_LISTING and not kind.lists_signals:
        return "an opportunity when listing signals must be allowed to list them"
    if (kind.mark is Mark.POINT) != (kind.marker is not None):
        return "a point needs a marker, and only a point has one"
    if kind.face not in FACES:
        return f"face {kind.face!r} is none of {', '.join(FACES)}"
    return None


@dataclass(frozen=True)
class KindRegistry:
    """The event kinds a case may use, by code.

    Examples
    --------
    >>> request = EventKind("request", aliases=("verzoek",), needs_to=True, mark=Mark.ARROW)
    >>> extended = KINDS.with_kind(request)
    >>> extended.normalise("Verzoek")
    'request'
    >>> "request" in KINDS
    False
    """

    kinds: tuple[EventKind, ...]
    _by_name: dict[str, EventKind] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, EventKind] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, EventKind] = {}
        for kind in self.kinds:
            for name in (kind.code, *kind.aliases):
                key = _key(name)
                if key in by_name and by_name[key] is not kind:
                    raise InvalidKindRegistry(f"kind name {name!r} is used twice in one registry")
                by_name[key] = kind
        by_code = {kind.code: kind for kind in self.kinds}
        for kind in self.kinds:
            if kind.taken_as is not None and kind.taken_as not in by_code:
                raise InvalidKindRegistry(
                    f"event kind {kind.code!r} is taken as {kind.taken_as!r}, "
                    "which is no kind of the registry"
                )
        relations = [kind.relation for kind in self.kinds]
        if len(set(relations)) < len(relations):
            raise InvalidKindRegistry("two kinds of one registry share a relation")
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_code", by_code)

    def __getitem__(self, code: str) -> EventKind:
        return self._by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[EventKind]:
        return iter(self.kinds)

    def __len__(self) -> int:
        return len(self.kinds)

    # The views below are computed once per registry (the engine reads them
    # for every case).

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """The codes in registry order."""
        return tuple(kind.code for kind in self.kinds)

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Every accepted alias (not the codes themselves) mapped to its code."""
        return {alias: kind.code for kind in self.kinds for alias in kind.aliases}

    @cached_property
    def dutch_names(self) -> tuple[str, ...]:
        """The Dutch name of every kind, in registry order."""
        return tuple(kind.dutch_name for kind in self.kinds)

    @cached_property
    def needing_to(self) -> frozenset[str]:
        """Codes whose ``to`` column must name someone."""
        return frozenset(kind.code for kind in self.kinds if kind.needs_to)

    @cached_property
    def listing_signals(self) -> frozenset[str]:
        """Codes whose ``signals`` column may name signals."""
        return frozenset(kind.code for kind in self.kinds if kind.lists_signals)

    @cached_property
    def needing_category(self) -> frozenset[str]:
        """Codes whose ``category`` column is required."""
        return frozenset(kind.code for kind in self.kinds if kind.needs_category)

    @cached_property
    def knowledge_of(self) -> dict[str, Knowledge]:
        """What each code does to knowledge."""
        return {kind.code: kind.knowledge for kind in self.kinds}

    @cached_property
    def counterfactual_of(self) -> dict[str, Knowledge]:
        """What each opportunity's code does to knowledge when taken."""
        return {k.code: k.counterfactual for k in self.kinds if k.counterfactual is not None}

    @cached_property
    def opportunities(self) -> frozenset[str]:
        """Codes whose every event is an opportunity."""
        return frozenset(k.code for k in self.kinds if k.opportunity is Opportunity.ALWAYS)

    @cached_property
    def opportunities_when_listing(self) -> frozenset[str]:
        """Codes whose events are opportunities when they list signals."""
        when = Opportunity.WHEN_LISTING
        return frozenset(k.code for k in self.kinds if k.opportunity is when)

    @cached_property
    def observing(self) -> frozenset[str]:
        """Codes of signal events: their actor observes a signal (:attr:`Knowledge.OBSERVE`)."""
        return frozenset(k.code for k in self.kinds if k.knowledge is Knowledge.OBSERVE)

    @cached_property
    def sharing(self) -> frozenset[str]:
        """Codes whose sender passes on what it lists or knows (:attr:`Knowledge.SHARE`)."""
        return frozenset(k.code for k in self.kinds if k.knowledge is Knowledge.SHARE)

    @cached_property
    def carrying(self) -> tuple[str, ...]:
        """Codes that pass knowledge between parties (share, meet or pool), in registry order."""
        return tuple(k.code for k in self.kinds if k.knowledge in _CARRYING)

    @cached_property
    def acting(self) -> frozenset[str]:
        """Codes of acting on signals (:attr:`Knowledge.ACT`)."""
        return frozenset(k.code for k in self.kinds if k.knowledge is Knowledge.ACT)

    @cached_property
    def setting_horizon(self) -> tuple[str, ...]:
        """Codes whose first event ends what the figures look at, in registry order."""
        return tuple(k.code for k in self.kinds if k.sets_horizon)

    @cached_property
    def by_relation(self) -> dict[str, EventKind]:
        """Each kind by the relation of its edges in the signal graph."""
        return {kind.relation: kind for kind in self.kinds}

    def normalise(self, value: object) -> str | None:
        """Return the code for an English or Dutch spelling, or None when unknown."""
        kind = self._by_name.get(_key(value))
        return None if kind is None else kind.code

    def with_kind(self, kind: EventKind) -> KindRegistry:
        """A new registry with ``kind`` added (or replacing the entry of the same code)."""
        kept = tuple(k for k in self.kinds if k.code != kind.code)
        return KindRegistry((*kept, kind))

    def replace(self, code: str, **changes) -> KindRegistry:
        """A new registry with the entry ``code`` changed."""
        return self.with_kind(replace(self[code], **changes))

    @classmethod
    def of(cls, kinds: Iterable[EventKind]) -> KindRegistry:
        """A registry of the given entries."""
        return cls(tuple(kinds))


def _key(value: object) -> str:
    return str(value).strip().lower().replace(" ", "_").replace("-", "_")


#: The event kinds of the case format (CASE_FORMAT section 1 and 2).
KINDS = KindRegistry(
    (
        EventKind(
            SIGNAL,
            aliases=("signaal",),
            needs_category=True,
            knowledge=Knowledge.OBSERVE,
            mark=Mark.POINT,
            marker=("o", 110, 10),
            face="silo",
            relation="observed",
            order=0,
        ),
        EventKind(
            SHARE,
            aliases=("delen",),
            needs_to=True,
            lists_signals=True,
            knowledge=Knowledge.SHARE,
            mark=Mark.ARROW,
            relation="shared",
            order=1,
        ),
        EventKind(
            WITHHOLD,
            aliases=("niet_delen",),
            needs_to=True,
            lists_signals=True,
            opportunity=Opportunity.ALWAYS,
            counterfactual=Knowledge.SHARE,
            taken_as=SHARE,
            taken_keeps_signals=True,
            mark=Mark.BLOCKED,
            relation="withheld",
            order=2,
        ),
        EventKind(
            CONTACT,
            needs_to=True,
            opportunity=Opportunity.ALWAYS,
            counterfactual=Knowledge.POOL,
            taken_as=MEETING,
            mark=Mark.LINK,
            relation="contacted",
            order=2,
        ),
        EventKind(
            MEETING,
            aliases=("overleg",),
            needs_to=True,
            lists_signals=True,
            knowledge=Knowledge.MEET,
            opportunity=Opportunity.WHEN_LISTING,
            counterfactual=Knowledge.POOL,
            taken_as=MEETING,
            mark=Mark.GATHERING,
            relation="met",
            order=3,
        ),
        EventKind(
            ACTION,
            aliases=("actie",),
            lists_signals=True,
            knowledge=Knowledge.ACT,
            mark=Mark.POINT,
            marker=("*", 220, 13),
            relation="acted",
            order=4,
        ),
        EventKind(
            INCIDENT,
            mark=Mark.POINT,
            marker=("X", 150, 10),
            face="alarm",
            relation="surfaced",
            order=5,
            sets_horizon=True,
        ),
    )
)
