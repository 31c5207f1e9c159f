"""The events table parsed once, and its row rules (CASE_FORMAT section 1).

:func:`parse_events` reads every distinct kind, time and list cell once into
arrays aligned with the rows (:class:`ParsedEvents`); :func:`row_rules` runs
the rules that look at one row at a time as a pandera schema over that parsed
text, and reports every failing cell. The cross-row rules, which need the
rows that passed, live in :mod:`casuistry.validation`.

The row rules are written once, as :class:`RowRules`: the same checks run in
bulk first (:meth:`RowRules.failures`), and only a table with a failing row is
handed to pandera, which names every failing cell. A clean table, as most
are, never imports pandera (0.15 s of CPU) nor pays its bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

import numpy as np
import pandas as pd

from casuistry.hints import date_hint, did_you_mean, shown
from casuistry.io.raw import RawTable
from casuistry.kinds import KindRegistry
from casuistry.problems import Problems
from casuistry.ranges import offsets, spelled_out
from casuistry.timeaxis import TIME_STYLES, parse_time_codes
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    CATEGORY,
    CONFIDENCE,
    CONFIDENCE_LEVELS,
    EVENT_ID,
    KIND,
    LIST_SEPARATOR,
    REQUIRED_EVENT_COLUMNS,
    SEVERITY,
    SIGNALS,
    TIME,
    TO,
)

#: What :meth:`str.strip` strips: every character for which :meth:`str.isspace` holds.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_NORM_KIND = "__kind"
_STYLE = "__style"


@dataclass(frozen=True)
class RowRules:
    """Rules on one row at a time: checked in bulk, reported by pandera.

    Attributes
    ----------
    required : tuple of str
        Columns every row needs a value in (pandera's check ``not_nullable``).
    columns : mapping
        Per column, its check's name and function (a Series in, a boolean
        Series out); a missing value passes, and a column the frame lacks is
        not checked.
    rows : mapping
        Per check on the whole frame, its name and function (the frame in, a
        boolean Series out).
    """

    required: tuple[str, ...]
    columns: Mapping[str, tuple[str, Callable]] = field(default_factory=dict)
    rows: Mapping[str, Callable] = field(default_factory=dict)

    def failures(self, frame: pd.DataFrame) -> pd.DataFrame | None:
        """pandera's failure cases of ``frame`` (``index``, ``column``, ``check``, ...);
        None when every row passes.

        Examples
        --------
        >>> rules = RowRules(("a",), {"b": ("small", lambda s: s.astype(float) < 3)})
        >>> frame = pd.DataFrame({"a": ["x", None], "b": ["1", "5"]})
        >>> rules.failures(frame)[["index", "column", "check"]].values.tolist()
        [[1, 'a', 'not_nullable'], [1, 'b', 'small']]
        >>> rules.failures(frame.iloc[:1]) is None
        True
        """
        if self.all_pass(frame):
            return None
        import pandera.pandas as pa

        try:
            self.schema(frame.columns).validate(frame, lazy=True)
        except pa.errors.SchemaErrors as err:
            return err.failure_cases
        return None

    def all_pass(self, frame: pd.DataFrame) -> bool:
        """Whether every row of ``frame`` passes every rule: the checks pandera runs,
        without its bookkeeping."""
        if any(frame[column].isna().any() for column in self.required):
            return False
        for column, (_, check) in self._present(frame.columns).items():
            values = frame[column]
            if not _all_true(check(values) | values.isna()):
                return False
        return all(_all_true(check(frame)) for check in self.rows.values())

    def schema(self, columns):
        """The rules as a pandera schema over a frame of ``columns``: the required
        columns first, then the checked ones."""
        import pandera.pandas as pa

        schema = {column: pa.Column(nullable=False) for column in self.required}
        for column, (name, check) in self._present(columns).items():
            schema[column] = pa.Column(
                nullable=column not in self.required,
                required=False,
                checks=pa.Check(check, name=name),
            )
        checks = [pa.Check(check, name=name) for name, check in self.rows.items()]
        return pa.DataFrameSchema(schema, checks=checks)

    def _present(self, columns) -> dict[str, tuple[str, Callable]]:
        return {column: rule for column, rule in self.columns.items() if column in columns}


def _all_true(mask) -> bool:
    """Whether a check's result holds for every row (a missing result does not)."""
    return bool(np.asarray(pd.Series(mask).fillna(False), dtype=bool).all())


