"""Validation of raw case tables: every rule of CASE_FORMAT section 1, all at once.

Order matters (see NOTES_ECOSYSTEM): first the columns, then the row rules as
a pandera schema on text that has been parsed once, then the cross-row rules
on the rows that passed, then the identifier guard. Every problem found is
collected; :class:`~casuistry.errors.InvalidCase` carries them together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa

from casuistry.casebook import Casebook, actors_without_table
from casuistry.event_rows import ParsedEvents, kind_mask, parse_events, row_rules
from casuistry.hints import did_you_mean, shown, shown_each
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
)
from casuistry.validation_shares import shares_beyond_knowledge
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    CONFIDENCE,
    DECIDES,
    EVENT_ID,
    KIND,
    LABEL,
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


def _time_styles(
    events: ParsedEvents, table: RawTable, ok: np.ndarray, problems: Problems
) -> pd.Series:
    """One style per case of the valid rows; report the rows whose style is the
    case's minority.

    The valid rows are counted per case code with :func:`numpy.bincount`; only
    the minority's rows are visited one by one.
    """
    valid = np.flatnonzero(ok)
    case = events.case[valid]
    style = events.style[valid]
    calendar = np.isin(style, [TIME_STYLES.index(s) for s in CALENDAR_STYLES])

    def per_case(where: np.ndarray) -> np.ndarray:
        """How many of the valid rows ``where`` holds, per case."""
        return np.bincount(case[where], minlength=events.n_cases)

    n = np.bincount(case, minlength=events.n_cases)
    n_calendar, n_dates = per_case(calendar), per_case(style == TIME_STYLES.index(DATE))
    present = np.flatnonzero(n)
    styles = np.where(n_calendar == 0, DAYS, np.where(n_dates == n, DATE, DATETIME))
    mixed = (n_calendar > 0) & (n_calendar < n)
    if mixed.any():
        _mixed_styles(table, valid, case, calendar, n_calendar * 2 >= n, mixed, problems)
    return pd.Series(styles[present], index=events.case_ids[present].rename(CASE_ID), dtype=object)


def _mixed_styles(table, valid, case, calendar, majority, mixed, problems: Problems) -> None:
    """An error per valid row whose style is its case's minority (``majority``: per
    case whether calendar times are at least half), naming the case's first row
    in the majority's style."""
    in_mixed = mixed[case]
    rows, case, calendar = valid[in_mixed], case[in_mixed], calendar[in_mixed]
    major = calendar == majority[case]
    first_major = np.full(len(mixed), len(table.rows))
    np.minimum.at(first_major, case[major], rows[major])
    minority = np.flatnonzero(~major)
    for index, code, is_calendar in zip(
        rows[minority].tolist(), case[minority].tolist(), calendar[minority].tolist(), strict=True
    ):
        have, want = (
            ("a calendar date", "day numbers")
            if is_calendar
            else ("a day number", "calendar dates")
        )
        problems.error(
            table.file,
            int(table.rows[index]),
            TIME,
            f"case {shown(table.frame[CASE_ID].iat[index])} uses {want} (see row "
            f"{int(table.rows[first_major[code]])}) but this is {have}; use one style of "
            "time per case",
        )


def _cross_row_rules(
    events: ParsedEvents,
    table: RawTable,
    ok: np.ndarray,
    known_actors: set | None,
    problems: Problems,
) -> None:
    file, rows, frame = table.file, table.rows, table.frame
    named = np.flatnonzero((events.case >= 0) & (events.event >= 0))
    of_named = _first_of_each(events.keys(named))
    codes, first, _ = of_named
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

    valid = np.flatnonzero(ok)
    of_valid = of_named if np.array_equal(valid, named) else _first_of_each(events.keys(valid))
    _reference_rules(events, table, ok, (valid, *of_valid), problems)

    if known_actors is not None:
        known = list(known_actors)

        @cache  # a name missing from the actors table may be on many rows
        def not_known(name: str) -> str:
            return (
                f"actor {shown(name)} is not in the actors table"
                f"{did_you_mean(name, known)}; add it there with its silo"
            )

        actor = frame[ACTOR]
        unknown = (actor.notna() & ~actor.isin(known)).to_numpy(dtype=bool)
        for index in np.flatnonzero(unknown):
            problems.error(file, int(rows[index]), ACTOR, not_known(actor.iat[index]))
        # only the cells naming someone unknown are looked at one by one
        items = events.to.items
        unknown_item = ~pd.Index(items, dtype=object).isin(known) if items else np.zeros(0, bool)
        cell_of = np.repeat(np.arange(len(events.to.cells)), events.to.sizes())
        has_stranger = np.zeros(len(events.to.cells), dtype=bool)
        has_stranger[cell_of[unknown_item]] = True
        strangers = {
            code: tuple(n for n in events.to.cells[code] if n not in known_actors)
            for code in np.flatnonzero(has_stranger).tolist()
        }
        with_strangers = has_stranger[events.to.codes]
        for index in np.flatnonzero(with_strangers):
            for name in strangers[events.to.codes[index]]:
                problems.error(file, int(rows[index]), TO, not_known(name))


