"""The day optimiser: whatever the unit and the day's sessions, no placement it returns ever
breaks a hard rule (a chair holds one patient, the hours, the nurses and the pharmacy per
slot, the wait for a same-day blood result, how far a booking given to a patient may move),
and it places at least what placing one session after the other places."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.booking import Booking
from planner.core.chairs import Chair, Occupancy, UnitResources, Weights
from planner.core.optimiser import Cancelled, DayPlan, DaySession, needs, optimise_day
from planner.core.patient import Preference

DAY = date(2027, 3, 8)  # a Monday
SLOT = 15


def _minute(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _at(minute: int) -> time:
    return time(minute // 60, minute % 60)


@st.composite
def units(draw: st.DrawFn) -> UnitResources:
    opens = draw(st.integers(7 * 4, 10 * 4)) * SLOT
    closes = opens + draw(st.integers(8, 12 * 4)) * SLOT
    hours = ((_at(opens), _at(closes)),) * 5 + (None, None)
    chairs = tuple(Chair(f"C{n}", bed=n == 0) for n in range(draw(st.integers(1, 6))))
    pharmacy = draw(st.none() | st.integers(1, 4))
    lab = draw(st.none() | st.integers(opens // SLOT, closes // SLOT).map(lambda s: _at(s * SLOT)))
    return UnitResources(
        chairs=chairs,
        hours=hours,
        nurses=draw(st.integers(1, 3)),
        starts_per_nurse=draw(st.integers(1, 2)),
        afternoon_nurses=draw(st.none() | st.integers(1, 3)),
        pharmacy=(pharmacy,) * 5 + (None, None),
        lab_result_start=lab,
        max_move_minutes=draw(st.sampled_from([0, 15, 30, 60])),
        weights=Weights(*(draw(st.integers(0, 100)) for _ in range(5))),
    )


@st.composite
def days(draw: st.DrawFn) -> tuple[UnitResources, list[DaySession]]:
    resources = draw(units())
    opens, closes = (_minute(t) for t in resources.hours[0] or (time(8), time(18)))
    sessions = []
    for n in range(draw(st.integers(0, 14))):
        minutes = draw(st.integers(5, 300))
        booked = None
        if draw(st.booleans()):
            start = opens + draw(st.integers(0, (closes - opens) // SLOT)) * SLOT
            chair = draw(st.sampled_from(resources.chairs)).name
            booked = Booking(_at(min(start, 23 * 60)), max(SLOT, minutes), chair, DAY)
        sessions.append(
            DaySession(
                (f"plan{n}", (1, 1, 1)),
                minutes,
                draw(st.sampled_from(list(Preference))),
                draw(st.none() | st.sampled_from([c.name for c in resources.chairs])),
                booked,
                draw(st.booleans()),
                booked is not None and draw(st.booleans()),
            )
        )
    return resources, sessions


def _hard_rules_kept(resources: UnitResources, sessions: list[DaySession], plan: DayPlan) -> None:
    """Every hard rule, checked from the bookings alone (not from the optimiser's model)."""
    opens, closes = (_minute(t) for t in resources.hours[DAY.weekday()] or ())
    assert set(plan.bookings).isdisjoint(plan.unplaced)
    assert set(plan.bookings) | set(plan.unplaced) == {s.key for s in sessions}
    limits = resources.start_limits(DAY.weekday(), _at(opens), (closes - opens) // SLOT)
    starts = [0] * len(limits)
    taken: dict[str, list[tuple[int, int]]] = {}
    by_key = {s.key: s for s in sessions}
    for key, booking in plan.bookings.items():
        session = by_key[key]
        begin = _minute(booking.start)
        end = begin + booking.minutes
        assert booking.day == DAY
        assert booking.minutes >= session.minutes
        assert (begin - opens) % SLOT == 0
        assert opens <= begin
        assert end <= closes
        starts[(begin - opens) // SLOT] += 1
        for other in taken.setdefault(booking.chair, []):
            assert end <= other[0] or other[1] <= begin, "a chair holds one patient at a time"
        taken[booking.chair].append((begin, end))
        if session.same_day_lab and resources.lab_result_start is not None:
            assert begin >= _minute(resources.lab_result_start)
        given = session.booked
        if given is not None and (_minute(given.start) - opens) % SLOT == 0:
            moved = abs(begin - _minute(given.start))
            on_grid = opens <= _minute(given.start) <= closes - booking.minutes
            waits = session.same_day_lab and resources.lab_result_start is not None
            if on_grid and not waits:
                assert moved <= (0 if session.pinned else resources.max_move_minutes)
    assert all(n <= limit for n, limit in zip(starts, limits, strict=True))
    assert plan.peak >= plan.peak_bound or not plan.bookings
    # Whatever the optimiser says, the unit's own rules take every booking.
    unit = Occupancy(resources)
    for key, booking in plan.bookings.items():
        unit.add(key, booking)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days())
def test_no_placement_breaks_a_hard_rule(day: tuple[UnitResources, list[DaySession]]) -> None:
    resources, sessions = day
    unit = Occupancy(resources)
    plan = optimise_day(unit, DAY, sessions, time_limit=0.2)
    _hard_rules_kept(resources, sessions, plan)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days())
def test_it_places_at_least_what_one_by_one_places(
    day: tuple[UnitResources, list[DaySession]],
) -> None:
    """The solver starts from the one-by-one placement: it never leaves out more."""
    resources, sessions = day
    fresh = [DaySession(s.key, s.minutes, s.preference, s.chair) for s in sessions]
    unit = Occupancy(resources)
    one_by_one = Occupancy(resources)
    for s in fresh:
        found = one_by_one.best(DAY, s.minutes, s.preference, s.chair)
        if found is not None:
            one_by_one.add(s.key, found)
    plan = optimise_day(unit, DAY, fresh, time_limit=0.2)
    assert len(plan.bookings) >= len(one_by_one.bookings)


def _busy_day(count: int = 40) -> tuple[UnitResources, list[DaySession]]:
    resources = UnitResources(
        chairs=tuple(Chair(f"F{n}") for n in range(1, 21)),
        nurses=3,
        starts_per_nurse=2,
        pharmacy=(4,) * 5 + (None, None),
    )
    lengths = (60, 90, 120, 180, 240, 45, 300)
    prefs = (Preference.ANY, Preference.MORNING, Preference.AFTERNOON, Preference.ANY)
    sessions = [
        DaySession((f"p{n}", (1, 1, 1)), lengths[n % 7], prefs[n % 4]) for n in range(count)
    ]
    return resources, sessions


def test_a_busy_day_needs_far_fewer_chairs_than_first_fit_and_honours_preferences() -> None:
    resources, sessions = _busy_day()
    first_fit = Occupancy(resources)
    for s in sessions:
        found = first_fit.find(DAY, s.minutes, s.preference)
        assert found is not None
        first_fit.add(s.key, found)
    ff = first_fit.figures(DAY)
    assert ff is not None
    plan = optimise_day(Occupancy(resources), DAY, sessions, time_limit=1.0)
    _hard_rules_kept(resources, sessions, plan)
    assert not plan.unplaced
    assert plan.peak < ff.peak
    assert plan.peak <= plan.peak_bound * 1.1 + 1
    assert plan.busiest_slot <= 4  # the pharmacy's four preparations per slot
    assert plan.honoured == plan.with_preference
    assert plan.by_solver


def test_bookings_given_to_patients_move_little_and_todays_not_at_all() -> None:
    resources, sessions = _busy_day(24)
    first = optimise_day(Occupancy(resources), DAY, sessions, time_limit=0.5)
    given = [
        DaySession(s.key, s.minutes, s.preference, booked=first.bookings[s.key], pinned=n < 6)
        for n, s in enumerate(sessions)
    ]
    more = [DaySession((f"new{n}", (1, 1, 1)), 90) for n in range(6)]
    again = optimise_day(Occupancy(resources), DAY, given + more, time_limit=0.5)
    _hard_rules_kept(resources, given + more, again)
    for n, s in enumerate(given):
        assert s.booked is not None
        was = datetime.combine(DAY, s.booked.start)
        now = datetime.combine(DAY, again.bookings[s.key].start)
        assert abs(now - was) <= timedelta(minutes=0 if n < 6 else 30)
    assert again.moved <= len(given) - 6


def test_a_stop_asked_before_the_search_cancels_it() -> None:
    resources, sessions = _busy_day(10)
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        optimise_day(Occupancy(resources), DAY, sessions, stop=stop)


def test_how_many_chairs_and_starts_a_day_needs_with_their_bounds() -> None:
    resources, sessions = _busy_day(30)
    found = needs(Occupancy(resources), DAY, sessions, time_limit=1.0)
    energy = -(-sum(-(-s.minutes // SLOT) * SLOT for s in sessions) // 600)
    assert found.placed
    assert energy <= found.chairs_bound <= found.chairs
    assert found.starts_bound <= found.starts <= 4  # the pharmacy's limit
    # With the chairs it found, the day fits indeed.
    fewer = UnitResources(
        chairs=tuple(Chair(f"F{n}") for n in range(found.chairs)),
        nurses=10,
        starts_per_nurse=2,
        pharmacy=resources.pharmacy,
    )
    plan = optimise_day(Occupancy(fewer), DAY, sessions, time_limit=1.0)
    assert not plan.unplaced
