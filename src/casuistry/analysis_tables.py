"""The tables of an Analysis, built once from the columns the engines' figures make.

:func:`casuistry.analyse` collects one tuple per signal, opportunity, silo
pair, case, episode and knowledge entry (layouts in :mod:`casuistry.metrics`)
from the reference engine, made into one array per field by
:meth:`TableBuilder.columns`, and the same columns straight from the
compiled kernel (:mod:`casuistry.kernel_tables`); :func:`merge_columns`
joins both in case order. Each table is made column by column with numpy, times
in each case's own style (Timestamps for calendar cases, float days for
day-number cases). The columns are declared in :mod:`casuistry.schemas`.
"""

from __future__ import annotations

from operator import itemgetter

import numpy as np
import pandas as pd

from casuistry.timeaxis import DAYS
from casuistry.vocabulary import (
    ACTOR,
    BASIS,
    CASE_ID,
    CATEGORY,
    EVENT_ID,
    KIND,
    REASON,
    SECONDS_PER_DAY,
    SEVERITY,
    SOURCE,
    TICKS,
    TO,
)

_DTYPES = {"int": np.int64, "float": np.float64, "bool": bool}


def non_empty(events: pd.DataFrame, column: str) -> np.ndarray:
    if column not in events:
        return np.zeros(len(events), dtype=bool)
    values = events[column]
    return (values.notna() & (values.astype("string").str.strip() != "")).to_numpy(
        dtype=bool, na_value=False
    )


def _names(values) -> pd.api.extensions.ExtensionArray:
    """Names of silos or actors as text (``str``), also when there are none: the
    kernel gives them as text arrays, the reference engine as Python strings."""
    return pd.array(values, dtype="str")


def merge_columns(parts: list[dict]) -> dict:
    """Columns of the same table from several sources, as one, in case order.

    Each part holds the rows of whole cases, each case's rows in table
    order; the result is ordered by ``case`` (a stable sort, so the rows of
    a case keep their order). Nullable fields (``boolean``, ``Int64``) that
    one part holds as a pandas masked array are made so in every part.

    Examples
    --------
    >>> merged = merge_columns([{"case": np.array([1, 1]), "x": np.array([10, 11])},
    ...                         {"case": np.array([0, 2]), "x": np.array([5, 20])}])
    >>> merged["case"].tolist(), merged["x"].tolist()
    ([0, 1, 1, 2], [5, 10, 11, 20])
    """
    parts = [part for part in parts if len(part["case"])] or parts[:1]
    if len(parts) == 1:
        return parts[0]
    order = np.argsort(np.concatenate([part["case"] for part in parts]), kind="stable")
    out = {}
    for name in parts[0]:
        values = [part[name] for part in parts]
        masked = next((v for v in values if isinstance(v, pd.api.extensions.ExtensionArray)), None)
        if masked is None:
            out[name] = np.concatenate(values)[order]
        else:
            same = [pd.array(v, dtype=masked.dtype) for v in values]
            out[name] = type(masked)._concat_same_type(same)[order]
    return out


