"""Pictures: one colour per silo, timeline lanes, journeys, the pyvis graph, notebook display."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import matplotlib
import numpy as np
import pandas as pd
import pytest

import casuistry
from casuistry.errors import CasuistryError
from casuistry.presentation.palette import COLOURS, SILO_COLOURS
from casuistry.viz import (
    HTMLPage,
    figure_svg,
    graph_fragment,
    journey_chart,
    show_graph,
    show_report,
    silo_colour,
    timeline,
)
from casuistry.viz.lanes import timeline_svgs
from casuistry.viz.svg import figure_variants, tag
from casuistry.viz.vis_network import network_fragment
from casuistry.vocabulary import SILOS

# the casuistry a subprocess imports: this one, not an installed copy
SOURCES = str(Path(casuistry.__file__).parents[1])


@pytest.fixture(scope="module")
def book():
    return casuistry.load(casuistry.example_path())


@pytest.fixture(scope="module")
def analysis(book):
    return casuistry.analyse(book)


def datasets(fragment: str, *, view: str = "network") -> tuple[list, list]:
    """The nodes and edges JSON handed to vis.DataSet in a graph fragment.

    The fragment holds two views: first the time view, then the network view.
    """
    found = re.findall(r"new vis\.DataSet\((.*?)\);\n", fragment)
    assert len(found) == 4
    first = {"time": 0, "network": 2}[view]
    return json.loads(found[first]), json.loads(found[first + 1])


# --- palette -----------------------------------------------------------------


def test_every_vocabulary_silo_has_its_own_colour_from_the_safe_palette():
    assert set(SILO_COLOURS) == set(SILOS)
    assert len(set(SILO_COLOURS.values())) == len(SILO_COLOURS)
    assert set(SILO_COLOURS.values()) <= set(COLOURS)


def test_an_unknown_silo_keeps_one_colour_everywhere():
    # sha256("havenbedrijf")[:4] as an integer is 3931706538; modulo 16 colours: 10, green.
    assert silo_colour("havenbedrijf") == COLOURS[10] == "#117733"
    # ... and in every process: Python's salted hash() would differ per seed.
    script = "from casuistry.viz import silo_colour; print(silo_colour('havenbedrijf'))"
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": SOURCES}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "#117733"


def test_the_same_silo_has_the_same_colour_in_timeline_and_graph(analysis):
    nodes, _ = datasets(graph_fragment(analysis, lang="en"))
    school = next(n for n in nodes if n["id"] == "actor:school")
    assert school["color"]["background"] == SILO_COLOURS["onderwijs"]
    ax = timeline(analysis, lang="en").axes[0]
    marks = [line for line in ax.lines if line.get_linestyle() == "None"]  # markers only
    faces = {matplotlib.colors.to_hex(line.get_markerfacecolor()).upper() for line in marks}
    assert SILO_COLOURS["onderwijs"] in faces


# --- SVG ---------------------------------------------------------------------


def test_two_figures_on_one_page_share_no_id(book):
    a = figure_svg(timeline(book), prefix="a")
    b = figure_svg(journey_chart(book), prefix="b")
    ids_a = set(re.findall(r'id="([^"]+)"', a))
    ids_b = set(re.findall(r'id="([^"]+)"', b))
    assert ids_a and ids_b and not ids_a & ids_b
    for svg, ids in ((a, ids_a), (b, ids_b)):
        assert set(re.findall(r'href="#([^"]+)"', svg)) <= ids
        assert "http" not in svg and "<?xml" not in svg and "DOCTYPE" not in svg


def test_svg_text_from_the_input_is_escaped(casebook_from_rows):
    book = casebook_from_rows(
        [
            {
                "event_id": "e<1>",
                "time": "2024-01-01",
                "kind": "signal",
                "actor": "<script>x</script> $a$",
                "category": "verzuim",
            }
        ]
    )
    svg = figure_svg(timeline(book), prefix="t")
    assert "<script>" not in svg
    assert "&lt;script&gt;x&lt;/script&gt; $a$" in svg  # shown literally, no mathtext


def test_the_moments_cut_from_one_drawing_show_the_case_as_it_stood(analysis):
    # The example's events (events.csv): e01 on 15 January 2024 (day 0), e02 on
    # 22 January (day 7), e03 on 2 February (day 18), e04 on 5 February (day 21), ...;
    # at day 18 the case holds e01, e02 and e03.
    whole, early, late = timeline_svgs(analysis, [18.0, 1000.0], lang="en")
    shown = {svg: set(re.findall(r">(e\d+)<", svg)) for svg in (whole, early, late)}
    assert shown[early] == {"e01", "e02", "e03"}
    assert shown[late] == shown[whole] and len(shown[whole]) > 3
    ids = [set(re.findall(r'id="([^"]+)"', svg)) for svg in (whole, early, late)]
    assert not ids[0] & ids[1] and not ids[1] & ids[2]  # one page holds them all
    for svg, own in zip((whole, early, late), ids, strict=True):
        # every marker a picture uses is defined in it, also when its first user is cut
        assert set(re.findall(r'href="#([^"]+)"', svg)) <= own
        ElementTree.fromstring(svg.replace("xlink:", ""))  # well formed: no group cut in half


def test_a_moment_is_the_timeline_up_to_its_day(analysis):
    # The same events and lanes as timeline(until=day): the same text, the same marks.
    (_, cut) = timeline_svgs(analysis, [21.0], lang="en")
    drawn = figure_svg(timeline(analysis, lang="en", until=21.0), prefix="moment0")
    texts = [re.findall(r"<text[^>]*>([^<]*)</text>", svg) for svg in (cut, drawn)]
    assert texts[0] == texts[1]
    marks = [len(re.findall(r"<use ", svg)) for svg in (cut, drawn)]
    assert marks[0] == marks[1] > 0


def _one_long_case(folder: Path, n_events: int) -> Path:
    """A case of ``n_events`` among four organisations: signals, shares of them, contacts."""
    folder.mkdir()
    actors = ["school", "huisarts", "wijkteam", "politie"]
    rows = ["case_id,event_id,time,kind,actor,to,signals,category"]
    for k in range(n_events):
        actor, other = actors[k % 4], actors[(k + 1) % 4]
        kind, to, listed = [
            ("signal", "", ""),
            ("share", other, f"e{k - 1}"),
            ("contact", other, ""),
        ][k % 3]
        day = np.datetime64("2024-01-01") + k
        category = "verzuim" if kind == "signal" else ""
        rows.append(f"long,e{k},{day},{kind},{actor},{to},{listed},{category}")
    (folder / "events.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    silos = ["onderwijs", "zorg", "sociaal_domein", "politie"]
    table = ["actor,silo", *(f"{a},{s}" for a, s in zip(actors, silos, strict=True))]
    (folder / "actors.csv").write_text("\n".join(table) + "\n", encoding="utf-8")
    return folder


def test_tagging_the_moments_reads_the_drawing_a_fixed_number_of_times(tmp_path, monkeypatch):
    # Each read of an axes' artist list (its length, a slice) walks all its
    # artists: read per event, the report of a case of 2,000 events took twice as long.
    # Counted, not timed: the reads must not grow with the events.
    from matplotlib.axes._base import _AxesBase

    reads = []
    for name in ("__len__", "__getitem__", "__iter__"):
        walk = getattr(_AxesBase.ArtistList, name)
        monkeypatch.setattr(
            _AxesBase.ArtistList,
            name,
            lambda self, *a, walk=walk: reads.append(1) or walk(self, *a),
        )

    def reads_drawing(n_events: int) -> int:
        book = casuistry.load(_one_long_case(tmp_path / f"case{n_events}", n_events))
        analysis = casuistry.analyse(book)
        reads.clear()
        timeline_svgs(analysis, [5.0, 20.0], lang="en")
        return len(reads)

    assert reads_drawing(120) == reads_drawing(30) > 0


def test_variants_leave_out_tagged_groups_with_everything_inside():
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.subplots()
    tag([ax.annotate("late", (0.5, 0.5), (0.1, 0.1), arrowprops={"arrowstyle": "->"})], "late")
    svgs = figure_variants(figure, {"all": [], "early": ["late"]})
    assert "late" in svgs["all"] and "late" not in svgs["early"]
    # the arrow is drawn apart from the text: one path fewer than the whole
    assert svgs["early"].count("<path") < svgs["all"].count("<path")


# --- timeline and journeys ---------------------------------------------------


def test_lanes_are_grouped_by_silo(casebook_from_rows):
    book = casebook_from_rows(
        [
            {"event_id": "e1", "time": "1", "kind": "signal", "actor": "school", "category": "a"},
            {"event_id": "e2", "time": "2", "kind": "signal", "actor": "gp", "category": "b"},
            {
                "event_id": "e3",
                "time": "3",
                "kind": "share",
                "actor": "leerplicht",
                "to": "gp",
                "signals": "",
            },
        ],
        actors={"school": "onderwijs", "gp": "zorg", "leerplicht": "onderwijs"},
    )
    labels = [t.get_text() for t in timeline(book).axes[0].get_yticklabels()]
    assert labels == ["school", "leerplicht", "gp"]


def test_the_timeline_speaks_the_language_and_shows_dates_on_request(book):
    legend = [t.get_text() for t in timeline(book, lang="nl").legends[0].get_texts()]
    assert legend == ["signaal", "delen", "niet delen", "contact", "overleg", "actie", "incident"]
    ax = timeline(book, lang="en", calendar_dates=True).axes[0]
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", t) for t in ticks)
    assert ax.get_xlabel() == "date"


def test_a_censored_journey_ends_in_an_open_arrowhead(analysis):
    ax = journey_chart(analysis, lang="en").axes[0]
    heads = [line for line in ax.lines if line.get_marker() == ">"]
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    # In the example only e02 (letsel) is censored; the other four converge.
    assert len(heads) == 1 and len(dots) == 4
    assert heads[0].get_xdata()[0] == pytest.approx(78.0)  # the horizon, day 78


def test_a_casebook_with_several_cases_needs_a_case_id(casebook_from_rows):
    book = casebook_from_rows(
        [
            {
                "case_id": "a",
                "event_id": "e1",
                "time": "1",
                "kind": "signal",
                "actor": "x",
                "category": "c",
            },
            {
                "case_id": "b",
                "event_id": "e1",
                "time": "1",
                "kind": "signal",
                "actor": "x",
                "category": "c",
            },
        ]
    )
    with pytest.raises(CasuistryError, match="2 cases"):
        timeline(book)
    assert timeline(book, "b").axes


LONG_LABEL = "the neighbourhood team of the municipality of Amsterdam-Noord"


def long_labels(make) -> casuistry.Casebook:
    """A case whose lane and signal labels are long, and whose last event has a long id."""
    return make(
        [
            {"event_id": "e1", "time": "0", "kind": "signal", "actor": LONG_LABEL, "category": "c"},
            {"event_id": "e2", "time": "3", "kind": "share", "actor": LONG_LABEL, "to": "gp"},
            {"event_id": "an-event-with-a-long-id", "time": "40", "kind": "signal", "actor": "gp"},
        ],
        actors={LONG_LABEL: "gemeente", "gp": "zorg"},
    )


@pytest.mark.parametrize("draw", [timeline, journey_chart], ids=["timeline", "journey"])
@pytest.mark.parametrize("case", ["example", "dates", "long labels"])
def test_a_picture_keeps_every_text_inside_and_its_legend_under_the_time_axis(
    draw, case, analysis, casebook_from_rows
):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    source = long_labels(casebook_from_rows) if case == "long labels" else analysis
    figure = draw(source, lang="en", calendar_dates=case == "dates")
    figure.set_dpi(150)  # as the slides are drawn, with hinting
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    (ax,), (legend,) = figure.axes, figure.legends
    slack = 0.5 / figure.dpi  # half a pixel, in inches
    page = Bbox.from_bounds(-slack, -slack, *(figure.get_size_inches() + 2 * slack))
    drawn = figure.get_tightbbox(renderer)  # every artist, in inches
    assert page.containsx(drawn.x0) and page.containsx(drawn.x1), (drawn, page)
    assert page.containsy(drawn.y0) and page.containsy(drawn.y1), (drawn, page)
    legend_box = legend.get_window_extent(renderer)
    assert legend_box.y1 <= ax.xaxis.label.get_window_extent(renderer).y0
    assert legend_box.y0 >= 0 and legend_box.x0 >= 0 and legend_box.x1 <= figure.bbox.x1
    labels = [label.get_window_extent(renderer) for label in ax.get_yticklabels()]
    assert max(box.x1 for box in labels) <= ax.bbox.x0
    assert min(box.x0 for box in labels) >= 0


# --- the graph ---------------------------------------------------------------


def test_the_graph_fragment_is_offline_and_uniquely_named(analysis):
    one = graph_fragment(analysis, element_id="g-one")
    two = graph_fragment(analysis, element_id="g-two")
    for fragment, name in ((one, "g-one"), (two, "g-two")):
        assert "mynetwork" not in fragment and "bootstrap" not in fragment
        assert f'<div id="{name}"' in fragment
        assert f'window.casuistryGraphs["{name}"]' in fragment
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", fragment)


def test_every_node_and_edge_carries_its_time(analysis):
    nodes, edges = datasets(graph_fragment(analysis, lang="en"))
    graph = casuistry.signal_graph(analysis)
    # Every node of the signal graph: 6 organisations, 5 signals, meeting e10, action e11 and
    # incident e12. Every edge but the 5 "knew" edges of observers (the "observed" edge shows it).
    assert sorted(n["id"] for n in nodes) == sorted(graph.nodes)
    assert len(nodes) == 14
    assert len(edges) == graph.number_of_edges() - 5
    times = {n["id"]: n["t"] for n in nodes}
    assert times["signal:e05"] == 28.0
    assert times["actor:veilig_thuis"] == 21.0  # first named by the withhold e04 on day 21
    assert times["meeting:e10"] == 53.0
    assert all(isinstance(item["t"], float) for item in [*nodes, *edges])
    assert next(n for n in nodes if n["id"] == "actor:school")["label"] == "Basisschool"


def test_tooltips_hold_plain_text_which_vis_shows_as_text(casebook_from_rows):
    book = casebook_from_rows(
        [
            {
                "event_id": "e1",
                "time": "1",
                "kind": "signal",
                "actor": 'a"><img src=x>',
                "category": "c",
                "description": "<script>alert(1)</script>",
            }
        ]
    )
    fragment = graph_fragment(book)
    nodes, _ = datasets(fragment)
    signal = next(n for n in nodes if n["id"] == "signal:e1")
    assert "<script>alert(1)</script>" in signal["title"]  # not &lt;: vis sets innerText
    assert "<script>alert" not in fragment and "<img src=x" not in fragment


def test_pyvis_gets_plain_json_values_only():
    with pytest.raises(TypeError, match="plain JSON"):
        network_fragment([{"id": "a", "t": np.float64(1.0)}], [], {}, element_id="g", height="10px")
    with pytest.raises(ValueError, match="element id"):
        network_fragment([{"id": "a"}], [], {}, element_id="1 bad", height="10px")


def test_the_slider_steps_run_from_the_first_event_to_the_last(analysis):
    fragment = graph_fragment(analysis, lang="nl")
    steps = json.loads(re.search(r'id="signal-graph-steps">(.*?)</script>', fragment).group(1))
    assert steps[0] == {"t": 0.0, "label": "dag 0"}
    assert {"t": 78.0, "label": "dag 78"} in steps  # the horizon
    assert steps[-1] == {"t": 79.0, "label": "dag 79"}  # e13, after the horizon, drawn pale
    assert [s["t"] for s in steps] == sorted(s["t"] for s in steps)


# --- notebooks ---------------------------------------------------------------


def test_show_graph_and_show_report_are_isolated_iframes(analysis):
    graph = show_graph(analysis, lang="en")
    shown = graph._repr_html_()
    assert shown.startswith('<div class="casuistry-page"><iframe')
    assert 'sandbox="allow-scripts"' in shown
    assert "<script" not in shown  # the page is inside srcdoc, escaped
    assert "&lt;script" in shown
    assert 'id="signal-graph"' in graph.html
    report = show_report(analysis, lang="nl")
    assert isinstance(report, HTMLPage) and "Leerrapport" in report.html


def test_a_page_can_be_saved(tmp_path):
    path = HTMLPage("<p>ok</p>").save(tmp_path / "p.html")
    assert path.read_text(encoding="utf-8") == "<p>ok</p>"


def test_public_picture_names_stay_functions_after_their_modules_are_imported():
    # a module named like the function it defines would replace the function on
    # casuistry.viz once imported (a report in the same notebook kernel did that)
    import importlib

    import casuistry.viz as viz

    for name, module in viz._LAZY.items():
        importlib.import_module(module)
        assert callable(getattr(viz, name)), name


def test_a_fragment_whose_own_options_load_from_the_network_is_refused_every_time():
    # The skeleton check runs once per process and kind of fragment; a refusal is not
    # remembered as a pass.
    remote = {"image": "src=//example.invalid/x.png"}
    for _ in range(2):
        with pytest.raises(CasuistryError, match="from the network"):
            network_fragment([], [], remote, element_id="g", height="10px")
    text = [{"id": "a", "label": "href=https://example.invalid"}]  # the case's text: shown
    assert "example.invalid" in network_fragment(text, [], {}, element_id="g", height="10px")


def _boxes(n: int, seed: int):
    from casuistry.viz.layout import CORNERS, Box

    rng = np.random.default_rng(seed)
    days = rng.integers(0, n // 3 + 1, n) / (n // 3 + 1)  # labels often share a day
    reach = rng.uniform(-5, 60, (n, 2))
    return [*CORNERS, *(Box(d, 0.5, a, b, 6.0, 6.0) for d, (a, b) in zip(days, reach, strict=True))]


@pytest.mark.parametrize(("n", "seed"), [(5, 1), (300, 2), (700, 3)])
def test_the_axes_fit_every_label_as_the_pairwise_bound_says(n, seed):
    # An independent oracle: the least bound over every pair of boxes, one
    # further right than the other, as the layout's docstring defines it.
    from casuistry.viz.layout import PAD, across

    boxes, width = _boxes(n, seed), 1200.0
    wide = width - 2 * PAD
    for a in boxes:
        for b in boxes:
            if b.fx > a.fx:
                room = (width - PAD - b.right) - (PAD + a.left)
                wide = min(wide, room / (b.fx - a.fx))
    left = max(PAD + box.left - box.fx * wide for box in boxes)
    assert across(boxes, width) == pytest.approx((left, wide), rel=1e-12)


def test_fitting_the_labels_of_a_long_case_takes_memory_by_rows_not_by_pairs():
    # The labels of a timeline of 20,000 events took 10 GB as a matrix of all
    # pairs. Counted in bytes, not seconds.
    import tracemalloc

    from casuistry.viz.layout import across

    boxes = _boxes(6000, 4)  # all pairs at once: 6,000^2 floats, 288 MB an array
    tracemalloc.start()
    try:
        across(boxes, 1200.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20


def test_a_long_table_shows_its_first_rows_and_says_how_many_there_are():
    from casuistry.viz import show_table

    frame = pd.DataFrame({"dagen": np.arange(200) / 4})

    def rows(styler) -> int:
        return styler.to_html().split("<tbody>")[1].count("<tr>")

    shown = show_table(frame)
    assert rows(shown) == 60 and "de eerste 60 van 200 rijen" in shown.to_html()
    assert rows(show_table(frame, max_rows=None)) == 200
    assert show_table(frame.head(60)).caption is None and rows(show_table(frame.head(60))) == 60
    assert show_table(frame, max_rows=5, lang="en").caption.startswith("the first 5 of 200 rows")
    with pytest.raises(CasuistryError, match="max_rows is a number of rows of 1 or more"):
        show_table(frame, max_rows=0)
