"""Working days, school days and times of day for synthetic events.

Days are whole numbers of days since 1970-01-01 (the epoch of
:mod:`casuistry.timeaxis`), times are *ticks*: seconds since then. The tables
cover 1990 to 2100 (:data:`FIRST_YEAR`, :data:`LAST_YEAR`) and are built once,
on first use.

School holidays are approximated nationally (regions differ by a week or
two): Christmas from 23 December to 7 January, the May holiday from 27 April
(King's Day) to 5 May, and the summer from 15 July to 28 August.

Examples
--------
>>> import datetime as dt
>>> day = (dt.date(2024, 3, 2) - dt.date(1970, 1, 1)).days   # a Saturday
>>> dt.date(1970, 1, 1) + dt.timedelta(next_working_day(day))
datetime.date(2024, 3, 4)
>>> summer = (dt.date(2024, 7, 20) - dt.date(1970, 1, 1)).days
>>> dt.date(1970, 1, 1) + dt.timedelta(next_school_day(summer))
datetime.date(2024, 8, 29)
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from casuistry.vocabulary import SECONDS_PER_DAY

EPOCH = dt.date(1970, 1, 1)
FIRST_YEAR = 1990
LAST_YEAR = 2100
#: School holidays as ((month, day) from, (month, day) to), both inclusive.
SCHOOL_HOLIDAYS = (((12, 23), (12, 31)), ((1, 1), (1, 7)), ((4, 27), (5, 5)), ((7, 15), (8, 28)))
#: Relative weights of the hours of the day for round-the-clock actors:
#: quiet in the early morning, busiest in the evening.
HOUR_WEIGHTS = (3, 2, 2, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 5, 6, 7, 8, 8, 7, 6, 4)


@cache
def _tables() -> tuple[int, list[int], list[int]]:
    first = (dt.date(FIRST_YEAR, 1, 1) - EPOCH).days
    last = (dt.date(LAST_YEAR, 12, 31) - EPOCH).days
    days = np.arange(first, last + 1)
    dates = days.astype("datetime64[D]")
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    working = weekday < 5
    months = dates.astype("datetime64[M]").astype(int) % 12 + 1
    monthday = (dates - dates.astype("datetime64[M]")).astype(int) + 1
    key = months * 100 + monthday
    holiday = np.zeros(len(days), dtype=bool)
    for (m0, d0), (m1, d1) in SCHOOL_HOLIDAYS:
        holiday |= (key >= m0 * 100 + d0) & (key <= m1 * 100 + d1)
    school = working & ~holiday
    return first, _next_true(working), _next_true(school)


def _next_true(flags: np.ndarray) -> list[int]:
    """For every position, the first position at or after it where ``flags`` holds."""
    n = len(flags)
    positions = np.where(flags, np.arange(n), n)
    return np.minimum.accumulate(positions[::-1])[::-1].tolist()


def day_of(date: dt.date) -> int:
    """The day number of a date."""
    return (date - EPOCH).days


def next_working_day(day: int) -> int:
    """The day itself when it is Monday to Friday, else the Monday after."""
    first, following, _ = _tables()
    return first + following[day - first]


def next_school_day(day: int) -> int:
    """The day itself when it is a school day, else the next school day."""
    first, _, following = _tables()
    return first + following[day - first]


@cache
def next_day_ticks(school: bool) -> tuple[int, list[int]]:
    """The start (tick) of the next working day, or school day, of every day.

    Returns
    -------
    tuple of (int, list of int)
        ``(first, ticks)``: ``ticks[day - first]`` is
        ``next_school_day(day) * DAY`` when ``school``, else
        ``next_working_day(day) * DAY``; one list lookup for loops over many
        days.

    Examples
    --------
    >>> first, ticks = next_day_ticks(False)
    >>> ticks[19_786 - first] == next_working_day(19_786) * DAY
    True
    """
    first, working, schooling = _tables()
    return first, [(first + following) * DAY for following in (schooling if school else working)]


def clock_seconds(u: float) -> int:
    """A time of day in seconds (whole minutes), drawn from one uniform number.

    Examples
    --------
    >>> clock_seconds(0.0)
    0
    >>> 0 <= clock_seconds(0.999) < 86400
    True
    """
    return _CLOCK[min(int(u * len(_CLOCK)), len(_CLOCK) - 1)]


def _clock_table() -> list[int]:
    # 1440 minutes, each repeated by its hour's weight: a uniform index is a weighted minute.
    minutes = []
    for hour, weight in enumerate(HOUR_WEIGHTS):
        for minute in range(60):
            minutes.extend([(hour * 60 + minute) * 60] * weight)
    return minutes


_CLOCK = _clock_table()
DAY = SECONDS_PER_DAY
