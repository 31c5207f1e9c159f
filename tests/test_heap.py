"""How the heap grows and shrinks: for the command's process, and for the time of a call."""

from __future__ import annotations

import gc
import platform
import sys
import threading
import weakref

import pyarrow as pa
import pytest
from numpy._core.multiarray import _set_madvise_hugepage

import casuistry
import casuistry.cli as cli
from casuistry import heap
from casuistry.reporting.page import render_report


@pytest.fixture
def settings(monkeypatch):
    """Record what large_steps and keep_freed_memory ask glibc for, on a fresh state;
    pyarrow's pool and numpy's huge pages as they were are set again after the test."""
    asked = []
    monkeypatch.setattr(heap, "_mallopt", lambda k, v: asked.append((k, v)) or True)
    fresh = {"for_good": False, "depth": 0, "pool": None, "huge_pages": None}
    monkeypatch.setattr(heap, "_state", fresh)
    pool, huge_pages = pa.default_memory_pool(), huge_pages_now()
    yield asked
    pa.set_memory_pool(pool)
    _set_madvise_hugepage(huge_pages)


def huge_pages_now() -> bool:
    """Whether numpy asks for huge pages now (read by setting it to what it is)."""
    now = _set_madvise_hugepage(True)
    _set_madvise_hugepage(now)
    return now


LARGE, DEFAULTS = list(heap.LARGE_STEPS.items()), list(heap.GLIBC_DEFAULTS.items())


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the settings exist in glibc only")
def test_glibc_takes_every_setting():
    for parameter, value in [*LARGE, *DEFAULTS]:
        assert heap._mallopt(parameter, value) is True


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


def test_a_call_sets_large_steps_and_the_defaults_again_after(settings):
    before = pa.default_memory_pool().backend_name
    with heap.large_steps():
        assert settings == LARGE
        assert pa.default_memory_pool().backend_name == "system"
        with heap.large_steps():  # a call inside a call changes nothing
            pass
        assert settings == LARGE and pa.default_memory_pool().backend_name == "system"
    assert settings == LARGE + DEFAULTS
    assert pa.default_memory_pool().backend_name == before


@pytest.mark.parametrize("before", [True, False])
def test_numpy_asks_for_no_huge_pages_during_a_call_and_as_before_after(settings, before):
    _set_madvise_hugepage(before)
    with heap.large_steps():
        assert huge_pages_now() is False
        with heap.large_steps():  # a call inside a call changes nothing
            pass
        assert huge_pages_now() is False
    assert huge_pages_now() is before
    heap.keep_freed_memory()  # the command's process: for good
    casuistry.load(casuistry.example_path())
    assert huge_pages_now() is False


def test_the_defaults_come_back_when_the_call_fails(settings):
    with pytest.raises(ValueError), heap.large_steps():
        raise ValueError
    assert settings == LARGE + DEFAULTS


def test_load_and_analyse_run_with_large_steps(settings):
    book = casuistry.load(casuistry.example_path())
    casuistry.analyse(book, progress=False)
    assert settings == (LARGE + DEFAULTS) * 2


def test_a_process_set_for_good_keeps_its_settings_after_a_call(settings):
    heap.keep_freed_memory()
    casuistry.load(casuistry.example_path())
    assert settings == LARGE
    assert pa.default_memory_pool().backend_name == "system"


def test_without_glibc_nothing_changes(monkeypatch, settings):
    monkeypatch.setattr(heap, "_mallopt", lambda k, v: False)
    before = pa.default_memory_pool().backend_name
    with heap.large_steps():
        assert pa.default_memory_pool().backend_name == before
    assert heap.keep_freed_memory() is False


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


def test_calls_in_two_threads_keep_the_settings_until_the_last_returns(settings):
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    pools = []

    def first():
        with heap.large_steps():
            first_in.set()
            second_in.wait()
        first_out.set()

    def second():
        first_in.wait()
        with heap.large_steps():
            second_in.set()
            first_out.wait()
            pools.append(pa.default_memory_pool().backend_name)  # the first has returned

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert settings == LARGE + DEFAULTS
    assert pools == ["system"]


def test_a_report_collects_only_the_young_generation_and_the_collector_runs_after():
    analysis = casuistry.analyse(casuistry.load(casuistry.example_path()))
    generations = []

    def seen(phase, info):
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        html = render_report(analysis, "puzzel-1")
    finally:
        gc.callbacks.remove(seen)
    assert html.startswith("<!DOCTYPE html>")
    assert generations == [0] and gc.isenabled()


def test_young_cycles_are_collected_after_the_call_and_not_before():
    class Node:
        pass

    with heap.young_cycles_collected():
        assert not gc.isenabled()
        node = Node()
        node.self = node
        watched = weakref.ref(node)
        del node
        assert watched() is not None  # a cycle: only the collector frees it
    assert watched() is None and gc.isenabled()


def test_a_paused_collector_stays_paused_and_collects_nothing():
    collections = []
    gc.disable()
    gc.callbacks.append(lambda phase, info: collections.append(phase))
    try:
        with heap.young_cycles_collected():
            pass
        assert not gc.isenabled()
    finally:
        gc.callbacks.pop()
        gc.enable()
    assert collections == []
