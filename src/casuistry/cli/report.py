"""``casuistry report PATH -o OUT``: write retrospective learning reports (HTML, nl/en)."""

from __future__ import annotations

import sys


def add_parser(subparsers):
    from casuistry.cli import add_all_option, add_language_option, subcommand_parser

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
    parser.add_argument(
        "--case",
        dest="case_ids",
        action="append",
        metavar="ID",
        help="the case to report on; give it again for more cases (OUT is then a folder)",
    )
    parser.add_argument(
        "--cases",
        dest="case_list",
        metavar="FILE",
        help="report on the cases FILE names (OUT is a folder): one case id per line, or a "
        ".csv or .parquet table with a column case_id, such as a selection of the cases table",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the HTML file to write (or a folder, for every case of a corpus)",
    )
    add_language_option(parser, of="the report")
    parser.add_argument(
        "--dates",
        action="store_true",
        help="show calendar dates instead of days since the first event",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="for a corpus: write the reports in N worker processes (default: every core; "
        "1 writes them in this process; the files are the same either way)",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="also write the handout as a PDF next to the report (needs chromium and "
        "playwright; exit status 2 with the install commands when they are missing)",
    )
    parser.add_argument(
        "--pptx",
        action="store_true",
        help="also write a short slide deck next to the report (needs python-pptx: "
        "pip install 'casuistry[slides]')",
    )
    add_all_option(parser)
    return parser


def run(args) -> int:
    from casuistry.analysis import analyse
    from casuistry.cli import problem_lines
    from casuistry.errors import CasuistryError, counted
    from casuistry.io.case_list import read_case_list
    from casuistry.loading import load
    from casuistry.reporting.handouts import check_tools, write_handouts
    from casuistry.reporting.writer import report

    check_tools(pdf=args.pdf, pptx=args.pptx)
    asked = [*(args.case_ids or ())]
    if args.case_list is not None:
        asked += read_case_list(args.case_list)  # before the input: a wrong file fails fast
    book = load(args.path)
    case_id, cases = None, len(book)
    if asked:  # one --case is one file; more, or a list, a folder
        chosen = book.check_cases(asked)  # every unknown id at once, before the analysis
        case_id = chosen[0] if len(asked) == 1 and args.case_list is None else chosen
        cases = len(chosen)
    folder = isinstance(case_id, list) or (case_id is None and cases > 1)
    if (args.pdf or args.pptx) and folder:
        raise CasuistryError(
            "--pdf and --pptx are made for one case, not for a folder of "
            f"{counted(cases, 'report')}: give one --case ID"
        )
    if len(book.warnings):
        print(problem_lines(book.warnings, args, heading="warning"), file=sys.stderr)
    # Only the cases asked for are analysed (as analyse --case does): cases never
    # change each other's figures, and a corpus may hold 10^5 cases.
    analysis = analyse(book if case_id is None else book.subset(chosen))
    written = report(
        analysis,
        case_id,
        args.output,
        lang=args.lang,
        calendar_dates=args.dates,
        inputs=[args.path],
        jobs=args.jobs,
    )
    if folder:
        print(f"wrote {counted(cases, 'report')} and {written / 'index.html'}")
    else:
        print(f"wrote {written}")
        for extra in write_handouts(
            analysis,
            case_id if case_id is not None else book.case_ids[0],
            written,
            lang=args.lang,
            calendar_dates=args.dates,
            pdf=args.pdf,
            pptx=args.pptx,
            inputs=[args.path],
        ):
            print(f"wrote {extra}")
    return 0
