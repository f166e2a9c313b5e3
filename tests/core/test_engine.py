"""The engine's rules on small regimens whose expected dates are worked out by hand below.

Calendar facts used: 2027-01-01 is a Friday (New Year's Day); Easter Monday 2027 is 29 March;
Ascension 2027 is Thursday 6 May.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner.core.closures import ClosureCalendar, ClosureKind, ClosureSet
from planner.core.engine import LabRule, months_after, plan
from planner.core.regimen import Administration, AgentClass, Minutes, Route
from planner.core.schedule import (
    EVENT_ORDER,
    Adjustments,
    Event,
    EventKind,
    Policy,
    SessionWarning,
)
from tests.core.build import agent, iv, other, phase, regimen

FR = ClosureCalendar(ClosureSet.FR)
NONE = ClosureCalendar(ClosureSet.NONE)


def dates(schedule: object) -> list[date]:
    return [s.date for s in schedule.sessions]  # type: ignore[attr-defined]


def labs(schedule: object) -> list[date]:
    return [e.date for e in schedule.events if e.kind is EventKind.LAB]  # type: ignore[attr-defined]


def test_next_phase_starts_one_cycle_after_the_last_d1_of_the_previous_phase() -> None:
    r = regimen(phase(21, 2, iv("a")), phase(14, 2, iv("b")))
    s = plan(r, date(2027, 1, 4), calendar=NONE)
    assert [(x.phase, x.cycle, x.day, x.date) for x in s.sessions] == [
        (1, 1, 1, date(2027, 1, 4)),
        (1, 2, 1, date(2027, 1, 25)),
        (2, 1, 1, date(2027, 2, 15)),  # 25 Jan + 21 days
        (2, 2, 1, date(2027, 3, 1)),
    ]


def test_a_phase_after_a_gap_starts_from_the_last_d1_plus_its_length_plus_the_gap() -> None:
    # Surgery between two phases: D1 + D8 q21 x 2 from Monday 8 March 2027, 42 days off,
    # then q21 x 2. C2 D1 falls on Easter Monday (29 March) -> Tuesday 30. The second phase
    # starts at the last cycle's D1 (not its D8) + 21 + 42 = D1 + 63: the planned D1 on the
    # grid (29 March + 63 = Monday 31 May), the actual one once re-anchored (30 March + 63 =
    # Tuesday 1 June), whose D8 also follows it (6 April instead of 5 April).
    r = regimen(phase(21, 2, iv("a", (1, 8))), replace(phase(21, 2, iv("b")), gap_days=42))
    want = {
        Policy.GRID: [
            (1, 1, 1, date(2027, 3, 8), date(2027, 3, 8)),
            (1, 1, 8, date(2027, 3, 15), date(2027, 3, 15)),
            (1, 2, 1, date(2027, 3, 29), date(2027, 3, 30)),  # Easter Monday -> Tue
            (1, 2, 8, date(2027, 4, 5), date(2027, 4, 5)),
            (2, 1, 1, date(2027, 5, 31), date(2027, 5, 31)),  # planned 29 Mar + 21 + 42
            (2, 2, 1, date(2027, 6, 21), date(2027, 6, 21)),
        ],
        Policy.REANCHOR: [
            (1, 1, 1, date(2027, 3, 8), date(2027, 3, 8)),
            (1, 1, 8, date(2027, 3, 15), date(2027, 3, 15)),
            (1, 2, 1, date(2027, 3, 29), date(2027, 3, 30)),  # Easter Monday -> Tue
            (1, 2, 8, date(2027, 4, 6), date(2027, 4, 6)),  # actual D1 + 7
            (2, 1, 1, date(2027, 6, 1), date(2027, 6, 1)),  # actual 30 Mar + 21 + 42
            (2, 2, 1, date(2027, 6, 22), date(2027, 6, 22)),
        ],
    }
    for policy, sessions in want.items():
        s = plan(r, date(2027, 3, 8), policy=policy, calendar=FR)
        assert [(x.phase, x.cycle, x.day, x.planned, x.date) for x in s.sessions] == sessions
    # Without closures nothing moves: the gap phase is on the bare grid in both policies.
    for policy in Policy:
        s = plan(r, date(2027, 3, 8), policy=policy, calendar=NONE)
        assert dates(s)[4:] == [date(2027, 5, 31), date(2027, 6, 21)]


def test_only_iv_administrations_make_sessions() -> None:
    r = regimen(
        phase(
            14,
            2,
            iv("doxorubicin"),
            other("pegfilgrastim", Route.SC, (2,)),
            other("capecitabine", Route.ORAL, tuple(range(1, 15))),
        )
    )
    s = plan(r, date(2027, 1, 4), calendar=NONE)
    assert dates(s) == [date(2027, 1, 4), date(2027, 1, 18)]
    assert all(x.agents == ("doxorubicin",) for x in s.sessions)


def test_anticancer_drugs_injected_under_the_skin_make_sessions() -> None:
    # Trastuzumab SC every 21 days is given by a nurse in the unit: a session with its blood
    # test; pegfilgrastim, also SC but supportive, stays a home injection.
    trastuzumab_sc = Administration(
        agent=agent("trastuzumab", AgentClass.TARGETED, "anti-HER2"),
        route=Route.SC,
        days=(1,),
        infusion=Minutes(5, 5),
        observation=Minutes(360, 120),
    )
    r = regimen(phase(21, 2, trastuzumab_sc, other("pegfilgrastim", Route.SC, (2,))))
    s = plan(r, date(2027, 1, 4), calendar=NONE)
    assert dates(s) == [date(2027, 1, 4), date(2027, 1, 25)]
    assert all(x.agents == ("trastuzumab",) for x in s.sessions)
    assert labs(s) == [date(2027, 1, 2), date(2027, 1, 23)]
    assert r.subcutaneous_only


def test_a_gap_between_phases_puts_the_next_phase_that_much_later() -> None:
    # Neoadjuvant 2 x 21 days, then a 42-day gap (surgery), then adjuvant every 21 days.
    # Grid: adjuvant C1 = last neoadjuvant D1 (25 Jan) + 21 + 42 = 29 March 2027, Easter
    # Monday -> Tuesday 30 March; C2 stays on the grid, 19 April.
    r = regimen(phase(21, 2, iv("a")), replace(phase(21, 2, iv("b")), gap_days=42))
    start = date(2027, 1, 4)
    grid = plan(r, start, calendar=FR)
    assert dates(grid) == [
        date(2027, 1, 4),
        date(2027, 1, 25),
        date(2027, 3, 30),
        date(2027, 4, 19),
    ]
    assert grid.sessions[2].planned == date(2027, 3, 29)
    # Reanchor counts from the actual dates: C2 of the adjuvant phase is 21 days after 30 March.
    reanchor = plan(r, start, calendar=FR, policy=Policy.REANCHOR)
    assert dates(reanchor)[2:] == [date(2027, 3, 30), date(2027, 4, 20)]
    # Without the gap, the second phase would start on 15 February.
    assert dates(plan(regimen(phase(21, 2, iv("a")), phase(21, 2, iv("b"))), start, calendar=FR))[
        2
    ] == date(2027, 2, 15)


def test_pump_comes_off_two_days_after_the_actual_d1() -> None:
    # 5-FU bolus and 46-h pump on D1, every 14 days. Planned Friday 1 January 2027 (New
    # Year's Day) -> Monday 4 January; the pump comes off on Wednesday 6 January, not on
    # the planned D3 (Sunday 3 January).
    r = regimen(phase(14, 2, iv("fluorouracil"), iv("fluorouracil", pump_hours=46, order=2)))
    s = plan(r, date(2027, 1, 1), calendar=FR)
    assert dates(s) == [date(2027, 1, 4), date(2027, 1, 15)]
    pumps = [(e.date, e.session) for e in s.events if e.kind is EventKind.PUMP_DISCONNECT]
    assert pumps == [(date(2027, 1, 6), 0), (date(2027, 1, 17), 1)]
    # The continuous infusion makes no session on D2 and D3.
    assert [x.day for x in s.sessions] == [1, 1]
    assert s.sessions[0].agents == ("fluorouracil",)


def test_sessions_keep_their_order_when_a_weekend_would_merge_them() -> None:
    # Cisplatin D1 + etoposide D1-D3 from Friday 8 January 2027: D1 Friday, D2 Saturday ->
    # Monday, D3 Sunday -> Monday, which D2 already has -> Tuesday, with a warning.
    r = regimen(phase(21, 1, iv("cisplatin"), iv("etoposide", (1, 2, 3), order=2)))
    s = plan(r, date(2027, 1, 8), calendar=FR)
    assert dates(s) == [date(2027, 1, 8), date(2027, 1, 11), date(2027, 1, 12)]
    assert [x.planned for x in s.sessions] == [
        date(2027, 1, 8),
        date(2027, 1, 9),
        date(2027, 1, 10),
    ]
    assert [x.warnings for x in s.sessions] == [(), (), (SessionWarning.AFTER_PREVIOUS_SESSION,)]
    d3 = s.sessions[2]
    assert [m.blocked for m in d3.moves] == [date(2027, 1, 10), date(2027, 1, 11)]
    assert d3.moves[0].closure is not None
    assert d3.moves[0].closure.kind is ClosureKind.WEEKEND
    assert d3.moves[1].previous == date(2027, 1, 11)
    # D2 (3 days after D1) and D3 share D1's blood test, taken on Thursday 7 January.
    assert [(e.date, e.session) for e in s.events] == [(date(2027, 1, 7), 0)]


def test_caps_count_administrations_across_phases_and_end_an_open_ended_phase() -> None:
    r = regimen(
        phase(21, 2, iv("a"), iv("b", order=2)),
        phase(21, None, iv("a"), iv("b", order=2)),
        caps={"a": 3, "b": 4},
    )
    s = plan(r, date(2027, 1, 4), calendar=NONE)
    assert [(x.phase, x.cycle, x.agents) for x in s.sessions] == [
        (1, 1, ("a", "b")),
        (1, 2, ("a", "b")),
        (2, 1, ("a", "b")),
        (2, 2, ("b",)),
    ]


def test_open_ended_phases_stop_two_years_after_the_start() -> None:
    s = plan(regimen(phase(14, None, iv("a"))), date(2027, 1, 4), calendar=NONE)
    # 2027-01-04 + 14k <= 2029-01-04: k = 0..52, the last on 2029-01-01.
    assert len(s.sessions) == 53
    assert s.sessions[-1].date == date(2029, 1, 1)


def test_fixed_phases_are_planned_in_full_without_an_end_date() -> None:
    s = plan(regimen(phase(28, 30, iv("a"))), date(2027, 1, 4), calendar=NONE)
    assert len(s.sessions) == 30
    assert s.sessions[-1].date == date(2029, 3, 26)  # 2027-01-04 + 29 * 28 = 812 days


def test_until_keeps_what_falls_on_or_before_it() -> None:
    r = regimen(phase(7, 10, iv("a")))
    # Mondays from 4 January 2027; with `none` closures a lab day is Monday-Saturday, so
    # each Monday session's test is on the Saturday before.
    s = plan(r, date(2027, 1, 4), calendar=NONE, until=date(2027, 1, 30))
    assert dates(s) == [date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18), date(2027, 1, 25)]
    # Saturday 30 January is the test before Monday 1 February, which is after the end:
    # it goes with its session.
    assert labs(s) == [date(2027, 1, 2), date(2027, 1, 9), date(2027, 1, 16), date(2027, 1, 23)]


def test_grid_keeps_later_cycles_on_the_grid_and_reanchor_carries_the_shift() -> None:
    r = regimen(phase(21, 2, iv("a")), phase(21, 1, iv("b")))
    start = date(2027, 3, 8)  # C2 falls on Easter Monday 29 March 2027
    grid = plan(r, start, calendar=FR, policy=Policy.GRID)
    reanchor = plan(r, start, calendar=FR, policy=Policy.REANCHOR)
    assert dates(grid) == [date(2027, 3, 8), date(2027, 3, 30), date(2027, 4, 19)]
    assert dates(reanchor) == [date(2027, 3, 8), date(2027, 3, 30), date(2027, 4, 20)]
    assert [x.planned for x in reanchor.sessions][2] == date(2027, 4, 20)
    moved = grid.sessions[1]
    assert moved.planned == date(2027, 3, 29)
    assert moved.moves[0].closure is not None
    assert moved.moves[0].closure.kind is ClosureKind.PUBLIC_HOLIDAY


def test_reanchor_counts_days_inside_a_cycle_from_the_actual_d1() -> None:
    # D1 and D8 from Ascension Thursday 6 May 2027: D1 -> Friday 7 May.
    r = regimen(phase(21, 1, iv("gemcitabine", (1, 8))))
    grid = plan(r, date(2027, 5, 6), calendar=FR)
    reanchor = plan(r, date(2027, 5, 6), calendar=FR, policy=Policy.REANCHOR)
    assert dates(grid) == [date(2027, 5, 7), date(2027, 5, 13)]
    assert dates(reanchor) == [date(2027, 5, 7), date(2027, 5, 14)]


def test_a_session_without_a_lab_day_says_so() -> None:
    # Labs open Monday-Friday only; Tuesday 30 March 2027 follows Easter Monday, a Sunday
    # and a Saturday: no lab day in D-3..D-1.
    r = regimen(phase(21, 1, iv("a")))
    rule = LabRule(weekdays=frozenset(range(5)))
    s = plan(r, date(2027, 3, 30), calendar=FR, lab_rule=rule)
    assert s.sessions[0].warnings == (SessionWarning.NO_LAB_DAY,)
    assert labs(s) == []
    # With the default Monday-Saturday rule, the test is on Saturday 27 March.
    assert labs(plan(r, date(2027, 3, 30), calendar=FR)) == [date(2027, 3, 27)]


def test_a_same_day_blood_test_is_on_the_sessions_day_whatever_the_laboratories() -> None:
    """latest = 0: the unit takes the sample when the patient arrives. Saturdays from
    2 January 2027 with no closures, city laboratories open Monday to Friday: each test is
    on its session's day, not on the Friday before."""
    r = regimen(phase(7, 3, iv("a")))
    same_day = LabRule(earliest=0, latest=0, weekdays=frozenset(range(5)))
    s = plan(r, date(2027, 1, 2), calendar=NONE, lab_rule=same_day)
    assert labs(s) == dates(s) == [date(2027, 1, 2), date(2027, 1, 9), date(2027, 1, 16)]
    assert all(not x.warnings for x in s.sessions)
    # A window from D-3 to the day itself: the latest day, the session's.
    wide = LabRule(earliest=3, latest=0)
    assert labs(plan(r, date(2027, 1, 2), calendar=NONE, lab_rule=wide)) == dates(s)
    # Sessions close together still share the first one's test (D1 and D8 within 7 days).
    weekly = plan(r, date(2027, 1, 2), calendar=NONE, lab_rule=LabRule(3, 0, reuse_within=7))
    assert labs(weekly) == [date(2027, 1, 2)]


