"""The exception tree of casuistry.

Every error the toolkit raises on purpose derives from :class:`CasuistryError`,
so a caller can catch one root. :class:`InvalidCase` carries *all* problems
found in the input as a tidy table, so a notebook can display them and a
command line can print them.
"""

from __future__ import annotations

import pandas as pd

PROBLEM_COLUMNS = ["file", "row", "column", "message"]
#: Where an :class:`InvalidCase` keeps every problem its message only counts.
EVERY_PROBLEM = "every one is in the error's problems table (err.problems, a DataFrame)"


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
        super().__init__(format_problems(self.problems, every=EVERY_PROBLEM))

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


#: How many problems (or warnings) :func:`format_problems` lists of one place, a
#: column of a file (or a file as a whole); the others it counts, in a line per place.
SHOWN_PER_PLACE = 10


def format_problems(
    problems: pd.DataFrame,
    *,
    heading: str = "problem",
    shown: int | None = SHOWN_PER_PLACE,
    every: str | None = None,
) -> str:
    """Render a problem or warning table as lines a person reads in a terminal.

    A corpus can break one rule in every row (a date format Excel changed, a
    column shifted): its hundred thousand lines would bury the others. So
    each place (a column of a file, or a file as a whole) lists its first
    ``shown`` problems, in the table's order, and one line counts the rest,
    with their first and last row.

    Parameters
    ----------
    problems : pandas.DataFrame
        Columns ``file``, ``row``, ``column``, ``message``.
    heading : str
        Singular noun used in the first line (``problem`` or ``warning``).
    shown : int or None
        How many to list per place; None: every one.
    every : str or None
        Where every one is to be had, said in the last line when some were
        only counted.

    Returns
    -------
    str
        One header line, one indented line per problem listed, one per place
        with problems counted only, and ``every`` when there are.

    Examples
    --------
    >>> table = pd.DataFrame({"file": "events.csv", "row": [2, 3, 4, 7], "column": "time",
    ...                       "message": "not a time"})
    >>> print(format_problems(table, shown=2, every="--all lists every one"))
    4 problems in the input:
      events.csv, row 2, column time: not a time
      events.csv, row 3, column time: not a time
      events.csv, column time: 2 more problems, rows 4 to 7
      --all lists every one
    """
    n = len(problems)
    lines = [f"{counted(n, heading)} in the input:"]
    listed, rest = problems, problems.iloc[:0]
    if shown is not None and n > shown:
        column = problems["column"].astype(object)
        place = pd.MultiIndex.from_arrays(
            [problems["file"].astype(str), column.where(column.notna(), "").astype(str)]
        )
        codes = pd.Series(pd.factorize(place)[0], index=problems.index)
        beyond = codes.groupby(codes).cumcount().to_numpy() >= shown
        listed, rest = problems[~beyond], problems[beyond]
    for rec in listed.itertuples(index=False):
        lines.append("  " + describe_place(rec.file, rec.row, rec.column) + f": {rec.message}")
    if rest.empty:
        return "\n".join(lines)
    for _, of_place in rest.groupby(codes[beyond], sort=False):
        first = of_place.iloc[0]
        more = counted(len(of_place), f"more {heading}")
        rows = _rows(pd.to_numeric(of_place["row"], errors="coerce"))
        lines.append(f"  {describe_place(first['file'], None, first['column'])}: {more}{rows}")
    if every:
        lines.append(f"  {every}")
    return "\n".join(lines)


def _rows(rows: pd.Series) -> str:
    """The rows a place's line counts: ", rows A to B", ", row A" or nothing."""
    rows = rows.dropna()
    if rows.empty:
        return ""
    first, last = int(rows.min()), int(rows.max())
    return f", row {first}" if first == last else f", rows {first} to {last}"


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, which is plural unless ``n`` is 1 (messages and the
    command line's own lines are English).

    Examples
    --------
    >>> counted(1, "case"), counted(0, "warning"), counted(3, "more problem")
    ('1 case', '0 warnings', '3 more problems')
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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
