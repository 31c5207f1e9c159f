"""The seven tables of an :class:`~casuistry.analysis.Analysis`, declared as pandera models.

One model per table says which columns it has, in which order, of which
type, and what their values may be. The prose of each column lives in the
:class:`~casuistry.analysis.Analysis` docstring; a test checks that it lists
exactly these columns in this order, so the documentation and the tables
cannot drift apart. The models are checked in the tests, never while
analysing: validation would cost more than the analysis of a large corpus.

Types follow what pandas gives, honestly:

- text columns hold ``str`` (dtype ``str``, ``string`` or ``object``,
  depending on the input file and the pandas version) or a missing value;
- time columns hold Timestamps for a corpus of calendar cases, float days
  for a corpus of day-number cases, and objects (either, per row in its own
  case's style) when a corpus mixes both (see docs/choices.md);
- ``to`` and ``advanced_signals`` hold tuples of ``str``;
- ``severity`` is nullable Int64, or all None (``object``) when the input
  has no severity column.

Examples
--------
>>> import casuistry
>>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
>>> checked = validate_analysis(result)
>>> list(SCHEMAS)
['signals', 'opportunities', 'silo_pairs', 'cases', 'knowledge', 'robustness', 'episodes']
>>> columns(SignalsSchema)[:3]
['case_id', 'signal_id', 'actor']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from casuistry.kinds import KINDS, Opportunity
from casuistry.missing import is_missing
from casuistry.robustness import CHANGES, GONE, HOLDS, VARIANTS
from casuistry.timeaxis import TIME_STYLES

VERDICTS = [HOLDS, CHANGES, GONE]


def _text(series: pd.Series) -> bool:
    return all(isinstance(v, str) or is_missing(v) for v in series.tolist())


def _times(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_dtype(series.dtype) or series.dtype == np.float64:
        return True
    if series.dtype != object:
        return False
    return all(isinstance(v, pd.Timestamp | float) or is_missing(v) for v in series.tolist())


def _names(series: pd.Series) -> bool:
    return all(isinstance(v, tuple) and all(isinstance(n, str) for n in v) for v in series)


def _values_are(test, *columns: str):
    """A pandera check of ``columns`` by ``test`` (:func:`_text`, :func:`_times`
    or :func:`_names`), reported under the test's name; assign it in a model."""

    def check(cls, series: pd.Series) -> bool:
        return test(series)

    check.__name__ = test.__name__
    return pa.check(*columns)(check)


class _Table(pa.DataFrameModel):
    """Shared by the five models: exactly these columns, in this order."""

    case_id: Series[Any]

    class Config:
        strict = True
        ordered = True

    _case_id_is_text = _values_are(_text, "case_id")


class SignalsSchema(_Table):
    """:attr:`Analysis.signals`: one row per signal observed by the horizon."""

    signal_id: Series[Any]
    actor: Series[Any]
    silo: Series[Any]
    category: Series[Any]
    severity: Series[Any] = pa.Field(nullable=True)
    observed_at: Series[Any]
    converged_at: Series[Any] = pa.Field(nullable=True)
    converged_by: Series[Any] = pa.Field(nullable=True)
    censored: Series[bool]
    dwell_days: Series[float] = pa.Field(ge=0)
    relational_days: Series[float] = pa.Field(ge=0)
    decision_days: Series[float] = pa.Field(ge=0)
    acted_at: Series[Any] = pa.Field(nullable=True)
    acted_by: Series[Any] = pa.Field(nullable=True)
    acting_days: Series[float] = pa.Field(ge=0)
    acting_censored: Series[bool]
    source: Series[Any] = pa.Field(nullable=True)
    reached_decision_at: Series[Any] = pa.Field(nullable=True)
    reach_days: Series[float] = pa.Field(nullable=True, ge=0)
    reach_censored: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    robust_without_uncertain: Series[Any] = pa.Field(isin=VERDICTS)
    robust_certain_only: Series[Any] = pa.Field(isin=VERDICTS)

    _text_columns = _values_are(
        _text, "signal_id", "actor", "silo", "category", "converged_by", "acted_by", "source"
    )

    @pa.check("severity")
    def _severity_from_1_to_5(cls, series: pd.Series) -> bool:
        # Int64 when the input has the column, all None (object) when it has not
        return all(is_missing(v) or v in range(1, 6) for v in series.tolist())

    _time_columns = _values_are(
        _times, "observed_at", "converged_at", "acted_at", "reached_decision_at"
    )

    @pa.dataframe_check
    def _censored_exactly_without_convergence(cls, df: pd.DataFrame) -> bool:
        return bool((df["censored"] == df["converged_at"].isna()).all())

    @pa.dataframe_check
    def _reach_figures_together(cls, df: pd.DataFrame) -> bool:
        # reach_days and reach_censored are null exactly without deciders;
        # reached_decision_at is null when censored too
        known = df["reach_censored"].notna().to_numpy()
        reached = df["reached_decision_at"].notna().to_numpy()
        censored = df["reach_censored"].fillna(True).to_numpy(dtype=bool)
        return bool(
            (df["reach_days"].notna().to_numpy() == known).all()
            and (reached == (known & ~censored)).all()
        )


