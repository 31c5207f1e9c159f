"""OCEL 2.0: the mapping, both layouts, files from elsewhere, and PM4Py reading ours."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import replace

import pandas as pd
import pytest

import casuistry
from casuistry.casebook import REVIEW_TABLES, empty_review_table
from casuistry.cli import main
from casuistry.errors import InputError, InvalidCase
from casuistry.exporting import export


@pytest.fixture
def full_puzzle():
    return casuistry.load(casuistry.example_path())


@pytest.fixture
def puzzle(full_puzzle):
    """The example without its reviewer's tables: the counts below are of events and actors."""
    empty = {name: empty_review_table(name) for name in REVIEW_TABLES}
    return replace(full_puzzle, **empty)


@pytest.fixture
def puzzle_json(tmp_path, puzzle):
    path = tmp_path / "puzzel.jsonocel"
    export(puzzle, path, format="ocel-json")
    return path


def _document(path):
    return json.loads(path.read_text(encoding="utf-8"))


# The puzzle by hand (src/casuistry/examples/puzzel/events.csv): 13 events; objects:
# 1 case, 6 organisations, 6 silos, 5 signals (e01 e02 e03 e05 e09), 2 subjects
# (kind-1, moeder) = 20. Event-to-object: case, actor and silo for each event (39), a signal's
# own object (5), `to` parties (e04 e06 e07 e08 e13 one each, e10 two: 7), listed signals
# (e04 e07 e08 e10 e11 e13: 6), subjects (every event but e06: 12) = 69. Object-to-object:
# organisation -> silo (6), signal -> case (5), subject -> case (2) = 13.
EXPECTED = {"events": 13, "objects": 20, "e2o": 69, "o2o": 13}


def test_the_puzzle_maps_onto_the_expected_objects_and_relations(puzzle_json):
    doc = _document(puzzle_json)
    types = Counter(o["type"] for o in doc["objects"])
    assert types == {"case": 1, "organisation": 6, "silo": 6, "signal": 5, "subject": 2}
    assert len(doc["events"]) == EXPECTED["events"]
    assert sum(len(e["relationships"]) for e in doc["events"]) == EXPECTED["e2o"]
    assert sum(len(o["relationships"]) for o in doc["objects"]) == EXPECTED["o2o"]
    assert {t["name"] for t in doc["eventTypes"]} == {
        "signal", "withhold", "contact", "share", "meeting", "action", "incident",
    }  # fmt: skip


def test_qualifiers_say_who_is_who(puzzle_json):
    events = {e["id"]: e for e in _document(puzzle_json)["events"]}
    withhold = events["puzzel-1:e04"]  # huisarts withholds e02 from veilig_thuis
    assert withhold["type"] == "withhold"
    assert withhold["time"] == "2024-02-05T00:00:00Z"
    assert withhold["relationships"] == [
        {"objectId": "case:puzzel-1", "qualifier": "case"},
        {"objectId": "organisation:huisarts", "qualifier": "actor"},
        {"objectId": "silo:zorg", "qualifier": "silo"},
        {"objectId": "organisation:veilig_thuis", "qualifier": "recipient"},
        {"objectId": "signal:puzzel-1:e02", "qualifier": "signal"},
        {"objectId": "subject:puzzel-1:kind-1", "qualifier": "subject"},
    ]
    meeting = events["puzzel-1:e10"]  # wijkteam convenes veilig_thuis and school
    parties = [r["objectId"] for r in meeting["relationships"] if r["qualifier"] == "party"]
    assert parties == ["organisation:veilig_thuis", "organisation:school"]
    assert {"name": "reason", "value": "privacy_uncertainty"} in withhold["attributes"]
    signal = events["puzzel-1:e01"]
    assert {"objectId": "signal:puzzel-1:e01", "qualifier": "observes"} in signal["relationships"]
    assert {"name": "severity", "value": 2} in signal["attributes"]


def test_reviewer_tables_become_objects_one_per_row(tmp_path, full_puzzle):
    path = tmp_path / "full.jsonocel"
    export(full_puzzle, path, format="ocel-json")
    types = Counter(o["type"] for o in _document(path)["objects"])
    for name, kind in [("sources", "source"), ("episodes", "episode")]:
        assert types[kind] == len(getattr(full_puzzle, name))
    assert types["factor"] == len(full_puzzle.factors)
    assert types["finding"] == len(full_puzzle.findings)
    back = casuistry.load(path)
    for name in REVIEW_TABLES:
        assert len(getattr(back, name)) == len(getattr(full_puzzle, name))


