"""The learning session as a short slide deck (python-pptx), saying what the report says.

Slides, in the report's language and colours (:mod:`casuistry.presentation.palette`):
the case in one paragraph, key figures, the timeline lanes (a PNG from
matplotlib), one slide per missed opportunity and per key practice episode,
the delays between silos, the questions for the session and the limits.
python-pptx is an optional extra (``pip install 'casuistry[slides]'``),
imported only when a deck is made.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from casuistry.errors import ToolMissing
from casuistry.io.atomic import atomic_path
from casuistry.presentation.palette import ACCENT, INCIDENT, INK
from casuistry.reporting import questions, sections
from casuistry.reporting.facts import CaseFacts
from casuistry.reporting.present import episodes

HOW_TO_GET_IT = (
    "slides need python-pptx: pip install 'casuistry[slides]' (or pip install python-pptx)"
)
#: Slide size: 16:9, in inches.
WIDTH, HEIGHT = 13.333, 7.5


def _pptx():
    try:
        import pptx
    except ImportError:
        raise ToolMissing(HOW_TO_GET_IT) from None
    return pptx


def check_slides_tools() -> None:
    """Raise :class:`~casuistry.errors.ToolMissing` unless python-pptx is installed."""
    _pptx()


def deck_bytes(f: CaseFacts) -> bytes:
    """The deck of one case as the bytes of a .pptx file.

    Examples
    --------
    >>> import casuistry, io
    >>> from pptx import Presentation
    >>> f = CaseFacts(casuistry.analyse(casuistry.load(casuistry.example_path())), "puzzel-1",
    ...               lang="en", calendar_dates=False)
    >>> deck = Presentation(io.BytesIO(deck_bytes(f)))
    >>> [s.shapes.title.text for s in deck.slides][:3]
    ['Learning report: puzzel-1', 'Key figures', "Each organisation's lane"]
    """
    pptx = _pptx()
    from pptx.util import Inches

    t = f.texts
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = Inches(WIDTH), Inches(HEIGHT)
    _text_slide(deck, f"{t('report.title')}: {f.case_id}", [" ".join(sections.summary(f))])
    _text_slide(
        deck,
        t("section.figures"),
        [f"{fig['value']} · {fig['label']}: {fig['note']}" for fig in sections.key_figures(f)],
    )
    _picture_slide(deck, t("section.lanes"), _lanes_png(f))
    for row in sections.missed_opportunities(f)["rows"]:
        title = f"{t('slides.missed')}: {row['ref'].event_id} · {row['when']}"
        lines = [f"{row['kind']}: {row['actor']} → {row['to']}"]
        lines += [x for x in (row["description"], row["reason"]) if x]
        lines += [row["counterfactual"], t("missed.gain", gain=row["gain"], max=row["max_gain"])]
        _text_slide(deck, title, lines, colour=INCIDENT)
    for episode in episodes(f):
        title = f"{t('slides.episode')}: {episode['name']}"
        lines = [episode["assessment"], episode["description"], ", ".join(episode["events"])]
        _text_slide(deck, title, [line for line in lines if line])
    pairs = sections.silo_pairs(f)
    lines = [
        f"{p['a']} – {p['b']}: {p['delay']}{'+' if p['censored'] else ''}"
        + ("" if p["censored"] else f" ({p['converged']})")
        for p in pairs
    ]
    _text_slide(deck, t("section.pairs"), lines or [t("pairs.none")])
    _text_slide(deck, t("section.questions"), [q["text"] for q in questions.questions(f)])
    limits = ["limits.reconstruction", "limits.hindsight", "limits.counterfactual", "limits.people"]
    _text_slide(deck, t("section.limits"), [t(key) for key in limits])
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def write_deck(f: CaseFacts, target: str | os.PathLike, *, inputs=()) -> Path:
    """Write the deck of one case to ``target`` atomically; return the path."""
    data = deck_bytes(f)
    with atomic_path(target, inputs=inputs) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def _title(slide, text: str, colour: str) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    slide.shapes.title.text = text
    for paragraph in slide.shapes.title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(32)
            run.font.bold = True
            run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())


def _text_slide(deck, title: str, lines: list[str], *, colour: str = ACCENT) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(deck.slide_layouts[1])  # title and content
    _title(slide, title, colour)
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.5), Inches(0.3)
    slide.shapes.title.width, slide.shapes.title.height = Inches(WIDTH - 1), Inches(1.1)
    body = slide.placeholders[1]
    body.left, body.top = Inches(0.6), Inches(1.5)
    body.width, body.height = Inches(WIDTH - 1.2), Inches(HEIGHT - 2)
    frame = body.text_frame
    frame.word_wrap = True
    size = Pt(20 if sum(len(line) for line in lines) < 900 else 14)
    for n, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.text = line
        for run in paragraph.runs:
            run.font.size = size
            run.font.color.rgb = RGBColor.from_string(INK.lstrip("#"))


def _picture_slide(deck, title: str, png: bytes) -> None:
    from pptx.util import Inches

    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    _title(slide, title, ACCENT)
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.5), Inches(0.3)
    slide.shapes.title.width, slide.shapes.title.height = Inches(WIDTH - 1), Inches(1.1)
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches(0.4), Inches(1.5))
    scale = min((WIDTH - 0.8) * 914400 / picture.width, (HEIGHT - 1.7) * 914400 / picture.height)
    picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)


def _lanes_png(f: CaseFacts) -> bytes:
    from casuistry.viz.lanes import timeline

    figure = timeline(f.analysis, lang=f.texts.lang, calendar_dates=f.clock.calendar_dates)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=150)
    return out.getvalue()
