"""Times of a case: parsing the three accepted styles and writing them back.

A case's times are ISO 8601 dates, ISO 8601 date-times, or whole day numbers
(one style per case; dates and date-times are both *calendar* times and may be
mixed). Internally every time is an integer number of seconds, the *ticks*:
seconds since 1970-01-01 for calendar times (wall-clock time as written; an
explicit UTC offset is converted to UTC), and ``day * 86400`` for day numbers.
Integer ticks keep ordering exact and make every duration an exact number of
seconds before it is divided into days.

Examples
--------
>>> import pandas as pd
>>> parsed = parse_times(pd.Series(["2024-03-01", "2024-03-01T14:30", "7", "soon"]))
>>> parsed["style"].tolist()
['date', 'datetime', 'days', None]
>>> format_time(int(parsed["ticks"].iloc[1]), "datetime")
'2024-03-01T14:30'
>>> format_time(7 * 86400, "days")
7
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casuistry.vocabulary import SECONDS_PER_DAY

DATE = "date"
DATETIME = "datetime"
DAYS = "days"
CALENDAR_STYLES = frozenset({DATE, DATETIME})
#: The styles in a fixed order: :func:`parse_time_codes` gives positions in it.
TIME_STYLES: tuple[str, ...] = (DATE, DATETIME, DAYS)
_STYLE_CODE = {style: code for code, style in enumerate(TIME_STYLES)}

_DAY_NUMBER = r"^[+-]?\d+(?:\.0+)?$"
_DATE_ONLY = r"^\d{4}-\d{2}-\d{2}$"
#: Calendar ticks count seconds from here (wall-clock time as written).
EPOCH = pd.Timestamp("1970-01-01")


def parse_times(values: pd.Series) -> pd.DataFrame:
    """Parse a column of times, vectorised.

    Parameters
    ----------
    values : pandas.Series
        Strings as written in a CSV cell, numbers, or datetimes (Excel date
        cells, Parquet timestamp columns).

    Returns
    -------
    pandas.DataFrame
        Same index as ``values``, columns ``ticks`` (nullable Int64 seconds)
        and ``style`` (``"date"``, ``"datetime"``, ``"days"``, or None where
        the value does not parse).
    """
    ticks, codes = parse_time_codes(values)
    parsed = codes >= 0
    style = np.asarray([*TIME_STYLES, None], dtype=object)[codes]
    return pd.DataFrame(
        {
            "ticks": pd.arrays.IntegerArray(ticks, ~parsed),
            "style": pd.Series(style, index=values.index, dtype=object),
        },
        index=values.index,
    )


def parse_time_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse a column of times into plain arrays, as :func:`parse_times` does.

    Text is parsed once per distinct value: times repeat a lot in a corpus.

    Parameters
    ----------
    values : pandas.Series
        As for :func:`parse_times`.

    Returns
    -------
    ticks : numpy.ndarray
        int64 seconds per value (0 where the value does not parse).
    codes : numpy.ndarray
        Per value the position of its style in :data:`TIME_STYLES`, or -1
        where the value does not parse.

    Examples
    --------
    >>> ticks, codes = parse_time_codes(pd.Series(["7", "2024-03-01", "7", None]))
    >>> ticks.tolist(), [TIME_STYLES[c] if c >= 0 else None for c in codes]
    ([604800, 1709251200, 604800, 0], ['days', 'date', 'days', None])
    """
    n = len(values)
    ticks = np.zeros(n, dtype=np.int64)
    codes = np.full(n, -1, dtype=np.int8)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = values.dt.tz_convert("UTC").dt.tz_localize(None) if values.dt.tz else values
        ok = stamps.notna().to_numpy()
        ticks[ok] = _seconds(stamps[ok])
        midnight = ok & (stamps.dt.normalize() == stamps).to_numpy()
        codes[ok] = _STYLE_CODE[DATETIME]
        codes[midnight] = _STYLE_CODE[DATE]
        return ticks, codes
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = pd.to_numeric(values, errors="coerce")
        whole = (numbers.notna() & (numbers == np.floor(numbers))).to_numpy(dtype=bool)
        ticks[whole] = (numbers[whole].astype("int64") * SECONDS_PER_DAY).to_numpy()
        codes[whole] = _STYLE_CODE[DAYS]
        return ticks, codes
    positions, distinct = pd.factorize(values.astype("string"))
    distinct_ticks, distinct_codes = _parse_text(pd.Series(distinct))
    # position -1 (a missing value) picks the appended "does not parse"
    return np.append(distinct_ticks, 0)[positions], np.append(distinct_codes, -1)[positions]


