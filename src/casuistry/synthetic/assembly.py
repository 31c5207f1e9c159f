"""Arrow assembly: planned cases gathered column by column into the output tables.

:class:`CaseColumns` plans cases (:mod:`.planner`), orders and names their
events, and gathers the rows of the events table and the three truth tables
as plain lists; :meth:`CaseColumns.finish` turns them into Arrow and NumPy
arrays once, with times as ISO text in each case's style (date-times when
any actor of the case works round the clock, else dates). :func:`frame`
makes the pandas tables the readers would deliver.
"""

from __future__ import annotations

from itertools import islice
from operator import attrgetter
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casuistry.synthetic.calendar import DAY
from casuistry.synthetic.knobs import Knobs
from casuistry.synthetic.lookups import Lookup
from casuistry.synthetic.planner import CasePlan
from casuistry.synthetic.result import (
    TRUTH_CASE_COLUMNS,
    TRUTH_OPPORTUNITY_COLUMNS,
    TRUTH_SIGNAL_COLUMNS,
)
from casuistry.synthetic.review import ReviewColumns, reached, review_stream, sources_table
from casuistry.synthetic.scenarios import Scenario
from casuistry.vocabulary import (
    ACTOR,
    BASIS,
    CASE_ID,
    CATEGORY,
    CONFIDENCE,
    DESCRIPTION,
    EVENT_COLUMNS,
    EVENT_ID,
    KIND,
    LIST_SEPARATOR,
    REASON,
    SEVERITY,
    SIGNALS,
    SILO,
    SOURCE,
    SUBJECT,
    TIME,
    TO,
)


