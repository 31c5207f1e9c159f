"""Reading an Excel workbook, within limits checked before anything is decompressed.

An ``.xlsx`` file is a zip archive. Before openpyxl opens it, its central
directory is inspected: the number of entries, the size each entry declares
it decompresses to, their total, and the compression ratio of large entries
must stay within the limits below, so that a small file that would unpack to
gigabytes (a zip bomb) is refused before it is unpacked. An entry that lies
about its size is cut off where its declared size ends: :mod:`zipfile`
reads at most the declared number of bytes and then fails its checksum,
which is reported as a damaged workbook.

openpyxl in read-only mode trusts the ``<dimension>`` record of a sheet,
which some writers leave stale (``A1``); the dimensions are reset before the
rows are read, so every row is read whatever the record says.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from casuistry.errors import InputError
from casuistry.io.table import RawTable, cell_text, no_rows, tidy

#: Most entries a workbook may hold.
MAX_ENTRIES = 1_000
#: Most bytes one entry (a sheet, the shared strings) may decompress to.
MAX_ENTRY_BYTES = 100 * 2**20
#: Most bytes all entries together may decompress to.
MAX_TOTAL_BYTES = 200 * 2**20
#: Highest compression ratio of an entry larger than :data:`RATIO_FROM_BYTES`.
MAX_RATIO = 100
RATIO_FROM_BYTES = 2**20

_LIMITS_HELP = "save the tables as CSV or Parquet instead (see docs/choices.md, Reading)"


def read_workbook(
    path: Path, tables: Mapping[str, tuple], *, may_be_empty: Collection[str] = ()
) -> dict[str, RawTable]:
    """The raw tables of a workbook, by table name, for the tables it has a sheet of.

    Parameters
    ----------
    path : Path
        The workbook.
    tables : mapping
        Per table name the sheet names it may have (``None`` entries are
        skipped), compared without case and surrounding spaces. The first
        table must be present.
    may_be_empty : collection of str, keyword-only
        Tables whose sheet may hold a header and no rows.

    Raises
    ------
    InputError
        When the workbook breaks a size limit, is damaged, lacks the first
        table, or has two sheets for one table.
    """
    import openpyxl  # heavy: imported where used

    check_archive(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # zipfile / xml errors of a damaged workbook
        raise _damaged(path, err) from err
    try:
        present = {name.strip().lower(): name for name in book.sheetnames}
        found = {}
        for table, names in tables.items():
            sheets = [present[n] for n in names if n is not None and n in present]
            if len(sheets) > 1:
                raise InputError(
                    f"{path.name}: holds both a sheet '{sheets[0]}' and a sheet '{sheets[1]}' "
                    f"for the {table}; keep one of them"
                )
            if sheets:
                found[table] = sheets[0]
        first = next(iter(tables))
        if first not in found:
            raise InputError(
                f"{path.name}: no sheet named '{first}' among its {len(present)} "
                f"sheet(s); rename the sheet with the {first} to '{first}'"
            )
        out = {}
        for table, sheet_name in found.items():
            label = f"{path.name}[{sheet_name}]"
            try:
                out[table] = _read_sheet(
                    book[sheet_name], label, table, may_be_empty=table in may_be_empty
                )
            except InputError:
                raise
            except Exception as err:  # a damaged or lying entry found while reading rows
                raise _damaged(path, err) from err
        out[first] = replace(out[first], sheets=tuple(book.sheetnames))
        return out
    finally:
        book.close()


def check_archive(path: Path) -> None:
    """Refuse a workbook whose central directory promises too much.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     bomb = Path(folder) / "bomb.xlsx"
    ...     with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
    ...         archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * RATIO_FROM_BYTES))
    ...     check_archive(bomb)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casuistry.errors.InputError: bomb.xlsx: a sheet would unpack to \
... times its packed size; a workbook part larger than 1 MB may unpack to at most 100 \
times its size; save the tables as CSV or Parquet instead (see docs/choices.md, Reading)
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise _damaged(path, err) from err
    if len(entries) > MAX_ENTRIES:
        raise InputError(
            f"{path.name}: holds {len(entries):,} parts; a workbook may hold at most "
            f"{MAX_ENTRIES:,}; {_LIMITS_HELP}"
        )
    total = 0
    for entry in entries:
        part = _part_name(entry.filename)
        if entry.file_size > MAX_ENTRY_BYTES:
            raise InputError(
                f"{path.name}: {part} would unpack to {entry.file_size / 2**20:,.0f} MB; "
                f"one part may unpack to at most {MAX_ENTRY_BYTES // 2**20} MB; {_LIMITS_HELP}"
            )
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise InputError(
                f"{path.name}: {part} would unpack to {ratio:,.0f} times its packed size; "
                f"a workbook part larger than {RATIO_FROM_BYTES // 2**20} MB may unpack to "
                f"at most {MAX_RATIO} times its size; {_LIMITS_HELP}"
            )
        total += entry.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            f"{path.name}: would unpack to {total / 2**20:,.0f} MB; a workbook may unpack "
            f"to at most {MAX_TOTAL_BYTES // 2**20} MB; {_LIMITS_HELP}"
        )


def _part_name(name: str) -> str:
    """What a part is, for a message; its own name could hold anything.

    Examples
    --------
    >>> _part_name("xl/worksheets/sheet1.xml"), _part_name("xl/media/111222333.png")
    ('a sheet', 'one part')
    """
    if name.startswith("xl/worksheets/"):
        return "a sheet"
    if name == "xl/sharedStrings.xml":
        return "the shared strings"
    return "one part"


def _damaged(path: Path, err: Exception) -> InputError:
    """The message for a workbook that cannot be read, saying why when that is known."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = err
    while cause is not None and not isinstance(cause, DefusedXmlException):
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        why = "it declares XML entities, which casuistry refuses"
    elif isinstance(err, zipfile.BadZipFile):
        why = "a damaged zip archive, or a part holding more than it declares"
    else:
        why = type(err).__name__
    return InputError(
        f"{path.name}: not a readable .xlsx workbook ({why}); "
        "open it in Excel or LibreOffice and save it again as .xlsx"
    )


def _read_sheet(sheet, name: str, table: str, *, may_be_empty: bool) -> RawTable:
    sheet.reset_dimensions()  # read every row, whatever the <dimension> record says
    header = None
    records, rows = [], []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(v) for v in values]
        if not any(c is not None for c in cells):
            continue
        if header is None:
            header = cells
            continue
        width = len(header)
        beyond = [i for i, c in enumerate(cells[width:], start=width + 1) if c is not None]
        if beyond:
            raise InputError(
                f"{name}: row {number}, column {_letter(beyond[0])} holds a value but the "
                "header row ends before it; give the column a header or remove the value"
            )
        records.append(cells[:width] + [None] * (width - len(cells)))
        rows.append(number)
    if header is None:
        raise InputError(f"{name}: the sheet is empty; it needs a header row and one row each")
    if not records and not may_be_empty:
        raise no_rows(name, table)
    frame = pd.DataFrame(records, columns=range(len(header)), dtype=object)
    return tidy(frame, header, np.asarray(rows, dtype=np.int64), name)


def _letter(position: int) -> str:
    """The Excel letters of a 1-based column number.

    Examples
    --------
    >>> _letter(1), _letter(27)
    ('A', 'AA')
    """
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
