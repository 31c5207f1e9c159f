"""What counts as a missing value in a table cell: one answer for the whole toolkit.

Tables mix pandas' markers of absence (None, NaN, NaT, pd.NA) with values
that pandas' own :func:`pandas.isna` would look inside (a tuple of recipients,
a list), so every module asks :func:`is_missing` instead of writing its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def is_missing(value: object) -> bool:
    """Whether a single table cell holds no value: None, NaN, NaT or pd.NA.

    Text (also empty text), tuples, lists and every other value count as
    present.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), pd.NaT, pd.NA, np.float64("nan"))]
    [True, True, True, True, True]
    >>> [is_missing(v) for v in ("", "x", (), 0, False, pd.Timestamp("2024-01-01"))]
    [False, False, False, False, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False
