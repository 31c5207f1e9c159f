"""OCEL event records made as they are read: the same records, never all at once."""

from __future__ import annotations

import gc
import json
import sqlite3

import pandas as pd
import pytest
from conftest import load_csv

import casuistry
from casuistry import ocel_events
from casuistry.exporting import export, normalised_tables
from casuistry.io import ocel
from casuistry.io.ocel import Record
from casuistry.io.ocel_mapping import object_id
from casuistry.ocel_tables import from_tables


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """Synthetic cases with every table (episodes link events), a few hundred events."""
    folder = tmp_path_factory.mktemp("hg")
    casuistry.synthesize("huiselijk_geweld", 12, seed=5).save(folder)
    return casuistry.load(folder)


def _log(book):
    return from_tables(normalised_tables(book), book.time_styles, kinds=book.kinds)


def test_records_read_one_by_one_are_the_records_read_in_batches(book, monkeypatch):
    records = _log(book).events
    monkeypatch.setattr(ocel, "BATCH", 7)  # many batch boundaries
    batched = list(records)
    assert len(batched) == len(records) == book.n_events > 7
    assert [records[k] for k in range(len(records))] == batched
    assert records[-1] == batched[-1] and records[3:9] == batched[3:9]
    with pytest.raises(IndexError):
        records[len(records)]


def test_each_record_holds_its_event(book):
    records = _log(book).events
    events = book.events
    for k in (0, len(records) // 2, len(records) - 1):
        record = records[k]
        case_id, event_id = events.at[k, "case_id"], events.at[k, "event_id"]
        assert record.id == f"{case_id}:{event_id}"
        assert record.type == events.at[k, "kind"]
        assert record.attributes["event_id"] == event_id
        assert (f"case:{case_id}", "case") == record.relationships[0]
        assert (f"organisation:{events.at[k, 'actor']}", "actor") == record.relationships[1]


def test_an_episode_links_the_events_it_lists_after_their_own_relations(book):
    log = _log(book)
    episodes = book.episodes
    case_id, listed = episodes.at[0, "case_id"], episodes.at[0, "events"]
    episode = f"episode:{case_id}:{episodes.at[0, 'episode_id']}"
    linked = [r.id for r in log.events if (episode, "episode") in r.relationships]
    assert linked == [f"{case_id}:{e}" for e in sorted(listed, key=_position(book, case_id))]
    assert all(r.relationships[-1][1] == "episode" for r in log.events if r.id in linked)


def _position(book, case_id):
    rows = book.events[book.events["case_id"] == case_id]
    return dict(zip(rows["event_id"], range(len(rows)), strict=True)).get


class _Counted(Record):
    """A record that counts how many of its kind are alive at once."""

    alive = 0
    most = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type(self).alive += 1
        type(self).most = max(type(self).most, type(self).alive)

    def __del__(self):
        type(self).alive -= 1


@pytest.mark.parametrize("name", ["log.jsonocel", "log.sqlite"])
def test_a_writer_holds_one_batch_of_records_made_from_the_events_at_a_time(
    book, tmp_path, monkeypatch, name
):
    # 10^6 events and their signals and subjects held as records took 1.8 GB: the
    # writers take them a batch at a time
    monkeypatch.setattr(ocel_events, "Record", _Counted)
    monkeypatch.setattr(ocel, "BATCH", 20)
    _Counted.alive = _Counted.most = 0
    log = _log(book)
    made = sum(type(o) is _Counted for o in log.objects)  # the signals and subjects
    assert book.n_events > 10 * 20 and made > 3 * 20
    del log
    gc.collect()
    assert _Counted.alive == 0
    _Counted.most = 0
    export(book, tmp_path / name)
    # the batch written, and the next one while it is taken
    assert 0 < _Counted.most <= 3 * 20


def test_the_objects_the_events_make_are_each_made_once_in_event_order(book):
    made = [o for o in _log(book).objects if o.type in ("signal", "subject")]
    expected = []
    for row in book.events.itertuples():
        if row.kind in book.kinds.observing:
            expected.append(object_id("signal", row.case_id, row.event_id))
        if isinstance(row.subject, str):
            expected.append(object_id("subject", row.case_id, row.subject))
    assert len(expected) > len(set(expected))  # subjects repeat within their case
    assert [o.id for o in made] == list(dict.fromkeys(expected))
    assert made[0].relationships == [
        (object_id("case", book.events.at[0, "case_id"]), "belongs_to")
    ]


def test_the_json_holds_every_event_in_order(book, tmp_path):
    export(book, tmp_path / "log.jsonocel")
    document = json.loads((tmp_path / "log.jsonocel").read_text(encoding="utf-8"))
    assert [e["id"] for e in document["events"]] == _ids(book)


def test_the_sqlite_tables_keep_the_order_of_the_events(book, tmp_path):
    export(book, tmp_path / "log.sqlite")
    with sqlite3.connect(tmp_path / "log.sqlite") as db:
        ids = [r[0] for r in db.execute("SELECT ocel_id FROM event ORDER BY rowid")]
        signals = [r[0] for r in db.execute("SELECT ocel_id FROM event_signal ORDER BY rowid")]
    assert ids == _ids(book)
    assert signals == [i for i, k in zip(ids, book.events["kind"], strict=True) if k == "signal"]


def _ids(book):
    events = book.events
    return [f"{c}:{e}" for c, e in zip(events["case_id"], events["event_id"], strict=True)]


def test_a_bar_counts_the_events_written_when_asked(book, tmp_path, capsys):
    export(book, tmp_path / "log.jsonocel", progress=True)
    err = capsys.readouterr().err
    assert "OCEL events" in err and f"{book.n_events}/{book.n_events}" in err
    export(book, tmp_path / "quiet.jsonocel", progress=False)
    assert capsys.readouterr().err == ""


def test_an_event_is_found_by_case_and_id_the_last_of_a_repeat():
    events = pd.DataFrame(
        {
            "case_id": ["c1", "c1", "c2", "c1"],
            "event_id": ["e1", "e2", "e1", "e1"],
            "time": ["1", "2", "1", "3"],
            "kind": ["signal"] * 4,
            "actor": ["school"] * 4,
            "to": [()] * 4,
            "signals": [()] * 4,
        }
    )
    styles = pd.Series(["days", "days"], index=["c1", "c2"])
    records = ocel_events.EventRecords(events, styles, {"school": "onderwijs"})
    found = records.rows_of(["c1", "c2", "c3", "c1", "c2"], ["e1", "e1", "e1", "e2", "e2"])
    assert found.tolist() == [3, 2, -1, 1, -1]


def test_events_without_subjects_or_signals_make_no_objects(tmp_path):
    book = load_csv(
        tmp_path,
        """
        case_id,event_id,time,kind,actor,to,signals
        c,e1,2024-01-01,contact,a,b,
        c,e2,2024-01-02,contact,b,a,
        """,
    )
    log = _log(book)
    assert [o.type for o in log.objects] == ["case", *["silo", "organisation"] * 2]
    assert "signal" not in log.object_types and "subject" not in log.object_types
    export(book, tmp_path / "c.sqlite")
    again = casuistry.load(tmp_path / "c.sqlite").events
    assert again[["event_id", "to"]].values.tolist() == [["e1", ("b",)], ["e2", ("a",)]]
