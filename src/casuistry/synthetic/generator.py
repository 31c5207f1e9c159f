"""Synthetic case timelines with planted truth: :func:`synthesize`.

:func:`synthesize` draws cases of one scenario (:mod:`.scenarios`) from a
*plan* whose outcome is known by construction, not by running the analysis:
which event made every signal converge, and which withholds and contacts
were missed opportunities. The analysis (:func:`casuistry.analyse`) must find
exactly that; the tests check it.

The work is split by job:

- :mod:`.lookups`: facts of the scenario and knobs, worked out once;
- :mod:`.case` and :mod:`.planner`: the plan of one case (the module notes
  of the planner describe it);
- :mod:`.opportunities`: where withholds and contacts are planted, and why
  the truth is exact;
- :mod:`.assembly`: the planned cases gathered into Arrow columns;
- :mod:`.result`: the :class:`~casuistry.synthetic.result.Synthetic` handed back.

This module checks the arguments and plans the cases chunk by chunk, one
step of the progress bar (:mod:`casuistry.progress`) per chunk.
"""

from __future__ import annotations

import numpy as np

from casuistry.errors import CasuistryError
from casuistry.progress import counter
from casuistry.synthetic.assembly import PART_TABLES, CaseColumns, Part, arrays, frame
from casuistry.synthetic.knobs import Knobs, resolve_knobs
from casuistry.synthetic.result import Synthetic
from casuistry.synthetic.scenarios import SCENARIOS, Scenario
from casuistry.vocabulary import ACTOR, DECIDES, LABEL, SILO

#: Cases per chunk: a step of the progress bar.
CHUNK_CASES = 1_000


def synthesize(
    scenario: str, n_cases: int, *, seed: int, progress: bool | None = False, **knobs
) -> Synthetic:
    """Draw synthetic cases of a scenario, with the planted truth.

    Parameters
    ----------
    scenario : str
        ``jeugdbescherming``, ``huiselijk_geweld``, ``ondermijning``,
        ``publiek_privaat`` or ``douane_kustwacht``.
    n_cases : int
        Number of cases (ids ``<prefix>-0001`` on).
    seed : int, keyword-only
        The only source of randomness. Case ``k`` depends on the seed, the
        scenario, the knobs and ``k`` alone, so it is the same in a corpus
        of any size.
    progress : bool or None, keyword-only
        Show a progress bar on stderr; None shows one for 2,000 cases or
        more when stderr is a terminal.
    **knobs
        ``share_propensity``, ``withhold_propensity``, ``reason_mix``,
        ``contact_frequency``, ``meeting_cadence_days``, ``n_organisations``,
        ``case_length_days``, ``incident_rate``, ``start``; see
        :mod:`casuistry.synthetic.knobs` for meanings and defaults.

    Returns
    -------
    Synthetic
        ``events`` and ``actors`` (with ``decides``) in the case format, the
        reviewer's tables, the ``casebook`` (validated on first use) and the
        truth tables.

    Raises
    ------
    CasuistryError
        For an unknown scenario or knob, a value out of range, or a bad
        ``n_cases`` or ``seed``.

    Examples
    --------
    >>> import casuistry
    >>> synth = casuistry.synthesize("huiselijk_geweld", 3, seed=1)
    >>> synth.truth_cases["case_id"].tolist()
    ['hg-0001', 'hg-0002', 'hg-0003']
    >>> synth.events.equals(casuistry.synthesize("huiselijk_geweld", 3, seed=1).events)
    True
    >>> quiet = casuistry.synthesize("huiselijk_geweld", 20, seed=1, withhold_propensity=0)
    >>> "withhold" in set(quiet.events["kind"])
    False
    """
    try:
        recipe = SCENARIOS[scenario]
    except (KeyError, TypeError):
        raise CasuistryError(
            f"unknown scenario {scenario!r}; choose one of: " + ", ".join(SCENARIOS)
        ) from None
    if not _is_whole(n_cases) or n_cases < 1:
        raise CasuistryError(f"n_cases={n_cases!r}: give a whole number of cases, 1 or more")
    if not _is_whole(seed) or seed < 0:
        raise CasuistryError(f"seed={seed!r}: give a whole number, 0 or more")
    settings = resolve_knobs(recipe, knobs)
    part = _plan(recipe, settings, int(seed), int(n_cases), progress)
    actors = [a for a in recipe.actors if a.name in part.used]
    actor_columns = {
        ACTOR: [a.name for a in actors],
        SILO: [a.silo for a in actors],
        LABEL: [a.label for a in actors],
        DECIDES: ["yes" if a.decides else "no" for a in actors],
    }
    return Synthetic(
        scenario=recipe.name,
        seed=int(seed),
        knobs=settings,
        actors=frame(arrays(actor_columns)),
        **{table: frame(getattr(part, table)) for table in PART_TABLES},
    )


def _is_whole(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _plan(recipe: Scenario, knobs: Knobs, seed: int, n_cases: int, progress: bool | None) -> Part:
    """Plan and gather every case, chunk by chunk.

    Everything runs in this process: forking workers from a process that has
    threads (a notebook kernel always has) can hang, and a case depends on
    nothing but its index, so a caller who wants more cores can run ranges of
    seeds in processes of their own.
    """
    width = max(4, len(str(n_cases)))
    columns = CaseColumns(recipe, knobs)
    with counter(n_cases, label=f"synth {recipe.name}", show=progress) as done:
        for start in range(0, n_cases, CHUNK_CASES):
            cases = range(start, min(start + CHUNK_CASES, n_cases))
            columns.gather(seed, cases, width)
            done(len(cases))
    return columns.finish()
