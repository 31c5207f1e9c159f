"""An OCEL 2.0 log in memory, and the files read as one.

:class:`Ocel` is the layout-neutral middle: :mod:`casuistry.io.ocel_json` and
:mod:`casuistry.io.ocel_sqlite` write and read it; :mod:`casuistry.ocel_tables`
makes one from a casebook's tables and turns one back into raw tables.

Examples
--------
>>> log = Ocel({}, {"case": []}, [], [Record("case:c1", "case", {"case_id": "c1"})])
>>> log.objects[0].attributes["case_id"]
'c1'
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate, islice
from pathlib import Path

from casuistry.progress import counter


@dataclass
class Record:
    """One OCEL event or object.

    ``time`` is the instant of an event (a ``datetime``; a pandas Timestamp
    when read from a file) and None for an object; ``attributes``
    holds only values that are present; ``relationships`` are
    ``(object id, qualifier)`` pairs in order.
    """

    id: str
    type: str
    attributes: dict[str, object] = field(default_factory=dict)
    relationships: list[tuple[str, str]] = field(default_factory=list)
    time: datetime | None = None


@dataclass
class Ocel:
    """An OCEL 2.0 log: typed attribute declarations, events and objects, in order.

    ``events`` and ``objects`` are any sequences: lists when read from a
    file; when exported, the events and the objects they make are made as
    they are read (:mod:`casuistry.ocel_events`).
    """

    event_types: dict[str, list[tuple[str, str]]]
    object_types: dict[str, list[tuple[str, str]]]
    events: Sequence[Record]
    objects: Sequence[Record]


class Concatenated(Sequence[Record]):
    """Sequences of records read one after the other, as one (each part as it
    reads: a list, or records made when read).

    Examples
    --------
    >>> both = Concatenated([Record("a", "case")], [Record("b", "case"), Record("c", "case")])
    >>> len(both), [r.id for r in both], both[2].id, [r.id for r in both[-2:]]
    (3, ['a', 'b', 'c'], 'c', ['b', 'c'])
    """

    def __init__(self, *parts: Sequence[Record]):
        self._parts = parts
        self._ends = list(accumulate(len(part) for part in parts))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[Record]:
        for part in self._parts:
            yield from part

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        position = range(len(self))[index]  # negative positions, and IndexError
        which = bisect_right(self._ends, position)
        return self._parts[which][position - (self._ends[which - 1] if which else 0)]


#: Records a writer takes at a time.
BATCH = 10_000


def batches(
    records: Sequence[Record],
    size: int | None = None,
    *,
    label: str = "writing OCEL",
    show: bool | None = False,
) -> Iterator[list[Record]]:
    """The records in lists of ``size`` (:data:`BATCH` by default), in order,
    counted on a progress bar (``label``; ``show`` as :mod:`casuistry.progress` reads it).

    Examples
    --------
    >>> [len(b) for b in batches([Record(str(k), "case") for k in range(5)], 2)]
    [2, 2, 1]
    """
    with counter(len(records), label=label, show=show, unit="record") as advance:
        taken = iter(records)
        while batch := list(islice(taken, size or BATCH)):
            yield batch
            advance(len(batch))


# --- files ----------------------------------------------------------------------------

#: Suffixes of files read as OCEL 2.0: JSON, and SQLite.
JSON_SUFFIXES = (".jsonocel", ".json")
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".ocel")


def is_ocel(path) -> bool:
    """Whether ``path`` names a file to read as OCEL 2.0 (by its suffix)."""
    suffix = Path(path).suffix.lower()
    return Path(path).is_file() and suffix in (*JSON_SUFFIXES, *SQLITE_SUFFIXES)


def read_log(path) -> Ocel:
    """Read an OCEL 2.0 JSON or SQLite file (by its suffix) into an :class:`Ocel`.

    Raises
    ------
    InputError
        When the file is not OCEL 2.0.
    """
    path = Path(path)
    if path.suffix.lower() in JSON_SUFFIXES:
        from casuistry.io.ocel_json import read_ocel_json

        return read_ocel_json(path)
    from casuistry.io.ocel_sqlite import read_ocel_sqlite

    return read_ocel_sqlite(path)
