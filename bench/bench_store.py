"""Benchmark of the plan store (run with `make bench`; results in bench/README.md).

1. Build the 2,000-patient demo unit and save it (``demo --patients 2000``).
2. Reopen it as the program does at start: open the database (checks and migrations),
   load the 2,000 plans with their ledgers, and recompute every plan's whole calendar
   (sessions, blood tests, pumps, monitoring, imaging, consultations, premedication, port).

Target: under 1 s to load the 2,000 plans and recompute their schedules. Medians of
several rounds; the machines are noisy, so compare figures taken in one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import holidays

from planner.catalog import load_catalog
from planner.core.batch import plan_schedules
from planner.core.engine import plan as plan_sessions
from planner.core.plan import plan_state
from planner.day_hospital.demo import DEMO_AUTHOR, build_demo
from planner.store import Store

TODAY = date(2027, 3, 1)
TARGET_S = 1.0


def reopen(path: Path) -> dict[str, float | int]:
    """One round in this (new) process: open the unit, load it, recompute every calendar.

    The modules are imported first, as the program has imported them by the time it opens
    the unit (the ``holidays`` package's French calendar included: about 0.27 s here, part
    of the program's start-up, measured by the start-up benchmark).
    """
    catalog = load_catalog()
    holidays.country_holidays("FR")
    t0 = time.perf_counter()
    store = Store.open(path)
    t1 = time.perf_counter()
    plans = store.plans()
    t2 = time.perf_counter()
    schedules = plan_schedules(plans, catalog.port_rules, TODAY)
    t3 = time.perf_counter()
    for plan in plans:  # what a list of patients needs: sessions, blood tests, pumps
        plan_sessions(
            plan.regimen,
            plan.start,
            policy=plan.policy,
            calendar=plan.calendar,
            lab_rule=plan.lab_rule,
            adjustments=plan_state(plan).adjustments,
        )
    t4 = time.perf_counter()
    store.close()
    return {
        "open": t1 - t0,
        "load": t2 - t1,
        "compute": t3 - t2,
        "sessions_only": t4 - t3,
        "sessions": sum(len(s.sessions) for s in schedules),
        "events": sum(len(s.events) for s in schedules),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--reopen", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reopen:
        print(json.dumps(reopen(args.reopen)))
        return 0

    catalog = load_catalog()
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    path = folder / "demo.db"

    began = time.perf_counter()
    unit = build_demo(catalog, args.patients, TODAY, seed=1)
    built = time.perf_counter() - began
    began = time.perf_counter()
    with Store.open(path) as store:
        store.save_settings(unit.settings)
        store.import_plans(unit.plans, author=DEMO_AUTHOR, at=datetime.now(UTC))
    saved = time.perf_counter() - began
    entries = sum(len(plan.ledger) for plan in unit.plans)
    del unit  # reopening starts from the database alone, as the program does

    opening, loading, computing, totals, sessions_only = [], [], [], [], []
    sessions = events = 0
    for _ in range(args.rounds):
        # Each round reopens the unit in a new process, as the program does at start: no
        # memory left over from building the demo, no earlier unit to free.
        out = subprocess.run(
            [sys.executable, "-m", "bench.bench_store", "--reopen", str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        round_ = json.loads(out)
        opening.append(round_["open"])
        loading.append(round_["load"])
        computing.append(round_["compute"])
        totals.append(round_["open"] + round_["load"] + round_["compute"])
        sessions_only.append(round_["sessions_only"])
        sessions, events = round_["sessions"], round_["events"]

    size = path.stat().st_size
    print(
        f"demo unit: {args.patients} patients, {entries} ledger entries, "
        f"{size / 2**20:.1f} MiB on disk"
    )
    print(f"  built in {built:.2f} s, saved in one transaction in {saved:.2f} s")
    print(f"reopening, median of {args.rounds} rounds:")
    print(f"  open the database (checks, schema):  {statistics.median(opening):.3f} s")
    print(f"  load {args.patients} plans and ledgers:        {statistics.median(loading):.3f} s")
    print(
        f"  recompute every calendar:            {statistics.median(computing):.3f} s "
        f"({sessions} sessions, {events} events)"
    )
    print(
        f"  of which sessions, blood tests and pumps alone: "
        f"{statistics.median(sessions_only):.3f} s"
    )
    load_and_compute = statistics.median(a + b for a, b in zip(loading, computing, strict=True))
    print(
        f"  load + recompute: {load_and_compute:.3f} s (target < {TARGET_S} s); "
        f"with opening: {statistics.median(totals):.3f} s"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "patients": args.patients,
                    "entries": entries,
                    "bytes": size,
                    "built_s": built,
                    "saved_s": saved,
                    "open_s": opening,
                    "load_s": loading,
                    "compute_s": computing,
                    "sessions": sessions,
                    "events": events,
                    "sessions_only_s": sessions_only,
                },
                indent=2,
            )
        )
    return 0 if load_and_compute < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
