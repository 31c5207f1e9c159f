"""Validation of the reviewer's tables and columns: CASE_FORMAT section 5.1, all at once.

The tables ``sources``, ``episodes``, ``factors`` and ``findings`` and the
``decides`` column of ``actors`` are checked here, beside the events: first
the columns, then the row rules (:class:`~casuistry.event_rows.RowRules`), then the
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
from functools import cache
from itertools import chain, compress

import numpy as np
import pandas as pd

from casuistry.casebook import REVIEW_TABLES, empty_review_table
from casuistry.event_rows import RowRules, split_lists
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


def _rules(name: str) -> RowRules:
    """The row rules of one reviewer's table: required values, and its codes."""
    checks = {
        "sources": {RELIABILITY: ("grade", lambda s: s.str.upper().isin(RELIABILITY_GRADES))},
        "episodes": {
            ASSESSMENT: ("assessment", lambda s: s.str.lower().isin(list(ASSESSMENT_SPELLINGS)))
        },
    }
    return RowRules(REQUIRED_REVIEW_COLUMNS[name], checks.get(name, {}))


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
    """Apply the table's row rules; a mask of rows without problems."""
    frame = table.frame
    ok = np.ones(len(frame), dtype=bool)
    failures = _rules(name).failures(frame)
    if failures is not None:
        cases = failures.dropna(subset=["index"])
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
    filled = np.flatnonzero(ok & frame[key].notna().all(axis=1).to_numpy())
    values = [frame[column].take(filled).tolist() for column in key]
    codes = np.zeros(len(filled), dtype=np.int64)
    for column in values:  # one code per distinct key
        numbers, distinct = pd.factorize(np.asarray(column, dtype=object))
        codes = codes * (len(distinct) + 1) + numbers
    group, _ = pd.factorize(codes)
    _, first = np.unique(group, return_index=True)
    twice = np.flatnonzero(first[group] != np.arange(len(filled)))
    if not len(twice):
        return ok
    ok = ok.copy()
    for at in twice.tolist():
        index = filled[at]
        ok[index] = False
        within = f" in case {shown(values[0][at])}" if len(key) == 2 else ""
        problems.error(
            table.file,
            int(table.rows[index]),
            key[-1],
            f"{key[-1]} {shown(values[-1][at])} is used twice{within} (first at row "
            f"{int(table.rows[filled[first[group[at]]]])}); give every {_ROW_NOUN[name]} its own "
            f"{key[-1]}",
        )
    return ok


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
    event_ids = _Names(events.frame, EVENT_ID) if set(tables) - {"sources"} else None
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


class _Names:
    """The ids of a table's rows per case (events' ``event_id``, episodes'
    ``episode_id``), looked up in bulk; rows missing either are left out."""

    def __init__(self, frame: pd.DataFrame, column: str):
        named = frame[[CASE_ID, column]].dropna()
        self._named, self._column = named, column
        cases, self.cases = pd.factorize(named[CASE_ID])
        ids, self._ids = pd.factorize(named[column])
        self.cases = pd.Index(self.cases, dtype=object)
        self._ids = pd.Index(self._ids, dtype=object)
        self._pairs = pd.Index(cases.astype(np.int64) * (len(self._ids) + 1) + ids)

    def has_case(self, case_ids) -> np.ndarray:
        """Whether each of ``case_ids`` has rows."""
        return self.cases.get_indexer(pd.Index(case_ids, dtype=object)) >= 0

    def known(self, case_ids, names) -> np.ndarray:
        """Whether each case (of a case that has rows) has a row of that id."""
        cases = self.cases.get_indexer(pd.Index(case_ids, dtype=object)).astype(np.int64)
        ids = self._ids.get_indexer(pd.Index(names, dtype=object))
        asked = pd.Index(cases * (len(self._ids) + 1) + ids)
        # the rows' pairs looked up among those asked: hashing the few asked is cheaper
        return asked.isin(self._pairs[self._pairs.isin(asked)]) & (ids >= 0)

    def of(self, case_id) -> set:
        """The ids of one case (for a hint: only on the path of an error)."""
        return set(self._named[self._column][self._named[CASE_ID] == case_id])


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
        lists = split_lists(frame[column])
        frame[column] = pd.Series(lists.cells[lists.codes], index=frame.index, dtype=object)
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
    episode_ids = _Names(clean["episodes"], EPISODE_ID) if "episodes" in usable else None
    # the closest case with events, once per case id: its search reads every case
    closest_case = cache(lambda case_id: did_you_mean(case_id, event_ids.cases))
    for name in ("episodes", "factors", "findings"):
        if name not in usable:
            continue
        table, frame = tables[name], clean[name]
        column, what = _NAMES[name]
        case_ids = frame[CASE_ID].to_numpy(dtype=object)
        rows = np.flatnonzero(usable[name])
        has_case = event_ids.has_case(case_ids[rows])
        is_list = column in REVIEW_LIST_COLUMNS.get(name, ())
        owner, named = _named(frame[column], rows[has_case], is_list=is_list)
        lookup = event_ids if what == "event" else episode_ids
        found = (
            lookup.known(case_ids[owner], named)
            if lookup is not None
            else np.zeros(len(owner), dtype=bool)
        )
        unknown: dict[int, list] = {}
        for index, item in zip(owner[~found].tolist(), compress(named, ~found), strict=True):
            unknown.setdefault(index, []).append(item)
        named_unknown = np.fromiter(unknown, dtype=np.intp, count=len(unknown))
        for index in np.union1d(rows[~has_case], named_unknown).tolist():  # in row order
            row, case_id = int(table.rows[index]), case_ids[index]
            if index not in unknown:  # its case has no events: its names were not looked up
                problems.error(
                    table.file,
                    row,
                    CASE_ID,
                    f"case {shown(case_id)} has no events"
                    f"{closest_case(case_id)}; "
                    f"every {_ROW_NOUN[name]} belongs to a case of the events table",
                )
                continue
            known = lookup.of(case_id) if lookup is not None else set()
            _names_known(table, row, column, unknown[index], known, what, case_id, problems)
        if name == "episodes":
            sizes = np.fromiter(map(len, frame[EVENTS].to_numpy()), dtype=np.intp, count=len(frame))
            for index in np.flatnonzero(usable[name] & (sizes == 0)).tolist():
                problems.error(
                    table.file,
                    int(table.rows[index]),
                    EVENTS,
                    "names no event; list the event_ids of the episode, separated by ';'",
                )
    _warnings(tables, clean, usable, events, problems)


def _named(cells: pd.Series, rows: np.ndarray, *, is_list: bool) -> tuple[np.ndarray, list]:
    """Every (row, name) pair of ``rows``, rows in order and names in cell order: a
    cell names one thing, or (``is_list``) a tuple of them."""
    values = cells.to_numpy(dtype=object)[rows]
    if not is_list:
        return rows, values.tolist()
    sizes = np.fromiter(map(len, values), dtype=np.intp, count=len(values))
    return np.repeat(rows, sizes), list(chain.from_iterable(values))


def _names_known(table, row, column, names, known, what, case_id, problems) -> None:
    for name in names:
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
    or ``problems.warn``. Each value's message is made once: a value may repeat on
    many rows, and its hint searches every known name."""
    column = cells.name
    message = cache(message)
    for index in positions:
        report(table.file, int(table.rows[index]), column, message(cells.iat[index]))
