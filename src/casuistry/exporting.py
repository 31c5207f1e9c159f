"""Export a validated casebook: normalised tables as CSV, Excel, Parquet or OCEL 2.0.

Normalised means: kinds in English, ``to`` and ``signals`` as ``;`` lists,
severity a whole number, confidence lower case, and each time written in its
case's style (:func:`casuistry.timeaxis.written_times`); every column of the input kept, in its
order. Every table the casebook holds is exported (``events``, ``actors``,
and the reviewer's tables when present). Files are written through
:mod:`casuistry.io.writers` and :mod:`casuistry.io.atomic`: all or nothing.

Examples
--------
>>> import tempfile, pathlib, casuistry
>>> book = casuistry.load(casuistry.example_path())
>>> out = pathlib.Path(tempfile.mkdtemp()) / "puzzel"
>>> [p.name for p in export(book, out, format="csv")]
['events.csv', 'actors.csv', 'sources.csv', 'episodes.csv', 'factors.csv', 'findings.csv']
>>> casuistry.load(out).events["time"].equals(book.events["time"])
True
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from casuistry.casebook import Casebook
from casuistry.errors import InputError
from casuistry.timeaxis import written_times
from casuistry.vocabulary import CASE_ID, LIST_SEPARATOR, ROW, TICKS, TIME

#: Formats of :func:`export`, as ``--format`` names them.
FORMATS = ("csv", "xlsx", "parquet", "ocel-json", "ocel-sqlite")
#: The suffix a file target of each single-file format must have.
FILE_SUFFIXES = {
    "xlsx": (".xlsx",),
    "ocel-json": (".jsonocel", ".json"),
    "ocel-sqlite": (".sqlite", ".sqlite3", ".ocel"),
}


def format_of(out: str | os.PathLike) -> str:
    """The format a name asks for: the single-file format whose suffix it has,
    else ``csv`` (a folder).

    Examples
    --------
    >>> format_of("hg.jsonocel"), format_of("casus.XLSX"), format_of("tabellen")
    ('ocel-json', 'xlsx', 'csv')
    """
    suffix = Path(out).suffix.lower()
    return next((name for name, ends in FILE_SUFFIXES.items() if suffix in ends), "csv")


def normalised_tables(book: Casebook) -> dict[str, pd.DataFrame]:
    """Every table of the casebook as it is exported (see the module text).

    ``events`` loses the added columns ``ticks`` and ``row``; list cells stay
    tuples (the writers join them with ``;``).
    """
    events = book.events.drop(columns=[TICKS, ROW])
    styles = book.events[CASE_ID].map(book.time_styles)
    times = written_times(book.events[TICKS], book.events[CASE_ID], styles)
    events[TIME] = pd.array(times, dtype=book.events[TIME].dtype)
    tables = {
        name: _listed(table.drop(columns=[ROW], errors="ignore"))
        for name, table in book.tables().items()
        if name != "events"
    }
    return {"events": events, **tables}


def _listed(table: pd.DataFrame) -> pd.DataFrame:
    """A reviewer's table with its list cells (``events``, ``episodes``) written as ``;`` text."""
    out = table.copy()
    for column in out.columns:
        values = out[column].to_numpy(dtype=object)
        if any(isinstance(v, tuple | list) for v in values):
            out[column] = [
                LIST_SEPARATOR.join(v) if isinstance(v, tuple | list) else v for v in values
            ]
    return out


def export(
    book: Casebook,
    out: str | Path,
    *,
    format: str | None = None,
    inputs: Iterable[str | os.PathLike] = (),
    progress: bool | None = None,
) -> list[Path]:
    """Write the normalised casebook; return the files written.

    Parameters
    ----------
    book : Casebook
        A validated casebook, from :func:`casuistry.load`.
    out : str or Path
        A folder for ``csv`` and ``parquet`` (one file per table); a file
        for ``xlsx`` (``.xlsx``, a sheet per table), ``ocel-json``
        (``.jsonocel`` or ``.json``) and ``ocel-sqlite`` (``.sqlite``,
        ``.sqlite3`` or ``.ocel``).
    format : {"csv", "xlsx", "parquet", "ocel-json", "ocel-sqlite"} or None
        None: the one the name of ``out`` asks for (:func:`format_of`).
    inputs : iterable of path-like, keyword-only
        The paths read, which the output must not be, be inside or contain.
    progress : bool or None, keyword-only
        Bars of the OCEL objects and events written: True always, False never,
        None (default) for a large log on a terminal (:mod:`casuistry.progress`).

    Raises
    ------
    InputError
        For an unknown format or a file name with the wrong suffix.
    WriteRefused
        When ``out`` touches an input or holds something casuistry did not
        write (:mod:`casuistry.io.atomic`); nothing is written then.
    """
    out = Path(out)
    format = format_of(out) if format is None else format
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose one of: " + ", ".join(FORMATS))
    suffixes = FILE_SUFFIXES.get(format)
    if suffixes and out.suffix.lower() not in suffixes:
        raise InputError(
            f"{out}: the format {format} writes one file; give a name ending in "
            + " or ".join(suffixes)
        )
    if not suffixes and format_of(out) != "csv":
        raise InputError(
            f"{out}: the format {format} writes a folder (a file per table), and the name "
            f"ends in {out.suffix}; give a folder name, or the format {format_of(out)}"
        )
    tables = normalised_tables(book)
    if format in ("csv", "parquet"):
        from casuistry.io.writers import write_tables

        return write_tables(out, tables, format=format, inputs=inputs)
    if format == "xlsx":
        from casuistry.io.atomic import atomic_path
        from casuistry.io.writers import table_writes

        ((_, write),) = table_writes(out.parent, tables, format="xlsx").items()
        with atomic_path(out, inputs=inputs) as tmp:
            write(tmp)
        return [out]
    from casuistry.ocel_tables import from_tables

    log = from_tables(tables, book.time_styles, kinds=book.kinds)
    if format == "ocel-json":
        from casuistry.io.ocel_json import write_ocel_json

        return [write_ocel_json(log, out, inputs=inputs, progress=progress)]
    from casuistry.io.ocel_sqlite import write_ocel_sqlite

    return [write_ocel_sqlite(log, out, inputs=inputs, progress=progress)]
