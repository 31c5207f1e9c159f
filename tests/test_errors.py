"""Problems and warnings as a person reads them: every one kept, the first of each
place listed, the rest counted."""

from __future__ import annotations

import pandas as pd

from casuistry.errors import SHOWN_PER_PLACE, InvalidCase, format_problems


def table(*places):
    """A problem table: per (file, column, rows) one problem per row."""
    return pd.DataFrame(
        [
            {"file": file, "row": row, "column": column, "message": f"wrong in {row}"}
            for file, column, rows in places
            for row in rows
        ]
    )


def test_each_place_lists_its_first_and_counts_the_rest():
    problems = table(
        ("events.csv", "time", range(2, 27)),  # 25: 10 listed, 15 counted
        ("events.csv", "kind", [30, 31]),  # 2: both listed
        ("actors.csv", None, range(2, 15)),  # 13, a file as a whole: 10 listed, 3 counted
    )
    lines = format_problems(problems, shown=10, every="see all").splitlines()
    assert lines[0] == "40 problems in the input:"
    listed = [line for line in lines if ": wrong in " in line]
    assert [line.split(":")[0].strip() for line in listed] == [
        *(f"events.csv, row {r}, column time" for r in range(2, 12)),
        "events.csv, row 30, column kind",
        "events.csv, row 31, column kind",
        *(f"actors.csv, row {r}" for r in range(2, 12)),
    ]
    assert lines[len(listed) + 1 :] == [
        "  events.csv, column time: 15 more problems, rows 12 to 26",
        "  actors.csv: 3 more problems, rows 12 to 14",
        "  see all",
    ]


def test_every_one_is_listed_when_asked_or_when_few():
    problems = table(("events.csv", "time", range(2, 40)))
    assert len(format_problems(problems, shown=None).splitlines()) == 1 + 38
    few = table(("events.csv", "time", range(2, 2 + SHOWN_PER_PLACE)))
    assert format_problems(few, every="see all").splitlines()[-1].startswith("  events.csv, row")
    # more than ten in all, but no place with more than ten: nothing counted, no hint
    spread = table(*((f"{name}.csv", "time", range(2, 8)) for name in "abc"))
    lines = format_problems(spread, every="see all").splitlines()
    assert len(lines) == 1 + 18
    assert all(": wrong in " in line for line in lines[1:])


def test_counted_problems_without_a_row_say_no_rows():
    problems = table(("events.csv", "time", [5]), ("events.csv", "time", [None, None]))
    lines = format_problems(problems, heading="warning", shown=1).splitlines()
    assert lines[-1] == "  events.csv, column time: 2 more warnings"


def test_an_invalid_case_keeps_every_problem_and_says_where():
    err = InvalidCase(table(("events.csv", "time", range(2, 1002))))
    assert len(err.problems) == 1000
    text = str(err).splitlines()
    assert len(text) == 1 + SHOWN_PER_PLACE + 2
    assert text[-2] == "  events.csv, column time: 990 more problems, rows 12 to 1001"
    assert "err.problems" in text[-1]


def test_a_file_as_a_whole_is_one_place_however_its_column_is_empty():
    problems = table(("events.csv", None, [2]), ("events.csv", float("nan"), [3]))
    problems = pd.concat([problems, table(("events.csv", "", [4]))], ignore_index=True)
    assert format_problems(problems, shown=1).splitlines()[-1] == (
        "  events.csv: 2 more problems, rows 3 to 4"
    )
