"""Shares that list a signal their sender did not know yet: a warning, not an error.

The case format lets a share list any signal of its case observed before it;
when the sender had not come to know that signal by then, the engine takes the
sender to have known it from the share on, and validation says so. Finding
those shares needs what each actor knew when, which is the engine's actual
run; only the cases that can hold one are run, each up to its last candidate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casuistry.casebook import Casebook
from casuistry.event_rows import pair_keys
from casuistry.hints import shown
from casuistry.problems import Problems
from casuistry.vocabulary import ACTOR, CASE_ID, EVENT_ID, KIND, ROW, SIGNALS, TICKS, TO


def shares_beyond_knowledge(book: Casebook, file: str, problems: Problems) -> None:
    """Warn where a share lists a signal its sender did not know at that time.

    Only shares that list a signal observed by someone else than the sender
    can do that; the cases holding one are run through the engine's actual
    run only (no counterfactuals), each up to its last such share, to see
    what the sender knew just before the share (the engine then takes the
    sender to have known it, as the case format says).
    """
    from casuistry.engine import propagate

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
        return
    silo_of = book.silo_of()
    rows = ev[ROW].to_numpy()
    # a case's events are contiguous: find where each candidate's case begins; the
    # replay of a case stops after its last candidate (knowledge only looks back)
    bounds = np.flatnonzero(np.r_[True, case[1:] != case[:-1], True])
    owner = np.searchsorted(bounds, candidates, side="right") - 1
    by_case: dict[int, list[int]] = {}
    for position, case_number in zip(candidates.tolist(), owner.tolist(), strict=True):
        by_case.setdefault(int(bounds[case_number]), []).append(position)
    spans = [(lo, positions[-1] + 1) for lo, positions in by_case.items()]
    taken = np.concatenate([np.arange(lo, hi) for lo, hi in spans])
    names = (TICKS, KIND, ACTOR, TO, SIGNALS, EVENT_ID)
    columns = {c: ev[c].take(taken).tolist() for c in names}
    start = 0
    for (lo, hi), positions in zip(spans, by_case.values(), strict=True):
        end = start + hi - lo
        run = propagate(
            *(columns[c][start:end] for c in names),
            silo_of,
            kinds=book.kinds,
            counterfactuals=False,
        )
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
                    int(rows[position]),
                    SIGNALS,
                    f"the sender did not know {', '.join(map(shown, unknown))} at this time; "
                    "it is taken to have known it from this share on",
                )
        start = end
