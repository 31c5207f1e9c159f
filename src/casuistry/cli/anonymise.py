"""``casuistry anonymise RAW -o DIR --key-file KEY``: make raw tables acceptable."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from casuistry.cli import read_line
from casuistry.errors import InputError
from casuistry.io.raw import ACTORS, EVENTS, RawTable, read_tables
from casuistry.io.writers import write_tables
from casuistry.privacy import anonymise, check_key
from casuistry.privacy.keys import MAKE_A_KEY
from casuistry.privacy.names import NAMES_NOT_CHECKED
from casuistry.privacy.time_shift import MAX_SHIFT_DAYS, check_shift_days
from casuistry.validation import validate_tables

KEY_VARIABLE = "CASUISTRY_KEY"
KEY_ON_COMMAND_LINE = (
    "--key is refused: a key typed on the command line stays in the shell history and "
    f"is visible to other users in the process list; put it in a file and give --key-file "
    f"(or set {KEY_VARIABLE}); {MAKE_A_KEY}"
)


class _RefuseKey(argparse.Action):
    """``--key VALUE``: remember that it was given, never the value."""

    def __call__(self, parser, namespace, values, option_string=None):
        namespace.key_on_command_line = True


def add_parser(subparsers):
    from casuistry.cli import add_all_option, subcommand_parser

    parser = subcommand_parser(
        subparsers,
        "anonymise",
        help="pseudonymise ids, redact identifiers, shift times",
        description="Turn raw case tables into acceptable ones: keyed pseudonyms for case, "
        "event and person ids, redaction of identifiers in every text cell, and an optional "
        "secret shift of each case's times. The key is read from a file (or the environment "
        f"variable {KEY_VARIABLE}), never from the command line, and never appears in any "
        "output. Validates the result and writes events.csv (and actors.csv) into the output "
        f"folder only when it is acceptable. {NAMES_NOT_CHECKED['en']} "
        "(--redact-names).",
        example="casuistry anonymise raw/case.xlsx -o anoniem/ --key-file ~/geheim.key "
        "--shift-days 30",
    )
    parser.add_argument("path", help="raw tables: a folder, an .xlsx workbook or an events file")
    parser.add_argument("-o", "--out", required=True, help="folder to write the tables into")
    parser.add_argument(
        "--key-file",
        help=f"file holding the secret key, UTF-8, at least 16 characters (or set {KEY_VARIABLE})",
    )
    parser.add_argument(
        "--key",
        nargs="?",
        action=_RefuseKey,
        dest="key_on_command_line",
        default=False,
        metavar="KEY",
        help="refused: a key on the command line ends up in the shell history; use --key-file",
    )
    parser.add_argument(
        "--shift-days",
        type=int,
        help=f"shift each case's times by a secret offset of up to N days (1 to {MAX_SHIFT_DAYS})",
    )
    parser.add_argument(
        "--pseudonymise-actors", action="store_true", help="replace actor names by pseudonyms too"
    )
    parser.add_argument(
        "--redact-names",
        action="store_true",
        help="replace likely person names in free text by [NAAM] (needs the optional extra "
        "casuistry[deduce]; slow to start)",
    )
    add_all_option(parser)
    return parser


def _read_key(args) -> str:
    """The key from --key-file or the environment; checked, never echoed."""
    if args.key_on_command_line:
        raise InputError(KEY_ON_COMMAND_LINE)
    if args.key_file:
        path = Path(args.key_file).expanduser()
        if not path.is_file():
            raise InputError(f"{path}: no such key file")
        try:
            key = path.read_bytes().decode("utf-8").strip()
        except UnicodeDecodeError as err:
            raise InputError(f"{path}: the key file is not UTF-8 text; {MAKE_A_KEY}") from err
    else:
        key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        raise InputError(
            f"no key: give --key-file with a secret in it, or set {KEY_VARIABLE}; {MAKE_A_KEY}"
        )
    check_key(key)
    return key


def run(args) -> int:
    key = _read_key(args)
    if args.shift_days is not None:
        check_shift_days(args.shift_days)
    tables = read_tables(args.path)
    events, actors = tables[EVENTS], tables.get(ACTORS)
    new_events, new_actors = anonymise(
        events.frame,
        actors.frame if actors is not None else None,
        key=key,
        shift_days=args.shift_days,
        pseudonymise_actors=args.pseudonymise_actors,
        redact_names=args.redact_names,
    )
    # Validate before writing, with the rows and file names of the raw input,
    # so that a problem left in the input names the place the user must fix.
    book = validate_tables(
        RawTable(new_events, events.rows, events.file),
        RawTable(new_actors, actors.rows, actors.file) if actors is not None else None,
    )
    out = Path(args.out)
    tables = {"events": new_events} | ({"actors": new_actors} if new_actors is not None else {})
    inputs = [args.path] + ([args.key_file] if args.key_file else [])
    write_tables(out, tables, inputs=inputs)
    written = "events.csv" + (" and actors.csv" if new_actors is not None else "")
    print(f"wrote {written} to {out}")
    print(read_line(book))
    return 0
