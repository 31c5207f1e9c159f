"""Showing a page (the signal graph, or a report) in a notebook, isolated and offline.

A page is shown inside an ``<iframe srcdoc="...">`` in a ``<div>``: its
scripts and styles cannot touch the notebook, it needs no server and no
network, and it is saved with the notebook. (JupyterLab hides iframes of
untrusted output until the notebook is trusted or the cell re-run.)
"""

from __future__ import annotations

import os

from casuistry.presentation.html import render
from casuistry.viz.source import one_case


class HTMLPage:
    """A whole HTML page that a notebook shows in an isolated iframe.

    Parameters
    ----------
    page : str
        The HTML document.
    height : int
        Height of the iframe in pixels.
    title : str
        Accessible title of the iframe.

    Examples
    --------
    >>> page = HTMLPage("<p>a & b</p>", height=200, title="demo")
    >>> page._repr_html_()[:61]
    '<div class="casuistry-page"><iframe title="demo" srcdoc="&lt;'
    """

    def __init__(self, page: str, *, height: int = 720, title: str = "casuistry"):
        self.html = page
        self.height = int(height)
        self.title = title

    def _repr_html_(self) -> str:
        return render(
            "casuistry.viz", "frame.html.j2", title=self.title, page=self.html, height=self.height
        )

    def save(self, path: str | os.PathLike):
        """Write the page to ``path`` (UTF-8, atomically) and return the path."""
        from casuistry.io.atomic import write_text

        return write_text(path, self.html)


def show_graph(
    source, case_id: str | None = None, *, lang: str = "nl", calendar_dates=False, height: int = 900
) -> HTMLPage:
    """The signal graph of a case with its time slider, for a notebook.

    Parameters are those of :func:`casuistry.viz.graph_fragment` (but for
    ``element_id``), and ``height``, the height of the frame in pixels.

    Returns
    -------
    HTMLPage
        Displays itself in Jupyter; ``.save(path)`` writes the page.
    """
    from casuistry.viz.network import graph_page

    analysis = one_case(source, case_id)
    page = graph_page(analysis, lang=lang, calendar_dates=calendar_dates)
    return HTMLPage(page, height=height, title=f"signal graph {analysis.casebook.case_ids[0]}")


#: Rows :func:`show_table` shows unless asked for more: as many as pandas shows of a table.
MAX_ROWS = 60


def show_table(frame, *, digits: int = 1, max_rows: int | None = MAX_ROWS, lang: str = "nl"):
    """A table for a notebook: numbers rounded, a missing value shown as a dash, never ``NaN``.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        The table (a Series is shown as a table of one column).
    digits : int, keyword-only
        Decimals of the numbers shown.
    max_rows : int or None, keyword-only
        Show the first ``max_rows`` rows of a longer table, and a caption
        that says how many there are; None shows every row (a corpus' signals
        table of 400,000 rows took 6.6 s to style and would be hundreds of
        megabytes of HTML in the notebook).
    lang : {"nl", "en"}, keyword-only
        The language of that caption.

    Returns
    -------
    pandas.io.formats.style.Styler
        Displays itself in Jupyter; the table itself is unchanged.

    Raises
    ------
    CasuistryError
        When ``max_rows`` is below 1.

    Examples
    --------
    >>> import pandas as pd
    >>> html = show_table(pd.DataFrame({"dagen": [1.25, None]})).to_html()
    >>> "nan" in html.lower(), "—" in html, "1.2" in html
    (False, True, True)
    >>> show_table(pd.DataFrame({"x": range(100)}), lang="en").caption
    'the first 60 of 100 rows; show_table(..., max_rows=None) shows them all'
    """
    import pandas as pd

    from casuistry.errors import CasuistryError
    from casuistry.presentation.missing import DASH
    from casuistry.presentation.texts import Texts

    texts = Texts(lang)
    if max_rows is not None and max_rows < 1:
        raise CasuistryError(f"max_rows is a number of rows of 1 or more, or None, not {max_rows}")
    table = frame.to_frame() if isinstance(frame, pd.Series) else frame
    cut = max_rows is not None and len(table) > max_rows
    styled = (table.head(max_rows) if cut else table).style.format(precision=digits, na_rep=DASH)
    if not cut:
        return styled
    return styled.set_caption(texts("table.first_rows", shown=max_rows, total=len(table)))
