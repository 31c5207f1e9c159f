"""One case's learning report as a self-contained HTML document."""

from __future__ import annotations

from casuistry.heap import young_cycles_collected
from casuistry.presentation.html import trusted
from casuistry.presentation.palette import silo_colour
from casuistry.presentation.texts import LANGUAGES, glossary, package_file
from casuistry.reporting import questions, sections
from casuistry.reporting.facts import CaseFacts
from casuistry.reporting.handout import key_moments
from casuistry.reporting.present import presentation
from casuistry.reporting.render import render
from casuistry.reporting.reviewer_sections import reviewer_context, with_reviewer
from casuistry.timeaxis import DAYS

#: The element id of the signal graph's time view (the one presentation mode shows).
GRAPH_ID = "signal-graph"

#: The sections in page order, as (element id, text key of the heading).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("purpose", "section.purpose"),
    ("case", "section.case"),
    ("figures", "section.figures"),
    ("lanes", "section.lanes"),
    ("graph", "section.graph"),
    ("journeys", "section.journeys"),
    ("missed", "section.missed"),
    ("pairs", "section.pairs"),
    ("sharing", "section.sharing"),
    ("acting", "section.acting"),
    ("questions", "section.questions"),
    ("glossary", "section.glossary"),
    ("limits", "section.limits"),
    ("register", "section.register"),
)


@young_cycles_collected()
def render_report(analysis, case_id: str, *, lang: str = "nl", calendar_dates=False) -> str:
    """The learning report of one case as an HTML string.

    Parameters
    ----------
    analysis : casuistry.Analysis
        The analysis holding the case.
    case_id : str
        The case to report on.
    lang : {"nl", "en"}, keyword-only
        The report's language.
    calendar_dates : bool, keyword-only
        Calendar dates instead of days since the first event.

    Returns
    -------
    str
        A whole HTML document that loads nothing from outside itself.
    """
    from casuistry.viz.journey import journey_chart
    from casuistry.viz.lanes import timeline_svgs
    from casuistry.viz.network import graph_fragment
    from casuistry.viz.svg import figure_svg

    f = CaseFacts(analysis, case_id, lang=lang, calendar_dates=calendar_dates)
    t = f.texts
    options = {"lang": lang, "calendar_dates": calendar_dates}
    show = presentation(f)
    moments = key_moments(f, show)
    timeline_svg, *moment_svgs = timeline_svgs(f.analysis, [day for day, _ in moments], **options)
    journey_svg = ""
    if len(f.signals):
        journey_svg = figure_svg(journey_chart(f.analysis, **options), prefix="journey")
    graph = graph_fragment(f.analysis, element_id=GRAPH_ID, **options)
    silos = list(dict.fromkeys(f.silo_of[a] for a in f.silo_of))
    parts = {
        "figures": sections.key_figures(f),
        "journeys": sections.journeys(f),
        "missed": sections.missed_opportunities(f),
        "pairs": sections.silo_pairs(f),
        "questions": questions.questions(f),
    }
    reviewer = reviewer_context(f, parts)
    return render(
        "report.html.j2",
        t,
        case_id=f.case_id,
        toc=[(key, t(title)) for key, title in with_reviewer(SECTIONS, reviewer)],
        time_note=t(_time_note(f.style, calendar_dates)),
        summary=sections.summary(f),
        reviewer=reviewer,
        **parts,
        lanes=sections.lanes(f),
        legend=[{"silo": t.silo(s), "colour": silo_colour(s)} for s in silos],
        timeline_svg=trusted(timeline_svg),
        journey_svg=trusted(journey_svg),
        graph=trusted(graph),
        graph_id=GRAPH_ID,
        present=show,
        present_script=trusted(package_file("casuistry.reporting", "assets/present.js")),
        moments=[
            {"svg": trusted(svg), "caption": caption}
            for svg, (_, caption) in zip(moment_svgs, moments, strict=True)
        ],
        sharing=sections.sharing(f),
        acting=sections.acting(f),
        glossary=_glossary(lang),
        limits=sections.limits(f),
        register=sections.register(f),
    )


def _time_note(style: str, calendar_dates: bool) -> str:
    if not calendar_dates:
        return "time.relative_note"
    return "time.days_note" if style == DAYS else "time.calendar_note"


def _glossary(lang: str) -> list[dict]:
    other = next(other for other in LANGUAGES if other != lang)  # the glossary's second language
    return [
        {
            "term": entry["term"][lang],
            "other_term": entry["term"][other],
            "other_lang": other,
            "text": entry["text"][lang],
        }
        for entry in glossary()
    ]
