"""The Dask engine: every worker reads, validates and analyses its own parts.

:func:`analyse_dask` converts the input once into a case-partitioned dataset
(:mod:`casuistry.scale.dataset`), or takes one as it is, submits one task per
part to a Dask cluster, and merges what the tasks return. A task returns its
part's five tables (every table of an :class:`~casuistry.analysis.Analysis`)
and Casebook, or its problems; the merge puts cases back in order of first
appearance in the input, and reports problems and warnings once each, with the
user's own file and row, exactly as the single-process run does.

No data travels from the driver to the workers: a task gets a folder and a
part name, so workers need to see the dataset folder (one machine, or a shared
disk). The parts never pass through a Dask DataFrame, so Dask's conversion of
text columns cannot touch the ``to`` and ``signals`` lists.

Examples
--------
>>> import casuistry, pathlib, shutil, tempfile
>>> from distributed import LocalCluster
>>> here = pathlib.Path(tempfile.mkdtemp()) / "puzzel"
>>> _ = shutil.copytree(casuistry.example_path(), here)
>>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
...     result = casuistry.analyse(here, engine="dask", scheduler=cluster.scheduler_address)
>>> single = casuistry.analyse(casuistry.load(here))
>>> result.signals.equals(single.signals)
True
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from casuistry import interrupts
from casuistry.casebook import Casebook, actors_without_table
from casuistry.errors import CasuistryError, InvalidCase, MissingExtra, OutputUnwritable
from casuistry.heap import keep_freed_memory, young_cycles_collected
from casuistry.kinds import KINDS, KindRegistry
from casuistry.progress import track
from casuistry.scale.dataset import (
    PER_CASE,
    cache_folder,
    count_events,
    holds,
    is_dataset,
    read_manifest,
    read_part,
    read_review,
)
from casuistry.scale.dataset import write_dataset as _write_dataset
from casuistry.vocabulary import ACTOR, CASE_ID, ROW

if TYPE_CHECKING:  # Dask is the optional extra `dask`
    from distributed import Client


def analyse_dask(
    path,
    *,
    workers: int | None = None,
    scheduler=None,
    dataset: str | Path | None = None,
    progress: bool | None = None,
    kinds: KindRegistry = KINDS,
):
    """Analyse an input on a Dask cluster, with the single-process run's results.

    Parameters
    ----------
    path : str or Path
        Any input :func:`casuistry.load` reads, or a dataset folder.
    workers : int, keyword-only
        Start a local cluster of this many worker processes (one thread each);
        default: one per core. Not with ``scheduler``.
    scheduler : str or distributed.Client, keyword-only
        The address of a running cluster's scheduler (or a connected client).
    dataset : str or Path, keyword-only
        Where to write the dataset converted from ``path``; default a cache
        folder named after the input (:func:`casuistry.scale.dataset.cache_folder`),
        reused while the input is unchanged and replaced when it changes.
    progress : bool or None, keyword-only
        Show a progress bar of the parts on stderr; None: when it is a terminal.
    kinds : KindRegistry, keyword-only
        As for :func:`casuistry.load`.

    Returns
    -------
    Analysis
        Equal, table by table and warning by warning, to
        ``casuistry.analyse(casuistry.load(path))``.

    Raises
    ------
    MissingExtra
        When Dask is not installed (``pip install 'casuistry[dask]'``).
    InputError
        When the input cannot be read, as :func:`casuistry.load` says it.
    InvalidCase
        With every problem of every part, as :func:`casuistry.load` reports them.
    CasuistryError
        When ``workers`` is below 1, no scheduler answers at ``scheduler``, or
        every worker that took a part stopped while analysing it (Dask's
        ``KilledWorker``; most often for want of memory).
    """
    try:
        import distributed  # noqa: F401
    except ImportError as err:
        raise MissingExtra(
            "the Dask engine needs Dask: pip install 'casuistry[dask]' (or use the default engine)"
        ) from err
    if workers is not None and scheduler is not None:
        raise ValueError("give workers (a local cluster) or scheduler (a running one), not both")
    if workers is not None and workers < 1:  # a cluster without workers would wait forever
        raise CasuistryError(f"--workers needs a number of processes of 1 or more, not {workers}")
    folder = _dataset_of(Path(path), dataset, kinds)
    manifest = read_manifest(folder)
    # The parts' results come in as millions of objects, which the collector
    # scanned again and again. Paused (and collected young after), the driver
    # took 0.75 s of CPU instead of 1.0 s on 10^6 events, CPU that workers on
    # the same cores then had: with 2 workers on 2 cores 3.14-3.32 s instead
    # of 3.24-3.46 s, with 1 worker the same (4.4-4.7 s).
    with young_cycles_collected():
        done = _gathered(folder, manifest, workers, scheduler, kinds, progress)
        return _merge(done, manifest, kinds)


def _gathered(folder: Path, manifest: dict, workers, scheduler, kinds, progress) -> list:
    """Per part of the dataset, in order, what :func:`_analyse_part` returned for it;
    on the cluster :func:`analyse_dask` says (the local one closed after)."""
    from distributed import Client, as_completed

    with ExitStack() as stack:
        if isinstance(scheduler, Client):
            client = scheduler
        elif scheduler is not None:
            client = stack.enter_context(_connected(scheduler))
        else:
            client = stack.enter_context(local_cluster(workers))
        n_events = count_events(folder)
        futures = {
            client.submit(_analyse_part, str(folder), part, kinds, n_events, pure=False): k
            for k, part in enumerate(manifest["parts"])
        }
        done = [None] * len(futures)
        completed = track(
            as_completed(futures),
            label="analysing parts",
            show=progress,
            unit="part",
            total=len(futures),
            shown_from=1,  # a part takes seconds: on a terminal a bar however few there are
        )
        for future in completed:
            k = futures.pop(future)
            done[k] = _result(future, manifest["parts"][k])
            future.release()  # its worker lets go of it now, not when all are in
    return done


@contextmanager
def local_cluster(workers: int | None = None) -> Iterator[Client]:
    """A local cluster as :func:`analyse_dask` starts one, and a client of it.

    ``workers`` processes of one thread each (default one per core), on this
    machine only. The results come straight from the workers: through the
    scheduler, which runs in this process, each byte would be read, written
    and read again. The workers keep the memory they free for the next part
    (:func:`casuistry.heap.keep_freed_memory`, as the ``casuistry`` program
    does for itself): otherwise each part faults its pages afresh, which on a
    virtual machine cost 0.8-1.7 s of system time per 10^6 events on top of
    about 3 s of work. The workers are this cluster's own, and stop with it.
    Their own logs are not shown: stopped by an interrupt, they printed
    tracebacks about cancelled parts and results nobody would read; what
    matters reaches the driver anyway (a part's error as itself, a worker
    that keeps dying as a message, see :func:`analyse_dask`). Ctrl-C reaches
    this process alone: the cluster starts with it held back
    (:func:`casuistry.interrupts.held`), which its workers keep (interrupted,
    they printed tracebacks of their own), and closes with it held back (a
    second Ctrl-C cut the close short, and Dask closed it again at exit,
    with a traceback).
    """
    from distributed import Client, LocalCluster

    stack = ExitStack()
    try:
        with interrupts.held():  # the cluster's thread and processes keep it: Ctrl-C is ours
            cluster = stack.enter_context(  # closed too by one that came while held
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",
                    silence_logs=logging.CRITICAL,
                )
            )
        client = stack.enter_context(Client(cluster, direct_to_workers=True))
        client.run(keep_freed_memory)
        yield client
    finally:
        with interrupts.held():  # a second Ctrl-C does not cut the close short
            stack.close()


def _result(future, part: str):
    """A part's result; a message that says what to do when its workers kept dying."""
    from distributed.scheduler import KilledWorker

    try:
        return future.result()
    except KilledWorker as err:
        raise CasuistryError(
            f"the Dask workers that took {part} stopped while analysing it, each in turn: "
            "most often a worker runs out of memory; start fewer workers (--workers N), or "
            "give each more memory"
        ) from err


