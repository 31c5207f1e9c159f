"""Reading every layout of CASE_FORMAT section 1, and refusing what cannot be read."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hostile import make_hostile

import casuistry
from casuistry.errors import InputError
from casuistry.io import raw, xlsx
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
    events = read_tables(tmp_path / "events.csv")["events"]
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


def test_a_folder_holding_a_workbook_says_to_give_the_workbook(tmp_path):
    openpyxl.Workbook().save(tmp_path / "casus.xlsx")
    (tmp_path / "~$casus.xlsx").write_bytes(b"owner")  # Excel's lock file, while open
    with pytest.raises(InputError) as caught:
        casuistry.load(tmp_path)
    assert str(caught.value).endswith(
        "no events.csv or events.parquet in this folder; it holds the workbook casus.xlsx: "
        "give the workbook itself as the path"
    )
    with pytest.raises(InputError, match="the lock file Excel keeps while a workbook is open"):
        casuistry.load(tmp_path / "~$casus.xlsx")


def test_folder_with_both_csv_and_parquet_is_ambiguous(tmp_path):
    shutil.copy(casuistry.example_path() / "events.csv", tmp_path / "events.csv")
    pd.read_csv(tmp_path / "events.csv").to_parquet(tmp_path / "events.parquet")
    with pytest.raises(InputError, match="keep one of them"):
        casuistry.load(tmp_path)


# --- hostile shapes, files and workbooks (issue 10) -------------------------------------


def test_a_comma_at_the_end_of_every_row_is_one_message_naming_the_lines(tmp_path):
    # 8 header fields; every data row gets a ninth, empty one from its trailing comma
    rows = "".join(f"c,e{i},{i},signal,x,,,a,\n" for i in range(1, 23))
    write(tmp_path, "events.csv", HEADER + "\n" + rows)
    with pytest.raises(InputError) as caught:
        casuistry.load(tmp_path)
    message = str(caught.value)
    assert message.startswith("events.csv: every row has one field more than the header")
    assert "(8 fields; line 2 has 9, line 3 has 9" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("separator", "named"), [(";", "semicolons"), ("\t", "tabs")], ids=["semicolon", "tab"]
)
@pytest.mark.parametrize("bom", ["", "\ufeff"], ids=["plain", "bom"])
def test_a_table_separated_by_semicolons_or_tabs_is_named_as_such(tmp_path, separator, named, bom):
    # what Excel with Dutch settings saves as CSV: every column would be "missing"
    text = (HEADER + "\nc,e1,2024-01-15,signal,school,,,verzuim\n").replace(",", separator)
    write(tmp_path, "events.csv", bom + text.replace("\n", "\r\n"))
    with pytest.raises(InputError) as caught:
        casuistry.load(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"events.csv: the header reads as one column holding {named}")
    assert "(.xlsx)" in message and "case_id" not in message  # the header is not echoed


def test_one_column_with_semicolons_in_its_cells_only_is_not_called_separated(tmp_path):
    write(tmp_path, "events.csv", "case_id\nc;1\n")
    with pytest.raises(casuistry.InvalidCase, match="required column 'event_id' is missing"):
        casuistry.load(tmp_path)


def test_a_trailing_comma_on_the_header_too_reads_as_an_empty_column(tmp_path):
    rows = "".join(f"c,e{i},{i},signal,x,,,a,\n" for i in range(1, 4))
    write(tmp_path, "events.csv", HEADER + ",\n" + rows)
    book = casuistry.load(tmp_path)
    assert book.n_events == 3
    assert not any(str(c).startswith("Unnamed") for c in book.events.columns)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # line 2 has 10 fields: not only a trailing comma
        (
            "c,e1,1,signal,x,,,a,,\n",
            "1 row has more fields than the header (8 fields; line 2 has 10)",
        ),
        # line 2 has an extra field
        (
            "c,e1,1,signal,x,,,a,z\nc,e2,2,signal,x,,,a\n",
            "1 row has one field more than the header (8 fields; line 2 has 9)",
        ),
        # a quoted comma is one field; line 4 (after a two-line cell) has 10
        ('c,e1,1,signal,x,,,"a,\nb"\nc,e2,2,signal,x,,,a,,\n', "(8 fields; line 4 has 10)"),
    ],
)
def test_rows_with_more_or_fewer_fields_are_named(tmp_path, rows, expected):
    write(tmp_path, "events.csv", HEADER + "\n" + rows)
    with pytest.raises(InputError, match=r"events\.csv: ") as caught:
        casuistry.load(tmp_path)
    assert expected in str(caught.value)


def test_rows_with_fewer_fields_are_read_with_one_warning_naming_them(tmp_path):
    # lines 3 and 4 lost their last fields (6 and 7 of 8): read as empty, as before
    write(
        tmp_path,
        "events.csv",
        HEADER + "\nc,e1,1,signal,x,,,a\nc,e2,2,action,x,\nc,e3,3,action,x,y,\n",
    )
    book = casuistry.load(tmp_path)
    assert book.events["event_id"].tolist() == ["e1", "e2", "e3"]
    assert book.warnings[["row", "message"]].values.tolist() == [
        [
            3,
            "2 rows have fewer fields than the header (8 fields; line 3 has 6, line 4 has 7); "
            "the missing fields at the end of these rows are read as empty",
        ]
    ]


def test_quotes_outside_the_rules_are_read_as_pandas_reads_them(tmp_path):
    # a quote inside an unquoted cell is a character of the cell (pandas and the csv module)
    write(tmp_path, "events.csv", HEADER + ',description\nc,e1,1,signal,x,,,a,5" tall\n')
    book = casuistry.load(tmp_path)
    assert book.events["description"].tolist() == ['5" tall']


@pytest.mark.parametrize(
    ("header", "positions"),
    [
        ("description,Description", "column 9 ('description') and column 10 ('description')"),
        ("description,description", "column 9 ('description') and column 10 ('description')"),
        ("Team, team ", "column 9 and column 10"),  # not the format's own: names not echoed
    ],
)
def test_two_columns_of_one_name_are_refused_naming_both(tmp_path, header, positions):
    write(tmp_path, "events.csv", f"{HEADER},{header}\nc,e1,1,signal,x,,,a,p,q\n")
    with pytest.raises(InputError) as caught:
        casuistry.load(tmp_path)
    assert f"events.csv: {positions} have the same name" in str(caught.value)


def test_values_under_an_empty_header_are_refused(tmp_path):
    write(tmp_path, "events.csv", f"{HEADER},\nc,e1,1,signal,x,,,a,\nc,e2,2,signal,x,,,a,oops\n")
    with pytest.raises(
        InputError, match=r"column 9 has no header but holds values \(first on row 3\)"
    ):
        casuistry.load(tmp_path)


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    write(
        tmp_path, "events.csv", HEADER + ",description\nc,e1,1,signal,x,,,a," + "y" * 32_768 + "\n"
    )
    with pytest.raises(InputError, match=r"row 2, column 9 \('description'\) holds 32,768 char"):
        casuistry.load(tmp_path)


def _table_folder(tmp_path, table="events.csv"):
    folder = tmp_path / "case"
    folder.mkdir()
    if table == "actors.csv":
        shutil.copy(casuistry.example_path() / "events.csv", folder / "events.csv")
    return folder, folder / table


@pytest.mark.parametrize("table", ["events.csv", "actors.csv", "events.parquet"])
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.mkdir(), "is a folder, not a file"),
        (lambda p: p.symlink_to(p.parent / "gone"), "a link to something that does not exist"),
        (lambda p: os.mkfifo(p), "is not a regular file (a pipe, socket or device)"),
    ],
)
def test_a_table_that_is_no_regular_file_is_refused_without_opening_it(
    tmp_path, table, make, expected
):
    folder, path = _table_folder(tmp_path, table)
    make(path)
    with pytest.raises(InputError) as caught:
        casuistry.load(folder)
    assert str(caught.value) == f"{path}: {expected}; {table} must be a file"


def test_a_workbook_path_that_is_a_fifo_or_broken_link_is_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo.xlsx")
    with pytest.raises(InputError, match=r"fifo\.xlsx: is not a regular file"):
        casuistry.load(tmp_path / "fifo.xlsx")
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    with pytest.raises(InputError, match=r"gone\.xlsx: a link to something that does not exist"):
        casuistry.load(tmp_path / "gone.xlsx")


def test_a_table_without_read_permission_is_refused(tmp_path, monkeypatch):
    # the tests may run as root, who reads everything: the permission check is made to fail
    shutil.copy(casuistry.example_path() / "events.csv", tmp_path / "events.csv")
    monkeypatch.setattr(raw.os, "access", lambda path, mode: False)
    with pytest.raises(InputError, match=r"events.csv: cannot be read \(no permission\)"):
        casuistry.load(tmp_path)


@pytest.mark.parametrize("ref", ["A1", "A1:C3"])
def test_a_stale_dimension_record_does_not_hide_rows(tmp_path, ref):
    path = make_hostile.workbook(tmp_path / "case.xlsx", {"events": make_hostile.event_rows()})
    make_hostile.set_dimension(path, ref)
    with zipfile.ZipFile(path) as archive:  # the record now says less than the sheet holds
        assert f'<dimension ref="{ref}"/>'.encode() in archive.read("xl/worksheets/sheet1.xml")
    events = read_tables(path)["events"]
    assert events.rows.tolist() == [2, 3, 4, 5, 6, 7, 8]  # all 7 rows below the header
    assert events.frame.columns[:3].tolist() == ["case_id", "event_id", "time"]


def test_a_value_right_of_the_header_in_a_sheet_is_refused(tmp_path):
    rows = make_hostile.event_rows()
    rows[3].append("stray")
    path = make_hostile.workbook(tmp_path / "case.xlsx", {"events": rows})
    with pytest.raises(InputError, match=r"case.xlsx\[events\]: row 4, column J holds a value"):
        read_tables(path)


def test_a_workbook_lacking_events_does_not_echo_its_sheet_names(tmp_path):
    path = make_hostile.workbook(tmp_path / "case.xlsx", {"BSN 111222333": [["x"]]})
    with pytest.raises(InputError) as caught:
        read_tables(path)
    assert "111222333" not in str(caught.value)
    assert "among its 1 sheet(s)" in str(caught.value)


def _claims(tmp_path, part, size):
    path = make_hostile.workbook(tmp_path / "case.xlsx", {"events": make_hostile.event_rows()})
    return make_hostile.lie_about_size(path, part, size)


@pytest.mark.parametrize(
    ("part", "size", "expected"),
    [
        # declared sizes only: nothing is unpacked to find these
        ("xl/worksheets/sheet1.xml", xlsx.MAX_ENTRY_BYTES + 1, "a sheet would unpack to 100 MB"),
        ("xl/styles.xml", 2 * 2**20, "one part would unpack to"),  # ratio: 2 MB from ~1 kB
    ],
)
def test_workbook_limits_are_checked_on_the_declared_sizes(tmp_path, part, size, expected):
    path = _claims(tmp_path, part, size)
    with pytest.raises(InputError, match=r"case\.xlsx: ") as caught:
        read_tables(path)
    assert expected in str(caught.value)


def test_a_workbook_may_not_unpack_to_more_than_the_total_limit(tmp_path):
    path = make_hostile.workbook(tmp_path / "case.xlsx", {"events": make_hostile.event_rows()})
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(201):
            archive.writestr(f"xl/media/{number}.bin", b"x")
    for number in range(201):  # 201 parts of 1 MB each: under the ratio rule's size
        make_hostile.lie_about_size(path, f"xl/media/{number}.bin", 2**20)
    with pytest.raises(
        InputError, match="would unpack to 201 MB; a workbook may unpack to at most 200 MB"
    ):
        read_tables(path)


BOMB_PROBE = """
import sys, tracemalloc
from pathlib import Path
from casuistry.errors import InputError
from casuistry.io import raw, xlsx
from casuistry.io.raw import read_tables
from hostile import make_hostile
tracemalloc.start()
try:
    read_tables(Path(sys.argv[1]))
