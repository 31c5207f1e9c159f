"""Synthetic case timelines with planted truth.

:func:`synthesize` draws cases of one scenario (:mod:`.scenarios`) from a
*plan* whose outcome is known by construction, not by running the analysis:
which event made every signal converge, and which withholds and contacts
were missed opportunities. The analysis (:func:`casuistry.analyse`) must find
exactly that; the tests check it.

The plan of a case
------------------
Every case has a *hub* (the organisation that convenes: a neighbourhood team,
Veilig Thuis, a Zorg- en Veiligheidshuis, the public prosecutor) that never
observes signals itself, and *observers* of at least two silos that do.

1. **Signals.** Each observer sees signals at a rate that grows as trouble
   grows (density rising with time), on its own rhythm: offices on working
   days, schools on school days and never in the holidays, police and coast
   guard at any hour. An incident ends some cases; no signal comes after it.
2. **Before the table.** Each signal leads to a decision some days later:
   an ordinary share inside the silo (listing the signal), an attempt to
   take it to another silo, a withhold, or nothing. Until the first
   successful attempt every share stays inside one silo and lists its
   signals, so *nobody knows signals of two silos*: nothing converges.
3. **The table** (the planned convergence ``T``), by the scenario's route:
   a case meeting of the hub with some observers (``overleg``), a share of
   everything one observer knows with an observer of another silo that
   holds signals (``melding``), or the first report to the hub from a second
   silo after earlier reports from one (``radar``). The signals known then
   to the parties whose knowledge is pooled (the *feeders*) converge at
   ``T``: call that set ``C``.
4. **First round.** ``meeting_cadence_days`` later the hub convenes a
   meeting of all observers that pools everything (``R``). Every signal not
   in ``C`` and observed before ``R`` converges there; from ``R`` on all
   observers know signals of two silos, so every later signal converges at
   its own observation. Between ``T`` and ``R`` only the parties that
   received the pooled knowledge at ``T`` (the *receivers*) see their new
   signals converge at once; nothing else moves information.
5. **After the first round**: follow-up meetings (some listing signals),
   updates to the hub, followers (a certified institution, the public
   prosecutor), actions, and withholds and contacts that can no longer gain.

Planted opportunities
---------------------
Every withhold and contact, and every meeting that lists signals, is placed
where its counterfactual (docs/case_format.md, section 2) is known:

``cross_silo`` (missed)
    Before ``T``: the parties between them knew signals of two silos, so
    taking the opportunity would have made them converge at once, while in
    fact nothing converges before ``T``.
``before_table`` (missed)
    Before ``T``, inside one silo or with the hub: a party whose knowledge
    is pooled at ``T`` would have brought signals to the table that in fact
    only converge at ``R`` or never.
``known_not_passed`` (missed)
    Between ``T`` and ``R``: a party that knew signals of two silos, and one
    outside the receivers that held a signal not yet converged.
``one_silo``, ``nothing_known`` (not missed)
    Before ``T``: only signals of one silo would have moved, to parties that
    bring nothing extra to the table; or nothing at all.
``after_table`` (not missed)
    After ``R``, when every signal converges at its own observation.

Why the truth is exact
----------------------
Rows are written in processing order (time, then kind), so ties are
resolved as planned. Before ``T`` every share lists its signals and stays
inside a silo (radar reports come from one silo), so every actor knows
signals of one silo at most. An opportunity is planted only where its
counterfactual keeps that true, or breaks it at once (``cross_silo``): the
extra knowledge goes to a party of the same silo, or to the hub when it
will receive nothing else (or only reports of that very silo) before ``T``.
Its only later effect is then on what the feeders pool at ``T``, which is
checked (``before_table`` when it adds a signal). Between ``T`` and ``R``
nothing moves information but the table itself, and at ``R`` everyone pools
everything, so the counterfactual and the actual run agree again. No
opportunity falls on the day (tick) of ``T`` or ``R``, so a planted missed
opportunity always gains a positive time and every other gains none. An
incident is the horizon: everything planned comes before it, and the
reports and actions that follow it come on later days and take no part.
"""

from __future__ import annotations

import contextlib
import math
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, chain, islice, repeat
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casuistry.errors import CasuistryError
from casuistry.synthetic.calendar import DAY, clock_seconds, next_day_ticks
from casuistry.synthetic.knobs import Knobs, resolve_knobs
from casuistry.synthetic.scenarios import (
    ABOUT_A_CHILD,
    ABOUT_AN_ADULT,
    CATEGORY_NL,
    CLOCK,
    EVENT_TEXTS,
    MELDING,
    OVERLEG,
    RADAR,
    SCENARIOS,
    SCHOOL,
    SIGNAL_TEXTS,
    Scenario,
)
from casuistry.vocabulary import (
    ACTION,
    ACTOR,
    BASIS,
    CASE_ID,
    CATEGORY,
    CONFIDENCE,
    CONTACT,
    DESCRIPTION,
    EVENT_COLUMNS,
    EVENT_ID,
    INCIDENT,
    KIND,
    LABEL,
    LIST_SEPARATOR,
    MEETING,
    REASON,
    REASONS,
    SEVERITY,
    SHARE,
    SIGNAL,
    SIGNALS,
    SILO,
    SOURCE,
    SUBJECT,
    TIME,
    TO,
    WITHHOLD,
)

