"""Reports of a corpus in worker processes: the same files, a progress bar, clear failures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

import casuistry
from casuistry.cli import main
from casuistry.errors import ReportFailed
from casuistry.reporting import pool


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    casuistry.synthesize("huiselijk_geweld", 20, seed=14).save(folder)
    return folder


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_workers_write_the_same_bytes_as_one_process(synthetic, tmp_path):
    analysis = casuistry.analyse(casuistry.load(synthetic))
    one = casuistry.report(analysis, None, tmp_path / "one", lang="en", jobs=1)
    two = casuistry.report(analysis, None, tmp_path / "two", lang="en", jobs=2)
    written = files(one)
    assert len(written) == 20 + 2  # a report per case, the index and the ledger
    assert written == files(two)


def test_the_command_shows_a_bar_on_a_terminal_and_none_elsewhere(tmp_path, capsys, monkeypatch):
    # The example holds one case: two copies of it make a corpus of two.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = (casuistry.example_path() / "events.csv").read_text(encoding="utf-8").splitlines()
    twin = [row.replace("puzzel-1", "puzzel-2", 1) for row in rows[1:]]
    (corpus / "events.csv").write_text("\n".join([*rows, *twin]) + "\n", encoding="utf-8")
    (corpus / "actors.csv").write_bytes((casuistry.example_path() / "actors.csv").read_bytes())
    assert main(["report", str(corpus), "-o", str(tmp_path / "quiet"), "--jobs", "1"]) == 0
    assert "writing reports" not in capsys.readouterr().err  # pytest's stderr is no terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["report", str(corpus), "-o", str(tmp_path / "shown"), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "writing reports" in err and "2/2" in err


def test_a_case_that_fails_in_a_worker_is_named_and_nothing_is_written(
    synthetic, tmp_path, capsys, monkeypatch
):
    spoil = pool._without_shared

    def spoilt(analysis):  # a signals table without its columns: the report cannot be made
        analysis = spoil(analysis)
        return replace(analysis, signals=analysis.signals[[]])

    monkeypatch.setattr(pool, "_without_shared", spoilt)
    out = tmp_path / "out"
    assert main(["report", str(synthetic), "-o", str(out), "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    assert "the report of case 'hg-" in err and "could not be made: KeyError" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


class Stop:
    """Ends the worker process that unpickles it, as a kill or running out of memory would."""

    def __reduce__(self):
        return (os._exit, (3,))


def test_a_worker_that_stops_is_a_clear_error(synthetic, tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "_without_shared", lambda analysis: Stop())
    analysis = casuistry.analyse(casuistry.load(synthetic))
    with pytest.raises(ReportFailed, match="a worker process stopped"):
        casuistry.report(analysis, None, tmp_path / "out", jobs=2)
    assert list(tmp_path.iterdir()) == []


def test_jobs_must_be_one_or_more(tmp_path, capsys):
    assert (
        main(["report", str(casuistry.example_path()), "-o", str(tmp_path / "o"), "--jobs", "0"])
        == 2
    )
    assert "--jobs" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="Ctrl-C to a process group is POSIX")
def test_ctrl_c_twice_ends_the_pool_at_once_without_tracebacks(tmp_path):
    corpus = tmp_path / "corpus"
    casuistry.synthesize("huiselijk_geweld", 40, seed=15).save(corpus)
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(Path(casuistry.__file__).resolve().parents[1]))
    argv = [sys.executable, "-m", "casuistry", "report", str(corpus), "-o", str(work / "out")]
    with open(tmp_path / "err", "w+", encoding="utf-8") as err:
        process = subprocess.Popen(  # a session of its own: the group a terminal interrupts
            [*argv, "--jobs", "2"], env=env, stdout=err, stderr=err, start_new_session=True
        )
        while not any(work.rglob("*.html")) and process.poll() is None:
            time.sleep(0.02)  # until the workers write
        assert process.poll() is None, "the reports were done before Ctrl-C"
        for _ in range(2):  # as a terminal's Ctrl-C, pressed twice
            os.killpg(process.pid, signal.SIGINT)
            time.sleep(0.2)
        try:
            status = process.wait(timeout=120)  # only a hung command takes this long
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail("the command hung after Ctrl-C")
        err.seek(0)
        said = err.read()
    assert status == 130, said
    assert said.endswith("interrupted; nothing was written\n")
    assert "Traceback" not in said and "Exception ignored" not in said
    assert list(work.iterdir()) == []  # no report, no unfinished folder
