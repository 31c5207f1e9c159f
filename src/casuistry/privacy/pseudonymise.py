"""Anonymising case tables: keyed pseudonyms, redaction and a secret time shift.

:func:`anonymise` turns a raw table into an acceptable one: keyed pseudonyms
for ids, redaction of identifiers in text (:mod:`casuistry.privacy.detect`),
optionally of person names (:mod:`casuistry.privacy.names`), and an optional
secret shift of the times of each case. :func:`check_key` says whether a key
is good enough, and how to make one that is.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

import numpy as np
import pandas as pd

from casuistry.errors import AnonymiseError
from casuistry.privacy.scan import redact_column, row_numbers, scannable
from casuistry.timeaxis import DATE, DAYS, TIME_STYLES, format_time, parse_time_codes
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    EVENT_ID,
    LABEL,
    LIST_SEPARATOR,
    SECONDS_PER_DAY,
    SIGNALS,
    SILO,
    SUBJECT,
    TIME,
    TO,
)

__all__ = ["MAX_SHIFT_DAYS", "MIN_KEY_LENGTH", "ROLE_WORDS", "anonymise", "check_key"]

#: The shortest key :func:`anonymise` accepts, in characters.
MIN_KEY_LENGTH = 16
#: The largest ``shift_days`` :func:`anonymise` accepts: about a century.
MAX_SHIFT_DAYS = 36_525
#: How to make a good key, for messages.
MAKE_A_KEY = (
    'make one with `python -c "import secrets; print(secrets.token_urlsafe(32))" > KEY` '
    "and keep that file to pseudonymise later deliveries the same way"
)
_FIRST_DATE, _LAST_DATE = "1000-01-01", "9999-12-31"
_DATE_BOUNDS = parse_time_codes(pd.Series([_FIRST_DATE, _LAST_DATE]))[0]
_DAY_BOUND = np.iinfo(np.int64).max // SECONDS_PER_DAY  # day numbers as int64 seconds
_DATE_WIDTH = len("YYYY-MM-DD")

#: Roles that :func:`anonymise` keeps in ``subject`` (any case, optionally
#: followed by a number, as in ``kind-1``); every other subject is pseudonymised.
# fmt: off
ROLE_WORDS: frozenset[str] = frozenset({
    "moeder", "vader", "ouder", "ouders", "kind", "kinderen", "zoon", "dochter", "broer",
    "broertje", "zus", "zusje", "baby", "oma", "opa", "grootouder", "grootmoeder",
    "grootvader", "tante", "oom", "neef", "nicht", "partner", "ex-partner", "stiefvader",
    "stiefmoeder", "stiefouder", "pleegouder", "pleegmoeder", "pleegvader", "pleegkind",
    "verzorger", "voogd", "gezin", "huishouden", "huisgenoot", "buurman", "buurvrouw", "buren",
    "jongere", "volwassene", "client", "cliënt", "bewoner", "huurder", "schipper",
    "bemanningslid", "mother", "father", "parent", "parents", "child", "children", "son",
    "daughter", "brother", "sister", "grandmother", "grandfather", "grandparent", "aunt",
    "uncle", "cousin", "stepfather", "stepmother", "stepparent", "foster-parent",
    "foster-child", "carer", "guardian", "family", "household", "housemate", "neighbour",
    "neighbor", "young-person", "adult", "tenant", "resident", "skipper", "crew",
})
# fmt: on
_ROLE = re.compile(
    r"(?i:(?:" + "|".join(sorted(map(re.escape, ROLE_WORDS), key=len, reverse=True)) + r")"
    r"(?:[-_ ]?\d{1,3})?)"
)
_SHORT_HEX = 8


def anonymise(
    events: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    key: str | bytes,
    shift_days: int | None = None,
    id_columns: Sequence[str] = (CASE_ID, EVENT_ID, SUBJECT),
    text_columns: Sequence[str] | None = None,
    actor_columns: Sequence[str] = (ACTOR, TO),
    pseudonymise_actors: bool = False,
    redact_names: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Turn raw case tables into tables without direct identifiers.

    Works on the tables as read from the user's files (cells are text;
    ``to`` and ``signals`` hold ``;``-separated items). Nothing of the input
    is changed; new tables are returned.

    What it does:

    - **Pseudonyms for ids**, keyed with HMAC-SHA256 of the secret key: the
      same key and value always give the same pseudonym, and without the key
      nobody can go back. ``case_id`` becomes ``c-`` and eight hex digits;
      ``event_id`` becomes ``e-...``, derived from the case and the id, and
      every ``signals`` item maps like the event it names; ``subject`` keeps
      a role from :data:`ROLE_WORDS` (``moeder``, ``kind-1``) and anything
      else becomes ``p-...`` (per case, so a person cannot be followed
      across cases); another column in ``id_columns`` gets its first letter
      as prefix. In the rare case that two values of one scope (the corpus
      for case ids, a case for the rest) share eight hex digits, those
      values get sixteen.
    - **Actors**, with ``pseudonymise_actors=True``: every name in
      ``actor_columns`` (``;``-separated items) and in the actors table
      becomes ``a-...``, the same everywhere; the actors' ``label`` becomes
      that pseudonym too, because a display name names the actor. ``silo``
      is kept: the analysis needs it.
    - **Redaction** (:func:`redact_text`) of every text column: by default
      the columns :func:`scan_identifiers` scans, except the id, actor,
      ``time`` and ``signals`` columns; in the actors table every such column
      except ``actor`` and ``silo``.
    - **Time shift**, with ``shift_days``: every time of a case moves by one
      secret whole number of days between ``-shift_days`` and
      ``shift_days``, never zero, derived from the key and the case id. Each
      value keeps its style: a date stays a date, a date-time keeps its
      clock time and any UTC offset, a day number stays a day number. Dates
      written in free text are not shifted.

    Parameters
    ----------
    events : pandas.DataFrame
        The raw events table.
    actors : pandas.DataFrame, optional
        The raw actors table.
    key : str or bytes
        The secret. Keep it to pseudonymise later deliveries the same way;
        it never appears in the output or in an error message.
    shift_days : int, optional
        Largest shift in days; no shift when None.
    id_columns : sequence of str
        Columns of ids to pseudonymise; missing ones are skipped.
    text_columns : sequence of str, optional
        Event columns to redact, instead of the default.
    actor_columns : sequence of str
        Event columns that hold actor names.
    pseudonymise_actors : bool
        Whether to replace actor names by pseudonyms.
    redact_names : bool
        Whether to replace likely person names in the redacted text columns
        by ``[NAAM]`` too (:func:`~casuistry.privacy.names.redact_names`;
        needs the extra ``casuistry[deduce]``). Without it, names in free
        text are left as they are.

    Returns
    -------
    events : pandas.DataFrame
        The anonymised events, same rows and columns.
    actors : pandas.DataFrame or None
        The anonymised actors table, or None when none was given.

    Raises
    ------
    AnonymiseError
        When the key is empty or shorter than :data:`MIN_KEY_LENGTH`,
        ``shift_days`` is not a whole number from 1 to :data:`MAX_SHIFT_DAYS`, a
        shifted time would leave the dates casuistry reads, or a time cannot
        be shifted (the rows are named).
    MissingExtra
        With ``redact_names=True`` when the extra ``casuistry[deduce]`` is
        not installed.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({
    ...     "case_id": ["gezin-Jansen", "gezin-Jansen"], "event_id": ["s1", "d1"],
    ...     "time": ["2024-03-01", "2024-03-05T10:00"], "kind": ["signal", "share"],
    ...     "actor": ["school", "school"], "to": ["", "huisarts"], "signals": ["", "s1"],
    ...     "subject": ["kind-1", "Piet"],
    ...     "description": ["Moeder belde van 06-12345678", "doorgestuurd"]})
    >>> out, _ = anonymise(raw, key="een-geheime-sleutel-42!", shift_days=30)
    >>> out["case_id"].nunique(), out["case_id"].iloc[0].startswith("c-")
    (1, True)
    >>> out["signals"].iloc[1] == out["event_id"].iloc[0]
    True
    >>> out["subject"].iloc[0], out["subject"].iloc[1].startswith("p-")
    ('kind-1', True)
    >>> out["description"].iloc[0]
    'Moeder belde van [TELEFOON]'
    >>> out["time"].str.len().tolist()
    [10, 16]
    """
    secret = check_key(key)
    if shift_days is not None:
        shift_days = check_shift_days(shift_days)
    out = events.copy()
    no_scope = pd.Series("", index=events.index, dtype=object)
    case = _as_strings(events[CASE_ID]) if CASE_ID in events.columns else no_scope
    if shift_days is not None:
        if CASE_ID not in events.columns or TIME not in events.columns:
            raise AnonymiseError(
                f"shifting times needs the columns {CASE_ID!r} and {TIME!r} in the events"
            )
        out[TIME] = _shift_times(events[TIME], case, secret, int(shift_days))

    prefixes = {CASE_ID: "c", EVENT_ID: "e", SUBJECT: "p"}
    for name in (n for n in id_columns if n in events.columns):
        scope = no_scope if name == CASE_ID else case
        prefix = prefixes.get(name) or (re.sub(r"[^a-z]", "", str(name).lower()) or "x")[0]
        columns = {name: (events[name], scope, False)}
        if name == EVENT_ID and SIGNALS in events.columns:  # items map like the events they name
            columns[SIGNALS] = (events[SIGNALS], scope, True)
        mapped = _pseudonymise(columns, secret, prefix, name)
        if name == SUBJECT:  # roles stay readable
            subject = events[name]
            roles = {v: bool(_ROLE.fullmatch(str(v).strip())) for v in subject.dropna().unique()}
            keep = subject.map(roles).fillna(True).to_numpy(dtype=bool)
            mapped[name] = subject.where(keep, mapped[name])
        for column, values in mapped.items():
            out[column] = values

    actors_out = None if actors is None else actors.copy()
    if pseudonymise_actors:
        columns = {
            ("events", name): (events[name], no_scope, True)
            for name in actor_columns
            if name in events.columns
        }
        if actors is not None and ACTOR in actors.columns:
            corpus = pd.Series("", index=actors.index, dtype=object)
            columns[("actors", ACTOR)] = (actors[ACTOR], corpus, True)
        for (table, name), values in _pseudonymise(columns, secret, "a", ACTOR).items():
            if table == "events":
                out[name] = values
            else:
                actors_out[name] = values
                if LABEL in actors_out.columns:  # a display name names the actor
                    actors_out[LABEL] = values

    skip = {*id_columns, *actor_columns, TIME, SIGNALS}
    if text_columns is None:
        text_columns = [n for n in events.columns if n not in skip and scannable(events[n])]
    redact = redact_column
    if redact_names:
        from casuistry.privacy.names import redact_names as redact_names_in

        def redact(column: pd.Series) -> pd.Series:
            return redact_names_in(redact_column(column))

    for name in text_columns:
        if name in events.columns:
            out[name] = redact(out[name])
    if actors_out is not None:
        for name in actors_out.columns:
            if name not in {ACTOR, SILO} and scannable(actors_out[name]):
                actors_out[name] = redact(actors_out[name])
    return out, actors_out


