"""The Dask engine against the single-process run, on a real LocalCluster.

Every table of the Analysis, the Casebook's events and every warning must be
identical (``check_exact=True``), also when cases are spread over parts in any
order, and problems must be reported as :func:`casuistry.load` reports them.
"""

from __future__ import annotations

import gc
import os
import platform
import random
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import casuistry
from casuistry.analysis import COMPILED_FROM, TABLES
from casuistry.casebook import REVIEW_TABLES
from casuistry.errors import InvalidCase
from casuistry.kinds import KINDS
from casuistry.scale import dask_engine
from casuistry.scale import dataset as ds

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [casuistry.example_path(), *sorted((ROOT / "data" / "synthetic").iterdir())]


def plain(path, folder: Path) -> Path:
    """The events and actors of a bundled corpus, without its reviewer's tables: an
    input of two tables, as many have."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("events.csv", "actors.csv"):
        if (Path(path) / name).exists():
            shutil.copy(Path(path) / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0"
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def assert_same(got, expected) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), check_exact=True)
    for name in ("events", "actors", *REVIEW_TABLES):
        got_table, table = getattr(got.casebook, name), getattr(expected.casebook, name)
        pd.testing.assert_frame_equal(got_table, table, check_exact=True)
    assert got.casebook.files == expected.casebook.files
    pd.testing.assert_series_equal(got.casebook.time_styles, expected.casebook.time_styles)
    assert got.casebook.warnings.to_dict("records") == expected.casebook.warnings.to_dict("records")


def same_problems(source: Path, tmp_path: Path, client, *, events_per_part: int) -> pd.Series:
    """The messages of the problems that ``load`` and the Dask engine both report
    for ``source``, after checking that they report the same, row for row."""
    with pytest.raises(InvalidCase) as single:
        casuistry.load(source)
    with pytest.raises(InvalidCase) as spread:
        ds.write_dataset(source, tmp_path / "d", events_per_part=events_per_part)
        casuistry.analyse(source, engine="dask", scheduler=client, dataset=tmp_path / "d")
    pd.testing.assert_frame_equal(spread.value.problems, single.value.problems)
    return single.value.problems["message"]


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: Path(p).name)
def test_bundled_corpora_match_the_single_process_run(tmp_path, client, path):
    # with the reviewer's tables (sources, episodes, factors, findings), and without
    got = casuistry.analyse(path, engine="dask", scheduler=client, dataset=tmp_path / "d")
    assert_same(got, casuistry.analyse(casuistry.load(path)))
    bare = plain(path, tmp_path / "in")
    got = casuistry.analyse(bare, engine="dask", scheduler=client, dataset=tmp_path / "d")
    assert_same(got, casuistry.analyse(casuistry.load(bare)))


def _shuffled_parts(folder: Path, seed: int) -> int:
    """Rewrite a dataset's parts: its cases dealt at random over 1-5 parts, whole."""
    manifest = ds.read_manifest(folder)
    tables = [ds.read_part(folder, part)[0] for part in manifest["parts"]]
    frame = pd.concat([t.frame for t in tables], ignore_index=True)
    rows = np.concatenate([t.rows for t in tables])
    rng = random.Random(seed)
    cases = list(pd.unique(frame["case_id"]))
    n_parts = rng.randint(1, min(5, len(cases)))
    dealt = {case: rng.randrange(n_parts) for case in cases}
    owner = frame["case_id"].map(dealt).to_numpy()
    names = []
    for k in rng.sample(range(n_parts), n_parts):  # parts in random order too
        positions = np.flatnonzero(owner == k)
        if len(positions):
            name = f"events/shuffled-{k}.parquet"
            raw = ds.RawTable(frame.take(positions).reset_index(drop=True), rows[positions], "x")
            ds._write_table(raw, np.arange(len(positions)), folder / name)
            names.append(name)
    manifest["parts"] = names
    (folder / ds.MANIFEST).write_text(__import__("json").dumps(manifest), encoding="utf-8")
    return len(names)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """40 synthetic cases (with the reviewer's tables) and 40 random ones, half of these
    with day numbers (mixed styles)."""
    folder = tmp_path_factory.mktemp("mixed")
    casuistry.synthesize("huiselijk_geweld", 40, seed=7).save(folder)
    for made in folder.glob("truth_*"):
        made.unlink()
    rng = random.Random(11)
    people = ("juf-x", "arts-x", "buurtteam-x", "agent-x")
    lines = []
    for c in range(40):
        observed, day = [], 1
        for k in range(rng.randint(1, 12)):
            day += rng.choice((0, 1, 2))
            kind = "signal" if k == 0 else rng.choice(("signal", "share", "withhold", "action"))
            who = rng.choice(people)
            to = rng.choice([p for p in people if p != who]) if kind != "signal" else ""
            listed = rng.choice(observed) if observed and kind != "signal" else ""
            if kind == "signal":
                observed.append(f"r{k}")
            time = str(day) if c % 2 else f"2024-02-{day:02d}"
            lines.append(f"rnd-{c},r{k},{time},{kind},{who},{to},{listed}")
    events = pd.read_csv(folder / "events.csv", dtype=str, keep_default_na=False)
    extra = pd.DataFrame(
        [line.split(",") for line in lines],
        columns=["case_id", "event_id", "time", "kind", "actor", "to", "signals"],
    ).assign(category=lambda f: np.where(f["kind"] == "signal", "verzuim", ""))
    rows = rng.sample(range(len(events) + len(extra)), len(extra))  # cases interleaved
    merged = pd.concat([events, extra], ignore_index=True).fillna("")
    order = np.argsort(np.r_[np.arange(len(events)) * 2.0, np.sort(rows) * 2.0 + 1])
    merged.take(order).to_csv(folder / "events.csv", index=False)
    actors = pd.read_csv(folder / "actors.csv", dtype=str, keep_default_na=False)
    more = pd.DataFrame({"actor": people, "silo": ["onderwijs", "zorg", "sociaal", "politie"]})
    pd.concat([actors, more], ignore_index=True).fillna("").to_csv(
        folder / "actors.csv", index=False
    )
    return folder


