"""The reviewer's layer in the report (CASE_FORMAT section 5): how sure, reach, episodes, findings.

Like :mod:`casuistry.reporting.sections`, every function takes the
:class:`~casuistry.reporting.facts.CaseFacts` of one case and returns plain
data for the template (``reviewer.html.j2``), never HTML. A section whose
input the case lacks (no ``likely``/``uncertain`` rows, no deciding actor,
no episodes, no findings) is ``None``, and the template leaves it out.

Examples
--------
>>> import casuistry
>>> from casuistry.reporting.facts import CaseFacts
>>> f = CaseFacts(casuistry.analyse(casuistry.load(casuistry.example_path())), "puzzel-1",
...               lang="en", calendar_dates=False)
>>> marks = robustness_marks(f)
>>> marks.mark("opportunity", "e04")[0]["text"]
'on certain rows only: no missed opportunity'
>>> [e["id"] for e in episodes(f)]
['k1', 'k2', 'k3']
"""

from __future__ import annotations

from casuistry.presentation.missing import missing
from casuistry.presentation.palette import assessment_colour
from casuistry.reporting.facts import CaseFacts
from casuistry.robustness import GONE, HOLDS, NOT_CERTAIN, VARIANTS
from casuistry.vocabulary import ACTOR, CATEGORY, CONFIDENCE, DESCRIPTION, EVENT_ID, KIND, TO


class Marks:
    """The verdicts of one case per finding, written as marks for the report.

    ``mark(finding, finding_id)`` gives, per variant where the finding does
    not hold, ``{"variant", "verdict", "text"}``; an empty list when it holds
    everywhere (or the case was not run again).
    """

    def __init__(self, f: CaseFacts):
        self._t = f.texts
        self._rows: dict[tuple[str, str], list[dict]] = {}
        for r in f.analysis.robustness.to_dict("records"):
            if r["verdict"] == HOLDS:
                continue
            key = (r["finding"], str(r["finding_id"]))
            self._rows.setdefault(key, []).append(r)

    def mark(self, finding: str, finding_id: str) -> list[dict]:
        """The marks of one finding, variant ``without_uncertain`` first."""
        rows = sorted(
            self._rows.get((finding, str(finding_id)), []),
            key=lambda r: list(VARIANTS).index(r["variant"]),
        )
        return [self._mark(finding, r) for r in rows]

    def _mark(self, finding: str, r: dict) -> dict:
        t = self._t
        value = r["value_variant"]
        body = t(
            f"robust.{r['verdict']}.{finding}",
            value="" if missing(value) else t.days(value),
        )
        return {
            "variant": r["variant"],
            "verdict": str(r["verdict"]),
            "text": f"{t('robust.' + r['variant'])}: {body}",
        }

    def any_of(self, finding: str, ids) -> list[dict]:
        """One mark per variant in which any of the findings ``ids`` does not hold."""
        by_variant: dict[str, str] = {}
        for finding_id in ids:
            for r in self._rows.get((finding, str(finding_id)), []):
                by_variant.setdefault(r["variant"], r["verdict"])
        return [
            {"variant": v, "verdict": by_variant[v], "text": self._t(f"robust.{v}.rests")}
            for v in VARIANTS
            if v in by_variant
        ]


def robustness_marks(f: CaseFacts) -> Marks:
    """The case's verdicts as :class:`Marks`."""
    return Marks(f)


def mark_sections(f: CaseFacts, marks: Marks, **sections) -> None:
    """Add a ``robust`` list of marks to the rows of the report's sections, in place.

    ``sections`` are the results of :mod:`casuistry.reporting.sections` and
    :mod:`casuistry.reporting.questions`: ``figures``, ``journeys``,
    ``missed``, ``pairs`` and ``questions``.
    """
    for row in sections["journeys"]:
        row["robust"] = marks.mark("signal", row["ref"].event_id)
    for row in sections["missed"]["rows"]:
        row["robust"] = marks.mark("opportunity", row["ref"].event_id)
    for row in sections["pairs"]:
        row["robust"] = marks.mark("silo_pair", row["key"])
    for fig in sections["figures"]:
        fig["robust"] = _figure_marks(f, marks, fig.get("key"))
    signal_ids = set(f.signals["signal_id"])
    for q in sections["questions"]:
        ids = [r.event_id for r in q["refs"]]
        found = marks.any_of("opportunity", ids) + marks.any_of(
            "signal", [i for i in ids if i in signal_ids]
        )
        q["robust"] = list({m["variant"]: m for m in found}.values())


