"""The ``casuistry`` program's own process: OpenBLAS asked for one thread before numpy loads."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from casuistry import __version__
from casuistry.program import PROGRAM_ENVIRONMENT, settle_environment


def _python(code: str, *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )


def test_settles_what_the_user_left_unset(monkeypatch):
    # a copy of the environment: the setting must not stay in this process for later tests
    unset = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    monkeypatch.setattr(os, "environ", unset)
    settle_environment()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"


def test_keeps_what_the_user_set(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    settle_environment()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "3"


def test_the_program_module_loads_no_numpy():
    # The setting counts only when it comes before numpy loads OpenBLAS.
    done = _python("import sys, casuistry.program; print('numpy' in sys.modules)")
    assert done.stdout.strip() == "False"


def test_the_command_runs_through_the_program():
    (script,) = entry_points(group="console_scripts", name="casuistry")
    assert script.value == "casuistry.program:main"
    for module in ("casuistry", "casuistry.cli"):
        done = subprocess.run(
            [sys.executable, "-m", module, "--version"], capture_output=True, text=True
        )
        assert (done.returncode, done.stdout.strip()) == (0, f"casuistry {__version__}")


def _threads_after_numpy(settle: bool) -> int:
    env = {k: v for k, v in os.environ.items() if k not in PROGRAM_ENVIRONMENT}
    code = (
        "import os\n"
        + ("from casuistry.program import settle_environment; settle_environment()\n" * settle)
        + "import numpy\n"
        + "print(len(os.listdir('/proc/self/task')))\n"
    )
    return int(_python(code, env=env).stdout)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
    reason="threads are counted in /proc; on one core OpenBLAS starts no thread of its own",
)
def test_openblas_starts_no_threads_in_the_program():
    assert _threads_after_numpy(settle=True) < _threads_after_numpy(settle=False)
