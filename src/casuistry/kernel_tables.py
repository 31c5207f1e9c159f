"""The compiled kernel's side of :func:`casuistry.analyse`: arrays in, table columns out.

:func:`kernel_input` turns the events of a casebook into the flat arrays of
:mod:`casuistry.kernel` (kinds as operations from the registry, actors and
silos as numbers, ``to`` and ``signals`` as CSR offsets and values, each
listed id resolved to the row of its event); :meth:`KernelInput.keep` cuts
them to the rows a robustness variant keeps, without reading the events
again. :func:`run_kernel` runs every case the kernel takes in one call, and
returns the columns of the analysis tables in the
layouts of :mod:`casuistry.metrics` (``SIGNAL_ROW`` ...), made with numpy
from the kernel's arrays: no tuple per row. The reference engine's path
(:class:`casuistry.metrics.Rows`) makes the same columns from rows;
:func:`casuistry.analysis_tables.merge_columns` puts both in case order.

Cases the kernel does not take are returned as ``left`` for the reference
path: cases with an unknown kind, an actor without a silo or a repeated event_id
(the reference engine says what is wrong), an event listing something that
is no signal of its case (the reference engine raises the error), and cases
whose saved states would exceed :data:`casuistry.kernel.STATE_WORDS`.

Examples
--------
>>> import casuistry
>>> book = casuistry.load(casuistry.example_path())
>>> codes, case_ids = pd.factorize(book.events["case_id"], sort=False)
>>> given = kernel_input(
...     book.events, codes, kinds=book.kinds, silo_of=book.silo_of(), deciders=frozenset()
... )
>>> done = run_kernel(
...     given, np.searchsorted(codes, np.arange(len(case_ids) + 1)),
...     book.events["ticks"].to_numpy(), named=True,
... )
>>> done.left.tolist(), done.cases["signals"].tolist()
([False], [5])
"""

from __future__ import annotations

import ctypes
from collections.abc import Mapping
from itertools import chain, islice
from typing import NamedTuple

import numpy as np
import pandas as pd

from casuistry import kernel, ranges
from casuistry.engine import LISTED_NOTHING
from casuistry.event_lookup import EventRows
from casuistry.kinds import KindRegistry, Knowledge, Opportunity
from casuistry.vocabulary import ACTOR, EVENT_ID, KIND, SECONDS_PER_DAY, SIGNALS, TO

_NOTHING = -2  # the number of LISTED_NOTHING among the ids
_OPPORTUNITY = {Opportunity.NEVER: 0, Opportunity.ALWAYS: 1, Opportunity.WHEN_LISTING: 2}


class KernelColumns(NamedTuple):
    """What the kernel computed: per table a dict of columns, and what it left.

    ``signals``, ``opportunities``, ``silo_pairs``, ``cases`` and
    ``knowledge`` hold one array per field of the layouts in
    :mod:`casuistry.metrics` (nullable fields as pandas' masked arrays);
    ``in_horizon`` marks the events of the kernel's cases that take part;
    ``left`` the cases (bool per case) for the reference path.
    """

    signals: dict
    opportunities: dict
    silo_pairs: dict
    cases: dict
    knowledge: dict
    in_horizon: np.ndarray
    left: np.ndarray


