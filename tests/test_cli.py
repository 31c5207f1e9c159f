"""The command line: exit codes, messages in the user's terms, nothing half-written."""

from __future__ import annotations

import subprocess
import sys

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
    assert out.splitlines()[0] == "ok: 1 case, 13 events, 1 warning"
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


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "x", "--check-names"],
        ["analyse", "x", "--json", "--engine", "python"],
        ["report", "x", "-o", "out.html", "--lang", "en"],
        ["synth", "--scenario", "huiselijk_geweld", "--cases", "3", "-o", "out"],
    ],
)
def test_a_command_line_parses_alike_with_its_subcommand_alone(argv):
    # main() builds only the subcommand the command line names first.
    full, alone = build_parser().parse_args(argv), build_parser(only=argv[0]).parse_args(argv)
    assert vars(full) == vars(alone)


def test_validate_does_not_import_the_generator():
    # synth's parser imports the scenarios for its help; a command line
    # naming validate builds only its own parser.
    code = (
        "import sys; from casuistry.cli import main; import casuistry; "
        "status = main(['validate', str(casuistry.example_path())]); "
        "print(status, [m for m in sys.modules if m.startswith('casuistry.synthetic')])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"


def program(tmp_path, argv, before=""):
    """Run ``casuistry argv`` as the program (``main()`` without argv) in a fresh
    process, after the Python statements ``before``; its completed process."""
    code = (
        f"import sys\n{before}\nsys.argv = ['casuistry', *{[str(a) for a in argv]!r}]\n"
        "from casuistry.cli import main\nmain()\n"
    )
    command = [sys.executable, "-c", code]
    return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)


def test_the_program_ends_with_its_status_and_all_its_output(tmp_path):
    # The program leaves out the interpreter's teardown, but flushes the streams.
    unflushed = "print('unflushed line', end='')"
    done = program(tmp_path, ["validate", casuistry.example_path()], before=unflushed)
    assert done.returncode == 0
    assert done.stdout.startswith("unflushed line")
    assert "ok: 1 case, 13 events, 1 warning" in done.stdout
    assert program(tmp_path, ["validate", tmp_path / "nothing-here"]).returncode == 2


def test_the_program_ends_quietly_when_its_reader_stops_reading(tmp_path):
    # casuistry analyse ... --json | head: the pipe is closed before the output is written.
    argv = [sys.executable, "-m", "casuistry.cli", "analyse", casuistry.example_path(), "--json"]
    done = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    done.stdout.close()
    _, err = done.communicate()
    assert done.returncode == 141
    assert b"Traceback" not in err and b"Error" not in err


@pytest.mark.parametrize(
    "work",
    [
        # an exit handler runs
        "import atexit\natexit.register(done.write_text, 'yes')",
        # a thread that still works is waited for
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.5), done.write_text('yes'))).start()",
    ],
    ids=["exit-handler", "thread"],
)
def test_the_program_ends_after_what_a_teardown_would_wait_for(tmp_path, work):
    before = f"import pathlib\ndone = pathlib.Path('done')\n{work}"
    assert program(tmp_path, ["validate", casuistry.example_path()], before=before).returncode == 0
    assert (tmp_path / "done").read_text() == "yes"


