"""Tests of the facts the case planner looks up once per scenario."""

from __future__ import annotations

import numpy as np
from stdnum.nl import bsn

from casuistry.kinds import KINDS, EventKind
from casuistry.synthetic import SCENARIOS, synthesize
from casuistry.synthetic.knobs import resolve_knobs
from casuistry.synthetic.lookups import Lookup, _found_in, failing_bsn


def test_numbers_in_texts_fail_the_eleven_test():
    draws = np.random.default_rng(0).random((2000, 2))
    for u, v in draws:
        number = failing_bsn(u, v)
        assert len(number) == 9 and number[0] != "0"
        assert not bsn.is_valid(number)
    texts = synthesize("huiselijk_geweld", 40, seed=3).events[["description", "source"]]
    digits = texts.stack().str.findall(r"\d{9}").explode().dropna()
    assert len(digits) > 0 and not digits.map(bsn.is_valid).any()


def test_where_an_event_is_found_follows_the_kind_registry():
    scenario = SCENARIOS["huiselijk_geweld"]
    found = Lookup(scenario, resolve_knobs(scenario, {})).found
    assert set(found) == set(KINDS.codes)
    # huisarts has the fixed source "HIS huisarts" in the catalogue: one option
    assert found["signal"]["huisarts"] == ("HIS huisarts",)
    assert found["share"]["huisarts"] == ("HIS huisarts",)
    # the seh's source has a {page}: one option per page 1..140
    assert found["action"]["seh"][:2] == ("SEH-verslag p.1", "SEH-verslag p.2")
    assert len(found["action"]["seh"]) == 140
    # always an opportunity: nothing moved, so only an interview tells (label lower-cased)
    assert found["withhold"]["seh"] == "interview spoedeisende hulp"
    assert found["contact"]["om"] == "interview openbaar ministerie"
    assert found["meeting"]["veilig_thuis"][0] == "verslag casusoverleg p.1"
    assert found["incident"]["wijkagent"] == "calamiteitenonderzoek"


def test_a_new_kind_is_found_in_the_actors_files():
    request = EventKind("request", aliases=("verzoek",), needs_to=True)
    assert _found_in(request, ("dossier p.1",), "School") == ("dossier p.1",)
    # the same kind made an opportunity is found in an interview instead
    asked = KINDS.with_kind(request).replace("request", opportunity=KINDS["contact"].opportunity)
    assert _found_in(asked["request"], ("dossier p.1",), "School") == "interview school"
