"""Figures from a case run: per signal, opportunity, silo pair and case.

:func:`casuistry.engine.propagate` says which event did what; this module
turns that into the figures of docs/case_format.md section 2, as rows of plain
tuples (event positions in the corpus, counts, days). :mod:`casuistry.analysis`
gathers the rows of every case and builds the tables once. Durations are
``(end - start) / 86400`` days, never negative.

Examples
--------
>>> days(0, 129600)
1.5
>>> days(10, 5)
0.0
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence

import numpy as np

from casuistry.engine import CaseRun
from casuistry.kinds import KINDS, SHARE, WITHHOLD, KindRegistry
from casuistry.vocabulary import SECONDS_PER_DAY

# Layouts of the rows, in field order, with the kind of value each field holds:
# "int", "float", "bool", or "object" (text, tuples, and values that may be None).
# ``*_row`` fields are positions in the corpus' events table, -1 for none (the
# times of the figures are the times of those events); missing days are NaN.
# The reach fields (section 5.3) are -1 / NaN / None for a case without
# deciding actors.
SIGNAL_ROW = {
    "case": "int",
    "signal_row": "int",
    "silo": "object",
    "converged_row": "int",
    "censored": "bool",
    "dwell_days": "float",
    "relational_days": "float",
    "decision_days": "float",
    "acted_row": "int",
    "acting_days": "float",
    "acting_censored": "bool",
    "reached_row": "int",
    "reach_days": "float",
    "reach_censored": "object",
}
OPPORTUNITY_ROW = {
    "case": "int",
    "row": "int",
    "gain_signal_days": "float",
    "max_gain_days": "float",
    "signals_advanced": "int",
    "advanced_signals": "object",
    "missed": "bool",
    "reach_gain_signal_days": "float",
}
SILO_PAIR_ROW = {
    "case": "int",
    "silo_a": "object",
    "silo_b": "object",
    "converged_row": "int",
    "censored": "bool",
    "delay_days": "float",
}
CASE_ROW = {
    "case": "int",
    "horizon": "int",
    "horizon_row": "int",
    "first_convergence_row": "int",
    "knowing_acting_days": "float",
    "knowing_acting_censored": "object",
    "events": "int",
    "signals": "int",
    "converged": "int",
    "censored": "int",
    "missed_opportunities": "int",
    "signals_reached": "object",
    "full_picture_row": "int",
    "full_picture_days": "float",
    "full_picture_censored": "object",
}
KNOWLEDGE_ROW = {"case": "int", "actor": "object", "signal_row": "int", "via_row": "int"}


def days(start: int, end: int) -> float:
    """Days from ``start`` to ``end`` ticks, zero when ``end`` is not later."""
    return (end - start) / SECONDS_PER_DAY if end > start else 0.0


class Rows:
    """Rows of the analysis tables, added case by case.

    Parameters
    ----------
    kinds : KindRegistry, keyword-only
        The registry that says which kinds act on signals (for the time from
        knowing to acting).

    Attributes
    ----------
    signals, opportunities, silo_pairs, cases, knowledge : list of tuple
        One tuple per row, fields as in :data:`SIGNAL_ROW`,
        :data:`OPPORTUNITY_ROW`, :data:`SILO_PAIR_ROW`, :data:`CASE_ROW` and
        :data:`KNOWLEDGE_ROW`.

    Examples
    --------
    >>> from casuistry.engine import propagate
    >>> ticks, kinds = [0, 86400], ["signal", "action"]
    >>> run = propagate(ticks, kinds, ["school", "school"], [(), ()], [(), ()],
    ...                 ["e1", "e2"], {"school": "onderwijs"})
    >>> rows = Rows()
    >>> rows.add(0, 0, run, ticks, kinds, ["e1", "e2"])
    >>> dict(zip(SIGNAL_ROW, rows.signals[0]))["acting_days"]
    1.0
    """

    __slots__ = ("_acting", "cases", "knowledge", "opportunities", "signals", "silo_pairs")

    def __init__(self, *, kinds: KindRegistry = KINDS) -> None:
        self._acting = kinds.acting
        self.signals: list[tuple] = []
        self.opportunities: list[tuple] = []
        self.silo_pairs: list[tuple] = []
        self.cases: list[tuple] = []
        self.knowledge: list[tuple] = []

    def add(
        self,
        case: int,
        offset: int,
        run: CaseRun,
        ticks: Sequence[int],
        kind_codes: Sequence[str],
        event_ids: Sequence[str],
    ) -> None:
        """Add the rows of one case.

        Parameters
        ----------
        case : int
            The case's number in the corpus.
        offset : int
            Position of the case's first event in the corpus' events table.
        run : CaseRun
            The engine's result for the case.
        ticks, kind_codes, event_ids : sequences
            The case's columns, as given to the engine.
        """
        horizon = run.horizon
        sig_pos = run.signal_positions
        append = self.signals.append
        first_convergence = None  # position of the earliest converging event
        reached = run.reached
        for s, pos in enumerate(sig_pos):
            observed = ticks[pos]
            conv = run.converged[s]
            # Inline days(): this loop runs once per signal of the corpus.
            end, rel_end = run.end[s], run.relational_end[s]
            dwell = (end - observed) / SECONDS_PER_DAY if end > observed else 0.0
            relational = (rel_end - observed) / SECONDS_PER_DAY if rel_end > observed else 0.0
            act = run.acted[s]
            if conv is not None and (first_convergence is None or conv < first_convergence):
                first_convergence = conv
            if reached is None:
                reach = (-1, math.nan, None)
            else:
                at = reached[s]
                reach = (
                    -1 if at is None else offset + at,
                    days(observed, horizon if at is None else ticks[at]),
                    at is None,
                )
            append(
                (
                    case,
                    offset + pos,
                    run.signal_silos[s],
                    -1 if conv is None else offset + conv,
                    conv is None,
                    dwell,
                    relational,
                    dwell - relational,
                    -1 if act is None else offset + act,
                    days(observed, horizon if act is None else ticks[act]),
                    act is None,
                    *reach,
                )
            )

        missed = 0
        reach_gains = run.reach_gains
        for k, (pos, gains) in enumerate(run.opportunities):
            reach_gain = (
                math.nan if reach_gains is None else sum(reach_gains[k].values()) / SECONDS_PER_DAY
            )
            if gains:
                missed += 1
                self.opportunities.append(
                    (
                        case,
                        offset + pos,
                        sum(gains.values()) / SECONDS_PER_DAY,
                        max(gains.values()) / SECONDS_PER_DAY,
                        len(gains),
                        tuple(event_ids[sig_pos[s]] for s in sorted(gains)),
                        True,
                        reach_gain,
                    )
                )
            else:
                self.opportunities.append((case, offset + pos, 0.0, 0.0, 0, (), False, reach_gain))

        for (silo_a, silo_b, pos), delay in zip(
            run.silo_pairs, silo_pair_delays(run, ticks), strict=True
        ):
            self.silo_pairs.append(
                (case, silo_a, silo_b, -1 if pos is None else offset + pos, pos is None, delay)
            )

        knowing_acting, acting_censored = knowing_to_acting(
            run, ticks, kind_codes, first_convergence, self._acting
        )
        n_converged = sum(c is not None for c in run.converged)
        picture = (None, -1, math.nan, None)
        if reached is not None:
            full = run.full_picture
            picture = (
                sum(at is not None for at in reached),
                -1 if full is None else offset + full,
                math.nan
                if not sig_pos
                else days(ticks[sig_pos[0]], horizon if full is None else ticks[full]),
                None if not sig_pos else full is None,
            )
        self.cases.append(
            (
                case,
                horizon,
                -1 if run.horizon_position is None else offset + run.horizon_position,
                -1 if first_convergence is None else offset + first_convergence,
                knowing_acting,
                acting_censored,
                len(ticks),
                len(sig_pos),
                n_converged,
                len(sig_pos) - n_converged,
                missed,
                *picture,
            )
        )

        names = run.actors
        self.knowledge += [
            (case, names[a], offset + sig_pos[s], offset + pos) for a, s, pos in run.knowledge
        ]


def silo_pair_delays(run: CaseRun, ticks: Sequence[int]) -> list[float]:
    """Per silo pair of ``run``: ``delay_days``, from the later of the two silos'
    first observations to their first meeting, or to the horizon."""
    first_seen: dict[str, int] = {}
    for s, pos in enumerate(run.signal_positions):
        first_seen.setdefault(run.signal_silos[s], ticks[pos])
    return [
        days(max(first_seen[a], first_seen[b]), run.horizon if pos is None else ticks[pos])
        for a, b, pos in run.silo_pairs
    ]


def knowing_to_acting(
    run: CaseRun,
    ticks: Sequence[int],
    kind_codes: Sequence[str],
    first_convergence: int | None,
    acting: frozenset[str],
) -> tuple[float, bool | None]:
    """A case's ``knowing_acting_days`` and ``knowing_acting_censored``.

    From the time of ``first_convergence`` (a position; None without a
    convergence, which gives ``(nan, None)``) to the first event of an acting
    kind at or after it, or to the horizon (censored).
    """
    if first_convergence is None:
        return math.nan, None
    known_at = ticks[first_convergence]
    for j in range(bisect_left(ticks, known_at, 0, run.n_in), run.n_in):
        if kind_codes[j] in acting:
            return days(known_at, ticks[j]), False
    return days(known_at, run.horizon), True


def accountability(
    case_codes: np.ndarray,
    kinds: np.ndarray,
    has_basis: np.ndarray,
    has_reason: np.ndarray,
    in_horizon: np.ndarray,
    n_cases: int,
) -> dict[str, np.ndarray]:
    """Count shares and withholds up to the horizon, with and without a basis or reason.

    Parameters
    ----------
    case_codes : numpy.ndarray of int
        Per event, the number of its case.
    kinds : array-like of str
        Per event, its canonical kind (a numpy or pandas array of text,
        compared with ``==`` as a whole).
    has_basis, has_reason : numpy.ndarray of bool
        Per event, whether ``basis`` / ``reason`` holds a non-empty value.
    in_horizon : numpy.ndarray of bool
        Per event, whether it takes part (time not after its case's horizon).
    n_cases : int
        Number of cases.

    Returns
    -------
    dict of numpy.ndarray
        Per case: ``shares``, ``shares_with_basis``, ``withholds``,
        ``withholds_with_reason``.

    Examples
    --------
    >>> import numpy as np
    >>> out = accountability(np.array([0, 0, 1]), np.array(["share", "withhold", "share"]),
    ...                      np.array([True, False, False]), np.array([False, True, False]),
    ...                      np.array([True, True, False]), 2)
    >>> out["shares"].tolist(), out["withholds_with_reason"].tolist()
    ([1, 0], [1, 0])
    """
    shares = in_horizon & np.asarray(kinds == SHARE, dtype=bool)
    withholds = in_horizon & np.asarray(kinds == WITHHOLD, dtype=bool)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(case_codes[mask], minlength=n_cases)

    return {
        "shares": count(shares),
        "shares_with_basis": count(shares & has_basis),
        "withholds": count(withholds),
        "withholds_with_reason": count(withholds & has_reason),
    }
