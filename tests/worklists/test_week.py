"""A week's booked sessions for the nurses and the pharmacy, worked out by hand."""

from __future__ import annotations

import csv
from datetime import date, time

from planner.catalog import Catalog
from planner.core.batch import plan_schedules
from planner.core.booking import Booking
from planner.core.chairs import Chair, Occupancy, UnitResources
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.core.settings import UnitSettings
from planner.i18n import set_language
from planner.worklists import (
    Week,
    week_csv,
    week_html,
    week_sessions,
)

RESOURCES = UnitResources(
    chairs=(Chair("A"), Chair("B")),
    hours=((time(8), time(12)),) * 5 + (None, None),
    nurses=1,
    starts_per_nurse=1,
)
MONDAY = date(2027, 3, 8)


def a_week(catalog: Catalog) -> Week:
    """Anne (pembrolizumab q3w from Mon 8 March) at 8:00 on A; Bruno (mFOLFOX6 from Mon 8
    March) at 8:15 on B; Carla (weekly paclitaxel from Wed 10 March) at 9:00 on A that
    Wednesday, and a booking of hers left on Thursday 11 although her session is Wednesday's."""
    settings = UnitSettings()
    plans = [
        Plan(
            name,
            Patient(name, full.split()[0], full.split()[1], number, contact="06 00"),
            catalog.regimen(regimen),
            start,
            calendar=settings.calendar(),
        )
        for name, full, number, regimen, start in (
            ("anne", "MARTIN Anne", "HN-1", "pembrolizumab-200-q3w", MONDAY),
            ("bruno", "PETIT Bruno", "HN-2", "mfolfox6-q14", MONDAY),
            ("carla", "ROUX Carla", "HN-3", "paclitaxel-weekly-d1-8-15-q28", date(2027, 3, 10)),
        )
    ]
    unit = Occupancy(RESOURCES, settings.calendar())
    unit.adopt(
        {
            ("anne", (1, 1, 1)): Booking(time(8), 45, "A", MONDAY),
            ("bruno", (1, 1, 1)): Booking(time(8, 15), 165, "B", MONDAY),
            ("carla", (1, 1, 1)): Booking(time(9), 75, "A", date(2027, 3, 10)),
            ("carla", (1, 1, 8)): Booking(time(9), 75, "B", date(2027, 3, 11)),
        }
    )
    return week_sessions(unit, plan_schedules(plans, ()), date(2027, 3, 10))


def test_the_week_from_monday_to_sunday_day_by_day_by_time_and_chair(catalog: Catalog) -> None:
    week = a_week(catalog)
    assert week.monday == MONDAY  # any day of the week chooses it
    assert [(d.day.day, len(d.lines), d.minutes, d.closed) for d in week.days] == [
        (8, 2, 210, ""),
        (9, 0, 0, ""),
        (10, 1, 75, ""),
        (11, 1, 75, ""),
        (12, 0, 0, ""),
        (13, 0, 0, "weekend"),
        (14, 0, 0, "weekend"),
    ]
    monday = week.days[0].lines
    assert [
        (
            line.booking.start,
            line.booking.chair,
            line.patient.name,
            line.regimen,
            line.cycle_day,
            line.drugs,
            line.pump,
            line.minutes,
            line.flag,
        )
        for line in monday
    ] == [
        (
            time(8),
            "A",
            "MARTIN Anne",
            "Pembrolizumab 200 mg every 3 weeks (monotherapy)",
            "C1 D1",
            ("pembrolizumab",),
            False,
            45,
            "",
        ),
        (
            time(8, 15),
            "B",
            "PETIT Bruno",
            "mFOLFOX6 (oxaliplatin, leucovorin, 5-FU bolus + 46-h infusion) every 14 days",
            "C1 D1",
            ("oxaliplatin", "folinic acid (leucovorin)", "fluorouracil (5-FU)"),
            True,  # the 46-hour 5-FU goes home on a pump
            165,
            "",
        ),
    ]
    # Carla's D8 is on Wednesday 17: the booking kept on Thursday 11 is to check.
    [thursday] = week.days[3].lines
    assert (thursday.cycle_day, thursday.flag) == ("C1 D8", "the session moved to Wed 17 Mar 2027")
    assert (week.count, week.minutes) == (4, 360)


def test_the_week_prints_with_a_count_per_day_and_numbers_only_when_asked(
    catalog: Catalog,
) -> None:
    week = a_week(catalog)
    html = week_html(week, UnitSettings(name="HDJ Nord"))
    assert "Sessions of the week from Mon 8 Mar 2027 to Sun 14 Mar 2027" in html
    assert "HDJ Nord — 4 sessions booked, 6 chair hours" in html
    assert "Monday 8 March 2027 — 2 sessions, 3.5 chair hours" in html
    assert "Tuesday 9 March 2027 — no session booked" in html
    assert "Saturday 13 March 2027 — closed (weekend)" in html
    assert "⚠ To check: the session moved to Wed 17 Mar 2027" in html
    assert "HN-1" not in html
    assert "HN-1" in week_html(week, UnitSettings(), numbers=True)


def test_the_week_as_a_french_spreadsheet(catalog: Catalog) -> None:
    set_language("fr")
    week = a_week(catalog)
    data = b"".join(week_csv(week))
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark: spreadsheets read accents
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == [
        "Date",
        "Heure",
        "Fauteuil",
        "Patient",
        "Protocole",
        "Cycle et jour",
        "Médicaments",
        "Pompe",
        "Minutes de fauteuil",
        "À vérifier",
    ]
    assert rows[2] == [
        "2027-03-08",
        "08:15",
        "B",
        "PETIT Bruno",
        "mFOLFOX6 (oxaliplatine, acide folinique, 5-FU en bolus + perfusion de 46 h) "
        "tous les 14 jours",
        "C1 J1",
        "oxaliplatine, acide folinique, fluorouracile (5-FU)",
        "oui",
        "165",
        "",
    ]
    assert rows[1][7] == "non"
    numbered = list(csv.reader(b"".join(week_csv(week, numbers=True)).decode().splitlines()))
    assert "HN-2" in numbered[2][0]
    html = week_html(week, UnitSettings())
    assert "lundi 8 mars 2027 — 2 séances, 3,5 heures de fauteuil" in html
