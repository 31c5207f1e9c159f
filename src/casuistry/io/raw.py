"""Raw tables: the input files read as text, with the row as the user counts it.

Every layout of the case format (a folder of CSV or Parquet files, an Excel
workbook, a single events file) is read here into :class:`RawTable` objects:
all cells as stripped strings (missing cells as NA), plus the row number a
person would point at (the CSV line with the header as line 1, the sheet row
in Excel, the 1-based record in Parquet). Validation works on these only, so
it has one code path for every layout.

Only regular files are opened: a folder, a broken link, a FIFO or a device
where a table should be is refused before anything is read, and so is a file
that cannot be read (no permission), each with one line naming it.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from casuistry.errors import InputError
from casuistry.io.csvtable import read_csv
from casuistry.io.table import RawTable, cell_text, no_rows, tidy
from casuistry.io.xlsx import read_workbook

EVENTS = "events"
ACTORS = "actors"
#: The reviewer's tables (CASE_FORMAT section 5.1), each with its Dutch sheet name.
REVIEW_SHEETS: dict[str, str] = {
    "sources": "bronnen",
    "episodes": "kernmomenten",
    "factors": "factoren",
    "findings": "bevindingen",
}
#: Every table the case format knows, in the order they are read and reported.
TABLES: tuple[str, ...] = (EVENTS, ACTORS, *REVIEW_SHEETS)
TABLE_SUFFIXES = (".csv", ".parquet")
#: How the name of the lock file Excel keeps beside an open workbook begins.
EXCEL_LOCK = "~$"

__all__ = [
    "ACTORS",
    "EVENTS",
    "REVIEW_SHEETS",
    "TABLES",
    "TABLE_SUFFIXES",
    "RawTable",
    "read_tables",
]


def read_tables(path: str | Path) -> dict[str, RawTable]:
    """Read the events table and every other table of the case format that is present.

    Parameters
    ----------
    path : str or Path
        A folder with ``events.csv`` or ``events.parquet`` and optionally
        ``actors``, ``sources``, ``episodes``, ``factors``, ``findings`` (each
        ``.csv`` or ``.parquet``); an ``.xlsx`` workbook with sheets of those
        names (the reviewer's also by their Dutch names ``bronnen``,
        ``kernmomenten``, ``factoren``, ``bevindingen``); or one events file.

    Returns
    -------
    dict
        ``{name: RawTable}`` in the order of :data:`TABLES`, ``events``
        always, the others when present. A reviewer's table with a header but
        no rows is an empty table; ``events`` and ``actors`` need rows.

    Raises
    ------
    InputError
        When the path is missing or not a regular file or folder, not a known
        layout, unreadable, empty, header-only, not UTF-8, shaped wrongly
        (rows with more or fewer fields than the header, two columns of one
        name), beyond the limits of a workbook, a workbook lacks an
        ``events`` sheet, or a table is given twice.
    """
    path = Path(path)
    if path.is_dir():
        return _read_folder(path)
    suffix = path.suffix.lower()
    if suffix not in (*TABLE_SUFFIXES, ".xlsx") and (path.exists() or path.is_symlink()):
        raise InputError(
            f"{path}: cannot read a {suffix or 'suffix-less'} file; "
            "use .csv, .parquet, .xlsx, or a folder holding events.csv"
        )
    refuse_unless_file(
        path, what="give a folder with events.csv, an .xlsx workbook, or an events file"
    )
    if suffix == ".xlsx":
        if path.name.startswith(EXCEL_LOCK):
            raise InputError(
                f"{path.name}: the lock file Excel keeps while a workbook is open, not a "
                "workbook; give the workbook itself, which is next to it"
            )
        names = {table: (table, REVIEW_SHEETS.get(table)) for table in TABLES}
        return read_workbook(path, names, may_be_empty=tuple(REVIEW_SHEETS))
    return {EVENTS: read_file(path, EVENTS)}


def _read_folder(folder: Path) -> dict[str, RawTable]:
    found = {}
    for table in TABLES:
        candidates = [folder / f"{table}{suffix}" for suffix in TABLE_SUFFIXES]
        present = [c for c in candidates if c.exists() or c.is_symlink()]
        if len(present) > 1:
            raise InputError(
                f"{folder}: holds both {present[0].name} and {present[1].name}; keep one of them"
            )
        if present:
            found[table] = present[0]
    if EVENTS not in found:
        raise InputError(
            f"{folder}: no events.csv or events.parquet in this folder{_workbooks_in(folder)}"
        )
    for file in found.values():
        refuse_unless_file(file, what=f"{file.name} must be a file")
    return {table: read_file(file, table) for table, file in found.items()}


def _workbooks_in(folder: Path) -> str:
    """What to say of the workbooks in a folder without an events table: a team
    that keeps its case in a workbook gives the folder it is in.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("casus.xlsx", "~$casus.xlsx", "notes.txt"):
    ...         _ = (Path(folder) / name).write_bytes(b"")
    ...     _workbooks_in(Path(folder))
    '; it holds the workbook casus.xlsx: give the workbook itself as the path'
    """
    try:
        names = sorted(
            p.name
            for p in folder.iterdir()
            if p.suffix.lower() == ".xlsx" and not p.name.startswith(EXCEL_LOCK)
        )
    except OSError:
        return ""
    if not names:
        return ""
    if len(names) == 1:
        return f"; it holds the workbook {names[0]}: give the workbook itself as the path"
    shown = ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
    return f"; it holds the workbooks {shown}: give one of them as the path"


def refuse_unless_file(path: Path, *, what: str) -> None:
    """Refuse anything but a regular file, without opening it (a FIFO would block)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"{path}: a link to something that does not exist; {what}") from None
        raise InputError(f"{path}: no such file or folder; {what}") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be looked at ({err.strerror}); {what}") from err
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a folder, not a file; {what}")
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: is not a regular file (a pipe, socket or device); {what}")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: cannot be read (no permission); give read access to the file")


