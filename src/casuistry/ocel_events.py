"""A casebook's events as OCEL 2.0 event records, made as they are read.

:class:`EventRecords` is the ``events`` of the log that
:func:`casuistry.ocel_tables.from_tables` makes: a sequence of
:class:`~casuistry.io.ocel.Record` that holds the events table's columns and
makes each record only when a writer reaches it, a batch at a time. A log of
10^6 events held as records took 1.8 GB and most of a minute to make; the
columns it reads are the casebook's own.

What one record holds follows :mod:`casuistry.io.ocel_mapping`: the id
``<case_id>:<event_id>``, the kind as type, the time as an instant, every
column that no relation carries as an attribute (present values only, as
text, integers for :data:`~casuistry.io.ocel_mapping.INTEGER_ATTRIBUTES`),
and the relations in this order: ``case``, ``actor``, ``silo``, the signal
event's own signal (``observes``), the organisations in ``to``, the listed
signals, the ``subject``, without repeats; then the episodes that list the
event (:meth:`EventRecords.link`). Every name is turned into its id once.
:class:`EventObjects` makes the objects the events make (a signal event's
signal, an event's subject) the same way, each once.

Examples
--------
>>> import pandas as pd
>>> events = pd.DataFrame({"case_id": ["c1"], "event_id": ["e1"], "time": ["2024-03-01"],
...                        "kind": ["signal"], "actor": ["school"], "to": [()],
...                        "signals": [()], "category": ["verzuim"]})
>>> records = EventRecords(events, pd.Series(["date"], index=["c1"]), {"school": "onderwijs"})
>>> record = records[0]
>>> record.id, record.type, record.attributes, str(record.time)
('c1:e1', 'signal', {'event_id': 'e1', 'category': 'verzuim'}, '2024-03-01 00:00:00')
>>> record.relationships[:3]
[('case:c1', 'case'), ('organisation:school', 'actor'), ('silo:onderwijs', 'silo')]
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from casuistry.io import ocel
from casuistry.io import ocel_mapping as m
from casuistry.io.ocel import Record
from casuistry.kinds import KINDS, EventKind, KindRegistry
from casuistry.timeaxis import DAYS
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    EVENT_ID,
    KIND,
    SECONDS_PER_DAY,
    SIGNALS,
    SUBJECT,
    TIME,
    TO,
)


class _MadeWhenRead(Sequence[Record]):
    """Records made a batch at a time (:data:`casuistry.io.ocel.BATCH`) when read:
    a subclass says how many there are and makes those of a range of positions."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def _records(self, start: int, stop: int) -> Iterator[Record]:
        """The records at positions ``start`` to ``stop``, in order."""

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        position = range(len(self))[index]  # negative positions, and IndexError
        return next(self._records(position, position + 1))

    def __iter__(self) -> Iterator[Record]:
        size, n = ocel.BATCH, len(self)  # as many as a writer takes at a time
        for start in range(0, n, size):
            yield from self._records(start, min(start + size, n))


