"""The findings of each report section, as plain data for the template.

Every function takes the :class:`~casuistry.reporting.facts.CaseFacts` of one
case and returns lists and dicts of text, numbers and
:class:`~casuistry.reporting.facts.Ref` objects (the events a finding rests on).
No HTML is made here: the template writes it, escaping everything.
"""

from __future__ import annotations

from casuistry.kinds import CONTACT, MEETING, SHARE, WITHHOLD, Mark
from casuistry.presentation.missing import missing
from casuistry.presentation.palette import silo_colour
from casuistry.reporting.facts import CaseFacts
from casuistry.vocabulary import (
    ACTOR,
    BASIS,
    CATEGORY,
    CONFIDENCE,
    DESCRIPTION,
    EVENT_ID,
    KIND,
    REASON,
    SIGNALS,
    SUBJECT,
    TO,
)


def summary(f: CaseFacts) -> list[str]:
    """The case in one paragraph, as sentences; organisations and roles only."""
    t, case, ev = f.texts, f.case, f.events
    inside = ev[f.in_horizon]
    kinds = inside[KIND].value_counts()
    horizon_ref = f.ref(case["horizon_event"])
    horizon = t(
        "summary.horizon_incident" if horizon_ref else "summary.horizon_last",
        when=f.when(case["horizon"]),
    )
    actors = list(dict.fromkeys([*ev[ACTOR], *(a for to in ev[TO] for a in to)]))
    silos = list(dict.fromkeys(f.silo_of[a] for a in actors))
    sentences = [
        t(
            "summary.span",
            events=t.n("count.events", len(ev)),
            span=t.days(f.horizon_day),
            horizon=horizon,
        ),
        t(
            "summary.actors",
            orgs=t.n("count.organisations", len(actors)),
            silos=t.n("count.silos", len(silos)),
            names=f.whom(actors),
        ),
    ]
    categories = ", ".join(dict.fromkeys(t.category(c) for c in f.signals[CATEGORY]))
    subjects = ", ".join(dict.fromkeys(s for s in ev[SUBJECT] if not missing(s)))
    n_signals = t.n("count.signals", len(f.signals))
    if subjects:
        sentences.append(
            t("summary.signals", signals=n_signals, categories=categories, subjects=subjects)
        )
    else:
        sentences.append(t("summary.signals_no_subject", signals=n_signals, categories=categories))
    sentences.append(
        t(
            "summary.flows",
            shares=t.n("count.times", int(kinds.get(SHARE, 0))),
            withholds=t.n("count.times", int(kinds.get(WITHHOLD, 0))),
            contacts=t.n("count.contacts", int(kinds.get(CONTACT, 0))),
            meetings=t.n("count.meetings", int(kinds.get(MEETING, 0))),
        )
    )
    if missing(case["first_convergence_at"]):
        sentences.append(t("summary.no_convergence"))
    else:
        sentences.append(t("summary.convergence", when=f.when(case["first_convergence_at"])))
        key = "summary.acting_censored" if case["knowing_acting_censored"] else "summary.acting"
        sentences.append(t(key, days=t.days(case["knowing_acting_days"])))
    return sentences


def key_figures(f: CaseFacts) -> list[dict]:
    """The few numbers a learning session starts from, each with its events."""
    t, case, sig = f.texts, f.case, f.signals
    figures = [
        {
            "value": t.days(f.horizon_day),
            "label": t("figure.span"),
            "note": t("figure.span_note", when=f.when(case["horizon"])),
            "refs": f.refs_of([case["horizon_event"]]),
        },
        {
            "value": str(len(sig)),
            "label": t("figure.signals"),
            "note": t(
                "figure.signals_note",
                converged=int(case["converged"]),
                censored=int(case["censored"]),
            ),
            "refs": f.refs_of(sig["signal_id"]),
            "key": "signals",
        },
    ]
    if len(sig):
        figures.append(
            {
                "value": t.days(sig["dwell_days"].sum()),
                "label": t("figure.dwell_sum"),
                "note": t(
                    "figure.dwell_note",
                    decision=t.days(sig["decision_days"].sum()),
                    relational=t.days(sig["relational_days"].sum()),
                ),
                "refs": [],
                "key": "dwell",
            }
        )
    missed = f.opportunities[f.opportunities["missed"]]
    best = missed.sort_values("gain_signal_days", ascending=False, kind="stable").head(1)
    figures.append(
        {
            "value": str(len(missed)),
            "label": t("figure.missed"),
            "note": (
                t("figure.missed_note", days=t.days(best["gain_signal_days"].iloc[0]))
                if len(best)
                else t("figure.missed_none")
            ),
            "refs": f.refs_of(best[EVENT_ID]),
            "key": "missed",
        }
    )
    if not missing(case["first_convergence_at"]):
        figures.append(
            {
                "value": t.days(case["knowing_acting_days"]),
                "label": t("figure.knowing_acting"),
                "note": t(
                    "figure.knowing_acting_censored_note"
                    if case["knowing_acting_censored"]
                    else "figure.knowing_acting_note",
                    when=f.when(case["first_convergence_at"]),
                ),
                "refs": [],
                "key": "knowing_acting",
            }
        )
    figures.append(
        {
            "value": f"{int(case['shares_with_basis'])}/{int(case['shares'])}",
            "label": t("figure.basis"),
            "note": t(
                "figure.reason_note",
                n=int(case["withholds_with_reason"]),
                of=int(case["withholds"]),
            ),
            "refs": [],
        }
    )
    return figures


