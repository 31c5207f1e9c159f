"""The Casebook: one case out of many, summaries, and the case index (casuistry.casebook)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import PUZZLE_ACTORS, PUZZLE_EVENTS, load_csv

import casuistry
import casuistry.casebook
from casuistry.casebook import actors_without_table, case_rows, case_slice
from casuistry.errors import UnknownCase

# A second, day-number case after the puzzle: school withholds from the GP.
DAYS_ROWS = """\
    dagen,a,0,signaal,school,,,verzuim,,,
    dagen,w,2,niet_delen,school,huisarts,a,,,,
    dagen,i,7,incident,school,,,,,,
"""


@pytest.fixture
def corpus(tmp_path):
    return load_csv(tmp_path, PUZZLE_EVENTS + DAYS_ROWS, PUZZLE_ACTORS)


def test_one_case_keeps_its_events_and_only_the_actors_it_uses(corpus):
    one = corpus.case("dagen")
    assert one.events["event_id"].tolist() == ["a", "w", "i"]
    # school acts and huisarts is a recipient; the other four actors are not in
    # it. They stay in the order of the actors table, where school comes first.
    assert one.actors["actor"].tolist() == ["school", "huisarts"]
    assert one.time_styles.to_dict() == {"dagen": "days"}
    # the events keep their place in the corpus: 13 puzzle events come first
    assert one.events.index.tolist() == [13, 14, 15]


def test_an_unknown_case_names_some_that_exist(corpus):
    with pytest.raises(UnknownCase, match="no case 'nope' in the input; cases are: puzzel, dagen"):
        corpus.case("nope")


def test_summary_by_hand(corpus):
    summary = corpus.summary().set_index("case_id")
    # puzzle: 13 events performed by 6 actors (school, huisarts, woningcorporatie,
    # wijkagent, wijkteam, veilig_thuis), signals e01 e02 e03 e05 e09;
    # dagen: 3 events by school alone (huisarts is only a recipient), 1 signal.
    assert summary["events"].to_dict() == {"puzzel": 13, "dagen": 3}
    assert summary["actors"].to_dict() == {"puzzel": 6, "dagen": 1}
    assert summary["signals"].to_dict() == {"puzzel": 5, "dagen": 1}
    assert summary["time_style"].to_dict() == {"puzzel": "date", "dagen": "days"}


def test_case_rows_of_blocks_are_slices_and_of_scattered_cases_positions():
    assert case_rows(pd.Series(["x", "x", "y"])) == {"x": slice(0, 2), "y": slice(2, 3)}
    scattered = case_rows(pd.Series(["x", "y", "x", "y"]))
    assert {k: v.tolist() for k, v in scattered.items()} == {"x": [0, 2], "y": [1, 3]}
    frame = pd.DataFrame({"v": [10, 11, 12, 13]})
    assert case_slice(frame, scattered["y"])["v"].tolist() == [11, 13]
    assert case_rows(pd.Series([], dtype=object)) == {}


def test_looking_up_every_case_slices_each_event_once(monkeypatch):
    book = casuistry.synthesize("huiselijk_geweld", 25, seed=3).casebook
    scanned, sliced = [], []
    real_rows, real_slice = casuistry.casebook.case_rows, casuistry.casebook.case_slice
    monkeypatch.setattr(
        casuistry.casebook, "case_rows", lambda ids: scanned.append(len(ids)) or real_rows(ids)
    )
    monkeypatch.setattr(
        casuistry.casebook,
        "case_slice",
        lambda frame, rows: sliced.append(len(frame.iloc[rows])) or real_slice(frame, rows),
    )
    parts = [book.case(case_id) for case_id in book.case_ids]
    # one pass to index the events (and each of the reviewer's per-case tables),
    # then each row taken once for its own case
    tables = [book.events, book.episodes, book.factors, book.findings]
    assert scanned == [len(table) for table in tables]
    assert sum(sliced) == sum(map(len, tables)) and len(sliced) == len(tables) * len(book)
    assert pd.concat([p.events for p in parts]).equals(book.events)


def test_actors_without_table_make_each_actor_its_own_silo():
    table = actors_without_table(["b", "a", "b"])
    assert table.to_dict("list") == {
        "actor": ["a", "b"],
        "silo": ["a", "b"],
        "label": ["a", "b"],
        "decides": [False, False],  # without a table nobody is said to decide
    }
    assert np.array_equal(table.columns, ["actor", "silo", "label", "decides"])


def test_a_book_made_in_code_without_decides_decides_nothing(casebook_from_rows):
    book = casebook_from_rows(
        [{"event_id": "s1", "time": "0", "kind": "signal", "actor": "a", "category": "x"}],
        {"a": "zorg"},
    )
    assert book.actors["decides"].tolist() == [False]
    assert book.episodes.empty and book.case("c1").findings.empty


def test_a_case_of_a_corpus_gets_its_own_reviewers_rows(tmp_path):
    events = "case_id,event_id,time,kind,actor,category\na,e1,0,signal,x,v\nb,e1,0,signal,y,v\n"
    (tmp_path / "events.csv").write_text(events, encoding="utf-8")
    (tmp_path / "episodes.csv").write_text(
        "case_id,episode_id,events,assessment\nb,k1,e1,good\na,k1,e1,mixed\nb,k2,e1,good\n",
        encoding="utf-8",
    )
    book = casuistry.load(tmp_path)
    # the rows of b are not together in the table: found by position, in table order
    assert book.case("b").episodes["episode_id"].tolist() == ["k1", "k2"]
    assert book.case("a").episodes["assessment"].tolist() == ["mixed"]


def test_the_summary_counts_each_cases_silos_as_whole_numbers_like_its_other_counts():
    book = casuistry.synthesize("huiselijk_geweld", 20, seed=1).casebook
    summary = book.summary().set_index("case_id")
    silo = book.silo_of()
    for case_id, events in book.events.groupby("case_id"):
        assert summary.loc[case_id, "silos"] == len({silo[a] for a in events["actor"]})
    assert summary[["events", "actors", "silos", "signals"]].dtypes.eq("int64").all()


def test_a_notebook_shows_the_first_cases_of_a_corpus_and_how_many_more_there_are():
    synthetic = casuistry.synthesize("ondermijning", 23, seed=2)
    book, result = synthetic.casebook, casuistry.analyse(synthetic.casebook)
    for shown in (book._repr_html_(), result._repr_html_()):
        assert shown.split("<tbody>")[1].count("<tr>") == 20
        assert shown.endswith("<p>... and 3 more cases</p>")
    one = casuistry.load(casuistry.example_path())
    assert "more case" not in one._repr_html_() and "<table" in one._repr_html_()


def test_a_subset_of_cases_is_analysed_as_those_cases_of_the_whole_book():
    from casuistry.analysis import TABLES

    book = casuistry.synthesize("huiselijk_geweld", 7, seed=5).casebook
    chosen = [book.case_ids[5], book.case_ids[1], book.case_ids[2]]
    part = book.subset(chosen)
    assert part.case_ids == [book.case_ids[1], book.case_ids[2], book.case_ids[5]]
    assert len(part.episodes) and set(part.episodes["case_id"]) == set(chosen)
    whole, alone = casuistry.analyse(book), casuistry.analyse(part)
    for name in TABLES:
        table = getattr(whole, name)
        expected = table[table["case_id"].isin(chosen)].reset_index(drop=True)
        pd.testing.assert_frame_equal(getattr(alone, name), expected, check_exact=True)
    with pytest.raises(UnknownCase, match="no case 'nope'"):
        book.subset(["nope", chosen[0]])
