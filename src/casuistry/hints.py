"""Help at the door: what a message adds to say how to fix a cell.

Two hints, both given only when the cell can be repeated safely (it does not
look like an identifier: :func:`shown` asks the identifier guard):

- :func:`date_hint`: a day-first date as Dutch people write it (``15-05-2018``,
  ``15/5/2018``, ``15.05.2018``) gets the ISO form the format wants.
- :func:`did_you_mean`: a name that is not known gets the closest known name
  (:func:`difflib.get_close_matches`, and first any name equal but for case,
  spaces, hyphens, underscores and leading zeros of numbers).

Examples
--------
>>> date_hint("15-05-2018")
'; write it as 2018-05-15'
>>> did_you_mean("Politie", ["politie", "school"])
"; did you mean 'politie'?"
>>> did_you_mean("H1", ["H01", "H02", "H10"])
"; did you mean 'H01'?"
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable

#: A day-first date and nothing else: day, month, four-digit year, one separator.
_DAY_FIRST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
#: How close a known name must be to be offered (difflib's ratio).
CLOSE_ENOUGH = 0.6
_NUMBER = re.compile(r"\d+")
_IDENTIFIER = "a value that looks like an identifier (not shown)"


def looks_like_identifier(value: object) -> bool:
    """Whether the identifier guard finds anything in a cell.

    Examples
    --------
    >>> looks_like_identifier("bel 06-12345678"), looks_like_identifier("politie")
    (True, False)
    """
    from casuistry.privacy import redact_text

    text = str(value)
    return redact_text(text) != text


def shown(value: object) -> str:
    """Quote a cell for a message, unless it looks like an identifier.

    Examples
    --------
    >>> shown("telefoon")
    "'telefoon'"
    >>> shown("bel 06-12345678")
    'a value that looks like an identifier (not shown)'
    """
    if looks_like_identifier(value):
        return _IDENTIFIER
    return _quoted(str(value))


def shown_each(values: Iterable[object]) -> list[str]:
    """:func:`shown` of each value, for many messages at once.

    One vectorised prefilter (:func:`~casuistry.privacy.scan.may_hold_identifiers`)
    passes most values; only the others are asked of the identifier guard one
    by one.

    Examples
    --------
    >>> shown_each(["telefoon", "bel 06-12345678"])
    ["'telefoon'", 'a value that looks like an identifier (not shown)']
    """
    import pyarrow as pa

    from casuistry.privacy.scan import may_hold_identifiers

    texts = [str(value) for value in values]
    maybe = may_hold_identifiers(pa.array(texts, type=pa.string())).tolist()
    return [shown(text) if ask else _quoted(text) for text, ask in zip(texts, maybe, strict=True)]


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def date_hint(value: object) -> str:
    """``"; write it as YYYY-MM-DD"`` for a day-first date that exists, else ``""``.

    Examples
    --------
    >>> date_hint("15/5/2018"), date_hint("31-02-2018"), date_hint("2018-05-15")
    ('; write it as 2018-05-15', '', '')
    """
    match = _DAY_FIRST.fullmatch(str(value).strip())
    if match is None or looks_like_identifier(value):
        return ""
    day, _, month, year = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return ""
    return f"; write it as {date.isoformat()}"


def _folded(name: str) -> str:
    """A name without case, with spaces and hyphens as underscores, numbers without leading 0."""
    plain = name.strip().casefold().replace("-", "_").replace(" ", "_")
    return _NUMBER.sub(lambda number: number.group().lstrip("0") or "0", plain)


def closest(value: object, known: Iterable[str]) -> str | None:
    """The known name closest to ``value``, or None when none is close.

    A name equal but for case, spaces, hyphens, underscores and leading zeros
    of numbers wins (``H1`` for ``H01``); then the
    closest by :func:`difflib.get_close_matches` (compared without case).

    Examples
    --------
    >>> closest("Veilig Thuis", ["veilig_thuis", "school"]), closest("xyz", ["school"])
    ('veilig_thuis', None)
    """
    names = [str(name) for name in dict.fromkeys(known)]
    text = str(value)
    same = [name for name in names if _folded(name) == _folded(text)]
    if same:
        return same[0]
    folded = {}
    for name in names:
        folded.setdefault(name.casefold(), name)
    match = difflib.get_close_matches(text.casefold(), list(folded), n=1, cutoff=CLOSE_ENOUGH)
    return folded[match[0]] if match else None


def did_you_mean(value: object, known: Iterable[str]) -> str:
    """``"; did you mean 'NAME'?"`` for the closest known name, else ``""``.

    Nothing is offered for a value that looks like an identifier, nor a name
    that does.

    Examples
    --------
    >>> did_you_mean("bel 06-12345678", ["bel 06-12345679"])
    ''
    """
    name = closest_offered(value, known)
    return "" if name is None else f"; did you mean {name!r}?"


def closest_offered(value: object, known: Iterable[str]) -> str | None:
    """The name :func:`did_you_mean` offers for ``value``, or None.

    Examples
    --------
    >>> closest_offered("H1", ["H01", "H10"]), closest_offered("xyz", ["H01"])
    ('H01', None)
    """
    if looks_like_identifier(value):
        return None
    name = closest(value, known)
    if name is None or looks_like_identifier(name):
        return None
    return name
