"""The PDF handout, printed by headless chromium with the network cut off."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

import casuistry
from casuistry.cli import main
from casuistry.reporting import pdf

pytestmark = pytest.mark.browser


def test_the_pdf_has_pages_and_the_case_text(tmp_path):
    html = casuistry.report(casuistry.example_path(), None, tmp_path / "r.html", lang="en")
    written = pdf.write_pdf(html.read_text(encoding="utf-8"), tmp_path / "r.pdf")
    reader = PdfReader(written)
    # One page per section at least (14 sections, the first two may share a page).
    assert len(reader.pages) >= 13
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Learning report: puzzel-1" in text
    assert "Missed opportunities" in text and "e04" in text


def test_cli_writes_pdf_and_deck_next_to_the_report(tmp_path, capsys):
    out = tmp_path / "r.html"
    args = ["report", str(casuistry.example_path()), "-o", str(out), "--pdf", "--pptx"]
    assert main(args) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "r.html",
        "r.pdf",
        "r.pptx",
    ]
    assert f"wrote {tmp_path / 'r.pdf'}" in capsys.readouterr().out


def test_without_chromium_the_cli_says_how_to_get_one_and_writes_nothing(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(pdf, "CHROMIUM", tmp_path / "no-chromium")
    out = tmp_path / "out" / "r.html"
    assert main(["report", str(casuistry.example_path()), "-o", str(out), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err and "pip install" in err
    assert not out.parent.exists()


def test_a_pdf_never_replaces_a_file_casuistry_did_not_write(tmp_path):
    mine = tmp_path / "r.pdf"
    mine.write_bytes(b"someone else's")
    with pytest.raises(casuistry.errors.WriteRefused):
        pdf.write_pdf("<p>x</p>", mine)
    assert mine.read_bytes() == b"someone else's"
