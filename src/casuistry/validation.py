"""Validation of raw case tables: every rule of CASE_FORMAT section 1, all at once.

Order matters (see NOTES_ECOSYSTEM): first the columns, then the row rules as
a pandera schema on text that has been parsed once, then the cross-row rules
on the rows that passed, then the identifier guard. Every problem found is
collected; :class:`~casuistry.errors.InvalidCase` carries them together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pandera.pandas as pa

from casuistry.casebook import Casebook, actors_without_table
from casuistry.hints import date_hint, did_you_mean, shown
from casuistry.io.raw import RawTable
from casuistry.kinds import KINDS, WITHHOLD, KindRegistry
from casuistry.problems import Problems
from casuistry.review_validation import decides_column, validate_review
from casuistry.timeaxis import (
    CALENDAR_STYLES,
    DATE,
    DATETIME,
    DAYS,
    TIME_STYLES,
    parse_time_codes,
)
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    CATEGORY,
    CONFIDENCE,
    CONFIDENCE_LEVELS,
    DECIDES,
    EVENT_ID,
    KIND,
    LABEL,
    LIST_SEPARATOR,
    REASON,
    REASONS,
    REQUIRED_ACTOR_COLUMNS,
    REQUIRED_EVENT_COLUMNS,
    ROW,
    SEVERITY,
    SIGNALS,
    SILO,
    TICKS,
    TIME,
    TO,
)

_NORM_KIND = "__kind"
_STYLE = "__style"


# --- columns --------------------------------------------------------------------


def _check_columns(table: RawTable, required, problems: Problems, what: str) -> bool:
    missing = [c for c in required if c not in table.frame.columns]
    for column in missing:
        problems.error(
            table.file,
            None,
            column,
            f"required column '{column}' is missing; the {what} table needs " + ", ".join(required),
        )
    return not missing


# --- row rules ------------------------------------------------------------------


def _row_schema(columns, kinds: KindRegistry) -> pa.DataFrameSchema:
    """Row rules of the events table as a pandera schema over parsed text."""
    optional = {
        SEVERITY: pa.Column(
            nullable=True,
            required=False,
            checks=pa.Check(lambda s: s.isin([str(i) for i in range(1, 6)]), name="severity_range"),
        ),
        CONFIDENCE: pa.Column(
            nullable=True,
            required=False,
            checks=pa.Check(
                lambda s: s.str.lower().isin(CONFIDENCE_LEVELS), name="confidence_known"
            ),
        ),
    }
    schema_columns = {c: pa.Column(nullable=False) for c in REQUIRED_EVENT_COLUMNS}
    schema_columns |= {c: v for c, v in optional.items() if c in columns}
    frame_checks = [
        pa.Check(lambda d: d[KIND].isna() | d[_NORM_KIND].notna(), name="kind_known"),
        pa.Check(lambda d: d[TIME].isna() | d[_STYLE].notna(), name="time_parses"),
        pa.Check(
            lambda d: ~(d[_NORM_KIND].isin(kinds.needing_to) & d[TO].isna()), name="to_required"
        ),
        pa.Check(
            lambda d: ~(d[_NORM_KIND].isin(kinds.needing_category) & d[CATEGORY].isna()),
            name="category_required",
        ),
    ]
    return pa.DataFrameSchema(schema_columns, checks=frame_checks)


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


def _row_rules(events: _Events, table: RawTable, problems: Problems) -> np.ndarray:
    """Apply the pandera schema; return a boolean mask of rows without problems."""
    work = events.checked
    bad = np.zeros(len(work), dtype=bool)
    try:
        _row_schema(work.columns, events.kinds).validate(work, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.dropna(subset=["index"])
        seen = set()
        for rec in cases.itertuples(index=False):
            index = int(rec.index)
            column = _CHECK_COLUMN.get(rec.check, rec.column)
            if (index, rec.check, column) in seen:
                continue
            seen.add((index, rec.check, column))
            bad[index] = True
            value = work.at[index, column] if column in work.columns else None
            problems.error(
                table.file,
                int(table.rows[index]),
                column,
                _row_message(rec.check, column, value, work.at[index, _NORM_KIND], events.kinds),
            )
    return ~bad


# --- the table parsed once ----------------------------------------------------------


@dataclass(frozen=True)
class _Lists:
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
        return np.fromiter(map(len, self.cells), dtype=np.intp, count=len(self.cells))


def _split(values: pd.Series) -> _Lists:
    """Split ``;``-separated cells into tuples, each distinct cell once.

    Cells repeat a lot (the same recipients, the same ids in every case).
    """
    codes, distinct = pd.factorize(values)
    cells = np.empty(len(distinct) + 1, dtype=object)
    for position, cell in enumerate(distinct):
        cells[position] = tuple(
            p for p in (item.strip() for item in cell.split(LIST_SEPARATOR)) if p
        )
    cells[-1] = ()
    return _Lists(codes, cells)


@dataclass(frozen=True)
class _Events:
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
    case, event : numpy.ndarray
        Codes of ``case_id`` and ``event_id`` in order of first appearance;
        -1 when missing.
    n_cases : int
        How many distinct ``case_id`` values there are.
    event_ids : pandas.Index
        The distinct ``event_id`` values, in code order.
    to, signals : _Lists
        The list columns split.
    """

    kinds: KindRegistry
    checked: pd.DataFrame
    kind: np.ndarray
    style: np.ndarray
    ticks: np.ndarray
    case: np.ndarray
    event: np.ndarray
    n_cases: int
    event_ids: pd.Index
    to: _Lists
    signals: _Lists

    def keys(self, rows: np.ndarray, event: np.ndarray | None = None) -> np.ndarray:
        """The (case, event id) keys of ``rows``, with their own event ids by default."""
        event = self.event[rows] if event is None else event
        return _pair_keys(self.case[rows], event, len(self.event_ids))


