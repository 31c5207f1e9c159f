"""Many cases at once: survival and reach curves, silo pairs, reasons, findings.

The figures of one case (docs/case_format.md sections 2 and 5) become research
questions over a corpus: how long do signals of each silo stay there, how long
until they reach someone who decides, which pairs of silos take longest to
meet, why was information withheld, how much of the time in a silo could a
channel have bridged, how many findings hold without the uncertain rows, and
which contributory factors recur.

One job per module:

- :mod:`.stacking`: :func:`stack`, several analyses as one table;
- :mod:`.survival`: :func:`survival_curves` and :func:`reach_curves`;
- :mod:`.silos`: :func:`silo_pair_matrix`;
- :mod:`.reasons`: :func:`reason_counts`;
- :mod:`.distance`: :func:`distance_split`;
- :mod:`.findings`: :func:`holding_shares`, :func:`episode_factors` and the
  findings bank :func:`findings_bank`.

Every function takes the data first and returns a tidy DataFrame whose
columns are listed under Returns. The data is an :class:`~casuistry.Analysis`
or one of its tables (``signals``, ``silo_pairs``, ``opportunities``) as a
DataFrame, which may carry extra columns to group by. To compare corpora
(five scenarios, two regions, before and after a change), analyse each one
and :func:`stack` their tables: it adds a column that names the corpus, and
every function here groups by any column.

Durations never travel without their censoring flag: a signal that had not
converged by the horizon has a ``dwell_days`` that runs to the horizon and
``censored`` true. :func:`survival_curves` respects that (Kaplan-Meier, with
:func:`scipy.stats.ecdf`); sums and medians in :func:`distance_split` and
:func:`silo_pair_matrix` count censored durations up to the horizon, so they
are lower bounds.

Nothing here is about the people in a case: rows are signals, silos,
channels and reasons, never persons.

Examples
--------
>>> import casuistry
>>> from casuistry import corpus
>>> runs = {name: casuistry.analyse(casuistry.synthesize(name, 20, seed=1).casebook)
...         for name in ("huiselijk_geweld", "ondermijning")}
>>> signals = corpus.stack(runs, table="signals")
>>> sorted(signals["scenario"].unique())
['huiselijk_geweld', 'ondermijning']
>>> split = corpus.distance_split(signals, by="scenario")
>>> bool((split["relational_days"] + split["decision_days"]
...       - split["dwell_days"]).abs().max() < 1e-6)
True
"""

from casuistry.corpus.distance import distance_split
from casuistry.corpus.findings import episode_factors, findings_bank, holding_shares
from casuistry.corpus.reasons import NO_REASON, _reason_label, reason_counts  # noqa: F401
from casuistry.corpus.silos import silo_pair_matrix
from casuistry.corpus.stacking import TABLES, stack
from casuistry.corpus.survival import reach_curves, survival_curves

__all__ = [
    "NO_REASON",
    "TABLES",
    "distance_split",
    "episode_factors",
    "findings_bank",
    "holding_shares",
    "reach_curves",
    "reason_counts",
    "silo_pair_matrix",
    "stack",
    "survival_curves",
]
