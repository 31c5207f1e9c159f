"""How the C library's heap grows and shrinks while casuistry reads and analyses.

Reading, validating and analysing allocate and free hundreds of megabytes per
step. With glibc's defaults, freed memory at the top of the heap goes back to
the system at once and is asked for again a step later; on a virtual machine
each of those pages then faults once more when it is touched. Measured on this
project's machines (10^6 events): 1.1–2.8 s of system time per ``casuistry
analyse --json`` with the defaults, 0.5–0.8 s when the heap grows and shrinks in
steps of :data:`HEAP_STEP_BYTES` (glibc's ``M_TOP_PAD``), at the same peak.

Two scopes:

- :func:`keep_freed_memory` for the whole process: the ``casuistry`` command
  sets it for its own process (never for a caller's);
- :func:`large_steps` for the time of one call: :func:`casuistry.load` and
  :func:`casuistry.analyse` run inside it, and set glibc's default
  (:data:`GLIBC_TOP_PAD`) again when they return, so a notebook's process
  hands freed memory back as before. What stays: glibc stops adapting its
  mmap threshold once a program sets ``M_TOP_PAD`` (see ``mallopt(3)``).

Elsewhere than glibc (macOS, Windows, musl) nothing changes.

Python's own cyclic garbage collector is paused (:func:`collector_paused`)
where casuistry makes millions of small tuples and no reference cycles:
reading the events (``to`` and ``signals`` lists) and the reference engine.
Without the pause it scans the growing objects over and over: about 0.1 s of
a load of 10^6 events, and as much time as the reference engine itself.

Examples
--------
>>> with large_steps():
...     pass  # reading and analysing here
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: How much the heap grows beyond each request, and keeps when memory is freed.
HEAP_STEP_BYTES = 512 * 2**20
#: glibc's own ``M_TOP_PAD`` (128 KiB, ``mallopt(3)``), set again after a call.
GLIBC_TOP_PAD = 128 * 2**10
_M_TOP_PAD = -2  # glibc's mallopt parameter number
#: The state of this process: large steps for good, and how many calls are inside.
_state = {"for_good": False, "depth": 0}


def keep_freed_memory() -> bool:
    """Let the heap grow and shrink in large steps for the rest of the process.

    Returns
    -------
    bool
        Whether the allocator took the setting; False where there is no
        glibc, which then keeps its defaults.
    """
    _state["for_good"] = _set_top_pad(HEAP_STEP_BYTES)
    return _state["for_good"]


@contextmanager
def large_steps() -> Iterator[None]:
    """Large heap steps for the time of a call; glibc's default again after it.

    Calls inside calls keep the setting until the outermost returns; in a
    process set up by :func:`keep_freed_memory` nothing changes.
    """
    if _state["for_good"]:
        yield
        return
    if _state["depth"] == 0:
        _set_top_pad(HEAP_STEP_BYTES)
    _state["depth"] += 1
    try:
        yield
    finally:
        _state["depth"] -= 1
        if _state["depth"] == 0:
            _set_top_pad(GLIBC_TOP_PAD)


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


def _set_top_pad(size: int) -> bool:
    """glibc's ``mallopt(M_TOP_PAD, size)``; False where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt(_M_TOP_PAD, size) == 1
