"""What a scenario is: its actors, its recipe for cases, and the texts of events.

The data that fill these come from the TOML files of this package, read by
:mod:`.loader`; the module notes of :mod:`casuistry.synthetic.scenarios`
explain the rhythms and routes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OFFICE = "office"
SCHOOL = "school"
CLOCK = "clock"
RHYTHMS = (OFFICE, SCHOOL, CLOCK)

OVERLEG = "overleg"
MELDING = "melding"
RADAR = "radar"
ROUTES = (OVERLEG, MELDING, RADAR)

#: The groups of legal bases every scenario gives (see :class:`Scenario`).
BASIS_GROUPS = ("same_silo", "report", "update", "follower", "after_incident")


@dataclass(frozen=True)
class ActorSpec:
    """One organisation (or role) a scenario may involve.

    Attributes
    ----------
    name, silo, label : str
        The ``actors`` table row.
    rhythm : str
        ``office``, ``school`` or ``clock`` (see :mod:`casuistry.synthetic.scenarios`).
    observes : tuple of (str, float)
        Signal categories it sees, with relative weights; empty for a hub or
        a follower.
    rate : float
        Mean number of signals it sees per 90 days while a case runs.
    weight : float
        Relative chance of taking part in a case.
    source : str
        Where a reconstruction finds its events; ``{page}`` becomes a page
        number, ``{ref}`` a registration number.
    decides : bool
        Whether its task is to decide on protection or intervention (the
        ``decides`` column of ``actors``).
    """

    name: str
    silo: str
    label: str
    rhythm: str = OFFICE
    observes: tuple[tuple[str, float], ...] = ()
    rate: float = 0.0
    weight: float = 1.0
    source: str = "dossier p.{page}"
    decides: bool = False


@dataclass(frozen=True)
class Scenario:
    """A situation of the vocabulary turned into a recipe for cases.

    Attributes
    ----------
    name, prefix, title : str
        Key, case-id prefix (``hg`` gives ``hg-0001``) and a Dutch title.
    story : str
        Two sentences on what the cases are about (used in READMEs).
    hubs : tuple of (str, float)
        Who convenes the case table, with weights; a hub never observes.
    observers : tuple of str
        Organisations that see signals.
    followers : tuple of str
        Organisations that only come in once the case is on the table (a
        certified institution, the public prosecutor).
    actors : tuple of ActorSpec
        Every actor named above, in the order of the actors table.
    same_silo : tuple of (str, str)
        Sender and recipient of ordinary shares inside one silo (the school
        telling the school-attendance officer).
    routes : tuple of (str, float)
        ``overleg``, ``melding``, ``radar`` with weights.
    subjects : tuple of (str, float)
        Roles the events are about.
    bases : dict
        Legal bases per kind of share: ``same_silo``, ``report`` (to the
        table), ``update`` (after it), ``follower`` (to a follower),
        ``after_incident``.
    reason_mix : dict
        Default weights of the reasons for not sharing.
    incidents : tuple of (str, str)
        Actor where an incident surfaces and its description.
    closings : tuple of str
        Descriptions of the action that closes a case without an incident.
    hub_actions, follower_actions : tuple of str
        Descriptions of actions once the case is on the table.
    case_length_days, n_organisations : int
        Defaults of the knobs of the same name.
    incident_rate : float
        Default share of cases that end in an incident.
    """

    name: str
    prefix: str
    title: str
    story: str
    hubs: tuple[tuple[str, float], ...]
    observers: tuple[str, ...]
    followers: tuple[str, ...]
    actors: tuple[ActorSpec, ...]
    same_silo: tuple[tuple[str, str], ...]
    routes: tuple[tuple[str, float], ...]
    subjects: tuple[tuple[str, float], ...]
    bases: dict[str, tuple[str, ...]]
    reason_mix: dict[str, float]
    incidents: tuple[tuple[str, str], ...]
    closings: tuple[str, ...]
    hub_actions: tuple[str, ...]
    follower_actions: tuple[str, ...] = ()
    case_length_days: int = 240
    n_organisations: int = 5
    incident_rate: float = 0.35
    _by_name: dict[str, ActorSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_by_name", {a.name: a for a in self.actors})

    def actor(self, name: str) -> ActorSpec:
        """The actor called ``name``."""
        return self._by_name[name]


@dataclass(frozen=True)
class Texts:
    """The Dutch texts of ``texts.toml``.

    Attributes
    ----------
    category_nl : dict
        What a signal of each category is about, as it reads in a sentence.
    about_a_child, about_an_adult : frozenset
        Categories about a child, and about an adult; the generator picks
        the ``subject`` role to fit.
    signal_texts : dict
        Descriptions of signals per category; ``{s}`` is the subject role,
        ``{S}`` the same capitalised.
    event_texts : dict
        Descriptions of the other events per group. ``{to}`` is the label of
        the recipient or other party, ``{what}`` a phrase of
        :attr:`category_nl`, ``{reason}`` the Dutch text of a reason,
        ``{S}``/``{s}`` the subject.
    """

    category_nl: dict[str, str]
    about_a_child: frozenset[str]
    about_an_adult: frozenset[str]
    signal_texts: dict[str, tuple[str, ...]]
    event_texts: dict[str, tuple[str, ...]]
