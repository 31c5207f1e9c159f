"""Case tables as an OCEL 2.0 log and back.

:func:`from_tables` makes an :class:`~casuistry.io.ocel.Ocel` from a
casebook's normalised tables following :mod:`casuistry.io.ocel_mapping`;
:func:`to_tables` turns one back into raw tables (text cells, as every reader
gives) for validation, and says which event or object lacks what the case
format needs. It sits above :mod:`casuistry.io` (it knows the kinds and the
time styles), as validation does.

Examples
--------
>>> import casuistry
>>> from casuistry.exporting import normalised_tables
>>> book = casuistry.load(casuistry.example_path())
>>> log = from_tables(normalised_tables(book), book.time_styles)
>>> len(log.events) == book.n_events
True
>>> tables = to_tables(log, "puzzel.jsonocel")
>>> tables["events"].frame["event_id"].tolist() == book.events["event_id"].tolist()
True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from casuistry.errors import InvalidCase
from casuistry.io import ocel_mapping as m
from casuistry.io.ocel import Concatenated, Ocel, Record, read_log
from casuistry.io.table import RawTable, tidy
from casuistry.kinds import KINDS, KindRegistry
from casuistry.ocel_events import EventRecords
from casuistry.timeaxis import DATE, DATETIME, TIME_STYLES, written_times
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    EVENT_COLUMNS,
    EVENT_ID,
    KIND,
    LIST_SEPARATOR,
    SECONDS_PER_DAY,
    SIGNALS,
    SILO,
    SUBJECT,
    TIME,
    TO,
)

# --- casebook -> OCEL -----------------------------------------------------------------


def _present(value) -> bool:
    return not (value is None or (not isinstance(value, tuple | list) and pd.isna(value)))


def _attribute_type(name: str) -> str:
    return "integer" if name in m.INTEGER_ATTRIBUTES else "string"


def _value(name: str, value):
    return int(value) if name in m.INTEGER_ATTRIBUTES else str(value)


def from_tables(
    tables: Mapping[str, pd.DataFrame], time_styles: pd.Series, *, kinds: KindRegistry = KINDS
) -> Ocel:
    """An OCEL log of normalised case tables (see :func:`casuistry.export.normalised_tables`).

    The events are an :class:`~casuistry.ocel_events.EventRecords`: each made
    when a writer reaches it. The objects, in the order of the file: cases,
    each actor's silo and organisation, the signals and subjects in event
    order (:class:`~casuistry.ocel_events.EventObjects`, made when read as
    the events are), then a reviewer's rows.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        ``events`` (times as text in the case's style, lists as tuples),
        ``actors``, and any reviewer's tables.
    time_styles : pandas.Series
        Per ``case_id`` its time style.
    kinds : KindRegistry, keyword-only
        The kinds the book was validated with (:attr:`Casebook.kinds`).
    """
    events, actors = tables["events"], tables["actors"]
    columns = [str(c) for c in events.columns]
    silo_of = dict(zip(actors[ACTOR], actors[SILO], strict=True))
    out_events = EventRecords(events, time_styles, silo_of, kinds=kinds)
    declared = [(c, _attribute_type(c)) for c in out_events.attributes]
    objects: dict[str, Record] = {}

    def add(record: Record) -> str:
        objects.setdefault(record.id, record)
        return record.id

    for case_id, style in time_styles.items():
        add(
            Record(
                m.object_id(m.CASE, case_id),
                m.CASE,
                {
                    CASE_ID: str(case_id),
                    m.TIME_STYLE: style,
                    m.COLUMNS: LIST_SEPARATOR.join(columns),
                },
            )
        )
    for row in actors.itertuples(index=False):
        silo = add(Record(m.object_id(m.SILO_TYPE, row.silo), m.SILO_TYPE, {SILO: str(row.silo)}))
        values = {c: _value(c, v) for c, v in zip(actors.columns, row, strict=True) if _present(v)}
        add(
            Record(
                m.object_id(m.ORGANISATION, row.actor),
                m.ORGANISATION,
                values,
                [(silo, m.BELONGS_TO)],
            )
        )
    made = out_events.objects()
    object_types = {
        m.CASE: [(CASE_ID, "string"), (m.TIME_STYLE, "string"), (m.COLUMNS, "string")],
        m.ORGANISATION: [(str(c), _attribute_type(c)) for c in actors.columns],
        m.SILO_TYPE: [(SILO, "string")],
        m.SIGNAL_TYPE: [(CASE_ID, "string"), (EVENT_ID, "string")],
        m.SUBJECT_TYPE: [(CASE_ID, "string"), (SUBJECT, "string")],
    }
    review: dict[str, Record] = {}
    _review_objects(tables, out_events, review, object_types)
    used_types = {o.type for o in (*objects.values(), *review.values())} | made.types()
    return Ocel(
        event_types={k: list(declared) for k in pd.unique(events[KIND])},
        object_types={k: v for k, v in object_types.items() if k in used_types},
        events=out_events,
        # the types' ids differ in their first part: no object of one group is another's
        objects=Concatenated(list(objects.values()), made, list(review.values())),
    )


def _review_objects(tables, events: EventRecords, objects: dict, object_types: dict) -> None:
    """One object per row of each reviewer's table; episodes related to their events."""
    listed: list[tuple[str, str, str]] = []  # (case_id, event_id, episode object), in order
    for name, (object_type, key_column) in m.REVIEW_OBJECT_TYPES.items():
        table = tables.get(name)
        if table is None:
            continue
        object_types[object_type] = [(str(c), "string") for c in table.columns]
        for n, row in enumerate(table.itertuples(index=False)):
            values = {
                str(c): LIST_SEPARATOR.join(v) if isinstance(v, tuple | list) else str(v)
                for c, v in zip(table.columns, row, strict=True)
                if _present(v)
            }
            key = values.get(key_column, "") if key_column else str(n + 1)
            case_id = values.get(CASE_ID)
            parts = (key,) if case_id is None else (case_id, key)
            record = Record(m.object_id(object_type, *parts), object_type, values)
            if case_id is not None:
                record.relationships.append((m.object_id(m.CASE, case_id), m.BELONGS_TO))
            objects[record.id] = record
            if object_type == "episode":
                for event in str(values.get("events", "")).split(LIST_SEPARATOR):
                    listed.append((str(case_id), event.strip(), record.id))
    if listed:
        cases, event_ids, episodes = zip(*listed, strict=True)
        for row, episode in zip(events.rows_of(cases, event_ids), episodes, strict=True):
            if row >= 0:
                events.link(row, episode, "episode")


