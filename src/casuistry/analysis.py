"""The analysis of a casebook: :func:`analyse` and the :class:`Analysis` it returns.

:func:`analyse` runs the engine over every case (plain Python lists cut once
from the events table, no per-event pandas work), gathers the figures of
:mod:`casuistry.metrics` as rows, and builds five tidy tables once at the end.
The meaning of every figure is section 2 of the case format
(``docs/case_format.md``); :meth:`Analysis.to_json` writes its section 3. The
columns of the five tables are declared once, in :mod:`casuistry.schemas`.
"""

from __future__ import annotations

import gc
import html
import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

import numpy as np
import pandas as pd

from casuistry.casebook import Casebook, case_rows, case_slice
from casuistry.engine import UnknownSignalReference, propagate
from casuistry.episodes import episode_figures
from casuistry.errors import CasuistryError
from casuistry.metrics import (
    CASE_ROW,
    KNOWLEDGE_ROW,
    OPPORTUNITY_ROW,
    SIGNAL_ROW,
    SILO_PAIR_ROW,
    Rows,
    accountability,
)
from casuistry.missing import is_missing
from casuistry.robustness import CHANGES, GONE, HOLDS, NOT_CERTAIN, VARIANTS, case_verdicts
from casuistry.timeaxis import DAYS, EPOCH, format_time, format_times
from casuistry.vocabulary import (
    ACTOR,
    BASIS,
    CASE_ID,
    CATEGORY,
    CONFIDENCE,
    EVENT_ID,
    KIND,
    LIST_SEPARATOR,
    REASON,
    SECONDS_PER_DAY,
    SEVERITY,
    SIGNALS,
    SOURCE,
    TICKS,
    TO,
)

#: The names of the five tables of an :class:`Analysis`, in the order of its fields.
TABLES = (
    "signals",
    "opportunities",
    "silo_pairs",
    "cases",
    "knowledge",
    "robustness",
    "episodes",
)

#: Show a progress bar (when ``progress=None``) from this many cases on.
PROGRESS_FROM_CASES = 2_000

_DTYPES = {"int": np.int64, "float": np.float64, "bool": bool}


