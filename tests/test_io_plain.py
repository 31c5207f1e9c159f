"""Files without quotes are read by pyarrow: the raw table must be pandas' own, cell by cell."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casuistry.errors import InputError
from casuistry.io import csvtable
from casuistry.io.table import _blank_as_missing, _most_bytes, _stripped

CELL = st.text(alphabet=st.sampled_from(list("ab é1-: \t;")), max_size=4)
BREAK = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def plain_files(draw) -> bytes:
    width = draw(st.integers(1, 4))
    header = [f"h{k}" for k in range(width)]
    rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=8))
    text = ""
    for cells in [header, *rows]:
        text += ",".join(cells) + draw(BREAK) + draw(st.sampled_from(["", "", "\n", "  \n"]))
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode()


def _by_pandas(data: bytes):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvtable, "_read_plain", lambda *args: None)
        return csvtable.read_csv(Path("events.csv"), data)


@settings(max_examples=150, deadline=None)
@given(data=plain_files())
def test_plain_files_read_as_pandas_reads_them(data):
    try:
        expected = _by_pandas(data)
    except InputError as err:  # the same refusal is expected below
        expected = err
    try:
        got = csvtable.read_csv(Path("events.csv"), data)
    except InputError as err:
        assert str(err) == str(expected)
        return
    assert not isinstance(expected, Exception), expected
    pd.testing.assert_frame_equal(got.frame, expected.frame, check_exact=True)
    np.testing.assert_array_equal(got.rows, expected.rows)
    assert got.notes == expected.notes


def test_the_fast_path_is_taken_for_plain_files():
    # header, a blank line (line 3), and rows on lines 2 and 4
    data = b"case_id,kind\nc1,signal\n\nc1,share\n"
    cells = csvtable._read_plain(data, np.array([2, 2, 2]), 3)
    assert cells.values.tolist() == [["case_id", "kind"], ["c1", "signal"], ["c1", "share"]]
    table = csvtable.read_csv(Path("events.csv"), data)
    assert table.rows.tolist() == [2, 4]


QUOTED = st.text(alphabet=st.sampled_from(list('ab ,;"\n')), max_size=5).map(
    lambda text: '"' + text.replace('"', '""') + '"'
)
STRAY = st.text(alphabet=st.sampled_from(list('ab "')), min_size=1, max_size=4)


@st.composite
def quoted_files(draw) -> bytes:
    """Cells quoted as RFC 4180 says (commas, doubled quotes, line breaks inside), and now
    and then a quote elsewhere (pyarrow must then leave the file to pandas)."""
    width = draw(st.integers(1, 4))
    header = [f"h{k}" for k in range(width)]
    cell = (
        st.one_of(CELL, QUOTED, QUOTED, STRAY) if draw(st.booleans()) else st.one_of(CELL, QUOTED)
    )
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=1, max_size=8))
    text = ""
    for cells in [header, *rows]:
        text += ",".join(cells) + draw(BREAK) + draw(st.sampled_from(["", "", "\n"]))
    return text.encode()


@settings(max_examples=200, deadline=None)
@given(data=quoted_files())
def test_quoted_files_read_as_pandas_reads_them(data):
    test_plain_files_read_as_pandas_reads_them.hypothesis.inner_test(data)


def test_the_fast_path_is_taken_for_quotes_as_rfc_4180():
    # a cell with a comma and a doubled quote, quoted; nothing else quoted
    data = b'case_id,description\nc1,"belde, zei ""ja"""\n'
    cells = csvtable._read_plain(data, np.array([2, 2]), 2)
    assert cells.values.tolist() == [["case_id", "description"], ["c1", 'belde, zei "ja"']]


def test_the_cell_limit_counts_characters_not_bytes():
    from casuistry.io.table import MAX_CELL_CHARS

    # Two bytes per "é": a cell at the limit in characters is read, one more is refused.
    at_limit = "é" * MAX_CELL_CHARS
    table = csvtable.read_csv(Path("events.csv"), f"a,b\n1,{at_limit}\n".encode())
    assert table.frame["b"].str.len().tolist() == [MAX_CELL_CHARS]
    with pytest.raises(
        InputError, match=f"row 2, column 2 holds {MAX_CELL_CHARS + 1:,} characters"
    ):
        csvtable.read_csv(Path("events.csv"), f"a,b\n1,{at_limit}é\n".encode())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'a,"b, ""c"" d",e\n"f",g\n', True),
        (b'a,"b\nc"\n', False),  # a line break inside quotes
        (b'a,"b\rc"\r\n', False),  # a lone carriage return inside quotes
        (b'a,"b"\r\n"c",d\r\n', True),
        (b'a,b"c\n', False),  # a quote inside a cell that does not open it
        (b'"a" ,b\n', False),  # a space after the closing quote
    ],
)
def test_few_and_many_quoted_stretches_are_searched_alike(monkeypatch, data, expected):
    assert csvtable._quotes_as_rfc(data) is expected
    monkeypatch.setattr(csvtable, "_FEW_STRETCHES", 0)  # every line break located instead
    assert csvtable._quotes_as_rfc(data) is expected


