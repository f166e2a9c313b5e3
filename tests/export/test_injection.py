"""A name or a note holding iCalendar lines cannot add or end an event: the exported file
has exactly the events of the plan, read alike by nine calendar programs."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path

import icalendar

from planner.catalog import Catalog
from planner.core import changes
from planner.core.booking import Booking
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.core.plan_schedule import schedule_of
from planner.core.schedule import DelayReason
from planner.core.settings import UnitSettings
from planner.export.calendar import Detail, ExportOptions, patient_calendar
from tests.export.ics_check import ics_check

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
FORGED = "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Forged\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


def export(catalog: Catalog, patient: Patient, settings: UnitSettings, note: str) -> bytes:
    plan = Plan("p", patient, catalog.regimen("pembrolizumab-200-q3w"), date(2027, 3, 1))
    delayed = changes.apply(
        plan,
        changes.delay(schedule_of(plan, catalog.port_rules), (1, 3, 1), DelayReason.OTHER, days=7),
        author=f"cb{FORGED}",
        at=AT,
        today=date(2027, 3, 1),
        port_rules=catalog.port_rules,
        note=note,
    )
    return patient_calendar(
        schedule_of(delayed, catalog.port_rules),
        settings=settings,
        options=ExportOptions("en", Detail.FULL),
        exported_at=AT,
        bookings={(1, 1, 1): Booking(time(9, 30), 90, f"4{FORGED}")},
        until=date(2027, 9, 30),
    ).content


def test_forged_calendar_lines_in_names_and_notes_are_text(
    catalog: Catalog, tmp_path: Path
) -> None:
    plain = export(
        catalog,
        Patient("p", "Martin", "Jeanne", "H1", "en"),
        UnitSettings(name="HDJ", address="Paris", phone="01 23 45 67 89"),
        "neutropenia",
    )
    forged = export(
        catalog,
        # As an older version kept them, before names were checked.
        Patient("p", f"Martin{FORGED}", f"Jeanne{FORGED}", f"H1{FORGED}", "en"),
        UnitSettings(name=f"HDJ{FORGED}", address=f"Paris{FORGED}", phone="01 23 45 67 89"),
        f"neutropenia{FORGED}BEGIN:VCALENDAR",
    )

    def events(data: bytes) -> list[str]:
        calendar = icalendar.Calendar.from_ical(data)
        return [
            f"{e.get('DTSTART').to_ical()!r} {e.get('SUMMARY')}" for e in calendar.walk("VEVENT")
        ]

    assert events(forged) == events(plain)
    assert b"\r\nSUMMARY:Forged" not in forged

    def structure(data: bytes) -> list[bytes]:
        return [line for line in data.split(b"\r\n") if line.startswith((b"BEGIN:", b"END:"))]

    assert structure(forged) == structure(plain)
    path = tmp_path / "forged.ics"
    path.write_bytes(forged)
    result = subprocess.run(
        [str(ics_check()), "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0, json.dumps(report["files"][0], indent=1)[:3000]
