"""Tests of casuistry.privacy.scan: identifiers in the cells of a table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from privacy_strategies import any_text

from casuistry.errors import PROBLEM_COLUMNS
from casuistry.privacy import (
    detect,
    scan,
    scan_identifiers,
)
from casuistry.privacy.normalise import normalise


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