def _row_rules(kinds: KindRegistry) -> RowRules:
    """Row rules of the events table over its parsed text (:attr:`ParsedEvents.checked`)."""
    severities = [str(i) for i in range(1, 6)]
    return RowRules(
        required=tuple(REQUIRED_EVENT_COLUMNS),
        columns={
            SEVERITY: ("severity_range", lambda s: s.isin(severities)),
            CONFIDENCE: ("confidence_known", lambda s: s.str.lower().isin(CONFIDENCE_LEVELS)),
        },
        rows={
            "kind_known": lambda d: d[KIND].isna() | d[_NORM_KIND].notna(),
            "time_parses": lambda d: d[TIME].isna() | d[_STYLE].notna(),
            "to_required": lambda d: ~(d[_NORM_KIND].isin(kinds.needing_to) & d[TO].isna()),
            "category_required": lambda d: (
                ~(d[_NORM_KIND].isin(kinds.needing_category) & d[CATEGORY].isna())
            ),
        },
    )


_CHECK_COLUMN = {
    "kind_known": KIND,
    "time_parses": TIME,
    "to_required": TO,
    "category_required": CATEGORY,
}


def _row_message(check: str, column: str, value, kind, kinds: KindRegistry) -> str:
    if check == "not_nullable":
        return f"missing value; every event needs a value in column '{column}'"
    if check == "kind_known":
        return (
            f"unknown kind {shown(value)}"
            f"{did_you_mean(value, [*kinds.codes, *kinds.dutch_names])}; expected one of "
            f"{', '.join(kinds.codes)} (or in Dutch: {', '.join(kinds.dutch_names)})"
        )
    if check == "time_parses":
        return (
            f"{shown(value)} is not a time{date_hint(value)}; expected an ISO 8601 date "
            "(2024-03-01), a date-time (2024-03-01T14:30) or a whole number of days"
        )
    if check == "to_required":
        return f"a {kind} needs its recipients or parties in 'to' (separate several with ';')"
    if check == "category_required":
        return f"a {kind} needs a category (for example verzuim, letsel, schulden)"
    if check == "severity_range":
        return (
            f"severity {shown(value)} is outside 1-5; "
            "expected a whole number from 1 (mild) to 5 (acute)"
        )
    if check == "confidence_known":
        return f"confidence {shown(value)} unknown; expected certain, likely or uncertain"
    return f"fails the check {check}"


def row_rules(events: ParsedEvents, table: RawTable, problems: Problems) -> np.ndarray:
    """Apply the row rules; return a boolean mask of rows without problems."""
    work = events.checked
    bad = np.zeros(len(work), dtype=bool)
    failures = _row_rules(events.kinds).failures(work)
    if failures is not None:
        cases = failures.dropna(subset=["index"])
        seen = set()
        # A rule a whole column breaks fails in every row: each column is read
        # once (a cell at a time, 10^5 failures took 9 s), each message made
        # once per value, check and kind.
        columns: dict[str, np.ndarray] = {}
        messages: dict[tuple, str] = {}

        def cells(column: str) -> np.ndarray:
            if column not in columns:
                columns[column] = work[column].to_numpy(dtype=object)
            return columns[column]

        found = zip(*(cases[c].tolist() for c in ("index", "check", "column")), strict=True)
        for index, check, column in found:
            index = int(index)
            column = _CHECK_COLUMN.get(check, column)
            if (index, check, column) in seen:
                continue
            seen.add((index, check, column))
            bad[index] = True
            value = cells(column)[index] if column in work.columns else None
            key = (check, column, value, cells(_NORM_KIND)[index])
            if key not in messages:
                messages[key] = _row_message(*key, events.kinds)
            problems.error(table.file, int(table.rows[index]), column, messages[key])
    return ~bad


# --- the table parsed once ----------------------------------------------------------


