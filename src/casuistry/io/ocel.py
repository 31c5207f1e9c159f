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

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class Record:
    """One OCEL event or object.

    ``time`` is a Timestamp for events and None for objects; ``attributes``
    holds only values that are present; ``relationships`` are
    ``(object id, qualifier)`` pairs in order.
    """

    id: str
    type: str
    attributes: dict[str, object] = field(default_factory=dict)
    relationships: list[tuple[str, str]] = field(default_factory=list)
    time: pd.Timestamp | None = None


@dataclass
class Ocel:
    """An OCEL 2.0 log: typed attribute declarations, events and objects, in order."""

    event_types: dict[str, list[tuple[str, str]]]
    object_types: dict[str, list[tuple[str, str]]]
    events: list[Record]
    objects: list[Record]


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
