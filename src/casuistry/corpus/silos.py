"""Silo pairs of many cases as a matrix: which silos take longest to meet."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from casuistry.corpus._common import _require, _table


def silo_pair_matrix(
    data,
    *,
    value: str = "delay_days",
    agg: str | Callable = "median",
    silos: Sequence[str] | None = None,
) -> pd.DataFrame:
    """A square table of silo pairs: one figure for every two silos that met in some case.

    With the defaults, the cell of silos X and Y holds the median, over the
    cases in which both had signals, of the days from the later of their
    first signals until some organisation knew a signal of each. The table
    is symmetric; the diagonal and pairs that never occur are missing.

    Parameters
    ----------
    data : casuistry.Analysis or pandas.DataFrame
        An Analysis (its ``silo_pairs`` table is used) or a table with the
        columns ``silo_a``, ``silo_b`` and ``value``, for example a part of
        ``stack(analyses, table="silo_pairs")``.
    value : str, keyword-only
        The column to aggregate: ``delay_days`` or ``censored`` (with
        ``agg="mean"``, the share of cases in which the pair had not met by
        the horizon).
    agg : str or callable, keyword-only
        A pandas aggregation (``"median"``, ``"mean"``, ``"max"``,
        ``"count"``, ...) or a function of a Series.
    silos : sequence of str, optional, keyword-only
        The silos on both axes, in this order; silos of the data that are
        not listed are left out, listed silos without data get an empty row
        and column. By default every silo of the data, sorted.

    Returns
    -------
    pandas.DataFrame
        Index ``silo_a`` and columns ``silo_b``, both holding the same
        silos; each cell the aggregate of ``value`` over the rows of that
        pair (in either order), as float; missing on the diagonal and for
        pairs without rows.

    Raises
    ------
    CasuistryError
        When a column is missing.

    Notes
    -----
    Censored pairs count with their delay up to the horizon, so a median
    over them is a lower bound. Show the censored share next to it
    (``value="censored", agg="mean"``).

    Examples
    --------
    >>> import pandas as pd
    >>> from casuistry.corpus import silo_pair_matrix
    >>> pairs = pd.DataFrame({"silo_a": ["politie", "politie"], "silo_b": ["zorg", "zorg"],
    ...                       "delay_days": [4.0, 10.0]})
    >>> silo_pair_matrix(pairs).loc["zorg", "politie"]
    np.float64(7.0)
    """
    pairs = _table(data, "silo_pairs")
    _require(pairs, ["silo_a", "silo_b", value], "silo_pair_matrix")
    forward = pairs[["silo_a", "silo_b", value]]
    backward = forward.rename(columns={"silo_a": "silo_b", "silo_b": "silo_a"})
    both = pd.concat([forward, backward[forward.columns]], ignore_index=True)
    values = both.groupby(["silo_a", "silo_b"])[value].agg(agg)
    order = sorted(set(both["silo_a"])) if silos is None else list(silos)
    matrix = values.unstack("silo_b").reindex(index=order, columns=order).astype(float)
    matrix.index.name = "silo_a"
    matrix.columns.name = "silo_b"
    return matrix
