"""The one writing path: atomic, cleaned up, never over the input or over other work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from casuistry.errors import (
    CasuistryError,
    NotCasuistrysOutput,
    OutputIsInput,
    OutputUnwritable,
    WriteRefused,
)
from casuistry.io.atomic import LEDGER, atomic_path, build_folder, check_not_input, write_text


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def ended_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                             capture_output=True, text=True)  # fmt: skip
    return int(process.stdout)


# --- files ---------------------------------------------------------------------


def test_a_file_it_wrote_is_replaced_and_recorded(tmp_path):
    target = tmp_path / "report.html"
    write_text(target, "one")
    write_text(target, "two")
    assert target.read_text(encoding="utf-8") == "two"
    assert listing(tmp_path) == [LEDGER, "report.html"]


def test_a_file_it_did_not_write_is_never_replaced(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("my own notes", encoding="utf-8")
    with pytest.raises(NotCasuistrysOutput, match=r"report\.html exists and casuistry did not"):
        write_text(target, "report")
    assert target.read_text(encoding="utf-8") == "my own notes"
    assert listing(tmp_path) == ["report.html"]


def test_a_file_changed_since_casuistry_wrote_it_is_not_replaced(tmp_path):
    target = tmp_path / "report.html"
    write_text(target, "report")
    target.write_text("report, with my remarks", encoding="utf-8")
    with pytest.raises(NotCasuistrysOutput, match="changed since"):
        write_text(target, "new report")
    assert target.read_text(encoding="utf-8") == "report, with my remarks"


def test_links_and_folders_are_not_replaced_by_a_file(tmp_path):
    (tmp_path / "real.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "link.html").symlink_to(tmp_path / "real.txt")
    with pytest.raises(NotCasuistrysOutput, match="symbolic link"):
        write_text(tmp_path / "link.html", "x")
    (tmp_path / "folder").mkdir()
    with pytest.raises(NotCasuistrysOutput, match="is a folder"):
        write_text(tmp_path / "folder", "x")
    assert (tmp_path / "real.txt").read_text(encoding="utf-8") == "keep"


def test_a_foreign_file_named_like_the_ledger_stops_writing(tmp_path):
    (tmp_path / LEDGER).write_text("my settings", encoding="utf-8")
    with pytest.raises(NotCasuistrysOutput, match="not the record casuistry keeps"):
        write_text(tmp_path / "report.html", "x")
    assert listing(tmp_path) == [LEDGER]
    assert (tmp_path / LEDGER).read_text(encoding="utf-8") == "my settings"


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_an_error_while_writing_leaves_nothing(tmp_path, error):
    write_text(tmp_path / "a.html", "old")
    with pytest.raises(error), atomic_path(tmp_path / "a.html") as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise error
    with pytest.raises(error), atomic_path(tmp_path / "b", folder=True) as tmp:
        (tmp / "x.csv").write_text("half", encoding="utf-8")
        raise error
    assert listing(tmp_path) == [LEDGER, "a.html"]
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == "old"


def test_a_written_file_is_readable_by_others(tmp_path):
    # mkstemp makes 0600 files; the umask decides, as for any other file
    mask = os.umask(0o022)
    try:
        mode = write_text(tmp_path / "r.html", "x").stat().st_mode & 0o777
    finally:
        os.umask(mask)
    assert mode == 0o644


# --- folders -------------------------------------------------------------------


def test_a_new_or_empty_folder_is_written_with_a_ledger(tmp_path):
    (tmp_path / "empty").mkdir()
    for name in ("new", "empty"):
        build_folder(tmp_path / name, lambda f: (f / "events.csv").write_text("x\n"))
        assert listing(tmp_path / name) == [LEDGER, "events.csv"]


def test_a_folder_it_wrote_is_replaced_as_a_whole(tmp_path):
    out = tmp_path / "out"
    build_folder(out, lambda f: [(f / n).write_text(n) for n in ("a.csv", "b.csv")])
    build_folder(out, lambda f: (f / "c.csv").write_text("c"))
    assert listing(out) == [LEDGER, "c.csv"]
    assert listing(tmp_path) == ["out"]  # the old folder and the temporary are gone


def nested(folder: Path) -> None:
    (folder / "nl").mkdir()
    (folder / "nl" / "r.html").write_text("r")


def test_a_folder_with_subfolders_it_wrote_is_replaced(tmp_path):
    build_folder(tmp_path / "out", nested)
    build_folder(tmp_path / "out", nested)
    assert (tmp_path / "out" / "nl" / "r.html").read_text() == "r"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda out: (out / "thesis.docx").write_bytes(b"years of work"), "thesis.docx"),
        (lambda out: (out / "nl" / "notes.txt").write_text("mine"), "nl/notes.txt"),
        (lambda out: (out / "nl" / "r.html").write_text("edited"), "nl/r.html"),
        (lambda out: (out / "empty").mkdir(), "empty/"),
        (lambda out: (out / LEDGER).unlink(), "nl/"),
    ],
)
def test_a_folder_with_other_content_is_never_replaced(tmp_path, change, named):
    out = tmp_path / "out"
    build_folder(out, nested)
    change(out)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    with pytest.raises(NotCasuistrysOutput, match="other content") as refused:
        build_folder(out, nested)
    assert named in str(refused.value) and str(out) in str(refused.value)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert listing(tmp_path) == ["out"]


def test_a_file_where_a_folder_goes_is_refused(tmp_path):
    (tmp_path / "out").write_text("mine", encoding="utf-8")
    with pytest.raises(NotCasuistrysOutput, match="is a file"):
        build_folder(tmp_path / "out", nested)
    assert (tmp_path / "out").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("folder", [False, True], ids=["file", "folder"])
def test_an_output_where_no_folder_can_be_made_gets_its_reason(tmp_path, folder):
    # A file where a folder of the path should be: refused as a missing disk or
    # a folder without permission would be (this works for root too).
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    target = tmp_path / "notes.txt" / "sub" / "out"
    with pytest.raises(OutputUnwritable) as refused, atomic_path(target, folder=folder):
        raise AssertionError("nothing is written")
    assert str(refused.value).startswith(f"{target.parent}: cannot write here (")
    assert "Nothing was written: give an output in a folder you can write to." in str(refused.value)
    assert listing(tmp_path) == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


# --- inputs --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "relation"),
    [
        ("case", "is the input"),
        ("case/events.csv", "is inside the input"),
        ("case/sub/out", "is inside the input"),
        (".", "contains the input"),
    ],
)
def test_the_input_is_never_a_destination(tmp_path, target, relation):
    (tmp_path / "case").mkdir()
    (tmp_path / "case" / "events.csv").write_text("input", encoding="utf-8")
    with pytest.raises(OutputIsInput, match=relation):
        check_not_input(tmp_path / target, [tmp_path / "case"])
    with pytest.raises(OutputIsInput):
        write_text(tmp_path / target, "x", inputs=[tmp_path / "case"])
    assert (tmp_path / "case" / "events.csv").read_text(encoding="utf-8") == "input"
    assert listing(tmp_path / "case") == ["events.csv"]


def test_links_to_the_input_are_resolved(tmp_path):
    (tmp_path / "case").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "case")
    with pytest.raises(OutputIsInput):
        check_not_input(tmp_path / "alias" / "out", [tmp_path / "case"])
    with pytest.raises(OutputIsInput):
        check_not_input(tmp_path / "case" / "out", [tmp_path / "alias"])
    check_not_input(tmp_path / "elsewhere", [tmp_path / "alias"])  # beside it is fine


def test_a_file_input_may_have_outputs_beside_it(tmp_path):
    book = tmp_path / "case.xlsx"
    book.write_bytes(b"PK")
    check_not_input(tmp_path / "anoniem", [book])
    with pytest.raises(OutputIsInput):
        check_not_input(book, [book])


def test_refusals_are_casuistry_errors():
    assert issubclass(OutputIsInput, WriteRefused) and issubclass(WriteRefused, CasuistryError)
    assert issubclass(NotCasuistrysOutput, WriteRefused)
    assert issubclass(OutputUnwritable, CasuistryError)


# --- temporaries of killed runs ------------------------------------------------


def test_temporaries_of_ended_runs_are_removed(tmp_path):
    pid = ended_pid()
    (tmp_path / f".out.casuistry-tmp-{pid}-abcd1234").mkdir()
    (tmp_path / f".out.casuistry-tmp-{pid}-abcd1234" / "events.csv").write_text("half")
    (tmp_path / f".out.casuistry-old-{pid}-efgh5678").mkdir()
    (tmp_path / f".r.html.casuistry-tmp-{pid}-ijkl9012").write_text("half")
    build_folder(tmp_path / "out", nested)
    write_text(tmp_path / "r.html", "r")
    assert listing(tmp_path) == [LEDGER, "out", "r.html"]


def test_temporaries_of_running_processes_and_other_targets_are_left_alone(tmp_path):
    alive = f".out.casuistry-tmp-{os.getpid()}-abcd1234"  # this very process is running
    other = f".other.casuistry-tmp-{ended_pid()}-abcd1234"  # another target's
    for name in (alive, other):
        (tmp_path / name).mkdir()
    build_folder(tmp_path / "out", nested)
    assert listing(tmp_path) == sorted([alive, other, "out"])