def lanes(f: CaseFacts) -> list[dict]:
    """Each organisation's lane, grouped by silo: what it saw, shared, withheld, met."""
    t = f.texts
    items: dict[str, list[dict]] = {}
    for pos, ev in f.events.iterrows():
        kind, actor, to = ev[KIND], ev[ACTOR], tuple(ev[TO])
        base = {
            "day": f.clock.label_of_day(f.event_days[pos]),
            "kind": kind,
            "after": not bool(f.in_horizon[pos]),
            "description": f.text(ev[DESCRIPTION]),
            "refs": f.refs_of([ev[EVENT_ID]]),
        }
        items.setdefault(actor, []).append({**base, "text": lane_text(f, ev, to)})
        for other in to:
            if other == actor:
                continue
            items.setdefault(other, []).append(
                {**base, "kind": f"{kind}_in", "text": _lane_text_in(f, ev)}
            )
    groups: dict[str, dict] = {}
    for actor in items:
        silo = f.silo_of[actor]
        group = groups.setdefault(
            silo, {"silo": t.silo(silo), "colour": silo_colour(silo), "actors": []}
        )
        group["actors"].append({"label": f.who(actor), "items": items[actor]})
    return list(groups.values())


def lane_text(f: CaseFacts, ev, to: tuple) -> str:
    """``lane.<kind>`` with what the kind has: its category, recipients, basis or reason."""
    t, kind = f.texts, f.book.kinds[ev[KIND]]
    fields = {}
    if kind.needs_category:
        fields["category"] = t.category(ev[CATEGORY])
    if kind.needs_to:
        fields["to"] = f.whom(to)
    if kind.mark is Mark.ARROW:
        fields["basis"] = t.basis(ev[BASIS]) if not missing(ev[BASIS]) else t("lane.no_basis")
    if kind.mark is Mark.BLOCKED:
        fields["reason"] = t.reason(ev[REASON]) if not missing(ev[REASON]) else t("lane.no_reason")
    return t(f"lane.{kind.code}", **fields)


def _lane_text_in(f: CaseFacts, ev) -> str:
    return f.texts(f"lane.{ev[KIND]}_in", actor=f.who(ev[ACTOR]))


def _signal_rows(f: CaseFacts) -> list[tuple[dict, dict]]:
    """Each signal in order of observation: its record, and what every table says of it."""
    t = f.texts
    return [
        (
            s,
            {
                "ref": f.ref(s["signal_id"]),
                "category": t.category(s[CATEGORY]),
                "actor": f.who(s[ACTOR]),
                "observed": f.when(s["observed_at"]),
            },
        )
        for s in f.signals.sort_values("observed_at", kind="stable").to_dict("records")
    ]


def journeys(f: CaseFacts) -> list[dict]:
    """Each signal's journey: observed, converged, dwell split in two, censored."""
    t = f.texts
    rows = []
    for s, row in _signal_rows(f):
        rows.append(
            {
                **row,
                "silo": t.silo(s["silo"]),
                "colour": silo_colour(s["silo"]),
                "converged": f.when(s["converged_at"]),
                "converged_by": f.ref(s["converged_by"]),
                "at_observation": not missing(s["converged_by"])
                and s["converged_by"] == s["signal_id"],
                "dwell": t.days(s["dwell_days"]),
                "relational": t.days(s["relational_days"]),
                "decision": t.days(s["decision_days"]),
                "censored": bool(s["censored"]),
            }
        )
    return rows


