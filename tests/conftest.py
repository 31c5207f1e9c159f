"""Shared test helpers: casebooks from CSV text, or straight from rows.

:func:`load_csv` writes CSV text into a folder and reads it with
:func:`casuistry.load`, as a user would. :func:`make_casebook` skips the
readers and validation, so engine and analysis tests (and hypothesis
strategies) can make thousands of small cases quickly. It builds exactly what
a Casebook promises: events sorted by case (in order of first appearance),
ticks and input order; ``to`` and ``signals`` as tuples; canonical kinds;
``ticks`` and ``row``; an actors table.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

import casuistry
from casuistry.casebook import Casebook, actors_without_table
from casuistry.kinds import KINDS
from casuistry.timeaxis import DATE, DATETIME, DAYS, parse_times
from casuistry.vocabulary import (
    ACTOR,
    CASE_ID,
    EVENT_COLUMNS,
    KIND,
    LABEL,
    LIST_COLUMNS,
    LIST_SEPARATOR,
    ROW,
    SILO,
    TICKS,
    TIME,
)

PUZZLE_ACTORS = """\
    actor,silo,label
    school,onderwijs,Basisschool
    huisarts,zorg,Huisarts
    wijkagent,politie,Wijkagent
    woningcorporatie,wonen,Woningcorporatie
    veilig_thuis,veilig_thuis,Veilig Thuis
    wijkteam,gemeente,Sociaal wijkteam
"""

# The essay's puzzle: school sees absence, the GP bruises, the housing
# corporation rent arrears, the neighbourhood officer a fight. The GP withholds,
# school and officer talk without sharing, a case meeting lists only the arrears.
PUZZLE_EVENTS = """\
    case_id,event_id,time,kind,actor,to,signals,category,basis,reason,source
    puzzel,e01,2024-01-15,signaal,school,,,verzuim,,,dossier school p.3
    puzzel,e02,2024-01-22,signaal,huisarts,,,letsel,,,HIS huisarts
    puzzel,e03,2024-02-02,signaal,woningcorporatie,,,huurachterstand,,,dossier corporatie
    puzzel,e04,2024-02-05,niet_delen,huisarts,veilig_thuis,e02,,,privacy_uncertainty,interview
    puzzel,e05,2024-02-12,signaal,wijkagent,,,huiselijk_geweld,,,politie mutatie
    puzzel,e06,2024-02-14,contact,school,wijkagent,,,,,interview school
    puzzel,e07,2024-02-20,delen,wijkagent,veilig_thuis,e05,,avg-6.1.e,,politie mutatie
    puzzel,e08,2024-03-01,delen,woningcorporatie,wijkteam,e03,,wgs-vroegsignalering,,corporatie
    puzzel,e09,2024-03-04,signaal,school,,,verzuim,,,dossier school p.5
    puzzel,e10,2024-03-08,overleg,wijkteam,veilig_thuis;school,e03,,,,verslag wijkteam
    puzzel,e11,2024-03-20,actie,veilig_thuis,,e05,,,,dossier VT
    puzzel,e12,2024-04-02,incident,school,,,,,,calamiteitenonderzoek
    puzzel,e13,2024-04-03,delen,huisarts,veilig_thuis,e02,,meldcode,,interview huisarts
"""


def load_csv(folder: Path, events: str, actors: str | None = None) -> Casebook:
    """Write ``events.csv`` (and ``actors.csv``) into ``folder`` and load it."""
    (folder / "events.csv").write_text(textwrap.dedent(events).lstrip(), encoding="utf-8")
    if actors is not None:
        (folder / "actors.csv").write_text(textwrap.dedent(actors).lstrip(), encoding="utf-8")
    return casuistry.load(folder)


def _as_tuple(value) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(LIST_SEPARATOR) if v.strip())
    return tuple(str(v) for v in value)


def make_casebook(
    rows: list[dict],
    actors: dict[str, str] | None = None,
    *,
    decides: set[str] | None = None,
    episodes: list[dict] | None = None,
) -> Casebook:
    """A Casebook from event rows (dicts) and an optional ``{actor: silo}`` table.

    Missing ``case_id`` defaults to ``"c1"``; ``to`` and ``signals`` may be
    ``;``-strings or lists; times as in CSV (ISO text or day numbers).
    ``decides`` names the deciding actors (the actors table gets a
    ``decides`` column); ``episodes`` gives rows of an episodes table
    (``case_id`` defaults to ``"c1"``, ``events`` a ``;``-string or list,
    ``assessment`` in English), set as the book's ``episodes`` attribute as
    the reading of section 5.1 does.
    """
    frame = pd.DataFrame([{CASE_ID: "c1", **row} for row in rows])
    for column in EVENT_COLUMNS:
        if column not in frame:
            frame[column] = None
    frame[CASE_ID] = frame[CASE_ID].astype(str)
    frame[KIND] = [KINDS.normalise(k) for k in frame[KIND]]
    for column in LIST_COLUMNS:
        frame[column] = [_as_tuple(v) for v in frame[column]]
    parsed = parse_times(frame[TIME].astype(str))
    if parsed["style"].isna().any():
        raise ValueError("unparsable time in test rows")
    frame[TICKS] = parsed["ticks"].astype("int64")
    frame[ROW] = range(2, len(frame) + 2)
    time_styles = parsed["style"].groupby(frame[CASE_ID], sort=False).agg(_case_style)
    order = {case: n for n, case in enumerate(time_styles.index)}
    frame["_case_order"] = frame[CASE_ID].map(order)
    frame = frame.sort_values(["_case_order", TICKS, ROW], kind="stable")
    frame = frame.drop(columns="_case_order").reset_index(drop=True)
    time_styles.index.name = CASE_ID
    if actors is None:
        names = set(frame[ACTOR])
        for recipients in frame["to"]:
            names.update(recipients)
        table = actors_without_table(names)
    else:
        table = pd.DataFrame({ACTOR: list(actors), SILO: list(actors.values())})
        table[LABEL] = table[ACTOR]
    if decides is not None:
        table["decides"] = table[ACTOR].isin(decides)
    book = Casebook(
        events=frame,
        actors=table,
        time_styles=time_styles,
        has_actor_table=actors is not None,
    )
    if episodes is not None:
        table = pd.DataFrame(
            [{CASE_ID: "c1", "title": None, "description": None, **row} for row in episodes],
            columns=[CASE_ID, "episode_id", "events", "assessment", "title", "description"],
        )
        table["events"] = [_as_tuple(v) for v in table["events"]]
        object.__setattr__(book, "episodes", table)  # the Casebook is frozen
    return book


def _case_style(styles: pd.Series) -> str:
    found = set(styles)
    if found == {DAYS}:
        return DAYS
    if DAYS in found:
        raise ValueError("test case mixes calendar and day-number times")
    return DATETIME if DATETIME in found else DATE


@pytest.fixture
def casebook_from_rows():
    """The :func:`make_casebook` helper as a fixture."""
    return make_casebook
