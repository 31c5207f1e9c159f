"""Kaplan-Meier curves of durations that may be censored: dwell, acting, delay, reach."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from casuistry.corpus._common import By, _groups, _keys, _require, _table
from casuistry.errors import CasuistryError


def survival_curves(
    data,
    *,
    by: By = "silo",
    duration: str = "dwell_days",
    censored: str = "censored",
    confidence: float = 0.95,
    method: str = "log-log",
) -> pd.DataFrame:
    """Kaplan-Meier curves of a duration that may be censored, per group.

    With the defaults: for each silo, the share of its signals still within
    that silo (not yet converged with a signal of another silo) after a
    number of days. A censored signal (not converged by the horizon) counts
    as "still in its silo" up to its horizon and leaves the count after it,
    without pretending it converged. The estimate and its pointwise
    confidence interval come from :func:`scipy.stats.ecdf` on
    :meth:`scipy.stats.CensoredData.right_censored` data.

    Parameters
    ----------
    data : casuistry.Analysis or pandas.DataFrame
        An Analysis (its ``signals`` table is used) or a table with the
        columns named by ``by``, ``duration`` and ``censored``, for example
        ``stack(analyses, table="signals")``.
    by : str, sequence of str or None, keyword-only
        Column(s) whose values make the groups; None for one curve over all
        rows. Rows with a missing group value are left out.
    duration : str, keyword-only
        Column of durations in days (``dwell_days``, ``acting_days``,
        ``delay_days``).
    censored : str, keyword-only
        Column of the censoring flags that go with ``duration``
        (``censored``, ``acting_censored``).
    confidence : float, keyword-only
        Confidence level of the interval, between 0 and 1.
    method : {"log-log", "linear"}, keyword-only
        How scipy computes the interval: ``"log-log"`` (exponential
        Greenwood, stays within 0 and 1) or ``"linear"`` (plain Greenwood).

    Returns
    -------
    pandas.DataFrame
        One row per group and distinct duration, sorted by group and
        ``days``. Columns: the ``by`` columns; ``days`` (a duration that
        occurs in the group); ``at_risk`` (rows with a duration of at least
        ``days``); ``observed`` (rows that ended at ``days``, not censored);
        ``censored`` (rows censored at ``days``); ``survival`` (the estimate
        of the share whose duration exceeds ``days``: the curve just after
        ``days``; it is 1 before the first row); ``lower``, ``upper`` (the
        confidence interval; 1 and 1 while ``survival`` is 1, missing where
        the formula is undefined, at a survival of 0).

    Raises
    ------
    CasuistryError
        When a column is missing, or a duration is missing or negative.

    Notes
    -----
    Draw a curve as steps that start at ``(0, 1)``:
    ``ax.step([0, *curve["days"]], [1, *curve["survival"]], where="post")``.
    Reviewed cases are not a random sample of all cases, so a curve
    describes the cases at hand, not a population.

    Examples
    --------
    >>> import pandas as pd
    >>> from casuistry.corpus import survival_curves
    >>> signals = pd.DataFrame({"dwell_days": [2.0, 4.0, 4.0, 6.0],
    ...                         "censored": [False, True, False, False]})
    >>> survival_curves(signals, by=None)[["days", "at_risk", "survival"]].values.tolist()
    [[2.0, 4.0, 0.75], [4.0, 3.0, 0.5], [6.0, 1.0, 0.0]]
    """
    from scipy import stats  # heavy; only here

    frame = _table(data, "signals")
    keys = _keys(by)
    _require(frame, [*keys, duration, censored], "survival_curves", by=keys)
    if not 0 < confidence < 1:
        raise CasuistryError(f"confidence={confidence!r}: give a level between 0 and 1")
    days = pd.to_numeric(frame[duration], errors="coerce").to_numpy(dtype=float)
    if np.isnan(days).any() or (days < 0).any():
        raise CasuistryError(
            f"column {duration!r} holds missing or negative durations; "
            "every duration must be a number of days, 0 or more"
        )
    flags = frame[censored]
    if flags.isna().any():
        raise CasuistryError(f"column {censored!r} holds missing flags; give true or false")
    work = pd.DataFrame({"_days": days, "_censored": flags.to_numpy(dtype=bool)}, index=frame.index)
    for key in keys:
        work[key] = frame[key]
    pieces = []
    for group, rows in _groups(work, keys):
        curve = _kaplan_meier(
            rows["_days"].to_numpy(), rows["_censored"].to_numpy(), stats, confidence, method
        )
        for position, (key, value) in enumerate(zip(keys, group, strict=True)):
            curve.insert(position, key, value)
        pieces.append(curve)
    columns = [*keys, "days", "at_risk", "observed", "censored", "survival", "lower", "upper"]
    if not pieces:
        return pd.DataFrame(columns=columns)
    return pd.concat(pieces, ignore_index=True)[columns]


def _kaplan_meier(
    days: np.ndarray, censored: np.ndarray, stats, confidence: float, method: str
) -> pd.DataFrame:
    """One group's curve: counts by hand, estimate and interval from scipy."""
    sample = stats.CensoredData.right_censored(days, censored)
    sf = stats.ecdf(sample).sf
    with warnings.catch_warnings():
        # scipy warns where the interval is undefined (survival 0); we report NaN there.
        warnings.filterwarnings("ignore", "The confidence interval is undefined", RuntimeWarning)
        interval = sf.confidence_interval(confidence, method=method)
    times = np.unique(days)
    ordered = np.sort(days)
    at_risk = len(days) - np.searchsorted(ordered, times, side="left")
    observed = _count_at(days[~censored], times)
    n_censored = _count_at(days[censored], times)
    survival = sf.evaluate(times)
    lower = interval.low.evaluate(times)
    upper = interval.high.evaluate(times)
    certain = survival == 1.0  # nothing has ended yet: the interval has no width
    lower[certain] = 1.0
    upper[certain] = 1.0
    return pd.DataFrame(
        {
            "days": times,
            "at_risk": at_risk.astype(np.int64),
            "observed": observed,
            "censored": n_censored,
            "survival": survival,
            "lower": lower,
            "upper": upper,
        }
    )


