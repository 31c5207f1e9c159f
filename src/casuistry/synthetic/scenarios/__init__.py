"""The five scenarios of synthetic cases, read from the data files beside this module.

Each scenario is one of the five situations of the project's vocabulary
(``VOCABULARY.md``): its organisations with their role in the case, the
signals each of them tends to see, the routes by which the pieces may come
together, the legal bases recorded for shares, the usual reasons for not
sharing, and the Dutch texts that become the ``description`` cells. The
generator (:mod:`casuistry.synthetic.generator`) reads nothing else.

The data are TOML files in this package:

``catalogue.toml``
    Every organisation once (``[actors.NAME]``: silo, label, rhythm,
    source), and the list of scenarios in the order they are offered.
``texts.toml``
    The signal categories (``[categories.NAME]``: phrase, whether they are
    about a child or an adult, descriptions) and the descriptions of the
    other events (``[events]``).
``<scenario>.toml``
    One per scenario: it names its hubs, followers and observers from the
    catalogue (an observer with what it sees, how often and how likely it
    takes part; it may give the actor a label and a source of its own), and
    its routes, subjects, bases, reasons, incidents and closing texts.

A new scenario is a new file and its name in the catalogue's list;
:func:`load_scenarios` checks that every actor and category it names exists.
Texts name roles only (``kind-1``, ``moeder``, ``bewoner``, ``schipper``)
and hold no number that could be read as an identifier.

Rhythms
-------
``office``
    Working days only (Monday to Friday); times are dates.
``school``
    School days only: no weekends and no signals in the (approximate) Dutch
    school holidays; times are dates.
``clock``
    Any day and hour (police, coast guard, an emergency department); times
    are date-times.

Routes
------
How the first signals of different silos come together (the *table*):

``overleg``
    The hub convenes a case meeting with some of the organisations, where
    everything they know is pooled.
``melding``
    One organisation shares everything it knows with an organisation of
    another silo that holds signals of its own.
``radar``
    Organisations of one silo report to the hub; the first report from a
    second silo brings the pieces together at the hub (the "radar" of Veilig
    Thuis, or early warnings of arrears at the municipality).

Examples
--------
>>> sorted(SCENARIOS)
['douane_kustwacht', 'huiselijk_geweld', 'jeugdbescherming', 'ondermijning', 'publiek_privaat']
>>> SCENARIOS["huiselijk_geweld"].prefix
'hg'
>>> SCENARIOS["jeugdbescherming"].actor("school").silo
'onderwijs'
>>> SCENARIOS["publiek_privaat"].actor("energie").label
'Energieleverancier'
>>> SCENARIOS["ondermijning"].actor("energie").label
'Netbeheerder'
"""

from importlib.resources import files

from casuistry.synthetic.scenarios.loader import load_scenarios, load_texts
from casuistry.synthetic.scenarios.model import (
    BASIS_GROUPS,
    CLOCK,
    MELDING,
    OFFICE,
    OVERLEG,
    RADAR,
    RHYTHMS,
    ROUTES,
    SCHOOL,
    ActorSpec,
    Scenario,
    Texts,
)

_DATA = files(__name__)
#: The texts of synthetic events (see :class:`~.model.Texts`).
TEXTS: Texts = load_texts(_DATA)
CATEGORY_NL = TEXTS.category_nl
ABOUT_A_CHILD = TEXTS.about_a_child
ABOUT_AN_ADULT = TEXTS.about_an_adult
SIGNAL_TEXTS = TEXTS.signal_texts
EVENT_TEXTS = TEXTS.event_texts
#: The scenarios by name, in the catalogue's order.
SCENARIOS: dict[str, Scenario] = load_scenarios(_DATA)

__all__ = [
    "ABOUT_AN_ADULT",
    "ABOUT_A_CHILD",
    "BASIS_GROUPS",
    "CATEGORY_NL",
    "CLOCK",
    "EVENT_TEXTS",
    "MELDING",
    "OFFICE",
    "OVERLEG",
    "RADAR",
    "RHYTHMS",
    "ROUTES",
    "SCENARIOS",
    "SCHOOL",
    "SIGNAL_TEXTS",
    "TEXTS",
    "ActorSpec",
    "Scenario",
    "Texts",
    "load_scenarios",
    "load_texts",
]