def _reference_rules(
    events: ParsedEvents, table: RawTable, ok: np.ndarray, targets: tuple, problems: Problems
) -> None:
    """Each ``signals`` item names a signal of the case processed before the event.

    ``targets`` holds the valid rows and :func:`_first_of_each` of their keys,
    which are the named rows' when every row is valid: one numbering for both.
    """
    file, rows = table.file, table.rows
    sizes = events.signals.sizes()
    has_items = ok & (sizes[events.signals.codes] > 0)
    codes = events.kinds.codes
    may_refer = kind_mask(events, events.kinds.listing_signals)
    for index in np.flatnonzero(has_items & ~may_refer):
        problems.warn(
            file,
            int(rows[index]),
            SIGNALS,
            f"a {codes[events.kind[index]]} carries no signals; the 'signals' cell is kept "
            "but not used",
        )
    # every (referring row, item) pair, rows in order and items in cell order
    items = events.signals.items
    item_event = events.event_ids.get_indexer(items) if items else np.zeros(0, dtype=np.intp)
    ref, item = events.signals.explode(np.flatnonzero(has_items & may_refer))
    # the target: the first valid row with that case and event id
    valid, _, first, distinct = targets
    code = distinct.get_indexer(events.keys(ref, item_event[item]))
    found = code >= 0
    target = np.where(found, valid[first[code]], -1)
    is_signal = found & kind_mask(events, events.kinds.observing)[target]
    later = is_signal & (
        (events.ticks[target] > events.ticks[ref])
        | ((events.ticks[target] == events.ticks[ref]) & (target > ref))
    )
    event_ids_of = _event_ids_of(events, table)
    for pair in np.flatnonzero(~is_signal | later):
        index, name, at = ref[pair], items[item[pair]], target[pair]
        if is_signal[pair]:
            message = (
                f"signal {shown(name)} is observed later (row {int(rows[at])}) "
                f"than this {codes[events.kind[index]]} that refers to it; check both times"
            )
        else:
            case_ids = event_ids_of(events.case[index])
            if found[pair]:
                what = f"event {shown(name)} is a {codes[events.kind[at]]}, not a signal"
            elif name in case_ids:  # its row has problems of its own, reported there
                what = f"event {shown(name)} cannot be used until the problems of its row are fixed"
            else:
                case_id = table.frame[CASE_ID].iat[index]
                what = f"no event {shown(name)} in case {shown(case_id)}" + did_you_mean(
                    name, case_ids
                )
            message = f"{what}; list the event_ids of signal events of the same case"
        problems.error(file, int(rows[index]), SIGNALS, message)


def _event_ids_of(events: ParsedEvents, table: RawTable):
    """The event ids of a case by its code, each case looked up once (for a hint: only
    on the path of an error)."""

    @cache
    def of(case: int) -> tuple[str, ...]:
        return tuple(table.frame[EVENT_ID][events.case == case].dropna().tolist())

    return of


