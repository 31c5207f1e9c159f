"""The case ids a file names: which cases to write reports of.

Two forms, told apart by the file itself:

- a table with a column ``case_id``: a ``.parquet`` file, or a ``.csv``
  file whose first line holds a separator or is ``case_id``, as a notebook
  writes a selection of the cases table
  (``result.cases.query(...).to_csv("chosen.csv")``); its other columns are
  left alone, and it is read as every table of the case format is (the same
  messages for a file that is not UTF-8, or separated by semicolons);
- otherwise plain text (``.txt``, a one-column ``.csv``), one case id per
  line; blank lines, lines that start with ``#`` and a first line
  ``case_id`` are skipped.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "ids.txt").write_text("# for the learning session\\nhg-0001\\n\\nhg-0007\\n")
>>> read_case_list(folder / "ids.txt")
['hg-0001', 'hg-0007']
>>> _ = (folder / "chosen.csv").write_text("case_id,signals\\nhg-0003,4\\n")
>>> read_case_list(folder / "chosen.csv")
['hg-0003']
"""

from __future__ import annotations

from pathlib import Path

from casuistry.errors import InputError
from casuistry.io.raw import read_file, refuse_unless_file
from casuistry.vocabulary import CASE_ID

#: What a case list is, for messages.
_FORMS = (
    "give a text file with one case id per line, or a .csv or .parquet table with a "
    f"column {CASE_ID}"
)


def read_case_list(path: str | Path) -> list[str]:
    """The case ids ``path`` names, in its order (repeats kept: the caller decides).

    Parameters
    ----------
    path : str or Path
        A table with a ``case_id`` column, or a text file of one id per line.

    Raises
    ------
    InputError
        When the file is missing or no regular file, a workbook, not UTF-8,
        a table without a ``case_id`` column or with an empty cell in it, or
        names no case at all.
    """
    path = Path(path)
    refuse_unless_file(path, what=_FORMS)
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):  # not text: a workbook's bytes
        raise InputError(
            f"{path.name}: a workbook; save its sheet of case ids as CSV (a column "
            f"{CASE_ID}, or one id per line), or write them in a text file"
        )
    ids = _table_ids(path) if _is_table(path) else _line_ids(path)
    if not ids:
        raise InputError(f"{path.name}: names no case; {_FORMS}")
    return ids


def _is_table(path: Path) -> bool:
    """A Parquet file, or a CSV file whose first line holds a separator or is the
    header ``case_id`` (maybe quoted)."""
    if path.suffix.lower() != ".csv":
        return path.suffix.lower() == ".parquet"
    with open(path, "rb") as file:
        first = file.readline().removeprefix(b"\xef\xbb\xbf").strip()
    header = first.strip(b'"').decode("utf-8", errors="replace").casefold() == CASE_ID
    return header or any(separator in first for separator in (b",", b";", b"\t"))


def _table_ids(path: Path) -> list[str]:
    table = read_file(path, "cases")
    if CASE_ID not in table.frame.columns:
        raise InputError(f"{path.name}: has no column {CASE_ID}; {_FORMS}")
    column = table.frame[CASE_ID]
    empty = table.rows[column.isna().to_numpy()]
    if len(empty):
        rows = ", ".join(map(str, empty[:10].tolist())) + (" ..." if len(empty) > 10 else "")
        raise InputError(
            f"{table.file}, column {CASE_ID}: empty in row {rows}; every row names a case"
        )
    return column.astype(str).tolist()


def _line_ids(path: Path) -> list[str]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path.name}: is not UTF-8 text (byte {err.start + 1}); save it as UTF-8"
        ) from err
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or type(err).__name__})") from err
    lines = (line.strip() for line in text.splitlines())
    ids = [line for line in lines if line and not line.startswith("#")]
    return ids[1:] if ids[:1] and ids[0].casefold() == CASE_ID else ids  # a header of its own
