"""The compiled kernel against the reference engine: identical tables.

Without numba (``make test``) the kernel's functions run as plain Python, so
these tests check its logic; with numba (``pip install casuistry[fast]``)
they check the compiled code. Every comparison is
``assert_frame_equal(check_exact=True)`` between the reference path
(``compiled=False``) and the kernel (``compiled=True``) on the same casebook.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from conftest import make_casebook
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_properties import SILOS, cases, random_episodes, random_rows

import casuistry
from casuistry import analysis, analysis_run, kernel
from casuistry.analysis import TABLES, Analysis
from casuistry.analysis_run import run_tables
from casuistry.errors import CasuistryError
from casuistry.kernel_tables import kernel_input, run_kernel
from casuistry.kinds import KINDS
from casuistry.robustness import uncertain_cases, variant_rows


def analysed(book, *, compiled: bool) -> Analysis:
    """The analysis in this process, by the kernel or by the reference engine."""
    return Analysis(**run_tables(book, progress=False, compiled=compiled), casebook=book)


def both(book):
    """The analysis by the reference path and by the kernel."""
    return (
        analysed(book, compiled=False),
        analysed(book, compiled=True),
    )


def assert_identical(book) -> None:
    reference, compiled = both(book)
    for name in TABLES:
        pd.testing.assert_frame_equal(
            getattr(reference, name), getattr(compiled, name), check_exact=True, obj=name
        )


def kernel_of(book, *, deciders=frozenset()):
    """The kernel's columns of a casebook (what :func:`run_kernel` returns)."""
    events = book.events
    codes, ids = pd.factorize(events["case_id"], sort=False)
    starts = np.searchsorted(codes, np.arange(len(ids) + 1))
    given = kernel_input(events, codes, kinds=book.kinds, silo_of=book.silo_of(), deciders=deciders)
    return run_kernel(given, starts, events["ticks"].to_numpy(), named=True)


