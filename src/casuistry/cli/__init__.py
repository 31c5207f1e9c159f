"""The ``casuistry`` command: a thin shell over the Python API.

Each subcommand lives in its own module of this package with two functions,
``add_parser(subparsers)`` and ``run(args) -> int``. Errors are mapped to exit
codes here, once: bad input (:class:`~casuistry.errors.CasuistryError`) exits
with 2 and a message in the user's terms on stderr.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import re
import sys
import threading
from typing import NoReturn

from casuistry import __version__
from casuistry.errors import (
    SHOWN_PER_PLACE,
    CasuistryError,
    InvalidCase,
    counted,
    format_problems,
)
from casuistry.heap import keep_freed_memory

#: Subcommand modules, in the order ``--help`` lists them.
SUBCOMMANDS = (
    "validate",
    "analyse",
    "report",
    "synth",
    "anonymise",
    "template",
    "export",
    "merge",
)

EXIT_BAD_INPUT = 2
#: Python's exit status when the standard streams cannot be flushed at exit.
EXIT_FLUSH_FAILED = 120
#: The exit status when the output's reader stopped reading: as a program ended
#: by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141

DESCRIPTION = """\
casuistry: learn from cases that went wrong.

Reads anonymised case timelines (events.csv / .xlsx / .parquet), measures how
long signals stayed in separate organisations before they met, lists missed
opportunities and writes learning reports (nl/en).
"""

EPILOG = """\
examples:
  casuistry validate data/synthetic/huiselijk_geweld
  casuistry analyse case.xlsx --json > figures.json
  casuistry report data/synthetic/jeugdbescherming -o report.html --lang nl

Run 'casuistry COMMAND --help' for the options and an example of each command.
"""


class QuietParser(argparse.ArgumentParser):
    """An argument parser whose usage errors never repeat what was typed.

    A value on the command line may be a secret (a key typed by mistake) or an
    identifier; argparse would print it back in "unrecognized arguments: ..."
    and "invalid value: '...'". Those messages say where the problem is and
    leave the value out. Subcommand parsers are of the same class.

    Examples
    --------
    >>> QuietParser.quiet("unrecognized arguments: -k s3cr3t extra")
    'unrecognized arguments (3 words, not repeated here in case they hold a secret)'
    >>> QuietParser.quiet("argument --shift-days: invalid int value: 'abc'")
    'argument --shift-days: invalid int value (not repeated here)'
    """

    @staticmethod
    def quiet(message: str) -> str:
        """The message without the values the user typed."""
        if message.startswith("unrecognized arguments:"):
            words = len(message.split(":", 1)[1].split())
            return (
                f"unrecognized arguments ({counted(words, 'word')}, "
                "not repeated here in case they hold a secret)"
            )
        return re.sub(
            r"(invalid [\w ]*value|invalid choice): '.*?'(?=\s|$|\s\()",
            r"\1 (not repeated here)",
            message,
        )

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {self.quiet(message)}\n")


def build_parser(*, only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every available subcommand, or with subcommand
    ``only``: a command line that names its subcommand first needs no other,
    and each subcommand's parser imports what its options list (the synthetic
    scenarios, the privacy tools), about 0.1 s of CPU that ``validate`` and
    ``analyse`` would pay for nothing."""
    parser = QuietParser(
        prog="casuistry",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"casuistry {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS if only is None else (only,):
        try:
            module = importlib.import_module(f"casuistry.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"casuistry.cli.{name}":
                raise
            continue
        sub = module.add_parser(subparsers)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``casuistry`` command; returns the exit status.

    Run as a program (``argv`` None), the process's memory allocator is set
    up for large steps first (:mod:`casuistry.heap`), and the process ends
    without tearing the interpreter down (:func:`_end_program`); a caller
    that passes ``argv`` keeps its own process as it is.
    """
    if argv is None:
        keep_freed_memory()
        _end_program(_run(argv))
    return _run(argv)


def _run(argv: list[str] | None) -> int:
    """Parse the command line and run its subcommand; the exit status."""
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(only=words[0] if words and words[0] in SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.run(args)
    except InvalidCase as err:
        print(problem_lines(err.problems, args), file=sys.stderr)
        return EXIT_BAD_INPUT
    except CasuistryError as err:
        print(f"casuistry {args.command}: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # whoever read the output stopped reading (| head)
        # what is still buffered goes nowhere, without a second error at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _end_program(status: int) -> NoReturn:
    """End the program with ``status``, leaving out the interpreter's teardown.

    After a command on a large corpus the teardown frees millions of
    objects one by one: 0.15-0.2 s of CPU on 10^6 events, with nothing to
    show for it, since the system takes the whole memory back at once. So:
    the exit handlers run (temporary folders, a Dask client), the standard
    streams are flushed (status 120 if that fails, as Python's own exit), and
    the process ends. Where a thread or a child process of the command still
    runs, Python ends as usual instead (it waits for them); so it does when
    ``status`` is returned to a caller.
    """
    children = sys.modules.get("multiprocessing")
    if threading.active_count() > 1 or (children and children.active_children()):
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # no console (pythonw)
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe, a closed stream
            status = status or EXIT_FLUSH_FAILED
    os._exit(status or 0)  # None, as sys.exit takes it: 0


def read_line(book, *more: str) -> str:
    """The line that says a command read its input: ``ok:``, the cases, events and
    warnings of ``book``, then ``more``.

    Examples
    --------
    >>> import casuistry
    >>> read_line(casuistry.load(casuistry.example_path()))
    'ok: 1 case, 13 events, 1 warning'
    """
    counts = [
        counted(len(book), "case"),
        counted(book.n_events, "event"),
        counted(len(book.warnings), "warning"),
        *more,
    ]
    return "ok: " + ", ".join(counts)


def subcommand_parser(subparsers, name: str, *, help: str, description: str, example: str):
    """Add a subcommand whose ``--help`` ends with a worked example."""
    return subparsers.add_parser(
        name,
        help=help,
        description=description,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_all_option(parser) -> None:
    """``--all``: list every problem and warning of the input (:func:`problem_lines`)."""
    parser.add_argument(
        "--all",
        action="store_true",
        help=f"list every problem and warning of the input (default: the first "
        f"{SHOWN_PER_PLACE} of each column, and how many more)",
    )


def problem_lines(table, args, *, heading: str = "problem") -> str:
    """The problems or warnings in ``table`` as :func:`~casuistry.errors.format_problems`
    lines: every one with ``--all``, else the first of each place and a count of the rest.

    Examples
    --------
    >>> import argparse, pandas as pd
    >>> table = pd.DataFrame({"file": "events.csv", "row": range(2, 14), "column": "time",
    ...                       "message": "not a time"})
    >>> print(problem_lines(table, argparse.Namespace(command="validate")).splitlines()[-2:])
    ['  events.csv, column time: 2 more problems, rows 12 to 13', '  --all lists every one']
    >>> len(problem_lines(table, argparse.Namespace(all=True)).splitlines())
    13
    """
    if getattr(args, "all", False):
        return format_problems(table, heading=heading, shown=None)
    return format_problems(table, heading=heading, every="--all lists every one")


def add_language_option(parser, *, of: str, default: str | None = None) -> None:
    """``--lang nl|en``: the language of ``of`` (the report, the summary, ...)."""
    from casuistry.presentation.texts import LANGUAGES

    default = default or LANGUAGES[0]
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=default, help=f"language of {of} (default: {default})"
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