class KernelInput(NamedTuple):
    """The kernel's input arrays of a corpus (see :mod:`casuistry.kernel`).

    ``events`` holds one array per event (``ops``, ``cf``, ``gains``: whether
    an opportunity's gain alone is computed, ``opp_kind``, ``sets_horizon``,
    ``is_act``, ``actor``) and the CSR pairs ``to_off`` /
    ``to_val`` and ``sig_off`` / ``sig_val`` (each listed id resolved to the
    row of its event); ``silo`` and ``decides`` are per actor number;
    ``refuse`` marks per case whether the kernel must leave it to the
    reference engine; ``silo_names`` and ``actor_names`` name the numbers
    (as text arrays: a column of names is then one take, not a million
    Python strings converted); ``event_rows`` finds events by their
    event_id, and names them (None in a robustness variant's input, whose
    rows are numbered anew).
    """

    events: dict[str, np.ndarray]
    silo: np.ndarray
    decides: np.ndarray
    refuse: np.ndarray
    silo_names: pd.api.extensions.ExtensionArray
    actor_names: pd.api.extensions.ExtensionArray
    event_rows: EventRows | None

    def keep(self, rows: np.ndarray, cases: np.ndarray, *, gains: np.ndarray) -> KernelInput:
        """The input of the corpus made of ``rows`` (ascending: the rows a
        robustness variant keeps), whose cases are ``cases`` (per new case its
        number here), computing the gain alone of the opportunities ``gains``
        marks (per row here).

        Rows are numbered anew. A listed signal whose row is not kept leaves
        its list, and a list emptied that way names nothing
        (:data:`casuistry.kernel.NAMES_NOTHING`), as
        :func:`casuistry.robustness.variant_rows` does for the reference engine.
        """
        old = self.events
        events = {name: old[name][rows] for name in _PER_EVENT if name != "gains"}
        events["gains"] = gains[rows]
        events["to_off"], events["to_val"] = _kept_lists(old["to_off"], old["to_val"], rows)
        offsets, listed = _kept_lists(old["sig_off"], old["sig_val"], rows)
        number = np.full(len(old["ops"]), -1, dtype=np.int64)
        number[rows] = np.arange(len(rows))
        renumbered = np.where(listed >= 0, number[np.maximum(listed, 0)], listed)
        stays = (listed < 0) | (renumbered >= 0)
        owner = np.repeat(np.arange(len(rows)), np.diff(offsets))[stays]  # ascending
        lengths = np.bincount(owner, minlength=len(rows))
        emptied = np.flatnonzero((lengths == 0) & (np.diff(offsets) > 0))
        lengths[emptied] = 1
        events["sig_off"] = ranges.offsets(lengths)
        events["sig_val"] = np.insert(
            renumbered[stays], np.searchsorted(owner, emptied), kernel.NAMES_NOTHING
        )
        return self._replace(events=events, refuse=self.refuse[cases], event_rows=None)


#: The kernel's inputs with one value per event (the others are CSR lists).
_PER_EVENT = ("ops", "cf", "gains", "opp_kind", "sets_horizon", "is_act", "actor")


def kernel_input(
    events: pd.DataFrame,
    codes: np.ndarray,
    *,
    kinds: KindRegistry,
    silo_of: Mapping[str, str],
    deciders: frozenset[str],
) -> KernelInput:
    """The kernel's input arrays of a corpus' events.

    Parameters
    ----------
    events : pandas.DataFrame
        The events (kind, actor, to, signals, event_id), sorted by case and time.
    codes : numpy.ndarray
        Per event its case number.
    kinds, silo_of, deciders : keyword-only
        As for :func:`casuistry.engine.propagate`.
    """
    n = len(events)
    n_cases = int(codes.max()) + 1 if n else 0
    refuse = np.zeros(n_cases + 1, dtype=bool)
    kind, kind_names = pd.factorize(events[KIND])
    known = pd.Index(list(kinds.codes)).get_indexer(np.asarray(kind_names, dtype=object))
    kind = np.append(known, -1)[kind]  # -1: an unknown kind (or a missing one)
    registry = list(kinds)
    op_of = np.array([k.knowledge for k in registry], dtype=np.int64)
    cf_of = np.array(
        [-1 if k.counterfactual is None else k.counterfactual for k in registry], dtype=np.int64
    )
    opp_of = np.array([_OPPORTUNITY[k.opportunity] for k in registry], dtype=np.int64)
    refuse[codes[kind < 0]] = True  # the reference engine says what is wrong
    kind = np.maximum(kind, 0)

    numbers, actor_names = pd.factorize(events[ACTOR])
    actor_names = list(actor_names)
    number_of = {name: k for k, name in enumerate(actor_names)}

    def actor_number(items: np.ndarray) -> np.ndarray:
        # Recipients that are never an event's actor are numbered after the
        # others, in order of first appearance; each distinct name looked up once.
        codes, names = pd.factorize(items)
        numbered = [number_of.setdefault(name, len(number_of)) for name in names.tolist()]
        return np.asarray(numbered, dtype=np.int64)[codes]

    to_off, to_numbers = _lists(events[TO], actor_number)
    actor_names = np.array(list(number_of), dtype=object)
    silo_codes, silo_names = pd.factorize(
        np.array([silo_of.get(name) for name in actor_names], dtype=object), sort=True
    )
    refuse[codes[silo_codes[numbers] < 0]] = True  # an actor without a silo
    no_silo = np.flatnonzero(silo_codes[to_numbers] < 0)  # a recipient without one: its row
    refuse[codes[np.searchsorted(to_off, no_silo, side="right") - 1]] = True

    lookup = EventRows(codes, events[EVENT_ID])
    refuse[codes[(numbers < 0) | (lookup.id_numbers < 0)]] = True  # a missing actor or event_id
    refuse[codes[lookup.repeated()]] = True  # a repeated event_id

    def id_number(items: np.ndarray) -> np.ndarray:
        # -1: names no event_id of the corpus; NAMES_NOTHING: LISTED_NOTHING
        return np.where(items == LISTED_NOTHING, _NOTHING, lookup.numbers(items))

    sig_off, named = _lists(events[SIGNALS], id_number)
    owner = codes[np.repeat(np.arange(n), np.diff(sig_off))]
    sig_val = lookup.rows(owner, named, none=kernel.UNKNOWN)
    sig_val[named == _NOTHING] = kernel.NAMES_NOTHING

    per_event = {
        "ops": op_of[kind],
        "cf": cf_of[kind],
        "gains": np.ones(n, dtype=bool),
        "opp_kind": opp_of[kind],
        "sets_horizon": np.array([k.sets_horizon for k in registry], dtype=bool)[kind],
        "is_act": (op_of == Knowledge.ACT)[kind],
        "actor": numbers.astype(np.int64),
        "to_off": to_off,
        "to_val": to_numbers.astype(np.int64),
        "sig_off": sig_off,
        "sig_val": sig_val.astype(np.int64),
    }
    return KernelInput(
        per_event,
        silo=np.maximum(silo_codes, 0).astype(np.int64),
        decides=np.array([name in deciders for name in actor_names], dtype=bool),
        refuse=refuse[:n_cases],
        silo_names=pd.array(np.asarray(silo_names, dtype=object), dtype="str"),
        actor_names=pd.array(actor_names, dtype="str"),
        event_rows=lookup,
    )


