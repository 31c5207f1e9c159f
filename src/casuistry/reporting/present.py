"""The data of presentation mode: the case as steps, one event each, and who knew what.

Presentation mode (``#present`` in a report's address, or its button) steps
through the events of the case one by one on a projector. Each step holds the
event in one blame-free sentence, its moment (for the graph's replay) and
whether it is a stop: a missed opportunity or the first event of a key
practice episode (the Casebook's optional ``episodes`` table). The
who-knows-what matrix (organisations × signals) is filled from the
Analysis' ``knowledge`` table: a cell is known from its ``known_from`` on,
observed by the organisation itself or heard from another.
"""

from __future__ import annotations

import pandas as pd

from casuistry.presentation.missing import missing
from casuistry.presentation.palette import silo_colour
from casuistry.reporting.facts import CaseFacts
from casuistry.reporting.sections import lane_text
from casuistry.viz.lane_order import lane_heights
from casuistry.vocabulary import ACTOR, CATEGORY, EVENT_ID, TO


def presentation(f: CaseFacts) -> dict:
    """Steps, matrix and stops of presentation mode, as plain JSON for its script.

    Returns
    -------
    dict
        ``steps``: per event in time order ``{"t", "when", "event", "sentence",
        "stop", "note"}`` (``stop`` is ``"missed"``, ``"episode"`` or ``""``);
        ``actors``: ``{"label", "colour"}`` per matrix row, in lane order;
        ``signals``: ``{"id", "category"}`` per column, in order of observation;
        ``cells``: ``{"a", "s", "t", "own"}``, the row and column index, the
        day the organisation knew the signal from, and whether it saw it itself;
        ``stops``: the steps that are stops, each with its index as ``step``.

    Examples
    --------
    >>> import casuistry
    >>> book = casuistry.load(casuistry.example_path())
    >>> f = CaseFacts(casuistry.analyse(book), "puzzel-1", lang="en", calendar_dates=False)
    >>> data = presentation(f)
    >>> data["steps"][3]["sentence"]
    'Day 21: Huisarts did not share with Veilig Thuis (reason: unsure what the GDPR allows).'
    >>> [s["event"] for s in data["steps"] if s["stop"] == "missed"]
    ['e04', 'e06']
    """
    t = f.texts
    notes = _stops(f)
    steps = []
    for pos, ev in f.events.iterrows():
        day = float(f.event_days[pos])
        when = f.clock.label_of_day(day)
        sentence = t("present.sentence", when=when, who=f.who(ev[ACTOR]))
        sentence += lane_text(f, ev, tuple(ev[TO])) + "."
        stop, note = notes.get(str(ev[EVENT_ID]), ("", ""))
        steps.append(
            {
                "t": day,
                "when": when,
                "event": str(ev[EVENT_ID]),
                "sentence": sentence[0].upper() + sentence[1:],
                "stop": stop,
                "note": note,
            }
        )
    actors = list(lane_heights(f.events, f.silo_of))
    signals = list(f.signals.sort_values("observed_at", kind="stable")["signal_id"])
    rows = {a: n for n, a in enumerate(actors)}
    columns = {s: n for n, s in enumerate(signals)}
    category = dict(zip(f.signals["signal_id"], f.signals[CATEGORY], strict=True))
    cells = [
        {
            "a": rows[k[ACTOR]],
            "s": columns[k["signal_id"]],
            "t": float(f.clock.day(k["known_from"])),
            "own": k["via"] == k["signal_id"],
        }
        for k in f.knowledge.to_dict("records")
        if k[ACTOR] in rows and k["signal_id"] in columns
    ]
    return {
        "steps": steps,
        "actors": [{"label": f.who(a), "colour": silo_colour(f.silo_of[a])} for a in actors],
        "signals": [{"id": s, "category": t.category(category[s])} for s in signals],
        "cells": cells,
        "stops": [{"step": n, **step} for n, step in enumerate(steps) if step["stop"]],
    }


def _missed(f: CaseFacts) -> dict[str, tuple[str, str]]:
    t, opps = f.texts, f.opportunities
    return {
        str(o[EVENT_ID]): ("missed", t("present.missed", gain=t.days(o["gain_signal_days"])))
        for o in opps[opps["missed"]].to_dict("records")
    }


def _stops(f: CaseFacts) -> dict[str, tuple[str, str]]:
    """Each stop by event id: a missed opportunity stays one when an episode starts there too."""
    missed, starts = _missed(f), _episodes(f)
    stops = {**starts, **missed}
    for event in missed.keys() & starts.keys():
        stops[event] = ("missed", f"{starts[event][1]} — {missed[event][1]}")
    return stops


def _episodes(f: CaseFacts) -> dict[str, tuple[str, str]]:
    """The stop of each key practice episode, at its first event."""
    t = f.texts
    return {
        e["events"][0]: ("episode", t("present.episode", episode=e["name"])) for e in episodes(f)
    }


def episodes(f: CaseFacts) -> list[dict]:
    """The key practice episodes of the case, when the Casebook has an episodes table.

    The table is optional (CASE_FORMAT section 4): a Casebook without it has
    none. Each is ``{"name", "assessment", "description", "events"}``: its id
    and title, the assessment in words, its description, and its events in
    time order (ids of events the case does not have are left out, as is an
    episode left with none).
    """
    table = getattr(f.book, "episodes", None)
    if not isinstance(table, pd.DataFrame) or table.empty:
        return []
    t, order = f.texts, {e: n for n, e in enumerate(f.events[EVENT_ID])}
    found = []
    for episode in table.to_dict("records"):
        if "case_id" in episode and episode["case_id"] != f.case_id:
            continue
        members = episode["events"]
        members = members.split(";") if isinstance(members, str) else list(members)
        members = sorted({m.strip() for m in members if m.strip() in order}, key=order.get)
        if not members:
            continue
        title = episode.get("title")
        name = episode["episode_id"] if missing(title) else f"{episode['episode_id']}: {title}"
        assessment = episode.get("assessment")
        key = f"session.assessment.{assessment}"
        found.append(
            {
                "name": name,
                "assessment": "" if missing(assessment) else t(key) if key in t else assessment,
                "description": f.text(episode.get("description")),
                "events": members,
            }
        )
    return found
