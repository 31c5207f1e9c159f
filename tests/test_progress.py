"""Tests of the one progress-bar wrapper."""

from __future__ import annotations

import sys

from casuistry.progress import SHOW_FROM, counter, shown, track


def test_the_default_shows_a_bar_only_for_a_long_run_on_a_terminal(monkeypatch):
    assert not shown(None, SHOW_FROM)  # pytest's stderr is no terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert shown(None, SHOW_FROM)
    assert not shown(None, SHOW_FROM - 1)
    assert shown(True, 1) and not shown(False, 10**6)


def test_a_bar_counts_on_stderr_when_asked(capsys):
    with counter(4, label="synth demo", show=True) as advance:
        advance(3)
        advance(1)
    err = capsys.readouterr().err
    assert "synth demo" in err and "4/4" in err


def test_no_bar_writes_nothing(capsys):
    with counter(4, label="synth demo", show=None) as advance:
        advance(4)
    assert list(track(range(3), label="analysing cases", show=False)) == [0, 1, 2]
    assert capsys.readouterr().err == ""


def test_tracked_items_are_the_items(capsys):
    items = ["a", "b", "c"]
    assert list(track(items, label="analysing cases", show=True)) == items
    assert "analysing cases" in capsys.readouterr().err
    assert track(items, label="analysing cases", show=False) is items


def test_a_run_of_slow_steps_is_long_from_fewer_of_them(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert shown(None, 1, shown_from=1) and not shown(None, 1)
    assert not shown(None, 4, shown_from=5)


def test_items_without_a_length_are_counted_against_the_total_given(capsys):
    done = (x for x in "abc")  # as futures complete: no length
    assert list(track(done, label="analysing parts", show=True, unit="part", total=3)) == list(
        "abc"
    )
    err = capsys.readouterr().err
    assert "analysing parts" in err and "3/3" in err
