"""Export a validated casebook: normalised tables as CSV, Excel, Parquet or OCEL 2.0.

Normalised means: kinds in English, ``to`` and ``signals`` as ``;`` lists,
severity a whole number, confidence lower case, and each time written in its
case's style (:func:`written_times`); every column of the input kept, in its
order. Every table the casebook holds is exported (``events``, ``actors``,
and the reviewer's tables when present). Files are written through
:mod:`casuistry.io.writers` and :mod:`casuistry.io.atomic`: all or nothing.

Examples
--------
>>> import tempfile, pathlib, casuistry
>>> book = casuistry.load(casuistry.example_path())
>>> out = pathlib.Path(tempfile.mkdtemp()) / "puzzel"
>>> [p.name for p in export(book, out, format="csv")]
['events.csv', 'actors.csv']
>>> casuistry.load(out).events["time"].equals(book.events["time"])
True
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from casuistry.casebook import Casebook
from casuistry.errors import InputError
from casuistry.timeaxis import DATE, DAYS
from casuistry.vocabulary import CASE_ID, ROW, SECONDS_PER_DAY, TICKS, TIME

#: Formats of :func:`export`, as ``--format`` names them.
FORMATS = ("csv", "xlsx", "parquet", "ocel-json", "ocel-sqlite")
#: The suffix a file target of each single-file format must have.
FILE_SUFFIXES = {
    "xlsx": (".xlsx",),
    "ocel-json": (".jsonocel", ".json"),
    "ocel-sqlite": (".sqlite", ".sqlite3", ".ocel"),
}


def written_times(ticks, case, styles) -> np.ndarray:
    """Times as text in their case's style.

    Day numbers as whole numbers; dates as ``YYYY-MM-DD``; date-times as
    ``YYYY-MM-DDTHH:MM`` (``:SS`` when not zero), where an event at midnight
    in a case with other times is written as a date, unless every time of the
    case is at midnight (then the case keeps its style by writing ``T00:00``).

    Parameters
    ----------
    ticks, case, styles : array-like
        Per event its ticks, its case and its case's time style.

    Examples
    --------
    >>> written_times([0, 86400, 86400 + 3600], ["a", "b", "b"], ["days", "datetime", "datetime"])
    array(['0', '1970-01-02', '1970-01-02T01:00'], dtype=object)
    >>> written_times([0], ["c"], ["datetime"])
    array(['1970-01-01T00:00'], dtype=object)
    """
    ticks = np.asarray(ticks, dtype=np.int64)
    styles = np.asarray(styles, dtype=object)
    out = np.empty(len(ticks), dtype=object)
    days = styles == DAYS
    out[days] = (ticks[days] // SECONDS_PER_DAY).astype(str)
    midnight = ticks % SECONDS_PER_DAY == 0
    all_midnight = pd.Series(midnight).groupby(np.asarray(case, dtype=object)).transform("all")
    as_date = ~days & midnight & ((styles == DATE) | ~all_midnight.to_numpy(dtype=bool))
    seconds = ~days & ~as_date & (ticks % 60 != 0)
    minutes = ~days & ~as_date & ~seconds
    for mask, fmt in (
        (as_date, "%Y-%m-%d"),
        (minutes, "%Y-%m-%dT%H:%M"),
        (seconds, "%Y-%m-%dT%H:%M:%S"),
    ):
        if mask.any():
            stamps = pd.Series(ticks[mask].astype("datetime64[s]"))
            out[mask] = stamps.dt.strftime(fmt).to_numpy(dtype=object)
    return out


def normalised_tables(book: Casebook) -> dict[str, pd.DataFrame]:
    """Every table of the casebook as it is exported (see the module text).

    ``events`` loses the added columns ``ticks`` and ``row``; list cells stay
    tuples (the writers join them with ``;``).
    """
    events = book.events.drop(columns=[TICKS, ROW])
    styles = book.events[CASE_ID].map(book.time_styles)
    times = written_times(book.events[TICKS], book.events[CASE_ID], styles)
    events[TIME] = pd.array(times, dtype=book.events[TIME].dtype)
    return {**book.tables(), "events": events}


def export(book: Casebook, out: str | Path, *, format: str = "csv") -> list[Path]:
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
    format : {"csv", "xlsx", "parquet", "ocel-json", "ocel-sqlite"}

    Raises
    ------
    InputError
        For an unknown format or a file name with the wrong suffix.
    """
    out = Path(out)
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose one of: " + ", ".join(FORMATS))
    suffixes = FILE_SUFFIXES.get(format)
    if suffixes and out.suffix.lower() not in suffixes:
        raise InputError(
            f"{out}: a {format} export is one file; give a name ending in " + " or ".join(suffixes)
        )
    tables = normalised_tables(book)
    if format in ("csv", "parquet"):
        from casuistry.io.writers import write_tables

        return write_tables(out, tables, format=format)
    if format == "xlsx":
        from casuistry.io.writers import write_tables

        return write_tables(out.parent, tables, format="xlsx", workbook=out.stem)
    from casuistry.io.ocel import from_tables

    log = from_tables(tables, book.time_styles)
    if format == "ocel-json":
        from casuistry.io.ocel_json import write_ocel_json

        return [write_ocel_json(log, out)]
    from casuistry.io.ocel_sqlite import write_ocel_sqlite

    return [write_ocel_sqlite(log, out)]


def refuse_input_as_output(inputs, out: str | Path) -> None:
    """Refuse an output that is, or holds, one of the inputs: no command overwrites its input.

    Raises
    ------
    InputError
        Naming the input that would be overwritten.

    Examples
    --------
    >>> refuse_input_as_output(["case.xlsx"], "case.xlsx")
    Traceback (most recent call last):
    ...
    casuistry.errors.InputError: case.xlsx: the output is an input; write to another name
    """
    target = Path(out).resolve()
    for given in inputs:
        path = Path(given).resolve()
        if path == target or target in path.parents:
            raise InputError(f"{out}: the output is an input; write to another name")
