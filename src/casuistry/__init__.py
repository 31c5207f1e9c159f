"""casuistry: learn from cases that went wrong.

Reconstruct anonymised case timelines into signal graphs, measure how long
signals sat in separate silos before they converged, list the missed
opportunities and write retrospective learning reports.

The public API (imported lazily, so ``import casuistry`` stays quick):

- :func:`load` and :func:`validate`: read and check case tables.
- :func:`analyse`, :func:`what_if`, :func:`signal_graph`: the analysis.
- :func:`report`: the learning report.
- :func:`synthesize`: synthetic cases with planted truth.
- :func:`anonymise`, :func:`scan_identifiers`: the identifier guard.
- :func:`export` and :func:`merge`: normalised tables and OCEL 2.0 out;
  one chronology from several organisations' tables.
- :func:`example_path`: a small bundled case to try things on.
- :mod:`casuistry.corpus`: research over many cases (survival curves, silo-pair
  matrices, reasons); :mod:`casuistry.viz`: pictures and notebook display.

Examples
--------
>>> import casuistry
>>> book = casuistry.load(casuistry.example_path())
>>> book.case_ids
['puzzel-1']
"""

from __future__ import annotations

from casuistry.lazy import attach

__version__ = "0.1.0"

_LAZY = {
    "load": "casuistry.loading",
    "validate": "casuistry.loading",
    "example_path": "casuistry.examples",
    "Casebook": "casuistry.casebook",
    "CasuistryError": "casuistry.errors",
    "InputError": "casuistry.errors",
    "InvalidCase": "casuistry.errors",
    "UnknownCase": "casuistry.errors",
    "analyse": "casuistry.analysis",
    "Analysis": "casuistry.analysis",
    "what_if": "casuistry.whatif",
    "signal_graph": "casuistry.graph",
    "report": "casuistry.reporting.writer",
    "synthesize": "casuistry.synthetic",
    "anonymise": "casuistry.privacy",
    "scan_identifiers": "casuistry.privacy",
    "export": "casuistry.exporting",
    "merge": "casuistry.merging",
}

#: Public modules of functions by family, also imported on first use.
_MODULES = ("corpus", "viz")

__getattr__, __dir__, __all__ = attach(__name__, _LAZY, modules=_MODULES)
