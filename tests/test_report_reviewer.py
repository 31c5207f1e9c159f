"""The reviewer's layer in the report: how sure, reach, key practice episodes, findings, sources.

The bundled example (``casuistry.example_path()``, days since 2024-01-15)
has two ``likely`` rows (e04 withhold huisarts → Veilig Thuis, day 21; e06
contact school–wijkagent, day 30), one deciding actor (Veilig Thuis),
episodes k1 = e04, k2 = e06 (problematic), k3 = e07;e11 (good), two findings
and a sources table.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

import casuistry
from casuistry.reporting.page import render_report
from casuistry.viz.journey import journey_chart
from casuistry.viz.lanes import timeline

REVIEW_TABLES = ("sources.csv", "episodes.csv", "factors.csv", "findings.csv")


def section(page: str, element_id: str) -> str:
    """The HTML of one section, empty when the page has none."""
    match = re.search(rf'<section id="{element_id}">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def rewrite(path: Path, change) -> None:
    """Rewrite a CSV file, passing each row (a dict) through ``change``."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    rows = [change(dict(r)) for r in rows]
    fields = [c for c in fields if c in rows[0]]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(casuistry.example_path(), folder)
    return folder


def report(folder: Path, lang: str) -> str:
    return render_report(casuistry.analyse(casuistry.load(folder)), "puzzel-1", lang=lang)


@pytest.fixture(scope="module")
def pages():
    analysis = casuistry.analyse(casuistry.load(casuistry.example_path()))
    return {lang: render_report(analysis, "puzzel-1", lang=lang) for lang in ("nl", "en")}


@pytest.mark.parametrize(
    ("lang", "gone"),
    [
        ("nl", "alleen op de zekere rijen: geen gemiste kans"),
        ("en", "on certain rows only: no missed opportunity"),
    ],
)
def test_the_missed_opportunities_resting_on_likely_rows_are_marked(pages, lang, gone):
    # e04 and e06 are themselves the likely rows: on certain rows only they are gone
    missed = section(pages[lang], "missed")
    assert missed.count(gone) == 2
    # the key figure of missed opportunities says what it becomes: none
    assert gone in section(pages[lang], "figures")


def test_how_sure_lists_the_likely_rows_and_what_rests_on_them(pages):
    howsure = text_of(section(pages["en"], "howsure"))
    assert "How sure is this" in howsure
    assert "e04 (likely)" in howsure and "e06 (likely)" in howsure
    assert "missed opportunity e04: on certain rows only: no missed opportunity" in howsure
    # no uncertain row: the variant without uncertain rows removes nothing and is not listed
    assert "Without the rows marked uncertain" not in howsure


@pytest.mark.parametrize(
    ("lang", "summary", "not_reached"),
    [
        ("nl", "2 van de 5 signalen bereikten", "niet bereikt voor de horizon"),
        ("en", "2 of the 5 signals reached", "not reached by the horizon"),
    ],
)
def test_the_reach_section_counts_the_signals_that_reached_veilig_thuis(
    pages, lang, summary, not_reached
):
    # e05 reached Veilig Thuis through the share e07 (day 36, 8 days after day 28);
    # e03 through the meeting e10 (day 53, 35 days after day 18); e01, e02, e09 never
    reach = text_of(section(pages[lang], "reach"))
    assert summary in reach
    assert reach.count(not_reached) == 3
    assert "e05" in reach and ("8 dagen" in reach or "8 days" in reach)


def test_the_episodes_come_in_time_order_with_what_was_known_and_their_factors(pages):
    episodes = section(pages["nl"], "episodes")
    assert [m for m in re.findall(r'id="episode-(k\d)"', episodes)] == ["k1", "k2", "k3"]
    words = text_of(episodes)
    # k1 is e04 (day 21): huisarts and Veilig Thuis knew e02; e01 (school, day 0) and
    # e03 (corporatie, day 18) sat elsewhere; e05 is observed only on day 28
    assert (
        "Op dat moment wist Huisarts, Veilig Thuis samen 1 signaal; "
        "2 signalen lagen bij Basisschool, Woningcorporatie." in words
    )
    assessments = re.findall(r'class="assessment">(.*?)<', episodes)
    assert assessments == ["problematisch", "problematisch", "goed"]
    assert "kennis en afweging" in words and "wet, regels en beleid" in words
    assert "winst 59 dagen" in words  # the gain of the missed opportunity e04


