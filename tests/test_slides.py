"""The slide deck: opens with python-pptx, says what the report says, in its language."""

from __future__ import annotations

import io
import sys

import pytest
from pptx import Presentation

import casuistry
from casuistry.errors import ToolMissing
from casuistry.reporting.facts import CaseFacts
from casuistry.reporting.slides import deck_bytes


@pytest.fixture(scope="module")
def analysis():
    return casuistry.analyse(casuistry.load(casuistry.example_path()))


def titles(data: bytes) -> list[str]:
    return [slide.shapes.title.text for slide in Presentation(io.BytesIO(data)).slides]


def test_the_deck_has_the_expected_slides_in_dutch(analysis):
    f = CaseFacts(analysis, "puzzel-1", lang="nl", calendar_dates=False)
    t = f.texts
    # The example has two missed opportunities (e04 on day 21, e06 on day 30) and
    # three key practice episodes (k1-k3, src/casuistry/examples/puzzel/episodes.csv).
    assert titles(deck_bytes(f)) == [
        f"{t('report.title')}: puzzel-1",
        t("section.figures"),
        t("section.lanes"),
        "Gemiste kans: e04 · dag 21",
        "Gemiste kans: e06 · dag 30",
        "Sleutelmoment: k1: De huisarts twijfelt",
        "Sleutelmoment: k2: Overleg zonder de thuissituatie",
        "Sleutelmoment: k3: Van zorgmelding naar onderzoek",
        t("section.pairs"),
        t("section.questions"),
        t("section.limits"),
    ]


def test_the_lanes_slide_holds_a_picture(analysis):
    f = CaseFacts(analysis, "puzzel-1", lang="en", calendar_dates=False)
    slide = Presentation(io.BytesIO(deck_bytes(f))).slides[2]
    assert [s.shape_type for s in slide.shapes if s.shape_type == 13] == [13]  # PICTURE


def test_without_python_pptx_the_message_says_how_to_get_it(analysis, monkeypatch):
    monkeypatch.setitem(sys.modules, "pptx", None)  # import pptx now raises ImportError
    f = CaseFacts(analysis, "puzzel-1", lang="en", calendar_dates=False)
    with pytest.raises(ToolMissing, match=r"pip install 'casuistry\[slides\]'"):
        deck_bytes(f)
