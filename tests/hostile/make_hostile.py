"""Build a corpus of hostile or tricky input files, for the fuzzing suite.

Each :class:`Hostile` is one input to ``casuistry validate``: a path, the class
of issue 10 it belongs to, what must happen (``"ok"``, ``"refused"`` or
``"either"``), and the identifiers planted in it, which no message may echo.
Nothing is committed: the corpus is built into a temporary folder at test
time (about 2 MB on disk, a second or two).

Run as a script to look at the files: ``python tests/hostile/make_hostile.py DIR``.
"""

from __future__ import annotations

import os
import struct
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

BSN = "111222333"  # passes the eleven-test
EMAIL = "jan.jansen@example.nl"
PHONE = "06-12345678"
IBAN = "NL91ABNA0417164300"
PLANTED = (BSN, EMAIL, PHONE, IBAN)

HEADER = "case_id,event_id,time,kind,actor,to,signals,category,description"
ROWS = [
    "c1,e1,2024-01-15,signaal,school,,,verzuim,vaak afwezig",
    "c1,e2,2024-01-22,signaal,huisarts,,,letsel,blauwe plekken",
    "c1,e3,2024-02-05,niet_delen,huisarts,veilig_thuis,e2,,twijfel",
    "c1,e4,2024-03-01,overleg,school,wijkteam,e1,,overleg",
    "c1,e5,2024-04-10,incident,politie,,,,melding",
    "c2,e1,2024-01-03,signaal,school,,,verzuim,afwezig",
    "c2,e2,2024-02-01,incident,politie,,,,melding",
]
ACTORS = (
    "actor,silo,label\nschool,onderwijs,School\nhuisarts,zorg,Huisarts\n"
    "veilig_thuis,vt,Veilig Thuis\nwijkteam,sociaal,Wijkteam\npolitie,politie,Politie\n"
)


@dataclass(frozen=True)
class Hostile:
    """One hostile input: where it is, what kind, what must happen, what must not leak."""

    name: str
    kind: str
    path: Path
    expect: str = "either"
    planted: tuple[str, ...] = field(default=())


def csv_text(header: str = HEADER, rows=ROWS, *, end: str = "\n", tail: str = "") -> str:
    """A small valid events table, optionally with something added to every row."""
    return header + end + "".join(row + tail + end for row in rows)


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write a workbook with openpyxl, one sheet per entry, rows as lists."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def event_rows(header: str = HEADER, rows=ROWS) -> list[list]:
    """The small events table as lists of cells."""
    return [header.split(",")] + [[c or None for c in row.split(",")] for row in rows]


def rewrite_part(path: Path, part: str, change) -> Path:
    """Rewrite one part of a zip archive in place through ``change(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, change(data) if info.filename == part else data)
    return path


def set_dimension(path: Path, ref: str) -> Path:
    """Make the first sheet's ``<dimension>`` record say ``ref``, as some writers leave it."""

    def change(xml: bytes) -> bytes:
        start = xml.index(b"<dimension ref=")
        end = xml.index(b"/>", start)
        return xml[:start] + f'<dimension ref="{ref}"'.encode() + xml[end:]

    return rewrite_part(path, "xl/worksheets/sheet1.xml", change)