def _figure_marks(f: CaseFacts, marks: Marks, key: str | None) -> list[dict]:
    """A key figure's marks: what the figure becomes in each variant where it moves."""
    t = f.texts
    if key == "knowing_acting":
        return marks.mark("case", f.case_id)
    table = f.analysis.robustness
    finding = {"signals": "signal", "dwell": "signal", "missed": "opportunity"}.get(key)
    if finding is None:
        return []
    out = []
    for variant in VARIANTS:
        rows = table[(table["finding"] == finding) & (table["variant"] == variant)]
        if not len(rows) or (rows["verdict"] == HOLDS).all():
            continue
        if key == "signals" and not (rows["verdict"] == GONE).any():
            continue
        kept = rows[rows["verdict"] != GONE]
        if key == "dwell":
            body = t("robust.figure.dwell", value=t.days(kept["value_variant"].sum()))
        elif key == "missed":
            body = (
                t.n("robust.figure.missed", len(kept))
                if len(kept)
                else t("robust.gone.opportunity")
            )
        else:
            body = t.n("count.signals", len(kept))
        out.append(
            {"variant": variant, "verdict": "changes", "text": f"{t('robust.' + variant)}: {body}"}
        )
    return out


def how_sure(f: CaseFacts, marks: Marks) -> dict | None:
    """The rows the case is unsure of, per variant, and what rests on them; None without any."""
    sure = f.events[CONFIDENCE].map(lambda v: f.text(v).strip().lower())
    if not sure.isin(NOT_CERTAIN).any():
        return None
    variants = []
    for variant, levels in VARIANTS.items():
        dropped = f.events[sure.isin(list(levels))]
        if not len(dropped):
            continue
        affected = []
        for finding, ids in (
            ("signal", f.signals["signal_id"]),
            ("opportunity", f.opportunities.loc[f.opportunities["missed"], EVENT_ID]),
            ("silo_pair", f.silo_pairs["silo_a"] + ";" + f.silo_pairs["silo_b"]),
            ("case", [f.case_id]),
        ):
            for finding_id in ids:
                for m in marks.mark(finding, finding_id):
                    if m["variant"] == variant:
                        affected.append(
                            {
                                "what": _finding_name(f, finding, finding_id),
                                "ref": f.ref(finding_id)
                                if finding in ("signal", "opportunity")
                                else None,
                                "text": m["text"],
                            }
                        )
        variants.append(
            {
                "variant": variant,
                "title": f.texts(f"robust.{variant}.title"),
                "rows": [
                    {
                        "ref": f.ref(ev[EVENT_ID]),
                        "confidence": f.texts.confidence(ev[CONFIDENCE]),
                        "text": f"{f.texts.kind(ev[KIND])}: {f.who(ev[ACTOR])}"
                        + (f" → {f.whom(ev[TO])}" if len(ev[TO]) else ""),
                        "description": f.text(ev[DESCRIPTION]),
                    }
                    for ev in dropped.to_dict("records")
                ],
                "affected": affected,
            }
        )
    return {"variants": variants}


def _finding_name(f: CaseFacts, finding: str, finding_id: str) -> str:
    t = f.texts
    if finding == "silo_pair":
        a, b = str(finding_id).split(";")
        return t("howsure.pair", a=t.silo(a), b=t.silo(b))
    return t(f"howsure.{finding}", id=finding_id)


