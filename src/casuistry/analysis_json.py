"""The JSON document of an Analysis (docs/case_format.md sections 3 and 5.5), as text.

The document of a national corpus holds tens of millions of values, so it is
written column by column, never cell by cell: each column's distinct values
are found once (:func:`pandas.factorize`) and each is written once as
:func:`json.dumps` writes it (times in their case's style as
:func:`casuistry.timeaxis.format_times` writes them, calendar times with
numpy), with its key and the punctuation before it. Numbers and times are
written once for the whole document: the same durations and times recur in
its columns, and ``float.__repr__`` is the largest cost. Neighbouring columns
whose pairs of values repeat are joined into one, so a table row becomes a few
codes into a pool of distinct texts. A range of cases at a time, one gather
puts each case's pieces, each list key followed by that case's rows, in
document order, and they are joined: the range's arrays stay small (fresh
memory costs a page fault per 4 KB on a virtual machine). The text is byte
for byte what ``json.dumps(document, indent=indent, ensure_ascii=False,
allow_nan=False)`` writes (``tests/test_analysis_json.py`` compares it with a
document built one cell at a time).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import NamedTuple

import numpy as np
import pandas as pd

from casuistry.heap import collector_paused
from casuistry.missing import is_missing
from casuistry.ranges import offsets, spelled_out
from casuistry.robustness import VARIANTS
from casuistry.timeaxis import DATE, DAYS, EPOCH, format_time, format_times, shown_length
from casuistry.vocabulary import CASE_ID, SECONDS_PER_DAY

_ACCOUNTABILITY = ("shares", "shares_with_basis", "withholds", "withholds_with_reason")
# (key, column, kind) per table row: kind "time" is written in the case's style,
# "list" turns a tuple into a list, "num"/"bool"/"int"/"text" cast to plain
# Python, "robust" is the verdict per variant of the columns robust_VARIANT.
_SIGNAL_JSON = (
    ("signal_id", "signal_id", "text"),
    ("actor", "actor", "text"),
    ("silo", "silo", "text"),
    ("category", "category", "text"),
    ("observed_at", "observed_at", "time"),
    ("converged_at", "converged_at", "time"),
    ("censored", "censored", "bool"),
    ("dwell_days", "dwell_days", "num"),
    ("relational_days", "relational_days", "num"),
    ("decision_days", "decision_days", "num"),
    ("acted_at", "acted_at", "time"),
    ("acting_days", "acting_days", "num"),
    ("acting_censored", "acting_censored", "bool"),
    ("reached_decision_at", "reached_decision_at", "time"),
    ("reach_days", "reach_days", "num"),
    ("reach_censored", "reach_censored", "bool"),
    ("robust", "robust_", "robust"),
)
_OPPORTUNITY_JSON = (
    ("event_id", "event_id", "text"),
    ("kind", "kind", "text"),
    ("time", "time", "time"),
    ("actor", "actor", "text"),
    ("to", "to", "list"),
    ("gain_signal_days", "gain_signal_days", "num"),
    ("max_gain_days", "max_gain_days", "num"),
    ("signals_advanced", "signals_advanced", "int"),
    ("reach_gain_signal_days", "reach_gain_signal_days", "num"),
    ("robust", "robust_", "robust"),
)
_PAIR_JSON = (
    ("silo_a", "silo_a", "text"),
    ("silo_b", "silo_b", "text"),
    ("converged_at", "converged_at", "time"),
    ("censored", "censored", "bool"),
    ("delay_days", "delay_days", "num"),
    ("robust", "robust_", "robust"),
)
_EPISODE_JSON = (
    ("episode_id", "episode_id", "text"),
    ("assessment", "assessment", "text"),
    ("start", "start", "time"),
    ("end", "end", "time"),
    ("known_signals", "known_signals", "list"),
    ("signals_elsewhere", "signals_elsewhere", "list"),
    ("missed", "missed", "list"),
    ("gain_signal_days", "gain_signal_days", "num"),
)
# The reach figures of a case (section 5.5), written after its accountability.
_CASE_REACH_JSON = (
    ("signals_reached", "signals_reached", "int"),
    ("full_picture_at", "full_picture_at", "time"),
    ("full_picture_days", "full_picture_days", "num"),
    ("full_picture_censored", "full_picture_censored", "bool"),
)
# The cases table's own numbers and times (the rest: _case_columns).
_CASE_OWN_JSON = (
    ("horizon", "horizon", "time"),
    ("first_convergence_at", "first_convergence_at", "time"),
    ("knowing_acting_days", "knowing_acting_days", "num"),
    *_CASE_REACH_JSON,
)
# Calendar times written with numpy: the years 1 to 9999 (four digits).
_FIRST_TICK = int(np.datetime64("0001-01-01T00:00:00", "s").astype(np.int64))
_LAST_TICK = int(np.datetime64("9999-12-31T23:59:59", "s").astype(np.int64))
# Nesting levels: the document 0, "cases" 1, a case 2, its tables 3, their rows 4.
_CASE_LEVEL, _ROW_LEVEL = 2, 4
# Pieces of text joined at once (a range of cases): about two megabytes of text.
_CHUNK = 1 << 15


class _Layout:
    """Where ``json.dumps`` with ``indent`` puts line breaks and separators."""

    def __init__(self, indent: int | str | None):
        self.indent = indent
        self.unit = None if indent is None else indent if isinstance(indent, str) else " " * indent
        self.item = ", " if indent is None else ","

    def newline(self, level: int) -> str:
        return "" if self.unit is None else "\n" + self.unit * level

    def listed(self, items, level: int) -> str:
        """A list of text or numbers as JSON text at ``level``, as :meth:`dumps` writes it."""
        if not items:
            return "[]"
        inner = self.newline(level + 1)
        written = (self.item + inner).join(map(_scalar_text, items))
        return "[" + inner + written + self.newline(level) + "]"

    def dumps(self, value, level: int) -> str:
        """``value`` as JSON text when it sits at ``level`` of the document."""
        text = json.dumps(value, indent=self.indent, ensure_ascii=False, allow_nan=False)
        return text if self.unit is None else text.replace("\n", self.newline(level))


class _Column(NamedTuple):
    """A column written as JSON: per row a code into the distinct texts."""

    codes: np.ndarray
    texts: np.ndarray

    def masked(self, keep: np.ndarray) -> _Column:
        """The column with null where not ``keep``."""
        texts = np.append(self.texts, "null").astype(object)
        return _Column(np.where(keep, self.codes, len(self.texts)), texts)


def _written(values: pd.Series, write) -> _Column:
    """Each distinct value written once by ``write``; missing values (isna) as null."""
    codes, distinct = pd.factorize(values.array)  # an array: tuples stay tuples
    texts = np.array(["null", *map(write, distinct.tolist())], dtype=object)
    return _Column(codes + 1, texts)


def _written_numbers(columns: list[pd.Series]) -> list[_Column]:
    """Float columns as JSON numbers (null where missing), exact to the bit."""
    codes, distinct = [], []
    for column in columns:
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(values)
        # Distinct bit patterns, not values: 0.0 and -0.0 are written differently.
        found, bits = pd.factorize(np.where(missing, 0, values.view(np.int64)))
        found[missing] = len(bits)
        codes.append(found)
        distinct.append(bits)
    texts = _written_once(distinct, _number_texts)
    return [_Column(c, np.append(t, "null")) for c, t in zip(codes, texts, strict=True)]


def _number_texts(bits: np.ndarray) -> np.ndarray:
    """Numbers (their float64 bits) as JSON text; an error for one JSON cannot hold."""
    numbers = bits.view(np.float64)
    if not np.isfinite(numbers).all():  # as json.dumps(allow_nan=False) refuses them
        wrong = numbers[~np.isfinite(numbers)][0]
        raise ValueError(f"Out of range float values are not JSON compliant: {float(wrong)!r}")
    return np.array(list(map(float.__repr__, numbers.tolist())), dtype=object)


def _written_once(distinct: list[np.ndarray], write) -> list[np.ndarray]:
    """Per array of ``distinct`` values its texts, each value of them all
    written once by ``write`` (values to an object array of texts).

    The same durations and times recur in a document's columns: on 10^6
    synthetic events 690,000 distinct numbers per column, 227,000 in all.
    A column's distinct values stay in the order of its rows
    (:func:`pandas.factorize`): its texts, made again with their keys
    (:func:`_framed`), lie in memory in the order the document reads them
    (in the order of all columns' values, joining took 0.1-0.2 s longer).
    """
    codes, union = pd.factorize(np.concatenate(distinct))
    lengths = np.array([len(values) for values in distinct], dtype=np.int64)
    return np.split(write(union)[codes], offsets(lengths)[1:-1])


def _scalar_text(value) -> str:
    """Text or a number as JSON; ids (text) on the fast path."""
    if type(value) is str:
        return encode_basestring(value)
    return json.dumps(value, allow_nan=False)


def _time_text(time: str | int | float) -> str:
    """A time as :func:`format_times` writes it, as JSON: ISO text needs no escapes."""
    return '"' + time + '"' if type(time) is str else repr(time)


def _time_texts(ticks: np.ndarray, styles: np.ndarray) -> np.ndarray:
    """Times (int64 seconds, each in its style) as :func:`format_times` writes
    them, as JSON; calendar times of the years 1 to 9999 by :func:`_calendar_texts`.

    Examples
    --------
    >>> _time_texts(np.array([0, 90_000, 43_200]), np.array(["date", "date", "days"], object))
    array(['"1970-01-01"', '"1970-01-02T01:00"', '0.5'], dtype=object)
    """
    out = np.empty(len(ticks), dtype=object)
    fast = (styles != DAYS) & (ticks >= _FIRST_TICK) & (ticks <= _LAST_TICK)
    out[fast] = _calendar_texts(ticks[fast], styles[fast] == DATE)
    rest = ~fast
    written = format_times(ticks[rest], styles[rest], np.zeros(rest.sum(), dtype=bool))
    out[rest] = list(map(_time_text, written))
    return out


def _calendar_texts(ticks: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """Calendar times of the years 1 to 9999 as JSON text, as :func:`format_times`
    writes them (as long as :func:`~casuistry.timeaxis.shown_length` says, a
    date where ``dates``), with numpy: quotes and end put in the characters of
    :func:`numpy.datetime_as_string` (a str ends before its first NUL)."""
    iso = np.datetime_as_string(ticks.astype("datetime64[s]"), unit="s").astype("<U19")
    chars = np.zeros((len(ticks), 21), dtype=np.uint32)
    chars[:, 1:20] = iso.view(np.uint32).reshape(len(ticks), 19)
    chars[:, [0, 20]] = ord('"')
    shown = shown_length(ticks, dates)
    for length in (10, 16):
        cut = shown == length
        chars[cut, length + 1] = ord('"')
        chars[cut, length + 2 :] = 0
    return chars.view("<U21").ravel().astype(object)


def _row_ticks(column: pd.Series, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int64 seconds per row (Timestamps in calendar rows, days in ``days`` rows) and missing."""
    values = column.to_numpy()
    ticks = np.zeros(len(values), dtype=np.int64)
    missing = np.ones(len(values), dtype=bool)
    if (~days).any():
        stamps = pd.to_datetime(pd.Series(values[~days])).to_numpy(dtype="datetime64[s]")
        missing[~days] = np.isnat(stamps)
        ticks[~days] = np.where(missing[~days], 0, stamps.view(np.int64))
    if days.any():
        numbers = pd.to_numeric(pd.Series(values[days])).to_numpy(dtype=float, na_value=np.nan)
        missing[days] = np.isnan(numbers)
        ticks[days] = np.round(np.where(missing[days], 0.0, numbers) * SECONDS_PER_DAY)
    return ticks, missing


def _written_times(columns: list[pd.Series], styles: list[np.ndarray], names) -> list[_Column]:
    """Time columns as :func:`table_time` writes each value (null where missing).

    ``styles`` holds per column the code of each row's style, ``names`` the
    style of each code.
    """
    codes, distinct = [], []
    for column, style in zip(columns, styles, strict=True):
        ticks, missing = _row_ticks(column, (names == DAYS)[style])
        found, keys = pd.factorize((ticks * len(names) + style)[~missing])
        written = np.zeros(len(ticks), dtype=np.int64)  # code 0: null
        written[~missing] = found + 1
        codes.append(written)
        distinct.append(keys)

    def write(keys):
        ticks, style = np.divmod(keys, len(names))
        return _time_texts(ticks, names[style])

    texts = _written_once(distinct, write)
    return [_Column(c, np.append("null", t)) for c, t in zip(codes, texts, strict=True)]


def _written_dicts(frame: pd.DataFrame, columns: dict[str, str], cast, layout, level) -> _Column:
    """Per row the object ``{key: cast(frame[column])}`` (None where missing) at ``level``."""
    parts = [pd.factorize(frame[column].array) for column in columns.values()]
    shape = [len(distinct) + 1 for _, distinct in parts]
    combined = np.ravel_multi_index([codes + 1 for codes, _ in parts], shape)
    codes, distinct = pd.factorize(combined)

    def write(flat):
        picks = np.unravel_index(flat, shape)
        values = [None if k == 0 else d[k - 1] for (_, d), k in zip(parts, picks, strict=True)]
        obj = {key: None if v is None else cast(v) for key, v in zip(columns, values, strict=True)}
        return layout.dumps(obj, level)

    return _Column(codes, np.array([write(flat) for flat in distinct.tolist()], dtype=object))


def _written_column(frame, column, how, layout, level, shared) -> _Column:
    """One column of ``frame`` as JSON; ``how`` as in the specs above, numbers
    and times taken from ``shared`` (:func:`_shared_columns`)."""
    if how in ("num", "time"):
        return shared[column]
    if how == "robust":
        columns = {variant: column + variant for variant in VARIANTS}
        return _written_dicts(frame, columns, lambda v: v, layout, level)
    values = frame[column]
    if how == "list":
        return _written(values, lambda value: layout.listed(value, level))
    if how == "text":
        return _written(values, lambda value: encode_basestring(str(value)))
    if how == "int":
        return _written(values, lambda value: str(int(value)))
    return _written(values, lambda value: "true" if bool(value) else "false")


def _shared_columns(frames: dict, specs: dict, names: np.ndarray) -> dict[str, dict]:
    """The number and time columns of every table, written together: each
    distinct number, and each distinct time in its style, once in the document.

    ``frames`` holds per table (frame, per row the code of its case's time
    style), ``specs`` its spec, ``names`` the style of each code; returns
    per table its columns by name.
    """
    out = {key: {} for key in frames}
    wanted = {how: [] for how in ("num", "time")}
    for key, spec in specs.items():
        for _, column, how in spec:
            if how in wanted:
                wanted[how].append((key, column))
    numbers = _written_numbers([frames[key][0][column] for key, column in wanted["num"]])
    times = _written_times(
        [frames[key][0][column] for key, column in wanted["time"]],
        [frames[key][1] for key, _ in wanted["time"]],
        names,
    )
    for (key, column), written in zip(wanted["num"] + wanted["time"], numbers + times, strict=True):
        out[key][column] = written
    return out


def _framed(columns, keys, layout, level, first, last, *, close_apart=False) -> list[_Column]:
    """Columns of objects at ``level`` in a list, keys and punctuation written in.

    Each row reads: (``[`` on ``first`` rows, else the separator) ``{`` key
    value, separator key value, ..., ``}`` (and ``]`` on ``last`` rows).
    The separator and key between two columns are written onto the texts of
    the one with fewer (the others' texts are used as they are: fewer new
    strings); with ``close_apart`` always onto the one after (a case's rows
    follow some columns), and the ``}`` is a column of its own, after the others.
    """
    heads = [encode_basestring(key) + ": " for key in keys]
    inner = layout.item + layout.newline(level + 1)
    before, after = [""] * len(columns), [""] * len(columns)
    for k in range(1, len(columns)):
        onto_next = close_apart or len(columns[k].texts) <= len(columns[k - 1].texts)
        (before if onto_next else after)[k if onto_next else k - 1] = inner + heads[k]
    out = [
        _Column(c.codes, _wrapped(b, c.texts, a))
        for c, b, a in zip(columns, before, after, strict=True)
    ]
    opened = layout.newline(level) + "{" + layout.newline(level + 1) + heads[0]
    codes, texts = columns[0]
    out[0] = _Column(
        codes + first * len(texts),
        np.concatenate([_wrapped(start + opened, texts, after[0]) for start in (layout.item, "[")]),
    )
    closed = layout.newline(level) + "}"
    ended = closed + layout.newline(level - 1) + "]"
    if close_apart:
        return [*out, _Column(last.astype(np.int64), np.array([closed, ended], dtype=object))]
    alone = len(columns) == 1  # the first column is the last too: opened already
    codes, texts = out[0] if alone else columns[-1]
    wrapped = [_wrapped("" if alone else before[-1], texts, end) for end in (closed, ended)]
    out[-1] = _Column(codes + last * len(texts), np.concatenate(wrapped))
    return out


def _wrapped(before: str, texts: np.ndarray, after: str) -> np.ndarray:
    """``texts`` (object) with ``before`` and ``after`` written on: new strings
    only where there is something to write."""
    if before:
        texts = before + texts
    return texts + after if after else texts


def _merged(columns: list[_Column], ends: set[int]) -> tuple[list[_Column], list[int]]:
    """Neighbouring columns written as one while that repeats (fewer pieces to join).

    Two columns become one when they have at most four times as many
    possible pairs as rows, and their distinct pairs number at most a
    quarter of the rows; a column in ``ends`` is always the last of its
    group. Returns the groups, and the group of each column.
    """
    rows = len(columns[0].codes)
    groups, group_of = [columns[0]], [0]
    for k, column in enumerate(columns[1:], start=1):
        last = groups[-1]
        size = len(last.texts) * len(column.texts)
        if k - 1 not in ends and size <= 4 * rows:
            codes, distinct = _compact(last.codes * len(column.texts) + column.codes, size)
            if len(distinct) <= rows // 4:
                left, right = np.divmod(distinct, len(column.texts))
                groups[-1] = _Column(codes, last.texts[left] + column.texts[right])
                group_of.append(len(groups) - 1)
                continue
        groups.append(column)
        group_of.append(len(groups) - 1)
    return groups, group_of


def _compact(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes into the distinct ``values`` (each in ``range(size)``), and those values."""
    used = np.zeros(size, dtype=bool)
    used[values] = True
    positions = np.cumsum(used, dtype=np.int32 if size < 2**31 else np.int64)
    return positions[values].astype(np.int64) - 1, np.flatnonzero(used)


class _Pool:
    """All distinct texts of the document; a table's rows as ids into it."""

    def __init__(self):
        self.texts: list[np.ndarray] = []
        self.size = 0

    def ids(self, groups: list[_Column]) -> np.ndarray:
        """Per row and group, the id of its text in the pool."""
        out = np.empty((len(groups[0].codes), len(groups)), dtype=np.int64)
        for g, (codes, texts) in enumerate(groups):
            out[:, g] = codes + self.size
            self.texts.append(texts)
            self.size += len(texts)
        return out


def _edges(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each row is the first, and the last, of its case (rows in case order)."""
    change = np.ones(len(codes) + 1, dtype=bool)
    change[1:-1] = codes[1:] != codes[:-1]
    return change[:-1], change[1:]


def _in_case_order(frame, spec, cases: pd.Index, keep=None) -> tuple:
    """A table's rows in case order (frame order within a case): the frame,
    per row its case's number in ``cases``, and per case where its rows start
    (and the end last).

    Rows of cases not in ``cases``, and rows not in ``keep`` (a mask) are
    left out.
    """
    found, ids = pd.factorize(frame[CASE_ID].array)  # looks up each distinct id once
    codes = np.append(cases.get_indexer(ids), -1)[found]  # -1: missing or unknown
    if keep is not None:
        codes[~keep] = -1
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]
    if len(order) != len(frame) or (order != np.arange(len(order))).any():
        used = [c + v for _, c, how in spec for v in (VARIANTS if how == "robust" else [""])]
        frame, codes = frame[used].iloc[order], codes[order]
    return frame, codes, np.searchsorted(codes, np.arange(len(cases) + 1))


def _table_ids(frame, codes, spec, shared, layout, pool) -> np.ndarray:
    """A table's rows (in case order, ``codes`` their cases) as pool ids, a row per row."""
    if not len(frame):
        return np.empty((0, 0), dtype=np.int64)
    level = _ROW_LEVEL + 1
    columns = [_written_column(frame, col, how, layout, level, shared) for _, col, how in spec]
    first, last = _edges(codes)
    columns = _framed(columns, [key for key, _, _ in spec], layout, _ROW_LEVEL, first, last)
    return pool.ids(_merged(columns, set())[0])


def _style_codes(cases: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per case a code of its time style, and the style of each code."""
    codes, names = pd.factorize(cases["time_style"].to_numpy(dtype=object))
    return codes, np.asarray(names, dtype=object)


def _case_columns(table: pd.DataFrame, shared: dict, layout) -> dict[str, _Column]:
    """The cases table's own figures as JSON, by key (section 3, 5.5)."""
    level = _CASE_LEVEL + 1
    out = {"case_id": _written_column(table, CASE_ID, "text", layout, level, shared)}
    for key in ("horizon", "first_convergence_at"):
        out[key] = shared[key]
    converged = shared["first_convergence_at"].codes != 0  # code 0: null
    out["knowing_acting_days"] = shared["knowing_acting_days"].masked(converged)
    censored = _written_column(table, "knowing_acting_censored", "bool", layout, level, shared)
    out["knowing_acting_censored"] = censored.masked(converged)
    counts = {key: key for key in _ACCOUNTABILITY}
    out["accountability"] = _written_dicts(table, counts, int, layout, level)
    for key, column, how in _CASE_REACH_JSON:
        out[key] = _written_column(table, column, how, layout, level, shared)
    out["knowing_acting_robust"] = _written_column(
        table, "knowing_acting_robust_", "robust", layout, level, shared
    )
    return out


def json_chunks(analysis, *, indent: int | str | None = None) -> Iterator[str]:
    """The JSON document of ``analysis`` as consecutive pieces of text.

    Every value is written before the first piece is given, so an error
    (a value JSON cannot hold) comes before any output.

    Examples
    --------
    >>> import casuistry
    >>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> "".join(json_chunks(result, indent=2)) == result.to_json(indent=2)
    True
    """
    layout = _Layout(indent)
    table = analysis.cases
    if not len(table):
        yield "{" + layout.newline(1) + '"cases": []' + layout.newline(0) + "}"
        return
    cases = pd.Index(table[CASE_ID])
    case_styles = _style_codes(table)
    missed = analysis.opportunities["missed"].to_numpy(dtype=bool)
    tables = {
        "signals": (analysis.signals, _SIGNAL_JSON, None),
        "opportunities": (analysis.opportunities, _OPPORTUNITY_JSON, missed),
        "silo_pairs": (analysis.silo_pairs, _PAIR_JSON, None),
        "episodes": (analysis.episodes, _EPISODE_JSON, None),
    }
    ordered = {
        key: _in_case_order(frame, spec, cases, keep) for key, (frame, spec, keep) in tables.items()
    }
    frames = {key: (frame, case_styles[0][codes]) for key, (frame, codes, _) in ordered.items()}
    specs = {key: spec for key, (_, spec, _) in tables.items()}
    shared = _shared_columns(
        {**frames, "cases": (table, case_styles[0])},
        {**specs, "cases": _CASE_OWN_JSON},
        case_styles[1],
    )
    pool = _Pool()
    rows = {
        key: (_table_ids(frame, codes, specs[key], shared[key], layout, pool), bounds)
        for key, (frame, codes, bounds) in ordered.items()
    }
    columns = _case_columns(table, shared["cases"], layout)
    for key, (_, bounds) in rows.items():
        # A case's rows follow this column's text: "[]" when it has none.
        columns[key] = _Column((np.diff(bounds) > 0).astype(np.int64), np.array(["[]", ""], object))
    keys = [
        "case_id",
        "horizon",
        "first_convergence_at",
        "knowing_acting_days",
        "knowing_acting_censored",
        "signals",
        "opportunities",
        "silo_pairs",
        "accountability",
        *(key for key, _, _ in _CASE_REACH_JSON),
        "knowing_acting_robust",
        "episodes",
    ]
    first, last = _edges(np.zeros(len(table), dtype=np.int64))  # one list of cases
    framed = _framed(
        [columns[key] for key in keys], keys, layout, _CASE_LEVEL, first, last, close_apart=True
    )
    groups, group_of = _merged(framed, {keys.index(key) for key in rows})
    case_ids = pool.ids(groups)
    blocks = [(group_of[keys.index(key)], *rows[key]) for key in rows]
    texts = np.concatenate(pool.texts)
    yield "{" + layout.newline(1) + '"cases": '
    for start, stop in _case_ranges(_pieces_per_case(case_ids, blocks), _CHUNK):
        ids = _document_ids(*_cases_sliced(case_ids, blocks, start, stop))
        yield "".join(texts[ids].tolist())
    yield layout.newline(0) + "}"


def _pieces_per_case(case_ids: np.ndarray, blocks: list) -> np.ndarray:
    """How many pieces of text each case is, its rows' included."""
    counts = np.full(len(case_ids), case_ids.shape[1], dtype=np.int64)
    for _, rows, bounds in blocks:
        counts += np.diff(bounds) * rows.shape[1]
    return counts


def _case_ranges(counts: np.ndarray, pieces: int) -> Iterator[tuple[int, int]]:
    """Consecutive ranges of cases (start, stop) of at most ``pieces`` pieces
    (``counts`` per case) each, or of one case that is larger.

    Examples
    --------
    >>> list(_case_ranges(np.array([3, 4, 9, 1, 1]), 8))
    [(0, 2), (2, 3), (3, 5)]
    """
    ends = offsets(counts)
    start = 0
    while start < len(counts):
        stop = int(np.searchsorted(ends, ends[start] + pieces, side="right")) - 1
        stop = max(stop, start + 1)
        yield start, stop
        start = stop


def _cases_sliced(case_ids: np.ndarray, blocks: list, start: int, stop: int) -> tuple:
    """The pieces of cases ``start`` to ``stop`` only, as :func:`_document_ids` takes them."""
    sliced = [
        (group, rows[bounds[start] : bounds[stop]], bounds[start : stop + 1] - bounds[start])
        for group, rows, bounds in blocks
    ]
    return case_ids[start:stop], sliced


def _document_ids(case_ids: np.ndarray, blocks: list) -> np.ndarray:
    """The pool ids of cases' part of the document, in order.

    Case ``c`` is its pieces up to and including the one at a block's
    group, then that block's rows of case ``c``, and so on; ``blocks`` holds
    (group, row ids, case bounds) in group order.
    """
    n, width = case_ids.shape
    sources, starts, lengths = [case_ids.ravel()], [], []
    offset, done = case_ids.size, 0
    for group, rows, bounds in blocks:
        starts += [np.arange(n) * width + done, offset + bounds[:-1] * rows.shape[1]]
        lengths += [np.full(n, group + 1 - done), np.diff(bounds) * rows.shape[1]]
        sources.append(rows.ravel())
        offset, done = offset + rows.size, group + 1
    starts.append(np.arange(n) * width + done)
    lengths.append(np.full(n, width - done))
    start, length = np.stack(starts, axis=1).ravel(), np.stack(lengths, axis=1).ravel()
    return np.concatenate(sources)[spelled_out(start, length)[1]]


def json_text(analysis, *, indent: int | str | None = None) -> str:
    """The JSON document of docs/case_format.md section 3 of an Analysis."""
    return "".join(json_chunks(analysis, indent=indent))


def write_json(analysis, stream, *, indent: int | str | None = None) -> None:
    """Write the JSON document of ``analysis`` to the text ``stream``, a chunk at a time."""
    for chunk in json_chunks(analysis, indent=indent):
        stream.write(chunk)


def analysis_to_dict(analysis) -> dict:
    """The document of docs/case_format.md section 3 of an Analysis, as plain Python objects.

    Made without the cyclic collector (:func:`casuistry.heap.collector_paused`):
    the millions of dicts of a large corpus hold no cycles, and its scans took
    more than half of the time (10^6 synthetic events: 7-9 s, 3.2-3.7 s without).
    """
    text = json_text(analysis)
    with collector_paused():
        return json.loads(text)


def table_time(value, style: str) -> str | int | float | None:
    """A time value of an analysis table written in its case's style.

    Calendar times become ISO text, day-number times a number of days (an
    int when whole); missing times (NaT, NaN, None) become None.

    Examples
    --------
    >>> table_time(pd.Timestamp("2024-03-01"), "date")
    '2024-03-01'
    >>> table_time(3.0, "days")
    3
    >>> table_time(float("nan"), "days") is None
    True
    """
    if is_missing(value):
        return None
    if style == DAYS:
        return format_time(round(float(value) * SECONDS_PER_DAY), style)
    return format_time((pd.Timestamp(value) - EPOCH) // pd.Timedelta(seconds=1), style)
