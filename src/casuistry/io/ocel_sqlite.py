"""OCEL 2.0 SQLite: writing and reading the relational layout of the specification.

Tables: ``event`` and ``object`` (``ocel_id``, ``ocel_type``),
``event_object`` (``ocel_event_id``, ``ocel_object_id``, ``ocel_qualifier``),
``object_object`` (``ocel_source_id``, ``ocel_target_id``,
``ocel_qualifier``), ``event_map_type`` and ``object_map_type``
(``ocel_type``, ``ocel_type_map``: the type's name in table names), and per
type ``event_<map>`` (``ocel_id``, ``ocel_time``, attributes) and
``object_<map>`` (``ocel_id``, ``ocel_time``, ``ocel_changed_field``,
attributes). Keys are declared as primary and foreign keys, and hold.

Examples
--------
>>> import tempfile, pathlib
>>> from casuistry.io.ocel import Ocel, Record
>>> import pandas as pd
>>> log = Ocel({"signal": [("category", "string")]}, {"case": []}, [Record("c:e1", "signal",
...     {"category": "verzuim"}, [("case:c", "case")], pd.Timestamp("2024-03-01"))],
...     [Record("case:c", "case")])
>>> path = write_ocel_sqlite(log, pathlib.Path(tempfile.mkdtemp()) / "log.sqlite")
>>> back = read_ocel_sqlite(path)
>>> back.events[0].attributes, back.events[0].relationships
({'category': 'verzuim'}, [('case:c', 'case')])
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pandas as pd

from casuistry.errors import InputError
from casuistry.io.atomic import Inputs, atomic_path
from casuistry.io.ocel import Ocel, Record, batches

_SQL_TYPES = {"integer": "INTEGER", "float": "REAL", "boolean": "INTEGER", "time": "TIMESTAMP"}
_INITIAL = "1970-01-01 00:00:00"
_TABLES = ("event", "object", "event_object", "object_object", "event_map_type", "object_map_type")

#: A new file written whole, then moved into place (:mod:`casuistry.io.atomic`): no
#: journal to roll back into, no waiting for the disk on each write, and room in
#: memory for the keys' pages (64 MB), which a large log's inserts otherwise read again.
_PRAGMAS = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -65536;
"""
_SCHEMA = """
CREATE TABLE event_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
CREATE TABLE object_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
CREATE TABLE event (
    ocel_id TEXT PRIMARY KEY, ocel_type TEXT REFERENCES event_map_type (ocel_type));
CREATE TABLE object (
    ocel_id TEXT PRIMARY KEY, ocel_type TEXT REFERENCES object_map_type (ocel_type));
CREATE TABLE event_object (
    ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT,
    PRIMARY KEY (ocel_event_id, ocel_object_id, ocel_qualifier),
    FOREIGN KEY (ocel_event_id) REFERENCES event (ocel_id),
    FOREIGN KEY (ocel_object_id) REFERENCES object (ocel_id));
CREATE TABLE object_object (
    ocel_source_id TEXT, ocel_target_id TEXT, ocel_qualifier TEXT,
    PRIMARY KEY (ocel_source_id, ocel_target_id, ocel_qualifier),
    FOREIGN KEY (ocel_source_id) REFERENCES object (ocel_id),
    FOREIGN KEY (ocel_target_id) REFERENCES object (ocel_id));
"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_names(types) -> dict[str, str]:
    """Each type's name in table names: letters and digits only, made unique."""
    out, used = {}, set()
    for name in types:
        base = re.sub(r"[^A-Za-z0-9]", "", name) or "type"
        mapped, n = base, 1
        while mapped.lower() in used:
            n += 1
            mapped = f"{base}{n}"
        used.add(mapped.lower())
        out[name] = mapped
    return out


def _time(stamp: datetime) -> str:
    return stamp.isoformat(sep=" ", timespec="seconds")


def write_ocel_sqlite(
    log: Ocel, path: str | Path, *, inputs: Inputs = (), progress: bool | None = False
) -> Path:
    """Write the log as an OCEL 2.0 SQLite database, atomically; return the path.

    ``inputs`` are paths the file must not touch (:func:`casuistry.io.atomic.atomic_path`);
    ``progress`` shows bars of the objects and events written (:mod:`casuistry.progress`).
    """
    with atomic_path(path, inputs=inputs) as tmp, closing(sqlite3.connect(tmp)) as db:
        db.executescript(_PRAGMAS + _SCHEMA)
        event_maps, object_maps = _table_names(log.event_types), _table_names(log.object_types)
        db.executemany("INSERT INTO event_map_type VALUES (?, ?)", event_maps.items())
        db.executemany("INSERT INTO object_map_type VALUES (?, ?)", object_maps.items())
        event_tables = {
            kind: _create(
                db,
                f"event_{event_maps[kind]}",
                "ocel_id TEXT PRIMARY KEY REFERENCES event (ocel_id), ocel_time TIMESTAMP",
                declared,
            )
            for kind, declared in log.event_types.items()
        }
        object_tables = {
            kind: _create(
                db,
                f"object_{object_maps[kind]}",
                "ocel_id TEXT REFERENCES object (ocel_id), "
                "ocel_time TIMESTAMP, ocel_changed_field TEXT",
                declared,
            )
            for kind, declared in log.object_types.items()
        }
        objects, events = ("object", "object_object"), ("event", "event_object")
        _insert_records(
            db,
            batches(log.objects, label="OCEL objects", show=progress),
            objects,
            object_tables,
            lambda o: (o.id, _INITIAL, None),
        )
        _insert_records(
            db,
            batches(log.events, label="OCEL events", show=progress),
            events,
            event_tables,
            lambda e: (e.id, _time(e.time)),
        )
        db.commit()
    return Path(path)