# --- OCEL -> raw tables ---------------------------------------------------------------


class _Problems:
    def __init__(self, file: str):
        self.file, self.rows = file, []

    def add(self, row, column, message):
        self.rows.append({"file": self.file, "row": row, "column": column, "message": message})

    def raise_if_any(self):
        if self.rows:
            raise InvalidCase(pd.DataFrame(self.rows))


def _name(record: Record, attribute: str) -> str:
    """The case-format name an object stands for: its attribute, else its id."""
    return str(record.attributes.get(attribute, record.id))


def to_tables(log: Ocel, file: str, *, kinds: KindRegistry = KINDS) -> dict[str, RawTable]:
    """Raw ``events`` and ``actors`` tables (text cells) of an OCEL log.

    Rows are the 1-based positions of the events (objects) in the file.

    Raises
    ------
    InvalidCase
        Naming each event or object that lacks what the case format needs: a
        relation to a missing object, no ``case`` or ``actor`` relation, an
        event type that is not a kind, an organisation without a silo, a
        signal object without ``event_id``.
    """
    problems = _Problems(file)
    objects = {o.id: o for o in log.objects}
    actors = _actor_rows(log, objects, problems)
    cases = {o.id: o for o in log.objects if o.type == m.CASE}
    normalised = {t: kinds.normalise(t) for t in {e.type for e in log.events}}
    rows = [
        _event_row(n, e, objects, problems, normalised, kinds)
        for n, e in enumerate(log.events, start=1)
    ]
    problems.raise_if_any()
    frame = pd.DataFrame(rows)
    _fill_times(frame, log.events, cases)
    columns = _event_columns(frame, cases)
    frame = frame.reindex(columns=columns).drop(columns=["_case"], errors="ignore")
    actor_frame = pd.DataFrame(actors).dropna(axis="columns", how="all")
    return {
        "events": _raw(frame, file),
        "actors": _raw(actor_frame, file),
        **_review_tables(log, file),
    }


