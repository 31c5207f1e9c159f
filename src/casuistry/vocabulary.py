"""Names of the case format in one place: columns, reasons, silos, bases.

Everything that spells a column or a code of ``CASE_FORMAT.md`` is defined here
and imported elsewhere, so a rename happens once. The event kinds, with
everything they mean, are in :mod:`casuistry.kinds`.

Examples
--------
>>> REQUIRED_EVENT_COLUMNS
('case_id', 'event_id', 'time', 'kind', 'actor')
>>> REASONS["capacity"]["en"]
'no time or capacity'
"""

from __future__ import annotations

from casuistry.presentation.texts import code_labels

# --- columns ------------------------------------------------------------------

CASE_ID = "case_id"
EVENT_ID = "event_id"
TIME = "time"
KIND = "kind"
ACTOR = "actor"
TO = "to"
SIGNALS = "signals"
CATEGORY = "category"
SEVERITY = "severity"
BASIS = "basis"
REASON = "reason"
DESCRIPTION = "description"
SUBJECT = "subject"
SOURCE = "source"
CONFIDENCE = "confidence"

#: Columns of the ``events`` table in the order of CASE_FORMAT.md.
EVENT_COLUMNS: tuple[str, ...] = (
    CASE_ID,
    EVENT_ID,
    TIME,
    KIND,
    ACTOR,
    TO,
    SIGNALS,
    CATEGORY,
    SEVERITY,
    BASIS,
    REASON,
    DESCRIPTION,
    SUBJECT,
    SOURCE,
    CONFIDENCE,
)
REQUIRED_EVENT_COLUMNS: tuple[str, ...] = (CASE_ID, EVENT_ID, TIME, KIND, ACTOR)
#: Columns that hold ``;``-separated lists; in a Casebook they are tuples of str.
LIST_COLUMNS: tuple[str, ...] = (TO, SIGNALS)

SILO = "silo"
LABEL = "label"
ACTOR_COLUMNS: tuple[str, ...] = (ACTOR, SILO, LABEL)
REQUIRED_ACTOR_COLUMNS: tuple[str, ...] = (ACTOR, SILO)

#: Columns a Casebook adds to the events table after validation.
TICKS = "ticks"  # int64 seconds: since 1970-01-01 for calendar times, day * 86400 otherwise
ROW = "row"  # the row as the user counts it (CSV line, sheet row, Parquet record)

LIST_SEPARATOR = ";"
SECONDS_PER_DAY = 86_400

# --- codes --------------------------------------------------------------------

CONFIDENCE_LEVELS: tuple[str, ...] = ("certain", "likely", "uncertain")

#: The codes of withhold reasons, silos and legal bases, each with its Dutch and English
#: meaning (kept with every other user-facing text in ``presentation/data/codes.json``).
REASONS: dict[str, dict[str, str]] = code_labels("reason")
SILOS: dict[str, dict[str, str]] = code_labels("silo")
BASES: dict[str, dict[str, str]] = code_labels("basis")
