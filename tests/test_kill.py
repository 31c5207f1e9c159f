"""Killed at any moment, a writing command leaves its destination whole.

Each writing command (``synth``, ``report``, ``anonymise``) runs as its own
process and is killed with SIGKILL after a random, seeded delay spread over
the time one complete run took. After every kill the destination must be
absent, exactly what it was before, or exactly the complete new output, never
a partial or mixed folder. A last run must then succeed, give the complete
output and leave no temporary next to it.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

import casuistry
from casuistry.cli import main

SRC = Path(casuistry.__file__).resolve().parents[1]
TRIALS = 6


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Every file below ``folder`` with its bytes; None when there is no folder."""
    if not folder.exists():
        return None
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def command(argv: list[str]) -> list[str]:
    return [sys.executable, "-m", "casuistry.cli", *argv]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return env


def corpus(folder: Path) -> Path:
    """Two cases: the bundled example and a twin of it."""
    folder.mkdir(parents=True)
    header, *rows = (casuistry.example_path() / "events.csv").read_text().strip().splitlines()
    twin = [row.replace("puzzel-1", "puzzel-2", 1) for row in rows]
    (folder / "events.csv").write_text("\n".join([header, *rows, *twin]) + "\n")
    (folder / "actors.csv").write_bytes((casuistry.example_path() / "actors.csv").read_bytes())
    return folder


def versions(name: str, tmp_path: Path) -> tuple[list[str], list[str], Path]:
    """Two different runs of a command writing the same destination, and their input."""
    out = str(tmp_path / "work" / "out")
    if name == "synth":
        base = ["synth", "--scenario", "ondermijning", "--cases", "3", "-o", out]
        return [*base, "--seed", "1"], [*base, "--seed", "2"], tmp_path / "none"
    source = corpus(tmp_path / "input")
    if name == "report":
        base = ["report", str(source), "-o", out]
        return [*base, "--lang", "nl"], [*base, "--lang", "en"], source
    keys = []
    for word in ("eerste-geheime-sleutel", "tweede-geheime-sleutel"):
        keys.append(tmp_path / f"{word}.key")
        keys[-1].write_text(word, encoding="utf-8")
    base = ["anonymise", str(source), "-o", out, "--key-file"]
    return [*base, str(keys[0])], [*base, str(keys[1])], source


@pytest.mark.parametrize("name", ["synth", "report", "anonymise"])
def test_a_killed_command_leaves_the_old_or_the_new_output(name, tmp_path):
    first, second, source = versions(name, tmp_path)
    before_input = snapshot(source)
    out = tmp_path / "work" / "out"
    reference = tmp_path / "reference"
    # The complete output of each version, written in this process.
    complete = {}
    for argv in (first, second):
        assert main([reference.as_posix() if a == str(out) else a for a in argv]) == 0
        complete[tuple(argv)] = snapshot(reference)
    assert complete[tuple(first)] != complete[tuple(second)]

    started = time.monotonic()
    subprocess.run(command(first), env=environment(), check=True, capture_output=True)
    duration = time.monotonic() - started  # spreads the kills over a run; never asserted
    state = snapshot(out)
    assert state == complete[tuple(first)]

    rng = random.Random(f"kill {name}")
    for trial in range(TRIALS):
        argv = second if trial % 2 == 0 else first
        process = subprocess.Popen(
            command(argv), env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            process.wait(timeout=rng.uniform(0, duration))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        after = snapshot(out)
        assert after in (None, state, complete[tuple(argv)]), f"trial {trial}: partial output"
        state = after

    done = subprocess.run(command(second), env=environment(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == complete[tuple(second)]
    assert [p.name for p in out.parent.iterdir()] == ["out"]  # no temporary left behind
    assert snapshot(source) == before_input
