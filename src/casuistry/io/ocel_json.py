"""OCEL 2.0 JSON: writing and reading the layout of the OCEL 2.0 specification.

The file holds four lists: ``objectTypes`` and ``eventTypes`` (each a
``name`` and typed ``attributes``), ``objects`` (``id``, ``type``,
``attributes`` with a ``time``, ``relationships``) and ``events`` (``id``,
``type``, ``time``, ``attributes``, ``relationships``). Times are ISO 8601
in UTC (``Z``); an object attribute's value holds from 1970-01-01.

Examples
--------
>>> import tempfile, pathlib
>>> from casuistry.io.ocel import Ocel, Record
>>> import pandas as pd
>>> log = Ocel({"signal": []}, {"case": []}, [Record("c:e1", "signal",
...     relationships=[("case:c", "case")], time=pd.Timestamp("2024-03-01"))],
...     [Record("case:c", "case")])
>>> path = write_ocel_json(log, pathlib.Path(tempfile.mkdtemp()) / "log.jsonocel")
>>> read_ocel_json(path).events[0].time
Timestamp('2024-03-01 00:00:00')
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from json.encoder import encode_basestring as _text  # text as json.dumps writes it
from pathlib import Path

import pandas as pd

from casuistry.errors import InputError
from casuistry.io.atomic import Inputs, atomic_path
from casuistry.io.ocel import Ocel, Record, batches
from casuistry.io.ocel_mapping import INITIAL_TIME

_KEYS = ("objectTypes", "eventTypes", "objects", "events")


def _time(stamp: datetime) -> str:
    return stamp.isoformat(timespec="seconds") + "Z"


def _types(declared: dict) -> list[dict]:
    return [
        {"name": name, "attributes": [{"name": a, "type": t} for a, t in attributes]}
        for name, attributes in declared.items()
    ]


def write_ocel_json(
    log: Ocel, path: str | Path, *, inputs: Inputs = (), progress: bool | None = False
) -> Path:
    """Write the log as OCEL 2.0 JSON, atomically; return the path.

    ``inputs`` are paths the file must not touch (:func:`casuistry.io.atomic.atomic_path`);
    ``progress`` shows bars of the objects and events written (:mod:`casuistry.progress`).
    The objects and events are written a batch at a time
    (:func:`casuistry.io.ocel.batches`), each as the text ``json.dumps``
    gives it (compact, UTF-8), made from its parts: the whole document as
    dicts and then as one string took 7.4 GB for 10^6 events, and a dict per
    record and relation took most of the writing time.
    """
    with atomic_path(path, inputs=inputs) as tmp, open(tmp, "w", encoding="utf-8") as out:
        out.write(f'{{"objectTypes":{_dumps(_types(log.object_types))},')
        out.write(f'"eventTypes":{_dumps(_types(log.event_types))},"objects":[')
        _write_batches(out, batches(log.objects, label="OCEL objects", show=progress), _object)
        out.write('],"events":[')
        _write_batches(out, batches(log.events, label="OCEL events", show=progress), _event)
        out.write("]}\n")
    return Path(path)


def _dumps(value) -> str:
    # compact: json's C encoder does not indent, and a corpus log is large
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _write_batches(out, records: Iterable[list[Record]], as_json: Callable[[Record], str]) -> None:
    """Batches of records as the inside of a JSON list (comma separated)."""
    first = True
    for batch in records:
        out.write(("" if first else ",") + ",".join(map(as_json, batch)))
        first = False


def _value(value) -> str:
    """A value as JSON: text escaped as ``json.dumps`` escapes it (not as ASCII)."""
    if isinstance(value, str):
        return _text(value)
    return str(value) if type(value) is int else _dumps(value)


def _relationships(record: Record) -> str:
    return ",".join(
        f'{{"objectId":{_text(target)},"qualifier":{_text(qualifier)}}}'
        for target, qualifier in record.relationships
    )


def _object(o: Record) -> str:
    attributes = ",".join(
        f'{{"name":{_text(k)},"time":"{INITIAL_TIME}","value":{_value(v)}}}'
        for k, v in o.attributes.items()
    )
    return (
        f'{{"id":{_text(o.id)},"type":{_text(o.type)},"attributes":[{attributes}],'
        f'"relationships":[{_relationships(o)}]}}'
    )


def _event(e: Record) -> str:
    attributes = ",".join(
        f'{{"name":{_text(k)},"value":{_value(v)}}}' for k, v in e.attributes.items()
    )
    return (
        f'{{"id":{_text(e.id)},"type":{_text(e.type)},"time":"{_time(e.time)}",'
        f'"attributes":[{attributes}],"relationships":[{_relationships(e)}]}}'
    )


def read_ocel_json(path: str | Path) -> Ocel:
    """Read an OCEL 2.0 JSON file.

    Raises
    ------
    InputError
        When the file is not JSON, or not an OCEL 2.0 document (the four
        lists), or an event has no readable time.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path.name}: not a readable JSON file ({err})") from err
    missing = [k for k in _KEYS if not isinstance(document, dict) or k not in document]
    if missing:
        raise InputError(
            f"{path.name}: not an OCEL 2.0 JSON file: no {', '.join(repr(k) for k in missing)}; "
            "give a file exported as OCEL 2.0 (casuistry export --format ocel-json)"
        )
    objects = [
        Record(
            str(o["id"]),
            str(o["type"]),
            _object_attributes(o.get("attributes") or []),
            [
                (str(r["objectId"]), str(r.get("qualifier", "")))
                for r in o.get("relationships") or []
            ],
        )
        for o in document["objects"]
    ]
    events = []
    for e in document["events"]:
        try:
            time = pd.Timestamp(e["time"])
        except (KeyError, ValueError) as err:
            raise InputError(f"{path.name}: event {e.get('id')!r} has no readable time") from err
        if time.tz is not None:
            time = time.tz_convert("UTC").tz_localize(None)
        events.append(
            Record(
                str(e["id"]),
                str(e["type"]),
                {
                    a["name"]: a["value"]
                    for a in e.get("attributes") or []
                    if a["value"] is not None
                },
                [
                    (str(r["objectId"]), str(r.get("qualifier", "")))
                    for r in e.get("relationships") or []
                ],
                time,
            )
        )
    return Ocel(
        _declared(document["eventTypes"]), _declared(document["objectTypes"]), events, objects
    )


def _declared(types: list[dict]) -> dict[str, list[tuple[str, str]]]:
    return {
        str(t["name"]): [
            (str(a["name"]), str(a.get("type", "string"))) for a in t.get("attributes") or []
        ]
        for t in types
    }


def _object_attributes(values: list[dict]) -> dict[str, object]:
    """The value of each attribute at its first time (later values are changes over time)."""
    ordered = sorted(values, key=lambda a: str(a.get("time", "")))
    out: dict[str, object] = {}
    for value in ordered:
        if value.get("value") is not None:
            out.setdefault(str(value["name"]), value["value"])
    return out