def test_the_findings_name_their_episodes_and_questions(pages):
    findings = section(pages["en"], "findings")
    assert 'href="#episode-k1"' in findings and 'href="#episode-k2"' in findings
    assert "Hoe weet een organisatie wie er nog meer betrokken is?" in findings
    questions = section(pages["en"], "questions")
    assert "Wat maakt dat de ene professional meldt en de andere twijfelt?" in questions


@pytest.mark.parametrize(
    ("lang", "reliability"),
    [
        ("nl", "betrouwbaarheid A · volledig betrouwbaar"),
        ("en", "reliability A · completely reliable"),
    ],
)
def test_the_register_resolves_source_keys(pages, lang, reliability):
    register = section(pages[lang], "register")
    assert "dossier Veilig Thuis" in register  # the title of the key "dossier VT"
    assert reliability in register


def test_without_the_uncertain_rows_a_missed_opportunity_is_marked_gone(tmp_path):
    folder = copy_example(tmp_path)
    # e04 uncertain: without it the withhold is no longer there, so no missed opportunity
    rewrite(
        folder / "events.csv",
        lambda r: {**r, "confidence": "uncertain" if r["event_id"] == "e04" else r["confidence"]},
    )
    page = report(folder, "nl")
    assert "zonder de onzekere rijen: geen gemiste kans" in section(page, "missed")
    assert "Zonder de rijen gemarkeerd als onzeker" in section(page, "howsure")


def test_a_case_without_the_reviewers_tables_has_none_of_these_sections(tmp_path):
    folder = copy_example(tmp_path)
    for name in REVIEW_TABLES:
        (folder / name).unlink()
    rewrite(folder / "actors.csv", lambda r: {k: v for k, v in r.items() if k != "decides"})
    rewrite(folder / "events.csv", lambda r: {**r, "confidence": ""})
    page = report(folder, "en").split("<body>")[1]  # the stylesheet names the classes
    for element_id in ("reach", "episodes", "findings", "howsure"):
        assert f'id="{element_id}"' not in page
        assert f'href="#{element_id}"' not in page
    assert 'class="robust' not in page and "source-detail" not in page


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_case_without_signals_has_no_reach_to_tell(tmp_path, lang):
    # Actors that decide, but nothing observed: there is no full picture to date
    # (its figures are empty), and the report failed on them before.
    folder = copy_example(tmp_path)
    for name in REVIEW_TABLES:
        (folder / name).unlink()
    with (folder / "events.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with (folder / "events.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "signals": ""} for r in rows if r["kind"] != "signaal")
    analysis = casuistry.analyse(casuistry.load(folder))
    assert analysis.cases["signals"].tolist() == [0]
    assert analysis.cases["signals_reached"].tolist() == [0]  # deciders there: reach applies
    page = render_report(analysis, "puzzel-1", lang=lang).split("<body>")[1]
    assert 'id="reach"' not in page and 'href="#reach"' not in page


def test_hostile_markup_in_an_episode_or_finding_is_escaped(tmp_path):
    folder = copy_example(tmp_path)
    hostile = "<script>alert(1)</script>"
    rewrite(folder / "episodes.csv", lambda r: {**r, "title": hostile})
    rewrite(folder / "findings.csv", lambda r: {**r, "text": '"><img src=x onerror=alert(1)>'})
    page = report(folder, "en")
    assert hostile not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section(page, "episodes")
    assert "&lt;img src=x onerror=alert(1)&gt;" in section(page, "findings")


def test_the_lanes_shade_each_episode_and_the_journey_marks_reach():
    analysis = casuistry.analyse(casuistry.load(casuistry.example_path()))
    ax = timeline(analysis, lang="en").axes[0]
    assert {"k1", "k2", "k3"} <= {t.get_text() for t in ax.texts}
    journey = journey_chart(analysis, lang="en").axes[0]
    diamonds = [line for line in journey.lines if line.get_marker() == "D"]
    assert len(diamonds) == 2  # e03 and e05 reached Veilig Thuis
