"""The secret time shift of :func:`casuistry.privacy.anonymise`: each case its own offset.

Every case is moved by a secret whole number of days (never zero, at most
``shift_days`` either way) drawn from a keyed digest of its ``case_id``, so
intervals within a case stay exact while calendar dates no longer point to
real days. Each time keeps its own style: a day number stays a day number, a
date-time keeps its clock time and UTC offset as written.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from casuistry.errors import AnonymiseError
from casuistry.privacy.keys import digest
from casuistry.privacy.scan import row_numbers
from casuistry.timeaxis import DATE, DAYS, TIME_STYLES, format_time, parse_time_codes
from casuistry.vocabulary import SECONDS_PER_DAY

#: The largest ``shift_days`` :func:`anonymise` accepts: about a century.
MAX_SHIFT_DAYS = 36_525
_FIRST_DATE, _LAST_DATE = "1000-01-01", "9999-12-31"
_DATE_BOUNDS = parse_time_codes(pd.Series([_FIRST_DATE, _LAST_DATE]))[0]
_DAY_BOUND = np.iinfo(np.int64).max // SECONDS_PER_DAY  # day numbers as int64 seconds
_DATE_WIDTH = len("YYYY-MM-DD")


def check_shift_days(shift_days: object) -> int:
    """``shift_days`` as an int, when it lies from 1 to :data:`MAX_SHIFT_DAYS`.

    Examples
    --------
    >>> check_shift_days(30)
    30
    >>> check_shift_days(999999999)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casuistry.errors.AnonymiseError: shift_days (--shift-days) must be ... from 1 to 36525 ...
    """
    if (
        isinstance(shift_days, bool)
        or not isinstance(shift_days, int | np.integer)
        or not 1 <= shift_days <= MAX_SHIFT_DAYS
    ):
        raise AnonymiseError(
            f"shift_days (--shift-days) must be a whole number of days from 1 to {MAX_SHIFT_DAYS} "
            f"(about a century), not {shift_days!r}"
        )
    return int(shift_days)


def _offset_days(secret: bytes, case_id: str, shift_days: int) -> int:
    """A secret whole number of days in [-shift_days, shift_days], never zero."""
    draw = int(digest(secret, "time-shift", case_id)[:16], 16) % (2 * shift_days)
    return draw - shift_days if draw < shift_days else draw - shift_days + 1


def shift_times(times: pd.Series, case: pd.Series, secret: bytes, shift_days: int) -> pd.Series:
    offsets = {c: _offset_days(secret, c, shift_days) for c in pd.unique(case)}
    days = case.map(offsets).astype("int64")
    if pd.api.types.is_datetime64_any_dtype(times.dtype):
        try:
            return times + pd.to_timedelta(days, unit="D")
        except (OverflowError, pd.errors.OutOfBoundsDatetime) as err:
            raise AnonymiseError(
                f"shifting the times by up to {shift_days} days leaves the dates their column "
                f"can hold; choose a smaller shift"
            ) from err
    if pd.api.types.is_numeric_dtype(times.dtype) and not pd.api.types.is_bool_dtype(times.dtype):
        shifted = times + days
        _refuse_rows(times.index, (shifted.abs() > _DAY_BOUND).to_numpy(), shift_days)
        return shifted
    # Shift each distinct (time, offset) once; a missing time (code -1) stays missing.
    time_codes, time_values = pd.factorize(times)
    offset_codes, offset_values = pd.factorize(days)
    n_offsets = len(offset_values)
    pair_codes, pairs = pd.factorize(time_codes * n_offsets + offset_codes)
    present = pairs >= 0
    values = np.asarray(time_values, dtype=object)[np.where(present, pairs // n_offsets, 0)]
    pair_days = np.asarray(offset_values, dtype="int64")[pairs % n_offsets]
    results, leaves = _shift_values(values, pair_days)
    results[~present] = None
    shifted = results[pair_codes]
    kept = time_codes >= 0
    left = kept & leaves[pair_codes] & present[pair_codes]
    _refuse_rows(times.index, left, shift_days)
    failed = kept & pd.isna(shifted)
    out = pd.Series(np.where(kept, shifted, times.to_numpy(dtype=object)), index=times.index)
    if failed.any():
        raise AnonymiseError(
            f"cannot shift the time in {_rows_named(times.index, failed)} of the events: "
            "expected an ISO 8601 date or date-time, or a whole number of days"
        )
    return out.astype(times.dtype) if isinstance(times.dtype, pd.StringDtype) else out


def _shift_values(values: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shift each time by whole days in its own style.

    Text is read as :mod:`casuistry.timeaxis` reads it: a day number stays a
    day number; a date-time keeps everything after its date (clock time, UTC
    offset) as written. Returns the shifted values (None where a value is no
    time) and where the shift would leave the dates casuistry reads.
    """
    out = np.full(len(values), None, dtype=object)
    leaves = np.zeros(len(values), dtype=bool)
    is_text = np.fromiter((isinstance(v, str) for v in values), bool, len(values))
    for at in np.flatnonzero(~is_text):
        out[at] = _shift_object(values[at], int(days[at]))
    text = np.flatnonzero(is_text)
    if not len(text):
        return out, leaves
    stripped = pd.Series([values[at].strip() for at in text], dtype=object)
    ticks, codes = parse_time_codes(stripped)
    heads, head_codes = parse_time_codes(stripped.str.slice(0, _DATE_WIDTH))
    styles = np.asarray([*TIME_STYLES, None], dtype=object)
    for i, at in enumerate(text):
        style, shift = styles[codes[i]], int(days[at])
        if style == DAYS:
            day = int(ticks[i]) // SECONDS_PER_DAY + shift
            leaves[at] = abs(day) > _DAY_BOUND
            out[at] = None if leaves[at] else str(day)
        elif style is not None and styles[head_codes[i]] == DATE:
            moved = int(heads[i]) + shift * SECONDS_PER_DAY
            leaves[at] = not _DATE_BOUNDS[0] <= moved <= _DATE_BOUNDS[1]
            rest = stripped.iloc[i][_DATE_WIDTH:]
            out[at] = None if leaves[at] else format_time(moved, DATE) + rest
    return out, leaves


def _shift_object(value: object, days: int) -> object:
    """Shift one time that is not text (a date, a number); None when it is not a time."""
    if isinstance(value, dt.date):  # also datetime and pandas.Timestamp
        try:
            return value + dt.timedelta(days=days)
        except OverflowError:
            return None
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return value + days
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return value + days
    return None


def _refuse_rows(index: pd.Index, rows: np.ndarray, shift_days: int) -> None:
    if rows.any():
        raise AnonymiseError(
            f"cannot shift the time in {_rows_named(index, rows)} of the events by up to "
            f"{shift_days} days: the result would leave the times casuistry reads (dates from "
            f"{_FIRST_DATE} to {_LAST_DATE}); choose a smaller shift"
        )


def _rows_named(index: pd.Index, rows: np.ndarray) -> str:
    numbers = row_numbers(index)[rows]
    shown = ", ".join(str(n) for n in numbers[:10]) + (" ..." if len(numbers) > 10 else "")
    return f"{len(numbers)} row(s) (row {shown})"
