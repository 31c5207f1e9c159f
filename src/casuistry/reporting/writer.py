"""The public entry point: :func:`report` writes learning reports to disk."""

from __future__ import annotations

import os
import re
from pathlib import Path

from casuistry.casebook import Casebook
from casuistry.errors import CasuistryError
from casuistry.io.atomic import write_text
from casuistry.presentation.texts import check_language
from casuistry.reporting.atomic import build_folder
from casuistry.reporting.index import case_entry, render_index
from casuistry.reporting.page import render_report


def report(
    analysis,
    case_id: str | None,
    path: str | os.PathLike,
    *,
    lang: str = "nl",
    calendar_dates: bool = False,
) -> Path:
    """Write the retrospective learning report of a case, or of every case.

    Parameters
    ----------
    analysis : casuistry.Analysis, casuistry.Casebook or path-like
        What to report on. A Casebook is analysed first; a path is loaded
        with :func:`casuistry.load` (so bad input raises the loader's errors).
    case_id : str or None
        The case. None reports on every case: a single-case input then
        writes one file at ``path``; a corpus writes one file per case and
        an ``index.html`` into the folder ``path``.
    path : path-like
        The HTML file to write, or the folder for a corpus.
    lang : {"nl", "en"}, keyword-only
        The report's language.
    calendar_dates : bool, keyword-only
        Write calendar dates instead of days since the first event.

    Returns
    -------
    pathlib.Path
        The file written (for one case) or the folder (for a corpus).

    Raises
    ------
    CasuistryError
        For an unknown language, an unknown case, or a corpus written to a
        ``.html`` file name. Nothing is written then.

    Examples
    --------
    >>> import casuistry, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> casuistry.report(casuistry.example_path(), "puzzel-1", out, lang="en").name
    'report.html'
    >>> "Learning report" in out.read_text(encoding="utf-8")
    True
    """
    check_language(lang)
    analysis = _as_analysis(analysis)
    book = analysis.casebook
    options = {"lang": lang, "calendar_dates": calendar_dates}
    if case_id is not None or len(book) == 1:
        case = book.case(case_id if case_id is not None else book.case_ids[0]).case_ids[0]
        return write_text(path, render_report(analysis, case, **options))
    path = Path(path)
    if path.suffix.lower() in (".html", ".htm"):
        raise CasuistryError(
            f"the input holds {len(book)} cases: give --case ID for one report, "
            f"or an output folder instead of {path.name} for one report per case"
        )

    def build(folder: Path) -> None:
        entries = []
        for case, name in zip(book.case_ids, file_names(book.case_ids), strict=True):
            write_text(folder / name, render_report(analysis, case, **options))
            entries.append(case_entry(analysis, case, [(lang, name)]))
        write_text(folder / "index.html", render_index(entries, lang=lang))

    return build_folder(path, build)


def _as_analysis(source):
    from casuistry.analysis import Analysis, analyse

    if isinstance(source, Analysis):
        return source
    if isinstance(source, Casebook):
        return analyse(source)
    from casuistry.loading import load

    return analyse(load(source))


def file_names(case_ids) -> list[str]:
    """A safe, distinct ``.html`` file name per case id.

    Letters, digits, ``-``, ``_`` and ``.`` are kept, anything else becomes
    ``-``; names that would collide get a number.

    Examples
    --------
    >>> file_names(["puzzel-1", "a/b", "a b", "../x"])
    ['puzzel-1.html', 'a-b.html', 'a-b-2.html', 'x.html']
    """
    names: list[str] = []
    taken: set[str] = set()
    for case_id in case_ids:
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(case_id)).strip(".-") or "case"
        name, n = stem, 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name.lower())
        names.append(f"{name}.html")
    return names
