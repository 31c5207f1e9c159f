"""Merge: organisations' chronologies of one case become one, duplicates shown, not hidden."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import casuistry
from casuistry.cli import main
from casuistry.errors import InputError, InvalidCase
from casuistry.io.writers import write_tables
from casuistry.merging import merge

#: The puzzle's six actors in three organisations' files.
ORGANISATIONS = {
    "school_huisarts": ("school", "huisarts"),
    "politie_wonen": ("wijkagent", "woningcorporatie"),
    "vt_wijkteam": ("veilig_thuis", "wijkteam"),
}


def _read(name: str) -> pd.DataFrame:
    path = casuistry.example_path() / f"{name}.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture
def split(tmp_path):
    """Each organisation's file: the events its actors performed or received (``to``)."""
    events, actors = _read("events"), _read("actors")
    folders = []
    parties = events["to"].str.split(";").map(set)
    for name, members in ORGANISATIONS.items():
        received = parties.map(set(members).intersection).map(bool)
        mine = events["actor"].isin(members) | received
        write_tables(tmp_path / name, {"events": events[mine], "actors": actors})
        folders.append(tmp_path / name)
    return folders


# Events seen by two organisations (actor in one, a `to` party in another), by hand:
# e04 huisarts -> veilig_thuis, e06 school -> wijkagent, e07 wijkagent -> veilig_thuis,
# e08 woningcorporatie -> wijkteam, e10 wijkteam -> veilig_thuis;school, e13 huisarts ->
# veilig_thuis. Each appears in two files: 13 + 6 = 19 rows, 12 of them prefixed.
SHARED = ["e04", "e06", "e07", "e08", "e10", "e13"]


def test_duplicates_are_listed_and_kept(split):
    result = merge(split)
    assert result.book.n_events == 19
    assert len(result.renamed) == 12
    pairs = result.duplicates
    assert sorted(pairs["keep"].str.split(":").str[1]) == SHARED
    first = pairs.iloc[0]  # e04: the withhold in the huisarts' file (row 4) and in VT's (row 2)
    assert (first["keep"], first["drop"]) == ("school_huisarts:e04", "vt_wijkteam:e04")
    assert (first["file_a"], first["row_a"]) == ("school_huisarts (events.csv)", 4)
    assert (first["file_b"], first["row_b"]) == ("vt_wijkteam (events.csv)", 2)
    assert (first["kind"], first["actor"], first["to"]) == ("withhold", "huisarts", "veilig_thuis")


def _strip(book) -> pd.DataFrame:
    """Events without the organisation prefixes and tags the merge documents."""
    events = book.events.drop(columns=["row", "source"]).copy()
    events["event_id"] = events["event_id"].str.split(":").str[-1]
    return events.reset_index(drop=True)


def test_confirmed_pairs_merge_back_to_the_original(split, tmp_path):
    listed = merge(split).duplicates
    listed[["case_id", "keep", "drop"]].to_csv(tmp_path / "pairs.csv", index=False)
    result = merge(split, dedupe=tmp_path / "pairs.csv")
    original = casuistry.load(casuistry.example_path())
    assert result.duplicates.empty
    assert_frame_equal(_strip(result.book), _strip(original))
    assert_frame_equal(result.book.actors, original.actors)
    # e07: the police's own record and VT's record of receiving it, both named
    by_id = result.book.events.set_index("event_id")["source"]
    assert by_id["politie_wonen:e07"] == (
        "politie_wonen: politie mutatie | vt_wijkteam: politie mutatie"
    )
    assert by_id["e01"] == "school_huisarts: dossier school p.3"
    # the same figures; only the tagged sources and the prefixed ids differ
    differ = ["converged_by", "source"]
    figures = casuistry.analyse(result.book).signals.drop(columns=differ, errors="ignore")
    expected = casuistry.analyse(original).signals.drop(columns=differ, errors="ignore")
    assert_frame_equal(figures, expected)


def _case(folder, rows: str, actors: str | None = None):
    folder.mkdir()
    header = "case_id,event_id,time,kind,actor,to,signals,category\n"
    (folder / "events.csv").write_text(header + rows, encoding="utf-8")
    if actors is not None:
        (folder / "actors.csv").write_text("actor,silo\n" + actors, encoding="utf-8")
    return folder


def test_colliding_ids_are_prefixed_with_their_references(tmp_path):
    school = _case(tmp_path / "school", "c,e1,2024-01-01,signal,school,,,verzuim\n"
                   "c,e2,2024-01-03,share,school,gp,e1,\n")  # fmt: skip
    gp = _case(tmp_path / "gp", "c,e1,2024-01-02,signal,gp,,,letsel\n"
               "c,e3,2024-01-04,withhold,gp,school,e1,\n")  # fmt: skip
    book = merge([school, gp]).book
    events = book.events.set_index("event_id")
    assert list(events.index) == ["school:e1", "gp:e1", "e2", "e3"]
    assert events.at["e2", "signals"] == ("school:e1",)
    assert events.at["e3", "signals"] == ("gp:e1",)
    assert set(events["source"]) == {"school", "gp"}


