"""Validation of the reviewer's tables and columns: CASE_FORMAT section 5.1, all at once.

The tables ``sources``, ``episodes``, ``factors`` and ``findings`` and the
``decides`` column of ``actors`` are checked here, beside the events: first
the columns, then the row rules (a pandera schema over the text), then the
rules across tables (an episode's events, a factor's episode, a finding's
episodes, ``events.source``). Every problem goes into the same
:class:`~casuistry.problems.Problems` as the events', with the file, the row
as the user counts it and the column, so one run reports them all.

Errors: a missing required column or value; a duplicate key; an episode,
factor or finding whose ``case_id`` has no events, or that names an event or
episode its case does not have; an unknown ``assessment``; a ``reliability``
outside A-F; an unknown ``decides`` value. Warnings: an ``events.source``
that is not a key of a given ``sources`` table; a ``factor`` or ``type``
outside the lists.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from casuistry.casebook import REVIEW_TABLES, empty_review_table
from casuistry.hints import did_you_mean, shown
from casuistry.io.raw import RawTable
from casuistry.problems import Problems
from casuistry.vocabulary import (
    ASSESSMENT,
    ASSESSMENT_SPELLINGS,
    CASE_ID,
    DECIDES,
    DECIDES_VALUES,
    EPISODE_ID,
    EPISODES,
    EVENT_ID,
    EVENTS,
    FACTOR,
    FACTORS,
    LIST_SEPARATOR,
    RELIABILITY,
    RELIABILITY_GRADES,
    REQUIRED_REVIEW_COLUMNS,
    REVIEW_KEYS,
    REVIEW_LIST_COLUMNS,
    ROW,
    SOURCE,
    SOURCE_TYPES,
    TYPE,
)

#: What the rows of a table name, in which column: events of the case, or its episodes.
_NAMES = {
    "episodes": (EVENTS, "event"),
    "factors": (EPISODE_ID, "episode"),
    "findings": (EPISODES, "episode"),
}
_ROW_NOUN = {"sources": "source", "episodes": "episode", "factors": "factor", "findings": "finding"}


def decides_column(frame: pd.DataFrame, table: RawTable, problems: Problems) -> pd.Series:
    """The ``decides`` column of an actors table as bool; unknown values are errors.

    Examples
    --------
    >>> import numpy as np
    >>> raw = RawTable(pd.DataFrame({"decides": ["Ja", None, "nee", "misschien"]}),
    ...                np.arange(2, 6), "actors.csv")
    >>> problems = Problems()
    >>> decides_column(raw.frame, raw, problems).tolist()
    [True, False, False, False]
    >>> problems.errors[0]["row"], problems.errors[0]["column"]
    (5, 'decides')
    """
    if DECIDES not in frame.columns:
        return pd.Series(False, index=frame.index, dtype=bool)
    cells = frame[DECIDES]
    meaning = cells.str.lower().map(DECIDES_VALUES)
    _each_cell(
        problems.error,
        table,
        cells,
        np.flatnonzero((cells.notna() & meaning.isna()).to_numpy(dtype=bool)),
        lambda value: (
            f"decides {shown(value)} unknown{did_you_mean(value, DECIDES_VALUES)}; "
            "expected yes or no (also ja/nee, true/false), or leave it empty for no"
        ),
    )
    return meaning.fillna(False).astype(bool)


def _schema(name: str, columns) -> pa.DataFrameSchema:
    """The row rules of one reviewer's table: required values, and its codes."""
    schema = {c: pa.Column(nullable=False) for c in REQUIRED_REVIEW_COLUMNS[name]}
    if name == "sources" and RELIABILITY in columns:
        schema[RELIABILITY] = pa.Column(
            nullable=True,
            checks=pa.Check(lambda s: s.str.upper().isin(RELIABILITY_GRADES), name="grade"),
        )
    if name == "episodes":
        schema[ASSESSMENT] = pa.Column(
            nullable=False,
            checks=pa.Check(
                lambda s: s.str.lower().isin(list(ASSESSMENT_SPELLINGS)), name="assessment"
            ),
        )
    return pa.DataFrameSchema(schema)


def _row_message(name: str, check: str, column: str, value) -> str:
    if check == "not_nullable":
        return f"missing value; every {_ROW_NOUN[name]} needs a value in column '{column}'"
    if check == "grade":
        return (
            f"reliability {shown(value)} is outside A-F{did_you_mean(value, RELIABILITY_GRADES)}; "
            "expected A (completely reliable) to E (unreliable), or F (cannot be judged)"
        )
    return (
        f"assessment {shown(value)} unknown{did_you_mean(value, ASSESSMENT_SPELLINGS)}; "
        "expected good, problematic or mixed (goed, problematisch, gemengd)"
    )


