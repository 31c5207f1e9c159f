"""Helpers every corpus function shares: the table of the data, group keys, checks."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pandas as pd

from casuistry.errors import CasuistryError

#: Column(s) to group by: one name, several, or None for all rows at once.
By = str | Sequence[str] | None


def _table(data, name: str) -> pd.DataFrame:
    """The table ``name`` of an Analysis, or the DataFrame itself."""
    from casuistry.analysis import Analysis

    if isinstance(data, Analysis):
        return getattr(data, name)
    if isinstance(data, pd.DataFrame):
        return data
    raise CasuistryError(
        f"expected a casuistry.Analysis or a pandas DataFrame, not a {type(data).__name__}; "
        "make an Analysis with casuistry.analyse(casebook)"
    )


def _keys(by: By) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _require(
    frame: pd.DataFrame, columns: Sequence[str], where: str, *, by: Sequence[str] = ()
) -> None:
    """Refuse a table without ``columns``; when a group column ``by`` is missing, say
    how to group otherwise (the default ``by`` of some functions needs a stacked table)."""
    missing = [c for c in dict.fromkeys(columns) if c not in frame.columns]
    if missing:
        grouping = ""
        if set(missing) & set(by):
            grouping = (
                "; group by some of them (by=...), or all rows at once (by=None); "
                "corpus.stack adds a column naming each corpus"
            )
        raise CasuistryError(
            f"{where}: the table has no column {', '.join(map(repr, missing))}; "
            f"its columns are {', '.join(map(str, frame.columns))}{grouping}"
        )


def _groups(frame: pd.DataFrame, keys: list[str]):
    """(group values as a tuple, rows) in sorted order; one group of all rows without keys."""
    if not keys:
        return [((), frame)] if len(frame) else []
    return [
        (group if isinstance(group, tuple) else (group,), rows)
        for group, rows in frame.groupby(keys, sort=True)
    ]


def _analysis(key: Hashable, value):
    """``value`` when it is an Analysis; else an error that names ``key`` and how to make one."""
    from casuistry.analysis import Analysis

    if not isinstance(value, Analysis):
        raise CasuistryError(
            f"{key!r} holds a {type(value).__name__}, not an Analysis; "
            "make one with casuistry.analyse(casebook)"
        )
    return value
