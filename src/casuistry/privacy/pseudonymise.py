"""Anonymising case tables: keyed pseudonyms, redaction and a secret time shift.

:func:`anonymise` turns a raw table into an acceptable one: keyed pseudonyms
for ids, redaction of identifiers in text (:mod:`casuistry.privacy.detect`),
optionally of person names (:mod:`casuistry.privacy.names`), and an optional
secret shift of the times of each case (:mod:`casuistry.privacy.time_shift`).
:func:`~casuistry.privacy.keys.check_key` says whether a key is good enough,
and how to make one that is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

import pandas as pd

from casuistry.errors import AnonymiseError
from casuistry.privacy.keys import UNIT, check_key, digest
from casuistry.privacy.scan import redact_column, scannable
from casuistry.privacy.time_shift import check_shift_days, shift_times
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    EVENT_ID,
    LABEL,
    LIST_SEPARATOR,
    SIGNALS,
    SILO,
    SUBJECT,
    TIME,
    TO,
)

__all__ = ["ROLE_WORDS", "anonymise"]

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
        When the key is empty or shorter than
        :data:`~casuistry.privacy.keys.MIN_KEY_LENGTH`, ``shift_days`` is not a
        whole number from 1 to :data:`~casuistry.privacy.time_shift.MAX_SHIFT_DAYS`,
        a shifted time would leave the dates casuistry reads, or a time cannot
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
        out[TIME] = shift_times(events[TIME], case, secret, int(shift_days))

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


def _as_strings(column: pd.Series) -> pd.Series:
    """Cells as Python strings (object dtype); missing cells as ''."""
    return column.astype("string").fillna("").astype(object)


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
        name: (scope + UNIT + _as_strings(values)).where(values.notna())
        for name, (values, scope, _) in columns.items()
    }
    items = {
        cell: [cell_scope + UNIT + item for item in _split(rest)]
        for name, (_, _, is_list) in columns.items()
        if is_list
        for cell in keys[name].dropna().unique()
        for cell_scope, rest in [cell.split(UNIT, 1)]
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


def _pseudonym_table(keys: Iterable[str], secret: bytes, prefix: str, purpose: str) -> dict:
    """Map each ``scope<US>value`` key to ``prefix-`` and eight hex digits of its HMAC.

    Keys of one scope that would share a pseudonym get twice as many digits
    (repeated until they differ), so pseudonyms stay unique within a scope.
    """
    digests = {k: digest(secret, purpose, k) for k in dict.fromkeys(keys)}
    table = {k: f"{prefix}-{d[:_SHORT_HEX]}" for k, d in digests.items()}
    width = _SHORT_HEX
    while True:
        counts = Counter(table.values())
        owners: dict[tuple[str, str], list[str]] = {}
        for k, name in table.items():
            if counts[name] > 1:  # rare: look at the scope only then
                owners.setdefault((k.split(UNIT, 1)[0], name), []).append(k)
        clashes = [k for group in owners.values() if len(group) > 1 for k in group]
        if not clashes:
            return table
        width *= 2
        table.update({k: f"{prefix}-{digests[k][:width]}" for k in clashes})
