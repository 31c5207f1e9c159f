"""The raw table every layout is read into, and the checks all layouts share.

A :class:`RawTable` holds all cells as stripped strings (missing cells as NA)
and the row a person would point at. :func:`tidy` builds its frame from the
cells of any layout, after checking the header: no two columns with the same
name (compared without case and surrounding spaces), no values under an empty
header, and no cell longer than :data:`MAX_CELL_CHARS`.

Messages name the file, the row and the column position; they never quote a
header or cell that is not one of the case format's own column names, so an
identifier typed into a header is never echoed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casuistry.errors import InputError
from casuistry.vocabulary import ACTOR_COLUMNS, EVENT_COLUMNS, REVIEW_COLUMNS

#: The longest cell accepted, in characters: Excel's own limit for one cell.
MAX_CELL_CHARS = 32_767

_KNOWN = frozenset(EVENT_COLUMNS).union(ACTOR_COLUMNS, *REVIEW_COLUMNS.values())


@dataclass(frozen=True)
class RawTable:
    """One input table as text.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every cell a stripped string or NA; column names stripped, and the
        case format's own names lower-cased.
    rows : numpy.ndarray
        The row as the user counts it, aligned with ``frame``.
    file : str
        The name to show in messages (``events.csv``, ``case.xlsx[events]``).
    notes : tuple
        Warnings about the reading itself, each ``(row, message)``: the input
        was read, but not quite as written (rows shorter than the header).
    sheets : tuple of str
        For a workbook, the names of all its sheets in order (the identifier
        guard scans them); empty for other files.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    file: str
    notes: tuple[tuple[int, str], ...] = ()
    sheets: tuple[str, ...] = ()


def column_name(header: object) -> str:
    """The name a header stands for: stripped, the format's own names lower-cased.

    Examples
    --------
    >>> column_name(" Case_ID ")
    'case_id'
    >>> column_name("\\ufeffTeam")
    'Team'
    """
    clean = str(header).strip().lstrip("\ufeff").strip()
    return clean.lower() if clean.lower() in _KNOWN else clean


def column_place(position: int, header: str) -> str:
    """Say which column is meant without echoing a header the format does not know.

    Examples
    --------
    >>> column_place(3, "description")
    "column 3 ('description')"
    >>> column_place(7, "BSN 111222333")
    'column 7'
    """
    return f"column {position} ({header!r})" if header in _KNOWN else f"column {position}"


def tidy(
    cells: pd.DataFrame, headers: list, rows: np.ndarray, file: str, notes: tuple = ()
) -> RawTable:
    """Check the header and build the raw table of one layout.

    Parameters
    ----------
    cells : pandas.DataFrame
        The cells in file order, columns in the order of ``headers`` (their
        labels are not used).
    headers : list
        The header of each column as written (``None`` or ``""`` for none).
    rows : numpy.ndarray
        The row as the user counts it of each record.
    file : str
        The name to show in messages.
    notes : tuple
        Warnings about the reading, passed on to :attr:`RawTable.notes`.

    Raises
    ------
    InputError
        When two headers name the same column, a column without a header
        holds values, or a cell is longer than :data:`MAX_CELL_CHARS`.

    Examples
    --------
    >>> cells = pd.DataFrame([[" a ", ""]])
    >>> tidy(cells, ["Case_ID", "Case_id "], np.array([2]), "events.csv")
    Traceback (most recent call last):
    ...
    casuistry.errors.InputError: events.csv: column 1 ('case_id') and column 2 ('case_id') \
have the same name (names are compared without case and surrounding spaces); \
rename or remove one of them
    """
    names = ["" if h is None else column_name(h) for h in headers]
    _refuse_duplicates(names, file)
    columns = {}
    for position, name in enumerate(names):
        column = _stripped(cells.iloc[:, position])
        if name:
            columns[name] = column
            continue
        filled = np.flatnonzero(~column.isna())
        if len(filled):
            raise InputError(
                f"{file}: column {position + 1} has no header but holds values "
                f"(first on row {int(rows[filled[0]])}); give the column a header or remove it"
            )
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(cells)))
    _refuse_long_cells(frame, rows, file)
    return RawTable(frame, np.asarray(rows, dtype=np.int64), file, tuple(notes))


def _refuse_duplicates(names: list[str], file: str) -> None:
    first: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            continue
        key = name.casefold()
        if key in first:
            raise InputError(
                f"{file}: {column_place(first[key], names[first[key] - 1])} and "
                f"{column_place(position, name)} have the same name (names are compared "
                "without case and surrounding spaces); rename or remove one of them"
            )
        first[key] = position


def _refuse_long_cells(frame: pd.DataFrame, rows: np.ndarray, file: str) -> None:
    for position, name in enumerate(frame.columns, start=1):
        cells = pa.array(frame[name].array, type=pa.large_string())
        if _most_bytes(cells) <= MAX_CELL_CHARS:
            continue  # no more bytes than the limit: no more characters either
        lengths = pc.utf8_length(cells)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > MAX_CELL_CHARS:
            row = int(rows[pc.index(lengths, longest).as_py()])
            raise InputError(
                f"{file}: row {row}, {column_place(position, name)} holds {longest:,} "
                f"characters; a cell may hold at most {MAX_CELL_CHARS:,} (the limit of Excel)"
            )


