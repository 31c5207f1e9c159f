"""Fuzzing the reading boundary: every input validates, or is refused in the user's terms.

Two sources of input: hypothesis builds CSV files from headers and cells
chosen to break readers (the format's columns in odd case and spacing,
unknown and duplicate headers, unicode, quotes, line breaks, NUL, BOMs,
separators, very long cells, planted identifiers, trailing commas, other
encodings), and ``tests/hostile/make_hostile.py`` builds a corpus of hostile
files of every class of issue 10. For each, ``casuistry validate`` (run in
this process through :func:`casuistry.cli.main`) must exit 0, or exit 2 with
a message naming the file; it must never end in a traceback, and never print
an identifier planted in the input.
"""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from pathlib import Path

import pytest
from hostile import make_hostile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casuistry.cli import main
from casuistry.vocabulary import EVENT_COLUMNS

PLANTED = make_hostile.PLANTED


def validate(path: Path) -> tuple[int, str]:
    """Exit status and everything printed by ``casuistry validate PATH``.

    An exception escaping :func:`main` (what the shell shows as a traceback
    and exit status 1) fails the test that calls this.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(path)])
    return code, out.getvalue() + err.getvalue()


def check(path: Path, shown_file: str, planted) -> tuple[int, str]:
    """The property every input must hold; returns the exit status and the text."""
    code, text = validate(path)
    assert code in (0, 2), text
    if code == 2:
        assert shown_file in text, text
    for identifier in planted:
        assert identifier not in text, (identifier, text)
    assert "Traceback" not in text
    return code, text


# --- hypothesis: CSV bytes -------------------------------------------------------------

odd_case = st.sampled_from(EVENT_COLUMNS).flatmap(
    lambda name: st.sampled_from([name, name.upper(), name.title(), f" {name} ", f"\ufeff{name}"])
)
planted_cell = st.sampled_from(
    [
        f"BSN {make_hostile.BSN}",
        make_hostile.BSN,
        make_hostile.EMAIL,
        make_hostile.PHONE,
        f"rekening {make_hostile.IBAN}",
    ]
)
plain = st.sampled_from(
    [
        "c1",
        "c2",
        "e1",
        "e2",
        "2024-03-01",
        "3",
        "2024-03-01T14:30",
        "signaal",
        "niet_delen",
        "overleg",
        "incident",
        "school",
        "huisarts",
        "school;wijkteam",
        "e1;e2",
        "verzuim",
    ]
)
weird = st.sampled_from(
    [
        '"',
        '""',
        ",",
        ";",
        "\n",
        "\r\n",
        "\r",
        "\x00",
        "\ufeff",
        "\t",
        " ",
        "=1+1",
        "é",
        "\u200b",
        "<script>alert(1)</script>",
        "x" * 33000,
        "é" * 40,
    ]
)
cell = st.one_of(plain, planted_cell, weird, st.text(max_size=12))
header = st.lists(st.one_of(odd_case, odd_case, st.text(max_size=8), planted_cell), max_size=12)


@st.composite
def csv_files(draw) -> tuple[bytes, tuple[str, ...]]:
    """The bytes of an events.csv, and the identifiers planted in it."""
    names = draw(header)
    width = max(len(names), 1)
    rows = draw(
        st.lists(
            st.lists(cell, min_size=max(width - 2, 0), max_size=width + 2), min_size=0, max_size=6
        )
    )
    buffer = io.StringIO()
    if draw(st.booleans()):  # quoted as csv writes it, or joined raw (broken quoting)
        writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
        writer.writerow(names)
        writer.writerows(rows)
    else:
        trailing = draw(st.sampled_from(["", ","]))
        for record in [names, *rows]:
            buffer.write(",".join(record) + trailing + "\n")
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    planted = tuple(p for p in PLANTED if p in text)
    return data, planted


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(csv_files())
def test_random_csv_validates_or_is_refused_without_echoing_identifiers(generated):
    data, planted = generated
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "events.csv").write_bytes(data)
        check(Path(folder), "events.csv", planted)


# --- the hostile corpus ------------------------------------------------------------------

#: What the message must say: where the fault is, or what it is.
PLACES = {
    "billion-laughs": "it declares XML entities",
    "external-entity": "it declares XML entities",
    "bomb-lying-size": "a part holding more than it declares",
    "bomb-total": "would unpack to 250 MB",
    "fifo": "is not a regular file",
    "trailing-comma": "line 2 has 10",
    "short-row": "line 5 has 7",
    "long-row": "line 4 has 10",
    "mixed-rows": "1 row has more fields than the header (9 fields; line 2 has 11)",
    "description-twice-cased": "column 9 ('description') and column 10 ('description')",
    "identifier-header-twice": "column 10 and column 11",
    "huge-cell-csv": "row 2, column 9",
    "huge-cell-book": "row 3, column 9",
    "bsn-beyond-header-book": "row 4, column J",
    "bsn-in-description": "row 2, column description",
    "latin1": "line 2",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return {h.name: h for h in make_hostile.build(tmp_path_factory.mktemp("hostile"))}


def test_the_corpus_covers_every_class_with_enough_files(corpus):
    kinds = {h.kind for h in corpus.values()}
    assert len(corpus) >= 40
    assert kinds >= {"encoding", "shape", "directory", "duplicate header", "dimension"}
    assert kinds >= {"zip bomb", "huge cell", "formula", "identifier", "markup"}


def test_every_hostile_input_validates_or_is_refused_in_the_users_terms(corpus):
    outcomes = {}
    for name, hostile in corpus.items():
        in_folder = hostile.path.is_dir() and hostile.kind != "directory"
        code, text = check(
            hostile.path, "events.csv" if in_folder else hostile.path.name, hostile.planted
        )
        outcomes[name] = code
        if name in PLACES:
            assert PLACES[name] in text, (name, text)
    expected = {
        name: 0 if h.expect == "ok" else 2 for name, h in corpus.items() if h.expect != "either"
    }
    assert {name: outcomes[name] for name in expected} == expected