class EventRecords(_MadeWhenRead):
    """The OCEL event records of an events table (times as text in each case's style,
    lists as tuples), made when read.

    Parameters
    ----------
    events : pandas.DataFrame
        The normalised events (:func:`casuistry.exporting.normalised_tables`).
    time_styles : pandas.Series
        Per ``case_id`` its time style.
    silo_of : mapping of str to str
        Per actor its silo.
    kinds : KindRegistry, keyword-only
        The kinds the book was validated with.
    """

    def __init__(
        self,
        events: pd.DataFrame,
        time_styles: pd.Series,
        silo_of: Mapping[str, str],
        *,
        kinds: KindRegistry = KINDS,
    ):
        self._n = len(events)
        columns = [str(c) for c in events.columns]
        self.attributes = [c for c in columns if c not in m.MAPPED_COLUMNS]
        # The columns stay as they are (text in pyarrow): cut to a batch, then made
        # into Python values; a million rows of them at once took 0.6 GB.
        self._events = events
        self._code, self._case_ids = pd.factorize(events[CASE_ID])
        self._case_parts = [
            (m.key_part(case_id), m.object_id(m.CASE, case_id)) for case_id in self._case_ids
        ]
        self._times = _instants(events[TIME], events[CASE_ID].map(time_styles))
        self._observes = events[KIND].isin(list(kinds.observing)).to_numpy(dtype=bool)
        self._qualifier = {code: to_qualifier(kinds[code]) for code in pd.unique(events[KIND])}
        self._organisations: dict[str, str] = {}
        self._performs = {
            a: ((self._organisation(a), "actor"), (m.object_id(m.SILO_TYPE, silo_of[a]), "silo"))
            for a in pd.unique(events[ACTOR])
        }
        self._linked: dict[int, list[tuple[str, str]]] = {}

    def __len__(self) -> int:
        return self._n

    def rows_of(self, case_ids: Sequence[str], event_ids: Sequence[str]) -> np.ndarray:
        """The row of each event named by its case_id and event_id, as text (the last
        row, were one repeated); -1 where no event has them."""
        named = pd.MultiIndex.from_arrays(
            [self._events[column].astype(str) for column in (CASE_ID, EVENT_ID)]
        )
        last = ~named.duplicated(keep="last")
        found = named[last].get_indexer(pd.MultiIndex.from_arrays([case_ids, event_ids]))
        return np.where(found >= 0, np.flatnonzero(last)[found], -1)

    def link(self, row: int, object_id: str, qualifier: str) -> None:
        """Relate the event of ``row`` to an object after its own relations
        (an episode that lists it)."""
        self._linked.setdefault(row, []).append((object_id, qualifier))

    def objects(self) -> EventObjects:
        """The objects the events make (:class:`EventObjects`)."""
        return EventObjects(self._events, self._code, self._case_ids, self._observes)

    def _column(self, name: str, cut: slice) -> list:
        return self._events[name].iloc[cut].tolist()

    def _organisation(self, name) -> str:
        """An organisation's id, made once per name."""
        found = self._organisations.get(name)
        if found is None:
            found = self._organisations[name] = m.object_id(m.ORGANISATION, name)
        return found

    def _records(self, start: int, stop: int) -> Iterator[Record]:
        """The records of rows ``start`` to ``stop``: the columns cut to them once,
        each name made into an id once per case or per name."""
        cut = slice(start, stop)
        names = self.attributes
        columns = [_attribute_values(n, self._events[n].iloc[cut]).tolist() for n in names]
        cells = list(zip(*columns, strict=True)) if names else [()] * (stop - start)
        times = self._times[cut].astype(object).tolist()  # datetime, each
        qualifier, performs, linked = self._qualifier, self._performs, self._linked
        organisation = self._organisation
        for row, code, event, kind, actor, to, listed, subject, observes, time, values in zip(
            range(start, stop), self._code[cut].tolist(), self._column(EVENT_ID, cut),
            self._column(KIND, cut), self._column(ACTOR, cut), self._column(TO, cut),
            self._column(SIGNALS, cut), _subjects(self._events, cut).tolist(),
            self._observes[cut].tolist(), times, cells, strict=True,
        ):  # fmt: skip
            case_key, case_object = self._case_parts[code]
            rels = [(case_object, "case"), *performs[actor]]
            if observes:
                rels.append((_within(m.SIGNAL_TYPE, case_key, event), "observes"))
            if to or listed:
                rels += [(organisation(a), qualifier[kind]) for a in to]
                rels += [(_within(m.SIGNAL_TYPE, case_key, s), "signal") for s in listed]
            if subject is not None:
                rels.append((_within(m.SUBJECT_TYPE, case_key, subject), "subject"))
            if to or listed:  # an item repeated in a list is one relation (OCEL keys forbid two)
                rels = list(dict.fromkeys(rels))
            if row in linked:
                rels += linked[row]
            attributes = {
                name: value for name, value in zip(names, values, strict=True) if value is not None
            }
            yield Record(f"{case_key}:{m.key_part(event)}", kind, attributes, rels, time)