@dataclass(frozen=True)
class Lists:
    """A ``;``-separated column, split once per distinct cell.

    Attributes
    ----------
    codes : numpy.ndarray
        Per row the position of its cell in ``cells``; -1 for an empty cell,
        which picks the ``()`` at the end of ``cells``.
    cells : numpy.ndarray
        Object array of the distinct cells as tuples of stripped, non-empty
        items, then ``()``.
    """

    codes: np.ndarray
    cells: np.ndarray

    def per_row(self) -> np.ndarray:
        """The tuple of every row, as an object array."""
        return self.cells[self.codes]

    def sizes(self) -> np.ndarray:
        """The number of items of every distinct cell."""
        return self._sizes

    @cached_property
    def _sizes(self) -> np.ndarray:
        return np.fromiter(map(len, self.cells), dtype=np.intp, count=len(self.cells))

    @cached_property
    def items(self) -> list[str]:
        """The items of every distinct cell, one after the other (see :meth:`explode`)."""
        return [item for cell in self.cells for item in cell]

    def explode(self, rows: np.ndarray, codes: np.ndarray | None = None):
        """Every (row, item) pair of ``rows``, rows in order and items in cell order.

        ``codes`` gives the cell of each row when the rows are not those of
        ``self.codes`` (a reordered table); by default ``self.codes``.

        Returns
        -------
        owner : numpy.ndarray
            The row of each pair.
        item : numpy.ndarray
            The position of its item in :attr:`items`.

        Examples
        --------
        >>> lists = split_lists(pd.Series(["a;b", None, "c"], dtype="string"))
        >>> owner, item = lists.explode(np.array([0, 1, 2]))
        >>> owner.tolist(), [lists.items[i] for i in item]
        ([0, 0, 2], ['a', 'b', 'c'])
        """
        cell = (self.codes if codes is None else codes)[rows]
        owner, item = spelled_out(offsets(self._sizes)[cell], self._sizes[cell])
        return np.asarray(rows)[owner], item