def _review_tables(log: Ocel, file: str) -> dict[str, RawTable]:
    """The reviewer's tables held as objects (one per row), in the order of the file."""
    out = {}
    for name, (object_type, _) in m.REVIEW_OBJECT_TYPES.items():
        rows = [o.attributes for o in log.objects if o.type == object_type]
        if rows:
            declared = [a for a, _ in log.object_types.get(object_type, [])]
            frame = pd.DataFrame(rows)
            columns = [c for c in declared if c in frame.columns] or list(frame.columns)
            out[name] = _raw(frame.reindex(columns=columns), file)
    return out


def _actor_rows(log: Ocel, objects: dict, problems: _Problems) -> list[dict]:
    declared = [name for name, _ in log.object_types.get(m.ORGANISATION, [])]
    rows = []
    for n, org in enumerate((o for o in log.objects if o.type == m.ORGANISATION), start=1):
        silo = org.attributes.get(SILO)
        if silo is None:
            linked = [objects.get(t) for t, q in org.relationships if q == m.BELONGS_TO]
            silos = [o for o in linked if o is not None and o.type == m.SILO_TYPE]
            if not silos:
                problems.add(
                    n,
                    SILO,
                    f"organisation object {org.id!r} has no silo attribute and "
                    "no belongs_to relation to a silo object; give it one",
                )
                continue
            silo = _name(silos[0], SILO)
        values = {name: org.attributes.get(name) for name in declared}
        values.update(org.attributes)
        values.update({ACTOR: _name(org, ACTOR), SILO: silo})
        rows.append({ACTOR: values.pop(ACTOR), SILO: values.pop(SILO), **values})
    return rows


def _event_row(
    n: int, event: Record, objects: dict, problems: _Problems, normalised: dict, kinds
) -> dict:
    """The events row of an OCEL event (``normalised``: per event type its kind, or None)."""
    row = {EVENT_ID: event.id, **{k: v for k, v in event.attributes.items()}}
    kind = normalised[event.type]
    if kind is None:
        problems.add(
            n,
            KIND,
            f"event {event.id!r} has type {event.type!r}, which is not a kind "
            f"of the case format ({', '.join(kinds.codes)})",
        )
    row[KIND] = kind or event.type
    related: dict[str, list[Record]] = {}
    for target, qualifier in event.relationships:
        obj = objects.get(target)
        if obj is None:
            problems.add(
                n,
                None,
                f"event {event.id!r} relates to object {target!r} "
                f"(qualifier {qualifier!r}), which the file does not hold",
            )
            continue
        related.setdefault(qualifier, []).append(obj)
    for qualifier, column in (("case", CASE_ID), ("actor", ACTOR)):
        found = related.get(qualifier, [])
        if len(found) != 1:
            what = "no" if not found else f"{len(found)}"
            problems.add(
                n,
                column,
                f"event {event.id!r} has {what} relation with qualifier "
                f"{qualifier!r}; the case format needs exactly one ({column})",
            )
    if related.get("case"):
        row["_case"] = related["case"][0].id
        row[CASE_ID] = _name(related["case"][0], CASE_ID)
    if related.get("actor"):
        row[ACTOR] = _name(related["actor"][0], ACTOR)
    parties = [o for q in ("recipient", "party") for o in related.get(q, [])]
    row[TO] = LIST_SEPARATOR.join(_name(o, ACTOR) for o in parties) or None
    listed = []
    for signal in related.get("signal", []):
        if EVENT_ID not in signal.attributes:
            problems.add(
                n,
                SIGNALS,
                f"signal object {signal.id!r} (related to event "
                f"{event.id!r}) has no attribute 'event_id' naming its signal event",
            )
        listed.append(str(signal.attributes.get(EVENT_ID, signal.id)))
    row[SIGNALS] = LIST_SEPARATOR.join(listed) or None
    if related.get("subject"):
        row[SUBJECT] = _name(related["subject"][0], SUBJECT)
    return row