class EventObjects(_MadeWhenRead):
    """The objects an events table makes, in event order: a signal event's own
    signal, then an event's subject (each belonging to its case), each once
    (where first made), made when read as the events are.

    Parameters
    ----------
    events : pandas.DataFrame
        The normalised events.
    codes, case_ids : numpy.ndarray, pandas.Index
        Per event its case's number, and per number the case_id.
    observes : numpy.ndarray of bool
        Per event whether it observes a signal.
    """

    def __init__(self, events: pd.DataFrame, codes, case_ids, observes: np.ndarray):
        self._events, self._codes = events, codes
        self._case_ids = np.asarray(case_ids, dtype=object)
        # Each id once: an object is its type, its case and its key, each as text
        # (compared by number, as pandas numbers the text of a column).
        number = {c: pd.factorize(events[c].astype(str))[0] for c in (CASE_ID, EVENT_ID)}
        has_subject = np.zeros(len(events), dtype=bool)
        if SUBJECT in events:
            has_subject = events[SUBJECT].notna().to_numpy(dtype=bool)
            number[SUBJECT] = pd.factorize(events[SUBJECT].astype(str))[0]
        rows = np.concatenate([np.flatnonzero(observes), np.flatnonzero(has_subject)])
        made = np.repeat([_SIGNAL, _SUBJECT], [observes.sum(), has_subject.sum()])
        order = np.lexsort((made, rows))  # by event; its signal before its subject
        rows, made = rows[order], made[order]
        key = number[EVENT_ID][rows]
        if SUBJECT in events:
            key = np.where(made == _SIGNAL, key, number[SUBJECT][rows])
        named = pd.DataFrame({"type": made, "case": number[CASE_ID][rows], "key": key})
        first = ~named.duplicated().to_numpy()
        self._rows, self._made = rows[first], made[first]

    def __len__(self) -> int:
        return len(self._rows)

    def types(self) -> set[str]:
        """The object types among them."""
        return {(m.SIGNAL_TYPE, m.SUBJECT_TYPE)[k] for k in np.unique(self._made).tolist()}

    def _records(self, start: int, stop: int) -> Iterator[Record]:
        rows, made = self._rows[start:stop], self._made[start:stop]
        cases = self._case_ids[self._codes[rows]].tolist()
        events = self._events[EVENT_ID].iloc[rows].tolist()
        subjects = _subjects(self._events, rows).tolist()
        for case_id, kind, event, subject in zip(
            cases, made.tolist(), events, subjects, strict=True
        ):
            if kind == _SIGNAL:
                yield _of_case(m.SIGNAL_TYPE, case_id, EVENT_ID, event)
            else:
                yield _of_case(m.SUBJECT_TYPE, case_id, SUBJECT, subject)


#: What an event makes: its own signal, or its subject.
_SIGNAL, _SUBJECT = 0, 1


def _subjects(events: pd.DataFrame, where) -> np.ndarray:
    """The subjects of the events at ``where`` (a slice or positions); None where none."""
    if SUBJECT not in events:
        return np.full(len(events.index[where]), None)
    return _attribute_values(SUBJECT, events[SUBJECT].iloc[where])


def _within(object_type: str, case_key: str, key) -> str:
    """The id of an object keyed within its case (:func:`~casuistry.io.ocel_mapping.object_id`
    of the type, the case and the key), the case's part already encoded."""
    return f"{object_type}:{case_key}:{m.key_part(key)}"


def to_qualifier(kind: EventKind) -> str:
    """The qualifier of the organisations in ``to`` for an event of this kind.

    Examples
    --------
    >>> to_qualifier(KINDS["withhold"]), to_qualifier(KINDS["meeting"])
    ('recipient', 'party')
    """
    return "recipient" if kind.mark.value in m.RECIPIENT_MARKS else "party"


def _of_case(object_type: str, case_id, attribute: str, key) -> Record:
    """A signal or subject object: keyed within its case, and belonging to it."""
    return Record(
        m.object_id(object_type, case_id, key),
        object_type,
        {CASE_ID: str(case_id), attribute: str(key)},
        [(m.object_id(m.CASE, case_id), m.BELONGS_TO)],
    )


def _attribute_values(name: str, column: pd.Series) -> np.ndarray:
    """A column's values as an event's attribute holds them: None where missing, an
    int for :data:`~casuistry.io.ocel_mapping.INTEGER_ATTRIBUTES`, text otherwise."""
    cells = column.to_numpy(dtype=object)
    present = ~column.isna().to_numpy(dtype=bool)
    out = np.full(len(cells), None, dtype=object)
    as_value = int if name in m.INTEGER_ATTRIBUTES else str
    out[present] = [as_value(v) for v in cells[present]]
    return out


def _instants(times: pd.Series, styles: pd.Series) -> np.ndarray:
    """Case times as instants (datetime64[s]): calendar text parsed, day numbers as
    1970-01-01 + days."""
    days = (styles == DAYS).to_numpy()
    out = pd.Series(pd.NaT, index=times.index, dtype="datetime64[s]")
    if days.any():
        numbers = pd.to_numeric(times[days]).astype("int64")
        out[days] = m.DAY_ZERO + pd.to_timedelta(numbers * SECONDS_PER_DAY, unit="s")
    if (~days).any():
        out[~days] = pd.to_datetime(times[~days], format="ISO8601")
    return out.to_numpy()
