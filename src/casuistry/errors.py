"""The exception tree of casuistry.

Every error the toolkit raises on purpose derives from :class:`CasuistryError`,
so a caller can catch one root. :class:`InvalidCase` carries *all* problems
found in the input as a tidy table, so a notebook can display them and a
command line can print them.
"""

from __future__ import annotations

import pandas as pd

PROBLEM_COLUMNS = ["file", "row", "column", "message"]


class CasuistryError(Exception):
    """Root of every error casuistry raises on purpose."""


class InputError(CasuistryError):
    """The input cannot be read at all (missing path, empty file, wrong encoding).

    The message is one line in the user's terms and says how to fix it.
    """


class AnonymiseError(CasuistryError):
    """:func:`casuistry.privacy.anonymise` cannot do its work (a weak key, times it cannot shift).

    The message never contains the key.
    """


class MissingExtra(CasuistryError):
    """An option needs an optional extra that is not installed.

    The message says what to install (``pip install 'casuistry[deduce]'``).
    """


class InvalidCase(CasuistryError):
    """The input was read but breaks rules of the case format.

    Parameters
    ----------
    problems : pandas.DataFrame
        One row per problem with columns ``file``, ``row`` (as the user counts
        it: the CSV line with the header as line 1, the sheet row in Excel, the
        1-based record in Parquet; empty for a problem of the whole file),
        ``column`` and ``message``.

    Examples
    --------
    >>> import pandas as pd
    >>> err = InvalidCase(pd.DataFrame(
    ...     [{"file": "events.csv", "row": 3, "column": "kind", "message": "unknown kind"}]))
    >>> len(err.problems)
    1
    >>> print(err)
    1 problem in the input:
      events.csv, row 3, column kind: unknown kind
    """

    def __init__(self, problems: pd.DataFrame):
        self.problems = problems.reindex(columns=PROBLEM_COLUMNS).reset_index(drop=True)
        super().__init__(format_problems(self.problems))

    def _repr_html_(self) -> str:  # shown by Jupyter
        return self.problems._repr_html_()


class UnknownCase(CasuistryError, KeyError):
    """A ``case_id`` that the casebook does not hold."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown case"


class InvalidKindRegistry(CasuistryError, ValueError):
    """A registry of event kinds that contradicts itself (a programming error, not bad input).

    For example a name used by two kinds, an opportunity without a
    counterfactual, or a point drawn without a marker.
    """


def format_problems(problems: pd.DataFrame, *, heading: str = "problem") -> str:
    """Render a problem or warning table as lines a person reads in a terminal.

    Parameters
    ----------
    problems : pandas.DataFrame
        Columns ``file``, ``row``, ``column``, ``message``.
    heading : str
        Singular noun used in the first line (``problem`` or ``warning``).

    Returns
    -------
    str
        One header line and one indented line per problem.
    """
    n = len(problems)
    noun = heading if n == 1 else heading + "s"
    lines = [f"{n} {noun} in the input:"]
    for rec in problems.itertuples(index=False):
        lines.append("  " + describe_place(rec.file, rec.row, rec.column) + f": {rec.message}")
    return "\n".join(lines)


def describe_place(file: object, row: object, column: object) -> str:
    """Say where a problem is, leaving out parts that do not apply.

    Examples
    --------
    >>> describe_place("events.csv", 4, "time")
    'events.csv, row 4, column time'
    >>> describe_place("events.csv", None, None)
    'events.csv'
    """
    parts = [str(file)]
    if row is not None and not pd.isna(row):
        parts.append(f"row {int(row)}")
    if column is not None and not (isinstance(column, float) and pd.isna(column)) and column != "":
        parts.append(f"column {column}")
    return ", ".join(parts)


class WriteRefused(CasuistryError):
    """casuistry refused to write an output, to protect a file it did not write.

    Raised before anything is written; the message names the path and says
    how to go on. Subclasses say why.
    """


class OutputIsInput(WriteRefused):
    """The output would be written into, over, or around the command's own input."""


class NotCasuistrysOutput(WriteRefused):
    """The output exists and holds something casuistry did not write.

    An existing file is replaced only when it is byte for byte a file casuistry
    wrote there; an existing folder only when it is empty or holds nothing but
    files casuistry wrote (see :mod:`casuistry.io.atomic`).
    """


class OutputUnwritable(CasuistryError):
    """The folder an output goes into cannot be made or written to (no permission,
    a read-only or missing disk).

    Raised before anything is written; the message names the folder and the
    system's reason.
    """


class ToolMissing(CasuistryError):
    """An optional tool an output needs is not installed (a browser for the PDF, python-pptx).

    The message says what to install, with the commands.
    """


class ReportFailed(CasuistryError):
    """A case's report could not be made, or a worker process writing reports stopped.

    The message names the case and the cause; nothing is written then.
    """
