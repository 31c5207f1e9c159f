"""``casuistry export PATH -o OUT --format FORMAT``: the validated case as plain tables or OCEL."""

from __future__ import annotations

from casuistry.cli import read_line
from casuistry.exporting import FORMATS, export
from casuistry.loading import load


def add_parser(subparsers):
    from casuistry.cli import add_all_option, subcommand_parser

    parser = subcommand_parser(
        subparsers,
        "export",
        help="write the validated case as CSV, Excel, Parquet or OCEL 2.0",
        description="Validate case tables and write them normalised (English kinds, ISO dates "
        "or day numbers, ';' lists, every column kept): as CSV or Parquet files in a folder, "
        "as one Excel workbook, or as an OCEL 2.0 object-centric event log (JSON or SQLite) "
        "for process-mining tools such as PM4Py. The mapping onto OCEL is in docs/ocel.md; "
        "'casuistry' reads such a file back. Nothing is written when the input is invalid.",
        example="casuistry export data/synthetic/huiselijk_geweld -o hg.jsonocel "
        "--format ocel-json",
    )
    parser.add_argument(
        "path",
        help="folder with events.csv, an .xlsx workbook, an events file, or an OCEL 2.0 file",
    )
    add_output_arguments(parser)
    add_all_option(parser)
    return parser


def add_output_arguments(parser) -> None:
    """``-o/--out`` and ``--format``, as export and merge take them."""
    parser.add_argument(
        "-o",
        "--out",
        required=True,
        help="a folder (csv, parquet) or a file (.xlsx, .jsonocel/.json, .sqlite/.sqlite3/.ocel)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="default: the one the name of OUT asks for (.xlsx: xlsx, .jsonocel or .json: "
        "ocel-json, .sqlite, .sqlite3 or .ocel: ocel-sqlite), else csv",
    )


def run(args) -> int:
    book = load(args.path)
    written = export(book, args.out, format=args.format, inputs=[args.path])
    print(f"wrote {', '.join(str(p) for p in written)}")
    print(read_line(book))
    return 0