def test_the_default_blood_test_window_stays_d3_to_d1() -> None:
    assert (LabRule().earliest, LabRule().latest) == (3, 1)


def test_first_administration_of_a_drug_uses_its_first_infusion_time() -> None:
    r = regimen(
        phase(21, 1, iv("trastuzumab", minutes=(90, 90))),
        phase(21, 2, iv("trastuzumab", minutes=(30, 30))),
    )
    s = plan(r, date(2027, 1, 4), calendar=NONE)
    assert [x.doses[0].first for x in s.sessions] == [True, False, False]
    assert [x.doses[0].infusion_minutes for x in s.sessions] == [90, 30, 30]


def test_first_second_and_later_administrations_take_their_own_minutes() -> None:
    # Bevacizumab (Avastin SmPC 4.2): 90 minutes the first time, 60 the second, 30 after,
    # counted over the whole plan, across phases; here with 15 then 10 minutes of (made-up)
    # observation to check that the observation follows the same count. Oxaliplatin has no
    # second time: 120 every time. Two phases of 2 and 3 cycles: sessions 1 to 5.
    bevacizumab = replace(
        iv("bevacizumab", minutes=(90, 30)),
        infusion=Minutes(90, 30, second=60),
        observation=Minutes(15, 10, second=5),
    )
    oxaliplatin = iv("oxaliplatin", minutes=(120, 120), order=2)
    r = regimen(phase(14, 2, bevacizumab, oxaliplatin), phase(14, 3, bevacizumab))
    s = plan(r, date(2027, 1, 4), calendar=NONE)
    bev = [x.doses[0] for x in s.sessions]
    assert [d.nth for d in bev] == [1, 2, 3, 3, 3]
    assert [d.first for d in bev] == [True, False, False, False, False]
    assert [d.infusion_minutes for d in bev] == [90, 60, 30, 30, 30]
    assert [d.observation_minutes for d in bev] == [15, 5, 10, 10, 10]
    assert [x.doses[1].infusion_minutes for x in s.sessions[:2]] == [120, 120]
    # A dose left out is not counted: skipped in session 2, bevacizumab's second
    # administration is in session 3 (60 minutes), and its later ones from session 4 on.
    skipped = Adjustments(omitted={(1, 2, 1): frozenset({"bevacizumab"})})
    s = plan(r, date(2027, 1, 4), calendar=NONE, adjustments=skipped)
    assert [x.agents for x in s.sessions[:2]] == [("bevacizumab", "oxaliplatin"), ("oxaliplatin",)]
    assert [(d.nth, d.infusion_minutes) for d in s.sessions[1].omitted] == [(2, 60)]
    given = [x.doses[0] for x in s.sessions if "bevacizumab" in x.agents]
    assert [d.infusion_minutes for d in given] == [90, 60, 30, 30]
    # Without a second time, the second administration takes the later ones' time.
    assert Minutes(90, 30).for_administration(2) == 30


