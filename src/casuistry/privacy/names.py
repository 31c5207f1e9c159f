"""Person names in free text, with the optional extra ``casuistry[deduce]``.

The identifier guard (:mod:`casuistry.privacy.detect`) finds numbers and
addresses, not names: ``Moeder Jannie de Vries belde`` passes it. With the
optional extra ``casuistry[deduce]`` installed (deduce, a Dutch
de-identification library), :func:`name_warnings` warns about likely person
names in the free-text columns (``description``, ``basis``, ``reason``,
``source`` and any column the format does not define), naming file, row and
column, never the name, and :func:`redact_names` replaces them by ``[NAAM]``.
Without the extra, names in free text are not checked at all.

deduce is imported on first use only. Loading its name lists takes long (about
a minute here once its cache is built; the very first load after installing
builds that cache and took about nine minutes), so the check runs only when a
user asks for it (``validate --check-names``, ``anonymise --redact-names``).
Each distinct text is examined once, at a few milliseconds per text.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence

import numpy as np
import pandas as pd

from casuistry.errors import PROBLEM_COLUMNS, MissingExtra
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    CATEGORY,
    CONFIDENCE,
    EVENT_ID,
    KIND,
    LABEL,
    SEVERITY,
    SIGNALS,
    SILO,
    SUBJECT,
    TIME,
    TO,
)

__all__ = [
    "NAMES_NOT_CHECKED",
    "NAME_PLACEHOLDER",
    "free_text_columns",
    "name_warnings",
    "names_available",
    "redact_names",
]

NAME_PLACEHOLDER = "[NAAM]"
#: Said in ``--help`` and the docs: what the guard does not do without the extra.
NAMES_NOT_CHECKED = {
    "en": "Names of people in free text are not checked, unless the optional extra "
    "casuistry[deduce] is installed and the option asks for it.",
    "nl": "Namen van personen in vrije tekst worden niet gecontroleerd, tenzij de optionele "
    "uitbreiding casuistry[deduce] is geïnstalleerd en de optie erom vraagt.",
}
_MESSAGE = (
    "may hold a person's name (found by deduce); remove it or run "
    "`casuistry anonymise --redact-names`"
)
_STRUCTURED = frozenset(
    {CASE_ID, EVENT_ID, TIME, KIND, ACTOR, TO, SIGNALS, CATEGORY, SEVERITY, SUBJECT, CONFIDENCE}
    | {SILO, LABEL}
)
# deduce's processor groups other than names: the identifier guard covers what matters of them.
_OTHER_GROUPS = frozenset(
    {
        "locations",
        "institutions",
        "dates",
        "ages",
        "identifiers",
        "phone_numbers",
        "email_addresses",
        "urls",
    }
)
_NAME_TAGS = ("persoon", "patient", "naam")


def names_available() -> bool:
    """Whether the optional extra ``casuistry[deduce]`` is installed."""
    return importlib.util.find_spec("deduce") is not None


def free_text_columns(columns: Sequence[object]) -> list[object]:
    """The columns that hold free text: all but the format's structured ones.

    Examples
    --------
    >>> free_text_columns(["case_id", "time", "description", "notes"])
    ['description', 'notes']
    """
    return [c for c in columns if c not in _STRUCTURED]


@functools.cache
def _deduce():
    if not names_available():
        raise MissingExtra(
            "finding person names needs the optional extra deduce: pip install 'casuistry[deduce]'"
        )
    from deduce import Deduce

    return Deduce()


def find_names(text: str) -> list[tuple[int, int]]:
    """The places ``(start, end)`` of likely person names in one text."""
    document = _deduce().deidentify(text, disabled=set(_OTHER_GROUPS))
    spans = {
        (a.start_char, a.end_char)
        for a in document.annotations
        if any(tag in a.tag for tag in _NAME_TAGS)
    }
    return sorted(spans)


def name_warnings(
    frame: pd.DataFrame,
    *,
    file: str,
    rows: Sequence[int] | np.ndarray,
    columns: Sequence[object] | None = None,
) -> pd.DataFrame:
    """Warnings about likely person names in the free-text cells of a table.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table as read from the user's file.
    file : str
        The file name to put in the warnings.
    rows : array-like of int
        Per row of ``frame``, the row as the user counts it.
    columns : sequence, optional
        The columns to check; by default :func:`free_text_columns`.

    Returns
    -------
    pandas.DataFrame
        Columns ``file``, ``row``, ``column``, ``message``: one warning per
        cell with a likely name; the message never holds the name.

    Raises
    ------
    MissingExtra
        When deduce is not installed.
    """
    names = free_text_columns(frame.columns) if columns is None else columns
    numbers = np.asarray(rows, dtype="int64")
    warnings = []
    for name in (n for n in names if n in frame.columns):
        codes, uniques = pd.factorize(frame[name])
        hits = [code for code, text in enumerate(uniques) if find_names(str(text))]
        for row in numbers[np.isin(codes, hits)]:
            warnings.append({"file": file, "row": int(row), "column": name, "message": _MESSAGE})
    return pd.DataFrame(warnings, columns=PROBLEM_COLUMNS)


def redact_names(column: pd.Series) -> pd.Series:
    """Replace likely person names in every cell by ``[NAAM]``, each distinct value once.

    Raises
    ------
    MissingExtra
        When deduce is not installed.
    """
    codes, uniques = pd.factorize(column)
    lookup = np.asarray(uniques, dtype=object).copy()
    for code, text in enumerate(lookup):
        if isinstance(text, str):
            for start, end in reversed(find_names(text)):
                text = text[:start] + NAME_PLACEHOLDER + text[end:]
            lookup[code] = text
    values = np.where(codes >= 0, lookup[codes] if len(lookup) else None, column.to_numpy(object))
    out = pd.Series(values, index=column.index, name=column.name, dtype=object)
    return out.astype(column.dtype) if isinstance(column.dtype, pd.StringDtype) else out
