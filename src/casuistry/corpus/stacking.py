"""Several analyses as one table, with a column that names where each row came from."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pandas as pd

from casuistry.corpus._common import _analysis
from casuistry.errors import CasuistryError

#: The tables of an Analysis that :func:`stack` can stack.
TABLES = ("signals", "opportunities", "silo_pairs", "cases", "knowledge", "robustness", "episodes")


def stack(
    analyses: Mapping[Hashable, object], *, table: str = "signals", name: str = "scenario"
) -> pd.DataFrame:
    """One table of several analyses, stacked, with a column naming where each row came from.

    Parameters
    ----------
    analyses : mapping of name to Analysis
        For example ``{"jeugdbescherming": analysis_1, "ondermijning": analysis_2}``.
    table : str, keyword-only
        Which table of each :class:`~casuistry.Analysis` to stack: one of
        :data:`TABLES` (``signals``, ``opportunities``, ``silo_pairs``,
        ``cases``, ``knowledge``, ``robustness``, ``episodes``).
    name : str, keyword-only
        Name of the added column.

    Returns
    -------
    pandas.DataFrame
        The column ``name`` (the mapping's key) followed by every column of
        ``table`` (see :class:`~casuistry.Analysis`), the analyses' rows in
        the mapping's order, with a fresh index.

    Raises
    ------
    CasuistryError
        For an unknown table, an empty mapping, a value that is no Analysis,
        or a ``name`` that is already a column of the table.

    Examples
    --------
    >>> import casuistry
    >>> from casuistry.corpus import stack
    >>> one = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> stack({"voorbeeld": one}, table="cases")[["scenario", "case_id"]].values.tolist()
    [['voorbeeld', 'puzzel-1']]
    """
    if table not in TABLES:
        raise CasuistryError(f"table={table!r}: choose one of {', '.join(TABLES)}")
    if not analyses:
        raise CasuistryError("no analyses to stack: give a mapping of name to Analysis")
    pieces = []
    for key, analysis in analyses.items():
        frame = getattr(_analysis(key, analysis), table)
        if name in frame.columns:
            raise CasuistryError(
                f"the {table} table already has a column {name!r}; choose another name="
            )
        pieces.append(frame.assign(**{name: key})[[name, *frame.columns]])
    return pd.concat(pieces, ignore_index=True)
