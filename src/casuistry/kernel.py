"""The compiled engine: every case of a corpus in one call, on flat numeric arrays.

:mod:`casuistry.engine` is the reference: one case at a time, bitsets as
Python ints. This module does the same work for all cases at once, with
numba when it is installed (``pip install casuistry[fast]``): the actual run,
the counterfactual of every opportunity, the all-at-once counterfactual and
the deciders' reach (section 5.3). The algorithm is the reference's, step by
step (see its module docstring); only the representation differs:

- events are rows of flat arrays: ticks, the kind's operation
  (:class:`casuistry.kinds.Knowledge`), actor numbers, and ``to`` and
  ``signals`` as CSR offsets and values (``signals`` resolved to the row of
  the named event, :data:`UNKNOWN` for an id that names no event,
  :data:`NAMES_NOTHING` for :data:`casuistry.engine.LISTED_NOTHING`);
- a bitset over a case's signals is ``ceil(n_signals / 64)`` words of uint64,
  so cases with more than 64 signals work;
- the states that counterfactuals resume from are one array per case (the
  knowledge of every actor before every event from the first opportunity
  on); a case whose states would exceed :data:`STATE_WORDS` words is left to
  the reference engine.

The small helpers are inlined (``inline="always"``), the whole case too,
and the counterfactuals are one loop rather than a function: each array a
numba function is passed has its reference count raised and lowered, atomic
operations that took half of the kernel's time on 10^6 synthetic events
(found with ``perf`` and ``gdb`` on the JIT code). The helpers called per
event or per replayed step take scalars only (what an event carries, whether
it is an opportunity); the convergence checks are written where they run.
What remains of those operations is about a tenth of the kernel's time.
The arrays a case works in are made once per call (:func:`_work_arrays`),
as large as the largest case needs, and each case takes views of them cut
to its own sizes.

Without numba the same functions run as plain Python (slowly): the tests
check the kernel's logic against the reference engine that way.
:mod:`casuistry.kernel_tables` turns the arrays into the analysis tables.

Examples
--------
The plan of one case: the school and the GP each observe a signal, then
the school contacts the GP (an opportunity). Three events take part, two
signals, one opportunity (at position 2), two actors of two silos:

>>> i, b = (lambda *x: np.array(x, dtype=np.int64)), (lambda *x: np.array(x, dtype=bool))
>>> plan = np.zeros((1, len(PLAN)), dtype=np.int64)
>>> plan_cases(
...     i(0, 3), i(0, 1, 2), i(1, 1, 0), i(0, 0, 1), b(0, 0, 0), i(0, 1, 0),
...     i(0, 0, 0, 1), i(1), i(0, 0, 0, 0), i(0, 1), b(0, 0), b(0), plan,
... )
>>> dict(zip(PLAN, plan[0].tolist()))["n_signals"], plan[0].tolist()
(2, [3, 2, 1, 2, 2, 2, 0])
"""

from __future__ import annotations

import numpy as np

try:  # numba is the optional extra `fast`
    from numba import config, njit

    #: Whether the kernel runs compiled (numba installed, NUMBA_DISABLE_JIT not set).
    NUMBA = not config.DISABLE_JIT
except ImportError:
    NUMBA = False

    def njit(*_args, **_kwargs):
        """Without numba: the function itself, run as plain Python."""
        return lambda function: function


#: A listed id that names no event of its case.
UNKNOWN = -1
#: A listed item that names nothing (a robustness variant's emptied list).
NAMES_NOTHING = -2
#: Status of a case after :func:`run_cases`: done, an unknown signal
#: reference (the reference engine raises the error), or left to the
#: reference engine (skipped by the caller, or states too large).
DONE, BAD_REFERENCE, LEFT = 0, 1, 2
#: Largest saved state of one case, in 64-bit words (256 MB), the kernel takes.
STATE_WORDS = 1 << 25

# Knowledge operations (casuistry.kinds.Knowledge), as plain ints for numba.
_NOTHING, _OBSERVE, _SHARE, _MEET, _POOL, _ACT = 0, 1, 2, 3, 4, 5
# Opportunity kinds per event: never, always, when listing signals.
_NEVER, _ALWAYS, _WHEN_LISTING = 0, 1, 2

