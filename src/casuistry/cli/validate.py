"""``casuistry validate PATH``: check case tables against the case format."""

from __future__ import annotations

from casuistry.cli import problem_lines, read_line
from casuistry.loading import load
from casuistry.privacy.names import NAMES_NOT_CHECKED


def add_parser(subparsers):
    from casuistry.cli import add_all_option, subcommand_parser

    parser = subcommand_parser(
        subparsers,
        "validate",
        help="check case tables (format and identifier guard)",
        description="Check case tables against the case format, including the identifier "
        "guard. Prints 'ok: N cases, M events, K warnings' and the warnings, or every "
        "problem with its file, row and column (exit status 2). "
        f"{NAMES_NOT_CHECKED['en']} (--check-names).",
        example="casuistry validate data/synthetic/huiselijk_geweld",
    )
    parser.add_argument("path", help="folder with events.csv, an .xlsx workbook, or an events file")
    parser.add_argument(
        "--check-names",
        action="store_true",
        help="also warn about likely person names in free text (needs the optional extra "
        "casuistry[deduce]; its first load takes about a minute)",
    )
    add_all_option(parser)
    return parser


def run(args) -> int:
    book = load(args.path, check_names=args.check_names)
    n_warnings = len(book.warnings)
    print(read_line(book))
    if n_warnings:
        print(problem_lines(book.warnings, args, heading="warning"))
    return 0