def reach(f: CaseFacts) -> dict | None:
    """Whether each signal reached an actor that decides, and the full-picture moment;
    None without deciding actors, or without a signal to reach them."""
    case = f.case
    if missing(case["signals_reached"]) or missing(case["full_picture_censored"]):
        return None
    t = f.texts
    decides = f.book.actors.loc[f.book.actors["decides"].fillna(False).astype(bool), ACTOR]
    rows = [
        {
            "ref": f.ref(s["signal_id"]),
            "category": t.category(s[CATEGORY]),
            "actor": f.who(s[ACTOR]),
            "observed": f.when(s["observed_at"]),
            "reached": f.when(s["reached_decision_at"]),
            "days": t.days(s["reach_days"]),
            "censored": bool(s["reach_censored"]),
        }
        for s in f.signals.sort_values("observed_at", kind="stable").to_dict("records")
    ]
    key = "reach.full_censored" if case["full_picture_censored"] else "reach.full"
    gains = f.opportunities[f.opportunities["reach_gain_signal_days"] > 0].sort_values(
        "reach_gain_signal_days", ascending=False, kind="stable"
    )
    return {
        "deciders": f.whom(decides),
        "summary": t(
            "reach.summary",
            n=int(case["signals_reached"]),
            total=len(f.signals),
            deciders=f.whom(decides),
        ),
        "full": t(
            key, when=f.when(case["full_picture_at"]), days=t.days(case["full_picture_days"])
        ),
        "rows": rows,
        "gains": [
            {
                "ref": f.ref(o[EVENT_ID]),
                "text": t("reach.gain", days=t.days(o["reach_gain_signal_days"])),
            }
            for o in gains.to_dict("records")
        ],
    }


def episodes(f: CaseFacts) -> list[dict] | None:
    """The key practice episodes in time order, with what their organisations knew then."""
    table = f.analysis.episodes
    if not len(table):
        return None
    t = f.texts
    book = f.book
    described = dict(zip(book.episodes["episode_id"], book.episodes[DESCRIPTION], strict=True))
    factors = book.factors
    gains = dict(zip(f.opportunities[EVENT_ID], f.opportunities["gain_signal_days"], strict=True))
    out = []
    for e in table.sort_values(["start", "episode_id"], kind="stable").to_dict("records"):
        ids = list(e["events"])
        rows = f.events[f.events[EVENT_ID].isin(ids)]
        actors = list(dict.fromkeys([*rows[ACTOR], *(a for to in rows[TO] for a in to)]))
        mine = factors[factors["episode_id"] == e["episode_id"]]
        out.append(
            {
                "id": e["episode_id"],
                "anchor": f"episode-{e['episode_id']}",
                "title": f.text(e["title"]),
                "description": f.text(described.get(e["episode_id"])),
                "assessment_code": e["assessment"],
                "assessment": t.label("assessment", e["assessment"]),
                "colour": assessment_colour(e["assessment"]),
                "when": _span(f, e["start"], e["end"]),
                "events": [
                    {
                        "ref": f.ref(ev[EVENT_ID]),
                        "text": _event_text(f, ev),
                        "description": f.text(ev[DESCRIPTION]),
                    }
                    for ev in rows.to_dict("records")
                ],
                "knew": _knew(f, e, actors),
                "missed": [
                    {"ref": f.ref(m), "gain": t.days(gains.get(m, 0.0))} for m in e["missed"]
                ],
                "factors": [
                    {"label": t.label("factor", x["factor"]), "description": f.text(x[DESCRIPTION])}
                    for x in mine.to_dict("records")
                ],
            }
        )
    return out


def _span(f: CaseFacts, start, end) -> str:
    if missing(start):
        return ""
    if start == end:
        return f.when(start)
    return f"{f.when(start)} – {f.when(end)}"


def _event_text(f: CaseFacts, ev: dict) -> str:
    text = f"{f.texts.kind(ev[KIND])}: {f.who(ev[ACTOR])}"
    return text + (f" → {f.whom(ev[TO])}" if len(ev[TO]) else "")