def _insert_records(db, records, tables: tuple[str, str], typed: dict, head) -> None:
    """Insert batches of events or objects: each into the first of ``tables`` (``event``),
    its relations into the second (``event_object``), and its attributes into
    its type's table (``typed``: per type the table and its attribute names),
    after ``head(record)``.

    One pass: events may be made as they are read
    (:class:`casuistry.ocel_events.EventRecords`); each table keeps their order.
    """
    for batch in records:
        db.executemany(f"INSERT INTO {tables[0]} VALUES (?, ?)", ((r.id, r.type) for r in batch))
        db.executemany(
            f"INSERT INTO {tables[1]} VALUES (?, ?, ?)",
            ((r.id, t, q) for r in batch for t, q in r.relationships),
        )
        for kind, group in _by_type(batch).items():
            table, names = typed[kind]
            rows = [(*head(r), *(r.attributes.get(a) for a in names)) for r in group]
            _insert(db, table, len(rows[0]), rows)


def _by_type(records: list[Record]) -> dict[str, list[Record]]:
    """The records by type, each type's in order."""
    out: dict[str, list[Record]] = {}
    for record in records:
        out.setdefault(record.type, []).append(record)
    return out


def _create(db, table: str, fixed: str, declared) -> tuple[str, list[str]]:
    """Create a type's table; its name and its attributes' names, in order."""
    columns = "".join(f", {_quote(a)} {_SQL_TYPES.get(t, 'TEXT')}" for a, t in declared)
    db.execute(f"CREATE TABLE {_quote(table)} ({fixed}{columns})")
    return table, [a for a, _ in declared]


def _insert(db, table: str, width: int, rows) -> None:
    db.executemany(f"INSERT INTO {_quote(table)} VALUES ({', '.join('?' * width)})", rows)


def read_ocel_sqlite(path: str | Path) -> Ocel:
    """Read an OCEL 2.0 SQLite database.

    Raises
    ------
    InputError
        When the file is not an SQLite database or lacks a table of the layout.
    """
    path = Path(path)
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            present = {
                r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            missing = [t for t in _TABLES if t not in present]
            if missing:
                raise InputError(
                    f"{path.name}: not an OCEL 2.0 SQLite file: no table "
                    + ", ".join(missing)
                    + "; give a file exported as OCEL 2.0 (casuistry export --format ocel-sqlite)"
                )
            return _read(db, path.name)
    except sqlite3.DatabaseError as err:
        raise InputError(f"{path.name}: not a readable SQLite database ({err})") from err


def _read(db, name: str) -> Ocel:
    def rows(sql: str):
        return db.execute(sql).fetchall()

    event_maps = dict(rows("SELECT ocel_type, ocel_type_map FROM event_map_type ORDER BY rowid"))
    object_maps = dict(rows("SELECT ocel_type, ocel_type_map FROM object_map_type ORDER BY rowid"))
    e2o, o2o = {}, {}
    for source, target, qualifier in rows("SELECT * FROM event_object ORDER BY rowid"):
        e2o.setdefault(source, []).append((target, qualifier))
    for source, target, qualifier in rows("SELECT * FROM object_object ORDER BY rowid"):
        o2o.setdefault(source, []).append((target, qualifier))
    event_types, times, event_values = {}, {}, {}
    for kind, mapped in event_maps.items():
        declared, records = _type_table(db, f"event_{mapped}", ("ocel_id", "ocel_time"))
        event_types[kind] = declared
        for record in records:
            times[record["ocel_id"]] = record["ocel_time"]
            event_values[record["ocel_id"]] = _values(record, ("ocel_id", "ocel_time"))
    object_types, object_values = {}, {}
    fixed = ("ocel_id", "ocel_time", "ocel_changed_field")
    for kind, mapped in object_maps.items():
        declared, records = _type_table(db, f"object_{mapped}", fixed, "ocel_time, rowid")
        object_types[kind] = declared
        for record in records:
            if record.get("ocel_changed_field") is None:
                object_values.setdefault(record["ocel_id"], _values(record, fixed))
    events = []
    for event_id, kind in rows("SELECT ocel_id, ocel_type FROM event ORDER BY rowid"):
        if event_id not in times:
            raise InputError(f"{name}: event {event_id!r} has no row in the table of its type")
        events.append(
            Record(
                event_id,
                kind,
                event_values[event_id],
                e2o.get(event_id, []),
                _naive(pd.Timestamp(times[event_id])),
            )
        )
    objects = [
        Record(object_id, kind, object_values.get(object_id, {}), o2o.get(object_id, []))
        for object_id, kind in rows("SELECT ocel_id, ocel_type FROM object ORDER BY rowid")
    ]
    return Ocel(event_types, object_types, events, objects)


def _naive(stamp: pd.Timestamp) -> pd.Timestamp:
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tz is not None else stamp


def _type_table(db, table: str, fixed: tuple[str, ...], order: str = "rowid"):
    cursor = db.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")
    columns = [c[0] for c in cursor.description]
    info = {r[1]: r[2] for r in db.execute(f"PRAGMA table_info({_quote(table)})")}
    declared = [(c, _ocel_type(info.get(c, ""))) for c in columns if c not in fixed]
    return declared, [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]


def _ocel_type(sql_type: str) -> str:
    return {"INTEGER": "integer", "REAL": "float", "TIMESTAMP": "time"}.get(
        sql_type.upper(), "string"
    )


def _values(record: dict, fixed: tuple[str, ...]) -> dict:
    return {k: v for k, v in record.items() if k not in fixed and v is not None}
