"""What the pictures accept: an Analysis or a Casebook, and a case to show."""

from __future__ import annotations

from casuistry.casebook import Casebook
from casuistry.errors import CasuistryError


def one_case(source, case_id: str | None = None):
    """The analysis of one case, from an Analysis or a Casebook.

    Parameters
    ----------
    source : casuistry.Analysis or casuistry.Casebook
        A Casebook is analysed first (only the case asked for).
    case_id : str or None
        The case; None is allowed when ``source`` holds exactly one case.

    Returns
    -------
    casuistry.Analysis
        The analysis of that one case.

    Raises
    ------
    CasuistryError
        When ``case_id`` is None and there are several cases.
    UnknownCase
        When there is no such case.
    """
    book = source if isinstance(source, Casebook) else source.casebook
    if case_id is None:
        if len(book) != 1:
            shown = ", ".join(book.case_ids[:5]) + (" ..." if len(book) > 5 else "")
            raise CasuistryError(f"the input holds {len(book)} cases; name one of: {shown}")
        case_id = book.case_ids[0]
    if isinstance(source, Casebook):
        from casuistry.analysis import analyse

        return analyse(source.case(case_id))
    return source.case(case_id)