def _warnings(events: ParsedEvents, table: RawTable, ok: np.ndarray, problems: Problems) -> None:
    frame, rows = table.frame, table.rows
    if REASON in frame.columns:
        reason = frame[REASON]
        listed = (reason.isna() | reason.isin(list(REASONS))).to_numpy(dtype=bool)
        for index in np.flatnonzero(ok & kind_mask(events, [WITHHOLD]) & ~listed):
            problems.warn(
                table.file,
                int(rows[index]),
                REASON,
                f"reason {shown(reason.iat[index])} is not in the list ("
                + ", ".join(REASONS)
                + "); it is kept as written",
            )
    incidents = np.flatnonzero(ok & kind_mask(events, events.kinds.setting_horizon))
    if not len(incidents):
        return
    horizon = np.full(events.n_cases, np.iinfo(np.int64).max)
    np.minimum.at(horizon, events.case[incidents], events.ticks[incidents])
    valid = np.flatnonzero(ok)
    late = valid[events.ticks[valid] > horizon[events.case[valid]]]
    if not len(late):
        return
    # the late rows of each case, the cases in order of their first late row
    late = late[np.argsort(events.case[late], kind="stable")]
    starts = np.flatnonzero(np.r_[True, np.diff(events.case[late]) != 0])
    counts = np.diff(np.r_[starts, len(late)])
    by_first = np.argsort(late[starts], kind="stable")
    starts, counts = starts[by_first], counts[by_first]
    cases = shown_each(frame[CASE_ID].take(late[starts]).tolist())
    for case, start, count in zip(cases, starts.tolist(), counts.tolist(), strict=True):
        listed = ", ".join(map(str, rows[late[start : start + min(count, 5)]].tolist()))
        if count == 1:
            message = (
                f"1 event of case {case} comes after its first incident (row {listed}); "
                "it is drawn on timelines but takes no part in the figures"
            )
        else:
            message = (
                f"{count} events of case {case} come after its first incident (rows "
                f"{listed}{' ...' if count > 5 else ''}); they are drawn on timelines but "
                "take no part in the figures"
            )
        problems.warn(table.file, int(rows[late[start]]), TIME, message)


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

    parsed = parse_events(events.frame, kinds)
    ok = row_rules(parsed, events, problems)
    styles = _time_styles(parsed, events, ok, problems)
    known = set(actor_frame[ACTOR]) if actor_frame is not None else None
    _cross_row_rules(parsed, events, ok, known, problems)
    _warnings(parsed, events, ok, problems)

    for table in (t for t in (events, actors) if t is not None):  # every cell, numbers too
        problems.guard_cells(table, check_names=check_names)
    review_frames = validate_review(review, events, problems, check_names=check_names)
    problems.raise_if_any()

    order = _book_order(parsed)
    book = _casebook(parsed, order, events, actors, actor_frame, styles)
    book = replace(
        book,
        files=book.files | {name: table.file for name, table in (review or {}).items()},
        **review_frames,
    )
    shares_beyond_knowledge(book, parsed, order, events.file, problems)
    return replace(book, warnings=problems.warning_table())


def _book_order(parsed: ParsedEvents) -> np.ndarray | None:
    """The rows in the Casebook's order (case, time, row); None when that is the input's.

    Cases are numbered in order of first appearance: input already in case, time
    and row order (as most are) needs no sort.
    """
    step_case, step_time = np.diff(parsed.case), np.diff(parsed.ticks)
    if np.all((step_case > 0) | ((step_case == 0) & (step_time >= 0))):
        return None
    return np.lexsort((parsed.ticks, parsed.case))  # lexsort is stable: rows keep order


def _casebook(
    parsed: ParsedEvents,
    order: np.ndarray | None,
    events: RawTable,
    actors: RawTable | None,
    actor_frame,
    styles,
) -> Casebook:
    """The Casebook of valid tables: canonical values, sorted by case, time and row;
    without warnings (the caller adds them when it has them all)."""
    ticks = parsed.ticks
    clean = events.frame.copy()
    kinds = pa.array(parsed.kinds.codes, type=pa.large_string()).take(parsed.kind)
    clean[KIND] = pd.Series(pd.array(kinds, dtype="str"), index=clean.index)  # no str per row
    clean[TO] = parsed.to.per_row()
    clean[SIGNALS] = parsed.signals.per_row()
    if SEVERITY in clean.columns:
        clean[SEVERITY] = _whole_numbers(clean[SEVERITY])
    if CONFIDENCE in clean.columns:
        clean[CONFIDENCE] = clean[CONFIDENCE].str.lower()
    clean[TICKS] = ticks
    clean[ROW] = events.rows.copy()
    if order is not None:
        clean = clean.take(order)
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
        time_styles=styles.rename("time_style"),  # in code order, as the book's cases
        files={"events": events.file, "actors": actors.file if actors is not None else None},
        has_actor_table=actor_frame is not None,
        kinds=parsed.kinds,
    )


def _whole_numbers(column: pd.Series) -> pd.Series:
    """A column of whole numbers as text, as nullable Int64; each distinct value converted once."""
    codes, distinct = pd.factorize(column)
    numbers = pd.to_numeric(pd.Series(distinct)).astype("Int64").array
    return pd.Series(numbers.take(codes, allow_fill=True), index=column.index)
