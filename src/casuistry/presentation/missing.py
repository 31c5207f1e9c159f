"""How a missing value is recognised and shown: a dash or nothing, never ``nan``.

Examples
--------
>>> import pandas as pd
>>> missing(None), missing(float("nan")), missing(pd.NaT), missing(pd.NA), missing("x")
(True, True, True, True, False)
>>> shown(float("nan")), shown(float("nan"), dash=True), shown("avg-6.1.c")
('', '—', 'avg-6.1.c')
"""

from __future__ import annotations

import pandas as pd

#: What a table or tooltip shows where a value is missing but a value is expected.
DASH = "—"


def missing(value: object) -> bool:
    """Whether a table cell holds no value (None, NaN, NaT, pd.NA).

    A list or tuple (a ``to`` or ``signals`` cell) is never missing, even when empty.
    """
    if value is None:
        return True
    if isinstance(value, (tuple, list)):
        return False
    return bool(pd.isna(value))


def shown(value: object, *, dash: bool = False) -> str:
    """A cell as text: the value, or for a missing value :data:`DASH` or an empty string.

    Parameters
    ----------
    value : object
        The cell.
    dash : bool, keyword-only
        Show a missing value as :data:`DASH` instead of nothing.
    """
    if missing(value):
        return DASH if dash else ""
    return str(value)