def _most_bytes(cells: pa.Array | pa.ChunkedArray) -> int:
    """The most bytes a cell of ``cells`` (large_string) spans, read from the offsets
    chunk by chunk (a missing cell's span counts too: it can only send the
    column to the exact count of characters).

    Examples
    --------
    >>> _most_bytes(pa.chunked_array([["ab", None], [], ["é"]], type=pa.large_string()))
    2
    """
    chunks = cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells]
    most = 0
    for chunk in (chunk for chunk in chunks if len(chunk)):
        offsets = cell_offsets(chunk)
        most = max(most, int((offsets[1:] - offsets[:-1]).max()))
    return most


def cell_offsets(text: pa.Array) -> np.ndarray:
    """Where each cell of ``text`` (large_string) starts in its data, and where the
    last ends: ``len(text) + 1`` offsets, read in place."""
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)
    return offsets[text.offset : text.offset + len(text) + 1]


def empty_cells(cells: pa.ChunkedArray) -> np.ndarray:
    """The positions of the empty cells of ``cells`` (large_string), from the offsets
    of its chunks; a missing cell spanning no bytes counts too.

    Examples
    --------
    >>> empty_cells(pa.chunked_array([["a", ""], [], ["", "b"]], type=pa.large_string()))
    array([1, 2])
    """
    found, start = [], 0
    for chunk in cells.chunks:
        if len(chunk):
            offsets = cell_offsets(chunk)
            found.append(np.flatnonzero(offsets[1:] == offsets[:-1]) + start)
        start += len(chunk)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def no_rows(file: str, table: str) -> InputError:
    """The message for an events or actors table with a header but no rows.

    Examples
    --------
    >>> print(no_rows("case.xlsx[events]", "events"))
    case.xlsx[events]: has a header but no rows: no events yet (nog geen gebeurtenissen); \
add one row per event
    """
    if table == "events":
        return InputError(
            f"{file}: has a header but no rows: no events yet (nog geen gebeurtenissen); "
            "add one row per event"
        )
    return InputError(f"{file}: has a header but no rows; add one row per {table.rstrip('s')}")


def cell_text(value) -> str | None:
    """Text of one cell: dates as ISO, whole numbers without '.0'.

    Examples
    --------
    >>> cell_text(3.0), cell_text(dt.datetime(2024, 3, 1)), cell_text(float("nan"))
    ('3', '2024-03-01', None)
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        if value.hour == value.minute == value.second == 0:
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _stripped(column: pd.Series) -> pd.api.extensions.ExtensionArray:
    """A column as pyarrow-backed text: stripped, and NA where that leaves nothing.

    The same as ``.astype("string").str.strip()`` and masking empty strings,
    with pyarrow compute kernels, chunk by chunk, without round trips through
    pandas. Every byte copied is fresh memory, and on a virtual machine its
    pages fault (about 3 ms a megabyte here), so nothing is copied that need
    not be: a chunk none of whose cells can start or end with white space
    (:func:`_edges_may_be_blank`) is not stripped, and the empty cells become
    NA by a new validity bitmap over the same bytes
    (:func:`_blank_as_missing`), where ``pyarrow.compute.if_else`` would copy
    them all.
    """
    cells = pa.array(column.astype("string"), type=pa.large_string(), from_pandas=True)
    chunks = cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells]
    stripped = [
        _blank_as_missing(
            pc.utf8_trim_whitespace(chunk)  # a new array: offset 0
            if chunk.offset or _edges_may_be_blank(chunk)
            else chunk
        )
        for chunk in chunks
    ]
    return pd.array(pa.chunked_array(stripped, type=pa.large_string()), dtype="string")


#: Per byte whether a cell starting or ending with it may start or end with white
#: space: ASCII white space as ``str.isspace`` has it (the separators 0x1C-0x1F
#: too), and any byte of a character beyond ASCII (Unicode has white space there).
_MAY_BE_BLANK = np.zeros(256, dtype=bool)
_MAY_BE_BLANK[[c for c in range(128) if chr(c).isspace()]] = True
_MAY_BE_BLANK[128:] = True


def _edges_may_be_blank(text: pa.Array) -> bool:
    """Whether a cell of ``text`` (large_string, offset 0) may start or end with
    white space, judged by its first and last byte without copying the text.

    An empty cell reads a byte of a neighbour instead (the first or last byte
    of the text where there is none): that can only answer "may", and a
    needless strip gives the same cells.
    """
    data = text.buffers()[2]
    if data is None or not data.size:
        return False
    offsets = cell_offsets(text)
    data = np.frombuffer(data, dtype=np.uint8)
    return bool(
        _MAY_BE_BLANK[data.take(offsets[:-1], mode="clip")].any()
        or _MAY_BE_BLANK[data.take(offsets[1:] - 1, mode="clip")].any()
    )


def _blank_as_missing(text: pa.Array) -> pa.Array:
    """``text`` (large_string, offset 0) with its empty strings missing: a new
    validity bitmap over the same offsets and bytes.

    A cell is empty where its offsets are equal; a missing cell may be so too,
    and stays missing.
    """
    offsets = cell_offsets(text)
    filled = offsets[1:] != offsets[:-1]
    if filled.all():
        return text
    valid = pa.py_buffer(np.packbits(filled, bitorder="little"))
    if text.null_count:
        valid = pc.and_(
            pc.is_valid(text), pa.Array.from_buffers(pa.bool_(), len(text), [None, valid])
        )
        valid = valid.buffers()[1]
    return pa.Array.from_buffers(text.type, len(text), [valid, *text.buffers()[1:]])
