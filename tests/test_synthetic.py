"""Tests of the synthetic generator: valid, deterministic cases whose planted
truth the analysis recovers exactly, the knobs, the bundled data and ``synth``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casuistry
from casuistry.cli import main
from casuistry.errors import CasuistryError
from casuistry.io.writers import write_together
from casuistry.kinds import KINDS
from casuistry.synthetic import SCENARIOS, synthesize
from casuistry.synthetic.bundled import SEEDS, write_bundled
from casuistry.synthetic.calendar import SCHOOL_HOLIDAYS
from casuistry.synthetic.scenarios import CLOCK, SCHOOL
from casuistry.vocabulary import EVENT_COLUMNS, REASONS

SCENARIO_NAMES = sorted(SCENARIOS)
DATA = Path(__file__).resolve().parents[1] / "data" / "synthetic"


def stamps(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.astype(object), format="ISO8601")


def cells(values: pd.Series) -> list:
    """Values with every kind of missing (None, NaN, NA) as None."""
    return [None if pd.isna(v) else v for v in values]


def assert_truth_recovered(synth) -> None:
    """The analysis finds exactly the planted convergence and missed opportunities."""
    result = casuistry.analyse(synth.casebook)

    found = result.signals.set_index(["case_id", "signal_id"])
    planted = synth.truth.set_index(["case_id", "signal_id"])
    assert sorted(found.index) == sorted(planted.index)
    planted = planted.reindex(found.index)
    assert found["censored"].tolist() == planted["censored"].tolist()
    same_time = stamps(found["converged_at"]).eq(stamps(planted["converged_at"]))
    assert (same_time | found["censored"]).all(), found[~same_time & ~found["censored"]]
    assert cells(found["converged_by"]) == cells(planted["converged_by"])

    def ids(frame):
        return set(zip(frame["case_id"], frame["event_id"], strict=True))

    opportunities, truth = result.opportunities, synth.truth_opportunities
    assert ids(opportunities) == ids(truth)
    assert ids(opportunities[opportunities["missed"]]) == ids(truth[truth["missed"]])

    cases = result.cases.set_index("case_id")
    table = synth.truth_cases.set_index("case_id")
    first = stamps(table["table_at"]).reindex(cases.index)
    got = stamps(cases["first_convergence_at"].astype(object))
    assert (got.eq(first) | (got.isna() & first.isna())).all()

    # Reach (section 5.3): the moment the generator's ledger says a deciding
    # actor first knew each signal, or null when none did by the horizon.
    reach = stamps(found["reached_decision_at"].astype(object))
    planted_reach = stamps(planted["reached_decision_at"])
    assert (reach.eq(planted_reach) | (reach.isna() & planted_reach.isna())).all(), found[
        ~reach.eq(planted_reach) & ~(reach.isna() & planted_reach.isna())
    ]
    assert_episodes_recovered(synth, result)


def assert_episodes_recovered(synth, result) -> None:
    """The planted problematic episode holds its planted missed opportunity and
    nothing else missed; the good episode (the table) misses nothing."""
    episodes = result.episodes.set_index(["case_id", "episode_id"])
    planted = synth.episodes.set_index(["case_id", "episode_id"])
    assert sorted(episodes.index) == sorted(planted.index)
    missed = synth.truth_opportunities[synth.truth_opportunities["missed"]]
    first_missed = missed.groupby("case_id")["event_id"].first()
    for (case_id, episode_id), row in planted.iterrows():
        figures = episodes.loc[(case_id, episode_id)]
        if row["assessment"] == "problematic":
            assert row["events"] == first_missed[case_id]
            assert figures["missed"] == (row["events"],)
            assert figures["gain_signal_days"] > 0
        else:
            assert row["events"] == synth.truth_cases.set_index("case_id").at[case_id, "table_by"]
            assert figures["missed"] == ()
            assert figures["gain_signal_days"] == 0
    # every case with a planted missed opportunity has its problematic episode
    problematic = planted[planted["assessment"] == "problematic"].index.get_level_values(0)
    assert sorted(problematic) == sorted(first_missed.index)


# --- valid and deterministic ------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_cases_are_valid_and_free_of_identifiers(scenario):
    for seed in range(4):
        synth = synthesize(scenario, 25, seed=seed)
        book = synth.casebook  # validation with the identifier guard; raises InvalidCase
        assert len(book) == 25
        assert casuistry.scan_identifiers(synth.events).empty
        assert casuistry.scan_identifiers(synth.actors).empty
        # the only warnings are about follow-up events after an incident
        assert book.warnings["message"].str.contains("after its first incident").all()
        assert list(synth.events.columns) == list(EVENT_COLUMNS)
        assert synth.events.map(lambda v: v is pd.NA or isinstance(v, str)).all().all()


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_same_seed_same_tables_other_seed_other_tables(scenario):
    first = synthesize(scenario, 6, seed=11)
    again = synthesize(scenario, 6, seed=11)
    other = synthesize(scenario, 6, seed=12)
    for name in ("events", "actors", "truth", "truth_opportunities", "truth_cases"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))
    assert not first.events.equals(other.events)
    # a case depends on the seed and its number only, not on the size of the corpus
    alone = synthesize(scenario, 1, seed=11)
    pd.testing.assert_frame_equal(
        alone.events, first.events[first.events["case_id"] == alone.events["case_id"][0]]
    )


def test_ids_are_pseudonyms_in_order():
    events = synthesize("douane_kustwacht", 12, seed=2).events
    assert events["case_id"].str.fullmatch(r"dk-\d{4}").all()
    assert events["event_id"].str.fullmatch(r"e\d{3}").all()
    for _, case in events.groupby("case_id"):
        numbers = case["event_id"].str[1:].astype(int)
        assert numbers.tolist() == list(range(1, len(case) + 1))


# --- rhythms ----------------------------------------------------------------------------


def test_rhythms_of_organisations():
    frames = []
    for scenario in ("jeugdbescherming", "huiselijk_geweld"):
        synth = synthesize(scenario, 150, seed=4)
        rhythm = {a.name: a.rhythm for a in SCENARIOS[scenario].actors}
        frames.append(synth.events.assign(rhythm=synth.events["actor"].map(rhythm)))
    events = pd.concat(frames, ignore_index=True)
    times = stamps(events["time"])
    has_clock = events["time"].str.contains("T")
    # round-the-clock actors write date-times, offices and schools dates on working days
    assert (has_clock == (events["rhythm"] == CLOCK)).all()
    assert (times[~has_clock].dt.day_of_week < 5).all()
    assert (times[has_clock].dt.day_of_week >= 5).any()  # the police works weekends
    # no school signals in the school holidays
    school = events[(events["rhythm"] == SCHOOL) & (events["kind"] == "signal")]
    school_times = stamps(school["time"])
    key = school_times.dt.month * 100 + school_times.dt.day
    for (m0, d0), (m1, d1) in SCHOOL_HOLIDAYS:
        assert not ((key >= m0 * 100 + d0) & (key <= m1 * 100 + d1)).any()
    assert len(school) > 100


def test_signals_cluster_as_trouble_grows():
    synth = synthesize("jeugdbescherming", 300, seed=5, incident_rate=0.0)
    events = synth.events.assign(t=stamps(synth.events["time"]))
    span = events.groupby("case_id")["t"].agg(["min", "max"])
    signals = events[events["kind"] == "signal"].join(span, on="case_id")
    fraction = (signals["t"] - signals["min"]) / (signals["max"] - signals["min"])
    assert (fraction > 0.5).mean() > 0.6
    first_half = signals[fraction <= 0.5]["severity"].astype(int).mean()
    second_half = signals[fraction > 0.5]["severity"].astype(int).mean()
    assert second_half > first_half


def test_incidents_end_some_cases_and_meetings_recur():
    synth = synthesize("huiselijk_geweld", 200, seed=6)
    outcomes = synth.truth_cases["outcome"].value_counts()
    assert set(outcomes.index) == {
        "table",
        "table_then_incident",
        "incident_before_table",
        "no_table",
    }
    with_round = synth.truth_cases.dropna(subset=["first_round_by"])
    meetings = synth.events[synth.events["kind"] == "meeting"].groupby("case_id").size()
    assert (meetings.reindex(with_round["case_id"]) >= 1).all()
    assert (meetings > 2).any()


# --- planted truth ------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_analysis_recovers_planted_truth(scenario):
    for seed in range(3):
        synth = synthesize(scenario, 30, seed=100 + seed)
        assert synth.truth_opportunities["missed"].any()
        assert (~synth.truth_opportunities["missed"]).any()
        assert_truth_recovered(synth)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=st.sampled_from(SCENARIO_NAMES),
    seed=st.integers(0, 2**32),
    share=st.floats(0, 1),
    withhold=st.floats(0, 1),
    contacts=st.floats(0, 8),
    cadence=st.integers(1, 60),
    incident=st.floats(0, 1),
    organisations=st.integers(3, 5),
    length=st.integers(30, 400),
)
def test_planted_truth_holds_for_any_knobs(
    scenario, seed, share, withhold, contacts, cadence, incident, organisations, length
):
    synth = synthesize(
        scenario,
        6,
        seed=seed,
        share_propensity=share,
        withhold_propensity=withhold,
        contact_frequency=contacts,
        meeting_cadence_days=cadence,
        incident_rate=incident,
        n_organisations=organisations,
        case_length_days=length,
    )
    assert_truth_recovered(synth)


def test_reach_is_planted_where_someone_decides():
    # Veilig Thuis decides in huiselijk_geweld: some signals reach it; the
    # reach of a signal observed by a deciding actor is its observation.
    synth = synthesize("huiselijk_geweld", 40, seed=7)
    truth = synth.truth
    assert truth["reached_decision_at"].notna().any()
    assert truth["reached_decision_at"].isna().any()
    deciders = set(synth.actors.loc[synth.actors["decides"] == "yes", "actor"])
    assert deciders == {"veilig_thuis"}
    own = truth[truth["actor"].isin(deciders)]
    assert (own["reached_by"] == own["signal_id"]).all()
    reached = truth.dropna(subset=["reached_decision_at"])
    assert (stamps(reached["reached_decision_at"]) >= stamps(reached["observed_at"])).all()


def test_reviewers_tables_are_planted_and_valid():
    synth = synthesize("jeugdbescherming", 10, seed=2)
    book = synth.casebook
    assert set(book.sources["source"]) == set(synth.events["source"])
    # "interview ..." is an interview graded C, "calamiteitenonderzoek" a report graded A
    types = dict(zip(synth.sources["source"], synth.sources["type"], strict=True))
    grades = dict(zip(synth.sources["source"], synth.sources["reliability"], strict=True))
    for source in types:
        if source.startswith("interview"):
            assert (types[source], grades[source]) == ("interview", "C")
    assert set(synth.episodes["assessment"]) == {"good", "problematic"}
    # one factor and one finding per episode, the finding resting on it
    keys = list(zip(synth.episodes["case_id"], synth.episodes["episode_id"], strict=True))
    assert list(zip(synth.factors["case_id"], synth.factors["episode_id"], strict=True)) == keys
    assert list(zip(synth.findings["case_id"], synth.findings["episodes"], strict=True)) == keys
    assert set(synth.events["confidence"]) == {"certain", "likely", "uncertain"}


def test_reviewers_layer_leaves_the_events_alone():
    # The episodes draw from a stream of their own: the events of case k are
    # those of the same seed in a corpus of any size.
    small, large = synthesize("ondermijning", 2, seed=5), synthesize("ondermijning", 9, seed=5)
    assert small.events.equals(large.events[large.events["case_id"].isin(["om-0001", "om-0002"])])
    assert small.episodes.equals(
        large.episodes[large.episodes["case_id"].isin(["om-0001", "om-0002"])]
    )


def test_the_truth_lists_what_the_kind_registry_calls_opportunities():
    for scenario in SCENARIO_NAMES:
        synth = synthesize(scenario, 40, seed=14)
        events = synth.events
        horizon = synth.truth_cases.set_index("case_id")["horizon_event"]
        expected = set()
        for case_id, case in events.groupby("case_id", sort=False):
            # rows are in processing order; the horizon is the incident, or else the
            # last event, and only what comes before it counts
            ids = case["event_id"].tolist()
            end = ids.index(horizon[case_id]) if pd.notna(horizon[case_id]) else len(ids) - 1
            for kind, listed, event_id in zip(
                case["kind"][:end], case["signals"].notna()[:end], ids[:end], strict=True
            ):
                if KINDS[kind].is_opportunity(listed=listed):
                    expected.add((case_id, event_id))
        truth = synth.truth_opportunities
        assert set(zip(truth["case_id"], truth["event_id"], strict=True)) == expected
        assert len(expected) > 20


def test_every_planted_shape_occurs():
    shapes = set()
    for scenario in SCENARIO_NAMES:
        shapes |= set(synthesize(scenario, 60, seed=8).truth_opportunities["planted"])
    assert shapes == {
        "cross_silo",
        "before_table",
        "known_not_passed",
        "one_silo",
        "nothing_known",
        "after_table",
    }


# --- knobs ---------------------------------------------------------------------------------


def kinds(synth) -> pd.Series:
    return synth.events["kind"].value_counts()


def test_knobs_change_what_they_should():
    base = dict(scenario="publiek_privaat", n_cases=80, seed=9)
    assert "withhold" not in kinds(synthesize(**base, withhold_propensity=0))
    assert "contact" not in kinds(synthesize(**base, contact_frequency=0))
    closed = synthesize(**base, share_propensity=0)
    assert closed.truth_cases["outcome"].isin(["no_table", "incident_before_table"]).all()
    assert closed.truth["converged_at"].isna().all()
    shares = closed.events[closed.events["kind"] == "share"]
    horizon = closed.truth_cases.set_index("case_id")["horizon"]
    assert len(shares) > 0  # reports after an incident, outside the analysis
    assert (stamps(shares["time"]) > stamps(shares["case_id"].map(horizon))).all()
    assert "incident" not in kinds(synthesize(**base, incident_rate=0))
    assert synthesize(**base, incident_rate=1).truth_cases["horizon_event"].notna().all()

    eager = synthesize(**base, share_propensity=1).truth["censored"].mean()
    shy = synthesize(**base, share_propensity=0.2).truth["censored"].mean()
    assert eager < shy

    many = kinds(synthesize(**base, withhold_propensity=0.9)).get("withhold", 0)
    few = kinds(synthesize(**base, withhold_propensity=0.1)).get("withhold", 0)
    assert many > 2 * few

    only = synthesize(**base, reason_mix={"capacity": 1, "other": 0})
    reasons = only.events.loc[only.events["kind"] == "withhold", "reason"].dropna()
    assert len(reasons) and set(reasons) == {"capacity"}

    small = synthesize(**base, n_organisations=3)
    observers = small.events[small.events["kind"] == "signal"].groupby("case_id")["actor"]
    assert observers.nunique().max() <= 2

    start = synthesize(**base, start="2030-03-01", case_length_days=60, incident_rate=0)
    times = stamps(start.events["time"])
    assert times.min() >= pd.Timestamp("2030-03-01")
    assert times.max() < pd.Timestamp("2031-06-01")


def test_meeting_cadence_sets_the_first_round():
    synth = synthesize("ondermijning", 80, seed=10, meeting_cadence_days=14, incident_rate=0)
    cases = synth.truth_cases.dropna(subset=["first_round_at"])
    table_day = stamps(cases["table_at"]).dt.normalize()
    gap = (stamps(cases["first_round_at"]) - table_day).dt.days
    assert len(cases) > 10
    assert gap.between(14, 16).all()  # 14 days on, then the next working day


@pytest.mark.parametrize(
    ("args", "knobs", "words"),
    [
        (("burenruzie", 3), {}, "unknown scenario 'burenruzie'"),
        (("ondermijning", 3), {"share": 0.5}, "unknown knob 'share'"),
        (("ondermijning", 3), {"share_propensity": 1.5}, "share_propensity=1.5"),
        (("ondermijning", 3), {"meeting_cadence_days": 2.5}, "whole number"),
        (("ondermijning", 3), {"n_organisations": 2}, "from 3 to 7"),
        (("ondermijning", 3), {"reason_mix": {"fear": 1}}, "unknown reason 'fear'"),
        (("ondermijning", 3), {"reason_mix": {"capacity": 0}}, "no positive weight"),
        (("ondermijning", 3), {"start": "soon"}, "start='soon'"),
        (("ondermijning", 0), {}, "n_cases=0"),
    ],
)
def test_bad_arguments_are_refused_with_a_helpful_message(args, knobs, words):
    with pytest.raises(CasuistryError, match=words.replace("(", r"\(")):
        synthesize(*args, seed=1, **knobs)


def test_bad_seed_is_refused():
    with pytest.raises(CasuistryError, match="seed"):
        synthesize("ondermijning", 2, seed=-1)
    with pytest.raises(CasuistryError, match="seed"):
        synthesize("ondermijning", 2, seed=1.5)


# --- bundled data -------------------------------------------------------------------------


def test_make_data_rebuilds_the_bundled_cases_byte_for_byte(tmp_path):
    write_bundled(tmp_path)
    for scenario in SEEDS:
        committed = sorted(p.name for p in (DATA / scenario).iterdir())
        rebuilt = sorted(p.name for p in (tmp_path / scenario).iterdir())
        assert committed == rebuilt
        for name in rebuilt:
            assert (tmp_path / scenario / name).read_bytes() == (
                DATA / scenario / name
            ).read_bytes()


@pytest.mark.parametrize("scenario", sorted(SEEDS))
def test_bundled_cases_are_small_valid_and_explained(scenario):
    book = casuistry.load(DATA / scenario)
    assert len(book) == 1 and 10 <= book.n_events <= 60
    readme = (DATA / scenario / "README.md").read_text(encoding="utf-8")
    assert f"--seed {SEEDS[scenario]}" in readme
    synth = synthesize(scenario, 1, seed=SEEDS[scenario])
    assert_truth_recovered(synth)


# --- writing and the command line ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_synth_writes_files_that_validate(tmp_path, capsys, fmt):
    out = tmp_path / "out"
    status = main(
        [
            "synth",
            "--scenario",
            "jeugdbescherming",
            "--cases",
            "4",
            "--seed",
            "3",
            "-o",
            str(out),
            "--format",
            fmt,
            "--knob",
            "share_propensity=0.9",
        ]
    )
    assert status == 0
    written = capsys.readouterr()
    assert "wrote 4 jeugdbescherming cases" in written.out
    assert written.err == ""  # no progress bar when stderr is no terminal
    target = out / "cases.xlsx" if fmt == "xlsx" else out
    assert main(["validate", str(target)]) == 0
    assert "ok: 4 cases" in capsys.readouterr().out
    book = casuistry.load(target)
    expected = synthesize("jeugdbescherming", 4, seed=3, share_propensity=0.9)
    assert book.n_events == expected.n_events
    truth = out / ("truth.xlsx" if fmt == "xlsx" else f"truth_signals.{fmt}")
    assert truth.exists()


def test_csv_output_is_reproducible(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    synthesize("publiek_privaat", 5, seed=1).save(one)
    synthesize("publiek_privaat", 5, seed=1).save(two)
    for path in sorted(one.iterdir()):
        assert path.read_bytes() == (two / path.name).read_bytes()
    text = (one / "events.csv").read_text(encoding="utf-8")
    assert "\r" not in text and not text.startswith("\ufeff")
    assert ";" in pd.read_csv(one / "events.csv", dtype=str)["to"].dropna().str.cat()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--scenario", "burenruzie"], "unknown scenario"),
        (["--scenario", "ondermijning", "--knob", "withhold_propensity=2"], "withhold_propensity"),
        (["--scenario", "ondermijning", "--knob", "nonsense"], "NAME=VALUE"),
        (["--scenario", "ondermijning", "--knob", "reason_mix=capacity"], "reason:weight"),
        (
            ["--scenario", "ondermijning", "--cases", "0"],
            "--cases needs a whole number of 1 or more, not 0",
        ),
    ],
)
def test_synth_bad_arguments_exit_2_and_write_nothing(tmp_path, capsys, argv, words):
    out = tmp_path / "out"
    assert main(["synth", *argv, "-o", str(out)]) == 2
    assert words in capsys.readouterr().err
    assert not out.exists()


def test_files_are_written_all_or_nothing(tmp_path):
    def fine(path):
        path.write_text("ok", encoding="utf-8")

    def broken(path):
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_together({tmp_path / "a.csv": fine, tmp_path / "b.csv": broken})
    assert list(tmp_path.iterdir()) == []


def test_progress_bar_on_request(capsys):
    synthesize("ondermijning", 3, seed=1, progress=True)
    assert "synth ondermijning" in capsys.readouterr().err


def test_reasons_and_bases_come_from_the_vocabulary():
    from casuistry.vocabulary import BASES

    for scenario in SCENARIO_NAMES:
        events = synthesize(scenario, 30, seed=12).events
        assert set(events["reason"].dropna()) <= set(REASONS)
        assert set(events["basis"].dropna()) <= set(BASES)
        assert set(events["confidence"]) <= {"certain", "likely", "uncertain"}
        assert (events["confidence"] == "certain").mean() > 0.7


def test_start_dates_spread_over_a_year():
    truth = synthesize("douane_kustwacht", 100, seed=13).events
    first = stamps(truth.groupby("case_id")["time"].min())
    assert first.min() >= pd.Timestamp(dt.date(2023, 1, 1))
    assert (first.max() - first.min()).days > 200


def test_a_planned_event_takes_only_the_cells_of_an_event():
    from casuistry.synthetic.case import BLANK, CaseState

    case = CaseState.__new__(CaseState)  # add needs only the event count and list
    case.n, case.events = 0, []
    event = case.add(5, "share", "school", "text", to=("gp",), basis="consent")
    assert (event.key, event.to, event.basis, event.signals) == (
        (5, KINDS["share"].order, 0),
        ("gp",),
        "consent",
        BLANK["signals"],
    )
    with pytest.raises(TypeError, match="categroy"):
        case.add(6, "signal", "school", "text", categroy="verzuim")
    assert len(case.events) == 1


def test_cli_synth_counts_a_single_case_in_the_singular(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["synth", "--scenario", "ondermijning", "--cases", "1", "-o", str(out)]) == 0
    assert "wrote 1 ondermijning case," in capsys.readouterr().out