def _count_at(values: np.ndarray, times: np.ndarray) -> np.ndarray:
    """How many of ``values`` equal each of the sorted ``times``."""
    ordered = np.sort(values)
    return (
        np.searchsorted(ordered, times, side="right") - np.searchsorted(ordered, times, side="left")
    ).astype(np.int64)


def reach_curves(data, *, by: By = "silo", confidence: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier curves of the time until a signal reached an actor that decides.

    For each group, the share of its signals that no actor that decides knew
    yet, after a number of days from the observation (section 5.3 of the
    case format: ``reach_days``, censored at the horizon when never reached,
    ``reach_censored`` true). Signals of cases without a deciding actor have
    no reach and are left out.

    Parameters
    ----------
    data : casuistry.Analysis or pandas.DataFrame
        An Analysis (its ``signals`` table) or a signals table with the
        ``by`` columns, ``reach_days`` and ``reach_censored``, for example
        ``stack(analyses, table="signals")``.
    by : str, sequence of str or None, keyword-only
        Column(s) whose values make the groups; None for one curve.
    confidence : float, keyword-only
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`survival_curves`: the ``by`` columns, ``days``,
        ``at_risk``, ``observed`` (signals that reached a decider at
        ``days``), ``censored``, ``survival`` (the share not yet reached),
        ``lower``, ``upper``.

    Examples
    --------
    >>> import pandas as pd
    >>> signals = pd.DataFrame({"reach_days": [0.0, 10.0, 30.0, None],
    ...                         "reach_censored": [False, True, False, None]})
    >>> curve = reach_curves(signals, by=None)
    >>> curve[["days", "at_risk"]].values.tolist(), curve["survival"].round(3).tolist()
    ([[0.0, 3.0], [10.0, 2.0], [30.0, 1.0]], [0.667, 0.667, 0.0])
    """
    frame = _table(data, "signals")
    _require(frame, [*_keys(by), "reach_days", "reach_censored"], "reach_curves", by=_keys(by))
    reached = frame[frame["reach_days"].notna()]
    return survival_curves(
        reached, by=by, duration="reach_days", censored="reach_censored", confidence=confidence
    )
