"""Raw tables: the input files read as text, with the row as the user counts it.

Every layout of the case format (a folder of CSV or Parquet files, an Excel
workbook, a single events file) is read here into :class:`RawTable` objects:
all cells as stripped strings (missing cells as NA), plus the row number a
person would point at (the CSV line with the header as line 1, the sheet row
in Excel, the 1-based record in Parquet). Validation works on these only, so
it has one code path for every layout.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casuistry.errors import InputError

EVENTS = "events"
ACTORS = "actors"
TABLE_SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True)
class RawTable:
    """One input table as text.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every cell a stripped string or NA; column names stripped, and the
        case format's own names lower-cased.
    rows : numpy.ndarray
        The row as the user counts it, aligned with ``frame``.
    file : str
        The name to show in messages (``events.csv``, ``case.xlsx[events]``).
    sheets : tuple of str
        For a workbook, the names of all its sheets in order (the identifier
        guard scans them); empty for other files.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    file: str
    sheets: tuple[str, ...] = ()


def read_tables(path: str | Path) -> tuple[RawTable, RawTable | None]:
    """Read the events table and, when present, the actors table.

    Parameters
    ----------
    path : str or Path
        A folder with ``events.csv`` or ``events.parquet`` (and optionally
        ``actors.csv`` / ``actors.parquet``), an ``.xlsx`` workbook with sheets
        ``events`` and optionally ``actors``, or one events file.

    Raises
    ------
    InputError
        When the path is missing, not a known layout, empty, header-only, not
        UTF-8, or a workbook lacks an ``events`` sheet.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(
            f"{path}: no such file or folder; give a folder with events.csv, "
            "an .xlsx workbook, or an events file"
        )
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_workbook(path)
    if suffix in TABLE_SUFFIXES:
        return _read_file(path, EVENTS), None
    raise InputError(
        f"{path}: cannot read a {suffix or 'suffix-less'} file; "
        "use .csv, .parquet, .xlsx, or a folder holding events.csv"
    )


def _read_folder(folder: Path) -> tuple[RawTable, RawTable | None]:
    found = {}
    for table in (EVENTS, ACTORS):
        candidates = [folder / f"{table}{suffix}" for suffix in TABLE_SUFFIXES]
        present = [c for c in candidates if c.exists()]
        if len(present) > 1:
            raise InputError(
                f"{folder}: holds both {present[0].name} and {present[1].name}; keep one of them"
            )
        found[table] = present[0] if present else None
    if found[EVENTS] is None:
        raise InputError(f"{folder}: no events.csv or events.parquet in this folder")
    actors = _read_file(found[ACTORS], ACTORS) if found[ACTORS] else None
    return _read_file(found[EVENTS], EVENTS), actors


def _read_file(path: Path, table: str) -> RawTable:
    if path.suffix.lower() == ".parquet":
        return _read_parquet(path)
    return _read_csv(path)


def _read_csv(path: Path) -> RawTable:
    frame, rows = _parse_csv(path)
    return RawTable(_tidy(frame), rows, path.name)


def _parse_csv(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """The cells as pandas reads them, and the line on which each record starts.

    The file's bytes and text are let go before the cells are tidied: for a
    large corpus they are hundreds of megabytes.
    """
    data = path.read_bytes()
    name = path.name
    if not data or data.isspace():
        raise InputError(f"{name}: the file is empty; it needs a header row and one row per event")
    nonblank = _nonblank_lines(data, name)
    try:
        frame = pd.read_csv(  # from bytes: pandas' C parser is much slower on a StringIO
            io.BytesIO(data),
            encoding="utf-8-sig",
            dtype=str,
            keep_default_na=False,
            na_filter=False,  # nothing counts as missing: blank cells become NA in _tidy
            skip_blank_lines=True,
        )
    except pd.errors.ParserError as err:
        raise InputError(f"{name}: not a readable comma-separated table ({err})") from err
    if frame.empty:
        raise InputError(
            f"{name}: has a header but no rows; add one row per "
            f"{'event' if 'event' in name else 'actor'}"
        )
    if len(nonblank) == len(frame) + 1:  # every record sits on one line
        return frame, nonblank[1:]
    return frame, _csv_record_lines(data.decode("utf-8-sig"), len(frame))


def _nonblank_lines(data: bytes, name: str) -> np.ndarray:
    """The numbers of the lines (header = line 1) holding more than white space.

    Pandas skips the other lines, so when these are one more than the records
    (the header), they are where the records start.

    Raises
    ------
    InputError
        When the bytes are not UTF-8.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"{name}: not UTF-8 text (first bad byte on line {line}); save the file as CSV UTF-8"
        ) from err
    return np.flatnonzero([bool(line) and not line.isspace() for line in text.splitlines()]) + 1


