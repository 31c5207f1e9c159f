"""Writing without leaving anything half-written.

Every file or folder the toolkit writes is first built next to its target
under a temporary name and then renamed into place, so an error or an
interrupt leaves either the old target or the complete new one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | Path, *, folder: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; move it onto ``target`` on success.

    Parameters
    ----------
    target : str or Path
        The file or folder to produce. Its parent folder is created.
    folder : bool, keyword-only
        Yield a temporary folder instead of a file path. An existing target
        folder is replaced as a whole.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("<p>hallo</p>", encoding="utf-8")
    >>> out.read_text(encoding="utf-8")
    '<p>hallo</p>'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}."
    if folder:
        tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=target.parent))
    else:
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
        os.close(handle)
        tmp = Path(name)
    try:
        yield tmp
        # a temporary file is private (0600); what we write is meant to be handed round
        tmp.chmod((0o777 if folder else 0o666) & ~_umask())
        if folder:
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=prefix, suffix=".old", dir=target.parent))
                old.rmdir()
                target.rename(old)
                tmp.rename(target)
                shutil.rmtree(old)
            else:
                tmp.rename(target)
        else:
            os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 text to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(target)
