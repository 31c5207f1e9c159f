"""The command line: exit codes, messages in the user's terms, nothing half-written."""

from __future__ import annotations

import openpyxl
import pytest

import casuistry
from casuistry.cli import SUBCOMMANDS, build_parser, main

HEADER = "case_id,event_id,time,kind,actor,to,signals,category,description"


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_validate_accepts_the_example(capsys):
    status, out, _ = run(capsys, "validate", casuistry.example_path())
    assert status == 0
    assert out.splitlines()[0] == "ok: 1 cases, 13 events, 1 warnings"
    assert "after its first incident" in out


def test_validate_refuses_bad_rows_with_row_and_column(capsys, tmp_path):
    (tmp_path / "events.csv").write_text(
        HEADER + "\nc,e1,2024-01-01,signal,school,,,verzuim,\nc,e2,morgen,share,school,,,,\n",
        encoding="utf-8",
    )
    status, out, err = run(capsys, "validate", tmp_path)
    assert (status, out) == (2, "")
    assert "events.csv, row 3, column time:" in err
    assert "events.csv, row 3, column to:" in err


@pytest.mark.parametrize(
    ("identifier", "kind"),
    [
        ("bsn 111222333", "BSN"),
        ("mail j.de.vries@example.org", "e-mail"),
        ("bel 06-12345678", "phone"),
        ("rekening NL91ABNA0417164300", "IBAN"),
        ("woont op 1234 AB 12", "postcode"),
        ("geboren 12-03-2015", "birth"),
    ],
)
def test_identifiers_are_refused_without_echoing_them(capsys, tmp_path, identifier, kind):
    (tmp_path / "events.csv").write_text(
        HEADER + f"\nc,e1,2024-01-01,signal,school,,,verzuim,{identifier}\n", encoding="utf-8"
    )
    status, out, err = run(capsys, "validate", tmp_path)
    assert status == 2
    assert "row 2, column description" in err
    assert kind.lower() in err.lower()
    value = identifier.split(" ", 1)[1]
    assert value not in err and value not in out


def test_unreadable_inputs_exit_2_in_one_line(capsys, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER + "\n", encoding="utf-8")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\nc,é,1,signal,x,,,a,\n").encode("latin-1"))
    workbook = openpyxl.Workbook()
    workbook.active.title = "blad1"
    workbook.save(tmp_path / "book.xlsx")
    for path in (tmp_path / "missing", empty, header_only, latin, tmp_path / "book.xlsx"):
        status, out, err = run(capsys, "validate", path)
        assert status == 2, path
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err


def test_every_subcommand_help_shows_an_example(capsys):
    parser = build_parser()
    choices = parser._subparsers._group_actions[0].choices
    assert set(choices) == set(SUBCOMMANDS)
    for name, sub in choices.items():
        assert f"casuistry {name}" in sub.format_help().split("example:")[1], name
    assert "examples:" in parser.format_help()


def test_anonymise_round_trip_never_shows_the_key(capsys, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "events.csv").write_text(
        HEADER + "\nJansen,1,2024-01-05,signal,school,,,verzuim,moeder belt van 06-12345678\n"
        "Jansen,2,2024-01-09,share,school,arts,1,,mail aan p.jansen@example.nl\n",
        encoding="utf-8",
    )
    key = tmp_path / "key"
    key.write_text("zeer-geheim-woord\n", encoding="utf-8")
    out_dir = tmp_path / "anoniem"
    status, out, err = run(
        capsys, "anonymise", raw, "-o", out_dir, "--key-file", key, "--shift-days", "30"
    )
    assert status == 0, err
    written = (out_dir / "events.csv").read_text(encoding="utf-8")
    for secret in ("zeer-geheim-woord", "Jansen", "06-12345678", "p.jansen@example.nl"):
        assert secret not in written + out + err
    assert run(capsys, "validate", out_dir)[0] == 0


def test_anonymise_writes_nothing_when_the_result_is_still_invalid(capsys, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "events.csv").write_text(
        HEADER + "\nc,1,gisteren,signal,school,,,verzuim,\n", encoding="utf-8"
    )
    key = tmp_path / "key"
    key.write_text("een-lange-geheime-sleutel", encoding="utf-8")
    status, _, err = run(capsys, "anonymise", raw, "-o", tmp_path / "out", "--key-file", key)
    assert status == 2
    assert "events.csv, row 2, column time" in err
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key", "raw"]  # no temporary left


def test_anonymise_without_a_key_exits_2(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("CASUISTRY_KEY", raising=False)
    status, _, err = run(capsys, "anonymise", casuistry.example_path(), "-o", tmp_path / "o")
    assert status == 2
    assert "no key" in err
