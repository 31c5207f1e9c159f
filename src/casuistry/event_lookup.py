"""Events found by their case and event_id, many at once: one sort, then searches.

The kernel resolves the ids a ``signals`` list names to rows, and the
episodes the events they name; both ask "which row of case c holds event_id
x" for hundreds of thousands of pairs. :class:`EventRows` sorts the keys
``case * width + id number`` once and answers each batch with one binary
search.

Examples
--------
>>> rows = EventRows(np.array([0, 0, 1]), pd.Series(["e1", "e2", "e1"]))
>>> rows.rows(np.array([1, 0, 1]), rows.numbers(["e1", "e2", "e9"])).tolist()
[2, 1, -1]
>>> rows.repeated().tolist()
[]
>>> rows.ids(np.array([2, 0])).tolist()
['e1', 'e1']
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class EventRows:
    """The rows of a corpus' events by case number and event_id.

    Parameters
    ----------
    case : numpy.ndarray
        Per row its case number.
    event_ids : pandas.Series
        Per row its event_id (missing ones get the number -1).

    Attributes
    ----------
    id_numbers : numpy.ndarray
        Per row the number of its event_id, -1 where it is missing.
    """

    def __init__(self, case: np.ndarray, event_ids: pd.Series):
        self.id_numbers, names = pd.factorize(event_ids)
        names = np.asarray(names, dtype=object)
        self._index = pd.Index(names)
        self._names = np.append(names, None)  # by id number; -1 (missing): None
        self._width = len(names) + 1
        key = np.asarray(case, dtype=np.int64) * self._width + self.id_numbers
        self._order = np.argsort(key, kind="stable")
        self._ordered = key[self._order]

    def numbers(self, ids) -> np.ndarray:
        """The number of each event_id in ``ids``; -1 for one that no event has."""
        return self._index.get_indexer(pd.Index(ids, dtype=object))

    def ids(self, rows: np.ndarray) -> np.ndarray:
        """The event_id of each of ``rows`` (None where missing), as an object array.

        Each distinct id is one Python string, however often it appears: ids
        repeat from case to case (``e1``, ``e2`` ...), so a column of a
        million rows holds a few thousand distinct ones, and no string is
        made per row.
        """
        return self._names[self.id_numbers[rows]]

    def repeated(self) -> np.ndarray:
        """The rows whose case holds their event_id on an earlier row too."""
        return self._order[1:][self._ordered[1:] == self._ordered[:-1]]

    def rows(self, case: np.ndarray, numbers: np.ndarray, *, none: int = -1) -> np.ndarray:
        """The row of the event numbered ``numbers`` in each ``case``; ``none`` where the
        case has no such event (or the number is negative)."""
        sought = np.asarray(case, dtype=np.int64) * self._width + numbers
        if not len(self._ordered):
            return np.full(len(sought), none, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._ordered, sought), len(self._ordered) - 1)
        return np.where((numbers >= 0) & (self._ordered[at] == sought), self._order[at], none)
