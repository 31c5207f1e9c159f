"""The one path by which casuistry writes files: atomic, and never over other work.

Every file or folder is built next to its target under a temporary name
(``.NAME.casuistry-tmp-PID-XXXXXXXX``), flushed to disk (fsync) and renamed
into place, so an error, an interrupt or a kill leaves either no target, the
old one, or the complete new one, never a mixture. The temporary is removed on
any exception (``KeyboardInterrupt`` included); one left behind by a killed
run is removed by the next run that writes the same target, once the process
that made it (the ``PID`` in its name) has ended.

Three rules protect what casuistry did not write, checked before anything is
written (each refusal is a :class:`~casuistry.errors.WriteRefused`):

- **Not the input.** An output equal to an input, inside an input folder, or a
  folder containing an input is refused (symbolic links resolved).
- **Folders.** An existing folder is replaced only when it is empty or holds
  nothing but files casuistry wrote there, unchanged.
- **Files.** An existing file is replaced only when it is, byte for byte, a
  file casuistry wrote there. Symbolic links are never replaced.

What casuistry wrote is recorded in a small JSON file :data:`LEDGER`
(``.casuistry``): inside every folder it builds, and in the folder of every
single file it writes, naming each file with its SHA-256 checksum.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "report.html", "<p>hallo</p>").read_text(encoding="utf-8")
'<p>hallo</p>'
>>> _ = write_text(folder / "report.html", "<p>again</p>")  # its own file: replaced
>>> _ = (folder / "thesis.txt").write_text("years of work", encoding="utf-8")
>>> write_text(folder / "thesis.txt", "oops")
Traceback (most recent call last):
...
casuistry.errors.NotCasuistrysOutput: ...thesis.txt exists and casuistry did not write it...
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from casuistry.errors import NotCasuistrysOutput, OutputIsInput, OutputUnwritable

__all__ = [
    "LEDGER",
    "atomic_path",
    "build_folder",
    "check_not_input",
    "put_text",
    "write_text",
]

#: The record of what casuistry wrote into a folder (JSON: file name to SHA-256).
LEDGER = ".casuistry"
_TEMPORARY = re.compile(r"\.casuistry-(?:tmp|old)-(\d+)-[^/\\]+")
#: Characters of the target's name kept in a temporary's name (names stay < 255 bytes).
_NAME_KEPT = 100

Inputs = Iterable[str | os.PathLike]


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike, *, folder: bool = False, inputs: Inputs = ()
) -> Iterator[Path]:
    """Yield a temporary path to write; move it onto ``target`` on success.

    Parameters
    ----------
    target : path-like
        The file or folder to produce. Missing parent folders are created.
    folder : bool, keyword-only
        Yield a new empty folder instead of a file path; the whole folder
        replaces ``target`` and gets a :data:`LEDGER`.
    inputs : iterable of path-like, keyword-only
        The command's inputs, which ``target`` must not touch.

    Raises
    ------
    OutputIsInput
        When ``target`` is, is inside, or contains an input.
    NotCasuistrysOutput
        When ``target`` exists and is not casuistry's to replace.
    OutputUnwritable
        When the folder of ``target`` cannot be made or written to.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "tables"
    >>> with atomic_path(out, folder=True) as tmp:
    ...     _ = (tmp / "events.csv").write_text("case_id\\n", encoding="utf-8")
    >>> sorted(p.name for p in out.iterdir())
    ['.casuistry', 'events.csv']
    """
    target = Path(target)
    check_not_input(target, inputs)
    _check_replaceable(target, folder=folder)
    tmp = _temporary(target, folder=folder)
    try:
        yield tmp
        # a temporary is private (0600/0700); what we write is meant to be handed round
        tmp.chmod((0o777 if folder else 0o666) & ~_umask())
        if folder:
            _write_ledger(tmp / LEDGER, _tree_checksums(tmp))
            _fsync_tree(tmp)
        else:
            _fsync(tmp)
            checksum = _sha256(tmp)
        _check_replaceable(target, folder=folder)  # again: something may have appeared
        if folder:
            _replace_folder(tmp, target)
        else:
            os.replace(tmp, target)
        _fsync(target.parent)
        if not folder:
            _record(target, checksum)
    finally:
        _remove(tmp)


def _temporary(target: Path, *, folder: bool) -> Path:
    """A new temporary file or folder next to ``target`` (its folder made first)."""
    prefix = f".{target.name[:_NAME_KEPT]}.casuistry-tmp-{os.getpid()}-"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target)
        if folder:
            return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
        handle, name = tempfile.mkstemp(prefix=prefix, dir=target.parent)
    except OSError as err:  # no permission, a read-only or missing disk, a file in the way
        raise OutputUnwritable(
            f"{target.parent}: cannot write here ({err.strerror or err}). Nothing was "
            "written: give an output in a folder you can write to."
        ) from err
    os.close(handle)
    return Path(name)


def write_text(target: str | os.PathLike, text: str, *, inputs: Inputs = ()) -> Path:
    """Write UTF-8 text (``\\n`` line ends) to ``target`` atomically; return the path.

    See :func:`atomic_path` for ``inputs`` and the refusals.
    """
    with atomic_path(target, inputs=inputs) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(target)


def build_folder(
    path: str | os.PathLike, build: Callable[[Path], object], *, inputs: Inputs = ()
) -> Path:
    """Build a folder with ``build`` in a temporary folder, then move it to ``path``.

    Parameters
    ----------
    path : path-like
        The folder to create, or to replace when it is empty or casuistry's own.
    build : callable
        Called with the temporary folder; writes everything into it (plainly:
        the folder as a whole is moved into place afterwards).
    inputs : iterable of path-like, keyword-only
        The command's inputs, which ``path`` must not touch.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> mine = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (mine / "thesis.docx").write_bytes(b"years of work")
    >>> build_folder(mine, lambda tmp: None)
    Traceback (most recent call last):
    ...
    casuistry.errors.NotCasuistrysOutput: ...did not write: thesis.docx)...
    """
    with atomic_path(path, folder=True, inputs=inputs) as fresh:
        build(fresh)
    return Path(path)


def put_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text into a folder that :func:`build_folder` is building.

    Plain writing suffices there (the folder is moved into place as a whole);
    missing subfolders are created.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def check_not_input(target: str | os.PathLike, inputs: Inputs) -> None:
    """Refuse an output that is, is inside, or contains one of ``inputs``.

    Paths are compared after resolving symbolic links, and existing paths
    also by identity on disk (so a case-insensitive file system is covered).

    Examples
    --------
    >>> check_not_input("case/events.csv", ["case"])
    Traceback (most recent call last):
    ...
    casuistry.errors.OutputIsInput: case/events.csv is inside the input case; ...
    """
    real = Path(target).expanduser().resolve()
    for given in inputs:
        source = Path(given).expanduser().resolve()
        if _same(real, source):
            relation = "is the input"
        elif any(_same(parent, source) for parent in real.parents):
            relation = "is inside the input"
        elif any(_same(parent, real) for parent in source.parents):
            relation = "contains the input"
        else:
            continue
        raise OutputIsInput(
            f"{target} {relation} {given}; casuistry never writes into or over its own "
            "input. Nothing was written: give an output outside it (for example a new "
            "folder next to it)."
        )


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def _check_replaceable(target: Path, *, folder: bool) -> None:
    fix = "Nothing was written"
    if target.name == LEDGER:
        raise NotCasuistrysOutput(f"{target} is casuistry's own record; give another name.")
    if target.is_symlink():
        raise NotCasuistrysOutput(
            f"{target} is a symbolic link; casuistry does not replace links. {fix}: "
            "give another name."
        )
    if not folder and target.parent.is_dir():
        _read_ledger(target.parent)  # a foreign file named like the ledger stops us early
    if not target.exists():
        return
    if folder and not target.is_dir():
        raise NotCasuistrysOutput(f"{target} is a file. {fix}: give a folder for the output.")
    if not folder and target.is_dir():
        raise NotCasuistrysOutput(
            f"{target} is a folder. {fix}: give a file name, for example {target / 'out.html'}."
        )
    if folder:
        foreign = _foreign_files(target)
        if foreign:
            shown = ", ".join(foreign[:3]) + (
                f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
            )
            raise NotCasuistrysOutput(
                f"{target} is a folder with other content (files casuistry did not "
                f"write: {shown}). {fix}: give a new or empty folder, or move those files "
                "away first."
            )
    elif (_read_ledger(target.parent) or {}).get(target.name) != _sha256(target):
        raise NotCasuistrysOutput(
            f"{target} exists and casuistry did not write it (or it was changed since). "
            f"{fix}: give another file name, or move the file away yourself first."
        )


def _foreign_files(folder: Path) -> list[str]:
    """Relative names in ``folder`` that are not unchanged files of its ledger."""
    ledger = _read_ledger(folder) or {}
    foreign = []
    for root, dirs, files in os.walk(folder):
        base = Path(root).relative_to(folder)
        for name in sorted(dirs):
            rel = (base / name).as_posix()
            path = Path(root) / name
            if path.is_symlink() or not any(key.startswith(rel + "/") for key in ledger):
                foreign.append(rel + "/")
                dirs.remove(name)  # report the folder once, not its content
        for name in sorted(files):
            rel = (base / name).as_posix()
            if rel == LEDGER:
                continue
            path = Path(root) / name
            if path.is_symlink() or ledger.get(rel) != _sha256(path):
                foreign.append(rel)
    return sorted(foreign)


def _read_ledger(folder: Path) -> dict[str, str] | None:
    path = folder / LEDGER
    if not path.exists() and not path.is_symlink():
        return None
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        raise NotCasuistrysOutput(
            f"{path} is not the record casuistry keeps of what it wrote ({err}); casuistry "
            "will not write into this folder. Nothing was written: give another folder."
        ) from err
    if not isinstance(files, dict):
        raise NotCasuistrysOutput(
            f"{path} is not the record casuistry keeps of what it wrote; casuistry will not "
            "write into this folder. Nothing was written: give another folder."
        )
    return files


def _write_ledger(path: Path, files: dict[str, str]) -> None:
    text = json.dumps({"written_by": "casuistry", "files": files}, indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")


def _record(target: Path, checksum: str) -> None:
    """Add a single file casuistry wrote to the ledger of its folder, atomically."""
    folder = target.parent
    files = {
        name: value
        for name, value in (_read_ledger(folder) or {}).items()
        if (folder / name).is_file()  # forget files that are gone
    }
    files[target.name] = checksum
    _remove_stale(folder / LEDGER)
    handle, name = tempfile.mkstemp(prefix=f".{LEDGER}.casuistry-tmp-{os.getpid()}-", dir=folder)
    os.close(handle)
    tmp = Path(name)
    try:
        _write_ledger(tmp, files)
        tmp.chmod(0o666 & ~_umask())
        _fsync(tmp)
        os.replace(tmp, folder / LEDGER)
    finally:
        _remove(tmp)


def _tree_checksums(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): _sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != LEDGER
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _replace_folder(fresh: Path, target: Path) -> None:
    if not target.exists():
        fresh.rename(target)
        return
    prefix = f".{target.name[:_NAME_KEPT]}.casuistry-old-{os.getpid()}-"
    old = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    old.rmdir()
    target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old)


def _remove_stale(target: Path) -> None:
    """Remove temporaries of ``target`` left by runs that were killed."""
    stem = glob.escape(f".{target.name[:_NAME_KEPT]}")
    for path in target.parent.glob(f"{stem}.casuistry-*"):
        found = _TEMPORARY.fullmatch(path.name[len(target.name[:_NAME_KEPT]) + 1 :])
        if found and not _running(int(found.group(1))):
            _remove(path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no cheap, safe check: a temporary of an ended run is assumed
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _fsync(path: Path) -> None:
    if path.is_dir() and os.name != "posix":
        return  # Windows cannot open a folder to flush it
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _fsync_tree(folder: Path) -> None:
    for root, _dirs, files in os.walk(folder):
        for name in files:
            _fsync(Path(root) / name)
        _fsync(Path(root))


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
