"""The Casebook: validated events and actors of one or many cases.

A Casebook is what :func:`casuistry.load` returns and what every analysis
takes. It is made once at the boundary, after validation; after that the code
trusts it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from casuistry.errors import (
    PROBLEM_COLUMNS,
    SHOWN_PER_PLACE,
    CasuistryError,
    UnknownCase,
    counted,
)
from casuistry.hints import did_you_mean
from casuistry.kinds import KINDS, KindRegistry
from casuistry.timeaxis import DAYS
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    DECIDES,
    KIND,
    LABEL,
    REVIEW_COLUMNS,
    ROW,
    SILO,
    TO,
)

#: The reviewer's tables (CASE_FORMAT section 5.1) a Casebook always carries, maybe empty.
REVIEW_TABLES = tuple(REVIEW_COLUMNS)


def empty_review_table(name: str) -> pd.DataFrame:
    """A reviewer's table without rows: its columns of the case format, and ``row``.

    Examples
    --------
    >>> empty_review_table("factors").columns.tolist()
    ['case_id', 'episode_id', 'factor', 'description', 'row']
    """
    return pd.DataFrame({c: pd.Series(dtype=object) for c in (*REVIEW_COLUMNS[name], ROW)})


@dataclass(frozen=True)
class Casebook:
    """Validated case tables.

    Attributes
    ----------
    events : pandas.DataFrame
        One row per event, sorted by ``case_id`` (in order of first
        appearance), then ``ticks``, then input order. Columns: the case
        format's (``case_id``, ``event_id``, ``time`` as written, ``kind`` in
        its English spelling, ``actor``, ``to`` and ``signals`` as tuples of
        str, ``category``, ``severity`` as nullable Int64, ``basis``,
        ``reason``, ``description``, ``subject``, ``source``, ``confidence``),
        every extra column of the input unchanged, and two added ones:
        ``ticks`` (int64 seconds, see :mod:`casuistry.timeaxis`) and ``row``
        (the row as the user counts it).
    actors : pandas.DataFrame
        Columns ``actor``, ``silo``, ``label``, ``decides`` (bool: the actor's
        task is to decide on protection or intervention; False when the input
        does not say), then any extra columns of the actors table: one row per
        actor. Without an actors table in the input each actor used in the
        events is its own silo and its own label, and decides nothing.
    sources : pandas.DataFrame
        The reviewer's sources (CASE_FORMAT section 5.1), corpus-wide:
        ``source``, ``title``, ``type``, ``date``, ``reliability`` (upper
        case), extra columns, and ``row``. Empty without a sources table, as
        are the next three.
    episodes : pandas.DataFrame
        Key practice episodes: ``case_id``, ``episode_id``, ``events`` (tuple
        of event ids), ``assessment`` (``good``, ``problematic`` or
        ``mixed``, whatever language the input used), ``title``,
        ``description``, extra columns, ``row``.
    factors : pandas.DataFrame
        Contributory factors: ``case_id``, ``episode_id``, ``factor`` (lower
        case; a code outside the list is kept as written), ``description``,
        extra columns, ``row``.
    findings : pandas.DataFrame
        ``case_id``, ``finding_id``, ``text``, ``episodes`` (tuple of episode
        ids), ``question``, extra columns, ``row``.
    time_styles : pandas.Series
        Per ``case_id``: ``"date"``, ``"datetime"`` or ``"days"``.
    warnings : pandas.DataFrame
        Problems that did not stop the analysis: ``file``, ``row``,
        ``column``, ``message``.
    files : dict
        Names of the files read, keyed by table (``"events"``, ``"actors"``,
        and each reviewer's table read).
    has_actor_table : bool
        Whether the input gave silos, or each actor was taken as its own.
    kinds : KindRegistry
        The event kinds the book was validated with; the analysis and the
        pictures read what each kind means from it.

    Examples
    --------
    >>> import casuistry
    >>> book = casuistry.load(casuistry.example_path())
    >>> len(book) >= 1
    True
    >>> book.case(book.case_ids[0]).n_events == len(book.case(book.case_ids[0]).events)
    True
    """

    events: pd.DataFrame
    actors: pd.DataFrame
    time_styles: pd.Series
    warnings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))
    files: dict = field(default_factory=dict)
    has_actor_table: bool = False
    kinds: KindRegistry = KINDS
    sources: pd.DataFrame = field(default_factory=lambda: empty_review_table("sources"))
    episodes: pd.DataFrame = field(default_factory=lambda: empty_review_table("episodes"))
    factors: pd.DataFrame = field(default_factory=lambda: empty_review_table("factors"))
    findings: pd.DataFrame = field(default_factory=lambda: empty_review_table("findings"))

    def __post_init__(self) -> None:
        if DECIDES not in self.actors.columns:  # a book made in code, without the column
            object.__setattr__(self, "actors", self.actors.assign(**{DECIDES: False}))

    @property
    def case_ids(self) -> list[str]:
        """The cases in the book, in order of first appearance."""
        return self.time_styles.index.tolist()

    @property
    def n_events(self) -> int:
        """Number of events over all cases."""
        return len(self.events)

    def __len__(self) -> int:
        return len(self.time_styles)

    def __iter__(self):
        return iter(self.case_ids)

    def silo_of(self) -> dict[str, str]:
        """Mapping from actor to silo."""
        return dict(zip(self.actors[ACTOR], self.actors[SILO], strict=True))

    def label_of(self) -> dict[str, str]:
        """Mapping from actor to display label."""
        return dict(zip(self.actors[ACTOR], self.actors[LABEL], strict=True))

    def is_calendar(self, case_id: str) -> bool:
        """Whether the case's times are calendar dates rather than day numbers."""
        return self.time_styles[case_id] != DAYS

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table the book holds, by name: ``events``, ``actors``, then the
        reviewer's ``sources``, ``episodes``, ``factors``, ``findings`` (maybe empty).

        Examples
        --------
        >>> import casuistry
        >>> list(casuistry.load(casuistry.example_path()).tables())
        ['events', 'actors', 'sources', 'episodes', 'factors', 'findings']
        """
        review = {name: getattr(self, name) for name in REVIEW_TABLES}
        return {"events": self.events, "actors": self.actors, **review}

    def case(self, case_id: str) -> Casebook:
        """A Casebook with one case only.

        Its episodes, factors and findings are the case's; its sources are
        all sources (they are corpus-wide).

        Raises
        ------
        UnknownCase
            When the book has no such case; the message offers the closest id
            it holds, or else lists a few.
        CasuistryError
            When ``case_id`` is several ids (a list, a Series): see :meth:`subset`.

        Examples
        --------
        >>> import casuistry
        >>> casuistry.load(casuistry.example_path()).case(["puzzel-1", "puzzel-2"])
        Traceback (most recent call last):
        ...
        casuistry.errors.CasuistryError: case() takes one case id, not a list; for \
several cases, use subset()
        """
        if not isinstance(case_id, str | int | np.integer):
            raise CasuistryError(
                f"case() takes one case id, not a {type(case_id).__name__}; "
                "for several cases, use subset()"
            )
        case_id = str(case_id)
        if case_id not in self._case_positions:
            raise self._unknown([case_id])
        return self._of_cases([case_id])

    def subset(self, case_ids: Iterable) -> Casebook:
        """A Casebook with some cases only, in the order of this one.

        As :meth:`case` for several: the cases' events, actors, time styles,
        episodes, factors and findings; the warnings and sources of the whole
        input. Analysing it gives each case's figures as analysing the whole
        book does (cases never affect each other's figures).

        Raises
        ------
        UnknownCase
            Naming every id the book does not hold (:meth:`check_cases`).

        Examples
        --------
        >>> import casuistry
        >>> book = casuistry.synthesize("ondermijning", 3, seed=1).casebook
        >>> book.subset([book.case_ids[2], book.case_ids[0]]).case_ids == book.case_ids[::2]
        True
        """
        asked = set(self.check_cases(case_ids))
        return self._of_cases([case_id for case_id in self.case_ids if case_id in asked])

    def _of_cases(self, case_ids: list[str]) -> Casebook:
        """The Casebook of ``case_ids``: cases it holds, in its order."""
        if len(case_ids) == 1:  # one case is a slice of each table: no copy
            (case_id,) = case_ids
            events = case_slice(self.events, self._case_rows.get(case_id, slice(0, 0)))
        else:
            events = self.events.iloc[_positions(self._case_rows, case_ids)]
        used = set(events[ACTOR])
        for names in events[TO]:
            used.update(names)
        positions = sorted(at for actor in used for at in self._actor_rows.get(actor, ()))
        cases = [self._case_positions[case_id] for case_id in case_ids]
        return Casebook(
            events=events,
            actors=self.actors.iloc[positions].reset_index(drop=True),
            time_styles=self.time_styles.iloc[cases],
            warnings=self.warnings,
            files=self.files,
            has_actor_table=self.has_actor_table,
            kinds=self.kinds,
            sources=self.sources,
            **{name: self._of_case(name, case_ids) for name in REVIEW_TABLES[1:]},
        )

    def check_cases(self, case_ids: Iterable) -> list[str]:
        """The case ids asked for, as text, each once in the order given.

        Parameters
        ----------
        case_ids : iterable of str
            Ids of cases of this book (a list, a Series, a column of a table).

        Raises
        ------
        UnknownCase
            Naming every id the book does not hold (the first ten, each with
            the closest id it does hold, and how many more).
        CasuistryError
            When no id is given.

        Examples
        --------
        >>> import casuistry
        >>> book = casuistry.load(casuistry.example_path())
        >>> book.check_cases(["puzzel-1", "puzzel-1"])
        ['puzzel-1']
        >>> book.check_cases(["puzel-1", "x", "y"])
        Traceback (most recent call last):
        ...
        casuistry.errors.UnknownCase: 3 cases are not in the input: 'puzel-1' (did you mean \
'puzzel-1'?), 'x', 'y'; cases are: puzzel-1
        """
        asked = list(dict.fromkeys(str(case_id) for case_id in case_ids))
        if not asked:
            raise CasuistryError("no case ids given: name at least one case")
        unknown = [case_id for case_id in asked if case_id not in self._case_positions]
        if unknown:
            raise self._unknown(unknown)
        return asked

    def _unknown(self, unknown: list[str]) -> UnknownCase:
        """The error for ids the book does not hold: each with the closest one it
        holds, or else a few of its ids."""
        listed = self.case_ids[:5]
        cases = f"cases are: {', '.join(listed)}{' ...' if len(self) > len(listed) else ''}"
        if len(unknown) == 1:
            hint = did_you_mean(unknown[0], self.case_ids)
            return UnknownCase(f"no case {unknown[0]!r} in the input{hint or '; ' + cases}")

        def named(case_id: str) -> str:
            hint = did_you_mean(case_id, self.case_ids)
            return f"{case_id!r} ({hint.removeprefix('; ')})" if hint else repr(case_id)

        shown = unknown[:SHOWN_PER_PLACE]
        more = f" and {len(unknown) - len(shown)} more" if len(unknown) > len(shown) else ""
        return UnknownCase(
            f"{counted(len(unknown), 'case')} are not in the input: "
            f"{', '.join(map(named, shown))}{more}; {cases}"
        )

    def _of_case(self, name: str, case_ids: list[str]) -> pd.DataFrame:
        """The rows of some cases of a reviewer's table."""
        table = getattr(self, name)
        if not len(table):
            return table
        if len(case_ids) == 1:
            return case_slice(table, self._review_rows[name].get(case_ids[0], slice(0, 0)))
        return table.iloc[_positions(self._review_rows[name], case_ids)]

    @cached_property
    def _review_rows(self) -> dict[str, dict]:
        return {name: case_rows(getattr(self, name)[CASE_ID]) for name in REVIEW_TABLES[1:]}

    @cached_property
    def _case_positions(self) -> dict[str, int]:
        return {case_id: at for at, case_id in enumerate(self.case_ids)}

    @cached_property
    def _case_rows(self) -> dict[str, slice | np.ndarray]:
        return case_rows(self.events[CASE_ID])

    @cached_property
    def _actor_rows(self) -> dict[str, list[int]]:
        rows: dict[str, list[int]] = {}
        for at, actor in enumerate(self.actors[ACTOR].tolist()):
            rows.setdefault(actor, []).append(at)
        return rows

    def summary(self) -> pd.DataFrame:
        """One row per case: ``case_id``, ``time_style``, ``events``, ``actors``,
        ``silos``, ``signals``, ``first_row`` (where the case starts in the input).
        """
        silo = self.silo_of()
        ev = self.events
        grouped = ev.groupby(CASE_ID, sort=False)
        out = pd.DataFrame(
            {
                "time_style": self.time_styles,
                "events": grouped.size(),
                "actors": grouped[ACTOR].nunique(),
                "silos": ev[ACTOR].map(silo).groupby(ev[CASE_ID], sort=False).nunique(),
                "signals": ev[ev[KIND].isin(self.kinds.observing)]
                .groupby(CASE_ID, sort=False)
                .size(),
                "first_row": grouped[ROW].min(),
            }
        )
        out["signals"] = out["signals"].fillna(0).astype(int)
        out.index.name = CASE_ID
        return out.reset_index()

    def __repr__(self) -> str:
        return (
            f"<Casebook: {len(self)} case(s), {self.n_events} events, "
            f"{len(self.actors)} actors in {self.actors[SILO].nunique()} silos, "
            f"{len(self.warnings)} warning(s)>"
        )

    def _repr_html_(self) -> str:  # shown by Jupyter
        return f"<p>{html.escape(repr(self)[1:-1])}</p>" + first_cases_html(self.summary())


#: Cases a notebook shows of a Casebook or an Analysis (a national corpus has 10^5).
SHOWN_CASES = 20


def first_cases_html(table: pd.DataFrame) -> str:
    """The first :data:`SHOWN_CASES` rows of a table of one row per case as HTML,
    and how many more there are.

    Examples
    --------
    >>> first_cases_html(pd.DataFrame({"case_id": [f"c{k}" for k in range(25)]}))[-27:]
    '<p>... and 5 more cases</p>'
    """
    shown = table.head(SHOWN_CASES).to_html(index=False)
    more = len(table) - SHOWN_CASES
    return shown + (f"<p>... and {counted(more, 'more case')}</p>" if more > 0 else "")


def actors_without_table(actor_names) -> pd.DataFrame:
    """An actors table where every actor is its own silo and decides nothing, as the format says."""
    names = sorted(set(actor_names))
    return pd.DataFrame({ACTOR: names, SILO: names, LABEL: names, DECIDES: False})


def case_rows(case_ids: pd.Series) -> dict[str, slice | np.ndarray]:
    """Where each case's rows are in a table, found in one pass over it.

    Tables made by casuistry keep each case's rows together, so a case is a
    slice; otherwise it is the positions of its rows, in table order. Built
    once per table, it makes looking up every case of a corpus linear in the
    size of the table rather than quadratic.

    Examples
    --------
    >>> case_rows(pd.Series(["a", "a", "b"]))
    {'a': slice(0, 2, None), 'b': slice(2, 3, None)}
    >>> case_rows(pd.Series(["a", "b", "a"]))["a"].tolist()
    [0, 2]
    """
    codes, names = pd.factorize(case_ids, sort=False)
    names = [str(name) for name in names]
    if (codes >= 0).all() and (np.diff(codes) >= 0).all():
        starts = np.searchsorted(codes, np.arange(len(names) + 1)).tolist()
        return {name: slice(starts[k], starts[k + 1]) for k, name in enumerate(names)}
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(names) + 1)).tolist()
    return {name: order[starts[k] : starts[k + 1]] for k, name in enumerate(names)}


def _positions(rows: dict[str, slice | np.ndarray], case_ids: list[str]) -> np.ndarray:
    """The rows of ``case_ids`` (as :func:`case_rows` located them), case after case."""
    parts = [rows.get(case_id, slice(0, 0)) for case_id in case_ids]
    return np.concatenate(
        [np.arange(p.start, p.stop) if isinstance(p, slice) else p for p in parts]
    ).astype(np.int64)


def case_slice(frame: pd.DataFrame, rows: slice | np.ndarray) -> pd.DataFrame:
    """The rows of one case, as :func:`case_rows` located them."""
    return frame.iloc[rows]
