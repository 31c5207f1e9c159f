"""A case-partitioned Parquet dataset of raw case tables.

Layout of a dataset folder (written as a whole through
:func:`casuistry.io.atomic.build_folder`)::

    manifest.json          what was read: file names, reading notes, a workbook's
                           sheet names, parts
    events/part-00000.parquet ...   raw event cells as text, whole cases only,
                                    plus the column ``__row__``: the user's row
    actors.parquet         the raw actors table with ``__row__`` (when given)
    sources.parquet, episodes.parquet, factors.parquet, findings.parquet
                           the reviewer's tables with ``__row__`` (those given)

A worker takes the rows of the reviewer's tables of its part's cases
(:func:`read_review`), the whole sources table, and the rows whose case has no
events: those the manifest sends to the part holding the case id closest to
theirs (so an error's "did you mean" names the case ``load`` names), or to the
first part. The first part also gets the tables' reading notes.

Every cell stays the text the reader produced (lists as ``;`` text), so no
Dask or Arrow conversion can change a value; a worker turns a part back into
the :class:`~casuistry.io.raw.RawTable` the single-process path would have
validated, with the original file name and rows.

Examples
--------
>>> import tempfile, pathlib, casuistry
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "dataset"
>>> manifest = write_dataset(casuistry.example_path(), folder, events_per_part=10)
>>> manifest["parts"]  # the example is one case, and a case is never split
['events/part-00000.parquet']
>>> events, actors = read_part(folder, manifest["parts"][0])
>>> events.file, int(events.rows[0])
('events.csv', 2)
>>> review = read_review(folder, manifest["parts"][0], events)
>>> {name: len(table.frame) for name, table in review.items()}
{'sources': 10, 'episodes': 3, 'factors': 4, 'findings': 2}
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from casuistry.errors import InputError
from casuistry.hints import closest_offered
from casuistry.io.atomic import build_folder, put_text
from casuistry.io.raw import ACTORS, EVENTS, RawTable
from casuistry.kinds import KINDS, KindRegistry
from casuistry.loading import read_input
from casuistry.vocabulary import CASE_ID, EVENT_ID

#: The column holding the user's row in a part.
ROW_COLUMN = "__row__"
#: The file naming a folder as a dataset of this module.
MANIFEST = "manifest.json"
#: Format version written into the manifest (2: with the reviewer's tables; 3: with
#: a workbook's sheet names).
VERSION = 3
#: The reviewer's tables whose rows belong to a case; the sources belong to the input.
PER_CASE = ("episodes", "factors", "findings")
#: Events per part when nothing else is asked: large enough that reading a part
#: costs little next to analysing it, small enough to spread over workers.
EVENTS_PER_PART = 50_000


def is_dataset(path: str | Path) -> bool:
    """Whether ``path`` is a dataset folder written by :func:`write_dataset`."""
    return (Path(path) / MANIFEST).is_file()


def fingerprint(path: str | Path) -> str:
    """A name for an input: its resolved path and its files' names, sizes and times.

    A changed input gets another fingerprint, so a stale dataset is never used.
    """
    path = Path(path).resolve()
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file())
    else:  # nothing to read (missing, a pipe): reading it says what is wrong, as load does
        files = [path] if path.is_file() else []
    key = hashlib.sha256(str(path).encode())
    for file in files:
        stat = file.stat()
        key.update(f"{file.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return key.hexdigest()[:24]


def cache_folder(path: str | Path) -> Path:
    """Where the dataset of an input is cached: ``$CASUISTRY_CACHE`` (default
    ``~/.cache/casuistry``) ``/datasets/`` and a name made of the input's
    resolved path.

    One folder per input: when the input changes, its dataset no longer
    :func:`holds` it and is replaced there, so the cache does not grow with
    every edit of a large input.
    """
    base = Path(os.environ.get("CASUISTRY_CACHE", Path.home() / ".cache" / "casuistry"))
    return base / "datasets" / hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:24]


def holds(folder: str | Path, path: str | Path) -> bool:
    """Whether ``folder`` is a dataset converted from ``path`` as it is now."""
    if not is_dataset(folder):
        return False
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("version") == VERSION and manifest.get("source") == fingerprint(path)


def write_dataset(
    path: str | Path,
    folder: str | Path,
    *,
    events_per_part: int = EVENTS_PER_PART,
    kinds: KindRegistry = KINDS,
) -> dict:
    """Read an input once and write it as a case-partitioned dataset.

    Parameters
    ----------
    path : str or Path
        Any input :func:`casuistry.load` reads.
    folder : str or Path
        The dataset folder to write (new, empty, or an earlier dataset).
    events_per_part : int, keyword-only
        About how many events a part holds; a case is never split, so a part
        holds at least one whole case.
    kinds : KindRegistry, keyword-only
        As for :func:`casuistry.load` (an OCEL 2.0 input's mapping reads it).

    Returns
    -------
    dict
        The manifest.

    Raises
    ------
    InputError
        As :func:`casuistry.load` when the input cannot be read.
    """
    tables = read_input(path, kinds=kinds)
    events, actors = tables.pop(EVENTS), tables.pop(ACTORS, None)
    parts = _parts(events.frame, events_per_part)
    manifest = {
        "version": VERSION,
        "source": fingerprint(path),
        "events_file": events.file,
        "events_notes": [list(note) for note in events.notes],
        "sheets": list(events.sheets),
        "actors_file": actors.file if actors is not None else None,
        "actors_notes": [list(note) for note in actors.notes] if actors is not None else [],
        "review": {
            name: {
                "file": table.file,
                "notes": [list(note) for note in table.notes],
                "orphans": _orphans(table, events) if name in PER_CASE else [],
            }
            for name, table in tables.items()
        },
        "parts": [f"events/part-{k:05d}.parquet" for k in range(len(parts))],
    }

    def build(tmp: Path) -> None:
        (tmp / "events").mkdir()
        for name, positions in zip(manifest["parts"], parts, strict=True):
            _write_table(events, positions, tmp / name)
        if actors is not None:
            _write_table(actors, np.arange(len(actors.frame)), tmp / "actors.parquet")
        for name, table in tables.items():
            _write_table(table, np.arange(len(table.frame)), tmp / f"{name}.parquet")
        put_text(tmp / MANIFEST, json.dumps(manifest, indent=1))

    build_folder(folder, build, inputs=[path])
    return manifest


def _orphans(table: RawTable, events: RawTable) -> list[list]:
    """The rows of a reviewer's table whose case has no events, each with the case id
    the single-process run offers for it (None: no case is close, or no case id).

    Validation says "case X has no events; did you mean Y?" with Y the closest
    case of all events; in a part, the closest of its cases. The row goes to the
    part that holds Y, where Y is the closest too.
    """
    if CASE_ID not in table.frame or CASE_ID not in events.frame:
        return []
    case_ids = table.frame[CASE_ID]
    orphan = ~_among(case_ids, _cases(events))
    if not orphan.any():
        return []
    named = events.frame[[CASE_ID, EVENT_ID]].dropna()[CASE_ID].unique().tolist()
    offered = cache(lambda case_id: closest_offered(case_id, named))
    return [
        [int(row), None if pd.isna(case_id) else offered(case_id)]
        for row, case_id in zip(table.rows[orphan], case_ids[orphan], strict=True)
    ]


def read_manifest(folder: str | Path) -> dict:
    """The manifest of a dataset folder."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"{folder}: not a casuistry dataset ({err})") from err
    if manifest.get("version") != VERSION:
        raise InputError(
            f"{folder}: a dataset of another casuistry version; remove it and convert again"
        )
    return manifest


def read_part(folder: str | Path, part: str) -> tuple[RawTable, RawTable | None]:
    """The raw events of one part and the raw actors table, as the reader made them.

    Reading notes are left out: they belong to the whole input and are
    reported once (:func:`read_manifest` holds them). A workbook's sheet
    names go with the events of every part, as the reader gives them: each
    part then stops where ``load`` stops at a sheet name that looks like an
    identifier, and the merge reports that once.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    events = _read_table(folder / part, manifest["events_file"])
    events = replace(events, sheets=tuple(manifest["sheets"]))
    actors = None
    if manifest["actors_file"] is not None:
        actors = _read_table(folder / "actors.parquet", manifest["actors_file"])
    return events, actors


def read_review(folder: str | Path, part: str, events: RawTable) -> dict[str, RawTable]:
    """The reviewer's raw tables as the worker of ``part`` (its ``events``) validates them.

    The rows of its cases, and the rows without events sent to it (see the
    module notes); the whole sources table. A table without a ``case_id``
    column goes whole to the first part (each part reports the missing column,
    which the merge reports once). The reading notes go to the first part.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    first = part == manifest["parts"][0]
    cases = _cases(events)
    out = {}
    for name, info in manifest["review"].items():
        table = _read_table(folder / f"{name}.parquet", info["file"])
        notes = tuple(map(tuple, info["notes"])) if first else ()
        keep = np.full(len(table.frame), first or name not in PER_CASE)
        if name in PER_CASE and CASE_ID in table.frame:
            keep = _among(table.frame[CASE_ID], cases)
            sent = {row for row, offered in info["orphans"] if _takes(offered, cases, first)}
            keep |= np.isin(table.rows, list(sent))
        frame = table.frame[keep].reset_index(drop=True)
        out[name] = RawTable(frame, table.rows[keep], table.file, notes)
    return out


def _cases(events: RawTable) -> pd.Index:
    """The distinct case ids of some raw events."""
    return pd.Index(events.frame[CASE_ID].dropna().unique() if CASE_ID in events.frame else [])


def _among(values: pd.Series, known: pd.Index) -> np.ndarray:
    """Whether each of ``values`` is one of ``known`` (distinct), by hashing: pandas'
    ``isin`` of Arrow text made a Python object of every known value (7 s per
    table for 10^6 events)."""
    return known.get_indexer(pd.Index(values)) >= 0


def _takes(offered: str | None, cases: pd.Index, first: bool) -> bool:
    """Whether a part takes a row without events: it holds the case offered, or it is
    the first part and none is."""
    return offered in cases if offered is not None else first


def count_events(folder: str | Path) -> int:
    """How many events the dataset holds, from its parts' Parquet footers
    (the parts themselves are not read).

    Examples
    --------
    >>> import casuistry, tempfile, pathlib, shutil
    >>> here = pathlib.Path(tempfile.mkdtemp()) / "case"
    >>> here.mkdir()
    >>> _ = shutil.copy(casuistry.example_path() / "events.csv", here / "events.csv")
    >>> folder = here.parent / "dataset"
    >>> _ = write_dataset(here, folder)
    >>> count_events(folder) == casuistry.load(here).n_events
    True
    """
    folder = Path(folder)
    parts = read_manifest(folder)["parts"]
    return sum(pq.ParquetFile(folder / part).metadata.num_rows for part in parts)


def _parts(frame: pd.DataFrame, events_per_part: int) -> list[np.ndarray]:
    """Row positions of each part: whole cases in order of first appearance."""
    if CASE_ID not in frame.columns:  # validation reports the missing column
        return [np.arange(len(frame))]
    codes, _ = pd.factorize(frame[CASE_ID], use_na_sentinel=False)
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes)
    ends = np.cumsum(sizes)
    cuts, last = [], 0
    for end in ends.tolist():
        if end - last >= events_per_part:
            cuts.append(end)
            last = end
    if not cuts or cuts[-1] != len(order):
        cuts.append(len(order))
    return [np.sort(chunk) for chunk in np.split(order, cuts[:-1])]


def _write_table(table: RawTable, positions: np.ndarray, target: Path) -> None:
    frame = table.frame.take(positions)
    arrays = {
        name: pa.array(frame[name], type=pa.large_string(), from_pandas=True) for name in frame
    }
    arrays[ROW_COLUMN] = pa.array(table.rows[positions], pa.int64())
    pq.write_table(pa.table(arrays), target)


def _read_table(path: Path, file: str) -> RawTable:
    data = pq.read_table(path)
    rows = data.column(ROW_COLUMN).to_numpy()
    columns = {
        name: pd.array(data.column(name).combine_chunks(), dtype="string")
        for name in data.column_names
        if name != ROW_COLUMN
    }
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
    return RawTable(frame, np.asarray(rows, dtype=np.int64), file)
