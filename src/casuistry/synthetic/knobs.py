"""The knobs of the synthetic generator: defaults, meaning and checks.

==========================  ===========================  =====================================
knob                        default                      meaning
==========================  ===========================  =====================================
``share_propensity``        0.5                          How readily an organisation passes a
                                                         signal on, from 0 (never) to 1. Per
                                                         signal, the chance of taking it to
                                                         another silo (which opens the case
                                                         table) is ``share_propensity *
                                                         (severity / 5) ** 2``, so serious
                                                         signals travel first; the chance of an
                                                         ordinary share inside the silo is
                                                         ``share_propensity``.
``withhold_propensity``     0.3                          Chance that an organisation that does
                                                         not pass a signal on records a
                                                         deliberate withhold (0 gives none).
``reason_mix``              per scenario                 Weights of the reasons for a withhold,
                                                         ``{reason: weight}``; reasons left out
                                                         get weight 0.
``contact_frequency``       1.0                          Contacts per case per 30 days: calls
                                                         and meetings of two organisations that
                                                         move nothing by themselves.
``meeting_cadence_days``    28                           Days between case meetings once the
                                                         case is on the table.
``n_organisations``         per scenario (4 or 5)        Organisations per case: the hub that
                                                         convenes plus those that see signals.
``case_length_days``        per scenario (120 to 365)    Days a case runs when no incident
                                                         ends it first.
``incident_rate``           per scenario (0.25 to 0.35)  Share of cases that end in an incident.
``start``                   ``"2023-01-01"``             First possible start date; cases start
                                                         on a day within the following year.
==========================  ===========================  =====================================

Examples
--------
>>> from casuistry.synthetic.scenarios import SCENARIOS
>>> knobs = resolve_knobs(SCENARIOS["huiselijk_geweld"], {"withhold_propensity": 0})
>>> knobs.withhold_propensity, knobs.case_length_days
(0.0, 240)
>>> resolve_knobs(SCENARIOS["huiselijk_geweld"], {"share": 1})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
casuistry.errors.CasuistryError: unknown knob 'share'; the knobs are: share_propensity, ...
"""

from __future__ import annotations

import datetime as dt
import numbers
from dataclasses import dataclass

from casuistry.errors import CasuistryError
from casuistry.synthetic.calendar import FIRST_YEAR, day_of
from casuistry.synthetic.scenarios import Scenario
from casuistry.vocabulary import REASONS

KNOB_NAMES = (
    "share_propensity",
    "withhold_propensity",
    "reason_mix",
    "contact_frequency",
    "meeting_cadence_days",
    "n_organisations",
    "case_length_days",
    "incident_rate",
    "start",
)
DEFAULT_START = "2023-01-01"
LAST_START_YEAR = 2079
MAX_CASE_LENGTH_DAYS = 3650


@dataclass(frozen=True)
class Knobs:
    """Checked knob values, with the scenario's defaults filled in."""

    share_propensity: float
    withhold_propensity: float
    reason_mix: dict[str, float]
    contact_frequency: float
    meeting_cadence_days: int
    n_organisations: int
    case_length_days: int
    incident_rate: float
    start: dt.date

    @property
    def start_day(self) -> int:
        """The start date as a day number (days since 1970-01-01)."""
        return day_of(self.start)


def resolve_knobs(scenario: Scenario, knobs: dict) -> Knobs:
    """Check knob values and fill in the defaults of ``scenario``.

    Raises
    ------
    CasuistryError
        For an unknown knob or a value out of range; the message names the
        knob, the value and what is accepted.
    """
    unknown = [name for name in knobs if name not in KNOB_NAMES]
    if unknown:
        raise CasuistryError(
            f"unknown knob {unknown[0]!r}; the knobs are: " + ", ".join(KNOB_NAMES)
        )
    max_organisations = len(scenario.observers) + 1
    return Knobs(
        share_propensity=_fraction(knobs, "share_propensity", 0.5),
        withhold_propensity=_fraction(knobs, "withhold_propensity", 0.3),
        reason_mix=_reason_mix(knobs.get("reason_mix", scenario.reason_mix)),
        contact_frequency=_number(knobs, "contact_frequency", 1.0, 0.0, 30.0),
        meeting_cadence_days=_whole(knobs, "meeting_cadence_days", 28, 1, 365),
        n_organisations=_whole(
            knobs,
            "n_organisations",
            scenario.n_organisations,
            3,
            max_organisations,
            f"{scenario.name} has {max_organisations - 1} organisations "
            "that see signals, plus the hub",
        ),
        case_length_days=_whole(
            knobs, "case_length_days", scenario.case_length_days, 30, MAX_CASE_LENGTH_DAYS
        ),
        incident_rate=_fraction(knobs, "incident_rate", scenario.incident_rate),
        start=_start(knobs.get("start", DEFAULT_START)),
    )


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _number(knobs, name, default, low, high) -> float:
    value = knobs.get(name, default)
    if not _is_number(value) or not low <= value <= high:
        raise CasuistryError(
            f"knob {name}={value!r} is out of range; give a number from "
            f"{low:g} to {high:g} (default {default:g})"
        )
    return float(value)


def _fraction(knobs, name, default) -> float:
    return _number(knobs, name, default, 0.0, 1.0)


def _whole(knobs, name, default, low, high, why="") -> int:
    value = knobs.get(name, default)
    if not _is_number(value) or value != int(value) or not low <= value <= high:
        hint = f" ({why})" if why else ""
        raise CasuistryError(
            f"knob {name}={value!r} is out of range; give a whole number from "
            f"{low} to {high}{hint} (default {default})"
        )
    return int(value)


def _reason_mix(mix) -> dict[str, float]:
    if not isinstance(mix, dict) or not mix:
        raise CasuistryError(
            f"knob reason_mix={mix!r} is not a mapping; give weights per "
            "reason, for example {'no_consent': 2, 'capacity': 1}"
        )
    for reason, weight in mix.items():
        if reason not in REASONS:
            raise CasuistryError(
                f"knob reason_mix names an unknown reason {reason!r}; the "
                "reasons are: " + ", ".join(REASONS)
            )
        if not _is_number(weight) or weight < 0:
            raise CasuistryError(
                f"knob reason_mix gives {reason!r} the weight {weight!r}; "
                "weights are numbers of 0 or more"
            )
    if sum(mix.values()) <= 0:
        raise CasuistryError(
            "knob reason_mix has no positive weight; give at least one reason a weight above 0"
        )
    return {reason: float(mix[reason]) for reason in REASONS if mix.get(reason, 0) > 0}


def _start(given) -> dt.date:
    value = given
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date) or not FIRST_YEAR <= value.year <= LAST_START_YEAR:
        raise CasuistryError(
            f"knob start={given!r} is not a date from {FIRST_YEAR} to "
            f"{LAST_START_YEAR}; give an ISO date such as {DEFAULT_START!r}"
        )
    return value
