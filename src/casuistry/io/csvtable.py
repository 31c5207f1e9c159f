"""Reading one CSV file: its shape checked first, then its cells.

Before pandas parses the cells, the records are found and their fields
counted in one vectorised pass over the bytes (:func:`record_shape`): a
separator or line break counts only outside quotes. Records with more fields
than the header are refused, named with their lines and field counts in one
message, so a comma at the end of every row is one problem, not a column
shift in every row; records with fewer fields are read (their missing last
fields empty) and named in one warning. When the vectorised pass and pandas
disagree (quotes used outside the rules of RFC 4180), the :mod:`csv` module
counts again, record by record.

A file in which every record has as many fields as the header and every
double quote is placed as RFC 4180 says, with no line break inside a cell
(what exports from registers look like) is read by :mod:`pyarrow.csv`,
several times faster than pandas; any other file, or one where pyarrow finds
other records than the vectorised pass, is read by pandas.
"""

from __future__ import annotations

import csv
import io
import mmap
from pathlib import Path

import numpy as np
import pandas as pd

from casuistry.errors import InputError
from casuistry.io.table import RawTable, empty_cells, no_rows, tidy

_BOM = b"\xef\xbb\xbf"
#: What a file's bytes are given as: read, or mapped into memory.
Buffer = bytes | mmap.mmap
#: How many bytes pyarrow parses at a time: each block is a chunk of every column,
#: and the steps after reading pay per chunk (pyarrow's default, 1 MB, made 148
#: chunks of 10^6 synthetic events; tidying them cost 0.11 s, in 4 MB chunks 0.08 s,
#: for the same parsing time).
_PYARROW_BLOCK = 4 << 20
#: How many rows a message about field counts lists.
_LISTED = 5
#: The way round what Excel makes of CSV, which messages about a file's form offer.
_WORKBOOK = "give casuistry the Excel workbook (.xlsx) itself"