#: Columns of the per-case, per-signal, per-opportunity and per-pair outputs.
CASE_OUT = (
    "status", "horizon", "horizon_row", "first_convergence_row", "knowing_acting_end",
    "knowing_acting_censored", "converged", "missed", "reached", "full_picture_row",
    "knowledge", "advanced",
)  # fmt: skip
SIGNAL_OUT = ("row", "converged_row", "end", "relational_end", "acted_row", "reached_row", "silo")
OPPORTUNITY_OUT = ("row", "gain", "max_gain", "advanced", "reach_gain", "advanced_at")
PAIR_OUT = ("silo_a", "silo_b", "converged_row", "start", "end")
#: Columns of ``offsets``: where each case's rows start in each output. The
#: knowledge and advanced signals have no offsets: each case's rows follow the
#: rows of the case before (as many as ``case_out`` says).
OFFSETS = ("signals", "opportunities", "silo_pairs")

_ONE = np.uint64(1)
_ZERO = np.uint64(0)


@njit(cache=True, inline="always")
def _is_opportunity(kind, lists_signals):
    """Whether an event of opportunity kind ``kind`` is an opportunity (a meeting
    only when it lists signals)."""
    return kind == _ALWAYS or (kind == _WHEN_LISTING and lists_signals)


# What an event carries to its group (see the reference's ``_Actual.run``):
# all its sender knows, the signals it lists, or those and all its group knows.
_SENDERS, _LISTED, _POOLED = 0, 1, 2


@njit(cache=True, inline="always")
def _carry(op, has_mask):
    """What an event of operation ``op`` carries (:data:`_SENDERS`, :data:`_LISTED`
    or :data:`_POOLED`); ``has_mask``: whether it lists signals (or observes one).

    Scalars only: each array an inlined helper is passed counts its references
    up and down (atomic operations), and these run once per event and replay.
    """
    if op == _SHARE and not has_mask:
        return _SENDERS
    if op == _SHARE or op == _OBSERVE or (op == _MEET and has_mask):  # noqa: SIM109
        return _LISTED
    return _POOLED


@njit(cache=True, inline="always")
def _carries_nothing(counterfactual, emptied):
    """Whether an opportunity whose list named nothing (``emptied``) carries nothing
    when taken: all but a pool (``meeting``) and an observation."""
    return emptied and counterfactual != _POOL and counterfactual != _OBSERVE


