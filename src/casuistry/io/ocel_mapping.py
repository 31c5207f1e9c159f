"""How a casebook maps onto OCEL 2.0, as data: the one home of every name.

The mapping (published in ``docs/ocel.md``):

- every **event** of the case format is an OCEL event; its type is the kind
  (``signal``, ``share``, ...), its time the case time (day numbers as
  1970-01-01 plus that many days), its id ``<case_id>:<event_id>`` (both
  parts percent-encoded, so ids stay unique).
- **objects**: ``case``, ``organisation`` (an actor, with its ``silo``,
  ``label`` and further columns of the actors table, ``decides`` among them,
  as attributes), ``silo``, ``signal`` (one per signal event), ``subject``
  (per case), and one object per row of a reviewer's table when present
  (``episode``, ``source``, ``factor``, ``finding``).
- **event-to-object** qualifiers: see :data:`QUALIFIERS`.
- **object-to-object**: ``belongs_to`` from an organisation to its silo and
  from a signal, subject or reviewer's row to its case.
- every other column of ``events`` is an event attribute.

Examples
--------
>>> object_id(ORGANISATION, "veilig thuis")
'organisation:veilig%20thuis'
>>> event_id("c1", "e:1")
'c1:e%3A1'
>>> sorted(QUALIFIERS)[:3]
['actor', 'case', 'episode']
"""

from __future__ import annotations

import functools
from urllib.parse import quote

import pandas as pd

from casuistry.vocabulary import ACTOR, CASE_ID, EVENT_ID, SIGNALS, SUBJECT, TIME, TO

# --- object types -------------------------------------------------------------------

CASE = "case"
ORGANISATION = "organisation"
SILO_TYPE = "silo"
SIGNAL_TYPE = "signal"
SUBJECT_TYPE = "subject"

#: The reviewer's tables: the object type of one of their rows, and the column that
#: keys a row within its case (None: the row's number in the table).
REVIEW_OBJECT_TYPES: dict[str, tuple[str, str | None]] = {
    "episodes": ("episode", "episode_id"),
    "sources": ("source", "source"),
    "factors": ("factor", None),
    "findings": ("finding", "finding_id"),
}

# --- qualifiers -----------------------------------------------------------------------

#: Event-to-object qualifiers and what they link.
QUALIFIERS: dict[str, str] = {
    "case": "the event's case (every event has exactly one)",
    "actor": "the organisation that performs the event (column actor; exactly one)",
    "recipient": "an organisation in `to` of a share or withhold",
    "party": "an organisation in `to` of a contact, meeting or another kind",
    "observes": "a signal event's own signal object",
    "signal": "a signal listed in `signals`, in the order of the list",
    "subject": "the event's subject (column subject)",
    "silo": "the silo of the event's actor (so every silo has events in process-mining tools)",
    "episode": "an episode (reviewer's table) that lists the event",
}
#: Kinds drawn with these marks (:class:`casuistry.kinds.Mark`: a share's arrow, a
#: withhold's blocked line) go to recipients: the organisations in their ``to`` are
#: ``recipient``; every other kind's are ``party``.
RECIPIENT_MARKS = frozenset({"arrow", "blocked"})
BELONGS_TO = "belongs_to"

# --- attributes -----------------------------------------------------------------------

#: Attribute of a case object: the case's time style (``date``, ``datetime`` or ``days``).
TIME_STYLE = "time_style"
#: Attribute of a case object: the columns of the events table, ``;``-joined, in order.
COLUMNS = "columns"
#: Columns of ``events`` carried by relations or by the event itself, not as attributes.
MAPPED_COLUMNS: tuple[str, ...] = (CASE_ID, TIME, "kind", ACTOR, TO, SIGNALS, SUBJECT)
#: Attributes typed as integers; every other attribute is a string.
INTEGER_ATTRIBUTES = frozenset({"severity"})

#: Day-number cases: day d is this instant plus d days.
DAY_ZERO = pd.Timestamp("1970-01-01")
#: OCEL time attribute of the initial value of an object attribute.
INITIAL_TIME = "1970-01-01T00:00:00Z"


@functools.lru_cache(maxsize=65536)
def key_part(value: object) -> str:
    """One part of an id, as text, percent-encoded (``:`` included: parts stay apart)."""
    return quote(str(value), safe="-_.~")


def object_id(object_type: str, *parts: object) -> str:
    """The OCEL id of an object: its type, then its key parts, percent-encoded."""
    return ":".join([object_type, *(key_part(p) for p in parts)])


def event_id(case_id: object, event: object) -> str:
    """The OCEL id of an event: ``<case_id>:<event_id>``, percent-encoded."""
    return f"{key_part(case_id)}:{key_part(event)}"


__all__ = [
    "BELONGS_TO",
    "CASE",
    "COLUMNS",
    "DAY_ZERO",
    "EVENT_ID",
    "ORGANISATION",
    "QUALIFIERS",
    "REVIEW_OBJECT_TYPES",
    "SIGNAL_TYPE",
    "SILO_TYPE",
    "SUBJECT_TYPE",
    "TIME_STYLE",
    "event_id",
    "key_part",
    "object_id",
]
