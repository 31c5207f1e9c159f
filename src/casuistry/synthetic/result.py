"""The result of :func:`casuistry.synthesize`: cases in the case format and their truth.

A :class:`Synthetic` holds the events and actors exactly as a user hands them
in, the truth the generator planted (per signal, per opportunity, per case),
and writes them all with :meth:`Synthetic.save`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from casuistry.synthetic.knobs import Knobs
from casuistry.vocabulary import ACTOR, CASE_ID, EVENT_ID, KIND, SILO, TIME

#: Columns of :attr:`Synthetic.truth`, one row per signal.
TRUTH_SIGNAL_COLUMNS = (
    CASE_ID,
    "signal_id",
    ACTOR,
    SILO,
    "category",
    "observed_at",
    "converged_at",
    "converged_by",
    "censored",
    "reached_decision_at",
    "reached_by",
)
#: The reviewer's tables of a :class:`Synthetic`, written beside the case.
REVIEW_TABLES = ("sources", "episodes", "factors", "findings")
#: Columns of :attr:`Synthetic.truth_opportunities`.
TRUTH_OPPORTUNITY_COLUMNS = (CASE_ID, EVENT_ID, KIND, TIME, ACTOR, "to", "missed", "planted")
#: Columns of :attr:`Synthetic.truth_cases`, one row per case.
TRUTH_CASE_COLUMNS = (
    CASE_ID,
    "outcome",
    "route",
    "table_at",
    "table_by",
    "first_round_at",
    "first_round_by",
    "horizon",
    "horizon_event",
    "signals",
    "converged",
    "missed_opportunities",
)


@dataclass(frozen=True, eq=False)
class Synthetic:
    """Synthetic cases of one scenario, with the truth planted in them.

    Attributes
    ----------
    scenario : str
        The scenario's name.
    seed : int
        The seed that made them.
    knobs : Knobs
        Every knob value used, defaults filled in.
    events : pandas.DataFrame
        The events table exactly as a user hands it in (docs/case_format.md,
        section 1): every cell a string or missing, ``to`` and ``signals`` joined
        with ``;``, rows in time order per case.
    actors : pandas.DataFrame
        ``actor``, ``silo``, ``label`` of every actor the events name.
    truth : pandas.DataFrame
        The planted convergence, one row per signal: ``case_id``,
        ``signal_id``, ``actor``, ``silo``, ``category``, ``observed_at``,
        ``converged_at`` (ISO text in the case's style, or None when the
        signal stays in its silo up to the horizon), ``converged_by``
        (event_id of the event after which it had converged, or None),
        ``censored``, ``reached_decision_at`` (when an actor that decides
        first knew it, section 5.3 of the case format; None when none did by
        the horizon or the case has no such actor) and ``reached_by`` (the
        event after which it did).
    truth_opportunities : pandas.DataFrame
        One row per withhold, contact and meeting listing signals up to the
        horizon: ``case_id``, ``event_id``, ``kind``, ``time``, ``actor``,
        ``to``, ``missed`` (whether taking it would have brought some signal
        to another silo sooner) and ``planted`` (the shape it was planted
        in: ``cross_silo``, ``before_table``, ``known_not_passed``,
        ``one_silo``, ``nothing_known``, ``after_table``; see the module
        notes).
    truth_cases : pandas.DataFrame
        One row per case: ``case_id``, ``outcome`` (``table``,
        ``table_then_incident``, ``incident_before_table``, ``no_table``),
        ``route`` (``overleg``, ``melding``, ``radar``, or None without a
        table), ``table_at`` / ``table_by`` (the planned first convergence,
        the case's ``first_convergence_at``), ``first_round_at`` /
        ``first_round_by``, ``horizon``, ``horizon_event`` (the incident, or
        None), and counts of ``signals``, ``converged`` and
        ``missed_opportunities``.
    sources, episodes, factors, findings : pandas.DataFrame
        The reviewer's tables (section 5.1 of the case format) as a user
        hands them in: every ``events.source`` with its type and
        reliability; per case a problematic episode around its first
        planted missed opportunity and a good one around its table, each
        with a contributory factor and a finding (:mod:`.review`).

    Examples
    --------
    >>> import casuistry
    >>> synth = casuistry.synthesize("jeugdbescherming", 2, seed=3)
    >>> synth.casebook.case_ids
    ['jb-0001', 'jb-0002']
    >>> sorted(synth.truth.columns) == sorted(TRUTH_SIGNAL_COLUMNS)
    True
    """

    scenario: str
    seed: int
    knobs: Knobs
    events: pd.DataFrame
    actors: pd.DataFrame
    truth: pd.DataFrame
    truth_opportunities: pd.DataFrame
    truth_cases: pd.DataFrame
    sources: pd.DataFrame
    episodes: pd.DataFrame
    factors: pd.DataFrame
    findings: pd.DataFrame

    @cached_property
    def casebook(self):
        """The events, actors and the reviewer's tables validated into a Casebook
        (built on first use).

        Validation includes the identifier guard, as for a user's files.
        """
        from casuistry.io.raw import RawTable
        from casuistry.validation import validate_tables

        def raw(name: str) -> RawTable:
            table = getattr(self, name)
            return RawTable(table, np.arange(2, len(table) + 2), f"{name}.csv")

        review = {name: raw(name) for name in REVIEW_TABLES}
        return validate_tables(raw("events"), raw("actors"), review=review)

    @property
    def n_events(self) -> int:
        """Number of events over all cases."""
        return len(self.events)

    def save(self, folder: str | Path, *, format: str = "csv") -> list[Path]:
        """Write the case tables and the truth into ``folder``.

        Parameters
        ----------
        folder : str or Path
            Created when missing; files of the same name are replaced, other
            files are left alone.
        format : {"csv", "parquet", "xlsx"}
            ``csv`` and ``parquet`` write ``events``, ``actors``, the
            reviewer's ``sources``, ``episodes``, ``factors`` and
            ``findings``, ``truth_signals``, ``truth_opportunities`` and
            ``truth_cases`` files; ``xlsx`` writes ``cases.xlsx`` (sheets
            ``events``, ``actors`` and the reviewer's tables) and
            ``truth.xlsx`` (``signals``, ``opportunities``, ``cases``).

        Returns
        -------
        list of Path
            The files written. They are written together: on an error none
            of them is replaced.

        Examples
        --------
        >>> import tempfile, casuistry
        >>> folder = tempfile.mkdtemp()
        >>> synth = casuistry.synthesize("ondermijning", 1, seed=1)
        >>> [p.name for p in synth.save(folder)][:2]
        ['events.csv', 'actors.csv']
        >>> casuistry.load(folder).case_ids
        ['om-0001']
        """
        from casuistry.io.writers import table_writes, write_together

        folder = Path(folder)
        case_tables = {name: getattr(self, name) for name in ("events", "actors", *REVIEW_TABLES)}
        if format == "xlsx":
            writes = table_writes(folder, case_tables, format=format, workbook="cases")
            truth = {
                "signals": self.truth,
                "opportunities": self.truth_opportunities,
                "cases": self.truth_cases,
            }
            writes |= table_writes(folder, truth, format=format, workbook="truth")
        else:
            truth = {
                "truth_signals": self.truth,
                "truth_opportunities": self.truth_opportunities,
                "truth_cases": self.truth_cases,
            }
            writes = table_writes(folder, case_tables | truth, format=format)
        return write_together(writes)

    def __repr__(self) -> str:
        return (
            f"<Synthetic {self.scenario}: {self.truth_cases.shape[0]} case(s), "
            f"{self.n_events} events, seed {self.seed}>"
        )
