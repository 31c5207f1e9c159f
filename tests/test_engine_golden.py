"""Golden cases, worked out by hand from CASE_FORMAT.md section 2.

Every expected figure has its derivation in a comment next to it. Dates are in
2024 (a leap year: February has 29 days).
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import PUZZLE_ACTORS, PUZZLE_EVENTS, load_csv

import casuistry


@pytest.fixture
def puzzle(tmp_path):
    return casuistry.analyse(load_csv(tmp_path, PUZZLE_EVENTS, PUZZLE_ACTORS))


def by_signal(result) -> dict[str, dict]:
    return {row["signal_id"]: row for row in result.signals.to_dict("records")}


def by_event(result) -> dict[str, dict]:
    return {row["event_id"]: row for row in result.opportunities.to_dict("records")}


def test_puzzle_horizon_and_case_figures(puzzle):
    case = puzzle.cases.iloc[0]
    # The incident e12 sets the horizon; e13 the day after takes no part.
    assert case["horizon"] == pd.Timestamp("2024-04-02")
    assert case["horizon_event"] == "e12"
    assert case["events"] == 13
    assert case["signals"] == 5
    # e10 (2024-03-08) is the first convergence; the action e11 follows on 03-20.
    assert case["first_convergence_at"] == pd.Timestamp("2024-03-08")
    assert case["knowing_acting_days"] == 12.0
    assert not case["knowing_acting_censored"]
    # Shares e07 and e08 record a basis (e13 is after the horizon); e04 a reason.
    assert (case["shares"], case["shares_with_basis"]) == (2, 2)
    assert (case["withholds"], case["withholds_with_reason"]) == (1, 1)
    assert (case["converged"], case["censored"], case["missed_opportunities"]) == (4, 1, 2)


def test_puzzle_dwell_and_convergence(puzzle):
    signals = by_signal(puzzle)
    # The meeting e10 (03-08) gives e03 to everyone: Veilig Thuis then knows e05
    # (politie) and e03 (wonen), school knows e01, e09 (onderwijs) and e03.
    expected_dwell = {
        "e01": 53.0,  # 01-15 -> 03-08: 16 + 29 + 8
        "e03": 35.0,  # 02-02 -> 03-08: 27 + 8
        "e05": 25.0,  # 02-12 -> 03-08: 17 + 8
        "e09": 4.0,  # 03-04 -> 03-08
    }
    for sid, dwell in expected_dwell.items():
        assert signals[sid]["dwell_days"] == dwell, sid
        assert signals[sid]["converged_at"] == pd.Timestamp("2024-03-08")
        assert signals[sid]["converged_by"] == "e10"
        assert not signals[sid]["censored"]
    # The GP's bruises never leave the GP by the horizon: 01-22 -> 04-02 = 9 + 29 + 31 + 2.
    assert signals["e02"]["censored"]
    assert pd.isna(signals["e02"]["converged_at"])
    assert signals["e02"]["dwell_days"] == 71.0
    assert signals["e02"]["silo"] == "zorg"
    assert signals["e02"]["source"] == "HIS huisarts"


def test_puzzle_relational_and_decision_split(puzzle):
    signals = by_signal(puzzle)
    # All opportunities taken at once: e04 tells VT e02 (02-05); e06 pools school
    # and officer (02-14: e01+e05 meet); e07 then gives VT e05 next to e02 (02-20);
    # e09 is observed by a school that already knows e05 (03-04); e03 still
    # waits for the meeting e10 (03-08).
    expected = {
        "e01": (30.0, 23.0),  # 01-15 -> 02-14 = 30; 53 - 30
        "e02": (29.0, 42.0),  # 01-22 -> 02-20 = 29; 71 - 29
        "e03": (35.0, 0.0),  # no channel reached the corporation earlier
        "e05": (2.0, 23.0),  # 02-12 -> 02-14; 25 - 2
        "e09": (0.0, 4.0),
    }
    for sid, (relational, decision) in expected.items():
        assert signals[sid]["relational_days"] == relational, sid
        assert signals[sid]["decision_days"] == decision, sid


def test_puzzle_opportunities(puzzle):
    opps = by_event(puzzle)
    assert list(puzzle.opportunities["event_id"]) == ["e04", "e06", "e10"]
    # e04 as a share: VT knows e02 from 02-05 and e05 from 02-20, so e02 and
    # e05 converge on 02-20. e02: 04-02 - 02-20 = 42; e05: 03-08 - 02-20 = 17.
    assert opps["e04"]["gain_signal_days"] == 59.0
    assert opps["e04"]["max_gain_days"] == 42.0
    assert opps["e04"]["advanced_signals"] == ("e02", "e05")
    # e06 as a pooling meeting: e01 and e05 meet on 02-14 (23 days each before
    # 03-08), and e09 converges when observed on 03-04 (4 days): 50 in total.
    assert opps["e06"]["gain_signal_days"] == 50.0
    assert opps["e06"]["max_gain_days"] == 23.0
    assert opps["e06"]["signals_advanced"] == 3
    # e10 pooling everything brings nothing earlier: it already converges all on 03-08.
    assert not opps["e10"]["missed"]
    assert opps["e10"]["gain_signal_days"] == 0.0
    assert opps["e04"]["reason"] == "privacy_uncertainty"
    assert opps["e06"]["to"] == ("wijkagent",)


def test_puzzle_acting(puzzle):
    signals = by_signal(puzzle)
    # Only e11 (03-20, Veilig Thuis, lists e05) acts: 02-12 -> 03-20 = 17 + 20.
    assert signals["e05"]["acted_at"] == pd.Timestamp("2024-03-20")
    assert signals["e05"]["acted_by"] == "e11"
    assert signals["e05"]["acting_days"] == 37.0
    assert not signals["e05"]["acting_censored"]
    # The rest run to the horizon 04-02: e01 from 01-15 is 16 + 29 + 31 + 2 = 78.
    assert signals["e01"]["acting_censored"]
    assert signals["e01"]["acting_days"] == 78.0
    assert signals["e09"]["acting_days"] == 29.0  # 03-04 -> 04-02


def test_puzzle_silo_pairs(puzzle):
    pairs = {(r["silo_a"], r["silo_b"]): r for r in puzzle.silo_pairs.to_dict("records")}
    # Silos with signals: onderwijs (01-15), zorg (01-22), wonen (02-02), politie (02-12).
    assert set(pairs) == {
        ("onderwijs", "politie"),
        ("onderwijs", "wonen"),
        ("onderwijs", "zorg"),
        ("politie", "wonen"),
        ("politie", "zorg"),
        ("wonen", "zorg"),
    }
    # School knows e01 and e03 from 03-08: from 02-02 (wonen's first) = 35 days.
    assert pairs["onderwijs", "wonen"]["delay_days"] == 35.0
    assert not pairs["onderwijs", "wonen"]["censored"]
    # Veilig Thuis knows e05 and e03 from 03-08: from 02-12 = 25 days.
    assert pairs["politie", "wonen"]["converged_at"] == pd.Timestamp("2024-03-08")
    assert pairs["politie", "wonen"]["delay_days"] == 25.0
    # Nobody ever holds school's and the officer's signals: 02-12 -> 04-02 = 50.
    assert pairs["onderwijs", "politie"]["censored"]
    assert pairs["onderwijs", "politie"]["delay_days"] == 50.0
    assert pairs["wonen", "zorg"]["delay_days"] == 60.0  # 02-02 -> 04-02


def test_puzzle_knowledge(puzzle):
    known = {(r["actor"], r["signal_id"]): r["via"] for r in puzzle.knowledge.to_dict("records")}
    assert known == {
        ("school", "e01"): "e01",
        ("huisarts", "e02"): "e02",
        ("woningcorporatie", "e03"): "e03",
        ("wijkagent", "e05"): "e05",
        ("veilig_thuis", "e05"): "e07",
        ("wijkteam", "e03"): "e08",
        ("school", "e09"): "e09",
        ("veilig_thuis", "e03"): "e10",
        ("school", "e03"): "e10",
    }


EQUAL_TIMES = """\
    case_id,event_id,time,kind,actor,to,signals,category
    eq,s1,0,signal,school,,,verzuim
    eq,s2,0,signal,gp,,,verzuim
    eq,x1,4,action,school,,,
    eq,s3,4,signal,school,,,verzuim
    {share_and_signal}
    eq,m,9,meeting,police,school,,
    eq,i,12,incident,school,,,