class OpportunitiesSchema(_Table):
    """:attr:`Analysis.opportunities`: one row per opportunity up to the horizon."""

    event_id: Series[Any]
    kind: Series[Any] = pa.Field(
        isin=sorted(k.code for k in KINDS if k.opportunity is not Opportunity.NEVER)
    )
    time: Series[Any]
    actor: Series[Any]
    to: Series[Any]
    reason: Series[Any] = pa.Field(nullable=True)
    basis: Series[Any] = pa.Field(nullable=True)
    source: Series[Any] = pa.Field(nullable=True)
    gain_signal_days: Series[float] = pa.Field(ge=0)
    max_gain_days: Series[float] = pa.Field(ge=0)
    signals_advanced: Series[int] = pa.Field(ge=0)
    advanced_signals: Series[Any]
    missed: Series[bool]
    reach_gain_signal_days: Series[float] = pa.Field(nullable=True, ge=0)
    robust_without_uncertain: Series[Any] = pa.Field(nullable=True, isin=VERDICTS)
    robust_certain_only: Series[Any] = pa.Field(nullable=True, isin=VERDICTS)

    _text_columns = _values_are(_text, "event_id", "kind", "actor", "reason", "basis", "source")

    _time_column = _values_are(_times, "time")

    _tuples_of_names = _values_are(_names, "to", "advanced_signals")

    @pa.dataframe_check
    def _missed_exactly_with_a_gain(cls, df: pd.DataFrame) -> bool:
        gained = df["gain_signal_days"] > 0
        advanced = df["advanced_signals"].map(len) == df["signals_advanced"]
        judged = df["robust_without_uncertain"].notna() & df["robust_certain_only"].notna()
        return bool(
            (df["missed"] == gained).all() and advanced.all() and (judged == df["missed"]).all()
        )


class SiloPairsSchema(_Table):
    """:attr:`Analysis.silo_pairs`: one row per pair of silos with observed signals."""

    silo_a: Series[Any]
    silo_b: Series[Any]
    converged_at: Series[Any] = pa.Field(nullable=True)
    censored: Series[bool]
    delay_days: Series[float] = pa.Field(ge=0)
    robust_without_uncertain: Series[Any] = pa.Field(isin=VERDICTS)
    robust_certain_only: Series[Any] = pa.Field(isin=VERDICTS)

    _text_columns = _values_are(_text, "silo_a", "silo_b")

    _time_column = _values_are(_times, "converged_at")

    @pa.dataframe_check
    def _pairs_in_order(cls, df: pd.DataFrame) -> bool:
        return all(a < b for a, b in zip(df["silo_a"].tolist(), df["silo_b"].tolist(), strict=True))


