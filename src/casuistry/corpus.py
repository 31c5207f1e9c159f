"""Many cases at once: survival curves, silo-pair matrices, withhold reasons, the distance split.

The figures of one case (docs/case_format.md section 2) become research questions
over a corpus: how long do signals of each silo stay there, which pairs of
silos take longest to meet, why was information withheld, and how much of
the time in a silo could a channel have bridged.

Every function takes the data first and returns a tidy DataFrame whose
columns are listed under Returns. The data is an :class:`~casuistry.Analysis`
or one of its tables (``signals``, ``silo_pairs``, ``opportunities``) as a
DataFrame, which may carry extra columns to group by. To compare corpora
(five scenarios, two regions, before and after a change), analyse each one
and :func:`stack` their tables: it adds a column that names the corpus, and
every function here groups by any column.

Durations never travel without their censoring flag: a signal that had not
converged by the horizon has a ``dwell_days`` that runs to the horizon and
``censored`` true. :func:`survival_curves` respects that (Kaplan-Meier, with
:func:`scipy.stats.ecdf`); sums and medians in :func:`distance_split` and
:func:`silo_pair_matrix` count censored durations up to the horizon, so they
are lower bounds.

Nothing here is about the people in a case: rows are signals, silos,
channels and reasons, never persons.

Examples
--------
>>> import casuistry
>>> from casuistry import corpus
>>> runs = {name: casuistry.analyse(casuistry.synthesize(name, 20, seed=1).casebook)
...         for name in ("huiselijk_geweld", "ondermijning")}
>>> signals = corpus.stack(runs, table="signals")
>>> sorted(signals["scenario"].unique())
['huiselijk_geweld', 'ondermijning']
>>> split = corpus.distance_split(signals, by="scenario")
>>> bool((split["relational_days"] + split["decision_days"]
...       - split["dwell_days"]).abs().max() < 1e-6)
True
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from casuistry.casebook import Casebook
from casuistry.errors import CasuistryError
from casuistry.kinds import WITHHOLD
from casuistry.presentation.texts import Texts
from casuistry.vocabulary import KIND, REASON, REASONS

__all__ = [
    "NO_REASON",
    "distance_split",
    "reason_counts",
    "silo_pair_matrix",
    "stack",
    "survival_curves",
]

#: The tables of an Analysis that :func:`stack` can stack.
TABLES = ("signals", "opportunities", "silo_pairs", "cases", "knowledge")

#: The ``reason`` code :func:`reason_counts` gives a withhold that records none.
NO_REASON = "(none)"

By = str | Sequence[str] | None


def stack(
    analyses: Mapping[Hashable, object], *, table: str = "signals", name: str = "scenario"
) -> pd.DataFrame:
    """One table of several analyses, stacked, with a column naming where each row came from.

    Parameters
    ----------
    analyses : mapping of name to Analysis
        For example ``{"jeugdbescherming": analysis_1, "ondermijning": analysis_2}``.
    table : {"signals", "opportunities", "silo_pairs", "cases", "knowledge"}, keyword-only
        Which table of each :class:`~casuistry.Analysis` to stack.
    name : str, keyword-only
        Name of the added column.

    Returns
    -------
    pandas.DataFrame
        The column ``name`` (the mapping's key) followed by every column of
        ``table`` (see :class:`~casuistry.Analysis`), the analyses' rows in
        the mapping's order, with a fresh index.

    Raises
    ------
    CasuistryError
        For an unknown table, an empty mapping, a value that is no Analysis,
        or a ``name`` that is already a column of the table.

    Examples
    --------
    >>> import casuistry
    >>> from casuistry.corpus import stack
    >>> one = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> stack({"voorbeeld": one}, table="cases")[["scenario", "case_id"]].values.tolist()
    [['voorbeeld', 'puzzel-1']]
    """
    from casuistry.analysis import Analysis

    if table not in TABLES:
        raise CasuistryError(f"table={table!r}: choose one of {', '.join(TABLES)}")
    if not analyses:
        raise CasuistryError("no analyses to stack: give a mapping of name to Analysis")
    pieces = []
    for key, analysis in analyses.items():
        if not isinstance(analysis, Analysis):
            raise CasuistryError(
                f"{key!r} holds a {type(analysis).__name__}, not an Analysis; "
                "make one with casuistry.analyse(casebook)"
            )
        frame = getattr(analysis, table)
        if name in frame.columns:
            raise CasuistryError(
                f"the {table} table already has a column {name!r}; choose another name="
            )
        pieces.append(frame.assign(**{name: key})[[name, *frame.columns]])
    return pd.concat(pieces, ignore_index=True)


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
    _require(frame, [*keys, duration, censored], "survival_curves")
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


def reason_counts(data, *, by: By = None, reason: str = REASON) -> pd.DataFrame:
    """How often each reason for withholding information was recorded, per group.

    Parameters
    ----------
    data : casuistry.Analysis, casuistry.Casebook or pandas.DataFrame
        An Analysis (its withholds up to the horizon, from the
        ``opportunities`` table), a Casebook (every withhold of its events,
        also those after the horizon), or a table with a ``kind`` column
        whose ``withhold`` rows are counted, for example
        ``stack(analyses, table="opportunities")``.
    by : str, sequence of str or None, keyword-only
        Column(s) to group by (``"scenario"``, ``"case_id"``); None for one
        count over all withholds. Rows with a missing group value are left
        out.
    reason : str, keyword-only
        The column holding the reason codes.

    Returns
    -------
    pandas.DataFrame
        Per group one row for every reason of the case format
        (:data:`casuistry.vocabulary.REASONS`, in its order, also when not
        seen), then any other code found (sorted), then :data:`NO_REASON`
        for withholds without a reason. Columns: the ``by`` columns;
        ``reason`` (the code); ``label_nl``, ``label_en`` (its meaning, or
        the code itself for a code outside the list); ``withholds`` (how
        many); ``share`` (of the group's withholds); ``missed`` (how many of
        them were missed opportunities, i.e. would have brought some signal
        forward; missing when the data does not say, as for a Casebook).
        Groups without withholds have no rows.

    Raises
    ------
    CasuistryError
        When a column is missing.

    Examples
    --------
    >>> import casuistry
    >>> from casuistry.corpus import reason_counts
    >>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> counts = reason_counts(result)
    >>> counts.loc[counts["withholds"] > 0, ["reason", "withholds", "missed"]].values.tolist()
    [['privacy_uncertainty', 1, 1]]
    """
    frame = _withholds(data)
    keys = _keys(by)
    _require(frame, [*keys, KIND, reason], "reason_counts")
    withholds = frame[frame[KIND] == WITHHOLD]
    codes = withholds[reason].astype("string").str.strip()
    codes = codes.mask(codes.isna() | (codes == ""), NO_REASON).astype(object)
    work = pd.DataFrame({"reason": codes}, index=withholds.index)
    for key in keys:
        work[key] = withholds[key]
    has_missed = "missed" in withholds.columns
    work["_missed"] = withholds["missed"].astype(bool) if has_missed else False
    others = sorted(set(codes) - set(REASONS) - {NO_REASON})
    order = [*REASONS, *others, NO_REASON]
    pieces = []
    for group, rows in _groups(work, keys):
        counts = rows.groupby("reason")["_missed"].agg(["size", "sum"]).reindex(order, fill_value=0)
        piece = pd.DataFrame(
            {
                "reason": order,
                "label_nl": [_reason_label(code, "nl") for code in order],
                "label_en": [_reason_label(code, "en") for code in order],
                "withholds": counts["size"].to_numpy(dtype=np.int64),
                "share": counts["size"].to_numpy(dtype=float) / len(rows),
                "missed": pd.array(
                    counts["sum"].to_numpy(dtype=np.int64) if has_missed else [pd.NA] * len(order),
                    dtype="Int64",
                ),
            }
        )
        for position, (key, value) in enumerate(zip(keys, group, strict=True)):
            piece.insert(position, key, value)
        pieces.append(piece)
    columns = [*keys, "reason", "label_nl", "label_en", "withholds", "share", "missed"]
    if not pieces:
        return pd.DataFrame(columns=columns)
    return pd.concat(pieces, ignore_index=True)[columns]


def _withholds(data) -> pd.DataFrame:
    if isinstance(data, Casebook):
        return data.events
    return _table(data, "opportunities")


def _reason_label(code: str, lang: str) -> str:
    texts = Texts(lang)
    return texts("reason.none") if code == NO_REASON else texts.reason(code)


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
        When a column is missing.

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
    _require(frame, [*keys, *parts, "censored"], "distance_split")
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


def _require(frame: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    missing = [c for c in dict.fromkeys(columns) if c not in frame.columns]
    if missing:
        raise CasuistryError(
            f"{where}: the table has no column {', '.join(map(repr, missing))}; "
            f"its columns are {', '.join(map(str, frame.columns))}"
        )


def _groups(frame: pd.DataFrame, keys: list[str]):
    """(group values as a tuple, rows) in sorted order; one group of all rows without keys."""
    if not keys:
        return [((), frame)] if len(frame) else []
    return [
        (group if isinstance(group, tuple) else (group,), rows)
        for group, rows in frame.groupby(keys, sort=True)
    ]