def split_lists(values: pd.Series) -> Lists:
    """Split ``;``-separated cells into tuples, each distinct cell once.

    Cells repeat a lot (the same recipients, the same ids in every case). The
    distinct cells are split and stripped by pyarrow; only the tuples are made
    in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, distinct = pd.factorize(values)
    cells = np.empty(len(distinct) + 1, dtype=object)
    cells[-1] = ()
    if len(distinct):
        text = pa.array(np.asarray(distinct, dtype=object), pa.string())
        parts = pc.split_pattern(text, LIST_SEPARATOR)
        items = pc.utf8_trim(parts.flatten(), characters=WHITESPACE)
        kept = pc.not_equal(items, "").to_numpy(zero_copy_only=False)
        owner = np.repeat(np.arange(len(distinct)), np.diff(parts.offsets.to_numpy()))[kept]
        texts = items.filter(pa.array(kept)).to_pylist()
        bounds = np.searchsorted(owner, np.arange(len(distinct) + 1)).tolist()
        tuples = (tuple(texts[a:b]) for a, b in pairwise(bounds))
        cells[:-1] = np.fromiter(tuples, dtype=object, count=len(distinct))
    return Lists(codes, cells)


@dataclass(frozen=True)
class ParsedEvents:
    """The events table parsed once: what the rules share, as arrays aligned with its rows.

    Attributes
    ----------
    kinds : KindRegistry
        The registry the kinds were read with.
    checked : pandas.DataFrame
        What the pandera row rules see: the required columns, ``to``,
        ``category`` (NA when the input lacks them), ``severity`` and
        ``confidence`` when given, and the parsed kind and time style as
        categoricals.
    kind : numpy.ndarray
        Position of the kind in ``kinds.codes``; -1 when missing or unknown.
    style : numpy.ndarray
        Position of the time style in ``TIME_STYLES``; -1 when the time is
        missing or does not parse.
    ticks : numpy.ndarray
        int64 seconds (0 where the time does not parse).
    case, event, actor : numpy.ndarray
        Codes of ``case_id``, ``event_id`` and ``actor`` in order of first
        appearance; -1 when missing.
    case_ids : pandas.Index
        The distinct ``case_id`` values, in code order.
    event_ids : pandas.Index
        The distinct ``event_id`` values, in code order.
    actor_names : pandas.Index
        The distinct ``actor`` values, in code order.
    to, signals : Lists
        The list columns split.
    """

    kinds: KindRegistry
    checked: pd.DataFrame
    kind: np.ndarray
    style: np.ndarray
    ticks: np.ndarray
    case: np.ndarray
    event: np.ndarray
    actor: np.ndarray
    case_ids: pd.Index
    event_ids: pd.Index
    actor_names: pd.Index
    to: Lists
    signals: Lists

    @property
    def n_cases(self) -> int:
        """How many distinct ``case_id`` values there are."""
        return len(self.case_ids)

    @cached_property
    def item_events(self) -> np.ndarray:
        """The event id code of every item of :attr:`signals` (``signals.items``); -1 for
        an id no row has."""
        items = self.signals.items
        return self.event_ids.get_indexer(items) if items else np.zeros(0, dtype=np.intp)

    def keys(self, rows: np.ndarray, event: np.ndarray | None = None) -> np.ndarray:
        """The (case, event id) keys of ``rows``, with their own event ids by default."""
        event = self.event[rows] if event is None else event
        return pair_keys(self.case[rows], event, len(self.event_ids))


def pair_keys(case: np.ndarray, event: np.ndarray, n_event_ids: int) -> np.ndarray:
    """One int64 per pair of a case code and an event id code.

    An event id code of -1 (no such event id) gives a key no real pair has.
    """
    return case.astype(np.int64) * (n_event_ids + 1) + event


def parse_events(frame: pd.DataFrame, kinds: KindRegistry) -> ParsedEvents:
    """Parse kinds, times and list cells, each distinct value once."""
    index = pd.RangeIndex(len(frame))
    used = [*REQUIRED_EVENT_COLUMNS, TO, SIGNALS, CATEGORY, SEVERITY, CONFIDENCE]
    columns = {c: frame[c].array for c in used if c in frame.columns}
    for column in (TO, SIGNALS, CATEGORY):
        if column not in columns:
            columns[column] = pd.Series(pd.NA, index=index, dtype="string").array
    spelled, spellings = pd.factorize(frame[KIND])
    canonical = [kinds.normalise(value) for value in spellings]
    codes = kinds.codes
    kind = np.asarray([codes.index(k) if k else -1 for k in canonical] + [-1], dtype=np.int8)
    kind = kind[spelled]
    ticks, style = parse_time_codes(frame[TIME])
    case, case_ids = pd.factorize(frame[CASE_ID])
    event, event_ids = pd.factorize(frame[EVENT_ID])
    actor, actor_names = pd.factorize(frame[ACTOR])
    checked = [*REQUIRED_EVENT_COLUMNS, TO, CATEGORY, SEVERITY, CONFIDENCE]
    work = pd.DataFrame({c: columns[c] for c in checked if c in columns}, index=index)
    work[_NORM_KIND] = pd.Categorical.from_codes(kind, categories=codes)
    work[_STYLE] = pd.Categorical.from_codes(style, categories=TIME_STYLES)
    return ParsedEvents(
        kinds=kinds,
        checked=work,
        kind=kind,
        style=style,
        ticks=ticks,
        case=case,
        event=event,
        actor=actor,
        case_ids=pd.Index(case_ids),
        event_ids=pd.Index(event_ids),
        actor_names=pd.Index(actor_names),
        to=split_lists(pd.Series(columns[TO])),
        signals=split_lists(pd.Series(columns[SIGNALS])),
    )


def kind_mask(events: ParsedEvents, codes) -> np.ndarray:
    """Rows whose kind is one of ``codes``.

    One lookup per row in a table of the registry's kinds and one entry more,
    False, which a missing or unknown kind (-1) picks: faster than
    :func:`numpy.isin`, which sorts.
    """
    wanted = np.zeros(len(events.kinds.codes) + 1, dtype=bool)
    wanted[[events.kinds.codes.index(k) for k in codes]] = True
    return wanted[events.kind]