def check_key(key: object) -> bytes:
    """The key as bytes, when it is good enough to pseudonymise with.

    Parameters
    ----------
    key : str or bytes
        The secret; at least :data:`MIN_KEY_LENGTH` characters (bytes)
        besides surrounding white space.

    Returns
    -------
    bytes
        The key as given, UTF-8 encoded.

    Raises
    ------
    AnonymiseError
        When the key is missing, not text, or too short. The message says how
        to make a good key and never contains the key.

    Examples
    --------
    >>> check_key("een-geheime-sleutel-42!")[:3]
    b'een'
    >>> check_key("kort")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casuistry.errors.AnonymiseError: the key is too short: it needs at least 16 characters; ...
    """
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes) or not key.strip():
        raise AnonymiseError(f"the key is empty or not text: give a secret string; {MAKE_A_KEY}")
    if len(key.strip().decode("utf-8", "replace")) < MIN_KEY_LENGTH:
        raise AnonymiseError(
            f"the key is too short: it needs at least {MIN_KEY_LENGTH} characters; {MAKE_A_KEY}"
        )
    return key


def check_shift_days(shift_days: object) -> int:
    """``shift_days`` as an int, when it lies from 1 to :data:`MAX_SHIFT_DAYS`.

    Examples
    --------
    >>> check_shift_days(30)
    30
    >>> check_shift_days(999999999)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casuistry.errors.AnonymiseError: shift_days (--shift-days) must be ... from 1 to 36525 ...
    """
    if (
        isinstance(shift_days, bool)
        or not isinstance(shift_days, int | np.integer)
        or not 1 <= shift_days <= MAX_SHIFT_DAYS
    ):
        raise AnonymiseError(
            f"shift_days (--shift-days) must be a whole number of days from 1 to {MAX_SHIFT_DAYS} "
            f"(about a century), not {shift_days!r}"
        )
    return int(shift_days)


