"""The five scenarios of synthetic cases, read from the data files beside this module.

Each scenario is one of the five situations of the project's vocabulary
(``VOCABULARY.md``): its organisations with their role in the case, the
signals each of them tends to see, the routes by which the pieces may come
together, the legal bases recorded for shares, the usual reasons for not
sharing, and the Dutch texts that become the ``description`` cells. The
generator (:mod:`casuistry.synthetic.generator`) reads nothing else.

The data are TOML files in this package:

``catalogue.toml``
    Every organisation once (``[actors.NAME]``: silo, label, rhythm,
    source), and the list of scenarios in the order they are offered.
``texts.toml``
    The signal categories (``[categories.NAME]``: phrase, whether they are
    about a child or an adult, descriptions) and the descriptions of the
    other events (``[events]``).
``<scenario>.toml``
    One per scenario: it names its hubs, followers and observers from the
    catalogue (an observer with what it sees, how often and how likely it
    takes part; it may give the actor a label and a source of its own), and
    its routes, subjects, bases, reasons, incidents and closing texts.

A new scenario is a new file and its name in the catalogue's list;
:func:`load_scenarios` checks that every actor and category it names exists.
Texts name roles only (``kind-1``, ``moeder``, ``bewoner``, ``schipper``)
and hold no number that could be read as an identifier.

Rhythms
-------
``office``
    Working days only (Monday to Friday); times are dates.
``school``
    School days only: no weekends and no signals in the (approximate) Dutch
    school holidays; times are dates.
``clock``
    Any day and hour (police, coast guard, an emergency department); times
    are date-times.

Routes
------
How the first signals of different silos come together (the *table*):

``overleg``
    The hub convenes a case meeting with some of the organisations, where
    everything they know is pooled.
``melding``
    One organisation shares everything it knows with an organisation of
    another silo that holds signals of its own.
``radar``
    Organisations of one silo report to the hub; the first report from a
    second silo brings the pieces together at the hub (the "radar" of Veilig
    Thuis, or early warnings of arrears at the municipality).

Examples
--------
>>> sorted(SCENARIOS)
['douane_kustwacht', 'huiselijk_geweld', 'jeugdbescherming', 'ondermijning', 'publiek_privaat']
>>> SCENARIOS["huiselijk_geweld"].prefix
'hg'
>>> SCENARIOS["jeugdbescherming"].actor("school").silo
'onderwijs'
>>> SCENARIOS["publiek_privaat"].actor("energie").label
'Energieleverancier'
>>> SCENARIOS["ondermijning"].actor("energie").label
'Netbeheerder'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable

from casuistry.errors import CasuistryError

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
        ``office``, ``school`` or ``clock`` (see the module notes).
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
    """

    name: str
    silo: str
    label: str
    rhythm: str = OFFICE
    observes: tuple[tuple[str, float], ...] = ()
    rate: float = 0.0
    weight: float = 1.0
    source: str = "dossier p.{page}"


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


#: Keys a scenario file must give, and those it may give.
_SCENARIO_KEYS = {
    "prefix",
    "title",
    "story",
    "hubs",
    "followers",
    "observers",
    "routes",
    "subjects",
    "same_silo",
    "bases",
    "reason_mix",
    "incidents",
    "closings",
    "hub_actions",
}
_OPTIONAL_SCENARIO_KEYS = {
    "follower_actions",
    "case_length_days",
    "n_organisations",
    "incident_rate",
}
_OBSERVER_KEYS = {"observes", "rate", "weight"}
_OVERRIDES = {"label", "source"}


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


def load_texts(folder: Traversable) -> Texts:
    """Read and check ``texts.toml`` in ``folder``."""
    data = _read(folder, "texts.toml")
    categories = data.get("categories", {})
    for name, entry in categories.items():
        _keys(entry, {"phrase", "texts"}, {"about"}, f"texts.toml, [categories.{name}]")
        if entry.get("about", "child") not in ("child", "adult"):
            raise CasuistryError(
                f"texts.toml, [categories.{name}]: about = {entry['about']!r}; "
                "give 'child' or 'adult', or leave it out"
            )
    return Texts(
        category_nl={name: entry["phrase"] for name, entry in categories.items()},
        about_a_child=frozenset(n for n, e in categories.items() if e.get("about") == "child"),
        about_an_adult=frozenset(n for n, e in categories.items() if e.get("about") == "adult"),
        signal_texts={name: tuple(entry["texts"]) for name, entry in categories.items()},
        event_texts={group: tuple(texts) for group, texts in data.get("events", {}).items()},
    )


