"""How sure: the figures again without uncertain rows (docs/case_format.md section 5.2).

For the cases with ``likely`` or ``uncertain`` rows, :func:`variant_rows`
makes two variants of the events, ``without_uncertain`` (rows marked
``uncertain`` dropped) and ``certain_only`` (``likely`` dropped too); the
analysis runs each variant through the same engine as the whole corpus (the
kernel or the reference engine), as a corpus of its own, and
:func:`verdicts` compares the variant's rows with the actual run's, finding
by finding: every signal, missed opportunity, silo pair and the case's
knowing-acting figure gets a verdict per variant, ``holds``, ``changes`` or
``gone``, with its value in the variant. A case from which a variant drops
no row is not run again in it: nothing was removed, so every verdict is
``holds`` (see docs/choices.md).

Dropping rows: references to dropped signals leave the ``signals`` lists of
the remaining rows; a list emptied that way becomes ``(LISTED_NOTHING,)``,
which the engine reads as "listed, names nothing" (a share, meeting or
action then carries or acts on nothing; a withhold's counterfactual share
carries nothing; a meeting that listed signals stays an opportunity).

What is compared (the actual run against the variant):

- a signal: its convergence time, ``dwell_days`` and ``relational_days``;
  ``gone`` when its row was dropped, ``changes`` (value NaN) when it is no
  longer observed by the horizon;
- a missed opportunity: ``gain_signal_days``; ``gone`` when its row was
  dropped, it falls after the horizon or it is no longer missed;
- a silo pair: its convergence time and ``delay_days``; ``gone`` when the
  pair no longer meets;
- the case: ``knowing_acting_days``; ``gone`` when it has none in the variant.

Examples
--------
>>> events = pd.DataFrame({"event_id": ["e1", "e2", "e3"],
...                        "signals": [(), (), ("e2",)],
...                        "confidence": ["", "uncertain", ""]})
>>> kept, variant = variant_rows(events, np.zeros(3, dtype=int), np.ones(1, dtype=bool),
...                              frozenset({"uncertain"}))
>>> kept.tolist(), variant["signals"].tolist()
([0, 2], [(), ('\\x00listed-nothing',)])
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from casuistry.engine import LISTED_NOTHING
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    CONFIDENCE,
    EVENT_ID,
    KIND,
    LIST_SEPARATOR,
    SIGNALS,
    TO,
)

#: The variants, with the confidence levels each drops.
VARIANTS: dict[str, frozenset[str]] = {
    "without_uncertain": frozenset({"uncertain"}),
    "certain_only": frozenset({"likely", "uncertain"}),
}
#: The columns of the row tables that :func:`verdicts` compares (besides ``case``):
#: all a variant's run keeps.
COMPARED = {
    "signals": ("signal_row", "converged_row", "dwell_days", "relational_days"),
    "opportunities": ("row", "gain_signal_days"),
    "silo_pairs": ("silo_a", "silo_b", "converged_row", "delay_days"),
    "cases": ("knowing_acting_days",),
}
HOLDS, CHANGES, GONE = "holds", "changes", "gone"
_VERDICTS = (HOLDS, CHANGES, GONE)
#: The verdicts as the codes of the categorical columns.
_HOLDS, _CHANGES, _GONE = range(len(_VERDICTS))
#: Confidence values that make a case worth running again.
NOT_CERTAIN = ("likely", "uncertain")


def uncertain_cases(
    events: pd.DataFrame, codes: np.ndarray, n_cases: int, levels: frozenset[str]
) -> np.ndarray:
    """Per case (by number) whether it has a row whose confidence is in ``levels``
    (the levels a variant drops: only those cases change in the variant)."""
    if CONFIDENCE not in events:
        return np.zeros(n_cases, dtype=bool)
    marked = events[CONFIDENCE].isin(list(levels)).to_numpy(dtype=bool)
    return np.bincount(codes[marked], minlength=n_cases) > 0


def variant_kept(
    events: pd.DataFrame, codes: np.ndarray, rerun: np.ndarray, dropped: frozenset[str]
) -> np.ndarray:
    """The rows of the cases in ``rerun`` that a variant keeps, in order (the
    ``kept`` of :func:`variant_rows`)."""
    candidate = rerun[codes]
    drop = candidate & events[CONFIDENCE].isin(list(dropped)).to_numpy(dtype=bool)
    return np.flatnonzero(candidate & ~drop)


def variant_rows(
    events: pd.DataFrame, codes: np.ndarray, rerun: np.ndarray, dropped: frozenset[str]
) -> tuple[np.ndarray, pd.DataFrame]:
    """The rows of the cases in ``rerun`` that a variant keeps, and its events.

    Parameters
    ----------
    events : pandas.DataFrame
        The corpus' events (``event_id``, ``signals``, ``confidence``, and
        what the engine reads).
    codes : numpy.ndarray
        Per event its case number.
    rerun : numpy.ndarray of bool
        Per case whether it is run again.
    dropped : frozenset of str
        The confidence levels the variant drops.

    Returns
    -------
    kept : numpy.ndarray
        The corpus rows the variant keeps, in order.
    variant : pandas.DataFrame
        Those rows' columns the engines read, index reset; a ``signals``
        list that named only dropped signals is ``(LISTED_NOTHING,)``.
    """
    kept = variant_kept(events, codes, rerun, dropped)
    drop = rerun[codes]
    drop[kept] = False
    dropped_ids = events[EVENT_ID].take(np.flatnonzero(drop)).tolist()
    gone = set(zip(codes[drop].tolist(), dropped_ids, strict=True))
    lists = events[SIGNALS].to_numpy(dtype=object)[kept]
    if gone:
        case = codes[kept]
        for k in np.flatnonzero(np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))):
            listed, c = lists[k], case[k]
            if any((c, s) in gone for s in listed):
                lists[k] = tuple(s for s in listed if (c, s) not in gone) or (LISTED_NOTHING,)
    read = [c for c in (EVENT_ID, KIND, ACTOR, TO) if c in events]
    variant = events[read].take(kept).reset_index(drop=True)
    variant[SIGNALS] = lists
    return kept, variant


class VariantRun(NamedTuple):
    """A variant's run: its row tables' columns that :func:`verdicts` compares
    (:data:`COMPARED`), numbered in the variant.

    ``kept`` gives per variant row its corpus row, ``cases`` per variant case
    its corpus case number, ``removed`` per corpus row whether the variant
    dropped it.
    """

    columns: dict[str, dict]
    kept: np.ndarray
    cases: np.ndarray
    removed: np.ndarray


def verdicts(
    columns: dict[str, dict],
    variant: VariantRun | None,
    *,
    ticks: np.ndarray,
    rerun: np.ndarray,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """One variant's verdicts on the findings of the actual run.

    Parameters
    ----------
    columns : dict
        The actual run's row tables' columns (layouts of :mod:`casuistry.metrics`).
    variant : VariantRun or None
        The variant's run; None when no case is run again.
    ticks : numpy.ndarray, keyword-only
        Per corpus row its ticks.
    rerun : numpy.ndarray of bool, keyword-only
        Per case whether it was run again.

    Returns
    -------
    dict
        Per finding (``signal``, ``opportunity``, ``silo_pair``, ``case``)
        the verdict codes (positions in ``holds, changes, gone``; -1 for an
        opportunity that was not missed) and the values in the variant, one
        per row of its table.
    """
    sig, opp = columns["signals"], columns["opportunities"]
    pairs, cases = columns["silo_pairs"], columns["cases"]
    missed = np.asarray(opp["missed"], dtype=bool)
    found = {
        "signal": (sig, "dwell_days", np.ones(len(sig["case"]), dtype=bool)),
        "opportunity": (opp, "gain_signal_days", missed),
        "silo_pair": (pairs, "delay_days", np.ones(len(pairs["case"]), dtype=bool)),
        "case": (cases, "knowing_acting_days", np.ones(len(cases["case"]), dtype=bool)),
    }
    out = {
        name: (np.where(mask, _HOLDS, -1).astype(np.int8), np.array(col[field], dtype=float))
        for name, (col, field, mask) in found.items()
    }
    if variant is None:
        return out
    other = variant.columns
    n_events = len(ticks)

    def where_in(name: str, field: str) -> np.ndarray:
        """Per corpus row, the variant row of ``name`` whose ``field`` it is (-1: none)."""
        at = np.full(n_events, -1, dtype=np.int64)
        at[variant.kept[other[name][field]]] = np.arange(len(other[name][field]))
        return at

    def take(values, k: np.ndarray) -> np.ndarray:
        """``values[k]``; where ``k`` is -1 (no such row) the result means nothing."""
        values = np.asarray(values)
        if not len(values):
            return np.zeros(len(k), dtype=values.dtype)
        return values[np.maximum(k, 0)]

    def same_time(row: np.ndarray, variant_row: np.ndarray) -> np.ndarray:
        """Whether two converged_row columns (corpus, variant) name the same time or none."""
        none, v_none = row < 0, variant_row < 0
        v_ticks = ticks[take(variant.kept, variant_row)]
        return (none == v_none) & (none | (ticks[np.maximum(row, 0)] == v_ticks))

    def settle(name, target, code, value) -> None:
        codes, values = out[name]
        codes[target] = code[target]
        values[target] = value[target]

    # Signals, by their row.
    target = rerun[sig["case"]]
    k = where_in("signals", "signal_row")[sig["signal_row"]]
    there = k >= 0
    v = other["signals"]
    dwell = take(v["dwell_days"], k)
    same = (
        same_time(sig["converged_row"], take(v["converged_row"], k))
        & (sig["dwell_days"] == dwell)
        & (sig["relational_days"] == take(v["relational_days"], k))
    )
    removed = variant.removed[sig["signal_row"]]
    code = np.where(removed, _GONE, np.where(there & same, _HOLDS, _CHANGES))
    settle("signal", target, code, np.where(there & ~removed, dwell, np.nan))

    # Missed opportunities, by their row.
    target = missed & rerun[opp["case"]]
    k = where_in("opportunities", "row")[opp["row"]]
    gain = np.where(k >= 0, take(other["opportunities"]["gain_signal_days"], k), np.nan)
    same = gain == opp["gain_signal_days"]
    code = np.where((k < 0) | (gain == 0), _GONE, np.where(same, _HOLDS, _CHANGES))
    settle("opportunity", target, code, gain)

    # Silo pairs, by case and the two silos.
    target = rerun[pairs["case"]]
    v = other["silo_pairs"]
    keys = pd.MultiIndex.from_arrays([variant.cases[v["case"]], v["silo_a"], v["silo_b"]])
    k = keys.get_indexer(
        pd.MultiIndex.from_arrays([pairs["case"], pairs["silo_a"], pairs["silo_b"]])
    )
    there = k >= 0
    delay = take(v["delay_days"], k)
    same = same_time(pairs["converged_row"], take(v["converged_row"], k)) & (
        pairs["delay_days"] == delay
    )
    code = np.where(there, np.where(same, _HOLDS, _CHANGES), _GONE)
    settle("silo_pair", target, code, np.where(there, delay, np.nan))

    # The case's knowing-acting days.
    after = np.full(len(rerun), np.nan)
    after[variant.cases[other["cases"]["case"]]] = other["cases"]["knowing_acting_days"]
    after = after[cases["case"]]
    before = np.asarray(cases["knowing_acting_days"], dtype=float)
    holds = (np.isnan(before) & np.isnan(after)) | (before == after)
    code = np.where(holds, _HOLDS, np.where(np.isnan(after), _GONE, _CHANGES))
    settle("case", rerun[cases["case"]], code, after)
    return out


def robustness_table(
    tables: dict[str, pd.DataFrame],
    found: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]],
    columns: dict[str, dict],
    case_ids: pd.Index,
) -> pd.DataFrame:
    """Add the verdict columns to the tables (in place) and make the robustness table.

    ``found`` holds per variant what :func:`verdicts` returned, ``columns``
    the actual run's row tables' columns (their ``case`` numbers the rows'
    cases in ``case_ids``). Verdicts are categorical (``holds``, ``changes``,
    ``gone``): made from codes, they cost a corpus without uncertain rows
    next to nothing.
    """
    tables_of = {
        "signal": "signals",
        "opportunity": "opportunities",
        "silo_pair": "silo_pairs",
        "case": "cases",
    }
    values_all = {
        "signal": "dwell_days",
        "opportunity": "gain_signal_days",
        "silo_pair": "delay_days",
        "case": "knowing_acting_days",
    }
    prefix = {"case": "knowing_acting_robust_"}
    # Every finding's name once; the rows take them by position, in one take at the end.
    ids = [_finding_ids(name, tables[table]) for name, table in tables_of.items()]
    id_at = np.cumsum([0, *map(len, ids)])
    parts = []
    for rank, (name, table) in enumerate(tables_of.items()):
        frame = tables[table]
        verdicts = np.stack([found[variant][name][0] for variant in VARIANTS])
        for variant, codes in zip(VARIANTS, verdicts, strict=True):
            frame[prefix.get(name, "robust_") + variant] = pd.Categorical.from_codes(
                codes, categories=_VERDICTS
            )
        # the same rows in every variant: of the opportunities, those missed (code >= 0)
        where = np.flatnonzero((verdicts >= 0).all(axis=0))
        parts.append(
            {
                "case": np.asarray(columns[table]["case"])[where],
                "finding_id": id_at[rank] + where,
                "finding": np.full(len(where), rank, dtype=np.int8),
                "value_all": frame[values_all[name]].to_numpy(dtype=float)[where],
                "verdict": verdicts[:, where],
                "value_variant": np.stack([found[v][name][1][where] for v in VARIANTS]),
            }
        )
    return _robustness_table(parts, case_ids, pd.concat(ids, ignore_index=True))


_FINDINGS = ("signal", "opportunity", "silo_pair", "case")


def _finding_ids(name: str, frame: pd.DataFrame) -> pd.Series:
    """What names each finding in the robustness table (see :class:`Analysis`)."""
    if name == "signal":
        return frame["signal_id"]
    if name == "opportunity":
        return frame[EVENT_ID]
    if name == "silo_pair":
        return frame["silo_a"].astype(str) + LIST_SEPARATOR + frame["silo_b"].astype(str)
    return frame[CASE_ID]


def _robustness_table(parts: list[dict], case_ids: pd.Index, ids: pd.Series) -> pd.DataFrame:
    """The robustness rows in case order, then finding kind, then table order, then
    variant.

    ``parts`` holds per finding kind, in order, its rows (each table's rows
    in case order): ``case``, ``finding_id`` (positions in ``ids``),
    ``finding``, ``value_all``, and per variant (first axis) ``verdict`` and
    ``value_variant``. One stable sort of the cases orders the findings'
    rows (kinds in order, each kind's rows in table order); each row is then
    repeated per variant, and every column gathered once.
    """

    def joined(key: str) -> np.ndarray:
        return np.concatenate([part[key] for part in parts], axis=-1)

    order = np.argsort(joined("case"), kind="stable")
    n_variants = len(VARIANTS)
    rows = np.repeat(order, n_variants)  # each finding's row, once per variant

    def per_variant(key: str) -> np.ndarray:
        return joined(key)[:, order].T.ravel()  # row by row, the variants side by side

    return pd.DataFrame(
        {
            CASE_ID: pd.Series(case_ids.take(joined("case")[rows]), dtype=case_ids.dtype),
            "finding": pd.Categorical.from_codes(joined("finding")[rows], categories=_FINDINGS),
            "finding_id": ids.take(joined("finding_id")[rows]).reset_index(drop=True),
            "variant": pd.Categorical.from_codes(
                np.tile(np.arange(n_variants, dtype=np.int8), len(order)), categories=list(VARIANTS)
            ),
            "verdict": pd.Categorical.from_codes(per_variant("verdict"), categories=_VERDICTS),
            "value_all": joined("value_all")[rows],
            "value_variant": per_variant("value_variant"),
        },
        copy=False,  # fresh arrays, nothing else holds them
    )