@pytest.mark.parametrize("seed", range(4))
def test_any_case_preserving_partitioning_gives_the_same_analysis(tmp_path, client, mixed, seed):
    source = mixed
    folder = tmp_path / "d"
    ds.write_dataset(source, folder)
    _shuffled_parts(folder, seed)
    got = casuistry.analyse(folder, engine="dask", scheduler=client)
    assert_same(got, casuistry.analyse(casuistry.load(source)))


def test_parts_of_the_conversion_hold_whole_cases(tmp_path, mixed):
    source = mixed
    manifest = ds.write_dataset(source, tmp_path / "d", events_per_part=50)
    per_part = [set(ds.read_part(tmp_path / "d", p)[0].frame["case_id"]) for p in manifest["parts"]]
    assert len(per_part) > 1
    assert sum(map(len, per_part)) == len(set().union(*per_part))  # no case in two parts


def test_warnings_keep_the_users_file_and_rows(tmp_path, client):
    # two cases; a share of a signal the sender never heard of (row 5) and a reason
    # outside the list (row 7) must be reported on the rows of the original file
    source = tmp_path / "in"
    source.mkdir()
    (source / "events.csv").write_text(
        "case_id,event_id,time,kind,actor,to,signals,category,reason\n"
        "a,e1,2024-01-01,signal,school,,,verzuim,\n"
        "b,e1,2024-01-01,signal,gp,,,letsel,\n"
        "a,e2,2024-01-02,signal,gp,,,letsel,\n"
        "a,e3,2024-01-03,share,school,gp,e2,,\n"
        "b,e2,2024-01-02,signal,school,,,verzuim,\n"
        "b,e3,2024-01-03,withhold,gp,school,,,te druk\n",
        encoding="utf-8",
    )
    expected = casuistry.load(source).warnings
    assert sorted(expected["row"].tolist()) == [5, 7]
    got = casuistry.analyse(source, engine="dask", scheduler=client, dataset=tmp_path / "d")
    assert got.casebook.warnings.to_dict("records") == expected.to_dict("records")