@dataclass(frozen=True, repr=False)
class Analysis:
    """Everything :func:`analyse` computed, as tidy tables.

    Times are pandas Timestamps for calendar cases and float numbers of days
    for day-number cases. A corpus that mixes both styles gets ``object``
    time columns holding a Timestamp or a float per row, each in its own
    case's style. Missing values are NaT, NaN or NA. Days are
    ``(end - start) / 86400``, never negative.

    Attributes
    ----------
    signals : pandas.DataFrame
        One row per signal observed by the horizon, in order of observation:

        - ``case_id``, ``signal_id`` (the signal event's event_id)
        - ``actor`` (who observed it), ``silo`` (the observer's silo),
          ``category``, ``severity``
        - ``observed_at``
        - ``converged_at``: first time some actor knew it together with a
          signal of another silo; missing when censored
        - ``converged_by``: event_id of the event after which that was so
        - ``censored``: not converged by the horizon
        - ``dwell_days``: from observation to convergence, or to the horizon
        - ``relational_days``: the dwell left with every opportunity taken
        - ``decision_days``: ``dwell_days - relational_days``
        - ``acted_at``, ``acted_by``: time and event_id of the first action on
          it; missing without one
        - ``acting_days``: from observation to ``acted_at``, or to the horizon
        - ``acting_censored``: no action on it by the horizon
        - ``source``: of the signal event
        - ``reached_decision_at``: first time, by the horizon, at which an
          actor that decides knew it (section 5.3); missing when not reached
        - ``reach_days``: from observation to ``reached_decision_at``, or to
          the horizon
        - ``reach_censored`` (nullable boolean): not reached by the horizon;
          the three reach figures are missing in a case without deciding actors
        - ``robust_without_uncertain``, ``robust_certain_only``: verdict
          ``holds``, ``changes`` or ``gone`` per variant (section 5.2)
    opportunities : pandas.DataFrame
        One row per opportunity up to the horizon (withholds, contacts,
        meetings that list signals), in time order:

        - ``case_id``, ``event_id``, ``kind``, ``time``, ``actor``, ``to``
          (tuple), ``reason``, ``basis``, ``source``: of the event
        - ``gain_signal_days``: its gains added over all signals
        - ``max_gain_days``: its largest single gain
        - ``signals_advanced``: how many signals it would have brought forward
        - ``advanced_signals``: their signal_ids (tuple, in order of observation)
        - ``missed``: its gains add up to more than zero
        - ``reach_gain_signal_days``: like ``gain_signal_days``, for
          ``reached_decision_at`` (horizon when not reached); missing without
          deciding actors
        - ``robust_without_uncertain``, ``robust_certain_only``: verdicts of
          a missed opportunity; missing for one that was not missed
    silo_pairs : pandas.DataFrame
        One row per pair of silos that both have signals observed by the
        horizon:

        - ``case_id``, ``silo_a``, ``silo_b`` (``silo_a < silo_b``)
        - ``converged_at``: first time some actor knew a signal of each;
          missing when censored
        - ``censored``
        - ``delay_days``: from the later of the two silos' first observations
          to ``converged_at``, or to the horizon
        - ``robust_without_uncertain``, ``robust_certain_only``: verdicts
    cases : pandas.DataFrame
        One row per case, in order of first appearance:

        - ``case_id``, ``time_style`` (``date``, ``datetime`` or ``days``)
        - ``horizon``, ``horizon_event`` (event_id of the first incident;
          missing without one)
        - ``first_convergence_at``: earliest convergence of any signal
        - ``knowing_acting_days``: from ``first_convergence_at`` to the first
          action at or after it, or to the horizon
        - ``knowing_acting_censored`` (nullable boolean): no such action;
          both knowing-acting figures are missing without a convergence
        - ``events``: all events of the case, also those after the horizon
        - ``signals``, ``converged``, ``censored``: counts of signals
        - ``missed_opportunities``
        - ``shares``, ``shares_with_basis``, ``withholds``,
          ``withholds_with_reason``: events up to the horizon; a non-empty
          basis or reason counts
        - ``signals_reached`` (nullable Int64): signals that reached a
          deciding actor by the horizon
        - ``full_picture_at``: first time one deciding actor knew a signal of
          every silo with signals; missing when never
        - ``full_picture_days``: from the first observation to
          ``full_picture_at``, or to the horizon
        - ``full_picture_censored`` (nullable boolean): no full picture by
          the horizon; the four reach figures are missing without deciding
          actors, the last two also without signals
        - ``knowing_acting_robust_without_uncertain``,
          ``knowing_acting_robust_certain_only``: verdicts of
          ``knowing_acting_days``
    knowledge : pandas.DataFrame
        Who knew what from when, one row per actor and signal it came to know
        by the horizon, in the order of learning:

        - ``case_id``, ``actor``, ``signal_id``
        - ``known_from``: when the actor came to know the signal
        - ``via``: event_id of the event through which it did
    robustness : pandas.DataFrame
        One row per finding and variant (section 5.2); findings are every
        signal, missed opportunity, silo pair and case. A case without
        ``likely`` or ``uncertain`` rows is not run again: its verdicts hold.

        - ``case_id``
        - ``finding``: ``signal``, ``opportunity``, ``silo_pair`` or ``case``
        - ``finding_id``: the signal_id, the opportunity's event_id,
          ``silo_a;silo_b``, or the case_id
        - ``variant``: ``without_uncertain`` or ``certain_only``
        - ``verdict``: ``holds``, ``changes`` or ``gone``
        - ``value_all``: on all events: ``dwell_days``,
          ``gain_signal_days``, ``delay_days`` or ``knowing_acting_days``
        - ``value_variant``: the same in the variant; missing when gone with
          its row, or null there
    episodes : pandas.DataFrame
        One row per key practice episode of the casebook's episodes table
        (section 5.4), in its order; empty without one:

        - ``case_id``, ``episode_id``, ``assessment``, ``title``
        - ``events``: its event_ids (tuple)
        - ``start``, ``end``: times of its first and last event
        - ``known_signals``: signal_ids its actors together knew right
          after its last event that takes part, in order of observation
        - ``signals_elsewhere``: signals observed by then that none of its
          actors knew
        - ``missed``: its events that are missed opportunities
        - ``gain_signal_days``: their gains added; the last four are missing
          when none of its events takes part
    casebook : Casebook
        The analysed casebook, for reports that show the events themselves.

    Examples
    --------
    >>> import casuistry
    >>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> list(result.cases.columns[:3])
    ['case_id', 'time_style', 'horizon']
    >>> bool((result.signals["dwell_days"] >= 0).all())
    True
    """

    signals: pd.DataFrame
    opportunities: pd.DataFrame
    silo_pairs: pd.DataFrame
    cases: pd.DataFrame
    knowledge: pd.DataFrame
    robustness: pd.DataFrame
    episodes: pd.DataFrame
    casebook: Casebook

    def __repr__(self) -> str:
        missed = int(self.opportunities["missed"].sum())
        return (
            f"<Analysis: {len(self.cases)} case(s), {len(self.signals)} signals "
            f"({int(self.signals['censored'].sum())} censored), "
            f"{missed} missed of {len(self.opportunities)} opportunities>"
        )

    def _repr_html_(self) -> str:  # shown by Jupyter
        shown = self.cases.head(20).to_html(index=False)
        return f"<p>{html.escape(repr(self)[1:-1])}</p>{shown}"

    def case(self, case_id: str) -> Analysis:
        """The analysis of one case only.

        Raises
        ------
        UnknownCase
            When the casebook has no such case.
        """
        book = self.casebook.case(case_id)
        case_id = book.case_ids[0]

        def only(name: str) -> pd.DataFrame:
            rows = self._case_rows[name].get(case_id, slice(0, 0))
            return case_slice(getattr(self, name), rows).reset_index(drop=True)

        return Analysis(**{name: only(name) for name in TABLES}, casebook=book)

    @cached_property
    def _case_rows(self) -> dict[str, dict]:
        """Per table, where each case's rows are: found once, so :meth:`case` is a slice."""
        return {name: case_rows(getattr(self, name)[CASE_ID]) for name in TABLES}

    def best_opportunities(self, n: int = 5) -> pd.DataFrame:
        """The ``n`` missed opportunities with the largest gains over all signals.

        Sorted by ``gain_signal_days``, then ``max_gain_days`` (both
        descending); rows as in :attr:`opportunities`.
        """
        missed = self.opportunities[self.opportunities["missed"]]
        ranked = missed.sort_values(
            ["gain_signal_days", "max_gain_days"], ascending=False, kind="stable"
        )
        return ranked.head(n).reset_index(drop=True)

    def to_dict(self) -> dict:
        """The document of docs/case_format.md section 3 as plain Python objects."""
        styles = dict(zip(self.cases[CASE_ID], self.cases["time_style"], strict=True))
        signals = _records_by_case(self.signals, _SIGNAL_JSON, styles, robust=True)
        missed = self.opportunities[self.opportunities["missed"]]
        opportunities = _records_by_case(missed, _OPPORTUNITY_JSON, styles, robust=True)
        pairs = _records_by_case(self.silo_pairs, _PAIR_JSON, styles, robust=True)
        case_styles = self.cases["time_style"].to_numpy(dtype=object)
        horizons = _json_times(self.cases["horizon"], case_styles)
        convergences = _json_times(self.cases["first_convergence_at"], case_styles)
        reach = zip(
            *(_json_column(self.cases[c], how, case_styles) for c, _, how in _CASE_REACH_JSON),
            strict=True,
        )
        robust = _json_robust(self.cases, "knowing_acting_robust_")
        episodes = _records_by_case(self.episodes, _EPISODE_JSON, styles)
        columns = zip(
            self.cases[CASE_ID].tolist(),
            horizons,
            convergences,
            self.cases["knowing_acting_days"].tolist(),
            self.cases["knowing_acting_censored"].tolist(),
            reach,
            robust,
            *(self.cases[key].tolist() for key in _ACCOUNTABILITY),
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
                        key: value
                        for (_, key, _), value in zip(_CASE_REACH_JSON, reached, strict=True)
                    },
                    "knowing_acting_robust": verdicts,
                    "episodes": episodes.get(case_id, []),
                }
            )
        return {"cases": out}

    def to_json(self, *, indent: int | None = None) -> str:
        """The JSON document of docs/case_format.md section 3 (``casuistry analyse --json``).

        Examples
        --------
        >>> import casuistry, json
        >>> doc = json.loads(casuistry.analyse(casuistry.load(casuistry.example_path())).to_json())
        >>> list(doc["cases"][0])[:3]
        ['case_id', 'horizon', 'first_convergence_at']
        """
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def summary_text(self, *, case_id: str | None = None) -> str:
        """A readable summary per case, as ``casuistry analyse`` prints it.

        Describes signals (how long each stayed in its silo, censored or
        not), the missed opportunities with what they would have gained, and
        the time between knowing and acting. It speaks of organisations and
        channels, never of persons.
        """
        from casuistry.summary import summary_text  # text only, kept apart

        return summary_text(self if case_id is None else self.case(case_id))


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