def read_csv(
    path: Path, data: Buffer, *, table: str = "events", may_be_empty: bool = False
) -> RawTable:
    """The raw table of a CSV file whose bytes are ``data``.

    ``data`` is :class:`bytes` or the file mapped into memory
    (:class:`mmap.mmap`): the plain path reads it in place, any other path
    takes a copy as bytes. ``table`` names the table for messages; with
    ``may_be_empty`` a header without rows is an empty table.

    Raises
    ------
    InputError
        When the file is empty, not UTF-8, has rows with more fields than the
        header, has a header but no rows, or cannot be parsed.
    """
    name = path.name
    _check_utf8(data, name)
    width = _one_record_per_line(data)
    cells = None if width is None else _read_plain(data, width, None)
    if cells is not None:  # every line a record of the header's width: nothing to note
        lines, notes = np.arange(1, len(cells) + 1), ()
    else:
        data = bytes(data)  # the slow paths use the methods of bytes
        fields, lines = record_shape(data)
        if not len(fields):
            raise InputError(
                f"{name}: the file is empty; it needs a header row and one row per "
                f"{table.rstrip('s')}"
            )
        _check_separator(data, fields, name)
        notes = _check_fields(fields, lines, name)
        cells = _read_plain(data, fields, len(lines))
    if cells is not None:
        if len(lines) == 1 and not may_be_empty:
            raise no_rows(name, table)
        headers = cells.iloc[0].tolist()
        return tidy(cells.iloc[1:], headers, lines[1:], name, notes)
    try:
        frame = pd.read_csv(  # from bytes: pandas' C parser is much slower on a StringIO
            io.BytesIO(data),
            encoding="utf-8-sig",
            header=None,  # the header as written: pandas would rename duplicates
            dtype=str,
            keep_default_na=False,
            na_filter=False,  # nothing counts as missing: blank cells become NA in tidy
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        fields, lines = _record_shape_by_csv(data)
        _check_fields(fields, lines, name)
        raise InputError(f"{name}: not a readable comma-separated table ({err})") from err
    if len(frame) != len(lines):  # quotes outside RFC 4180: count as the csv module does
        fields, lines = _record_shape_by_csv(data)
        notes = _check_fields(fields, lines, name)
        if len(frame) != len(lines):
            raise InputError(
                f"{name}: not a readable comma-separated table (its quotes do not pair up); "
                'put cells holding commas, quotes or line breaks in double quotes ("), '
                'and double each quote inside them ("")'
            )
    del data  # hundreds of megabytes for a large corpus: let go before the cells are tidied
    if len(frame) == 1 and not may_be_empty:
        raise no_rows(name, table)
    headers = frame.iloc[0].tolist()
    return tidy(frame.iloc[1:], headers, lines[1:], name, notes)


def _one_record_per_line(data: Buffer) -> np.ndarray | None:
    """The header's field count, as an array of one, of a file that may hold one
    record on every line, each as wide as the header: ``\\n`` line breaks only,
    a header of two fields or more. None for any other file.

    Only a guess: :func:`_read_plain` confirms it (pyarrow refuses a record of
    another width, and a blank line, which it reads as a row of empty cells,
    sends the file to :func:`record_shape`). A byte order mark is skipped,
    not cut off by a copy.

    Examples
    --------
    >>> _one_record_per_line(b"a,b\\n1,2\\n3,4")
    array([2])
    >>> _one_record_per_line(b"a,b\\r\\n1,2\\r\\n") is None  # a line break of two bytes
    True
    """
    start = _bom_length(data)
    if len(data) == start or data.find(b"\r") >= 0 or data[start : start + 1] == b"\n":
        return None
    end = data.find(b"\n", start)
    width = record_shape(data[start:] if end < 0 else data[start:end])[0]
    if len(width) != 1 or width[0] < 2:
        return None
    return width


def _bom_length(data: Buffer) -> int:
    """How many bytes of a byte order mark ``data`` starts with (0 or 3)."""
    return len(_BOM) if data[: len(_BOM)] == _BOM else 0


def _read_plain(data: Buffer, fields: np.ndarray, n_records: int | None) -> pd.DataFrame | None:
    """The cells of a file whose records all have the header's field count and
    whose quotes follow RFC 4180 (:func:`_quotes_as_rfc`), read by pyarrow as
    text; None for any other file.

    The first row is the header as written. None too when pyarrow sees
    another number of records than ``n_records`` (then pandas reads). With
    ``n_records`` None every line must be a record: pyarrow reads a blank
    line as a row of empty cells, so a file with such a row is None too
    (counting the lines would cost a pass over the bytes).

    Examples
    --------
    >>> data = b"a,b\\n1, x\\n\\n2,\\n"
    >>> _read_plain(data, *record_shape(data)[:1], 3).values.tolist()
    [['a', 'b'], ['1', ' x'], ['2', '']]
    >>> _read_plain(data, np.array([2]), None) is None  # a blank line
    True
    >>> _read_plain(b'a,b\\n"1,5",2\\n', np.array([2, 2]), 2).values.tolist()  # RFC 4180
    [['a', 'b'], ['1,5', '2']]
    >>> _read_plain(b'a,b\\n1"5,2\\n', np.array([2, 2]), 2) is None  # other quotes: pandas
    True
    """
    if (fields != fields[0]).any():
        return None
    start = _bom_length(data)  # skipped, not cut off by a copy
    quoted = data.find(b'"') >= 0
    if quoted and not _quotes_as_rfc(data, start):
        return None
    import pyarrow as pa
    import pyarrow.csv as pcsv

    width = int(fields[0])
    names = [f"c{k}" for k in range(width)]
    try:
        table = pcsv.read_csv(
            pa.py_buffer(data).slice(start),
            read_options=pcsv.ReadOptions(
                column_names=names, use_threads=True, block_size=_PYARROW_BLOCK
            ),
            parse_options=pcsv.ParseOptions(
                quote_char='"' if quoted else False,
                double_quote=True,
                ignore_empty_lines=n_records is not None,
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:  # e.g. a line of spaces amid the records: pandas reads
        return None
    if table.num_rows != n_records if n_records is not None else _has_empty_row(table):
        return None
    return pd.DataFrame(
        {k: pd.array(table.column(k), dtype="string") for k in range(width)},
        index=pd.RangeIndex(table.num_rows),
    )


def _has_empty_row(table) -> bool:
    """Whether a row of ``table`` (pyarrow, of large_string columns) has only empty
    cells: looked for among the rows whose first cell is empty (from its offsets).

    Examples
    --------
    >>> import pyarrow as pa
    >>> def text(*cells):
    ...     return pa.array(cells, type=pa.large_string())
    >>> _has_empty_row(pa.table({"a": text("x", "", ""), "b": text("", "y", "")}))
    True
    >>> _has_empty_row(pa.table({"a": text("x", ""), "b": text("", "y")}))
    False
    """
    import pyarrow.compute as pc

    rows = empty_cells(table.column(0))
    if not len(rows):
        return False
    cells = table.take(rows)
    empty = [pc.binary_length(cells.column(k)).to_numpy() == 0 for k in range(cells.num_columns)]
    return bool(np.logical_and.reduce(empty).any())


def _quotes_as_rfc(data: Buffer, start: int = 0) -> bool:
    """Whether every double quote is placed as RFC 4180 says, and no cell holds a line break.

    A quote opens a cell (it comes first in the cell), closes it (a separator or
    the end of a line follows), or is doubled inside it. Pandas and pyarrow
    read such a file alike; any other use of quotes is left to pandas. The
    bytes before ``start`` (a byte order mark) are not looked at.

    One pass, a block of :data:`_BLOCK` bytes at a time, carrying the number
    of quotes before the block (:func:`_block_as_rfc`): a file that quotes
    every cell has tens of millions of quotes, and arrays of all their
    positions took hundreds of megabytes.

    Examples
    --------
    >>> _quotes_as_rfc(b'a,"b, ""c"" d",e\\n"f",g\\n')
    True
    >>> _quotes_as_rfc(b'a,b"c\\n'), _quotes_as_rfc(b'a,"b\\nc"\\n'), _quotes_as_rfc(b'"a" ,b\\n')
    (False, False, False)
    """
    raw = np.frombuffer(data, dtype=np.uint8, offset=start)
    before = 0  # quotes before the block
    for at in range(0, len(raw), _BLOCK):
        block = raw[at : at + _BLOCK]
        quotes = np.flatnonzero(block == _QUOTE) + at
        if not _block_as_rfc(data, start, raw, block, at, quotes, before % 2):
            return False
        before += len(quotes)
    return before % 2 == 0


def _block_as_rfc(data, start, raw, block, at, quotes, inside) -> bool:
    """:func:`_quotes_as_rfc` for the block of ``raw`` at ``at``, whose quotes
    are at ``quotes`` (positions in ``raw``); ``inside`` is 1 when the block
    starts inside quotes (an odd number of quotes before it), else 0.

    A quote with an even number of quotes before it opens a cell, or is the
    twin of the quote just before it: a separator, a line break, the start or
    a quote stands before it. With an odd number it closes the cell, or has
    its twin just after it: a separator, a line break, the end or a quote
    stands after it. No line break stands in a quoted stretch (from a quote
    with an even number before it to the next quote): searched in each
    stretch when the block has few, else by locating the block's line breaks.
    """
    opening, closing = quotes[inside::2], quotes[1 - inside :: 2]
    if not (
        _BY_A_QUOTE[_beside(raw, opening - 1)].all()
        and _BY_A_QUOTE[_beside(raw, closing + 1)].all()
    ):
        return False
    # The quoted stretches lie between marks 0 and 1, 2 and 3, ...: the quotes,
    # with the block's edges where it starts or ends inside quotes.
    marks = np.r_[at - 1, quotes] if inside else quotes
    if len(marks) % 2:
        marks = np.r_[marks, at + len(block)]
    if len(marks) // 2 <= _FEW_STRETCHES:
        ends = (marks + start).tolist()
        return not any(
            data.find(b"\n", a + 1, b) >= 0 or data.find(b"\r", a + 1, b) >= 0
            for a, b in zip(ends[0::2], ends[1::2], strict=True)
        )
    breaks = np.flatnonzero((block == _LINE_FEED) | (block == _CARRIAGE_RETURN)) + at
    return not (np.searchsorted(marks, breaks) % 2).any()


_QUOTE, _LINE_FEED, _CARRIAGE_RETURN = b'"\n\r'
#: What may stand beside a quote: a separator or line break (it opens or closes
#: a cell), or a quote (its twin).
_BY_A_QUOTE = np.zeros(256, dtype=bool)
_BY_A_QUOTE[list(b',\r\n"')] = True
#: Up to this many quoted stretches in a block, each is searched for a line break.
_FEW_STRETCHES = 128


#: How many bytes :func:`where_byte` and the quote check look at a time.
_BLOCK = 1 << 20


def where_byte(raw: np.ndarray, byte: str) -> np.ndarray:
    """The positions of ``byte`` (one ASCII character) in ``raw``, in order.

    Compared a block at a time: a mask as large as the file would be fresh
    memory, a page fault every 4 KB; a block's mask reuses the last one's.

    Examples
    --------
    >>> where_byte(np.frombuffer(b'a,"b",c', dtype=np.uint8), '"').tolist()
    [2, 4]
    """
    code = ord(byte)
    found = [
        np.flatnonzero(raw[at : at + _BLOCK] == code) + at for at in range(0, len(raw), _BLOCK)
    ]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def _beside(raw: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The bytes at ``at``; a line break where ``at`` lies outside the data."""
    out = np.full(len(at), ord("\n"), dtype=np.uint8)
    inside = (at >= 0) & (at < len(raw))
    out[inside] = raw[at[inside]]
    return out


def _check_utf8(data: Buffer, name: str) -> None:
    """Refuse data that is not UTF-8, naming the line of its first bad byte.

    pyarrow validates the bytes in place (:func:`_is_utf8`); decoding them
    would make a string as large as the file, every page of it fresh memory.
    Only data pyarrow finds wanting is decoded, to find the bad byte.
    """
    if _is_utf8(data):
        return
    try:
        bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"{name}: not UTF-8 text (first bad byte on line {line}); save the file as "
            f"CSV UTF-8, or {_WORKBOOK}"
        ) from err


def _check_separator(data: bytes, fields: np.ndarray, name: str) -> None:
    """Refuse a file whose header is one field holding semicolons or tabs: a
    table separated by those, as Excel saves CSV where the decimal sign is a
    comma (Dutch settings), and as a copy of cells from a spreadsheet reads.

    Its required columns would otherwise each be reported missing, with no
    word on why. The header is not quoted in the message.

    Examples
    --------
    >>> data = b"case_id;event_id\\nc1;e1\\n"
    >>> _check_separator(data, record_shape(data)[0], "events.csv")
    Traceback (most recent call last):
    ...
    casuistry.errors.InputError: events.csv: the header reads as one column holding \
semicolons: the file is separated by semicolons, as Excel saves CSV with Dutch settings; \
casuistry reads CSV separated by commas: save the file with commas as separators, or \
give casuistry the Excel workbook (.xlsx) itself

    A header of one name, with semicolons in the cells only, is let through:

    >>> _check_separator(b"description\\nvan; tot\\n", np.array([1, 1]), "x.csv")
    """
    if fields[0] != 1:
        return
    start = _bom_length(data)
    end = data.find(b"\n", start)
    header = data[start : end if end >= 0 else len(data)]
    for separator, plural, origin in (
        (b";", "semicolons", "as Excel saves CSV with Dutch settings"),
        (b"\t", "tabs", "as cells copied from a spreadsheet are"),
    ):
        if separator in header:
            raise InputError(
                f"{name}: the header reads as one column holding {plural}: the file is "
                f"separated by {plural}, {origin}; casuistry reads CSV separated by commas: "
                f"save the file with commas as separators, or {_WORKBOOK}"
            )


def _is_utf8(data: Buffer) -> bool:
    """Whether ``data`` is valid UTF-8, as strict as Python's decoder (no surrogates,
    no overlong forms, nothing above U+10FFFF), validated by pyarrow without a copy.

    Examples
    --------
    >>> _is_utf8("één".encode()), _is_utf8(b"\\xed\\xa0\\x80"), _is_utf8(b"\\xc0\\x80")
    (True, False, False)
    """
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def record_shape(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Count the fields of every non-blank record, and find the line it starts on.

    A comma or line break inside double quotes belongs to the cell; ``\\r\\n``,
    ``\\n`` and a lone ``\\r`` end a line. Records holding only white space
    are skipped, as pandas skips them.

    Returns
    -------
    fields : numpy.ndarray
        The number of fields of each record, the header first.
    lines : numpy.ndarray
        The line each record starts on (the header's first line is line 1).

    Examples
    --------
    >>> record_shape(b'a,b\\n1,"x\\ny"\\n\\n2,3,\\n')
    (array([2, 2, 3]), array([1, 2, 5]))
    >>> record_shape(b"\\xef\\xbb\\xbf")[0].size
    0
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    raw = np.frombuffer(data, dtype=np.uint8)
    if not len(raw):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    quotes = where_byte(raw, '"')

    def outside(positions: np.ndarray) -> np.ndarray:
        """The positions with an even number of quotes before them (a doubled quote keeps it)."""
        if not len(quotes):
            return positions
        return positions[np.searchsorted(quotes, positions) % 2 == 0]

    breaks = where_byte(raw, "\n")
    returns = where_byte(raw, "\r")
    inner = returns < len(raw) - 1
    before_lf = np.zeros(len(returns), dtype=bool)
    before_lf[inner] = raw[returns[inner] + 1] == ord("\n")
    if not before_lf.all():  # a lone \r ends a line too
        breaks = np.sort(np.r_[breaks, returns[~before_lf]])
    ends = outside(breaks)
    if not len(ends) or ends[-1] != len(raw) - 1:
        ends = np.r_[ends, len(raw)]
    starts = np.r_[0, ends[:-1] + 1]
    commas = outside(where_byte(raw, ","))
    fields = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    kept = fields > 1
    for record in np.flatnonzero(~kept):  # only a record without separators can be blank
        segment = data[starts[record] : ends[record]]
        kept[record] = bool(segment) and not segment.isspace()
    lines = np.searchsorted(breaks, starts) + 1
    return fields[kept].astype(np.int64), lines[kept].astype(np.int64)


def _record_shape_by_csv(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """:func:`record_shape` as the :mod:`csv` module reads the records: slow, exact."""
    fields, lines = [], []
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    line = 1
    try:
        for record in reader:
            if record and not (len(record) == 1 and (record[0] == "" or record[0].isspace())):
                fields.append(len(record))
                lines.append(line)
            line = reader.line_num + 1
    except csv.Error:  # a quote left open at the end of the file
        pass
    return np.asarray(fields, dtype=np.int64), np.asarray(lines, dtype=np.int64)


def _check_fields(fields: np.ndarray, lines: np.ndarray, name: str) -> tuple:
    """Refuse records with more fields than the header; note those with fewer.

    A longer record has a value no column holds, and shifts every cell after
    the stray separator. A shorter one lacks its last fields, which pandas
    reads as empty: it is read, with one warning for the file.

    Returns
    -------
    tuple
        The notes for :attr:`RawTable.notes`: one ``(line, message)`` naming
        the short records, or none.
    """
    if not len(fields):
        return ()
    expected = int(fields[0])
    longer = np.flatnonzero(fields[1:] > expected) + 1
    if len(longer):
        listed = _listed(fields, lines, longer)
        if (fields[longer] == expected + 1).all():
            rows = "every row has" if len(longer) == len(fields) - 1 else _rows(len(longer), "has")
            raise InputError(
                f"{name}: {rows} one field more than the header ({expected} fields; {listed}); "
                "most likely each of these rows ends with a comma: remove it, or give the "
                "last column a header"
            )
        raise InputError(
            f"{name}: {_rows(len(longer), 'has')} more fields than the header "
            f"({expected} fields; {listed}); every row needs one field per column "
            "(quote cells holding commas)"
        )
    shorter = np.flatnonzero(fields[1:] < expected) + 1
    if not len(shorter):
        return ()
    message = (
        f"{_rows(len(shorter), 'has')} fewer fields than the header ({expected} fields; "
        f"{_listed(fields, lines, shorter)}); the missing fields at the end of these rows "
        "are read as empty"
    )
    return ((int(lines[shorter[0]]), message),)


def _listed(fields: np.ndarray, lines: np.ndarray, wrong: np.ndarray) -> str:
    listed = ", ".join(f"line {int(lines[i])} has {int(fields[i])}" for i in wrong[:_LISTED])
    return listed + (" ..." if len(wrong) > _LISTED else "")


def _rows(n: int, verb: str = "does") -> str:
    """``1 row does``, ``3 rows do``.

    Examples
    --------
    >>> _rows(1), _rows(3, "has")
    ('1 row does', '3 rows have')
    """
    plural = {"does": "do", "has": "have"}[verb]
    return f"1 row {verb}" if n == 1 else f"{n} rows {plural}"
