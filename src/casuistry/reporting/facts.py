"""The facts of one case that every section of a report reads.

:class:`CaseFacts` gathers, once, the one-case tables of an analysis, the
case's events as written, the names of actors and silos, how times are
written, and a reference to every event (its ``event_id``, ``source`` and the
anchor of its row in the report's event register), so that each finding can
name the events it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from casuistry.presentation.clock import Clock
from casuistry.presentation.missing import missing, shown
from casuistry.presentation.texts import Texts
from casuistry.vocabulary import ACTOR, EVENT_COLUMNS, EVENT_ID, LABEL, SILO, SOURCE, TICKS


def complete_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events with every column of the case format, missing optional ones empty.

    A Casebook keeps only the optional columns its input had; the report
    reads them all.
    """
    missing_columns = [c for c in EVENT_COLUMNS if c not in events.columns]
    return events.reindex(columns=[*events.columns, *missing_columns]).reset_index(drop=True)


@dataclass(frozen=True)
class Ref:
    """A pointer from a finding to an event: its id, source and anchor."""

    event_id: str
    source: str
    anchor: str


class CaseFacts:
    """One case of an analysis, ready to be written about.

    Parameters
    ----------
    analysis : casuistry.Analysis
        The analysis (of one or many cases).
    case_id : str
        The case to report on.
    lang : {"nl", "en"}
        The language of the report.
    calendar_dates : bool
        Write calendar dates instead of days since the first event.

    Raises
    ------
    UnknownCase
        When the analysis has no such case.
    """

    def __init__(self, analysis, case_id: str, *, lang: str, calendar_dates: bool):
        self.texts = Texts(lang)
        self.analysis = analysis.case(case_id)
        self.book = self.analysis.casebook
        self.case_id = self.book.case_ids[0]
        self.case = self.analysis.cases.iloc[0].to_dict()
        self.style = self.case["time_style"]
        self.events = complete_events(self.book.events)
        self.clock = Clock.of_case(self.analysis, self.texts, calendar_dates=calendar_dates)
        self.signals = self.analysis.signals
        self.opportunities = self.analysis.opportunities
        self.silo_pairs = self.analysis.silo_pairs
        self.knowledge = self.analysis.knowledge
        actors = self.book.actors
        self.label_of = dict(zip(actors[ACTOR], actors[LABEL], strict=True))
        self.silo_of = dict(zip(actors[ACTOR], actors[SILO], strict=True))

    @cached_property
    def horizon_day(self) -> float:
        """The horizon as days since the first event."""
        return self.clock.day(self.case["horizon"])

    @cached_property
    def event_days(self) -> pd.Series:
        """Days since the first event, per event (index of :attr:`events`)."""
        return self.events[TICKS].map(self.clock.day_of_ticks)

    @cached_property
    def in_horizon(self) -> pd.Series:
        """Whether each event takes part in the figures (its time is not after the horizon)."""
        return self.event_days <= self.horizon_day

    @cached_property
    def refs(self) -> dict[str, Ref]:
        """A :class:`Ref` per ``event_id``; the anchor is the row in the event register."""
        out = {}
        for position, (event_id, source) in enumerate(
            zip(self.events[EVENT_ID], self.events[SOURCE], strict=True)
        ):
            out[str(event_id)] = Ref(str(event_id), self.text(source), f"ev-{position}")
        return out

    def ref(self, event_id) -> Ref | None:
        """The reference of an event, or None for a missing id."""
        return None if missing(event_id) else self.refs[str(event_id)]

    def refs_of(self, event_ids) -> list[Ref]:
        """References of several events, skipping missing ids, without repeats."""
        seen: dict[str, Ref] = {}
        for event_id in event_ids:
            ref = self.ref(event_id)
            if ref is not None:
                seen.setdefault(ref.event_id, ref)
        return list(seen.values())

    def who(self, actor) -> str:
        """An actor's display label."""
        return str(self.label_of.get(actor, actor))

    def whom(self, actors) -> str:
        """Several actors' labels, comma separated."""
        return ", ".join(self.who(a) for a in actors)

    def when(self, value) -> str:
        """A table time as the report writes it."""
        return self.clock.label(value)

    @staticmethod
    def text(value) -> str:
        """A cell as text, empty when missing."""
        return shown(value)

    def event(self, event_id) -> dict:
        """The row of an event as a dict."""
        rows = self.events[self.events[EVENT_ID] == str(event_id)]
        return rows.iloc[0].to_dict()
