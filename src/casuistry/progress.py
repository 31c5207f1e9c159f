"""Progress bars on stderr: the one place casuistry draws them.

A long run (analysing or synthesising thousands of cases, the parts of a
Dask run) may show a bar. The caller passes ``show``: True always shows one,
False never does, and None shows one only for a long run when stderr is a
terminal, so logs, pipes and notebooks' captured output stay quiet. A run is
long from :data:`SHOW_FROM` steps on, or from ``shown_from`` where a step
takes longer (a part of a Dask run). tqdm is imported only when a bar is
drawn.

Examples
--------
>>> with counter(3, label="synth demo", show=False) as advance:
...     for _ in range(3):
...         advance(1)
>>> list(track(range(3), label="analysing cases", show=False))
[0, 1, 2]
>>> shown(None, 10)
False
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator

#: With ``show=None``, a bar is shown from this many steps on (and only on a terminal).
SHOW_FROM = 2_000


def shown(show: bool | None, total: int, *, shown_from: int = SHOW_FROM) -> bool:
    """Whether to draw a bar: ``show`` itself, or for None a long run (``total`` of
    ``shown_from`` steps or more) on a terminal."""
    if show is None:
        return total >= shown_from and sys.stderr.isatty()
    return bool(show)


@contextlib.contextmanager
def counter(
    total: int, *, label: str, show: bool | None, unit: str = "case"
) -> Iterator[Callable[[int], object]]:
    """A function that counts steps done on a bar of ``total`` steps (or on none).

    Parameters
    ----------
    total : int
        Steps in the whole run.
    label : str
        Text in front of the bar.
    show : bool or None
        See the module notes.
    unit : str
        What a step is called.
    """
    if not shown(show, total):
        yield _ignore
        return
    from tqdm import tqdm  # only when a bar is drawn

    with tqdm(total=total, desc=label, unit=unit, file=sys.stderr) as bar:
        yield bar.update


def track(
    items: Iterable,
    *,
    label: str,
    show: bool | None,
    unit: str = "case",
    total: int | None = None,
    shown_from: int = SHOW_FROM,
) -> Iterable:
    """The items, counted on a bar as they are taken (or the items themselves).

    ``total``: how many there are, for items without a length (futures as
    they complete); by default ``len(items)``. ``shown_from``: with ``show``
    None, how many steps make a long run (see :func:`shown`).
    """
    total = len(items) if total is None else total
    if not shown(show, total, shown_from=shown_from):
        return items
    return _tracked(items, total, label, unit)


def _tracked(items: Iterable, total: int, label: str, unit: str) -> Iterator:
    with counter(total, label=label, show=True, unit=unit) as advance:
        for item in items:
            yield item
            advance(1)


def _ignore(steps: int) -> None:
    """Count nothing: the bar is not shown."""
