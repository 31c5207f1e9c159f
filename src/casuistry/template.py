"""The workbook an evaluation team fills in: ``casuistry template``.

:func:`template_workbook` builds an openpyxl workbook with

- a first sheet (``uitleg`` / ``explanation``) that explains every column in
  the chosen language, and the contributory factors;
- the sheets ``events``, ``actors``, ``sources``, ``episodes``, ``factors``
  and ``findings`` (English names in both languages, as the columns are;
  the reader also accepts the Dutch names of the reviewer's four), each with
  its header, column widths, a frozen header row and dates formatted as dates;
- drop-down lists (Excel data validation) for ``kind`` (Dutch names in
  ``nl``), ``actor`` and ``to`` (the actors sheet's ``actor`` column),
  ``confidence``, ``reason``, ``basis``, ``silo``, ``decides``, ``type``,
  ``reliability``, ``assessment`` and ``factor``, drawn from a hidden sheet
  ``lists`` (no 255-character limit). Lists of closed codes refuse other
  values; open ones (``to`` with several names, ``basis``, ``silo``) only
  offer them.

With ``example=True`` it holds the bundled example case with its sources,
episodes, factors and findings. :func:`write_template` saves it through
:mod:`casuistry.io.atomic`, so it never replaces a file casuistry did not
write.

Examples
--------
>>> book = template_workbook(lang="en")
>>> book.sheetnames
['explanation', 'events', 'actors', 'sources', 'episodes', 'factors', 'findings', 'lists']
>>> [c.value for c in book["episodes"][1]]
['case_id', 'episode_id', 'events', 'assessment', 'title', 'description']
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from casuistry.io.atomic import atomic_path
from casuistry.kinds import KINDS
from casuistry.presentation.texts import check_language, package_file
from casuistry.vocabulary import (
    ACTOR,
    ACTOR_COLUMNS,
    ASSESSMENT,
    ASSESSMENT_SPELLINGS,
    ASSESSMENTS,
    BASES,
    BASIS,
    CONFIDENCE,
    CONFIDENCE_LEVELS,
    DATE,
    DECIDES,
    DECIDES_VALUES,
    EVENT_COLUMNS,
    FACTOR,
    FACTORS,
    KIND,
    REASON,
    REASONS,
    RELIABILITIES,
    RELIABILITY,
    REQUIRED_ACTOR_COLUMNS,
    REQUIRED_EVENT_COLUMNS,
    REQUIRED_REVIEW_COLUMNS,
    REVIEW_COLUMNS,
    SILO,
    SILOS,
    SOURCE_TYPES,
    TIME,
    TO,
    TYPE,
)

#: The sheets to fill in, with their columns, in order.
SHEETS: dict[str, tuple[str, ...]] = {
    "events": EVENT_COLUMNS,
    "actors": ACTOR_COLUMNS,
    **REVIEW_COLUMNS,
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "events": REQUIRED_EVENT_COLUMNS,
    "actors": REQUIRED_ACTOR_COLUMNS,
    **REQUIRED_REVIEW_COLUMNS,
}
LISTS_SHEET = "lists"
#: How many rows below the header carry the drop-down lists and date formats.
ROWS = 1000
DATE_FORMAT = "yyyy-mm-dd"
#: Columns whose cells are dates.
DATE_COLUMNS = {"events": TIME, "sources": DATE}
_WIDEST = 60


def _texts() -> dict:
    return json.loads(package_file("casuistry.presentation", "data/template.json"))


def choices(lang: str) -> dict[str, list[str]]:
    """The values each drop-down list offers, in the language of the template.

    Examples
    --------
    >>> choices("nl")["kind"][:3], choices("nl")["decides"], choices("en")["assessment"]
    (['signaal', 'delen', 'niet_delen'], ['ja', 'nee'], ['good', 'problematic', 'mixed'])
    """
    dutch = lang == "nl"
    return {
        KIND: list(KINDS.dutch_names if dutch else KINDS.codes),
        CONFIDENCE: list(CONFIDENCE_LEVELS),
        REASON: list(REASONS),
        BASIS: list(BASES),
        SILO: list(SILOS),
        DECIDES: ["ja", "nee"] if dutch else ["yes", "no"],
        TYPE: list(SOURCE_TYPES),
        RELIABILITY: list(RELIABILITIES),
        ASSESSMENT: [labels[lang] for labels in ASSESSMENTS.values()],
        FACTOR: list(FACTORS),
    }


#: Per sheet, the columns with a drop-down list, and whether other values are refused.
_DROP_DOWNS: dict[str, dict[str, bool]] = {
    "events": {KIND: True, ACTOR: True, TO: False, CONFIDENCE: True, REASON: True, BASIS: False},
    "actors": {SILO: False, DECIDES: True},
    "sources": {TYPE: True, RELIABILITY: True},
    "episodes": {ASSESSMENT: True},
    "factors": {FACTOR: True},
}


def template_workbook(*, lang: str = "nl", example: bool = False):
    """The template as an openpyxl workbook.

    Parameters
    ----------
    lang : {"nl", "en"}, keyword-only
        Language of the explanation and of the values in the lists.
    example : bool, keyword-only
        Fill it with the bundled example case.

    Returns
    -------
    openpyxl.Workbook
    """
    import openpyxl

    check_language(lang)
    book = openpyxl.Workbook()
    _explanation(book.active, lang)
    lists = _lists_sheet(book, choices(lang))
    rows = example_rows(lang) if example else {}
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        _fill(sheet, name, columns, rows.get(name, []))
        _drop_downs(sheet, name, columns, lists)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    return book


def write_template(path: str | os.PathLike, *, lang: str = "nl", example: bool = False) -> Path:
    """Write the template to ``path`` (an ``.xlsx``) atomically; return the path.

    Raises
    ------
    WriteRefused
        When ``path`` exists and casuistry did not write it.
    """
    book = template_workbook(lang=lang, example=example)
    with atomic_path(path) as tmp:
        book.save(tmp)
    return Path(path)


def _explanation(sheet, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    texts = _texts()
    sheet.title = texts["sheet"][lang]
    title, *lines = texts["intro"][lang]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in lines:
        sheet.append([line])
    sheet.append([])
    sheet.append(texts["headings"][lang])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    yes, no = texts["required"][lang]
    for name, columns in SHEETS.items():
        for column in columns:
            entry = texts["columns"][name][column]
            required = yes if column in REQUIRED[name] else no
            sheet.append([name, column, required, entry[lang], entry["example"]])
    sheet.append([])
    sheet.append([texts["factors_heading"][lang]])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for code, labels in FACTORS.items():
        sheet.append(["factors", code, "", labels[lang]])
    for letter, width in zip("ABCDE", (12, 14, 10, 90, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=len(lines) + 3):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")


def _lists_sheet(book, lists: dict[str, list[str]]) -> dict[str, str]:
    """Write the hidden sheet of list values; the formula of each list's range."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges = {}
    for position, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(position)
        sheet.cell(1, position, name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row, position, value)
        ranges[name] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    ranges[ACTOR] = ranges[TO] = f"=actors!$A$2:$A${ROWS + 1}"
    return ranges