def _as_strings(column: pd.Series) -> pd.Series:
    """Cells as Python strings (object dtype); missing cells as ''."""
    return column.astype("string").fillna("").astype(object)


_UNIT = "\x1f"  # joins a scope and a value into one key


def _pseudonymise(
    columns: dict[Hashable, tuple[pd.Series, pd.Series, bool]],
    secret: bytes,
    prefix: str,
    purpose: str,
) -> dict[Hashable, pd.Series]:
    """Replace values by keyed pseudonyms, unique within each scope.

    ``columns`` maps a name to ``(values, scope, is_list)``: the cells, the
    scope of each cell (the case, or ``''`` for the corpus), and whether a
    cell holds ``;``-separated items. All columns share one table, so an item
    maps like the same value elsewhere in its scope (a ``signals`` item like
    the ``event_id`` it names). Missing cells stay missing.
    """
    keys = {
        name: (scope + _UNIT + _as_strings(values)).where(values.notna())
        for name, (values, scope, _) in columns.items()
    }
    items = {
        cell: [cell_scope + _UNIT + item for item in _split(rest)]
        for name, (_, _, is_list) in columns.items()
        if is_list
        for cell in keys[name].dropna().unique()
        for cell_scope, rest in [cell.split(_UNIT, 1)]
    }
    singles = [
        k
        for name, (_, _, is_list) in columns.items()
        if not is_list
        for k in keys[name].dropna().unique()
    ]
    table = _pseudonym_table(
        [*singles, *(k for ks in items.values() for k in ks)], secret, prefix, purpose
    )
    cells = {cell: LIST_SEPARATOR.join(table[k] for k in ks) for cell, ks in items.items()}
    return {
        name: keys[name].map(cells if is_list else table).where(values.notna(), values)
        for name, (values, _, is_list) in columns.items()
    }


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