def _quotes_as_rfc_by_hand(data: bytes) -> bool:
    """RFC 4180's quotes, one byte at a time: a quote opens a cell only at its start,
    is doubled inside it, and closes it only before a separator or a line break (or
    the end); no line break inside quotes."""
    quoted = after_close = False
    at_start = True
    k = 0
    while k < len(data):
        byte = data[k : k + 1]
        if quoted:
            if byte == b'"':
                if data[k + 1 : k + 2] == b'"':
                    k += 1  # a doubled quote inside the cell
                else:
                    quoted, after_close = False, True
            elif byte in b"\r\n":
                return False
        elif byte == b'"':
            if not at_start:
                return False
            quoted = True
        elif after_close and byte not in b",\r\n":
            return False
        at_start = byte in b",\r\n" and not quoted
        after_close = after_close and not at_start and byte == b'"'
        k += 1
    return not quoted


@settings(max_examples=500, deadline=None)
@given(
    data=st.binary(max_size=16).map(lambda b: bytes(b',"a\n\r'[x % 5] for x in b)),
    block=st.sampled_from([1, 2, 3, 5, 1 << 20]),
    few=st.sampled_from([0, 1, 128]),
)
def test_the_quote_check_agrees_with_rfc_4180_by_hand(data, block, few):
    # in blocks of any size (a quoted stretch across blocks), each stretch
    # searched on its own or the block's line breaks located
    expected = _quotes_as_rfc_by_hand(data)
    with (
        mock.patch.object(csvtable, "_BLOCK", block),
        mock.patch.object(csvtable, "_FEW_STRETCHES", few),
    ):
        assert csvtable._quotes_as_rfc(data) is expected
        assert csvtable._quotes_as_rfc(b"\xef\xbb\xbf" + data, 3) is expected


class _Mapped(bytes):
    """Bytes that, as a mapped file (:class:`mmap.mmap`), have no ``in`` of their own."""

    def __contains__(self, item):
        raise AssertionError("`in` on a mapped file reads it byte by byte in Python")


@pytest.mark.parametrize(
    ("data", "expected"), [(b'a,"b"\r\n"c",d\r\n', True), (b'a,"b\rc"\n', False)]
)
def test_many_quoted_stretches_search_a_mapped_file_in_one_pass(monkeypatch, data, expected):
    monkeypatch.setattr(csvtable, "_FEW_STRETCHES", 0)
    assert csvtable._quotes_as_rfc(_Mapped(data)) is expected


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.text(alphabet="ab \t\u3000\xa0é", max_size=6))))
def test_cells_are_stripped_and_blank_ones_missing_as_pandas_would(cells):
    # _stripped masks blank cells with a validity bitmap of its own: against
    # pandas' strip and mask, including columns with no blank cell at all.
    column = pd.Series(cells, dtype=object)
    expected = column.astype("string").str.strip()
    expected = [None if pd.isna(v) or v == "" else v for v in expected]
    assert [None if pd.isna(v) else v for v in _stripped(column)] == expected
    # a column that starts inside its buffer (a slice), as the cells below a header
    sliced = pd.concat([pd.Series(["x"]), column], ignore_index=True).astype("string").iloc[1:]
    assert [None if pd.isna(v) else v for v in _stripped(sliced)] == expected


def test_a_missing_cell_stays_missing_whatever_its_bytes():
    # Arrow lets a missing cell keep bytes: blank cells are found by their offsets,
    # and the missing one must not come back as text when the bitmap is made anew.
    offsets = pa.py_buffer(np.array([0, 1, 2, 2], dtype=np.int64))
    validity = pa.py_buffer(np.packbits([True, False, True], bitorder="little"))
    text = pa.Array.from_buffers(pa.large_string(), 3, [validity, offsets, pa.py_buffer(b"ab")])
    assert _blank_as_missing(text).to_pylist() == ["a", None, None]


