"""Tests of casuistry.privacy.pseudonymise: keyed pseudonyms, redaction, time shift."""

from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from privacy_strategies import identifier_fragments, plain_fragments

from casuistry.errors import CasuistryError
from casuistry.privacy import (
    AnonymiseError,
    anonymise,
    check_key,
    pseudonymise,
    scan_identifiers,
)
from casuistry.privacy.time_shift import MAX_SHIFT_DAYS
from casuistry.timeaxis import parse_times

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


# --- the key and the shift (issue 10) ------------------------------------------------


@pytest.mark.parametrize("key", ["Qz7", "fifteen-chars!!", " " * 3 + "x" * 15 + " " * 3, b"x" * 15])
def test_a_short_key_is_refused_with_how_to_make_a_good_one(key):
    # 15 characters (white space around it not counted) is one too few
    with pytest.raises(AnonymiseError, match="at least 16 characters") as info:
        anonymise(raw_events(), key=key)
    assert "secrets.token_urlsafe" in str(info.value)
    assert (key if isinstance(key, str) else key.decode()).strip() not in str(info.value)


def test_a_key_of_sixteen_characters_is_accepted():
    assert check_key("x" * 16) == b"x" * 16


@pytest.mark.parametrize("shift_days", [MAX_SHIFT_DAYS + 1, 999_999_999, 10**30])
def test_a_shift_beyond_the_allowed_range_is_refused_naming_the_range(shift_days):
    with pytest.raises(AnonymiseError, match=f"from 1 to {MAX_SHIFT_DAYS}"):
        anonymise(raw_events(), key=KEY, shift_days=shift_days)


def test_the_largest_allowed_shift_works():
    out, _ = anonymise(raw_events(), key=KEY, shift_days=MAX_SHIFT_DAYS)
    assert parse_times(out["time"])["style"].notna().all()


@pytest.mark.parametrize("time", ["9999-12-31", "9999-12-31T23:00", "1000-01-01"])
def test_a_shift_that_would_leave_the_dates_casuistry_reads_names_the_row(time):
    # with a shift of up to 36525 days and a non-zero offset, a date on the edge of
    # 1000-01-01..9999-12-31 leaves it in one direction; try keys until it does
    raw = raw_events()
    raw["time"] = time
    refused = 0
    for n in range(8):
        try:
            anonymise(raw, key=f"{KEY}-{n}", shift_days=MAX_SHIFT_DAYS)
        except AnonymiseError as err:
            refused += 1
            assert "1000-01-01 to 9999-12-31" in str(err)
            assert re.search(r"\(row \d+(, \d+)*\)", str(err))  # the rows, by number
    assert refused > 0


def test_a_datetime_column_that_would_overflow_is_refused():
    stamps = raw_events()
    stamps["time"] = pd.to_datetime(["2262-04-01"] * len(stamps)).astype("datetime64[ns]")
    with pytest.raises(AnonymiseError, match="choose a smaller shift"):
        for n in range(8):  # some key moves it past 2262-04-11, the end of datetime64[ns]
            anonymise(stamps, key=f"{KEY}-{n}", shift_days=MAX_SHIFT_DAYS)


def test_a_date_time_keeps_its_clock_time_and_offset():
    raw = raw_events()
    raw["time"] = "2024-03-01T14:30:00+02:00"
    out, _ = anonymise(raw, key=KEY, shift_days=30)
    assert out["time"].str.endswith("T14:30:00+02:00").all()
    assert (out["time"] != raw["time"]).all()
