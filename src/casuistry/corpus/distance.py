"""The distance split over many signals: relational and decision days per group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casuistry.corpus._common import By, _keys, _require, _table


def distance_split(data, *, by: By = "case_id") -> pd.DataFrame:
    """The time signals spent in their silo, split into relational and decision days, per group.

    ``relational_days`` is the time no existing channel could have bridged;
    ``decision_days`` the time lost while a channel existed and was not
    used, which is also what all opportunities taken together would have
    saved (docs/case_format.md section 2).

    Parameters
    ----------
    data : casuistry.Analysis or pandas.DataFrame
        An Analysis (its ``signals`` table is used) or a table with the
        columns ``dwell_days``, ``relational_days``, ``decision_days``,
        ``censored`` and the ``by`` columns, for example
        ``stack(analyses, table="signals")``.
    by : str, sequence of str or None, keyword-only
        Column(s) to group by (``"case_id"``, ``"scenario"``, ``"silo"``);
        None for one row over all signals. Rows with a missing group value
        are left out.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by group. Columns: the ``by`` columns;
        ``signals`` and ``censored`` (counts); ``dwell_days``,
        ``relational_days``, ``decision_days`` (sums over the signals, in
        signal-days); ``decision_share`` (``decision_days / dwell_days``,
        missing when no time was spent); ``median_dwell_days``,
        ``median_relational_days``, ``median_decision_days`` (per signal).
        Censored signals count up to the horizon, so the figures are lower
        bounds of the time in a silo.

    Raises
    ------
    CasuistryError
        When ``data`` lacks ``dwell_days``, ``relational_days``,
        ``decision_days``, ``censored`` or a ``by`` column.

    Examples
    --------
    >>> import casuistry
    >>> from casuistry.corpus import distance_split
    >>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> row = distance_split(result).iloc[0]
    >>> bool(row["relational_days"] + row["decision_days"] == row["dwell_days"])
    True
    """
    frame = _table(data, "signals")
    keys = _keys(by)
    parts = ["dwell_days", "relational_days", "decision_days"]
    _require(frame, [*keys, *parts, "censored"], "distance_split", by=keys)
    work = frame[[*keys, *parts]].copy()
    work["censored"] = frame["censored"].astype(bool)
    grouped = work.groupby(keys, sort=True) if keys else work.groupby(np.zeros(len(work)))
    out = grouped.agg(
        signals=("dwell_days", "size"),
        censored=("censored", "sum"),
        dwell_days=("dwell_days", "sum"),
        relational_days=("relational_days", "sum"),
        decision_days=("decision_days", "sum"),
        median_dwell_days=("dwell_days", "median"),
        median_relational_days=("relational_days", "median"),
        median_decision_days=("decision_days", "median"),
    )
    out["censored"] = out["censored"].astype(np.int64)
    spent = out["dwell_days"].where(out["dwell_days"] > 0)
    out.insert(5, "decision_share", out["decision_days"] / spent)
    return out.reset_index(drop=not keys)
