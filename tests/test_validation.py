"""Every rule of CASE_FORMAT section 1 has a failing example whose row and column are asserted."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casuistry

HEADER = "case_id,event_id,time,kind,actor,to,signals,category,severity,reason,confidence"
GOOD = [
    "c,s1,2024-01-01,signal,school,,,verzuim,2,,certain",
    "c,s2,2024-01-02,signal,arts,,,letsel,,,",
    "c,sh,2024-01-03,share,arts,school,s2,,,,",
]
ACTORS = "actor,silo\nschool,onderwijs\narts,zorg\n"


def load_rows(tmp_path, rows, *, actors=None, header=HEADER):
    (tmp_path / "events.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    if actors is not None:
        (tmp_path / "actors.csv").write_text(actors, encoding="utf-8")
    return casuistry.load(tmp_path)


def problems_of(tmp_path, rows, **kwargs):
    with pytest.raises(casuistry.InvalidCase) as caught:
        load_rows(tmp_path, rows, **kwargs)
    table = caught.value.problems
    return [
        (r.row if r.row is not None and str(r.row) != "<NA>" else None, r.column, r.message)
        for r in table.itertuples()
    ]


def test_the_good_rows_are_valid(tmp_path):
    book = load_rows(tmp_path, GOOD, actors=ACTORS)
    assert (len(book), book.n_events, len(book.warnings)) == (1, 3, 0)


def test_kinds_are_kept_in_english_as_text(tmp_path):
    rows = [GOOD[0], GOOD[1].replace(",signal,", ",Signaal,"), GOOD[2]]
    kinds = load_rows(tmp_path, rows, actors=ACTORS).events["kind"]
    assert kinds.tolist() == ["signal", "signal", "share"]
    assert kinds.dtype == pd.Series(["share"]).dtype  # pandas' own text, as it infers it


@pytest.mark.parametrize(
    ("bad_row", "column", "words"),
    [
        (",x,2024-01-04,signal,school,,,verzuim,,,", "case_id", "missing value"),
        ("c,,2024-01-04,signal,school,,,verzuim,,,", "event_id", "missing value"),
        ("c,x,,signal,school,,,verzuim,,,", "time", "missing value"),
        ("c,x,2024-01-04,,school,,,verzuim,,,", "kind", "missing value"),
        ("c,x,2024-01-04,signal,,,,verzuim,,,", "actor", "missing value"),
        ("c,x,2024-01-04,telefoon,school,,,,,,", "kind", "unknown kind 'telefoon'"),
        ("c,x,4 januari,signal,school,,,verzuim,,,", "time", "is not a time"),
        ("c,x,2024-02-30,signal,school,,,verzuim,,,", "time", "is not a time"),
        ("c,x,2.5,signal,school,,,verzuim,,,", "time", "is not a time"),
        ("c,x,2024-01-04,share,school,,s1,,,,", "to", "needs its recipients"),
        ("c,x,2024-01-04,withhold,school,,s1,,,capacity,", "to", "needs its recipients"),
        ("c,x,2024-01-04,contact,school,,,,,,", "to", "needs its recipients"),
        ("c,x,2024-01-04,meeting,school,,,,,,", "to", "needs its recipients"),
        ("c,x,2024-01-04,signal,school,,,,,,", "category", "needs a category"),
        ("c,x,2024-01-04,signal,school,,,verzuim,6,,", "severity", "outside 1-5"),
        ("c,x,2024-01-04,signal,school,,,verzuim,zwaar,,", "severity", "outside 1-5"),
        ("c,x,2024-01-04,signal,school,,,verzuim,,,misschien", "confidence", "unknown"),
        ("c,s1,2024-01-04,signal,school,,,verzuim,,,", "event_id", "used twice"),
        ("c,x,2024-01-04,share,school,arts,s9,,,,", "signals", "no event 's9'"),
        ("c,x,2024-01-04,share,school,arts,sh,,,,", "signals", "is a share, not a signal"),
        ("c,x,2023-12-31,share,school,arts,s1,,,,", "signals", "observed later"),
        ("c,x,7,signal,school,,,verzuim,,,", "time", "one style of time per case"),
    ],
)
def test_each_row_rule_names_row_and_column(tmp_path, bad_row, column, words):
    found = problems_of(tmp_path, [*GOOD, bad_row])
    assert [(row, col) for row, col, _ in found] == [(5, column)]  # header 1, GOOD 2-4
    assert words in found[0][2]


def test_a_signal_with_problems_of_its_own_is_not_called_missing(tmp_path):
    # s7 is in the case, but its row fails (no category): the share that lists it
    # was told "no event 's7' in case 'c'; did you mean 's7'?".
    rows = [*GOOD, "c,s7,2024-01-04,signal,school,,,,,,", "c,x,2024-01-05,share,school,arts,s7,,,,"]
    found = problems_of(tmp_path, rows)
    assert [(row, col) for row, col, _ in found] == [(5, "category"), (6, "signals")]
    assert found[1][2] == (
        "event 's7' cannot be used until the problems of its row are fixed; "
        "list the event_ids of signal events of the same case"
    )


def test_equal_time_but_later_row_counts_as_observed_later(tmp_path):
    rows = [
        "c,sh,2024-01-01,share,school,arts,s1,,,,",
        "c,s1,2024-01-01,signal,school,,,verzuim,,,",
    ]
    assert [(r, c) for r, c, _ in problems_of(tmp_path, rows)] == [(2, "signals")]


def test_missing_required_columns_are_all_named(tmp_path):
    found = problems_of(tmp_path, ["c,2024-01-01,school"], header="case_id,time,actor")
    assert [(row, col) for row, col, _ in found] == [(None, "event_id"), (None, "kind")]


def test_unknown_actors_with_an_actors_table(tmp_path):
    rows = [
        *GOOD,
        "c,x,2024-01-04,share,school,arts;wijkteam,s1,,,,",
        "c,y,2024-01-05,signal,buurman,,,overlast,,,",
    ]
    found = problems_of(tmp_path, rows, actors=ACTORS)
    assert [(row, col) for row, col, _ in found] == [(5, "to"), (6, "actor")]
    assert "'wijkteam' is not in the actors table" in found[0][2]


def test_actors_table_rules(tmp_path):
    actors = "actor,silo\nschool,onderwijs\narts,\nschool,zorg\n"
    found = problems_of(tmp_path, GOOD, actors=actors)
    assert [(row, col) for row, col, _ in found] == [(3, "silo"), (4, "actor")]


def test_all_problems_are_reported_together(tmp_path):
    rows = [*GOOD, "c,x,later,signal,school,,,,9,,", "c,s1,2024-01-04,telefoon,school,,,,,,"]
    found = problems_of(tmp_path, rows)
    assert {(row, col) for row, col, _ in found} == {
        (5, "time"),
        (5, "category"),
        (5, "severity"),
        (6, "kind"),
        (6, "event_id"),
    }


def test_the_same_event_id_in_two_cases_is_fine(tmp_path):
    rows = [*GOOD, "d,s1,2024-01-04,signal,school,,,verzuim,,,"]
    assert len(load_rows(tmp_path, rows)) == 2


@pytest.mark.parametrize(
    ("extra_row", "column", "words"),
    [
        ("c,w,2024-01-04,withhold,school,arts,s1,,,tijdgebrek,", "reason", "not in the list"),
        ("c,i,2024-01-04,incident,school,,,,,,", "time", "after its first incident"),
        ("c,k,2024-01-04,contact,school,arts,s1,,,,", "signals", "carries no signals"),
    ],
)
def test_warnings_do_not_stop_the_analysis(tmp_path, extra_row, column, words):
    rows = [*GOOD, extra_row]
    if "incident" in extra_row:
        rows = [extra_row.replace("2024-01-04", "2024-01-02"), *GOOD]
    book = load_rows(tmp_path, rows)
    assert [(w.column, words in w.message) for w in book.warnings.itertuples()] == [(column, True)]


def test_a_share_of_a_signal_the_sender_did_not_know_is_a_warning(tmp_path):
    rows = [
        *GOOD,  # sh (row 4): arts shares its own s2 with school
        "c,fw,2024-01-04,share,school,wijkteam,s2,,,,",  # school knows s2 since sh: fine
        "c,gp,2024-01-05,share,wijkteam,school,s1,,,,",  # wijkteam never learned s1
        "c,x2,2024-01-06,share,wijkteam,arts,s1,,,,",  # since gp it did
    ]
    book = load_rows(tmp_path, rows)
    assert [(w.row, w.column) for w in book.warnings.itertuples()] == [(6, "signals")]
    assert "did not know 's1'" in book.warnings["message"].iloc[0]
    # the engine takes the sender to have known it from that share on
    analysis = casuistry.analyse(book)
    assert analysis.knowledge.query("actor == 'wijkteam' and signal_id == 's1'")[
        "via"
    ].tolist() == ["gp"]


def test_late_events_are_named_per_case_in_order_of_their_first_late_row(tmp_path):
    # Cases a and b interleave. b's incident (row 4) comes first: b's rows 6 and 13 are
    # later. a's incident is row 5: its six signals of 2024-01-05 (rows 7-12) are later;
    # five rows are listed, then "...". One warning per case, sorted by row: b (6), a (7).
    lines = [
        "case_id,event_id,time,kind,actor,to,signals,category",
        "a,e1,2024-01-01,signal,school,,,verzuim",
        "b,e1,2024-01-01,signal,gp,,,letsel",
        "b,e2,2024-01-02,incident,gp,,,",
        "a,e2,2024-01-02,incident,school,,,",
        "b,e3,2024-01-03,signal,gp,,,letsel",
        *[f"a,e{k},2024-01-05,signal,school,,,verzuim" for k in range(3, 9)],
        "b,e4,2024-01-04,signal,gp,,,letsel",
    ]
    (tmp_path / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    late = casuistry.load(tmp_path).warnings
    late = late[late["message"].str.contains("first incident")]
    tail = "; they are drawn on timelines but take no part in the figures"
    assert late[["row", "message"]].values.tolist() == [
        [6, "2 events of case 'b' come after its first incident (rows 6, 13)" + tail],
        [
            7,
            "6 events of case 'a' come after its first incident (rows 7, 8, 9, 10, 11 ...)" + tail,
        ],
    ]


def test_one_late_event_is_named_in_the_singular():
    warnings = casuistry.load(casuistry.example_path()).warnings
    assert warnings["message"].tolist() == [
        "1 event of case 'puzzel-1' comes after its first incident (row 14); it is drawn "
        "on timelines but takes no part in the figures"
    ]


STYLES = {"date": "2024-01-0{}", "datetime": "2024-01-0{}T10:00", "day": "{}"}
VALID_MOSTLY = st.sampled_from([True] * 5 + [False])


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from("abc"), st.sampled_from(sorted(STYLES)), VALID_MOSTLY),
        min_size=1,
        max_size=12,
    )
)
def test_time_styles_are_judged_per_case_as_counted_by_hand(tmp_path_factory, rows):
    # Each row: its case, its style of time, and whether it is valid (else its kind is
    # missing). Per case, the valid rows' styles are counted by hand: the minority's
    # rows are errors naming the first valid row in the majority's style.
    lines = [
        f"{case},e{k},{STYLES[style].format(k % 9 + 1)},{'signal' if valid else ''},"
        "school,,,verzuim"
        for k, (case, style, valid) in enumerate(rows)
    ]
    expected, styles = [], {}
    for case in dict.fromkeys(case for case, _, _ in rows):
        valid = [(k + 2, style) for k, (c, style, v) in enumerate(rows) if c == case and v]
        calendar = [row for row, style in valid if style != "day"]
        if not valid:
            continue
        written = {style for _, style in valid}
        styles[case] = (
            "days" if written == {"day"} else "date" if written == {"date"} else "datetime"
        )
        if 0 < len(calendar) < len(valid):
            majority = 2 * len(calendar) >= len(valid)
            first = next(row for row, style in valid if (style != "day") == majority)
            expected += [(row, first) for row, style in valid if (style != "day") != majority]
    header = "case_id,event_id,time,kind,actor,to,signals,category"
    try:
        book = load_rows(tmp_path_factory.mktemp("styles"), lines, header=header)
    except casuistry.InvalidCase as err:
        found = err.problems[err.problems["message"].str.contains("one style of time")]
        see = found["message"].str.extract(r"see row (\d+)")[0].astype(int)
        assert list(zip(found["row"], see, strict=True)) == sorted(expected)
        return
    assert not expected
    assert book.time_styles.to_dict() == styles
    assert book.time_styles.index.tolist() == list(dict.fromkeys(book.events["case_id"]))
