"""``casuistry template``: a workbook an evaluation team fills in without reading the contract."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import casuistry
from casuistry.cli import main
from casuistry.kinds import KINDS
from casuistry.template import ROWS, choices, template_workbook, write_template

SHEETS = ["events", "actors", "sources", "episodes", "factors", "findings"]


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def validations(sheet) -> dict:
    """Per header of a sheet, the drop-down list (a DataValidation) on its column."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    out = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        (ref,) = str(validation.sqref).split()
        letter = ref.split(":")[0].rstrip("0123456789")
        assert ref == f"{letter}2:{letter}{ROWS + 1}"
        out[headers[letter]] = validation
    return out


def formulas(sheet) -> dict[str, str]:
    """Per header of a sheet, the formula of the list on its column."""
    return {header: v.formula1 for header, v in validations(sheet).items()}


def list_values(book, formula: str) -> list[str]:
    """The values a formula such as ``=lists!$A$2:$A$8`` refers to."""
    sheet_name, cells = formula.lstrip("=").split("!")
    first, last = cells.replace("$", "").split(":")
    return [row[0].value for row in book[sheet_name][f"{first}:{last}"]]


@pytest.fixture(params=["nl", "en"])
def written(request, tmp_path):
    path = write_template(tmp_path / "case.xlsx", lang=request.param)
    return request.param, openpyxl.load_workbook(path)


def test_sheets_headers_and_frozen_rows(written):
    lang, book = written
    first = "uitleg" if lang == "nl" else "explanation"
    assert book.sheetnames == [first, *SHEETS, "lists"]
    assert book["lists"].sheet_state == "hidden"
    assert [c.value for c in book["sources"][1]] == [
        "source",
        "title",
        "type",
        "date",
        "reliability",
    ]
    for name in SHEETS:
        assert book[name].freeze_panes == "A2"
        assert book[name].column_dimensions["A"].width >= 12


def test_the_explanation_covers_every_column_in_the_language(written):
    lang, book = written
    sheet = book.worksheets[0]
    explained = {(r[0].value, r[1].value) for r in sheet.iter_rows() if r[0].value in SHEETS}
    for name in SHEETS:
        for cell in book[name][1]:
            assert (name, cell.value) in explained
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert ("Bijdragende factoren" in text) == (lang == "nl")
    assert ("werkdruk en tijd" in text) == (lang == "nl")  # the factor labels, nl
    assert ("workload and time" in text) == (lang == "en")


def test_drop_down_lists_refer_to_the_lists_sheet_and_the_actors(written):
    lang, book = written
    events = formulas(book["events"])
    assert set(events) == {"kind", "actor", "to", "confidence", "reason", "basis"}
    assert events["actor"] == events["to"] == f"=actors!$A$2:$A${ROWS + 1}"
    kinds = list_values(book, events["kind"])
    assert kinds == list(KINDS.dutch_names if lang == "nl" else KINDS.codes)
    assert list_values(book, events["confidence"]) == ["certain", "likely", "uncertain"]
    assert set(validations(book["actors"])) == {"silo", "decides"}
    decides = list_values(book, formulas(book["actors"])["decides"])
    assert decides == (["ja", "nee"] if lang == "nl" else ["yes", "no"])
    sources = formulas(book["sources"])
    assert list_values(book, sources["reliability"]) == list("ABCDEF")
    assert list_values(book, sources["type"])[0] == "dossier"
    assessment = list_values(book, formulas(book["episodes"])["assessment"])
    assert assessment == (
        ["goed", "problematisch", "gemengd"] if lang == "nl" else ["good", "problematic", "mixed"]
    )
    assert "inter_agency" in list_values(book, formulas(book["factors"])["factor"])


def test_closed_lists_refuse_other_values_and_open_ones_only_offer(written):
    _, book = written
    strict = {header: v.showErrorMessage for header, v in validations(book["events"]).items()}
    assert strict == {
        "kind": True, "actor": True, "to": False, "confidence": True, "reason": True,
        "basis": False,
    }  # fmt: skip  # 'to' may name several, separated by ';'


def test_date_cells_are_formatted_as_dates(written):
    _, book = written
    assert book["events"]["C2"].number_format == "yyyy-mm-dd"  # time
    assert book["events"][f"C{ROWS + 1}"].number_format == "yyyy-mm-dd"
    assert book["sources"]["D2"].number_format == "yyyy-mm-dd"  # date


def test_every_value_a_list_offers_is_accepted_by_the_reader(tmp_path):
    # the kinds, decides and assessments a Dutch template offers are read back
    for lang in ("nl", "en"):
        offered = choices(lang)
        assert {KINDS.normalise(k) for k in offered["kind"]} == set(KINDS.codes)


def test_the_empty_template_validates_with_one_clear_message(capsys, tmp_path):
    assert run(capsys, "template", "-o", tmp_path / "leeg.xlsx")[0] == 0
    status, out, err = run(capsys, "validate", tmp_path / "leeg.xlsx")
    assert (status, out) == (2, "")
    assert err.strip().splitlines() == [
        "casuistry validate: leeg.xlsx[events]: has a header but no rows: no events yet "
        "(nog geen gebeurtenissen); add one row per event"
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_filled_template_round_trips(capsys, tmp_path, lang):
    path = tmp_path / "case.xlsx"
    assert run(capsys, "template", "-o", path, "--example", "--lang", lang)[0] == 0
    status, out, _ = run(capsys, "validate", path)
    assert status == 0
    assert out.splitlines()[0] == "ok: 1 case, 13 events, 1 warning"  # as the CSV example
    assert run(capsys, "analyse", path, "--json")[0] == 0
    assert run(capsys, "report", path, "-o", tmp_path / "report.html", "--lang", lang)[0] == 0
    book, bundled = casuistry.load(path), casuistry.load(casuistry.example_path())
    # the same case: same events and times, same reviewer's tables
    assert book.events["ticks"].tolist() == bundled.events["ticks"].tolist()
    assert book.events["kind"].tolist() == bundled.events["kind"].tolist()
    assert book.actors["decides"].tolist() == bundled.actors["decides"].tolist()
    for name in ("sources", "episodes", "factors", "findings"):
        mine, theirs = getattr(book, name).drop(columns="row"), getattr(bundled, name)
        assert mine.equals(theirs.drop(columns="row")), name


def test_the_example_writes_dates_as_dates():
    book = template_workbook(lang="nl", example=True)
    assert book["events"]["C2"].value == dt.date(2024, 1, 15)
    assert book["events"]["D2"].value == "signaal"
    assert book["actors"]["D6"].value == "ja"  # veilig_thuis decides


def test_a_file_casuistry_did_not_write_is_never_replaced(capsys, tmp_path):
    mine = tmp_path / "mine.xlsx"
    mine.write_bytes(b"years of work")
    status, _, err = run(capsys, "template", "-o", mine)
    assert status == 2 and "casuistry did not write it" in err
    assert mine.read_bytes() == b"years of work"
    ours = tmp_path / "ours.xlsx"
    assert run(capsys, "template", "-o", ours)[0] == 0
    assert run(capsys, "template", "-o", ours, "--example")[0] == 0  # its own: replaced


def test_only_an_xlsx_is_written(capsys, tmp_path):
    status, _, err = run(capsys, "template", "-o", tmp_path / "case.csv")
    assert status == 2 and "ending in .xlsx" in err
    assert list(tmp_path.iterdir()) == []
