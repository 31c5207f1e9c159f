"""Questions for the learning session, drawn from the findings of one case.

The questions follow systems-based, blame-free case review: they ask what
made something hard at the time and what would have helped, about
organisations and channels, never about a person's fault. Each question names
the events it comes from.
"""

from __future__ import annotations

from casuistry.kinds import SHARE, WITHHOLD
from casuistry.presentation.missing import missing
from casuistry.reporting import reviewer_sections, sections
from casuistry.reporting.facts import CaseFacts
from casuistry.vocabulary import BASIS, CATEGORY, EVENT_ID, KIND, REASON, TO


def questions(f: CaseFacts) -> list[dict]:
    """The questions, most specific first; each ``{"text", "refs"}``.

    The questions of the review's findings, when there are any, follow the largest missed
    opportunity.
    """
    out = [q for q in (_largest_missed(f),) if q] + reviewer_sections.finding_questions(f)
    out += [q for q in (_decision(f), _relational(f), _pair(f)) if q]
    out += [q for q in (_accountability(f), _acting(f)) if q]
    out.append({"text": f.texts("question.hindsight"), "refs": []})
    out.append({"text": f.texts("question.went_well"), "refs": []})
    return [{**q, "text": q["text"][:1].upper() + q["text"][1:]} for q in out]


def _largest_missed(f: CaseFacts) -> dict | None:
    missed = f.opportunities[f.opportunities["missed"]]
    if not len(missed):
        return None
    o = missed.sort_values(
        ["gain_signal_days", "max_gain_days"], ascending=False, kind="stable"
    ).iloc[0]
    t = f.texts
    reason = t.reason(o[REASON]) if not missing(o[REASON]) else t("question.no_reason")
    text = t(
        f"question.missed_{o[KIND]}",
        when=f.when(o["time"]),
        actor=f.who(o["actor"]),
        to=f.whom(o[TO]),
        reason=reason,
        signals=t.n("count.signals", int(o["signals_advanced"])),
        gain=t.days(o["gain_signal_days"]),
    )
    return {"text": text, "refs": f.refs_of([o[EVENT_ID], *o["advanced_signals"]])}


def _largest(frame, column: str):
    """The row with the largest positive ``column`` (the first of equals), or None."""
    positive = frame[frame[column] > 0]
    if not len(positive):
        return None
    return positive.sort_values(column, ascending=False, kind="stable").iloc[0]


def _decision(f: CaseFacts) -> dict | None:
    return _longest_signal(f, "decision", actor=lambda s: f.who(s["actor"]))


def _relational(f: CaseFacts) -> dict | None:
    return _longest_signal(f, "relational", silo=lambda s: f.texts.silo(s["silo"]))


def _longest_signal(f: CaseFacts, part: str, **fields) -> dict | None:
    """The question about the signal with the most ``{part}_days``, or None when none has any.

    ``fields`` give the question's further fields, each from the signal's row.
    """
    s = _largest(f.signals, f"{part}_days")
    if s is None:
        return None
    t = f.texts
    text = t(
        f"question.{part}",
        signal=s["signal_id"],
        category=t.category(s[CATEGORY]),
        days=t.days(s[f"{part}_days"]),
        **{name: field(s) for name, field in fields.items()},
    )
    return {"text": text, "refs": f.refs_of([s["signal_id"]])}


def _pair(f: CaseFacts) -> dict | None:
    p = _largest(f.silo_pairs, "delay_days")
    if p is None:
        return None
    t = f.texts
    key = "question.pair_censored" if p["censored"] else "question.pair"
    first = f.signals[f.signals["silo"].isin([p["silo_a"], p["silo_b"]])]
    text = t(key, a=t.silo(p["silo_a"]), b=t.silo(p["silo_b"]), days=t.days(p["delay_days"]))
    return {"text": text, "refs": f.refs_of(first.groupby("silo")["signal_id"].first())}


def _accountability(f: CaseFacts) -> dict | None:
    case = f.case
    no_basis = int(case["shares"] - case["shares_with_basis"])
    no_reason = int(case["withholds"] - case["withholds_with_reason"])
    if not no_basis and not no_reason:
        return None
    ev = f.events[f.in_horizon]
    blank_basis = ev[BASIS].map(lambda v: not f.text(v).strip())
    blank_reason = ev[REASON].map(lambda v: not f.text(v).strip())
    gaps = ev[((ev[KIND] == SHARE) & blank_basis) | ((ev[KIND] == WITHHOLD) & blank_reason)]
    t = f.texts
    text = t("question.accountability", shares=no_basis, withholds=no_reason)
    return {"text": text, "refs": f.refs_of(gaps[EVENT_ID])}


def _acting(f: CaseFacts) -> dict | None:
    case = f.case
    if missing(case["first_convergence_at"]) or case["knowing_acting_days"] <= 0:
        return None
    t = f.texts
    key = "question.acting_censored" if case["knowing_acting_censored"] else "question.acting"
    text = t(
        key, when=f.when(case["first_convergence_at"]), days=t.days(case["knowing_acting_days"])
    )
    return {"text": text, "refs": sections.acting(f)["refs"]}
