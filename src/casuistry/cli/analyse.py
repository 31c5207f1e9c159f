"""``casuistry analyse PATH [--case ID] [--json] [--lang nl|en]``: the figures of cases."""

from __future__ import annotations

from casuistry.analysis import analyse
from casuistry.loading import load
from casuistry.presentation.texts import LANGUAGES


def add_parser(subparsers):
    from casuistry.cli import subcommand_parser

    parser = subcommand_parser(
        subparsers,
        "analyse",
        help="how long signals stayed in their silo, and what was missed",
        description="Analyse case tables: per signal how long it stayed in its silo before "
        "it met a signal of another silo (split into relational and decision days), the "
        "missed opportunities with what each would have gained, delays between silo pairs, "
        "and the time from knowing to acting. By default a readable summary per case; with "
        "--json only the JSON of the case format (section 3) on stdout.",
        example="casuistry analyse data/synthetic/huiselijk_geweld --json > figures.json",
    )
    parser.add_argument("path", help="folder with events.csv, an .xlsx workbook, or an events file")
    parser.add_argument("--case", metavar="ID", help="analyse only this case_id")
    parser.add_argument("--json", action="store_true", help="print the JSON document only")
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the summary (default: en)"
    )
    return parser


def run(args) -> int:
    book = load(args.path)
    if args.case is not None:
        book = book.case(args.case)
    analysis = analyse(book)
    if args.json:
        print(analysis.to_json(indent=2))
    else:
        from casuistry.summary import summary_text

        print(summary_text(analysis, lang=args.lang))
    return 0