def lie_about_size(path: Path, part: str, size: int) -> Path:
    """Make an entry's local header and central directory declare ``size`` unpacked bytes."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
        start = archive.start_dir
    struct.pack_into("<I", data, info.header_offset + 22, size)
    position = start
    while data[position : position + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", data, position + 28)
        if bytes(data[position + 46 : position + 46 + n]).decode() == part:
            struct.pack_into("<I", data, position + 24, size)
        position += 46 + n + m + k
    path.write_bytes(bytes(data))
    return path


def bomb(path: Path, part: str, size: int, *, base: Path | None = None) -> Path:
    """A workbook (``base`` or a minimal one) whose ``part`` unpacks to ``size`` bytes."""
    if base is None:
        base = workbook(path, {"events": event_rows()})
    with zipfile.ZipFile(base) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info, data in parts:
            if info.filename != part:
                archive.writestr(info, data)
        with archive.open(part, "w", force_zip64=True) as stream:
            xml = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            stream.write(xml + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
            chunk = b"A" * 2**20
            for _ in range(size // len(chunk)):
                stream.write(chunk)
            stream.write(b"</t></is></c></row></sheetData></worksheet>")
    return path


def build(folder: Path) -> list[Hostile]:
    """Write every hostile input into ``folder`` and describe them."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Hostile] = []

    def case_folder(name: str, kind: str, events, *, expect="either", planted=(), actors=None):
        target = folder / name
        target.mkdir()
        data = events if isinstance(events, bytes) else events.encode()
        (target / "events.csv").write_bytes(data)
        if actors is not None:
            (target / "actors.csv").write_bytes(actors.encode())
        out.append(Hostile(name, kind, target, expect, tuple(planted)))

    def add(name, kind, path, expect="either", planted=()):
        out.append(Hostile(name, kind, path, expect, tuple(planted)))

    # --- a valid reference
    case_folder("valid", "reference", csv_text(), expect="ok", actors=ACTORS)

    # --- encodings
    accented = csv_text(rows=[r.replace("vaak afwezig", "vaak afwézig") for r in ROWS])
    case_folder("latin1", "encoding", accented.encode("latin-1"), expect="refused")
    case_folder("cp1252-quotes", "encoding", accented.replace("é", "\u201c").encode("cp1252"))
    case_folder("utf16", "encoding", csv_text().encode("utf-16"), expect="refused")
    case_folder("utf32", "encoding", csv_text().encode("utf-32"), expect="refused")
    case_folder("bom-utf8", "encoding", "\ufeff" + csv_text(), expect="ok")
    case_folder("double-bom", "encoding", "\ufeff\ufeff" + csv_text(), expect="ok")
    case_folder("nul-bytes", "encoding", csv_text().replace("afwezig", "af\x00wezig"))
    case_folder("bad-byte-late", "encoding", csv_text().encode() + b"c3,e1,1,\xff\xfe,x,,,a,\n")
    case_folder("crlf", "encoding", csv_text(end="\r\n"), expect="ok")
    case_folder("cr-only", "encoding", csv_text(end="\r"))

    # --- shapes
    case_folder("trailing-comma", "shape", csv_text(tail=","), expect="refused")
    case_folder("trailing-comma-header-too", "shape", csv_text(HEADER + ",", tail=","), expect="ok")
    short = [*ROWS[:3], ROWS[3].rsplit(",", 2)[0], *ROWS[4:]]
    case_folder("short-row", "shape", csv_text(rows=short), expect="ok")
    case_folder(
        "long-row", "shape", csv_text(rows=[*ROWS[:2], ROWS[2] + ",x", *ROWS[3:]]), expect="refused"
    )
    case_folder(
        "mixed-rows",
        "shape",
        csv_text(rows=[ROWS[0] + ",,", ROWS[1][:12], *ROWS[2:]]),
        expect="refused",
    )
    case_folder("empty", "shape", "", expect="refused")
    case_folder("whitespace-only", "shape", " \n\t\n", expect="refused")
    case_folder("header-only", "shape", HEADER + "\n", expect="refused")
    case_folder(
        "unclosed-quote",
        "shape",
        csv_text() + 'c3,e1,1,signal,x,,,a,"never closed\n',
        expect="refused",
    )
    case_folder(
        "quote-mid-field",
        "shape",
        csv_text(rows=[*ROWS[:1], ROWS[1].replace("blauwe", 'bla"uwe'), *ROWS[2:]]),
    )
    case_folder("semicolons", "shape", csv_text().replace(",", ";"), expect="refused")
    case_folder(
        "blank-lines", "shape", HEADER + "\n\n   \n" + "\n\n".join(ROWS) + "\n\n", expect="ok"
    )
    wide = HEADER + "," + ",".join(f"x{i}" for i in range(300))
    case_folder("three-hundred-columns", "shape", csv_text(wide, tail="," * 300), expect="ok")

    # --- directories, links and special files where a table should be
    for name, table in (
        ("events-is-folder", "events.csv"),
        ("actors-is-folder", "actors.csv"),
        ("parquet-is-folder", "events.parquet"),
    ):
        target = folder / name
        target.mkdir()
        if table != "events.csv":
            (target / ("events.csv" if table == "actors.csv" else "unused.txt")).write_text(
                csv_text()
            )
        (target / table).mkdir()
        add(name, "directory", target, "refused")
    (folder / "book-is-folder.xlsx").mkdir()
    add("book-is-folder", "directory", folder / "book-is-folder.xlsx", "refused")
    target = folder / "broken-link"
    target.mkdir()
    (target / "events.csv").symlink_to(folder / "nowhere.csv")
    add("broken-link", "directory", target, "refused")
    (folder / "broken-link.xlsx").symlink_to(folder / "nowhere.xlsx")
    add("broken-link-book", "directory", folder / "broken-link.xlsx", "refused")
    target = folder / "link-loop"
    target.mkdir()
    (target / "events.csv").symlink_to(target / "events.csv")
    add("link-loop", "directory", target, "refused")
    target = folder / "fifo"
    target.mkdir()
    os.mkfifo(target / "events.csv")
    add("fifo", "directory", target, "refused")
    os.mkfifo(folder / "fifo.xlsx")
    add("fifo-book", "directory", folder / "fifo.xlsx", "refused")

    # --- duplicate headers
    case_folder(
        "description-twice-cased",
        "duplicate header",
        csv_text(HEADER + ",Description", tail=",x"),
        expect="refused",
    )
    case_folder(
        "description-twice",
        "duplicate header",
        csv_text(HEADER + ",description", tail=",x"),
        expect="refused",
    )
    case_folder(
        "case-id-spaced",
        "duplicate header",
        csv_text(HEADER + ", CASE_ID ", tail=",x"),
        expect="refused",
    )
    case_folder(
        "extra-twice",
        "duplicate header",
        csv_text(HEADER + ",Team,team", tail=",a,b"),
        expect="refused",
    )
    case_folder(
        "identifier-header-twice",
        "duplicate header",
        csv_text(HEADER + f",{BSN},{BSN}", tail=",a,b"),
        expect="refused",
        planted=[BSN],
    )
    workbook(
        folder / "duplicate-headers.xlsx",
        {"events": [[*HEADER.split(","), "DESCRIPTION"], *([*r, "x"] for r in event_rows()[1:])]},
    )
    add("duplicate-headers-book", "duplicate header", folder / "duplicate-headers.xlsx", "refused")

    # --- workbooks with a stale or minimal <dimension> record
    for ref in ("A1", "A1:C3"):
        path = workbook(
            folder / f"dimension-{ref.replace(':', '-')}.xlsx", {"events": event_rows()}
        )
        add(f"dimension-{ref}", "dimension", set_dimension(path, ref), "ok")

    # --- zip bombs and damaged workbooks
    add(
        "bomb-one-cell",
        "zip bomb",
        bomb(folder / "bomb.xlsx", "xl/worksheets/sheet1.xml", 110 * 2**20),
        "refused",
    )
    add(
        "bomb-ratio",
        "zip bomb",
        bomb(folder / "ratio.xlsx", "xl/worksheets/sheet1.xml", 20 * 2**20),
        "refused",
    )
    liar = bomb(folder / "liar.xlsx", "xl/worksheets/sheet1.xml", 40 * 2**20)
    add(
        "bomb-lying-size",
        "zip bomb",
        lie_about_size(liar, "xl/worksheets/sheet1.xml", 4000),
        "refused",
    )
    total = workbook(folder / "total.xlsx", {"events": event_rows()})
    with zipfile.ZipFile(total, "a") as archive:
        for number in range(250):
            archive.writestr(f"xl/media/image{number}.png", b"x")
    for number in range(250):  # each claims 1 MB, under the ratio rule's size; together 250 MB
        lie_about_size(total, f"xl/media/image{number}.png", 2**20)
    add("bomb-total", "zip bomb", total, "refused")
    many = folder / "many.xlsx"
    with zipfile.ZipFile(many, "w") as archive:
        for number in range(1_001):
            archive.writestr(f"x/{number}", b"")
    add("bomb-many-parts", "zip bomb", many, "refused")
    (folder / "not-a-zip.xlsx").write_text(csv_text())
    add("not-a-zip", "zip bomb", folder / "not-a-zip.xlsx", "refused")
    good = workbook(folder / "truncated.xlsx", {"events": event_rows()}).read_bytes()
    (folder / "truncated.xlsx").write_bytes(good[: len(good) // 2])
    add("truncated-book", "zip bomb", folder / "truncated.xlsx", "refused")

    # --- huge cells
    huge = "x" * 40_000
    case_folder(
        "huge-cell-csv",
        "huge cell",
        csv_text(rows=[ROWS[0].replace("vaak afwezig", huge), *ROWS[1:]]),
        expect="refused",
    )
    path = workbook(folder / "huge-cell.xlsx", {"events": event_rows()})  # openpyxl cuts at 32,767
    rewrite_part(
        path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"blauwe plekken", huge.encode())
    )
    add("huge-cell-book", "huge cell", path, "refused")
    pd.DataFrame({**{c: [c] for c in HEADER.split(",")}, "description": [huge]}).to_parquet(
        folder / "huge.parquet"
    )
    add("huge-cell-parquet", "huge cell", folder / "huge.parquet", "refused")
    case_folder(
        "huge-cell-in-bsn-row",
        "huge cell",
        csv_text(rows=[ROWS[0].replace("vaak afwezig", BSN + huge), *ROWS[1:]]),
        expect="refused",
        planted=[BSN],
    )

    # --- formula cells
    formulas = [
        r.replace("vaak afwezig", "=cmd|' /C calc'!A0").replace("blauwe plekken", "+1+1")
        for r in ROWS
    ]
    case_folder("formula-text-csv", "formula", csv_text(rows=formulas), expect="ok")
    rows = event_rows()
    rows[1][-1] = "=1+1"
    rows[2][-1] = '=HYPERLINK("https://example.org","klik")'
    add("formula-cells-book", "formula", workbook(folder / "formulas.xlsx", {"events": rows}), "ok")

    # --- identifiers in headers, sheet names and numeric cells
    case_folder(
        "bsn-in-header", "identifier", csv_text(HEADER + f",{BSN}", tail=",x"), planted=[BSN]
    )
    case_folder(
        "email-in-header-trailing-comma",
        "identifier",
        csv_text(HEADER + f",{EMAIL}", tail=",x,"),
        expect="refused",
        planted=[EMAIL],
    )
    case_folder(
        "bsn-in-description",
        "identifier",
        csv_text(rows=[ROWS[0].replace("vaak afwezig", f"BSN {BSN}"), *ROWS[1:]]),
        expect="refused",
        planted=[BSN],
    )
    case_folder(
        "phone-in-actor",
        "identifier",
        csv_text(rows=[ROWS[0].replace("school", PHONE), *ROWS[1:]]),
        expect="refused",
        planted=[PHONE],
    )
    case_folder(
        "iban-in-kind",
        "identifier",
        csv_text(rows=[ROWS[0].replace("signaal", IBAN), *ROWS[1:]]),
        expect="refused",
        planted=[IBAN],
    )
    case_folder(
        "email-in-time",
        "identifier",
        csv_text(rows=[ROWS[0].replace("2024-01-15", EMAIL), *ROWS[1:]]),
        expect="refused",
        planted=[EMAIL],
    )
    days = [
        r.replace("2024-01-15", BSN)
        .replace("2024-01-22", "1")
        .replace("2024-02-05", "2")
        .replace("2024-03-01", "3")
        .replace("2024-04-10", "4")
        for r in ROWS[:5]
    ]
    case_folder("bsn-as-day-number", "identifier", csv_text(rows=days), planted=[BSN])
    add(
        "bsn-sheet-name",
        "identifier",
        workbook(folder / "bsn-sheet.xlsx", {BSN: event_rows()}),
        "refused",
        [BSN],
    )
    add(
        "bsn-second-sheet",
        "identifier",
        workbook(folder / "bsn-second-sheet.xlsx", {"events": event_rows(), f"BSN {BSN}": [["x"]]}),
        "either",
        [BSN],
    )
    rows = event_rows()
    rows[1][2] = int(BSN)
    add(
        "bsn-numeric-cell",
        "identifier",
        workbook(folder / "bsn-number.xlsx", {"events": rows}),
        "either",
        [BSN],
    )
    rows = event_rows()
    rows[0].append(BSN)
    add(
        "bsn-header-book",
        "identifier",
        workbook(folder / "bsn-header.xlsx", {"events": rows}),
        "either",
        [BSN],
    )
    rows = event_rows()
    rows[3].append(f"{BSN} no header")
    add(
        "bsn-beyond-header-book",
        "identifier",
        workbook(folder / "bsn-beyond.xlsx", {"events": rows}),
        "refused",
        [BSN],
    )
    case_folder(
        "bsn-in-unknown-kind",
        "identifier",
        csv_text(rows=[ROWS[0].replace("signaal", f"bsn {BSN}"), *ROWS[1:]]),
        expect="refused",
        planted=[BSN],
    )
    case_folder(
        "bsn-short-row",
        "identifier",
        csv_text(rows=[f"c1,e1,{BSN}", *ROWS[1:]]),
        expect="either",
        planted=[BSN],
    )

    # --- hostile markup
    script = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    markup = [
        r.replace("vaak afwezig", script).replace("verzuim", "href=https://evil.example/")
        for r in ROWS
    ]
    case_folder("markup-csv", "markup", csv_text(rows=markup), expect="ok")
    laughs = (
        b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
        b'<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
        b'<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
        b'<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
        b'<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
        b'<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
    )

    def entities(head: bytes):
        return lambda xml: head + xml.replace(b"vaak afwezig", b"&lol9;")

    for name, head in (
        ("billion-laughs", laughs),
        (
            "external-entity",
            b'<!DOCTYPE x [<!ENTITY lol9 SYSTEM "file:///etc/passwd">]>',
        ),
    ):
        path = workbook(
            folder / f"{name}.xlsx",
            {"events": event_rows()},
        )
        add(
            name, "markup", rewrite_part(path, "xl/worksheets/sheet1.xml", entities(head)), "either"
        )
    pd.DataFrame({c: ["<b>x</b>"] for c in HEADER.split(",")}).to_parquet(folder / "markup.parquet")
    add("markup-parquet", "markup", folder / "markup.parquet", "refused")
    return out


def main(argv: list[str]) -> int:
    """Write the corpus into the folder given as the only argument."""
    if len(argv) != 1:
        print("usage: python tests/hostile/make_hostile.py DIR", file=sys.stderr)
        return 2
    for hostile in build(Path(argv[0])):
        print(f"{hostile.kind:17} {hostile.expect:8} {hostile.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