#: Bytes around the edges of UTF-8: lead bytes of every length, continuation bytes,
#: the bytes of overlong forms and surrogates, and bytes that are never UTF-8.
UTF8_EDGES = st.sampled_from(
    b"a \n \x00 \x7f \x80 \xbf \xc0 \xc1 \xc2 \xdf \xe0 \xe0\xa0 \xed \xed\x9f \xed\xa0 "
    b"\xef\xbb\xbf \xf0 \xf0\x90 \xf4 \xf4\x8f \xf4\x90 \xf5 \xfe \xff".split(b" ")
)


@settings(max_examples=500, deadline=None)
@given(
    data=st.one_of(
        st.lists(UTF8_EDGES, max_size=8).map(b"".join),
        st.text(max_size=8).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.binary(max_size=8),
    )
)
def test_utf8_is_judged_as_pythons_decoder_judges_it(data):
    try:
        data.decode("utf-8")
        expected = True
    except UnicodeDecodeError:
        expected = False
    assert csvtable._is_utf8(data) is expected


def test_a_byte_order_mark_is_skipped_on_the_fast_path():
    data = b'\xef\xbb\xbf"case_id",description\nc1,"belde, zei ""ja"""\n'
    assert csvtable._one_record_per_line(data).tolist() == [2]
    for records in (2, None):  # counted, or every line a record
        cells = csvtable._read_plain(data, np.array([2, 2]), records)
        assert cells.values.tolist() == [["case_id", "description"], ["c1", 'belde, zei "ja"']]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=40), block=st.integers(1, 8), byte=st.sampled_from('",\n\r'))
def test_bytes_are_found_block_by_block_as_all_at_once(data, block, byte):
    raw = np.frombuffer(data, dtype=np.uint8)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvtable, "_BLOCK", block)
        found = csvtable.where_byte(raw, byte)
    np.testing.assert_array_equal(found, np.flatnonzero(raw == ord(byte)))


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(st.none() | st.text(alphabet="ab é\u3000", max_size=6), max_size=12),
    cut=st.integers(0, 12),
    start=st.integers(0, 3),
)
def test_the_longest_cell_in_bytes_is_read_from_the_offsets(cells, cut, start):
    # chunks as the reader makes them, the first one sliced as the cells below a header
    array = pa.array(cells, type=pa.large_string())
    column = pa.chunked_array([array[:cut][start:], array[cut:]], type=pa.large_string())
    expected = pc.max(pc.binary_length(column)).as_py() or 0
    assert _most_bytes(column) == expected


@settings(max_examples=100, deadline=None)
@given(data=st.one_of(plain_files(), quoted_files()))
def test_a_file_mapped_into_memory_reads_as_its_bytes(data):
    import tempfile

    from casuistry.io import raw

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        path.write_bytes(data)
        mapped = raw._file_bytes(path)
        assert isinstance(mapped, bytes) == (not data)  # only an empty file is read
        try:
            expected = csvtable.read_csv(path, data)
        except InputError as err:
            with pytest.raises(InputError, match=re.escape(str(err))):
                raw.read_file(path, "events")
            return
        got = raw.read_file(path, "events")
    pd.testing.assert_frame_equal(got.frame, expected.frame, check_exact=True)
    np.testing.assert_array_equal(got.rows, expected.rows)
    assert got.notes == expected.notes


def test_a_blank_line_is_not_read_as_a_row_of_empty_cells():
    # pyarrow reads a blank line as a row of empty cells when every line must be a
    # record; such a file goes the slow way, where a blank line is skipped but a line
    # of separators only is a row
    data = b"a,b\n1,2\n\n,\n3,4\n"
    assert csvtable._read_plain(data, np.array([2]), None) is None
    table = csvtable.read_csv(Path("events.csv"), data)
    assert table.rows.tolist() == [2, 4, 5]
    assert table.frame.isna().values.tolist() == [[False, False], [True, True], [False, False]]


@settings(max_examples=100, deadline=None)
@given(data=st.one_of(plain_files(), quoted_files()), block=st.integers(8, 64))
def test_files_read_in_many_chunks_read_as_pandas_reads_them(data, block):
    # every chunk of pyarrow's is stripped, blanked and searched for empty rows on its own
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvtable, "_PYARROW_BLOCK", block)
        test_plain_files_read_as_pandas_reads_them.hypothesis.inner_test(data)
