"""Settings of the process a command runs in, never of a caller's Python process.

A command reads, validates and analyses in steps that each allocate and free
hundreds of megabytes. With its defaults the C library hands freed memory back
to the system and asks for it again a step later; on a virtual machine each of
those pages costs a fault when it is touched again. Measured on this project's
machines (a 10^6-event corpus, ``casuistry analyse --json``): 1.1–2.8 s of
system time with the defaults, 0.5–0.8 s when the heap grows and shrinks in
steps of :data:`HEAP_STEP_BYTES`, with the same peak memory.
"""

from __future__ import annotations

import ctypes
import sys

#: How much the heap grows beyond each request, and keeps when memory is freed.
HEAP_STEP_BYTES = 512 * 2**20
_M_TOP_PAD = -2  # glibc's mallopt parameter number


def keep_freed_memory() -> bool:
    """Let the C library's heap grow and shrink in large steps (glibc only).

    Returns
    -------
    bool
        Whether the allocator took the setting; False where there is no
        glibc (macOS, Windows, musl), which then keeps its defaults.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt(_M_TOP_PAD, HEAP_STEP_BYTES) == 1
