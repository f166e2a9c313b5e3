"""Chairs, hours and nurses: chair time, placement, flags, earliest start, load."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.catalog import Catalog
from planner.core.booking import Booking
from planner.core.chairs import (
    MAX_CHAIRS,
    MAX_FIXED_MINUTES,
    MAX_NURSES,
    MAX_STARTS_PER_NURSE,
    Chair,
    Occupancy,
    Problem,
    ResourcesError,
    ResourcesProblem,
    UnitResources,
    Weights,
    book_plan,
    chair_minutes,
    earliest_start,
    flags,
    wrong_half,
)
from planner.core.closures import ClosureCalendar, ClosureSet, UnitClosure
from planner.core.patient import Patient, Preference
from planner.core.plan import Plan
from planner.core.plan_schedule import schedule_of
from planner.core.schedule import Session

PATIENT = Patient("p1", "Martin", "Anne", "HN-1")
MONDAY = date(2027, 3, 8)


def sessions(catalog: Catalog, regimen_id: str, start: date = MONDAY) -> tuple[Session, ...]:
    plan = Plan("plan-1", PATIENT, catalog.regimen(regimen_id), start)
    return schedule_of(plan, catalog.port_rules).sessions


# ---------------------------------------------------------------- chair time


@pytest.mark.parametrize(
    ("regimen_id", "booked"),
    [
        # The booked minutes of the plan's first sessions, worked out by hand from the files:
        # 15 min installation, then each group of drugs given together (same order) for its
        # longest infusion + observation, 15 min to connect a pump, rounded up to 15-min
        # slots. First administrations are longer.
        # Trastuzumab IV (Herceptin EU SmPC): observed 6 h from the start of the first
        # infusion (90 + 270), 2 h from the start of later ones (30 + 90).
        ("trastuzumab-q3w-adjuvant", (15 + 90 + 270, 15 + 30 + 90, 15 + 30 + 90)),
        ("atezolizumab-1200-q3w", (15 + 60, 15 + 30)),
        ("pembrolizumab-200-q3w", (15 + 30, 15 + 30)),
        # Oxaliplatin with folinic acid side by side (120), the 5-FU bolus (15), then the
        # pump connected (15): 165.
        ("mfolfox6-q14", (15 + 120 + 15 + 15, 15 + 120 + 15 + 15)),
        # Pertuzumab 60 then its 60-minute observation, trastuzumab 90 and its 270, docetaxel
        # 60: 555 = 37 slots; then pertuzumab 30 + 60, trastuzumab 30 + 90, docetaxel 60: 285.
        (
            "pertuzumab-trastuzumab-docetaxel-q21",
            (15 + 60 + 60 + 90 + 270 + 60, 15 + 30 + 60 + 30 + 90 + 60),
        ),
        # Bevacizumab 90, 60, then 30 minutes (Avastin SmPC). With atezolizumab (60, then 30)
        # before it: 165, 105, 75. Before FOLFOX (oxaliplatin with folinic acid 120, the 5-FU
        # bolus 15, the pump 15): 255, 225, 195.
        ("atezolizumab-bevacizumab-imbrave150", (15 + 60 + 90, 15 + 30 + 60, 15 + 30 + 30)),
        (
            "bevacizumab-5mgkg-q2w-with-folfox-or-folfiri",
            (15 + 90 + 120 + 15 + 15, 15 + 60 + 120 + 15 + 15, 15 + 30 + 120 + 15 + 15, 195),
        ),
        # Nivolumab 480 mg over 60 minutes (Opdivo EU SmPC), every time.
        ("nivolumab-480-q4w", (15 + 60, 15 + 60)),
        # D1: saline and mannitol 90, cisplatin 60, etoposide 60, saline 120 (nhs_cis_etop):
        # 345 = 23 slots; D2 and D3 etoposide alone: 75; then the next cycle's D1 again.
        ("cisplatin-etoposide-q21", (15 + 90 + 60 + 60 + 120, 15 + 60, 15 + 60, 345)),
        # KEYNOTE-407: pembrolizumab 30, paclitaxel over 3 h, carboplatin 30: 255 = 17 slots,
        # every induction cycle; pembrolizumab alone afterwards.
        ("pembrolizumab-carboplatin-taxane-kn407", (255, 255, 255, 255, 15 + 30)),
        # STRIDE: tremelimumab over 1 h (Imjudo SmPC), then durvalumab 60; durvalumab alone.
        ("tremelimumab-durvalumab-stride", (15 + 60 + 60, 15 + 60)),
        # Pushes are booked for the unit's bolus minutes (10): dose-dense AC, doxorubicin
        # pushed, then cyclophosphamide 30: 55 -> 60; FOLFIRI, irinotecan with folinic acid
        # (120), the 5-FU bolus (10), the pump (15): 160 -> 165.
        ("dose-dense-ac-then-paclitaxel-q14", (60, 60)),
        ("folfiri-q14", (165, 165)),
        # Subcutaneous forms: the injection and the label's observation. Trastuzumab SC:
        # 5 min, then 6 h of observation after the first injection and 2 h after later ones.
        ("trastuzumab-sc-600-q21", (15 + 5 + 360 + 10, 15 + 5 + 120 + 10)),
        # Phesgo, one injection of both antibodies: loading 8 min + 30 min (53 -> 60), then
        # 5 min + 15 min (35 -> 45).
        ("pertuzumab-trastuzumab-sc-phesgo-q21", (60, 45)),
        # Antibody-drug conjugates: trastuzumab deruxtecan 90 then 30 min; sacituzumab
        # govitecan 3 h then 2 h, each with 30 min of observation.
        ("trastuzumab-deruxtecan-q21", (15 + 90, 15 + 30)),
        ("sacituzumab-govitecan-d1-8-q21", (15 + 180 + 30, 15 + 120 + 30)),
    ],
)
def test_chair_time_from_the_drugs(
    catalog: Catalog, regimen_id: str, booked: tuple[int, ...]
) -> None:
    found = sessions(catalog, regimen_id)
    resources = UnitResources()
    assert tuple(chair_minutes(s, resources) for s in found[: len(booked)]) == booked


def test_fixed_times_are_settings(catalog: Catalog) -> None:
    found = sessions(catalog, "mfolfox6-q14")
    lean = UnitResources(installation_minutes=0, pump_minutes=0, slot_minutes=5)
    assert chair_minutes(found[0], lean) == 135


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"chairs": ()}, "at least one chair"),
        ({"chairs": (Chair("A"), Chair("A"))}, "same name"),
        ({"slot_minutes": 7}, "divides an hour"),
        ({"hours": ((time(9), time(8)),) + (None,) * 6}, "closes after it opens"),
        ({"hours": ((time(8, 10), time(17)),) + (None,) * 6}, "slot grid"),
        ({"nurses": 0}, "nurse"),
    ],
)
def test_impossible_resources_are_refused(change: dict[str, object], words: str) -> None:
    with pytest.raises(ResourcesError, match=words):
        UnitResources(**change)  # type: ignore[arg-type]


def chairs(n: int) -> tuple[Chair, ...]:
    return tuple(Chair(f"F{k}") for k in range(1, n + 1))


@pytest.mark.parametrize(
    ("field", "at_most", "too_many", "problem", "words"),
    [
        (
            "chairs",
            chairs(500),
            chairs(501),
            ResourcesProblem.TOO_MANY_CHAIRS,
            "at most 500 chairs",
        ),
        ("nurses", 200, 201, ResourcesProblem.TOO_MANY_NURSES, "at most 200 nurses, not 201"),
        ("starts_per_nurse", 20, 21, ResourcesProblem.TOO_MANY_STARTS, "at most 20 infusions"),
        ("installation_minutes", 240, 241, ResourcesProblem.FIXED_TIME, "between 0 and 240"),
        ("pump_minutes", 240, 241, ResourcesProblem.FIXED_TIME, "between 0 and 240"),
        ("bolus_minutes", 240, 241, ResourcesProblem.FIXED_TIME, "between 0 and 240"),
        ("slot_minutes", 60, 120, ResourcesProblem.SLOT, "divides an hour"),
    ],
)
def test_resources_have_upper_bounds(
    field: str, at_most: object, too_many: object, problem: ResourcesProblem, words: str
) -> None:
    """The documented bounds (docs/day-hospital.md): the bound itself is a unit, one more
    is refused, saying which bound and what was given."""
    UnitResources(**{field: at_most})  # type: ignore[arg-type]
    with pytest.raises(ResourcesError, match=words) as refused:
        UnitResources(**{field: too_many})  # type: ignore[arg-type]
    assert refused.value.problem is problem
    if problem.name.startswith("TOO_MANY"):
        assert refused.value.value == (len(too_many) if isinstance(too_many, tuple) else too_many)


def test_the_bounds_are_the_documented_ones() -> None:
    assert (MAX_CHAIRS, MAX_NURSES, MAX_STARTS_PER_NURSE, MAX_FIXED_MINUTES) == (500, 200, 20, 240)


# ---------------------------------------------------------------- placement by hand

SMALL = UnitResources(
    chairs=(Chair("A"), Chair("B")),
    hours=((time(8), time(12)),) * 5 + (None, None),
    nurses=1,
    starts_per_nurse=1,
    slot_minutes=30,
)


def test_first_fit_by_hand() -> None:
    unit = Occupancy(SMALL)
    placed = []
    for n, minutes in enumerate([120, 60, 60, 90, 120, 30]):
        found = unit.find(MONDAY, minutes)
        if found is not None:
            unit.add((f"p{n}", (1, 1, 1)), found)
        placed.append(None if found is None else (found.start, found.chair))
    # One nurse starts one infusion per half-hour: 8:00 A, 8:30 B, 9:30 B (A busy until
    # 10:00), 10:00 A (90 min, to 11:30), nothing left for 120 minutes, 10:30 B for 30.
    assert placed == [
        (time(8, 0), "A"),
        (time(8, 30), "B"),
        (time(9, 30), "B"),
        (time(10, 0), "A"),
        None,
        (time(10, 30), "B"),
    ]
    [load] = unit.load(MONDAY, MONDAY)
    assert (load.booked_minutes, load.capacity_minutes, load.bookings) == (360, 480, 5)
    assert load.peak_chairs == 2


def test_preferences_and_the_usual_chair() -> None:
    day_long = UnitResources(
        chairs=(Chair("A"), Chair("B")),
        hours=((time(8), time(17)),) * 5 + (None, None),
        nurses=1,
        starts_per_nurse=1,
        slot_minutes=30,
    )
    unit = Occupancy(day_long)
    afternoon = unit.find(MONDAY, 60, Preference.AFTERNOON)
    assert afternoon == Booking(time(13, 0), 60, "A", MONDAY)
    unit.add(("p1", (1, 1, 1)), afternoon)
    assert unit.find(MONDAY, 60, Preference.MORNING, chair="B") == Booking(
        time(8, 0), 60, "B", MONDAY
    )
    # Fill the whole afternoon of both chairs: an afternoon patient then gets the morning
    # rather than nothing.
    unit.add(("p2", (1, 1, 1)), Booking(time(14), 180, "A", MONDAY))
    unit.add(("p3", (1, 1, 1)), Booking(time(13, 30), 210, "B", MONDAY))
    assert unit.find(MONDAY, 60, Preference.AFTERNOON) == Booking(time(8), 60, "A", MONDAY)


def test_a_booking_that_does_not_fit_is_refused_with_its_reason() -> None:
    unit = Occupancy(SMALL)
    unit.add(("p1", (1, 1, 1)), Booking(time(8), 60, "A", MONDAY))
    assert unit.problem(Booking(time(8, 30), 60, "A", MONDAY)) is Problem.CHAIR
    assert unit.problem(Booking(time(8), 30, "B", MONDAY)) is Problem.NURSES
    assert unit.problem(Booking(time(11, 30), 60, "B", MONDAY)) is Problem.HOURS
    assert unit.problem(Booking(time(7, 30), 30, "B", MONDAY)) is Problem.HOURS
    assert unit.problem(Booking(time(9), 30, "Z", MONDAY)) is Problem.UNKNOWN_CHAIR
    assert unit.problem(Booking(time(9), 30, "A", MONDAY + timedelta(days=5))) is Problem.CLOSED
    with pytest.raises(ValueError, match="chair"):
        unit.add(("p2", (1, 1, 1)), Booking(time(8, 30), 60, "A", MONDAY))
    # Moving a booking onto itself, a slot later, is checked without itself.
    assert unit.move(("p1", (1, 1, 1)), Booking(time(8, 30), 60, "A", MONDAY)) is None
    assert unit.bookings[("p1", (1, 1, 1))].start == time(8, 30)


def test_more_than_255_infusions_start_in_one_slot() -> None:
    """A big unit: 300 chairs, 140 nurses starting two infusions each per slot. Every one of
    the 280 starts the nurses can make at 8:00 is booked (the grid once counted a slot's
    starts in a byte and failed at the 256th), the 281st goes to 8:15."""
    hours = ((time(8), time(10)),) * 5 + (None, None)
    big = UnitResources(chairs=chairs(300), hours=hours, nurses=140, starts_per_nurse=2)
    unit = Occupancy(big)
    for n in range(280):
        found = unit.find(MONDAY, 60)
        assert found == Booking(time(8), 60, f"F{n + 1}", MONDAY)
        unit.add((f"p{n}", (1, 1, 1)), found)
    assert unit.problem(Booking(time(8), 60, "F281", MONDAY)) is Problem.NURSES
    assert unit.find(MONDAY, 60) == Booking(time(8, 15), 60, "F281", MONDAY)
    # Taking one back frees a start at 8:00, and only one.
    unit.remove(("p0", (1, 1, 1)))
    assert unit.find(MONDAY, 60) == Booking(time(8), 60, "F1", MONDAY)
    unit.add(("again", (1, 1, 1)), Booking(time(8), 60, "F1", MONDAY))
    assert unit.problem(Booking(time(8), 60, "F281", MONDAY)) is Problem.NURSES
    [load] = unit.load(MONDAY, MONDAY)
    assert (load.bookings, load.peak_chairs) == (280, 280)


# ---------------------------------------------------------------- plans


def test_a_plan_is_booked_on_one_chair_and_a_moved_session_is_flagged(catalog: Catalog) -> None:
    calendar = ClosureCalendar(ClosureSet.FR)
    unit = Occupancy(UnitResources(), calendar)
    first = sessions(catalog, "pembrolizumab-200-q3w")[:6]
    result = book_plan(unit, "plan-1", first, preference=Preference.MORNING)
    assert result.unplaced == ()
    assert len(result.added) == 6
    assert {b.chair for b in result.booked.values()} == {"F1"}
    assert all(b.start == time(8) and b.minutes == 45 for b in result.booked.values())
    assert flags(unit, {"plan-1": first}) == []
    # Booking again changes nothing.
    again = book_plan(unit, "plan-1", first)
    assert again.added == ()
    # C3 is delayed a week: its booking stays, flagged, until booked again.
    moved = first[2]._replace(date=first[2].date + timedelta(days=7))
    changed = (*first[:2], moved, *first[3:])
    [flag] = flags(unit, {"plan-1": changed})
    assert flag.problem is Problem.MOVED
    assert flag.session == moved
    assert book_plan(unit, "plan-1", changed).added == ()  # the coordinator decides
    unit.remove(flag.key)
    rebooked = book_plan(unit, "plan-1", changed)
    assert rebooked.added == (moved.key,)
    assert rebooked.booked[moved.key].day == moved.date
    assert rebooked.booked[moved.key].chair == "F1"  # the usual chair
    assert flags(unit, {"plan-1": changed}) == []


def test_subcutaneous_sessions_are_booked_for_their_injection_and_observation(
    catalog: Catalog,
) -> None:
    """Phesgo's loading dose keeps the chair for an hour, the maintenance doses for 45 min;
    a unit that moves from IV pertuzumab + trastuzumab (9 h 15 with trastuzumab's 6-hour
    observation at C1, then 4 h 45) gets chairs back."""
    calendar = ClosureCalendar(ClosureSet.FR)
    unit = Occupancy(UnitResources(), calendar)
    phesgo = sessions(catalog, "pertuzumab-trastuzumab-sc-phesgo-q21")[:3]
    result = book_plan(unit, "phesgo", phesgo, preference=Preference.MORNING)
    assert result.unplaced == ()
    assert [result.booked[s.key].minutes for s in phesgo] == [60, 45, 45]
    iv = sessions(catalog, "pertuzumab-trastuzumab-docetaxel-q21")[:2]
    booked = book_plan(unit, "iv", iv, preference=Preference.MORNING)
    assert [booked.booked[s.key].minutes for s in iv] == [
        15 + 60 + 60 + 90 + 270 + 60,
        15 + 30 + 60 + 30 + 90 + 60,
    ]
    # Nivolumab SC: a 5-minute injection, no observation in the label: the shortest booking.
    nivolumab = sessions(catalog, "nivolumab-sc-q4w")[:2]
    result = book_plan(unit, "nivolumab-sc", nivolumab)
    assert {result.booked[s.key].minutes for s in nivolumab} == {30}


def test_a_new_closure_flags_the_bookings_of_that_day(catalog: Catalog) -> None:
    first = sessions(catalog, "pembrolizumab-200-q3w")[:3]
    unit = Occupancy(UnitResources(), ClosureCalendar(ClosureSet.FR))
    book_plan(unit, "plan-1", first)
    strike = UnitClosure(first[1].date, "Strike")
    closed = Occupancy(UnitResources(), ClosureCalendar(ClosureSet.FR, unit_closures=(strike,)))
    closed.adopt(unit.bookings)  # as read back from the database
    assert len(closed.bookings) == 3  # kept, not dropped
    [flag] = flags(closed, {"plan-1": first})
    assert flag.problem is Problem.CLOSED
    assert flag.booking.day == first[1].date


def test_earliest_start_on_a_small_unit(catalog: Catalog) -> None:
    # One chair, 8:00-12:00 on weekdays; Monday 8 and Tuesday 9 March are full.
    resources = UnitResources(chairs=(Chair("A"),), hours=((time(8), time(12)),) * 5 + (None, None))
    unit = Occupancy(resources, ClosureCalendar(ClosureSet.FR))
    for n, day in enumerate([MONDAY, MONDAY + timedelta(days=1)]):
        unit.add((f"full{n}", (1, 1, 1)), Booking(time(8), 240, "A", day))
    # Fill Wednesday 31 March (C2 of a Wednesday 10 March start) too.
    unit.add(("full2", (1, 1, 1)), Booking(time(8), 240, "A", date(2027, 3, 31)))
    before = dict(unit.bookings)
    options = earliest_start(
        unit,
        lambda start: sessions(catalog, "pembrolizumab-200-q3w", start),
        MONDAY,
        weeks=6,
    )
    assert [o.start for o in options] == [date(2027, 3, 11), date(2027, 3, 12), date(2027, 3, 15)]
    assert unit.bookings == before  # nothing left behind
    best = options[0]
    assert sorted(b.day for b in best.bookings.values()) == [  # type: ignore[type-var]
        date(2027, 3, 11),
        date(2027, 4, 1),  # 22 April is day 43: after the first six weeks
    ]
    assert best.busiest_before == 0.0
    assert best.busiest_after == pytest.approx(45 / 240)


def test_the_other_starts_offered_are_those_of_lighter_weeks(catalog: Catalog) -> None:
    """The earliest start falls on busy days: the others offered are the starts of the next
    three weeks whose days are the least loaded, not merely the next ones."""
    resources = UnitResources(chairs=(Chair("A"),), hours=((time(8), time(12)),) * 5 + (None, None))
    unit = Occupancy(resources, ClosureCalendar(ClosureSet.FR))
    thursday = date(2027, 3, 11)
    busy = [thursday, date(2027, 4, 1), date(2027, 3, 12), date(2027, 4, 2)]
    for n, day in enumerate(busy):  # 2.5 of the 4 hours taken on those Thursdays and Fridays
        unit.add((f"busy{n}", (1, 1, 1)), Booking(time(8), 150, "A", day))
    options = earliest_start(
        unit,
        lambda start: sessions(catalog, "pembrolizumab-200-q3w", start),
        thursday,
        weeks=6,
    )
    earliest, *others = options
    assert earliest.start == thursday  # it fits: the earliest is always offered
    assert not earliest.lighter
    assert earliest.busiest_after == pytest.approx((150 + 45) / 240)
    assert all(o.lighter and o.busiest_after < earliest.busiest_after for o in others)
    assert len(others) == 2
    assert all(o.start not in busy for o in others)


# ---------------------------------------------------------------- invariants

REQUESTS = st.lists(
    st.tuples(
        st.integers(0, 4),  # day of the week
        st.sampled_from([15, 30, 45, 60, 90, 120, 165, 240, 300]),
        st.sampled_from(list(Preference)),
        st.one_of(st.none(), st.sampled_from(["A", "B", "C"])),
    ),
    max_size=60,
)
UNITS = st.builds(
    lambda chairs, nurses, per, closes: UnitResources(
        chairs=tuple(Chair(n) for n in "ABC"[:chairs]),
        hours=((time(8), time(closes)),) * 5 + (None, None),
        nurses=nurses,
        starts_per_nurse=per,
    ),
    st.integers(1, 3),
    st.integers(1, 2),
    st.integers(1, 2),
    st.integers(12, 18),
)


def _fits_somewhere(unit: Occupancy, day: date, minutes: int) -> bool:
    grid = unit.grid(day)
    assert grid is not None
    count = -(-minutes // unit.resources.slot_minutes)
    return any(
        grid.problem(c, s, count) is None
        for c in range(len(unit.resources.chairs))
        for s in range(grid.slots)
    )


@settings(max_examples=150, deadline=None)
@given(UNITS, REQUESTS)
def test_placement_never_breaks_the_units_limits(
    resources: UnitResources, requests: list[tuple[int, int, Preference, str | None]]
) -> None:
    unit = Occupancy(resources)
    for n, (weekday, minutes, preference, chair) in enumerate(requests):
        day = MONDAY + timedelta(days=weekday)
        found = unit.find(day, minutes, preference, chair)
        if found is None:
            # Every session that fits somewhere is booked.
            assert not _fits_somewhere(unit, day, minutes)
            continue
        unit.add((f"p{n}", (1, 1, 1)), found)
    by_day: dict[date, list[Booking]] = {}
    for booking in unit.bookings.values():
        assert booking.day is not None
        by_day.setdefault(booking.day, []).append(booking)
    slot = resources.slot_minutes
    for day, day_bookings in by_day.items():
        hours = resources.hours[day.weekday()]
        assert hours is not None
        opens, closes = (h.hour * 60 + h.minute for h in hours)
        starts: dict[int, int] = {}
        for b in day_bookings:
            begin = b.start.hour * 60 + b.start.minute
            # Within the hours.
            assert opens <= begin
            assert begin + b.minutes <= closes
            starts[begin] = starts.get(begin, 0) + 1
        # The nurses' limit.
        assert max(starts.values()) <= resources.starts_per_slot
        # No chair double-booked.
        for seat in resources.chairs:
            taken = sorted(
                (b.start.hour * 60 + b.start.minute, b.minutes)
                for b in day_bookings
                if b.chair == seat.name
            )
            for (begin, length), (after, _) in itertools.pairwise(taken):
                assert begin + length <= after
        assert all(b.minutes % slot == 0 for b in day_bookings)


# ---------------------------------------------------------------- booking again


def _one_chair() -> Occupancy:
    return Occupancy(
        UnitResources(chairs=(Chair("A"),), hours=((time(8), time(9)),) * 5 + (None, None)),
        ClosureCalendar(ClosureSet.FR),
    )


def test_a_moved_booking_keeps_its_place_until_a_new_one_is_found(catalog: Catalog) -> None:
    unit = _one_chair()
    first = sessions(catalog, "pembrolizumab-200-q3w")[:2]  # 8 and 29... 30 March
    book_plan(unit, "anne", first)
    old = unit.bookings[("anne", first[1].key)]
    # C2 delayed to a day that is full: nothing fits, the booking stays (flagged).
    full_day = first[1].date + timedelta(days=1)
    unit.add(("full", (1, 1, 1)), Booking(time(8), 60, "A", full_day))
    moved = first[1]._replace(date=full_day)
    result = book_plan(unit, "anne", [first[0], moved], rebook=True)
    assert result.unplaced == (moved,)
    assert unit.bookings[("anne", first[1].key)] == old
    # Another patient cannot take the place it still holds.
    assert unit.find(old.day, 45) is None  # type: ignore[arg-type]
    # Once the full day frees up, booking again moves it there.
    unit.remove(("full", (1, 1, 1)))
    again = book_plan(unit, "anne", [first[0], moved], rebook=True)
    assert again.added == (moved.key,)
    assert unit.bookings[("anne", moved.key)].day == full_day
    assert unit.find(old.day, 45) is not None  # type: ignore[arg-type]


def test_a_session_moved_after_today_is_booked_again_even_if_booked_before(
    catalog: Catalog,
) -> None:
    unit = _one_chair()
    first = sessions(catalog, "pembrolizumab-200-q3w")[:2]
    book_plan(unit, "anne", first)
    moved = first[1]._replace(date=first[1].date + timedelta(days=14))
    today = first[1].date + timedelta(days=1)  # the old booking is in the past now
    result = book_plan(unit, "anne", [first[0], moved], since=today, rebook=True)
    assert result.added == (moved.key,)
    assert unit.bookings[("anne", moved.key)].day == moved.date


def test_adopting_a_key_again_replaces_its_booking(catalog: Catalog) -> None:
    unit = Occupancy(SMALL)
    unit.adopt({("a", (1, 1, 1)): Booking(time(8), 60, "A", MONDAY)})
    tuesday = MONDAY + timedelta(days=1)
    unit.adopt({("a", (1, 1, 1)): Booking(time(8), 60, "A", tuesday)})
    assert unit.on_day(MONDAY) == []
    [load] = unit.load(MONDAY, MONDAY)
    assert load.booked_minutes == 0
    unit.remove(("a", (1, 1, 1)))
    assert unit.on_day(tuesday) == []


def test_a_copy_is_changed_apart_and_keeps_its_misfits() -> None:
    unit = Occupancy(SMALL)
    anne, bruno = ("anne", (1, 1, 1)), ("bruno", (1, 1, 1))
    unit.adopt({anne: Booking(time(8), 60, "A", MONDAY)})
    unit.adopt({bruno: Booking(time(8, 30), 60, "A", MONDAY)})  # clashes with Anne's
    assert unit.misfits == {bruno: Problem.CHAIR}
    unit.remove(anne)  # Bruno's booking would fit now, but it was read as a misfit
    twin = unit.copy()
    assert twin.bookings == unit.bookings
    assert twin.misfits == {bruno: Problem.CHAIR}
    assert twin.figures(MONDAY) == unit.figures(MONDAY)
    # Changing the copy leaves the unit as it was.
    twin.add(("carla", (1, 1, 1)), Booking(time(9), 60, "B", MONDAY))
    twin.remove(bruno)
    assert set(unit.bookings) == {bruno}
    assert unit.misfits == {bruno: Problem.CHAIR}
    [load] = unit.load(MONDAY, MONDAY)
    assert load.bookings == 0  # a misfit holds no chair
    [load] = twin.load(MONDAY, MONDAY)
    assert load.bookings == 1


def test_the_afternoon_begins_at_its_first_slot() -> None:
    noon = 16
    assert not wrong_half(Preference.MORNING, noon - 1, noon)
    assert wrong_half(Preference.MORNING, noon, noon)
    assert wrong_half(Preference.AFTERNOON, noon - 1, noon)
    assert not wrong_half(Preference.AFTERNOON, noon, noon)
    assert not wrong_half(Preference.ANY, 0, noon)


def test_one_more_session_costs_what_it_adds_to_the_day() -> None:
    weights = Weights(preference=100, keep=60, peak=20, spread=4, end=1)
    # Under the peak, in a quiet slot, before the day's end, in its half-day: nothing.
    assert (
        weights.one_more(most=2, peak=5, starts=0, busiest=3, stop=10, end=20, wrong_half=False)
        == 0
    )
    # One more chair at the peak, one more start in the busiest slot, two slots later end,
    # the wrong half-day, moved from the time given.
    assert weights.one_more(
        most=5, peak=5, starts=3, busiest=3, stop=22, end=20, wrong_half=True, moved=True
    ) == (20 + 4 + 2 + 100 + 60)