def _pair_keys(case: np.ndarray, event: np.ndarray, n_event_ids: int) -> np.ndarray:
    """One int64 per pair of a case code and an event id code.

    An event id code of -1 (no such event id) gives a key no real pair has.
    """
    return case.astype(np.int64) * (n_event_ids + 1) + event


def _parse_events(frame: pd.DataFrame, kinds: KindRegistry) -> _Events:
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
    checked = [*REQUIRED_EVENT_COLUMNS, TO, CATEGORY, SEVERITY, CONFIDENCE]
    work = pd.DataFrame({c: columns[c] for c in checked if c in columns}, index=index)
    work[_NORM_KIND] = pd.Categorical.from_codes(kind, categories=codes)
    work[_STYLE] = pd.Categorical.from_codes(style, categories=TIME_STYLES)
    return _Events(
        kinds=kinds,
        checked=work,
        kind=kind,
        style=style,
        ticks=ticks,
        case=case,
        event=event,
        n_cases=len(case_ids),
        event_ids=pd.Index(event_ids),
        to=_split(pd.Series(columns[TO])),
        signals=_split(pd.Series(columns[SIGNALS])),
    )


def _kind_mask(events: _Events, codes) -> np.ndarray:
    """Rows whose kind is one of ``codes``."""
    return np.isin(events.kind, [events.kinds.codes.index(k) for k in codes])


