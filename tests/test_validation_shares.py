"""Warnings for shares of signals the sender did not know, against the old full-engine pass.

The reference below is the implementation before the knowledge-only pass:
it ran the whole engine (counterfactuals included) over every case holding a
candidate share, to its end. The new pass must give the same warnings.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

import casuistry
from casuistry.engine import propagate
from casuistry.event_rows import pair_keys
from casuistry.hints import shown
from casuistry.problems import Problems as _Problems
from casuistry.vocabulary import ACTOR, CASE_ID, EVENT_ID, KIND, ROW, SIGNALS, TICKS, TO

SILOS = ("onderwijs", "zorg", "jeugdhulp", "politie")


def _reference(book) -> pd.DataFrame:
    """The old `shares_beyond_knowledge`, kept verbatim apart from returning the table."""
    problems = _Problems()
    file = book.files["events"]
    ev = book.events
    case, _ = pd.factorize(ev[CASE_ID])
    event, event_ids = pd.factorize(ev[EVENT_ID])
    actor, _ = pd.factorize(ev[ACTOR])
    signals = np.flatnonzero(ev[KIND].isin(book.kinds.observing).to_numpy(dtype=bool))
    shares = np.flatnonzero(ev[KIND].isin(book.kinds.sharing).to_numpy(dtype=bool))
    listed = ev[SIGNALS].to_numpy(dtype=object)[shares]
    share_of = np.repeat(shares, np.fromiter(map(len, listed), dtype=np.intp, count=len(listed)))
    items = [item for cell in listed for item in cell]
    item_event = pd.Index(event_ids).get_indexer(items) if items else np.zeros(0, np.intp)
    observed = pd.Index(pair_keys(case[signals], event[signals], len(event_ids)))
    listing = pair_keys(case[share_of], item_event, len(event_ids))
    signal_of = signals[observed.get_indexer(listing)]
    candidates = np.unique(share_of[actor[signal_of] != actor[share_of]])
    if not len(candidates):
        return problems.warning_table()
    silo_of = book.silo_of()
    bounds = np.flatnonzero(np.r_[True, case[1:] != case[:-1], True])
    owner = np.searchsorted(bounds, candidates, side="right") - 1
    by_case: dict[int, list[int]] = {}
    for position, case_number in zip(candidates.tolist(), owner.tolist(), strict=True):
        by_case.setdefault(case_number, []).append(position)
    spans = [(int(bounds[c]), int(bounds[c + 1])) for c in by_case]
    taken = np.concatenate([np.arange(lo, hi) for lo, hi in spans])
    names = (TICKS, KIND, ACTOR, TO, SIGNALS, EVENT_ID)
    columns = {c: ev[c].take(taken).tolist() for c in names}
    start = 0
    for (lo, hi), positions in zip(spans, by_case.values(), strict=True):
        end = start + hi - lo
        run = propagate(*(columns[c][start:end] for c in names), silo_of, kinds=book.kinds)
        learned = {
            (run.actors[a], columns[EVENT_ID][start + run.signal_positions[s]]): at
            for a, s, at in run.knowledge
        }
        for position in positions:
            j = position - lo
            if j >= run.n_in:
                continue
            sender, carried = columns[ACTOR][start + j], columns[SIGNALS][start + j]
            unknown = [s for s in carried if learned.get((sender, s), j) >= j]
            if unknown:
                problems.warn(
                    file,
                    int(ev[ROW].iat[position]),
                    SIGNALS,
                    f"the sender did not know {', '.join(map(shown, unknown))} at this time; "
                    "it is taken to have known it from this share on",
                )
        start = end
    return problems.warning_table()


def _random_corpus(folder, seed: int, n_cases: int) -> None:
    """Cases of 1-25 events with shares, meetings and incidents listing earlier signals."""
    rng = random.Random(seed)
    people = [f"{silo}-{k}" for silo in SILOS for k in (1, 2)]
    lines = ["case_id,event_id,time,kind,actor,to,signals,category"]
    for c in range(n_cases):
        observed: list[str] = []
        cast = rng.sample(people, rng.randint(2, 5))
        day = 1
        for k in range(rng.randint(1, 25)):
            day += rng.choice((0, 0, 1, 3))
            kind = (
                "signal"
                if k == 0
                else rng.choice(
                    (
                        "signal",
                        "signal",
                        "share",
                        "share",
                        "meeting",
                        "withhold",
                        "action",
                        "incident",
                    )
                )
            )
            who = rng.choice(cast)
            to = listed = ""
            if kind in ("share", "meeting", "withhold"):
                to = ";".join(rng.sample([p for p in cast if p != who], 1))
            if kind in ("share", "meeting", "withhold", "action") and observed:
                listed = ";".join(rng.sample(observed, min(len(observed), rng.randint(1, 2))))
            lines.append(_row(c, k, day, kind, who, to, listed, observed))
    _write(folder, lines, people)


def _row(c, k, day, kind, who, to, listed, observed: list[str]) -> str:
    """Event ``e{k}`` of case ``c{c}`` as a CSV line; a signal joins ``observed``."""
    if kind == "signal":
        observed.append(f"e{k}")
    category = "verzuim" if kind == "signal" else ""
    return f"c{c},e{k},2024-01-{min(day, 28):02d},{kind},{who},{to},{listed},{category}"


def _write(folder, lines: list[str], people: list[str]) -> None:
    """The events lines and an actors table (silo: the name before its '-')."""
    (folder / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    actors = ["actor,silo"] + [f"{p},{p.split('-')[0]}" for p in people]
    (folder / "actors.csv").write_text("\n".join(actors) + "\n", encoding="utf-8")


def _knowledge_warnings(book) -> pd.DataFrame:
    found = book.warnings[book.warnings["message"].str.contains("the sender did not know")]
    return found.reset_index(drop=True)


@pytest.mark.parametrize("seed", range(6))
def test_random_corpora_warn_as_the_full_engine_did(tmp_path, seed):
    _random_corpus(tmp_path, seed, 60)
    book = casuistry.load(tmp_path)
    expected = _reference(book)
    # the corpus must exercise the check: seeds give shares of signals nobody told the sender
    assert len(expected) > 0
    pd.testing.assert_frame_equal(_knowledge_warnings(book), expected, check_exact=True)


def test_bundled_corpora_warn_as_the_full_engine_did():
    for path in (casuistry.example_path(), "data/synthetic/huiselijk_geweld"):
        book = casuistry.load(path)
        found, expected = _knowledge_warnings(book), _reference(book)
        assert found.to_dict("records") == expected.to_dict("records")


def test_actual_run_alone_keeps_knowledge_and_drops_replays():
    # school tells the GP after a withhold: the withhold is an opportunity in the full run
    columns = dict(
        ticks=[0, 86400, 2 * 86400, 3 * 86400],
        kind_codes=["signal", "signal", "withhold", "share"],
        actors=["school", "gp", "school", "school"],
        to=[(), (), ("gp",), ("gp",)],
        signals=[(), (), (), ()],
        event_ids=["e1", "e2", "e3", "e4"],
        silo_of={"school": "onderwijs", "gp": "zorg"},
    )
    full = propagate(**columns)
    actual = propagate(**columns, counterfactuals=False)
    assert full.opportunities and not actual.opportunities
    assert actual.knowledge == full.knowledge
    assert actual.converged == full.converged == [3, 3]
    assert actual.relational_end == actual.end


def _varied_corpus(folder, seed: int, n_cases: int) -> None:
    """Like `_random_corpus`, with signals told to others, shares and meetings listing
    nothing (they pass on all the sender or the parties know), and contacts."""
    rng = random.Random(seed)
    people = [f"{silo}-{k}" for silo in SILOS for k in (1, 2)]
    kinds = ("signal", "share", "share", "meeting", "contact", "withhold", "action", "incident")
    lines = ["case_id,event_id,time,kind,actor,to,signals,category"]
    for c in range(n_cases):
        observed: list[str] = []
        cast = rng.sample(people, rng.randint(2, 6))
        day = 1
        for k in range(rng.randint(1, 30)):
            day += rng.choice((0, 0, 1, 2))
            kind = "signal" if k == 0 else rng.choice(kinds)
            who = rng.choice(cast)
            others = [p for p in cast if p != who]
            to = listed = ""
            if kind != "action" and kind != "incident" and (kind != "signal" or rng.random() < 0.2):
                to = ";".join(rng.sample(others, rng.randint(1, min(3, len(others)))))
            if (
                kind in ("share", "meeting", "withhold", "action")
                and observed
                and rng.random() < 0.6
            ):
                listed = ";".join(rng.sample(observed, min(len(observed), rng.randint(1, 3))))
            lines.append(_row(c, k, day, kind, who, to, listed, observed))
    _write(folder, lines, people)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("pooling", [False, True])
def test_varied_corpora_and_pooling_meetings_warn_as_the_full_engine_did(tmp_path, seed, pooling):
    from casuistry.kinds import KINDS, Knowledge

    _varied_corpus(tmp_path, seed, 80)
    # a registry where a meeting pools: it passes on its list and all the parties know
    kinds = KINDS.replace("meeting", knowledge=Knowledge.POOL) if pooling else KINDS
    book = casuistry.load(tmp_path, kinds=kinds)
    expected = _reference(book)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(_knowledge_warnings(book), expected, check_exact=True)


@pytest.mark.parametrize(("word", "steps", "few"), [(2, 4, 3), (3, 1, 0), (64, 5, 10)])
def test_cases_left_to_the_engine_warn_as_side_by_side(tmp_path, monkeypatch, word, steps, few):
    # narrow words and short step limits send some cases (or all) to the engine's run
    import casuistry.validation_shares as shares

    monkeypatch.setattr(shares, "_WORD", word)
    monkeypatch.setattr(shares, "_STEPS", steps)
    monkeypatch.setattr(shares, "_FEW", few)
    _varied_corpus(tmp_path, 7, 60)
    book = casuistry.load(tmp_path)
    expected = _reference(book)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(_knowledge_warnings(book), expected, check_exact=True)


def test_a_contact_listing_no_signal_stops_as_the_engine_does(tmp_path):
    # a contact lists no signals: its cell is kept with a warning, and the engine refuses
    # the id that names no signal, before the share that asks what the sender knew
    (tmp_path / "events.csv").write_text(
        "case_id,event_id,time,kind,actor,to,signals,category\n"
        "c1,e1,2024-01-01,signal,a,,,verzuim\n"
        "c1,e2,2024-01-02,contact,b,a,zzz,\n"
        "c1,e3,2024-01-03,share,b,a,e1,\n",
        encoding="utf-8",
    )
    from casuistry.engine import UnknownSignalReference

    with pytest.raises(UnknownSignalReference, match="event 'e2' lists 'zzz'"):
        casuistry.load(tmp_path)
