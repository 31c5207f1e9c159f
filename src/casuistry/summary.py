"""The readable per-case summary that ``casuistry analyse`` prints by default.

Plain English, blame-free: it speaks of organisations, silos and channels,
never of persons, and says what each missed channel would have changed rather
than who should have used it. Use :meth:`casuistry.Analysis.summary_text`.
"""

from __future__ import annotations

import pandas as pd

from casuistry.analysis import Analysis, table_time
from casuistry.timeaxis import DAYS
from casuistry.vocabulary import CASE_ID, REASONS


def summary_text(analysis: Analysis) -> str:
    """Summaries of every case of ``analysis``, separated by blank lines."""
    labels = analysis.casebook.label_of()
    signals = analysis.signals.groupby(CASE_ID, sort=False)
    missed = analysis.opportunities[analysis.opportunities["missed"]].groupby(CASE_ID, sort=False)
    parts = []
    for case in analysis.cases.itertuples(index=False):
        case_signals = signals.get_group(case.case_id) if case.signals else None
        case_missed = missed.get_group(case.case_id) if case.missed_opportunities else None
        parts.append(_case_text(case, case_signals, case_missed, labels))
    return "\n\n".join(parts)


def _case_text(case, signals: pd.DataFrame | None, missed: pd.DataFrame | None, labels) -> str:
    style = case.time_style

    def when(value) -> str:
        return _when(value, style)

    def who(actor) -> str:
        return labels.get(actor, str(actor))

    end = "the last event" if pd.isna(case.horizon_event) else f"incident {case.horizon_event}"
    lines = [
        f"Case {case.case_id}: {case.events} events, {case.signals} signals "
        f"observed by the horizon {when(case.horizon)} (set by {end}).",
        "",
        "Signals, and how long each stayed within its own silo:",
    ]
    if signals is None:
        lines.append("  No signal was observed by the horizon.")
    else:
        for sig in signals.itertuples(index=False):
            seen = (
                f"  - {sig.signal_id} ({_text(sig.category, 'no category')}), "
                f"observed at {who(sig.actor)} ({sig.silo}) {when(sig.observed_at)}: "
            )
            if sig.censored:
                stay = (
                    f"had not met a signal of another silo by the horizon, "
                    f"{_days(sig.dwell_days)} (censored)"
                )
            else:
                stay = (
                    f"met a signal of another silo {when(sig.converged_at)} through "
                    f"{sig.converged_by}, after {_days(sig.dwell_days)}"
                )
            split = (
                f"; {_days(sig.relational_days)} with no channel at all, "
                f"{_days(sig.decision_days)} while a channel existed"
            )
            lines.append(seen + stay + split + ".")
    lines += ["", "Missed opportunities (what taking each one alone would have gained):"]
    if missed is None:
        lines.append("  None: taking any single withhold, contact or meeting fully would not")
        lines.append("  have brought a signal together with another silo's sooner.")
    else:
        for opp in missed.itertuples(index=False):
            why = ""
            if opp.kind == "withhold" and isinstance(opp.reason, str) and opp.reason:
                why = f" (reason recorded: {REASONS.get(opp.reason, {}).get('en', opp.reason)})"
            channel = f"{who(opp.actor)} to {', '.join(who(a) for a in opp.to)}"
            count = opp.signals_advanced
            lines.append(
                f"  - {opp.event_id}: a {opp.kind} from {channel} {when(opp.time)}{why} "
                f"would have brought {count} signal{'s' if count != 1 else ''} together sooner, "
                f"{_days(opp.gain_signal_days)} over all signals, at most "
                f"{_days(opp.max_gain_days)} for one."
            )
    lines += ["", "From knowing to acting:"]
    if pd.isna(case.first_convergence_at):
        lines.append("  No signal met a signal of another silo by the horizon.")
    elif case.knowing_acting_censored:
        lines.append(
            f"  Signals first came together {when(case.first_convergence_at)}; no action "
            f"followed by the horizon, {_days(case.knowing_acting_days)} later (censored)."
        )
    else:
        lines.append(
            f"  Signals first came together {when(case.first_convergence_at)}; the first "
            f"action followed {_days(case.knowing_acting_days)} later."
        )
    lines += [
        "",
        f"Accountability: {case.shares} share{'s' if case.shares != 1 else ''}, "
        f"{case.shares_with_basis} with a recorded legal basis; "
        f"{case.withholds} withhold{'s' if case.withholds != 1 else ''}, "
        f"{case.withholds_with_reason} with a recorded reason.",
    ]
    return "\n".join(lines)


def _when(value, style: str) -> str:
    written = table_time(value, style)
    return f"on day {written}" if style == DAYS else f"on {written}"


def _days(value: float) -> str:
    """``12 days``, ``1 day``, ``2.5 days``: one decimal at most."""
    rounded = round(float(value), 1)
    text = f"{rounded:g}"
    return f"{text} day" if rounded == 1 else f"{text} days"


def _text(value, default: str) -> str:
    return default if value is None or pd.isna(value) or value == "" else str(value)
