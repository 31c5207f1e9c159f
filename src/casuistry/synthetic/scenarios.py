"""The five scenarios of synthetic cases, as data.

Each scenario is one of the five situations of the project's vocabulary
(``VOCABULARY.md``): its organisations with their silo, label and rhythm, the
signals each of them tends to see, the routes by which the pieces may come
together, the legal bases recorded for shares, the usual reasons for not
sharing, and the Dutch texts that become the ``description`` cells. The
generator (:mod:`casuistry.synthetic.generator`) reads nothing else, so a new
scenario is a new entry in :data:`SCENARIOS`.

Texts name roles only (``kind-1``, ``moeder``, ``bewoner``, ``schipper``) and
hold no number that could be read as an identifier.

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
"""

from __future__ import annotations

from dataclasses import dataclass, field

OFFICE = "office"
SCHOOL = "school"
CLOCK = "clock"

OVERLEG = "overleg"
MELDING = "melding"
RADAR = "radar"


@dataclass(frozen=True)
class ActorSpec:
    """One organisation (or role) a scenario may involve.

    Attributes
    ----------
    name, silo, label : str
        The ``actors`` table row.
    rhythm : str
        ``office``, ``school`` or ``clock`` (see the module notes).
    observes : tuple of (str, float)
        Signal categories it sees, with relative weights; empty for a hub or
        a follower.
    rate : float
        Mean number of signals it sees per 90 days while a case runs.
    weight : float
        Relative chance of taking part in a case.
    source : str
        Where a reconstruction finds its events; ``{page}`` becomes a page
        number, ``{ref}`` a registration number.
    """

    name: str
    silo: str
    label: str
    rhythm: str = OFFICE
    observes: tuple[tuple[str, float], ...] = ()
    rate: float = 0.0
    weight: float = 1.0
    source: str = "dossier p.{page}"


