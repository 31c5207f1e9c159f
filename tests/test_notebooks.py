"""The notebooks: each runs from top to bottom as a reader would run it, and none is stored dirty.

Every notebook is executed with nbclient on the ``python3`` kernel, in the
``notebooks/`` folder (so relative paths behave as in JupyterLab), with the
kernel's temporary folder inside the test's own. A notebook fails when a cell
raises, when a cell writes to stderr (a warning a reader would see), or when
running it changed a file in the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
COURSE = [
    "01_voordoen.ipynb",
    "02_samendoen.ipynb",
    "03_zelf_doen.ipynb",
    "04_onderzoek.ipynb",
    "05_wat_als.ipynb",
]
#: Folders whose contents change for reasons of their own (caches, the venv, git).
NOT_WATCHED = {
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
}
CELL_TIMEOUT = 600  # seconds; generous, a cell takes a few seconds at most


def test_the_course_has_its_five_numbered_notebooks():
    assert [path.name for path in NOTEBOOKS] == COURSE


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_stored_notebook_holds_no_outputs_and_names_the_python3_kernel(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    dirty = [
        number
        for number, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} hold outputs or execution counts; "
        "clear all outputs before committing"
    )


def test_every_notebook_starts_with_an_english_summary():
    for path in NOTEBOOKS:
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.cell_type == "markdown", path.name
        assert "**In English.**" in first.source, path.name


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_cleanly_without_touching_the_repository(path, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the kernel writes its temporary files here
    before = repository_files()
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, when a cell fails
    noisy = [
        (number, output.text[:300])
        for number, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stderr"
    ]
    assert not noisy, f"{path.name}: cells write to stderr: {noisy}"
    changed = changed_files(before, repository_files())
    assert not changed, f"{path.name} changed files in the repository: {changed}"


def repository_files() -> dict[str, tuple[int, int]]:
    """Every file of the repository (outside caches) with its size and modification time."""
    found = {}
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in NOT_WATCHED]
        for name in files:
            path = Path(folder) / name
            stat = path.stat()
            found[str(path.relative_to(ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return found


def changed_files(before: dict, after: dict) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