def test_problems_are_reported_once_as_load_reports_them(tmp_path, client, mixed):
    source = tmp_path / "in"
    shutil.copytree(mixed, source)
    events = pd.read_csv(source / "events.csv", dtype=str, keep_default_na=False)
    events.loc[[3, 500], "kind"] = "sginal"  # unknown kind, in two parts
    events.loc[900, "event_id"] = ""  # a missing id, in a third
    events.to_csv(source / "events.csv", index=False)
    # and in the reviewer's tables: a grade outside A-F (the sources every part reads),
    # an episode naming an event its case lacks, and one whose case has no events,
    # whose "did you mean" must name the case load names (in some other part)
    sources = pd.read_csv(source / "sources.csv", dtype=str, keep_default_na=False)
    sources.loc[1, "reliability"] = "G"
    sources.to_csv(source / "sources.csv", index=False)
    episodes = pd.read_csv(source / "episodes.csv", dtype=str, keep_default_na=False)
    episodes.loc[2, "events"] = "e999"
    last = episodes["case_id"].iloc[-1]
    episodes.loc[0, "case_id"] = last[:-1] + ("x" if last[-1] != "x" else "y")
    episodes.to_csv(source / "episodes.csv", index=False)
    said = same_problems(source, tmp_path, client, events_per_part=100)
    assert said.str.contains(f"did you mean '{last}'").any()  # the hint is tested too
    assert said.str.contains("reliability").any() and said.str.contains("e999").any()


def test_a_real_process_cluster_gives_the_same_analysis(tmp_path):
    path = plain(ROOT / "data" / "synthetic" / "jeugdbescherming", tmp_path / "in")
    got = casuistry.analyse(path, engine="dask", workers=2, dataset=tmp_path / "d")
    assert_same(got, casuistry.analyse(casuistry.load(path)))


def test_each_part_is_let_go_on_its_worker_once_gathered(tmp_path, client, mixed, monkeypatch):
    # Workers would otherwise hold every part's tables and Casebook until the end.
    # (Futures of earlier tests may be released meanwhile: only this run's count.)
    from distributed import Client, Future

    submitted, released, at_merge = [], set(), []
    submit, release, merge = Client.submit, Future.release, dask_engine._merge

    def recorded_submit(self, *args, **kwargs):
        submitted.append(submit(self, *args, **kwargs))
        return submitted[-1]

    def recorded_release(future):
        released.add(future.key)
        return release(future)

    def merged(done, *args):
        at_merge.append(sum(future.key in released for future in submitted))
        return merge(done, *args)

    monkeypatch.setattr(Client, "submit", recorded_submit)
    monkeypatch.setattr(Future, "release", recorded_release)
    monkeypatch.setattr(dask_engine, "_merge", merged)
    manifest = ds.write_dataset(mixed, tmp_path / "d", events_per_part=200)
    casuistry.analyse(tmp_path / "d", engine="dask", scheduler=client)
    assert len(submitted) == len(manifest["parts"]) > 1
    assert at_merge == [len(submitted)]


def test_the_driver_gathers_and_merges_without_the_collector_and_collects_young_after(
    tmp_path, client, mixed, monkeypatch
):
    generations, running_at_merge = [], []
    merge = dask_engine._merge

    def merged(*args):
        running_at_merge.append(gc.isenabled())
        return merge(*args)

    def seen(phase, info):
        if phase == "start":
            generations.append(info["generation"])

    monkeypatch.setattr(dask_engine, "_merge", merged)
    ds.write_dataset(mixed, tmp_path / "d", events_per_part=200)
    gc.callbacks.append(seen)
    try:
        casuistry.analyse(tmp_path / "d", engine="dask", scheduler=client)
    finally:
        gc.callbacks.remove(seen)
    assert running_at_merge == [False] and gc.isenabled()
    assert generations == [0]


def test_an_interrupt_stops_the_local_cluster_without_its_workers_complaints(
    tmp_path, mixed, monkeypatch, capfd
):
    # Ctrl-C amid the parts: the workers' warnings about cancelled parts and
    # results nobody reads any more were printed as tracebacks before the
    # command's own "interrupted; nothing was written".
    def interrupted(futures, **_bar):
        yield next(iter(futures))
        raise KeyboardInterrupt

    monkeypatch.setattr(dask_engine, "track", interrupted)
    ds.write_dataset(mixed, tmp_path / "d", events_per_part=100)
    capfd.readouterr()
    with pytest.raises(KeyboardInterrupt):
        casuistry.analyse(tmp_path / "d", engine="dask", workers=1)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "WARNING" not in err and "ERROR" not in err, err


def _ctrl_c_held_back() -> bool:
    import signal

    return signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="Ctrl-C to a process group is POSIX")
