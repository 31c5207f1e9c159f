"""The Analysis object: per-case access, ranking, reuse (see also test_analysis_json)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import PUZZLE_ACTORS, PUZZLE_EVENTS, load_csv, make_casebook

import casuistry
import casuistry.casebook
from casuistry.analysis import TABLES
from casuistry.analysis_run import run_tables
from casuistry.errors import CasuistryError, UnknownCase

# A day-number case without convergence, added to the puzzle to make a corpus.
DAYS_ROWS = """\
    dagen,a,0,signaal,school,,,verzuim,,,
    dagen,w,2,niet_delen,school,huisarts,a,,,,
    dagen,i,7,incident,school,,,,,,
"""


def test_case_restricts_every_table(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS + DAYS_ROWS, PUZZLE_ACTORS))
    one = result.case("dagen")
    for name in TABLES:
        assert set(getattr(one, name)["case_id"]) <= {"dagen"}, name
    assert one.casebook.case_ids == ["dagen"]
    assert len(one.cases) == 1
    # the days case has one signal (a) and one opportunity (w), the puzzle 5 and 3
    assert one.signals["signal_id"].tolist() == ["a"]
    assert one.opportunities["event_id"].tolist() == ["w"]
    assert result.case("puzzel").signals["signal_id"].tolist() == [
        "e01",
        "e02",
        "e03",
        "e05",
        "e09",
    ]
    with pytest.raises(UnknownCase):
        result.case("nope")


def test_a_case_of_a_hand_made_analysis_with_cases_interleaved(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS + DAYS_ROWS, PUZZLE_ACTORS))
    # Reverse every table: each case's rows are no longer one block in order.
    reversed_tables = {name: getattr(result, name).iloc[::-1] for name in TABLES}
    backwards = casuistry.Analysis(**reversed_tables, casebook=result.casebook)
    signals = backwards.case("puzzel").signals["signal_id"].tolist()
    assert signals == ["e09", "e05", "e03", "e02", "e01"]


def test_looking_up_every_case_touches_each_row_once(monkeypatch):
    """Work, not time: over all cases, each table row is scanned once and sliced once.

    The quadratic way (filter the whole table per case) would compare
    ``cases x rows`` case_ids; here the index is built once per table (5 builds
    for the Analysis, 1 for the events of the Casebook) and each case takes only
    its own rows.
    """
    book = casuistry.synthesize("jeugdbescherming", 30, seed=4).casebook
    result = casuistry.analyse(book)
    scanned, sliced = [], []
    real_rows, real_slice = casuistry.casebook.case_rows, casuistry.casebook.case_slice

    def counting_rows(case_ids):
        scanned.append(len(case_ids))
        return real_rows(case_ids)

    def counting_slice(frame, rows):
        out = real_slice(frame, rows)
        sliced.append(len(out))
        return out

    for module in (casuistry.casebook, casuistry.analysis):
        monkeypatch.setattr(module, "case_rows", counting_rows)
        monkeypatch.setattr(module, "case_slice", counting_slice)
    for case_id in book.case_ids:
        result.case(case_id)
    # the casebook's own per-case tables (the reviewer's episodes, factors, findings)
    review = [len(book.episodes), len(book.factors), len(book.findings)]
    table_rows = sum(len(getattr(result, name)) for name in TABLES) + sum(review)
    # One pass over each of the tables and over the events, ...
    expected = [len(getattr(result, n)) for n in TABLES] + [len(book.events)] + review
    assert sorted(scanned) == sorted(expected)
    # ... and each row of them sliced out exactly once, for its own case.
    assert sum(sliced) == table_rows + len(book.events)
    assert len(sliced) == (len(TABLES) + 1 + len(review)) * len(book)


def test_best_opportunities_ranks_the_missed_ones(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS))
    best = result.best_opportunities(n=1)
    assert best["event_id"].tolist() == ["e04"]  # 59 signal-days against 50 for e06
    assert len(result.best_opportunities()) == 2


def test_an_analysis_is_the_same_when_read_twice(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS))
    first = json.loads(result.to_json())
    result.case("puzzel")
    assert json.loads(result.to_json()) == first


def test_a_hand_made_casebook_out_of_order_is_refused():
    book = make_casebook(
        [
            {"event_id": "a", "time": "0", "kind": "signal", "actor": "x"},
            {"event_id": "b", "time": "1", "kind": "signal", "actor": "y"},
        ]
    )
    shuffled = type(book)(
        events=book.events.iloc[::-1].reset_index(drop=True),
        actors=book.actors,
        time_styles=book.time_styles,
    )
    with pytest.raises(CasuistryError, match="not sorted"):
        casuistry.analyse(shuffled)


def _buffers(column: pd.Series) -> list[np.ndarray]:
    """The numpy arrays a column's values live in (none for text and objects)."""
    array = column.array
    if hasattr(array, "_mask"):  # boolean, Int64
        return [array._data, array._mask]
    values = getattr(array, "_ndarray", None)  # numbers, times
    return [] if values is None or values.dtype == object else [values]


@pytest.mark.parametrize("compiled", [False, True])
def test_no_two_columns_of_the_tables_share_memory(compiled, tmp_path):
    # The tables take their columns without copying them (copy=False): an edit of
    # one column must never show in another, of the same table or of another.
    # Both engines' columns (the kernel's as Python where numba is not installed).
    casuistry.synthesize("huiselijk_geweld", 20, seed=5).save(tmp_path)
    tables = run_tables(casuistry.load(tmp_path), progress=False, compiled=compiled)
    arrays = [
        (f"{name}.{column}", values)
        for name in TABLES
        for column, series in tables[name].items()
        for values in _buffers(series)
    ]
    assert len(arrays) > 40
    for k, (name, values) in enumerate(arrays):
        for other, others in arrays[k + 1 :]:
            assert not np.shares_memory(values, others), (name, other)
