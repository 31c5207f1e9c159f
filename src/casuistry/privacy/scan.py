"""Scanning tables for direct identifiers: every cell, header and sheet name.

:func:`scan_identifiers` scans the cells of a table (text and whole numbers:
a BSN typed into a numeric cell is still a BSN) and returns one problem per
row, column and kind, naming the kind and never the value.
:func:`scan_labels` scans the column headers and a workbook's sheet names;
a problem there names the column or sheet by its position, never by its
name. Both read the text as normalised by :mod:`casuistry.privacy.normalise`.

Examples
--------
>>> import pandas as pd
>>> scan_labels(["case_id", "mail a@b.nl"], file="events.csv")["message"].tolist()
['column 2 of the header looks like an e-mail address; rename the column']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casuistry.errors import PROBLEM_COLUMNS
from casuistry.privacy.detect import (
    IDENTIFIER_KINDS,
    MESSAGES,
    PREFILTER_PATTERN,
    kinds_in,
    prefilter,
    redact_text,
)
from casuistry.privacy.normalise import normalise

__all__ = [
    "may_hold_identifiers",
    "redact_column",
    "row_numbers",
    "scan_identifiers",
    "scan_labels",
    "scannable",
]

_LABEL_FIX = {"column": "rename the column", "sheet": "rename the sheet"}
_WHAT = {
    "bsn": "a BSN",
    "email": "an e-mail address",
    "phone": "a phone number",
    "iban": "an IBAN",
    "postcode": "a postcode with a house number",
    "birthdate": "a date of birth",
}


def scan_identifiers(
    frame: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    file: str = "events.csv",
    rows: Sequence[int] | pd.Series | np.ndarray | None = None,
) -> pd.DataFrame:
    """Scan every text or numeric cell of a table for direct identifiers.

    Each distinct value of a column is examined once, so a large corpus with
    repeated texts costs little; the findings are then mapped back to every
    row that holds the value.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table as read from the user's file.
    columns : sequence of str, optional
        Columns to scan. Names the frame does not have are skipped, so a
        caller can pass every text column of the format. By default all
        columns of text (``object``, string or categorical dtype) and of
        numbers (a column of BSNs read as numbers); a number is read as the
        whole number it holds, other numbers cannot hold an identifier.
    file : str
        File name to put in the problems.
    rows : array-like of int, optional
        Per row of ``frame``, in order, the row as the user counts it. By
        default the index plus 2 (the CSV line of a frame read with a fresh
        index, the header being line 1); for an index that is not of
        integers, the position plus 2.

    Returns
    -------
    pandas.DataFrame
        One problem per row, column and kind of identifier, sorted by row,
        then column (in frame order), then kind: columns ``file``, ``row``,
        ``column``, ``message``. The message names the kind of identifier
        and how to fix it, never the value.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"description": ["belde moeder", "mail: a@b.nl", "belde moeder"]})
    >>> scan_identifiers(events)[["row", "column"]].to_dict("records")
    [{'row': 3, 'column': 'description'}]
    >>> print(scan_identifiers(events)["message"].iloc[0])
    looks like an e-mail address; remove it or run `casuistry anonymise`
    >>> days = pd.DataFrame({"time": [3.0, 123456782.0]})
    >>> scan_identifiers(days)["row"].tolist()
    [3]
    """
    if columns is None:
        names = [name for name in frame.columns if scannable(frame[name])]
    else:
        names = [name for name in columns if name in frame.columns]
    numbers = row_numbers(frame.index, rows)
    pieces = []
    for position, name in enumerate(names):
        for kind, mask in _rows_per_kind(frame[name]).items():
            pieces.append(
                pd.DataFrame(
                    {
                        "row": numbers[mask],
                        "_column": position,
                        "_kind": IDENTIFIER_KINDS.index(kind),
                        "column": name,
                        "message": MESSAGES[kind],
                    }
                )
            )
    if not pieces:
        return _no_problems()
    problems = pd.concat(pieces, ignore_index=True)
    problems = problems.sort_values(["row", "_column", "_kind"], kind="stable")
    problems.insert(0, "file", file)
    return problems[PROBLEM_COLUMNS].reset_index(drop=True)


def scan_labels(
    headers: Iterable[object], *, file: str, sheets: Sequence[str] = ()
) -> pd.DataFrame:
    """Scan column headers and sheet names for direct identifiers.

    A header or sheet name is named in a problem by its position (``column 3
    of the header``, ``sheet 2 of the workbook``), never by what it says.

    Parameters
    ----------
    headers : iterable
        The column headers, in file order.
    file : str
        The file name to put in the problems.
    sheets : sequence of str
        A workbook's sheet names, in workbook order; empty for other files.

    Returns
    -------
    pandas.DataFrame
        Columns ``file``, ``row`` (empty), ``column`` (empty), ``message``;
        one row per header or sheet and kind.

    Examples
    --------
    >>> found = scan_labels(["time"], file="case.xlsx", sheets=["events", "BSN 111222333"])
    >>> print(found["message"].iloc[0])
    sheet 2 of the workbook looks like a BSN; rename the sheet
    """
    labelled = [("column", "of the header", h) for h in headers]
    labelled += [("sheet", "of the workbook", s) for s in sheets]
    problems = []
    counters = {"column": 0, "sheet": 0}
    for what, where, label in labelled:
        counters[what] += 1
        for kind in kinds_in(str(label)):
            message = (
                f"{what} {counters[what]} {where} looks like {_WHAT[kind]}; {_LABEL_FIX[what]}"
            )
            problems.append({"file": file, "row": None, "column": None, "message": message})
    return pd.DataFrame(problems, columns=PROBLEM_COLUMNS) if problems else _no_problems()


def redact_column(column: pd.Series) -> pd.Series:
    """:func:`~casuistry.privacy.detect.redact_text` on every cell, each distinct value once.

    Examples
    --------
    >>> import pandas as pd
    >>> redact_column(pd.Series(["bel 06-12345678", "belde"])).tolist()
    ['bel [TELEFOON]', 'belde']
    """
    codes, uniques = pd.factorize(column)
    replaced = {
        code: redacted
        for code, text in _candidates(uniques)
        if (redacted := redact_text(text)) != text
    }
    if not replaced:
        return column
    lookup = np.asarray(uniques, dtype=object).copy()
    for code, redacted in replaced.items():
        lookup[code] = redacted
    values = np.where(codes >= 0, lookup[codes], column.to_numpy(dtype=object))
    out = pd.Series(values, index=column.index, name=column.name, dtype=object)
    return out.astype(column.dtype) if isinstance(column.dtype, pd.StringDtype) else out


def scannable(column: pd.Series) -> bool:
    """Whether a column can hold an identifier: text, categories or numbers."""
    dtype = column.dtype
    if pd.api.types.is_object_dtype(dtype) or isinstance(
        dtype, pd.StringDtype | pd.CategoricalDtype
    ):
        return True
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def row_numbers(index: pd.Index, rows: object = None) -> np.ndarray:
    """Rows as the user counts them: ``rows``, or the index plus 2 (the CSV line)."""
    if rows is None:
        if pd.api.types.is_integer_dtype(index.dtype):
            return index.to_numpy(dtype="int64") + 2
        return np.arange(len(index), dtype="int64") + 2
    numbers = np.asarray(rows, dtype="int64")
    if numbers.shape != (len(index),):
        raise ValueError(f"rows has {numbers.size} entries for a frame of {len(index)} rows")
    return numbers


_WHOLE_WITH_POINT = re.compile(r"\s*([+-]?\d+)\.0+\s*", re.ASCII)


def _no_problems() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in PROBLEM_COLUMNS})


def _as_text(value: object) -> str | None:
    """A cell as text: text as it is, a whole number as its digits, else None.

    Text that is a whole number written with a decimal point (``111222333.0``,
    as a spreadsheet exports a number) is read as its digits too.
    """
    if isinstance(value, str):
        whole = _WHOLE_WITH_POINT.fullmatch(value)
        return whole.group(1) if whole else value
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return str(value)
    if isinstance(value, float | np.floating) and np.isfinite(value) and value.is_integer():
        return str(int(value))
    return None


def _rows_per_kind(column: pd.Series) -> dict[str, np.ndarray]:
    """Per kind of identifier found in a column, the mask of the rows holding it.

    Each distinct value is tested once; text columns go to
    :func:`_text_rows_per_kind`.
    """
    if isinstance(column.dtype, pd.StringDtype):
        return _text_rows_per_kind(column)
    codes, uniques = pd.factorize(column)
    return {kind: np.isin(codes, positions) for kind, positions in _kinds_found(uniques).items()}


def _text_rows_per_kind(column: pd.Series) -> dict[str, np.ndarray]:
    """:func:`_rows_per_kind` of a text column, by pyarrow on its chunks as they are.

    The distinct values are tested vectorised (RE2), and only those that may
    hold an identifier are looked at one by one. The rows are located only
    for a value found to hold one: no codes per row are made, and the
    column's chunks are not copied into one.
    """
    cells = pa.array(column.array, from_pandas=True)
    distinct = pc.unique(cells)
    kept = distinct.filter(may_hold_identifiers(distinct))
    return {
        kind: pc.is_in(cells, value_set=kept.take(pa.array(positions))).to_numpy(
            zero_copy_only=False
        )
        for kind, positions in _kinds_found(kept.to_pylist()).items()
    }


def may_hold_identifiers(texts: pa.Array) -> np.ndarray:
    """Per text whether it may hold an identifier, in one vectorised pass (RE2).

    ASCII text that fails the prefilter holds none: normalising it changes only
    white space, which the prefilter reads alike. Text beyond ASCII may (it is
    normalised first, in Python). A missing text holds none.

    Examples
    --------
    >>> may_hold_identifiers(pa.array(["belde", "mail a@b.nl", "één", None])).tolist()
    [False, True, True, False]
    """
    maybe = pc.or_(
        pc.invert(pc.string_is_ascii(texts)),
        pc.match_substring_regex(texts, PREFILTER_PATTERN),
    )
    return maybe.fill_null(False).to_numpy(zero_copy_only=False)


def _kinds_found(uniques: object) -> dict[str, list[int]]:
    """Per kind of identifier, the positions of the values in ``uniques`` holding it."""
    found: dict[str, list[int]] = {}
    for code, text in _candidates(uniques):
        for kind in kinds_in(text):
            found.setdefault(kind, []).append(code)
    return found


def _candidates(uniques: object) -> Iterable[tuple[int, str]]:
    """The distinct values that may hold an identifier, as (position, text).

    ASCII text needs no normalisation beyond what the prefilter already
    allows (tabs read as spaces), so one vectorised RE2 pass decides for all
    of it; other text is normalised and tested in Python.
    """
    texts = [_as_text(value) for value in np.asarray(uniques, dtype=object)]
    cells = pa.array(texts, type=pa.string())
    ascii_ = pc.string_is_ascii(cells).fill_null(True).to_numpy(zero_copy_only=False)
    passed = pc.match_substring_regex(cells, PREFILTER_PATTERN).fill_null(False)
    passed = passed.to_numpy(zero_copy_only=False)
    for code in np.flatnonzero(passed | ~ascii_):
        text = texts[code]
        if passed[code] or prefilter(normalise(text)):
            yield int(code), text