def _fill(sheet, name: str, columns: tuple[str, ...], rows: list[list]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill(
            "solid", fgColor="DDDDDD" if cell.value in REQUIRED[name] else "F2F2F2"
        )
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for position, column in enumerate(columns, start=1):
        longest = max([len(column), *(len(str(r[position - 1] or "")) for r in rows)])
        width = min(max(longest + 2, 12), _WIDEST)
        sheet.column_dimensions[get_column_letter(position)].width = width
    if name in DATE_COLUMNS:
        at = columns.index(DATE_COLUMNS[name]) + 1
        for row in range(2, ROWS + 2):
            sheet.cell(row, at).number_format = DATE_FORMAT


def _drop_downs(sheet, name: str, columns: tuple[str, ...], ranges: dict[str, str]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for column, strict in _DROP_DOWNS.get(name, {}).items():
        letter = get_column_letter(columns.index(column) + 1)
        validation = DataValidation(
            type="list", formula1=ranges[column], allow_blank=True, showErrorMessage=strict
        )
        if strict:
            validation.errorTitle = column
            validation.error = "pick a value from the list / kies een waarde uit de lijst"
        validation.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(validation)


def example_rows(lang: str) -> dict[str, list[list]]:
    """The bundled example case as rows of each sheet, in the template's language.

    Dates become dates; kinds, ``decides`` and assessments are written as the
    template's lists offer them.

    Examples
    --------
    >>> rows = example_rows("en")
    >>> rows["events"][0][:5]
    ['puzzel-1', 'e01', datetime.date(2024, 1, 15), 'signal', 'school']
    >>> rows["actors"][4][3], example_rows("nl")["episodes"][0][3]
    ('yes', 'problematisch')
    """
    from casuistry.examples import example_path
    from casuistry.io.raw import read_tables

    offered = choices(lang)
    kind = dict(zip(KINDS.codes, offered[KIND], strict=True))
    decides = {True: offered[DECIDES][0], False: offered[DECIDES][1]}
    convert = {
        KIND: lambda value: kind[KINDS.normalise(value)],
        DECIDES: lambda value: decides[DECIDES_VALUES[value.lower()]],
        ASSESSMENT: lambda value: ASSESSMENTS[ASSESSMENT_SPELLINGS[value.lower()]][lang],
        TIME: dt.date.fromisoformat,
        DATE: dt.date.fromisoformat,
    }
    out = {}
    for name, table in read_tables(example_path()).items():
        frame = table.frame.reindex(columns=list(SHEETS[name])).astype(object)
        frame = frame.where(frame.notna(), None)
        for column in frame.columns.intersection(list(convert)):
            frame[column] = [None if v is None else convert[column](v) for v in frame[column]]
        out[name] = [list(record) for record in frame.itertuples(index=False)]
    return out
