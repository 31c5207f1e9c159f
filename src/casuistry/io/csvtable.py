"""Reading one CSV file: its shape checked first, then its cells.

Before pandas parses the cells, the records are found and their fields
counted in one vectorised pass over the bytes (:func:`record_shape`): a
separator or line break counts only outside quotes. Every record must have as
many fields as the header; the rows that do not are named with their lines
and field counts in one message, so a comma at the end of every row is one
problem, not a column shift in every row. When the vectorised pass and pandas
disagree (quotes used outside the rules of RFC 4180), the :mod:`csv` module
counts again, record by record.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from casuistry.errors import InputError
from casuistry.io.table import RawTable, tidy

_BOM = b"\xef\xbb\xbf"
_BLANK = np.zeros(256, dtype=bool)
_BLANK[list(b" \t\r\n\f\v")] = True
#: How many rows a message about field counts lists.
_LISTED = 5


def read_csv(path: Path, data: bytes) -> RawTable:
    """The raw table of a CSV file whose bytes are ``data``.

    Raises
    ------
    InputError
        When the file is empty, not UTF-8, has rows with more or fewer fields
        than the header, has a header but no rows, or cannot be parsed.
    """
    name = path.name
    _check_utf8(data, name)
    fields, lines = record_shape(data)
    if not len(fields):
        raise InputError(f"{name}: the file is empty; it needs a header row and one row per event")
    _check_fields(fields, lines, name)
    try:
        frame = pd.read_csv(  # from bytes: pandas' C parser is much slower on a StringIO
            io.BytesIO(data),
            encoding="utf-8-sig",
            header=None,  # the header as written: pandas would rename duplicates
            dtype=str,
            keep_default_na=False,
            na_filter=False,  # nothing counts as missing: blank cells become NA in tidy
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        fields, lines = _record_shape_by_csv(data)
        _check_fields(fields, lines, name)
        raise InputError(f"{name}: not a readable comma-separated table ({err})") from err
    del data
    if len(frame) != len(lines):  # quotes outside RFC 4180: count as the csv module does
        fields, lines = _record_shape_by_csv(path.read_bytes())
        _check_fields(fields, lines, name)
        if len(frame) != len(lines):
            raise InputError(
                f"{name}: not a readable comma-separated table (its quotes do not pair up); "
                'put cells holding commas, quotes or line breaks in double quotes ("), '
                'and double each quote inside them ("")'
            )
    if len(frame) == 1:
        raise InputError(
            f"{name}: has a header but no rows; add one row per "
            f"{'event' if 'event' in name else 'actor'}"
        )
    headers = frame.iloc[0].tolist()
    return tidy(frame.iloc[1:], headers, lines[1:], name)


def _check_utf8(data: bytes, name: str) -> None:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"{name}: not UTF-8 text (first bad byte on line {line}); save the file as CSV UTF-8"
        ) from err


def record_shape(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Count the fields of every non-blank record, and find the line it starts on.

    A comma or line break inside double quotes belongs to the cell; ``\\r\\n``,
    ``\\n`` and a lone ``\\r`` end a line. Records holding only white space
    are skipped, as pandas skips them.

    Returns
    -------
    fields : numpy.ndarray
        The number of fields of each record, the header first.
    lines : numpy.ndarray
        The line each record starts on (the header's first line is line 1).

    Examples
    --------
    >>> record_shape(b'a,b\\n1,"x\\ny"\\n\\n2,3,\\n')
    (array([2, 2, 3]), array([1, 2, 5]))
    >>> record_shape(b"\\xef\\xbb\\xbf")[0].size
    0
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    raw = np.frombuffer(data, dtype=np.uint8)
    if not len(raw):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # inside quotes: an odd number of quotes so far (a doubled quote keeps the parity)
    quoted = np.bitwise_xor.accumulate((raw == ord('"')).view(np.uint8)).view(bool)
    lf = raw == ord("\n")
    breaks = lf | ((raw == ord("\r")) & ~np.r_[lf[1:], False])  # a lone \r ends a line too
    del lf
    ends = np.flatnonzero(breaks & ~quoted)
    if not len(ends) or ends[-1] != len(raw) - 1:
        ends = np.r_[ends, len(raw)]
    starts = np.r_[0, ends[:-1] + 1]
    kept = np.logical_or.reduceat(~_BLANK[raw], starts)  # a segment ends with its line break
    commas = np.flatnonzero((raw == ord(",")) & ~quoted)
    fields = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    lines = np.searchsorted(np.flatnonzero(breaks), starts) + 1
    return fields[kept].astype(np.int64), lines[kept].astype(np.int64)


def _record_shape_by_csv(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """:func:`record_shape` as the :mod:`csv` module reads the records: slow, exact."""
    fields, lines = [], []
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    line = 1
    try:
        for record in reader:
            if record and not (len(record) == 1 and (record[0] == "" or record[0].isspace())):
                fields.append(len(record))
                lines.append(line)
            line = reader.line_num + 1
    except csv.Error:  # a quote left open at the end of the file
        pass
    return np.asarray(fields, dtype=np.int64), np.asarray(lines, dtype=np.int64)


def _check_fields(fields: np.ndarray, lines: np.ndarray, name: str) -> None:
    """Refuse records with more or fewer fields than the header, naming them."""
    if not len(fields):
        return
    expected = int(fields[0])
    wrong = np.flatnonzero(fields[1:] != expected) + 1
    if not len(wrong):
        return
    listed = ", ".join(f"line {int(lines[i])} has {int(fields[i])}" for i in wrong[:_LISTED])
    more = " ..." if len(wrong) > _LISTED else ""
    if (fields[wrong] == expected + 1).all():
        rows = "every row has" if len(wrong) == len(fields) - 1 else _rows(len(wrong), "has")
        raise InputError(
            f"{name}: {rows} one field more than "
            f"the header ({expected} fields; {listed}{more}); most likely each of these rows "
            "ends with a comma: remove it, or give the last column a header"
        )
    raise InputError(
        f"{name}: {_rows(len(wrong))} not have as many fields as the header "
        f"({expected} fields; {listed}{more}); every row needs one field per column "
        "(leave a field empty rather than out, and quote cells holding commas)"
    )


def _rows(n: int, verb: str = "does") -> str:
    """``1 row does``, ``3 rows do``.

    Examples
    --------
    >>> _rows(1), _rows(3, "has")
    ('1 row does', '3 rows have')
    """
    plural = {"does": "do", "has": "have"}[verb]
    return f"1 row {verb}" if n == 1 else f"{n} rows {plural}"
