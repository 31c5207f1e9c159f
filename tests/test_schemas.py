"""The pandera models of the five analysis tables, and the docs that describe them."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pandera.errors
import pytest
from conftest import PUZZLE_ACTORS, PUZZLE_EVENTS, load_csv, make_casebook
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_properties import SILOS, random_rows

import casuistry
from casuistry.analysis import TABLES, Analysis
from casuistry.schemas import SCHEMAS, columns, validate_analysis
from casuistry.synthetic import SCENARIOS

FAILED = (pandera.errors.SchemaError, pandera.errors.SchemaErrors)
BUNDLED = sorted(Path(__file__).parents[1].joinpath("data", "synthetic").iterdir())


def documented_columns(table: str) -> list[str]:
    """The columns the Analysis docstring lists for ``table``, in its order.

    Each bullet under ``table : pandas.DataFrame`` names its columns in
    double backticks before its first colon; parenthesised remarks such as
    ``(``silo_a < silo_b``)`` are not column names.
    """
    doc = Analysis.__doc__
    section = re.search(
        rf"\n {{4}}{table} : pandas\.DataFrame\n(.*?)(?=\n {{4}}\w+ : |\n\n {{4}}Examples)",
        doc,
        re.S,
    )
    bullets = re.split(r"\n\s*- ", section.group(1))[1:]
    names = []
    for bullet in bullets:
        head = re.sub(r"\([^)]*\)", "", " ".join(bullet.split())).split(": ")[0]
        names += re.findall(r"``(\w+)``", head)
    return names


@pytest.mark.parametrize("table", TABLES)
def test_the_docstring_lists_exactly_the_model_columns_in_order(table):
    assert documented_columns(table) == columns(SCHEMAS[table])


def test_the_docs_parser_reads_a_bullet_with_a_remark_and_a_colon():
    # "- ``silo_a``, ``silo_b`` (``silo_a < silo_b``)" gives the two names only,
    # and "- ``converged_at``: first time ..." stops at the colon.
    assert documented_columns("silo_pairs")[:4] == ["case_id", "silo_a", "silo_b", "converged_at"]


@pytest.mark.parametrize("folder", BUNDLED, ids=lambda p: p.name)
def test_bundled_corpora_fit_the_models(folder):
    validate_analysis(casuistry.analyse(casuistry.load(folder)))


def test_the_example_fits_the_models():
    validate_analysis(casuistry.analyse(casuistry.load(casuistry.example_path())))


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_synthetic_corpora_fit_the_models(scenario):
    validate_analysis(casuistry.analyse(casuistry.synthesize(scenario, 12, seed=7).casebook))


def test_a_corpus_mixing_calendar_and_day_numbers_fits_the_models(tmp_path):
    days = "    dagen,a,0,signaal,school,,,verzuim,,,\n    dagen,i,3,incident,school,,,,,,\n"
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS + days, PUZZLE_ACTORS))
    assert result.signals["observed_at"].dtype == object  # a Timestamp or days per row
    validate_analysis(result)


def _calendar(rows: list[dict]) -> list[dict]:
    """The same case on dates: day d becomes 2024-01-01 plus d days."""
    start = pd.Timestamp("2024-01-01")
    return [
        {**row, "time": (start + pd.Timedelta(days=int(row["time"]))).date().isoformat()}
        for row in rows
    ]


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=1, max_value=4))
def test_random_corpora_fit_the_models(seed, n_cases):
    rng = random.Random(seed)
    rows = []
    for k in range(n_cases):
        case = random_rows(rng, f"c{k}")
        rows += _calendar(case) if rng.random() < 0.5 else case
    validate_analysis(casuistry.analyse(make_casebook(rows, SILOS), progress=False))


def test_a_table_that_drifted_from_its_model_fails(tmp_path):
    result = casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS))
    renamed = result.signals.rename(columns={"dwell_days": "dwell"})
    with pytest.raises(FAILED):
        SCHEMAS["signals"].validate(renamed)
    negative = result.signals.assign(dwell_days=-1.0)
    with pytest.raises(FAILED):
        SCHEMAS["signals"].validate(negative)
    swapped = result.silo_pairs.assign(
        silo_a=result.silo_pairs["silo_b"], silo_b=result.silo_pairs["silo_a"]
    )
    with pytest.raises(FAILED):
        SCHEMAS["silo_pairs"].validate(swapped)
