"""Events by case and event_id (casuistry.event_lookup), against a dictionary."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from casuistry.event_lookup import EventRows

IDS = ["e1", "e2", "e3", None]


@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(IDS)), min_size=1, max_size=30))
def test_rows_and_repeats_as_a_dictionary_finds_them(rows):
    rows.sort(key=lambda row: row[0])  # a corpus sorted by case
    case = np.array([c for c, _ in rows])
    lookup = EventRows(case, pd.Series([i for _, i in rows], dtype="string"))
    first, repeated = {}, []
    for row, key in enumerate(rows):
        if key[1] is not None and key in first:
            repeated.append(row)
        elif key[1] is not None:
            first[key] = row
    sought = [(c, i) for c in range(4) for i in ("e1", "e2", "e3", "e9")]
    found = lookup.rows(np.array([c for c, _ in sought]), lookup.numbers([i for _, i in sought]))
    assert found.tolist() == [first.get(key, -1) for key in sought]
    # Missing event_ids share one key per case: the later ones count as repeated too.
    assert sorted(lookup.repeated().tolist()) == sorted(repeated + _twice(rows))


@given(st.lists(st.sampled_from(IDS), min_size=1, max_size=30), st.data())
def test_ids_are_the_event_ids_at_the_rows_each_distinct_one_a_single_string(ids, data):
    lookup = EventRows(np.zeros(len(ids), dtype=int), pd.Series(ids, dtype="string"))
    rows = np.array(data.draw(st.lists(st.integers(0, len(ids) - 1), max_size=40)), dtype=int)
    named = lookup.ids(rows).tolist()
    assert named == [ids[row] for row in rows]
    assert len({id(name) for name in named}) == len(set(named))


def _twice(rows):
    """Rows with a missing event_id after another missing one in the same case."""
    seen, out = set(), []
    for row, (c, i) in enumerate(rows):
        if i is None:
            if c in seen:
                out.append(row)
            seen.add(c)
    return out
