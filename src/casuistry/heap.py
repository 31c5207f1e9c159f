"""How the process's memory is handed out while casuistry reads and analyses.

Reading, validating and analysing allocate and free hundreds of megabytes per
step. With the defaults, freed memory goes back to the system at once and is
asked for again a step later; on a virtual machine each of those pages then
faults once more when it is touched (about 12 µs a fault on this project's
machines). While casuistry works, the memory stays with the process:

- glibc's heap grows and shrinks in steps of 512 MB (``M_TOP_PAD``), and
  blocks up to 256 MB come from the heap (``M_MMAP_THRESHOLD``) instead of
  from pages of their own that are unmapped when freed;
- pyarrow allocates from that same heap (its system pool) instead of
  mimalloc, which hands freed pages back within milliseconds;
- numpy does not ask for transparent huge pages for its large arrays
  (``madvise(MADV_HUGEPAGE)``, which numpy does by default on Linux): on a
  virtual machine a fresh huge page took the system far longer than the
  512 small pages it replaces.

Measured on 10^6 synthetic events (first call in a process, system time):
``load`` 0.8–1.1 s with the defaults, 0.3 s with these settings;
``analyse`` 1.1–1.3 s, 0.2–0.5 s; at the same user time and peak memory.
Without huge pages as well, ``analyse`` 0.55–0.71 s -> 0.21–0.24 s and
``load`` 0.25–0.42 s -> 0.24–0.27 s (at the same user time), while the
pandas floor of ``make bench`` is the same either way.

Two scopes:

- :func:`keep_freed_memory` for the whole process: the ``casuistry`` command
  sets it for its own process (never for a caller's);
- :func:`large_steps` for the time of one call: :func:`casuistry.load` and
  :func:`casuistry.analyse` run inside it, and set glibc's documented
  defaults (:data:`GLIBC_DEFAULTS`), the previous pyarrow pool and numpy's
  huge pages as they were again when they return, so a notebook's process
  hands freed memory back as before.
  What stays: glibc stops adapting its mmap threshold once a program sets
  these (see ``mallopt(3)``).

Elsewhere than glibc (macOS, Windows, musl) nothing changes.

Python's own cyclic garbage collector is paused (:func:`collector_paused`)
where casuistry makes millions of small tuples and no reference cycles:
reading the events (``to`` and ``signals`` lists), the reference engine and
the JSON document as Python objects (``Analysis.to_dict``). Without the pause
it scans the growing objects over and over: about 0.1 s of a load of 10^6
events, as much time as the reference engine itself, and more than half of
``to_dict`` on 10^6 events. A report, and the Dask driver's gathering of the
parts, run with the collector paused too, and only what they made is
collected after (:func:`young_cycles_collected`).

Examples
--------
>>> with large_steps():
...     pass  # reading and analysing here
"""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_M_TOP_PAD, _M_MMAP_THRESHOLD = -2, -3  # glibc's mallopt parameter numbers
#: glibc's settings while casuistry works: the heap grows (and keeps) 512 MB
#: beyond each request, and blocks up to 256 MB come from the heap.
LARGE_STEPS = {_M_TOP_PAD: 512 * 2**20, _M_MMAP_THRESHOLD: 256 * 2**20}
#: glibc's documented defaults (``mallopt(3)``), set again after a call.
GLIBC_DEFAULTS = {_M_TOP_PAD: 128 * 2**10, _M_MMAP_THRESHOLD: 128 * 2**10}
#: The state of this process: large steps for good, how many calls are inside,
#: and the pyarrow pool and numpy's huge pages to set again after them.
_state = {"for_good": False, "depth": 0, "pool": None, "huge_pages": None}
_lock = threading.Lock()


def keep_freed_memory() -> bool:
    """Let the heap grow and shrink in large steps for the rest of the process.

    Returns
    -------
    bool
        Whether the allocator took the setting; False where there is no
        glibc, which then keeps its defaults.
    """
    _state["for_good"] = _settle(large=True)
    return _state["for_good"]


@contextmanager
def large_steps() -> Iterator[None]:
    """Large heap steps for the time of a call; the defaults again after it.

    Calls inside calls (and calls in other threads) keep the settings until
    the last returns; in a process set up by :func:`keep_freed_memory`
    nothing changes.
    """
    if _state["for_good"]:
        yield
        return
    with _lock:  # calls in several threads (a Dask worker's tasks)
        if _state["depth"] == 0:
            _settle(large=True)
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0:
                _settle(large=False)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the time of a call (when it
    runs at all); it runs again after, also after an error."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def young_cycles_collected() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a call that makes short-lived
    reference cycles (a report's matplotlib figures, the Dask client's
    messages), then collect only the youngest generation, which holds all
    the call made.

    In a process that holds a large analysis (10^6 events: some 700,000
    objects the collector tracks), the figures a report draws outlive the
    collector's young generations and reach the oldest, and every few
    reports the collector scans all of it again (0.13 s each time). Collected
    young instead, a report from the analysis of 10^6 synthetic events took
    0.25-0.26 s of CPU where it took 0.27-0.28 s (the same 20 cases, three
    times each way, in turn). Where the collector was not running, it is
    left so and nothing is collected.
    """
    running = gc.isenabled()
    with collector_paused():
        try:
            yield
        finally:
            if running:  # still paused: a collection of its own might take every generation
                gc.collect(0)


def _settle(*, large: bool) -> bool:
    """Set glibc's large steps (with pyarrow's system pool and numpy without huge
    pages) or the defaults (with the pool and huge pages as before); False, and
    nothing changed, where there is no glibc."""
    if not all([_mallopt(k, v) for k, v in (LARGE_STEPS if large else GLIBC_DEFAULTS).items()]):
        return False
    import pyarrow as pa

    if large:
        _state["pool"] = pa.default_memory_pool()
        pa.set_memory_pool(pa.system_memory_pool())
        _state["huge_pages"] = _numpy_huge_pages(False)
    elif _state["pool"] is not None:
        pa.set_memory_pool(_state["pool"])
        if _state["huge_pages"] is not None:
            _numpy_huge_pages(_state["huge_pages"])
        _state["pool"] = _state["huge_pages"] = None
    return True


def _numpy_huge_pages(enabled: bool) -> bool | None:
    """Whether numpy asks for huge pages for its large arrays, set to ``enabled``;
    the setting before, None where this numpy has no such setting."""
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # a numpy without the setting (numpy 2.0-2.4 have it)
        return None
    return _set_madvise_hugepage(enabled)


def _mallopt(parameter: int, value: int) -> bool:
    """glibc's ``mallopt(parameter, value)``; False where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt(parameter, value) == 1