def test_a_reference_to_a_colliding_id_of_others_is_refused(tmp_path):
    a = _case(tmp_path / "a", "c,e1,2024-01-01,signal,school,,,verzuim\n")
    b = _case(tmp_path / "b", "c,e1,2024-01-02,signal,gp,,,letsel\n")
    c = _case(tmp_path / "c", "c,e5,2024-01-03,action,vt,,e1,\n")
    with pytest.raises(InputError, match="several other inputs hold"):
        merge([a, b, c])


def test_an_actor_in_two_silos_is_refused(tmp_path):
    a = _case(tmp_path / "a", "c,e1,2024-01-01,signal,school,,,verzuim\n", "school,onderwijs\n")
    b = _case(tmp_path / "b", "c,e2,2024-01-02,signal,school,,,x\n", "school,zorg\n")
    with pytest.raises(InputError, match="'school' has different silos"):
        merge([a, b])


def test_problems_of_the_merge_point_into_the_inputs(tmp_path):
    a = _case(tmp_path / "a", "c,e1,2024-01-01,signal,school,,,verzuim\n")
    b = _case(tmp_path / "b", "c,e2,2024-01-02,share,gp,school,e9,\n")
    with pytest.raises(InvalidCase) as err:
        merge([a, b], names=["school", "huisarts"])
    problem = err.value.problems.iloc[0]
    assert (problem["file"], problem["row"], problem["column"]) == (
        "huisarts (events.csv)",
        2,
        "signals",
    )


def test_names_must_match_the_inputs(tmp_path):
    a = _case(tmp_path / "a", "c,e1,2024-01-01,signal,school,,,verzuim\n")
    with pytest.raises(InputError, match="1 inputs but 2 names"):
        merge([a], names=["x", "y"])
    with pytest.raises(InputError, match="must be given and differ"):
        merge([a, a])


def test_cli_lists_duplicates_and_writes_the_merge(split, tmp_path, capsys):
    out = tmp_path / "merged"
    status = main(["merge", *map(str, split), "-o", str(out), "--duplicates",
                   str(tmp_path / "pairs.csv")])  # fmt: skip
    assert status == 0
    captured = capsys.readouterr()
    assert "19 events" in captured.out and "6 likely duplicates" in captured.out
    assert captured.err.count("warning: likely duplicate") == 6
    assert "school_huisarts (events.csv), row 4 (event school_huisarts:e04)" in captured.err
    assert casuistry.load(out).n_events == 19
    pairs = pd.read_csv(tmp_path / "pairs.csv")
    assert len(pairs) == 6
    status = main(["merge", *map(str, split), "-o", str(tmp_path / "deduped"), "--dedupe",
                   str(tmp_path / "pairs.csv")])  # fmt: skip
    assert status == 0
    assert casuistry.load(tmp_path / "deduped").n_events == 13


def test_cli_writes_nothing_when_the_merge_is_invalid(tmp_path, capsys):
    a = _case(tmp_path / "a", "c,e1,2024-01-01,signal,school,,,verzuim\n")
    b = _case(tmp_path / "b", "c,e2,2024-01-02,share,gp,,,\n")  # a share without `to`
    assert main(["merge", str(a), str(b), "-o", str(tmp_path / "out")]) == 2
    assert "b (events.csv), row 2, column to" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_dedupe_file_naming_an_unknown_event_exits_2(split, tmp_path, capsys):
    (tmp_path / "pairs.csv").write_text("case_id,keep,drop\npuzzel-1,e01,x99\n", encoding="utf-8")
    status = main(["merge", *map(str, split), "-o", str(tmp_path / "out"), "--dedupe",
                   str(tmp_path / "pairs.csv")])  # fmt: skip
    assert status == 2
    assert "pairs.csv, row 2, column drop: no event 'x99'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_event_in_three_files_gives_each_pair_of_files_once(tmp_path):
    # a group of three rows (one per file) and, in file a, two like rows of its own,
    # which pair only with the other files' rows; groups listed in order of first row
    rows = {
        "a": "c,a1,2024-01-02,share,school,gp\nc,a2,2024-01-01,share,school,police\n"
        "c,a3,2024-01-01,share,school,police\n",
        "b": "c,b1,2024-01-02,share,school,gp\nc,b2,2024-01-01,share,school,police\n",
        "d": "c,d1,2024-01-02,share,school,gp\n",
    }
    folders = []
    for name, text in rows.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "events.csv").write_text(
            "case_id,event_id,time,kind,actor,to\n" + text, encoding="utf-8"
        )
        folders.append(tmp_path / name)
    pairs = merge(folders).duplicates
    assert list(zip(pairs["keep"], pairs["drop"], strict=True)) == [
        ("a1", "b1"), ("a1", "d1"), ("b1", "d1"), ("a2", "b2"), ("a3", "b2"),
    ]  # fmt: skip
    assert pairs["row_a"].tolist() == [2, 2, 2, 3, 4]
