"""The list of problems and warnings that validation builds, table by table.

Examples
--------
>>> problems = Problems()
>>> problems.warn("sources.csv", 3, "type", "not in the list")
>>> problems.warning_table()[["file", "row", "column"]].to_dict("records")
[{'file': 'sources.csv', 'row': 3, 'column': 'type'}]
"""

from __future__ import annotations

import pandas as pd

from casuistry.errors import PROBLEM_COLUMNS, InvalidCase


class Problems:
    """Collects problems and warnings as rows of the problem table (file, row, column, message)."""

    def __init__(self):
        self.errors: list[dict] = []
        self.warnings: list[dict] = []

    def error(self, file, row, column, message):
        """Note a problem that stops the analysis."""
        self.errors.append({"file": file, "row": row, "column": column, "message": message})

    def warn(self, file, row, column, message):
        """Note a problem the analysis can go on with."""
        self.warnings.append({"file": file, "row": row, "column": column, "message": message})

    def raise_if_any(self):
        """Raise :class:`~casuistry.errors.InvalidCase` with every problem noted, if any."""
        if self.errors:
            raise InvalidCase(_table(self.errors, na_position="first"))

    def warning_table(self) -> pd.DataFrame:
        """The warnings, sorted by file and row."""
        return _table(self.warnings, na_position="last")


def _table(records: list[dict], *, na_position: str) -> pd.DataFrame:
    table = pd.DataFrame(records, columns=PROBLEM_COLUMNS)
    table["row"] = table["row"].astype("Int64")
    table = table.sort_values(["file", "row"], kind="stable", na_position=na_position)
    return table.reset_index(drop=True)