@dataclass(frozen=True)
class Scenario:
    """A situation of the vocabulary turned into a recipe for cases.

    Attributes
    ----------
    name, prefix, title : str
        Key, case-id prefix (``hg`` gives ``hg-0001``) and a Dutch title.
    story : str
        Two sentences on what the cases are about (used in READMEs).
    hubs : tuple of (str, float)
        Who convenes the case table, with weights; a hub never observes.
    observers : tuple of str
        Organisations that see signals.
    followers : tuple of str
        Organisations that only come in once the case is on the table (a
        certified institution, the public prosecutor).
    actors : tuple of ActorSpec
        Every actor named above, in the order of the actors table.
    same_silo : tuple of (str, str)
        Sender and recipient of ordinary shares inside one silo (the school
        telling the school-attendance officer).
    routes : tuple of (str, float)
        ``overleg``, ``melding``, ``radar`` with weights.
    subjects : tuple of (str, float)
        Roles the events are about.
    bases : dict
        Legal bases per kind of share: ``same_silo``, ``report`` (to the
        table), ``update`` (after it), ``follower`` (to a follower),
        ``after_incident``.
    reason_mix : dict
        Default weights of the reasons for not sharing.
    incidents : tuple of (str, str)
        Actor where an incident surfaces and its description.
    closings : tuple of str
        Descriptions of the action that closes a case without an incident.
    hub_actions, follower_actions : tuple of str
        Descriptions of actions once the case is on the table.
    case_length_days, n_organisations : int
        Defaults of the knobs of the same name.
    incident_rate : float
        Default share of cases that end in an incident.
    """

    name: str
    prefix: str
    title: str
    story: str
    hubs: tuple[tuple[str, float], ...]
    observers: tuple[str, ...]
    followers: tuple[str, ...]
    actors: tuple[ActorSpec, ...]
    same_silo: tuple[tuple[str, str], ...]
    routes: tuple[tuple[str, float], ...]
    subjects: tuple[tuple[str, float], ...]
    bases: dict[str, tuple[str, ...]]
    reason_mix: dict[str, float]
    incidents: tuple[tuple[str, str], ...]
    closings: tuple[str, ...]
    hub_actions: tuple[str, ...]
    follower_actions: tuple[str, ...] = ()
    case_length_days: int = 240
    n_organisations: int = 5
    incident_rate: float = 0.35
    _by_name: dict[str, ActorSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_by_name", {a.name: a for a in self.actors})

    def actor(self, name: str) -> ActorSpec:
        """The actor called ``name``."""
        return self._by_name[name]


#: What a signal of each category is about, as it reads in a Dutch sentence.
CATEGORY_NL: dict[str, str] = {
    "verzuim": "het schoolverzuim",
    "letsel": "het letsel",
    "vermoeden_kindermishandeling": "het vermoeden van kindermishandeling",
    "huiselijk_geweld": "het huiselijk geweld",
    "acute_onveiligheid": "de acute onveiligheid",
    "structurele_onveiligheid": "de structurele onveiligheid",
    "huurachterstand": "de huurachterstand",
    "betalingsachterstand_energie": "de achterstand bij het energiebedrijf",
    "betalingsachterstand_water": "de achterstand bij het waterbedrijf",
    "betalingsachterstand_zorgverzekering": "de premieachterstand zorgverzekering",
    "schulden": "de schulden",
    "psychische_problemen_ouder": "de psychische problemen van een ouder",
    "middelengebruik": "het middelengebruik",
    "nieuwe_volwassene_in_huis": "de nieuwe volwassene in huis",
    "zorgmijding": "de zorgmijding",
    "overlast": "de overlast",
    "ongebruikelijke_transactie": "de ongebruikelijke transacties",
    "afwijkend_energieverbruik": "het afwijkende energieverbruik",
    "adresfraude": "de inschrijvingen op het adres",
    "verdachte_lading": "de verdachte lading",
    "vaartuig_zonder_melding": "het vaartuig zonder melding",
    "afwijkend_vaargedrag": "het afwijkende vaargedrag",
}

#: Categories of signals that are about a child, and about an adult; the
#: generator picks the ``subject`` role to fit.
ABOUT_A_CHILD = frozenset({"verzuim", "vermoeden_kindermishandeling"})
ABOUT_AN_ADULT = frozenset(
    {
        "huurachterstand",
        "betalingsachterstand_energie",
        "betalingsachterstand_water",
        "betalingsachterstand_zorgverzekering",
        "schulden",
        "psychische_problemen_ouder",
        "middelengebruik",
        "nieuwe_volwassene_in_huis",
        "zorgmijding",
        "overlast",
        "ongebruikelijke_transactie",
        "afwijkend_energieverbruik",
        "adresfraude",
    }
)

#: Descriptions of signals; ``{s}`` is the subject role, ``{S}`` the same capitalised.
SIGNAL_TEXTS: dict[str, tuple[str, ...]] = {
    "verzuim": (
        "{S} is vaak afwezig op maandag",
        "Verzuim loopt op; {s} mist lessen zonder afmelding",
        "{S} komt regelmatig te laat en oogt moe",
        "Ongeoorloofd verzuim van {s}; ouders reageren niet op berichten",
    ),
    "letsel": (
        "Blauwe plekken op de bovenarm van {s} gezien",
        "{S} heeft een brandwond die niet bij de uitleg past",
        "Letsel in het gezicht van {s}; de uitleg wisselt",
    ),
    "vermoeden_kindermishandeling": (
        "Zorgen over de verzorging van {s}: kleding vuil, vaak honger",
        "{S} vertelt over harde straffen thuis",
        "{S} schrikt bij aanraking en wil niet naar huis",
    ),
    "huiselijk_geweld": (
        "Melding van buren: geschreeuw en gestommel bij {s} thuis",
        "{S} vertelt over ruzies thuis waarbij geslagen wordt",
        "Politie ter plaatse na een melding van ruzie; {s} aanwezig",
    ),
    "acute_onveiligheid": (
        "{S} belt in paniek; er wordt gedreigd in huis",
        "Ernstige bedreiging van {s} door een huisgenoot",
    ),
    "structurele_onveiligheid": (
        "Aanhoudende spanningen in het gezin; {s} voelt zich thuis niet veilig",
        "Patroon van conflicten en dreiging rond {s}",
    ),
    "huurachterstand": (
        "Huurachterstand van twee maanden bij {s}",
        "Huurachterstand loopt op; betalingsregeling niet nagekomen",
        "Geen reactie van {s} op aanmaningen over de huur",
    ),
    "betalingsachterstand_energie": (
        "Betalingsachterstand energie bij {s}",
        "Termijnbedrag energie twee keer niet betaald",
    ),
    "betalingsachterstand_water": (
        "Betalingsachterstand drinkwater bij {s}",
        "Aanmaning drinkwater onbeantwoord",
    ),
    "betalingsachterstand_zorgverzekering": (
        "Premieachterstand zorgverzekering bij {s}",
        "Zorgpremie drie maanden niet betaald",
    ),
    "schulden": (
        "{S} noemt oplopende schulden",
        "Beslag gelegd op het inkomen van {s}",
        "{S} opent de post niet meer",
    ),
    "psychische_problemen_ouder": (
        "{S} oogt somber en verward tijdens het consult",
        "{S} vertelt niet meer te slapen en het overzicht kwijt te zijn",
    ),
    "middelengebruik": (
        "Vermoeden van alcoholgebruik bij {s}",
        "{S} ruikt naar alcohol bij het ophalen van de kinderen",
    ),
    "nieuwe_volwassene_in_huis": (
        "Nieuwe partner woont sinds kort bij {s} in huis",
        "Ex-partner na detentie terug in het huis van {s}",
    ),
    "zorgmijding": (
        "{S} zegt afspraken steeds af",
        "{S} komt niet op controle en is niet bereikbaar",
    ),
    "overlast": (
        "Klachten van buren over geluidsoverlast bij {s}",
        "Overlast en veel bezoek op wisselende tijden bij {s}",
    ),
    "ongebruikelijke_transactie": (
        "Grote contante stortingen op de rekening van {s}",
        "Betalingen van {s} aan onbekende buitenlandse partijen",
    ),
    "afwijkend_energieverbruik": (
        "Sterk afwijkend stroomverbruik op het adres van {s}",
        "Vermoeden van stroom aftappen vóór de meter bij {s}",
    ),
    "adresfraude": (
        "Meer mensen ingeschreven op het adres van {s} dan er wonen",
        "Postadres van {s} gebruikt door onbekende bedrijven",
    ),
    "verdachte_lading": (
        "Afwijkend scanbeeld van een container van {s}",
        "Lading van {s} komt niet overeen met de vrachtbrief",
    ),
    "vaartuig_zonder_melding": (
        "Vaartuig van {s} voer zonder vooraanmelding de haven in",
        "AIS van het vaartuig van {s} stond een nacht uit",
    ),
    "afwijkend_vaargedrag": (
        "Vaartuig van {s} lag uren stil op open zee naast een ander schip",
        "Vaartuig van {s} week af van de opgegeven route",
    ),
}

#: Descriptions of the other kinds of event. ``{to}`` is the label of the
#: recipient or other party, ``{what}`` a phrase from :data:`CATEGORY_NL`,
#: ``{reason}`` the Dutch text of a reason, ``{S}``/``{s}`` the subject.
EVENT_TEXTS: dict[str, tuple[str, ...]] = {
    "same_silo": (
        "Zorg over {what} doorgegeven aan {to}",
        "{to} geïnformeerd over {what}",
    ),
    "report": (
        "Melding over {what} bij {to}",
        "Zorgen over {what} gemeld bij {to}",
    ),
    "melding": (
        "Zorgen over {what} gedeeld met {to}, samen met eerdere signalen",
        "Alle zorgen over {s} besproken met {to}",
    ),
    "update": (
        "Nieuw signaal over {what} doorgegeven aan {to}",
        "{to} bijgepraat over {what}",
    ),
    "follower": (
        "Verzoek aan {to} om mee te kijken",
        "Dossier overgedragen aan {to}",
    ),
    "after_incident": (
        "Melding na het incident bij {to}",
        "Na het incident alle eerdere zorgen gedeeld met {to}",
    ),
    "withhold": (
        "Niet gedeeld met {to}: {reason}",
        "Overwogen {to} te informeren over {what}; niet gedaan ({reason})",
    ),
    "contact_quiet": (
        "Telefonisch contact met {to} over een ander onderwerp; zorgen niet besproken",
        "Overleg met {to} over een andere zaak; {s} niet ter sprake gekomen",
    ),
    "contact_nothing": (
        "Kennismaking met {to}",
        "Afspraken gemaakt met {to} over bereikbaarheid",
    ),
    "contact_after": (
        "Afstemming met {to} over de aanpak",
        "Korte afstemming met {to} na het overleg",
    ),
    "table_meeting": (
        "Eerste casusoverleg: de signalen van alle partijen op tafel",
        "Casusoverleg over {s}: zorgen van de partijen naast elkaar gelegd",
    ),
    "first_round": (
        "Casusoverleg met alle betrokken partijen",
        "Breed overleg: iedere partij vertelt wat zij weet",
    ),
    "follow_meeting": (
        "Vervolgoverleg: stand van zaken",
        "Overleg over de voortgang van de hulp",
    ),
    "listed_meeting": (
        "Overleg over {what}",
        "Korte bespreking van {what}",
    ),
    "observer_action": (
        "Gesprek met {s} over de zorgen",
        "Zorgen besproken met een collega (meldcode stap twee)",
    ),
}


def _actor(
    name, silo, label, rhythm=OFFICE, observes=(), rate=0.0, weight=1.0, source="dossier p.{page}"
):
    return ActorSpec(name, silo, label, rhythm, tuple(observes), rate, weight, source)


_JEUGDBESCHERMING = Scenario(
    name="jeugdbescherming",
    prefix="jb",
    title="Jeugdbescherming: zorgen om een kind",
    story="School, jeugdgezondheidszorg, huisarts en wijkagent zien elk iets van een kind "
    "dat het thuis niet goed heeft. Het wijkteam of Veilig Thuis brengt de stukken "
    "samen; soms volgt een ondertoezichtstelling.",
    hubs=(("wijkteam", 0.7), ("veilig_thuis", 0.3)),
    observers=(
        "school",
        "leerplicht",
        "jgz",
        "huisarts",
        "wijkagent",
        "woningcorporatie",
        "jeugdhulp",
    ),
    followers=("gi", "raad"),
    actors=(
        _actor(
            "school",
            "onderwijs",
            "Basisschool",
            SCHOOL,
            (("verzuim", 5), ("vermoeden_kindermishandeling", 2.5), ("letsel", 2.5)),
            rate=1.6,
            weight=0.95,
            source="dossier school p.{page}",
        ),
        _actor(
            "leerplicht",
            "onderwijs",
            "Leerplichtambtenaar",
            OFFICE,
            (("verzuim", 1),),
            rate=0.7,
            weight=0.4,
            source="dossier leerplicht p.{page}",
        ),
        _actor(
            "jgz",
            "zorg",
            "Jeugdgezondheidszorg (JGZ)",
            OFFICE,
            (
                ("zorgmijding", 4),
                ("vermoeden_kindermishandeling", 3),
                ("psychische_problemen_ouder", 3),
            ),
            rate=0.8,
            weight=0.6,
            source="JGZ-dossier p.{page}",
        ),
        _actor(
            "huisarts",
            "zorg",
            "Huisarts",
            OFFICE,
            (("letsel", 4), ("psychische_problemen_ouder", 4), ("middelengebruik", 2)),
            rate=0.9,
            weight=0.7,
            source="HIS huisarts",
        ),
        _actor(
            "wijkagent",
            "politie",
            "Wijkagent",
            CLOCK,
            (("huiselijk_geweld", 6), ("overlast", 4)),
            rate=0.9,
            weight=0.6,
            source="BVH-mutatie {ref}",
        ),
        _actor(
            "woningcorporatie",
            "wonen",
            "Woningcorporatie",
            OFFICE,
            (("huurachterstand", 7), ("overlast", 3)),
            rate=0.6,
            weight=0.5,
            source="dossier corporatie p.{page}",
        ),
        _actor(
            "jeugdhulp",
            "jeugdhulp",
            "Jeugdhulpaanbieder",
            OFFICE,
            (("structurele_onveiligheid", 5), ("vermoeden_kindermishandeling", 5)),
            rate=0.8,
            weight=0.4,
            source="dossier jeugdhulp p.{page}",
        ),
        _actor("wijkteam", "gemeente", "Sociaal wijkteam", source="verslag wijkteam p.{page}"),
        _actor("veilig_thuis", "veilig_thuis", "Veilig Thuis", source="dossier VT p.{page}"),
        _actor("gi", "jeugdhulp", "Gecertificeerde instelling", source="dossier GI p.{page}"),
        _actor(
            "raad", "jeugdhulp", "Raad voor de Kinderbescherming", source="rapport Raad p.{page}"
        ),
    ),
    same_silo=(
        ("school", "leerplicht"),
        ("leerplicht", "school"),
        ("jgz", "huisarts"),
        ("huisarts", "jgz"),
    ),
    routes=((OVERLEG, 0.5), (MELDING, 0.3), (RADAR, 0.2)),
    subjects=(("kind-1", 5), ("kind-2", 1), ("moeder", 2.5), ("vader", 1.5)),
    bases={
        "same_silo": ("jeugdwet-7.3.11-2", "avg-6.1.e"),
        "report": ("jeugdwet-7.3.11-2", "meldrecht-wmo-5.2.6", "toestemming", "meldcode"),
        "update": ("jeugdwet-7.3.11-2", "avg-6.1.e"),
        "follower": ("jeugdwet-7.3.11-4", "avg-6.1.e"),
        "after_incident": ("meldcode", "meldrecht-wmo-5.2.6"),
    },
    reason_mix={
        "privacy_uncertainty": 0.3,
        "no_consent": 0.25,
        "not_relevant": 0.15,
        "unknown_partner": 0.15,
        "no_mandate": 0.05,
        "capacity": 0.05,
        "no_legal_basis": 0.05,
    },
    incidents=(
        ("school", "{S} komt met ernstig letsel op school"),
        ("wijkagent", "Ernstig geweld thuis; {s} met spoed uit huis geplaatst"),
    ),
    closings=(
        "Casus afgesloten; hulp loopt via het wijkteam",
        "Gezin verhuisd naar een andere gemeente; dossier gesloten",
    ),
    hub_actions=(
        "Plan van aanpak opgesteld met het gezin",
        "Onderzoek naar de veiligheid gestart",
        "Vrijwillige hulp ingezet",
    ),
    follower_actions=("Ondertoezichtstelling uitgesproken", "Raadsonderzoek gestart"),
    case_length_days=300,
    n_organisations=5,
    incident_rate=0.3,
)

_HUISELIJK_GEWELD = Scenario(
    name="huiselijk_geweld",
    prefix="hg",
    title="Huiselijk geweld: een gezin onder spanning",
    story="Huisarts, politie, school en corporatie zien signalen van geweld en spanning in "
    "een gezin. Veilig Thuis of het wijkteam legt de meldingen naast elkaar; niet elke zaak "
    "komt op tijd op tafel.",
    hubs=(("veilig_thuis", 0.7), ("wijkteam", 0.3)),
    observers=("huisarts", "seh", "wijkagent", "school", "woningcorporatie", "ggz"),
    followers=("reclassering", "om"),
    actors=(
        _actor(
            "huisarts",
            "zorg",
            "Huisarts",
            OFFICE,
            (("letsel", 4), ("psychische_problemen_ouder", 3), ("middelengebruik", 3)),
            rate=1.0,
            weight=0.85,
            source="HIS huisarts",
        ),
        _actor(
            "seh",
            "zorg",
            "Spoedeisende hulp",
            CLOCK,
            (("letsel", 1),),
            rate=0.5,
            weight=0.4,
            source="SEH-verslag p.{page}",
        ),
        _actor(
            "wijkagent",
            "politie",
            "Wijkagent",
            CLOCK,
            (("huiselijk_geweld", 6), ("overlast", 2), ("acute_onveiligheid", 2)),
            rate=1.3,
            weight=0.9,
            source="BVH-mutatie {ref}",
        ),
        _actor(
            "school",
            "onderwijs",
            "Basisschool",
            SCHOOL,
            (("verzuim", 5), ("vermoeden_kindermishandeling", 5)),
            rate=1.0,
            weight=0.6,
            source="dossier school p.{page}",
        ),
        _actor(
            "woningcorporatie",
            "wonen",
            "Woningcorporatie",
            OFFICE,
            (("overlast", 5), ("huurachterstand", 5)),
            rate=0.7,
            weight=0.5,
            source="dossier corporatie p.{page}",
        ),
        _actor(
            "ggz",
            "zorg",
            "GGZ-instelling",
            OFFICE,
            (("psychische_problemen_ouder", 6), ("middelengebruik", 4)),
            rate=0.7,
            weight=0.35,
            source="GGZ-dossier p.{page}",
        ),
        _actor("veilig_thuis", "veilig_thuis", "Veilig Thuis", source="dossier VT p.{page}"),
        _actor("wijkteam", "gemeente", "Sociaal wijkteam", source="verslag wijkteam p.{page}"),
        _actor("reclassering", "justitie", "Reclassering", source="advies reclassering p.{page}"),
        _actor("om", "justitie", "Openbaar Ministerie", source="OM-dossier p.{page}"),
    ),
    same_silo=(("huisarts", "ggz"), ("ggz", "huisarts"), ("seh", "huisarts")),
    routes=((RADAR, 0.5), (OVERLEG, 0.3), (MELDING, 0.2)),
    subjects=(("moeder", 4), ("vader", 2), ("kind-1", 3), ("kind-2", 1)),
    bases={
        "same_silo": ("avg-9.2.g", "toestemming"),
        "report": ("meldcode", "meldrecht-wmo-5.2.6", "avg-6.1.e", "conflict-van-plichten"),
        "update": ("meldrecht-wmo-5.2.6", "avg-6.1.e"),
        "follower": ("avg-6.1.e", "avg-6.1.c"),
        "after_incident": ("meldcode", "conflict-van-plichten"),
    },
    reason_mix={
        "privacy_uncertainty": 0.3,
        "no_consent": 0.3,
        "not_relevant": 0.15,
        "unknown_partner": 0.1,
        "no_mandate": 0.05,
        "capacity": 0.05,
        "other": 0.05,
    },
    incidents=(
        ("wijkagent", "Ernstig geweldsincident in de woning; {s} gewond"),
        ("seh", "{S} met ernstig letsel op de spoedeisende hulp"),
    ),
    closings=("Casus afgesloten; veiligheid hersteld", "Gezin verhuisd; dossier gesloten"),
    hub_actions=(
        "Onderzoek naar de veiligheid gestart",
        "Veiligheidsplan opgesteld met het gezin",
        "Huisverbod geadviseerd",
    ),
    follower_actions=("Toezicht door de reclassering gestart", "Zaak voorgelegd aan de officier"),
    case_length_days=240,
    n_organisations=5,
    incident_rate=0.35,
)

_ONDERMIJNING = Scenario(
    name="ondermijning",
    prefix="om",
    title="Ondermijning: een adres waar het niet klopt",
    story="Politie, gemeente, belastingdienst, bank, corporatie en energiebedrijf zien "
    "losse stukjes van criminele activiteit rond een adres. Een casustafel van het Zorg- en "
    "Veiligheidshuis kan ze samenbrengen.",
    hubs=(("zvh", 1.0),),
    observers=("politie", "handhaving", "belastingdienst", "bank", "woningcorporatie", "energie"),
    followers=("om",),
    actors=(
        _actor(
            "politie",
            "politie",
            "Politie (wijkagent en recherche)",
            CLOCK,
            (("overlast", 5), ("afwijkend_energieverbruik", 2), ("ongebruikelijke_transactie", 3)),
            rate=1.0,
            weight=0.9,
            source="BVH-mutatie {ref}",
        ),
        _actor(
            "handhaving",
            "gemeente",
            "Gemeente, handhaving en burgerzaken",
            OFFICE,
            (("adresfraude", 6), ("overlast", 4)),
            rate=0.7,
            weight=0.7,
            source="dossier gemeente p.{page}",
        ),
        _actor(
            "belastingdienst",
            "schuldhulp",
            "Belastingdienst",
            OFFICE,
            (("ongebruikelijke_transactie", 6), ("schulden", 4)),
            rate=0.5,
            weight=0.5,
            source="dossier belastingdienst p.{page}",
        ),
        _actor(
            "bank",
            "bank",
            "Bank",
            OFFICE,
            (("ongebruikelijke_transactie", 1),),
            rate=0.8,
            weight=0.6,
            source="melding bank p.{page}",
        ),
        _actor(
            "woningcorporatie",
            "wonen",
            "Woningcorporatie",
            OFFICE,
            (("overlast", 5), ("adresfraude", 3), ("huurachterstand", 2)),
            rate=0.6,
            weight=0.6,
            source="dossier corporatie p.{page}",
        ),
        _actor(
            "energie",
            "nutsbedrijf",
            "Netbeheerder",
            OFFICE,
            (("afwijkend_energieverbruik", 1),),
            rate=0.5,
            weight=0.5,
            source="rapport netbeheerder p.{page}",
        ),
        _actor("zvh", "gemeente", "Zorg- en Veiligheidshuis", source="verslag casustafel p.{page}"),
        _actor("om", "justitie", "Openbaar Ministerie", source="OM-dossier p.{page}"),
    ),
    same_silo=(),
    routes=((OVERLEG, 0.7), (MELDING, 0.3)),
    subjects=(("bewoner", 5), ("huurder", 3), ("ondernemer", 2)),
    bases={
        "same_silo": ("avg-6.1.e",),
        "report": ("convenant-zvh", "avg-6.1.e", "avg-6.1.c"),
        "update": ("convenant-zvh", "avg-6.1.e"),
        "follower": ("avg-6.1.c", "convenant-zvh"),
        "after_incident": ("avg-6.1.c",),
    },
    reason_mix={
        "no_legal_basis": 0.3,
        "privacy_uncertainty": 0.25,
        "no_mandate": 0.15,
        "unknown_partner": 0.15,
        "not_relevant": 0.1,
        "capacity": 0.05,
    },
    incidents=(
        ("politie", "Explosie bij de woning van {s}"),
        ("politie", "Inval: hennepkwekerij aangetroffen in de woning van {s}"),
    ),
    closings=("Casus afgesloten; geen nieuwe signalen", "Bewoner vertrokken; pand gesloten"),
    hub_actions=("Bestuurlijke aanpak afgesproken", "Integrale controle van het pand gepland"),
    follower_actions=("Strafrechtelijk onderzoek gestart",),
    case_length_days=365,
    n_organisations=5,
    incident_rate=0.3,
)

_PUBLIEK_PRIVAAT = Scenario(
    name="publiek_privaat",
    prefix="pp",
    title="Publiek-privaat: vroegsignalering van schulden",
    story="Corporatie, energie- en waterbedrijf, zorgverzekeraar en bank zien achterstanden "
    "van hetzelfde huishouden. Vroegsignalering brengt ze bij de gemeentelijke "
    "schuldhulpverlening; soms pas na een huisuitzetting.",
    hubs=(("schuldhulp", 0.7), ("wijkteam", 0.3)),
    observers=("woningcorporatie", "energie", "water", "zorgverzekeraar", "bank", "huisarts"),
    followers=("bewindvoering",),
    actors=(
        _actor(
            "woningcorporatie",
            "wonen",
            "Woningcorporatie",
            OFFICE,
            (("huurachterstand", 8), ("overlast", 2)),
            rate=1.2,
            weight=0.9,
            source="dossier corporatie p.{page}",
        ),
        _actor(
            "energie",
            "nutsbedrijf",
            "Energieleverancier",
            OFFICE,
            (("betalingsachterstand_energie", 1),),
            rate=0.9,
            weight=0.8,
            source="vroegsignaal energie p.{page}",
        ),
        _actor(
            "water",
            "nutsbedrijf",
            "Drinkwaterbedrijf",
            OFFICE,
            (("betalingsachterstand_water", 1),),
            rate=0.6,
            weight=0.6,
            source="vroegsignaal water p.{page}",
        ),
        _actor(
            "zorgverzekeraar",
            "nutsbedrijf",
            "Zorgverzekeraar",
            OFFICE,
            (("betalingsachterstand_zorgverzekering", 1),),
            rate=0.6,
            weight=0.6,
            source="vroegsignaal zorgverzekeraar p.{page}",
        ),
        _actor(
            "bank",
            "bank",
            "Bank",
            OFFICE,
            (("schulden", 7), ("ongebruikelijke_transactie", 3)),
            rate=0.6,
            weight=0.5,
            source="dossier bank p.{page}",
        ),
        _actor(
            "huisarts",
            "zorg",
            "Huisarts",
            OFFICE,
            (("psychische_problemen_ouder", 5), ("zorgmijding", 5)),
            rate=0.5,
            weight=0.4,
            source="HIS huisarts",
        ),
        _actor(
            "schuldhulp",
            "schuldhulp",
            "Gemeentelijke schuldhulpverlening",
            source="dossier schuldhulp p.{page}",
        ),
        _actor("wijkteam", "gemeente", "Sociaal wijkteam", source="verslag wijkteam p.{page}"),
        _actor(
            "bewindvoering",
            "schuldhulp",
            "Beschermingsbewindvoerder",
            source="dossier bewindvoering p.{page}",
        ),
    ),
    same_silo=(),
    routes=((RADAR, 0.6), (OVERLEG, 0.3), (MELDING, 0.1)),
    subjects=(("bewoner", 5), ("huurder", 3), ("gezin", 2)),
    bases={
        "same_silo": ("wgs-vroegsignalering",),
        "report": ("wgs-vroegsignalering", "avg-6.1.c", "toestemming"),
        "update": ("wgs-vroegsignalering", "toestemming"),
        "follower": ("toestemming", "avg-6.1.c"),
        "after_incident": ("avg-6.1.e",),
    },
    reason_mix={
        "not_relevant": 0.3,
        "no_consent": 0.25,
        "privacy_uncertainty": 0.2,
        "unknown_partner": 0.15,
        "capacity": 0.1,
    },
    incidents=(
        ("woningcorporatie", "Huisuitzetting van {s} wegens huurachterstand"),
        ("energie", "Energie afgesloten bij {s}"),
    ),
    closings=(
        "Schuldregeling getroffen; casus afgesloten",
        "Achterstanden ingelopen; dossier gesloten",
    ),
    hub_actions=(
        "Huisbezoek afgelegd",
        "Schuldhulptraject gestart",
        "Betalingsregelingen met de schuldeisers getroffen",
    ),
    follower_actions=("Beschermingsbewind ingesteld",),
    case_length_days=300,
    n_organisations=5,
    incident_rate=0.25,
)

_DOUANE_KUSTWACHT = Scenario(
    name="douane_kustwacht",
    prefix="dk",
    title="Douane en kustwacht: een vaartuig en zijn lading",
    story="Douane, kustwacht, zeehavenpolitie en havenmeester zien elk iets van een vaartuig "
    "en zijn lading. Het Openbaar Ministerie kan de signalen in een overleg samenbrengen, "
    "soms pas nadat de lading al gelost is.",
    hubs=(("om", 1.0),),
    observers=("douane", "kustwacht", "zeehavenpolitie", "havenmeester", "bank"),
    followers=("fiod",),
    actors=(
        _actor(
            "douane",
            "douane",
            "Douane",
            CLOCK,
            (("verdachte_lading", 8), ("vaartuig_zonder_melding", 2)),
            rate=2.0,
            weight=0.95,
            source="douanerapport {ref}",
        ),
        _actor(
            "kustwacht",
            "kustwacht",
            "Kustwacht",
            CLOCK,
            (("afwijkend_vaargedrag", 6), ("vaartuig_zonder_melding", 4)),
            rate=2.0,
            weight=0.9,
            source="kustwachtlog p.{page}",
        ),
        _actor(
            "zeehavenpolitie",
            "politie",
            "Zeehavenpolitie",
            CLOCK,
            (("verdachte_lading", 5), ("vaartuig_zonder_melding", 5)),
            rate=1.5,
            weight=0.7,
            source="BVH-mutatie {ref}",
        ),
        _actor(
            "havenmeester",
            "gemeente",
            "Havenbedrijf (havenmeester)",
            OFFICE,
            (("vaartuig_zonder_melding", 7), ("afwijkend_vaargedrag", 3)),
            rate=1.2,
            weight=0.6,
            source="havenregister p.{page}",
        ),
        _actor(
            "bank",
            "bank",
            "Bank",
            OFFICE,
            (("ongebruikelijke_transactie", 1),),
            rate=0.8,
            weight=0.3,
            source="melding bank p.{page}",
        ),
        _actor("om", "justitie", "Openbaar Ministerie", source="OM-dossier p.{page}"),
        _actor("fiod", "justitie", "FIOD", source="FIOD-dossier p.{page}"),
    ),
    same_silo=(),
    routes=((OVERLEG, 0.6), (MELDING, 0.4)),
    subjects=(("schipper", 5), ("bemanning", 3), ("verlader", 2)),
    bases={
        "same_silo": ("avg-6.1.e",),
        "report": ("avg-6.1.c", "avg-6.1.e"),
        "update": ("avg-6.1.c", "avg-6.1.e"),
        "follower": ("avg-6.1.c",),
        "after_incident": ("avg-6.1.c",),
    },
    reason_mix={
        "no_legal_basis": 0.3,
        "no_mandate": 0.2,
        "unknown_partner": 0.2,
        "privacy_uncertainty": 0.15,
        "capacity": 0.15,
    },
    incidents=(
        ("douane", "Partij verdovende middelen aangetroffen na lossing; {s} uit beeld"),
        ("kustwacht", "Vaartuig van {s} vertrokken zonder controle"),
    ),
    closings=(
        "Controle zonder bevindingen; casus afgesloten",
        "Vaartuig vertrokken naar het buitenland; dossier gesloten",
    ),
    hub_actions=(
        "Gezamenlijke controle bij aankomst gepland",
        "Vaartuig op de controlelijst gezet",
    ),
    follower_actions=("Financieel onderzoek gestart",),
    case_length_days=120,
    n_organisations=4,
    incident_rate=0.35,
)

#: The scenarios by name.
SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        _JEUGDBESCHERMING,
        _HUISELIJK_GEWELD,
        _ONDERMIJNING,
        _PUBLIEK_PRIVAAT,
        _DOUANE_KUSTWACHT,
    )
}
