"""Benchmark of the scheduling engine (run with `make bench`; results in bench/README.md).

1. Two years of every catalogue regimen: median time of one plan over many runs.
2. A unit of 2,000 patients on mixed regimens and start dates: time to plan them all, on one
   core, with the unit's one closure calendar shared (the real case) and with a new
   calendar for every plan (the cold case), and the memory the 2,000 schedules hold.

Times are medians: the machines are noisy, so compare figures taken in one run.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from planner.catalog import load_catalog
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.engine import plan
from planner.core.regimen import Regimen
from planner.core.schedule import Policy

START = date(2027, 1, 4)
TARGET_ONE_PLAN_MS = 1.0
TARGET_UNIT_S = 2.0


def _per_regimen(
    regimens: list[Regimen], calendar: ClosureCalendar, runs: int
) -> dict[str, tuple[float, int]]:
    """Median ms of one two-year plan of each regimen, and its number of sessions.

    The regimens take turns (one plan each per round) so that the machine's drifts in speed
    touch them all alike.
    """
    until = START + relativedelta(years=2)
    sessions = {
        r.id: len(plan(r, START, calendar=calendar, until=until).sessions) for r in regimens
    }
    times: dict[str, list[float]] = {r.id: [] for r in regimens}
    for _ in range(runs):
        for regimen in regimens:
            began = time.perf_counter()
            plan(regimen, START, calendar=calendar, until=until)
            times[regimen.id].append(time.perf_counter() - began)
    return {rid: (statistics.median(ts) * 1000, sessions[rid]) for rid, ts in times.items()}


def _unit(regimens: list[Regimen], patients: int, shared: bool, seed: int) -> float:
    rng = random.Random(seed)
    jobs = [
        (
            rng.choice(regimens),
            START + timedelta(days=rng.randrange(365)),
            rng.choice(list(Policy)),
        )
        for _ in range(patients)
    ]
    unit_calendar = ClosureCalendar(ClosureSet.FR)
    began = time.perf_counter()
    for regimen, start, policy in jobs:
        calendar = unit_calendar if shared else ClosureCalendar(ClosureSet.FR)
        plan(regimen, start, policy=policy, calendar=calendar)
    return time.perf_counter() - began


def _unit_memory(regimens: list[Regimen], patients: int, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    calendar = ClosureCalendar(ClosureSet.FR)
    gc.collect()
    tracemalloc.start()
    schedules = [
        plan(rng.choice(regimens), START + timedelta(days=rng.randrange(365)), calendar=calendar)
        for _ in range(patients)
    ]
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current, sum(len(s.sessions) for s in schedules)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="runs per regimen (default 200)")
    parser.add_argument("--repeat", type=int, default=5, help="repeats of the unit (default 5)")
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    reads = []
    for _round in range(15):  # the window reads the catalogue in its worker, after painting
        began = time.perf_counter()
        catalog = load_catalog()
        reads.append(1000 * (time.perf_counter() - began))
    regimens = list(catalog)
    calendar = ClosureCalendar(ClosureSet.FR)
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.runs} runs each")
    print(
        f"reading the catalogue ({len(regimens)} regimen files, the drug dictionary, the port "
        f"rules): median {statistics.median(reads):.1f} ms of 15"
    )
    print()
    print("| regimen | sessions in 2 years | median per plan (ms) | per session (µs) |")
    print("| --- | ---: | ---: | ---: |")
    per_regimen = {}
    for rid, (ms, sessions) in _per_regimen(regimens, calendar, args.runs).items():
        per_regimen[rid] = {"ms": ms, "sessions": sessions}
        print(f"| {rid} | {sessions} | {ms:.3f} | {1000 * ms / sessions:.1f} |")
    worst = max(per_regimen.values(), key=lambda v: v["ms"])
    overall = statistics.median(v["ms"] for v in per_regimen.values())
    print()
    print(
        f"median over the catalogue: {overall:.3f} ms; slowest regimen: {worst['ms']:.3f} ms "
        f"(target < {TARGET_ONE_PLAN_MS} ms)"
    )

    shared, cold = [], []
    for seed in range(args.repeat):  # alternated, for the same reason as above
        shared.append(_unit(regimens, args.patients, True, seed))
        cold.append(_unit(regimens, args.patients, False, seed))
    memory, sessions = _unit_memory(regimens, args.patients, seed=0)
    print()
    print(
        f"{args.patients} patients, mixed regimens, starts over 2027, both policies, "
        f"{args.repeat} repeats:"
    )
    print(
        f"  unit calendar shared: median {statistics.median(shared):.3f} s "
        f"(min {min(shared):.3f}, max {max(shared):.3f}; target < {TARGET_UNIT_S} s)"
    )
    print(
        f"  new calendar per plan: median {statistics.median(cold):.3f} s "
        f"(min {min(cold):.3f}, max {max(cold):.3f})"
    )
    print(
        f"  memory held by the {args.patients} schedules ({sessions} sessions): "
        f"{memory / 2**20:.1f} MiB ({memory / sessions:.0f} bytes per session)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "python": platform.python_version(),
                    "catalogue_read_ms": reads,
                    "per_regimen_ms": per_regimen,
                    "unit_shared_s": shared,
                    "unit_cold_s": cold,
                    "unit_memory_bytes": memory,
                    "unit_sessions": sessions,
                },
                indent=2,
            )
        )
    ok = worst["ms"] < TARGET_ONE_PLAN_MS and statistics.median(shared) < TARGET_UNIT_S
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
