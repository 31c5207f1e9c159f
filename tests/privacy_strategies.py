"""Hypothesis strategies and independent checksums shared by the privacy tests."""

from __future__ import annotations

import string

from hypothesis import assume
from hypothesis import strategies as st

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


any_text = st.lists(st.one_of(identifier_fragments, plain_fragments), max_size=6).map(" ".join)
