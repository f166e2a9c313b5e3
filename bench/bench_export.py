"""Benchmark of the calendar exports (run with `make bench`; results in bench/README.md).

1. One patient's two-year calendar (the catalogue's busiest regimen, weekly paclitaxel, in
   full detail with reminders): target under 50 ms. The same patient's handout (its HTML,
   every session booked, its list's columns fitted to its texts): target under 50 ms.
2. The unit's sessions as iCalendar and CSV, from a demo unit of about 100,000 sessions:
   target under 10 s and under 500 MB peak memory (``tracemalloc``) for the iCalendar file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import timeit
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

from planner.catalog import load_catalog
from planner.core.batch import plan_schedules
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.core.plan_schedule import schedule_of
from planner.core.settings import UnitSettings
from planner.day_hospital.demo import build_demo
from planner.export.calendar import Detail, ExportOptions, patient_calendar
from planner.export.files import write_atomically
from planner.export.handout import handout_html
from planner.export.unit import unit_calendar, unit_csv, unit_sessions

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
PATIENT_TARGET_S = 0.050
UNIT_TARGET_S = 10.0
UNIT_TARGET_MB = 500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=3400)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    catalog = load_catalog()
    settings = UnitSettings(name="Hôpital de jour", address="12 rue de la Santé", phone="01")

    plan = Plan(
        "p",
        Patient("p", "B", "A", "H"),
        catalog.regimen("paclitaxel-weekly-d1-8-15-q28"),
        date(2027, 1, 4),
    )
    scheduled = schedule_of(plan, catalog.port_rules)
    export = lambda: patient_calendar(  # noqa: E731
        scheduled, settings=settings, options=ExportOptions("fr", Detail.FULL), exported_at=AT
    )
    patient = statistics.median(timeit.repeat(export, number=1, repeat=31))
    events = export().events
    print(f"patient export ({events} events, two years): median {patient * 1000:.1f} ms")
    from datetime import time as clock

    from planner.core.booking import Booking

    booked = {s.key: Booking(clock(9, 30), 150 if s.day == 1 else 75) for s in scheduled.sessions}
    handout = lambda: handout_html(  # noqa: E731
        scheduled, settings, lang="fr", today=date(2027, 1, 4), bookings=booked
    )
    handout_s = statistics.median(timeit.repeat(handout, number=1, repeat=31))
    print(f"patient handout HTML (every session booked): median {handout_s * 1000:.1f} ms")

    unit = build_demo(catalog, args.patients, date(2027, 3, 1), seed=1)
    schedules = plan_schedules(unit.plans, catalog.port_rules)
    first, last = date(2026, 1, 1), date(2030, 12, 31)
    rows = unit_sessions(schedules, first, last)
    del unit
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    results = {}

    def write(fmt: str) -> int:
        if fmt == "ics":
            pieces = unit_calendar(rows, settings=settings, exported_at=AT, name="HDJ")
        else:
            pieces = unit_csv(rows)
        return write_atomically(folder / f"unit.{fmt}", pieces)

    for fmt in ("ics", "csv"):
        began = time.perf_counter()
        size = write(fmt)
        took = time.perf_counter() - began
        # Memory in a second pass: tracing every allocation slows the export several times.
        tracemalloc.start()
        write(fmt)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results[fmt] = {"seconds": took, "peak_bytes": peak, "bytes": size}
        print(
            f"unit export {fmt}: {len(rows)} sessions in {took:.2f} s, "
            f"{size / 2**20:.1f} MiB written, peak {peak / 2**20:.1f} MiB traced"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "patient_s": patient,
                    "handout_s": handout_s,
                    "events": events,
                    "sessions": len(rows),
                    **results,
                },
                indent=2,
            )
        )
    ok = (
        patient < PATIENT_TARGET_S
        and handout_s < PATIENT_TARGET_S
        and results["ics"]["seconds"] < UNIT_TARGET_S
        and results["ics"]["peak_bytes"] < UNIT_TARGET_MB * 2**20
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
