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

import gc
from contextlib import contextmanager

import numpy as np
import pandas as pd

from casuistry.analysis_tables import TableBuilder, merge_columns, non_empty
from casuistry.casebook import Casebook
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
from casuistry.progress import track
from casuistry.robustness import (
    VerdictCollector,
    case_verdicts,
    uncertain_cases,
)
from casuistry.vocabulary import (
    ACTOR,
    BASIS,
    CASE_ID,
    CONFIDENCE,
    EVENT_ID,
    KIND,
    REASON,
    SIGNALS,
    TICKS,
    TO,
)

#: The tables made of the engines' rows; robustness and episodes are gathered apart.
_ROW_TABLES = ("signals", "opportunities", "silo_pairs", "cases", "knowledge")


def run_tables(
    casebook: Casebook, *, progress: bool | None, compiled: bool
) -> dict[str, pd.DataFrame]:
    """The tables of :func:`~casuistry.analysis.analyse` in this process, by name.

    The kernel (``compiled``) runs the cases it can, the reference engine
    the others, case by case. Without numba the kernel runs as plain Python
    (the tests use that to check it against the reference)."""
    events = casebook.events
    codes, case_ids = pd.factorize(events[CASE_ID], sort=False)
    ticks_array = events[TICKS].to_numpy(dtype=np.int64)
    _check_order(codes, ticks_array)
    n_cases = len(case_ids)
    starts_array = np.searchsorted(codes, np.arange(n_cases + 1))
    starts = starts_array.tolist()

    deciders, episodes_by_case = _reviewer_tables(casebook)
    case_names = case_ids.tolist() if episodes_by_case else []
    uncertain = uncertain_cases(events, codes, n_cases)
    confidence = events[CONFIDENCE].tolist() if uncertain else None
    found = VerdictCollector()
    silo_of = casebook.silo_of()

    in_horizon = np.zeros(len(events), dtype=bool)
    parts: dict[str, list[dict]] = {name: [] for name in _ROW_TABLES}
    reference_cases: list[int] = list(range(n_cases))
    if compiled:
        from casuistry.kernel_tables import run_kernel

        leave = np.zeros(n_cases, dtype=bool)
        leave[list(uncertain)] = True  # robustness variants: the reference engine
        if episodes_by_case:
            leave |= pd.Index(case_ids).astype(str).isin(list(episodes_by_case))
        done = run_kernel(
            events, codes, starts_array.astype(np.int64), ticks_array,
            kinds=casebook.kinds, silo_of=silo_of, deciders=deciders, leave=leave,
        )  # fmt: skip
        for name in parts:
            parts[name].append(getattr(done, name))
        in_horizon = done.in_horizon
        reference_cases = np.flatnonzero(done.left).tolist()

    rows = Rows(kinds=casebook.kinds)
    if reference_cases:
        ticks = ticks_array.tolist()
        kinds = events[KIND].tolist()
        actors = events[ACTOR].tolist()
        to = events[TO].tolist()
        signals = events[SIGNALS].tolist()
        event_ids = events[EVENT_ID].tolist()
    with _collector_paused():
        for case in track(reference_cases, label="analysing cases", show=progress):
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
            episodes = episodes_by_case.get(case_names[case], ()) if episodes_by_case else ()
            if case in uncertain or episodes:
                columns = {
                    TICKS: case_ticks,
                    KIND: case_kinds,
                    ACTOR: actors[lo:hi],
                    TO: to[lo:hi],
                    SIGNALS: signals[lo:hi],
                    EVENT_ID: case_event_ids,
                }
            if case in uncertain:
                verdicts = case_verdicts(
                    run,
                    columns,
                    confidence[lo:hi],
                    silo_of,
                    kinds=casebook.kinds,
                    deciders=deciders,
                )
                found.verdicts.append((rows.at(), case, verdicts))
            for episode in episodes:
                figures = episode_figures(run, episode[1], columns)
                found.episodes.append((case, lo, episode, figures))
            rows.add(case, lo, run, case_ticks, case_kinds, case_event_ids)

    layouts = {
        "signals": (rows.signals, SIGNAL_ROW),
        "opportunities": (rows.opportunities, OPPORTUNITY_ROW),
        "silo_pairs": (rows.silo_pairs, SILO_PAIR_ROW),
        "cases": (rows.cases, CASE_ROW),
        "knowledge": (rows.knowledge, KNOWLEDGE_ROW),
    }
    columns = {}
    for name, (found_rows, layout) in layouts.items():
        parts[name].append(TableBuilder.columns(found_rows, layout))
        columns[name] = merge_columns(parts[name])
    if compiled:
        found.verdicts = _verdicts_in_tables(found.verdicts, columns)

    styles = casebook.time_styles.reindex(case_ids).to_numpy(dtype=object)
    tables = TableBuilder(events, case_ids, styles)
    counts = accountability(
        codes,
        events[KIND].to_numpy(dtype=object),
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
    out["robustness"] = found.robustness(out)
    out["episodes"] = tables.episodes(found.episodes)
    return out


def _verdicts_in_tables(verdicts: list[tuple], columns: dict[str, dict]) -> list[tuple]:
    """The verdicts with the rows where their case's signals, opportunities and silo
    pairs start in the merged tables (they were counted among the reference rows)."""
    firsts = [columns[name]["case"] for name in ("signals", "opportunities", "silo_pairs")]
    return [
        (tuple(int(np.searchsorted(first, case)) for first in firsts), case, found)
        for _, case, found in verdicts
    ]


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