@njit(cache=True, inline="always")
def _state_size(plan, c):
    """Words per bitset of case ``c``, and how many saved states it needs."""
    n_in, n_sig, first = plan[c, 0], plan[c, 1], plan[c, 5]
    return max(1, (n_sig + 63) // 64), (n_in - first + 1 if first < n_in else 0)


@njit(cache=True, inline="always")
def _run_case(
    c, starts, plan, ticks, ops, cf, gains, opp_kind, sets_horizon, is_act, actor, to_off, to_val,
    sig_off, sig_val, silo, decides, offsets, local_of, silo_local, outputs, work, written,
):  # fmt: skip
    """One case (the reference's ``propagate``); returns its status.

    Inlined into :func:`run_cases` (fewer than 30 arguments: Python passes
    more as ``*args``, which numba does not inline): a call per case would
    count up and down the references of every array it passes, atomic
    operations that took half the kernel's time. Its arrays are views of
    ``work`` (:func:`_work_arrays`), cut to the case's sizes and set to
    their first values here. ``written`` holds how many knowledge rows and
    advanced signals the cases before wrote: this case's follow them.
    """
    case_out, sig_out, opp_out, pair_out, know_out, adv_out = outputs
    per_position, per_signal, per_actor, per_silo, group_work, pair_work = work[:6]
    words, actor_bits, silo_bits, event_bits, state_bits, conv_bits = work[6:12]
    position_flags, silo_flags, actor_flags = work[12:]
    lo, hi = starts[c], starts[c + 1]
    n_in, n_sig, n_act, n_silo, first = plan[c, 0], plan[c, 1], plan[c, 3], plan[c, 4], plan[c, 5]
    has_reach = plan[c, 6] == 1
    n_words, n_states = _state_size(plan, c)
    horizon, horizon_row = ticks[hi - 1], -1
    for j in range(lo, hi):
        if sets_horizon[j]:
            horizon, horizon_row = ticks[j], j
            break

    # Signals, actors and silos, numbered.
    actors = per_actor[0, :n_act]  # local actor -> actor number
    n_known = 0
    group_off = per_position[0, : n_in + 1]
    group_off[:] = 0
    group = group_work[: to_off[lo + n_in] - to_off[lo] + n_in]
    sig_row = per_signal[0, :n_sig]
    number_of = per_position[1, :n_in]  # position -> signal number
    number_of[:] = -1
    s = 0
    for j in range(n_in):
        g = group_off[j]
        for k in range(to_off[lo + j] - 1, to_off[lo + j + 1]):
            a = actor[lo + j] if k < to_off[lo + j] else to_val[k]
            p = local_of[a]
            if p < 0:
                p = n_known
                local_of[a] = p
                actors[n_known] = a
                n_known += 1
            repeat = False
            for q in range(group_off[j], g):
                if group[q] == p:
                    repeat = True
            if not repeat:
                group[g] = p
                g += 1
        group_off[j + 1] = g
        if ops[lo + j] == _OBSERVE:
            sig_row[s] = lo + j
            number_of[j] = s
            s += 1
    silos = per_silo[0, :n_silo]  # local silo -> silo number, sorted
    k = 0
    for s in range(n_sig):
        code = silo[actor[sig_row[s]]]
        if silo_local[code] < 0:
            silo_local[code] = 0
            silos[k] = code
            k += 1
    silos.sort()
    for k in range(n_silo):
        silo_local[silos[k]] = k
    sig_silo = per_signal[1, :n_sig]
    silo_mask = silo_bits[: max(1, n_silo), :n_words]
    silo_mask[:] = _ZERO
    first_seen = per_silo[1, : max(1, n_silo)]
    first_seen[:] = -1
    for s in range(n_sig):
        k = silo_local[silo[actor[sig_row[s]]]]
        sig_silo[s] = k
        silo_mask[k, s // 64] |= _ONE << np.uint64(s % 64)
        if first_seen[k] < 0:
            first_seen[k] = ticks[sig_row[s]]
    all_bits = words[0, :n_words]
    all_bits[:] = _ZERO
    for s in range(n_sig):
        all_bits[s // 64] |= _ONE << np.uint64(s % 64)

    # Encode each event: its operation and the bitset of what it lists.
    op = per_position[2, :n_in]
    mask = event_bits[: max(1, n_in), :n_words]
    mask[:] = _ZERO
    has_mask = position_flags[0, : max(1, n_in)]
    has_mask[:] = False
    emptied = position_flags[1, : max(1, n_in)]
    emptied[:] = False
    for j in range(n_in):
        op[j] = ops[lo + j]
        if op[j] == _OBSERVE:
            s = number_of[j]
            mask[j, s // 64] |= _ONE << np.uint64(s % 64)
            has_mask[j] = True
        elif sig_off[lo + j + 1] > sig_off[lo + j]:
            for k in range(sig_off[lo + j], sig_off[lo + j + 1]):
                row = sig_val[k]
                if row == NAMES_NOTHING:
                    continue
                if row < lo or row >= lo + n_in or number_of[row - lo] < 0:
                    return BAD_REFERENCE
                s = number_of[row - lo]
                mask[j, s // 64] |= _ONE << np.uint64(s % 64)
                has_mask[j] = True
            if not has_mask[j]:
                emptied[j] = True
                if op[j] != _POOL:
                    op[j] = _NOTHING

    # The actual run.
    know = actor_bits[0, :n_act, :n_words]
    know[:] = _ZERO
    silos_known = silo_flags[:n_act, : max(1, n_silo)]
    silos_known[:] = False
    silo_count = per_actor[1, :n_act]
    silo_count[:] = 0
    # The saved states: actor p before j on row (j - first) * n_act + p, each
    # written below before a counterfactual reads it.
    states = state_bits[: n_states * n_act, :n_words]
    conv_states = conv_bits[:n_states, :n_words]
    converged = per_signal[2, :n_sig]
    acted = per_signal[3, :n_sig]
    reached = per_signal[4, :n_sig]
    for found in (converged, acted, reached):
        found[:] = -1
    full = -1
    pair_at = pair_work[: max(1, n_silo), : max(1, n_silo)]
    pair_at[:] = -1
    conv, acted_mask = words[1, :n_words], words[2, :n_words]
    carried, new = words[3, :n_words], words[4, :n_words]
    for bits in (conv, acted_mask, carried, new):
        bits[:] = _ZERO
    n_learned = written[0]
    named = know_out.shape[1] > 0  # whether the rows the tables name are written
    for j in range(n_in + 1):
        if j >= first and n_states:  # the states before j (after the last one at n_in)
            for a in range(n_act):
                for w in range(n_words):
                    states[(j - first) * n_act + a, w] = know[a, w]
            for w in range(n_words):
                conv_states[j - first, w] = conv[w]
        if j == n_in:
            break
        o = op[j]
        if o == _NOTHING:
            continue
        g0, g1 = group_off[j], group_off[j + 1]
        if o == _ACT:
            for w in range(n_words):
                bits = mask[j, w] if has_mask[j] else know[group[g0], w]
                fresh = bits & ~acted_mask[w]
                acted_mask[w] |= fresh
                for b in range(min(64, n_sig - 64 * w)):
                    if (fresh >> np.uint64(b)) & _ONE != _ZERO:
                        acted[w * 64 + b] = j
            continue
        carries = _carry(o, has_mask[j])
        for w in range(n_words):
            carried[w] = know[group[g0], w] if carries == _SENDERS else mask[j, w]
        if carries == _POOLED:
            for g in range(g0, g1):
                for w in range(n_words):
                    carried[w] |= know[group[g], w]
        for g in range(g0, g1):
            p = group[g]
            changed = False
            for w in range(n_words):
                new[w] = know[p, w] | carried[w]
                if new[w] != know[p, w]:
                    changed = True
            if not changed:
                continue
            for w in range(n_words):
                gained = new[w] ^ know[p, w]
                know[p, w] = new[w]
                for b in range(min(64, n_sig - 64 * w)):
                    if (gained >> np.uint64(b)) & _ONE == _ZERO:
                        continue
                    s = w * 64 + b
                    if named:
                        know_out[0, n_learned] = actors[p]
                        know_out[1, n_learned] = sig_row[s]
                        know_out[2, n_learned] = lo + j
                    n_learned += 1
                    k = sig_silo[s]
                    if not silos_known[p, k]:
                        silos_known[p, k] = True
                        silo_count[p] += 1
                        for m in range(n_silo):
                            if m != k and silos_known[p, m]:
                                a, z = min(k, m), max(k, m)
                                if pair_at[a, z] < 0:
                                    pair_at[a, z] = j
                    if has_reach and decides[actors[p]]:
                        if reached[s] < 0:
                            reached[s] = j
                        if full < 0 and silo_count[p] == n_silo:
                            full = j
            fresh_any = False
            for w in range(n_words):
                if know[p, w] & ~conv[w] != _ZERO:
                    fresh_any = True
            if fresh_any and silo_count[p] >= 2:  # all it knows has converged
                for w in range(n_words):
                    fresh = know[p, w] & ~conv[w]
                    conv[w] |= fresh
                    for b in range(min(64, n_sig - 64 * w)):
                        if (fresh >> np.uint64(b)) & _ONE != _ZERO:
                            converged[w * 64 + b] = j

    end = per_signal[5, :n_sig]
    reach_end = per_signal[6, :n_sig]
    for s in range(n_sig):
        end[s] = horizon if converged[s] < 0 else ticks[lo + converged[s]]
        reach_end[s] = horizon if reached[s] < 0 else ticks[lo + reached[s]]

    # Counterfactuals: each opportunity alone, then all at once, each resumed
    # from the saved states (the reference's ``_Resume.run``). One loop, not a
    # function called per opportunity: a call counts up and down the references
    # of every array it is passed (atomic operations), and with 28 arrays that
    # took a third of the kernel's time.
    n_opp = plan[c, 2]
    opps = per_position[3, :n_opp]  # the positions of the opportunities
    k = 0
    for j in range(first, n_in):
        if _is_opportunity(opp_kind[lo + j], sig_off[lo + j + 1] > sig_off[lo + j]):
            opps[k] = j
            k += 1
    replaced = per_position[4, : max(1, n_in)]  # per position: its operation there
    replaced[:] = -1
    ends, reach_ends = per_signal[7, :n_sig], per_signal[8, :n_sig]  # set per counterfactual
    more = actor_bits[1, :n_act, :n_words]  # what each actor knows beyond the actual run
    has_more = actor_flags[:n_act]
    extra = words[5, :n_words]  # converged here and not (yet) in the actual run
    cf_know, cf_conv = words[6, :n_words], words[7, :n_words]
    o_at = offsets[c, 1]
    adv_at = written[1]
    missed = 0
    relational_end = per_signal[9, :n_sig]
    relational_end[:] = end
    for k in range(n_opp + 1):
        alone = k < n_opp
        if alone:
            start = last = opps[k]
            opp_out[o_at + k, 0] = lo + start
            opp_out[o_at + k, 5] = adv_at
            if not gains[lo + start] or cf[lo + start] < 0:
                continue
            if _carries_nothing(cf[lo + start], emptied[start]):
                continue
            replaced[start] = cf[lo + start]
            with_reach = has_reach
        else:
            start = last = -1
            for q in range(n_opp):
                j = opps[q]
                if _carries_nothing(cf[lo + j], emptied[j]):
                    continue
                replaced[j] = cf[lo + j]
                if start < 0:
                    start = j
                last = j
            if start < 0:
                break
            with_reach = False
        for a in range(n_act):
            has_more[a] = False
            for w in range(n_words):
                more[a, w] = _ZERO
        for s in range(n_sig):
            ends[s] = -1
            reach_ends[s] = -1
        for w in range(n_words):
            extra[w] = _ZERO
        n_more = 0
        for j in range(start, n_in):
            o = op[j]
            g0, g1 = group_off[j], group_off[j + 1]
            if replaced[j] >= 0:
                o = replaced[j]
            elif n_more == 0:
                if j > last:
                    break
                continue
            elif o == _NOTHING or o == _ACT:  # noqa: SIM109
                continue
            else:
                involved = False
                for g in range(g0, g1):
                    if has_more[group[g]]:
                        involved = True
                if not involved:
                    continue
            before, after = (j - first) * n_act, (j + 1 - first) * n_act  # rows of states
            carries = _carry(o, has_mask[j])
            sender = group[g0]
            for w in range(n_words):
                carried[w] = (
                    states[before + sender, w] | more[sender, w]
                    if carries == _SENDERS
                    else mask[j, w]
                )
            if carries == _POOLED:
                for g in range(g0, g1):
                    p = group[g]
                    for w in range(n_words):
                        carried[w] |= states[before + p, w] | more[p, w]
            for w in range(n_words):
                cf_conv[w] = conv_states[j + 1 - first, w] | extra[w]
            for g in range(g0, g1):
                p = group[g]
                beyond_any = False
                for w in range(n_words):
                    cf_know[w] = states[before + p, w] | more[p, w] | carried[w]
                    more[p, w] = cf_know[w] & ~states[after + p, w]
                    if more[p, w] != _ZERO:
                        beyond_any = True
                if not beyond_any:
                    if has_more[p]:
                        has_more[p] = False
                        n_more -= 1
                    continue
                if not has_more[p]:
                    has_more[p] = True
                    n_more += 1
                if with_reach and decides[actors[p]]:
                    for s in range(n_sig):
                        earlier = reached[s] < 0 or reached[s] > j
                        known = (more[p, s // 64] >> np.uint64(s % 64)) & _ONE != _ZERO
                        if earlier and reach_ends[s] < 0 and known:
                            reach_ends[s] = ticks[lo + j]
                # whether cf_know holds signals it had not converged, and of two silos
                fresh_any = two_silos = False
                low = -1  # the silo of its lowest signal
                for w in range(n_words):
                    v = cf_know[w]
                    if v & ~cf_conv[w] != _ZERO:
                        fresh_any = True
                    if v != _ZERO and low < 0:
                        b = 0
                        while (v >> np.uint64(b)) & _ONE == _ZERO:
                            b += 1
                        low = sig_silo[w * 64 + b]
                    if low >= 0 and v & ~silo_mask[low, w] != _ZERO:
                        two_silos = True
                if fresh_any and two_silos:
                    for w in range(n_words):
                        fresh = cf_know[w] & ~cf_conv[w]
                        cf_conv[w] |= fresh
                        extra[w] |= fresh
                        for b in range(min(64, n_sig - 64 * w)):
                            if (fresh >> np.uint64(b)) & _ONE != _ZERO:
                                ends[w * 64 + b] = ticks[lo + j]
            done = True
            for w in range(n_words):
                if cf_conv[w] != all_bits[w]:
                    done = False
            if done and with_reach:
                for s in range(n_sig):
                    if not (0 <= reached[s] <= j) and reach_ends[s] < 0:
                        done = False
                        break
            if done:
                break
        if not alone:
            for s in range(n_sig):
                if ends[s] >= 0:
                    relational_end[s] = min(ends[s], end[s])
            break
        replaced[start] = -1
        gain = top = count = 0
        for s in range(n_sig):
            if ends[s] >= 0 and ends[s] < end[s]:
                gain += end[s] - ends[s]
                top = max(top, end[s] - ends[s])
                count += 1
                if named:
                    adv_out[adv_at] = sig_row[s]
                adv_at += 1
        reach_gain = 0
        for s in range(n_sig):
            if reach_ends[s] >= 0 and reach_ends[s] < reach_end[s]:
                reach_gain += reach_end[s] - reach_ends[s]
        opp_out[o_at + k, 1] = gain
        opp_out[o_at + k, 2] = top
        opp_out[o_at + k, 3] = count
        opp_out[o_at + k, 4] = reach_gain
        if count:
            missed += 1

    # Figures.
    s_at = offsets[c, 0]
    first_conv = -1
    n_conv = n_reached = 0
    for s in range(n_sig):
        sig_out[s_at + s, 0] = sig_row[s]
        sig_out[s_at + s, 1] = -1 if converged[s] < 0 else lo + converged[s]
        sig_out[s_at + s, 2] = end[s]
        sig_out[s_at + s, 3] = relational_end[s]
        sig_out[s_at + s, 4] = -1 if acted[s] < 0 else lo + acted[s]
        sig_out[s_at + s, 5] = -1 if reached[s] < 0 else lo + reached[s]
        sig_out[s_at + s, 6] = silos[sig_silo[s]]
        if converged[s] >= 0:
            n_conv += 1
            if first_conv < 0 or converged[s] < first_conv:
                first_conv = converged[s]
        if reached[s] >= 0:
            n_reached += 1
    p_at = offsets[c, 2]
    for a in range(n_silo):
        for z in range(a + 1, n_silo):
            pair_out[p_at, 0] = silos[a]
            pair_out[p_at, 1] = silos[z]
            pair_out[p_at, 2] = -1 if pair_at[a, z] < 0 else lo + pair_at[a, z]
            pair_out[p_at, 3] = max(first_seen[a], first_seen[z])
            pair_out[p_at, 4] = horizon if pair_at[a, z] < 0 else ticks[lo + pair_at[a, z]]
            p_at += 1
    case_out[c, 1] = horizon
    case_out[c, 2] = horizon_row
    case_out[c, 3] = -1 if first_conv < 0 else lo + first_conv
    case_out[c, 5] = -1
    if first_conv >= 0:
        known_at = ticks[lo + first_conv]
        case_out[c, 4] = horizon
        case_out[c, 5] = 1
        for j in range(n_in):
            if ticks[lo + j] >= known_at and is_act[lo + j]:
                case_out[c, 4] = ticks[lo + j]
                case_out[c, 5] = 0
                break
    case_out[c, 6] = n_conv
    case_out[c, 7] = missed
    case_out[c, 8] = n_reached
    case_out[c, 9] = -1 if full < 0 else lo + full
    case_out[c, 10] = n_learned - written[0]
    case_out[c, 11] = adv_at - written[1]
    return DONE


@njit(cache=True)
def _work_arrays(starts, plan, to_off, state_words, case_out):
    """The arrays :func:`_run_case` works in, each as large as the largest case
    to run needs; the cases whose saved states would exceed ``state_words``
    are marked :data:`LEFT` in ``case_out`` first.

    Made once per call: allocated per case, the case's 39 arrays took about a
    sixth of the kernel's time (about 28 ns an array on 10^6 synthetic
    events, 47,000 cases), where views of these cost next to nothing.
    """
    # the largest events up to the horizon, signals, actors, silos,
    # opportunities, words per bitset, group entries and saved-state rows
    most = np.ones(8, np.int64)
    for c in range(starts.shape[0] - 1):
        lo, hi = starts[c], starts[c + 1]
        if case_out[c, 0] == LEFT or hi == lo:
            continue
        n_words, n_states = _state_size(plan, c)
        n_in, n_act = plan[c, 0], plan[c, 3]
        if n_states * n_act * n_words > state_words:
            case_out[c, 0] = LEFT
            continue
        sizes = (
            n_in, plan[c, 1], n_act, plan[c, 4], plan[c, 2], n_words,
            to_off[lo + n_in] - to_off[lo] + n_in, n_states * n_act,
        )  # fmt: skip
        for k in range(8):
            most[k] = max(most[k], sizes[k])
    n_in, n_sig, n_act, n_silo, n_opp, n_words, n_group, n_state_rows = most
    return (
        np.empty((5, max(n_in + 1, n_opp)), np.int64),  # per position
        np.empty((10, n_sig), np.int64),  # per signal
        np.empty((2, n_act), np.int64),  # per actor
        np.empty((2, n_silo), np.int64),  # per silo
        np.empty(n_group, np.int64),  # the groups of the events
        np.empty((n_silo, n_silo), np.int64),  # per pair of silos
        np.empty((8, n_words), np.uint64),  # single bitsets
        np.empty((2, n_act, n_words), np.uint64),  # a bitset per actor
        np.empty((n_silo, n_words), np.uint64),  # a bitset per silo
        np.empty((n_in, n_words), np.uint64),  # a bitset per event
        np.empty((n_state_rows, n_words), np.uint64),  # saved states
        np.empty((n_in + 1, n_words), np.uint64),  # saved convergences
        np.empty((2, n_in), np.bool_),  # per position
        np.empty((n_act, n_silo), np.bool_),  # per actor and silo
        np.empty(n_act, np.bool_),  # per actor
    )


_PLAN_SIGNATURE = (
    "void(int64[:], int64[:], int64[:], int64[:], boolean[:], int64[:], int64[:], "
    "int64[:], int64[:], int64[:], boolean[:], boolean[:], int64[:, :])"
)
#: Columns of the plan of each case (:func:`plan_cases`).
PLAN = ("n_in", "n_signals", "n_opportunities", "n_actors", "n_silos", "first", "reach")


@njit(_PLAN_SIGNATURE, cache=True)
def plan_cases(
    starts, ticks, ops, opp_kind, sets_horizon, actor, to_off, to_val, sig_off, silo,
    decides, skip, plan,
):  # fmt: skip
    """Per case what :func:`run_cases` needs to size its outputs, into ``plan``.

    Columns as in :data:`PLAN`: events up to the horizon, signals,
    opportunities, distinct actors up to the horizon, silos of the signals,
    the position of the first opportunity (or ``n_in``), and 1 when a
    deciding actor is the actor or a ``to`` party of some event of the case.
    Cases with ``skip`` keep zeros.
    """
    seen_actor = np.full(decides.shape[0], -1, np.int64)
    seen_silo = np.full(max(1, int(silo.max()) + 1), -1, np.int64)
    for c in range(starts.shape[0] - 1):
        lo, hi = starts[c], starts[c + 1]
        if skip[c]:
            continue
        n = hi - lo
        for j in range(lo, hi):
            if sets_horizon[j]:
                n = j - lo
                while lo + n < hi and ticks[lo + n] <= ticks[j]:
                    n += 1
                break
        first = n
        for j in range(lo, hi):
            if decides[actor[j]]:
                plan[c, 6] = 1
            for k in range(to_off[j], to_off[j + 1]):
                if decides[to_val[k]]:
                    plan[c, 6] = 1
            if j >= lo + n:
                continue
            for k in range(to_off[j] - 1, to_off[j + 1]):
                a = actor[j] if k < to_off[j] else to_val[k]
                if seen_actor[a] != c:
                    seen_actor[a] = c
                    plan[c, 3] += 1
            if ops[j] == _OBSERVE:
                plan[c, 1] += 1
                if seen_silo[silo[actor[j]]] != c:
                    seen_silo[silo[actor[j]]] = c
                    plan[c, 4] += 1
            if _is_opportunity(opp_kind[j], sig_off[j + 1] > sig_off[j]):
                plan[c, 2] += 1
                if first == n:
                    first = j - lo
        plan[c, 0] = n
        plan[c, 5] = first


_RUN_SIGNATURE = (
    "void(int64[:], int64[:], int64[:], int64[:], boolean[:], int64[:], boolean[:], "
    "boolean[:], int64[:], int64[:], int64[:], int64[:], int64[:], int64[:], boolean[:], "
    "int64[:, :], "
    "int64[:, :], int64, int64[:, :], int64[:, :], int64[:, :], int64[:, :], int64[:, :], "
    "int64[:])"
)


@njit(_RUN_SIGNATURE, cache=True)
def run_cases(
    starts, ticks, ops, cf, gains, opp_kind, sets_horizon, is_act, actor, to_off, to_val,
    sig_off, sig_val, silo, decides, plan, offsets, state_words,
    case_out, sig_out, opp_out, pair_out, know_out, adv_out,
):  # fmt: skip
    """Run every planned case; write its figures at its ``offsets``.

    Inputs per event (rows of the corpus, sorted by case and time): ticks,
    operation, counterfactual operation (-1 for no opportunity), whether an
    opportunity's gain alone is computed (a robustness variant compares only
    the gains of opportunities missed in the actual run; the others stay 0),
    opportunity kind, whether its kind sets the horizon, whether it acts, actor number,
    ``to`` and ``signals`` as CSR; per actor its silo number (numbered in
    sorted order of the silos' names) and whether it decides. Outputs in the
    layouts :data:`CASE_OUT`, :data:`SIGNAL_OUT`, :data:`OPPORTUNITY_OUT`,
    :data:`PAIR_OUT`, the knowledge as three rows (actor, signal row, via
    row) and the rows of the advanced signals (from each opportunity's
    ``advanced_at``); of these two, each case writes as many as ``case_out``
    says, right after the case before, so the first of them hold all.
    Positions are rows of the corpus, -1 for none. With an empty
    ``know_out`` (a robustness variant, whose verdicts compare figures)
    neither the knowledge nor the advanced signals are written, only counted.
    """
    n_actors_all = decides.shape[0]
    local_of = np.full(n_actors_all, -1, np.int64)
    silo_local = np.full(max(1, int(silo.max()) + 1), -1, np.int64)
    outputs = (case_out, sig_out, opp_out, pair_out, know_out, adv_out)
    work = _work_arrays(starts, plan, to_off, state_words, case_out)
    written = np.zeros(2, np.int64)  # knowledge rows, advanced signals
    for c in range(starts.shape[0] - 1):
        lo, hi = starts[c], starts[c + 1]
        if case_out[c, 0] == LEFT or hi == lo:
            continue
        status = _run_case(
            c, starts, plan, ticks, ops, cf, gains, opp_kind, sets_horizon, is_act, actor, to_off,
            to_val, sig_off, sig_val, silo, decides, offsets, local_of, silo_local, outputs, work,
            written,
        )  # fmt: skip
        case_out[c, 0] = status
        written[0] += case_out[c, 10]
        written[1] += case_out[c, 11]
        # Forget this case's actor and silo numbers.
        for j in range(lo, hi):
            local_of[actor[j]] = -1
            silo_local[silo[actor[j]]] = -1
            for k in range(to_off[j], to_off[j + 1]):
                local_of[to_val[k]] = -1
