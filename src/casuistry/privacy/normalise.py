"""One normalisation in front of the identifier guard.

An identifier typed differently is still an identifier: a BSN in fullwidth
digits (``１２３４５６７８２``) or Arabic-Indic digits, with zero-width spaces
between its digits, a phone number with no-break spaces, an IBAN with
non-breaking hyphens, an e-mail address with a fullwidth ``＠``. Before any
text is scanned, every character is mapped on its own:

1. Unicode NFKC (compatibility forms become their plain letter, digit or sign:
   fullwidth ``＠`` and ``１`` become ``@`` and ``1``);
2. format characters (category ``Cf``: zero-width space and joiner, soft
   hyphen, byte-order mark) are removed;
3. every decimal digit of any script becomes its ASCII digit
   (:func:`unicodedata.digit`);
4. every kind of space (category ``Zs``: no-break, narrow no-break, thin,
   ideographic) and tabs become a plain space; line and paragraph
   separators become a line break;
5. every dash (category ``Pd``, the minus sign U+2212, the hyphens
   U+2010/U+2011, the figure dash) becomes ``-``.

Scanning reads the normalised text; what is stored is never changed. Because
each character is mapped on its own, a place in the normalised text maps back
to a place in the original (:func:`normalise_with_offsets`), so redaction
replaces exactly the characters the user wrote.

Examples
--------
>>> normalise("BSN １２３\\u200b４５６\\u200b７８２")
'BSN 123456782'
>>> normalise("06\\u00a012345678, NL91\\u2011ABNA")
'06 12345678, NL91-ABNA'
"""

from __future__ import annotations

import unicodedata

__all__ = ["normalise", "normalise_with_offsets", "original_span"]

_ASCII_SPACES = str.maketrans({"\t": " ", "\v": " ", "\f": " "})
_LINE_BREAKS = frozenset({"Zl", "Zp"})
_DASHES = frozenset({"\u2212", "\u2010", "\u2011", "\u2012", "\ufe63", "\uff0d"})


class _CharMap(dict):
    """What each character becomes, worked out the first time it is met."""

    def __missing__(self, code: int) -> str:
        self[code] = piece = "".join(map(_map_one, unicodedata.normalize("NFKC", chr(code))))
        return piece


def _map_one(char: str) -> str:
    if char.isascii():
        return " " if char in "\t\v\f" else char
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    if category == "Zs":
        return " "
    if category in _LINE_BREAKS:
        return "\n"
    if category == "Pd" or char in _DASHES:
        return "-"
    digit = unicodedata.digit(char, None)
    return str(digit) if digit is not None else char


_MAP = _CharMap()


def normalise(text: str) -> str:
    """The text as the identifier guard reads it.

    Parameters
    ----------
    text : str
        One cell, header or sheet name.

    Returns
    -------
    str
        The normalised text (see the module documentation).

    Examples
    --------
    >>> normalise("jan＠voorbeeld.nl")
    'jan@voorbeeld.nl'
    >>> normalise("٠٦-١٢٣٤٥٦٧٨")
    '06-12345678'
    >>> normalise("plain ASCII\\tstays")
    'plain ASCII stays'
    """
    if text.isascii():
        return text.translate(_ASCII_SPACES)
    return text.translate(_MAP)


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text and, per place in it, the place in the original.

    Parameters
    ----------
    text : str
        One cell.

    Returns
    -------
    normalised : str
        As :func:`normalise` gives it.
    starts : list of int
        ``len(normalised) + 1`` entries: ``starts[i]`` is the place in
        ``text`` of the character that normalised character ``i`` came from;
        the last entry is ``len(text)``. :func:`original_span` turns a span
        of the normalised text into a span of the original.

    Examples
    --------
    >>> normalise_with_offsets("a\\u200bb")
    ('ab', [0, 2, 3])
    """
    pieces = [normalise(char) for char in text]
    starts = [place for place, piece in enumerate(pieces) for _ in piece]
    return "".join(pieces), [*starts, len(text)]


def original_span(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of ``text`` that normalised characters ``[start, end)`` came from.

    Examples
    --------
    >>> text = "１２"
    >>> normalised, starts = normalise_with_offsets(text)
    >>> original_span(starts, 0, 2)
    (0, 2)
    """
    return starts[start], starts[end - 1] + 1