def test_the_local_clusters_workers_leave_ctrl_c_to_the_command():
    # A terminal's Ctrl-C reaches every process of the group: Dask's workers
    # printed tracebacks of cancelled tasks, during start-up above all.
    with dask_engine.local_cluster(2) as client:
        assert set(client.run(_ctrl_c_held_back).values()) == {True}
    assert not _ctrl_c_held_back()  # the command takes it again


def test_workers_that_keep_dying_on_a_part_get_a_way_on(tmp_path, client, mixed, monkeypatch):
    # Dask gives up on a part after its workers died on it three times, most
    # often for want of memory, with an error that pointed at the workers' logs.
    from distributed import Future
    from distributed.scheduler import KilledWorker

    def died(future, *args, **kwargs):
        raise KilledWorker(future.key, None, 3)

    monkeypatch.setattr(Future, "result", died)
    manifest = ds.write_dataset(mixed, tmp_path / "d", events_per_part=10**6)
    with pytest.raises(casuistry.CasuistryError) as stopped:
        casuistry.analyse(tmp_path / "d", engine="dask", scheduler=client)
    assert str(stopped.value).startswith(
        f"the Dask workers that took {manifest['parts'][0]} stopped while analysing it"
    )
    assert "start fewer workers (--workers N)" in str(stopped.value)


def _keeps_freed_memory() -> bool:
    from casuistry import heap

    return heap._state["for_good"]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the settings exist in glibc only")
def test_the_local_cluster_gathers_from_its_workers_which_keep_freed_memory():
    with dask_engine.local_cluster(1) as own:
        kept = list(own.run(_keeps_freed_memory).values())
        direct = own.direct_to_workers
    assert kept == [True]
    assert direct is True
    assert _keeps_freed_memory() is False  # this process (the driver) is left as it was


def test_the_parts_are_counted_on_a_bar_on_a_terminal(tmp_path, client, mixed, monkeypatch, capsys):
    manifest = ds.write_dataset(mixed, tmp_path / "d", events_per_part=200)
    casuistry.analyse(tmp_path / "d", engine="dask", scheduler=client)
    assert "analysing parts" not in capsys.readouterr().err  # pytest's stderr is no terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    casuistry.analyse(tmp_path / "d", engine="dask", scheduler=client)
    n = len(manifest["parts"])
    err = capsys.readouterr().err
    assert "analysing parts" in err and f" {n}/{n} " in err and n > 1


def test_the_dataset_is_converted_once_and_reused(tmp_path, client, monkeypatch):
    monkeypatch.setenv("CASUISTRY_CACHE", str(tmp_path / "cache"))
    path = plain(casuistry.example_path(), tmp_path / "in")
    casuistry.analyse(path, engine="dask", scheduler=client)
    made = list((tmp_path / "cache" / "datasets").iterdir())
    assert len(made) == 1 and made[0] == ds.cache_folder(path)
    stamp = (made[0] / ds.MANIFEST).stat().st_mtime_ns
    casuistry.analyse(path, engine="dask", scheduler=client)
    assert (made[0] / ds.MANIFEST).stat().st_mtime_ns == stamp
    # An edited input replaces its dataset there: the cache does not grow per edit.
    events = path / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("e01,", "e00,", 1), "utf-8")
    os.utime(events, ns=(stamp + 10**9, stamp + 10**9))
    got = casuistry.analyse(path, engine="dask", scheduler=client)
    assert list((tmp_path / "cache" / "datasets").iterdir()) == made
    assert_same(got, casuistry.analyse(casuistry.load(path)))


def test_the_command_prints_the_same_json_with_dask(tmp_path, client, capsys):
    from casuistry.cli import main

    path = str(plain(ROOT / "data" / "synthetic" / "ondermijning", tmp_path / "in"))
    assert main(["analyse", path, "--json"]) == 0
    single = capsys.readouterr().out
    address = client.scheduler.address
    argv = ["analyse", path, "--json", "--engine", "dask", "--scheduler", address]
    assert main([*argv, "--dataset", str(tmp_path / "d")]) == 0
    assert capsys.readouterr().out == single


def test_dask_options_without_the_dask_engine_are_refused(capsys):
    from casuistry.cli import main

    assert main(["analyse", str(casuistry.example_path()), "--workers", "2"]) == 2
    assert "need --engine dask" in capsys.readouterr().err


