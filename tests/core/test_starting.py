"""A new plan's start: what it would put before today, and the earliest start that does not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from planner.catalog import Catalog
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.schedule import EventKind
from planner.core.settings import UnitSettings
from planner.core.starting import earliest_start_from_today, in_the_past
from planner.day_hospital.bookings import trial_plan

TODAY = date(2027, 3, 8)  # a Monday
SETTINGS = UnitSettings()  # port placed 7 days before C1; blood tests up to 3 days before


def starting(catalog: Catalog, regimen: str) -> Callable[[date], PlanSchedule]:
    def schedule(day: date) -> PlanSchedule:
        plan = trial_plan(catalog.regimen(regimen), day, SETTINGS)
        return schedule_of(plan, catalog.port_rules, TODAY)

    return schedule


@pytest.mark.parametrize(
    ("regimen", "past", "earliest"),
    [
        # The DPD test, whose result (about 10 days) is needed before C1, on the latest open
        # day 10 days before it (Friday 26 February), the port a week before C1 and the
        # Saturday blood test are gone. From Thursday 18 March the DPD test is today, 8
        # March (18 - 10); on Wednesday 17, 7 March is a Sunday and the test would be on
        # Friday 5. (The port alone allowed Monday 15 March.)
        (
            "mfolfox6-q14",
            [
                (EventKind.MONITORING, date(2027, 2, 26)),
                (EventKind.PORT_PLACEMENT, date(2027, 3, 1)),
                (EventKind.LAB, date(2027, 3, 6)),
            ],
            date(2027, 3, 18),
        ),
        # The baseline thyroid and liver checks (Friday 5, Saturday 6) and the blood test:
        # from Wednesday 10 the first check is today.
        (
            "pembrolizumab-200-q3w",
            [
                (EventKind.MONITORING, date(2027, 3, 5)),
                (EventKind.LAB, date(2027, 3, 6)),
                (EventKind.MONITORING, date(2027, 3, 6)),
            ],
            date(2027, 3, 10),
        ),
        # The blood test and the dexamethasone the day before paclitaxel: from Tuesday 9,
        # both are today.
        (
            "carboplatin-paclitaxel-q21",
            [(EventKind.LAB, date(2027, 3, 6)), (EventKind.PREMEDICATION, date(2027, 3, 7))],
            date(2027, 3, 9),
        ),
    ],
)
def test_a_plan_started_today_puts_its_preparations_in_the_past(
    catalog: Catalog, regimen: str, past: list[tuple[EventKind, date]], earliest: date
) -> None:
    schedule = starting(catalog, regimen)
    found = in_the_past(schedule(TODAY), TODAY)
    assert [(e.kind, e.date) for e in found] == past
    assert earliest_start_from_today(schedule, TODAY, TODAY) == earliest
    assert in_the_past(schedule(earliest), TODAY) == []
    # The open day before does not do: the earliest is the earliest.
    before = date.fromordinal(earliest.toordinal() - 1)
    while not SETTINGS.calendar().is_open(before):
        before = date.fromordinal(before.toordinal() - 1)
    assert in_the_past(schedule(before), TODAY)


def test_a_start_far_enough_is_kept_and_a_closed_one_moves_to_an_open_day(
    catalog: Catalog,
) -> None:
    schedule = starting(catalog, "mfolfox6-q14")
    assert earliest_start_from_today(schedule, date(2027, 4, 6), TODAY) == date(2027, 4, 6)
    # Saturday 20 March: the unit is closed; the first open day after it is Monday 22.
    assert earliest_start_from_today(schedule, date(2027, 3, 20), TODAY) == date(2027, 3, 22)


def test_a_start_in_the_past_is_said_not_hidden(catalog: Catalog) -> None:
    """Entered afterwards (a plan started last month): everything before today is said."""
    schedule = starting(catalog, "pembrolizumab-200-q3w")
    past = in_the_past(schedule(date(2027, 2, 1)), TODAY)
    assert {e.kind for e in past} >= {EventKind.LAB, EventKind.MONITORING}
    assert earliest_start_from_today(schedule, date(2027, 2, 1), TODAY) == date(2027, 3, 10)
