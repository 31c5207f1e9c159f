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

# The kind names stay importable from here only for casuistry.synthetic, which
# is being reorganised in parallel; new code imports them from casuistry.kinds.
from casuistry.kinds import (  # noqa: F401
    ACTION,
    CONTACT,
    INCIDENT,
    MEETING,
    SHARE,
    SIGNAL,
    WITHHOLD,
)

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

REASONS: dict[str, dict[str, str]] = {
    "privacy_uncertainty": {
        "nl": "onzekerheid over wat de AVG toestaat",
        "en": "unsure what the GDPR allows",
    },
    "no_legal_basis": {
        "nl": "geen grondslag of eigen wettelijke taak",
        "en": "no legal basis or own statutory task",
    },
    "no_consent": {"nl": "geen toestemming van de cliënt", "en": "no client consent"},
    "not_relevant": {
        "nl": "niet relevant of onder de drempel geacht",
        "en": "judged irrelevant or below the threshold",
    },
    "unknown_partner": {
        "nl": "niet bekend wie nog meer betrokken is",
        "en": "did not know who else was involved",
    },
    "no_mandate": {
        "nl": "geen mandaat of rugdekking van leiding",
        "en": "no mandate or backing from management",
    },
    "capacity": {"nl": "geen tijd of capaciteit", "en": "no time or capacity"},
    "other": {"nl": "anders", "en": "other"},
}

SILOS: dict[str, dict[str, str]] = {
    "onderwijs": {"nl": "onderwijs", "en": "education"},
    "zorg": {"nl": "zorg", "en": "health care"},
    "jeugdhulp": {"nl": "jeugdhulp en jeugdbescherming", "en": "youth care and protection"},
    "veilig_thuis": {"nl": "Veilig Thuis", "en": "Veilig Thuis (domestic-violence centre)"},
    "gemeente": {"nl": "gemeente en lokaal team", "en": "municipality and neighbourhood team"},
    "politie": {"nl": "politie", "en": "police"},
    "justitie": {"nl": "justitie", "en": "justice"},
    "schuldhulp": {"nl": "schuldhulp en inkomen", "en": "debt and income"},
    "wonen": {"nl": "wonen", "en": "housing"},
    "nutsbedrijf": {"nl": "energie, water, zorgverzekering", "en": "utilities and insurers"},
    "bank": {"nl": "financiële instellingen", "en": "banks"},
    "douane": {"nl": "douane", "en": "customs"},
    "kustwacht": {"nl": "kustwacht", "en": "coast guard"},
    "buurt": {"nl": "buurt en omgeving", "en": "neighbourhood"},
}

BASES: dict[str, dict[str, str]] = {
    "avg-6.1.a": {"nl": "toestemming", "en": "consent"},
    "avg-6.1.c": {"nl": "wettelijke verplichting", "en": "legal obligation"},
    "avg-6.1.d": {"nl": "vitale belangen", "en": "vital interests"},
    "avg-6.1.e": {"nl": "taak van algemeen belang", "en": "public task"},
    "avg-9.2.g": {
        "nl": "zwaarwegend algemeen belang (bijzondere persoonsgegevens)",
        "en": "substantial public interest (special categories)",
    },
    "meldrecht-wmo-5.2.6": {
        "nl": "meldrecht bij Veilig Thuis zonder toestemming",
        "en": "right to report to Veilig Thuis without consent",
    },
    "jeugdwet-7.3.11-2": {
        "nl": "delen met direct betrokken professionals",
        "en": "sharing with professionals directly involved",
    },
    "jeugdwet-7.3.11-4": {
        "nl": "informatie aan de gecertificeerde instelling bij ondertoezichtstelling",
        "en": "information to the certified institution under a supervision order",
    },
    "jeugdwet-7.1.4.1": {"nl": "signaal in de Verwijsindex", "en": "Verwijsindex signal"},
    "wgs-vroegsignalering": {
        "nl": "vroegsignalering van betalingsachterstanden",
        "en": "early warning of payment arrears",
    },
    "conflict-van-plichten": {"nl": "conflict van plichten", "en": "conflict of duties"},
    "convenant-zvh": {
        "nl": "convenant Zorg- en Veiligheidshuis",
        "en": "Zorg- en Veiligheidshuis covenant",
    },
    "meldcode": {
        "nl": "melding na de vijf stappen van de meldcode",
        "en": "report after the five steps of the Meldcode",
    },
    "toestemming": {"nl": "toestemming", "en": "consent"},
}
