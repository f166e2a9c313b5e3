"""The unit's sessions for coordinators: ICS and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from icalendar import Calendar

from planner.catalog import Catalog
from planner.core.booking import Booking
from planner.core.patient import Patient
from planner.core.plan import Plan, Stop
from planner.core.plan_schedule import schedule_of
from planner.core.settings import UnitSettings
from planner.explain import initials
from planner.export.unit import unit_calendar, unit_csv, unit_sessions
from planner.i18n import speaking

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)


def unit(catalog: Catalog) -> list[Plan]:
    return [
        Plan(
            "a",
            Patient("pa", "MARTIN", "Jeanne", "H1"),
            catalog.regimen("pembrolizumab-200-q3w"),
            date(2027, 1, 4),
        ),
        Plan(
            "b",
            Patient("pb", "Le Goff", "Jean-Pierre", "H2"),
            catalog.regimen("mfolfox6-q14"),
            date(2027, 1, 5),
        ),
    ]


def test_initials() -> None:
    assert initials(Patient("p", "MARTIN", "Jeanne", "H")) == "J. M."
    assert initials(Patient("p", "Le Goff", "Jean-Pierre", "H")) == "J.-P. L. G."
    assert initials(Patient("p", "  élise  ", "", "H")) == "É."  # a name kept whole


def test_sessions_of_a_period_by_date_time_and_patient(catalog: Catalog) -> None:
    plans = unit(catalog)
    scheduled = [schedule_of(p, catalog.port_rules) for p in plans]
    bookings = {("b", (1, 1, 1)): Booking(time(8, 30), 180, "2")}
    rows = unit_sessions(scheduled, date(2027, 1, 1), date(2027, 1, 31), bookings)
    assert [(r.session.date, r.initials) for r in rows] == [
        (date(2027, 1, 4), "J. M."),
        (date(2027, 1, 5), "J.-P. L. G."),
        (date(2027, 1, 19), "J.-P. L. G."),
        (date(2027, 1, 25), "J. M."),
    ]
    assert rows[1].booking == Booking(time(8, 30), 180, "2")
    content = b"".join(
        unit_calendar(rows, settings=UnitSettings(name="HDJ"), exported_at=AT, name="HDJ")
    )
    found = list(Calendar.from_ical(content).walk("VEVENT"))
    assert len(found) == 4
    assert str(found[1]["SUMMARY"]) == "J.-P. L. G. — mfolfox6-q14, C1 D1 (chair 2)"
    assert found[1].decoded("DTSTART") == datetime(2027, 1, 5, 7, 30, tzinfo=UTC)
    assert "H1" not in content.decode()
    assert "MARTIN" not in content.decode()
    # A change to a plan raises the sequence of its sessions, under the same UIDs.
    stopped = plans[0].with_entry(Stop(date(2027, 1, 20), "progression"), "c", AT)
    again = unit_sessions(
        [schedule_of(stopped, catalog.port_rules), scheduled[1]],
        date(2027, 1, 1),
        date(2027, 1, 31),
    )
    content2 = b"".join(unit_calendar(again, settings=UnitSettings(), exported_at=AT, name="HDJ"))
    first = {str(e["UID"]): int(str(e["SEQUENCE"])) for e in found}
    second = {
        str(e["UID"]): int(str(e["SEQUENCE"])) for e in Calendar.from_ical(content2).walk("VEVENT")
    }
    assert set(second) < set(first)
    assert [second[u] - first[u] for u in sorted(second)].count(1) == 1  # Jeanne's C1


def test_a_booking_left_on_another_day_gives_no_time(catalog: Catalog) -> None:
    plans = unit(catalog)
    scheduled = [schedule_of(p, catalog.port_rules) for p in plans]
    bookings = {
        ("b", (1, 1, 1)): Booking(time(8, 30), 180, "2", date(2027, 1, 5)),  # on its day
        ("b", (1, 2, 1)): Booking(time(8, 30), 180, "2", date(2027, 1, 18)),  # moved since
    }
    rows = unit_sessions(scheduled, date(2027, 1, 1), date(2027, 1, 31), bookings)
    bruno = [r for r in rows if r.plan_id == "b"]
    assert [r.booking is not None for r in bruno] == [True, False]


def test_csv_in_french_and_english(catalog: Catalog) -> None:
    scheduled = [schedule_of(p, catalog.port_rules) for p in unit(catalog)]
    with speaking("fr"):
        rows = unit_sessions(
            scheduled,
            date(2027, 1, 1),
            date(2027, 1, 10),
            {("a", (1, 1, 1)): Booking(time(14, 0), 60, "5")},
        )
        french = b"".join(unit_csv(rows)).decode("utf-8")
    assert french.startswith("\ufeffdate;début;fin;fauteuil;patient;protocole")
    table = list(csv.reader(io.StringIO(french.lstrip("\ufeff")), delimiter=";"))
    assert table[1][:5] == ["2027-01-04", "14:00", "15:00", "5", "J. M."]
    assert table[1][-1] == "prévue"
    english = b"".join(
        unit_csv(unit_sessions(scheduled, date(2027, 1, 1), date(2027, 1, 10)))
    ).decode()
    assert (
        english.splitlines()[0]
        == "\ufeffdate,start,end,chair,patient,regimen,phase,cycle,day,drugs,status"
    )
    assert len(english.splitlines()) == 3


def test_the_unit_read_a_few_plans_at_a_time_is_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    """The unit's export computes its calendars a few hundred plans at a time (a large
    centre's would not fit in memory at once): the file is the one made in one piece."""
    from planner.core.batch import plan_schedules
    from planner.day_hospital.demo import save_demo
    from planner.export import saving
    from planner.store import Store

    at = datetime(2027, 3, 1, 9, tzinfo=UTC)
    with Store.open(tmp_path / "unit.db") as store:
        save_demo(store, catalog, 40, date(2027, 3, 1), at=at)
        settings = store.settings()
        booked = store.bookings()

        def export(schedules: object) -> bytes:
            count, pieces = saving.unit_export(
                schedules,  # type: ignore[arg-type]
                settings=settings,
                first=date(2027, 1, 1),
                last=date(2028, 12, 31),
                kind="ics",
                exported_at=at,
                bookings=booked,
            )
            assert count > 100
            return b"".join(pieces)

        whole = export(plan_schedules(store.plans(), catalog.port_rules))
        monkeypatch.setattr(saving, "UNIT_CHUNK", 7)
        told: list[tuple[int, int]] = []
        chunked = export(
            saving.unit_schedules(
                store, catalog.port_rules, progress=lambda d, t: told.append((d, t))
            )
        )
    assert chunked == whole
    assert told[-1] == (40, 40)
    assert len(told) == 40