#: Processing order of events on the same tick (rows are written in this order).
PRIORITY = {SIGNAL: 0, SHARE: 1, WITHHOLD: 2, CONTACT: 2, MEETING: 3, ACTION: 4, INCIDENT: 5}
#: Signals have density proportional to ``t ** GROWTH`` over a case: trouble grows.
GROWTH = 1.5
#: Contacts grow too, more slowly: density proportional to ``t ** CONTACT_GROWTH``.
CONTACT_GROWTH = 0.75
#: Chance that an observer is invited to a case meeting (the first round invites all).
INVITE = 0.6
#: Chance that a decision comes with an action of the observer (a talk, a colleague consulted).
OBSERVER_ACTION = 0.12
#: Chance that a follow-up meeting lists the signals it is about.
LISTED_MEETING = 0.3
#: Chance that a share records its legal basis, and a withhold its reason.
BASIS_RECORDED = 0.85
REASON_RECORDED = 0.9
#: Chance that a withhold lists the signal it concerns (else it withholds all the sender knows).
WITHHOLD_LISTS = 0.8

# Phases of a time relative to the table (T) and the first round (R).
_BEFORE, _WINDOW, _AFTER = "before", "window", "after"
#: Cases per chunk: a step of the progress bar.
CHUNK_CASES = 1_000

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
)
TRUTH_OPPORTUNITY_COLUMNS = (CASE_ID, EVENT_ID, KIND, TIME, ACTOR, "to", "missed", "planted")
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
        ``censored``.
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

    @cached_property
    def casebook(self):
        """The events and actors validated into a Casebook (built on first use).

        Validation includes the identifier guard, as for a user's files.
        """
        from casuistry.io.raw import RawTable
        from casuistry.validation import validate_tables

        events = RawTable(self.events, np.arange(2, len(self.events) + 2), "events.csv")
        actors = RawTable(self.actors, np.arange(2, len(self.actors) + 2), "actors.csv")
        return validate_tables(events, actors)

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
            ``csv`` and ``parquet`` write ``events``, ``actors``,
            ``truth_signals``, ``truth_opportunities`` and ``truth_cases``
            files; ``xlsx`` writes ``cases.xlsx`` (sheets ``events`` and
            ``actors``) and ``truth.xlsx`` (``signals``, ``opportunities``,
            ``cases``).

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
        case_tables = {"events": self.events, "actors": self.actors}
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


def synthesize(
    scenario: str, n_cases: int, *, seed: int, progress: bool | None = False, **knobs
) -> Synthetic:
    """Draw synthetic cases of a scenario, with the planted truth.

    Parameters
    ----------
    scenario : str
        ``jeugdbescherming``, ``huiselijk_geweld``, ``ondermijning``,
        ``publiek_privaat`` or ``douane_kustwacht``.
    n_cases : int
        Number of cases (ids ``<prefix>-0001`` on).
    seed : int, keyword-only
        The only source of randomness. Case ``k`` depends on the seed, the
        scenario, the knobs and ``k`` alone, so it is the same in a corpus
        of any size.
    progress : bool or None, keyword-only
        Show a progress bar on stderr; None shows one for 2,000 cases or
        more when stderr is a terminal.
    **knobs
        ``share_propensity``, ``withhold_propensity``, ``reason_mix``,
        ``contact_frequency``, ``meeting_cadence_days``, ``n_organisations``,
        ``case_length_days``, ``incident_rate``, ``start``; see
        :mod:`casuistry.synthetic.knobs` for meanings and defaults.

    Returns
    -------
    Synthetic
        ``events`` and ``actors`` in the case format, the ``casebook``
        (validated on first use) and the truth tables.

    Raises
    ------
    CasuistryError
        For an unknown scenario or knob, a value out of range, or a bad
        ``n_cases`` or ``seed``.

    Examples
    --------
    >>> import casuistry
    >>> synth = casuistry.synthesize("huiselijk_geweld", 3, seed=1)
    >>> synth.truth_cases["case_id"].tolist()
    ['hg-0001', 'hg-0002', 'hg-0003']
    >>> synth.events.equals(casuistry.synthesize("huiselijk_geweld", 3, seed=1).events)
    True
    >>> quiet = casuistry.synthesize("huiselijk_geweld", 20, seed=1, withhold_propensity=0)
    >>> "withhold" in set(quiet.events["kind"])
    False
    """
    try:
        recipe = SCENARIOS[scenario]
    except (KeyError, TypeError):
        raise CasuistryError(
            f"unknown scenario {scenario!r}; choose one of: " + ", ".join(SCENARIOS)
        ) from None
    if not _is_whole(n_cases) or n_cases < 1:
        raise CasuistryError(f"n_cases={n_cases!r}: give a whole number of cases, 1 or more")
    if not _is_whole(seed) or seed < 0:
        raise CasuistryError(f"seed={seed!r}: give a whole number, 0 or more")
    settings = resolve_knobs(recipe, knobs)
    if progress is None:
        progress = n_cases >= 2_000 and sys.stderr.isatty()
    part = _plan(recipe, settings, int(seed), int(n_cases), bool(progress))
    actors = [a for a in recipe.actors if a.name in part.used]
    actor_columns = {
        ACTOR: [a.name for a in actors],
        SILO: [a.silo for a in actors],
        LABEL: [a.label for a in actors],
    }
    return Synthetic(
        scenario=recipe.name,
        seed=int(seed),
        knobs=settings,
        actors=_frame(_arrays(actor_columns)),
        **{table: _frame(getattr(part, table)) for table in _PART_TABLES},
    )


