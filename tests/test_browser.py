"""The report in a real browser (Debian's chromium), with the network cut off.

These tests fail, rather than skip, when /usr/bin/chromium is missing: the
Makefile installs it (scripts/ensure-chromium). Playwright drives the system
browser; its own browser downloads are never used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import casuistry
from casuistry.cli import main
from casuistry.reporting.pdf import ARGS, CHROMIUM  # the browser the PDF handout is printed in

pytestmark = pytest.mark.browser

GRAPH = "signal-graph"  # the time view, shown first
NETWORK = "signal-graph-network"  # the physics view, one node per node of the signal graph
HOSTILE = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'sh scripts/ensure-chromium' (or make test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(ARGS))
        yield launched
        launched.close()


class Visit:
    """A page opened from a file with every other request aborted, and what went wrong."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(f"window.casuistryGraphs && window.casuistryGraphs['{GRAPH}']")

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def visible_nodes(self) -> int:
        return self.page.evaluate(
            f"window.casuistryGraphs['{NETWORK}'].nodes.get({{filter: n => !n.hidden}}).length"
        )

    def slide_to(self, end: str) -> str:
        """Move the slider to its "min" or "max" as a person would, return the shown time."""
        return self.page.evaluate(
            """end => {
                const slider = document.querySelector('.replay-controls input[type=range]');
                slider.value = slider[end];
                slider.dispatchEvent(new Event('input', {bubbles: true}));
                return document.querySelector('.replay-controls output').textContent;
            }""",
            end,
        )


@pytest.fixture(scope="module")
def report_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "report.html"
    return casuistry.report(casuistry.example_path(), None, out, lang="en")


@pytest.fixture(scope="module")
def expected_nodes():
    return casuistry.signal_graph(casuistry.load(casuistry.example_path())).number_of_nodes()


@pytest.fixture(scope="module")
def visit(browser, report_path):
    opened = Visit(browser, report_path)
    yield opened
    opened.page.close()


def test_the_report_opens_offline_without_console_errors(visit):
    assert visit.errors == []
    assert visit.blocked == []  # it did not even try to reach the network


def test_the_graph_canvas_is_painted(visit):
    painted = visit.page.wait_for_function(
        """id => {
            const canvas = document.querySelector('#' + id + ' canvas');
            if (!canvas || !canvas.width) return 0;
            const pixels = canvas.getContext('2d')
                .getImageData(0, 0, canvas.width, canvas.height).data;
            let inked = 0;
            for (let i = 0; i < pixels.length; i += 4) {
                const white = pixels[i] > 245 && pixels[i + 1] > 245 && pixels[i + 2] > 245;
                if (pixels[i + 3] > 0 && !white) inked++;
            }
            return inked > 2000 ? inked : 0;
        }""",
        arg=GRAPH,
    ).json_value()
    assert painted > 2000


def test_the_dataset_holds_every_node(visit, expected_nodes):
    count = visit.page.evaluate(f"window.casuistryGraphs['{NETWORK}'].nodes.length")
    assert count == expected_nodes


def test_the_slider_replays_who_knew_what_when(visit, expected_nodes):
    first_time = visit.slide_to("min")
    at_start = visit.visible_nodes()
    last_time = visit.slide_to("max")
    at_end = visit.visible_nodes()
    assert at_start < at_end == expected_nodes
    assert first_time == "day 0" and last_time == "day 79"  # the first and the last event
    assert visit.errors == []


