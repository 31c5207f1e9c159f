"""The public entry point: :func:`report` writes learning reports to disk."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from casuistry.casebook import Casebook
from casuistry.errors import CasuistryError, counted
from casuistry.io.atomic import build_folder, check_not_input, put_text, write_text
from casuistry.io.names import case_file_name
from casuistry.presentation.texts import check_language
from casuistry.reporting.index import case_entries, render_index
from casuistry.reporting.page import render_report
from casuistry.reporting.pool import check_jobs, write_reports


def report(
    analysis,
    case_id: str | None,
    path: str | os.PathLike,
    *,
    lang: str = "nl",
    calendar_dates: bool = False,
    inputs: Iterable[str | os.PathLike] = (),
    jobs: int | None = 1,
    progress: bool | None = None,
) -> Path:
    """Write the retrospective learning report of a case, or of every case.

    Parameters
    ----------
    analysis : casuistry.Analysis, casuistry.Casebook or path-like
        What to report on. A Casebook is analysed first; a path is loaded
        with :func:`casuistry.load` (so bad input raises the loader's errors).
    case_id : str, list of str or None
        The case, written to the file ``path``. A list of case ids (or any
        iterable of them but a string: a Series, a column) writes the reports
        of those cases, each once in the order given, and an ``index.html``
        that links them into the folder ``path``. None reports on every
        case: a single-case input then writes one file at ``path``; a corpus
        writes one file per case and the index into the folder ``path``.
    path : path-like
        The HTML file to write, or the folder for several cases.
    lang : {"nl", "en"}, keyword-only
        The report's language.
    calendar_dates : bool, keyword-only
        Write calendar dates instead of days since the first event.
    inputs : iterable of path-like, keyword-only
        Paths the report must not be written into or over (the input the
        analysis was read from). A path given as ``analysis`` is added.
    jobs : int or None, keyword-only
        For a corpus: worker processes that write the reports; 1 writes them
        in this process, None uses every core (:mod:`casuistry.reporting.pool`).
        The files are the same either way.
    progress : bool or None, keyword-only
        For a corpus: a progress bar on stderr (True), none (False), or one
        when stderr is a terminal (None).

    Returns
    -------
    pathlib.Path
        The file written (for one case) or the folder (for a corpus).

    Raises
    ------
    UnknownCase
        For a case the analysis does not hold; for a list, naming every one.
    CasuistryError
        For an unknown language, an empty list of cases, several cases
        written to a ``.html`` file name, or one case to a name without
        ``.html`` (:func:`check_report_name`); :class:`~casuistry.errors.WriteRefused` for an
        output that is, is inside or contains an input, or that would replace
        something casuistry did not write (see :mod:`casuistry.io.atomic`).
        Nothing is written then.

    Examples
    --------
    >>> import casuistry, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> casuistry.report(casuistry.example_path(), "puzzel-1", out, lang="en").name
    'report.html'
    >>> "Learning report" in out.read_text(encoding="utf-8")
    True

    A list of cases is written into a folder, with an index:

    >>> folder = casuistry.report(casuistry.example_path(), ["puzzel-1"], out.parent / "chosen")
    >>> sorted(p.name for p in folder.glob("*.html"))
    ['index.html', 'puzzel-1.html']
    """
    check_language(lang)
    check_jobs(jobs)
    inputs = [*inputs] + ([] if _is_analysed(analysis) else [analysis])
    analysis = _as_analysis(analysis)
    book = analysis.casebook
    options = {"lang": lang, "calendar_dates": calendar_dates}
    several = case_id is not None and not isinstance(case_id, str | int | np.integer)
    if several:
        cases = book.check_cases(_ids(case_id))
    elif case_id is not None or len(book) == 1:
        case = book.case(case_id if case_id is not None else book.case_ids[0]).case_ids[0]
        check_not_input(path, inputs)  # the first thing to say, when it is so
        check_report_name(path)
        return write_text(path, render_report(analysis, case, **options), inputs=inputs)
    else:
        cases = book.case_ids
    path = Path(path)
    if path.suffix.lower() in (".html", ".htm"):
        held = (
            f"{counted(len(cases), 'case')} asked for"
            if several
            else f"the input holds {len(book)} cases"
        )
        raise CasuistryError(
            f"{held}: give --case ID for one report, "
            f"or an output folder instead of {path.name} for one report per case"
        )

    names = {case: case_file_name(case) for case in cases}
    show = sys.stderr.isatty() if progress is None else progress

    def build(folder: Path) -> None:
        write_reports(analysis, names, folder, jobs=jobs, show=show, **options)
        entries = case_entries(analysis, {case: [(lang, name)] for case, name in names.items()})
        put_text(folder / "index.html", render_index(entries, lang=lang))

    return build_folder(path, build, inputs=inputs)


def _ids(case_ids) -> Iterable:
    """``case_ids`` as something to iterate over, or the error that says what it takes."""
    try:
        return iter(case_ids)
    except TypeError:
        raise CasuistryError(
            f"case_id takes one case id, a list of ids or None, not {type(case_ids).__name__}"
        ) from None


#: What a name ending in another format's suffix is told: where that format comes from.
_HANDOUTS = {
    ".pdf": "; the handout as a PDF is written next to it (casuistry report --pdf)",
    ".pptx": "; a slide deck is written next to it (casuistry report --pptx)",
}


def check_report_name(path: str | os.PathLike) -> None:
    """Refuse a name for the report of one case that a browser would not open as
    one: a name that ends in a folder separator, or without ``.html`` or ``.htm``.

    A report named ``verslag.pdf`` would be HTML under a PDF's name (and the
    PDF handout, written next to it with the suffix ``.pdf``, would take its
    place); one named ``verslag`` opens in no browser on a double click.

    Raises
    ------
    CasuistryError
        Naming a name that would do.

    Examples
    --------
    >>> check_report_name("verslag.HTML")
    >>> check_report_name("verslag.pdf")
    Traceback (most recent call last):
    ...
    casuistry.errors.CasuistryError: verslag.pdf: a report is an HTML file: give a name \
ending in .html, for example verslag.html; the handout as a PDF is written next to it \
(casuistry report --pdf)
    >>> check_report_name("rapporten/")
    Traceback (most recent call last):
    ...
    casuistry.errors.CasuistryError: rapporten/ names a folder, and the report of one case \
is one file: give a file name, for example rapporten/report.html
    """
    text = os.fspath(path)
    if text.endswith(("/", os.sep)):
        raise CasuistryError(
            f"{text} names a folder, and the report of one case is one file: "
            f"give a file name, for example {Path(text) / 'report.html'}"
        )
    name = Path(text)
    suffix = name.suffix.lower()
    if suffix in (".html", ".htm"):
        return
    instead = name.with_suffix(".html") if suffix in _HANDOUTS else Path(f"{text}.html")
    raise CasuistryError(
        f"{name.name}: a report is an HTML file: give a name ending in .html, "
        f"for example {instead}{_HANDOUTS.get(suffix, '')}"
    )


def _is_analysed(source) -> bool:
    from casuistry.analysis import Analysis

    return isinstance(source, Analysis | Casebook)


def _as_analysis(source):
    from casuistry.analysis import Analysis, analyse

    if isinstance(source, Analysis):
        return source
    if isinstance(source, Casebook):
        return analyse(source)
    from casuistry.loading import load

    return analyse(load(source))