"""
SHARE_FIRST = "eq,sh,6,share,gp,police,,\n    eq,s4,6,signal,gp,,,verzuim"
SIGNAL_FIRST = "eq,s4,6,signal,gp,,,verzuim\n    eq,sh,6,share,gp,police,,"


def test_equal_times_follow_row_order_with_day_numbers(tmp_path):
    book = load_csv(tmp_path, EQUAL_TIMES.format(share_and_signal=SHARE_FIRST))
    result = casuistry.analyse(book)
    signals = by_signal(result)
    # No actors table: every actor is its own silo. The share on day 6 comes
    # before s4 in row order, so it carries only s2 to the police; the meeting
    # on day 9 pools {s2} and {s1, s3}: s1, s2, s3 converge on day 9.
    assert signals["s1"]["dwell_days"] == 9.0
    assert signals["s2"]["dwell_days"] == 9.0
    assert signals["s3"]["dwell_days"] == 5.0
    assert signals["s3"]["converged_at"] == 9.0
    # s4 stays with the GP: censored at the horizon, day 12 - day 6.
    assert signals["s4"]["censored"]
    assert signals["s4"]["dwell_days"] == 6.0
    # The action x1 on day 4 comes before s3 in row order: it acts on s1 only.
    assert signals["s1"]["acted_by"] == "x1"
    assert signals["s1"]["acting_days"] == 4.0
    assert signals["s3"]["acting_censored"]
    assert signals["s3"]["acting_days"] == 8.0  # day 4 -> horizon 12
    case = result.cases.iloc[0]
    assert case["time_style"] == "days"
    assert case["horizon"] == 12.0
    # First convergence day 9, no action after it: censored, 12 - 9.
    assert case["knowing_acting_days"] == 3.0
    assert case["knowing_acting_censored"]


def test_equal_times_reversed_rows_change_the_result(tmp_path):
    book = load_csv(tmp_path, EQUAL_TIMES.format(share_and_signal=SIGNAL_FIRST))
    signals = by_signal(casuistry.analyse(book))
    # Now s4 is observed before the share on day 6, which carries {s2, s4}:
    # the meeting on day 9 brings s4 together with school's signals.
    assert not signals["s4"]["censored"]
    assert signals["s4"]["dwell_days"] == 3.0
    assert signals["s4"]["converged_by"] == "m"


def test_events_at_the_horizon_take_part_after_the_incident_row(tmp_path):
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,category
        h,a,2024-05-01,signal,school,,,verzuim
        h,b,2024-05-03,signal,gp,,,verzuim
        h,inc,2024-05-10,incident,school,,,
        h,sh,2024-05-10,share,school,gp,,
        h,late,2024-05-11,share,gp,school,,
        """,
    )
    result = casuistry.analyse(book)
    signals = by_signal(result)
    # The share on the incident's day, in a later row, still takes part: both
    # signals converge at the horizon (05-01 -> 05-10 = 9; 05-03 -> 05-10 = 7).
    assert signals["a"]["converged_by"] == "sh"
    assert (signals["a"]["dwell_days"], signals["b"]["dwell_days"]) == (9.0, 7.0)
    assert not signals["a"]["censored"]
    assert result.cases.iloc[0]["shares"] == 1  # the share on 05-11 does not count