class CasesSchema(_Table):
    """:attr:`Analysis.cases`: one row per case."""

    time_style: Series[Any] = pa.Field(isin=list(TIME_STYLES))
    horizon: Series[Any]
    horizon_event: Series[Any] = pa.Field(nullable=True)
    first_convergence_at: Series[Any] = pa.Field(nullable=True)
    knowing_acting_days: Series[float] = pa.Field(nullable=True, ge=0)
    knowing_acting_censored: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    events: Series[int] = pa.Field(ge=1)
    signals: Series[int] = pa.Field(ge=0)
    converged: Series[int] = pa.Field(ge=0)
    censored: Series[int] = pa.Field(ge=0)
    missed_opportunities: Series[int] = pa.Field(ge=0)
    shares: Series[int] = pa.Field(ge=0)
    shares_with_basis: Series[int] = pa.Field(ge=0)
    withholds: Series[int] = pa.Field(ge=0)
    withholds_with_reason: Series[int] = pa.Field(ge=0)
    signals_reached: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    full_picture_at: Series[Any] = pa.Field(nullable=True)
    full_picture_days: Series[float] = pa.Field(nullable=True, ge=0)
    full_picture_censored: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    knowing_acting_robust_without_uncertain: Series[Any] = pa.Field(isin=VERDICTS)
    knowing_acting_robust_certain_only: Series[Any] = pa.Field(isin=VERDICTS)

    _text_columns = _values_are(_text, "time_style", "horizon_event")

    _time_columns = _values_are(_times, "horizon", "first_convergence_at", "full_picture_at")

    @pa.dataframe_check
    def _counts_add_up(cls, df: pd.DataFrame) -> bool:
        converging = df["first_convergence_at"].notna()
        return bool(
            (df["converged"] + df["censored"] == df["signals"]).all()
            and (df["shares_with_basis"] <= df["shares"]).all()
            and (df["withholds_with_reason"] <= df["withholds"]).all()
            and (df["knowing_acting_days"].notna() == converging).all()
            and (df["knowing_acting_censored"].notna().to_numpy() == converging.to_numpy()).all()
        )


class KnowledgeSchema(_Table):
    """:attr:`Analysis.knowledge`: who knew which signal from when, by the horizon."""

    actor: Series[Any]
    signal_id: Series[Any]
    known_from: Series[Any]
    via: Series[Any]

    _text_columns = _values_are(_text, "actor", "signal_id", "via")

    _time_column = _values_are(_times, "known_from")


class RobustnessSchema(_Table):
    """:attr:`Analysis.robustness`: one row per finding and variant (section 5.2)."""

    finding: Series[Any] = pa.Field(isin=["signal", "opportunity", "silo_pair", "case"])
    finding_id: Series[Any]
    variant: Series[Any] = pa.Field(isin=list(VARIANTS))
    verdict: Series[Any] = pa.Field(isin=VERDICTS)
    value_all: Series[float] = pa.Field(nullable=True, ge=0)
    value_variant: Series[float] = pa.Field(nullable=True, ge=0)

    _text_columns = _values_are(_text, "finding", "finding_id", "variant", "verdict")


class EpisodesSchema(_Table):
    """:attr:`Analysis.episodes`: one row per episode (section 5.4)."""

    episode_id: Series[Any]
    assessment: Series[Any]
    title: Series[Any] = pa.Field(nullable=True)
    events: Series[Any]
    start: Series[Any] = pa.Field(nullable=True)
    end: Series[Any] = pa.Field(nullable=True)
    known_signals: Series[Any] = pa.Field(nullable=True)
    signals_elsewhere: Series[Any] = pa.Field(nullable=True)
    missed: Series[Any] = pa.Field(nullable=True)
    gain_signal_days: Series[float] = pa.Field(nullable=True, ge=0)

    _text_columns = _values_are(_text, "episode_id", "assessment", "title")

    _time_columns = _values_are(_times, "start", "end")

    _tuples_of_names = _values_are(_names, "events")


#: The model of each table of an Analysis, by attribute name, in field order.
SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "signals": SignalsSchema,
    "opportunities": OpportunitiesSchema,
    "silo_pairs": SiloPairsSchema,
    "cases": CasesSchema,
    "knowledge": KnowledgeSchema,
    "robustness": RobustnessSchema,
    "episodes": EpisodesSchema,
}


def columns(model: type[pa.DataFrameModel]) -> list[str]:
    """The column names a model declares, in table order."""
    return list(model.to_schema().columns)


def validate_analysis(analysis) -> dict[str, pd.DataFrame]:
    """Check all seven tables of an Analysis against their models.

    Returns
    -------
    dict
        The validated tables, by name.

    Raises
    ------
    pandera.errors.SchemaErrors
        Every failing column and check of the first table that fails.
    """
    return {
        name: model.validate(getattr(analysis, name), lazy=True) for name, model in SCHEMAS.items()
    }
