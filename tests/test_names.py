"""File names from case ids: valid, bounded, unique (also ignoring case) and stable."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from casuistry.io.names import case_file_name

VALID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\.html")
WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {
    f"{d}{n}" for d in ("com", "lpt") for n in "0123456789"
}

# ids a user may type, and ids made to hurt: paths, devices, controls, long, unicode
ids = st.one_of(
    st.text(max_size=400),
    st.text(alphabet="aA1-_./\\:", max_size=12),
    st.sampled_from(["index", "INDEX", "CON", "nul", "com1", "../x", "a/../b", "\x01\x7f", ""]),
)


@settings(max_examples=300)
@given(st.lists(ids, unique=True, max_size=30))
def test_names_are_unique_valid_and_bounded(case_ids):
    names = [case_file_name(case_id) for case_id in case_ids]
    assert len({name.casefold() for name in names}) == len(case_ids)  # unique, ignoring case
    for name in names:
        assert VALID.fullmatch(name), name
        stem = name.removesuffix(".html")
        assert stem not in WINDOWS_DEVICES and stem != "index"


@given(ids)
def test_a_name_depends_on_the_id_alone(case_id):
    assert case_file_name(case_id) == case_file_name(str(case_id))
    assert case_file_name(case_id, suffix=".csv") == case_file_name(case_id)[:-5] + ".csv"


def test_plain_ids_keep_their_name_and_others_get_a_slug_and_a_hash():
    assert case_file_name("jb-0001") == "jb-0001.html"
    # sha256("index") starts 1bc04b5291c26a46: the name of the index page is never taken
    assert case_file_name("index") == "index_1bc04b5291c26a46.html"
    for case_id, slug in [("A1", "a1_"), ("CON", "con_"), ("../x", "x_"), ("Zoë 1", "zoe-1_")]:
        assert case_file_name(case_id).startswith(slug), case_id
    assert case_file_name("A1") != case_file_name("a1") == "a1.html"
    long = case_file_name("x" * 300)
    assert long == "x" * 40 + "_" + long[41:57] + ".html" and len(long) == 62
