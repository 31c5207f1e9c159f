"""The file of case ids `casuistry report --cases FILE` reads: its two forms and its errors."""

from __future__ import annotations

import pandas as pd
import pytest

from casuistry.errors import InputError
from casuistry.io.case_list import read_case_list


@pytest.mark.parametrize(
    ("name", "content", "ids"),
    [
        ("ids.txt", "hg-1\n\n  hg-2  \n# skipped\nhg-1\n", ["hg-1", "hg-2", "hg-1"]),
        ("ids.txt", "\ufeffcase_id\nhg-1\n", ["hg-1"]),  # a BOM and a header of its own
        ("ids.csv", "hg-1\r\nhg-2\r\n", ["hg-1", "hg-2"]),  # one column, no header
        ("chosen.csv", "signals,case_id\n3,hg-2\n1,hg-1\n", ["hg-2", "hg-1"]),
        ("chosen.csv", '"case_id"\n"hg 1, twee"\n', ["hg 1, twee"]),
    ],
)
def test_a_list_or_a_table_names_the_cases_in_its_order(tmp_path, name, content, ids):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    assert read_case_list(path) == ids


def test_a_parquet_selection_of_the_cases_table_names_its_cases(tmp_path):
    path = tmp_path / "chosen.parquet"
    pd.DataFrame({"case_id": ["b", "a"], "signals": [2, 1]}).to_parquet(path)
    assert read_case_list(path) == ["b", "a"]


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("missing.txt", None, "missing.txt: no such file or folder; give a text file"),
        ("empty.txt", "# nothing yet\n\n", "empty.txt: names no case; give a text file"),
        ("t.csv", "case,signals\nhg-1,1\n", "t.csv: has no column case_id; give a text file"),
        ("t.csv", "case_id,signals\nhg-1,1\n,2\n", "t.csv, column case_id: empty in row 3"),
        ("t.csv", "case_id;signals\nhg-1;1\n", "semicolons"),
        ("ids.txt", b"hg-\xe9\n", "ids.txt: is not UTF-8 text (byte 4); save it as UTF-8"),
        ("ids.xlsx", b"PK\x03\x04", "ids.xlsx: a workbook; save its sheet of case ids as CSV"),
    ],
)
def test_a_file_that_names_no_cases_says_what_it_should_hold(tmp_path, name, content, said):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_case_list(path)
    assert said in str(caught.value)


def test_a_folder_is_no_list(tmp_path):
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_case_list(tmp_path)