def test_a_missing_input_is_reported_as_load_reports_it(tmp_path, monkeypatch, capsys):
    from casuistry.cli import main

    monkeypatch.setenv("CASUISTRY_CACHE", str(tmp_path / "cache"))
    missing = tmp_path / "nowhere"
    assert main(["analyse", str(missing)]) == 2
    single = capsys.readouterr().err
    assert main(["analyse", str(missing), "--engine", "dask", "--workers", "1"]) == 2
    assert capsys.readouterr().err == single
    assert "no such file or folder" in single
    assert not (tmp_path / "cache").exists()  # nothing converted, nothing half-written


def test_a_cache_that_cannot_be_written_says_where_else_to_write(tmp_path, monkeypatch, capsys):
    from casuistry.cli import main

    (tmp_path / "a-file").write_text("mine", encoding="utf-8")
    monkeypatch.setenv("CASUISTRY_CACHE", str(tmp_path / "a-file" / "cache"))
    path = plain(casuistry.example_path(), tmp_path / "in")
    assert main(["analyse", str(path), "--engine", "dask", "--workers", "1"]) == 2
    message = capsys.readouterr().err
    assert "cannot write here" in message
    assert "set CASUISTRY_CACHE to a folder you can write to, or give one" in message
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("workers", [0, -2])
def test_workers_below_one_are_refused_before_a_cluster_starts(tmp_path, monkeypatch, workers):
    # A local cluster of no workers would wait for them forever.
    def never(*_args):
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(dask_engine, "local_cluster", never)
    path = plain(casuistry.example_path(), tmp_path / "in")
    expected = f"--workers needs a number of processes of 1 or more, not {workers}"
    with pytest.raises(casuistry.CasuistryError) as refused:
        casuistry.analyse(path, engine="dask", workers=workers)
    assert str(refused.value) == expected


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "no-port", "http://127.0.0.1:8786"])
def test_a_scheduler_that_does_not_answer_gets_a_way_on(tmp_path, address, capsys):
    import dask

    from casuistry.cli import main

    path = plain(casuistry.example_path(), tmp_path / "in")
    argv = ["analyse", str(path), "--engine", "dask", "--scheduler", address]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert main(argv) == 2
    message = capsys.readouterr().err
    assert f"no Dask scheduler answers at {address}" in message
    assert "tcp://host:8786" in message


def test_without_dask_the_message_says_how_to_install_it(monkeypatch):
    from casuistry.errors import MissingExtra

    monkeypatch.setitem(__import__("sys").modules, "distributed", None)  # import fails
    with pytest.raises(MissingExtra, match=r"pip install 'casuistry\[dask\]'"):
        casuistry.analyse(casuistry.example_path(), engine="dask")


def test_a_dataset_of_another_input_is_converted_anew(tmp_path, client):
    folder = tmp_path / "d"
    first = plain(ROOT / "data" / "synthetic" / "ondermijning", tmp_path / "a")
    second = plain(ROOT / "data" / "synthetic" / "publiek_privaat", tmp_path / "b")
    casuistry.analyse(first, engine="dask", scheduler=client, dataset=folder)
    got = casuistry.analyse(second, engine="dask", scheduler=client, dataset=folder)
    assert_same(got, casuistry.analyse(casuistry.load(second)))


def test_an_unknown_engine_is_refused():
    with pytest.raises(casuistry.CasuistryError, match="engine 'spark'"):
        casuistry.analyse(casuistry.load(casuistry.example_path()), engine="spark")


def test_a_path_and_a_casebook_each_go_where_they_belong(tmp_path, monkeypatch):
    # Before, a Casebook given to the Dask engine, or a path to the others,
    # ended in a TypeError or AttributeError from deep inside.
    monkeypatch.setattr(dask_engine, "local_cluster", None)  # none may start
    path = plain(casuistry.example_path(), tmp_path / "in")
    with pytest.raises(casuistry.CasuistryError, match=r"give the input's path, as in"):
        casuistry.analyse(casuistry.load(path), engine="dask", workers=1)
    for engine in ("auto", "python"):
        with pytest.raises(casuistry.CasuistryError, match=r"not a \w*Path: load the input"):
            casuistry.analyse(path, engine=engine)


