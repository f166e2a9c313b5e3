"""Two coordinators editing one unit at once, on SQLite and on PostgreSQL (`make bench`).

Two processes, each with its own connection, record changes for a few seconds on plans
chosen at random from the same 20 (so that they often meet on the same plan). Each reads
the plan, then records a change against what it read; when the other recorded first, the
store refuses with a Conflict (counted), and the coordinator reads again and decides again.
At the end, every plan's ledger must hold exactly the changes both said were recorded: no
lost update. Reported: changes recorded per second, conflicts detected, lost updates (0).

PostgreSQL runs on a throw-away local server (planner.store.pg_trial), skipped with a word
when none can be started. Medians are not meaningful here: one run of a few seconds each.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import shutil
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from planner.catalog import load_catalog
from planner.core.plan import ConfirmPort
from planner.store import Conflict, Store, StoreError

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
TODAY = date(2027, 1, 1)
PLANS = 20


def setup(where: str) -> list[str]:
    catalog = load_catalog()
    with Store.open(where) as store:
        ids = []
        for n in range(PLANS):
            patient = store.add_patient(f"P{n}", f"H{n}", author="bench", at=AT)
            plan = store.create_plan(
                patient,
                catalog.regimen("nivolumab-240-q2w"),
                date(2027, 1, 4),
                author="bench",
                at=AT,
            )
            ids.append(plan.id)
    return ids


def coordinator(where: str, plan_ids: list[str], seconds: float, seed: int, out: object) -> None:
    catalog = load_catalog()
    rng = random.Random(seed)
    recorded: dict[str, int] = {}
    conflicts = busy = 0
    with Store.open(where) as store:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            plan_id = rng.choice(plan_ids)
            plan = store.plan(plan_id)
            time.sleep(rng.uniform(0, 0.002))  # the coordinator thinks
            try:
                store.record(
                    plan,
                    ConfirmPort(len(plan.ledger) % 2 == 0),
                    author=f"c{seed}",
                    at=AT,
                    today=TODAY,
                    port_rules=catalog.port_rules,
                )
            except Conflict:
                conflicts += 1
                continue
            except StoreError:
                busy += 1  # "database is locked": tried again
                continue
            recorded[plan_id] = recorded.get(plan_id, 0) + 1
    out.put({"recorded": recorded, "conflicts": conflicts, "busy": busy})  # type: ignore[attr-defined]


def run(where: str, seconds: float) -> dict[str, object]:
    plan_ids = setup(where)
    queue: multiprocessing.Queue[dict[str, object]] = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=coordinator, args=(where, plan_ids, seconds, n, queue))
        for n in (1, 2)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    total: dict[str, int] = {}
    for result in results:
        for plan_id, n in result["recorded"].items():  # type: ignore[attr-defined]
            total[plan_id] = total.get(plan_id, 0) + n
    with Store.open(where) as store:
        lost = sum(abs(len(store.plan(p).ledger) - total.get(p, 0)) for p in plan_ids)
    changes = sum(total.values())
    return {
        "changes": changes,
        "changes_per_second": round(changes / seconds, 1),
        "conflicts": sum(int(r["conflicts"]) for r in results),  # type: ignore[call-overload]
        "locked_and_retried": sum(int(r["busy"]) for r in results),  # type: ignore[call-overload]
        "lost_updates": lost,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        figures["sqlite"] = run(str(Path(folder) / "unit.db"), args.seconds)
        from planner.store import pg_trial

        server = Path(tempfile.mkdtemp(prefix="planner-pg-bench-"))  # postgres must reach it
        try:
            url = pg_trial.start(server, fast=False)
        except pg_trial.TrialError as exc:
            figures["postgresql"] = f"skipped: {exc}"
        else:
            try:
                figures["postgresql"] = run(url, args.seconds)
            finally:
                pg_trial.stop(server)
                shutil.rmtree(server, ignore_errors=True)
    for backend, result in figures.items():
        print(f"{backend:11} {result}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    lost = [r for r in figures.values() if isinstance(r, dict) and r["lost_updates"]]
    if lost:
        raise SystemExit("updates were lost")


if __name__ == "__main__":
    main()
