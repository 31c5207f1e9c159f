"""Validation of raw case tables: every rule of CASE_FORMAT section 1, all at once.

Order matters (see NOTES_ECOSYSTEM): first the columns, then the row rules as
a pandera schema on text that has been parsed once, then the cross-row rules
on the rows that passed, then the identifier guard. Every problem found is
collected; :class:`~casuistry.errors.InvalidCase` carries them together.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pandera.pandas as pa

from casuistry.casebook import Casebook, actors_without_table
from casuistry.errors import PROBLEM_COLUMNS, InvalidCase
from casuistry.io.raw import RawTable
from casuistry.timeaxis import CALENDAR_STYLES, DATE, DATETIME, DAYS, parse_times
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    CATEGORY,
    CONFIDENCE,
    CONFIDENCE_LEVELS,
    EVENT_ID,
    INCIDENT,
    KIND,
    KIND_ALIASES,
    KINDS,
    KINDS_NEEDING_TO,
    KINDS_WITH_SIGNALS,
    LABEL,
    LIST_COLUMNS,
    LIST_SEPARATOR,
    REASON,
    REASONS,
    REQUIRED_ACTOR_COLUMNS,
    REQUIRED_EVENT_COLUMNS,
    ROW,
    SEVERITY,
    SHARE,
    SIGNAL,
    SIGNALS,
    SILO,
    TICKS,
    TIME,
    TO,
    WITHHOLD,
    normalise_kind,
)

_KIND_HELP = (
    "expected one of " + ", ".join(KINDS) + " (or in Dutch: " + ", ".join(KIND_ALIASES) + ")"
)
_NORM_KIND = "__kind"
_STYLE = "__style"
_TICKS = "__ticks"


class _Problems:
    """Collects problems and warnings as rows of the problem table."""

    def __init__(self):
        self.errors: list[dict] = []
        self.warnings: list[dict] = []

    def error(self, file, row, column, message):
        self.errors.append({"file": file, "row": row, "column": column, "message": message})

    def warn(self, file, row, column, message):
        self.warnings.append({"file": file, "row": row, "column": column, "message": message})

    def raise_if_any(self):
        if self.errors:
            problems = pd.DataFrame(self.errors, columns=PROBLEM_COLUMNS)
            problems["row"] = problems["row"].astype("Int64")
            problems = problems.sort_values(["file", "row"], kind="stable", na_position="first")
            raise InvalidCase(problems)

    def warning_table(self) -> pd.DataFrame:
        table = pd.DataFrame(self.warnings, columns=PROBLEM_COLUMNS)
        table["row"] = table["row"].astype("Int64")
        return table.sort_values(["file", "row"], kind="stable").reset_index(drop=True)


def shown(value) -> str:
    """Quote a cell for a message, unless it looks like an identifier.

    Examples
    --------
    >>> shown("telefoon")
    "'telefoon'"
    >>> shown("bel 06-12345678")
    'a value that looks like an identifier (not shown)'
    """
    from casuistry.privacy import redact_text

    text = str(value)
    if redact_text(text) != text:
        return "a value that looks like an identifier (not shown)"
    return repr(text if len(text) <= 40 else text[:37] + "...")


# --- columns --------------------------------------------------------------------


def _check_columns(table: RawTable, required, problems: _Problems, what: str) -> bool:
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


def _row_schema(columns) -> pa.DataFrameSchema:
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
            lambda d: ~(d[_NORM_KIND].isin(KINDS_NEEDING_TO) & d[TO].isna()), name="to_required"
        ),
        pa.Check(
            lambda d: ~((d[_NORM_KIND] == SIGNAL) & d[CATEGORY].isna()), name="category_required"
        ),
    ]
    return pa.DataFrameSchema(schema_columns, checks=frame_checks)


_CHECK_COLUMN = {
    "kind_known": KIND,
    "time_parses": TIME,
    "to_required": TO,
    "category_required": CATEGORY,
}


def _row_message(check: str, column: str, value, kind) -> str:
    if check == "not_nullable":
        return f"missing value; every event needs a value in column '{column}'"
    if check == "kind_known":
        return f"unknown kind {shown(value)}; {_KIND_HELP}"
    if check == "time_parses":
        return (
            f"{shown(value)} is not a time; expected an ISO 8601 date (2024-03-01), "
            "a date-time (2024-03-01T14:30) or a whole number of days"
        )
    if check == "to_required":
        return f"a {kind} needs its recipients or parties in 'to' (separate several with ';')"
    if check == "category_required":
        return "a signal needs a category (for example verzuim, letsel, schulden)"
    if check == "severity_range":
        return (
            f"severity {shown(value)} is outside 1-5; "
            "expected a whole number from 1 (mild) to 5 (acute)"
        )
    if check == "confidence_known":
        return f"confidence {shown(value)} unknown; expected certain, likely or uncertain"
    return f"fails the check {check}"


def _row_rules(work: pd.DataFrame, table: RawTable, problems: _Problems) -> np.ndarray:
    """Apply the pandera schema; return a boolean mask of rows without problems."""
    bad = np.zeros(len(work), dtype=bool)
    try:
        _row_schema(work.columns).validate(work, lazy=True)
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
                _row_message(rec.check, column, value, work.at[index, _NORM_KIND]),
            )
    return ~bad


# --- cross-row rules ------------------------------------------------------------


def _split(values: pd.Series) -> pd.Series:
    """``;``-separated cells as tuples of stripped, non-empty items (``()`` when empty).

    Cells repeat a lot (the same recipients, the same ids in every case), so
    each distinct cell is split once.
    """
    present = values.dropna()
    parsed = {
        cell: tuple(p for p in (item.strip() for item in cell.split(LIST_SEPARATOR)) if p)
        for cell in pd.unique(present)
    }
    mapped = values.astype(object).map(parsed).tolist()  # a string map would make lists
    return pd.Series(
        [cell if isinstance(cell, tuple) else () for cell in mapped],
        index=values.index,
        dtype=object,
    )


def _time_styles(
    work: pd.DataFrame, table: RawTable, ok: np.ndarray, problems: _Problems
) -> pd.Series:
    """One style per case; report the rows whose style is the case's minority."""
    frame = pd.DataFrame(
        {
            CASE_ID: work[CASE_ID],
            "calendar": work[_STYLE].isin(CALENDAR_STYLES),
            "date": work[_STYLE] == DATE,
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
    work: pd.DataFrame,
    table: RawTable,
    ok: np.ndarray,
    known_actors: set | None,
    problems: _Problems,
) -> None:
    file, rows = table.file, table.rows
    named = work[work[CASE_ID].notna() & work[EVENT_ID].notna()]
    duplicated = named.duplicated([CASE_ID, EVENT_ID], keep="first")
    if duplicated.any():
        first = named.drop_duplicates([CASE_ID, EVENT_ID]).set_index([CASE_ID, EVENT_ID])
        for index in named.index[duplicated]:
            key = (named.at[index, CASE_ID], named.at[index, EVENT_ID])
            problems.error(
                file,
                int(rows[index]),
                EVENT_ID,
                f"event_id {shown(key[1])} is used twice in case {shown(key[0])} "
                f"(first at row {int(rows[first.loc[key, '__pos']])}); "
                "give every event of a case its own id",
            )

    _reference_rules(work[ok], table, problems)

    if known_actors is not None:
        known = list(known_actors)
        unknown = work[ACTOR].notna() & ~work[ACTOR].isin(known)
        for index in work.index[unknown]:
            problems.error(
                file,
                int(rows[index]),
                ACTOR,
                f"actor {shown(work.at[index, ACTOR])} is not in the actors table; "
                "add it there with its silo",
            )
        recipients = work["__to"].explode().dropna()
        for index, name in recipients[~recipients.isin(known)].items():
            problems.error(
                file,
                int(rows[index]),
                TO,
                f"actor {shown(name)} is not in the actors table; add it there with its silo",
            )


def _reference_rules(valid: pd.DataFrame, table: RawTable, problems: _Problems) -> None:
    """Each ``signals`` item names a signal of the case processed before the event."""
    file, rows = table.file, table.rows
    has_items = valid["__signals"].map(len) > 0
    unused = valid[has_items & ~valid[_NORM_KIND].isin(KINDS_WITH_SIGNALS)]
    for index, kind in zip(unused.index, unused[_NORM_KIND], strict=True):
        problems.warn(
            file,
            int(rows[index]),
            SIGNALS,
            f"a {kind} carries no signals; the 'signals' cell is kept but not used",
        )
    refs = valid.loc[
        has_items & valid[_NORM_KIND].isin(KINDS_WITH_SIGNALS),
        [CASE_ID, _NORM_KIND, _TICKS, "__pos", "__signals"],
    ]
    refs = refs.explode("__signals").rename(columns={"__signals": EVENT_ID})
    refs["__ref"] = refs.index
    targets = valid.drop_duplicates([CASE_ID, EVENT_ID])[
        [CASE_ID, EVENT_ID, _NORM_KIND, _TICKS, "__pos"]
    ]
    joined = refs.merge(targets, on=[CASE_ID, EVENT_ID], how="left", suffixes=("", "_target"))
    target_kind = joined[_NORM_KIND + "_target"]
    later = (target_kind == SIGNAL) & (
        (joined[_TICKS + "_target"] > joined[_TICKS])
        | (
            (joined[_TICKS + "_target"] == joined[_TICKS])
            & (joined["__pos_target"] > joined["__pos"])
        )
    )
    bad = joined[(target_kind != SIGNAL) | target_kind.isna() | later]
    for ref, case_id, item, kind, target, target_pos in zip(
        bad["__ref"],
        bad[CASE_ID],
        bad[EVENT_ID],
        bad[_NORM_KIND],
        bad[_NORM_KIND + "_target"],
        bad["__pos_target"],
        strict=True,
    ):
        if target == SIGNAL:
            message = (
                f"signal {shown(item)} is observed later (row {int(rows[int(target_pos)])}) "
                f"than this {kind} that refers to it; check both times"
            )
        else:
            what = (
                f"event {shown(item)} is a {target}, not a signal"
                if isinstance(target, str)
                else f"no event {shown(item)} in case {shown(case_id)}"
            )
            message = f"{what}; list the event_ids of signal events of the same case"
        problems.error(file, int(rows[int(ref)]), SIGNALS, message)


def _warnings(work: pd.DataFrame, table: RawTable, ok: np.ndarray, problems: _Problems) -> None:
    valid = work[ok]
    if REASON in valid.columns:
        odd = valid[
            (valid[_NORM_KIND] == WITHHOLD)
            & valid[REASON].notna()
            & ~valid[REASON].isin(list(REASONS))
        ]
        for index, reason in zip(odd.index, odd[REASON], strict=True):
            problems.warn(
                table.file,
                int(table.rows[index]),
                REASON,
                f"reason {shown(reason)} is not in the list ("
                + ", ".join(REASONS)
                + "); it is kept as written",
            )
    incidents = valid[valid[_NORM_KIND] == INCIDENT].groupby(CASE_ID, sort=False)[_TICKS].min()
    if len(incidents):
        horizon = valid[CASE_ID].map(incidents)
        late = valid[horizon.notna() & (valid[_TICKS] > horizon)]
        per_case = late.groupby(CASE_ID, sort=False)
        counts = per_case.size()
        shown_rows = (
            late.assign(__row=table.rows[late.index].astype(str))
            .groupby(CASE_ID, sort=False)["__row"]
            .agg(lambda r: ", ".join(r.iloc[:5]) + (" ..." if len(r) > 5 else ""))
        )
        first = per_case.head(1)
        for index, case_id in zip(first.index, first[CASE_ID], strict=True):
            problems.warn(
                table.file,
                int(table.rows[index]),
                TIME,
                f"{counts[case_id]} event(s) of case {shown(case_id)} come after its first "
                f"incident (rows {shown_rows[case_id]}); they are drawn on timelines but "
                "take no part in the figures",
            )


def _shares_beyond_knowledge(book: Casebook, file: str, problems: _Problems) -> None:
    """Warn where a share lists a signal its sender did not know at that time.

    Only shares that list a signal observed by someone else than the sender
    can do that; the cases holding one are run through the engine to see what
    the sender knew just before the share (the engine then takes the sender to
    have known it, as the case format says).
    """
    from casuistry.engine import propagate

    ev = book.events
    kinds = ev[KIND].to_numpy(dtype=object)
    case_of = ev[CASE_ID].to_numpy(dtype=object)
    columns = {c: ev[c].tolist() for c in (TICKS, KIND, ACTOR, TO, SIGNALS, EVENT_ID)}
    actor, listed, event_id = columns[ACTOR], columns[SIGNALS], columns[EVENT_ID]
    observer = {(case_of[p], event_id[p]): actor[p] for p in np.flatnonzero(kinds == SIGNAL)}
    candidates = [
        p
        for p in np.flatnonzero(kinds == SHARE).tolist()
        if any(observer[case_of[p], s] != actor[p] for s in listed[p])
    ]
    if not candidates:
        return
    silo_of = book.silo_of()
    # a case's events are contiguous: find where each candidate's case begins and ends
    bounds = np.flatnonzero(np.r_[True, case_of[1:] != case_of[:-1], True])
    owner = np.searchsorted(bounds, candidates, side="right") - 1
    by_case: dict[int, list[int]] = {}
    for position, case in zip(candidates, owner.tolist(), strict=True):
        by_case.setdefault(case, []).append(position)
    for case, positions in by_case.items():
        lo, hi = int(bounds[case]), int(bounds[case + 1])
        run = propagate(*(columns[c][lo:hi] for c in columns), silo_of)
        learned = {
            (run.actors[a], event_id[lo + run.signal_positions[s]]): at
            for a, s, at in run.knowledge
        }
        for position in positions:
            j = position - lo
            if j >= run.n_in:
                continue
            unknown = [s for s in listed[position] if learned.get((actor[position], s), j) >= j]
            if unknown:
                problems.warn(
                    file,
                    int(ev[ROW].iat[position]),
                    SIGNALS,
                    f"the sender did not know {', '.join(map(shown, unknown))} at this time; "
                    "it is taken to have known it from this share on",
                )


# --- actors -----------------------------------------------------------------------


def _actor_rules(actors: RawTable, problems: _Problems) -> pd.DataFrame | None:
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
    return out


# --- the whole ----------------------------------------------------------------------


def validate_tables(events: RawTable, actors: RawTable | None = None) -> Casebook:
    """Check raw tables against the case format and build a Casebook.

    Parameters
    ----------
    events, actors : RawTable
        As read by :func:`casuistry.io.raw.read_tables`.

    Returns
    -------
    Casebook

    Raises
    ------
    InvalidCase
        With every problem of both tables (file, row, column, message).
    """
    from casuistry.privacy import scan_identifiers

    problems = _Problems()
    columns_ok = _check_columns(events, REQUIRED_EVENT_COLUMNS, problems, "events")
    actor_frame = _actor_rules(actors, problems) if actors is not None else None
    if not columns_ok:
        problems.raise_if_any()

    work = events.frame.copy()
    for column in (TO, SIGNALS, CATEGORY):
        if column not in work.columns:
            work[column] = pd.Series(pd.NA, index=work.index, dtype="string")
    spellings = {value: normalise_kind(value) for value in pd.unique(work[KIND].dropna())}
    work[_NORM_KIND] = work[KIND].astype(object).map(spellings)
    parsed = parse_times(work[TIME])
    work[_STYLE] = parsed["style"]
    work[_TICKS] = parsed["ticks"]
    work["__pos"] = np.arange(len(work))
    work["__to"] = _split(work[TO])
    work["__signals"] = _split(work[SIGNALS])

    ok = _row_rules(work, events, problems)
    styles = _time_styles(work, events, ok, problems)
    known = set(actor_frame[ACTOR]) if actor_frame is not None else None
    _cross_row_rules(work, events, ok, known, problems)
    _warnings(work, events, ok, problems)

    text_columns = [c for c in events.frame.columns if c not in (TIME, SEVERITY)]
    for table, columns in ((events, text_columns), (actors, None)):
        if table is not None:
            found = scan_identifiers(table.frame, columns=columns, file=table.file, rows=table.rows)
            for rec in found.itertuples(index=False):
                problems.error(rec.file, rec.row, rec.column, rec.message)
    problems.raise_if_any()

    book = _casebook(work, events, actors, actor_frame, styles, problems)
    _shares_beyond_knowledge(book, events.file, problems)
    return replace(book, warnings=problems.warning_table())


def _casebook(
    work, events: RawTable, actors: RawTable | None, actor_frame, styles, problems: _Problems
) -> Casebook:
    codes, _ = pd.factorize(work[CASE_ID])
    ticks = work[_TICKS].to_numpy(dtype=np.int64)
    order = np.lexsort((work["__pos"].to_numpy(), ticks, codes))
    clean = events.frame.copy()
    clean[KIND] = work[_NORM_KIND]
    clean[TO] = work["__to"]
    clean[SIGNALS] = work["__signals"]
    for column in LIST_COLUMNS:
        clean[column] = clean[column].astype(object)
    if SEVERITY in clean.columns:
        clean[SEVERITY] = pd.to_numeric(clean[SEVERITY]).astype("Int64")
    if CONFIDENCE in clean.columns:
        clean[CONFIDENCE] = clean[CONFIDENCE].str.lower()
    clean[TICKS] = ticks
    clean[ROW] = events.rows
    clean = clean.iloc[order].reset_index(drop=True)

    used = set(clean[ACTOR]).union(*clean[TO]) if len(clean) else set()
    if actor_frame is None:
        actor_table = actors_without_table(used)
    else:
        actor_table = actor_frame[[ACTOR, SILO, LABEL]].reset_index(drop=True)
    return Casebook(
        events=clean,
        actors=actor_table,
        time_styles=styles.loc[pd.unique(clean[CASE_ID])].rename("time_style"),
        warnings=problems.warning_table(),
        files={"events": events.file, "actors": actors.file if actors is not None else None},
        has_actor_table=actor_frame is not None,
    )
