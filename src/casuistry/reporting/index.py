"""The index page that links the reports of a corpus (or of the demo)."""

from __future__ import annotations

from casuistry.presentation.texts import Texts
from casuistry.reporting.render import render


def case_entry(analysis, case_id: str, links: list[tuple[str, str]], *, title: str = "") -> dict:
    """One row of the index: a case's headline figures and links to its reports.

    Parameters
    ----------
    analysis, case_id : casuistry.Analysis, str
        The analysis holding the case, and the case whose row this is.
    links : list of (str, str)
        ``(language, relative file name)`` of each report of the case.
    title : str
        What the case is (e.g. the scenario it comes from); may be empty.
    """
    case = analysis.cases[analysis.cases["case_id"] == case_id].iloc[0]
    return _entry(case, links, title)


def case_entries(analysis, links: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The rows of the index for many cases at once, in the order of ``links``.

    One pass over the cases table, where :func:`case_entry` per case would
    search it for every case.

    Parameters
    ----------
    analysis : casuistry.Analysis
        The analysis holding the cases.
    links : dict of str to list of (str, str)
        Per case id, the links of :func:`case_entry`.

    Examples
    --------
    >>> import casuistry
    >>> analysis = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> [e["missed"] for e in case_entries(analysis, {"puzzel-1": [("en", "p.html")]})]
    [2]
    """
    rows = {row["case_id"]: row for row in analysis.cases.to_dict("records")}
    return [_entry(rows[case], case_links, "") for case, case_links in links.items()]


def _entry(case, links: list[tuple[str, str]], title: str) -> dict:
    return {
        "case_id": case["case_id"],
        "title": title,
        "signals": int(case["signals"]),
        "censored": int(case["censored"]),
        "missed": int(case["missed_opportunities"]),
        "links": links,
    }


def render_index(entries: list[dict], *, lang: str = "nl") -> str:
    """The index page as an HTML string.

    Parameters
    ----------
    entries : list of dict
        Rows made by :func:`case_entry`.
    lang : {"nl", "en"}
        The language of the page.
    """
    return render("index.html.j2", Texts(lang), entries=entries)