def test_organisations_carry_silo_and_label_and_belong_to_their_silo(puzzle_json):
    objects = {o["id"]: o for o in _document(puzzle_json)["objects"]}
    vt = objects["organisation:veilig_thuis"]
    values = {a["name"]: a["value"] for a in vt["attributes"]}
    assert values == {
        "actor": "veilig_thuis",
        "silo": "veilig_thuis",
        "label": "Veilig Thuis",
        "decides": "True",
    }
    assert vt["relationships"] == [{"objectId": "silo:veilig_thuis", "qualifier": "belongs_to"}]
    case = {a["name"]: a["value"] for a in objects["case:puzzel-1"]["attributes"]}
    assert case["time_style"] == "date"


def test_day_numbers_are_days_after_1970_with_the_style_on_the_case(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "events.csv").write_text(
        "case_id,event_id,time,kind,actor,category\nd,e1,3,signal,school,verzuim\n",
        encoding="utf-8",
    )
    export(casuistry.load(tmp_path / "in"), tmp_path / "d.jsonocel", format="ocel-json")
    doc = _document(tmp_path / "d.jsonocel")
    assert doc["events"][0]["time"] == "1970-01-04T00:00:00Z"  # day 3 = 1970-01-01 + 3 days
    case = next(o for o in doc["objects"] if o["type"] == "case")
    assert {"name": "time_style", "time": "1970-01-01T00:00:00Z", "value": "days"} in case[
        "attributes"
    ]
    assert casuistry.load(tmp_path / "d.jsonocel").events["time"].tolist() == ["3"]


def test_sqlite_layout_holds_its_keys(tmp_path, puzzle):
    path = tmp_path / "puzzel.sqlite"
    export(puzzle, path, format="ocel-sqlite")
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"event", "object", "event_object", "object_object", "event_map_type"} <= tables
    assert {"event_withhold", "object_organisation", "object_map_type"} <= tables
    assert db.execute("SELECT count(*) FROM event_object").fetchone() == (EXPECTED["e2o"],)
    assert db.execute("SELECT count(*) FROM object_object").fetchone() == (EXPECTED["o2o"],)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    pk = [r[1] for r in db.execute("PRAGMA table_info(event_object)") if r[5]]
    assert pk == ["ocel_event_id", "ocel_object_id", "ocel_qualifier"]
    assert db.execute("SELECT ocel_time FROM event_withhold").fetchone() == ("2024-02-05 00:00:00",)
    db.close()


def test_a_reviewers_episode_is_an_object_related_to_its_events(tmp_path, puzzle):
    episodes = pd.DataFrame(
        {"case_id": ["puzzel-1"], "episode_id": ["k1"], "events": [("e04", "e13")]}
    )
    object.__setattr__(puzzle, "episodes", episodes)  # as the reviewer's layer will carry it
    export(puzzle, tmp_path / "p.jsonocel", format="ocel-json")
    doc = _document(tmp_path / "p.jsonocel")
    episode = next(o for o in doc["objects"] if o["type"] == "episode")
    assert episode["id"] == "episode:puzzel-1:k1"
    assert {"name": "events", "time": "1970-01-01T00:00:00Z", "value": "e04;e13"} in episode[
        "attributes"
    ]
    assert episode["relationships"] == [{"objectId": "case:puzzel-1", "qualifier": "belongs_to"}]
    linked = [
        e["id"]
        for e in doc["events"]
        if {"objectId": "episode:puzzel-1:k1", "qualifier": "episode"} in e["relationships"]
    ]
    assert linked == ["puzzel-1:e04", "puzzel-1:e13"]


def test_a_repeated_list_item_is_one_relation(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "events.csv").write_text(
        "case_id,event_id,time,kind,actor,to,signals,category\n"
        "c,e1,1,signal,a,,,x\nc,e2,2,share,a,b;b,e1;e1,\n",
        encoding="utf-8",
    )
    export(casuistry.load(tmp_path / "in"), tmp_path / "c.sqlite", format="ocel-sqlite")
    again = casuistry.load(tmp_path / "c.sqlite").events
    assert (again.at[1, "to"], again.at[1, "signals"]) == (("b",), ("e1",))


# --- files from elsewhere ---------------------------------------------------------------


def _foreign(tmp_path, events, objects, name="foreign.jsonocel"):
    path = tmp_path / name
    doc = {"objectTypes": [], "eventTypes": [], "objects": objects, "events": events}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


ORG = {"id": "o1", "type": "organisation", "attributes": [{"name": "silo", "value": "zorg",
       "time": "1970-01-01T00:00:00Z"}]}  # fmt: skip
CASE = {"id": "c1", "type": "case"}


def _event(id, type="signal", time="2024-01-01T00:00:00Z", rels=(("c1", "case"), ("o1", "actor"))):
    rels = [{"objectId": o, "qualifier": q} for o, q in rels]
    return {"id": id, "type": type, "time": time, "attributes": [], "relationships": rels}


