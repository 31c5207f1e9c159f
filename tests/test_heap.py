"""How the heap grows and shrinks: for the command's process, and for the time of a call."""

from __future__ import annotations

import gc
import platform
import sys

import pytest

import casuistry
import casuistry.cli as cli
from casuistry import heap


@pytest.fixture
def settings(monkeypatch):
    """Record what large_steps and keep_freed_memory ask glibc for, on a fresh state."""
    asked = []
    monkeypatch.setattr(heap, "_set_top_pad", lambda size: asked.append(size) or True)
    monkeypatch.setattr(heap, "_state", {"for_good": False, "depth": 0})
    return asked


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting exists in glibc only")
def test_glibc_takes_both_settings():
    assert heap._set_top_pad(heap.HEAP_STEP_BYTES) is True
    assert heap._set_top_pad(heap.GLIBC_TOP_PAD) is True


def test_only_the_command_itself_changes_its_process_for_good(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "keep_freed_memory", lambda: calls.append(True))
    with pytest.raises(SystemExit):
        cli.main(["--version"])  # a caller passing argv: its process is left as it is
    assert calls == []
    monkeypatch.setattr(sys, "argv", ["casuistry", "--version"])
    with pytest.raises(SystemExit):
        cli.main()  # run as the program
    assert calls == [True]


def test_a_call_sets_large_steps_and_glibcs_default_again_after(settings):
    with heap.large_steps():
        assert settings == [heap.HEAP_STEP_BYTES]
        with heap.large_steps():  # a call inside a call changes nothing
            pass
        assert settings == [heap.HEAP_STEP_BYTES]
    assert settings == [heap.HEAP_STEP_BYTES, heap.GLIBC_TOP_PAD]


def test_the_default_comes_back_when_the_call_fails(settings):
    with pytest.raises(ValueError), heap.large_steps():
        raise ValueError
    assert settings == [heap.HEAP_STEP_BYTES, heap.GLIBC_TOP_PAD]


def test_load_and_analyse_run_with_large_steps(settings):
    book = casuistry.load(casuistry.example_path())
    casuistry.analyse(book, progress=False)
    assert settings == [heap.HEAP_STEP_BYTES, heap.GLIBC_TOP_PAD] * 2


def test_a_process_set_for_good_keeps_its_setting_after_a_call(settings):
    heap.keep_freed_memory()
    casuistry.load(casuistry.example_path())
    assert settings == [heap.HEAP_STEP_BYTES]


def test_the_collector_is_paused_for_a_call_and_runs_again_after():
    assert gc.isenabled()
    with pytest.raises(ValueError), heap.collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_load_runs_with_the_collector_paused(monkeypatch):
    seen = []
    real = casuistry.loading.validate_tables

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(casuistry.loading, "validate_tables", spy)
    casuistry.load(casuistry.example_path())
    assert seen == [False] and gc.isenabled()