def analyse(casebook: Casebook, *, progress: bool | None = None) -> Analysis:
    """Analyse every case of a casebook.

    Runs knowledge propagation, convergence, the counterfactual of every
    opportunity and the all-at-once counterfactual of each case, and
    computes every figure of docs/case_format.md section 2.

    Parameters
    ----------
    casebook : Casebook
        Validated cases, as :func:`casuistry.load` returns them.
    progress : bool or None, keyword-only
        Show a progress bar on stderr. None (the default) shows one only
        when stderr is a terminal and there are at least
        :data:`PROGRESS_FROM_CASES` cases.

    Returns
    -------
    Analysis
        Tables ``signals``, ``opportunities``, ``silo_pairs``, ``cases`` and
        ``knowledge``; see :class:`Analysis` for every column.

    Raises
    ------
    CasuistryError
        When the events are not in the order a Casebook promises, or an
        event lists something that is no signal of its case (both only
        happen with a hand-made Casebook; :func:`casuistry.load` checks).

    Examples
    --------
    >>> import casuistry
    >>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> set(result.signals.columns) >= {"dwell_days", "relational_days", "decision_days"}
    True
    """
    events = casebook.events
    codes, case_ids = pd.factorize(events[CASE_ID], sort=False)
    ticks_array = events[TICKS].to_numpy(dtype=np.int64)
    _check_order(codes, ticks_array)
    n_cases = len(case_ids)
    starts = np.searchsorted(codes, np.arange(n_cases + 1)).tolist()

    deciders, episodes_by_case = _reviewer_tables(casebook)
    case_names = case_ids.tolist() if episodes_by_case else []
    uncertain = _uncertain_cases(events, codes, n_cases)
    confidence = events[CONFIDENCE].tolist() if uncertain else None
    found = _Reviewer()

    ticks = ticks_array.tolist()
    kinds = events[KIND].tolist()
    actors = events[ACTOR].tolist()
    to = events[TO].tolist()
    signals = events[SIGNALS].tolist()
    event_ids = events[EVENT_ID].tolist()
    silo_of = casebook.silo_of()

    rows = Rows(kinds=casebook.kinds)
    in_horizon = np.zeros(len(events), dtype=bool)
    with _collector_paused():
        for case in _progress(range(n_cases), progress):
            lo, hi = starts[case], starts[case + 1]
            case_event_ids = event_ids[lo:hi]
            case_ticks = ticks[lo:hi]
            case_kinds = kinds[lo:hi]
            try:
                run = propagate(
                    case_ticks,
                    case_kinds,
                    actors[lo:hi],
                    to[lo:hi],
                    signals[lo:hi],
                    case_event_ids,
                    silo_of,
                    kinds=casebook.kinds,
                    deciders=deciders,
                )
            except UnknownSignalReference as err:
                raise CasuistryError(f"case {case_ids[case]!r}: {err}") from err
            in_horizon[lo : lo + run.n_in] = True
            if case in uncertain:
                columns = {
                    TICKS: case_ticks,
                    KIND: case_kinds,
                    ACTOR: actors[lo:hi],
                    TO: to[lo:hi],
                    SIGNALS: signals[lo:hi],
                    EVENT_ID: case_event_ids,
                }
                verdicts = case_verdicts(
                    run,
                    columns,
                    confidence[lo:hi],
                    silo_of,
                    kinds=casebook.kinds,
                    deciders=deciders,
                )
                found.verdicts.append((rows.at(), case, verdicts))
            for episode in episodes_by_case.get(case_names[case], ()) if episodes_by_case else ():
                figures = episode_figures(run, episode[1], actors[lo:hi], to[lo:hi], case_event_ids)
                found.episodes.append((case, lo, episode, figures))
            rows.add(case, lo, run, case_ticks, case_kinds, case_event_ids)

    styles = casebook.time_styles.reindex(case_ids).to_numpy(dtype=object)
    tables = _TableBuilder(events, case_ids, styles)
    counts = accountability(
        codes,
        events[KIND].to_numpy(dtype=object),
        _non_empty(events, BASIS),
        _non_empty(events, REASON),
        in_horizon,
        n_cases,
    )
    out = {
        "signals": tables.signals(rows.signals),
        "opportunities": tables.opportunities(rows.opportunities),
        "silo_pairs": tables.silo_pairs(rows.silo_pairs),
        "cases": tables.cases(rows.cases, counts),
        "knowledge": tables.knowledge(rows.knowledge),
    }
    out["robustness"] = found.robustness(out)
    out["episodes"] = tables.episodes(found.episodes)
    return Analysis(**out, casebook=casebook)


