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
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pandas as pd

from casuistry.errors import InputError
from casuistry.io.atomic import Inputs, atomic_path
from casuistry.io.ocel import Ocel, Record
from casuistry.io.ocel_mapping import INITIAL_TIME

_KEYS = ("objectTypes", "eventTypes", "objects", "events")


def _time(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _types(declared: dict) -> list[dict]:
    return [
        {"name": name, "attributes": [{"name": a, "type": t} for a, t in attributes]}
        for name, attributes in declared.items()
    ]


def _relationships(record: Record) -> list[dict]:
    return [
        {"objectId": target, "qualifier": qualifier} for target, qualifier in record.relationships
    ]


def write_ocel_json(log: Ocel, path: str | Path, *, inputs: Inputs = ()) -> Path:
    """Write the log as OCEL 2.0 JSON, atomically; return the path.

    ``inputs`` are paths the file must not touch (:func:`casuistry.io.atomic.atomic_path`).
    The objects and events are written :data:`_BATCH` at a time: the whole
    document as dicts and then as one string took 7.4 GB for 10^6 events.
    """
    with atomic_path(path, inputs=inputs) as tmp, open(tmp, "w", encoding="utf-8") as out:
        out.write(f'{{"objectTypes":{_dumps(_types(log.object_types))},')
        out.write(f'"eventTypes":{_dumps(_types(log.event_types))},"objects":[')
        _write_batches(out, map(_object, log.objects))
        out.write('],"events":[')
        _write_batches(out, map(_event, log.events))
        out.write("]}\n")
    return Path(path)


#: Objects or events turned into JSON at once.
_BATCH = 10_000


def _dumps(value) -> str:
    # compact: json's C encoder does not indent, and a corpus log is large
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _write_batches(out, items: Iterator[dict]) -> None:
    """The items as the inside of a JSON list (comma separated), a batch at a time."""
    first = True
    while batch := list(islice(items, _BATCH)):
        out.write(("" if first else ",") + _dumps(batch)[1:-1])
        first = False


def _object(o: Record) -> dict:
    return {
        "id": o.id,
        "type": o.type,
        "attributes": [
            {"name": k, "time": INITIAL_TIME, "value": v} for k, v in o.attributes.items()
        ],
        "relationships": _relationships(o),
    }


def _event(e: Record) -> dict:
    return {
        "id": e.id,
        "type": e.type,
        "time": _time(e.time),
        "attributes": [{"name": k, "value": v} for k, v in e.attributes.items()],
        "relationships": _relationships(e),
    }


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