def _knew(f: CaseFacts, e: dict, actors: list[str]) -> str:
    """'At that point X knew n signals; m signals lay with Y', from the figures of section 5.4."""
    t = f.texts
    if missing(e["end"]):
        return t("episode.no_figures")
    known = t(
        "episode.knew",
        who=f.whom(actors),
        signals=t.n("count.signals", len(e["known_signals"])),
    )
    elsewhere = list(e["signals_elsewhere"])
    if not elsewhere:
        return known + t("episode.nothing_elsewhere")
    k = f.knowledge
    holders = k[k["signal_id"].isin(elsewhere) & (k["known_from"] <= e["end"])][ACTOR]
    return known + t(
        "episode.elsewhere",
        signals=t.n("count.signals", len(elsewhere)),
        who=f.whom(dict.fromkeys(holders)),
    )


def findings(f: CaseFacts) -> list[dict] | None:
    """The review's findings, each with the episodes it rests on and its question."""
    table = f.book.findings
    if not len(table):
        return None
    titles = dict(zip(f.book.episodes["episode_id"], f.book.episodes["title"], strict=True))
    return [
        {
            "id": x["finding_id"],
            "text": f.text(x["text"]),
            "question": f.text(x["question"]),
            "episodes": [
                {"id": e, "anchor": f"episode-{e}", "title": f.text(titles.get(e))}
                for e in x["episodes"]
            ],
        }
        for x in table.to_dict("records")
    ]


def finding_questions(f: CaseFacts) -> list[dict]:
    """The findings' questions for the learning session, each resting on its episodes' events."""
    table = f.book.findings
    events = dict(zip(f.book.episodes["episode_id"], f.book.episodes["events"], strict=True))
    out = []
    for x in table.to_dict("records"):
        question = f.text(x["question"]).strip()
        if question:
            ids = [i for e in x["episodes"] for i in events.get(e, ())]
            out.append({"text": question, "refs": f.refs_of(ids)})
    return out


def sources(f: CaseFacts) -> dict[str, dict]:
    """Each source key of the case's events resolved to its title, type and reliability.

    The sources table serves the whole corpus: only its rows the case's
    events name are read."""
    t = f.texts
    table = f.book.sources
    if len(table):
        table = table[table["source"].astype(str).isin({ref.source for ref in f.refs.values()})]
    out = {}
    for s in table.to_dict("records"):
        grade = f.text(s.get("reliability")).strip().upper()
        kind = f.text(s.get("type")).strip()
        out[str(s["source"])] = {
            "title": f.text(s.get("title")),
            "type": t.label("source_type", kind) if kind else "",
            "reliability": f"{grade} · {t.label('reliability', grade)}" if grade else "",
        }
    return out


#: Where each section of the reviewer's layer goes: (its id, its heading, the section it follows).
PLACES: tuple[tuple[str, str, str], ...] = (
    ("reach", "section.reach", "journeys"),
    ("episodes", "section.episodes", "acting"),
    ("findings", "section.findings", "episodes"),
    ("howsure", "section.howsure", "questions"),
)


def reviewer_context(f: CaseFacts, parts: dict) -> dict:
    """Everything the reviewer's layer adds to a report; marks ``parts`` in place.

    Parameters
    ----------
    f : CaseFacts
        The case.
    parts : dict
        The report's ``figures``, ``journeys``, ``missed``, ``pairs`` and
        ``questions``; each row gets its ``robust`` marks.

    Returns
    -------
    dict
        ``howsure``, ``reach``, ``episodes``, ``findings`` (each None when
        the case has no such input) and ``sources`` (source key to its title,
        type and reliability).
    """
    marks = robustness_marks(f)
    mark_sections(f, marks, **parts)
    return {
        "howsure": how_sure(f, marks),
        "reach": reach(f),
        "episodes": episodes(f),
        "findings": findings(f),
        "sources": sources(f),
    }


def with_reviewer(sections, reviewer: dict) -> list[tuple[str, str]]:
    """The table of contents: ``sections`` with the reviewer's sections the case has.

    >>> with_reviewer((("journeys", "j"), ("questions", "q")), {"reach": {}, "howsure": None})
    [('journeys', 'j'), ('reach', 'section.reach'), ('questions', 'q')]
    """
    out = list(sections)
    for key, title, after in PLACES:
        if reviewer.get(key) is None:
            continue
        position = next((i for i, (k, _) in enumerate(out) if k == after), len(out) - 1)
        out.insert(position + 1, (key, title))
    return out
