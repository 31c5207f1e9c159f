"""A whole learning report in a notebook, isolated in an iframe like the signal graph.

It is offered as ``casuistry.viz.show_report`` beside ``show_graph``; it lives
here because the pictures never import the reports.
"""

from __future__ import annotations

from casuistry.reporting.page import render_report
from casuistry.viz.notebook import HTMLPage
from casuistry.viz.source import one_case


def show_report(
    source, case_id: str | None = None, *, lang: str = "nl", calendar_dates=False, height: int = 900
) -> HTMLPage:
    """The whole learning report of a case, for a notebook.

    Parameters are those of :func:`casuistry.viz.show_graph`.

    Returns
    -------
    HTMLPage
        Displays itself in Jupyter; ``.save(path)`` writes the report.
    """
    analysis = one_case(source, case_id)
    case = analysis.casebook.case_ids[0]
    page = render_report(analysis, case, lang=lang, calendar_dates=calendar_dates)
    return HTMLPage(page, height=height, title=f"learning report {case}")