def many_signals(rng: random.Random, case_id: str, n_signals: int) -> list[dict]:
    """A case with ``n_signals`` signals (more than one 64-bit word) and events between."""
    actors = sorted(SILOS)
    rows, signals = [], []
    while len(signals) < n_signals:
        k = len(rows)
        kind = "signal" if k < 2 or rng.random() < 0.66 else rng.choice(
            ["share", "withhold", "contact", "meeting", "action"]
        )  # fmt: skip
        row = {"case_id": case_id, "event_id": f"e{k}", "time": str(k // 3), "kind": kind}
        row["actor"] = rng.choice(actors)
        if kind in ("share", "withhold", "contact", "meeting"):
            row["to"] = rng.sample(actors, rng.randint(1, 3))
        if kind in ("share", "withhold", "meeting", "action") and rng.random() < 0.5:
            row["signals"] = rng.sample(signals, rng.randint(1, min(3, len(signals))))
        if kind == "signal":
            row["category"] = "verzuim"
            signals.append(row["event_id"])
        rows.append(row)
    return rows


# --- the kernel covers every case of these corpora ------------------------------


def test_the_kernel_takes_every_plain_case():
    # Guard against a vacuous comparison: with nothing to leave, the kernel
    # does every case, and the 60 random cases have signals and knowledge.
    rng = random.Random(11)
    rows = [row for n in range(60) for row in random_rows(rng, f"c{n}")]
    book = make_casebook(rows, SILOS)
    done = kernel_of(book)
    reference = analysed(book, compiled=False)
    assert not done.left.any()
    assert len(done.signals["case"]) == len(reference.signals) > 0
    assert len(done.knowledge["case"]) == len(reference.knowledge) > 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_identical_tables_on_random_cases(seed):
    rng = random.Random(seed)
    rows = [row for n in range(60) for row in random_rows(rng, f"c{n}")]
    assert_identical(make_casebook(rows, SILOS))


@pytest.mark.parametrize("seed", [4, 5])
def test_identical_tables_with_deciding_actors(seed):
    rng = random.Random(seed)
    rows = [row for n in range(60) for row in random_rows(rng, f"c{n}")]
    assert_identical(make_casebook(rows, SILOS, decides=frozenset(rng.sample(sorted(SILOS), 2))))


@settings(max_examples=25, deadline=None)
@given(cases(), st.integers(0, 31), st.sampled_from(["days", "date", "datetime"]))
def test_identical_tables_on_hypothesis_cases(rows, chosen, style):
    from test_engine_properties import restyle

    deciders = frozenset(a for k, a in enumerate(sorted(SILOS)) if chosen >> k & 1)
    assert_identical(make_casebook(restyle(rows, style), SILOS, decides=deciders))


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(65, 130), st.booleans())
def test_identical_tables_with_more_than_64_signals(seed, n_signals, deciding):
    rng = random.Random(seed)
    rows = many_signals(rng, "big", n_signals) + random_rows(rng, "small")
    book = make_casebook(rows, SILOS, decides={"vt", "gp"} if deciding else None)
    done = kernel_of(book, deciders=frozenset({"vt", "gp"}) if deciding else frozenset())
    assert not done.left.any()
    # The big case's signals: at least 65 up to the horizon (it has no incident).
    assert (done.signals["case"] == 0).sum() >= 65
    assert_identical(book)


def test_identical_tables_on_the_bundled_example_and_a_synthetic_corpus(tmp_path):
    assert_identical(casuistry.load(casuistry.example_path()))
    casuistry.synthesize("huiselijk_geweld", 12, seed=3).save(tmp_path)
    assert_identical(casuistry.load(tmp_path))


# --- what the kernel leaves to the reference path ---------------------------------


def test_cases_with_uncertain_rows_and_episodes_run_in_the_kernel_too():
    # Their variants run as corpora of their own, their episodes read the rows.
    rng = random.Random(8)
    rows = [row for n in range(40) for row in random_rows(rng, f"c{n}", confidence=True)]
    episodes = random_episodes(rng, rows)
    book = make_casebook(rows, SILOS, decides={"vt"}, episodes=episodes)
    assert not kernel_of(book, deciders=frozenset({"vt"})).left.any()
    reference, compiled = both(book)
    assert (compiled.robustness["verdict"] != "holds").any() and len(compiled.episodes) > 0
    for name in TABLES:
        pd.testing.assert_frame_equal(
            getattr(reference, name), getattr(compiled, name), check_exact=True, obj=name
        )


@pytest.mark.parametrize("seed", [12, 13, 14])
@pytest.mark.parametrize("dropped", [frozenset({"uncertain"}), frozenset({"likely", "uncertain"})])
def test_a_variants_input_cut_from_the_corpus_is_the_input_of_its_mended_events(seed, dropped):
    # KernelInput.keep renumbers rows and mends lists with numpy; reading the
    # variant's events (lists mended by variant_rows) gives the same arrays.
    rng = random.Random(seed)
    rows = [row for n in range(40) for row in random_rows(rng, f"c{n}", confidence=True)]
    events = make_casebook(rows, SILOS).events
    codes, _ = pd.factorize(events["case_id"], sort=False)
    rerun = uncertain_cases(events, codes, codes.max() + 1, dropped)
    options = {"kinds": KINDS, "silo_of": dict(SILOS), "deciders": frozenset({"vt"})}
    kept, mended = variant_rows(events, codes, rerun, dropped)
    v_codes, v_cases = pd.factorize(codes[kept], sort=False)
    every = np.ones(len(events), dtype=bool)
    cut = kernel_input(events, codes, **options).keep(kept, np.asarray(v_cases), gains=every)
    read = kernel_input(mended, v_codes, **options)
    emptied = (cut.events["sig_val"] == kernel.NAMES_NOTHING).sum()
    assert 0 < len(kept) < len(events) and emptied > 0
    assert cut.events.keys() == read.events.keys()
    for name, values in read.events.items():
        if name in ("actor", "to_val"):  # numbered in order of appearance: by name
            values, cut_values = read.actor_names[values], cut.actor_names[cut.events[name]]
            np.testing.assert_array_equal(
                cut.silo_names[cut.silo[cut.events[name]]],
                read.silo_names[read.silo[read.events[name]]],
            )
        else:
            cut_values = cut.events[name]
        np.testing.assert_array_equal(cut_values, values, err_msg=name)
    np.testing.assert_array_equal(cut.refuse, read.refuse)


def test_the_input_is_the_same_whether_equal_lists_are_one_object_or_many():
    # load makes one tuple per distinct cell; a casebook made in code may hold a
    # tuple per row. The lists are grouped by object, so both must give one input.
    rng = random.Random(5)
    rows = [row for n in range(30) for row in random_rows(rng, f"c{n}")]
    book = make_casebook(rows, SILOS)
    shared = book.events.copy()
    for column in ("to", "signals"):
        one_of = {}
        shared[column] = [one_of.setdefault(cell, cell) for cell in shared[column]]
        assert len(set(map(id, shared[column]))) == len(one_of)  # now one object per value
    many = book.events[["to", "signals"]].to_numpy(dtype=object).ravel().tolist()
    assert len(set(map(id, many))) > len(set(many))  # several objects per value before
    codes, _ = pd.factorize(book.events["case_id"], sort=False)
    inputs = [
        kernel_input(events, codes, kinds=book.kinds, silo_of=book.silo_of(), deciders=frozenset())
        for events in (book.events, shared)
    ]
    for name, array in inputs[0].events.items():
        np.testing.assert_array_equal(array, inputs[1].events[name], err_msg=name)
    assert inputs[0].actor_names.tolist() == inputs[1].actor_names.tolist()


def test_an_unknown_signal_reference_is_the_reference_engines_error():
    rows = [
        {"case_id": "a", "event_id": "e1", "time": "0", "kind": "signal", "actor": "school"},
        {"case_id": "a", "event_id": "e2", "time": "1", "kind": "share", "actor": "school",
         "to": ["gp"], "signals": ["e9"]},
    ]  # fmt: skip
    book = make_casebook(rows, SILOS)
    assert kernel_of(book).left.tolist() == [True]
    with pytest.raises(CasuistryError, match="'e9'"):
        analysed(book, compiled=True)


def test_a_repeated_event_id_is_left_to_the_reference():
    rows = [
        {"case_id": "a", "event_id": "e1", "time": "0", "kind": "signal", "actor": "school"},
        {"case_id": "a", "event_id": "e1", "time": "1", "kind": "signal", "actor": "gp"},
        {"case_id": "b", "event_id": "e1", "time": "0", "kind": "signal", "actor": "gp"},
    ]
    book = make_casebook(rows, SILOS)
    assert kernel_of(book).left.tolist() == [True, False]
    assert_identical(book)


def test_a_case_naming_someone_without_a_silo_is_left_to_the_reference():
    # A casebook made in code may name actors the silo table lacks; only their
    # cases are left, whether the actor acts or only receives (d: on its first
    # row, after rows that list no recipients).
    rows = [
        {"case_id": "a", "event_id": "e1", "time": "0", "kind": "signal", "actor": "school"},
        {"case_id": "a", "event_id": "e2", "time": "1", "kind": "contact", "actor": "school",
         "to": ["gp", "stranger"]},
        {"case_id": "b", "event_id": "e1", "time": "0", "kind": "signal", "actor": "gp"},
        {"case_id": "b", "event_id": "e2", "time": "1", "kind": "contact", "actor": "gp",
         "to": ["school"]},
        {"case_id": "c", "event_id": "e1", "time": "0", "kind": "signal", "actor": "outsider"},
        {"case_id": "d", "event_id": "e1", "time": "0", "kind": "contact", "actor": "gp",
         "to": ["stranger"]},
    ]  # fmt: skip
    book = make_casebook(rows, SILOS)
    assert kernel_of(book).left.tolist() == [True, False, True, True]


def test_a_case_whose_saved_states_are_too_large_is_left(monkeypatch):
    rng = random.Random(9)
    rows = [row for n in range(30) for row in random_rows(rng, f"c{n}")]
    book = make_casebook(rows, SILOS)
    monkeypatch.setattr(kernel, "STATE_WORDS", 0)  # every case with an opportunity
    done = kernel_of(book)
    reference = analysed(book, compiled=False)
    with_opportunity = reference.cases["case_id"].isin(reference.opportunities["case_id"])
    assert done.left.tolist() == with_opportunity.tolist()
    assert_identical(book)


def test_variant_cases_the_kernel_leaves_run_in_the_reference_on_mended_events(monkeypatch):
    # The variants' events table (lists mended) is made only for the reference
    # engine's cases: here every case with an opportunity, in every run.
    rng = random.Random(10)
    rows = [row for n in range(30) for row in random_rows(rng, f"c{n}", confidence=True)]
    book = make_casebook(rows, SILOS)
    made = []
    real = analysis_run.variant_rows
    monkeypatch.setattr(
        analysis_run, "variant_rows", lambda *args: made.append(True) or real(*args)
    )
    analysed(book, compiled=True)
    assert made == []  # the kernel took every case: no variant read the events again
    monkeypatch.setattr(kernel, "STATE_WORDS", 0)
    analysed(book, compiled=True)
    assert len(made) == 2  # once per variant
    assert_identical(book)


# --- which engine analyse uses --------------------------------------------------


def _engine_used(monkeypatch, book, **options) -> bool:
    used = []

    def spy(casebook, *, progress, compiled):
        used.append(compiled)
        raise StopIteration  # which engine is all this test asks

    monkeypatch.setattr(analysis, "run_tables", spy)
    with pytest.raises(StopIteration):
        casuistry.analyse(book, **options)
    return used[0]


def test_auto_uses_the_kernel_from_the_threshold_on_when_numba_is_there(monkeypatch):
    book = casuistry.load(casuistry.example_path())
    monkeypatch.setattr(analysis, "_numba", lambda: True)
    monkeypatch.setattr(analysis, "COMPILED_FROM", book.n_events + 1)
    assert _engine_used(monkeypatch, book) is False
    monkeypatch.setattr(analysis, "COMPILED_FROM", book.n_events)
    assert _engine_used(monkeypatch, book) is True
    assert _engine_used(monkeypatch, book, engine="python") is False
    monkeypatch.setattr(analysis, "_numba", lambda: False)
    assert _engine_used(monkeypatch, book) is False


def test_the_compiled_engine_without_numba_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(analysis, "_numba", lambda: False)
    with pytest.raises(CasuistryError, match=r"casuistry\[fast\]"):
        casuistry.analyse(casuistry.load(casuistry.example_path()), engine="compiled")


def test_an_unknown_engine_is_refused():
    with pytest.raises(CasuistryError, match="'compiled'"):
        casuistry.analyse(casuistry.load(casuistry.example_path()), engine="fast")
