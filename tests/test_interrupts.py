"""Ctrl-C held back while workers start (casuistry.interrupts)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import casuistry
from casuistry import interrupts

pytestmark = pytest.mark.skipif(not interrupts.CAN_HOLD, reason="signals are held on POSIX")


def held_back() -> bool:
    return signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])


def test_an_interrupt_while_held_comes_after_and_the_hold_ends():
    reached = False
    with pytest.raises(KeyboardInterrupt), interrupts.held():
        assert held_back()
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        reached = True  # the interrupt waits
    assert reached
    assert not held_back()


# A fresh interpreter: multiprocessing's resource tracker is not running yet,
# and starting it let interrupts in to the thread that held them.
WORKER = """
import multiprocessing, signal, sys
from casuistry import interrupts

def check():
    held = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    sys.exit(0 if held else 1)

if __name__ == "__main__":
    with interrupts.held():
        worker = multiprocessing.get_context("spawn").Process(target=check)
        worker.start()
    worker.join()
    sys.exit(worker.exitcode)
"""


def test_a_worker_started_while_held_keeps_the_hold(tmp_path):
    script = tmp_path / "start_a_worker.py"
    script.write_text(WORKER, encoding="utf-8")
    sources = str(Path(casuistry.__file__).resolve().parents[1])
    done = subprocess.run(
        [sys.executable, str(script)],
        env={"PYTHONPATH": sources, "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
