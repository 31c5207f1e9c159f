"""Tests of casuistry.privacy.normalise: the one normalisation in front of the guard."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casuistry.privacy.normalise import normalise, normalise_with_offsets, original_span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１２３", "123"),  # fullwidth digits (NFKC)
        ("١٢٣", "123"),  # Arabic-Indic digits (unicodedata.digit)
        ("۱۲۳", "123"),  # extended Arabic-Indic (Persian) digits
        ("१२३", "123"),  # Devanagari digits
        ("1\u200b2\u200c3\u200d4\u00ad5\u2060\ufeff", "12345"),  # format characters removed
        ("a\u00a0b\u202fc\u2009d\u3000e\tf", "a b c d e f"),  # every space, and a tab
        ("a\u2010b\u2011c\u2012d\u2013e\u2014f\u2212g\ufe63h\uff0di", "a-b-c-d-e-f-g-h-i"),
        ("jan＠x.nl jan﹫x.nl", "jan@x.nl jan@x.nl"),  # fullwidth and small @ (NFKC)
        ("ＮＬ９１", "NL91"),  # fullwidth letters
        ("regel\u2028regel", "regel\nregel"),  # line separator
        ("cliënt reëel", "cliënt reëel"),  # ordinary letters stay
        ("plain text 06-12345678", "plain text 06-12345678"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_offsets_point_back_at_the_characters_written():
    # "a", ZWSP (removed), fullwidth "１" -> "1", "㎏" -> "kg" (two characters from one)
    normalised, starts = normalise_with_offsets("a\u200b１㎏")
    assert normalised == "a1kg"
    assert starts == [0, 2, 3, 3, 4]
    assert original_span(starts, 1, 2) == (2, 3)  # the "1" is the fullwidth digit
    assert original_span(starts, 2, 4) == (3, 4)  # "kg" is the one "㎏"


@given(text=st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_offsets_agree_with_normalise(text):
    normalised, starts = normalise_with_offsets(text)
    assert normalised == normalise(text)
    assert len(starts) == len(normalised) + 1
    assert starts == sorted(starts)
    for i in range(len(normalised)):  # each character comes from the one at its offset
        assert normalised[i] in normalise(text[starts[i]])


@given(text=st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_normalised_text_has_no_format_characters_or_odd_digits_spaces_dashes(text):
    for char in normalise(text):
        category = unicodedata.category(char)
        assert category != "Cf"
        assert category != "Zs" or char == " "
        assert category != "Pd" or char == "-"
        assert category != "Nd" or char.isascii()
        assert char not in "\t\u2212"


@given(text=st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)