def raw_and_key(tmp_path, *rows):
    """A raw ``events.csv`` with ``rows`` in ``tmp_path/raw``, and a key file."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "events.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    key = tmp_path / "key"
    key.write_text("zeer-geheim-woord\n", encoding="utf-8")
    return raw, key


def test_anonymise_round_trip_never_shows_the_key(capsys, tmp_path):
    raw, key = raw_and_key(
        tmp_path,
        "Jansen,1,2024-01-05,signal,school,,,verzuim,moeder belt van 06-12345678",
        "Jansen,2,2024-01-09,share,school,arts,1,,mail aan p.jansen@example.nl",
    )
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


# --- what the writing commands never touch ------------------------------------------


def tree(folder):
    """Every file below ``folder`` with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def writing_commands(tmp_path):
    """``(name, argv before -o)`` of every writing command, with its input folder."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("events.csv", "actors.csv"):
        (raw / name).write_bytes((casuistry.example_path() / name).read_bytes())
    # a second case, so that report writes a folder
    header, *rows = (raw / "events.csv").read_text(encoding="utf-8").strip().splitlines()
    twin = [row.replace("puzzel-1", "puzzel-2", 1) for row in rows]
    (raw / "events.csv").write_text("\n".join([header, *rows, *twin]) + "\n", encoding="utf-8")
    key = tmp_path / "key"
    key.write_text("zeer-geheim-woord\n", encoding="utf-8")
    return raw, {
        "anonymise": ["anonymise", raw, "--key-file", key],
        "report": ["report", raw],
        "synth": ["synth", "--scenario", "ondermijning", "--cases", "2"],
    }


@pytest.mark.parametrize("command", ["anonymise", "report", "synth"])
def test_a_folder_with_other_content_is_left_intact(capsys, tmp_path, command):
    _, commands = writing_commands(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    status, _, err = run(capsys, *commands[command], "-o", mine)
    assert status == 2
    assert f"{mine} is a folder with other content" in err and "thesis.docx" in err
    assert "Traceback" not in err
    assert tree(mine) == {"thesis.docx": b"years of work"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key", "mine", "raw"]


@pytest.mark.parametrize("command", ["anonymise", "report"])
@pytest.mark.parametrize("where", ["raw", "raw/events.csv", "raw/sub", "."])
def test_the_input_is_never_written_over(capsys, tmp_path, command, where):
    _, commands = writing_commands(tmp_path)
    before = tree(tmp_path)
    status, _, err = run(capsys, *commands[command], "-o", tmp_path / where)
    assert status == 2
    assert "never writes into or over its own input" in err and "Traceback" not in err
    assert tree(tmp_path) == before


def test_report_of_one_case_refuses_its_own_input_table(capsys, tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    for name in ("events.csv", "actors.csv"):
        (case / name).write_bytes((casuistry.example_path() / name).read_bytes())
    before = tree(case)
    for target in (case / "events.csv", case):
        status, _, err = run(capsys, "report", case, "-o", target)
        assert status == 2
        assert f"{target} is" in err and "input" in err and "Traceback" not in err
    assert tree(case) == before


def test_report_replaces_its_own_file_but_no_other(capsys, tmp_path):
    out = tmp_path / "report.html"
    assert run(capsys, "report", casuistry.example_path(), "-o", out)[0] == 0
    assert run(capsys, "report", casuistry.example_path(), "-o", out, "--lang", "en")[0] == 0
    assert "Learning report" in out.read_text(encoding="utf-8")
    notes = tmp_path / "notes.html"
    notes.write_text("mine", encoding="utf-8")
    status, _, err = run(capsys, "report", casuistry.example_path(), "-o", notes)
    assert status == 2 and "casuistry did not write it" in err
    assert notes.read_text(encoding="utf-8") == "mine"


def test_synth_replaces_its_own_folder(capsys, tmp_path):
    out = tmp_path / "out"
    for seed in ("1", "2"):
        status, _, err = run(
            capsys, "synth", "--scenario", "ondermijning", "--seed", seed, "-o", out
        )
        assert status == 0, err
    assert casuistry.load(out).n_events == casuistry.synthesize("ondermijning", 1, seed=2).n_events


def test_anonymise_quotes_cells_a_spreadsheet_would_run(capsys, tmp_path):
    raw, key = raw_and_key(
        tmp_path,
        'c,1,2024-01-05,signal,school,,,verzuim,=HYPERLINK("http://x")',
        "c,2,2024-01-09,share,school,arts,1,,@SUM(1)",
    )
    status, _, err = run(capsys, "anonymise", raw, "-o", tmp_path / "out", "--key-file", key)
    assert status == 0, err
    written = (tmp_path / "out" / "events.csv").read_text(encoding="utf-8")
    assert ',"\'=HYPERLINK(""http://x"")"\n' in written and ",'@SUM(1)\n" in written


def test_the_demo_leaves_a_folder_with_other_content_intact(tmp_path, capsys):
    from casuistry.demo import main as demo

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    (tmp_path / "synthetic").mkdir()  # no scenarios: the demo shows the example only
    assert demo(["--out", str(mine), "--data", str(tmp_path / "synthetic")]) == 2
    assert f"{mine} is a folder with other content" in capsys.readouterr().err
    assert tree(mine) == {"thesis.docx": b"years of work"}


def test_usage_errors_never_repeat_what_was_typed(capsys):
    # a secret given with an option casuistry does not know, and a bad value
    # for one it does: argparse would print both back
    secret = "geheim-5f2c9a71d0"
    with pytest.raises(SystemExit) as unknown:
        main(["anonymise", "raw", "-o", "out", "-k", secret])
    with pytest.raises(SystemExit) as bad_value:
        main(["synth", "--cases", secret, "-o", "out"])
    captured = capsys.readouterr()
    assert unknown.value.code == bad_value.value.code == 2
    assert "unrecognized arguments" in captured.err
    assert "--cases" in captured.err
    assert secret not in captured.out + captured.err


def test_a_rule_every_row_breaks_is_listed_ten_times_and_counted(capsys, tmp_path):
    rows = "".join(f"\nc,e{k},1-{k}-2024,signal,school,,,verzuim," for k in range(1, 26))
    (tmp_path / "events.csv").write_text(HEADER + rows + "\n", encoding="utf-8")
    status, out, err = run(capsys, "validate", tmp_path)
    assert (status, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == "25 problems in the input:"
    assert [line.split(":")[0] for line in lines[1:11]] == [
        f"  events.csv, row {r}, column time" for r in range(2, 12)
    ]
    assert lines[11:] == [
        "  events.csv, column time: 15 more problems, rows 12 to 26",
        "  --all lists every one",
    ]
    status, _, err = run(capsys, "validate", tmp_path, "--all")
    assert status == 2
    assert len(err.splitlines()) == 26
    assert "row 26, column time" in err


def test_many_warnings_are_counted_after_the_first_ten(capsys, tmp_path):
    # every case has an event after its incident: one warning each
    rows = "".join(
        f"\nc{k},i{k},2024-01-01,incident,politie,,,letsel,\nc{k},s{k},2024-02-01,signal,school,,,verzuim,"
        for k in range(12)
    )
    (tmp_path / "events.csv").write_text(HEADER + rows + "\n", encoding="utf-8")
    status, out, _ = run(capsys, "validate", tmp_path)
    assert status == 0
    lines = out.splitlines()
    assert lines[:2] == ["ok: 12 cases, 24 events, 12 warnings", "12 warnings in the input:"]
    assert sum("after its first incident" in line for line in lines) == 10
    assert lines[-2:] == [
        "  events.csv, column time: 2 more warnings, rows 23 to 25",
        "  --all lists every one",
    ]
    _, out, _ = run(capsys, "validate", tmp_path, "--all")
    assert sum("after its first incident" in line for line in out.splitlines()) == 12


@pytest.mark.parametrize(
    "command", ["validate", "analyse", "report", "anonymise", "export", "merge"]
)
def test_every_command_that_reads_input_takes_all(capsys, command):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--all " in capsys.readouterr().out