except InputError as err:
    print(err)
print(tracemalloc.get_traced_memory()[1])
"""


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("honest", "bomb.xlsx: a sheet would unpack to 110 MB; one part may unpack to at most 100"),
        (
            "lying",
            "bomb.xlsx: not a readable .xlsx workbook (a damaged zip archive, or a part holding "
            "more than it declares)",
        ),
    ],
)
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, kind, expected):
    # a sheet of one 110 MB cell in a file of about half a MB; the lying one claims 4 kB
    path = make_hostile.bomb(tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", 110 * 2**20)
    assert path.stat().st_size < 2**20
    if kind == "lying":
        make_hostile.lie_about_size(path, "xl/worksheets/sheet1.xml", 4000)
    done = subprocess.run(
        [sys.executable, "-c", BOMB_PROBE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    message, peak = done.stdout.strip().rsplit("\n", 1)
    assert expected in message
    assert int(peak) < 300 * 2**20  # unpacking the cell would take more than 110 MB of text


def test_io_imports_nothing_above_it():
    # the package reads files; validation and loading import it, never the reverse;
    # the leaves it may use import nothing of casuistry themselves (progress: the
    # bar of a long workbook)
    allowed = {"casuistry.errors", "casuistry.vocabulary", "casuistry.progress"}
    progress = Path(raw.__file__).parents[1] / "progress.py"
    assert "casuistry" not in {
        (node.module or "").split(".")[0]
        for node in ast.walk(ast.parse(progress.read_text()))
        if isinstance(node, ast.ImportFrom)
    }
    folder = Path(raw.__file__).parent
    for module in folder.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("casuistry")
            ):
                assert node.module.startswith("casuistry.io") or node.module in allowed, (
                    module,
                    node.module,
                )


def test_header_only_events_say_no_events_yet_in_every_layout(tmp_path):
    # the first thing a team sees after `casuistry template`: one message, both languages
    folder = tmp_path / "parquet"
    folder.mkdir()
    pd.DataFrame({"case_id": pd.Series(dtype=str), "event_id": pd.Series(dtype=str)}).to_parquet(
        folder / "events.parquet"
    )
    write(tmp_path / "csv", "events.csv", "case_id,event_id\n")
    for path in (folder, tmp_path / "csv"):
        with pytest.raises(InputError, match=r"no events yet \(nog geen gebeurtenissen\)"):
            read_tables(path)
