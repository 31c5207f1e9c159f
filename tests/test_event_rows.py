"""The events table parsed once: codes, ticks, split lists and keys, derived by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from casuistry.event_rows import _row_rules, kind_mask, pair_keys, parse_events, split_lists
from casuistry.kinds import KINDS


def _frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["case_id", "event_id", "time", "kind", "actor", "to", "signals", "category"]
    return pd.DataFrame(rows, columns=columns, dtype="string")


FRAME = _frame(
    [
        ("a", "s1", "2024-01-01", "signaal", "school", None, None, "verzuim"),
        ("a", "d1", "2024-01-02", "share", "school", "gp; wijkteam", "s1", None),
        ("b", "s1", "3", "signal", "gp", None, None, "letsel"),
        ("b", "x", "nooit", "telefoon", "gp", " ; ", None, None),
    ]
)


def test_kinds_are_read_in_dutch_and_english_and_unknown_ones_are_minus_one():
    parsed = parse_events(FRAME, KINDS)
    codes = KINDS.codes
    # signaal -> signal, share -> share, signal -> signal, telefoon -> unknown
    expected = [codes.index("signal"), codes.index("share"), codes.index("signal"), -1]
    assert parsed.kind.tolist() == expected
    assert kind_mask(parsed, ["share"]).tolist() == [False, True, False, False]
    # the unknown kind is in no mask, not even that of the registry's last kind
    assert not kind_mask(parsed, codes)[3] and kind_mask(parsed, codes)[:3].all()


def test_times_become_seconds_and_an_unreadable_time_has_no_style():
    parsed = parse_events(FRAME, KINDS)
    # 2024-01-02 is one day (86,400 s) after 2024-01-01; "3" is day 3 of a day-number
    # case (3 * 86,400 s); "nooit" does not parse.
    assert parsed.ticks[1] - parsed.ticks[0] == 86_400
    assert parsed.ticks[2] == 3 * 86_400
    assert parsed.style[3] == -1 and (parsed.style[:3] >= 0).all()


def test_cases_and_event_ids_are_numbered_in_order_of_first_appearance():
    parsed = parse_events(FRAME, KINDS)
    assert parsed.case.tolist() == [0, 0, 1, 1]
    assert parsed.event.tolist() == [0, 1, 0, 2]  # "s1" is the same id in both cases
    assert (parsed.n_cases, list(parsed.event_ids)) == (2, ["s1", "d1", "x"])
    # (case, event id) keys: case * (3 ids + 1) + event -> 0, 1, 4, 6; distinct per pair
    assert parsed.keys(np.arange(4)).tolist() == [0, 1, 4, 6]
    assert pair_keys(np.array([1]), np.array([-1]), 3).tolist() == [3]  # no pair has key 3


def test_list_cells_are_split_once_stripped_and_without_empty_items():
    lists = split_lists(pd.Series(["gp; wijkteam", None, "gp; wijkteam", " ; "], dtype="string"))
    assert lists.per_row().tolist() == [("gp", "wijkteam"), (), ("gp", "wijkteam"), ()]
    # two distinct non-empty cells plus the () for missing cells
    assert lists.sizes().tolist() == [2, 0, 0]


def test_whitespace_is_what_str_strip_strips():
    from casuistry.event_rows import WHITESPACE

    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == WHITESPACE


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.text(alphabet=";ab \t\x1c\u3000\xa0é", max_size=8))))
def test_lists_split_as_python_splits_and_strips(cells):
    # the pyarrow split against the plain Python one it replaced
    lists = split_lists(pd.Series(cells, dtype="string"))
    expected = [
        () if cell is None else tuple(p for p in (item.strip() for item in cell.split(";")) if p)
        for cell in cells
    ]
    assert lists.per_row().tolist() == expected
    assert lists.items == [item for cell in lists.cells for item in cell]


def _pandera_passes(rules, frame: pd.DataFrame) -> bool:
    """The plain path: whether pandera finds no failing row."""
    import pandera.pandas as pa

    try:
        rules.schema(frame.columns).validate(frame, lazy=True)
    except pa.errors.SchemaErrors:
        return False
    return True


_CELL = {
    "case_id": ["a", "b", None],
    "event_id": ["e1", "e2", None],
    "time": ["2024-01-01", "3", "nooit", None],
    "kind": ["signaal", "share", "telefoon", "overleg", None],
    "actor": ["school", " ", None],
    "to": ["gp", None],
    "signals": ["e1", None],
    "category": ["verzuim", None],
    "severity": ["1", "5", "6", "drie", None],
    "confidence": ["Likely", "certain", "zeker", None],
}


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.fixed_dictionaries({c: st.sampled_from(v) for c, v in _CELL.items()})),
    optional=st.sets(st.sampled_from(["severity", "confidence", "category", "to"])),
)
def test_row_rules_in_bulk_pass_exactly_when_pandera_finds_no_failure(rows, optional):
    columns = [c for c in _CELL if c not in {"severity", "confidence", "category", "to"}]
    frame = pd.DataFrame(rows, columns=list(_CELL), dtype="string")[
        [c for c in _CELL if c in columns or c in optional]
    ]
    work = parse_events(frame.reset_index(drop=True), KINDS).checked
    rules = _row_rules(KINDS)
    assert rules.all_pass(work) == _pandera_passes(rules, work)
    assert (rules.failures(work) is None) == _pandera_passes(rules, work)
