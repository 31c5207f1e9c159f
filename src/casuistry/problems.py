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

    def guard_cells(self, table, *, check_names: bool = False) -> None:
        """The identifier guard on every cell of a raw table: an error per identifier
        found (never its value); with ``check_names``, a warning per likely person name."""
        from casuistry.privacy import scan_identifiers

        found = scan_identifiers(table.frame, file=table.file, rows=table.rows)
        for rec in found.itertuples(index=False):
            self.error(rec.file, rec.row, rec.column, rec.message)
        if check_names:
            from casuistry.privacy.names import name_warnings

            for rec in name_warnings(table.frame, file=table.file, rows=table.rows).itertuples():
                self.warn(rec.file, rec.row, rec.column, rec.message)

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
