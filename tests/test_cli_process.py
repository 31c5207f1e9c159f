"""The command's own process settings (casuistry.cli.process)."""

from __future__ import annotations

import platform
import sys

import pytest

import casuistry.cli as cli
from casuistry.cli.process import keep_freed_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting exists in glibc only")
def test_glibc_takes_the_setting():
    assert keep_freed_memory() is True


def test_only_the_command_itself_changes_its_process(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "keep_freed_memory", lambda: calls.append(True))
    with pytest.raises(SystemExit):
        cli.main(["--version"])  # a caller passing argv: its process is left as it is
    assert calls == []
    monkeypatch.setattr(sys, "argv", ["casuistry", "--version"])
    with pytest.raises(SystemExit):
        cli.main()  # run as the program
    assert calls == [True]
