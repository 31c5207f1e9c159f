"""The registry of event kinds, and a kind defined only here flowing through the toolkit.

The second half defines ``request`` (Dutch ``verzoek``): one actor asks
another for information about signals it lists. Nothing moves, so it is an
opportunity; taken, it is the share it could have been. It exists only in the
test registry below, and must go through validation, the engine, what-if, the
signal graph and the lanes without any other change to the code.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest
from conftest import load_csv

import casuistry
from casuistry.engine import propagate
from casuistry.errors import InvalidCase, InvalidKindRegistry
from casuistry.graph import Attr, signal_graph
from casuistry.kinds import (
    ACTION,
    CONTACT,
    INCIDENT,
    KINDS,
    MEETING,
    SHARE,
    SIGNAL,
    WITHHOLD,
    EventKind,
    KindRegistry,
    Knowledge,
    Mark,
    Opportunity,
)
from casuistry.presentation.clock import Clock
from casuistry.presentation.texts import Texts, strings
from casuistry.viz.graph_items import graph_items
from casuistry.viz.lanes import timeline
from casuistry.whatif import InvalidHypothesis, what_if

DAY = 86_400

# --- the registry itself ----------------------------------------------------------


@pytest.mark.parametrize(
    ("spelled", "code"),
    [
        ("signal", SIGNAL),
        ("Signaal", SIGNAL),
        ("delen", SHARE),
        ("Niet delen", WITHHOLD),
        ("niet-delen", WITHHOLD),
        (" NIET_DELEN ", WITHHOLD),
        ("contact", CONTACT),
        ("overleg", MEETING),
        ("actie", ACTION),
        ("incident", INCIDENT),
    ],
)
def test_every_english_and_dutch_spelling_gives_its_code(spelled, code):
    assert KINDS.normalise(spelled) == code


@pytest.mark.parametrize("spelled", ["telefoon", "", "signalen", None])
def test_an_unknown_spelling_gives_none(spelled):
    assert KINDS.normalise(spelled) is None


def test_the_case_format_kinds_and_what_they_need():
    # CASE_FORMAT section 1: share, withhold, contact and meeting name others in
    # 'to'; share, withhold, meeting and action may list signals; a signal needs
    # a category.
    assert KINDS.codes == (SIGNAL, SHARE, WITHHOLD, CONTACT, MEETING, ACTION, INCIDENT)
    assert KINDS.needing_to == {SHARE, WITHHOLD, CONTACT, MEETING}
    assert KINDS.listing_signals == {SHARE, WITHHOLD, MEETING, ACTION}
    assert KINDS.needing_category == {SIGNAL}
    assert KINDS.dutch_names == (
        "signaal",
        "delen",
        "niet_delen",
        "contact",
        "overleg",
        "actie",
        "incident",
    )


def test_the_case_format_kinds_and_what_they_do_to_knowledge():
    # CASE_FORMAT section 2: a signal is observed, a share and a meeting carry,
    # an action acts, the rest moves nothing; withholds and contacts are always
    # opportunities, a meeting when it lists signals; the first incident ends
    # the figures.
    assert KINDS.knowledge_of == {
        SIGNAL: Knowledge.OBSERVE,
        SHARE: Knowledge.SHARE,
        WITHHOLD: Knowledge.NOTHING,
        CONTACT: Knowledge.NOTHING,
        MEETING: Knowledge.MEET,
        ACTION: Knowledge.ACT,
        INCIDENT: Knowledge.NOTHING,
    }
    assert KINDS.opportunities == {WITHHOLD, CONTACT}
    assert KINDS.opportunities_when_listing == {MEETING}
    assert KINDS.counterfactual_of == {
        WITHHOLD: Knowledge.SHARE,
        CONTACT: Knowledge.POOL,
        MEETING: Knowledge.POOL,
    }
    assert KINDS.setting_horizon == (INCIDENT,)
    assert KINDS.observing == {SIGNAL}
    assert KINDS.acting == {ACTION}
    assert KINDS.carrying == (SHARE, MEETING)


@pytest.mark.parametrize(
    ("code", "listed", "expected"),
    [
        (WITHHOLD, False, True),
        (CONTACT, False, True),
        (MEETING, True, True),
        (MEETING, False, False),
        (SHARE, True, False),
        (SIGNAL, False, False),
    ],
)
def test_whether_an_event_is_an_opportunity(code, listed, expected):
    assert KINDS[code].is_opportunity(listed=listed) is expected


def test_a_taken_withhold_is_its_share_and_a_taken_contact_a_meeting():
    withhold, contact = KINDS[WITHHOLD], KINDS[CONTACT]
    assert (withhold.taken_as, withhold.taken_keeps_signals) == (SHARE, True)
    assert (contact.taken_as, contact.taken_keeps_signals) == (MEETING, False)


def test_adding_or_changing_a_kind_makes_a_new_registry():
    extended = KINDS.with_kind(REQUEST)
    assert extended.codes[-1] == "request"
    assert "request" not in KINDS
    assert len(extended) == len(KINDS) + 1
    changed = KINDS.replace(CONTACT, aliases=("telefonisch_contact",))
    assert changed.normalise("Telefonisch contact") == CONTACT
    assert KINDS.normalise("Telefonisch contact") is None
    assert len(changed) == len(KINDS)


def test_a_kind_without_a_relation_is_related_by_its_code_and_named_the_same_in_dutch():
    kind = EventKind("note", marker=("o", 50, 8))
    assert kind.relation == "note"
    assert kind.dutch_name == "note"


@pytest.mark.parametrize(
    "make",
    [
        lambda: KINDS.with_kind(EventKind("telefoon", aliases=("delen",), marker=("o", 9, 3))),
        lambda: EventKind("x", marker=("o", 9, 3), opportunity=Opportunity.ALWAYS),
        lambda: EventKind("x", marker=("o", 9, 3), counterfactual=Knowledge.SHARE),
        lambda: EventKind(
            "x",
            marker=("o", 9, 3),
            opportunity=Opportunity.ALWAYS,
            counterfactual=Knowledge.ACT,
            taken_as=SHARE,
        ),
        lambda: EventKind("x", mark=Mark.ARROW, opportunity=Opportunity.WHEN_LISTING),
        lambda: EventKind("x"),  # a point without a marker
        lambda: EventKind("x", mark=Mark.LINK, marker=("o", 9, 3)),
        lambda: EventKind("x", marker=("o", 9, 3), face="red"),
        lambda: KINDS.with_kind(
            EventKind(
                "x",
                mark=Mark.ARROW,
                opportunity=Opportunity.ALWAYS,
                counterfactual=Knowledge.SHARE,
                taken_as="nothing",
            )
        ),
        lambda: KINDS.with_kind(EventKind("x", mark=Mark.ARROW, relation="shared")),
    ],
)
def test_a_registry_that_contradicts_itself_is_refused(make):
    with pytest.raises(InvalidKindRegistry):
        make()


# --- a kind defined only here ---------------------------------------------------------

REQUEST = EventKind(
    "request",
    aliases=("verzoek",),
    needs_to=True,
    lists_signals=True,
    knowledge=Knowledge.NOTHING,
    opportunity=Opportunity.ALWAYS,
    counterfactual=Knowledge.SHARE,
    taken_as=SHARE,
    taken_keeps_signals=True,
    mark=Mark.BLOCKED,
    relation="requested",
)
MARKS = [Mark.BLOCKED, Mark.ARROW]

# The GP observes bruises (e2) on day 3 and asks the school about them on day 5
# (e3, a request listing e2), which moves nothing. The school, which saw
# absence on day 1 (e1), shares it with the GP on day 12 (e4): both signals
# converge then.
EVENTS = """\
    case_id,event_id,time,kind,actor,to,signals,category
    c,e1,1,signaal,school,,,verzuim
    c,e2,3,signaal,huisarts,,,letsel
    c,e3,5,verzoek,huisarts,school,e2,
    c,e4,12,delen,school,huisarts,e1,