def test_limits_inside_a_phase() -> None:
    r = regimen(phase(21, 4, iv("a"), iv("chemo", order=2, last_cycle=2)))
    s = plan(r, date(2027, 1, 4), calendar=NONE)
    assert [x.agents for x in s.sessions] == [("a", "chemo"), ("a", "chemo"), ("a",), ("a",)]


def test_wrong_arguments_are_refused() -> None:
    r = regimen(phase(21, 1, iv("a")))
    with pytest.raises(ValueError, match="before the start"):
        plan(r, date(2027, 1, 4), until=date(2027, 1, 3))
    with pytest.raises(ValueError, match="lab window"):
        LabRule(earliest=1, latest=2)
    with pytest.raises(ValueError, match="lab window"):
        LabRule(earliest=1, latest=-1)


def test_months_after_keeps_the_day_or_clamps_to_the_month_end() -> None:
    assert months_after(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert months_after(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert months_after(date(2027, 3, 15), 3) == date(2027, 6, 15)
    assert months_after(date(2027, 2, 28), 24) == date(2029, 2, 28)


def test_events_sort_by_date_then_session() -> None:
    late = Event(EventKind.LAB, date(2027, 1, 5), 0)
    early_second = Event(EventKind.IMAGING, date(2027, 1, 4), 2)
    early_first = Event(EventKind.PUMP_DISCONNECT, date(2027, 1, 4), 1)
    assert EVENT_ORDER(late) == (late.date, late.session)
    assert sorted([late, early_second, early_first], key=EVENT_ORDER) == [
        early_first,
        early_second,
        late,
    ]