def test_no_incident_runs_to_the_last_event(tmp_path):
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,reason,category
        n,a,2024-06-01,signal,school,,,,verzuim
        n,w,2024-06-02,withhold,school,gp,a,no_consent,
        n,b,2024-06-05,signal,gp,,,,verzuim
        n,c,2024-06-20,contact,gp,school,,,
        """,
    )
    result = casuistry.analyse(book)
    signals = by_signal(result)
    case = result.cases.iloc[0]
    # No incident: the horizon is the last event, 06-20, and no horizon event.
    assert case["horizon"] == pd.Timestamp("2024-06-20")
    assert pd.isna(case["horizon_event"])
    # Nothing is shared: both censored at 06-20 (19 and 15 days).
    assert (signals["a"]["dwell_days"], signals["b"]["dwell_days"]) == (19.0, 15.0)
    assert signals["a"]["censored"] and signals["b"]["censored"]
    opps = by_event(result)
    # The withhold as a share gives the GP a on 06-02; b is observed by the GP on
    # 06-05 and both converge then: gains 15 (a: 06-20 - 06-05) and 15 (b).
    assert opps["w"]["gain_signal_days"] == 30.0
    # The contact on 06-20 would converge both at the horizon itself: no gain.
    assert not opps["c"]["missed"]
    # With every opportunity taken: a waits from 06-01 to 06-05, b not at all.
    assert signals["a"]["relational_days"] == 4.0
    assert signals["b"]["relational_days"] == 0.0
    # Without convergence the knowing-acting figures are missing.
    assert pd.isna(case["first_convergence_at"])
    assert pd.isna(case["knowing_acting_days"])


def test_single_silo_case_stays_censored(tmp_path):
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,reason,category
        one,a,3,signal,huisarts,,,,verzuim
        one,b,5,signal,ggz,,,,verzuim
        one,sh,6,share,huisarts,ggz,,,
        one,w,7,withhold,ggz,huisarts,,capacity,
        one,m,8,meeting,ggz,huisarts,a,,
        one,x,10,action,ggz,,,,
        """,
        """\
        actor,silo,label
        huisarts,zorg,Huisarts
        ggz,zorg,GGZ-instelling
        """,
    )
    result = casuistry.analyse(book)
    signals = by_signal(result)
    # One silo: no signal ever meets a signal of another silo. Censored at the
    # horizon (day 10, the last event): a after 7 days, b after 5.
    assert signals["a"]["censored"] and signals["b"]["censored"]
    assert (signals["a"]["dwell_days"], signals["b"]["dwell_days"]) == (7.0, 5.0)
    # No channel could help, so all of it is relational.
    assert (signals["a"]["relational_days"], signals["a"]["decision_days"]) == (7.0, 0.0)
    assert not result.opportunities["missed"].any()
    assert list(result.opportunities["event_id"]) == ["w", "m"]
    assert result.silo_pairs.empty
    # The action on day 10 is by ggz, which knows both by then: acted on both.
    assert signals["a"]["acting_days"] == 7.0 and signals["b"]["acting_days"] == 5.0


