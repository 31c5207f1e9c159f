"""Finding direct identifiers in one text, and redacting them.

:func:`find_identifiers` finds the identifiers in one text, with their kind
and place; it is the single code path behind :func:`redact_text` and the
table scan (:mod:`casuistry.privacy.scan`). Every text is first normalised
(:mod:`casuistry.privacy.normalise`): a BSN in fullwidth digits or with
zero-width spaces is found like one typed plainly, and the places returned
are places in the text as written.

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
    An e-mail address; the domain and the name before ``@`` may hold letters
    of any script (``jan@bücher.de``).
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
    (:mod:`stdnum.iban`), with or without single spaces or hyphens between
    its groups.
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
>>> [hit.kind for hit in find_identifiers("BSN １２３\u200b４５６\u200b７８２")]
['bsn']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import NamedTuple

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from casuistry.privacy.normalise import normalise, normalise_with_offsets, original_span

__all__ = [
    "IDENTIFIER_KINDS",
    "MESSAGES",
    "PLACEHOLDERS",
    "PREFILTER_PATTERN",
    "Identifier",
    "find_identifiers",
    "kinds_in",
    "prefilter",
    "redact_text",
]


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


#: Per kind, the message of a problem: the kind and how to fix it, never the value.
MESSAGES: dict[str, str] = {
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
# A BSN before a phone number: nine digits that pass the eleven-test and also dial
# abroad (``004312004``, 00 43 for Austria) are far likelier a BSN in a case file.
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(("iban", "email", "bsn", "phone", "postcode", "birthdate"))
}

# --- patterns -----------------------------------------------------------------

# One cheap test that every identifier passes; only texts that pass it are
# looked at closely. It is run by RE2 (pyarrow) on whole columns of ASCII text and
# by Python's re on normalised texts, so it uses only constructs both read alike (explicit ASCII
# classes). The detectors below use ASCII classes too (re.ASCII), and each
# detector's match passes one of its branches: keep it so when changing either.
_D = "[0-9]"
_S = r"[ \t\n\r\f\v]"
_SEP = r"[ \t\n\r\f\v./()\-–—]"  # between the digits of a BSN or phone number
PREFILTER_PATTERN = (
    rf"{_D}(?:{_SEP}{{0,3}}{_D}){{8,}}"  # nine or more digits: BSN, phone
    r"|@"  # e-mail
    rf"|\+{_S}?{_D}|\({_S}?0"  # international or bracketed phone
    rf"|[A-Za-z]{{2}}{_D}{{2}}(?:{_S}|-)?[A-Za-z0-9]{{4}}"  # start of an IBAN
    rf"|[1-9]{_D}{{3}}{_S}?[A-Za-z]{{2}}"  # postcode
    r"|(?i:geboren|geboorte|geb[^A-Za-z0-9_]|geb$|born|birth|dob[^A-Za-z0-9_]|dob$|d\.o\.b"
    r"|bsn|burgerservice|sofi)"  # birth words, BSN labels
)
_PREFILTER = re.compile(PREFILTER_PATTERN, re.ASCII)

# Letters of any script before the @ and in the domain (an internationalised address).
_EMAIL = re.compile(r"[\w.%+\-]+@[^\W_](?:[\w\-]*)(?:\.[\w\-]+)*\.[^\W\d_]{2,}")

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

_IBAN_HEAD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?=[ -]?[A-Za-z0-9]{4})")
_IBAN_GROUP = re.compile(r"[ -]?([A-Za-z0-9]+)")

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
    The text is normalised first (:func:`~casuistry.privacy.normalise.normalise`);
    the places returned are places in ``text`` as given. Overlapping findings
    are resolved: the longer one stays (an IBAN whose digits also pass the
    BSN test is one IBAN).

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
    >>> find_identifiers("bel ０６\u00a0１２３４５６７８")
    [Identifier(kind='phone', start=4, end=15)]
    """
    clean = normalise(text)
    hits = _find_normalised(clean)
    if not hits or clean == text:
        return hits
    clean, starts = normalise_with_offsets(text)
    return [Identifier(hit.kind, *original_span(starts, hit.start, hit.end)) for hit in hits]


def kinds_in(text: str) -> list[str]:
    """The kinds of identifier in one text, each once, in order of position.

    Examples
    --------
    >>> kinds_in("bel 06-12345678 of 06-87654321, mail a@b.nl")
    ['phone', 'email']
    """
    return list(dict.fromkeys(hit.kind for hit in _find_normalised(normalise(text))))


def prefilter(normalised: str) -> bool:
    """Whether a normalised text may hold an identifier (a cheap first test).

    Examples
    --------
    >>> prefilter("belde moeder"), prefilter("mail a@b.nl")
    (False, True)
    """
    return _PREFILTER.search(normalised) is not None


def _find_normalised(text: str) -> list[Identifier]:
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
        # Groups of letters and digits separated by a single space or hyphen; the IBAN
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
        The text, as :func:`find_identifiers` takes it.

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
