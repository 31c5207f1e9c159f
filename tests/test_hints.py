"""Help at the door (issue 11): a day-first date gets its ISO form, an unknown name the
closest known one, and neither ever repeats a cell that looks like an identifier."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from privacy_strategies import any_text

import casuistry
from casuistry.hints import closest, date_hint, did_you_mean, shown, shown_each

HEADER = "case_id,event_id,time,kind,actor,to,signals,category"
GOOD = ["c,H01,2024-01-01,signal,politie,,,verzuim", "c,H02,2024-01-02,signal,school,,,letsel"]
ACTORS = "actor,silo\npolitie,politie\nschool,onderwijs\n"


def message_of(tmp_path, row, *, actors=ACTORS):
    (tmp_path / "events.csv").write_text("\n".join([HEADER, *GOOD, row]) + "\n", encoding="utf-8")
    (tmp_path / "actors.csv").write_text(actors, encoding="utf-8")
    with pytest.raises(casuistry.InvalidCase) as caught:
        casuistry.load(tmp_path)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    rec = problems.iloc[0]
    return rec.row, rec.column, rec.message


@pytest.mark.parametrize(
    ("time", "iso"),
    [("15-05-2018", "2018-05-15"), ("15/05/2018", "2018-05-15"), ("15-5-2018", "2018-05-15"),
     ("1.2.2024", "2024-02-01")],
)  # fmt: skip
def test_a_day_first_date_gets_its_iso_form(tmp_path, time, iso):
    row, column, message = message_of(tmp_path, f"c,x,{time},signal,school,,,verzuim")
    assert (row, column) == (4, "time")
    assert f"write it as {iso}" in message


@pytest.mark.parametrize("time", ["31-02-2018", "15-13-2018", "2018-15-05", "15 mei 2018"])
def test_no_iso_form_for_what_is_no_real_day_first_date(tmp_path, time):
    _, column, message = message_of(tmp_path, f"c,x,{time},signal,school,,,verzuim")
    assert column == "time" and "write it as" not in message


def test_a_date_of_birth_is_neither_echoed_nor_rewritten():
    # a birth word makes it an identifier: the guard hides it, and no hint repeats it
    assert date_hint("geboren 15-05-2018") == ""
    assert did_you_mean("geb. 15-05-2018", ["geb. 15-05-2019"]) == ""


@pytest.mark.parametrize(
    ("row", "column", "hint"),
    [
        ("c,x,2024-01-03,signal,Politie,,,verzuim", "actor", "did you mean 'politie'?"),
        ("c,x,2024-01-03,share,school,Politie,H01,", "to", "did you mean 'politie'?"),
        ("c,x,2024-01-03,share,school,politie,H1,", "signals", "did you mean 'H01'?"),
        ("c,x,2024-01-03,signaall,school,,,verzuim", "kind", "did you mean 'signaal'?"),
        ("c,x,2024-01-03,Niet delen!,school,politie,H01,", "kind", "did you mean 'niet_delen'?"),
    ],
)
def test_an_unknown_name_gets_the_closest_known_one(tmp_path, row, column, hint):
    _, found_column, message = message_of(tmp_path, row)
    assert found_column == column
    assert hint in message


def test_nothing_is_offered_when_nothing_is_close(tmp_path):
    _, column, message = message_of(tmp_path, "c,x,2024-01-03,signal,gemeente,,,verzuim")
    assert column == "actor" and "did you mean" not in message


def test_an_identifier_like_actor_is_refused_and_never_echoed(tmp_path):
    actors = ACTORS + "bel 06-12345679,politie\n"
    (tmp_path / "events.csv").write_text(
        "\n".join([HEADER, *GOOD, "c,x,2024-01-03,signal,bel 06-12345678,,,verzuim"]) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "actors.csv").write_text(actors, encoding="utf-8")
    with pytest.raises(casuistry.InvalidCase) as caught:
        casuistry.load(tmp_path)
    assert "1234567" not in str(caught.value)


def test_closest_prefers_a_name_equal_but_for_case_spacing_and_leading_zeros():
    # difflib alone ranks 'H10' and 'H01' alike for 'H1' (ratio 0.8 each)
    assert closest("H1", ["H10", "H01"]) == "H01"
    assert closest("Veilig Thuis", ["veilig_thuis"]) == "veilig_thuis"
    assert closest("wijkteem", ["wijkteam", "school"]) == "wijkteam"
    assert closest("zzz", ["wijkteam"]) is None


@settings(max_examples=200, deadline=None)
@given(values=st.lists(any_text | st.text(max_size=50) | st.integers(), max_size=12))
def test_many_values_are_shown_as_each_on_its_own(values):
    # shown_each passes most values by one vectorised prefilter; the rest go to shown
    assert shown_each(values) == [shown(value) for value in values]
