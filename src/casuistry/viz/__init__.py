"""Pictures of a case: timeline lanes, signal journeys, the signal graph with a time slider.

Everything is drawn offline, in one colour per silo (:func:`silo_colour`) that
is the same in every picture and report. Heavy libraries (matplotlib, pyvis)
are imported only when a picture is made.

- :func:`timeline` and :func:`journey_chart` return matplotlib Figures.
- :func:`graph_fragment` and :func:`graph_page` give the interactive signal
  graph as HTML; :func:`show_graph` and :func:`show_report` display a graph or
  a whole report in a notebook, isolated in an ``<iframe srcdoc>``;
  :func:`show_table` shows a table with a dash where a value is missing, and
  of a long table (a corpus' signals) its first 60 rows and how many there are.
"""

from __future__ import annotations

from casuistry.lazy import attach

_LAZY = {
    "silo_colour": "casuistry.presentation.palette",
    "silo_palette": "casuistry.presentation.palette",
    "timeline": "casuistry.viz.lanes",
    "journey_chart": "casuistry.viz.journey",
    "figure_svg": "casuistry.viz.svg",
    "graph_fragment": "casuistry.viz.network",
    "graph_page": "casuistry.viz.network",
    "show_graph": "casuistry.viz.notebook",
    # The report lives in casuistry.reporting (the pictures never import it); notebooks
    # find it here beside show_graph.
    "show_report": "casuistry.reporting.notebook",
    "HTMLPage": "casuistry.viz.notebook",
    "show_table": "casuistry.viz.notebook",
}

__getattr__, __dir__, __all__ = attach(__name__, _LAZY)
