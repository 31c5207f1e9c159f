"""Writing case tables as CSV, Parquet or Excel, with nothing half-written.

Every file is first written under a temporary name next to its target and
renamed into place only when *all* files of one call are complete, so an
error or an interrupt leaves the old files (or none) and never a mixture.

CSV output is UTF-8 without BOM, comma separated, ``\\n`` line ends, minimal
quoting, missing cells empty, and list cells (``to``, ``signals``) joined with
``;`` as the case format says. The same tables always give the same bytes.

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> events = pd.DataFrame({"case_id": ["c1"], "event_id": ["e1"], "to": [("a", "b")]})
>>> [p.name for p in write_tables(folder, {"events": events})]
['events.csv']
>>> print((folder / "events.csv").read_text(encoding="utf-8"), end="")
case_id,event_id,to
c1,e1,a;b
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import pandas as pd

from casuistry.errors import CasuistryError
from casuistry.io.atomic import atomic_path
from casuistry.vocabulary import LIST_COLUMNS, LIST_SEPARATOR

FORMATS = ("csv", "parquet", "xlsx")
#: Rows an Excel sheet holds below its header.
XLSX_MAX_ROWS = 1_048_575

Writes = dict[Path, Callable[[Path], None]]


def table_writes(
    folder: str | Path,
    tables: Mapping[str, pd.DataFrame],
    *,
    format: str = "csv",
    workbook: str = "cases",
) -> Writes:
    """Plan the files for some tables, to be written by :func:`write_together`.

    Parameters
    ----------
    folder : str or Path
        Where the files go.
    tables : mapping of str to DataFrame
        Table name to table. For ``csv`` and ``parquet`` each table becomes
        ``<name>.csv`` / ``<name>.parquet``; for ``xlsx`` all become sheets of
        one workbook.
    format : {"csv", "parquet", "xlsx"}
    workbook : str
        Name of the workbook (without ``.xlsx``) for the ``xlsx`` format.

    Returns
    -------
    dict
        Target path to a function that writes the file to a given path.

    Raises
    ------
    CasuistryError
        For an unknown format, or a table too long for an Excel sheet.
    """
    if format not in FORMATS:
        raise CasuistryError(f"unknown format {format!r}; choose one of: " + ", ".join(FORMATS))
    folder = Path(folder)
    if format == "xlsx":
        for name, frame in tables.items():
            if len(frame) > XLSX_MAX_ROWS:
                raise CasuistryError(
                    f"table {name!r} has {len(frame):,} rows; an Excel sheet holds at most "
                    f"{XLSX_MAX_ROWS:,}; use --format csv or parquet"
                )
        return {folder / f"{workbook}.xlsx": partial(_write_xlsx, dict(tables))}
    write = _write_csv if format == "csv" else _write_parquet
    return {folder / f"{name}.{format}": partial(write, frame) for name, frame in tables.items()}


def write_together(writes: Writes) -> list[Path]:
    """Write every planned file to a temporary path, then rename them all into place.

    Returns
    -------
    list of Path
        The files written, in the order planned.
    """
    with contextlib.ExitStack() as stack:
        for target, write in writes.items():
            write(stack.enter_context(atomic_path(target)))
    return list(writes)


def write_tables(
    folder: str | Path,
    tables: Mapping[str, pd.DataFrame],
    *,
    format: str = "csv",
    workbook: str = "cases",
) -> list[Path]:
    """Write tables into ``folder`` (see :func:`table_writes`), all or nothing."""
    return write_together(table_writes(folder, tables, format=format, workbook=workbook))


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as it is written: list cells joined with ``;``.

    Tuples and lists in the list columns of the case format (a Casebook holds
    them so) are joined; every other cell is left as it is.
    """
    out = frame.copy()
    for column in LIST_COLUMNS:
        if column not in out.columns or isinstance(out[column].dtype, pd.StringDtype):
            continue  # a text column holds no tuples: nothing to join
        if out[column].map(_is_list).any():
            out[column] = out[column].map(lambda v: LIST_SEPARATOR.join(v) if _is_list(v) else v)
    return out


def _is_list(value) -> bool:
    return isinstance(value, tuple | list)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    as_text(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    as_text(frame).to_parquet(path, index=False, engine="pyarrow")


def _write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    import openpyxl  # heavy: imported where used

    book = openpyxl.Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name)
        text = as_text(frame)
        sheet.append([str(c) for c in text.columns])
        for row in text.itertuples(index=False, name=None):
            sheet.append([None if _missing(v) else v for v in row])
    book.save(path)


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str | bool) and pd.isna(value))
