"""Runs of consecutive positions spelled out with numpy: the idiom behind every
flattened list here (CSR offsets), never a Python loop per run.

A list column is held as its items one after another and, per row, where its
items start (:func:`offsets`); the items of chosen rows are then every position
of their runs (:func:`spelled_out`).

Examples
--------
>>> offsets(np.array([2, 0, 3])).tolist()
[0, 2, 2, 5]
>>> owner, at = spelled_out(np.array([10, 7, 3]), np.array([2, 0, 3]))
>>> owner.tolist(), at.tolist()
([0, 0, 2, 2, 2], [10, 11, 3, 4, 5])
"""

from __future__ import annotations

import numpy as np


def offsets(lengths: np.ndarray) -> np.ndarray:
    """Where each run starts when runs of ``lengths`` follow each other, and the
    total last (``len(lengths) + 1`` values, the first 0)."""
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out


def spelled_out(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each run ``[start, start + length)`` spelled out: per position its run's
    number and the position itself, runs in order."""
    lengths = np.asarray(lengths, dtype=np.int64)
    before = offsets(lengths)
    at = np.repeat(np.asarray(starts, dtype=np.int64) - before[:-1], lengths)
    return np.repeat(np.arange(len(lengths)), lengths), at + np.arange(before[-1])