class CaseColumns:
    """Columns of the cases, gathered as plain lists and turned into arrays once."""

    def __init__(self, scenario: Scenario, knobs: Knobs):
        self.scenario = scenario
        self.knobs = knobs
        self.lookup = Lookup(scenario, knobs)
        self.events: dict[str, list] = {name: [] for name in (*EVENT_COLUMNS, "_clock")}
        self.truth: dict[str, list] = {name: [] for name in TRUTH_SIGNAL_COLUMNS}
        self.opportunities: dict[str, list] = {name: [] for name in TRUTH_OPPORTUNITY_COLUMNS}
        self.cases: dict[str, list] = {name: [] for name in TRUTH_CASE_COLUMNS}
        self.truth_clock: list[bool] = []
        self.opportunity_clock: list[bool] = []
        self.case_clock: list[bool] = []
        self.used: set[str] = set()
        self.review = ReviewColumns()
        self.deciders = frozenset(a.name for a in scenario.actors if a.decides)

    def gather(self, seed: int, cases: range, width: int) -> None:
        """Plan the cases of these indices and gather their rows (ids ``width`` digits)."""
        scenario, lookup, knobs = self.scenario, self.lookup, self.knobs
        for index in cases:
            case = CasePlan(scenario, lookup, knobs, seed, index).plan()
            self.add_case(case, f"{scenario.prefix}-{index + 1:0{width}d}", seed, index)

    def add_case(self, case: CasePlan, case_id: str, seed: int, index: int) -> None:
        """Order a planned case, name its events and gather its rows (and its
        reviewer's layer, drawn from a stream of its own: :mod:`.review`)."""
        events = sorted(case.events, key=_KEY)
        n = len(events)
        if n <= len(_EVENT_IDS):
            ids = _EVENT_IDS[:n]
        else:
            width = len(str(n))
            ids = [f"e{number:0{width}d}" for number in range(1, n + 1)]
        for event, event_id in zip(events, ids, strict=True):
            event.event_id = event_id
        actors = list(map(_ACTOR, events))
        clock = list(map(self.lookup.is_clock.__getitem__, actors))
        style = True in clock  # the case has date-times
        to = list(map(_TO, events))
        join = LIST_SEPARATOR.join
        columns = self.events
        columns[CASE_ID].extend([case_id] * n)
        columns[EVENT_ID].extend(ids)
        columns[TIME].extend([e.key[0] for e in events])
        columns["_clock"].extend(clock)
        columns[ACTOR].extend(actors)
        columns[TO].extend([join(parties) or None for parties in to])
        columns[SIGNALS].extend(
            [join([s.event_id for s in e.signals]) if e.signals else None for e in events]
        )
        columns[SEVERITY].extend([e.severity and str(e.severity) for e in events])
        for name, attribute in _ATTRIBUTES.items():
            columns[name].extend(map(attribute, events))
        columns[SOURCE].extend(case.sources(events))
        columns[CONFIDENCE].extend(islice(case.draws, n))  # one draw each, named in finish
        self.used.update(actors, *to)

        horizon = case.incident or events[-1]
        signals = case.signals
        by = [case.converged_by(signal) for signal in signals]
        censored = [event is None for event in by]
        converged = len(by) - sum(censored)
        truth = self.truth
        truth[CASE_ID].extend([case_id] * len(signals))
        truth["signal_id"].extend([s.event_id for s in signals])
        truth[ACTOR].extend([s.actor for s in signals])
        truth[SILO].extend([self.lookup.silo[s.actor] for s in signals])
        truth[CATEGORY].extend([s.category for s in signals])
        truth["observed_at"].extend([s.key[0] for s in signals])
        truth["converged_at"].extend([event and event.key[0] for event in by])
        truth["converged_by"].extend([event and event.event_id for event in by])
        truth["censored"].extend(censored)
        deciders = self.deciders.intersection([*actors, *(p for parties in to for p in parties)])
        reach = reached(events, horizon.key[0], deciders) if deciders else {}
        reach_by = [reach.get(s.bit) for s in signals]
        truth["reached_decision_at"].extend([event and event.key[0] for event in reach_by])
        truth["reached_by"].extend([event and event.event_id for event in reach_by])
        self.truth_clock.extend([style] * len(signals))
        planted = [e for e in events if e.planted is not None and e.key < horizon.key]
        opportunities = self.opportunities
        opportunities[CASE_ID].extend([case_id] * len(planted))
        opportunities[EVENT_ID].extend([e.event_id for e in planted])
        opportunities[KIND].extend([e.kind for e in planted])
        opportunities[TIME].extend([e.key[0] for e in planted])
        opportunities[ACTOR].extend([e.actor for e in planted])
        opportunities[TO].extend([join(e.to) for e in planted])
        opportunities["missed"].extend([e.planted[0] for e in planted])
        opportunities["planted"].extend([e.planted[1] for e in planted])
        self.opportunity_clock.extend([style] * len(planted))
        missed = next((e for e in planted if e.planted[0]), None)
        self.review.add_case(case_id, missed, case.table, review_stream(seed, index))

        table, first = case.table, case.first_round
        if case.incident is None:
            outcome = "table" if table else "no_table"
        else:
            outcome = "table_then_incident" if table else "incident_before_table"
        row = (
            case_id,
            outcome,
            table and case.route,
            table and table.key[0],
            table and table.event_id,
            first and first.key[0],
            first and first.event_id,
            horizon.key[0],
            case.incident and case.incident.event_id,
            len(case.signals),
            converged,
            sum(e.planted[0] for e in planted),
        )
        for name, value in zip(TRUTH_CASE_COLUMNS, row, strict=True):
            self.cases[name].append(value)
        self.case_clock.append(style)

    def finish(self) -> Part:
        """The gathered rows as arrays, times as ISO text."""
        columns = self.events
        columns[TIME] = _iso(columns[TIME], columns.pop("_clock"))
        columns[CONFIDENCE] = _confidence(columns[CONFIDENCE])
        for table, clock, names in (
            (
                self.truth,
                self.truth_clock,
                ("observed_at", "converged_at", "reached_decision_at"),
            ),
            (self.opportunities, self.opportunity_clock, (TIME,)),
            (self.cases, self.case_clock, ("table_at", "first_round_at", "horizon")),
        ):
            for name in names:
                table[name] = _iso(table[name], clock)
        return Part(
            events=arrays(columns),
            truth=arrays(self.truth, flags=("censored",)),
            truth_opportunities=arrays(self.opportunities, flags=("missed",)),
            truth_cases=arrays(self.cases, counts=("signals", "converged", "missed_opportunities")),
            sources=arrays(sources_table(columns[SOURCE])),
            episodes=arrays(self.review.episodes),
            factors=arrays(self.review.factors),
            findings=arrays(self.review.findings),
            used=self.used,
        )


