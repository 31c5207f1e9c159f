"""Episode figures (section 5.4) from the rows of the engine's run."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
from conftest import make_casebook

import casuistry
from casuistry.analysis_tables import TableBuilder
from casuistry.engine import propagate
from casuistry.episodes import case_episodes
from casuistry.metrics import KNOWLEDGE_ROW, OPPORTUNITY_ROW, SIGNAL_ROW, Rows

SILO_OF = {"school": "onderwijs", "gp": "zorg", "vt": "vt"}


def episodes(rows, *wanted):
    """The figures of each episode (tuple of event_ids) of one case, through the
    reference engine's rows; ``rows`` are ``(event_id, day, kind, actor, to, signals)``."""
    ids, days, kinds, actors, to, signals = (list(col) for col in zip(*rows, strict=True))
    ticks = [d * 86400 for d in days]
    run = propagate(ticks, kinds, actors, to, signals, ids, SILO_OF)
    found = Rows()
    found.add(0, 0, run, ticks, kinds, ids)
    columns = {
        "signals": TableBuilder.columns(found.signals, SIGNAL_ROW),
        "opportunities": TableBuilder.columns(found.opportunities, OPPORTUNITY_ROW),
        "knowledge": TableBuilder.columns(found.knowledge, KNOWLEDGE_ROW),
    }
    events = pd.DataFrame({"event_id": ids, "actor": actors, "to": to})
    in_horizon = np.arange(len(ids)) < run.n_in
    table = pd.DataFrame(
        {
            "case_id": "c",
            "episode_id": [f"ep{k}" for k in range(len(wanted))],
            "events": wanted,
            "assessment": "ok",
        }
    )
    done = case_episodes(
        table, pd.Index(["c"]), np.array([0, len(ids)]), events, in_horizon, columns
    )
    first, last = ([None if k < 0 else k for k in done[name]] for name in ("first", "last"))
    return [
        SimpleNamespace(first=f, last=z, **{name: done[name][k] for name in FIGURES})
        for k, (f, z) in enumerate(zip(first, last, strict=True))
    ]


FIGURES = ("known_signals", "signals_elsewhere", "missed", "gain_signal_days")


WITHHOLD_THEN_INCIDENT = [
    ("a", 0, "signal", "school", (), ()),
    ("g", 1, "signal", "gp", (), ()),
    ("w", 2, "withhold", "school", ("vt",), ("a",)),
    ("i", 3, "incident", "school", (), ()),
    ("late", 4, "action", "vt", (), ()),
]


def test_figures_right_after_the_last_event_that_takes_part():
    # w and late: late (day 4) is after the incident (day 3), so the figures
    # are taken after w @2. Its actors school, vt (w's to) and vt (late's
    # actor): school knows a; g sits with gp. w is missed? Taken, vt learns a
    # only: no convergence, so no.
    (row,) = episodes(WITHHOLD_THEN_INCIDENT, ("w", "late"))
    assert (row.first, row.last) == (2, 4)
    assert (row.known_signals, row.signals_elsewhere, row.missed) == (("a",), ("g",), ())
    assert row.gain_signal_days == 0


def test_an_episode_without_an_event_that_takes_part_has_null_figures():
    (row,) = episodes(WITHHOLD_THEN_INCIDENT, ("late",))
    assert (row.first, row.last) == (4, 4)
    assert row.known_signals is None and row.missed is None
    assert math.isnan(row.gain_signal_days)


def test_a_missed_withhold_counts_its_gain_and_an_unknown_event_names_nothing():
    # The withhold to gp, taken, converges a and g @2 instead of never: the
    # incident @5 ends both dwells, 3 days each. school and gp are the parties.
    rows = [
        ("a", 0, "signal", "school", (), ()),
        ("g", 1, "signal", "gp", (), ()),
        ("w", 2, "withhold", "school", ("gp",), ("a",)),
        ("i", 5, "incident", "school", (), ()),
    ]
    missed, nowhere = episodes(rows, ("w",), ("zz",))
    assert (missed.known_signals, missed.signals_elsewhere) == (("a", "g"), ())
    assert (missed.missed, missed.gain_signal_days) == (("w",), 6.0)
    assert nowhere.first is None and math.isnan(nowhere.gain_signal_days)
    (alone,) = episodes(rows, ("zz", "yy"))  # no episode names an event of its case
    assert math.isnan(alone.gain_signal_days)
    assert {**vars(alone), "gain_signal_days": 0} == {**vars(nowhere), "gain_signal_days": 0}


def test_the_analysis_has_an_empty_episodes_table_without_episodes():
    book = make_casebook([{"event_id": "a", "time": "0", "kind": "signal", "actor": "school"}])
    result = casuistry.analyse(book, progress=False)
    assert result.episodes.empty
    assert "gain_signal_days" in result.episodes
