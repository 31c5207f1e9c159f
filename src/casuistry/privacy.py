"""The identifier guard: find direct identifiers, redact them, anonymise tables.

Case tables must arrive anonymised (CASE_FORMAT.md, section 4). This module
finds the direct identifiers that slip through most often and helps remove
them:

- :func:`find_identifiers` finds the identifiers in one text, with their kind
  and place. It is the single code path behind both other text functions.
- :func:`scan_identifiers` scans every text cell of a table and returns one
  problem per row, column and kind, naming the kind and never the value.
- :func:`redact_text` replaces each identifier by a placeholder.
- :func:`anonymise` turns a raw table into an acceptable one: keyed
  pseudonyms for ids, redaction of text, and an optional secret shift of the
  times of each case.

What counts as an identifier (the kinds, in the order problems are listed):

``bsn``
    Nine digits that pass the eleven-test of :mod:`stdnum.nl.bsn`, written
    together (``123456782``), in the stdnum style ``1234.56.782`` (dots or
    spaces), or in three groups of three (``123.456.782``, ``123 456 782``,
    ``123-456-782``). Eight digits are read as a BSN whose leading zero was
    dropped, as stdnum does, only right after a label (``BSN``,
    ``burgerservicenummer``, ``sofinummer``): one in eleven of all
    eight-digit numbers (``20240301``) passes the test.
``email``
    An e-mail address.
``phone``
    A phone number found by :class:`phonenumbers.PhoneNumberMatcher` (region
    ``NL``, valid numbers only): Dutch mobile, landline and VoIP numbers in
    national (``06-12345678``, ``(020) 123 45 67``) and international
    (``+31 6 12345678``, ``0031 6 12345678``) form, and any valid number
    written with ``+`` or ``00``. Dates and clock times are masked before the
    matcher runs, so ``01-03-2024 14:30`` is not a phone number. Service
    numbers of organisations (0800, 0900, 088, 14 0xx) are not identifiers.
``iban``
    An IBAN of any country whose structure and mod-97 checksum are valid
    (:mod:`stdnum.iban`), with or without spaces.
``postcode``
    A Dutch postcode (:mod:`stdnum.nl.postcode`) followed by a house number
    (``1234 AB 12``, ``1234AB 12a``, ``1234 AB nr. 7-2``), or written right
    after a street and house number (``Dorpsstraat 12, 1234 AB``). The
    letters are capitals, or lower case written against the digits
    (``1234ab``), so that ``in 2024 is 3 keer`` is no address. A postcode
    alone (``1234 AB Utrecht``) is not flagged.
``birthdate``
    A date at most four words after a birth word (``geboren in Utrecht op
    12-03-2015``), or right before one (``is op 12-03-2015 geboren``,
    ``12-03-2015 (geboortedatum)``), with no sentence break in between.
    Birth words (any case): ``geboren``, ``geboorte...`` (``geboortedatum``,
    ``geboortedag``), ``geb.``, ``geb``, ``geb.datum``, ``born``, ``birth...``
    (``birthdate``, ``birthday``, ``date of birth``), ``DOB``, ``d.o.b.``;
    ``ongeboren`` and ``newborn`` are no birth words. Dates: ``12-03-2015``,
    ``12/3/2015``, ``12.03.2015``, ``12-03-15``, ``2015-03-12``,
    ``2015/03/12``, ``12 maart 2015``, ``12 mrt. 2015``, ``12 March 2015``,
    ``March 12, 2015`` (Dutch and English month names and abbreviations); the
    day and month must exist. Only the date is redacted.

Examples
--------
>>> [hit.kind for hit in find_identifiers("BSN 111222333, mail a.b@example.nl")]
['bsn', 'email']
>>> redact_text("Moeder (geb. 12-03-1990) belde vanaf 06-12345678.")
'Moeder (geb. [GEBOORTEDATUM]) belde vanaf [TELEFOON].'
>>> find_identifiers("zaak 2024-0183, gesprek op 2024-03-01 om 14:30")
[]
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from casuistry.errors import PROBLEM_COLUMNS, CasuistryError
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

__all__ = [
    "IDENTIFIER_KINDS",
    "PLACEHOLDERS",
    "ROLE_WORDS",
    "AnonymiseError",
    "Identifier",
    "anonymise",
    "find_identifiers",
    "redact_text",
    "scan_identifiers",
]


class AnonymiseError(CasuistryError):
    """:func:`anonymise` cannot do its work (no key, times it cannot shift).

    The message never contains the key.
    """


class Identifier(NamedTuple):
    """One identifier found in a text: its kind and its place ``text[start:end]``."""

    kind: str
    start: int
    end: int


_FIX = "remove it or run `casuistry anonymise`"

#: The kinds of identifier, in the order problems are listed.
IDENTIFIER_KINDS: tuple[str, ...] = ("bsn", "email", "phone", "iban", "postcode", "birthdate")

#: What :func:`redact_text` puts in place of each kind.
PLACEHOLDERS: dict[str, str] = {
    "bsn": "[BSN]",
    "email": "[E-MAIL]",
    "phone": "[TELEFOON]",
    "iban": "[IBAN]",
    "postcode": "[POSTCODE+HUISNUMMER]",
    "birthdate": "[GEBOORTEDATUM]",
}

_MESSAGES: dict[str, str] = {
    "bsn": f"looks like a BSN (nine digits that pass the eleven-test); {_FIX}",
    "email": f"looks like an e-mail address; {_FIX}",
    "phone": f"looks like a phone number; {_FIX}",
    "iban": f"looks like an IBAN (a bank account number with a valid checksum); {_FIX}",
    "postcode": f"looks like a Dutch postcode with a house number (an address); {_FIX}",
    "birthdate": (
        f"looks like a date of birth (a date next to a word such as 'geboren' or 'born'); {_FIX}"
    ),
}

# When two findings overlap, the longer one wins; on equal length the earlier kind here.
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(("iban", "email", "phone", "bsn", "postcode", "birthdate"))
}

# --- patterns -----------------------------------------------------------------

# One cheap test that every identifier passes; only texts that pass it are
# looked at closely. It is run by RE2 (pyarrow) on whole columns and by Python's
# re on single texts, so it uses only constructs both read alike (explicit ASCII
# classes). The detectors below use ASCII classes too (re.ASCII), and each
# detector's match passes one of its branches: keep it so when changing either.
_D = "[0-9]"
_S = r"[ \t\n\r\f\v]"
_SEP = r"[ \t\n\r\f\v./()\-–—]"  # between the digits of a BSN or phone number
_PREFILTER_PATTERN = (
    rf"{_D}(?:{_SEP}{{0,3}}{_D}){{8,}}"  # nine or more digits: BSN, phone
    r"|@"  # e-mail
    rf"|\+{_S}?{_D}|\({_S}?0"  # international or bracketed phone
    rf"|[A-Za-z]{{2}}{_D}{{2}}{_S}?[A-Za-z0-9]{{4}}"  # start of an IBAN
    rf"|[1-9]{_D}{{3}}{_S}?[A-Za-z]{{2}}"  # postcode
    r"|(?i:geboren|geboorte|geb[^A-Za-z0-9_]|geb$|born|birth|dob[^A-Za-z0-9_]|dob$|d\.o\.b"
    r"|bsn|burgerservice|sofi)"  # birth words, BSN labels
)
_PREFILTER = re.compile(_PREFILTER_PATTERN, re.ASCII)

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

_BSN = re.compile(
    r"(?<!\w)(?<!\d[.,/-])"
    r"(?:\d{9}|\d{8}|\d{4}([. ])\d{2}\1\d{3}|\d{3}([. -])\d{3}\2\d{3}|\d{3}\.\d{2}\.\d{3})"
    r"(?!\w)(?![.,/-]\d)",
    re.ASCII,
)
_BSN_LABEL = re.compile(
    r"(?i:\b(?:bsn|burgerservicenummer|sofi-?nummer|sofinr)\b\.?\s*(?:nr\.?|nummer)?\s*[:=]?\s*)$",
    re.ASCII,
)

_IBAN_HEAD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?= ?[A-Za-z0-9]{4})")
_IBAN_GROUP = re.compile(r" ?([A-Za-z0-9]+)")

_POSTCODE_PART = r"[1-9]\d{3}(?: ?[A-Z]{2}|[a-z]{2})"
_HOUSE_NUMBER = r"\d{1,5}(?:[ -]?[A-Za-z](?![A-Za-z])|-\d{1,4})?"
_POSTCODE = re.compile(
    # postcode, then house number: 1234 AB 12a
    rf"(?<![\w-])(?P<pc>{_POSTCODE_PART})[ ,]*(?:(?i:nr\.?|huisnummer)\s*)?{_HOUSE_NUMBER}(?!\w)"
    # street and house number, then postcode: Dorpsstraat 12, 1234 AB Amsterdam
    rf"|(?<=[^\W\d_] )\d{{1,5}}(?:[ -]?[A-Za-z])?,?\s+(?P<pc2>{_POSTCODE_PART})(?!\w)",
    re.ASCII,
)

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "januari jan january",
        "februari feb february",
        "maart mrt mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "augustus aug august",
        "september sep sept",
        "oktober okt october oct",
        "november nov",
        "december dec",
    ),
    start=1,
):
    _MONTHS.update(dict.fromkeys(_names.split(), _number))
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"

_DATE = re.compile(
    r"(?<![\w./-])(?:"
    r"(?P<d1>\d{1,2})(?P<s1>[-/.])(?P<m1>\d{1,2})(?P=s1)(?P<y1>\d{4}|\d{2})"
    r"|(?P<y2>\d{4})(?P<s2>[-/.])(?P<m2>\d{1,2})(?P=s2)(?P<d2>\d{1,2})"
    rf"|(?P<d3>\d{{1,2}})(?:e|ste|de|st|nd|rd|th)?\s+(?P<m3>{_MONTH})\.?,?\s+(?P<y3>\d{{4}})"
    rf"|(?P<m4>{_MONTH})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>\d{{4}})"
    r")(?![\w])(?![./-]\d)",
    re.IGNORECASE | re.ASCII,
)
_BIRTH_WORD = re.compile(
    r"(?<!\w)(?:geboren|geboorte\w*|geb\.\s?datum|geb\.|geb(?!\w)|born(?!\w)|birth\w*"
    r"|d\.o\.b\.?|dob(?!\w))",
    re.IGNORECASE | re.ASCII,
)
_WORDS_AFTER_BIRTH_WORD = 4  # "geboren in Utrecht op 12-03-2015"
_WORDS_BEFORE_BIRTH_WORD = 0  # "is op 12-03-2015 geboren", "12-03-2015 (geboortedatum)"
_SENTENCE_BREAK = re.compile(r"[.!?;]\s|\n")
_WORD = re.compile(r"\w+")

# Phones: only run the (slow) matcher when the text can hold one.
_PHONE_HINT = re.compile(rf"\+{_S}?{_D}|\({_S}?0|(?<![0-9])0(?:{_SEP}{{0,3}}{_D}){{8,}}")
_DATE_OR_TIME = re.compile(
    r"(?<!\d)(?:\d{1,2}([-/.])\d{1,2}\1\d{4}|\d{4}([-/.])\d{1,2}\2\d{1,2})(?!\d)"
    r"|(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)",
    re.ASCII,
)
_ORGANISATION_PHONE_TYPES = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.UAN,
    }
)


# --- finding ------------------------------------------------------------------


def find_identifiers(text: str) -> list[Identifier]:
    """Find the direct identifiers in one text.

    The kinds and what each covers are listed in the module documentation.
    Overlapping findings are resolved: the longer one stays (an IBAN whose
    digits also pass the BSN test is one IBAN).

    Parameters
    ----------
    text : str
        One cell of free text.

    Returns
    -------
    list of Identifier
        ``(kind, start, end)`` per identifier, in order of position, not
        overlapping.

    Examples
    --------
    >>> find_identifiers("Rekening NL91 ABNA 0417 1643 00 van moeder")
    [Identifier(kind='iban', start=9, end=31)]
    >>> find_identifiers("nummer 111222334 faalt de elfproef")
    []
    """
    if not _PREFILTER.search(text):
        return []
    found = [
        *_find_bsns(text),
        *_find_emails(text),
        *_find_phones(text),
        *_find_ibans(text),
        *_find_postcodes(text),
        *_find_birthdates(text),
    ]
    found.sort(key=lambda hit: (hit.start - hit.end, _PRIORITY[hit.kind], hit.start))
    kept: list[Identifier] = []
    for hit in found:
        if all(hit.end <= other.start or other.end <= hit.start for other in kept):
            kept.append(hit)
    return sorted(kept, key=lambda hit: hit.start)


def _find_bsns(text: str) -> Iterable[Identifier]:
    for match in _BSN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) == 8 and not _BSN_LABEL.search(text, 0, match.start()):
            continue
        if stdnum_bsn.is_valid(digits):
            yield Identifier("bsn", match.start(), match.end())


def _find_emails(text: str) -> Iterable[Identifier]:
    for match in _EMAIL.finditer(text):
        yield Identifier("email", match.start(), match.end())


def _find_phones(text: str) -> Iterable[Identifier]:
    if not _PHONE_HINT.search(text):
        return
    masked = _DATE_OR_TIME.sub(lambda m: "x" * len(m.group()), text)
    if not _PHONE_HINT.search(masked):
        return
    for match in PhoneNumberMatcher(masked, "NL", leniency=Leniency.VALID):
        number = match.number
        if phonenumbers.number_type(number) in _ORGANISATION_PHONE_TYPES:
            continue
        international = match.raw_string.lstrip("(").startswith(("+", "00"))
        if number.country_code == 31 or international:
            yield Identifier("phone", match.start, match.end)


def _find_ibans(text: str) -> Iterable[Identifier]:
    for head in _IBAN_HEAD.finditer(text):
        # Groups of letters and digits separated by single spaces; the IBAN
        # ends at the end of one of them. Try the longest first.
        ends, length, pos = [], 0, head.start()
        while (group := _IBAN_GROUP.match(text, pos)) and length < 34:
            length += len(group.group(1))
            pos = group.end()
            ends.append((pos, length))
        for end, n_chars in reversed(ends):
            if 15 <= n_chars <= 34 and stdnum_iban.is_valid(text[head.start() : end]):
                yield Identifier("iban", head.start(), end)
                break


def _find_postcodes(text: str) -> Iterable[Identifier]:
    for match in _POSTCODE.finditer(text):
        if stdnum_postcode.is_valid(match.group("pc") or match.group("pc2")):
            yield Identifier("postcode", match.start(), match.end())


def _find_birthdates(text: str) -> Iterable[Identifier]:
    words = [(m.start(), m.end()) for m in _BIRTH_WORD.finditer(text)]
    if not words:
        return
    for match in _DATE.finditer(text):
        if not _is_real_date(match):
            continue
        for start, end in words:
            if end <= match.start():
                gap, most = text[end : match.start()], _WORDS_AFTER_BIRTH_WORD
            else:
                gap, most = text[match.end() : start], _WORDS_BEFORE_BIRTH_WORD
            if len(_WORD.findall(gap)) <= most and not _SENTENCE_BREAK.search(gap):
                yield Identifier("birthdate", match.start(), match.end())
                break


def _is_real_date(match: re.Match) -> bool:
    for n in "1234":
        if match.group(f"y{n}"):
            year, month, day = match.group(f"y{n}"), match.group(f"m{n}"), match.group(f"d{n}")
            break
    month_number = int(month) if month.isdigit() else _MONTHS[month.lower()]
    year_number = int(year) if len(year) == 4 else 2000 + int(year)
    try:
        dt.date(year_number, month_number, int(day))
    except ValueError:
        return False
    return True


# --- redacting ----------------------------------------------------------------


def redact_text(text: str) -> str:
    """Replace every identifier in a text by a placeholder for its kind.

    Uses :func:`find_identifiers`, and repeats until nothing is found, so the
    result never holds an identifier that a scan would report. Placeholders
    are listed in :data:`PLACEHOLDERS`.

    Parameters
    ----------
    text : str
        One cell of free text.

    Returns
    -------
    str
        The text with each identifier replaced.

    Examples
    --------
    >>> redact_text("Mail naar j.jansen@example.nl of bel +31 6 12345678")
    'Mail naar [E-MAIL] of bel [TELEFOON]'
    >>> redact_text("Woont op 1234 AB 12a, BSN 1112.22.333")
    'Woont op [POSTCODE+HUISNUMMER], BSN [BSN]'
    """
    # Every round removes digits or an '@' and placeholders hold neither, so this ends.
    while hits := find_identifiers(text):
        for hit in reversed(hits):
            text = text[: hit.start] + PLACEHOLDERS[hit.kind] + text[hit.end :]
    return text


# --- scanning tables ----------------------------------------------------------


def scan_identifiers(
    frame: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    file: str = "events.csv",
    rows: Sequence[int] | pd.Series | np.ndarray | None = None,
) -> pd.DataFrame:
    """Scan every text cell of a table for direct identifiers.

    Each distinct value of a column is examined once, so a large corpus with
    repeated texts costs little; the findings are then mapped back to every
    row that holds the value.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table as read from the user's file.
    columns : sequence of str, optional
        Columns to scan. Names the frame does not have are skipped, so a
        caller can pass every text column of the format. By default all
        columns of text (``object``, string or categorical dtype) and of whole
        numbers (a column of BSNs read as numbers).
    file : str
        File name to put in the problems.
    rows : array-like of int, optional
        Per row of ``frame``, in order, the row as the user counts it. By
        default the index plus 2 (the CSV line of a frame read with a fresh
        index, the header being line 1); for an index that is not of
        integers, the position plus 2.

    Returns
    -------
    pandas.DataFrame
        One problem per row, column and kind of identifier, sorted by row,
        then column (in frame order), then kind: columns ``file``, ``row``,
        ``column``, ``message``. The message names the kind of identifier
        and how to fix it, never the value.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"description": ["belde moeder", "mail: a@b.nl", "belde moeder"]})
    >>> scan_identifiers(events)[["row", "column"]].to_dict("records")
    [{'row': 3, 'column': 'description'}]
    >>> print(scan_identifiers(events)["message"].iloc[0])
    looks like an e-mail address; remove it or run `casuistry anonymise`
    """
    if columns is None:
        names = [name for name in frame.columns if _is_text_or_whole(frame[name])]
    else:
        names = [name for name in columns if name in frame.columns]
    row_numbers = _row_numbers(frame.index, rows)
    pieces = []
    for position, name in enumerate(names):
        codes, hits = _hits_per_value(frame[name])
        for kind, values in hits.items():
            mask = np.isin(codes, values)
            pieces.append(
                pd.DataFrame(
                    {
                        "row": row_numbers[mask],
                        "_column": position,
                        "_kind": IDENTIFIER_KINDS.index(kind),
                        "column": name,
                        "message": _MESSAGES[kind],
                    }
                )
            )
    if not pieces:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in PROBLEM_COLUMNS})
    problems = pd.concat(pieces, ignore_index=True)
    problems = problems.sort_values(["row", "_column", "_kind"], kind="stable")
    problems.insert(0, "file", file)
    return problems[PROBLEM_COLUMNS].reset_index(drop=True)


def _is_text_or_whole(column: pd.Series) -> bool:
    dtype = column.dtype
    if pd.api.types.is_object_dtype(dtype) or isinstance(
        dtype, pd.StringDtype | pd.CategoricalDtype
    ):
        return True
    return pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _row_numbers(index: pd.Index, rows: object = None) -> np.ndarray:
    """Rows as the user counts them: ``rows``, or the index plus 2 (the CSV line)."""
    if rows is None:
        if pd.api.types.is_integer_dtype(index.dtype):
            return index.to_numpy(dtype="int64") + 2
        return np.arange(len(index), dtype="int64") + 2
    numbers = np.asarray(rows, dtype="int64")
    if numbers.shape != (len(index),):
        raise ValueError(f"rows has {numbers.size} entries for a frame of {len(index)} rows")
    return numbers


def _as_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return str(value)
    return None


def _hits_per_value(column: pd.Series) -> tuple[np.ndarray, dict[str, list[int]]]:
    """Factorize a column and find the kinds of identifier in each distinct value.

    Returns the codes of the rows and, per kind, the codes of the values holding it.
    """
    codes, uniques = pd.factorize(column)
    hits: dict[str, list[int]] = {}
    for code, text in _candidates(uniques):
        for kind in dict.fromkeys(hit.kind for hit in find_identifiers(text)):
            hits.setdefault(kind, []).append(code)
    return codes, hits


def _candidates(uniques: object) -> Iterable[tuple[int, str]]:
    """The distinct values that may hold an identifier, as (position, text).

    One vectorised RE2 pass of the prefilter over all values; only the values
    it passes are looked at in Python.
    """
    texts = [_as_text(value) for value in np.asarray(uniques, dtype=object)]
    passed = pc.match_substring_regex(pa.array(texts, type=pa.string()), _PREFILTER_PATTERN)
    for code in np.flatnonzero(passed.fill_null(False).to_numpy(zero_copy_only=False)):
        yield int(code), texts[code]


def _redact_column(column: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(column)
    replaced = {
        code: redacted
        for code, text in _candidates(uniques)
        if (redacted := redact_text(text)) != text
    }
    if not replaced:
        return column
    lookup = np.asarray(uniques, dtype=object).copy()
    for code, redacted in replaced.items():
        lookup[code] = redacted
    values = np.where(codes >= 0, lookup[codes], column.to_numpy(dtype=object))
    out = pd.Series(values, index=column.index, name=column.name, dtype=object)
    return out.astype(column.dtype) if isinstance(column.dtype, pd.StringDtype) else out


# --- anonymising --------------------------------------------------------------

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
_DAY_NUMBER = re.compile(r"[+-]?\d+(?:\.0+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?=$|[T ])")
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

    Returns
    -------
    events : pandas.DataFrame
        The anonymised events, same rows and columns.
    actors : pandas.DataFrame or None
        The anonymised actors table, or None when none was given.

    Raises
    ------
    AnonymiseError
        When the key is empty, ``shift_days`` is not a positive whole
        number, or a time cannot be shifted (the rows are named).

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({
    ...     "case_id": ["gezin-Jansen", "gezin-Jansen"], "event_id": ["s1", "d1"],
    ...     "time": ["2024-03-01", "2024-03-05T10:00"], "kind": ["signal", "share"],
    ...     "actor": ["school", "school"], "to": ["", "huisarts"], "signals": ["", "s1"],
    ...     "subject": ["kind-1", "Piet"],
    ...     "description": ["Moeder belde van 06-12345678", "doorgestuurd"]})
    >>> out, _ = anonymise(raw, key="geheim", shift_days=30)
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
    secret = _key_bytes(key)
    if shift_days is not None and (
        isinstance(shift_days, bool)
        or not isinstance(shift_days, int | np.integer)
        or shift_days < 1
    ):
        raise AnonymiseError(
            f"shift_days must be a whole number of days of at least 1, not {shift_days!r}"
        )
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
        text_columns = [n for n in events.columns if n not in skip and _is_text_or_whole(events[n])]
    for name in text_columns:
        if name in events.columns:
            out[name] = _redact_column(out[name])
    if actors_out is not None:
        for name in actors_out.columns:
            if name not in {ACTOR, SILO} and _is_text_or_whole(actors_out[name]):
                actors_out[name] = _redact_column(actors_out[name])
    return out, actors_out


def _key_bytes(key: object) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes) or not key.strip():
        raise AnonymiseError(
            "the key is empty or not text: give a secret string, and keep it to "
            "pseudonymise later deliveries the same way"
        )
    return key


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
        return times + pd.to_timedelta(days, unit="D")
    if pd.api.types.is_numeric_dtype(times.dtype) and not pd.api.types.is_bool_dtype(times.dtype):
        return times + days
    # Shift each distinct (time, offset) once; a missing time (code -1) stays missing.
    time_codes, time_values = pd.factorize(times)
    offset_codes, offset_values = pd.factorize(days)
    n_offsets = len(offset_values)
    pair_codes, pairs = pd.factorize(time_codes * n_offsets + offset_codes)
    time_values = np.asarray(time_values, dtype=object)
    results = [
        _shift_one(time_values[pair // n_offsets], int(offset_values[pair % n_offsets]))
        if pair >= 0
        else None
        for pair in pairs
    ]
    shifted = np.array(results, dtype=object)[pair_codes]
    present = time_codes >= 0
    failed = present & pd.isna(shifted)
    out = pd.Series(np.where(present, shifted, times.to_numpy(dtype=object)), index=times.index)
    if failed.any():
        numbers = _row_numbers(times.index)[failed]
        shown = ", ".join(str(n) for n in numbers[:10]) + (" ..." if len(numbers) > 10 else "")
        raise AnonymiseError(
            f"cannot shift the time in {len(numbers)} row(s) of the events (row {shown}): "
            "expected an ISO 8601 date or date-time, or a whole number of days"
        )
    return out.astype(times.dtype) if isinstance(times.dtype, pd.StringDtype) else out


def _shift_one(value: object, days: int) -> object:
    """Shift one time by whole days in its own style; None when it is not a time."""
    if isinstance(value, str):
        text = value.strip()
        if _DAY_NUMBER.fullmatch(text):
            return str(int(text.split(".")[0]) + days)
        if match := _ISO_DATE.match(text):
            try:
                date = dt.date(*map(int, match.groups())) + dt.timedelta(days=days)
            except ValueError:
                return None
            return date.isoformat() + text[match.end() :]
        return None
    if isinstance(value, dt.date):  # also datetime and pandas.Timestamp
        return value + dt.timedelta(days=days)
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return value + days
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return value + days
    return None
