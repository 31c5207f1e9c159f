"""The presentation layer: one text system, one list of languages, each colour once, layers kept."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pandas as pd
import pytest

import casuistry
from casuistry.errors import CasuistryError
from casuistry.presentation import palette
from casuistry.presentation.clock import written_time
from casuistry.presentation.missing import DASH, shown
from casuistry.presentation.texts import LANGUAGES, Texts, code_labels, strings
from casuistry.viz.vis_network import vis_library
from casuistry.vocabulary import BASES, REASONS, SILOS

SRC = Path(casuistry.__file__).parent


def imports(path: Path) -> set[str]:
    """The modules a source file imports, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# --- layers ------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((SRC / "viz").glob("*.py")), ids=lambda p: p.name)
def test_the_pictures_never_import_the_reports(path):
    assert not [m for m in imports(path) if m.startswith("casuistry.reporting")]


@pytest.mark.parametrize("path", sorted((SRC / "presentation").glob("*.py")), ids=lambda p: p.name)
def test_the_presentation_layer_imports_neither_pictures_nor_reports(path):
    above = ("casuistry.viz", "casuistry.reporting", "casuistry.summary", "casuistry.analysis")
    assert not [m for m in imports(path) if m.startswith(above)]


# --- texts -------------------------------------------------------------------


def test_every_text_exists_in_every_language_with_the_same_fields():
    for key, entry in strings().items():
        assert set(entry) == set(LANGUAGES), key
        forms = [entry[lang] for lang in LANGUAGES]
        if isinstance(forms[0], dict):  # a count: one and other form in each language
            assert all(set(form) == {"one", "other"} for form in forms), key
            forms = [form["other"] for form in forms]
        assert fields(forms[0]) == fields(forms[1]), key


def test_one_plural_rule_for_counts_and_durations():
    t = Texts("en")
    assert [t.n("count.signals", n) for n in (0, 1, 2)] == ["0 signals", "1 signal", "2 signals"]
    # 1 day exactly, 1.5 days and 0.96 days (written "1") as the reader sees them.
    assert [t.days(d) for d in (1, 1.5, 0.96)] == ["1 day", "1.5 days", "1 day"]
    assert Texts("nl").days(1.5) == "1,5 dagen"


def test_the_vocabulary_codes_read_their_meanings_from_the_texts():
    assert code_labels("reason") == REASONS and REASONS["no_consent"]["en"] == "no client consent"
    assert code_labels("silo") == SILOS and code_labels("basis") == BASES
    assert Texts("nl").reason("not_in_the_list") == "not_in_the_list"  # unknown codes as written


def test_the_corpus_labels_withholds_without_a_reason_through_the_texts():
    from casuistry.corpus import NO_REASON, _reason_label

    assert _reason_label(NO_REASON, "nl") == Texts("nl")("reason.none") == "geen reden vastgelegd"


def test_an_unknown_language_names_the_ones_there_are():
    with pytest.raises(CasuistryError, match="choose one of: nl, en"):
        Texts("de")


def test_languages_are_listed_once():
    pair = re.compile(r"""\(\s*["']nl["']\s*,\s*["']en["']\s*\)""")
    listed = [p for p in SRC.rglob("*.py") if pair.search(p.read_text(encoding="utf-8"))]
    assert listed == [SRC / "presentation" / "texts.py"]


# --- colours, times, missing values -------------------------------------------


def test_no_picture_or_report_module_spells_a_colour_of_its_own():
    colour = re.compile(r"""["']#[0-9A-Fa-f]{3,6}["']""")
    files = [*(SRC / "viz").glob("*.py"), *(SRC / "reporting").glob("*.py")]
    assert [p.name for p in files if colour.search(p.read_text(encoding="utf-8"))] == []
    assert palette.INK == "#222222" and palette.INCIDENT == "#B2182B"


def test_times_are_written_as_dates_or_day_numbers():
    t = Texts("en")
    assert written_time(pd.Timestamp("2024-03-01 09:30"), "datetime", t) == "2024-03-01 09:30"
    assert written_time(pd.Timestamp("2024-03-01"), "date", t) == "2024-03-01"
    assert written_time(7.0, "days", Texts("nl")) == "dag 7"


def test_a_missing_value_is_shown_as_nothing_or_a_dash_never_nan():
    assert [shown(v) for v in (None, float("nan"), pd.NaT, pd.NA)] == ["", "", "", ""]
    assert shown(float("nan"), dash=True) == DASH == "—"
    assert shown(0) == "0"


# --- the graph from pyvis's own files ------------------------------------------


def test_the_graph_inlines_pyvis_s_vis_network_files_unchanged():
    import pyvis

    folder = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    script, style = vis_library()
    assert script == (folder / "vis-network.min.js").read_text(encoding="utf-8")
    assert style == (folder / "vis-network.css").read_text(encoding="utf-8")
    fragment = casuistry.viz.graph_fragment(casuistry.load(casuistry.example_path()))
    assert f"<script>{script}</script>" in fragment and f"<style>{style}</style>" in fragment


def test_the_graph_page_is_made_from_its_template_with_the_security_policy():
    page = casuistry.viz.show_graph(casuistry.load(casuistry.example_path()), lang="en").html
    assert 'content="default-src &#39;none&#39;;' in page  # the attribute holds 'none'

    assert "<title>Who knew what, when: puzzel-1</title>" in page