def _parse_text(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Ticks and style codes of text cells, none of them missing."""
    text = values.str.strip()
    ticks = np.zeros(len(values), dtype=np.int64)
    codes = np.full(len(values), -1, dtype=np.int8)
    is_days = text.str.fullmatch(_DAY_NUMBER).fillna(False).to_numpy(dtype=bool)
    if is_days.any():
        days = text[is_days].str.replace(r"\.0+$", "", regex=True).astype("int64")
        ticks[is_days] = (days * SECONDS_PER_DAY).to_numpy()
        codes[is_days] = _STYLE_CODE[DAYS]
    rest = ~is_days & (text != "").fillna(False).to_numpy(dtype=bool)
    if rest.any():
        stamps = pd.to_datetime(text[rest], format="ISO8601", errors="coerce", utc=True)
        stamps = stamps.dt.tz_localize(None)
        ok = stamps.notna().to_numpy()
        at = np.flatnonzero(rest)[ok]
        ticks[at] = _seconds(stamps[ok])
        date_only = text.iloc[at].str.fullmatch(_DATE_ONLY).fillna(False).to_numpy(dtype=bool)
        codes[at] = np.where(date_only, _STYLE_CODE[DATE], _STYLE_CODE[DATETIME])
    return ticks, codes


def _seconds(stamps: pd.Series) -> np.ndarray:
    return ((stamps - EPOCH) // pd.Timedelta(seconds=1)).to_numpy(dtype="int64")


def format_time(ticks: int | float, style: str) -> str | int | float:
    """Write ticks back in the case's own style: ISO text or a number of days.

    Date-only cases get ``YYYY-MM-DD``; cases with times get
    ``YYYY-MM-DDTHH:MM`` (with seconds when they are not zero); day-number
    cases get a number (an int when whole).
    """
    if style == DAYS:
        days = ticks / SECONDS_PER_DAY
        return int(days) if float(days).is_integer() else days
    stamp = EPOCH + pd.Timedelta(seconds=int(ticks))
    if style == DATE and stamp == stamp.normalize():
        return stamp.strftime("%Y-%m-%d")
    if stamp.second:
        return stamp.strftime("%Y-%m-%dT%H:%M:%S")
    return stamp.strftime("%Y-%m-%dT%H:%M")


def format_times(ticks: np.ndarray, styles: np.ndarray, missing: np.ndarray) -> list:
    """:func:`format_time` for whole columns at once; None where ``missing``.

    Gives the same values as calling :func:`format_time` on each element, a
    hundred times faster: calendar times are written by numpy in one go and
    cut to the length their style asks for.

    Parameters
    ----------
    ticks : numpy.ndarray
        int64 seconds (any value where ``missing``).
    styles : numpy.ndarray
        The style of each element's case.
    missing : numpy.ndarray
        bool, True where there is no time.

    Returns
    -------
    list
        ISO text, an int or float number of days, or None, per element.

    Examples
    --------
    >>> format_times(
    ...     np.array([0, 90_000, 3_661, 43_200, 0]),
    ...     np.array(["date", "date", "datetime", "days", "days"]),
    ...     np.array([False, False, False, False, True]),
    ... )
    ['1970-01-01', '1970-01-02T01:00', '1970-01-01T01:01:01', 0.5, None]
    """
    ticks = np.asarray(ticks, dtype=np.int64)
    out = np.full(len(ticks), None, dtype=object)
    days = (np.asarray(styles, dtype=object) == DAYS) & ~missing
    if days.any():
        numbers = (ticks[days] / SECONDS_PER_DAY).tolist()
        written = np.empty(len(numbers), dtype=object)
        written[:] = [int(n) if n.is_integer() else n for n in numbers]
        out[days] = written
    calendar = ~days & ~missing
    if calendar.any():
        seconds = ticks[calendar]
        text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
        shown = shown_length(seconds, np.asarray(styles, dtype=object)[calendar] == DATE)
        written = text.astype(object)
        for length in (10, 16):
            cut = shown == length
            written[cut] = text[cut].astype(f"<U{length}").astype(object)
        out[calendar] = written
    return out.tolist()


def shown_length(seconds: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """How many characters of its ISO text (``YYYY-MM-DDTHH:MM:SS``) each calendar
    time shows: 10, a date, at midnight in a case of ``dates`` style; 16, to the
    minute, when its seconds are 0; else 19 (:func:`format_time`).

    Examples
    --------
    >>> shown_length(np.array([0, 0, 60, 61]), np.array([True, False, True, True])).tolist()
    [10, 16, 16, 19]
    """
    date_only = dates & (seconds % SECONDS_PER_DAY == 0)
    return np.where(date_only, 10, np.where(seconds % 60 == 0, 16, 19))


def written_times(ticks, case, styles) -> np.ndarray:
    """Times as text in their case's style.

    Day numbers as whole numbers; dates as ``YYYY-MM-DD``; date-times as
    ``YYYY-MM-DDTHH:MM`` (``:SS`` when not zero), where an event at midnight
    in a case with other times is written as a date, unless every time of the
    case is at midnight (then the case keeps its style by writing ``T00:00``).

    Parameters
    ----------
    ticks, case, styles : array-like
        Per event its ticks, its case and its case's time style.

    Examples
    --------
    >>> written_times([0, 86400, 86400 + 3600], ["a", "b", "b"], ["days", "datetime", "datetime"])
    array(['0', '1970-01-02', '1970-01-02T01:00'], dtype=object)
    >>> written_times([0], ["c"], ["datetime"])
    array(['1970-01-01T00:00'], dtype=object)
    """
    ticks = np.asarray(ticks, dtype=np.int64)
    styles = np.asarray(styles, dtype=object)
    midnight = ticks % SECONDS_PER_DAY == 0
    cases = pd.factorize(pd.Series(case))[0]  # numbered: no text per event to group by
    every = pd.Series(midnight).groupby(cases).transform("all")
    shown = np.where((styles != DAYS) & midnight & ~every.to_numpy(dtype=bool), DATE, styles)
    out = np.empty(len(ticks), dtype=object)
    # a part at a time: the text of 10^6 times at once took 0.4 GB on its way
    for start in range(0, len(ticks), _WRITTEN_AT_ONCE):
        part = slice(start, start + _WRITTEN_AT_ONCE)
        written = format_times(ticks[part], shown[part], np.zeros(len(shown[part]), bool))
        out[part] = [str(value) for value in written]
    return out


#: Times :func:`written_times` writes at a time.
_WRITTEN_AT_ONCE = 1 << 16
