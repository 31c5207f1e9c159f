"""The reviewer's layer of a synthetic case: sources, reach, episodes, factors, findings.

What an evaluation team adds to a case (docs/case_format.md, section 5),
planted from the case's plan (:mod:`.planner`) and the data in
``scenarios/review.toml``:

- **sources**: one row per distinct ``events.source`` of the corpus, its type
  and reliability from the first rule of ``review.toml`` whose word it holds;
- **reach** (section 5.3): per signal the moment an actor that ``decides``
  (catalogue.toml) first knew it, worked out by following what the planned
  events carry from actor to actor (:func:`reached`), the generator's own
  ledger, never the analysis;
- **episodes**: a problematic one around the case's first planted missed
  opportunity and a good one around the table (the event that brought the
  signals together), each with a contributory factor, and a finding per
  episode with its question.

The episodes and factors draw from a stream of their own (seeded with the
case's seed, index and :data:`STREAM`), so the events of a case are the same
with or without this layer.

Examples
--------
>>> source_type("interview basisschool"), source_type("dossier school p.3")
(('interview', 'C'), ('dossier', 'B'))
"""

from __future__ import annotations

import tomllib
from importlib.resources import files

import numpy as np

from casuistry.kinds import MEETING, SHARE, SIGNAL
from casuistry.synthetic.case import Event

#: Third seed word of the stream the episodes draw from.
STREAM = 5
#: The reviewer's data of every scenario.
DATA = tomllib.loads(
    files("casuistry.synthetic.scenarios").joinpath("review.toml").read_text(encoding="utf-8")
)
#: Columns of the tables this module writes.
SOURCE_COLUMNS = ("source", "title", "type", "reliability")
EPISODE_COLUMNS = ("case_id", "episode_id", "events", "assessment", "title", "description")
FACTOR_COLUMNS = ("case_id", "episode_id", "factor", "description")
FINDING_COLUMNS = ("case_id", "finding_id", "text", "episodes", "question")


def source_type(source: str) -> tuple[str, str]:
    """The ``type`` and ``reliability`` of a source, by the first rule whose word it holds."""
    rule = next(r for r in DATA["sources"] if r["word"] in source)
    return rule["type"], rule["reliability"]


def source_title(source: str) -> str:
    """A source without its page or registration number: ``dossier school p.3`` is
    ``dossier school``.

    >>> source_title("dossier school p.3"), source_title("calamiteitenonderzoek")
    ('dossier school', 'calamiteitenonderzoek')
    """
    words = source.split(" ")
    last = words[-1]
    if len(words) > 1 and (last.startswith("p.") or any(c.isdigit() for c in last)):
        words.pop()
    return " ".join(words)


def sources_table(values) -> dict[str, list]:
    """The sources table of the distinct ``events.source`` values, sorted."""
    keys = sorted(set(values))
    types = [source_type(key) for key in keys]
    return {
        "source": keys,
        "title": [source_title(key) for key in keys],
        "type": [t for t, _ in types],
        "reliability": [r for _, r in types],
    }


def reached(events: list[Event], horizon: int, deciders: frozenset) -> dict[int, Event]:
    """Per signal number, the event after which an actor that decides first knew it.

    Follows section 2 of the case format on the planned events (in processing
    order, ticks up to ``horizon``): a signal is known to its observer; a
    share carries its listed signals, or all the sender knows, to sender and
    recipients; a meeting pools its listed signals, or all its participants
    know. Nothing else moves.

    >>> from casuistry.synthetic.case import Event
    >>> def event(kind, actor, to=(), signals=(), bit=-1, tick=0):
    ...     e = Event(); e.kind, e.actor, e.to, e.signals, e.bit, e.key = (
    ...         kind, actor, to, signals, bit, (tick, 0, 0)); return e
    >>> s = event("signal", "school", bit=0)
    >>> share = event("share", "school", to=("veilig_thuis",), tick=5)
    >>> reached([s, share], 9, frozenset({"veilig_thuis"}))[0] is share
    True
    """
    known: dict[str, int] = {}
    first: dict[int, Event] = {}
    reach = 0
    for event in events:
        if event.key[0] > horizon:
            break
        kind = event.kind
        if kind == SIGNAL:
            known[event.actor] = known.get(event.actor, 0) | 1 << event.bit
            parties = (event.actor,)
        elif kind in (SHARE, MEETING):
            listed = 0
            for signal in event.signals:
                listed |= 1 << signal.bit
            parties = (event.actor, *event.to)
            if not listed:
                if kind == SHARE:
                    listed = known.get(event.actor, 0)
                else:
                    for party in parties:
                        listed |= known.get(party, 0)
            for party in parties:
                known[party] = known.get(party, 0) | listed
        else:
            continue
        for party in parties:
            if party in deciders:
                new = known[party] & ~reach
                reach |= new
                while new:
                    bit = new & -new
                    first[bit.bit_length() - 1] = event
                    new ^= bit
    return first


class ReviewColumns:
    """Episodes, factors and findings of the cases, gathered row by row."""

    def __init__(self):
        self.episodes: dict[str, list] = {name: [] for name in EPISODE_COLUMNS}
        self.factors: dict[str, list] = {name: [] for name in FACTOR_COLUMNS}
        self.findings: dict[str, list] = {name: [] for name in FINDING_COLUMNS}

    def add_case(self, case_id: str, missed: Event | None, table: Event | None, rng) -> None:
        """Plant a problematic episode around ``missed`` and a good one around ``table``."""
        planted = []
        if missed is not None:
            planted.append(("problematic", missed, DATA["episodes"][missed.kind]))
        if table is not None:
            planted.append(("good", table, DATA["episodes"]["good"]))
        for number, (assessment, event, spec) in enumerate(planted, start=1):
            episode_id = f"k{number}"
            row = (case_id, episode_id, event.event_id, assessment, spec["title"])
            for name, value in zip(EPISODE_COLUMNS, (*row, spec["description"]), strict=True):
                self.episodes[name].append(value)
            factor = spec["factors"][int(rng.random() * len(spec["factors"]))]
            for name, value in zip(
                FACTOR_COLUMNS,
                (case_id, episode_id, factor, DATA["factors"][factor]),
                strict=True,
            ):
                self.factors[name].append(value)
            finding = DATA["findings"][assessment]
            for name, value in zip(
                FINDING_COLUMNS,
                (case_id, f"b{number}", finding["text"], episode_id, finding["question"]),
                strict=True,
            ):
                self.findings[name].append(value)


def review_stream(seed: int, index: int) -> np.random.Generator:
    """The stream of draws of a case's episodes, apart from its events' stream."""
    return np.random.default_rng([seed, index, STREAM])
