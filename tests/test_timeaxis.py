"""Times of a case: parsing the three styles and writing them back (casuistry.timeaxis)."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from casuistry.timeaxis import (
    DATE,
    DATETIME,
    DAYS,
    EPOCH,
    format_time,
    format_times,
    parse_time_codes,
    parse_times,
    written_times,
)

DAY = 86_400


def written(ticks: int, style: str):
    """A per-cell writer straight from the docstring, with the standard library only."""
    if style == DAYS:
        return ticks // DAY if ticks % DAY == 0 else ticks / DAY
    stamp = datetime(1970, 1, 1) + timedelta(seconds=ticks)
    if style == DATE and stamp.time() == datetime.min.time():
        return stamp.strftime("%Y-%m-%d")
    return stamp.strftime("%Y-%m-%dT%H:%M:%S" if stamp.second else "%Y-%m-%dT%H:%M")


def test_the_three_styles_parse_to_ticks():
    parsed = parse_times(
        pd.Series(["2024-03-01", "2024-03-01T14:30", "2024-03-01T14:30+02:00", "-3", "12.0", ""])
    )
    # 2024-03-01 is day 19783 after 1970-01-01 (54 years with 13 leap days:
    # 54 * 365 + 13 = 19723, plus 31 + 29 days of 2024 = 19783).
    midnight = 19_783 * DAY
    assert parsed["ticks"].tolist() == [
        midnight,
        midnight + 14 * 3600 + 30 * 60,
        midnight + 12 * 3600 + 30 * 60,  # the offset is converted to UTC
        -3 * DAY,
        12 * DAY,
        pd.NA,
    ]
    assert parsed["style"].tolist() == [DATE, DATETIME, DATETIME, DAYS, DAYS, None]


def test_numbers_and_datetimes_parse_without_text():
    ticks, codes = parse_time_codes(pd.Series([2, 3.5, None]))
    # a fractional day is no day number: it does not parse
    assert ticks.tolist() == [2 * DAY, 0, 0] and codes.tolist() == [2, -1, -1]
    ticks, codes = parse_time_codes(
        pd.Series(pd.to_datetime(["1970-01-02", "1970-01-01T00:00:05"], format="ISO8601"))
    )
    assert ticks.tolist() == [DAY, 5] and codes.tolist() == [0, 1]


def test_format_time_by_hand():
    assert format_time(19_783 * DAY, DATE) == "2024-03-01"
    assert format_time(19_783 * DAY, DATETIME) == "2024-03-01T00:00"
    assert format_time(19_783 * DAY + 90, DATE) == "2024-03-01T00:01:30"
    assert format_time(-DAY // 2, DAYS) == -0.5
    assert format_time(7 * DAY, DAYS) == 7 and isinstance(format_time(7 * DAY, DAYS), int)
    assert pd.Timestamp("1970-01-01") == EPOCH


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-(2**34), max_value=2**34),
            st.sampled_from([DATE, DATETIME, DAYS]),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_format_times_writes_each_value_as_the_per_cell_writer(cells):
    # multiples of a day, an hour and a minute are common: mix them in
    ticks = np.array([t - t % (DAY, 3600, 60, 1)[t % 4] for t, _, _ in cells], dtype=np.int64)
    styles = np.array([s for _, s, _ in cells], dtype=object)
    missing = np.array([m for _, _, m in cells], dtype=bool)
    cells = list(zip(ticks.tolist(), styles, missing, strict=True))
    expected = [None if m else written(t, s) for t, s, m in cells]
    got = format_times(ticks, styles, missing)
    assert got == expected
    assert [type(v) for v in got] == [type(v) for v in expected]  # 7, not 7.0
    assert got == [None if m else format_time(t, s) for t, s, m in cells]


def test_times_are_written_in_their_case_style():
    # 2024-03-01 is day 19783 after 1970-01-01; 14:30 is 52200 seconds into it
    day = 19783 * 86400
    ticks = [day, day + 52200, day + 52201, day, 5 * 86400]
    cases = ["mixed", "mixed", "mixed", "midnight", "days"]
    styles = ["datetime", "datetime", "datetime", "datetime", "days"]
    assert written_times(ticks, cases, styles).tolist() == [
        "2024-03-01",  # midnight in a case with clock times: written as a date
        "2024-03-01T14:30",
        "2024-03-01T14:30:01",
        "2024-03-01T00:00",  # every time of the case at midnight: keeps its date-time style
        "5",
    ]


def test_times_written_a_part_at_a_time_are_those_written_at_once(monkeypatch):
    # parts of two: the midnight of the "mixed" case (row 3) shares its part with the
    # other case only, and is still written as a date: its case has clock times elsewhere
    from casuistry import timeaxis

    day = 19783 * 86400
    ticks = [day + 52200, day, day, day + 86400, 5 * 86400, day + 60]
    cases = ["mixed", "midnight", "mixed", "midnight", "days", "mixed"]
    styles = ["datetime", "datetime", "datetime", "datetime", "days", "datetime"]
    at_once = written_times(ticks, cases, styles).tolist()
    monkeypatch.setattr(timeaxis, "_WRITTEN_AT_ONCE", 2)
    assert (
        written_times(ticks, cases, styles).tolist()
        == at_once
        == [
            "2024-03-01T14:30",
            "2024-03-01T00:00",
            "2024-03-01",
            "2024-03-02T00:00",
            "5",
            "2024-03-01T00:01",
        ]
    )
