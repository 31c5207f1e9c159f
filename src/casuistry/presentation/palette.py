"""Every colour of casuistry, each defined once; one colour per silo, the same everywhere.

The colours come from two colour-blind-safe sets: the Okabe–Ito palette
(Okabe and Ito, 2008) and Paul Tol's *muted* scheme. Known silos of the
vocabulary get a fixed colour, chosen so that silos that usually meet in one
case differ clearly; any other silo name gets one of the same colours from a
stable hash of its name, so it too keeps its colour in every run and report.

Examples
--------
>>> silo_colour("onderwijs")
'#E69F00'
>>> silo_colour("zorg")
'#56B4E9'
>>> silo_colour("harbour") == silo_colour("harbour")
True
"""

from __future__ import annotations

import hashlib

#: Lines, outlines and marks that carry no silo.
INK = "#222222"
#: The incident, and a withhold that kept a signal from another silo.
INCIDENT = "#B2182B"
#: Secondary lines (a meeting, a discussion).
GREY = "#555555"
#: A knew-edge of the graph: knowledge, not an event.
FAINT = "#888888"
#: The horizon when no incident sets it.
HORIZON = "#777777"
#: A legend sample that stands for any silo colour.
ANY_SILO = "#999999"
#: The outline of a legend sample of decision days.
HATCH = "#666666"
#: Event ids beside their marks.
ID_LABEL = "#444444"
#: Grid lines of a time axis.
GRID = "#DDDDDD"
#: Paper.
WHITE = "#FFFFFF"
#: Buttons and links of a page.
ACCENT = "#0b4f8a"
#: Rules and borders of a page.
RULE = "#d0d0d0"

#: Okabe–Ito (without black) followed by Paul Tol's muted scheme.
COLOURS: tuple[str, ...] = (
    "#E69F00",  # Okabe–Ito orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#332288",  # Tol muted indigo
    "#88CCEE",  # cyan
    "#44AA99",  # teal
    "#117733",  # green
    "#999933",  # olive
    "#DDCC77",  # sand
    "#CC6677",  # rose
    "#882255",  # wine
    "#AA4499",  # purple
)

#: Fixed colours of the silos in the vocabulary (see VOCABULARY in the docs).
SILO_COLOURS: dict[str, str] = {
    "onderwijs": "#E69F00",
    "zorg": "#56B4E9",
    "gemeente": "#009E73",
    "wonen": "#F0E442",
    "politie": "#0072B2",
    "jeugdhulp": "#332288",
    "veilig_thuis": "#CC79A7",
    "bank": "#882255",
    "nutsbedrijf": "#88CCEE",
    "kustwacht": "#44AA99",
    "justitie": "#999933",
    "buurt": "#DDCC77",
    "schuldhulp": "#D55E00",
    "douane": "#AA4499",
}


def silo_colour(silo: str) -> str:
    """The colour of a silo as ``#RRGGBB``.

    Parameters
    ----------
    silo : str
        A silo name as in ``actors.silo`` (or an actor name, when the input
        has no actors table and every actor is its own silo).

    Returns
    -------
    str
        The silo's fixed colour when it is in the vocabulary, otherwise a
        colour picked by a stable hash of the name (never Python's salted
        ``hash``), so it is the same on every machine and in every run.
    """
    name = str(silo)
    if name in SILO_COLOURS:
        return SILO_COLOURS[name]
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return COLOURS[int.from_bytes(digest[:4], "big") % len(COLOURS)]


#: The colour of a key practice episode by its assessment (Okabe-Ito: blue, vermilion, purple).
ASSESSMENT_COLOURS: dict[str, str] = {
    "good": "#0072B2",
    "problematic": "#D55E00",
    "mixed": "#CC79A7",
}


def assessment_colour(assessment: str) -> str:
    """The colour of an episode's assessment, grey for one outside the list.

    >>> assessment_colour("good")
    '#0072B2'
    """
    return ASSESSMENT_COLOURS.get(str(assessment), ANY_SILO)


def silo_palette(silos) -> dict[str, str]:
    """Colours of several silos, keyed by name, in the order given.

    Examples
    --------
    >>> silo_palette(["zorg", "politie"])
    {'zorg': '#56B4E9', 'politie': '#0072B2'}
    """
    return {str(s): silo_colour(s) for s in silos}


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#RRGGBB``).

    Uses the WCAG relative luminance, so labels stay readable on a projector.

    Examples
    --------
    >>> text_colour("#F0E442")
    '#000000'
    >>> text_colour("#332288")
    '#FFFFFF'
    """
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.179 else "#FFFFFF"
