"""Tests of casuistry.privacy.detect: finding and redacting identifiers in one text."""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from privacy_strategies import (
    any_text,
    ibans,
    identifier_fragments,
    passes_eleven_test,
    plain_fragments,
    valid_bsns,
)

from casuistry.errors import PROBLEM_COLUMNS
from casuistry.privacy import (
    PLACEHOLDERS,
    Identifier,
    detect,
    find_identifiers,
    normalise,
    redact_text,
    scan_identifiers,
)

# Words that name each kind in the problem message.
KIND_WORDS = {
    "bsn": "BSN",
    "email": "e-mail",
    "phone": "phone number",
    "iban": "IBAN",
    "postcode": "postcode",
    "birthdate": "date of birth",
}


def kinds(text: str) -> list[str]:
    return [hit.kind for hit in find_identifiers(text)]


def scan_one(text: str) -> pd.DataFrame:
    return scan_identifiers(pd.DataFrame({"description": [text]}))


# --- detection per kind: positives ----------------------------------------------

POSITIVES = [
    ("bsn", "BSN van moeder: 111222333", "111222333"),
    ("bsn", "cliënt 1112.22.333 bekend", "1112.22.333"),
    ("bsn", "nummer 111 222 333 genoteerd", "111 222 333"),
    ("bsn", "burgerservicenummer 12345672", "12345672"),  # eight digits, leading zero dropped
    ("email", "mail van j.jansen@example.nl ontvangen", "j.jansen@example.nl"),
    ("phone", "moeder belde vanaf 06-12345678", "06-12345678"),
    ("phone", "bereikbaar op +31 6 12345678", "+31 6 12345678"),
    ("phone", "bereikbaar op 0031 6 1234 5678", "0031 6 1234 5678"),
    ("phone", "huisarts (020) 123 45 67", "(020) 123 45 67"),
    ("phone", "vast nummer 020-1234567", "020-1234567"),
    ("iban", "rekening NL91 ABNA 0417 1643 00 van vader", "NL91 ABNA 0417 1643 00"),
    ("iban", "rekening NL91ABNA0417164300", "NL91ABNA0417164300"),
    ("iban", "Duitse rekening DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
    ("postcode", "woont op 1234 AB 12", "1234 AB 12"),
    ("postcode", "adres 1234AB 12a", "1234AB 12a"),
    ("postcode", "Dorpsstraat 12, 1234 AB Amsterdam", "12, 1234 AB"),
    ("birthdate", "kind-1 geboren op 12 maart 2015", "12 maart 2015"),
    ("birthdate", "kind-1 (geb. 12-03-2015)", "12-03-2015"),
    ("birthdate", "geboortedatum: 2015-03-12", "2015-03-12"),
    ("birthdate", "child born 12/3/2015 in Utrecht", "12/3/2015"),
    ("birthdate", "DOB 12.03.2015", "12.03.2015"),
    ("birthdate", "is op 12-03-2015 geboren", "12-03-2015"),
    ("birthdate", "date of birth: March 12, 2015", "March 12, 2015"),
]


@pytest.mark.parametrize(("kind", "text", "value"), POSITIVES)
def test_scan_reports_each_kind_without_the_value(kind, text, value):
    frame = pd.DataFrame({"kind": ["signal", "signal"], "description": ["niets", text]})
    problems = scan_identifiers(frame)
    assert list(problems.columns) == PROBLEM_COLUMNS
    assert problems[["file", "row", "column"]].to_dict("records") == [
        {"file": "events.csv", "row": 3, "column": "description"}
    ]
    message = problems["message"].iloc[0]
    assert KIND_WORDS[kind] in message
    assert "anonymise" in message  # says how to fix
    assert value not in message
    assert value.replace(" ", "") not in message


@pytest.mark.parametrize(("kind", "text", "value"), POSITIVES)
def test_find_identifiers_gives_kind_and_span(kind, text, value):
    hits = find_identifiers(text)
    assert [hit.kind for hit in hits] == [kind]
    assert text[hits[0].start : hits[0].end] == value


# --- detection per kind: negatives ----------------------------------------------

NEGATIVES = [
    "nummer 111222334 genoteerd",  # nine digits failing the eleven-test
    "nummer 1112.22.334",  # idem, stdnum style
    "nr 12345672",  # eight digits that pass, but no BSN label
    "zaak 2024-0183",  # case number
    "dossier 2024-0183-01",
    "gesprek op 2024-03-01",  # plain ISO date
    "gesprek op 01-03-2024",  # plain Dutch date
    "overleg 01-03-2024 14:30 met school",  # date and time: no phone number
    "overleg 2024-03-01T14:30",
    "om 14.30 uur",
    "na 123 dagen",  # a day count
    "dag 20240301",  # a compact date
    "Veilig Thuis gebeld op 0800-2000",  # service number of an organisation
    "rekening NL91 ABNA 0417 1643 01",  # IBAN with a wrong checksum
    "postcode 1234 AB",  # a postcode alone
    "1234 AB Utrecht",
    "in 2024 is 3 keer gemeld",  # looks like a postcode in lower case
    "2611 SS 12",  # banned postcode letters
    "gebeld op 12-03-2015",  # a date without a birth word
    "geboren. Op 12-03-2015 melding school",  # birth word in another sentence
    "geboren in het ziekenhuis van Utrecht op 12-03-2015",  # too far apart
    "gesprek 12-03-2015 over geboorte broertje",  # date before the word, not next to it
    "geboren 31-02-2015",  # no such day
    "ongeboren kind, uitgerekend 12-03-2015",
    "mail naar school gestuurd",
    "event e-8123ab12",  # a pseudonym of anonymise: hex digits, not a postcode
    "",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_false_alarm(text):
    assert find_identifiers(text) == []
    assert scan_one(text).empty


def test_several_kinds_in_one_cell_give_one_problem_each():
    text = "mail a@b.nl, tel 06-12345678 of 06-12345679, BSN 111222333"
    assert kinds(text) == ["email", "phone", "phone", "bsn"]
    messages = scan_one(text)["message"].tolist()  # two phones: one problem; kinds in order
    assert len(messages) == 3
    for kind, message in zip(["bsn", "email", "phone"], messages, strict=True):
        assert KIND_WORDS[kind] in message


def test_overlapping_findings_keep_the_longest():
    # The BSN digits are part of the e-mail address: one e-mail, no BSN.
    assert kinds("stuur naar 111222333@example.nl") == ["email"]


# --- redaction --------------------------------------------------------------------


def test_redact_uses_a_placeholder_per_kind():
    text = (
        "BSN 111222333; mail j@x.nl; tel +31 6 12345678; rekening NL91ABNA0417164300; "
        "adres 1234 AB 12; geboren op 12-03-2015."
    )
    assert redact_text(text) == (
        "BSN [BSN]; mail [E-MAIL]; tel [TELEFOON]; rekening [IBAN]; "
        "adres [POSTCODE+HUISNUMMER]; geboren op [GEBOORTEDATUM]."
    )


def test_redact_leaves_clean_text_alone():
    text = "zaak 2024-0183: overleg op 2024-03-01 om 14:30, na 12 dagen"
    assert redact_text(text) == text


# --- hypothesis: BSN and IBAN checksums -----------------------------------------


@given(bsn=valid_bsns())
@settings(max_examples=150, deadline=None)
@example(bsn="004312004")  # also a valid number abroad: 00 43 (Austria) 12004
def test_valid_bsns_are_caught(bsn):
    text = f"cliënt {bsn} bekend"
    assert kinds(text) == ["bsn"]
    assert len(scan_one(text)) == 1


@given(number=st.text(alphabet=string.digits, min_size=9, max_size=9))
@settings(max_examples=150, deadline=None)
def test_nine_digits_failing_the_eleven_test_are_not_caught(number):
    assume(not passes_eleven_test(number))
    assert "bsn" not in kinds(f"nummer {number} genoteerd")
    assert "bsn" not in kinds(f"BSN {number}")


@given(iban=ibans())
@settings(max_examples=150, deadline=None)
def test_valid_ibans_are_caught(iban):
    text = f"rekening {iban} van moeder"
    assert kinds(text) == ["iban"]
    assert len(scan_one(text)) == 1


@given(iban=ibans(valid=False))
@settings(max_examples=150, deadline=None)
def test_ibans_with_a_wrong_check_digit_are_not_caught(iban):
    assert "iban" not in kinds(f"rekening {iban} van moeder")


# --- hypothesis: redaction leaves nothing a scan would find ----------------------


@given(parts=st.lists(st.one_of(identifier_fragments, plain_fragments), max_size=8))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_redacted_text_holds_no_identifier(parts):
    for joiner in (" ", ""):
        redacted = redact_text(joiner.join(parts))
        assert find_identifiers(redacted) == []
        assert scan_one(redacted).empty


@given(text=any_text)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_prefilter_never_hides_an_identifier(text):
    # The detectors alone (prefilter replaced by one that passes everything)
    # find nothing that the prefilter would have turned away.
    original = detect._PREFILTER
    detect._PREFILTER = re.compile("")
    try:
        unfiltered = find_identifiers(text)
    finally:
        detect._PREFILTER = original
    assert find_identifiers(text) == unfiltered


# --- Unicode variants of every kind (issue 10) -------------------------------------

# Each digit, space, dash and '@' written as other characters that a person or a
# program may produce: fullwidth, Arabic-Indic and Devanagari digits; no-break,
# narrow no-break, thin and ideographic spaces and a tab; hyphen, non-breaking
# hyphen, figure dash, en dash and minus sign; fullwidth and small commercial at.
DIGIT_SCRIPTS = {"fullwidth": 0xFF10, "arabic-indic": 0x0660, "devanagari": 0x0966}
SPACES = ["\u00a0", "\u202f", "\u2009", "\u3000", "\t"]
DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2212"]
ATS = ["\uff20", "\ufe6b"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff"]


@st.composite
def unicode_variants(draw, text: str) -> str:
    """The text with its digits, spaces, dashes and '@' rewritten; maybe invisibles between."""
    zero = DIGIT_SCRIPTS[draw(st.sampled_from(sorted(DIGIT_SCRIPTS)))]
    out = []
    for char in text:
        if char.isdigit() and draw(st.booleans()):
            char = chr(zero + int(char))
        elif char == " " and draw(st.booleans()):
            char = draw(st.sampled_from(SPACES))
        elif char == "-" and draw(st.booleans()):
            char = draw(st.sampled_from(DASHES))
        elif char == "@":
            char = draw(st.sampled_from(["@", *ATS]))
        out.append(char)
        if char.isdigit() and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
    return "".join(out)


@given(data=st.data(), case=st.sampled_from(POSITIVES))
@settings(max_examples=300, deadline=None)
def test_unicode_variants_of_every_kind_are_found_in_place(data, case):
    kind, text, value = case
    variant = data.draw(unicode_variants(text))
    hits = find_identifiers(variant)
    assert [hit.kind for hit in hits] == [kind]
    # The span is in the text as written: what comes before the identifier is the
    # variant of what comes before it in the plain text, and redaction keeps it.
    before = text[: text.index(value)]
    assert normalise(variant[: hits[0].start]) == normalise(before)
    redacted = redact_text(variant)
    assert find_identifiers(redacted) == []
    assert redacted == variant[: hits[0].start] + PLACEHOLDERS[kind] + variant[hits[0].end :]
    assert len(scan_one(variant)) == 1


UNICODE_EXAMPLES = [
    # the examples of issue 10, each accepted before the normalisation
    ("bsn", "BSN １１１２２２３３３"),  # fullwidth digits
    ("bsn", "BSN ١١١٢٢٢٣٣٣"),  # Arabic-Indic digits
    ("bsn", "BSN 111\u200b222\u200b333"),  # zero-width spaces
    ("phone", "bel 06\u00a012\u00a034\u00a056\u00a078"),  # no-break spaces
    ("phone", "bel ０６－１２３４５６７８"),  # fullwidth digits and hyphen-minus
    ("iban", "rekening NL91-ABNA-0417-1643-00"),  # hyphens
    ("iban", "rekening NL91\u2011ABNA\u20110417\u20111643\u201100"),  # non-breaking hyphens
    ("email", "mail jan@bücher.de"),  # internationalised domain
    ("email", "mail jan.jansen＠example.nl"),  # fullwidth @
    ("email", "mail ян@пример.рф"),  # Cyrillic name and domain
    ("postcode", "woont op 1234\u00a0AB\u00a012"),  # no-break spaces
    ("birthdate", "ge\u00adboren op １２‐０３‐２０１５"),  # soft hyphen, fullwidth, hyphen
]


@pytest.mark.parametrize(("kind", "text"), UNICODE_EXAMPLES)
def test_the_unicode_examples_of_the_issue_are_found(kind, text):
    assert kinds(text) == [kind]
    assert PLACEHOLDERS[kind] in redact_text(text)


def test_redaction_replaces_exactly_what_was_written():
    # "BSN " is 4 characters; the nine fullwidth digits and two zero-width spaces are 11 more
    text = "BSN １１１\u200b２２２\u200b３３３ bekend"
    assert find_identifiers(text) == [Identifier("bsn", 4, 15)]
    assert redact_text(text) == "BSN [BSN] bekend"


def test_the_stored_text_is_not_changed():
    frame = pd.DataFrame({"description": ["bel ０６\u00a0１２３４５６７８"]})
    before = frame.copy()
    assert len(scan_identifiers(frame)) == 1
    pd.testing.assert_frame_equal(frame, before)