def missed_opportunities(f: CaseFacts) -> dict:
    """The missed opportunities, largest gain first, with what each would have gained."""
    t = f.texts
    opps = f.opportunities
    missed = opps[opps["missed"]].sort_values(
        ["gain_signal_days", "max_gain_days"], ascending=False, kind="stable"
    )
    signal_category = dict(zip(f.signals["signal_id"], f.signals[CATEGORY], strict=True))
    rows = []
    for o in missed.to_dict("records"):
        ev = f.event(o[EVENT_ID])
        reason = "" if missing(o[REASON]) else t.reason(o[REASON])
        rows.append(
            {
                "ref": f.ref(o[EVENT_ID]),
                "kind": t.kind(o[KIND]),
                "when": f.when(o["time"]),
                "actor": f.who(o[ACTOR]),
                "to": f.whom(o[TO]),
                "reason": reason,
                "description": f.text(ev[DESCRIPTION]),
                "counterfactual": t(f"missed.if_{o[KIND]}"),
                "gain": t.days(o["gain_signal_days"]),
                "max_gain": t.days(o["max_gain_days"]),
                "advanced": [
                    {"ref": f.ref(s), "category": t.category(signal_category.get(s, ""))}
                    for s in o["advanced_signals"]
                ],
            }
        )
    return {"rows": rows, "not_missed": int((~opps["missed"]).sum()), "total": len(opps)}


def silo_pairs(f: CaseFacts) -> list[dict]:
    """Delays between pairs of silos, longest first, with the event that joined them."""
    t = f.texts
    via = _pair_events(f)
    rows = []
    pairs = f.silo_pairs.sort_values("delay_days", ascending=False, kind="stable")
    for p in pairs.to_dict("records"):
        rows.append(
            {
                "a": t.silo(p["silo_a"]),
                "b": t.silo(p["silo_b"]),
                "colour_a": silo_colour(p["silo_a"]),
                "colour_b": silo_colour(p["silo_b"]),
                "delay": t.days(p["delay_days"]),
                "converged": f.when(p["converged_at"]),
                "censored": bool(p["censored"]),
                "ref": f.ref(via.get((p["silo_a"], p["silo_b"]))),
                "key": f"{p['silo_a']};{p['silo_b']}",
            }
        )
    return rows


def _pair_events(f: CaseFacts) -> dict[tuple[str, str], str]:
    """For each pair of silos, the event through which some actor first knew both.

    Per actor, the first time it knew a signal of silo X is the earliest
    ``known_from`` of its knowledge rows in X; the pair met for that actor
    at the later of its two first times, through that row's ``via``. The
    pair's event is the one of the actor for whom this happened first.
    """
    silo_of_signal = dict(zip(f.signals["signal_id"], f.signals["silo"], strict=True))
    first: dict[tuple[str, str], tuple[float, str]] = {}
    for k in f.knowledge.to_dict("records"):
        silo = silo_of_signal.get(k["signal_id"])
        key = (k[ACTOR], silo)
        day = f.clock.day(k["known_from"])
        if silo is not None and (key not in first or day < first[key][0]):
            first[key] = (day, k["via"])
    by_actor: dict[str, dict[str, tuple[float, str]]] = {}
    for (actor, silo), value in first.items():
        by_actor.setdefault(actor, {})[silo] = value
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for known in by_actor.values():
        for a in known:
            for b in known:
                if a < b:
                    later = max(known[a], known[b], key=lambda v: v[0])
                    if (a, b) not in best or later[0] < best[(a, b)][0]:
                        best[(a, b)] = later
    return {pair: value[1] for pair, value in best.items()}


