"""Tests of the scenario data and its loader: one actor catalogue, checked files."""

from __future__ import annotations

import fnmatch
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from casuistry.errors import CasuistryError
from casuistry.synthetic.scenarios import (
    SCENARIOS,
    TEXTS,
    load_scenarios,
)

DATA = files("casuistry.synthetic.scenarios")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the scenario data to break."""
    for entry in DATA.iterdir():
        if entry.name.endswith(".toml"):
            (tmp_path / entry.name).write_text(entry.read_text(encoding="utf-8"), "utf-8")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copy_of_the_data_loads_the_same_scenarios(data):
    assert load_scenarios(data) == SCENARIOS
    assert list(SCENARIOS) == [
        "jeugdbescherming",
        "huiselijk_geweld",
        "ondermijning",
        "publiek_privaat",
        "douane_kustwacht",
    ]


def test_actors_come_from_the_catalogue_with_the_scenarios_role():
    catalogue = tomllib.loads(DATA.joinpath("catalogue.toml").read_text("utf-8"))["actors"]
    school = SCENARIOS["jeugdbescherming"].actor("school")
    assert (school.silo, school.label, school.rhythm) == ("onderwijs", "Basisschool", "school")
    assert school.source == catalogue["school"]["source"]
    # what it sees, how often and how likely it takes part is the scenario's own
    assert school.observes == (
        ("verzuim", 5),
        ("vermoeden_kindermishandeling", 2.5),
        ("letsel", 2.5),
    )
    assert (school.rate, school.weight) == (1.6, 0.95)
    assert SCENARIOS["huiselijk_geweld"].actor("school").rate == 1.0
    # a hub sees nothing; the actors table lists observers, hubs, followers
    assert SCENARIOS["ondermijning"].actor("zvh").observes == ()
    assert [a.name for a in SCENARIOS["douane_kustwacht"].actors][-2:] == ["om", "fiod"]


def test_the_catalogue_holds_each_actor_once_and_every_one_is_used():
    raw_catalogue = tomllib.loads(DATA.joinpath("catalogue.toml").read_text("utf-8"))
    catalogue = raw_catalogue["actors"]
    used = {a.name for s in SCENARIOS.values() for a in s.actors}
    assert used == set(catalogue)
    # an override in a scenario differs from the catalogue (else it repeats it)
    for name in raw_catalogue["scenarios"]:
        raw = tomllib.loads(DATA.joinpath(f"{name}.toml").read_text("utf-8"))
        for actor, role in raw["observers"].items():
            for key in ("label", "source"):
                if key in role:
                    assert role[key] != catalogue[actor][key], (name, actor, key)


def test_every_category_observed_has_texts_and_a_phrase():
    observed = {c for s in SCENARIOS.values() for a in s.actors for c, _ in a.observes}
    assert observed <= set(TEXTS.signal_texts)
    assert set(TEXTS.category_nl) == set(TEXTS.signal_texts)
    assert not TEXTS.about_a_child & TEXTS.about_an_adult


@pytest.mark.parametrize(
    ("name", "old", "new", "words"),
    [
        (
            "ondermijning.toml",
            "hubs = { zvh = 1.0 }",
            "hubs = { veiligheidshuis = 1.0 }",
            r"ondermijning\.toml names the actor 'veiligheidshuis', which catalogue\.toml does "
            r"not define; add \[actors\.veiligheidshuis\] there",
        ),
        (
            "douane_kustwacht.toml",
            '{ actor = "kustwacht",',
            '{ actor = "school",',
            "names the actor 'school' in same_silo or incidents",
        ),
        (
            "publiek_privaat.toml",
            "observes = { betalingsachterstand_water",
            "observes = { water",
            r"\[observers\.water\]: the category 'water' has no texts",
        ),
        (
            "catalogue.toml",
            'label = "Kustwacht"',
            'labl = "Kustwacht"',
            r"\[actors\.kustwacht\]: missing label; unknown labl",
        ),
        (
            "catalogue.toml",
            'rhythm = "school"',
            'rhythm = "schoolish"',
            "rhythm = 'schoolish'; give one of office",
        ),
        (
            "texts.toml",
            'about = "child"',
            'about = "kid"',
            r"\[categories\.verzuim\]: about = 'kid'",
        ),
        ("jeugdbescherming.toml", "radar = 0.2", "ronde = 0.2", "unknown route 'ronde'"),
        ("huiselijk_geweld.toml", "\nfollower = [", "\nfollowers = [", r"\[bases\]: give exactly"),
    ],
)
def test_inconsistent_data_is_refused_with_file_entry_and_fix(data, name, old, new, words):
    edit(data / name, old, new)
    with pytest.raises(CasuistryError, match=words):
        load_scenarios(data)


def test_a_missing_scenario_file_is_named(data):
    (data / "ondermijning.toml").unlink()
    with pytest.raises(CasuistryError, match=r"ondermijning\.toml is missing"):
        load_scenarios(data)


def test_an_installed_package_carries_the_data_files():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["casuistry"]
    package = ROOT / "src" / "casuistry"
    data_files = [p.relative_to(package).as_posix() for p in package.glob("synthetic/**/*.toml")]
    assert len(data_files) == 8  # catalogue, texts, the reviewer's layer and five scenarios
    for name in data_files:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