def _csv_record_lines(text: str, n_records: int) -> np.ndarray:
    """The line on which each data record starts (header = line 1), for quoted cells spanning lines.

    The csv module counts the lines; records holding only white space are
    skipped, as pandas skips them.
    """
    starts = []
    reader = csv.reader(io.StringIO(text))
    line = 1
    for record in reader:
        if not (record == [] or (len(record) == 1 and record[0].isspace())):
            starts.append(line)
        line = reader.line_num + 1
    return np.asarray(starts[1 : n_records + 1], dtype=np.int64)


def _read_parquet(path: Path) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several unrelated types
        raise InputError(
            f"{path.name}: not a readable Parquet file ({type(err).__name__})"
        ) from err
    if frame.empty:
        raise InputError(f"{path.name}: holds no rows")
    frame = frame.reset_index(drop=True)
    text = pd.DataFrame({col: _column_as_text(frame[col]) for col in frame.columns})
    return RawTable(_tidy(text), np.arange(1, len(frame) + 1), path.name)


def _column_as_text(column: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        if column.dt.tz is not None:
            column = column.dt.tz_convert("UTC").dt.tz_localize(None)
        midnight = (column.dt.normalize() == column).all()
        fmt = "%Y-%m-%d" if midnight else "%Y-%m-%dT%H:%M:%S"
        return column.dt.strftime(fmt).astype(object).where(column.notna(), None)
    if pd.api.types.is_float_dtype(column.dtype):
        return column.map(_cell_text, na_action="ignore")
    if pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
        return column.map(_cell_text, na_action="ignore")
    return column.astype("string")


def _read_workbook(path: Path) -> tuple[RawTable, RawTable | None]:
    import openpyxl  # heavy: imported where used

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # zipfile / xml errors of a damaged workbook
        raise InputError(
            f"{path.name}: not a readable .xlsx workbook ({type(err).__name__})"
        ) from err
    try:
        sheets = {name.strip().lower(): name for name in book.sheetnames}
        if EVENTS not in sheets:
            from casuistry.privacy import redact_text  # a sheet name may be an identifier

            raise InputError(
                f"{path.name}: no sheet named 'events' (sheets: "
                f"{', '.join(map(redact_text, book.sheetnames))}); rename the sheet with the events"
            )
        events = _read_sheet(book[sheets[EVENTS]], f"{path.name}[{sheets[EVENTS]}]")
        events = replace(events, sheets=tuple(book.sheetnames))
        actors = None
        if ACTORS in sheets:
            actors = _read_sheet(book[sheets[ACTORS]], f"{path.name}[{sheets[ACTORS]}]")
    finally:
        book.close()
    return events, actors


def _read_sheet(sheet, name: str) -> RawTable:
    header = None
    records, rows = [], []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if not any(c is not None for c in cells):
            continue
        if header is None:
            header = [("" if c is None else c) for c in cells]
            continue
        records.append(cells[: len(header)] + [None] * (len(header) - len(cells)))
        rows.append(number)
    if header is None:
        raise InputError(f"{name}: the sheet is empty; it needs a header row and one row each")
    if not records:
        raise InputError(f"{name}: has a header but no rows")
    frame = pd.DataFrame(records, columns=header, dtype=object)
    frame = frame.loc[:, [c != "" for c in frame.columns]]
    return RawTable(_tidy(frame), np.asarray(rows, dtype=np.int64), name)


def _cell_text(value) -> str | None:
    """Text of one cell: dates as ISO, whole numbers without '.0'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        if value.hour == value.minute == value.second == 0:
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip cells and headers; empty cells become NA; known headers lower-cased."""
    from casuistry.vocabulary import ACTOR_COLUMNS, EVENT_COLUMNS

    known = set(EVENT_COLUMNS) | set(ACTOR_COLUMNS)
    renamed = {}
    for col in frame.columns:
        clean = str(col).strip().lstrip("\ufeff")
        renamed[col] = clean.lower() if clean.lower() in known else clean
    frame = frame.rename(columns=renamed)
    out = {col: _stripped(frame[col]) for col in frame.columns}
    return pd.DataFrame(out).reset_index(drop=True)


def _stripped(column: pd.Series) -> pd.api.extensions.ExtensionArray:
    """A column as pyarrow-backed text: stripped, and NA where that leaves nothing.

    The same as ``.astype("string").str.strip()`` and masking empty strings,
    with pyarrow compute kernels, without round trips through pandas.
    """
    cells = pa.array(column.astype("string"), type=pa.large_string(), from_pandas=True)
    stripped = pc.utf8_trim_whitespace(cells)
    blank = pc.equal(stripped, "")
    return pd.array(pc.if_else(blank, pa.scalar(None, stripped.type), stripped), dtype="string")
