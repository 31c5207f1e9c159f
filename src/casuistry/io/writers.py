"""Writing case tables as CSV, Parquet or Excel, with nothing half-written.

The files of one call make up one folder, built aside and moved into place as
a whole by :func:`casuistry.io.atomic.build_folder`, so an error, an interrupt
or a kill leaves the old folder (or none) and never a mixture. An existing
folder is replaced only when it is empty or holds only files casuistry wrote;
an output into, over or around one of the ``inputs`` is refused.

Text cells that a spreadsheet program would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) are written with a
single quote in front in CSV and Excel files (OWASP's advice against CSV
injection); see :func:`neutralise`. Numbers, and text that is just a number
such as ``-3``, are written as they are. Parquet files, read by programs and
not by spreadsheets, keep every cell as it is.

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

import csv
import os
import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path

import pandas as pd

from casuistry.errors import CasuistryError
from casuistry.io.atomic import build_folder
from casuistry.progress import counter, shown
from casuistry.vocabulary import LIST_COLUMNS, LIST_SEPARATOR

FORMATS = ("csv", "parquet", "xlsx")
#: Rows an Excel sheet holds below its header.
XLSX_MAX_ROWS = 1_048_575
#: Rows of a workbook from which writing it shows a bar on a terminal (about 10 s).
XLSX_BAR_FROM = 100_000
#: Rows written between two steps of that bar.
_COUNTED = 10_000

Writes = dict[Path, Callable[[Path], None]]

#: A text cell a spreadsheet would read as a formula: a trigger character first,
#: unless the whole cell is a plain number (which a spreadsheet reads as that number).
_FORMULA = re.compile(r"(?![+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$)[=+\-@\t\r]")
#: The characters a cell that :data:`_FORMULA` matches starts with.
_FORMULA_FIRST = ("=", "+", "-", "@", "\t", "\r")


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


def write_together(writes: Writes, *, inputs: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """Write the planned files as one folder, built aside and moved into place.

    Parameters
    ----------
    writes : dict
        Target path to a function writing the file; every target lies in the
        same folder, which is created or replaced as a whole (see
        :func:`casuistry.io.atomic.build_folder` for when it may be replaced).
    inputs : iterable of path-like, keyword-only
        Paths the folder must not be, be inside, or contain.

    Returns
    -------
    list of Path
        The files written, in the order planned.
    """
    (folder,) = {target.parent for target in writes}

    def build(fresh: Path) -> None:
        for target, write in writes.items():
            write(fresh / target.name)

    build_folder(folder, build, inputs=inputs)
    return list(writes)


def write_tables(
    folder: str | Path,
    tables: Mapping[str, pd.DataFrame],
    *,
    format: str = "csv",
    workbook: str = "cases",
    inputs: Iterable[str | os.PathLike] = (),
) -> list[Path]:
    """Write tables as the folder ``folder`` (see :func:`table_writes`), all or nothing."""
    writes = table_writes(folder, tables, format=format, workbook=workbook)
    return write_together(writes, inputs=inputs)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every formula-like text cell and header quoted.

    A text cell (or column name) starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets a single quote ``'`` in front, so that a
    spreadsheet program shows it as text instead of running it. Cells of a
    numeric column, and text cells that are just a number (``-3``,
    ``+31``, ``1.5e3``), are left as they are.

    Examples
    --------
    >>> frame = pd.DataFrame({"description": ["=1+1", "- list item", "-3", "ok", "@x"],
    ...                       "time": [-3, 1, 2, 3, 4]})
    >>> neutralise(frame)["description"].tolist()
    ["'=1+1", "'- list item", '-3', 'ok', "'@x"]
    >>> neutralise(frame)["time"].tolist()
    [-3, 1, 2, 3, 4]
    """
    out = frame.rename(columns=lambda name: _quoted(name) if isinstance(name, str) else name)
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if not _holds_text(column):
            continue
        # Only a cell starting with one of the characters can be a formula: pyarrow
        # finds those; the pattern (with a look-ahead pyarrow cannot run) reads them only.
        risky = column.str.startswith(_FORMULA_FIRST, na=False).astype(bool)
        if risky.any():
            risky[risky] = column[risky].str.match(_FORMULA, na=False).astype(bool)
        if risky.any():
            out.isetitem(position, column.mask(risky, "'" + column[risky]))
    return out


def _quoted(text: str) -> str:
    return "'" + text if _FORMULA.match(text) else text


def _holds_text(column: pd.Series) -> bool:
    if isinstance(column.dtype, pd.StringDtype):
        return True
    if column.dtype != object:
        return False
    return pd.api.types.infer_dtype(column, skipna=True) in ("string", "mixed", "mixed-integer")


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
    text = neutralise(as_text(frame))
    # Python 3.11's csv module does not quote a lone carriage return when lines end
    # in "\n", which would split the row on reading: such a table is quoted in full.
    quoting = csv.QUOTE_ALL if _holds_carriage_return(text) else csv.QUOTE_MINIMAL
    text.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", quoting=quoting)


def _holds_carriage_return(frame: pd.DataFrame) -> bool:
    return any(
        frame.iloc[:, i].str.contains("\r", regex=False, na=False).astype(bool).any()
        for i in range(frame.shape[1])
        if _holds_text(frame.iloc[:, i])
    ) or any("\r" in str(name) for name in frame.columns)


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    as_text(frame).to_parquet(path, index=False, engine="pyarrow")


def _write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """The sheets as one workbook; from :data:`XLSX_BAR_FROM` rows on, a bar on a
    terminal counts them (10^6 events took openpyxl 100 s)."""
    import openpyxl  # heavy: imported where used

    book = openpyxl.Workbook(write_only=True)
    rows = sum(map(len, sheets.values()))
    show = shown(None, rows, shown_from=XLSX_BAR_FROM)
    with counter(rows, label=f"writing {path.name}", show=show, unit="row") as advance:
        for name, frame in sheets.items():
            sheet = book.create_sheet(title=name)
            text = neutralise(as_text(frame))
            sheet.append([str(c) for c in text.columns])
            for at, row in enumerate(text.itertuples(index=False, name=None), start=1):
                sheet.append([None if _missing(v) else v for v in row])
                if at % _COUNTED == 0:
                    advance(_COUNTED)
            advance(len(text) % _COUNTED)
        book.save(path)


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str | bool) and pd.isna(value))
