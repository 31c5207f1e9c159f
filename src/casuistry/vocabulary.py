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
DECIDES = "decides"  # the actor's task is to decide on protection or intervention (5.1)
ACTOR_COLUMNS: tuple[str, ...] = (ACTOR, SILO, LABEL, DECIDES)
REQUIRED_ACTOR_COLUMNS: tuple[str, ...] = (ACTOR, SILO)

# --- the reviewer's tables (CASE_FORMAT section 5.1) ----------------------------------

TITLE = "title"
TYPE = "type"
DATE = "date"
RELIABILITY = "reliability"
EPISODE_ID = "episode_id"
EVENTS = "events"
ASSESSMENT = "assessment"
FACTOR = "factor"
FINDING_ID = "finding_id"
TEXT = "text"
EPISODES = "episodes"
QUESTION = "question"

#: Per reviewer's table: its columns in the order of CASE_FORMAT.md, the required ones,
#: and the key that must be unique.
REVIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": (SOURCE, TITLE, TYPE, DATE, RELIABILITY),
    "episodes": (CASE_ID, EPISODE_ID, EVENTS, ASSESSMENT, TITLE, DESCRIPTION),
    "factors": (CASE_ID, EPISODE_ID, FACTOR, DESCRIPTION),
    "findings": (CASE_ID, FINDING_ID, TEXT, EPISODES, QUESTION),
}
REQUIRED_REVIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": (SOURCE,),
    "episodes": (CASE_ID, EPISODE_ID, EVENTS, ASSESSMENT),
    "factors": (CASE_ID, EPISODE_ID, FACTOR),
    "findings": (CASE_ID, FINDING_ID, TEXT),
}
REVIEW_KEYS: dict[str, tuple[str, ...]] = {
    "sources": (SOURCE,),
    "episodes": (CASE_ID, EPISODE_ID),
    "findings": (CASE_ID, FINDING_ID),
}
#: Columns of the reviewer's tables that hold ``;``-separated lists (tuples in a Casebook).
REVIEW_LIST_COLUMNS: dict[str, tuple[str, ...]] = {"episodes": (EVENTS,), "findings": (EPISODES,)}

#: Columns a Casebook adds to the events table after validation.
TICKS = "ticks"  # int64 seconds: since 1970-01-01 for calendar times, day * 86400 otherwise
ROW = "row"  # the row as the user counts it (CSV line, sheet row, Parquet record)

LIST_SEPARATOR = ";"
SECONDS_PER_DAY = 86_400

# --- codes --------------------------------------------------------------------

CONFIDENCE_LEVELS: tuple[str, ...] = ("certain", "likely", "uncertain")

#: Accepted ``decides`` values (compared without case) and what each means; empty is no.
DECIDES_VALUES: dict[str, bool] = {
    "yes": True,
    "ja": True,
    "true": True,
    "no": False,
    "nee": False,
    "false": False,
}
#: Grades of a source's reliability (admiralty scale): A completely reliable ... F cannot be judged.
RELIABILITY_GRADES: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")

#: The codes of withhold reasons, silos and legal bases, each with its Dutch and English
#: meaning (kept with every other user-facing text in ``presentation/data/codes.json``).
REASONS: dict[str, dict[str, str]] = code_labels("reason")
SILOS: dict[str, dict[str, str]] = code_labels("silo")
BASES: dict[str, dict[str, str]] = code_labels("basis")
#: An episode's assessment (English code, with Dutch accepted as input), a contributory
#: factor, a source's type and reliability grade, each with its Dutch and English label.
ASSESSMENTS: dict[str, dict[str, str]] = code_labels("assessment")
FACTORS: dict[str, dict[str, str]] = code_labels("factor")
SOURCE_TYPES: dict[str, dict[str, str]] = code_labels("source_type")
RELIABILITIES: dict[str, dict[str, str]] = code_labels("reliability")
#: Each accepted spelling of an assessment (English code or Dutch label), to its code.
ASSESSMENT_SPELLINGS: dict[str, str] = {
    spelling: code for code, labels in ASSESSMENTS.items() for spelling in (code, labels["nl"])
}
