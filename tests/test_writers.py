"""Writing tables: CSV, Parquet and Excel, one folder at a time, no formulas."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casuistry.errors import NotCasuistrysOutput, OutputIsInput
from casuistry.io.writers import _FORMULA, neutralise, write_tables

# OWASP's triggers, each at the start of a text cell, and text that is just a number
HOSTILE = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tx", "\rx"]
NUMBERS = ["-3", "+31", "1.5", "-2.5e3"]


def table() -> pd.DataFrame:
    texts = HOSTILE + NUMBERS + ["gewoon", "a=b"]
    return pd.DataFrame(
        {
            "description": texts,
            "time": range(-3, len(texts) - 3),  # a numeric column: -3 stays a number
            "=header": ["x"] * len(texts),
        }
    )


def expected_texts() -> list[str]:
    return ["'" + text for text in HOSTILE] + NUMBERS + ["gewoon", "a=b"]


def test_csv_cells_that_would_run_as_formulas_are_quoted(tmp_path):
    write_tables(tmp_path / "out", {"events": table()})
    back = pd.read_csv(tmp_path / "out" / "events.csv", dtype=str, keep_default_na=False)
    assert list(back.columns) == ["description", "time", "'=header"]
    assert back["description"].tolist() == expected_texts()
    assert back["time"].tolist()[:2] == ["-3", "-2"]


def test_excel_cells_that_would_run_as_formulas_are_quoted_text(tmp_path):
    write_tables(tmp_path / "out", {"events": table()}, format="xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "out" / "cases.xlsx")["events"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("description", "time", "'=header")
    assert [row[0] for row in rows[1:]] == expected_texts()
    assert [row[1] for row in rows[1:3]] == [-3, -2]  # numbers, not text
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_parquet_keeps_every_cell(tmp_path):
    write_tables(tmp_path / "out", {"events": table()}, format="parquet")
    back = pd.read_parquet(tmp_path / "out" / "events.parquet")
    assert back["description"].tolist() == table()["description"].tolist()


def test_neutralise_leaves_the_table_it_was_given():
    frame = table()
    neutralise(frame)
    assert frame["description"].tolist()[0] == HOSTILE[0]


def test_tables_go_into_a_new_folder_or_one_casuistry_wrote(tmp_path):
    out = tmp_path / "out"
    write_tables(out, {"events": table(), "actors": table()})
    write_tables(out, {"events": table()})  # its own folder: replaced as a whole
    assert sorted(p.name for p in out.iterdir()) == [".casuistry", "events.csv"]
    (out / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(NotCasuistrysOutput, match=r"thesis\.docx"):
        write_tables(out, {"events": table()})
    with pytest.raises(OutputIsInput):
        write_tables(out, {"events": table()}, inputs=[out / "events.csv"])
    assert (out / "thesis.docx").read_bytes() == b"years of work"


def test_a_long_workbook_counts_its_rows_on_a_bar_on_a_terminal(tmp_path, monkeypatch, capsys):
    import sys

    from casuistry.io import writers

    events = pd.DataFrame({"case_id": ["c"] * 25, "event_id": [f"e{k}" for k in range(25)]})
    actors = pd.DataFrame({"actor": ["a", "b"]})
    tables = {"events": events, "actors": actors}
    monkeypatch.setattr(writers, "XLSX_BAR_FROM", 20)
    monkeypatch.setattr(writers, "_COUNTED", 10)
    write_tables(tmp_path / "a", tables, format="xlsx")
    assert "writing" not in capsys.readouterr().err  # pytest's stderr is no terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    write_tables(tmp_path / "b", tables, format="xlsx")
    last = capsys.readouterr().err.strip().split("\r")[-1]
    assert last.startswith("writing cases.xlsx: 100%") and " 27/27 " in last  # every row counted
    book = openpyxl.load_workbook(tmp_path / "b" / "cases.xlsx", read_only=True)
    assert [len(list(sheet.iter_rows())) for sheet in book] == [26, 3]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet="=+-@\t\r 0123456789.eE xa\u00e9", max_size=6) | st.none(),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["str", "object"]),
)
def test_each_text_cell_is_quoted_exactly_when_the_pattern_reads_a_formula(texts, dtype):
    # the characters a formula starts with are found in bulk, the pattern read per
    # cell only there: the same cells as the pattern on every cell
    quoted = neutralise(pd.DataFrame({"cell": pd.Series(texts, dtype=dtype)}))["cell"]
    expected = [t if t is None else "'" + t if _FORMULA.match(t) else t for t in texts]
    assert [None if pd.isna(v) else v for v in quoted] == expected
