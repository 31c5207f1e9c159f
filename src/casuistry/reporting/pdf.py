"""The handout as a PDF: the report printed by a real browser engine, offline.

The report's HTML is opened from a temporary file in headless chromium
through playwright (the system's ``/usr/bin/chromium``; playwright's own
browser downloads are never used), with print media emulated and every
request that is not a ``file:`` URL aborted, and printed to A4 with the
report's print stylesheet. The PDF is written atomically through
:mod:`casuistry.io.atomic`.
"""

from __future__ import annotations

import os
import tempfile
from importlib.util import find_spec
from pathlib import Path

from casuistry.errors import ToolMissing
from casuistry.io.atomic import atomic_path

#: The browser engine used to print; the project's Debian chromium.
CHROMIUM = Path("/usr/bin/chromium")
#: Flags of a headless browser that reaches nothing outside the page.
ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
HOW_TO_GET_ONE = (
    "a PDF needs a browser engine: install Debian's chromium and playwright "
    "(sudo apt-get install chromium; pip install 'casuistry[pdf]' or pip install playwright), "
    "or open the HTML report in a browser and print it to PDF (the print layout is the handout)"
)


def check_pdf_tools() -> None:
    """Raise :class:`~casuistry.errors.ToolMissing` unless chromium and playwright are there.

    Examples
    --------
    >>> check_pdf_tools() is None  # on the project's machines both are installed
    True
    """
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing")
    if find_spec("playwright") is None:
        missing.append("playwright is not installed")
    if missing:
        raise ToolMissing(f"{'; '.join(missing)}: {HOW_TO_GET_ONE}")


def pdf_bytes(html: str) -> bytes:
    """Print an HTML page to A4 PDF in headless chromium, offline; return the PDF.

    Parameters
    ----------
    html : str
        A whole, self-contained HTML document (a report).

    Raises
    ------
    ToolMissing
        When chromium or playwright is not installed.
    """
    check_pdf_tools()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="casuistry-pdf-") as folder:
        page_file = Path(folder) / "report.html"
        page_file.write_text(html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(ARGS))
            try:
                page = browser.new_page()
                page.route("**/*", _only_files)
                page.goto(page_file.as_uri(), wait_until="load")
                page.emulate_media(media="print")
                return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            finally:
                browser.close()


def write_pdf(html: str, target: str | os.PathLike, *, inputs=()) -> Path:
    """Print ``html`` to a PDF at ``target``, atomically; return the path.

    The browser runs before anything is written, so a failure leaves
    nothing behind; see :func:`casuistry.io.atomic.atomic_path` for ``inputs``
    and the refusal to replace a file casuistry did not write.
    """
    data = pdf_bytes(html)
    with atomic_path(target, inputs=inputs) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def _only_files(route) -> None:
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()