def _row_rules(name: str, table: RawTable, problems: Problems) -> np.ndarray:
    """Apply the table's schema; a mask of rows without problems."""
    frame = table.frame
    ok = np.ones(len(frame), dtype=bool)
    try:
        _schema(name, frame.columns).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.dropna(subset=["index"])
        for rec in cases.drop_duplicates(["index", "column", "check"]).itertuples(index=False):
            index = int(rec.index)
            ok[index] = False
            problems.error(
                table.file,
                int(table.rows[index]),
                rec.column,
                _row_message(name, rec.check, rec.column, frame.at[index, rec.column]),
            )
    return ok


def _duplicates(name: str, table: RawTable, ok: np.ndarray, problems: Problems) -> np.ndarray:
    """Report a key used twice; the mask of rows that are the first with their key."""
    key = list(REVIEW_KEYS.get(name, ()))
    if not key:
        return ok
    frame = table.frame
    filled = ok & frame[key].notna().all(axis=1).to_numpy()
    first: dict[tuple, int] = {}
    for index in np.flatnonzero(filled):
        values = tuple(frame[key].iloc[index])
        if values in first:
            ok = ok.copy()
            ok[index] = False
            within = f" in case {shown(values[0])}" if len(key) == 2 else ""
            problems.error(
                table.file,
                int(table.rows[index]),
                key[-1],
                f"{key[-1]} {shown(values[-1])} is used twice{within} (first at row "
                f"{int(table.rows[first[values]])}); give every {_ROW_NOUN[name]} its own "
                f"{key[-1]}",
            )
        else:
            first[values] = index
    return ok


def _split(cell) -> tuple[str, ...]:
    if pd.isna(cell):
        return ()
    return tuple(p for p in (item.strip() for item in str(cell).split(LIST_SEPARATOR)) if p)


def validate_review(
    tables: Mapping[str, RawTable],
    events: RawTable,
    problems: Problems,
    *,
    check_names: bool = False,
) -> dict[str, pd.DataFrame]:
    """Check the reviewer's tables against the events; their clean frames, by name.

    Parameters
    ----------
    tables : mapping
        The reviewer's raw tables that are present (``sources``, ``episodes``,
        ``factors``, ``findings``), as read.
    events : RawTable
        The raw events table: which cases and event ids exist, which sources
        the events name.
    problems : Problems
        Where every problem and warning goes.
    check_names : bool, keyword-only
        Also warn about likely person names, as for the events.

    Returns
    -------
    dict
        Per reviewer's table a frame as :class:`~casuistry.casebook.Casebook`
        holds it (canonical codes, lists as tuples, ``row``); empty where the
        input has no such table. Meaningful only when no error was noted.
    """
    event_ids = _event_ids(events) if set(tables) - {"sources"} else {}
    clean: dict[str, pd.DataFrame] = {}
    usable: dict[str, np.ndarray] = {}
    for name in REVIEW_TABLES:
        table = tables.get(name)
        if table is None:
            clean[name] = empty_review_table(name)
            continue
        for row, message in table.notes:
            problems.warn(table.file, row, None, message)
        problems.guard_cells(table, check_names=check_names)
        missing = [c for c in REQUIRED_REVIEW_COLUMNS[name] if c not in table.frame.columns]
        for column in missing:
            problems.error(
                table.file,
                None,
                column,
                f"required column '{column}' is missing; the {name} table needs "
                + ", ".join(REQUIRED_REVIEW_COLUMNS[name]),
            )
        if missing:
            continue
        ok = _duplicates(name, table, _row_rules(name, table, problems), problems)
        usable[name] = ok
        clean[name] = _clean(name, table)
    _cross_table_rules(tables, clean, usable, event_ids, events, problems)
    return clean


def _event_ids(events: RawTable) -> dict[str, set]:
    """The event ids of every case named in the events table."""
    named = events.frame[[CASE_ID, EVENT_ID]].dropna()
    return {case_id: set(ids) for case_id, ids in named.groupby(CASE_ID, sort=False)[EVENT_ID]}


