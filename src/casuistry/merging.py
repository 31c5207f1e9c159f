"""One chronology from several organisations' tables of the same case.

Each input (a folder, workbook, events file or OCEL file, as
:func:`casuistry.load` reads) is one organisation's chronology. The merge:

1. tags every event with its organisation in ``source``: the organisation's
   name when the cell is empty, else ``<organisation>: <source>``;
2. keeps each ``event_id`` where it is unique in its case over all inputs,
   and prefixes it (``<organisation>:<event_id>``) in every input that holds
   it when several do; ``signals`` items are rewritten to the prefixed id of
   their own input's event, and an item naming another input's colliding id
   is refused as ambiguous;
3. lists likely duplicates: rows of different inputs with the same case,
   time, kind, actor and ``to`` parties (a share reported by sender and
   recipient). They are never merged silently: only the pairs a reviewer
   confirms in a dedupe file (columns ``case_id``, ``keep``, ``drop``,
   event ids as in the merged result) are merged, the dropped row's
   ``source`` added to the kept row's after `` | `` and references to it
   rewritten;
4. joins the actors tables (an actor with two different silos is refused);
5. validates the merged tables; problems name the input file and row.

Examples
--------
>>> import casuistry
>>> result = merge([casuistry.example_path()], names=["puzzel"])
>>> result.book.events["source"].iloc[0]
'puzzel: dossier school p.3'
>>> len(result.duplicates)
0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from casuistry.casebook import Casebook
from casuistry.errors import InputError, InvalidCase
from casuistry.io.raw import ACTORS, EVENTS, RawTable, read_tables
from casuistry.kinds import KINDS, KindRegistry
from casuistry.timeaxis import parse_time_codes
from casuistry.validation import validate_tables
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    EVENT_ID,
    KIND,
    LIST_SEPARATOR,
    SIGNALS,
    SILO,
    SOURCE,
    TIME,
    TO,
)

#: Columns of :attr:`MergeResult.duplicates`.
DUPLICATE_COLUMNS = [
    CASE_ID, "keep", "drop", "file_a", "row_a", "file_b", "row_b", TIME, KIND, ACTOR, TO,
]  # fmt: skip
#: Columns a dedupe file must have.
DEDUPE_COLUMNS = (CASE_ID, "keep", "drop")
#: Separates the sources of two rows merged as duplicates.
SOURCE_JOIN = " | "


@dataclass(frozen=True)
class MergeResult:
    """What :func:`merge` made.

    Attributes
    ----------
    book : Casebook
        The validated merged chronology; warnings name input files and rows.
    duplicates : pandas.DataFrame
        Likely duplicates not merged, one row per pair: ``case_id``, ``keep``
        and ``drop`` (the merged event ids, ready for a dedupe file),
        ``file_a``, ``row_a``, ``file_b``, ``row_b``, ``time``, ``kind``,
        ``actor``, ``to``.
    renamed : pandas.DataFrame
        The prefixed ids: ``organisation``, ``case_id``, ``event_id``, ``merged_id``.
    """

    book: Casebook
    duplicates: pd.DataFrame
    renamed: pd.DataFrame


def merge(
    inputs: Sequence[str | Path],
    *,
    names: Sequence[str] | None = None,
    dedupe: str | Path | None = None,
    kinds: KindRegistry = KINDS,
) -> MergeResult:
    """Merge organisations' chronologies of the same case (see the module text).

    Parameters
    ----------
    inputs : sequence of str or Path
        One folder, workbook, events file or OCEL file per organisation.
    names : sequence of str, optional
        The organisation of each input; by default the file or folder name
        without suffix. Names must differ.
    dedupe : str or Path, optional
        A CSV of confirmed duplicate pairs (``case_id``, ``keep``, ``drop``).
    kinds : KindRegistry
        The event kinds the inputs may use (as for :func:`casuistry.load`).

    Raises
    ------
    InputError
        For unreadable inputs, names that are missing or repeated, an
        ambiguous reference, an actor with two silos, or a bad dedupe file.
    InvalidCase
        When the merged tables break the case format; rows point into the inputs.
    """
    names = _names(inputs, names)
    raw = [_read(path, kinds) for path in inputs]
    frames = [_tagged(events, name) for (events, _), name in zip(raw, names, strict=True)]
    frames, renamed = _unique_ids(frames, names)
    merged = pd.concat(frames, ignore_index=True)
    origin = pd.DataFrame(
        {
            "file": [f"{name} ({events.file})" for (events, _), name in zip(raw, names, strict=True)
                     for _ in range(len(events.frame))],
            "row": np.concatenate([events.rows for events, _ in raw]),
        }
    )  # fmt: skip
    duplicates = _duplicates(merged, origin, kinds)
    if dedupe is not None:
        merged, origin, duplicates = _dedupe(merged, origin, duplicates, Path(dedupe))
    actors = _actors(raw, names)
    book = _validated(merged.drop(columns="_input"), origin, actors, kinds)
    return MergeResult(book, duplicates.reset_index(drop=True), renamed)


def _names(inputs, names) -> list[str]:
    if names is None:
        names = [Path(p).stem for p in inputs]
    names = [str(n).strip() for n in names]
    if len(names) != len(inputs):
        raise InputError(f"{len(inputs)} inputs but {len(names)} names; give one name per input")
    if any(not n for n in names) or len(set(names)) != len(names):
        raise InputError("organisation names must be given and differ: " + ", ".join(names))
    return names


def _read(path, kinds: KindRegistry) -> tuple[RawTable, RawTable | None]:
    from casuistry.io.ocel import is_ocel
    from casuistry.ocel_tables import read_ocel

    tables = read_ocel(path, kinds=kinds) if is_ocel(path) else read_tables(path)
    return tables[EVENTS], tables.get(ACTORS)


def _tagged(events: RawTable, name: str) -> pd.DataFrame:
    frame = events.frame.copy()
    source = frame[SOURCE] if SOURCE in frame.columns else pd.Series(pd.NA, index=frame.index)
    frame[SOURCE] = (name + ": " + source.astype("string")).fillna(name).astype("string")
    return frame


def _unique_ids(frames: list[pd.DataFrame], names: list[str]):
    """Prefix event ids held by several inputs; rewrite references within each input."""
    held = [set(zip(f[CASE_ID], f[EVENT_ID], strict=True)) for f in frames]
    count = pd.Series([key for keys in held for key in keys]).value_counts()
    colliding = set(count.index[count > 1])
    out, renamed = [], []
    for n, (frame, name) in enumerate(zip(frames, names, strict=True)):
        frame = frame.copy()
        own = {key for key in held[n] if key in colliding}
        new_id = {key: f"{name}:{key[1]}" for key in own}
        renamed += [(name, c, e, merged) for (c, e), merged in sorted(new_id.items())]
        frame[EVENT_ID] = [
            new_id.get((c, e), e) for c, e in zip(frame[CASE_ID], frame[EVENT_ID], strict=True)
        ]
        if SIGNALS in frame.columns:
            frame[SIGNALS] = pd.array(
                [
                    _references(cell, case, new_id, colliding, name)
                    for cell, case in zip(frame[SIGNALS], frame[CASE_ID], strict=True)
                ],
                dtype="string",
            )
        frame[EVENT_ID] = frame[EVENT_ID].astype("string")
        frame["_input"] = n
        out.append(frame)
    columns = ["organisation", CASE_ID, EVENT_ID, "merged_id"]
    return out, pd.DataFrame(renamed, columns=columns)


def _references(cell, case, new_id: dict, colliding: set, name: str):
    if cell is None or cell is pd.NA:
        return cell
    items = []
    for item in (i.strip() for i in str(cell).split(LIST_SEPARATOR)):
        if (case, item) in new_id:
            items.append(new_id[(case, item)])
        elif (case, item) in colliding:
            raise InputError(
                f"{name}: signals item {item!r} in case {case!r} names an event id that several "
                f"other inputs hold; give that reference as '<organisation>:{item}'"
            )
        else:
            items.append(item)
    return LIST_SEPARATOR.join(items)


def _duplicates(merged: pd.DataFrame, origin: pd.DataFrame, kinds: KindRegistry) -> pd.DataFrame:
    """Pairs of rows of different inputs with the same case, time, kind, actor and parties."""
    ticks, codes = parse_time_codes(merged[TIME])
    parties = merged[TO] if TO in merged.columns else pd.Series(pd.NA, index=merged.index)
    key = pd.DataFrame(
        {
            CASE_ID: merged[CASE_ID].astype(object),
            "ticks": np.where(codes >= 0, ticks, -1),
            KIND: [None if pd.isna(k) else kinds.normalise(k) for k in merged[KIND]],
            ACTOR: merged[ACTOR].astype(object),
            TO: ["" if pd.isna(p) else _party_set(p) for p in parties],
        },
        index=merged.index,
    )
    valid = np.flatnonzero(key.notna().all(axis=1).to_numpy() & (codes >= 0))
    # Groups of two rows or more only, in order of first appearance (most of a
    # corpus' groups are one row: going through each took most of a merge).
    group = key.iloc[valid].groupby(list(key.columns), sort=False).ngroup().to_numpy()
    shared = np.bincount(group)[group] >= 2
    order = np.argsort(group[shared], kind="stable")  # by group; rows in order within
    rows, groups = valid[shared][order], group[shared][order]
    column = {
        name: frame[c].to_numpy(dtype=object)
        for name, (frame, c) in {
            "input": (merged, "_input"), "case": (merged, CASE_ID), "id": (merged, EVENT_ID),
            "file": (origin, "file"), "row": (origin, "row"), "time": (merged, TIME),
            "kind": (key, KIND), "actor": (merged, ACTOR),
        }.items()
    }  # fmt: skip
    party = parties.to_numpy(dtype=object)
    pairs = []
    _, starts = np.unique(groups, return_index=True)  # groups sorted: where each begins
    for start, stop in pairwise([*starts.tolist(), len(groups)]):
        positions = rows[start:stop].tolist()
        for i, a in enumerate(positions):
            for b in positions[i + 1 :]:
                if column["input"][a] != column["input"][b]:
                    pairs.append(
                        [column["case"][a], column["id"][a], column["id"][b],
                         column["file"][a], int(column["row"][a]),
                         column["file"][b], int(column["row"][b]),
                         column["time"][a], column["kind"][a], column["actor"][a],
                         party[a] if pd.notna(party[a]) else ""]
                    )  # fmt: skip
    return pd.DataFrame(pairs, columns=DUPLICATE_COLUMNS)


def _party_set(cell: str) -> str:
    return LIST_SEPARATOR.join(sorted({p.strip() for p in cell.split(LIST_SEPARATOR) if p.strip()}))


def _dedupe(merged: pd.DataFrame, origin: pd.DataFrame, duplicates: pd.DataFrame, path: Path):
    """Merge the confirmed pairs: drop one row, keep its source, rewrite references to it."""
    from casuistry.io.raw import read_tables as read

    pairs = read(path)["events"]
    missing = [c for c in DEDUPE_COLUMNS if c not in pairs.frame.columns]
    if missing:
        raise InputError(f"{path.name}: no column {', '.join(missing)}; give case_id, keep, drop")
    index = {key: n for n, key in enumerate(zip(merged[CASE_ID], merged[EVENT_ID], strict=True))}
    dropped = {}
    for row, case, keep, drop in zip(
        pairs.rows, pairs.frame[CASE_ID], pairs.frame["keep"], pairs.frame["drop"], strict=True
    ):
        for column, event in (("keep", keep), ("drop", drop)):
            if (case, event) not in index:
                raise InputError(
                    f"{path.name}, row {row}, column {column}: no event {event!r} in case {case!r} "
                    "of the merged inputs; use the ids the merge lists"
                )
        if keep == drop or (case, drop) in dropped or (case, keep) in dropped:
            raise InputError(f"{path.name}, row {row}: each event may be kept or dropped once")
        dropped[(case, drop)] = keep
        k, d = index[(case, keep)], index[(case, drop)]
        merged.at[k, SOURCE] = f"{merged.at[k, SOURCE]}{SOURCE_JOIN}{merged.at[d, SOURCE]}"
    gone = [index[key] for key in dropped]
    merged = merged.drop(index=gone)
    if SIGNALS in merged.columns:
        merged[SIGNALS] = [
            cell if pd.isna(cell) else LIST_SEPARATOR.join(
                dropped.get((case, i.strip()), i.strip()) for i in cell.split(LIST_SEPARATOR))
            for cell, case in zip(merged[SIGNALS], merged[CASE_ID], strict=True)
        ]  # fmt: skip
        merged[SIGNALS] = merged[SIGNALS].astype("string")
    confirmed = {frozenset((case, keep, drop)) for (case, drop), keep in dropped.items()}
    kept = [
        frozenset((c, k, d)) not in confirmed
        for c, k, d in zip(duplicates[CASE_ID], duplicates["keep"], duplicates["drop"], strict=True)
    ]
    return (
        merged.reset_index(drop=True),
        origin.drop(index=gone).reset_index(drop=True),
        duplicates[kept],
    )


def _actors(raw, names) -> RawTable | None:
    given = [
        (name, actors) for (_, actors), name in zip(raw, names, strict=True) if actors is not None
    ]
    if not given:
        return None
    frame = pd.concat([a.frame for _, a in given], ignore_index=True)
    silos = frame.groupby(ACTOR)[SILO].nunique()
    if (silos > 1).any():
        actor = silos.index[silos > 1][0]
        where = [
            f"{n} ({a.file}): {s}"
            for n, a in given
            for s in a.frame.loc[a.frame[ACTOR] == actor, SILO]
        ]
        raise InputError(f"actor {actor!r} has different silos in the inputs: {'; '.join(where)}; "
                         "make them agree")  # fmt: skip
    frame = frame.drop_duplicates(ACTOR, keep="first").reset_index(drop=True)
    return RawTable(
        frame, np.arange(1, len(frame) + 1), "actors of " + ", ".join(n for n, _ in given)
    )


def _validated(
    events: pd.DataFrame, origin: pd.DataFrame, actors: RawTable | None, kinds: KindRegistry
) -> Casebook:
    table = RawTable(events.reset_index(drop=True), np.arange(1, len(events) + 1), "merged")
    try:
        book = validate_tables(table, actors, kinds=kinds)
    except InvalidCase as err:
        raise InvalidCase(_placed(err.problems, origin)) from None
    return replace(book, warnings=_placed(book.warnings, origin))


def _placed(problems: pd.DataFrame, origin: pd.DataFrame) -> pd.DataFrame:
    """Problems of the merged table pointed at the input file and row they came from."""
    out = problems.copy()
    mine = (out["file"] == "merged") & out["row"].notna()
    at = out.loc[mine, "row"].astype(int) - 1
    out.loc[mine, "file"] = origin["file"].to_numpy()[at]
    out.loc[mine, "row"] = origin["row"].to_numpy()[at]
    return out
