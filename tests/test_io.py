"""Reading every layout of CASE_FORMAT section 1, and refusing what cannot be read."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

import casuistry
from casuistry.errors import InputError
from casuistry.io.raw import read_tables

HEADER = "case_id,event_id,time,kind,actor,to,signals,category"


def write(folder, name, text, encoding="utf-8"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))
    return folder / name


def comparable(book):
    """The parts of a Casebook that must not depend on the file layout."""
    events = book.events.drop(columns=["row"]).copy()
    for column in events.columns:
        if column not in ("to", "signals", "severity", "ticks"):
            events[column] = events[column].astype(object)
    return events, book.actors, book.time_styles


def example_as_xlsx(tmp_path, *, date_cells: bool):
    events = pd.read_csv(casuistry.example_path() / "events.csv", dtype=str, keep_default_na=False)
    actors = pd.read_csv(casuistry.example_path() / "actors.csv", dtype=str)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "events"
    sheet.append(list(events.columns))
    for record in events.itertuples(index=False):
        cells = [None if v == "" else v for v in record]
        if date_cells:
            cells[2] = pd.Timestamp(cells[2]).to_pydatetime()
        sheet.append(cells)
    actors_sheet = book.create_sheet("actors")
    actors_sheet.append(list(actors.columns))
    for record in actors.itertuples(index=False):
        actors_sheet.append(list(record))
    path = tmp_path / "case.xlsx"
    book.save(path)
    return path


def example_as_parquet(tmp_path):
    folder = tmp_path / "parquet"
    folder.mkdir()
    events = pd.read_csv(casuistry.example_path() / "events.csv")
    events["time"] = pd.to_datetime(events["time"])  # a real timestamp column
    events.to_parquet(folder / "events.parquet")
    pd.read_csv(casuistry.example_path() / "actors.csv").to_parquet(folder / "actors.parquet")
    return folder


@pytest.mark.parametrize("layout", ["xlsx-text-dates", "xlsx-date-cells", "parquet"])
def test_example_loads_identically_from_every_layout(tmp_path, layout):
    reference = comparable(casuistry.load(casuistry.example_path()))
    if layout == "parquet":
        path = example_as_parquet(tmp_path)
    else:
        path = example_as_xlsx(tmp_path, date_cells=layout == "xlsx-date-cells")
    other = comparable(casuistry.load(path))
    pd.testing.assert_frame_equal(reference[0], other[0], check_dtype=False)
    pd.testing.assert_frame_equal(reference[1], other[1], check_dtype=False)
    pd.testing.assert_series_equal(reference[2], other[2])


def test_rows_are_counted_as_the_user_counts_them(tmp_path):
    csv_book = casuistry.load(casuistry.example_path())
    assert csv_book.events.set_index("event_id").loc["e01", "row"] == 2  # header is line 1
    xlsx_book = casuistry.load(example_as_xlsx(tmp_path, date_cells=True))
    assert xlsx_book.events.set_index("event_id").loc["e13", "row"] == 14  # sheet row
    parquet_book = casuistry.load(example_as_parquet(tmp_path))
    assert parquet_book.events.set_index("event_id").loc["e01", "row"] == 1  # first record


def test_csv_lines_count_quoted_newlines_and_blank_lines(tmp_path):
    text = (
        "case_id,event_id,time,kind,actor,category,description\n"
        'c,e1,2024-01-01,signal,school,verzuim,"two\nlines"\n'
        "\n"
        "c,e2,2024-01-02,signal,arts,letsel,\n"
        "c,e3,nope,signal,arts,letsel,\n"
    )
    write(tmp_path, "events.csv", text)
    with pytest.raises(casuistry.InvalidCase) as caught:
        casuistry.load(tmp_path)
    assert caught.value.problems["row"].tolist() == [6]
    events, _ = read_tables(tmp_path / "events.csv")
    assert events.rows.tolist() == [2, 5, 6]


def test_single_events_file_bom_aliases_extra_columns_and_day_numbers(tmp_path):
    path = write(
        tmp_path,
        "events.csv",
        "\ufeffCase_ID,event_id,time,KIND,actor,to,signals,category,team\n"
        "a,1,0,Signaal,school,,,verzuim,noord\n"
        "a,2,3,Niet delen,school,arts,1,,noord\n"
        "b,1,2024-03-01T14:30,OVERLEG,arts,school;  wijkteam ,,,zuid\n",
    )
    book = casuistry.load(path)
    assert book.events["kind"].tolist() == ["signal", "withhold", "meeting"]
    assert book.events["team"].tolist() == ["noord", "noord", "zuid"]  # kept, not dropped
    assert book.events["to"].tolist() == [(), ("arts",), ("school", "wijkteam")]
    assert book.time_styles.to_dict() == {"a": "days", "b": "datetime"}
    assert book.events["ticks"].tolist() == [0, 3 * 86400, 1709303400]
    # without an actors table every actor is its own silo
    assert book.silo_of() == {"arts": "arts", "school": "school", "wijkteam": "wijkteam"}


def test_events_are_ordered_by_time_then_row(tmp_path):
    write(
        tmp_path,
        "events.csv",
        HEADER + "\nc,late,5,signal,x,,,a\nc,tie2,2,signal,y,,,a\nc,tie1,2,signal,z,,,a\n",
    )
    assert casuistry.load(tmp_path).events["event_id"].tolist() == ["tie2", "tie1", "late"]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p / "missing", "no such file or folder"),
        (lambda p: write(p, "events.csv", ""), "empty"),
        (lambda p: write(p, "events.csv", HEADER + "\n"), "header but no rows"),
        (
            lambda p: write(p, "events.csv", HEADER + "\nc,é,1,signal,x,,,a\n", "latin-1"),
            "not UTF-8",
        ),
        (lambda p: write(p, "notes.txt", "hello"), "cannot read"),
        (lambda p: (p / "empty-folder").mkdir() or p / "empty-folder", "no events.csv"),
    ],
)
def test_unreadable_input_is_refused_in_one_line(tmp_path, make, expected):
    path = make(tmp_path)
    with pytest.raises(InputError) as caught:
        casuistry.load(path)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_workbook_without_events_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "gebeurtenissen"
    book.save(tmp_path / "case.xlsx")
    with pytest.raises(InputError, match="no sheet named 'events'"):
        casuistry.load(tmp_path / "case.xlsx")


def test_folder_with_both_csv_and_parquet_is_ambiguous(tmp_path):
    shutil.copy(casuistry.example_path() / "events.csv", tmp_path / "events.csv")
    pd.read_csv(tmp_path / "events.csv").to_parquet(tmp_path / "events.parquet")
    with pytest.raises(InputError, match="keep one of them"):
        casuistry.load(tmp_path)