def test_input_text_in_page_and_tooltip_stays_text(browser, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "events.csv").write_text(
        "case_id,event_id,time,kind,actor,to,signals,category,description\n"
        f'x,e1,2024-01-01,signal,"{HOSTILE.replace(chr(34), 2 * chr(34))}",,,verzuim,'
        "<script>alert(2)</script>\n"
        "x,e2,2024-01-03,signal,huisarts,,,letsel,\n",
        encoding="utf-8",
    )
    path = casuistry.report(folder, None, tmp_path / "r.html", lang="en")
    visit = Visit(browser, path)
    page = visit.page
    assert page.locator("img").count() == 0
    assert HOSTILE in page.locator("#lanes").inner_text()
    # Hover the signal in its lane: vis shows its title in a tooltip, as text.
    page.locator(f"#{GRAPH}").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """id => {
            const g = window.casuistryGraphs[id];
            g.network.fit({animation: false});
            const p = g.network.canvasToDOM(g.network.getPositions(['ev:e1'])['ev:e1']);
            const box = document.getElementById(id).getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        GRAPH,
    )
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=5)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert "<script>alert(2)</script>" in tooltip.inner_text()
    assert tooltip.locator(":not(br)").count() == 0  # innerText makes line breaks only
    assert visit.dialogs == [] and visit.errors == [] and visit.blocked == []
    page.close()


def test_a_hostile_corpus_is_written_escaped_and_runs_nothing(browser, tmp_path):
    # markup and links in every text column, actors' labels included: the report
    # is written (not refused), shows the text, runs no script and loads nothing
    link = "href=https://example.invalid/x"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "events.csv").write_text(
        "case_id,event_id,time,kind,actor,to,signals,category,description,source,subject\n"
        f'h1,e1,2024-01-01,signal,school,,,"<script>alert(1)</script>","{link}",'
        '"<svg onload=alert(2)>","<iframe src=//example.invalid>"\n'
        'h1,e2,2024-01-02,signal,gp,,,letsel,"<a href=""https://example.invalid"">x</a>",,\n'
        'h1,e3,2024-01-04,share,school,gp,e1,,"<img src=x onerror=alert(3)>",,\n',
        encoding="utf-8",
    )
    (folder / "actors.csv").write_text(
        f'actor,silo,label\nschool,onderwijs,"School {link}"\ngp,zorg,"<b>GP</b>"\n',
        encoding="utf-8",
    )
    assert main(["report", str(folder), "-o", str(tmp_path / "r.html"), "--case", "h1"]) == 0
    visit = Visit(browser, tmp_path / "r.html")
    page = visit.page
    assert page.locator("img, iframe, svg[onload], a[href^='https']").count() == 0
    assert link in page.locator("body").inner_text()
    assert visit.dialogs == [] and visit.errors == [] and visit.blocked == []
    page.close()


# --- presentation mode and the handout ---------------------------------------------


def matrix(page) -> list[str]:
    """The classes of the who-knows-what matrix, cell by cell."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.present-matrix tbody td'))"
        ".map(td => td.className)"
    )


def test_presentation_mode_steps_with_the_keyboard_and_fills_the_matrix(browser, report_path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(report_path.resolve().as_uri() + "#present")
    page.wait_for_selector("#presenter:not([hidden])")
    sentence = page.locator(".present-sentence")
    # Step 1 is e01 (day 0): the school saw a signal; only that cell is known, seen itself.
    assert sentence.inner_text().startswith("Day 0: Basisschool saw a signal")
    assert matrix(page).count("cell-own cell-new") == 1
    assert [c for c in matrix(page) if c.startswith("cell-heard")] == []
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    # Step 7 is e07 (day 36): the wijkagent shared e05 with Veilig Thuis, who now has
    # it from another: the first heard cell, new at this step.
    assert page.locator("#presenter").get_attribute("data-step") == "6"
    assert "Veilig Thuis" in sentence.inner_text()
    assert matrix(page).count("cell-heard cell-new") == 1
    page.keyboard.press("ArrowLeft")
    assert page.locator("#presenter").get_attribute("data-step") == "5"
    assert [c for c in matrix(page) if c.startswith("cell-heard")] == []
    # The graph of the moment: nothing after day 30 (step 6, e06) is shown.
    hidden = page.evaluate(
        "() => window.casuistryGraphs['signal-graph'].nodes.get({filter: n => n.hidden})"
        ".map(n => n.id)"
    )
    assert "ev:e07" in hidden and "ev:e06" not in hidden
    # A stop jumps to its missed opportunity (e04, step 4).
    page.locator(".present-stops button", has_text="e04").click()
    assert page.locator("#presenter").get_attribute("data-step") == "3"
    assert "Missed opportunity" in page.locator(".present-note").inner_text()
    page.keyboard.press("Escape")
    assert page.locator("#presenter").is_hidden()
    assert page.evaluate("location.hash") == ""
    # Back in the report, the graph shows the whole case again, in its own section.
    assert page.locator("#graph #signal-graph").count() == 1
    assert errors == []
    page.close()


def test_printed_nothing_is_wider_than_the_page(browser, report_path):
    # A4 at 96 dpi is 794 px wide; the margins of @page are 12 mm each side (about 45 px).
    page = browser.new_page(viewport={"width": 794 - 90, "height": 1100})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(report_path.resolve().as_uri())
    page.emulate_media(media="print")
    too_wide = page.evaluate(
        """() => {
            const limit = document.documentElement.clientWidth + 1;
            return Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getClientRects().length > 0)
                .filter(el => el.getBoundingClientRect().right > limit)
                .map(el => el.tagName + '.' + el.className);
        }"""
    )
    assert too_wide == []
    assert page.locator(".signal-graph").is_hidden()  # nothing interactive on paper
    # the stops e04, e06 (missed, k1 and k2 start there), e07 (k3) and the horizon
    assert page.locator(".moments figure").count() == 4
    page.close()


def test_tables_are_readable_at_1024_px(browser, report_path):
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(report_path.resolve().as_uri())
    cut = page.evaluate(
        """() => Array.from(document.querySelectorAll('.table-wrap'))
            .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.closest('section').id)"""
    )
    assert cut == []
    page.close()
