"""The learning report: sections in both languages, offline, escaped, written atomically."""

from __future__ import annotations

import csv
import importlib
import os
import re
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import casuistry
from casuistry import analysis as analysis_module
from casuistry.cli import main
from casuistry.errors import CasuistryError, ReportFailed, UnknownCase
from casuistry.io.atomic import LEDGER as MARKER
from casuistry.io.names import case_file_name
from casuistry.presentation import texts as report_texts
from casuistry.presentation.texts import Texts
from casuistry.reporting.page import SECTIONS, render_report

HOSTILE_DESCRIPTION = "<script>alert(1)</script>"
HOSTILE_ACTOR = '"><img src=x onerror=alert(1)>'

# the casuistry a subprocess imports: this one, not an installed copy
SOURCES = str(Path(casuistry.__file__).parents[1])


@pytest.fixture(scope="module")
def analysis():
    return casuistry.analyse(casuistry.load(casuistry.example_path()))


@pytest.fixture(scope="module")
def pages(analysis):
    return {lang: render_report(analysis, "puzzel-1", lang=lang) for lang in ("nl", "en")}


class Page(HTMLParser):
    """Tags with their attributes, and the text of each script and style element."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)
        else:
            self.text.append(data)


def without_vis_library(html: str) -> str:
    """The page without the inlined vis-network source (its licence comments name URLs)."""
    library = [
        m
        for m in re.finditer(r"<script>(.*?)</script>", html, re.S)
        if "vis-network" in m.group(1) and "function drawGraph" not in m.group(1)
    ]
    assert len(library) == 1
    return html.replace(library[0].group(0), "")


# --- sections and texts -------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_section_is_present_with_its_heading_in_the_language(pages, lang):
    html = pages[lang]
    t = Texts(lang)
    assert f'<html lang="{lang}">' in html
    for section_id, title in SECTIONS:
        found = re.search(rf'<section id="{section_id}">\s*<h2>(.*?)</h2>', html, re.S)
        assert found, section_id
        assert found.group(1) == t(title).replace("'", "&#39;")


def test_the_two_languages_differ_in_their_words(pages):
    assert "Vragen voor de leersessie" in pages["nl"]
    assert "Questions for the learning session" in pages["en"]
    assert "Questions for the learning session" not in pages["nl"]


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, entry in report_texts.strings().items():
        assert set(entry) == {"nl", "en"}, key
        nl, en = entry["nl"], entry["en"]
        if isinstance(nl, dict):
            assert set(nl) == set(en) == {"one", "other"}, key
            assert all(fields(nl[f]) == fields(en[f]) for f in nl), key
        else:
            assert fields(nl) == fields(en), key


def test_the_glossary_explains_the_terms_the_report_uses_in_both_languages():
    terms = {entry["term"]["nl"] for entry in report_texts.glossary()}
    assert {
        "AVG",
        "verwerking",
        "grondslag",
        "proportionaliteit",
        "subsidiariteit",
        "meldcode",
        "meldrecht",
        "beroepsgeheim",
        "Veilig Thuis",
        "convergentie",
        "censurering",
        "relationele afstand",
        "besluitafstand",
        "terugkijkbias",
    } <= terms
    for entry in report_texts.glossary():
        assert entry["text"]["nl"] and entry["text"]["en"] and entry["term"]["en"]


def test_an_unknown_language_is_refused():
    with pytest.raises(CasuistryError, match="nl, en"):
        Texts("de")


# --- findings and their evidence ---------------------------------------------


def test_findings_name_their_events_with_sources(pages):
    nl = pages["nl"]
    missed = nl[nl.index('<section id="missed">') : nl.index('<section id="pairs">')]
    # The example's withhold e04 would have brought e02 and e05 forward: 42 + 17 = 59 days.
    assert "e04" in missed and "interview huisarts" in missed
    assert "winst 59 dagen" in missed
    assert missed.index("e04") < missed.index("e06")  # largest gain first
    assert 'href="#ev-3"' in missed  # e04 is the fourth event of the register


def test_the_first_question_asks_what_made_the_largest_missed_opportunity_hard(pages):
    questions = pages["nl"].split('<section id="questions">')[1].split("</section>")[0]
    first = re.search(r"<li><p>(.*?)</p>", questions, re.S).group(1)
    assert "dag 21" in first and "Huisarts" in first
    assert "Wat maakte delen op dat moment moeilijk?" in first and "Wat had geholpen" in first


def test_times_are_relative_days_by_default_and_dates_on_request(analysis):
    relative = render_report(analysis, "puzzel-1", lang="en")
    dated = render_report(analysis, "puzzel-1", lang="en", calendar_dates=True)
    case = relative.split('<section id="case">')[1].split("</section>")[0]
    assert "day 53" in case and "2024-03-08" not in case
    assert "2024-03-08" in dated.split('<section id="case">')[1].split("</section>")[0]


def test_sharing_decisions_stand_side_by_side_with_basis_and_reason(pages):
    sharing = pages["en"].split('<section id="sharing">')[1].split("</section>")[0]
    assert "2 of 2 with a recorded legal basis" in sharing
    assert "1 of 1 with a recorded reason" in sharing
    assert "avg-6.1.e" in sharing and "privacy_uncertainty" in sharing


def test_a_day_number_case_without_incident_or_convergence_renders(casebook_from_rows, tmp_path):
    book = casebook_from_rows(
        [
            {
                "event_id": "s1",
                "time": "3",
                "kind": "signal",
                "actor": "school",
                "category": "verzuim",
            },
            {
                "event_id": "w1",
                "time": "10",
                "kind": "withhold",
                "actor": "school",
                "to": "huisarts",
                "signals": "s1",
            },
        ]
    )
    out = casuistry.report(book, None, tmp_path / "r.html", lang="nl", calendar_dates=True)
    html = out.read_text(encoding="utf-8")
    assert "dag 10" in html  # the case's own day numbers
    assert "kwamen signalen uit verschillende domeinen bij geen enkele organisatie samen" in html


_RENDER = """
import sys, casuistry
from casuistry.reporting.page import render_report
result = casuistry.analyse(casuistry.load(casuistry.example_path()))
sys.stdout.buffer.write(render_report(result, "puzzel-1", lang=sys.argv[1]).encode("utf-8"))
"""


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_is_the_same_every_time(lang):
    # Two fresh interpreters with different string-hash salts: any set or dict
    # order that leaked into the page would make the bytes differ.
    pages = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": SOURCES}
        done = subprocess.run(
            [sys.executable, "-c", _RENDER, lang], env=env, capture_output=True, check=True
        )
        pages.append(done.stdout)
    assert pages[0] == pages[1]
    assert pages[0].startswith(b"<!DOCTYPE html>")


# --- offline -----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_nothing_is_loaded_from_outside_the_page(pages, lang):
    html = pages[lang]
    page = Page(html)
    assert not [
        tag for tag, _ in page.tags if tag in ("link", "iframe", "img", "object", "embed", "base")
    ]
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "poster", "srcset", "data", "xlink:href"):
            value = (attrs.get(name) or "").strip()
            if name in attrs:
                assert value.startswith(("#", "data:")), (tag, name, value)
    assert not any("@import" in css for css in page.styles)
    for css in page.styles:
        for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css):
            assert url.startswith(("data:", "#")), url
    rest = without_vis_library(html)
    for needle in ("http://", "https://", "//cdn", "cdnjs", "jsdelivr", "unpkg"):
        assert needle not in rest, needle
    assert "mynetwork" not in html
    csp = [a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]


# --- escaping ----------------------------------------------------------------


def write_hostile_case(folder):
    folder.mkdir()
    rows = [
        [
            "case_id",
            "event_id",
            "time",
            "kind",
            "actor",
            "to",
            "signals",
            "category",
            "description",
            "source",
        ],
        [
            "x-1",
            "e1",
            "2024-01-01",
            "signal",
            HOSTILE_ACTOR,
            "",
            "",
            "verzuim",
            HOSTILE_DESCRIPTION,
            "dossier <b>school</b>",
        ],
        ["x-1", "e2", "2024-01-05", "signal", "huisarts", "", "", "letsel", "quote \" and '", ""],
        ["x-1", "e3", "2024-01-09", "share", HOSTILE_ACTOR, "huisarts", "e1", "", "", ""],
    ]
    with open(folder / "events.csv", "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return folder


def test_text_from_the_input_is_shown_as_text(tmp_path):
    out = casuistry.report(write_hostile_case(tmp_path / "in"), None, tmp_path / "r.html")
    html = out.read_text(encoding="utf-8")
    assert HOSTILE_DESCRIPTION not in html
    assert "<img src=x" not in html and "<b>school</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    page = Page(html)
    assert not [tag for tag, _ in page.tags if tag in ("img", "b")]
    assert not [attrs for _, attrs in page.tags if any(k.startswith("on") for k in attrs)]
    baseline = Page(
        render_report(casuistry.analyse(casuistry.load(casuistry.example_path())), "puzzel-1")
    )
    assert len(page.scripts) == len(baseline.scripts)  # no script came from the input
    ours = [s for s in page.scripts if "new vis.Network(" in s or "vis-network" not in s]
    assert any("new vis.Network(" in s for s in ours)
    for script in ours:  # input text in the graph data is JSON with < escaped
        assert "<img" not in script and "<script" not in script.lower()
        for data in script.split("new vis.DataSet(")[1:]:
            assert "<" not in data.split(");")[0]


# --- writing -----------------------------------------------------------------


def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir(parents=True)
    text = (casuistry.example_path() / "events.csv").read_text(encoding="utf-8")
    header, *rows = text.strip().splitlines()
    twin = [row.replace("puzzel-1", "puzzel/2", 1) for row in rows]
    (folder / "events.csv").write_text("\n".join([header, *rows, *twin]) + "\n", encoding="utf-8")
    (folder / "actors.csv").write_bytes((casuistry.example_path() / "actors.csv").read_bytes())
    return folder


def test_a_corpus_gets_a_report_per_case_and_an_index(tmp_path):
    out = casuistry.report(corpus(tmp_path), None, tmp_path / "out", lang="en")
    names = sorted(p.name for p in out.iterdir())
    twin = case_file_name("puzzel/2")  # a slash is no file name: slug and hash
    assert names == [MARKER, "index.html", "puzzel-1.html", twin]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="puzzel-1.html"' in index and f'href="{twin}"' in index
    for _, attrs in Page(index).tags:
        assert not re.match(r"\w+:", attrs.get("href", "")), attrs  # relative links only
    again = casuistry.report(corpus(tmp_path / "b"), None, out, lang="nl")  # replaces its own
    assert "Leerrapport" in (again / "puzzel-1.html").read_text(encoding="utf-8")


def test_a_list_of_cases_gets_their_reports_and_an_index_of_them_only(tmp_path):
    twin = case_file_name("puzzel/2")
    out = casuistry.report(corpus(tmp_path), ["puzzel/2", "puzzel/2"], tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html", twin]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{twin}"' in index and "puzzel-1.html" not in index
    # the same page as the report of that case alone
    alone = casuistry.report(corpus(tmp_path / "b"), "puzzel/2", tmp_path / "alone.html")
    assert (out / twin).read_bytes() == alone.read_bytes()


def test_every_unknown_case_of_a_list_is_named_at_once_and_nothing_written(tmp_path):
    asked = ["puzel-1", "puzzel/2", *(f"x{k}" for k in range(12))]
    with pytest.raises(UnknownCase) as caught:
        casuistry.report(corpus(tmp_path), asked, tmp_path / "out")
    message = str(caught.value)
    assert message.startswith("13 cases are not in the input: 'puzel-1' (did you mean 'puzzel-1'?)")
    assert message.endswith("'x7', 'x8' and 3 more; cases are: puzzel-1, puzzel/2")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("asked", "said"),
    [([], "no case ids given"), (2.5, "case_id takes one case id, a list of ids or None")],
)
def test_no_cases_or_no_list_of_them_is_refused(tmp_path, asked, said):
    with pytest.raises(CasuistryError, match=said):
        casuistry.report(corpus(tmp_path), asked, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_list_of_cases_into_one_html_file_is_refused(tmp_path):
    with pytest.raises(CasuistryError, match=r"2 cases asked for: .* an output folder instead of"):
        casuistry.report(corpus(tmp_path), ["puzzel-1", "puzzel/2"], tmp_path / "r.html")


def test_a_folder_casuistry_did_not_write_is_never_replaced(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("years of work", encoding="utf-8")
    with pytest.raises(CasuistryError, match="other content"):
        casuistry.report(corpus(tmp_path), None, tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.txt").read_text(encoding="utf-8") == "years of work"


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    for module in ("casuistry.reporting.writer", "casuistry.reporting.page"):
        monkeypatch.setattr(importlib.import_module(module), "render_report", broken)
    with pytest.raises(ReportFailed, match=r"puzzel-1.*RuntimeError: disk full"):
        casuistry.report(corpus(tmp_path), None, tmp_path / "out")
    with pytest.raises(RuntimeError):
        casuistry.report(casuistry.example_path(), None, tmp_path / "r.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def test_cli_writes_one_report(tmp_path, capsys):
    out = tmp_path / "report.html"
    status = main(
        ["report", str(casuistry.example_path()), "-o", str(out), "--lang", "en", "--dates"]
    )
    assert status == 0
    assert "Learning report" in out.read_text(encoding="utf-8")
    assert str(out) in capsys.readouterr().out


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "events.csv").write_text(
        "case_id,event_id,time,kind,actor\nc,e1,soon,signal,a\n", encoding="utf-8"
    )
    out = tmp_path / "out" / "report.html"
    assert main(["report", str(bad), "-o", str(out)]) == 2
    assert "row 2" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_corpus_into_one_html_file(tmp_path, capsys):
    assert main(["report", str(corpus(tmp_path)), "-o", str(tmp_path / "r.html")]) == 2
    assert "--case" in capsys.readouterr().err
    assert (
        main(
            [
                "report",
                str(corpus(tmp_path / "b")),
                "--case",
                "puzzel/2",
                "-o",
                str(tmp_path / "r.html"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "report",
                str(casuistry.example_path()),
                "--case",
                "nope",
                "-o",
                str(tmp_path / "n.html"),
            ]
        )
        == 2
    )
    assert not (tmp_path / "n.html").exists()


def test_cli_reports_the_cases_given_by_repeated_case_or_by_a_file(tmp_path, capsys):
    path = str(corpus(tmp_path))
    twin = case_file_name("puzzel/2")
    out = tmp_path / "two"
    assert main(["report", path, "--case", "puzzel/2", "--case", "puzzel-1", "-o", str(out)]) == 0
    assert f"wrote 2 reports and {out / 'index.html'}" in capsys.readouterr().out
    assert {p.name for p in out.glob("*.html")} == {"index.html", "puzzel-1.html", twin}
    # a selection of the cases table, as a notebook writes it: a folder, even of one case
    chosen = tmp_path / "chosen.csv"
    analysed = casuistry.analyse(casuistry.load(path))
    analysed.cases[analysed.cases["case_id"] == "puzzel/2"].to_csv(chosen, index=False)
    out = tmp_path / "chosen"
    assert main(["report", path, "--cases", str(chosen), "-o", str(out)]) == 0
    assert "wrote 1 report and" in capsys.readouterr().out
    assert {p.name for p in out.glob("*.html")} == {"index.html", twin}


def test_cli_checks_the_list_of_cases_before_the_analysis(tmp_path, capsys, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("analysed before the cases were checked")

    monkeypatch.setattr(analysis_module, "analyse", never)
    path, out = str(corpus(tmp_path)), tmp_path / "out"
    ids = tmp_path / "ids.txt"
    ids.write_text("puzzel-1\npuzel/2\n", encoding="utf-8")
    assert main(["report", path, "--cases", str(ids), "-o", str(out)]) == 2
    assert "no case 'puzel/2' in the input; did you mean 'puzzel/2'?" in capsys.readouterr().err
    (tmp_path / "t.csv").write_text("case,signals\npuzzel-1,1\n", encoding="utf-8")
    assert main(["report", path, "--cases", str(tmp_path / "t.csv"), "-o", str(out)]) == 2
    assert "t.csv: has no column case_id; give a text file" in capsys.readouterr().err
    argv = ["report", path, "--case", "puzzel-1", "--case", "puzzel/2", "--pdf", "-o", str(out)]
    monkeypatch.setattr("casuistry.reporting.handouts.check_tools", lambda **_: None)
    assert main(argv) == 2
    assert "not for a folder of 2 reports: give one --case ID" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("verslag.pdf", "for example {out}/verslag.html; the handout as a PDF"),
        ("verslag.pptx", "for example {out}/verslag.html; a slide deck"),
        ("verslag", "for example {out}/verslag.html"),
        ("verslag/", "names a folder, and the report of one case is one file"),
    ],
)
def test_cli_refuses_a_report_name_no_browser_opens_as_html(tmp_path, capsys, name, said):
    out = tmp_path / "out"
    out.mkdir()
    assert main(["report", str(casuistry.example_path()), "-o", f"{out}/{name}"]) == 2
    assert said.format(out=out) in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_a_report_name_in_capitals_or_htm_is_written(tmp_path, analysis):
    for name in ("VERSLAG.HTML", "verslag.htm"):
        assert casuistry.report(analysis, "puzzel-1", tmp_path / name).name == name


# --- the demo ----------------------------------------------------------------


def test_the_demo_reports_the_example_and_one_case_per_scenario(tmp_path, capsys):
    from casuistry.demo import main as demo

    synthetic = tmp_path / "synthetic"
    for scenario in ("alpha", "beta"):
        (synthetic / scenario).mkdir(parents=True)
        for name in ("events.csv", "actors.csv"):
            (synthetic / scenario / name).write_bytes(
                (casuistry.example_path() / name).read_bytes()
            )
    assert demo(["--out", str(tmp_path / "demo"), "--data", str(synthetic)]) == 0
    out = capsys.readouterr().out
    progress = [line[:6] for line in out.splitlines() if line.startswith("[")]
    assert progress == [f"[{n}/6] " for n in range(1, 7)]
    assert (tmp_path / "demo" / "index.html").as_uri() in out
    index = (tmp_path / "demo" / "index.html").read_text(encoding="utf-8")
    for name in ("puzzel-puzzel-1", "alpha-puzzel-1", "beta-puzzel-1"):
        for lang in ("nl", "en"):
            assert f'href="{lang}/{name}.html"' in index
            assert (tmp_path / "demo" / lang / f"{name}.html").exists()


def test_the_demo_says_when_there_is_no_synthetic_data(tmp_path, capsys, monkeypatch):
    from casuistry.demo import main as demo

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("casuistry.demo.find_synthetic", lambda explicit=None: None)
    assert demo(["--out", "demo"]) == 0
    captured = capsys.readouterr()
    assert "no data/synthetic folder" in captured.err and "make data" in captured.err
    # the Dutch report of the example, with its PDF handout and its slide deck beside it
    made = sorted(p.suffix for p in (tmp_path / "demo" / "nl").iterdir())
    assert made == [".html", ".pdf", ".pptx"]


def test_the_demo_skips_the_pdf_with_a_clear_line_without_chromium(tmp_path, capsys, monkeypatch):
    from casuistry.demo import main as demo

    monkeypatch.setattr("casuistry.demo.find_synthetic", lambda explicit=None: None)
    monkeypatch.setattr("casuistry.reporting.pdf.CHROMIUM", tmp_path / "no-chromium")
    assert demo(["--out", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert "skipped puzzel-puzzel-1.pdf" in out and "apt-get install chromium" in out
    made = sorted(p.suffix for p in (tmp_path / "demo" / "nl").iterdir())
    assert made == [".html", ".pptx"]


# --- what a facilitator checks first ------------------------------------------------


def test_the_index_speaks_the_reports_language_without_the_report_banner(tmp_path):
    from casuistry.reporting.index import render_index

    page = render_index([], lang="nl")
    assert '<html lang="nl">' in page and 'class="status"' not in page


def test_a_dutch_report_writes_dutch_dates(analysis):
    from casuistry.reporting.page import render_report

    page = render_report(analysis, "puzzel-1", lang="nl", calendar_dates=True)
    # e01 is observed on 2024-01-15: "15 januari 2024" in the table of journeys.
    assert "<td>15 januari 2024</td>" in page and "<td>2024-01-15</td>" not in page


def test_convergence_at_observation_is_worded_as_such(casebook_from_rows):
    from casuistry.reporting.page import render_report

    # b's signal (e2) is observed by a silo that already knew a's signal (shared by e1s):
    # it converges on its own observation, which is said as such, not "via e2".
    book = casebook_from_rows(
        [
            {
                "event_id": "e1",
                "time": "2024-01-01",
                "kind": "signal",
                "actor": "school",
                "category": "verzuim",
            },
            {
                "event_id": "e1s",
                "time": "2024-01-02",
                "kind": "share",
                "actor": "school",
                "to": "huisarts",
                "signals": "e1",
            },
            {
                "event_id": "e2",
                "time": "2024-01-05",
                "kind": "signal",
                "actor": "huisarts",
                "category": "letsel",
            },
        ]
    )
    page = render_report(casuistry.analyse(book), book.case_ids[0], lang="nl")
    journeys = page.split('<section id="journeys">')[1].split("</section>")[0]
    assert journeys.count(Texts("nl")("journeys.at_observation")) == 1


def test_the_summed_dwell_figure_says_it_is_a_sum(pages):
    assert Texts("nl")("figure.dwell_sum") in pages["nl"]


def test_the_command_analyses_only_the_cases_asked_for_and_writes_the_same_reports(
    tmp_path, monkeypatch
):
    folder = tmp_path / "corpus"
    assert main(["synth", "--scenario", "huiselijk_geweld", "--cases", "5", "--seed", "2",
                 "-o", str(folder)]) == 0  # fmt: skip
    whole = casuistry.analyse(casuistry.load(folder))
    ids = whole.casebook.case_ids
    expected = casuistry.report(whole, [ids[3], ids[1]], tmp_path / "expected")
    analysed, analyse = [], analysis_module.analyse

    def counted(book, *args, **kwargs):
        analysed.append(book.case_ids)
        return analyse(book, *args, **kwargs)

    monkeypatch.setattr(analysis_module, "analyse", counted)
    out = tmp_path / "out"
    assert main(["report", str(folder), "--case", ids[3], "--case", ids[1], "-o", str(out)]) == 0
    assert analysed == [[ids[1], ids[3]]]
    for name in (case_file_name(ids[3]), case_file_name(ids[1])):
        assert (out / name).read_bytes() == (expected / name).read_bytes()
    assert main(["report", str(folder), "--case", ids[4], "-o", str(tmp_path / "one.html")]) == 0
    assert analysed[-1] == [ids[4]]
    one = casuistry.report(whole, ids[4], tmp_path / "expected-one.html")
    assert (tmp_path / "one.html").read_bytes() == one.read_bytes()
