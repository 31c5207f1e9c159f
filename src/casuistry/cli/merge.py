"""``casuistry merge A B ... -o OUT``: one chronology from several organisations' tables."""

from __future__ import annotations

import sys

from casuistry.cli import counted, problem_lines, read_line
from casuistry.cli.export import add_output_arguments
from casuistry.errors import InputError
from casuistry.exporting import export
from casuistry.io.atomic import check_not_input, write_text
from casuistry.merging import merge


def add_parser(subparsers):
    from casuistry.cli import add_all_option, subcommand_parser

    parser = subcommand_parser(
        subparsers,
        "merge",
        help="merge organisations' chronologies of one case",
        description="Merge the chronologies that several organisations gave of the same case "
        "into one. Each event's 'source' is tagged with its organisation (--name, or the file "
        "or folder name); event ids that several inputs use are prefixed '<organisation>:' and "
        "references rewritten. Likely duplicates (same case, time, kind, actor and parties, "
        "such as a share reported by sender and recipient) are listed as warnings and kept; "
        "--dedupe merges only the pairs confirmed in a CSV with columns case_id, keep, drop. "
        "The merged tables are validated before anything is written.",
        example="casuistry merge school/ huisarts.xlsx vt/ -o merged/ "
        "--name school --name huisarts --name veilig_thuis",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="one input per organisation")
    add_output_arguments(parser)
    parser.add_argument(
        "--name",
        action="append",
        help="the organisation of each input, in order (repeat once per input)",
    )
    parser.add_argument("--dedupe", metavar="FILE", help="CSV of confirmed duplicate pairs")
    parser.add_argument(
        "--duplicates",
        metavar="FILE",
        help="also write the likely duplicates "
        "as a CSV (delete the lines you do not confirm, pass it to --dedupe)",
    )
    add_all_option(parser)
    return parser


def run(args) -> int:
    inputs = [*args.paths, *([args.dedupe] if args.dedupe else [])]
    if args.duplicates and args.dedupe:
        raise InputError("--duplicates and --dedupe together: list the pairs first, then merge")
    if args.duplicates:  # refused before anything is written, not after the merge is
        check_not_input(args.duplicates, [*inputs, args.out])
    result = merge(args.paths, names=args.name, dedupe=args.dedupe)
    written = export(result.book, args.out, format=args.format, inputs=inputs)
    if args.duplicates:
        text = result.duplicates.to_csv(index=False)
        written.append(write_text(args.duplicates, text, inputs=[*inputs, args.out]))
    book = result.book
    print(f"wrote {', '.join(str(p) for p in written)}")
    print(
        read_line(
            book,
            f"{counted(len(result.renamed), 'id')} prefixed",
            counted(len(result.duplicates), "likely duplicate"),
        )
    )
    if len(book.warnings):
        print(problem_lines(book.warnings, args, heading="warning"), file=sys.stderr)
    for pair in result.duplicates.itertuples(index=False):
        print(
            f"warning: likely duplicate in case {pair.case_id}: {pair.file_a}, row {pair.row_a} "
            f"(event {pair.keep}) and {pair.file_b}, row {pair.row_b} (event {pair.drop}): "
            f"{pair.kind} at {pair.time} by {pair.actor}"
            + (f" to {pair.to}" if pair.to else "")
            + "; kept both (confirm with --dedupe)",
            file=sys.stderr,
        )
    return 0
