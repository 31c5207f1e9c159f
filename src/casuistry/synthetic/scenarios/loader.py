"""Reading and checking the scenario data files.

:func:`load_scenarios` reads ``catalogue.toml``, ``texts.toml`` and the file of
every scenario the catalogue lists from one folder, and refuses anything
inconsistent with a message that names the file, the entry and the fix: an
actor the catalogue lacks, a category without texts, an unknown route,
rhythm or key.
"""

from __future__ import annotations

import tomllib
from importlib.resources.abc import Traversable

from casuistry.errors import CasuistryError
from casuistry.synthetic.scenarios.model import (
    BASIS_GROUPS,
    OFFICE,
    RHYTHMS,
    ROUTES,
    ActorSpec,
    Scenario,
    Texts,
)

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


def load_scenarios(folder: Traversable) -> dict[str, Scenario]:
    """Read the catalogue and every scenario it lists from ``folder``, checked.

    Parameters
    ----------
    folder : Traversable or Path
        Holds ``catalogue.toml``, ``texts.toml`` (whose categories the
        observers may see) and one ``<scenario>.toml`` per scenario.

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
    categories = load_texts(folder).category_nl
    catalogue = _read(folder, "catalogue.toml")
    actors = catalogue.get("actors", {})
    for name, entry in actors.items():
        where = f"catalogue.toml, [actors.{name}]"
        _keys(entry, {"silo", "label", "source"}, {"rhythm", "decides"}, where)
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
            entry.get("decides", False),
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