def _fill_times(frame: pd.DataFrame, events: list[Record], cases: dict) -> None:
    """The ``time`` column: each case's instants written in its style."""
    stamps = pd.Series([e.time for e in events], index=frame.index, dtype="datetime64[s]")
    ticks = (stamps - m.DAY_ZERO) // pd.Timedelta(seconds=1)
    case_of = frame["_case"]
    styles = case_of.map(lambda c: cases[c].attributes.get(m.TIME_STYLE) if c in cases else None)
    unknown = styles.isna() | ~styles.isin(TIME_STYLES)
    if unknown.any():  # a file from elsewhere: dates when every time of the case is at midnight
        midnight = (ticks % SECONDS_PER_DAY == 0).groupby(case_of).transform("all")
        styles = styles.where(~unknown, np.where(midnight, DATE, DATETIME))
    frame[TIME] = written_times(ticks.to_numpy(), case_of.to_numpy(), styles.to_numpy())


def _event_columns(frame: pd.DataFrame, cases: dict) -> list[str]:
    """The events columns in the order the case objects record, else the case format's."""
    recorded = next((c.attributes.get(m.COLUMNS) for c in cases.values()), None)
    if recorded is not None:
        order = str(recorded).split(LIST_SEPARATOR)
    else:
        order = [c for c in EVENT_COLUMNS if c in frame.columns or c in (TO, SIGNALS)]
    return order + [c for c in frame.columns if c not in order and c != "_case"]


def _raw(frame: pd.DataFrame, file: str) -> RawTable:
    """The raw table of some cells, made as the readers of the other layouts make theirs."""
    cells = pd.DataFrame({k: _cells(frame.iloc[:, k]) for k in range(frame.shape[1])})
    return tidy(cells, [str(c) for c in frame.columns], np.arange(1, len(frame) + 1), file)


def _cells(column: pd.Series) -> np.ndarray:
    """:func:`_cell` of every cell of a column (None where missing), each distinct
    text once: a log's cells repeat (kinds, actors, cases), and a call per cell
    took a fifth of reading one.

    Examples
    --------
    >>> _cells(pd.Series([" a", 3.0, None, " a", True], dtype=object)).tolist()
    ['a', '3', None, 'a', 'True']
    """
    values = column.to_numpy(dtype=object)
    out = np.full(len(values), None, dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        text = ~pd.isna(values)
    else:
        text = np.fromiter((type(v) is str for v in values), dtype=bool, count=len(values))
    codes, distinct = pd.factorize(values[text])  # text only: 1, 1.0 and True hash alike
    out[text] = np.array([_cell(v) for v in distinct] + [None], dtype=object)[codes]
    other = np.flatnonzero(~text & ~pd.isna(values))
    out[other] = [_cell(v) for v in values[other]]
    return out


def _cell(value) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def read_ocel(path, *, kinds: KindRegistry = KINDS) -> dict[str, RawTable]:
    """The raw tables of an OCEL 2.0 JSON or SQLite file, by name.

    ``events`` and ``actors`` always; the reviewer's tables (``sources``,
    ``episodes``, ``factors``, ``findings``) when the log holds their objects.

    Raises
    ------
    InputError
        When the file is not OCEL 2.0.
    InvalidCase
        When the log lacks what the case format needs (see :func:`to_tables`).
    """
    return to_tables(read_log(path), Path(path).name, kinds=kinds)