def _connected(address: str) -> Client:
    """A client of the scheduler at ``address``; an error that says what to do when
    none answers there, or the address is not one."""
    from distributed import Client

    try:
        return Client(address)
    except (OSError, ValueError) as err:  # refused or timed out; no port, unknown scheme
        raise CasuistryError(
            f"no Dask scheduler answers at {address} ({err}); start one (`dask scheduler` "
            "prints its address) or give the address of a running one, as tcp://host:8786"
        ) from err


def _dataset_of(path: Path, dataset: str | Path | None, kinds: KindRegistry) -> Path:
    if is_dataset(path):
        return path
    folder = Path(dataset) if dataset is not None else cache_folder(path)
    if holds(folder, path):
        return folder
    try:  # new, or converted from another input or an older version
        _write_dataset(path, folder, kinds=kinds)
    except OutputUnwritable as err:
        if dataset is not None:
            raise
        raise OutputUnwritable(
            f"{err} The Dask engine converts the input into a dataset in a cache folder: "
            "set CASUISTRY_CACHE to a folder you can write to, or give one (--dataset DIR)."
        ) from err
    return folder


def _analyse_part(folder: str, part: str, kinds: KindRegistry, corpus_events: int):
    """On a worker: the part's tables and Casebook, or its problems.

    The engine is the one ``engine="auto"`` takes for the whole corpus of
    ``corpus_events`` events: a part is smaller than the size from which the
    compiled kernel pays (:data:`casuistry.analysis.COMPILED_FROM`), but a
    worker loads the kernel once for all the parts it runs.
    """
    from casuistry.analysis import TABLES, analyse, auto_runs_kernel
    from casuistry.validation import validate_tables

    events, actors = read_part(folder, part)
    review = read_review(folder, part, events)
    try:
        book = validate_tables(events, actors, review=review, kinds=kinds)
    except InvalidCase as err:
        return {"problems": err.problems}
    engine = "compiled" if auto_runs_kernel(corpus_events) else "python"
    result = analyse(book, progress=False, engine=engine)
    return {"tables": {name: getattr(result, name) for name in TABLES}, "book": book}


