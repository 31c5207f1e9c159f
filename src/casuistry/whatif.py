"""What if: add hypothetical shares or meetings to a case and see what they change.

For the missed opportunities a case already holds, :attr:`Analysis.opportunities`
gives the gains (and :meth:`Analysis.best_opportunities` the largest ones).
:func:`what_if` shows them signal by signal (``take``: a withhold, contact or
listed meeting replaced by its counterfactual, as the case format defines it)
and tries channels that did not exist at all (``add``), alone or together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from casuistry.analysis import analyse
from casuistry.casebook import Casebook
from casuistry.engine import horizon_of
from casuistry.errors import CasuistryError
from casuistry.kinds import KindRegistry, Opportunity
from casuistry.timeaxis import DAYS, parse_times
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    EVENT_ID,
    KIND,
    LABEL,
    LIST_SEPARATOR,
    ROW,
    SIGNALS,
    SILO,
    TICKS,
    TIME,
    TO,
)

#: Keys a hypothetical event may have; ``signals`` is optional.
HYPOTHESIS_KEYS = (KIND, TIME, ACTOR, TO, SIGNALS)
#: Sort key of the rebuilt case within equal times: an existing event at
#: position p has 2p, a taken opportunity's counterfactual 2p + 1 (right after
#: it), an added event comes after all of them.
_PLACE = "__place"


class InvalidHypothesis(CasuistryError, ValueError):
    """A hypothetical event that cannot be added to the case; the message says why."""


def what_if(
    casebook: Casebook,
    case_id: str,
    *,
    add: Iterable[Mapping] = (),
    take: Iterable[str] = (),
) -> pd.DataFrame:
    """Re-run a case with opportunities taken and hypothetical shares or meetings added.

    Each hypothetical event is inserted after the case's events with the same
    time, in the order given; each taken opportunity is replaced by its
    counterfactual in its own place. Then the case is analysed again.

    Parameters
    ----------
    casebook : Casebook
        The cases, as :func:`casuistry.load` returns them.
    case_id : str
        The case to change.
    add : iterable of dict, keyword-only
        The hypothetical events, each with keys ``kind`` (``"share"`` or
        ``"meeting"``, Dutch ``"delen"``/``"overleg"`` too), ``time`` (in the
        case's style: ISO text for calendar cases, a day number otherwise),
        ``actor`` (sender or convenor), ``to`` (a list or a ``;``-separated
        string) and optionally ``signals`` (event_ids of signal events, list
        or ``;``-string; empty means what the format says: everything the
        sender knows, or everything the participants know).
    take : iterable of str, keyword-only
        event_ids of opportunities of the case (a withhold, a contact, or a
        meeting that lists signals, by the horizon) to replace by their
        counterfactual: a withhold becomes the share it refused, a contact a
        meeting of its parties pooling everything they know, a listed meeting
        pools everything its participants know. Taking one alone gives
        exactly its gains in :attr:`Analysis.opportunities`.

    Returns
    -------
    pandas.DataFrame
        One row per signal observed by the horizon: ``case_id``,
        ``signal_id``, ``silo``, ``observed_at``, ``end_before`` and
        ``end_after`` (convergence, or the horizon when censored),
        ``converged_before``, ``converged_after`` (bool), ``dwell_before``,
        ``dwell_after`` (days) and ``gain_days`` (``dwell_before -
        dwell_after``, never negative: adding a channel never delays a
        signal). Times as in :class:`~casuistry.analysis.Analysis`.

    Raises
    ------
    UnknownCase
        When the casebook has no such case.
    InvalidHypothesis
        When a hypothetical event has a missing or unknown key, a kind other
        than share or meeting, a time that does not parse, is in the other
        time style or lies after the horizon, no ``to``, an actor missing from
        the actors table, or a signal that is no signal event of the case
        observed by then.

    Examples
    --------
    >>> import casuistry
    >>> book = casuistry.load(casuistry.example_path())
    >>> table = casuistry.what_if(book, "puzzel-1", add=[
    ...     {"kind": "share", "time": "2024-01-23", "actor": "huisarts", "to": "school"}])
    >>> table.loc[table["signal_id"] == "e02", "gain_days"].item()
    70.0
    >>> taken = casuistry.what_if(book, "puzzel-1", take=["e04"])
    >>> taken.set_index("signal_id").loc[["e02", "e05"], "gain_days"].tolist()
    [42.0, 17.0]
    """
    book = casebook.case(case_id)
    case_id = book.case_ids[0]
    before = analyse(book, progress=False)
    horizon = horizon_of(book.events[TICKS].tolist(), book.events[KIND].tolist(), kinds=book.kinds)[
        0
    ]
    style = book.time_styles.iloc[0]
    silo_of = casebook.silo_of()
    rows = [_taken_row(event_id, book, horizon) for event_id in dict.fromkeys(take)]
    for number, item in enumerate(add, start=1):
        rows.append(_event_row(number, item, book, style, horizon, silo_of, casebook))
    if not rows:
        raise InvalidHypothesis(
            "nothing to change: take an opportunity (take=['e04']) or add a share or meeting"
        )
    after = analyse(_with_events(book, rows, casebook), progress=False)
    return _compare(before.signals, after.signals, before.cases)


def _event_row(number, item, book, style, horizon, silo_of, casebook) -> dict:
    where = f"hypothetical event {number}"
    if not isinstance(item, Mapping):
        raise InvalidHypothesis(f"{where}: give a dict with keys {', '.join(HYPOTHESIS_KEYS)}")
    unknown = sorted(set(item) - set(HYPOTHESIS_KEYS))
    if unknown:
        raise InvalidHypothesis(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"use {', '.join(HYPOTHESIS_KEYS)}"
        )
    missing = [key for key in (KIND, TIME, ACTOR, TO) if key not in item or item[key] is None]
    if missing:
        raise InvalidHypothesis(f"{where}: missing {', '.join(map(repr, missing))}")
    # what can be added: a kind that passes knowledge on (a share or a meeting)
    addable = book.kinds.carrying
    kind = book.kinds.normalise(item[KIND])
    if kind not in addable:
        raise InvalidHypothesis(
            f"{where}: kind {item[KIND]!r} cannot be added; use " + " or ".join(map(repr, addable))
        )
    ticks = _ticks(where, item[TIME], style, horizon)
    actor = str(item[ACTOR]).strip()
    to = _names(item[TO])
    if not to:
        raise InvalidHypothesis(f"{where}: 'to' names nobody; give the recipients or participants")
    if casebook.has_actor_table:
        for name in (actor, *to):
            if name not in silo_of:
                raise InvalidHypothesis(
                    f"{where}: actor {name!r} is not in the actors table; "
                    "add it there or use one of: " + ", ".join(sorted(silo_of)[:8])
                )
    signals = _names(item.get(SIGNALS))
    events = book.events
    is_signal = events[KIND].isin(book.kinds.observing)
    observed = dict(zip(events.loc[is_signal, EVENT_ID], events.loc[is_signal, TICKS], strict=True))
    for sid in signals:
        if sid not in observed:
            raise InvalidHypothesis(
                f"{where}: {sid!r} is no signal event of case {book.case_ids[0]!r}"
            )
        if observed[sid] > ticks:
            raise InvalidHypothesis(
                f"{where}: signal {sid!r} is observed after the hypothetical {kind}; "
                "it cannot be passed on before it is known"
            )
    return {
        EVENT_ID: f"what-if-{number}",
        TIME: str(item[TIME]),
        KIND: kind,
        ACTOR: actor,
        TO: to,
        SIGNALS: signals,
        TICKS: ticks,
        _PLACE: 2 * len(book.events) + number,  # after every event of the same time
    }


def _taken_row(event_id: str, book: Casebook, horizon: int) -> dict:
    """The counterfactual of one opportunity, to be placed right after it."""
    events = book.events
    matches = np.flatnonzero(events[EVENT_ID].to_numpy(dtype=object) == event_id)
    if not len(matches):
        raise InvalidHypothesis(f"take: no event {event_id!r} in case {book.case_ids[0]!r}")
    position = int(matches[0])
    event = events.iloc[position]
    kind, listed = book.kinds[event[KIND]], tuple(event[SIGNALS])
    if not kind.is_opportunity(listed=bool(listed)):
        raise InvalidHypothesis(
            f"take: {event_id!r} is a {kind.code}; only {_opportunities(book.kinds)} "
            "is an opportunity to take"
        )
    if int(event[TICKS]) > horizon:
        raise InvalidHypothesis(f"take: {event_id!r} comes after the horizon; it takes no part")
    return {
        EVENT_ID: f"take-{event_id}",
        TIME: event[TIME],
        # a withhold becomes the share it refused, keeping its signals; a contact
        # or a listed meeting a meeting pooling everything (a listed meeting
        # followed at once by a pooling one is the pooling the format describes)
        KIND: kind.taken_as,
        ACTOR: event[ACTOR],
        TO: tuple(event[TO]),
        SIGNALS: listed if kind.taken_keeps_signals else (),
        TICKS: int(event[TICKS]),
        _PLACE: 2 * position + 1,
    }


def _opportunities(kinds: KindRegistry) -> str:
    """The opportunities of a registry in words.

    For the case format: "a withhold, a contact or a meeting that lists signals".
    """
    words = [
        f"a {k.code}" + (" that lists signals" if k.opportunity is Opportunity.WHEN_LISTING else "")
        for k in kinds
        if k.opportunity is not Opportunity.NEVER
    ]
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def _ticks(where: str, value, style: str, horizon: int) -> int:
    parsed = parse_times(pd.Series([value], dtype=object if isinstance(value, str) else None))
    found = parsed["style"].iloc[0]
    if pd.isna(found):
        raise InvalidHypothesis(
            f"{where}: time {value!r} does not parse; use an ISO date such as "
            "2024-03-01 (or 2024-03-01T14:30), or a whole day number"
        )
    if (found == DAYS) != (style == DAYS):
        expected = "a day number" if style == DAYS else "an ISO date or date-time"
        raise InvalidHypothesis(
            f"{where}: time {value!r} is not in the case's style; use {expected}"
        )
    ticks = int(parsed["ticks"].iloc[0])
    if ticks > horizon:
        raise InvalidHypothesis(
            f"{where}: time {value!r} is after the case's horizon, so it would take no part"
        )
    return ticks


def _names(value) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.split(LIST_SEPARATOR) if isinstance(value, str) else value
    return tuple(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))


def _with_events(book: Casebook, rows: list[dict], casebook: Casebook) -> Casebook:
    """The one-case book with the new rows in their places (see ``_PLACE``)."""
    case_id = book.case_ids[0]
    added = pd.DataFrame(rows)
    added[CASE_ID] = case_id
    added[ROW] = pd.NA  # not in the user's input
    existing = book.events.assign(**{_PLACE: 2 * np.arange(len(book.events))})
    events = pd.concat([existing, added], ignore_index=True)
    order = np.lexsort((events[_PLACE].to_numpy(), events[TICKS].to_numpy(dtype=np.int64)))
    events = events.iloc[order].drop(columns=_PLACE)
    actors = book.actors
    new = sorted({a for r in rows for a in (r[ACTOR], *r[TO])} - set(actors[ACTOR]))
    if new:
        known = casebook.actors.set_index(ACTOR)
        extra = pd.DataFrame(
            {
                ACTOR: new,
                SILO: [known[SILO].get(a, a) for a in new],
                LABEL: [known[LABEL].get(a, a) for a in new],
            }
        )
        actors = pd.concat([actors, extra], ignore_index=True)
    return Casebook(
        events=events.reset_index(drop=True),
        actors=actors,
        time_styles=book.time_styles,
        warnings=book.warnings,
        files=book.files,
        has_actor_table=book.has_actor_table,
        kinds=book.kinds,
    )


def _compare(before: pd.DataFrame, after: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    horizon = cases["horizon"].iloc[0]
    after = after.set_index("signal_id").loc[before["signal_id"]]
    end_after = after["converged_at"].where(~after["censored"], horizon)
    out = pd.DataFrame(
        {
            CASE_ID: before[CASE_ID].to_numpy(),
            "signal_id": before["signal_id"].to_numpy(),
            "silo": before["silo"].to_numpy(),
            "observed_at": before["observed_at"].to_numpy(),
            "end_before": before["converged_at"].where(~before["censored"], horizon).to_numpy(),
            "end_after": end_after.to_numpy(),
            "converged_before": ~before["censored"].to_numpy(dtype=bool),
            "converged_after": ~after["censored"].to_numpy(dtype=bool),
            "dwell_before": before["dwell_days"].to_numpy(),
            "dwell_after": after["dwell_days"].to_numpy(),
        }
    )
    out["gain_days"] = out["dwell_before"] - out["dwell_after"]
    return out
