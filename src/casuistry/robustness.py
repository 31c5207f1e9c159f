"""How sure: the figures again without uncertain rows (docs/case_format.md section 5.2).

For a case with ``likely`` or ``uncertain`` rows, :func:`case_verdicts` runs
the engine twice more, on the variant ``without_uncertain`` (rows marked
``uncertain`` dropped) and ``certain_only`` (``likely`` dropped too), and
gives every signal, missed opportunity, silo pair and the case's
knowing-acting figure a verdict per variant: ``holds``, ``changes`` or
``gone``. A case without such rows is not run again: nothing was removed, so
every verdict is ``holds`` (see docs/choices.md).

Dropping rows: references to dropped signals leave the ``signals`` lists of
the remaining rows; a list emptied that way becomes ``(LISTED_NOTHING,)``,
which the engine reads as "listed, names nothing" (a share, meeting or
action then carries or acts on nothing; a withhold's counterfactual share
carries nothing; a meeting that listed signals stays an opportunity).

Examples
--------
>>> variant_rows(["e1", "e2", "e3"], [(), (), ("e2",)], ["", "uncertain", ""],
...              {"uncertain"})
([0, 2], [(), ('\\x00listed-nothing',)])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from casuistry.engine import LISTED_NOTHING, CaseRun, propagate
from casuistry.kinds import KINDS, KindRegistry
from casuistry.metrics import days, knowing_to_acting, silo_pair_delays
from casuistry.vocabulary import SECONDS_PER_DAY

#: The variants, with the confidence levels each drops.
VARIANTS: dict[str, frozenset[str]] = {
    "without_uncertain": frozenset({"uncertain"}),
    "certain_only": frozenset({"likely", "uncertain"}),
}
HOLDS, CHANGES, GONE = "holds", "changes", "gone"
#: Confidence values that make a case worth running again.
NOT_CERTAIN = ("likely", "uncertain")


class Verdicts(NamedTuple):
    """One variant's verdicts for one case, each with the variant's value (NaN when none).

    ``signals`` per signal number of the actual run, ``opportunities`` per
    opportunity of the actual run (None for one that was not missed),
    ``silo_pairs`` per pair of the actual run, ``case`` for knowing-acting.
    Values: ``dwell_days``, ``gain_signal_days``, ``delay_days`` and
    ``knowing_acting_days`` in the variant.
    """

    signals: list[tuple[str, float]]
    opportunities: list[tuple[str, float] | None]
    silo_pairs: list[tuple[str, float]]
    case: tuple[str, float]


def variant_rows(
    event_ids: Sequence[str],
    signals: Sequence[tuple[str, ...]],
    confidence: Sequence,
    dropped: frozenset[str],
) -> tuple[list[int], list[tuple[str, ...]]]:
    """The positions kept in a variant and their ``signals`` lists.

    A list that named only dropped signals becomes ``(LISTED_NOTHING,)``.
    """
    kept = [j for j, level in enumerate(confidence) if level not in dropped]
    gone = {event_ids[j] for j, level in enumerate(confidence) if level in dropped}
    lists = []
    for j in kept:
        listed = signals[j]
        if listed and not gone.isdisjoint(listed):
            listed = tuple(s for s in listed if s not in gone) or (LISTED_NOTHING,)
        lists.append(listed)
    return kept, lists


class _Figures(NamedTuple):
    """The figures a verdict compares, keyed by what survives a variant."""

    signals: dict[str, tuple[int | None, float, float]]  # converged ticks, dwell, relational
    gains: dict[str, float]  # opportunity event_id -> gain_signal_days
    pairs: dict[tuple[str, str], tuple[int | None, float]]  # converged ticks, delay
    knowing_acting: float


def _figures(run: CaseRun, ticks, kind_codes, event_ids, acting) -> _Figures:
    signals = {}
    first_convergence = None
    for s, pos in enumerate(run.signal_positions):
        conv = run.converged[s]
        if conv is not None and (first_convergence is None or conv < first_convergence):
            first_convergence = conv
        signals[event_ids[pos]] = (
            None if conv is None else ticks[conv],
            days(ticks[pos], run.end[s]),
            days(ticks[pos], run.relational_end[s]),
        )
    gains = {event_ids[pos]: sum(g.values()) / SECONDS_PER_DAY for pos, g in run.opportunities}
    pairs = {
        (a, b): (None if pos is None else ticks[pos], delay)
        for (a, b, pos), delay in zip(run.silo_pairs, silo_pair_delays(run, ticks), strict=True)
    }
    knowing_acting, _ = knowing_to_acting(run, ticks, kind_codes, first_convergence, acting)
    return _Figures(signals, gains, pairs, knowing_acting)


def case_verdicts(
    run: CaseRun,
    columns: Mapping[str, Sequence],
    confidence: Sequence,
    silo_of: Mapping[str, str],
    *,
    kinds: KindRegistry = KINDS,
    deciders: frozenset[str] = frozenset(),
) -> dict[str, Verdicts]:
    """The verdicts of one case per variant.

    Parameters
    ----------
    run : CaseRun
        The engine's run of the whole case.
    columns : mapping
        The case's ``ticks``, ``kind``, ``actor``, ``to``, ``signals`` and
        ``event_id`` lists, in processing order, as given to the engine.
    confidence : sequence
        Per event its confidence level (``likely``, ``uncertain``, or
        anything else for certain).
    silo_of : mapping
        Actor to silo.
    kinds, deciders : keyword-only
        As for :func:`casuistry.engine.propagate`.

    Returns
    -------
    dict
        :class:`Verdicts` by variant name.
    """
    ticks, kind_codes, event_ids = columns["ticks"], columns["kind"], columns["event_id"]
    acting = kinds.acting
    base = _figures(run, ticks, kind_codes, event_ids, acting)
    out = {}
    for variant, dropped in VARIANTS.items():
        kept, lists = variant_rows(event_ids, columns["signals"], confidence, dropped)
        removed = {event_ids[j] for j in range(len(event_ids))} - {event_ids[j] for j in kept}
        if kept:
            pick = [columns[name] for name in ("ticks", "kind", "actor", "to", "event_id")]
            v_ticks, v_kinds, v_actors, v_to, v_ids = ([col[j] for j in kept] for col in pick)
            v_run = propagate(
                v_ticks, v_kinds, v_actors, v_to, lists, v_ids, silo_of,
                kinds=kinds, deciders=deciders,
            )  # fmt: skip
            figures = _figures(v_run, v_ticks, v_kinds, v_ids, acting)
        else:
            figures = _Figures({}, {}, {}, math.nan)
        out[variant] = _compare(base, figures, removed, run, event_ids)
    return out


def _compare(base: _Figures, other: _Figures, removed: set, run: CaseRun, event_ids) -> Verdicts:
    signals = []
    for signal_id, figures in base.signals.items():
        found = other.signals.get(signal_id)
        if signal_id in removed:
            signals.append((GONE, math.nan))
        elif found is None:
            signals.append((CHANGES, math.nan))
        else:
            signals.append((HOLDS if found == figures else CHANGES, found[1]))
    opportunities: list[tuple[str, float] | None] = []
    for pos, gains in run.opportunities:
        event_id = event_ids[pos]
        if not gains:
            opportunities.append(None)
            continue
        gain = other.gains.get(event_id)
        if gain is None or not gain:  # removed, after the horizon, or no longer missed
            opportunities.append((GONE, math.nan if gain is None else gain))
        else:
            opportunities.append((HOLDS if gain == base.gains[event_id] else CHANGES, gain))
    pairs = []
    for pair, figures in base.pairs.items():
        found = other.pairs.get(pair)
        if found is None:
            pairs.append((GONE, math.nan))
        else:
            pairs.append((HOLDS if found == figures else CHANGES, found[1]))
    before, after = base.knowing_acting, other.knowing_acting
    if (math.isnan(before) and math.isnan(after)) or before == after:
        case = (HOLDS, after)
    elif math.isnan(after):
        case = (GONE, after)
    else:
        case = (CHANGES, after)
    return Verdicts(signals, opportunities, pairs, case)
