"""What a facilitator takes home besides the report: the PDF handout and the slide deck.

Both say what the report of one case says; both are written next to it
(same name, ``.pdf`` and ``.pptx``) through :mod:`casuistry.io.atomic`, so
a file casuistry did not write is never replaced. The tools they need are
optional; :func:`check_tools` says what is missing before anything is written.
"""

from __future__ import annotations

import os
from pathlib import Path


def check_tools(*, pdf: bool, pptx: bool) -> None:
    """Raise :class:`~casuistry.errors.ToolMissing` when a wanted output cannot be made here."""
    if pdf:
        from casuistry.reporting.pdf import check_pdf_tools

        check_pdf_tools()
    if pptx:
        from casuistry.reporting.slides import check_slides_tools

        check_slides_tools()


def write_handouts(
    analysis,
    case_id: str,
    html_path: str | os.PathLike,
    *,
    lang: str = "nl",
    calendar_dates: bool = False,
    pdf: bool = False,
    pptx: bool = False,
    inputs=(),
) -> list[Path]:
    """Write the PDF and/or the deck of a case next to its report ``html_path``.

    Parameters
    ----------
    analysis : casuistry.Analysis
        The analysis holding the case.
    case_id : str
        The case.
    html_path : path-like
        The report written by :func:`casuistry.report`; the PDF prints it as it is.
    lang, calendar_dates : keyword-only
        As for the report (the deck's language and times).
    pdf, pptx : bool, keyword-only
        Which outputs to write.
    inputs : iterable of path-like, keyword-only
        Paths the outputs must not touch.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    check_tools(pdf=pdf, pptx=pptx)
    html_path = Path(html_path)
    written = []
    if pdf:
        from casuistry.reporting.pdf import write_pdf

        html = html_path.read_text(encoding="utf-8")
        written.append(write_pdf(html, html_path.with_suffix(".pdf"), inputs=inputs))
    if pptx:
        from casuistry.reporting.facts import CaseFacts
        from casuistry.reporting.slides import write_deck

        facts = CaseFacts(analysis, case_id, lang=lang, calendar_dates=calendar_dates)
        written.append(write_deck(facts, html_path.with_suffix(".pptx"), inputs=inputs))
    return written