def run_kernel(
    given: KernelInput,
    starts: np.ndarray,
    ticks: np.ndarray,
    *,
    named: bool,
) -> KernelColumns:
    """Run the kernel over every case it can take.

    Parameters
    ----------
    given : KernelInput
        The corpus' input arrays (:func:`kernel_input`).
    starts, ticks : numpy.ndarray
        Per case the row of its first event (and the number of events last);
        per event its ticks.
    named : bool, keyword-only
        Whether to make what only the tables show (the ``advanced_signals``
        names, by ``given.event_rows``, and the knowledge columns); False for
        a robustness variant, whose verdicts compare figures.
    """
    n_cases = len(starts) - 1
    starts, ticks = (np.require(x, np.int64, ["C", "W"]) for x in (starts, ticks))
    a = given.events
    skip = given.refuse
    plan = np.zeros((n_cases, len(kernel.PLAN)), dtype=np.int64)
    kernel.plan_cases(
        starts, ticks, a["ops"], a["opp_kind"], a["sets_horizon"], a["actor"], a["to_off"],
        a["to_val"], a["sig_off"], given.silo, given.decides, skip, plan,
    )  # fmt: skip
    n_in, n_sig, n_opp, n_act, n_silo = (plan[:, k] for k in range(5))
    sizes = np.stack([n_sig, n_opp, n_silo * (n_silo - 1) // 2], 1)
    offsets = np.zeros_like(sizes)
    np.cumsum(sizes[:-1], axis=0, out=offsets[1:])
    total = sizes.sum(axis=0)
    case_out = np.zeros((n_cases, len(kernel.CASE_OUT)), dtype=np.int64)
    case_out[skip, 0] = kernel.LEFT
    # The kernel writes every row of the signals and pairs of the cases it does
    # (others are not read), and of the knowledge and advanced signals the
    # first, as many as it counts: of those, room for the most there can be.
    sig_out = np.empty((total[0], len(kernel.SIGNAL_OUT)), dtype=np.int64)
    opp_out = np.zeros((total[1], len(kernel.OPPORTUNITY_OUT)), dtype=np.int64)
    pair_out = np.empty((total[2], len(kernel.PAIR_OUT)), dtype=np.int64)
    # unnamed, the kernel only counts what the rows would name
    know_out = np.empty((3, int(n_act @ n_sig) if named else 0), dtype=np.int64)
    adv_out = np.empty(int(n_opp @ n_sig) if named else 0, dtype=np.int64)
    kernel.run_cases(
        starts, ticks, a["ops"], a["cf"], a["gains"], a["opp_kind"], a["sets_horizon"], a["is_act"],
        a["actor"], a["to_off"], a["to_val"], a["sig_off"], a["sig_val"], given.silo,
        given.decides, plan, offsets, kernel.STATE_WORDS,
        case_out, sig_out, opp_out, pair_out, know_out, adv_out,
    )  # fmt: skip
    done = case_out[:, 0] == kernel.DONE
    reach = done & (plan[:, 6] == 1)
    horizon = case_out[:, 1]
    tables = _Columns(ticks, done, horizon)

    case = tables.rows_of(n_sig, offsets[:, 0])
    sig = sig_out[case[1]]
    case = case[0]
    first_signal = np.full(n_cases, -1, dtype=np.int64)
    has_signals = done & (n_sig > 0)
    first_signal[has_signals] = sig_out[offsets[has_signals, 0], 0]

    signals = tables.signals(case, sig, reach, given.silo_names)
    opportunities = tables.opportunities(
        *tables.rows_of(n_opp, offsets[:, 1]),
        opp_out,
        adv_out,
        reach,
        given.event_rows if named else None,
    )
    pair_case, pair_at = tables.rows_of(n_silo * (n_silo - 1) // 2, offsets[:, 2])
    silo_pairs = tables.silo_pairs(pair_case, pair_out[pair_at], given.silo_names)
    knowledge = {}
    if named:
        learned = case_out[:, 10]
        actor, signal_row, via_row = know_out[:, : learned.sum()]
        knowledge = {
            "case": np.repeat(np.arange(n_cases), learned),
            "actor": given.actor_names[actor],
            "signal_row": signal_row,
            "via_row": via_row,
        }
    cases = tables.cases(case_out, starts, n_sig, reach, first_signal)
    codes = np.repeat(np.arange(n_cases), np.diff(starts))
    position = np.arange(len(codes)) - starts[codes]
    in_horizon = done[codes] & (position < n_in[codes])
    return KernelColumns(signals, opportunities, silo_pairs, cases, knowledge, in_horizon, ~done)


def _lists(column: pd.Series, number) -> tuple[np.ndarray, np.ndarray]:
    """A column of tuples as CSR: offsets per row, and its items numbered by ``number``.

    ``number`` maps an object array of items to an array of ints. The
    distinct tuples are flattened and numbered once (lists repeat: the same
    recipients, the same ids), then gathered per row with numpy.
    """
    which, distinct = _by_object(column.to_numpy(dtype=object))
    distinct = list(distinct)
    lengths = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
    items = np.empty(int(lengths.sum()), dtype=object)
    items[:] = list(chain.from_iterable(distinct))
    numbered = np.asarray(number(items), dtype=np.int64)
    per_row = lengths[which]
    _, where = ranges.spelled_out(ranges.offsets(lengths)[which], per_row)
    return ranges.offsets(per_row), numbered[where]


def _by_object(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of an object array by object, not by value, in order of first
    appearance, and each distinct object.

    Where ``load`` made the lists, each distinct cell is one tuple, however
    many rows hold it (a few thousand objects in a million rows), so their
    addresses group the rows as their values would, without hashing every
    row's strings: 3-20 ms a column of 10^6 rows instead of 30-70 ms. Equal
    values held by different objects (lists made in code) get codes of their
    own, which only means their items are numbered more than once. The
    addresses are read from the array's own buffer of object pointers, while
    the array holds every object.

    Examples
    --------
    >>> shared = ("a", "b")
    >>> rows = [shared, ("c",), shared, ("a", "b")]
    >>> codes, distinct = _by_object(np.fromiter(rows, dtype=object, count=len(rows)))
    >>> codes.tolist(), distinct.tolist()
    ([0, 1, 0, 2], [('a', 'b'), ('c',), ('a', 'b')])
    """
    values = np.ascontiguousarray(values, dtype=object)
    if not len(values):
        return np.zeros(0, dtype=np.intp), values
    pointers = (ctypes.c_size_t * len(values)).from_address(values.ctypes.data)
    codes, _ = pd.factorize(np.ctypeslib.as_array(pointers))
    # in order of first appearance, each new code is one more than any before it
    first = np.flatnonzero(np.r_[True, codes[1:] > np.maximum.accumulate(codes[:-1])])
    return codes, values[first]


def _kept_lists(
    offsets: np.ndarray, values: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The CSR lists of ``rows`` alone: their offsets and their items, in order."""
    starts, lengths = offsets[:-1][rows], offsets[1:][rows] - offsets[:-1][rows]
    _, where = ranges.spelled_out(starts, lengths)
    return ranges.offsets(lengths), values[where]


def _days(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``(end - start) / 86400``, zero where ``end`` is not later (as :func:`metrics.days`)."""
    return np.where(end > start, (end - start) / SECONDS_PER_DAY, 0.0)


def _nullable(values: np.ndarray, missing: np.ndarray, dtype: str):
    """A pandas masked array (``boolean`` or ``Int64``): missing where ``missing``."""
    if dtype == "boolean":
        return pd.arrays.BooleanArray(values.astype(bool), missing.astype(bool))
    return pd.arrays.IntegerArray(values.astype(np.int64), missing.astype(bool))


class _Columns:
    """The columns of each table from the kernel's outputs (cases it did)."""

    def __init__(self, ticks: np.ndarray, done: np.ndarray, horizon: np.ndarray):
        self.ticks = ticks
        self.done = done
        self.horizon = horizon

    def rows_of(self, counts: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per output row of the cases done: its case, and where it is in the output."""
        return ranges.spelled_out(offsets, np.where(self.done, counts, 0))

    def _end(self, at: np.ndarray, case: np.ndarray) -> np.ndarray:
        """Ticks of the events at ``at``, the case's horizon where -1."""
        return np.where(at >= 0, self.ticks[np.maximum(at, 0)], self.horizon[case])

    def signals(self, case, sig, reach, silo_names) -> dict:
        row, conv, end, rel_end, acted, reached = (sig[:, k] for k in range(6))
        observed = self.ticks[row]
        dwell, relational = _days(observed, end), _days(observed, rel_end)
        with_reach = reach[case]
        return {
            "case": case,
            "signal_row": row,
            "silo": silo_names[sig[:, 6]],
            "converged_row": conv,
            "censored": conv < 0,
            "dwell_days": dwell,
            "relational_days": relational,
            "decision_days": dwell - relational,
            "acted_row": acted,
            "acting_days": _days(observed, self._end(acted, case)),
            "acting_censored": acted < 0,
            "reached_row": reached,
            "reach_days": np.where(with_reach, _days(observed, self._end(reached, case)), np.nan),
            "reach_censored": _nullable(reached < 0, ~with_reach, "boolean"),
        }

    def opportunities(self, case, at, opp_out, adv_out, reach, event_rows) -> dict:
        opp = opp_out[at]
        count = opp[:, 3]
        out = {
            "case": case,
            "row": opp[:, 0],
            "gain_signal_days": opp[:, 1] / SECONDS_PER_DAY,
            "max_gain_days": opp[:, 2] / SECONDS_PER_DAY,
            "signals_advanced": count,
            "missed": count > 0,
            "reach_gain_signal_days": np.where(reach[case], opp[:, 4] / SECONDS_PER_DAY, np.nan),
        }
        if event_rows is None:  # a robustness variant: no names
            return out
        missed = np.flatnonzero(count)
        _, where = ranges.spelled_out(opp[missed, 5], count[missed])
        names = iter(event_rows.ids(adv_out[where]).tolist())
        advanced = np.empty(len(at), dtype=object)
        advanced[:] = [()] * len(at)
        advanced[missed] = [tuple(islice(names, n)) for n in count[missed].tolist()]
        out["advanced_signals"] = advanced
        return out

    def silo_pairs(self, case, pairs, silo_names) -> dict:
        return {
            "case": case,
            "silo_a": silo_names[pairs[:, 0]],
            "silo_b": silo_names[pairs[:, 1]],
            "converged_row": pairs[:, 2],
            "censored": pairs[:, 2] < 0,
            "delay_days": _days(pairs[:, 3], pairs[:, 4]),
        }

    def cases(self, case_out, starts, n_sig, reach, first_signal) -> dict:
        case = np.flatnonzero(self.done)
        out = case_out[case]
        first_conv = out[:, 3]
        censored = out[:, 5]
        known_at = self.ticks[np.maximum(first_conv, 0)]
        signals = n_sig[case]
        with_reach = reach[case]
        full = out[:, 9]
        picture = with_reach & (signals > 0)
        first = self.ticks[np.maximum(first_signal[case], 0)]
        return {
            "case": case,
            "horizon": out[:, 1],
            "horizon_row": out[:, 2],
            "first_convergence_row": first_conv,
            "knowing_acting_days": np.where(censored >= 0, _days(known_at, out[:, 4]), np.nan),
            "knowing_acting_censored": _nullable(censored == 1, censored < 0, "boolean"),
            "events": (starts[1:] - starts[:-1])[case],
            "signals": signals,
            "converged": out[:, 6],
            "censored": signals - out[:, 6],
            "missed_opportunities": out[:, 7],
            "signals_reached": _nullable(out[:, 8], ~with_reach, "Int64"),
            "full_picture_row": full,
            "full_picture_days": np.where(picture, _days(first, self._end(full, case)), np.nan),
            "full_picture_censored": _nullable(full < 0, ~picture, "boolean"),
        }
