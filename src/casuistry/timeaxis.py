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

_DAY_NUMBER = r"^[+-]?\d+(?:\.0+)?$"
_DATE_ONLY = r"^\d{4}-\d{2}-\d{2}$"
_EPOCH = pd.Timestamp("1970-01-01")


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
    ticks = pd.Series(pd.NA, index=values.index, dtype="Int64")
    style = pd.Series(None, index=values.index, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = values.dt.tz_convert("UTC").dt.tz_localize(None) if values.dt.tz else values
        ok = stamps.notna()
        ticks[ok] = _seconds(stamps[ok])
        midnight = ok & (stamps.dt.normalize() == stamps)
        style[ok] = DATETIME
        style[midnight] = DATE
        return pd.DataFrame({"ticks": ticks, "style": style})
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = pd.to_numeric(values, errors="coerce")
        whole = numbers.notna() & (numbers == np.floor(numbers))
        ticks[whole] = (numbers[whole].astype("int64") * SECONDS_PER_DAY).to_numpy()
        style[whole] = DAYS
        return pd.DataFrame({"ticks": ticks, "style": style})

    text = values.astype("string").str.strip()
    is_days = text.str.fullmatch(_DAY_NUMBER).fillna(False).astype(bool)
    if is_days.any():
        days = text[is_days].str.replace(r"\.0+$", "", regex=True).astype("int64")
        ticks[is_days] = (days * SECONDS_PER_DAY).to_numpy()
        style[is_days] = DAYS
    rest = ~is_days & text.notna() & (text != "")
    if rest.any():
        stamps = pd.to_datetime(text[rest], format="ISO8601", errors="coerce", utc=True)
        stamps = stamps.dt.tz_localize(None)
        ok = stamps.notna()
        idx = stamps.index[ok]
        ticks[idx] = _seconds(stamps[ok])
        date_only = text[idx].str.fullmatch(_DATE_ONLY).fillna(False).astype(bool)
        style[idx] = np.where(date_only.to_numpy(), DATE, DATETIME)
    return pd.DataFrame({"ticks": ticks, "style": style.astype(object).where(style.notna(), None)})


def _seconds(stamps: pd.Series) -> np.ndarray:
    return ((stamps - _EPOCH) // pd.Timedelta(seconds=1)).to_numpy(dtype="int64")


def format_time(ticks: int | float, style: str) -> str | int | float:
    """Write ticks back in the case's own style: ISO text or a number of days.

    Date-only cases get ``YYYY-MM-DD``; cases with times get
    ``YYYY-MM-DDTHH:MM`` (with seconds when they are not zero); day-number
    cases get a number (an int when whole).
    """
    if style == DAYS:
        days = ticks / SECONDS_PER_DAY
        return int(days) if float(days).is_integer() else days
    stamp = _EPOCH + pd.Timedelta(seconds=int(ticks))
    if style == DATE and stamp == stamp.normalize():
        return stamp.strftime("%Y-%m-%d")
    if stamp.second:
        return stamp.strftime("%Y-%m-%dT%H:%M:%S")
    return stamp.strftime("%Y-%m-%dT%H:%M")


def to_timestamp_or_days(ticks: int | float, style: str) -> pd.Timestamp | float:
    """Ticks as a value for a DataFrame cell: a Timestamp, or days as a float."""
    if style == DAYS:
        return ticks / SECONDS_PER_DAY
    return _EPOCH + pd.Timedelta(seconds=int(ticks))


def days_between(start: int, end: int) -> float:
    """Length of the interval between two ticks, in days (never rounded)."""
    return (end - start) / SECONDS_PER_DAY
