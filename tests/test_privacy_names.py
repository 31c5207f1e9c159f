"""Tests of casuistry.privacy.names: person names in free text (optional extra deduce).

deduce takes about a minute to load, so these tests put a stand-in in its place
that marks the word after ``mevr.`` as a name; what is tested is casuistry's
side: which columns, which rows, what the warning says, what redaction does,
and the message when the extra is missing.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from casuistry.errors import MissingExtra
from casuistry.privacy import anonymise, names

KEY = "een-geheime-sleutel-42!"


class StandIn:
    """Marks the capitalised word after 'mevr.' as a person, as deduce tags it."""

    def deidentify(self, text, disabled):
        assert "names" not in disabled  # only the name processors run
        found = [
            SimpleNamespace(start_char=m.start(1), end_char=m.end(1), tag="persoon")
            for m in re.finditer(r"mevr\. ([A-Z]\w+)", text)
        ]
        return SimpleNamespace(annotations=found)


@pytest.fixture
def stand_in(monkeypatch):
    monkeypatch.setattr(names, "_deduce", StandIn)


def test_warnings_name_file_row_and_column_never_the_name(stand_in):
    frame = pd.DataFrame(
        {
            "case_id": ["mevr. Jansen", "c1", "c1"],  # structured column: not free text
            "description": ["belde", "gesprek met mevr. Jansen", "gesprek met mevr. Jansen"],
            "notes": [None, None, "mevr. Bakker"],
        }
    )
    found = names.name_warnings(frame, file="events.csv", rows=np.array([2, 3, 4]))
    assert found[["file", "row", "column"]].values.tolist() == [
        ["events.csv", 3, "description"],
        ["events.csv", 4, "description"],
        ["events.csv", 4, "notes"],
    ]
    assert not found["message"].str.contains("Jansen|Bakker").any()


def test_redact_names_replaces_each_name(stand_in):
    column = pd.Series(["mevr. Jansen en mevr. Bakker", "geen naam", None], dtype="string")
    out = names.redact_names(column)
    assert out.tolist()[:2] == ["mevr. [NAAM] en mevr. [NAAM]", "geen naam"]
    assert out.isna().tolist() == [False, False, True]


def test_anonymise_redacts_names_only_when_asked(stand_in):
    raw = pd.DataFrame({"case_id": ["c"], "event_id": ["1"], "description": ["mevr. Jansen"]})
    kept, _ = anonymise(raw, key=KEY)
    redacted, _ = anonymise(raw, key=KEY, redact_names=True)
    assert kept["description"].iloc[0] == "mevr. Jansen"
    assert redacted["description"].iloc[0] == "mevr. [NAAM]"


def test_without_the_extra_asking_for_names_says_what_to_install(monkeypatch):
    monkeypatch.setattr(names, "names_available", lambda: False)
    names._deduce.cache_clear()
    with pytest.raises(MissingExtra, match=r"casuistry\[deduce\]"):
        names.name_warnings(pd.DataFrame({"description": ["x"]}), file="e.csv", rows=[2])
    names._deduce.cache_clear()


def test_the_help_text_exists_in_dutch_and_english():
    assert set(names.NAMES_NOT_CHECKED) == {"nl", "en"}
    assert "casuistry[deduce]" in names.NAMES_NOT_CHECKED["nl"]


def test_validation_warns_about_names_when_asked(stand_in, tmp_path):
    from casuistry.io.raw import read_tables
    from casuistry.validation import validate_tables

    path = tmp_path / "events.csv"
    path.write_text(
        "case_id,event_id,time,kind,actor,category,description\n"
        "c1,1,2024-01-05,signal,school,verzuim,belde mevr. Jansen\n",
        encoding="utf-8",
    )
    assert validate_tables(read_tables(path)["events"]).warnings.empty
    warnings = validate_tables(read_tables(path)["events"], check_names=True).warnings
    assert warnings[["file", "row", "column"]].values.tolist() == [["events.csv", 2, "description"]]
    assert "Jansen" not in warnings["message"].iloc[0]