class TableBuilder:
    """Builds the analysis tables from rows, taking event columns by position."""

    def __init__(self, events: pd.DataFrame, case_ids: pd.Index, styles: np.ndarray):
        self.events = events
        self.case_ids = case_ids
        self.styles = styles
        self.calendar = styles != DAYS
        self.ticks = events[TICKS].to_numpy(dtype=np.int64)

    @staticmethod
    def columns(rows: list[tuple], layout: dict[str, str]) -> dict[str, np.ndarray]:
        """Rows of tuples as one array per field, typed as the layout says."""
        out = {}
        for k, (name, kind) in enumerate(layout.items()):
            values = list(map(itemgetter(k), rows))
            if kind == "object":
                array = np.empty(len(values), dtype=object)
                array[:] = values
            else:
                array = np.array(values, dtype=_DTYPES[kind])
            out[name] = array
        return out

    def _take(self, name: str, positions: np.ndarray) -> pd.Series:
        """An events column at the given positions; missing where a position is -1."""
        if name not in self.events:
            return pd.Series([None] * len(positions), dtype=object)
        # One pass that fills the missing ones (pyarrow's take with null indices
        # for text), not a take and then a second copy of every cell to mask.
        return pd.Series(
            pd.api.extensions.take(self.events[name].array, positions, allow_fill=True)
        )

    def _times(self, seconds: np.ndarray, case: np.ndarray, missing=None):
        """Ticks as Timestamps or float days, each in its case's style (NaT/NaN where missing)."""
        calendar = self.calendar[case]
        if missing is None:
            missing = np.zeros(len(seconds), dtype=bool)
        if calendar.all():
            stamps = seconds.astype("datetime64[s]")
            stamps[missing] = np.datetime64("NaT")
            return stamps
        days = seconds / SECONDS_PER_DAY
        days[missing] = np.nan
        if not calendar.any():
            return days
        out = days.astype(object)
        stamps = seconds[calendar].astype("datetime64[s]")
        stamps[missing[calendar]] = np.datetime64("NaT")
        # Making Timestamps is slow and times repeat: make each distinct one once.
        distinct, where = np.unique(stamps, return_inverse=True)
        out[calendar] = pd.Series(distinct).astype(object).to_numpy()[where]
        return pd.Series(out, dtype=object)  # stays object: no inference from the values

    def _times_at(self, positions: np.ndarray, case: np.ndarray):
        """The times of the events at ``positions`` (missing where -1)."""
        return self._times(self.ticks[np.maximum(positions, 0)], case, positions < 0)

    def signals(self, col: dict) -> pd.DataFrame:
        """The table from its columns: :meth:`columns` of rows laid out as
        :data:`casuistry.metrics.SIGNAL_ROW`, or the kernel's."""
        case, where = col["case"], col["signal_row"]
        return pd.DataFrame(
            {
                CASE_ID: self._take(CASE_ID, where),
                "signal_id": self._take(EVENT_ID, where),
                "actor": self._take(ACTOR, where),
                "silo": _names(col["silo"]),
                CATEGORY: self._take(CATEGORY, where),
                SEVERITY: self._take(SEVERITY, where),
                "observed_at": self._times_at(where, case),
                "converged_at": self._times_at(col["converged_row"], case),
                "converged_by": self._take(EVENT_ID, col["converged_row"]),
                "censored": col["censored"],
                "dwell_days": col["dwell_days"],
                "relational_days": col["relational_days"],
                "decision_days": col["decision_days"],
                "acted_at": self._times_at(col["acted_row"], case),
                "acted_by": self._take(EVENT_ID, col["acted_row"]),
                "acting_days": col["acting_days"],
                "acting_censored": col["acting_censored"],
                SOURCE: self._take(SOURCE, where),
                "reached_decision_at": self._times_at(col["reached_row"], case),
                "reach_days": col["reach_days"],
                "reach_censored": pd.array(col["reach_censored"], dtype="boolean"),
            },
            copy=False,
        )

    def opportunities(self, col: dict) -> pd.DataFrame:
        """The table from its columns: :meth:`columns` of rows laid out as
        :data:`casuistry.metrics.OPPORTUNITY_ROW`, or the kernel's."""
        case, where = col["case"], col["row"]
        return pd.DataFrame(
            {
                CASE_ID: self._take(CASE_ID, where),
                EVENT_ID: self._take(EVENT_ID, where),
                KIND: self._take(KIND, where),
                "time": self._times_at(where, case),
                ACTOR: self._take(ACTOR, where),
                TO: self._take(TO, where),
                REASON: self._take(REASON, where),
                BASIS: self._take(BASIS, where),
                SOURCE: self._take(SOURCE, where),
                "gain_signal_days": col["gain_signal_days"],
                "max_gain_days": col["max_gain_days"],
                "signals_advanced": col["signals_advanced"],
                "advanced_signals": col["advanced_signals"],
                "missed": col["missed"],
                "reach_gain_signal_days": col["reach_gain_signal_days"],
            },
            copy=False,
        )

    def silo_pairs(self, col: dict) -> pd.DataFrame:
        """The table from its columns: :meth:`columns` of rows laid out as
        :data:`casuistry.metrics.SILO_PAIR_ROW`, or the kernel's."""
        case = col["case"]
        return pd.DataFrame(
            {
                CASE_ID: self.case_ids[case],
                "silo_a": _names(col["silo_a"]),
                "silo_b": _names(col["silo_b"]),
                "converged_at": self._times_at(col["converged_row"], case),
                "censored": col["censored"],
                "delay_days": col["delay_days"],
            },
            copy=False,
        )

    def cases(self, col: dict, counts: dict[str, np.ndarray]) -> pd.DataFrame:
        """The table from its columns (as :data:`casuistry.metrics.CASE_ROW`) and the
        accountability counts."""
        case = col["case"]
        out = {
            CASE_ID: self.case_ids[case],
            "time_style": self.styles[case],
            "horizon": self._times(col["horizon"], case),
            "horizon_event": self._take(EVENT_ID, col["horizon_row"]),
            "first_convergence_at": self._times_at(col["first_convergence_row"], case),
            "knowing_acting_days": col["knowing_acting_days"],
            "knowing_acting_censored": pd.array(col["knowing_acting_censored"], dtype="boolean"),
        }
        for name in ("events", "signals", "converged", "censored", "missed_opportunities"):
            out[name] = col[name]
        for name, values in counts.items():
            out[name] = values[case]
        out["signals_reached"] = pd.array(col["signals_reached"], dtype="Int64")
        out["full_picture_at"] = self._times_at(col["full_picture_row"], case)
        out["full_picture_days"] = col["full_picture_days"]
        out["full_picture_censored"] = pd.array(col["full_picture_censored"], dtype="boolean")
        return pd.DataFrame(out, copy=False)

    def episodes(self, col: dict) -> pd.DataFrame:
        """The episodes table from its columns (:func:`casuistry.episodes.case_episodes`)."""
        case = col["case"]
        return pd.DataFrame(
            {
                CASE_ID: self.case_ids.take(case).astype(str).to_numpy(dtype=object),
                "episode_id": col["episode_id"],
                "assessment": col["assessment"],
                "title": col["title"],
                "events": col["events"],
                "start": self._times_at(col["first"], case),
                "end": self._times_at(col["last"], case),
                "known_signals": col["known_signals"],
                "signals_elsewhere": col["signals_elsewhere"],
                "missed": col["missed"],
                "gain_signal_days": col["gain_signal_days"],
            },
            copy=False,
        )

    def knowledge(self, col: dict) -> pd.DataFrame:
        """The table from its columns: :meth:`columns` of rows laid out as
        :data:`casuistry.metrics.KNOWLEDGE_ROW`, or the kernel's."""
        case, via = col["case"], col["via_row"]
        return pd.DataFrame(
            {
                CASE_ID: self._take(CASE_ID, via),
                ACTOR: _names(col["actor"]),
                "signal_id": self._take(EVENT_ID, col["signal_row"]),
                "known_from": self._times_at(via, case),
                "via": self._take(EVENT_ID, via),
            },
            copy=False,
        )
