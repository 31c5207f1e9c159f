"""CASE_FORMAT 5.1: the reviewer's tables are read in every layout, and every error and
warning names its file, row (as the user counts it) and column, all in one run."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casuistry
from casuistry.errors import InputError
from casuistry.review_validation import _rules

EVENTS = (
    "case_id,event_id,time,kind,actor,to,signals,category,source,confidence\n"
    "c,e1,2024-01-01,signal,school,,,verzuim,S1,certain\n"
    "c,e2,2024-01-05,signal,arts,,,letsel,S2,likely\n"
    "c,e3,2024-01-09,share,arts,vt,e2,,S2,uncertain\n"
    "d,H01,2024-02-01,signal,school,,,verzuim,,\n"
)
TABLES = {
    "actors": "actor,silo,decides\nschool,onderwijs,nee\narts,zorg,\nvt,veilig_thuis,Ja\n",
    "sources": "source,title,type,date,reliability\nS1,dossier school,dossier,2024-03-01,b\n"
    "S2,interview arts,interview,,A\n",
    "episodes": "case_id,episode_id,events,assessment,title,description\n"
    "c,k1,e1;e3,problematisch,Niet gemeld,De arts twijfelde\nc,k2,e2,good,,\n",
    "factors": "case_id,episode_id,factor,description\nc,k1,Workload,druk\nc,k2,team,\n",
    "findings": "case_id,finding_id,text,episodes,question\n"
    "c,b1,Het signaal bleef hangen,k1; k2,Hoe?\n",
}


def write_folder(folder, **changes):
    """The good tables, with ``changes`` ({table: text}) replacing some; None drops one."""
    folder.mkdir(exist_ok=True)
    (folder / "events.csv").write_text(changes.pop("events", EVENTS), encoding="utf-8")
    for name, text in (TABLES | changes).items():
        if text is not None:
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def problems(folder):
    with pytest.raises(casuistry.InvalidCase) as caught:
        casuistry.load(folder)
    table = caught.value.problems
    return [(r.file, int(r.row) if pd.notna(r.row) else None, r.column) for r in table.itertuples()]


def test_the_good_tables_become_the_books_tables(tmp_path):
    book = casuistry.load(write_folder(tmp_path / "in"))
    assert book.warnings.empty
    assert book.actors.set_index("actor")["decides"].to_dict() == {
        "school": False,  # nee
        "arts": False,  # empty is no
        "vt": True,  # Ja, any case
    }
    assert book.sources["reliability"].tolist() == ["B", "A"]  # graded in upper case
    assert book.sources["row"].tolist() == [2, 3]
    episodes = book.episodes
    assert episodes["events"].tolist() == [("e1", "e3"), ("e2",)]
    assert episodes["assessment"].tolist() == ["problematic", "good"]  # Dutch read as English
    assert book.factors["factor"].tolist() == ["workload", "team"]  # codes in lower case
    assert book.findings["episodes"].tolist() == [("k1", "k2")]  # split on ';', stripped
    assert list(book.tables()) == ["events", "actors", "sources", "episodes", "factors", "findings"]
    assert book.files["episodes"] == "episodes.csv"


def test_a_case_of_the_book_keeps_its_own_rows_and_every_source(tmp_path):
    book = casuistry.load(write_folder(tmp_path / "in"))
    other = book.case("d")
    assert (len(other.episodes), len(other.factors), len(other.findings)) == (0, 0, 0)
    assert len(other.sources) == 2  # sources are corpus-wide
    assert book.case("c").episodes["episode_id"].tolist() == ["k1", "k2"]


def test_without_the_reviewers_tables_they_are_empty_and_nobody_decides(tmp_path):
    folder = write_folder(tmp_path / "in", **dict.fromkeys(TABLES))
    book = casuistry.load(folder)
    assert not book.actors["decides"].any()
    for name in ("sources", "episodes", "factors", "findings"):
        assert getattr(book, name).empty
    assert book.episodes.columns.tolist() == [
        "case_id", "episode_id", "events", "assessment", "title", "description", "row",
    ]  # fmt: skip


def test_a_header_only_reviewers_table_is_empty_not_an_error(tmp_path):
    folder = write_folder(tmp_path / "in", findings="case_id,finding_id,text\n")
    assert casuistry.load(folder).findings.empty


@pytest.mark.parametrize(
    ("table", "text", "expected", "words"),
    [
        # missing required column / value
        ("sources", "title\nx\n", ("sources.csv", None, "source"), "required column 'source'"),
        ("episodes", "case_id,episode_id,events,assessment\nc,,e1,good\n",
         ("episodes.csv", 2, "episode_id"), "every episode needs a value"),
        ("findings", "case_id,finding_id,text\nc,b1,\n",
         ("findings.csv", 2, "text"), "every finding needs a value in column 'text'"),
        # duplicate keys
        ("sources", "source\nS1\nS2\nS1\n",
         ("sources.csv", 4, "source"), "used twice (first at row 2)"),
        ("episodes", "case_id,episode_id,events,assessment\nc,k1,e1,good\nc,k1,e2,good\n",
         ("episodes.csv", 3, "episode_id"), "used twice in case 'c'"),
        ("findings", "case_id,finding_id,text\nc,b1,x\nc,b1,y\n",
         ("findings.csv", 3, "finding_id"), "used twice in case 'c'"),
        # a case without events; an event or episode the case does not have
        ("episodes", "case_id,episode_id,events,assessment\nz,k1,e1,good\n",
         ("episodes.csv", 2, "case_id"), "case 'z' has no events"),
        ("factors", "case_id,episode_id,factor\nz,k1,team\n",
         ("factors.csv", 2, "case_id"), "case 'z' has no events"),
        ("findings", "case_id,finding_id,text\nz,b1,x\n",
         ("findings.csv", 2, "case_id"), "case 'z' has no events"),
        ("episodes", "case_id,episode_id,events,assessment\nc,k1,e1;e9,good\n",
         ("episodes.csv", 2, "events"), "case 'c' has no event 'e9'"),
        ("episodes", "case_id,episode_id,events,assessment\nd,k1,H1,good\n",
         ("episodes.csv", 2, "events"), "has no event 'H1'; did you mean 'H01'?"),
        ("factors", "case_id,episode_id,factor\nc,k7,team\n",
         ("factors.csv", 2, "episode_id"), "case 'c' has no episode 'k7'"),
        ("findings", "case_id,finding_id,text,episodes\nc,b1,x,k1;k9\n",
         ("findings.csv", 2, "episodes"), "case 'c' has no episode 'k9'"),
        # codes
        ("episodes", "case_id,episode_id,events,assessment\nc,k1,e1,Goedd\n",
         ("episodes.csv", 2, "assessment"), "assessment 'Goedd' unknown; did you mean 'goed'?"),
        ("sources", "source,reliability\nS1,G\nS2,A\n",
         ("sources.csv", 2, "reliability"), "reliability 'G' is outside A-F"),
        ("actors", "actor,silo,decides\nschool,onderwijs,misschien\narts,zorg,\nvt,vt,ja\n",
         ("actors.csv", 2, "decides"), "decides 'misschien' unknown"),
        ("actors", "actor,silo,decides\nschool,onderwijs,Jaa\narts,zorg,\nvt,vt,ja\n",
         ("actors.csv", 2, "decides"), "did you mean 'ja'?"),
    ],
)  # fmt: skip
def test_each_error_names_file_row_and_column(tmp_path, table, text, expected, words):
    with pytest.raises(casuistry.InvalidCase) as caught:
        casuistry.load(write_folder(tmp_path / "in", **{table: text}))
    found = caught.value.problems
    place = [
        (r.file, int(r.row) if pd.notna(r.row) else None, r.column) for r in found.itertuples()
    ]
    assert expected in place
    message = found["message"].iloc[place.index(expected)]
    assert words in message


def test_a_case_whose_events_have_no_ids_has_no_events_to_name(tmp_path):
    """Case 'b' is in the events table, but none of its rows has an event_id: an
    episode of it names no event of it, and the hint offers no case, not 'b' itself."""
    events = EVENTS + "b,,2024-03-01,signal,school,,,verzuim,,\n"
    episodes = "case_id,episode_id,events,assessment\nb,k1,e1,good\n"
    with pytest.raises(casuistry.InvalidCase) as caught:
        casuistry.load(write_folder(tmp_path / "in", events=events, episodes=episodes))
    found = caught.value.problems.set_index(["file", "row", "column"])["message"]
    assert found[("events.csv", 6, "event_id")].startswith("missing value")
    assert found[("episodes.csv", 2, "case_id")] == (
        "case 'b' has no events; every episode belongs to a case of the events table"
    )


@pytest.mark.parametrize(
    ("table", "text", "expected", "words"),
    [
        ("factors", "case_id,episode_id,factor\nc,k1,tijdsdruk\n",
         ("factors.csv", 2, "factor"), "factor 'tijdsdruk' is not in the list"),
        ("sources", "source,type\nS1,krant\nS2,dossier\n",
         ("sources.csv", 2, "type"), "type 'krant' is not in the list"),
        ("sources", "source\nS1\n",
         ("events.csv", 3, "source"), "source 'S2' is not in the sources table"),
    ],
)  # fmt: skip
def test_each_warning_names_file_row_and_column(tmp_path, table, text, expected, words):
    book = casuistry.load(write_folder(tmp_path / "in", **{table: text}))
    place = [(r.file, int(r.row), r.column) for r in book.warnings.itertuples()]
    assert expected in place
    assert words in book.warnings["message"].iloc[place.index(expected)]


def test_without_a_sources_table_events_sources_are_not_checked(tmp_path):
    assert casuistry.load(write_folder(tmp_path / "in", sources=None)).warnings.empty


def test_every_problem_of_every_table_comes_at_once(tmp_path):
    folder = write_folder(
        tmp_path / "in",
        events=EVENTS + "c,e4,15-05-2018,signal,school,,,verzuim,,\n",
        sources="source,reliability\nS1,Q\nS2,A\n",
        episodes="case_id,episode_id,events,assessment\nc,k1,e1,slecht\nc,k2,e2,good\n",
        factors="case_id,episode_id,factor\nc,k3,team\n",
    )
    assert problems(folder) == [
        ("episodes.csv", 2, "assessment"),
        ("events.csv", 6, "time"),
        ("factors.csv", 2, "episode_id"),
        ("sources.csv", 2, "reliability"),
    ]


def test_an_identifier_in_an_episode_description_is_refused_without_echo(tmp_path):
    episodes = (
        "case_id,episode_id,events,assessment,description\n"
        "c,k1,e1,good,belde 06-12345678\nc,k2,e2,good,\n"
    )
    with pytest.raises(casuistry.InvalidCase) as caught:
        casuistry.load(write_folder(tmp_path / "in", episodes=episodes))
    assert problems(tmp_path / "in") == [("episodes.csv", 2, "description")]
    assert "12345678" not in str(caught.value)


@pytest.mark.parametrize("table", ["sources", "episodes", "factors", "findings"])
def test_an_identifier_in_any_reviewers_table_is_refused(tmp_path, table):
    header, row, *rest = TABLES[table].splitlines()
    row = row + "x" if not row.endswith(",") else row
    bad = row.rsplit(",", 1)[0] + ",mail j@example.nl"
    folder = write_folder(tmp_path / "in", **{table: "\n".join([header, bad, *rest]) + "\n"})
    found = problems(folder)
    assert (f"{table}.csv", 2, header.split(",")[-1]) in found


def _workbook(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, text in sheets.items():
        sheet = book.create_sheet(name)
        for line in text.strip().splitlines():
            sheet.append(line.split(","))
    book.save(path)
    return path


def test_dutch_sheet_names_are_read(tmp_path):
    path = _workbook(
        tmp_path / "case.xlsx",
        {
            "events": EVENTS,
            "Bronnen": TABLES["sources"],
            "kernmomenten ": TABLES["episodes"],
            "FACTOREN": TABLES["factors"],
            "bevindingen": TABLES["findings"],
        },
    )
    book = casuistry.load(path)
    assert (len(book.sources), len(book.episodes), len(book.factors), len(book.findings)) == (
        2, 2, 2, 1,
    )  # fmt: skip
    assert book.files["episodes"] == "case.xlsx[kernmomenten ]"


def test_a_table_given_twice_in_a_workbook_is_refused(tmp_path):
    path = _workbook(
        tmp_path / "case.xlsx",
        {"events": EVENTS, "episodes": TABLES["episodes"], "kernmomenten": TABLES["episodes"]},
    )
    with pytest.raises(
        InputError, match="holds both a sheet 'episodes' and a sheet 'kernmomenten'"
    ):
        casuistry.load(path)


def test_a_sheet_error_names_the_sheet_and_its_row(tmp_path):
    path = _workbook(
        tmp_path / "case.xlsx",
        {"events": EVENTS, "bronnen": "source,reliability\nS1,Z\nS2,A"},
    )
    with pytest.raises(casuistry.InvalidCase) as caught:
        casuistry.load(path)
    rec = caught.value.problems.iloc[0]
    assert (rec.file, rec.row, rec.column) == ("case.xlsx[bronnen]", 2, "reliability")


def test_parquet_tables_are_read(tmp_path):
    folder = write_folder(tmp_path / "in", episodes=None)
    pd.DataFrame(
        {"case_id": ["c"], "episode_id": ["k1"], "events": ["e1;e2"], "assessment": ["mixed"]}
    ).to_parquet(folder / "episodes.parquet")
    (folder / "factors.csv").unlink()
    (folder / "findings.csv").unlink()
    assert casuistry.load(folder).episodes["events"].tolist() == [("e1", "e2")]
    (folder / "episodes.csv").write_text(TABLES["episodes"], encoding="utf-8")
    with pytest.raises(InputError, match=r"holds both episodes\.csv and episodes\.parquet"):
        casuistry.load(folder)


def test_reviewers_tables_go_through_the_same_reading_checks(tmp_path):
    folder = write_folder(tmp_path / "in", sources="source,Source\nS1,x\n")
    with pytest.raises(InputError, match=r"sources\.csv: column 1 \('source'\) and column 2"):
        casuistry.load(folder)
    folder = write_folder(tmp_path / "in", sources="source,title\nS1,x,y\n")
    with pytest.raises(InputError, match=r"sources\.csv: .*field more than the header"):
        casuistry.load(folder)


_REVIEW_CELL = {
    "sources": {"source": ["s1", None], "reliability": ["a", "B", "G", None]},
    "episodes": {
        "case_id": ["c1", None],
        "episode_id": ["k1", None],
        "events": ["e1", None],
        "assessment": ["Goed", "problematic", "slecht", None],
    },
    "factors": {"case_id": ["c1", None], "episode_id": ["k1"], "factor": ["law_policy", None]},
}


@settings(max_examples=150, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(_REVIEW_CELL)))
def test_review_row_rules_in_bulk_pass_exactly_when_pandera_finds_no_failure(data, name):
    import pandera.pandas as pa

    cells = _REVIEW_CELL[name]
    rows = data.draw(
        st.lists(st.fixed_dictionaries({c: st.sampled_from(v) for c, v in cells.items()}))
    )
    frame = pd.DataFrame(rows, columns=list(cells), dtype="string")
    rules = _rules(name)
    try:
        rules.schema(frame.columns).validate(frame, lazy=True)
        plain = True
    except pa.errors.SchemaErrors:
        plain = False
    assert rules.all_pass(frame) == plain
    assert (rules.failures(frame) is None) == plain


_NAME = st.sampled_from(["c1", "c2", "e1", "e2", "k1", "x"])


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(st.one_of(st.none(), _NAME), st.one_of(st.none(), _NAME))),
    asked=st.lists(st.tuples(_NAME, _NAME)),
)
def test_names_are_looked_up_in_bulk_as_in_a_set_of_pairs(rows, asked):
    from casuistry.review_validation import _Names

    frame = pd.DataFrame(rows, columns=["case_id", "event_id"], dtype="string")
    names = _Names(frame, "event_id")
    pairs = {(case, name) for case, name in rows if case is not None and name is not None}
    cases = [case for case, _ in asked]
    assert names.has_case(cases).tolist() == [any(case == c for c, _ in pairs) for case in cases]
    with_rows = [(case, name) for case, name in asked if any(case == c for c, _ in pairs)]
    found = names.known([case for case, _ in with_rows], [name for _, name in with_rows])
    assert found.tolist() == [pair in pairs for pair in with_rows]
