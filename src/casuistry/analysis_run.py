"""The single-process run of :func:`casuistry.analyse`: every case, then the tables.

:func:`run_tables` cuts plain Python lists (or, for the compiled kernel,
numeric arrays) once from the events table, runs each case through the
kernel (:mod:`casuistry.kernel`) where it can and through the reference
engine (:func:`casuistry.engine.propagate`) otherwise, gathers the figures of
:mod:`casuistry.metrics` and builds the seven tables once at the end
(:mod:`casuistry.analysis_tables`). Both engines give identical rows; the
kernel's and the reference's are merged in case order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from casuistry.analysis_tables import TableBuilder, merge_columns, non_empty
from casuistry.casebook import Casebook
from casuistry.engine import UnknownSignalReference, propagate
from casuistry.episodes import case_episodes
from casuistry.errors import CasuistryError
from casuistry.heap import collector_paused
from casuistry.kinds import KindRegistry
from casuistry.metrics import (
    CASE_ROW,
    KNOWLEDGE_ROW,
    OPPORTUNITY_ROW,
    SIGNAL_ROW,
    SILO_PAIR_ROW,
    Rows,
    accountability,
)
from casuistry.progress import track
from casuistry.robustness import (
    COMPARED,
    VARIANTS,
    VariantRun,
    robustness_table,
    uncertain_cases,
    variant_kept,
    variant_rows,
    verdicts,
)
from casuistry.vocabulary import (
    ACTOR,
    BASIS,
    CASE_ID,
    EVENT_ID,
    KIND,
    REASON,
    SIGNALS,
    TICKS,
    TO,
)

if TYPE_CHECKING:  # the kernel imports numba (slow to import): loaded when it runs
    from casuistry.kernel_tables import KernelInput

#: The tables made of the engines' rows; robustness and episodes are gathered apart.
_ROW_TABLES = ("signals", "opportunities", "silo_pairs", "cases", "knowledge")


def run_tables(
    casebook: Casebook, *, progress: bool | None, compiled: bool
) -> dict[str, pd.DataFrame]:
    """The tables of :func:`~casuistry.analysis.analyse` in this process, by name.

    The kernel (``compiled``) runs the cases it can, the reference engine
    the others, case by case; the robustness variants run the same way, as
    corpora of their own. Without numba the kernel runs as plain Python
    (the tests use that to check it against the reference)."""
    events = casebook.events
    codes, case_ids = pd.factorize(events[CASE_ID], sort=False)
    ticks = events[TICKS].to_numpy(dtype=np.int64)
    _check_order(codes, ticks)
    n_cases = len(case_ids)
    starts = np.searchsorted(codes, np.arange(n_cases + 1))
    deciders, episodes = _reviewer_tables(casebook)
    engine = _Engine(casebook.kinds, casebook.silo_of(), deciders, compiled, progress)

    given = engine.kernel_input(events, codes)
    columns, in_horizon = engine.columns(
        lambda: events, starts, ticks, "analysing cases", given=given, event_ids=events[EVENT_ID]
    )
    found = {
        variant: _variant_verdicts(
            engine, given, columns, events, codes, n_cases, ticks, dropped, variant
        )
        for variant, dropped in VARIANTS.items()
    }
    # Done with the kernel's input (about 100 MB on 10^6 events) but its events
    # by case and id, which the episodes look up: what comes next takes its
    # memory again instead of fresh pages, each of which faults; the episodes
    # first, whose working memory is then free again for the tables.
    lookup = given.event_rows if given is not None else None
    del given
    episode_columns = case_episodes(
        episodes, case_ids, starts, events, in_horizon, columns, lookup=lookup
    )

    styles = casebook.time_styles.reindex(case_ids).to_numpy(dtype=object)
    tables = TableBuilder(events, case_ids, styles)
    counts = accountability(
        codes,
        events[KIND].array,  # compared as text: no Python string per event
        non_empty(events, BASIS),
        non_empty(events, REASON),
        in_horizon,
        n_cases,
    )
    out = {
        "signals": tables.signals(columns["signals"]),
        "opportunities": tables.opportunities(columns["opportunities"]),
        "silo_pairs": tables.silo_pairs(columns["silo_pairs"]),
        "cases": tables.cases(columns["cases"], counts),
        "knowledge": tables.knowledge(columns["knowledge"]),
    }
    out["robustness"] = robustness_table(out, found, columns, case_ids)
    out["episodes"] = tables.episodes(episode_columns)
    return out


def _variant_verdicts(
    engine: _Engine,
    given: KernelInput | None,
    columns: dict[str, dict],
    events: pd.DataFrame,
    codes: np.ndarray,
    n_cases: int,
    ticks: np.ndarray,
    dropped: frozenset[str],
    variant: str,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """One robustness variant's verdicts (:func:`casuistry.robustness.verdicts`): its
    cases run again, when it drops a row of any; its run let go when it returns."""
    rerun = uncertain_cases(events, codes, n_cases, dropped)
    run = None
    if rerun.any():
        run = _variant_run(engine, given, columns, events, codes, ticks, rerun, dropped, variant)
    return verdicts(columns, run, ticks=ticks, rerun=rerun)


def _variant_run(
    engine: _Engine,
    given: KernelInput | None,
    columns: dict[str, dict],
    events: pd.DataFrame,
    codes: np.ndarray,
    ticks: np.ndarray,
    rerun: np.ndarray,
    dropped: frozenset[str],
    variant: str,
) -> VariantRun:
    """Run one robustness variant of the cases in ``rerun`` as a corpus of its own.

    The kernel reads the actual run's input arrays, cut to the rows the
    variant keeps, and computes the gain alone only of the opportunities
    missed in the actual run (``columns``), and no reach: the verdicts
    compare no other gain and no figure of reach. The variant's events
    table (lists mended) is made only when the reference engine has cases
    to run.
    """
    kept = variant_kept(events, codes, rerun, dropped)
    v_codes, v_cases = pd.factorize(codes[kept], sort=False)
    v_cases = np.asarray(v_cases)
    v_starts = np.searchsorted(v_codes, np.arange(len(v_cases) + 1))
    if given is not None:  # the verdicts compare the gains of missed opportunities only
        opportunities = columns["opportunities"]
        gains = np.zeros(len(events), dtype=bool)
        gains[np.asarray(opportunities["row"])[np.asarray(opportunities["missed"], bool)]] = True
        # and no figure of the deciders' reach: without deciders none is computed
        given = given.keep(kept, v_cases, gains=gains)._replace(
            decides=np.zeros_like(given.decides)
        )
    compared, _ = engine.columns(
        lambda: variant_rows(events, codes, rerun, dropped)[1],
        v_starts,
        ticks[kept],
        f"robustness: {variant}",
        given=given,
        event_ids=None,
    )
    removed = rerun[codes]
    removed[kept] = False
    return VariantRun(compared, kept, v_cases, removed)


class _Engine(NamedTuple):
    """Where the cases run, and what the engine needs besides the events."""

    kinds: KindRegistry
    silo_of: dict[str, str]
    deciders: frozenset[str]
    compiled: bool
    progress: bool | None

    def kernel_input(self, events: pd.DataFrame, codes: np.ndarray) -> KernelInput | None:
        """The kernel's input arrays of the corpus; None when the kernel does not run."""
        if not self.compiled:
            return None
        from casuistry.kernel_tables import kernel_input

        return kernel_input(
            events, codes, kinds=self.kinds, silo_of=self.silo_of, deciders=self.deciders
        )

    def columns(
        self,
        events: Callable[[], pd.DataFrame],
        starts: np.ndarray,
        ticks: np.ndarray,
        label: str,
        *,
        given: KernelInput | None,
        event_ids: pd.Series | None,
    ) -> tuple[dict[str, dict], np.ndarray]:
        """The columns of the five row tables (:data:`_ROW_TABLES`), merged in
        case order, and per event whether it takes part (up to its horizon).

        ``events()`` gives the events table, which the reference engine reads
        (kind, actor, to, signals, event_id; case_id, when there, names a case
        in an error), sorted by case (each case's first row in ``starts``) and
        ``ticks``; it is called only when the reference engine has cases to
        run. ``given`` is the kernel's input (None: every case runs in the
        reference engine). Without ``event_ids`` (a robustness variant) the
        columns are those the verdicts compare (:data:`COMPARED`).
        """
        n_cases = len(starts) - 1
        in_horizon = np.zeros(len(ticks), dtype=bool)
        parts: dict[str, list[dict]] = {name: [] for name in _ROW_TABLES}
        reference_cases: list[int] = list(range(n_cases))
        if given is not None and n_cases:  # a variant may have no rows at all
            from casuistry.kernel_tables import run_kernel

            done = run_kernel(given, starts.astype(np.int64), ticks, named=event_ids is not None)
            for name in parts:
                parts[name].append(getattr(done, name))
            in_horizon = done.in_horizon
            reference_cases = np.flatnonzero(done.left).tolist()
        rows = Rows(kinds=self.kinds)
        if reference_cases:
            self._reference(events(), starts, ticks, reference_cases, in_horizon, label, rows)
        layouts = {
            "signals": (rows.signals, SIGNAL_ROW),
            "opportunities": (rows.opportunities, OPPORTUNITY_ROW),
            "silo_pairs": (rows.silo_pairs, SILO_PAIR_ROW),
            "cases": (rows.cases, CASE_ROW),
            "knowledge": (rows.knowledge, KNOWLEDGE_ROW),
        }
        for name, (found_rows, layout) in layouts.items():
            parts[name].append(TableBuilder.columns(found_rows, layout))
        if event_ids is None:
            parts = {
                name: [{k: part[k] for k in ("case", *fields)} for part in parts[name]]
                for name, fields in COMPARED.items()
            }
        return {name: merge_columns(found) for name, found in parts.items()}, in_horizon

    def _reference(
        self,
        events: pd.DataFrame,
        starts: np.ndarray,
        ticks: np.ndarray,
        cases: list[int],
        in_horizon: np.ndarray,
        label: str,
        rows: Rows,
    ) -> None:
        """Add the rows of ``cases`` by the reference engine to ``rows``; mark
        their events in ``in_horizon``."""
        bounds = starts.tolist()
        kinds = events[KIND].tolist()
        actors = events[ACTOR].tolist()
        to = events[TO].tolist()
        signals = events[SIGNALS].tolist()
        event_ids = events[EVENT_ID].tolist()
        ticks_list = ticks.tolist()
        with collector_paused():
            for case in track(cases, label=label, show=self.progress):
                lo, hi = bounds[case], bounds[case + 1]
                case_ticks, case_kinds = ticks_list[lo:hi], kinds[lo:hi]
                case_event_ids = event_ids[lo:hi]
                try:
                    run = propagate(
                        case_ticks,
                        case_kinds,
                        actors[lo:hi],
                        to[lo:hi],
                        signals[lo:hi],
                        case_event_ids,
                        self.silo_of,
                        kinds=self.kinds,
                        deciders=self.deciders,
                    )
                except UnknownSignalReference as err:
                    case_id = events[CASE_ID].iat[lo] if CASE_ID in events else case
                    raise CasuistryError(f"case {case_id!r}: {err}") from err
                in_horizon[lo : lo + run.n_in] = True
                rows.add(case, lo, run, case_ticks, case_kinds, case_event_ids)


def _reviewer_tables(casebook: Casebook) -> tuple[frozenset[str], pd.DataFrame]:
    """The reviewer's tables the figures need (section 5): the deciding actors,
    and the episodes.

    The one place that reads them; a Casebook without them (made by hand, or
    before they were read) has no deciding actors and no episodes.
    """
    actors = casebook.actors
    deciders = frozenset()
    if "decides" in actors:
        deciders = frozenset(actors[ACTOR][actors["decides"].fillna(False).astype(bool)])
    episodes = getattr(casebook, "episodes", None)
    if episodes is None or not len(episodes):
        episodes = pd.DataFrame({c: [] for c in (CASE_ID, "episode_id", "events", "assessment")})
    return deciders, episodes


def _check_order(codes: np.ndarray, ticks: np.ndarray) -> None:
    same_case = codes[1:] == codes[:-1]
    if (np.diff(codes) < 0).any() or (same_case & (ticks[1:] < ticks[:-1])).any():
        raise CasuistryError(
            "the casebook's events are not sorted by case and time; "
            "make the casebook with casuistry.load"
        )
