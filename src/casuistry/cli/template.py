"""``casuistry template -o case.xlsx [--lang nl|en] [--example]``: a workbook to fill in."""

from __future__ import annotations


def add_parser(subparsers):
    from casuistry.cli import add_language_option, subcommand_parser

    parser = subcommand_parser(
        subparsers,
        "template",
        help="write an Excel workbook to fill in a case",
        description="Write an Excel workbook to fill in a case without reading the case "
        "format: a first sheet explaining every column, the sheets events, actors, sources, "
        "episodes, factors and findings with their headers, drop-down lists and date cells. "
        "With --example it holds the bundled example case. It never replaces a file "
        "casuistry did not write.",
        example="casuistry template -o casus.xlsx --lang nl",
    )
    parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    add_language_option(parser, of="the explanation and the lists")
    parser.add_argument(
        "--example", action="store_true", help="fill it with the bundled example case"
    )
    return parser


def run(args) -> int:
    from casuistry.errors import InputError
    from casuistry.template import write_template

    if not str(args.output).lower().endswith(".xlsx"):
        raise InputError(f"{args.output}: give a file name ending in .xlsx")
    written = write_template(args.output, lang=args.lang, example=args.example)
    print(f"wrote {written}")
    return 0
