"""Tests of the identifier guard: detection, redaction and anonymisation."""

from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from casuistry.errors import PROBLEM_COLUMNS, CasuistryError
from casuistry.privacy import (
    AnonymiseError,
    anonymise,
    detect,
    find_identifiers,
    pseudonymise,
    redact_text,
    scan,
    scan_identifiers,
)
from casuistry.timeaxis import parse_times

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


# --- independent implementations of the checksums ------------------------------


def bsn_check_digit(first_eight: str) -> int:
    """Eleven-test: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 must be divisible by 11."""
    return sum((9 - i) * int(d) for i, d in enumerate(first_eight)) % 11


def passes_eleven_test(nine: str) -> bool:
    total = sum((9 - i) * int(d) for i, d in enumerate(nine[:8])) - int(nine[8])
    return total % 11 == 0 and int(nine) > 0


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616: move country + '00' to the end, letters to 10..35, 98 - n mod 97."""
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    return f"{98 - number % 97:02d}"


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


# --- scanning tables ------------------------------------------------------------


def test_scan_maps_a_value_back_to_every_row_and_sorts():
    frame = pd.DataFrame(
        {
            "description": ["a@b.nl", "niets", "a@b.nl", None, "BSN 111222333"],
            "source": ["dossier p.1", "tel 06-12345678", "x", "a@b.nl", "y"],
        }
    )
    problems = scan_identifiers(frame, file="case.csv")
    assert problems[["row", "column"]].values.tolist() == [
        [2, "description"],
        [3, "source"],
        [4, "description"],
        [5, "source"],
        [6, "description"],
    ]
    assert set(problems["file"]) == {"case.csv"}


def test_scan_rows_columns_and_index():
    frame = pd.DataFrame({"a": ["a@b.nl", "x"], "b": ["a@b.nl", "x"]}, index=[10, 11])
    assert scan_identifiers(frame)["row"].tolist() == [12, 12]  # index + 2
    assert scan_identifiers(frame, rows=[7, 8])["row"].tolist() == [7, 7]
    only_b = scan_identifiers(frame, columns=["b", "not there"])
    assert only_b["column"].tolist() == ["b"]
    labelled = frame.set_axis(["r1", "r2"])
    assert scan_identifiers(labelled)["row"].tolist() == [2, 2]  # position + 2
    with pytest.raises(ValueError, match="rows"):
        scan_identifiers(frame, rows=[1])


def test_scan_reads_number_columns_and_skips_booleans():
    # issue 10: a whole number in any numeric column (111222333.0 too) is read as its digits
    frame = pd.DataFrame(
        {
            "bsn": [111222333, 5],
            "severity": [3, 4],
            "ratio": [111222333.0, 1.0],
            "ok": [True, False],
        }
    )
    problems = scan_identifiers(frame)
    assert problems[["row", "column"]].values.tolist() == [[2, "bsn"], [2, "ratio"]]


def test_scan_reads_categorical_columns():
    frame = pd.DataFrame({"source": pd.Categorical(["a@b.nl", "dossier", "a@b.nl"])})
    assert scan_identifiers(frame)["row"].tolist() == [2, 4]


def test_scan_of_clean_table_is_empty_with_problem_columns():
    problems = scan_identifiers(pd.DataFrame({"description": ["belde school", None]}))
    assert problems.empty
    assert list(problems.columns) == PROBLEM_COLUMNS


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

eight_digits = st.text(alphabet=string.digits, min_size=8, max_size=8)


@st.composite
def valid_bsns(draw):
    first = draw(eight_digits)
    check = bsn_check_digit(first)
    assume(check < 10 and int(first) > 0)
    number = first + str(check)
    assert passes_eleven_test(number)  # the two test implementations agree
    style = draw(st.sampled_from(["plain", "stdnum", "spaces", "groups"]))
    return {
        "plain": number,
        "stdnum": f"{number[:4]}.{number[4:6]}.{number[6:]}",
        "spaces": f"{number[:4]} {number[4:6]} {number[6:]}",
        "groups": f"{number[:3]}.{number[3:6]}.{number[6:]}",
    }[style]


@given(bsn=valid_bsns())
@settings(max_examples=150)
def test_valid_bsns_are_caught(bsn):
    text = f"cliënt {bsn} bekend"
    assert kinds(text) == ["bsn"]
    assert len(scan_one(text)) == 1


@given(number=st.text(alphabet=string.digits, min_size=9, max_size=9))
@settings(max_examples=150)
def test_nine_digits_failing_the_eleven_test_are_not_caught(number):
    assume(not passes_eleven_test(number))
    assert "bsn" not in kinds(f"nummer {number} genoteerd")
    assert "bsn" not in kinds(f"BSN {number}")


# BBAN structures from the IBAN registry: (alphabet, length) per part.
UPPER, DIGITS = string.ascii_uppercase, string.digits
BBANS = {
    "NL": [(UPPER, 4), (DIGITS, 10)],
    "DE": [(DIGITS, 18)],
    "GB": [(UPPER, 4), (DIGITS, 14)],
    "IT": [(UPPER, 1), (DIGITS, 10), (UPPER + DIGITS, 12)],
}


@st.composite
def ibans(draw, *, valid=True):
    country = draw(st.sampled_from(sorted(BBANS)))
    bban = "".join(
        draw(st.text(alphabet=alphabet, min_size=size, max_size=size))
        for alphabet, size in BBANS[country]
    )
    check = iban_check_digits(country, bban)
    if not valid:  # 00..01 and 97..99 are the same as 97..98 and 00..02 modulo 97
        wrong = [n for n in range(100) if n % 97 != int(check) % 97]
        check = f"{draw(st.sampled_from(wrong)):02d}"
    compact = country + check + bban
    if draw(st.booleans()):
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


@given(iban=ibans())
@settings(max_examples=150)
def test_valid_ibans_are_caught(iban):
    text = f"rekening {iban} van moeder"
    assert kinds(text) == ["iban"]
    assert len(scan_one(text)) == 1


@given(iban=ibans(valid=False))
@settings(max_examples=150)
def test_ibans_with_a_wrong_check_digit_are_not_caught(iban):
    assert "iban" not in kinds(f"rekening {iban} van moeder")


# --- hypothesis: redaction leaves nothing a scan would find ----------------------

identifier_fragments = st.one_of(
    valid_bsns(),
    ibans(),
    st.sampled_from(
        [
            "j.jansen@example.nl",
            "06-12345678",
            "+31 20 123 4567",
            "(020) 123 45 67",
            "1234 AB 12a",
            "Dorpsstraat 7, 2514 EA",
            "geboren op 12 maart 2015",
            "geb. 01-02-2003",
            "2015-03-12 (geboortedatum)",
        ]
    ),
)
plain_fragments = st.one_of(
    st.sampled_from(
        ["moeder", "belde", "geboren", "op", "2024-03-01", "14:30", "zaak 2024-0183", "BSN", ","]
    ),
    st.text(alphabet=string.digits + " .-/+@()", max_size=12),
    st.text(max_size=8),
)


@given(parts=st.lists(st.one_of(identifier_fragments, plain_fragments), max_size=8))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_redacted_text_holds_no_identifier(parts):
    for joiner in (" ", ""):
        redacted = redact_text(joiner.join(parts))
        assert find_identifiers(redacted) == []
        assert scan_one(redacted).empty


any_text = st.lists(st.one_of(identifier_fragments, plain_fragments), max_size=6).map(" ".join)


@given(text=any_text)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
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


@given(texts=st.lists(any_text | st.text(max_size=20), min_size=1, max_size=20))
@settings(max_examples=100)
def test_prefilter_reads_alike_in_re2_and_python(texts):
    # scan runs the prefilter in RE2 (pyarrow), find_identifiers in Python's re.
    in_re2 = [code for code, _ in scan._candidates(np.array(texts, dtype=object))]
    in_python = [i for i, text in enumerate(texts) if detect._PREFILTER.search(text)]
    assert sorted(set(in_re2)) == sorted(set(in_python))


# --- anonymise --------------------------------------------------------------------


def raw_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": ["gezin-Jansen"] * 4 + ["B"] * 2,
            "event_id": ["s1", "s2", "d1", "m1", "s1", "w1"],
            "time": [
                "2024-03-01",
                "2024-03-02T10:00",
                "2024-03-05T10:00:00+01:00",
                "2024-03-06",
                "3",
                "10",
            ],
            "kind": ["signal", "signal", "share", "meeting", "signal", "withhold"],
            "actor": ["school", "huisarts", "school", "wijkteam", "school", "school"],
            "to": [None, None, "huisarts; wijkteam", "school;huisarts", None, "huisarts"],
            "signals": [None, None, "s1", "s1;s2", None, "s1"],
            "subject": ["kind-1", "Piet Jansen", None, "moeder", "Vader 2", "111222333"],
            "description": [
                "moeder belde van 06-12345678",
                "zorgen",
                None,
                "BSN 111222333",
                "",
                "x",
            ],
        }
    )


def raw_actors() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "actor": ["school", "huisarts", "wijkteam"],
            "silo": ["onderwijs", "zorg", "gemeente"],
            "label": ["Basisschool De Regenboog", "Dr. Pietersen", "mail wijkteam@x.nl"],
        }
    )


KEY = "een-geheime-sleutel-42!"


def test_anonymise_pseudonymises_ids_and_keeps_references():
    raw = raw_events()
    before = raw.copy()
    out, actors = anonymise(raw, key=KEY)
    pd.testing.assert_frame_equal(raw, before)  # input untouched
    assert actors is None
    assert out["case_id"].str.fullmatch(r"c-[0-9a-f]{8}").all()
    assert out["case_id"].nunique() == 2
    assert out["event_id"].str.fullmatch(r"e-[0-9a-f]{8}").all()
    # s1 of case gezin-Jansen and s1 of case B are different events
    assert out.loc[0, "event_id"] != out.loc[4, "event_id"]
    assert out.loc[2, "signals"] == out.loc[0, "event_id"]
    assert out.loc[3, "signals"] == f"{out.loc[0, 'event_id']};{out.loc[1, 'event_id']}"
    assert out.loc[5, "signals"] == out.loc[4, "event_id"]
    assert pd.isna(out.loc[0, "signals"])
    # roles stay readable, anything else becomes a pseudonym
    assert out.loc[0, "subject"] == "kind-1"
    assert out.loc[3, "subject"] == "moeder"
    assert out.loc[4, "subject"] == "Vader 2"
    assert out.loc[1, "subject"].startswith("p-")
    assert out.loc[5, "subject"].startswith("p-")
    assert pd.isna(out.loc[2, "subject"])
    # actors and times untouched without the options
    assert out["actor"].tolist() == raw["actor"].tolist()
    assert out["time"].tolist() == raw["time"].tolist()
    assert out.loc[0, "description"] == "moeder belde van [TELEFOON]"
    assert out.loc[3, "description"] == "BSN [BSN]"
    assert scan_identifiers(out).empty


def test_anonymise_actors_consistently():
    out, actors = anonymise(raw_events(), raw_actors(), key=KEY, pseudonymise_actors=True)
    names = dict(zip(raw_actors()["actor"], actors["actor"], strict=True))
    assert all(name.startswith("a-") for name in names.values())
    assert out["actor"].tolist() == [names[a] for a in raw_events()["actor"]]
    assert out.loc[2, "to"] == f"{names['huisarts']};{names['wijkteam']}"
    assert out.loc[3, "to"] == f"{names['school']};{names['huisarts']}"
    assert actors["label"].tolist() == actors["actor"].tolist()
    assert actors["silo"].tolist() == raw_actors()["silo"].tolist()


def test_anonymise_redacts_the_actors_table_without_pseudonyms():
    _, actors = anonymise(raw_events(), raw_actors(), key=KEY)
    assert actors["actor"].tolist() == raw_actors()["actor"].tolist()
    assert actors.loc[2, "label"] == "mail [E-MAIL]"


def test_anonymise_other_id_columns_get_their_first_letter():
    raw = raw_events().assign(household=["h1", "h1", "h2", "h2", "h1", None])
    out, _ = anonymise(raw, key=KEY, id_columns=("household",))
    assert out["case_id"].tolist() == raw["case_id"].tolist()
    assert out["household"].iloc[:5].str.fullmatch(r"h-[0-9a-f]{8}").all()
    assert out.loc[0, "household"] == out.loc[1, "household"] != out.loc[2, "household"]
    assert out.loc[0, "household"] != out.loc[4, "household"]  # same value, other case
    assert pd.isna(out.loc[5, "household"])


def test_anonymise_text_columns_can_be_chosen():
    raw = raw_events().assign(notes="tel 06-12345678")
    out, _ = anonymise(raw, key=KEY, text_columns=["notes"])
    assert out.loc[0, "description"] == raw.loc[0, "description"]
    assert out.loc[0, "notes"] == "tel [TELEFOON]"


def test_anonymise_shifts_each_case_by_one_offset_in_its_own_style():
    raw = raw_events()
    out, _ = anonymise(raw, key=KEY, shift_days=30)
    before, after = parse_times(raw["time"]), parse_times(out["time"])
    assert after["style"].tolist() == before["style"].tolist()
    shift = (after["ticks"] - before["ticks"]).groupby(raw["case_id"]).unique()
    for offsets in shift:
        assert len(offsets) == 1
        assert offsets[0] % 86_400 == 0
        assert 0 < abs(offsets[0]) <= 30 * 86_400
    assert out.loc[2, "time"].endswith("T10:00:00+01:00")


def test_anonymise_shifts_datetime_and_number_columns():
    stamps = pd.DataFrame(
        {"case_id": ["a", "a"], "time": pd.to_datetime(["2024-03-01 00:00", "2024-03-02 10:00"])}
    )
    out, _ = anonymise(stamps, key=KEY, shift_days=5)
    delta = out["time"] - stamps["time"]
    assert delta.nunique() == 1 and pd.Timedelta(0) < abs(delta.iloc[0]) <= pd.Timedelta(days=5)
    days = pd.DataFrame({"case_id": ["a", "a"], "time": [0, 7]})
    out, _ = anonymise(days, key=KEY, shift_days=5)
    assert (out["time"] - days["time"]).nunique() == 1


@pytest.mark.parametrize("key", ["", "   ", b"", None, 42])
def test_anonymise_refuses_a_missing_key(key):
    with pytest.raises(AnonymiseError, match="key") as info:
        anonymise(raw_events(), key=key)
    assert isinstance(info.value, CasuistryError)


@pytest.mark.parametrize("shift_days", [0, -3, 2.5, True])
def test_anonymise_refuses_a_bad_shift(shift_days):
    with pytest.raises(AnonymiseError, match="shift_days"):
        anonymise(raw_events(), key=KEY, shift_days=shift_days)


def test_anonymise_names_rows_it_cannot_shift_and_not_the_key():
    raw = raw_events()
    raw.loc[3, "time"] = "next tuesday"
    with pytest.raises(AnonymiseError, match=r"row 5\b") as info:
        anonymise(raw, key=KEY, shift_days=10)
    assert KEY not in str(info.value)


def test_pseudonyms_stay_unique_when_short_ones_clash(monkeypatch):
    # With one hex digit 40 events of a case must clash; the clashing ones get longer.
    monkeypatch.setattr(pseudonymise, "_SHORT_HEX", 1)
    events = pd.DataFrame({"case_id": ["a"] * 40, "event_id": [f"e{i}" for i in range(40)]})
    first, _ = anonymise(events, key=KEY)
    second, _ = anonymise(events, key=KEY)
    assert first["event_id"].is_unique
    assert first["event_id"].str.len().nunique() > 1
    pd.testing.assert_frame_equal(first, second)


# --- hypothesis: anonymise ----------------------------------------------------------

keys = st.text(alphabet=string.ascii_letters + string.digits + "!#%&*", min_size=16, max_size=30)


@st.composite
def raw_corpora(draw):
    """Raw events of a few cases; signals refer to earlier signals of the same case."""
    rows = []
    for case_number in range(draw(st.integers(1, 3))):
        case = f"case {case_number}"
        style = draw(st.sampled_from(["date", "datetime", "days"]))
        n = draw(st.integers(1, 6))
        signal_ids: list[str] = []
        for i in range(n):
            day = draw(st.integers(0, 400))
            if style == "days":
                time = str(day)
            else:
                date = (pd.Timestamp("2023-01-01") + pd.Timedelta(days=day)).strftime("%Y-%m-%d")
                time = date if style == "date" else f"{date}T{draw(st.integers(0, 23)):02d}:15"
            event_id = draw(st.sampled_from(["s", "e", "ev-", "x"])) + str(i)
            refs = draw(st.lists(st.sampled_from(signal_ids), unique=True)) if signal_ids else []
            kind = "signal" if not refs else "share"
            rows.append(
                {
                    "case_id": case,
                    "event_id": event_id,
                    "time": time,
                    "kind": kind,
                    "actor": draw(st.sampled_from(["school", "huisarts", "politie"])),
                    "signals": ";".join(refs) if refs else None,
                    "description": draw(identifier_fragments | plain_fragments),
                }
            )
            if kind == "signal":
                signal_ids.append(event_id)
    return pd.DataFrame(rows)


@given(raw=raw_corpora(), key=keys, other_key=keys, shift=st.integers(1, 60))
@settings(max_examples=100, deadline=None)
def test_anonymise_properties(raw, key, other_key, shift):
    assume(key != other_key)
    out, _ = anonymise(raw, key=key, shift_days=shift, pseudonymise_actors=True)
    again, _ = anonymise(raw, key=key, shift_days=shift, pseudonymise_actors=True)
    other, _ = anonymise(raw, key=other_key, shift_days=shift, pseudonymise_actors=True)

    pd.testing.assert_frame_equal(out, again)  # deterministic for one key
    assert (out["case_id"] != other["case_id"]).all()  # differs across keys
    assert (out["event_id"] != other["event_id"]).all()

    # event ids stay unique per case; signals name the same events as before
    assert not out.duplicated(["case_id", "event_id"]).any()
    new_id = {
        (case, old): new
        for case, old, new in zip(raw["case_id"], raw["event_id"], out["event_id"], strict=True)
    }
    for case, old, new in zip(raw["case_id"], raw["signals"], out["signals"], strict=True):
        if pd.isna(old):
            assert pd.isna(new)
        else:
            assert new.split(";") == [new_id[(case, item)] for item in old.split(";")]

    # every time keeps its style; a case moves by one whole number of days
    before, after = parse_times(raw["time"]), parse_times(out["time"])
    assert after["style"].tolist() == before["style"].tolist()
    moved = (after["ticks"] - before["ticks"]).astype("int64")
    assert (moved.groupby(raw["case_id"]).nunique() == 1).all()
    assert ((moved % 86_400 == 0) & (moved != 0) & (moved.abs() <= shift * 86_400)).all()

    # nothing identifying is left, and the key is nowhere
    assert scan_identifiers(out, columns=["description"]).empty
    assert not any(key in str(cell) for cell in out.to_numpy().ravel())


def test_anonymise_many_cases_each_get_one_offset():
    n = 5_000
    rng = np.random.default_rng(1)
    events = pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in rng.integers(0, 200, n)],
            "event_id": [f"e{i}" for i in range(n)],
            "time": [str(d) for d in rng.integers(0, 300, n)],
            "description": rng.choice(["belde", "mail a@b.nl", "niets"], n),
        }
    )
    out, _ = anonymise(events, key=KEY, shift_days=10)
    moved = out["time"].astype(int) - events["time"].astype(int)
    per_case = moved.groupby(events["case_id"]).unique()
    assert per_case.map(len).eq(1).all()
    offsets = per_case.map(lambda o: o[0])
    assert offsets.between(-10, 10).all() and (offsets != 0).all()
    assert offsets.nunique() > 10  # cases do not share one offset
    assert scan_identifiers(out).empty
