"""The reports of many cases, written by a pool of worker processes (or in this one).

:func:`write_reports` renders one report per case into a folder that
:func:`casuistry.io.atomic.build_folder` is building, so nothing appears at
the target unless every report was written. With ``jobs`` above 1 the cases
go to that many worker processes, started fresh (``spawn``, the same on every
platform: no worker inherits threads or open files of this process, and each
is a child of this one, so its CPU time counts as this command's).
Each worker gets, once, what all cases share (the corpus-wide ``warnings``
and ``sources`` tables of the Casebook, the folder and the options), then
batches of one-case analyses (:meth:`casuistry.Analysis.case` without those
shared tables): never the whole corpus. A report depends only on its case,
so every file is byte for byte the one a single process writes.

A worker that fails, or stops (killed, out of memory), ends the run with
:class:`~casuistry.errors.ReportFailed` naming the case; the pool is shut
down before the error leaves, so no worker writes into a folder that is
being removed.

Ctrl-C reaches the command and its workers at once: the workers start with
it held back, and once ready end on the spot, silently; the command alone
says it was interrupted, and removes the unfinished folder
(:mod:`casuistry.interrupts`).

Examples
--------
>>> import casuistry, tempfile, pathlib
>>> analysis = casuistry.analyse(casuistry.load(casuistry.example_path()))
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_reports(analysis, {"puzzel-1": "one.html"}, folder, lang="en", jobs=1, show=False)
>>> (folder / "one.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from casuistry import interrupts
from casuistry.errors import CasuistryError, ReportFailed
from casuistry.io.atomic import put_text
from casuistry.progress import counter

#: The Casebook's corpus-wide tables: sent to each worker once, not with every case.
SHARED = ("warnings", "sources")
#: Most cases in one batch sent to a worker (fewer when there are few cases per worker).
BATCH = 8
#: Batches in flight per worker: enough to keep it busy, few enough to bound memory.
AHEAD = 2

_worker: dict = {}


def default_jobs() -> int:
    """Every core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def check_jobs(jobs: int | None) -> None:
    """Refuse a number of worker processes below 1 (None is every core)."""
    if jobs is not None and jobs < 1:
        raise CasuistryError(f"--jobs needs a number of processes of 1 or more, not {jobs}")


def write_reports(
    analysis,
    names: Mapping[str, str],
    folder: str | os.PathLike,
    *,
    lang: str,
    calendar_dates: bool = False,
    jobs: int | None = None,
    show: bool | None = None,
) -> None:
    """Write the report of each case into ``folder``, in ``jobs`` processes.

    Parameters
    ----------
    analysis : casuistry.Analysis
        The analysis holding the cases.
    names : mapping of str to str
        File name (inside ``folder``) of each case's report, by case id.
    folder : path-like
        A folder being built by :func:`casuistry.io.atomic.build_folder`.
    lang : {"nl", "en"}, keyword-only
        The reports' language.
    calendar_dates : bool, keyword-only
        Calendar dates instead of days since the first event.
    jobs : int or None, keyword-only
        Worker processes; 1 writes in this process, None uses every core
        (:func:`default_jobs`), never more than there are batches of cases.
    show : bool or None, keyword-only
        The progress bar (see :mod:`casuistry.progress`).

    Raises
    ------
    ReportFailed
        When a case's report cannot be made, or a worker stops; the message
        names the case and the cause.
    """
    check_jobs(jobs)
    options = {"lang": lang, "calendar_dates": calendar_dates}
    shared = {name: getattr(analysis.casebook, name) for name in SHARED}
    cases = list(names)
    size = max(1, min(BATCH, len(cases) // (4 * (jobs or default_jobs()))))
    batches = [cases[at : at + size] for at in range(0, len(cases), size)]
    workers = min(jobs or default_jobs(), len(batches))
    with counter(len(cases), label="writing reports", show=show, unit="report") as advance:
        if workers <= 1:
            _start(Path(folder), options, shared)
            try:
                for case in cases:
                    _write(case, names[case], analysis.case(case))
                    advance(1)
            finally:
                _worker.clear()  # this process keeps no tables of the run
            return
        setup = (Path(folder), options, shared, os.getpid())
        _in_pool(analysis, names, batches, workers, setup, advance)


def _in_pool(analysis, names, batches, workers, setup, advance) -> None:
    """Send the batches to ``workers`` processes, a few ahead; count each batch done."""
    context = multiprocessing.get_context("spawn")
    waiting: dict[Future, list[str]] = {}
    pending = iter(batches)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=setup)
    try:
        with interrupts.held():  # the first batches start the workers, which inherit it
            _submit(pool, analysis, names, pending, waiting, workers * AHEAD)
        while _submit(pool, analysis, names, pending, waiting, workers * AHEAD) or waiting:
            done, _ = wait(waiting, return_when=FIRST_COMPLETED)
            for future in done:
                future.result()  # a case's ReportFailed, or a stopped worker, ends the run
                advance(len(waiting.pop(future)))
    except BrokenProcessPool:
        shown = ", ".join(case for batch in waiting.values() for case in batch)
        raise ReportFailed(
            f"a worker process stopped (killed, or out of memory?) while writing the "
            f"reports of {shown}; nothing was written. Try --jobs 1, or fewer jobs"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool, analysis, names, pending: Iterator, waiting: dict, ahead: int) -> bool:
    """Submit batches until ``ahead`` are waiting; False when none are left to submit."""
    while len(waiting) < ahead:
        batch = next(pending, None)
        if batch is None:
            return False
        work = [(case, names[case], _without_shared(analysis.case(case))) for case in batch]
        waiting[pool.submit(_write_batch, work)] = batch
    return True


def _without_shared(analysis):
    """A one-case analysis without the corpus-wide tables (the worker has them)."""
    return replace(analysis, casebook=replace(analysis.casebook, **dict.fromkeys(SHARED)))


def _start(folder: Path, options: dict, shared: dict, parent: int | None = None) -> None:
    """Keep what every case of this run shares (in a worker, or in this process);
    a worker also keeps the process id of the command that started it, and
    ends at Ctrl-C."""
    _worker.update(folder=folder, options=options, shared=shared, parent=parent)
    if parent is not None:
        interrupts.end_silently_at_interrupt()


def _write_batch(work: list) -> None:
    """Write the report of each ``(case, file name, one-case analysis)``, in a worker."""
    for case, name, analysis in work:
        book = replace(analysis.casebook, **_worker["shared"])
        _write(case, name, replace(analysis, casebook=book))


def _write(case: str, name: str, analysis) -> None:
    """Write one case's report; a failure becomes :class:`ReportFailed` naming the case."""
    from casuistry.reporting.page import render_report

    try:
        html = render_report(analysis, case, **_worker["options"])
    except ReportFailed:
        raise
    except Exception as err:  # any failure of one case is reported with the case's id
        raise ReportFailed(
            f"the report of case {case!r} could not be made: {type(err).__name__}: {err}"
        ) from err
    if _worker["parent"] is not None and os.getppid() != _worker["parent"]:
        # The command was killed: its unfinished folder is a leftover the next
        # run removes, and nothing may write into it any more.
        os._exit(1)
    put_text(_worker["folder"] / name, html)
