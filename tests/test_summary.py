"""The CLI summary: the same figures in Dutch and English, and no empty headings."""

from __future__ import annotations

import ast
from pathlib import Path

import casuistry
from casuistry.cli import main
from casuistry.summary import summary_text

ONE_SIGNAL = [
    {"event_id": "e1", "time": "2024-01-01", "kind": "signal", "actor": "school", "category": "a"}
]


def test_the_dutch_summary_says_what_the_english_one_says():
    result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    en, nl = summary_text(result, lang="en"), summary_text(result, lang="nl")
    # The example's withhold e04 gains 59 signal-days; e02 is censored after 71 days.
    assert "59 days over all signals" in en and "59 dagen over alle signalen" in nl
    assert "71 days (censored)" in en and "71 dagen (gecensureerd)" in nl
    assert "(reason recorded: unsure what the GDPR allows)" in en
    assert "(vastgelegde reden: onzekerheid over wat de AVG toestaat)" in nl
    # Same layout line by line: the same number of lines and the same blank lines.
    assert [line == "" for line in en.splitlines()] == [line == "" for line in nl.splitlines()]
    assert result.summary_text() == en  # English stays the default


def test_a_part_with_nothing_to_list_says_none_on_its_heading(casebook_from_rows):
    result = casuistry.analyse(casebook_from_rows(ONE_SIGNAL, {"school": "onderwijs"}))
    en = summary_text(result, lang="en").splitlines()
    nl = summary_text(result, lang="nl").splitlines()
    assert "Missed opportunities (what taking each one alone would have gained): none." in en
    assert "Gemiste kansen (wat het benutten van elk afzonderlijk had opgeleverd): geen." in nl
    for lines in (en, nl):
        headings = [n for n, line in enumerate(lines) if line.endswith(":")]
        # Every heading that ends in a colon is followed by an indented line.
        assert all(lines[n + 1].startswith("  ") for n in headings)


def test_a_missing_category_is_written_as_words_not_nan(casebook_from_rows):
    rows = [{**ONE_SIGNAL[0], "category": ""}]
    text = summary_text(casuistry.analyse(casebook_from_rows(rows)), lang="nl")
    assert "e1 (geen categorie)" in text and "nan" not in text.lower()


def test_analyse_speaks_dutch_with_lang_nl(capsys):
    assert main(["analyse", str(casuistry.example_path()), "--lang", "nl"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Casus puzzel-1: 13 gebeurtenissen, 5 signalen")
    assert "Van weten naar handelen:" in out


def test_summary_does_not_import_analysis():
    source = Path(casuistry.__file__).parent / "summary.py"
    imported = {
        node.module
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
    }
    assert "casuistry.analysis" not in imported  # analysis imports summary, not the reverse


def test_a_corpus_summary_reads_each_table_once_whatever_its_number_of_cases(monkeypatch):
    # A lookup of each case's rows made a summary of 48,605 cases take 72 s.
    import pandas as pd

    from casuistry import summary

    reads = []
    itertuples, rows = pd.DataFrame.itertuples, summary._rows

    def counted_tuples(frame, *args, **kwargs):
        reads.append("itertuples")
        return itertuples(frame, *args, **kwargs)

    def counted_rows(table, names, *args, **kwargs):
        reads.append(names[1])
        return rows(table, names, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "itertuples", counted_tuples)
    monkeypatch.setattr(summary, "_rows", counted_rows)
    texts = {}
    for n in (2, 12):
        result = casuistry.analyse(casuistry.synthesize("ondermijning", n, seed=3).casebook)
        reads.clear()
        texts[n] = summary_text(result)
        # the cases, the signals, the missed opportunities
        assert sorted(reads) == ["event_id", "itertuples", "signal_id"]
    assert texts[12].count("\n\nCase ") == 11


def test_a_case_whose_rows_span_two_chunks_is_summarised_whole(monkeypatch):
    import functools

    from casuistry import summary

    result = casuistry.analyse(casuistry.synthesize("ondermijning", 5, seed=3).casebook)
    whole = summary_text(result)
    monkeypatch.setattr(summary, "_rows", functools.partial(summary._rows, chunk=3))
    assert summary_text(result) == whole
    assert whole.count("\n\nCase ") == 4