def load_scenarios(folder: Traversable, *, categories=None) -> dict[str, Scenario]:
    """Read the catalogue and every scenario it lists from ``folder``, checked.

    Parameters
    ----------
    folder : Traversable or Path
        Holds ``catalogue.toml`` and one ``<scenario>.toml`` per scenario.
    categories : collection of str, optional
        The signal categories observers may see (those of ``texts.toml``
        beside this module when None).

    Returns
    -------
    dict
        The scenarios by name, in the catalogue's order.

    Raises
    ------
    CasuistryError
        For a missing file, an unknown or missing key, or a scenario that
        names an actor the catalogue lacks or a category without texts.
    """
    if categories is None:
        categories = TEXTS.category_nl
    catalogue = _read(folder, "catalogue.toml")
    actors = catalogue.get("actors", {})
    for name, entry in actors.items():
        where = f"catalogue.toml, [actors.{name}]"
        _keys(entry, {"silo", "label", "source"}, {"rhythm"}, where)
        if entry.get("rhythm", OFFICE) not in RHYTHMS:
            raise CasuistryError(
                f"{where}: rhythm = {entry['rhythm']!r}; give one of " + ", ".join(RHYTHMS)
            )
    return {
        name: _scenario(name, _read(folder, f"{name}.toml"), actors, categories)
        for name in catalogue.get("scenarios", [])
    }


def _scenario(name: str, data: dict, catalogue: dict, categories) -> Scenario:
    where = f"{name}.toml"
    _keys(data, _SCENARIO_KEYS, _OPTIONAL_SCENARIO_KEYS, where)

    def spec(actor: str, role: dict) -> ActorSpec:
        if actor not in catalogue:
            raise CasuistryError(
                f"{where} names the actor {actor!r}, which catalogue.toml does not define; "
                f"add [actors.{actor}] there or use one of: " + ", ".join(sorted(catalogue))
            )
        entry = catalogue[actor] | {k: v for k, v in role.items() if k in _OVERRIDES}
        return ActorSpec(
            actor,
            entry["silo"],
            entry["label"],
            entry.get("rhythm", OFFICE),
            tuple(role.get("observes", {}).items()),
            role.get("rate", 0.0),
            role.get("weight", 1.0),
            entry["source"],
        )

    for actor, role in data["observers"].items():
        _keys(role, _OBSERVER_KEYS, _OVERRIDES, f"{where}, [observers.{actor}]")
        unknown = [c for c in role["observes"] if c not in categories]
        if unknown:
            raise CasuistryError(
                f"{where}, [observers.{actor}]: the category {unknown[0]!r} has no texts; "
                "add [categories." + unknown[0] + "] to texts.toml or fix the name"
            )
    specs = [spec(actor, role) for actor, role in data["observers"].items()]
    specs += [spec(actor, {}) for actor in [*data["hubs"], *data["followers"]]]
    involved = {s.name for s in specs}
    named = [a for pair in data["same_silo"] for a in pair]
    named += [incident["actor"] for incident in data["incidents"]]
    for actor in named:
        if actor not in involved:
            spec(actor, {})  # an actor unknown to the catalogue gets that message
            raise CasuistryError(
                f"{where} names the actor {actor!r} in same_silo or incidents, but not among "
                "its observers, hubs or followers; add it there"
            )
    for route in data["routes"]:
        if route not in ROUTES:
            raise CasuistryError(f"{where}: unknown route {route!r}; use " + ", ".join(ROUTES))
    if set(data["bases"]) != set(BASIS_GROUPS):
        raise CasuistryError(f"{where}, [bases]: give exactly " + ", ".join(BASIS_GROUPS))
    return Scenario(
        name=name,
        prefix=data["prefix"],
        title=data["title"],
        story=data["story"],
        hubs=tuple(data["hubs"].items()),
        observers=tuple(data["observers"]),
        followers=tuple(data["followers"]),
        actors=tuple(specs),
        same_silo=tuple(tuple(pair) for pair in data["same_silo"]),
        routes=tuple(data["routes"].items()),
        subjects=tuple(data["subjects"].items()),
        bases={group: tuple(bases) for group, bases in data["bases"].items()},
        reason_mix=dict(data["reason_mix"]),
        incidents=tuple((incident["actor"], incident["text"]) for incident in data["incidents"]),
        closings=tuple(data["closings"]),
        hub_actions=tuple(data["hub_actions"]),
        **{
            key: tuple(data[key]) if key == "follower_actions" else data[key]
            for key in _OPTIONAL_SCENARIO_KEYS
            if key in data
        },
    )


def _read(folder: Traversable, name: str) -> dict:
    path = folder.joinpath(name)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CasuistryError(f"{name} is missing from the scenario data in {folder}") from None
    except tomllib.TOMLDecodeError as error:
        raise CasuistryError(f"{name}: {error}") from None


def _keys(entry: dict, required: set, optional: set, where: str) -> None:
    missing = sorted(required - set(entry))
    unknown = sorted(set(entry) - required - optional)
    if missing or unknown:
        problems = [f"missing {', '.join(missing)}"] if missing else []
        problems += [f"unknown {', '.join(unknown)}"] if unknown else []
        raise CasuistryError(
            f"{where}: {'; '.join(problems)} (keys are "
            + ", ".join(sorted(required | optional))
            + ")"
        )


_DATA = files(__name__)
#: The texts of synthetic events (see :class:`Texts`).
TEXTS = load_texts(_DATA)
CATEGORY_NL = TEXTS.category_nl
ABOUT_A_CHILD = TEXTS.about_a_child
ABOUT_AN_ADULT = TEXTS.about_an_adult
SIGNAL_TEXTS = TEXTS.signal_texts
EVENT_TEXTS = TEXTS.event_texts
#: The scenarios by name.
SCENARIOS: dict[str, Scenario] = load_scenarios(_DATA)
