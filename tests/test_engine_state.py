"""What the engine keeps for its counterfactuals, and the work they do, grow linearly.

The actual run keeps, per actor, what it knew after each event it took part
in; a counterfactual visits only the events of the actors that know more
than in the actual run. These tests count stored entries and visited events
(never time) on one large-ish case at several sizes, and check the stored
histories against the full state before every event, derived independently
from the knowledge entries.
"""

from __future__ import annotations

import heapq
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_properties import LONG_SILOS, LONG_WEIGHTS, random_rows

from casuistry import engine, replay
from casuistry.engine import propagate

SILOS = ("onderwijs", "zorg", "jeugdhulp", "veilig_thuis", "gemeente")
DAY = 86_400


def meeting_case(n: int, *, seed: int = 0, participants: int = 30):
    """One case of ``n`` actors in five silos, ``n`` signals and ``n // 5``
    meetings of ``participants`` actors, each listing one to three signals
    observed before it, in random order (a signal first). Returns the
    columns for :func:`propagate` and the silo of each actor."""
    rng = random.Random(seed)
    actors = [f"{SILOS[k % len(SILOS)]}-{k}" for k in range(n)]
    order = ["signal"] * n + ["meeting"] * (n // 5)
    rng.shuffle(order)
    order.remove("signal")
    order.insert(0, "signal")
    columns = {"ticks": [], "kinds": [], "actors": [], "to": [], "signals": [], "ids": []}
    observed: list[str] = []
    for k, kind in enumerate(order):
        event_id = f"e{k}"
        if kind == "signal":
            actor, to, listed = rng.choice(actors), (), ()
            observed.append(event_id)
        else:
            actor, *others = rng.sample(actors, participants)
            to = tuple(others)
            listed = tuple(rng.sample(observed, min(len(observed), rng.randint(1, 3))))
        for name, value in zip(columns, (k * 3600, kind, actor, to, listed, event_id), strict=True):
            columns[name].append(value)
    return list(columns.values()), {a: a.split("-")[0] for a in actors}


@pytest.fixture
def kept(monkeypatch):
    """The engine's actual runs made while the test runs, and a count of the
    entries its counterfactuals took off their heaps (visits of a holder's event,
    or of a replaced event)."""
    made: list[engine._Actual] = []
    pops = [0]

    class Recorded(engine._Actual):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    def counted(heap):
        pops[0] += 1
        return heapq.heappop(heap)

    monkeypatch.setattr(engine, "_Actual", Recorded)
    monkeypatch.setattr(replay, "heappop", counted)
    return made, pops


@pytest.mark.parametrize("n", [100, 200, 400])
def test_saved_state_grows_with_the_parties_of_the_events_not_with_actors(kept, n):
    made, _ = kept
    columns, silo_of = meeting_case(n)
    run = propagate(*columns, silo_of)
    (actual,) = made
    n_events = len(columns[0])
    first = run.opportunities[0][0]
    # Every event here changes knowledge or is an opportunity, so each keeps one entry
    # per party: n signals of one party, n // 5 meetings of 30. Plus the converged set
    # before each event from the first opportunity on, and after the last.
    assert actual.stored() == n + (n // 5) * 30 + (n_events - first + 1)
    # The former full state before every event held events x actors entries:
    # 1.2 n^2, 192,000 at n = 400, where this keeps about 7 n (2,800 + 480).
    assert actual.stored() <= 8 * n_events


@pytest.mark.parametrize("n", [100, 200, 400])
def test_counterfactuals_visit_only_the_events_of_actors_that_know_more(kept, n):
    made, pops = kept
    columns, silo_of = meeting_case(n, seed=1)
    run = propagate(*columns, silo_of)
    (actual,) = made
    events_of = [len(positions) for positions in actual.occurrences]
    # A meeting that lists its signals carries them in both runs alike, so only the
    # parties of the taken meeting can know more, and each visits each of its events
    # at most once: one visit of the replaced event plus, per party, its events. The
    # run with every opportunity taken at once visits each replaced event and each
    # actor's events at most once.
    per_replay = [1 + sum(events_of[p] for p in actual.events[i][1]) for i, _ in run.opportunities]
    bound = sum(per_replay) + len(run.opportunities) + sum(events_of)
    assert 0 < pops[0] <= bound
    # Each actor takes part in about 1 + 6 events, so a replay visits about 30 x 7 events
    # whatever the size: linear in the case, where replaying every later event was not.
    assert bound <= 250 * len(run.opportunities) + 8 * len(columns[0])


def full_states(actual: engine._Actual, n_events: int) -> list[list[int]]:
    """What each actor knew before each event (and after the last), from the
    knowledge entries alone: the former layout of the saved states."""
    n_actors = len(actual.actor_number)
    learned: list[list[int]] = [[0] * n_actors for _ in range(n_events + 1)]
    for p, s, j in actual.knowledge:
        for later in learned[j + 1 :]:
            later[p] |= 1 << s
    return learned


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_the_histories_give_the_full_state_before_and_after_every_kept_event(seed):
    rows = random_rows(random.Random(seed), "h", events=60, silos=LONG_SILOS, weights=LONG_WEIGHTS)
    made: list[engine._Actual] = []
    original = engine._Actual

    def recorded(*args):
        made.append(original(*args))
        return made[-1]

    engine._Actual = recorded
    try:
        run = propagate(
            [int(r["time"]) * DAY for r in rows],
            [r["kind"] for r in rows],
            [r["actor"] for r in rows],
            [tuple(r.get("to", ())) for r in rows],
            [tuple(r.get("signals", ())) for r in rows],
            [r["event_id"] for r in rows],
            LONG_SILOS,
        )
    finally:
        engine._Actual = original
    (actual,) = made
    if actual.first is None:
        assert not run.opportunities and not actual.after and actual.stored() == 0
        return
    states = full_states(actual, run.n_in)
    changed = {(p, j) for p, _, j in actual.knowledge}
    for j, ((_, group, _), slot) in enumerate(zip(actual.events, actual.slots, strict=True)):
        if slot is None:  # not kept: changes nobody's knowledge and is no opportunity
            assert j not in actual.opportunities
            assert not any((p, j) in changed for p in group)
            continue
        for p, k in zip(group, slot, strict=True):
            assert actual.occurrences[p][k] == j
            assert actual.after[p][k] == states[j + 1][p]
            assert (actual.after[p][k - 1] if k else 0) == states[j][p]
    converged_before = [0] * (run.n_in + 1)
    for s, at in enumerate(run.converged):
        for j in range(at + 1, run.n_in + 1) if at is not None else ():
            converged_before[j] |= 1 << s
    assert actual.conv_states == converged_before[actual.first :]
