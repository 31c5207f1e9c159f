"""Tests of casuistry.privacy.scan: identifiers in the cells of a table."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from privacy_strategies import any_text

from casuistry.errors import PROBLEM_COLUMNS, InputError, InvalidCase
from casuistry.io.raw import read_tables
from casuistry.privacy import (
    detect,
    scan,
    scan_identifiers,
    scan_labels,
)
from casuistry.privacy.normalise import normalise
from casuistry.validation import validate_tables


def scan_one(text: str) -> pd.DataFrame:
    return scan_identifiers(pd.DataFrame({"description": [text]}))


# --- scanning tables ------------------------------------------------------------


def test_scan_maps_a_value_back_to_every_row_and_sorts():
    frame = pd.DataFrame(
        {
            "description": ["a@b.nl", "niets", "a@b.nl", None, "BSN 111222333"],
            "source": ["dossier p.1", "tel 06-12345678", "x", "a@b.nl", "y"],
        }
    )
    problems = scan_identifiers(frame, file="case.csv")
    assert problems[["row", "column"]].values.tolist() == [
        [2, "description"],
        [3, "source"],
        [4, "description"],
        [5, "source"],
        [6, "description"],
    ]
    assert set(problems["file"]) == {"case.csv"}


def test_scan_rows_columns_and_index():
    frame = pd.DataFrame({"a": ["a@b.nl", "x"], "b": ["a@b.nl", "x"]}, index=[10, 11])
    assert scan_identifiers(frame)["row"].tolist() == [12, 12]  # index + 2
    assert scan_identifiers(frame, rows=[7, 8])["row"].tolist() == [7, 7]
    only_b = scan_identifiers(frame, columns=["b", "not there"])
    assert only_b["column"].tolist() == ["b"]
    labelled = frame.set_axis(["r1", "r2"])
    assert scan_identifiers(labelled)["row"].tolist() == [2, 2]  # position + 2
    with pytest.raises(ValueError, match="rows"):
        scan_identifiers(frame, rows=[1])


def test_scan_reads_number_columns_and_skips_booleans():
    # issue 10: a whole number in any numeric column (111222333.0 too) is read as its digits
    frame = pd.DataFrame(
        {
            "bsn": [111222333, 5],
            "severity": [3, 4],
            "ratio": [111222333.0, 1.0],
            "ok": [True, False],
        }
    )
    problems = scan_identifiers(frame)
    assert problems[["row", "column"]].values.tolist() == [[2, "bsn"], [2, "ratio"]]


def test_scan_reads_categorical_columns():
    frame = pd.DataFrame({"source": pd.Categorical(["a@b.nl", "dossier", "a@b.nl"])})
    assert scan_identifiers(frame)["row"].tolist() == [2, 4]


def test_scan_of_clean_table_is_empty_with_problem_columns():
    problems = scan_identifiers(pd.DataFrame({"description": ["belde school", None]}))
    assert problems.empty
    assert list(problems.columns) == PROBLEM_COLUMNS


@given(texts=st.lists(any_text | st.text(max_size=20), min_size=1, max_size=20))
@settings(max_examples=100, deadline=None)
def test_prefilter_reads_alike_in_re2_and_python(texts):
    # scan runs the prefilter in RE2 (pyarrow) on ASCII text, find_identifiers in Python's re
    # on normalised text.
    in_re2 = [code for code, _ in scan._candidates(np.array(texts, dtype=object))]
    in_python = [i for i, text in enumerate(texts) if detect.prefilter(normalise(text))]
    assert sorted(set(in_re2)) == sorted(set(in_python))


@given(
    texts=st.lists(st.none() | any_text | st.text(max_size=20), min_size=1, max_size=20),
    chunk=st.integers(1, 20),
)
@settings(max_examples=100, deadline=None)
def test_text_columns_are_scanned_as_other_columns(texts, chunk):
    # a text column is scanned by pyarrow on its chunks (_text_rows_per_kind); the same
    # values as objects take the plain path: each distinct value through _candidates
    as_objects = pd.Series(texts, dtype=object)
    pieces = [as_objects.iloc[k : k + chunk] for k in range(0, len(texts), chunk)]
    arrays = [pa.array(piece, type=pa.large_string(), from_pandas=True) for piece in pieces]
    as_text = pd.Series(pd.array(pa.chunked_array(arrays), dtype="string"))
    expected = scan._rows_per_kind(as_objects)
    got = scan._rows_per_kind(as_text)
    assert got.keys() == expected.keys()
    for kind, mask in expected.items():
        np.testing.assert_array_equal(got[kind], mask)


# --- headers, sheet names and numbers, through validation (issue 10) ---------------

GOOD_HEADER = ["case_id", "event_id", "time", "kind", "actor", "category", "description"]
GOOD_ROW = ["c1", "1", "2024-01-05", "signal", "school", "verzuim", "belde"]


def validate_csv(tmp_path, header, rows):
    path = tmp_path / "events.csv"
    lines = [",".join(header)] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return validate_tables(read_tables(path)["events"])


def test_scan_labels_names_the_position_not_the_label():
    found = scan_labels(["case_id", "06-12345678", "BSN １１１２２２３３３"], file="events.csv")
    assert found["message"].tolist() == [
        "column 2 of the header looks like a phone number; rename the column",
        "column 3 of the header looks like a BSN; rename the column",
    ]
    assert found[["row", "column"]].isna().all().all()


def test_an_identifier_in_a_header_is_refused_without_echoing_it(tmp_path):
    header = [*GOOD_HEADER, "mail jan@example.nl"]  # the 8th column
    with pytest.raises(InvalidCase) as caught:
        validate_csv(tmp_path, header, [[*GOOD_ROW, "x"]])
    text = str(caught.value)
    assert "events.csv: column 8 of the header looks like an e-mail address" in text
    assert "jan@example.nl" not in text
    assert len(caught.value.problems) == 1  # nothing else names the column


def test_an_identifier_as_a_sheet_name_is_refused_without_echoing_it(tmp_path):
    # sheets: events (1), actors would be 2, here a sheet named after a BSN is sheet 2
    book = openpyxl.Workbook()
    events = book.active
    events.title = "events"
    for row in [GOOD_HEADER, GOOD_ROW]:
        events.append(row)
    book.create_sheet("111222333")
    path = tmp_path / "case.xlsx"
    book.save(path)
    with pytest.raises(InvalidCase) as caught:
        validate_tables(read_tables(path)["events"])
    text = str(caught.value)
    assert "case.xlsx[events]: sheet 2 of the workbook looks like a BSN; rename the sheet" in text
    assert "111222333" not in text


def test_a_missing_events_sheet_is_named_without_echoing_identifiers(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "BSN 111222333"
    path = tmp_path / "case.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_tables(path)
    # the sheet names are not listed at all, only counted
    assert "111222333" not in str(caught.value)
    assert "BSN" not in str(caught.value)
    assert "among its 1 sheet(s)" in str(caught.value)


@pytest.mark.parametrize("time", ["111222333", "111222333.0"])
def test_a_bsn_as_a_day_number_is_refused(tmp_path, time):
    # issue 10: a nine-digit number passing the eleven-test in a numeric cell; the
    # second case uses day numbers (one style per case), so the time is otherwise valid
    rows = [
        GOOD_ROW,
        ["c2", "1", "3", "signal", "school", "x"],
        ["c2", "2", time, "signal", "school", "y"],
    ]
    with pytest.raises(InvalidCase) as caught:
        validate_csv(tmp_path, GOOD_HEADER, rows)
    problems = caught.value.problems
    assert problems[["row", "column"]].values.tolist() == [[4, "time"]]
    assert "111222333" not in str(caught.value)


def test_numbers_in_a_parquet_column_are_scanned(tmp_path):
    frame = pd.DataFrame(
        {
            "case_id": ["c1", "c1"],
            "event_id": ["1", "2"],
            "time": [3, 111222333],  # day numbers, as int64
            "kind": ["signal", "signal"],
            "actor": ["school", "school"],
            "category": ["verzuim", "verzuim"],
        }
    )
    path = tmp_path / "events.parquet"
    frame.to_parquet(path)
    with pytest.raises(InvalidCase) as caught:
        validate_tables(read_tables(path)["events"])
    assert caught.value.problems[["row", "column"]].values.tolist() == [[2, "time"]]
