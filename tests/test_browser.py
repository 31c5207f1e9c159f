"""The report in a real browser (Debian's chromium), with the network cut off.

These tests fail, rather than skip, when /usr/bin/chromium is missing: the
Makefile installs it (scripts/ensure-chromium). Playwright drives the system
browser; its own browser downloads are never used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import casuistry

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
GRAPH = "signal-graph"  # the time view, shown first
NETWORK = "signal-graph-network"  # the physics view, one node per node of the signal graph
HOSTILE = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'sh scripts/ensure-chromium' (or make test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
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