def sharing(f: CaseFacts) -> dict:
    """Shares with their legal basis and withholds with their reason, side by side."""
    t, case = f.texts, f.case
    shares, withholds = [], []
    for pos, ev in f.events.iterrows():
        if ev[KIND] not in (SHARE, WITHHOLD):
            continue
        row = {
            "ref": f.ref(ev[EVENT_ID]),
            "when": f.clock.label_of_day(f.event_days[pos]),
            "actor": f.who(ev[ACTOR]),
            "to": f.whom(ev[TO]),
            "description": f.text(ev[DESCRIPTION]),
            "after": not bool(f.in_horizon[pos]),
        }
        if ev[KIND] == SHARE:
            code = f.text(ev[BASIS])
            shares.append({**row, "code": code, "meaning": t.basis(code) if code else ""})
        else:
            code = f.text(ev[REASON])
            withholds.append({**row, "code": code, "meaning": t.reason(code) if code else ""})
    return {
        "shares": shares,
        "withholds": withholds,
        "shares_note": t(
            "sharing.shares_count", n=int(case["shares_with_basis"]), of=int(case["shares"])
        ),
        "withholds_note": t(
            "sharing.withholds_count",
            n=int(case["withholds_with_reason"]),
            of=int(case["withholds"]),
        ),
    }


def acting(f: CaseFacts) -> dict:
    """From knowing to acting: for the case, and per signal."""
    t, case = f.texts, f.case
    rows = []
    for s, row in _signal_rows(f):
        rows.append(
            {
                **row,
                "acted": f.when(s["acted_at"]),
                "acted_by": f.ref(s["acted_by"]),
                "days": t.days(s["acting_days"]),
                "censored": bool(s["acting_censored"]),
            }
        )
    if missing(case["first_convergence_at"]):
        return {"text": t("acting.no_convergence"), "refs": [], "rows": rows}
    first = f.signals[f.signals["converged_at"] == case["first_convergence_at"]]
    refs = f.refs_of(first["converged_by"])
    start = f.clock.day(case["first_convergence_at"])
    acting = f.events[KIND].isin(f.book.kinds.acting)
    actions = f.events[acting & f.in_horizon & (f.event_days >= start)]
    refs += f.refs_of(actions[EVENT_ID].head(1))
    key = "acting.censored" if case["knowing_acting_censored"] else "acting.text"
    text = t(
        key, when=f.when(case["first_convergence_at"]), days=t.days(case["knowing_acting_days"])
    )
    return {"text": text, "refs": refs, "rows": rows}


def limits(f: CaseFacts) -> dict:
    """What the figures cannot say: uncertain events, censoring, the horizon."""
    ev = f.events
    sure = ev[CONFIDENCE].map(lambda v: f.text(v).strip().lower())
    return {
        "uncertain": f.refs_of(ev.loc[sure == "uncertain", EVENT_ID]),
        "likely": f.refs_of(ev.loc[sure == "likely", EVENT_ID]),
        "censored": f.refs_of(f.signals.loc[f.signals["censored"], "signal_id"]),
        "after": f.refs_of(ev.loc[~f.in_horizon, EVENT_ID]),
        "warnings": _warnings(f),
    }


def _warnings(f: CaseFacts) -> list[str]:
    warnings = f.book.warnings
    if warnings is None or not len(warnings):
        return []
    mine = warnings[
        (warnings["file"] == f.book.files.get("events"))
        & warnings["row"].isin(set(f.events["row"]))
    ]
    return [str(m) for m in mine["message"]]


def register(f: CaseFacts) -> list[dict]:
    """Every event of the case with its source: the evidence the findings point at."""
    t = f.texts
    rows = []
    for pos, ev in f.events.iterrows():
        ref = f.ref(ev[EVENT_ID])
        detail = []
        if ev[SIGNALS]:
            detail.append(t("register.about", signals=", ".join(ev[SIGNALS])))
        if not missing(ev[CATEGORY]):
            detail.append(t.category(ev[CATEGORY]))
        if not missing(ev[BASIS]):
            detail.append(t("register.basis", basis=f.text(ev[BASIS])))
        if not missing(ev[REASON]):
            detail.append(t("register.reason", reason=t.reason(ev[REASON])))
        rows.append(
            {
                "ref": ref,
                "when": f.clock.label_of_day(f.event_days[pos]),
                "kind": t.kind(ev[KIND]),
                "kind_code": ev[KIND],
                "actor": f.who(ev[ACTOR]),
                "to": f.whom(ev[TO]),
                "detail": "; ".join(detail),
                "description": f.text(ev[DESCRIPTION]),
                "confidence": t.confidence(ev[CONFIDENCE]) if not missing(ev[CONFIDENCE]) else "",
                "after": not bool(f.in_horizon[pos]),
                "incident": ev[KIND] in f.book.kinds.setting_horizon,
            }
        )
    return rows
