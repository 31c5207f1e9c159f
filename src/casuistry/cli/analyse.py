"""``casuistry analyse PATH [--case ID] [--json] [--lang nl|en] [--engine ...]``: the figures.

``--engine auto|python|compiled`` chooses the engine in this process (see
:func:`casuistry.analyse`: ``compiled`` needs ``pip install
'casuistry[fast]'``; the figures are the same). With ``--engine dask
[--workers N | --scheduler ADDRESS] [--dataset DIR]`` the cases are analysed
on a Dask cluster (:mod:`casuistry.scale.dask_engine`).
"""

from __future__ import annotations

import sys

from casuistry.analysis import COMPILED_FROM, analyse
from casuistry.analysis_json import write_json
from casuistry.errors import CasuistryError
from casuistry.loading import load


def add_parser(subparsers):
    from casuistry.cli import add_all_option, add_language_option, subcommand_parser

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
    add_language_option(parser, of="the summary", default="en")
    scale = parser.add_argument_group(
        "engine",
        "the same figures, faster on large corpora: compiled needs pip install "
        "'casuistry[fast]', dask needs pip install 'casuistry[dask]'",
    )
    scale.add_argument(
        "--engine",
        choices=("auto", "python", "compiled", "dask"),
        default="auto",
        help=f"auto (default): compiled from {COMPILED_FROM:,} events on when numba is "
        "installed, else python; python: the reference engine; compiled: the numba "
        "kernel; dask: workers that each read their own cases",
    )
    where = scale.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=int, metavar="N", help="start a local cluster of N processes"
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="use a running cluster (tcp://host:8786)"
    )
    scale.add_argument(
        "--dataset",
        metavar="DIR",
        help="write the case-partitioned Parquet dataset here (default: a cache folder)",
    )
    add_all_option(parser)
    return parser


def run(args) -> int:
    if args.engine == "dask":
        analysis = analyse(
            args.path,
            engine="dask",
            workers=args.workers,
            scheduler=args.scheduler,
            dataset=args.dataset,
        )
        if args.case is not None:
            analysis = analysis.case(args.case)
    else:
        if (args.workers, args.scheduler, args.dataset) != (None, None, None):
            raise CasuistryError("--workers, --scheduler and --dataset need --engine dask")
        book = load(args.path)
        if args.case is not None:
            book = book.case(args.case)
        analysis = analyse(book, engine=args.engine)
    if args.json:
        write_json(analysis, sys.stdout, indent=2)
        print()
    else:
        from casuistry.summary import case_summaries

        for at, text in enumerate(case_summaries(analysis, lang=args.lang)):
            sys.stdout.write(f"\n\n{text}" if at else text)
        print()
    return 0
