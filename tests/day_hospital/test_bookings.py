"""What a window saw of the days it books into, handed to the store's check; the day
sheet's venous access, as recorded."""

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
