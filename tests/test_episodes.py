"""Episode figures (section 5.4) from the engine's run."""

from __future__ import annotations

import math

from conftest import make_casebook

import casuistry
from casuistry.engine import propagate
from casuistry.episodes import episode_figures

SILO_OF = {"school": "onderwijs", "gp": "zorg", "vt": "vt"}
CASE = {
    "actor": ["school", "gp", "school", "school", "vt"],
    "to": [(), (), ("vt",), (), ()],
    "event_id": ["a", "g", "w", "i", "late"],
}
RUN = propagate(
    [0, 86400, 2 * 86400, 3 * 86400, 4 * 86400],
    ["signal", "signal", "withhold", "incident", "action"],
    CASE["actor"],
    CASE["to"],
    [(), (), ("a",), (), ()],
    CASE["event_id"],
    SILO_OF,
)


def test_figures_right_after_the_last_event_that_takes_part():
    # w and late: late (day 4) is after the incident (day 3), so the figures
    # are taken after w @2. Its actors school, vt (w's to) and vt (late's
    # actor): school knows a; g sits with gp. w is missed? Taken, vt learns a
    # only: no convergence, so no.
    row = episode_figures(RUN, ("w", "late"), CASE)
    assert (row.first, row.last) == (2, 4)
    assert (row.known_signals, row.signals_elsewhere, row.missed) == (("a",), ("g",), ())
    assert row.gain_signal_days == 0


def test_an_episode_without_an_event_that_takes_part_has_null_figures():
    row = episode_figures(RUN, ("late",), CASE)
    assert (row.first, row.last) == (4, 4)
    assert row.known_signals is None and row.missed is None
    assert math.isnan(row.gain_signal_days)


def test_the_analysis_has_an_empty_episodes_table_without_episodes():
    book = make_casebook([{"event_id": "a", "time": "0", "kind": "signal", "actor": "school"}])
    result = casuistry.analyse(book, progress=False)
    assert result.episodes.empty
    assert "gain_signal_days" in result.episodes