#: The tables of a :class:`Part`, named as the attributes of :class:`Synthetic`.
PART_TABLES = (
    "events",
    "truth",
    "truth_opportunities",
    "truth_cases",
    "sources",
    "episodes",
    "factors",
    "findings",
)


class Part(NamedTuple):
    """The tables of a run of consecutive cases, column by column."""

    events: dict[str, pa.Array]
    truth: dict[str, pa.Array | np.ndarray]
    truth_opportunities: dict[str, pa.Array | np.ndarray]
    truth_cases: dict[str, pa.Array | np.ndarray]
    sources: dict[str, pa.Array]
    episodes: dict[str, pa.Array]
    factors: dict[str, pa.Array]
    findings: dict[str, pa.Array]
    used: set[str]


_KEY = attrgetter("key")
_ACTOR = attrgetter("actor")
_TO = attrgetter("to")
#: Event columns that are an attribute of the event as it is.
_ATTRIBUTES = {
    KIND: attrgetter("kind"),
    CATEGORY: attrgetter("category"),
    BASIS: attrgetter("basis"),
    REASON: attrgetter("reason"),
    DESCRIPTION: attrgetter("text"),
    SUBJECT: attrgetter("subject"),
}
#: Event ids of cases with up to 999 events.
_EVENT_IDS = tuple(f"e{number:03d}" for number in range(1, 1000))
#: Confidence of an event by the number of these thresholds its draw reaches.
_CONFIDENCES = pa.array(["certain", "likely", "uncertain"], type=pa.large_string())
_MINUTES = pa.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)], type=pa.large_string())


def _iso(ticks: list, clock: list) -> pa.Array:
    """ISO text of ticks: date-times (to the minute) where ``clock``, else dates.

    A None tick gives a null. Each distinct day is formatted once.
    """
    moments = pa.array(ticks, type=pa.int64())
    days, seconds = np.divmod(moments.fill_null(0).to_numpy(), DAY)
    unique_days, day_index = np.unique(days, return_inverse=True)
    day_text = np.datetime_as_string(unique_days.astype("datetime64[D]"), unit="D").tolist()
    dates = pa.array(day_text, type=pa.large_string()).take(pa.array(day_index.ravel()))
    minutes = _MINUTES.take(pa.array(seconds // 60))
    stamps = pc.binary_join_element_wise(dates, minutes, pa.scalar("T", pa.large_string()))
    text = pc.if_else(pa.array(np.asarray(clock, dtype=bool)), stamps, dates)
    return pc.if_else(moments.is_valid(), text, pa.scalar(None, type=pa.large_string()))


def _confidence(draws: list[float]) -> pa.Array:
    """Confidence cells from one uniform draw each: ``certain`` below 0.85,
    ``likely`` below 0.97, else ``uncertain``."""
    x = np.asarray(draws, dtype=float)
    return _CONFIDENCES.take(pa.array((x >= 0.85).astype(np.int8) + (x >= 0.97)))


def arrays(columns: dict[str, list | pa.Array], *, flags: tuple = (), counts: tuple = ()) -> dict:
    """Columns as arrays: ``flags`` as NumPy bool, ``counts`` as NumPy int64, the
    rest text (None for missing) as Arrow strings."""
    out = {}
    for name, values in columns.items():
        if name in flags:
            out[name] = np.array(values, dtype=bool)
        elif name in counts:
            out[name] = np.array(values, dtype=np.int64)
        elif isinstance(values, pa.Array):
            out[name] = values
        else:
            out[name] = pa.array(values, type=pa.large_string())
    return out


def frame(columns: dict[str, pa.Array | np.ndarray]) -> pd.DataFrame:
    """A table of :func:`arrays` columns: text as a pandas ``string`` column with
    NA, as the readers deliver one."""
    return pd.DataFrame(
        {
            name: pd.Series(
                values if isinstance(values, np.ndarray) else pd.arrays.ArrowStringArray(values)
            )
            for name, values in columns.items()
        }
    )