def _merge(done: list[dict], manifest: dict, kinds: KindRegistry):
    """One Analysis of the parts' results, as the single-process run makes it."""
    from casuistry.analysis import TABLES, Analysis

    events_file = manifest["events_file"]
    notes = pd.DataFrame(
        [
            {"file": file, "row": row, "column": None, "message": message}
            for file, key in (
                (events_file, "events_notes"),
                (manifest["actors_file"], "actors_notes"),
            )
            for row, message in manifest[key]
        ],
        columns=["file", "row", "column", "message"],
    )
    # Files whose rows the parts share out: the events, the reviewer's per-case tables.
    shared_out = {events_file} | {
        info["file"] for name, info in manifest["review"].items() if name in PER_CASE
    }
    failed = [d["problems"] for d in done if "problems" in d]
    if failed:
        raise InvalidCase(_once(failed, shared_out, na_position="first"))
    books = [d["book"] for d in done]
    warnings = _once([book.warnings for book in books], shared_out, first=notes)
    first_row = pd.concat(
        [book.events.groupby(CASE_ID, sort=False)[ROW].min() for book in books]
    ).sort_values(kind="stable")
    rank = pd.Series(np.arange(len(first_row)), index=first_row.index)
    # Parts that hold their cases in the order of first appearance (as the
    # conversion writes them) are joined as they are; any others are sorted.
    part_cases = pd.Index(np.concatenate([book.time_styles.index.to_numpy() for book in books]))
    in_order = bool((np.diff(rank.reindex(part_cases).to_numpy()) > 0).all())
    events = _in_case_order([book.events for book in books], rank, in_order)
    if books[0].has_actor_table:
        actors = books[0].actors
    else:
        actors = actors_without_table(pd.concat([book.actors[ACTOR] for book in books]))
    styles = pd.concat([book.time_styles for book in books]).loc[rank.index]
    book = Casebook(
        events=events,
        actors=actors,
        time_styles=styles,
        warnings=warnings,
        files=books[0].files,
        has_actor_table=books[0].has_actor_table,
        kinds=kinds,
        sources=books[0].sources,
        **{name: _in_row_order([getattr(b, name) for b in books]) for name in PER_CASE},
    )
    tables = {
        name: _in_case_order([d["tables"][name] for d in done], rank, in_order) for name in TABLES
    }
    return Analysis(**tables, casebook=book)


def _in_row_order(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """A reviewer's per-case table of all parts, its rows in the input's order (as
    :func:`casuistry.load` keeps them); parts without rows add nothing."""
    rows = [table for table in tables if len(table)] or tables[:1]
    merged = pd.concat(rows, ignore_index=True)
    return merged.sort_values(ROW, kind="stable").reset_index(drop=True)


def _once(
    tables: list[pd.DataFrame], shared_out: set[str], *, first=None, na_position: str = "last"
):
    """Problems of all parts: rows of the files the parts share out (``shared_out``:
    the events, the reviewer's per-case tables) from every part, the rest (the
    actors and sources tables, a file as a whole) from the first part only, as
    they are the same in every part; after ``first`` (the reading notes), in the
    order :func:`casuistry.load` gives."""
    own = [t[t["file"].isin(list(shared_out)) & t["row"].notna()] for t in tables[1:]]
    merged = pd.concat([t for t in (first, tables[0], *own) if t is not None], ignore_index=True)
    merged["row"] = merged["row"].astype("Int64")
    merged = merged.sort_values(["file", "row"], kind="stable", na_position=na_position)
    return merged.reset_index(drop=True)


def _in_case_order(tables: list[pd.DataFrame], rank: pd.Series, in_order: bool) -> pd.DataFrame:
    """Concatenate the parts' tables with cases in order of first appearance.

    With ``in_order`` (the parts' cases, one part after the other, are in that
    order already) the tables are only joined. Otherwise each distinct
    case_id is looked up once (a million rows name some 50,000 cases:
    hashing every row's text was half of the merge).
    """
    merged = pd.concat(tables, ignore_index=True)
    if in_order:
        return merged
    codes, cases = pd.factorize(merged[CASE_ID].array, use_na_sentinel=False)
    order = rank.reindex(pd.Index(cases)).to_numpy()[codes]
    if (np.diff(order) < 0).any():
        merged = merged.take(np.argsort(order, kind="stable")).reset_index(drop=True)
    return merged