def _reviewer_tables(casebook: Casebook) -> tuple[frozenset[str], dict[str, list[tuple]]]:
    """The reviewer's tables the figures need (section 5): the deciding actors,
    and per case its episodes as ``(episode_id, events, assessment, title)``.

    The one place that reads them; a Casebook without them (made by hand, or
    before they were read) has no deciding actors and no episodes.
    """
    actors = casebook.actors
    deciders = frozenset()
    if "decides" in actors:
        deciders = frozenset(actors[ACTOR][actors["decides"].fillna(False).astype(bool)])
    episodes = getattr(casebook, "episodes", None)
    by_case: dict[str, list[tuple]] = {}
    if episodes is not None and len(episodes):
        titles = episodes["title"] if "title" in episodes else [None] * len(episodes)
        for row in zip(
            episodes[CASE_ID].astype(str),
            episodes["episode_id"],
            episodes["events"],
            episodes["assessment"],
            titles,
            strict=True,
        ):
            by_case.setdefault(row[0], []).append(row[1:])
    return deciders, by_case


def _uncertain_cases(events: pd.DataFrame, codes: np.ndarray, n_cases: int) -> set[int]:
    """The cases (by number) with a ``likely`` or ``uncertain`` row."""
    if CONFIDENCE not in events:
        return set()
    marked = events[CONFIDENCE].isin(NOT_CERTAIN).to_numpy(dtype=bool)
    return set(np.flatnonzero(np.bincount(codes[marked], minlength=n_cases)).tolist())