def test_date_times_give_fractional_days(tmp_path):
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,category
        t,a,2024-03-01T08:00,signal,school,,,verzuim
        t,b,2024-03-01T20:00,signal,gp,,,verzuim
        t,sh,2024-03-02T02:00,share,gp,school,,
        """,
    )
    signals = by_signal(casuistry.analyse(book))
    # 08:00 -> 02:00 next day is 18 hours; 20:00 -> 02:00 is 6 hours.
    assert signals["a"]["dwell_days"] == 0.75
    assert signals["b"]["dwell_days"] == 0.25
    assert signals["a"]["converged_at"] == pd.Timestamp("2024-03-02T02:00")


def test_a_listed_meeting_is_an_opportunity(tmp_path):
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,category
        lm,a,0,signal,school,,,verzuim
        lm,b,1,signal,gp,,,verzuim
        lm,c,2,signal,police,,,verzuim
        lm,m,4,meeting,police,gp;school,c,
        lm,end,10,incident,police,,,
        """,
    )
    result = casuistry.analyse(book)
    signals = by_signal(result)
    # The meeting gives only c: gp knows {b, c}, school {a, c}: all three converge on day 4.
    assert [signals[s]["dwell_days"] for s in "abc"] == [4.0, 3.0, 2.0]
    # Pooling everything would converge them on day 4 too: not missed.
    assert not result.opportunities["missed"].any()


def test_a_listed_meeting_that_holds_back_a_signal_is_missed(tmp_path):
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,category
        lm,a1,0,signal,school,,,verzuim
        lm,a2,1,signal,school,,,verzuim
        lm,b,2,signal,gp,,,letsel
        lm,m,4,meeting,school,gp,a1,
        lm,end,10,incident,police,,,
        """,
    )
    result = casuistry.analyse(book)
    signals = by_signal(result)
    # The meeting discusses a1 only: gp knows {a1, b} (a1, b converge on day 4);
    # school knows {a1, a2}, one silo: a2 is censored, day 1 -> 10.
    assert signals["a2"]["censored"]
    assert signals["a2"]["dwell_days"] == 9.0
    # Pooling everything on day 4 gives school b as well: a2 gains 10 - 4 = 6.
    opportunity = result.opportunities.iloc[0]
    assert opportunity["missed"]
    assert opportunity["gain_signal_days"] == 6.0
    assert opportunity["advanced_signals"] == ("a2",)
    # Relational: a2 from day 1 to the pooled meeting on day 4; 6 days decision.
    assert (signals["a2"]["relational_days"], signals["a2"]["decision_days"]) == (3.0, 6.0)


def test_a_refused_share_would_have_travelled_on_through_a_later_meeting(tmp_path):
    book = load_csv(
        tmp_path,
        """\
        case_id,event_id,time,kind,actor,to,signals,category
        f,a,0,signal,school,,,verzuim
        f,b,1,signal,gp,,,letsel
        f,w,2,withhold,gp,vt,,
        f,m,5,meeting,vt,school,,
        f,i,10,incident,school,,,
        """,
    )
    result = casuistry.analyse(book)
    signals = by_signal(result)
    # Actual: the meeting on day 5 pools school's {a} with Veilig Thuis' nothing:
    # a and b never meet, censored at day 10 (10 and 9 days).
    assert (signals["a"]["dwell_days"], signals["b"]["dwell_days"]) == (10.0, 9.0)
    # Had gp shared on day 2, Veilig Thuis would bring b to the meeting on day 5,
    # where a and b meet: both gain 10 - 5 = 5 days.
    opportunity = by_event(result)["w"]
    assert opportunity["gain_signal_days"] == 10.0
    assert opportunity["advanced_signals"] == ("a", "b")
    assert (signals["a"]["relational_days"], signals["b"]["relational_days"]) == (5.0, 4.0)
