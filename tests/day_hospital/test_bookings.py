"""What a window saw of the days it books into, handed to the store's check; the day
sheet's venous access, as recorded; days placed first fit or by the optimiser, proposed
without changing the unit."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from planner.catalog import Catalog
from planner.core.booking import Booking
from planner.core.chairs import Occupancy
from planner.core.patient import Patient
from planner.core.plan import Plan, PlanOptions
from planner.core.plan_schedule import schedule_of
from planner.core.settings import UnitSettings
from planner.day_hospital.bookings import (
    day_sheet,
    day_sheet_csv,
    day_sheet_html,
    days_seen,
    venous_access,
)
from planner.i18n import set_language
from tests.core.test_chairs import SMALL

MONDAY, TUESDAY, OLD = date(2027, 3, 1), date(2027, 3, 2), date(2027, 1, 4)


def test_the_days_booked_into_are_handed_whole_from_the_days_held() -> None:
    unit = Occupancy(SMALL)
    anne = Booking(time(8), 60, "A", MONDAY)
    bruno = Booking(time(8), 60, "B", MONDAY)
    carla = Booking(time(9), 60, "A", TUESDAY)
    unit.adopt({("anne", (1, 1, 1)): anne, ("bruno", (1, 1, 1)): bruno})
    unit.adopt({("carla", (1, 1, 1)): carla})
    put = {("dora", (1, 1, 1)): Booking(time(10), 60, "B", MONDAY)}
    assert days_seen(unit, put) == {
        MONDAY: {("anne", (1, 1, 1)): anne, ("bruno", (1, 1, 1)): bruno}
    }
    # An undo putting back a booking of a day the window no longer holds: that day is not
    # claimed as seen (empty), it is not checked.
    put[("eve", (1, 1, 1))] = Booking(time(8), 60, "A", OLD)
    assert set(days_seen(unit, put, since=MONDAY)) == {MONDAY}
    assert days_seen(unit, put)[OLD] == {}


# ---------------------------------------------------------------------- the day sheet

START = date(2027, 3, 8)
BEFORE = date(2027, 2, 20)


def venous(
    catalog: Catalog,
    regimen_id: str,
    *,
    port_in_place: bool = False,
    requested: bool = False,
    today: date = BEFORE,
) -> str:
    patient = Patient("p", "Martin", "Anne", "HN-1", port_in_place=port_in_place)
    plan = Plan(
        "plan",
        patient,
        catalog.regimen(regimen_id),
        START,
        options=PlanOptions(port_confirmed=requested),
    )
    return venous_access(schedule_of(plan, catalog.port_rules), today)


@pytest.mark.parametrize(
    ("regimen_id", "options", "words"),
    [
        # Recorded as placed: whatever the regimen.
        ("mfolfox6-q14", {"port_in_place": True}, "port in place"),
        ("pembrolizumab-200-q3w", {"port_in_place": True}, "port in place"),
        # Required (the 46-hour pump): placed 7 days before C1, not yet.
        ("mfolfox6-q14", {}, "port planned on Mon 1 Mar 2027"),
        # Its day has passed and nobody recorded it placed: the nurses check.
        ("mfolfox6-q14", {"today": date(2027, 3, 5)}, "port to confirm"),
        # Recommended (taxane) and requested by the team: planned.
        ("carboplatin-paclitaxel-q21", {"requested": True}, "port planned on Mon 1 Mar 2027"),
        # Recommended or to consider, and nobody asked for one yet.
        ("carboplatin-paclitaxel-q21", {}, "port to confirm"),
        ("gemcitabine-carboplatin-d1-d8-q21", {}, "port to confirm"),
        # Immunotherapy alone: no port advised.
        ("pembrolizumab-200-q3w", {}, "peripheral line"),
    ],
)
def test_the_venous_access_is_what_is_recorded(
    catalog: Catalog, regimen_id: str, options: dict[str, Any], words: str
) -> None:
    assert venous(catalog, regimen_id, **options) == words


def test_the_sheet_says_it_in_every_form(catalog: Catalog) -> None:
    """CSV and printed page: a planned port is never written as a port."""
    patients = {
        "anne": Patient("anne", "Martin", "Anne", "HN-1"),
        "bruno": Patient("bruno", "Petit", "Bruno", "HN-2", port_in_place=True),
    }
    plans = [
        Plan("anne", patients["anne"], catalog.regimen("mfolfox6-q14"), START),
        Plan("bruno", patients["bruno"], catalog.regimen("mfolfox6-q14"), START),
    ]
    schedules = [schedule_of(p, catalog.port_rules) for p in plans]
    unit = Occupancy(SMALL)
    unit.adopt(
        {
            ("anne", (1, 1, 1)): Booking(time(8), 165, "A", START),
            ("bruno", (1, 1, 1)): Booking(time(8, 15), 165, "B", START),
        }
    )
    lines = day_sheet(unit, schedules, START, today=BEFORE)
    assert [line.port for line in lines] == ["port planned on Mon 1 Mar 2027", "port in place"]
    csv_text = b"".join(day_sheet_csv(lines)).decode("utf-8-sig")
    assert "port planned on Mon 1 Mar 2027" in csv_text
    html = day_sheet_html(lines, START, UnitSettings(name="HDJ"))
    assert "<td>port planned on Mon 1 Mar 2027</td>" in html
    assert "<td>port in place</td>" in html
    assert "<td>port</td>" not in html
    set_language("fr")
    french = day_sheet(unit, schedules, START, today=date(2027, 3, 5))
    assert [line.port for line in french] == [
        "chambre implantable à confirmer",
        "chambre implantable en place",
    ]


# ---------------------------------------------------------------------- the optimiser


def _unit_plans(catalog: Catalog, count: int) -> list[Any]:
    from planner.core.patient import Preference

    regimens = ("mfolfox6-q14", "pembrolizumab-200-q3w", "carboplatin-paclitaxel-q21")
    preferences = (Preference.ANY, Preference.MORNING, Preference.AFTERNOON)
    plans = []
    for n in range(count):
        patient = Patient(f"p{n}", f"NOM{n}", "Anne", f"HN-{n}", preference=preferences[n % 3])
        plan = Plan(f"plan{n}", patient, catalog.regimen(regimens[n % 3]), START)
        plans.append(schedule_of(plan, catalog.port_rules))
    return plans


def _resources() -> Any:
    from planner.core.chairs import Chair, UnitResources

    return UnitResources(
        chairs=tuple(Chair(f"F{n}") for n in range(1, 7)),
        hours=((time(8), time(18)),) * 5 + (None, None),
        nurses=1,
        starts_per_nurse=2,
        pharmacy=(2,) * 5 + (None, None),
    )


def test_the_optimiser_books_the_days_and_everything_it_changed_can_be_undone(
    catalog: Catalog,
) -> None:
    from planner.day_hospital.bookings import Optimising, rebook, undo_rebook

    schedules = _unit_plans(catalog, 12)
    unit = Occupancy(_resources(), UnitSettings().calendar())
    done = rebook(unit, schedules, START, until=date(2027, 3, 19), optimise=Optimising(BEFORE))
    assert not done.unplaced
    wanted = {
        (ps.plan.id, s.key)
        for ps in schedules
        for s in ps.sessions
        if START <= s.date <= date(2027, 3, 19) and s.doses
    }
    assert set(unit.bookings) == wanted == set(done.before)
    for plan in done.days:
        figures = unit.figures(plan.day)
        assert figures is not None
        assert figures.peak == plan.peak
        assert all(n <= limit for n, limit in zip(figures.starts, figures.limits, strict=True))
        assert plan.honoured == plan.with_preference
    undo_rebook(unit, done)
    assert unit.bookings == {}


def test_booking_again_moves_what_was_given_little_and_todays_not_at_all(
    catalog: Catalog,
) -> None:
    from planner.day_hospital.bookings import Optimising, rebook

    schedules = _unit_plans(catalog, 10)
    unit = Occupancy(_resources(), UnitSettings().calendar())
    rebook(unit, schedules, START, until=START, optimise=Optimising(BEFORE))
    given = dict(unit.bookings)
    more = _unit_plans(catalog, 14)[10:]  # other patients, the same day
    new = [
        schedule_of(Plan(f"late{n}", ps.plan.patient, ps.plan.regimen, START), catalog.port_rules)
        for n, ps in enumerate(more)
    ]
    # The day is today: what was given stays exactly.
    done = rebook(unit, schedules + new, START, until=START, optimise=Optimising(START))
    assert all(unit.bookings[k] == b for k, b in given.items())
    assert all(k[0].startswith("late") for k in done.before)
    # A day to come: each given booking moves by 30 minutes at most.
    unit = Occupancy(_resources(), UnitSettings().calendar())
    rebook(unit, schedules, START, until=START, optimise=Optimising(BEFORE))
    rebook(unit, schedules + new, START, until=START, optimise=Optimising(BEFORE))
    for key, was in given.items():
        now = unit.bookings[key]
        moved = abs((now.start.hour - was.start.hour) * 60 + now.start.minute - was.start.minute)
        assert moved <= 30


def test_a_stop_leaves_the_unit_as_it_was(catalog: Catalog) -> None:
    import threading

    from planner.core.optimiser import Cancelled
    from planner.day_hospital.bookings import Optimising, rebook

    schedules = _unit_plans(catalog, 8)
    unit = Occupancy(_resources(), UnitSettings().calendar())
    rebook(unit, schedules, START, until=START)  # one by one
    before = dict(unit.bookings)
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 1:
            stop.set()

    with pytest.raises(Cancelled):
        rebook(
            unit,
            schedules,
            START,
            until=date(2027, 5, 28),
            progress=progress,
            optimise=Optimising(BEFORE, stop=stop),
        )
    assert unit.bookings == before


def test_a_delayed_plan_is_booked_on_its_new_days_others_moving_little(
    catalog: Catalog,
) -> None:
    from dataclasses import replace as changed

    from planner.day_hospital.bookings import Optimising, rebook

    schedules = _unit_plans(catalog, 12)
    unit = Occupancy(_resources(), UnitSettings().calendar())
    until = date(2027, 4, 30)
    rebook(unit, schedules, START, until=until, optimise=Optimising(BEFORE))
    given = dict(unit.bookings)
    late = schedule_of(
        changed(schedules[0].plan, start=date(2027, 3, 15)), catalog.port_rules
    )  # a week later
    done = rebook(unit, [late, *schedules[1:]], START, until=until, optimise=Optimising(BEFORE))
    assert not done.unplaced
    assert not unit.misfits
    own = unit.of_plan(late.plan.id)
    days = {s.key: s.date for s in late.sessions if s.doses and s.date <= until}
    assert {key: b.day for key, b in own.items()} == days
    for key, was in given.items():
        if key[0] == late.plan.id:
            continue
        now = unit.bookings[key]
        assert now.day == was.day
        moved = abs((now.start.hour - was.start.hour) * 60 + now.start.minute - was.start.minute)
        assert moved <= 30
    assert {k for k in done.before if k[0] != late.plan.id} <= set(given)


# ---------------------------------------------------------------------- placing days


def _unit_of_four(catalog: Catalog) -> tuple[Occupancy, list[Any]]:
    """Four patients on pembrolizumab from Monday 8 March 2027, in a unit of three chairs
    where two infusions start in one slot."""
    from planner.core.chairs import Chair, UnitResources

    resources = UnitResources(chairs=(Chair("A"), Chair("B"), Chair("C")), nurses=1)
    unit = Occupancy(resources)
    schedules = [
        schedule_of(
            Plan(
                f"plan{n}",
                Patient(f"p{n}", "Martin", f"Anne {n}", f"HN-{n}"),
                catalog.regimen("pembrolizumab-200-q3w"),
                START,
            ),
            catalog.port_rules,
        )
        for n in range(4)
    ]
    return unit, schedules


def test_first_fit_books_the_earliest_places_the_optimiser_the_fewest_chairs(
    catalog: Catalog,
) -> None:
    from planner.day_hospital.bookings import Optimising, place

    unit, schedules = _unit_of_four(catalog)
    placed = place(unit, schedules, START, until=START, first_fit=True)
    starts = sorted(b.start for b in placed.after.values() if b is not None)
    # Two start at opening (the nurse's two), the third on the last chair a slot later,
    # the fourth once the first chair is free (45 minutes each).
    assert starts == [time(8), time(8), time(8, 15), time(8, 45)]
    assert unit.bookings == {}  # proposed, not done
    # The optimiser gives them one chair, one after the other (no more is needed: the
    # day's end costs less than a chair at the peak).
    placed = place(unit, schedules, START, until=START, optimise=Optimising(date(2027, 3, 1)))
    assert placed.days[0].peak == 1
    assert sorted((b.start, b.chair) for b in placed.after.values() if b is not None) == [
        (time(8), "A"),
        (time(8, 45), "A"),
        (time(9, 30), "A"),
        (time(10, 15), "A"),
    ]
    assert unit.bookings == {}


def test_placing_with_the_optimiser_leaves_the_unit_as_it_was(catalog: Catalog) -> None:
    from planner.day_hospital.bookings import Optimising, place

    unit, schedules = _unit_of_four(catalog)
    first = place(unit, schedules, START, until=START, first_fit=True)
    unit.adopt({k: b for k, b in first.after.items() if b is not None})
    figures, bookings = unit.figures(START), dict(unit.bookings)
    assert figures is not None
    placed = place(
        unit, schedules, START, until=START, optimise=Optimising(date(2027, 3, 1), every_day=True)
    )
    assert unit.bookings == bookings
    assert unit.figures(START) == figures
    [day] = placed.days
    assert day.day == START
    assert day.peak <= figures.peak
    assert set(placed.before) <= set(bookings)
    # What it proposes fits, all together.
    twin = unit.copy()
    for key in placed.after:
        twin.remove(key)
    for key, booking in placed.after.items():
        assert booking is not None
        twin.add(key, booking)


def test_a_cancelled_placing_changes_nothing(catalog: Catalog) -> None:
    import threading

    from planner.core.optimiser import Cancelled
    from planner.day_hospital.bookings import Optimising, place

    unit, schedules = _unit_of_four(catalog)
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        place(unit, schedules, START, optimise=Optimising(date(2027, 3, 1), stop=stop))
    assert unit.bookings == {}

    # Stopped half-way, placing session by session: what was booked is taken back.
    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        place(unit, schedules, START, progress=stop_after_two)
    assert unit.bookings == {}
    figures = unit.figures(START)
    assert figures is not None
    assert figures.peak == 0


def test_given_times_move_within_the_limit_and_todays_not_at_all(catalog: Catalog) -> None:
    from dataclasses import replace

    from planner.core.chairs import Weights
    from planner.day_hospital.bookings import Optimising, place

    unit, schedules = _unit_of_four(catalog)
    first = place(unit, schedules, START, until=START, first_fit=True)
    # A unit that cares nothing for the times given: only the limit holds them.
    free = replace(unit.resources, weights=Weights(keep=0), max_move_minutes=15)
    unit = Occupancy(free)
    unit.adopt({k: b for k, b in first.after.items() if b is not None})
    given = dict(unit.bookings)

    def minute(moment: time) -> int:
        return moment.hour * 60 + moment.minute

    placed = place(unit, schedules, START, until=START, optimise=Optimising(BEFORE, every_day=True))
    assert placed.before  # it moved some...
    for key, booking in placed.after.items():
        assert booking is not None
        assert abs(minute(booking.start) - minute(given[key].start)) <= 15  # ...not far
    # On the day itself (the patients may be in their chairs), none.
    placed = place(unit, schedules, START, until=START, optimise=Optimising(START, every_day=True))
    assert all(placed.after[key] == given[key] for key in placed.after)


def test_the_coming_weeks_by_the_optimiser_the_later_months_at_once(catalog: Catalog) -> None:
    from planner.day_hospital.bookings import Optimising, place

    unit, schedules = _unit_of_four(catalog)
    told: list[tuple[str, int, int]] = []
    placed = place(
        unit,
        schedules,
        START,
        until=date(2027, 5, 31),
        optimise=Optimising(BEFORE),
        optimise_until=date(2027, 3, 31),
        progress=lambda done, total: told.append(("days", done, total)),
        later_progress=lambda done, total: told.append(("plans", done, total)),
    )
    # Pembrolizumab every three weeks: 8 March and Tuesday 30 (after Easter Monday) placed
    # by the optimiser...
    assert [d.day for d in placed.days] == [START, date(2027, 3, 30)]
    # ...19 April, 10 and 31 May booked one session at a time; every one of the four.
    days = sorted({b.day for b in placed.after.values() if b is not None and b.day})
    assert days == [START, date(2027, 3, 30), date(2027, 4, 19), date(2027, 5, 10),
                    date(2027, 5, 31)]  # fmt: skip
    assert len(placed.after) == 4 * 5
    assert told == [("days", 1, 2), ("days", 2, 2)] + [("plans", n, 4) for n in range(1, 5)]
    assert unit.bookings == {}
