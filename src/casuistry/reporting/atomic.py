"""Writing reports without leaving anything half-written, nor deleting someone's folder.

Files and folders are built aside and renamed into place by
:mod:`casuistry.io.atomic`. A report folder is replaced only when it is new,
empty, or was written by casuistry before (it holds a marker file), so a
mistyped ``-o`` never deletes other work.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from casuistry.errors import CasuistryError
from casuistry.io.atomic import atomic_path

__all__ = ["MARKER", "build_folder"]

#: A file that marks a folder as written by casuistry, so it may be replaced.
MARKER = ".casuistry-reports"


def build_folder(path: str | os.PathLike, build: Callable[[Path], None]) -> Path:
    """Build a folder with ``build`` in a temporary folder, then move it to ``path``.

    Parameters
    ----------
    path : path-like
        The folder to create or replace.
    build : callable
        Called with the temporary folder; writes everything into it.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    CasuistryError
        When ``path`` is a file, or a non-empty folder that casuistry did not
        write. Nothing is written then.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise CasuistryError(f"{path} is a file; give a folder for the reports")
    if path.is_dir() and any(path.iterdir()) and not (path / MARKER).exists():
        raise CasuistryError(
            f"{path} is a folder with other content; give a new or empty folder "
            "(casuistry only replaces folders it wrote itself)"
        )
    with atomic_path(path, folder=True) as fresh:
        build(fresh)
        (fresh / MARKER).write_text("written by casuistry; safe to replace\n", encoding="utf-8")
    return path