"""
ACTORS = """\
    actor,silo,label
    school,onderwijs,Basisschool
    huisarts,zorg,Huisarts
"""


def registry(mark: Mark) -> KindRegistry:
    """The case format's kinds and the request, drawn as ``mark``."""
    return KINDS.with_kind(replace(REQUEST, mark=mark))


@pytest.fixture
def request_texts(monkeypatch):
    """The texts a new kind brings: its name and its edge in the graph."""
    monkeypatch.setitem(strings(), "kind.request", {"nl": "verzoek", "en": "request"})
    monkeypatch.setitem(
        strings(),
        "graph.edge.requested",
        {
            "nl": "{a} vroeg {b} om informatie ({when}, {event})",
            "en": "{a} asked {b} ({when}, {event})",
        },
    )


def test_the_new_kind_is_read_in_dutch_and_carried_by_the_casebook(tmp_path):
    book = casuistry.load(_write(tmp_path), kinds=registry(Mark.BLOCKED))
    assert book.events["kind"].tolist() == ["signal", "signal", "request", "share"]
    assert "request" in book.kinds
    assert "request" in book.case("c").kinds


def test_without_the_new_kind_its_rows_are_unknown(tmp_path):
    with pytest.raises(InvalidCase) as err:
        load_csv(tmp_path, EVENTS, ACTORS)
    assert "unknown kind 'verzoek'" in str(err.value)


def test_the_new_kind_needs_what_its_entry_says(tmp_path):
    events = EVENTS.replace("c,e3,5,verzoek,huisarts,school,e2,", "c,e3,5,verzoek,huisarts,,e2,")
    with pytest.raises(InvalidCase) as err:
        casuistry.load(_write(tmp_path, events), kinds=registry(Mark.BLOCKED))
    assert "a request needs its recipients or parties in 'to'" in str(err.value)


