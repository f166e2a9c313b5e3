"""Two coordinators editing one unit at once, on SQLite and on PostgreSQL (`make bench`).

Two processes, each with its own connection, work for a few seconds on plans chosen at
random from the same 20 (so that they often meet on the same plan), and on one busy day of
four chairs. Half the time a coordinator records a change in a plan: it reads the plan, then
records against what it read. Otherwise it books (or unbooks) a session on the busy day: it
reads the day, picks a chair and a time free in what it read, and books there. When the
other was first, the store refuses with a Conflict (counted), and the coordinator reads
again and decides again. At the end, every plan's ledger must hold exactly the changes both
said were recorded (no lost update), and no chair may hold two patients at once. Reported:
changes and bookings per second, conflicts detected, lost updates and double bookings (0).

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
from datetime import time as clock
from pathlib import Path

from planner.catalog import load_catalog
from planner.core.booking import Booking
from planner.core.plan import ConfirmPort
from planner.store import Conflict, Store, StoreError

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
TODAY = date(2027, 1, 1)
PLANS = 20
DAY = date(2027, 1, 4)
CHAIRS = ("F1", "F2", "F3", "F4")
STARTS = [clock(8 + m // 60, m % 60) for m in range(0, 8 * 60, 30)]
MINUTES = 45


def _overlaps(a: Booking, b: Booking) -> bool:
    return a.chair == b.chair and a.start < b.end and b.start < a.end


def book_step(
    store: Store, plan_ids: list[str], rng: random.Random, who: str, day_check: bool = True
) -> int:
    """Book (or unbook) one session on the busy day as a coordinator would; 1 if saved."""
    seen = store.bookings(DAY, DAY)
    key = (rng.choice(plan_ids), (1, rng.randint(1, 10), 1))
    time.sleep(rng.uniform(0, 0.002))  # the coordinator thinks
    if key in seen:
        store.save_bookings({}, [key], author=who, at=AT, expected={key: seen[key]})
        return 1
    free = [
        Booking(start, MINUTES, chair, DAY)
        for chair in CHAIRS
        for start in STARTS
        if not any(_overlaps(Booking(start, MINUTES, chair, DAY), b) for b in seen.values())
    ]
    if not free:
        return 0
    store.save_bookings(
        {key: rng.choice(free)},
        author=who,
        at=AT,
        expected={key: None},
        days_seen={DAY: seen} if day_check else None,
    )
    return 1


def setup(where: str) -> list[str]:
    catalog = load_catalog()
    with Store.open(where) as store:
        ids = []
        for n in range(PLANS):
            patient = store.add_patient(f"P{n}", "", f"H{n}", author="bench", at=AT)
            plan = store.create_plan(
                patient,
                catalog.regimen("nivolumab-240-q2w"),
                date(2027, 1, 4),
                author="bench",
                at=AT,
            )
            ids.append(plan.id)
    return ids


def coordinator(
    where: str,
    plan_ids: list[str],
    seconds: float,
    seed: int,
    out: multiprocessing.Queue[dict[str, object]],
    day_check: bool,
) -> None:
    catalog = load_catalog()
    rng = random.Random(seed)
    recorded: dict[str, int] = {}
    conflicts = booking_conflicts = busy = booked = 0
    with Store.open(where) as store:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            if rng.random() < 0.5:
                try:
                    booked += book_step(store, plan_ids, rng, f"c{seed}", day_check)
                except Conflict:
                    booking_conflicts += 1
                except StoreError:
                    busy += 1
                continue
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
    out.put(
        {
            "recorded": recorded,
            "conflicts": conflicts,
            "booking_conflicts": booking_conflicts,
            "busy": busy,
            "booked": booked,
        }
    )


def run(where: str, seconds: float, day_check: bool = True) -> dict[str, object]:
    plan_ids = setup(where)
    queue: multiprocessing.Queue[dict[str, object]] = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(
            target=coordinator, args=(where, plan_ids, seconds, n, queue, day_check)
        )
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
        day = list(store.bookings(DAY, DAY).values())
    double = sum(_overlaps(a, b) for n, a in enumerate(day) for b in day[n + 1 :])
    changes = sum(total.values())
    bookings = sum(int(r["booked"]) for r in results)  # type: ignore[call-overload]
    return {
        "changes": changes,
        "changes_per_second": round(changes / seconds, 1),
        "bookings_per_second": round(bookings / seconds, 1),
        "bookings_on_the_busy_day": len(day),
        "plan_conflicts": sum(int(r["conflicts"]) for r in results),  # type: ignore[call-overload]
        "booking_conflicts": sum(int(r["booking_conflicts"]) for r in results),  # type: ignore[call-overload]
        "locked_and_retried": sum(int(r["busy"]) for r in results),  # type: ignore[call-overload]
        "lost_updates": lost,
        "double_booked_chairs": double,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--no-day-check",
        action="store_true",
        help="book without telling the store what was seen of the day (to show what it stops)",
    )
    args = parser.parse_args()
    check = not args.no_day_check
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        figures["sqlite"] = run(str(Path(folder) / "unit.db"), args.seconds, check)
        from planner.store import pg_trial

        server = Path(tempfile.mkdtemp(prefix="planner-pg-bench-"))  # postgres must reach it
        try:
            url = pg_trial.start(server, fast=False)
        except pg_trial.TrialError as exc:
            figures["postgresql"] = f"skipped: {exc}"
        else:
            try:
                figures["postgresql"] = run(url, args.seconds, check)
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
    double = [r for r in figures.values() if isinstance(r, dict) and r["double_booked_chairs"]]
    if double and check:
        raise SystemExit("a chair was booked twice")


if __name__ == "__main__":
    main()
