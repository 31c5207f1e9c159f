"""The analysis of a casebook: :func:`analyse` and the :class:`Analysis` it returns.

:func:`analyse` chooses where the cases run: in this process
(:mod:`casuistry.analysis_run`: the compiled kernel where it can, the
reference engine otherwise) or on a Dask cluster
(:mod:`casuistry.scale.dask_engine`); either way the result is one
:class:`Analysis` of tidy tables.
The meaning of every figure is section 2 of the case format
(``docs/case_format.md``); :meth:`Analysis.to_json` writes its section 3. The
columns of the five tables are declared once, in :mod:`casuistry.schemas`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from casuistry.analysis_run import run_tables
from casuistry.casebook import Casebook, case_rows, case_slice, first_cases_html
from casuistry.errors import CasuistryError
from casuistry.heap import large_steps
from casuistry.vocabulary import (
    CASE_ID,
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
        return f"<p>{html.escape(repr(self)[1:-1])}</p>" + first_cases_html(self.cases)

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
        from casuistry.analysis_json import analysis_to_dict

        return analysis_to_dict(self)

    def to_json(self, *, indent: int | None = None) -> str:
        """The JSON document of docs/case_format.md section 3 (``casuistry analyse --json``).

        Examples
        --------
        >>> import casuistry, json
        >>> doc = json.loads(casuistry.analyse(casuistry.load(casuistry.example_path())).to_json())
        >>> list(doc["cases"][0])[:3]
        ['case_id', 'horizon', 'first_convergence_at']
        """
        from casuistry.analysis_json import json_text

        return json_text(self, indent=indent)

    def summary_text(self, *, case_id: str | None = None) -> str:
        """A readable summary per case, as ``casuistry analyse`` prints it.

        Describes signals (how long each stayed in its silo, censored or
        not), the missed opportunities with what they would have gained, and
        the time between knowing and acting. It speaks of organisations and
        channels, never of persons.
        """
        from casuistry.summary import summary_text  # text only, kept apart

        return summary_text(self if case_id is None else self.case(case_id))


@large_steps()
def analyse(
    casebook: Casebook,
    *,
    progress: bool | None = None,
    engine: str = "auto",
    **dask_options,
) -> Analysis:
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
        :data:`casuistry.progress.SHOW_FROM` cases.
    engine : {"auto", "python", "compiled", "dask"}, keyword-only
        ``"python"`` runs the reference engine (:mod:`casuistry.engine`)
        case by case; ``"compiled"`` the compiled kernel
        (:mod:`casuistry.kernel`, needs ``pip install 'casuistry[fast]'``)
        for every case it covers, the reference engine for the others; the
        tables are identical. ``"auto"`` (the default) is ``"compiled"``
        from :data:`COMPILED_FROM` events on when numba is installed, else
        ``"python"``. ``"dask"`` analyses on a Dask cluster
        (:func:`casuistry.scale.dask_engine.analyse_dask`, which takes the
        options ``workers``, ``scheduler`` and ``dataset``); ``casebook`` is
        then the input's path, which the workers read themselves.

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
        happen with a hand-made Casebook; :func:`casuistry.load` checks);
        when ``casebook`` is no Casebook (a path, say), or with ``"dask"``
        a Casebook rather than a path.

    Examples
    --------
    >>> import casuistry
    >>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> set(result.signals.columns) >= {"dwell_days", "relational_days", "decision_days"}
    True
    """
    if engine == "dask":
        if isinstance(casebook, Casebook):
            raise CasuistryError(
                "engine 'dask' reads the input in its workers: give the input's path, as in "
                "casuistry.analyse('cases/', engine='dask'); a Casebook already in memory is "
                "analysed in this process (leave out engine='dask')"
            )
        from casuistry.scale.dask_engine import analyse_dask

        return analyse_dask(casebook, progress=progress, **dask_options)
    if not isinstance(casebook, Casebook):
        raise CasuistryError(
            f"analyse takes a Casebook, not a {type(casebook).__name__}: load the input first, "
            "as in casuistry.analyse(casuistry.load('cases/')) (only engine='dask' takes a path)"
        )
    if engine not in ENGINES or dask_options:
        raise CasuistryError(
            f"engine {engine!r} with options {sorted(dask_options)}: use engine 'auto', "
            "'python' or 'compiled' (no options), or 'dask' (options workers, scheduler, dataset)"
        )
    if engine == "compiled" and not _numba():
        raise CasuistryError(
            "engine 'compiled' needs numba: pip install 'casuistry[fast]' "
            "(or use engine 'auto' or 'python')"
        )
    compiled = engine == "compiled" or (engine == "auto" and auto_runs_kernel(casebook.n_events))
    tables = run_tables(casebook, progress=progress, compiled=compiled)
    return Analysis(**tables, casebook=casebook)


#: The engines of :func:`analyse`.
ENGINES = ("auto", "python", "compiled", "dask")
#: From this many events ``engine="auto"`` uses the compiled kernel when numba
#: is installed (docs/choices.md, "Scale"): below it, loading the kernel from
#: numba's cache costs more than it saves.
COMPILED_FROM = 100_000


def auto_runs_kernel(n_events: int) -> bool:
    """Whether ``engine="auto"`` runs the compiled kernel on a corpus of ``n_events``
    events in this process: from :data:`COMPILED_FROM` events on, with numba.

    The Dask engine asks it with the whole corpus' size in each worker, so its
    parts, each smaller than that, run as the corpus would.

    Examples
    --------
    >>> auto_runs_kernel(10)
    False
    """
    return n_events >= COMPILED_FROM and _numba()


def _numba() -> bool:
    """Whether the compiled kernel runs compiled (numba installed and enabled)."""
    from casuistry.kernel import NUMBA

    return NUMBA