def _clean(name: str, table: RawTable) -> pd.DataFrame:
    """The frame a Casebook holds: the format's columns first (absent ones empty), codes
    canonical, lists as tuples, extra columns kept, and ``row``."""
    frame = table.frame.copy()
    columns = [c for c in empty_review_table(name).columns if c != ROW]
    extra = [c for c in frame.columns if c not in columns]
    frame = frame.reindex(columns=[*columns, *extra])
    for column in columns:
        if column not in table.frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    for column in REVIEW_LIST_COLUMNS.get(name, ()):
        frame[column] = pd.Series([_split(c) for c in frame[column]], index=frame.index)
    if name == "episodes":
        frame[ASSESSMENT] = frame[ASSESSMENT].str.lower().map(ASSESSMENT_SPELLINGS)
    if name == "factors":
        frame[FACTOR] = frame[FACTOR].str.lower()
    if name == "sources":
        frame[RELIABILITY] = frame[RELIABILITY].str.upper()
        frame[TYPE] = frame[TYPE].str.lower()
    frame[ROW] = table.rows.copy()
    return frame.reset_index(drop=True)


def _cross_table_rules(tables, clean, usable, event_ids, events: RawTable, problems) -> None:
    episode_ids: dict[str, set] = {}
    if "episodes" in usable:
        episodes = clean["episodes"]
        for case_id, episode_id in zip(episodes[CASE_ID], episodes[EPISODE_ID], strict=True):
            if case_id is not pd.NA and episode_id is not pd.NA:
                episode_ids.setdefault(case_id, set()).add(episode_id)
    for name in ("episodes", "factors", "findings"):
        if name not in usable:
            continue
        table, frame = tables[name], clean[name]
        for index in np.flatnonzero(usable[name]):
            row, case_id = int(table.rows[index]), frame.at[index, CASE_ID]
            if case_id not in event_ids:
                problems.error(
                    table.file,
                    row,
                    CASE_ID,
                    f"case {shown(case_id)} has no events{did_you_mean(case_id, event_ids)}; "
                    f"every {_ROW_NOUN[name]} belongs to a case of the events table",
                )
                continue
            column, what = _NAMES[name]
            named = frame.at[index, column]
            known = event_ids[case_id] if what == "event" else episode_ids.get(case_id, set())
            names = (named,) if isinstance(named, str) else named
            _names_known(table, row, column, names, known, what, case_id, problems)
        if name == "episodes":
            for index in np.flatnonzero(usable[name]):
                if not frame.at[index, EVENTS]:
                    problems.error(
                        table.file,
                        int(table.rows[index]),
                        EVENTS,
                        "names no event; list the event_ids of the episode, separated by ';'",
                    )
    _warnings(tables, clean, usable, events, problems)


def _names_known(table, row, column, names, known, what, case_id, problems) -> None:
    for name in names:
        if name not in known:
            problems.error(
                table.file,
                row,
                column,
                f"case {shown(case_id)} has no {what} {shown(name)}"
                f"{did_you_mean(name, known)}; name {what}s of the same case"
                + (" (from the episodes table)" if what == "episode" else ""),
            )


def _unlisted(table: RawTable, frame, usable, column: str, codes, problems: Problems) -> None:
    """Warn where a filled ``column`` holds a code outside ``codes``; it is kept as written."""
    unlisted = (frame[column].notna() & ~frame[column].isin(list(codes))).to_numpy(dtype=bool)
    _each_cell(
        problems.warn,
        table,
        table.frame.get(column, frame[column]),  # as written; absent: nothing is flagged
        np.flatnonzero(usable & unlisted),
        lambda value: (
            f"{column} {shown(value)} is not in the list{did_you_mean(value, codes)} "
            f"({', '.join(codes)}); it is kept as written"
        ),
    )


def _warnings(tables, clean, usable, events: RawTable, problems: Problems) -> None:
    if "factors" in usable:
        _unlisted(tables["factors"], clean["factors"], usable["factors"], FACTOR, FACTORS, problems)
    if "sources" not in usable:
        return
    frame = clean["sources"]
    _unlisted(tables["sources"], frame, usable["sources"], TYPE, SOURCE_TYPES, problems)
    if SOURCE not in events.frame.columns:
        return
    keys = set(frame[SOURCE].dropna())
    cited = events.frame[SOURCE]
    _each_cell(
        problems.warn,
        events,
        cited,
        np.flatnonzero((cited.notna() & ~cited.isin(list(keys))).to_numpy(dtype=bool)),
        lambda value: (
            f"source {shown(value)} is not in the sources table"
            f"{did_you_mean(value, keys)}; add it there, or use one of its keys"
        ),
    )


def _each_cell(report, table: RawTable, cells: pd.Series, positions, message) -> None:
    """Report ``message(value)`` for the cell at each of ``positions`` (positions in
    ``table``), on the row as the user counts it; ``report`` is ``problems.error``
    or ``problems.warn``."""
    column = cells.name
    for index in positions:
        report(table.file, int(table.rows[index]), column, message(cells.iat[index]))
