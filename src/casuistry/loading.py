"""The front door: :func:`load` and :func:`validate`, reading then validating.

This module sits above both steps: :mod:`casuistry.io` reads files into raw
tables and knows nothing of the case format's rules; :mod:`casuistry.validation`
checks raw tables and imports :class:`~casuistry.io.raw.RawTable` from below.
Imports run one way, ``loading -> validation -> io``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from casuistry.casebook import Casebook
from casuistry.errors import PROBLEM_COLUMNS, InvalidCase
from casuistry.heap import collector_paused, large_steps
from casuistry.io.raw import ACTORS, EVENTS, read_tables
from casuistry.kinds import KINDS, KindRegistry
from casuistry.validation import validate_tables


@large_steps()
@collector_paused()
def load(path: str | Path, *, kinds: KindRegistry = KINDS, check_names: bool = False) -> Casebook:
    """Read and validate case tables.

    Parameters
    ----------
    path : str or Path
        A folder with ``events.csv`` (or ``events.parquet``) and optionally
        ``actors``, ``sources``, ``episodes``, ``factors`` and ``findings``
        (``.csv`` or ``.parquet`` each); an ``.xlsx`` workbook with sheets of
        those names (the reviewer's four also ``bronnen``, ``kernmomenten``,
        ``factoren``, ``bevindingen``); a single events file; or an OCEL 2.0 file
        (``.jsonocel``/``.json``, ``.sqlite``/``.sqlite3``/``.ocel``) following
        the mapping of ``docs/ocel.md``.
    kinds : KindRegistry, keyword-only
        The event kinds the input may use (:mod:`casuistry.kinds`); the
        Casebook carries it to the analysis and the pictures.
    check_names : bool, keyword-only
        Also warn about likely person names in free text (needs the optional
        extra ``casuistry[deduce]``). Without it, names are not checked.

    Returns
    -------
    Casebook
        Validated events and actors of every case in the tables. Warnings
        (analysis goes on) are in ``Casebook.warnings``.

    Raises
    ------
    InputError
        When the input cannot be read at all (missing path, empty file, not
        UTF-8, no ``events`` sheet).
    InvalidCase
        When the input breaks rules of the case format; ``.problems`` holds
        every problem with file, row, column and message.

    Examples
    --------
    >>> import casuistry
    >>> book = casuistry.load(casuistry.example_path())
    >>> book.n_events > 10
    True
    """
    tables = read_input(path, kinds=kinds)
    events, actors = tables.pop(EVENTS), tables.pop(ACTORS, None)
    return validate_tables(events, actors, review=tables, kinds=kinds, check_names=check_names)


def read_input(path: str | Path, *, kinds: KindRegistry = KINDS) -> dict:
    """The raw tables of any input :func:`load` reads, by name, not yet validated:
    the case format's layouts (:func:`casuistry.io.raw.read_tables`) or an OCEL 2.0
    file (:func:`casuistry.ocel_tables.read_ocel`, whose mapping reads ``kinds``)."""
    from casuistry.io.ocel import is_ocel
    from casuistry.ocel_tables import read_ocel

    return read_ocel(path, kinds=kinds) if is_ocel(path) else read_tables(path)


def validate(path: str | Path, *, kinds: KindRegistry = KINDS) -> pd.DataFrame:
    """All problems and warnings of the input as one table.

    ``kinds`` as for :func:`load`.

    Returns
    -------
    pandas.DataFrame
        Columns ``level`` (``"error"`` or ``"warning"``), ``file``, ``row``,
        ``column``, ``message``; empty when the input is clean. An input that
        cannot be read at all still raises :class:`~casuistry.errors.InputError`.

    Examples
    --------
    >>> import casuistry
    >>> casuistry.validate(casuistry.example_path())[["level", "row", "column"]]
         level  row column
    0  warning   14   time
    """
    try:
        book = load(path, kinds=kinds)
    except InvalidCase as err:
        return err.problems.assign(level="error")[["level", *PROBLEM_COLUMNS]]
    return book.warnings.assign(level="warning")[["level", *PROBLEM_COLUMNS]]
