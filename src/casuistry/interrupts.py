"""Ctrl-C and the worker processes a command starts.

A terminal's Ctrl-C interrupts the whole process group: the command and
every worker it started. Left to Python's ``KeyboardInterrupt``, a worker
prints a traceback of its own, or, interrupted halfway through handing back
a result, leaves the command waiting for it for ever. So the command alone
answers an interrupt: its workers are started while the interrupt is held
back (:func:`held`), a hold each started process inherits; a worker that
can stop at any moment without harm takes the interrupt once ready, and
ends on the spot without a word (:func:`end_silently_at_interrupt`).

Where signals cannot be held (Windows, whose console interrupts otherwise),
both do nothing.

Examples
--------
>>> with held():
...     pass  # start the workers here: they begin with Ctrl-C held back
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

#: Whether this platform can hold a signal back (POSIX).
CAN_HOLD = hasattr(signal, "pthread_sigmask")


@contextmanager
def held() -> Iterator[None]:
    """Hold Ctrl-C back from this thread meanwhile; one that comes is delivered after.

    A thread or process started meanwhile inherits the hold (a process
    through ``exec`` too) and keeps it unless it lets interrupts in.

    :mod:`multiprocessing` starts its resource tracker (a process) before
    the first worker, and lets interrupts in to the thread that started it
    when done (Python 3.11), whatever that thread held before: so it is
    started first, and the workers are started by a thread that holds.
    """
    if not CAN_HOLD:
        yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def end_silently_at_interrupt() -> None:
    """In a worker started under :func:`held`: from now on, end this process at
    Ctrl-C at once and without a word (status 130), as the command that
    started it says it was interrupted."""
    if not CAN_HOLD:
        return
    signal.signal(signal.SIGINT, _end)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _end(signum: int, frame) -> None:
    os._exit(128 + signum)
