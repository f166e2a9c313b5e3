"""Properties of every schedule, for random regimens, start dates, policies and closures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.closures import ClosureCalendar, ClosureSet, UnitClosure
from planner.core.engine import LabRule, plan
from planner.core.regimen import Administration, Phase, Regimen
from planner.core.schedule import EventKind, Policy, Schedule, SessionWarning
from tests.core.build import iv, phase, regimen

NONE = ClosureCalendar(ClosureSet.NONE)
INNS = ("a", "b", "c")


@st.composite
def administrations(draw: st.DrawFn, cycle_days: int, first: bool) -> list[Administration]:
    """1-3 IV drugs; the first starts on day 1 so every phase begins with a session."""
    result = []
    for n, inn in enumerate(INNS[: draw(st.integers(1, 3))]):
        days = draw(st.sets(st.integers(1, cycle_days), min_size=1, max_size=3))
        if n == 0:
            days.add(1)
        pump = None
        if n == 0 and draw(st.booleans()) and cycle_days >= 3 and max(days) == 1:
            pump = draw(st.sampled_from([24, 46, 48]))
        result.append(iv(inn, tuple(sorted(days)), pump_hours=pump, order=n + 1))
    assert first or result
    return result


@st.composite
def regimens(draw: st.DrawFn, allow_caps: bool = True) -> Regimen:
    phases: list[Phase] = []
    count = draw(st.integers(1, 3))
    for n in range(count):
        cycle_days = draw(st.sampled_from([7, 14, 21, 28, 42]) | st.integers(3, 35))
        last = n == count - 1
        cycles = draw(st.none() | st.integers(1, 6)) if last else draw(st.integers(1, 6))
        phases.append(phase(cycle_days, cycles, *draw(administrations(cycle_days, n == 0))))
    caps = {}
    if allow_caps:
        caps = draw(st.dictionaries(st.sampled_from(INNS), st.integers(1, 20), max_size=2))
    return regimen(*phases, caps=caps)


@st.composite
def calendars(draw: st.DrawFn) -> ClosureCalendar:
    closure_set = draw(st.sampled_from(list(ClosureSet)))
    unit = draw(st.lists(st.dates(date(2026, 1, 1), date(2029, 12, 31)), max_size=8, unique=True))
    return ClosureCalendar(closure_set, unit_closures=tuple(UnitClosure(d) for d in unit))


starts = st.dates(date(2026, 1, 1), date(2028, 12, 31))
policies = st.sampled_from(list(Policy))


def _count(schedule: Schedule, inn: str) -> int:
    return sum(inn in s.agents for s in schedule.sessions)


@settings(max_examples=200, deadline=None)
@given(regimens(), starts, policies, calendars())
def test_sessions_are_on_open_days_in_strict_order(
    r: Regimen, start: date, policy: Policy, calendar: ClosureCalendar
) -> None:
    s = plan(r, start, policy=policy, calendar=calendar)
    for session in s.sessions:
        assert calendar.is_open(session.date)
        assert session.planned <= session.date
        assert (session.date != session.planned) == bool(session.moves)
    days = [session.date for session in s.sessions]
    assert days == sorted(set(days)), "two sessions share a date or are out of order"


@settings(max_examples=200, deadline=None)
@given(regimens(), starts, calendars())
def test_grid_dates_never_drift(r: Regimen, start: date, calendar: ClosureCalendar) -> None:
    """Under grid, planned dates do not depend on closures: they are the theoretical grid."""
    closed = plan(r, start, calendar=calendar)
    theoretical = plan(r, start, calendar=NONE)
    assert [s.planned for s in closed.sessions] == [s.date for s in theoretical.sessions][
        : len(closed.sessions)
    ]
    if not r.is_open_ended:
        assert len(closed.sessions) == len(theoretical.sessions)


@settings(max_examples=100, deadline=None)
@given(regimens(), starts)
def test_both_policies_agree_when_nothing_moves(r: Regimen, start: date) -> None:
    grid = plan(r, start, calendar=NONE, policy=Policy.GRID)
    reanchor = plan(r, start, calendar=NONE, policy=Policy.REANCHOR)
    assert grid.sessions == reanchor.sessions


@settings(max_examples=200, deadline=None)
@given(regimens(allow_caps=False), starts, policies, calendars())
def test_fixed_phases_give_every_cycle_and_day(
    r: Regimen, start: date, policy: Policy, calendar: ClosureCalendar
) -> None:
    s = plan(r, start, policy=policy, calendar=calendar)
    for number, ph in enumerate(r.phases, start=1):
        if ph.cycles is None:
            continue
        got = [(x.cycle, x.day) for x in s.sessions if x.phase == number]
        assert got == [(c, d) for c in range(1, ph.cycles + 1) for d in ph.session_days]


@settings(max_examples=200, deadline=None)
@given(regimens(), starts, policies, calendars())
def test_caps_are_respected(
    r: Regimen, start: date, policy: Policy, calendar: ClosureCalendar
) -> None:
    s = plan(r, start, policy=policy, calendar=calendar)
    uncapped = plan(replace(r, caps=()), start, policy=policy, calendar=calendar)
    for cap in r.caps:
        assert _count(s, cap.agent) <= cap.max_administrations
        if policy is Policy.GRID:
            # Dropping capped doses never changes the grid: the count is exactly the
            # smaller of the cap and what the plan would give without it.
            expected = min(cap.max_administrations, _count(uncapped, cap.agent))
            assert _count(s, cap.agent) == expected


@settings(max_examples=200, deadline=None)
@given(regimens(), starts, policies, calendars())
def test_every_session_has_its_blood_test_or_says_why_not(
    r: Regimen, start: date, policy: Policy, calendar: ClosureCalendar
) -> None:
    s = plan(r, start, policy=policy, calendar=calendar)
    tested = {}
    for event in s.events:
        if event.kind is EventKind.LAB:
            session = s.sessions[event.session]
            gap = (session.date - event.date).days
            assert 1 <= gap <= 3
            assert event.date.weekday() < 5 + 1  # Monday-Saturday
            assert not calendar.is_public_holiday(event.date)
            tested[event.session] = event.date
    for index, session in enumerate(s.sessions):
        shares = index > 0 and (session.date - s.sessions[index - 1].date).days <= 3
        no_lab = SessionWarning.NO_LAB_DAY in session.warnings
        assert (index in tested) + shares + no_lab == 1, session


@settings(max_examples=100, deadline=None)
@given(
    regimens(),
    starts,
    policies,
    calendars(),
    st.integers(0, 3),
    st.frozensets(st.integers(0, 6)),
)
def test_a_window_ending_on_the_sessions_day_tests_every_session_that_day(
    r: Regimen,
    start: date,
    policy: Policy,
    calendar: ClosureCalendar,
    earliest: int,
    weekdays: frozenset[int],
) -> None:
    """latest = 0: the unit takes the sample on arrival, whatever the laboratories' days
    and the public holidays; a session never lacks its test."""
    rule = LabRule(earliest=earliest, latest=0, weekdays=weekdays)
    s = plan(r, start, policy=policy, calendar=calendar, lab_rule=rule)
    tested = {e.session for e in s.events if e.kind is EventKind.LAB}
    for event in s.events:
        if event.kind is EventKind.LAB:
            assert event.date == s.sessions[event.session].date
    for index, session in enumerate(s.sessions):
        assert SessionWarning.NO_LAB_DAY not in session.warnings
        shares = index > 0 and (session.date - s.sessions[index - 1].date).days <= 3
        assert (index in tested) + shares == 1, session


@settings(max_examples=100, deadline=None)
@given(regimens(), starts, policies, calendars())
def test_pumps_come_off_ceil_hours_over_24_days_after_connection(
    r: Regimen, start: date, policy: Policy, calendar: ClosureCalendar
) -> None:
    s = plan(r, start, policy=policy, calendar=calendar)
    expected = sorted(
        (x.date + timedelta(days=-(-(d.administration.continuous_hours or 0) // 24)), i)
        for i, x in enumerate(s.sessions)
        for d in x.doses
        if d.administration.continuous_hours
    )
    got = sorted((e.date, e.session) for e in s.events if e.kind is EventKind.PUMP_DISCONNECT)
    assert got == expected


@settings(max_examples=100, deadline=None)
@given(regimens(), starts, policies, calendars(), st.integers(0, 400))
def test_until_is_a_prefix_of_the_whole_plan(
    r: Regimen, start: date, policy: Policy, calendar: ClosureCalendar, days: int
) -> None:
    until = start + timedelta(days=days)
    whole = plan(r, start, policy=policy, calendar=calendar, until=date(2031, 1, 1))
    cut = plan(r, start, policy=policy, calendar=calendar, until=until)
    assert cut.sessions == tuple(x for x in whole.sessions if x.date <= until)
    assert all(e.date <= until for e in cut.events)