@pytest.mark.parametrize("layout", ["xlsx", "ocel-json"])
def test_a_workbook_with_empty_reviewers_sheets_and_an_ocel_log_are_inputs_too(
    tmp_path, client, layout
):
    # Both were refused: a workbook as `export` and the template write it (the
    # reviewer's sheets there, headers only) for "the reviewer's tables", an OCEL
    # log as a file casuistry cannot read, although `load` reads both.
    from casuistry.cli import main

    path = plain(ROOT / "data" / "synthetic" / "jeugdbescherming", tmp_path / "in")
    events = pd.read_csv(path / "events.csv", dtype=str, keep_default_na=False)
    events.drop(columns="source").to_csv(path / "events.csv", index=False)  # see below
    written = tmp_path / ("case.xlsx" if layout == "xlsx" else "case.jsonocel")
    assert main(["export", str(path), "-o", str(written), "--format", layout]) == 0
    got = casuistry.analyse(written, engine="dask", scheduler=client, dataset=tmp_path / "d")
    assert_same(got, casuistry.analyse(casuistry.load(written)))


def test_a_sheet_name_that_looks_like_an_identifier_stops_both_engines_alike(tmp_path, client):
    # The dataset kept no sheet names, so the Dask engine analysed a workbook that
    # load refuses for a sheet named after a person's BSN.
    import openpyxl

    from casuistry.cli import main

    written = tmp_path / "case.xlsx"
    path = ROOT / "data" / "synthetic" / "jeugdbescherming"
    assert main(["export", str(path), "-o", str(written), "--format", "xlsx"]) == 0
    book = openpyxl.load_workbook(written)
    book.create_sheet("BSN 111222333")
    book.save(written)
    said = same_problems(written, tmp_path, client, events_per_part=200)
    assert said.str.contains("of the workbook looks like a BSN").all()


def test_an_empty_sources_sheet_counts_when_the_events_cite_sources(tmp_path, client):
    # load warns of each cited source that is not in it: the Dask engine, which
    # once read no sources table, refused such a workbook.
    from casuistry.cli import main

    path = plain(ROOT / "data" / "synthetic" / "jeugdbescherming", tmp_path / "in")
    written = tmp_path / "case.xlsx"
    assert main(["export", str(path), "-o", str(written), "--format", "xlsx"]) == 0
    expected = casuistry.analyse(casuistry.load(written))
    assert expected.casebook.warnings["message"].str.contains("sources table").any()
    got = casuistry.analyse(written, engine="dask", scheduler=client, dataset=tmp_path / "d")
    assert_same(got, expected)


def test_the_reviewers_tables_are_read_on_every_layout(tmp_path, client):
    # Refused before: the reviewer's tables needed the single-process engine.
    from casuistry.cli import main

    path = ROOT / "data" / "synthetic" / "huiselijk_geweld"
    for layout, name in (("xlsx", "case.xlsx"), ("ocel-json", "case.jsonocel")):
        written = tmp_path / name
        assert main(["export", str(path), "-o", str(written), "--format", layout]) == 0
        got = casuistry.analyse(written, engine="dask", scheduler=client, dataset=tmp_path / layout)
        assert_same(got, casuistry.analyse(casuistry.load(written)))
        assert len(got.episodes) and len(got.casebook.sources)


@pytest.mark.parametrize("corpus_events", [COMPILED_FROM - 1, COMPILED_FROM])
def test_a_part_runs_the_engine_auto_takes_for_the_whole_corpus(
    tmp_path, monkeypatch, corpus_events
):
    # Every part is smaller than COMPILED_FROM; the corpus' size decides, as for
    # engine="auto" in one process (numba taken as installed here).
    import casuistry.analysis as analysis

    folder = tmp_path / "d"
    manifest = ds.write_dataset(plain(casuistry.example_path(), tmp_path / "in"), folder)
    assert ds.count_events(folder) < COMPILED_FROM
    monkeypatch.setattr(analysis, "_numba", lambda: True)
    engines = []
    run_tables = analysis.run_tables

    def recorded(casebook, *, progress, compiled: bool):
        engines.append(compiled)
        return run_tables(casebook, progress=progress, compiled=compiled)

    monkeypatch.setattr(analysis, "run_tables", recorded)
    dask_engine._analyse_part(str(folder), manifest["parts"][0], KINDS, corpus_events)
    assert engines == [corpus_events >= COMPILED_FROM]
