"""The readable per-case summary that ``casuistry analyse`` prints by default, nl or en.

Blame-free: it speaks of organisations, silos and channels, never of
persons, and says what each missed channel would have changed rather than
who should have used it. Every sentence comes from the texts of
:mod:`casuistry.presentation.texts` (keys ``cli.*``); times are written by
:func:`casuistry.presentation.clock.written_time`. A part with nothing to
list says so on its heading ("none" / "geen"). Use
:meth:`casuistry.Analysis.summary_text`, or :func:`summary_text` with a
language.

This module reads an Analysis but imports nothing of :mod:`casuistry.analysis`.

Examples
--------
>>> import casuistry
>>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
>>> print(summary_text(result, lang="nl").splitlines()[0][:72])
Casus puzzel-1: 13 gebeurtenissen, 5 signalen waargenomen tot de horizon
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter

import pandas as pd

from casuistry.kinds import WITHHOLD
from casuistry.presentation.clock import written_time
from casuistry.presentation.missing import missing
from casuistry.presentation.texts import Texts

#: The indent of the lines under a heading.
INDENT = "  "


def summary_text(analysis, *, lang: str = "en") -> str:
    """Summaries of every case of ``analysis``, separated by blank lines.

    Parameters
    ----------
    analysis : casuistry.Analysis
        The analysis.
    lang : {"nl", "en"}, keyword-only
        The language.
    """
    return "\n\n".join(case_summaries(analysis, lang=lang))


def case_summaries(analysis, *, lang: str = "en") -> Iterator[str]:
    """The summary of each case of ``analysis`` in turn, as :func:`summary_text`
    joins them: a corpus' text need not be held whole.

    Examples
    --------
    >>> import casuistry
    >>> result = casuistry.analyse(casuistry.load(casuistry.example_path()))
    >>> [text.splitlines()[0][:22] for text in case_summaries(result)]
    ['Case puzzel-1: 13 even']
    """
    texts = Texts(lang)
    labels = analysis.casebook.label_of()
    signals = _RowsByCase(analysis.signals, _SIGNAL_COLUMNS)
    opportunities = analysis.opportunities
    missed = _RowsByCase(opportunities[opportunities["missed"]], _MISSED_COLUMNS)
    for case in analysis.cases.itertuples(index=False):
        case_signals = signals.take(case.case_id) if case.signals else ()
        case_missed = missed.take(case.case_id) if case.missed_opportunities else ()
        yield _Case(case, texts, labels).text(case_signals, case_missed)


#: The columns of the signals and the missed opportunities a summary reads.
_SIGNAL_COLUMNS = (
    "signal_id",
    "category",
    "actor",
    "silo",
    "observed_at",
    "censored",
    "converged_at",
    "converged_by",
    "dwell_days",
    "relational_days",
    "decision_days",
)
_MISSED_COLUMNS = (
    "event_id",
    "kind",
    "reason",
    "actor",
    "to",
    "time",
    "signals_advanced",
    "gain_signal_days",
    "max_gain_days",
)


class _RowsByCase:
    """The rows of a table whose cases each hold a run of rows, as named tuples of
    the ``columns`` it reads, read in one pass as the cases are asked for in turn.

    A lookup per case took most of the time of a corpus' summary (72 s of
    48,605 cases); holding every row as a tuple, a few hundred megabytes.
    Runs of cases asked for later are kept until they are. The cells are
    made Python objects a column of a chunk of rows at a time (a text column
    of Arrow, one cell at a time, took a quarter of the summary).

    Examples
    --------
    >>> rows = _RowsByCase(pd.DataFrame({"case_id": ["b", "a", "a"], "x": [1, 2, 3]}), ["x"])
    >>> [r.x for r in rows.take("a")], [r.x for r in rows.take("b")]
    ([2, 3], [1])
    """

    def __init__(self, table: pd.DataFrame, columns):
        self._runs = groupby(_rows(table, ["case_id", *columns]), key=attrgetter("case_id"))
        self._kept: dict[str, list] = {}

    def take(self, case_id: str) -> list:
        """The rows of ``case_id``: asked for once per case, and only when it has rows."""
        if case_id in self._kept:
            return self._kept.pop(case_id)
        for case, rows in self._runs:
            if case == case_id:
                return list(rows)
            self._kept[case] = list(rows)
        return []


def _rows(table: pd.DataFrame, names: list[str], chunk: int = 1 << 14) -> Iterator[tuple]:
    """The rows of ``table`` as named tuples of the columns ``names``, made a
    ``chunk`` of rows at a time (each column's cells made Python objects at once)."""
    row = namedtuple("Row", names)._make
    for start in range(0, len(table), chunk):
        part = table.iloc[start : start + chunk]
        cells = [part[name].to_numpy(dtype=object).tolist() for name in names]
        yield from map(row, zip(*cells, strict=True))


class _Case:
    """The summary of one case: its times, actors and language."""

    def __init__(self, case, texts: Texts, labels: dict):
        self.case, self.t, self.labels = case, texts, labels

    def when(self, value) -> str:
        return self.t("cli.on", time=written_time(value, self.case.time_style, self.t))

    def who(self, actor) -> str:
        return str(self.labels.get(actor, actor))

    def text(self, signals: list, missed: list) -> str:
        t, case = self.t, self.case
        end = (
            t("cli.end_last")
            if missing(case.horizon_event)
            else t("cli.end_incident", event=case.horizon_event)
        )
        head = t(
            "cli.case",
            case=case.case_id,
            events=t.n("count.events", case.events),
            signals=t.n("count.signals", case.signals),
            when=self.when(case.horizon),
            end=end,
        )
        lines = [head, ""]
        lines += _part(t, "cli.signals", self._signals(signals), "cli.signals_none")
        lines += ["", *_part(t, "cli.missed", self._missed(missed), "cli.missed_none")]
        lines += ["", t("cli.acting"), INDENT + self._acting()]
        lines += ["", self._accountability()]
        return "\n".join(lines)

    def _signals(self, signals: list) -> list[str]:
        t = self.t
        rows = []
        for sig in signals:
            if sig.censored:
                stay = t("cli.signal_censored", days=t.days(sig.dwell_days))
            else:
                stay = t(
                    "cli.signal_met",
                    when=self.when(sig.converged_at),
                    event=sig.converged_by,
                    days=t.days(sig.dwell_days),
                )
            category = t("cli.no_category") if _blank(sig.category) else sig.category
            rows.append(
                t(
                    "cli.signal",
                    signal=sig.signal_id,
                    category=category,
                    actor=self.who(sig.actor),
                    silo=sig.silo,
                    when=self.when(sig.observed_at),
                    stay=stay,
                    relational=t.days(sig.relational_days),
                    decision=t.days(sig.decision_days),
                )
            )
        return rows

    def _missed(self, missed: list) -> list[str]:
        t = self.t
        rows = []
        for opp in missed:
            why = ""
            if opp.kind == WITHHOLD and not _blank(opp.reason):
                why = t("cli.reason", reason=t.reason(opp.reason))
            rows.append(
                t(
                    "cli.missed_item",
                    event=opp.event_id,
                    kind=t.kind(opp.kind),
                    actor=self.who(opp.actor),
                    to=", ".join(self.who(a) for a in opp.to),
                    when=self.when(opp.time),
                    why=why,
                    signals=t.n("count.signals", opp.signals_advanced),
                    gain=t.days(opp.gain_signal_days),
                    max=t.days(opp.max_gain_days),
                )
            )
        return rows

    def _acting(self) -> str:
        t, case = self.t, self.case
        if missing(case.first_convergence_at):
            return t("cli.acting_none")
        key = "cli.acting_censored" if case.knowing_acting_censored else "cli.acting_done"
        when = self.when(case.first_convergence_at)
        return t(key, when=when, days=t.days(case.knowing_acting_days))

    def _accountability(self) -> str:
        t, case = self.t, self.case
        return t(
            "cli.accountability",
            shares=t.n("count.shares", case.shares),
            with_basis=case.shares_with_basis,
            withholds=t.n("count.withholds", case.withholds),
            with_reason=case.withholds_with_reason,
        )


def _part(t: Texts, heading: str, rows: list[str], why_none: str) -> list[str]:
    """A heading with its rows as a list; with no rows, the heading says "none" and why."""
    if not rows:
        return [f"{t(heading)} {t('cli.none')}.", INDENT + t(why_none)]
    return [t(heading), *(f"{INDENT}- {row}" for row in rows)]


def _blank(value) -> bool:
    return missing(value) or str(value) == ""