def test_a_foreign_file_following_the_mapping_loads(tmp_path):
    category = {"name": "category", "value": "verzuim"}
    events = [{**_event("ev-1", time="2024-01-01T09:30:00Z"), "attributes": [category]}]
    book = casuistry.load(_foreign(tmp_path, events, [ORG, CASE]))
    # no casuistry attributes: ids stand for names, the style follows the times
    assert book.events[["case_id", "event_id", "time", "actor"]].values.tolist() == [
        ["c1", "ev-1", "2024-01-01T09:30", "o1"]
    ]
    assert book.actors[["actor", "silo"]].values.tolist() == [["o1", "zorg"]]


def test_a_missing_object_is_named_with_its_event(tmp_path):
    path = _foreign(tmp_path, [_event("ev-1", rels=[("c1", "case"), ("o9", "actor")])], [ORG, CASE])
    with pytest.raises(InvalidCase) as err:
        casuistry.load(path)
    text = str(err.value)
    assert (
        "event 'ev-1' relates to object 'o9' (qualifier 'actor'), which the file does not hold"
        in text
    )
    assert "event 'ev-1' has no relation with qualifier 'actor'" in text


@pytest.mark.parametrize(
    ("event", "objects", "message"),
    [
        (_event("ev-1", rels=[("o1", "actor")]), [ORG, CASE],
         "event 'ev-1' has no relation with qualifier 'case'"),
        (_event("ev-1", type="place order"), [ORG, CASE],
         "event 'ev-1' has type 'place order', which is not a kind"),
        (_event("ev-1"), [{"id": "o1", "type": "organisation"}, CASE],
         "organisation object 'o1' has no silo attribute"),
        (_event("ev-1", type="share", rels=[("c1", "case"), ("o1", "actor"), ("s1", "signal")]),
         [ORG, CASE, {"id": "s1", "type": "signal"}],
         "signal object 's1' (related to event 'ev-1') has no attribute 'event_id'"),
    ],
)  # fmt: skip
def test_what_the_case_format_needs_is_named(tmp_path, event, objects, message):
    with pytest.raises(InvalidCase, match=re.escape(message)):
        casuistry.load(_foreign(tmp_path, [event], objects))


def test_the_command_line_exits_2_naming_the_event(tmp_path, capsys):
    path = _foreign(tmp_path, [_event("ev-1", rels=[("c1", "case"), ("o9", "actor")])], [ORG, CASE])
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "foreign.jsonocel, row 1: event 'ev-1' relates to object 'o9'" in err


def test_json_that_is_not_ocel_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"events": []}', encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("not an OCEL 2.0 JSON file: no 'objectTypes'")):
        casuistry.load(path)


def test_sqlite_that_is_not_ocel_is_refused(tmp_path):
    path = tmp_path / "x.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.close()
    with pytest.raises(InputError, match=re.escape("not an OCEL 2.0 SQLite file: no table event")):
        casuistry.load(path)


# --- PM4Py -------------------------------------------------------------------------------


@pytest.mark.pm4py
@pytest.mark.parametrize("format", ["ocel-json", "ocel-sqlite"])
def test_pm4py_reads_every_event_object_and_relation(tmp_path, puzzle, format):
    pm4py = pytest.importorskip("pm4py")
    path = tmp_path / ("puzzel.jsonocel" if format == "ocel-json" else "puzzel.sqlite")
    export(puzzle, path, format=format)
    read = pm4py.read_ocel2_json if format == "ocel-json" else pm4py.read_ocel2_sqlite
    log = read(str(path))
    counts = {
        "events": len(log.events),
        "objects": len(log.objects),
        "e2o": len(log.relations),
        "o2o": len(log.o2o),
    }
    assert counts == EXPECTED
    assert sorted(log.events["ocel:activity"].unique()) == [
        "action", "contact", "incident", "meeting", "share", "signal", "withhold",
    ]  # fmt: skip
    assert set(log.relations["ocel:qualifier"]) == {
        "case", "actor", "silo", "observes", "recipient", "party", "signal", "subject",
    }  # fmt: skip


def test_the_json_written_a_batch_at_a_time_is_the_document_written_at_once(
    tmp_path, full_puzzle, monkeypatch
):
    # Written in batches (10^6 events took 7.4 GB as one document); the bytes must be
    # those of json.dumps of the whole document, also across batch boundaries.
    from casuistry.io import ocel

    whole = tmp_path / "whole.jsonocel"
    export(full_puzzle, whole, format="ocel-json")
    document = json.loads(whole.read_text(encoding="utf-8"))
    expected = json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert whole.read_text(encoding="utf-8") == expected
    monkeypatch.setattr(ocel, "BATCH", 3)
    batched = tmp_path / "batched.jsonocel"
    export(full_puzzle, batched, format="ocel-json")
    assert len(document["events"]) % 3 and len(document["objects"]) > 3  # boundaries crossed
    assert batched.read_text(encoding="utf-8") == expected