class _Reviewer:
    """What the reviewer's layer found while the cases ran: verdicts and episodes."""

    def __init__(self) -> None:
        self.verdicts: list[tuple] = []  # ((signal, opportunity, pair row), case, verdicts)
        self.episodes: list[tuple] = []  # (case, offset, episode row, EpisodeFigures)

    def robustness(self, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
        """Add the verdict columns to the tables (in place) and make the robustness table.

        Every verdict is ``holds`` (the variant's value the value on all
        events) unless its case was run again. Verdicts are categorical
        (``holds``, ``changes``, ``gone``): made from codes, they cost a
        corpus without uncertain rows next to nothing.
        """
        signals, opps = tables["signals"], tables["opportunities"]
        pairs, cases = tables["silo_pairs"], tables["cases"]
        missed = opps["missed"].to_numpy(dtype=bool)
        kinds = (
            ("signal", signals, "dwell_days", np.ones(len(signals), dtype=bool)),
            ("opportunity", opps, "gain_signal_days", missed),
            ("silo_pair", pairs, "delay_days", np.ones(len(pairs), dtype=bool)),
            ("case", cases, "knowing_acting_days", np.ones(len(cases), dtype=bool)),
        )
        code_of = {verdict: k for k, verdict in enumerate(_VERDICTS)}
        parts = []
        for v, variant in enumerate(VARIANTS):
            codes = {name: np.where(mask, 0, -1).astype(np.int8) for name, _, _, mask in kinds}
            value = {
                name: frame[column].to_numpy(dtype=float, copy=True)
                for name, frame, column, _ in kinds
            }
            for (sig_at, opp_at, pair_at), case, by_variant in self.verdicts:
                found = by_variant[variant]
                for name, at, items in (
                    ("signal", sig_at, found.signals),
                    ("opportunity", opp_at, found.opportunities),
                    ("silo_pair", pair_at, found.silo_pairs),
                    ("case", case, [found.case]),
                ):
                    for k, item in enumerate(items):
                        if item is not None:
                            codes[name][at + k] = code_of[item[0]]
                            value[name][at + k] = item[1]
            prefix = {"case": "knowing_acting_robust_"}
            for rank, (name, frame, column, mask) in enumerate(kinds):
                frame[prefix.get(name, "robust_") + variant] = pd.Categorical.from_codes(
                    codes[name], categories=_VERDICTS
                )
                where = np.flatnonzero(mask)
                parts.append(
                    {
                        CASE_ID: frame[CASE_ID].take(where),
                        "finding_id": _finding_ids(name, frame).take(where),
                        "finding": np.full(len(where), rank, dtype=np.int8),
                        "variant": np.full(len(where), v, dtype=np.int8),
                        "row": np.arange(len(where)),
                        "verdict": codes[name][where],
                        "value_all": frame[column].to_numpy(dtype=float)[where],
                        "value_variant": value[name][where],
                    }
                )
        return _robustness_table(parts, cases[CASE_ID])


_FINDINGS = ("signal", "opportunity", "silo_pair", "case")
_VERDICTS = (HOLDS, CHANGES, GONE)


def _finding_ids(name: str, frame: pd.DataFrame) -> pd.Series:
    """What names each finding in the robustness table (see :class:`Analysis`)."""
    if name == "signal":
        return frame["signal_id"]
    if name == "opportunity":
        return frame[EVENT_ID]
    if name == "silo_pair":
        return frame["silo_a"].astype(str) + LIST_SEPARATOR + frame["silo_b"].astype(str)
    return frame[CASE_ID]


def _robustness_table(parts: list[dict], case_ids: pd.Series) -> pd.DataFrame:
    """The robustness rows in case order, then finding kind, then table order, then variant."""

    def joined(key: str):
        if isinstance(parts[0][key], pd.Series):
            return pd.concat([part[key] for part in parts], ignore_index=True)
        return np.concatenate([part[key] for part in parts])

    case = pd.Index(case_ids).get_indexer(joined(CASE_ID))
    order = np.lexsort((joined("variant"), joined("row"), joined("finding"), case))
    return pd.DataFrame(
        {
            CASE_ID: joined(CASE_ID).take(order).reset_index(drop=True),
            "finding": pd.Categorical.from_codes(joined("finding")[order], categories=_FINDINGS),
            "finding_id": joined("finding_id").take(order).reset_index(drop=True),
            "variant": pd.Categorical.from_codes(
                joined("variant")[order], categories=list(VARIANTS)
            ),
            "verdict": pd.Categorical.from_codes(joined("verdict")[order], categories=_VERDICTS),
            "value_all": joined("value_all")[order],
            "value_variant": joined("value_variant")[order],
        }
    )


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while the engine runs.

    The engine makes millions of small tuples and lists and no reference
    cycles; without the pause, Python's collector scans the growing results
    over and over, which costs about as much time as the analysis itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_order(codes: np.ndarray, ticks: np.ndarray) -> None:
    same_case = codes[1:] == codes[:-1]
    if (np.diff(codes) < 0).any() or (same_case & (ticks[1:] < ticks[:-1])).any():
        raise CasuistryError(
            "the casebook's events are not sorted by case and time; "
            "make the casebook with casuistry.load"
        )


def _progress(cases: range, progress: bool | None):
    if progress is None:
        progress = len(cases) >= PROGRESS_FROM_CASES and sys.stderr.isatty()
    if not progress:
        return cases
    from tqdm import tqdm  # only when a bar is shown

    return tqdm(cases, desc="analysing cases", unit="case", file=sys.stderr)


def _non_empty(events: pd.DataFrame, column: str) -> np.ndarray:
    if column not in events:
        return np.zeros(len(events), dtype=bool)
    values = events[column]
    return (values.notna() & (values.astype("string").str.strip() != "")).to_numpy(
        dtype=bool, na_value=False
    )


class _TableBuilder:
    """Builds the analysis tables from rows, taking event columns by position."""

    def __init__(self, events: pd.DataFrame, case_ids: pd.Index, styles: np.ndarray):
        self.events = events
        self.case_ids = case_ids
        self.styles = styles
        self.calendar = styles != DAYS
        self.ticks = events[TICKS].to_numpy(dtype=np.int64)

    def _columns(self, rows: list[tuple], layout: dict[str, str]) -> dict[str, np.ndarray]:
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
        values = self.events[name].iloc[np.maximum(positions, 0)].reset_index(drop=True)
        return values.where(positions >= 0) if (positions < 0).any() else values

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

    def signals(self, rows: list[tuple]) -> pd.DataFrame:
        col = self._columns(rows, SIGNAL_ROW)
        case, where = col["case"], col["signal_row"]
        return pd.DataFrame(
            {
                CASE_ID: self._take(CASE_ID, where),
                "signal_id": self._take(EVENT_ID, where),
                "actor": self._take(ACTOR, where),
                "silo": col["silo"],
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
            }
        )

    def opportunities(self, rows: list[tuple]) -> pd.DataFrame:
        col = self._columns(rows, OPPORTUNITY_ROW)
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
            }
        )

    def silo_pairs(self, rows: list[tuple]) -> pd.DataFrame:
        col = self._columns(rows, SILO_PAIR_ROW)
        case = col["case"]
        return pd.DataFrame(
            {
                CASE_ID: self.case_ids[case],
                "silo_a": col["silo_a"],
                "silo_b": col["silo_b"],
                "converged_at": self._times_at(col["converged_row"], case),
                "censored": col["censored"],
                "delay_days": col["delay_days"],
            }
        )

    def cases(self, rows: list[tuple], counts: dict[str, np.ndarray]) -> pd.DataFrame:
        col = self._columns(rows, CASE_ROW)
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
        return pd.DataFrame(out)

    def episodes(self, found: list[tuple]) -> pd.DataFrame:
        """The episodes table from ``(case, offset, episode row, EpisodeFigures)``."""
        case = np.array([c for c, _, _, _ in found], dtype=np.int64)
        first = np.array(
            [-1 if f.first is None else lo + f.first for _, lo, _, f in found], dtype=np.int64
        )
        last = np.array(
            [-1 if f.last is None else lo + f.last for _, lo, _, f in found], dtype=np.int64
        )

        def column(values: list) -> np.ndarray:
            array = np.empty(len(values), dtype=object)
            array[:] = values
            return array

        return pd.DataFrame(
            {
                CASE_ID: column([str(self.case_ids[c]) for c in case.tolist()]),
                "episode_id": column([e[0] for _, _, e, _ in found]),
                "assessment": column([e[2] for _, _, e, _ in found]),
                "title": column([e[3] for _, _, e, _ in found]),
                "events": column([tuple(e[1]) for _, _, e, _ in found]),
                "start": self._times_at(first, case),
                "end": self._times_at(last, case),
                "known_signals": column([f.known_signals for *_, f in found]),
                "signals_elsewhere": column([f.signals_elsewhere for *_, f in found]),
                "missed": column([f.missed for *_, f in found]),
                "gain_signal_days": np.array(
                    [f.gain_signal_days for *_, f in found], dtype=np.float64
                ),
            }
        )

    def knowledge(self, rows: list[tuple]) -> pd.DataFrame:
        col = self._columns(rows, KNOWLEDGE_ROW)
        case, via = col["case"], col["via_row"]
        return pd.DataFrame(
            {
                CASE_ID: self._take(CASE_ID, via),
                ACTOR: col["actor"],
                "signal_id": self._take(EVENT_ID, col["signal_row"]),
                "known_from": self._times_at(via, case),
                "via": self._take(EVENT_ID, via),
            }
        )