def _is_whole(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _plan(recipe: Scenario, knobs: Knobs, seed: int, n_cases: int, progress: bool) -> _Part:
    """Plan and gather every case, chunk by chunk.

    Everything runs in this process: forking workers from a process that has
    threads (a notebook kernel always has) can hang, and a case depends on
    nothing but its index, so a caller who wants more cores can run ranges of
    seeds in processes of their own.
    """
    width = max(4, len(str(n_cases)))
    tables = _Tables(recipe, knobs)
    with _progress(recipe.name, n_cases, progress) as done:
        for start in range(0, n_cases, CHUNK_CASES):
            cases = range(start, min(start + CHUNK_CASES, n_cases))
            tables.gather(seed, cases, width)
            done(len(cases))
    return tables.finish()


@contextlib.contextmanager
def _progress(scenario: str, n_cases: int, show: bool) -> Iterator[Callable[[int], object]]:
    """A function to count cases done on a progress bar (tqdm, on stderr), or on none."""
    if not show:
        yield lambda cases: None
        return
    from tqdm import tqdm

    with tqdm(total=n_cases, desc=f"synth {scenario}", unit="case", file=None) as bar:
        yield bar.update


def _uniforms(generator: np.random.Generator) -> Iterator[float]:
    """An endless stream of uniform numbers in [0, 1), drawn in blocks of 256."""
    return chain.from_iterable(map(np.ndarray.tolist, map(generator.random, repeat(256))))


def _cumulative(pairs) -> tuple[tuple, list[float]]:
    """``(items, cumulative weights)`` for :meth:`_Case.weighted`."""
    pairs = list(pairs)
    items = tuple(item for item, _ in pairs)
    return items, list(accumulate(float(weight) for _, weight in pairs))


def _fitting(subjects, category: str):
    """The subject roles a signal of ``category`` can be about: children for what
    is seen of a child, adults for what adults do, all roles otherwise (or when the
    scenario has none of the fitting kind)."""
    if category in ABOUT_A_CHILD:
        fitting = [(role, w) for role, w in subjects if role.startswith("kind")]
    elif category in ABOUT_AN_ADULT:
        fitting = [(role, w) for role, w in subjects if not role.startswith("kind")]
    else:
        fitting = []
    return fitting or list(subjects)


class _Lookup:
    """Facts of a scenario and its knobs, as plain dicts and tables for the hot loop."""

    def __init__(self, scenario: Scenario, knobs: Knobs):
        self.silo = {a.name: a.silo for a in scenario.actors}
        self.label = {a.name: a.label for a in scenario.actors}
        self.is_clock = {a.name: a.rhythm == CLOCK for a in scenario.actors}
        self.first_day, office = next_day_ticks(False)
        _, school = next_day_ticks(True)
        #: Per actor, the tick of its next day to act (None for the clock rhythm).
        self.day_ticks = {
            a.name: None if a.rhythm == CLOCK else school if a.rhythm == SCHOOL else office
            for a in scenario.actors
        }
        self.spec = {a.name: a for a in scenario.actors}
        self.observes = {a.name: _cumulative(a.observes) for a in scenario.actors if a.observes}
        self.partners: dict[str, list[str]] = {}
        for sender, recipient in scenario.same_silo:
            self.partners.setdefault(sender, []).append(recipient)
        self.hubs = _cumulative(scenario.hubs)
        self.routes = _cumulative(scenario.routes)
        self.subjects = _cumulative(scenario.subjects)
        self.subjects_for = {
            category: _cumulative(_fitting(scenario.subjects, category))
            for category in SIGNAL_TEXTS
        }
        self.reasons = _cumulative(knobs.reason_mix.items())
        self.capital = {role: role[:1].upper() + role[1:] for role, _ in scenario.subjects}
        self.signal_texts = {
            (category, role): tuple(t.format(s=role, S=self.capital[role]) for t in texts)
            for category, texts in SIGNAL_TEXTS.items()
            for role, _ in scenario.subjects
        }
        #: Texts (see :meth:`texts`) and partners (:meth:`partners_among`) worked out so far.
        self.said: dict[tuple, tuple[str, ...]] = {}
        self.among: dict[tuple, dict[str, list[str]]] = {}
        minutes = tuple(f"verslag casusoverleg p.{page}" for page in range(1, 61))
        files = {
            a.name: tuple(a.source.format(page=page, ref=ref) for page, ref in _PAGES_AND_REFS)
            if "{" in a.source
            else (a.source,)
            for a in scenario.actors
        }

        def where(kind: str, actor: str) -> str | tuple[str, ...]:
            if kind == INCIDENT:
                return "calamiteitenonderzoek"
            if kind in (CONTACT, WITHHOLD):
                return f"interview {self.label[actor].lower()}"
            return minutes if kind == MEETING else files[actor]

        #: Where a reconstruction finds an event, per kind and actor: a fixed text,
        #: or the options one draw picks from (see :meth:`_Case.sources`).
        self.found = {kind: {name: where(kind, name) for name in self.label} for kind in PRIORITY}

    def partners_among(self, observers: tuple[str, ...]) -> dict[str, list[str]]:
        """Recipients of ordinary shares inside a silo per sender, among ``observers``
        (worked out once per set of observers)."""
        partners = self.among.get(observers)
        if partners is None:
            partners = self.among[observers] = {
                sender: [p for p in recipients if p in observers]
                for sender, recipients in self.partners.items()
            }
        return partners

    def texts(self, key: tuple) -> tuple[str, ...]:
        """The texts of an :data:`EVENT_TEXTS` group with their fields filled in.

        ``key`` is ``(group, to, category, subject, reason)``; each key is
        formatted once and remembered in :attr:`said`.
        """
        group, to, category, subject, reason = key
        fields = {
            "to": self.label.get(to, to),
            "what": CATEGORY_NL[category] if category is not None else "de zorgen",
            "reason": reason,
            "s": subject,
            "S": self.capital.get(subject, subject),
        }
        texts = self.said[key] = tuple(text.format(**fields) for text in EVENT_TEXTS[group])
        return texts


class _Event:
    __slots__ = (
        "actor",
        "basis",
        "bit",
        "category",
        "event_id",
        "key",
        "kind",
        "planted",
        "reason",
        "severity",
        "signals",
        "subject",
        "text",
        "to",
    )

    def __init__(
        self,
        key,
        kind,
        actor,
        text,
        to,
        signals,
        category,
        severity,
        basis,
        reason,
        subject,
        planted,
    ):
        self.key = key  # (tick, priority, creation number): the processing order
        self.kind = kind
        self.actor = actor
        self.text = text
        self.to = to
        self.signals = signals  # signal events
        self.category = category
        self.severity = severity
        self.basis = basis
        self.reason = reason
        self.subject = subject
        self.planted = planted  # (missed, shape) for opportunities, else None
        self.bit = -1  # signals: number in order of observation
        self.event_id = ""


class _Case:
    """The plan of one case: draws, events, and what they are known to do."""

    def __init__(self, scenario: Scenario, lookup: _Lookup, knobs: Knobs, seed: int, index: int):
        self.sc = scenario
        self.lk = lookup
        self.kn = knobs
        self.draws = _uniforms(np.random.default_rng([seed, index]))
        self.u = self.draws.__next__
        self.n = 0
        self.events: list[_Event] = []
        self.acquired: dict[str, list[tuple[tuple, int]]] = {}
        self.silo_masks: dict[str, int] = {}
        self.signals: list[_Event] = []
        self.table: _Event | None = None
        self.first_round: _Event | None = None
        self.incident: _Event | None = None
        self.feeders: frozenset = frozenset()
        self.receivers: frozenset = frozenset()
        self.pooled = 0  # C: the signals that converge at the table
        self.hub_silo: str | None = None

    # --- draws ----------------------------------------------------------------

    def below(self, n: int) -> int:
        return int(self.u() * n)

    def pick(self, items):
        return items[int(self.u() * len(items))]

    def weighted(self, table: tuple[tuple, list[float]]):
        items, cumulative = table
        return items[bisect_right(cumulative, self.u() * cumulative[-1])]

    def poisson(self, mean: float) -> int:
        limit, k, p = math.exp(-mean), 0, self.u()
        while p > limit:
            k += 1
            p *= self.u()
        return k

    # --- events ---------------------------------------------------------------

    def tick(self, actor: str, day: int) -> int:
        """The moment an actor of its rhythm acts on (or after) ``day``."""
        ticks = self.lk.day_ticks[actor]
        if ticks is None:
            return day * DAY + clock_seconds(self.u())
        return ticks[day - self.lk.first_day]

    def key(self, tick: int, kind: str) -> tuple:
        """The processing key the next event of this kind at ``tick`` will get."""
        return (tick, PRIORITY[kind], self.n)

    def add(
        self,
        tick: int,
        kind: str,
        actor: str,
        text: str,
        to=(),
        signals=(),
        category=None,
        severity=None,
        basis=None,
        reason=None,
        subject=None,
        planted=None,
    ) -> _Event:
        event = _Event(
            (tick, PRIORITY[kind], self.n),
            kind,
            actor,
            text,
            to,
            signals,
            category,
            severity,
            basis,
            reason,
            subject,
            planted,
        )
        self.n += 1
        self.events.append(event)
        return event

    def say(
        self,
        group: str,
        *,
        to: str = "",
        about: _Event | None = None,
        subject: str = "",
        reason: str = "",
    ) -> str:
        key = (group, to, None if about is None else about.category, subject, reason)
        texts = self.lk.said.get(key) or self.lk.texts(key)
        return texts[int(self.u() * len(texts))]

    def subject(self) -> str:
        return self.weighted(self.lk.subjects)

    def basis(self, group: str) -> str | None:
        return self.pick(self.sc.bases[group]) if self.u() < BASIS_RECORDED else None

    # --- knowledge ------------------------------------------------------------

    def knows(self, actor: str, key: tuple) -> int:
        """Signals (bitmask) the actor knows before ``key``, as far as it matters here.

        Only acquisitions before the table are recorded: own signals and
        shares inside a silo, and reports to the hub on the ``radar`` route.
        """
        mask = 0
        for when, bits in self.acquired.get(actor, ()):
            if when < key:
                mask |= bits
        return mask

    def silos_in(self, mask: int) -> list[str]:
        return [silo for silo, bits in self.silo_masks.items() if bits & mask]

    def listed(self, mask: int) -> tuple:
        return tuple(s for s in self.signals if mask >> s.bit & 1)

    def phase(self, tick: int) -> str | None:
        """Where a moment lies: before the table, in the window up to the first
        round, after it; None on the very day (tick) of either."""
        if self.table is None or tick < self.table.key[0]:
            return _BEFORE
        if tick == self.table.key[0]:
            return None
        if self.first_round is None or tick < self.first_round.key[0]:
            return _WINDOW
        if tick == self.first_round.key[0]:
            return None
        return _AFTER

    # --- the plan ---------------------------------------------------------------

    def plan(self) -> _Case:
        sc, kn = self.sc, self.kn
        self.start = kn.start_day + self.below(365)
        self.end = (self.start + kn.case_length_days) * DAY
        self.hub = self.weighted(self.lk.hubs)
        self.observers = self._observers()
        self.followers = [f for f in sc.followers if self.u() < 0.5]
        self.limit = self.end
        self.ending = None
        if self.u() < kn.incident_rate:
            day = self.start + int(kn.case_length_days * (0.4 + 0.6 * self.u()))
            involved = [pair for pair in sc.incidents if pair[0] in self.observers]
            self.ending = self.pick(involved or sc.incidents)
            self.limit = self.tick(self.ending[0], day)
        self.route = self.weighted(self.lk.routes)
        self._signals()
        post = self._decisions()
        if self.table is not None:
            for feeder in self.feeders:
                self.pooled |= self.knows(feeder, self.table.key)
            self._rounds()
        self._after_decisions(post)
        self._contacts()
        self._ending()
        return self

    def _observers(self) -> tuple[str, ...]:
        """The organisations that see signals: a weighted draw without replacement
        (the largest ``u ** (1 / weight)`` win), of at least two silos."""
        names = self.sc.observers
        keys = [self.u() ** (1 / self.lk.spec[name].weight) for name in names]
        ranked = sorted(range(len(names)), key=keys.__getitem__, reverse=True)
        chosen = sorted(ranked[: self.kn.n_organisations - 1])
        silos = {self.lk.silo[names[i]] for i in chosen}
        if len(silos) < 2:
            others = [i for i in ranked if self.lk.silo[names[i]] not in silos]
            chosen = sorted([*chosen[:-1], others[0]])
        return tuple(names[i] for i in chosen)

    def _signals(self) -> None:
        start, limit = self.start, self.limit
        span = (limit - start * DAY) / DAY
        u, lk, signals = self.u, self.lk, self.signals
        for observer in self.observers:
            spec = lk.spec[observer]
            categories, cumulative = lk.observes[observer]
            total = cumulative[-1]
            school = lk.day_ticks[observer] if spec.rhythm == SCHOOL else None
            for _ in range(self.poisson(spec.rate * span / 90)):
                fraction = u() ** _SIGNAL_EXPONENT
                day = start + int(fraction * span)
                severity = min(4, 1 + int(3 * fraction + 0.8 * u()))
                category = categories[bisect_right(cumulative, u() * total)]
                if school is not None and school[day - lk.first_day] > (day + 3) * DAY:
                    continue  # school holidays: no signals from school
                tick = self.tick(observer, day)
                if tick >= limit:
                    continue
                subject = self.weighted(lk.subjects_for[category])
                texts = lk.signal_texts[category, subject]
                signals.append(
                    self.add(
                        tick,
                        SIGNAL,
                        observer,
                        texts[int(u() * len(texts))],
                        category=category,
                        severity=severity,
                        subject=subject,
                    )
                )
        signals.sort(key=_KEY)
        masks, acquired, silo_of = self.silo_masks, self.acquired, lk.silo
        for bit, signal in enumerate(signals):
            signal.bit = bit
            silo = silo_of[signal.actor]
            masks[silo] = masks.get(silo, 0) | 1 << bit
            acquired.setdefault(signal.actor, []).append((signal.key, 1 << bit))

    def _decisions(self) -> list[tuple]:
        """Walk the decisions on signals in time order up to the table.

        Returns the decisions taken at or after the table, to be placed once
        the first round is known.
        """
        share_propensity = self.kn.share_propensity
        withhold_propensity = self.kn.withhold_propensity
        decisions = []
        for signal in self.signals:
            tick = self.tick(signal.actor, signal.key[0] // DAY + 1 + self.below(7))
            if tick < self.limit:
                decisions.append((tick, signal.bit, signal))
        decisions.sort()
        partners_of = self.lk.partners_among(self.observers)
        self.withholds_before: list[tuple] = []
        post = []
        for tick, _, signal in decisions:
            sender = signal.actor
            to_other_silo = share_propensity * (signal.severity / 5) ** 2
            r = self.u()
            share = r < to_other_silo
            withhold = not share and r < to_other_silo + (1 - to_other_silo) * withhold_propensity
            partners = partners_of.get(sender)
            inside = self.pick(partners) if partners and self.u() < share_propensity else None
            if self.u() < OBSERVER_ACTION:
                self.add(
                    tick,
                    ACTION,
                    sender,
                    self.say("observer_action", subject=signal.subject),
                    signals=(signal,),
                    subject=signal.subject,
                )
            if self.table is None or self.key(tick, SHARE) < self.table.key:
                if inside:
                    self._share_inside(tick, sender, inside, signal, record=True)
                if self.table is None and share:
                    self._open_table(tick, sender, signal)
                elif withhold:
                    self.withholds_before.append((tick, sender, signal))
            else:
                post.append((tick, signal, share, withhold, inside))
        return post

    def _share_inside(self, tick, sender, recipient, signal, *, record: bool) -> None:
        event = self.add(
            tick,
            SHARE,
            sender,
            self.say("same_silo", to=recipient, about=signal),
            to=(recipient,),
            signals=(signal,),
            basis=self.basis("same_silo"),
            subject=signal.subject,
        )
        if record:
            self.acquired.setdefault(recipient, []).append((event.key, 1 << signal.bit))

    def _open_table(self, tick: int, sender: str, signal: _Event) -> None:
        silo_of = self.lk.silo
        subject = signal.subject
        if self.route == OVERLEG:
            when = self.tick(self.hub, tick // DAY + 2 + self.below(8))
            invited = [o for o in self.observers if o == sender or self.u() < INVITE]
            if when >= self.limit:
                return
            key = self.key(when, MEETING)
            pooled = 0
            for member in invited:
                pooled |= self.knows(member, key)
            if len(self.silos_in(pooled)) < 2:
                return
            self.table = self.add(
                when,
                MEETING,
                self.hub,
                self.say("table_meeting", subject=subject),
                to=tuple(invited),
                subject=subject,
            )
            self.feeders = self.receivers = frozenset([*invited, self.hub])
        elif self.route == MELDING:
            key = self.key(tick, SHARE)
            holders = [
                o for o in self.observers if silo_of[o] != silo_of[sender] and self.knows(o, key)
            ]
            if not holders:
                return
            recipient = self.pick(holders)
            text = self.say("melding", to=recipient, about=signal, subject=subject)
            self.table = self.add(
                tick,
                SHARE,
                sender,
                text,
                to=(recipient,),
                basis=self.basis("report"),
                subject=subject,
            )
            self.feeders = frozenset([sender, recipient])
            self.receivers = frozenset([recipient])
        elif self.hub_silo in (None, silo_of[sender]):  # radar: a report from the same silo
            key = self.key(tick, SHARE)
            listed = self.knows(sender, key) & ~self.knows(self.hub, key)
            event = self.add(
                tick,
                SHARE,
                sender,
                self.say("report", to=self.hub, about=signal),
                to=(self.hub,),
                signals=self.listed(listed),
                basis=self.basis("report"),
                subject=subject,
            )
            self.acquired.setdefault(self.hub, []).append((event.key, listed))
            self.hub_silo = silo_of[sender]
        else:  # radar: the first report from a second silo
            self.table = self.add(
                tick,
                SHARE,
                sender,
                self.say("report", to=self.hub, about=signal),
                to=(self.hub,),
                basis=self.basis("report"),
                subject=subject,
            )
            self.feeders = frozenset([sender, self.hub])
            self.receivers = frozenset([self.hub])

    def _rounds(self) -> None:
        """The first round and the meetings, actions and followers after the table."""
        cadence = self.kn.meeting_cadence_days
        table_tick = self.table.key[0]
        actions = list(self.sc.hub_actions)
        for _ in range(1 + self.below(2)):
            text = actions.pop(self.below(len(actions)))
            when = self.tick(self.hub, table_tick // DAY + 3 + self.below(30))
            if when < self.limit:
                self.add(when, ACTION, self.hub, text)
        when = self.tick(self.hub, table_tick // DAY + cadence)
        if when >= self.limit:
            return
        subject = self.subject()
        self.first_round = self.add(
            when,
            MEETING,
            self.hub,
            self.say("first_round"),
            to=self.observers,
            subject=subject,
        )
        while True:
            when = self.tick(self.hub, when // DAY + cadence)
            if when >= self.limit:
                break
            members = tuple(o for o in self.observers if self.u() < INVITE)
            members = members or (self.pick(self.observers),)
            if self.u() < LISTED_MEETING:
                key = self.key(when, MEETING)
                listed = tuple(s for s in self.signals if s.key < key)[-2:]
                if listed:
                    self.add(
                        when,
                        MEETING,
                        self.hub,
                        self.say("listed_meeting", about=listed[-1]),
                        to=members,
                        signals=listed,
                        subject=listed[-1].subject,
                        planted=(False, "after_table"),
                    )
                    continue
            self.add(when, MEETING, self.hub, self.say("follow_meeting"), to=members)
        for follower in self.followers:
            day = self.first_round.key[0] // DAY + 5 + self.below(40)
            when = self.tick(self.hub, day)
            if when >= self.limit:
                continue
            self.add(
                when,
                SHARE,
                self.hub,
                self.say("follower", to=follower),
                to=(follower,),
                basis=self.basis("follower"),
                subject=subject,
            )
            when = self.tick(follower, when // DAY + 5 + self.below(20))
            if when < self.limit and self.sc.follower_actions:
                self.add(when, ACTION, follower, self.pick(self.sc.follower_actions))

    # --- opportunities ----------------------------------------------------------

    def _verdict(self, union: int, receivers) -> tuple | None:
        """Missed or not, for an opportunity before the table; None when not plannable.

        ``union`` is what the receivers would know with the opportunity
        taken; ``receivers`` holds ``(actor, what it knows)`` for every party
        that would receive something.
        """
        silos = self.silos_in(union)
        if len(silos) > 1:
            return (True, "cross_silo")
        if not silos:
            return (False, "nothing_known")
        feeds = False  # whether a receiver's knowledge is pooled at the table
        for actor, known in receivers:
            if union & ~known and not self._may_receive(actor, silos[0]):
                return None
            feeds = feeds or actor in self.feeders
        if feeds and self.table is not None and union & ~self.pooled:
            return (True, "before_table")
        return (False, "one_silo")

    def _may_receive(self, actor: str, silo: str) -> bool:
        """Whether knowing signals of ``silo`` before the table stays harmless for
        ``actor``: it will never learn signals of another silo before the table."""
        if actor == self.hub:
            return self.route != RADAR or self.hub_silo in (None, silo)
        return self.lk.silo[actor] == silo

    def _unconverged(self, actor: str, key: tuple) -> bool:
        """In the window: whether an actor outside the receivers holds a signal
        that has not converged."""
        return actor not in self.receivers and bool(self.knows(actor, key) & ~self.pooled)

    def _withhold(self, tick, sender, signals, recipient, planted, subject, about) -> None:
        reason = self.weighted(self.lk.reasons)
        self.add(
            tick,
            WITHHOLD,
            sender,
            self.say("withhold", to=recipient, about=about, reason=REASONS[reason]["nl"]),
            to=(recipient,),
            signals=signals,
            subject=subject,
            planted=planted,
            reason=reason if self.u() < REASON_RECORDED else None,
        )

    def _after_decisions(self, post) -> None:
        parties = [*self.observers, self.hub]
        for tick, sender, signal in self.withholds_before:
            if self.phase(tick) != _BEFORE:
                continue
            key = self.key(tick, WITHHOLD)
            listed = (signal,) if self.u() < WITHHOLD_LISTS else ()
            carried = 1 << signal.bit if listed else self.knows(sender, key)
            options = []
            for other in parties:
                if other != sender:
                    known = self.knows(other, key)
                    verdict = self._verdict(carried | known, [(other, known)])
                    if verdict is not None:
                        options.append((other, verdict))
            if options:
                other, verdict = self.pick(options)
                self._withhold(tick, sender, listed, other, verdict, signal.subject, signal)
        for tick, signal, share, withhold, inside in post:
            phase = self.phase(tick)
            sender = signal.actor
            if phase == _AFTER:
                if inside:
                    self._share_inside(tick, sender, inside, signal, record=False)
                if share:
                    self.add(
                        tick,
                        SHARE,
                        sender,
                        self.say("update", to=self.hub, about=signal),
                        to=(self.hub,),
                        signals=(signal,),
                        basis=self.basis("update"),
                        subject=signal.subject,
                    )
                elif withhold:
                    others = [p for p in [*parties, *self.followers] if p != sender]
                    self._withhold(
                        tick,
                        sender,
                        (signal,),
                        self.pick(others),
                        (False, "after_table"),
                        signal.subject,
                        signal,
                    )
            elif (
                phase == _WINDOW
                and withhold
                and sender not in self.receivers
                and not self.pooled >> signal.bit & 1
            ):
                others = [p for p in parties if p in self.receivers]
                self._withhold(
                    tick,
                    sender,
                    (signal,),
                    self.pick(others),
                    (True, "known_not_passed"),
                    signal.subject,
                    signal,
                )

    def _contacts(self) -> None:
        parties = [*self.observers, self.hub]
        span = (self.limit - self.start * DAY) / DAY
        for _ in range(self.poisson(self.kn.contact_frequency * span / 30)):
            first = self.pick(parties)
            tick = self.tick(first, self.start + int(self.u() ** _CONTACT_EXPONENT * span))
            if tick >= self.limit:
                continue
            phase = self.phase(tick)
            key = self.key(tick, CONTACT)
            options = []
            if phase == _BEFORE:
                other = self.pick([p for p in parties if p != first])
                mine, theirs = self.knows(first, key), self.knows(other, key)
                verdict = self._verdict(mine | theirs, [(first, mine), (other, theirs)])
                if verdict is not None:
                    options.append((other, verdict))
            elif phase == _WINDOW:
                for other in parties:
                    inside = (first in self.receivers) + (other in self.receivers)
                    if (
                        other != first
                        and inside == 1
                        and (self._unconverged(first, key) or self._unconverged(other, key))
                    ):
                        options.append((other, (True, "known_not_passed")))
            elif phase == _AFTER:
                options = [
                    (p, (False, "after_table")) for p in [*parties, *self.followers] if p != first
                ]
            if options:
                other, verdict = self.pick(options)
                group = _CONTACT_TEXTS.get(verdict[1], "contact_quiet")
                text = self.say(group, to=other, subject=self.subject())
                self.add(tick, CONTACT, first, text, to=(other,), planted=verdict)

    def _ending(self) -> None:
        if self.ending is not None:
            actor, text = self.ending
            subject = self.subject()
            self.incident = self.add(
                self.limit,
                INCIDENT,
                actor,
                text.format(s=subject, S=self.lk.capital[subject]),
                severity=5,
                subject=subject,
            )
            day = self.limit // DAY + 1
            reporters = sorted({s.actor for s in self.signals}, key=self.observers.index)
            if reporters and self.u() < 0.6:
                reporter = self.pick(reporters)
                own = [s for s in self.signals if s.actor == reporter][-2:]
                self.add(
                    self.tick(reporter, day + self.below(10)),
                    SHARE,
                    reporter,
                    self.say("after_incident", to=self.hub, about=own[-1]),
                    to=(self.hub,),
                    signals=tuple(own),
                    basis=self.basis("after_incident"),
                    subject=own[-1].subject,
                )
            if self.u() < 0.5:
                self.add(
                    self.tick(self.hub, day + 1 + self.below(14)),
                    ACTION,
                    self.hub,
                    self.pick(self.sc.hub_actions),
                )
        else:
            last = max((e.key[0] for e in self.events), default=self.start * DAY)
            day = max(self.end // DAY, last // DAY + 1)
            self.add(self.tick(self.hub, day), ACTION, self.hub, self.pick(self.sc.closings))

    # --- output -------------------------------------------------------------------

    def converged_by(self, signal: _Event) -> _Event | None:
        """The planted convergence of a signal (see the module notes)."""
        if self.table is None:
            return None
        if self.pooled >> signal.bit & 1:
            return self.table
        if signal.key < self.table.key:
            return self.first_round
        if self.first_round is None or signal.key < self.first_round.key:
            return signal if signal.actor in self.receivers else self.first_round
        return signal

    def sources(self, events: list[_Event]) -> list[str]:
        """Where a reconstruction found each event: one draw for each that is picked."""
        u, found = self.u, self.lk.found
        picked = []
        for event in events:
            options = found[event.kind][event.actor]
            picked.append(options if isinstance(options, str) else options[int(u() * len(options))])
        return picked


_SIGNAL_EXPONENT = 1 / (1 + GROWTH)
_CONTACT_EXPONENT = 1 / (1 + CONTACT_GROWTH)
_CONTACT_TEXTS = {"nothing_known": "contact_nothing", "after_table": "contact_after"}


def failing_bsn(u: float, v: float) -> str:
    """A nine-digit registration number that fails the BSN eleven-test.

    It starts with 1 to 9 (so it is no phone number either) and its last
    digit is chosen so that the eleven-test does not hold.

    Examples
    --------
    >>> from stdnum.nl import bsn
    >>> number = failing_bsn(0.5, 0.5)
    >>> len(number), bsn.is_valid(number)
    (9, False)
    """
    head = f"{1 + int(u * 9)}{int(v * 10_000_000):07d}"
    total = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True))
    passing = total % 11  # the last digit that would pass the test (10 means none does)
    last = (passing + 1 + int(v * 97) % 9) % 10
    return head + str(last)


#: Page numbers 1 to 140 and registration numbers for ``source`` cells: a fixed
#: table (not random), picked from with the case's draws.
_PAGES_AND_REFS = tuple(
    (1 + i, failing_bsn(i * 0.6180339887 % 1, i * 0.7548776662 % 1)) for i in range(140)
)


class _Tables:
    """Columns of the cases, gathered as plain lists and turned into arrays once."""

    def __init__(self, scenario: Scenario, knobs: Knobs):
        self.scenario = scenario
        self.knobs = knobs
        self.lookup = _Lookup(scenario, knobs)
        self.events: dict[str, list] = {name: [] for name in (*EVENT_COLUMNS, "_clock")}
        self.truth: dict[str, list] = {name: [] for name in TRUTH_SIGNAL_COLUMNS}
        self.opportunities: dict[str, list] = {name: [] for name in TRUTH_OPPORTUNITY_COLUMNS}
        self.cases: dict[str, list] = {name: [] for name in TRUTH_CASE_COLUMNS}
        self.truth_clock: list[bool] = []
        self.opportunity_clock: list[bool] = []
        self.case_clock: list[bool] = []
        self.used: set[str] = set()

    def gather(self, seed: int, cases: range, width: int) -> None:
        """Plan the cases of these indices and gather their rows (ids ``width`` digits)."""
        scenario, lookup, knobs = self.scenario, self.lookup, self.knobs
        for index in cases:
            case = _Case(scenario, lookup, knobs, seed, index).plan()
            self.add_case(case, f"{scenario.prefix}-{index + 1:0{width}d}")

    def add_case(self, case: _Case, case_id: str) -> None:
        """Order a planned case, name its events and gather its rows."""
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

    def finish(self) -> _Part:
        """The gathered rows as arrays, times as ISO text."""
        columns = self.events
        columns[TIME] = _iso(columns[TIME], columns.pop("_clock"))
        columns[CONFIDENCE] = _confidence(columns[CONFIDENCE])
        for table, clock, names in (
            (self.truth, self.truth_clock, ("observed_at", "converged_at")),
            (self.opportunities, self.opportunity_clock, (TIME,)),
            (self.cases, self.case_clock, ("table_at", "first_round_at", "horizon")),
        ):
            for name in names:
                table[name] = _iso(table[name], clock)
        return _Part(
            events=_arrays(columns),
            truth=_arrays(self.truth, flags=("censored",)),
            truth_opportunities=_arrays(self.opportunities, flags=("missed",)),
            truth_cases=_arrays(
                self.cases, counts=("signals", "converged", "missed_opportunities")
            ),
            used=self.used,
        )


#: The tables of a :class:`_Part`, named as the attributes of :class:`Synthetic`.
_PART_TABLES = ("events", "truth", "truth_opportunities", "truth_cases")


class _Part(NamedTuple):
    """The tables of a run of consecutive cases, column by column."""

    events: dict[str, pa.Array]
    truth: dict[str, pa.Array | np.ndarray]
    truth_opportunities: dict[str, pa.Array | np.ndarray]
    truth_cases: dict[str, pa.Array | np.ndarray]
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


def _arrays(columns: dict[str, list | pa.Array], *, flags: tuple = (), counts: tuple = ()) -> dict:
    """Columns as arrays: ``flags`` as NumPy bool, ``counts`` as NumPy int64, the
    rest text (None for missing) as Arrow strings."""
    arrays = {}
    for name, values in columns.items():
        if name in flags:
            arrays[name] = np.array(values, dtype=bool)
        elif name in counts:
            arrays[name] = np.array(values, dtype=np.int64)
        elif isinstance(values, pa.Array):
            arrays[name] = values
        else:
            arrays[name] = pa.array(values, type=pa.large_string())
    return arrays


def _frame(columns: dict[str, pa.Array | np.ndarray]) -> pd.DataFrame:
    """A table of :func:`_arrays` columns: text as a pandas ``string`` column with
    NA, as the readers deliver one."""
    return pd.DataFrame(
        {
            name: pd.Series(
                values if isinstance(values, np.ndarray) else pd.arrays.ArrowStringArray(values)
            )
            for name, values in columns.items()
        }
    )
