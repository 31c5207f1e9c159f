"""Runs spelled out (casuistry.ranges) against a plain Python loop."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from casuistry.ranges import offsets, spelled_out


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 5)), max_size=20))
def test_runs_are_spelled_out_as_a_loop_would(runs):
    starts = np.array([start for start, _ in runs], dtype=np.int64)
    lengths = np.array([length for _, length in runs], dtype=np.int64)
    owner, at = spelled_out(starts, lengths)
    expected = [(k, start + i) for k, (start, length) in enumerate(runs) for i in range(length)]
    assert list(zip(owner.tolist(), at.tolist(), strict=True)) == expected
    assert offsets(lengths).tolist() == [sum(lengths[:k].tolist()) for k in range(len(runs) + 1)]
