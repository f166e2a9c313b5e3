"""Exports read by nine real calendar implementations (``tools/ics_check``): one plan of
every regimen class, in both languages and both detail levels, before and after a delay,
and a unit export with timed sessions."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from planner.catalog import Catalog
from planner.core import changes
from planner.core.booking import Booking
from planner.core.patient import Patient
from planner.core.plan import Plan, SuspectProgression
from planner.core.plan_schedule import schedule_of
from planner.core.schedule import DelayReason
from planner.core.settings import UnitSettings
from planner.export.calendar import Detail, ExportOptions, patient_calendar
from planner.export.unit import unit_calendar, unit_sessions
from planner.i18n import speaking
from tests.export.ics_check import ics_check

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
SETTINGS = UnitSettings(
    name="Hôpital de jour d'oncologie; bâtiment B",
    address="12 rue de la Santé, 75014 Paris",
    phone="01 23 45 67 89",
)
CLASSES = {
    "monotherapy": "pembrolizumab-200-q3w",
    "chemotherapy": "carboplatin-paclitaxel-q21",
    "dual-immunotherapy": "ipilimumab-nivolumab-melanoma-cm067",
    "chemo-immunotherapy": "pembrolizumab-pemetrexed-platinum-kn189",
    "pump": "bevacizumab-5mgkg-q2w-with-folfox-or-folfiri",
    "multi-phase-chemo": "ac-q21-then-paclitaxel-weekly-x12",
}
# Both languages and both detail levels, before the delay and after it.
VARIANTS = [
    ("before", "fr", Detail.MINIMAL),
    ("before", "en", Detail.FULL),
    ("after", "fr", Detail.FULL),
    ("after", "en", Detail.MINIMAL),
]


@pytest.fixture(scope="module")
def exports(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("ics")
    files = []
    for label, regimen_id in CLASSES.items():
        plan = Plan(
            f"plan-{label}",
            Patient("p", "Martin", "Jeanne", "H1", "fr"),
            catalog.regimen(regimen_id),
            date(2027, 3, 1),
        )
        before = schedule_of(plan, catalog.port_rules)
        delayed = changes.apply(
            plan,
            changes.delay(before, (1, 3, 1), DelayReason.TOXICITY, days=7),
            author="c",
            at=AT,
            today=date(2027, 3, 1),
            port_rules=catalog.port_rules,
        )
        if plan.regimen.has_immunotherapy:
            delayed = changes.apply(
                delayed,
                SuspectProgression(date(2027, 5, 3), stable_confirmed_by="Dr Moreau"),
                author="c",
                at=AT,
                today=date(2027, 5, 4),
                port_rules=catalog.port_rules,
            )
        state = None
        for when, lang, detail in VARIANTS:
            scheduled = schedule_of(plan if when == "before" else delayed, catalog.port_rules)
            bookings = {(1, 1, 1): Booking(time(9, 30), 90, "4")} if detail is Detail.FULL else {}
            result = patient_calendar(
                scheduled,
                settings=SETTINGS,
                options=ExportOptions(lang, detail),
                exported_at=AT,
                previous=state,
                bookings=bookings,
                until=date(2027, 12, 31),  # ten months: fewer events for the slow clients
            )
            state = result.state
            path = folder / f"{label}-{when}-{lang}-{detail.value}.ics"
            path.write_bytes(result.content)
            files.append(path)
    plans = [
        Plan(
            f"u{n}",
            Patient(f"p{n}", f"Numéro {n}", "Patient", f"H{n}", "fr"),
            catalog.regimen(r),
            date(2027, 3, 1 + n),
        )
        for n, r in enumerate(CLASSES.values())
    ]
    unit_schedules = [schedule_of(p, catalog.port_rules) for p in plans]
    unit_bookings = {
        ("u0", (1, 1, 1)): Booking(time(8, 30), 60, "1"),
        ("u1", (1, 1, 1)): Booking(time(13, 0), 240, "2"),
    }
    with speaking("fr"):
        rows = unit_sessions(unit_schedules, date(2027, 3, 1), date(2027, 6, 30), unit_bookings)
        unit = folder / "unit-fr.ics"
        unit.write_bytes(
            b"".join(unit_calendar(rows, settings=SETTINGS, exported_at=AT, name="HDJ, mars–juin"))
        )
    files.append(unit)
    return files


@pytest.mark.posix_only  # Linux programs; the exports' bytes take no Windows branch
def test_every_export_reads_the_same_in_nine_calendar_programs(exports: list[Path]) -> None:
    checker = ics_check()
    result = subprocess.run(
        [str(checker), "--json", "--jobs", "2", *map(str, exports)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    report = json.loads(result.stdout)
    failures = {
        Path(f["file"]).name: {
            "lint": [i for i in f["lint"]["issues"] if i["severity"] == "error"],
            "failed": f["failed_clients"],
            "agreement": f["agreement"]["problems"][:3],
        }
        for f in report["files"]
        if not f["ok"]
    }
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)
    assert result.returncode == 0
    assert len(report["files"]) == len(exports) == 4 * len(CLASSES) + 1
    # Every client kept every event of every file.
    for checked in report["files"]:
        counts = {c["name"]: c["count"] for c in checked["clients"] if c["count"] is not None}
        assert set(counts.values()) == {checked["lint"]["vevent_blocks"]}, checked["file"]
