"""``casuistry report PATH -o OUT``: write retrospective learning reports (HTML, nl/en)."""

from __future__ import annotations

import sys


def add_parser(subparsers):
    from casuistry.cli import subcommand_parser
    from casuistry.presentation.texts import LANGUAGES

    parser = subcommand_parser(
        subparsers,
        "report",
        help="write a retrospective learning report (one offline HTML file per case)",
        description="Write the learning report of a case as one self-contained HTML file "
        "that opens without internet, in Dutch or English. With one case in the input "
        "(or --case), OUT is the HTML file; with several cases and no --case, OUT is a "
        "folder that gets one report per case and an index.html. Nothing is written when "
        "the input is invalid (exit status 2).",
        example="casuistry report data/synthetic/jeugdbescherming --case jb-0001 -o report.html",
    )
    parser.add_argument("path", help="folder with events.csv, an .xlsx workbook, or an events file")
    parser.add_argument("--case", dest="case_id", metavar="ID", help="the case to report on")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the HTML file to write (or a folder, for every case of a corpus)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=LANGUAGES[0],
        help=f"language of the report (default: {LANGUAGES[0]})",
    )
    parser.add_argument(
        "--dates",
        action="store_true",
        help="show calendar dates instead of days since the first event",
    )
    return parser


def run(args) -> int:
    from casuistry.analysis import analyse
    from casuistry.errors import format_problems
    from casuistry.loading import load
    from casuistry.reporting.writer import report

    book = load(args.path)
    if len(book.warnings):
        print(format_problems(book.warnings, heading="warning"), file=sys.stderr)
    written = report(
        analyse(book),
        args.case_id,
        args.output,
        lang=args.lang,
        calendar_dates=args.dates,
        inputs=[args.path],
    )
    if written.is_dir():
        print(f"wrote {len(book)} reports and {written / 'index.html'}")
    else:
        print(f"wrote {written}")
    return 0