def test_the_engine_computes_the_new_kind_as_an_opportunity():
    # Taken, the request is the GP's share of e2 with the school on day 5: the
    # school then knows e1 and e2 (two silos), so both converge on day 5 instead
    # of day 12, a gain of 7 days each.
    run = propagate(
        [1 * DAY, 3 * DAY, 5 * DAY, 12 * DAY],
        ["signal", "signal", "request", "share"],
        ["school", "huisarts", "huisarts", "school"],
        [(), (), ("school",), ("huisarts",)],
        [(), (), ("e2",), ("e1",)],
        ["e1", "e2", "e3", "e4"],
        {"school": "onderwijs", "huisarts": "zorg"},
        kinds=registry(Mark.BLOCKED),
    )
    assert run.converged == [3, 3]
    assert run.opportunities == [(2, {0: 7 * DAY, 1: 7 * DAY})]
    assert run.relational_end == [5 * DAY, 5 * DAY]


def test_the_analysis_of_the_new_kind(tmp_path):
    result = casuistry.analyse(casuistry.load(_write(tmp_path), kinds=registry(Mark.BLOCKED)))
    opportunity = result.opportunities.set_index("event_id").loc["e3"]
    assert opportunity["kind"] == "request"
    assert bool(opportunity["missed"])
    # 7 days for each of the two signals (see the engine test above)
    assert opportunity["gain_signal_days"] == 14.0
    assert opportunity["max_gain_days"] == 7.0
    signals = result.signals.set_index("signal_id")
    # e1: observed day 1, converged day 12, day 5 with the request taken
    # e2: observed day 3, converged day 12, day 5 with the request taken
    assert signals["dwell_days"].tolist() == [11.0, 9.0]
    assert signals["relational_days"].tolist() == [4.0, 2.0]
    assert signals["decision_days"].tolist() == [7.0, 7.0]


def test_what_if_takes_the_new_kind_as_the_share_it_could_have_been(tmp_path):
    book = casuistry.load(_write(tmp_path), kinds=registry(Mark.BLOCKED))
    table = what_if(book, "c", take=["e3"]).set_index("signal_id")
    assert table["gain_days"].tolist() == [7.0, 7.0]
    with pytest.raises(InvalidHypothesis, match="use 'share' or 'meeting'"):
        what_if(
            book, "c", add=[{"kind": "verzoek", "time": 6, "actor": "school", "to": "huisarts"}]
        )


@pytest.mark.parametrize("mark", MARKS, ids=lambda m: m.value)
def test_the_signal_graph_draws_the_new_kind_by_its_mark(tmp_path, request_texts, mark):
    book = casuistry.load(_write(tmp_path), kinds=registry(mark))
    analysis = casuistry.analyse(book)
    graph = signal_graph(analysis, "c")
    edges = [
        (u, v, d[Attr.SIGNALS])
        for u, v, d in graph.edges(data=True)
        if d[Attr.RELATION] == "requested"
    ]
    assert edges == [("actor:huisarts", "actor:school", "e2")]
    texts = Texts("en")
    clock = Clock.from_ticks("days", DAY, texts)
    _, items = graph_items(analysis, texts, clock)
    (drawn,) = [e for e in items if e["title"].startswith("Huisarts asked Basisschool")]
    if mark is Mark.BLOCKED:  # dashed, ending in a bar
        assert drawn["dashes"] == [8, 6]
        assert drawn["arrows"]["to"]["type"] == "bar"
    else:  # a plain arrow
        assert "dashes" not in drawn
        assert drawn["arrows"] == "to"


@pytest.mark.parametrize("mark", MARKS, ids=lambda m: m.value)
def test_the_lanes_draw_the_new_kind_by_its_mark(tmp_path, request_texts, mark):
    book = casuistry.load(_write(tmp_path), kinds=registry(mark))
    fig = timeline(book, lang="nl")
    ax = fig.axes[0]
    legend = {
        t.get_text(): h
        for t, h in zip(fig.legends[0].get_texts(), fig.legends[0].legend_handles, strict=True)
    }
    assert "verzoek" in legend
    lanes = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    gp, school = lanes["Huisarts"], lanes["Basisschool"]
    day = 4.0  # day 5, four days after the first event
    if mark is Mark.BLOCKED:
        # a dashed line from the GP's lane to the school's, like a withhold
        (line,) = [ln for ln in ax.lines if list(ln.get_xdata()) == [day, day]]
        assert list(line.get_ydata()) == [gp, school]
        assert line.get_linestyle() == "--"
        assert legend["verzoek"].get_marker() == "x"
    else:
        # an arrow from the GP's lane to the school's, like a share
        arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
        assert [(a.xy, a.xyann) for a in arrows if a.xy[0] == day] == [((day, school), (day, gp))]
        assert legend["verzoek"].get_marker() == ">"


def _write(folder, events: str = EVENTS):
    (folder / "events.csv").write_text(textwrap.dedent(events), encoding="utf-8")
    (folder / "actors.csv").write_text(textwrap.dedent(ACTORS), encoding="utf-8")
    return folder