def _digest(secret: bytes, *parts: str) -> str:
    """HMAC-SHA256 of the parts under the secret, as hex."""
    return hmac.digest(secret, _UNIT.join(parts).encode("utf-8"), "sha256").hex()


def _pseudonym_table(keys: Iterable[str], secret: bytes, prefix: str, purpose: str) -> dict:
    """Map each ``scope<US>value`` key to ``prefix-`` and eight hex digits of its HMAC.

    Keys of one scope that would share a pseudonym get twice as many digits
    (repeated until they differ), so pseudonyms stay unique within a scope.
    """
    digests = {k: _digest(secret, purpose, k) for k in dict.fromkeys(keys)}
    table = {k: f"{prefix}-{d[:_SHORT_HEX]}" for k, d in digests.items()}
    width = _SHORT_HEX
    while True:
        counts = Counter(table.values())
        owners: dict[tuple[str, str], list[str]] = {}
        for k, name in table.items():
            if counts[name] > 1:  # rare: look at the scope only then
                owners.setdefault((k.split(_UNIT, 1)[0], name), []).append(k)
        clashes = [k for group in owners.values() if len(group) > 1 for k in group]
        if not clashes:
            return table
        width *= 2
        table.update({k: f"{prefix}-{digests[k][:width]}" for k in clashes})


def _offset_days(secret: bytes, case_id: str, shift_days: int) -> int:
    """A secret whole number of days in [-shift_days, shift_days], never zero."""
    draw = int(_digest(secret, "time-shift", case_id)[:16], 16) % (2 * shift_days)
    return draw - shift_days if draw < shift_days else draw - shift_days + 1