def _file_bytes(path: Path) -> bytes | mmap.mmap:
    """The bytes of a file, mapped into memory (read only), or read where it cannot
    be mapped (an empty file, a file system without mappings).

    A mapped file's pages are those the system already holds for it: reading
    into fresh memory instead faults every page of it in once more (about
    0.1 s for 150 MB on this project's machines).
    """
    try:
        with path.open("rb") as file:
            try:
                if os.fstat(file.fileno()).st_size:
                    return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):
                pass
            return file.read()
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or type(err).__name__})") from err


def read_file(path: Path, table: str) -> RawTable:
    """One ``.csv`` or ``.parquet`` file as the raw table ``table`` (named in messages)."""
    if path.suffix.lower() == ".parquet":
        return _read_parquet(path, table)
    data = _file_bytes(path)
    try:
        return read_csv(path, data, table=table, may_be_empty=table in REVIEW_SHEETS)
    finally:
        if isinstance(data, mmap.mmap):
            _unmap(data)


def _unmap(data: mmap.mmap) -> None:
    """Let go of a mapped file now, unless something still reads it: then when that goes."""
    with contextlib.suppress(BufferError):  # a view of it is still alive
        data.close()


def _read_parquet(path: Path, table: str) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several unrelated types
        raise InputError(
            f"{path.name}: not a readable Parquet file ({type(err).__name__})"
        ) from err
    if not len(frame.columns):
        raise InputError(f"{path.name}: holds no columns")
    if not len(frame) and table not in REVIEW_SHEETS:
        raise no_rows(path.name, table)
    headers = list(frame.columns)
    frame = frame.reset_index(drop=True)
    text = pd.DataFrame(
        {position: _column_as_text(frame.iloc[:, position]) for position in range(len(headers))}
    )
    return tidy(text, headers, np.arange(1, len(frame) + 1), path.name)


def _column_as_text(column: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        if column.dt.tz is not None:
            column = column.dt.tz_convert("UTC").dt.tz_localize(None)
        midnight = (column.dt.normalize() == column).all()
        fmt = "%Y-%m-%d" if midnight else "%Y-%m-%dT%H:%M:%S"
        return column.dt.strftime(fmt).astype(object).where(column.notna(), None)
    if pd.api.types.is_float_dtype(column.dtype):
        return column.map(cell_text, na_action="ignore")
    if pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
        return column.map(cell_text, na_action="ignore")
    return column.astype("string")
