"""A case-partitioned Parquet dataset of raw case tables.

Layout of a dataset folder (written as a whole through
:func:`casuistry.io.atomic.build_folder`)::

    manifest.json          what was read: file names, headers, reading notes, parts
    events/part-00000.parquet ...   raw event cells as text, whole cases only,
                                    plus the column ``__row__``: the user's row
    actors.parquet         the raw actors table with ``__row__`` (when given)

Every cell stays the text the reader produced (lists as ``;`` text), so no
Dask or Arrow conversion can change a value; a worker turns a part back into
the :class:`~casuistry.io.raw.RawTable` the single-process path would have
validated, with the original file name and rows.

Examples
--------
>>> import tempfile, pathlib, shutil, casuistry
>>> here = pathlib.Path(tempfile.mkdtemp()) / "case"
>>> here.mkdir()
>>> for name in ("events.csv", "actors.csv"):  # the Dask engine reads these two only
...     _ = shutil.copy(casuistry.example_path() / name, here / name)
>>> folder = here.parent / "dataset"
>>> manifest = write_dataset(here, folder, events_per_part=10)
>>> manifest["parts"]  # the example is one case, and a case is never split
['events/part-00000.parquet']
>>> events, actors = read_part(folder, manifest["parts"][0])
>>> events.file, int(events.rows[0])
('events.csv', 2)
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from casuistry.errors import InputError
from casuistry.io.atomic import build_folder, put_text
from casuistry.io.raw import ACTORS, EVENTS, RawTable
from casuistry.kinds import KINDS, KindRegistry
from casuistry.loading import read_input
from casuistry.vocabulary import CASE_ID, SOURCE

#: The column holding the user's row in a part.
ROW_COLUMN = "__row__"
#: The file naming a folder as a dataset of this module.
MANIFEST = "manifest.json"
#: Format version written into the manifest.
VERSION = 1
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
    tables = {name: table for name, table in tables.items() if _counts(name, table, events)}
    if tables:
        why = ""
        if not any(len(table.frame) for table in tables.values()):  # only an empty sources table
            why = " (its sources table is empty while events cite sources, which load warns of)"
        raise InputError(
            f"{Path(path).name}: the Dask engine reads events and actors only; the reviewer's "
            f"tables ({', '.join(tables)}) need the single-process engine{why} (leave out "
            "--engine dask), or analyse the events and actors without them"
        )
    parts = _parts(events.frame, events_per_part)
    manifest = {
        "version": VERSION,
        "source": fingerprint(path),
        "events_file": events.file,
        "events_notes": [list(note) for note in events.notes],
        "actors_file": actors.file if actors is not None else None,
        "actors_notes": [list(note) for note in actors.notes] if actors is not None else [],
        "parts": [f"events/part-{k:05d}.parquet" for k in range(len(parts))],
    }

    def build(tmp: Path) -> None:
        (tmp / "events").mkdir()
        for name, positions in zip(manifest["parts"], parts, strict=True):
            _write_table(events, positions, tmp / name)
        if actors is not None:
            _write_table(actors, np.arange(len(actors.frame)), tmp / "actors.parquet")
        put_text(tmp / MANIFEST, json.dumps(manifest, indent=1))

    build_folder(folder, build, inputs=[path])
    return manifest


def _counts(name: str, table: RawTable, events: RawTable) -> bool:
    """Whether a reviewer's table changes what ``load`` makes of the input.

    A sheet of headers only (as the template and ``export`` write them) does
    not, but for an empty sources table while events cite sources: each is
    then warned of as missing from it.
    """
    if len(table.frame):
        return True
    return name == "sources" and SOURCE in events.frame and bool(events.frame[SOURCE].notna().any())


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
    reported once (:func:`read_manifest` holds them).
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    events = _read_table(folder / part, manifest["events_file"])
    actors = None
    if manifest["actors_file"] is not None:
        actors = _read_table(folder / "actors.parquet", manifest["actors_file"])
    return events, actors


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