def _first_of_each(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Number the distinct keys in order of first appearance.

    Returns
    -------
    codes : numpy.ndarray
        Per key, the code of its value.
    first : numpy.ndarray
        Per code, the position where its value first appears.
    distinct : pandas.Index
        The distinct values in code order.
    """
    codes, distinct = pd.factorize(keys)
    # codes are handed out in order of appearance: a new one exceeds all before it
    before = np.maximum.accumulate(np.r_[-1, codes[:-1]]) if len(codes) else codes
    return codes, np.flatnonzero(codes > before), pd.Index(distinct)


# --- cross-row rules ------------------------------------------------------------


def _time_styles(events: _Events, table: RawTable, ok: np.ndarray, problems: Problems) -> pd.Series:
    """One style per case; report the rows whose style is the case's minority."""
    frame = pd.DataFrame(
        {
            CASE_ID: table.frame[CASE_ID].array,
            "calendar": np.isin(events.style, [TIME_STYLES.index(s) for s in CALENDAR_STYLES]),
            "date": events.style == TIME_STYLES.index(DATE),
        }
    )[ok]
    per_case = frame.groupby(CASE_ID, sort=False).agg(
        n=("calendar", "size"), calendar=("calendar", "sum"), dates=("date", "sum")
    )
    styles = pd.Series(
        np.where(
            per_case["calendar"] == 0,
            DAYS,
            np.where(per_case["dates"] == per_case["n"], DATE, DATETIME),
        ),
        index=per_case.index,
        dtype=object,
    )
    mixed = per_case.index[(per_case["calendar"] > 0) & (per_case["calendar"] < per_case["n"])]
    for case_id in mixed:
        group = frame[frame[CASE_ID] == case_id]
        calendar = group["calendar"].to_numpy()
        majority_calendar = calendar.sum() * 2 >= len(calendar)
        first_major = int(table.rows[group.index[calendar == majority_calendar][0]])
        have, want = (
            ("a day number", "calendar dates")
            if majority_calendar
            else ("a calendar date", "day numbers")
        )
        for index in group.index[calendar != majority_calendar]:
            problems.error(
                table.file,
                int(table.rows[index]),
                TIME,
                f"case {shown(case_id)} uses {want} (see row {first_major}) but this "
                f"is {have}; use one style of time per case",
            )
    return styles


def _cross_row_rules(
    events: _Events,
    table: RawTable,
    ok: np.ndarray,
    known_actors: set | None,
    problems: Problems,
) -> None:
    file, rows, frame = table.file, table.rows, table.frame
    named = np.flatnonzero((events.case >= 0) & (events.event >= 0))
    codes, first, _ = _first_of_each(events.keys(named))
    if len(first) < len(named):
        is_first = np.zeros(len(named), dtype=bool)
        is_first[first] = True
        for position in np.flatnonzero(~is_first):
            index = named[position]
            problems.error(
                file,
                int(rows[index]),
                EVENT_ID,
                f"event_id {shown(frame[EVENT_ID].iat[index])} is used twice in case "
                f"{shown(frame[CASE_ID].iat[index])} "
                f"(first at row {int(rows[named[first[codes[position]]]])}); "
                "give every event of a case its own id",
            )

    _reference_rules(events, table, ok, problems)

    if known_actors is not None:
        known = list(known_actors)
        actor = frame[ACTOR]
        unknown = (actor.notna() & ~actor.isin(known)).to_numpy(dtype=bool)
        for index in np.flatnonzero(unknown):
            problems.error(
                file,
                int(rows[index]),
                ACTOR,
                f"actor {shown(actor.iat[index])} is not in the actors table"
                f"{did_you_mean(actor.iat[index], known)}; add it there with its silo",
            )
        strangers = [tuple(n for n in cell if n not in known_actors) for cell in events.to.cells]
        with_strangers = np.asarray(list(map(bool, strangers)), dtype=bool)[events.to.codes]
        for index in np.flatnonzero(with_strangers):
            for name in strangers[events.to.codes[index]]:
                problems.error(
                    file,
                    int(rows[index]),
                    TO,
                    f"actor {shown(name)} is not in the actors table"
                    f"{did_you_mean(name, known)}; add it there with its silo",
                )


def _reference_rules(events: _Events, table: RawTable, ok: np.ndarray, problems: Problems) -> None:
    """Each ``signals`` item names a signal of the case processed before the event."""
    file, rows = table.file, table.rows
    sizes = events.signals.sizes()
    has_items = ok & (sizes[events.signals.codes] > 0)
    codes = events.kinds.codes
    may_refer = _kind_mask(events, events.kinds.listing_signals)
    for index in np.flatnonzero(has_items & ~may_refer):
        problems.warn(
            file,
            int(rows[index]),
            SIGNALS,
            f"a {codes[events.kind[index]]} carries no signals; the 'signals' cell is kept "
            "but not used",
        )
    # every (referring row, item) pair, rows in order and items in cell order
    items = [item for cell in events.signals.cells for item in cell]
    item_event = events.event_ids.get_indexer(items) if items else np.zeros(0, dtype=np.intp)
    referring = np.flatnonzero(has_items & may_refer)
    cell_of = events.signals.codes[referring]
    counts = sizes[cell_of]
    ref = np.repeat(referring, counts)
    # the position in ``items`` of each pair: where its cell's items start, plus its place
    starts = np.cumsum(sizes) - sizes
    item = np.arange(len(ref)) + np.repeat(starts[cell_of] - (np.cumsum(counts) - counts), counts)
    # the target: the first valid row with that case and event id
    valid = np.flatnonzero(ok)
    _, first, distinct = _first_of_each(events.keys(valid))
    code = distinct.get_indexer(events.keys(ref, item_event[item]))
    found = code >= 0
    target = np.where(found, valid[first[code]], -1)
    is_signal = found & _kind_mask(events, events.kinds.observing)[target]
    later = is_signal & (
        (events.ticks[target] > events.ticks[ref])
        | ((events.ticks[target] == events.ticks[ref]) & (target > ref))
    )
    for pair in np.flatnonzero(~is_signal | later):
        index, name, at = ref[pair], items[item[pair]], target[pair]
        if is_signal[pair]:
            message = (
                f"signal {shown(name)} is observed later (row {int(rows[at])}) "
                f"than this {codes[events.kind[index]]} that refers to it; check both times"
            )
        else:
            what = (
                f"event {shown(name)} is a {codes[events.kind[at]]}, not a signal"
                if found[pair]
                else f"no event {shown(name)} in case {shown(table.frame[CASE_ID].iat[index])}"
                + did_you_mean(name, _event_ids_of(events, table, index))
            )
            message = f"{what}; list the event_ids of signal events of the same case"
        problems.error(file, int(rows[index]), SIGNALS, message)


def _event_ids_of(events: _Events, table: RawTable, index: int) -> list[str]:
    """The event ids of the case of row ``index`` (for a hint: only on the path of an error)."""
    return table.frame[EVENT_ID][events.case == events.case[index]].dropna().tolist()


def _warnings(events: _Events, table: RawTable, ok: np.ndarray, problems: Problems) -> None:
    frame, rows = table.frame, table.rows
    if REASON in frame.columns:
        reason = frame[REASON]
        listed = (reason.isna() | reason.isin(list(REASONS))).to_numpy(dtype=bool)
        for index in np.flatnonzero(ok & _kind_mask(events, [WITHHOLD]) & ~listed):
            problems.warn(
                table.file,
                int(rows[index]),
                REASON,
                f"reason {shown(reason.iat[index])} is not in the list ("
                + ", ".join(REASONS)
                + "); it is kept as written",
            )
    incidents = np.flatnonzero(ok & _kind_mask(events, events.kinds.setting_horizon))
    if not len(incidents):
        return
    horizon = np.full(events.n_cases, np.iinfo(np.int64).max)
    np.minimum.at(horizon, events.case[incidents], events.ticks[incidents])
    valid = np.flatnonzero(ok)
    late = valid[events.ticks[valid] > horizon[events.case[valid]]]
    per_case: dict[int, list[int]] = {}
    for index, case in zip(late.tolist(), events.case[late].tolist(), strict=True):
        per_case.setdefault(case, []).append(index)
    case_ids = frame[CASE_ID].take([indices[0] for indices in per_case.values()]).tolist()
    for case_id, indices in zip(case_ids, per_case.values(), strict=True):
        listed_rows = ", ".join(str(row) for row in rows[indices[:5]])
        problems.warn(
            table.file,
            int(rows[indices[0]]),
            TIME,
            f"{len(indices)} event(s) of case {shown(case_id)} come after its first incident "
            f"(rows {listed_rows}{' ...' if len(indices) > 5 else ''}); they are drawn on "
            "timelines but take no part in the figures",
        )


def _shares_beyond_knowledge(book: Casebook, file: str, problems: Problems) -> None:
    """Warn where a share lists a signal its sender did not know at that time.

    Only shares that list a signal observed by someone else than the sender
    can do that; the cases holding one are run through the engine to see what
    the sender knew just before the share (the engine then takes the sender to
    have known it, as the case format says).
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
    observed = pd.Index(_pair_keys(case[signals], event[signals], len(event_ids)))
    listing = _pair_keys(case[share_of], item_event, len(event_ids))
    signal_of = signals[observed.get_indexer(listing)]
    candidates = np.unique(share_of[actor[signal_of] != actor[share_of]])
    if not len(candidates):
        return
    silo_of = book.silo_of()
    # a case's events are contiguous: find where each candidate's case begins and ends
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


# --- actors -----------------------------------------------------------------------


def _actor_rules(actors: RawTable, problems: Problems) -> pd.DataFrame | None:
    if not _check_columns(actors, REQUIRED_ACTOR_COLUMNS, problems, "actors"):
        return None
    frame = actors.frame
    for column in REQUIRED_ACTOR_COLUMNS:
        for index in frame.index[frame[column].isna()]:
            problems.error(
                actors.file,
                int(actors.rows[index]),
                column,
                f"missing value; every actor needs a value in column '{column}'",
            )
    named = frame[frame[ACTOR].notna()]
    duplicated = named.duplicated(ACTOR, keep="first")
    for index in named.index[duplicated]:
        problems.error(
            actors.file,
            int(actors.rows[index]),
            ACTOR,
            f"actor {shown(frame.at[index, ACTOR])} appears twice; list each actor once",
        )
    out = named[~duplicated].copy()
    if LABEL not in out.columns:
        out[LABEL] = out[ACTOR]
    out[LABEL] = out[LABEL].fillna(out[ACTOR])
    out[DECIDES] = decides_column(out, actors, problems)
    return out


# --- the whole ----------------------------------------------------------------------


def validate_tables(
    events: RawTable,
    actors: RawTable | None = None,
    *,
    review: Mapping[str, RawTable] | None = None,
    kinds: KindRegistry = KINDS,
    check_names: bool = False,
) -> Casebook:
    """Check raw tables against the case format and build a Casebook.

    Parameters
    ----------
    events, actors : RawTable
        As read by :func:`casuistry.io.raw.read_tables`.
    review : mapping, keyword-only
        The reviewer's tables that are present, by name (``sources``,
        ``episodes``, ``factors``, ``findings``), checked by
        :func:`casuistry.review_validation.validate_review`.
    kinds : KindRegistry, keyword-only
        The event kinds the ``kind`` column may name, and what each needs;
        the Casebook carries it on.
    check_names : bool, keyword-only
        Also warn about likely person names in free text
        (:func:`casuistry.privacy.names.name_warnings`; needs the extra
        ``casuistry[deduce]``). Without it, names are not checked.

    Returns
    -------
    Casebook

    Raises
    ------
    InvalidCase
        With every problem of both tables (file, row, column, message).
    """
    from casuistry.privacy import scan_labels

    problems = Problems()
    review = review or {}
    # An identifier in a header or sheet name: stop before any message names the column.
    for table in (t for t in (events, actors, *review.values()) if t is not None):
        for rec in scan_labels(
            table.frame.columns, file=table.file, sheets=table.sheets
        ).itertuples():
            problems.error(rec.file, None, None, rec.message)
    problems.raise_if_any()
    for table in (events, actors):  # what reading noticed (rows shorter than the header)
        for row, message in table.notes if table is not None else ():
            problems.warn(table.file, row, None, message)
    columns_ok = _check_columns(events, REQUIRED_EVENT_COLUMNS, problems, "events")
    actor_frame = _actor_rules(actors, problems) if actors is not None else None
    if not columns_ok:
        problems.raise_if_any()

    parsed = _parse_events(events.frame, kinds)
    ok = _row_rules(parsed, events, problems)
    styles = _time_styles(parsed, events, ok, problems)
    known = set(actor_frame[ACTOR]) if actor_frame is not None else None
    _cross_row_rules(parsed, events, ok, known, problems)
    _warnings(parsed, events, ok, problems)

    for table in (t for t in (events, actors) if t is not None):  # every cell, numbers too
        problems.guard_cells(table, check_names=check_names)
    review_frames = validate_review(review, events, problems, check_names=check_names)
    problems.raise_if_any()

    book = _casebook(parsed, events, actors, actor_frame, styles, problems)
    book = replace(
        book,
        files=book.files | {name: table.file for name, table in (review or {}).items()},
        **review_frames,
    )
    _shares_beyond_knowledge(book, events.file, problems)
    return replace(book, warnings=problems.warning_table())


def _casebook(
    parsed: _Events,
    events: RawTable,
    actors: RawTable | None,
    actor_frame,
    styles,
    problems: Problems,
) -> Casebook:
    """The Casebook of valid tables: canonical values, sorted by case, time and row."""
    ticks = parsed.ticks
    clean = events.frame.copy()
    clean[KIND] = pd.Series(
        np.asarray(parsed.kinds.codes, dtype=object)[parsed.kind], index=clean.index
    )
    clean[TO] = parsed.to.per_row()
    clean[SIGNALS] = parsed.signals.per_row()
    if SEVERITY in clean.columns:
        clean[SEVERITY] = _whole_numbers(clean[SEVERITY])
    if CONFIDENCE in clean.columns:
        clean[CONFIDENCE] = clean[CONFIDENCE].str.lower()
    clean[TICKS] = ticks
    clean[ROW] = events.rows.copy()
    # cases are numbered in order of first appearance: input already in case, time
    # and row order (as most are) needs no sort
    step_case, step_time = np.diff(parsed.case), np.diff(ticks)
    if not np.all((step_case > 0) | ((step_case == 0) & (step_time >= 0))):
        clean = clean.take(np.lexsort((ticks, parsed.case)))  # lexsort is stable: rows keep order
    clean = clean.reset_index(drop=True)

    if actor_frame is None:
        used = set(pd.unique(clean[ACTOR])).union(*parsed.to.cells)
        actor_table = actors_without_table(used)
    else:
        extra = [c for c in actor_frame.columns if c not in (ACTOR, SILO, LABEL, DECIDES)]
        actor_table = actor_frame[[ACTOR, SILO, LABEL, DECIDES, *extra]].reset_index(drop=True)
    return Casebook(
        events=clean,
        actors=actor_table,
        time_styles=styles.loc[pd.unique(clean[CASE_ID])].rename("time_style"),
        warnings=problems.warning_table(),
        files={"events": events.file, "actors": actors.file if actors is not None else None},
        has_actor_table=actor_frame is not None,
        kinds=parsed.kinds,
    )


def _whole_numbers(column: pd.Series) -> pd.Series:
    """A column of whole numbers as text, as nullable Int64; each distinct value converted once."""
    codes, distinct = pd.factorize(column)
    numbers = pd.to_numeric(pd.Series(distinct)).astype("Int64").array
    return pd.Series(numbers.take(codes, allow_fill=True), index=column.index)
