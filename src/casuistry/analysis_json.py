"""The JSON document of an Analysis (docs/case_format.md sections 3 and 5.5).

Whole columns are converted at once (times in each case's style by
:func:`casuistry.timeaxis.format_times`), then grouped by case; the per-case
document is assembled in :func:`analysis_to_dict`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casuistry.missing import is_missing
from casuistry.robustness import VARIANTS
from casuistry.timeaxis import DAYS, EPOCH, format_time, format_times
from casuistry.vocabulary import (
    CASE_ID,
    SECONDS_PER_DAY,
)

_ACCOUNTABILITY = ("shares", "shares_with_basis", "withholds", "withholds_with_reason")
# (key, column, kind): kind "time" is formatted in the case's style,
# "list" turns a tuple into a list, "num"/"bool"/"int"/"text" cast to plain Python.
_SIGNAL_JSON = (
    ("signal_id", "signal_id", "text"),
    ("actor", "actor", "text"),
    ("silo", "silo", "text"),
    ("category", "category", "text"),
    ("observed_at", "observed_at", "time"),
    ("converged_at", "converged_at", "time"),
    ("censored", "censored", "bool"),
    ("dwell_days", "dwell_days", "num"),
    ("relational_days", "relational_days", "num"),
    ("decision_days", "decision_days", "num"),
    ("acted_at", "acted_at", "time"),
    ("acting_days", "acting_days", "num"),
    ("acting_censored", "acting_censored", "bool"),
    ("reached_decision_at", "reached_decision_at", "time"),
    ("reach_days", "reach_days", "num"),
    ("reach_censored", "reach_censored", "bool"),
)
_OPPORTUNITY_JSON = (
    ("event_id", "event_id", "text"),
    ("kind", "kind", "text"),
    ("time", "time", "time"),
    ("actor", "actor", "text"),
    ("to", "to", "list"),
    ("gain_signal_days", "gain_signal_days", "num"),
    ("max_gain_days", "max_gain_days", "num"),
    ("signals_advanced", "signals_advanced", "int"),
    ("reach_gain_signal_days", "reach_gain_signal_days", "num"),
)
# (column, key, kind) of the reach figures of a case, written after its other keys
_CASE_REACH_JSON = (
    ("signals_reached", "signals_reached", "int"),
    ("full_picture_at", "full_picture_at", "time"),
    ("full_picture_days", "full_picture_days", "num"),
    ("full_picture_censored", "full_picture_censored", "bool"),
)
_EPISODE_JSON = (
    ("episode_id", "episode_id", "text"),
    ("assessment", "assessment", "text"),
    ("start", "start", "time"),
    ("end", "end", "time"),
    ("known_signals", "known_signals", "list"),
    ("signals_elsewhere", "signals_elsewhere", "list"),
    ("missed", "missed", "list"),
    ("gain_signal_days", "gain_signal_days", "num"),
)
_PAIR_JSON = (
    ("silo_a", "silo_a", "text"),
    ("silo_b", "silo_b", "text"),
    ("converged_at", "converged_at", "time"),
    ("censored", "censored", "bool"),
    ("delay_days", "delay_days", "num"),
)


def _records_by_case(
    frame: pd.DataFrame, spec: tuple, styles: dict, *, robust: bool = False
) -> dict[str, list[dict]]:
    """Rows of ``frame`` as JSON-ready dicts, grouped by case in frame order.

    Each column is converted whole (times by :func:`_json_times`), not cell
    by cell: a corpus has millions of cells. With ``robust`` each dict ends
    with ``robust``, the verdict per variant.
    """
    case_ids = frame[CASE_ID].tolist()
    row_styles = np.array([styles[case_id] for case_id in case_ids], dtype=object)
    keys = [key for key, _, _ in spec]
    columns = [_json_column(frame[column], how, row_styles) for _, column, how in spec]
    if robust:
        keys.append("robust")
        columns.append(_json_robust(frame, "robust_"))
    out: dict[str, list[dict]] = {}
    for case_id, *values in zip(case_ids, *columns, strict=True):
        out.setdefault(case_id, []).append(dict(zip(keys, values, strict=True)))
    return out


_CASTS = {"num": float, "int": int, "bool": bool, "text": str}


def _json_robust(frame: pd.DataFrame, prefix: str) -> list[dict]:
    """Per row ``{"without_uncertain": VERDICT, "certain_only": VERDICT}``."""
    columns = [frame[prefix + variant].tolist() for variant in VARIANTS]
    return [dict(zip(VARIANTS, verdicts, strict=True)) for verdicts in zip(*columns, strict=True)]


def _json_column(column: pd.Series, how: str, styles: np.ndarray) -> list:
    """A table column as JSON values: ``how`` as in the specs above, None where missing."""
    if how == "time":
        return _json_times(column, styles)
    if how == "list":
        return [None if value is None else list(value) for value in column.tolist()]
    cast = _CASTS[how]
    missing = column.isna().to_numpy(dtype=bool)
    if missing.any():
        values = column.tolist()
        return [None if gone else cast(value) for value, gone in zip(values, missing, strict=True)]
    return list(map(cast, column.tolist()))


def _json_times(column: pd.Series, styles: np.ndarray) -> list:
    """A time column written as :func:`table_time` writes each value, all at once."""
    values = column.to_numpy()
    days = styles == DAYS
    ticks = np.zeros(len(values), dtype=np.int64)
    missing = np.ones(len(values), dtype=bool)
    if (~days).any():
        stamps = pd.to_datetime(pd.Series(values[~days])).to_numpy(dtype="datetime64[s]")
        missing[~days] = np.isnat(stamps)
        ticks[~days] = np.where(missing[~days], 0, stamps.view(np.int64))
    if days.any():
        numbers = pd.to_numeric(pd.Series(values[days])).to_numpy(dtype=float, na_value=np.nan)
        missing[days] = np.isnan(numbers)
        ticks[days] = np.round(np.where(missing[days], 0.0, numbers) * SECONDS_PER_DAY)
    return format_times(ticks, styles, missing)


def table_time(value, style: str) -> str | int | float | None:
    """A time value of an analysis table written in its case's style.

    Calendar times become ISO text, day-number times a number of days (an
    int when whole); missing times (NaT, NaN, None) become None.

    Examples
    --------
    >>> table_time(pd.Timestamp("2024-03-01"), "date")
    '2024-03-01'
    >>> table_time(3.0, "days")
    3
    >>> table_time(float("nan"), "days") is None
    True
    """
    if is_missing(value):
        return None
    if style == DAYS:
        return format_time(round(float(value) * SECONDS_PER_DAY), style)
    return format_time((pd.Timestamp(value) - EPOCH) // pd.Timedelta(seconds=1), style)


def analysis_to_dict(analysis) -> dict:
    """The document of docs/case_format.md section 3 of an Analysis, as plain Python objects."""
    styles = dict(zip(analysis.cases[CASE_ID], analysis.cases["time_style"], strict=True))
    signals = _records_by_case(analysis.signals, _SIGNAL_JSON, styles, robust=True)
    missed = analysis.opportunities[analysis.opportunities["missed"]]
    opportunities = _records_by_case(missed, _OPPORTUNITY_JSON, styles, robust=True)
    pairs = _records_by_case(analysis.silo_pairs, _PAIR_JSON, styles, robust=True)
    case_styles = analysis.cases["time_style"].to_numpy(dtype=object)
    horizons = _json_times(analysis.cases["horizon"], case_styles)
    convergences = _json_times(analysis.cases["first_convergence_at"], case_styles)
    reach = zip(
        *(_json_column(analysis.cases[c], how, case_styles) for c, _, how in _CASE_REACH_JSON),
        strict=True,
    )
    robust = _json_robust(analysis.cases, "knowing_acting_robust_")
    episodes = _records_by_case(analysis.episodes, _EPISODE_JSON, styles)
    columns = zip(
        analysis.cases[CASE_ID].tolist(),
        horizons,
        convergences,
        analysis.cases["knowing_acting_days"].tolist(),
        analysis.cases["knowing_acting_censored"].tolist(),
        reach,
        robust,
        *(analysis.cases[key].tolist() for key in _ACCOUNTABILITY),
        strict=True,
    )
    out = []
    for case_id, horizon, convergence, days, censored, reached, verdicts, *counts in columns:
        converged = convergence is not None
        out.append(
            {
                "case_id": case_id,
                "horizon": horizon,
                "first_convergence_at": convergence,
                "knowing_acting_days": float(days) if converged else None,
                "knowing_acting_censored": bool(censored) if converged else None,
                "signals": signals.get(case_id, []),
                "opportunities": opportunities.get(case_id, []),
                "silo_pairs": pairs.get(case_id, []),
                "accountability": {
                    key: int(n) for key, n in zip(_ACCOUNTABILITY, counts, strict=True)
                },
                **{
                    key: value for (_, key, _), value in zip(_CASE_REACH_JSON, reached, strict=True)
                },
                "knowing_acting_robust": verdicts,
                "episodes": episodes.get(case_id, []),
            }
        )
    return {"cases": out}
