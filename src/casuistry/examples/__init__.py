"""A small bundled case to try things on: the essay's puzzle.

Five organisations each hold a piece: the school sees absence, the GP sees
bruises and hesitates to report, the housing corporation sees rent arrears,
the neighbourhood police officer hears a fight, Veilig Thuis gets one report.
"""

from __future__ import annotations

from pathlib import Path


def example_path() -> Path:
    """Folder of the bundled example case (``events.csv`` and ``actors.csv``).

    Examples
    --------
    >>> (example_path() / "events.csv").exists()
    True
    """
    return Path(__file__).parent / "puzzel"