def _shift_times(times: pd.Series, case: pd.Series, secret: bytes, shift_days: int) -> pd.Series:
    offsets = {c: _offset_days(secret, c, shift_days) for c in pd.unique(case)}
    days = case.map(offsets).astype("int64")
    if pd.api.types.is_datetime64_any_dtype(times.dtype):
        try:
            return times + pd.to_timedelta(days, unit="D")
        except (OverflowError, pd.errors.OutOfBoundsDatetime) as err:
            raise AnonymiseError(
                f"shifting the times by up to {shift_days} days leaves the dates their column "
                f"can hold; choose a smaller shift"
            ) from err
    if pd.api.types.is_numeric_dtype(times.dtype) and not pd.api.types.is_bool_dtype(times.dtype):
        shifted = times + days
        _refuse_rows(times.index, (shifted.abs() > _DAY_BOUND).to_numpy(), shift_days)
        return shifted
    # Shift each distinct (time, offset) once; a missing time (code -1) stays missing.
    time_codes, time_values = pd.factorize(times)
    offset_codes, offset_values = pd.factorize(days)
    n_offsets = len(offset_values)
    pair_codes, pairs = pd.factorize(time_codes * n_offsets + offset_codes)
    present = pairs >= 0
    values = np.asarray(time_values, dtype=object)[np.where(present, pairs // n_offsets, 0)]
    pair_days = np.asarray(offset_values, dtype="int64")[pairs % n_offsets]
    results, leaves = _shift_values(values, pair_days)
    results[~present] = None
    shifted = results[pair_codes]
    kept = time_codes >= 0
    left = kept & leaves[pair_codes] & present[pair_codes]
    _refuse_rows(times.index, left, shift_days)
    failed = kept & pd.isna(shifted)
    out = pd.Series(np.where(kept, shifted, times.to_numpy(dtype=object)), index=times.index)
    if failed.any():
        raise AnonymiseError(
            f"cannot shift the time in {_rows_named(times.index, failed)} of the events: "
            "expected an ISO 8601 date or date-time, or a whole number of days"
        )
    return out.astype(times.dtype) if isinstance(times.dtype, pd.StringDtype) else out


def _shift_values(values: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shift each time by whole days in its own style.

    Text is read as :mod:`casuistry.timeaxis` reads it: a day number stays a
    day number; a date-time keeps everything after its date (clock time, UTC
    offset) as written. Returns the shifted values (None where a value is no
    time) and where the shift would leave the dates casuistry reads.
    """
    out = np.full(len(values), None, dtype=object)
    leaves = np.zeros(len(values), dtype=bool)
    is_text = np.fromiter((isinstance(v, str) for v in values), bool, len(values))
    for at in np.flatnonzero(~is_text):
        out[at] = _shift_object(values[at], int(days[at]))
    text = np.flatnonzero(is_text)
    if not len(text):
        return out, leaves
    stripped = pd.Series([values[at].strip() for at in text], dtype=object)
    ticks, codes = parse_time_codes(stripped)
    heads, head_codes = parse_time_codes(stripped.str.slice(0, _DATE_WIDTH))
    styles = np.asarray([*TIME_STYLES, None], dtype=object)
    for i, at in enumerate(text):
        style, shift = styles[codes[i]], int(days[at])
        if style == DAYS:
            day = int(ticks[i]) // SECONDS_PER_DAY + shift
            leaves[at] = abs(day) > _DAY_BOUND
            out[at] = None if leaves[at] else str(day)
        elif style is not None and styles[head_codes[i]] == DATE:
            moved = int(heads[i]) + shift * SECONDS_PER_DAY
            leaves[at] = not _DATE_BOUNDS[0] <= moved <= _DATE_BOUNDS[1]
            rest = stripped.iloc[i][_DATE_WIDTH:]
            out[at] = None if leaves[at] else format_time(moved, DATE) + rest
    return out, leaves


def _shift_object(value: object, days: int) -> object:
    """Shift one time that is not text (a date, a number); None when it is not a time."""
    if isinstance(value, dt.date):  # also datetime and pandas.Timestamp
        try:
            return value + dt.timedelta(days=days)
        except OverflowError:
            return None
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return value + days
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return value + days
    return None


def _refuse_rows(index: pd.Index, rows: np.ndarray, shift_days: int) -> None:
    if rows.any():
        raise AnonymiseError(
            f"cannot shift the time in {_rows_named(index, rows)} of the events by up to "
            f"{shift_days} days: the result would leave the times casuistry reads (dates from "
            f"{_FIRST_DATE} to {_LAST_DATE}); choose a smaller shift"
        )


def _rows_named(index: pd.Index, rows: np.ndarray) -> str:
    numbers = row_numbers(index)[rows]
    shown = ", ".join(str(n) for n in numbers[:10]) + (" ..." if len(numbers) > 10 else "")
    return f"{len(numbers)} row(s) (row {shown})"
