"""Export: every format gives back the same casebook and the same figures."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal
from test_engine_properties import random_rows

import casuistry
from casuistry.cli import main
from casuistry.errors import InputError
from casuistry.exporting import FORMATS, export, normalised_tables
from casuistry.io.writers import write_tables

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = [casuistry.example_path(), *sorted((ROOT / "data" / "synthetic").iterdir())]
#: Where each format goes: a folder, or a file with the format's suffix.
TARGETS = {
    "csv": "out",
    "parquet": "out",
    "xlsx": "case.xlsx",
    "ocel-json": "case.jsonocel",
    "ocel-sqlite": "case.sqlite",
}


def round_trip(book, folder: Path, format: str):
    out = folder / format / TARGETS[format]
    export(book, out, format=format)
    return casuistry.load(out)


def assert_same_book(before, after) -> None:
    """Identical casebooks: every column but ``row`` (where the row sits in the file read)."""
    assert_frame_equal(before.events.drop(columns="row"), after.events.drop(columns="row"))
    # A book read without an actors table made one (each actor its own silo, plain str
    # columns); the export writes it, so it comes back read from a table (string columns).
    assert_frame_equal(before.actors, after.actors, check_dtype=before.has_actor_table)
    assert_series_equal(before.time_styles, after.time_styles)


def assert_same_figures(before, after) -> None:
    one, two = casuistry.analyse(before), casuistry.analyse(after)
    for table in ("signals", "opportunities", "silo_pairs", "cases"):
        assert_frame_equal(getattr(one, table), getattr(two, table))
    assert one.to_json() == two.to_json()


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: Path(p).name)
def test_bundled_cases_round_trip_in_every_format(tmp_path, path, format):
    book = casuistry.load(path)
    again = round_trip(book, tmp_path, format)
    assert_same_book(book, again)
    assert_same_figures(book, again)


def _calendar(rows: list[dict], rng: random.Random) -> list[dict]:
    """The same case on the calendar: day d is 2024-01-01 + d, some events at a clock time.

    Clock times never go back within a day, so the processing order stays the same,
    and the times are written as the export writes them (see ``written_times``).
    """
    out, clock = [], {}
    for row in rows:
        day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(row["time"]))
        text = day.strftime("%Y-%m-%d")
        if clock.get(text) or rng.random() < 0.4:
            # at most 14 * 90 minutes; never 00:00, which the export writes as a date
            clock[text] = clock.get(text, 0) + rng.randint(1, 90)
            text += f"T{clock[text] // 60:02d}:{clock[text] % 60:02d}"
        out.append({**row, "time": text})
    return out


@st.composite
def corpora(draw) -> list[dict]:
    """Two to three random cases, each in day numbers or on the calendar."""
    rows = []
    for n in range(draw(st.integers(min_value=2, max_value=3))):
        rng = random.Random(draw(st.integers(min_value=0, max_value=2**32 - 1)))
        case = random_rows(rng, f"h{n}")
        rows += _calendar(case, rng) if draw(st.booleans()) else case
    return rows


def _as_folder(rows: list[dict], folder: Path) -> Path:
    frame = pd.DataFrame(rows)
    for column in ("to", "signals"):
        if column in frame:
            frame[column] = frame[column].map(lambda v: v if isinstance(v, list) else [])
    write_tables(folder, {"events": frame})
    return folder


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(corpora())
def test_random_corpora_round_trip_in_every_format(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("corpus")
    book = casuistry.load(_as_folder(rows, folder / "in"))
    for format in FORMATS:
        again = round_trip(book, folder, format)
        assert_same_book(book, again)
        assert_same_figures(book, again)


def test_day_numbers_come_back_as_day_numbers(tmp_path):
    rows = [
        {"event_id": "e1", "time": "0", "kind": "signal", "actor": "a", "category": "x"},
        {"event_id": "e2", "time": "12", "kind": "share", "actor": "a", "to": ["b"]},
        {"event_id": "e3", "time": "-3", "kind": "signal", "actor": "b", "category": "y"},
    ]
    book = casuistry.load(_as_folder([{"case_id": "d", **r} for r in rows], tmp_path / "in"))
    for format in FORMATS:
        again = round_trip(book, tmp_path, format)
        assert again.time_styles.to_dict() == {"d": "days"}
        # sorted by time: -3, 0, 12
        assert again.events["time"].tolist() == ["-3", "0", "12"]


def test_export_normalises_what_the_input_may_spell_otherwise(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "events.csv").write_text(
        "case_id,event_id,time,kind,actor,to,signals,category,confidence\n"
        "c,e1,2024-03-01T14:30:00+01:00,Signaal,school,,,verzuim,Certain\n"
        "c,e2,2024-03-02,niet_delen,school,vt ; gp,e1,,\n",
        encoding="utf-8",
    )
    book = casuistry.load(tmp_path / "in")
    export(book, tmp_path / "out", format="csv")
    text = (tmp_path / "out" / "events.csv").read_text(encoding="utf-8").splitlines()
    # 14:30 at +01:00 is 13:30 UTC; kinds in English; lists joined with ';'; confidence lower case
    assert text[1] == "c,e1,2024-03-01T13:30,signal,school,,,verzuim,certain"
    assert text[2] == "c,e2,2024-03-02,withhold,school,vt;gp,e1,,"
    again = casuistry.load(tmp_path / "out")
    assert again.events["ticks"].tolist() == book.events["ticks"].tolist()


@pytest.mark.parametrize(
    ("format", "expected"),
    [("csv", "'- moeder belt"), ("xlsx", "'- moeder belt"), ("parquet", "- moeder belt"),
     ("ocel-json", "- moeder belt"), ("ocel-sqlite", "- moeder belt")],
)  # fmt: skip
def test_formula_quoting_holds_for_spreadsheet_formats_only(tmp_path, format, expected):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "events.csv").write_text(
        "case_id,event_id,time,kind,actor,category,description\nc,e1,1,signal,a,x,- moeder belt\n",
        encoding="utf-8",
    )
    again = round_trip(casuistry.load(tmp_path / "in"), tmp_path, format)
    # the writers quote a text cell a spreadsheet would read as a formula (docs/choices.md)
    assert again.events["description"].tolist() == [expected]


def test_every_table_the_book_holds_is_exported(tmp_path):
    # the example carries all four reviewer's tables; lists are written with ';'
    book = casuistry.load(casuistry.example_path())
    names = ["events", "actors", "sources", "episodes", "factors", "findings"]
    assert list(normalised_tables(book)) == names
    written = export(book, tmp_path / "csv", format="csv")
    assert [p.name for p in written] == [f"{name}.csv" for name in names]
    episodes = pd.read_csv(tmp_path / "csv" / "episodes.csv", dtype=str)
    first = book.episodes.iloc[0]
    assert episodes.loc[0, "events"] == ";".join(first["events"])
    assert "row" not in episodes.columns


@pytest.mark.parametrize(("format", "name"), [("xlsx", "case.csv"), ("ocel-json", "case.sqlite")])
def test_a_file_format_needs_its_suffix(tmp_path, format, name):
    book = casuistry.load(casuistry.example_path())
    with pytest.raises(InputError, match="give a name ending in"):
        export(book, tmp_path / name, format=format)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["case.xlsx", "case.jsonocel", "case.sqlite"])
def test_a_folder_format_refuses_a_file_name(tmp_path, name):
    # -o case.xlsx without --format wrote a folder named case.xlsx, full of CSV files
    book = casuistry.load(casuistry.example_path())
    with pytest.raises(InputError, match=r"writes a folder .* give a folder name, or the format"):
        export(book, tmp_path / name, format="csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "is_file"), [("case.xlsx", True), ("case.jsonocel", True), ("tabellen", False)]
)
def test_cli_export_takes_the_format_the_name_asks_for(tmp_path, capsys, name, is_file):
    out = tmp_path / name
    assert main(["export", str(casuistry.example_path()), "-o", str(out)]) == 0
    assert out.is_file() is is_file
    assert casuistry.load(out).n_events == 13


def test_cli_export_writes_and_reports(tmp_path, capsys):
    out = tmp_path / "case.jsonocel"
    status = main(
        ["export", str(casuistry.example_path()), "-o", str(out), "--format", "ocel-json"]
    )
    assert status == 0
    assert "ok: 1 case, 13 events, 1 warning" in capsys.readouterr().out
    assert casuistry.load(out).n_events == 13


def test_cli_export_of_invalid_input_exits_2_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "events.csv").write_text(
        "case_id,event_id,time,kind,actor\nc,e1,morgen,signal,school\n", encoding="utf-8"
    )
    status = main(["export", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert status == 2
    assert "events.csv, row 2, column time" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cli_export_never_writes_over_its_input(tmp_path, capsys):
    target = tmp_path / "case.jsonocel"
    export(casuistry.load(casuistry.example_path()), target, format="ocel-json")
    before = target.read_bytes()
    status = main(["export", str(target), "-o", str(target), "--format", "ocel-json"])
    assert status == 2
    assert "case.jsonocel is the input" in capsys.readouterr().err
    assert target.read_bytes() == before
