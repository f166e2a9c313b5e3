"""Benchmark of the day hospital's bookings (run with `make bench`; results in bench/README.md).

On the 2,000-patient demo unit with every session booked (about 100 chairs, some 100,000
sessions over two years):

* a day-view change: move one booking of a busy day, then read the day's bookings again
  (target under 50 ms);
* an earliest-start search for a new mFOLFOX6 plan, first 12 weeks (target under 200 ms);
* a 12-week load chart (target under 100 ms);
* booking a whole new two-year plan (pembrolizumab, 35 sessions; target under 100 ms);
* a delay's re-booking: a two-year plan's C3 delayed a week re-anchors the cycles after it,
  whose bookings move to their new days in the same step (target under 100 ms);
* the new-plan dialog's earliest start at which nothing falls before today, for every
  catalogue regimen started today (the slowest; target under 100 ms: it is computed again
  at each change of the dialog);
* the unit's peak-day load when every session is placed automatically, against every
  session of a day starting at opening time (the naive way).

Medians of several rounds; the machines are noisy, so compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from planner.catalog import load_catalog
from planner.core.batch import plan_schedules
from planner.core.booking import Booking
from planner.core.chairs import BookingKey, DayLoad, book_plan
from planner.core.plan_schedule import schedule_of
from planner.day_hospital import bookings
from planner.day_hospital.demo import DEMO_AUTHOR, build_demo
from planner.store import Store

TODAY = date(2027, 3, 1)
AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TARGETS_MS = {
    "day_change": 50,
    "earliest_start": 200,
    "load_12_weeks": 100,
    "book_plan": 100,
    "delay_rebook": 100,
    "start_from_today_slowest": 100,
}


def median_ms(action: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run(patients: int, rounds: int) -> dict[str, object]:
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        unit = build_demo(catalog, patients, TODAY)
        with Store.open(path) as store:
            store.save_settings(unit.settings)
            store.save_resources(unit.resources)
            store.import_plans(unit.plans, author=DEMO_AUTHOR, at=AT)
            schedules = plan_schedules(store.plans(), catalog.port_rules, TODAY)
            t0 = time.perf_counter()
            booked = bookings.book(store, schedules, since=TODAY, author=DEMO_AUTHOR, at=AT)
            book_all_s = time.perf_counter() - t0
            settings, resources = store.settings(), store.resources()
            t1 = time.perf_counter()
            stored = store.bookings()
            t2 = time.perf_counter()
            occupancy = bookings.occupancy(settings, resources, stored)
            t3 = time.perf_counter()
            read_s, adopt_s = t2 - t1, t3 - t2

    loads = occupancy.load(TODAY, TODAY + timedelta(days=729))
    busiest = max(loads, key=lambda d: d.bookings)
    day_bookings = occupancy.on_day(busiest.day)

    # A day-view change: a booking moved to the first other place of its day, and back.
    key, original = day_bookings[len(day_bookings) // 2]
    elsewhere = occupancy.find(busiest.day, original.minutes)
    state = {"moved": False}

    def day_change() -> None:
        target = original if state["moved"] else (elsewhere or original)
        occupancy.move(key, target)
        state["moved"] = not state["moved"]
        occupancy.on_day(busiest.day)

    regimen = catalog.regimen("mfolfox6-q14")

    def earliest() -> None:
        bookings.earliest(occupancy, regimen, settings, catalog.port_rules, TODAY)

    # The same search when the unit is full for its next eight weeks (every chair of every
    # open day taken): the search has to try and refuse some forty days first.
    fillers: list[BookingKey] = []
    day = TODAY
    while day < TODAY + timedelta(weeks=8):
        grid = occupancy.grid(day)
        if grid is not None:
            for chair in resources.chairs:
                while True:
                    place = occupancy.find(day, resources.slot_minutes)
                    if place is None or place.chair != chair.name:
                        break
                    filler = ("filler", (len(fillers), 0, 0))
                    occupancy.add(filler, place)
                    fillers.append(filler)
            while (place := occupancy.find(day, resources.slot_minutes)) is not None:
                filler = ("filler", (len(fillers), 0, 0))
                occupancy.add(filler, place)
                fillers.append(filler)
        day += timedelta(days=1)
    crowded: dict[str, object] = {}

    def earliest_crowded() -> None:
        crowded["options"] = bookings.earliest(
            occupancy, regimen, settings, catalog.port_rules, TODAY
        )

    earliest_crowded_ms = median_ms(earliest_crowded, rounds)
    first_crowded = crowded["options"][0].start if crowded["options"] else None  # type: ignore[index]
    for filler in fillers:
        occupancy.remove(filler)

    def load_12_weeks() -> None:
        occupancy.load(TODAY, TODAY + timedelta(weeks=12) - timedelta(days=1))

    pembro = bookings.trial_plan(catalog.regimen("pembrolizumab-200-q3w"), TODAY, settings)
    sessions = schedule_of(pembro, catalog.port_rules).sessions

    def book_new_plan() -> None:
        result = book_plan(occupancy, "bench-plan", sessions)
        for session_key in result.added:
            occupancy.remove(("bench-plan", session_key))

    # A delay's re-booking: the booked two-year plan with the most sessions, C3 a week later.
    from planner.core.plan import Delay
    from planner.core.schedule import DelayReason
    from planner.core.starting import earliest_start_from_today

    plans = {ps.plan.id: ps for ps in schedules}
    longest = max(
        (ps for ps in schedules if len(occupancy.of_plan(ps.plan.id)) > 20),
        key=lambda ps: len(occupancy.of_plan(ps.plan.id)),
    )
    third = next(s for s in longest.sessions if s.date >= TODAY and s.cycle >= 3)
    delayed = schedule_of(
        longest.plan.with_entry(
            Delay(third.key, third.date + timedelta(days=7), DelayReason.TOXICITY), "b", AT
        ),
        catalog.port_rules,
        TODAY,
    )
    moved: dict[str, int] = {}

    def delay_rebook() -> None:
        done = bookings.rebook(occupancy, [delayed], TODAY, booked_only=True)
        moved["n"] = len(done.before)
        bookings.undo_rebook(occupancy, done)

    delay_rebook_ms = median_ms(delay_rebook, rounds)
    assert plans[longest.plan.id] is longest

    def start_from_today(regimen_id: str) -> None:
        regimen = catalog.regimen(regimen_id)
        earliest_start_from_today(
            lambda day: schedule_of(
                bookings.trial_plan(regimen, day, settings), catalog.port_rules, TODAY
            ),
            TODAY,
            TODAY,
        )

    from_today = {
        regimen_id: median_ms(lambda r=regimen_id: start_from_today(r), rounds)
        for regimen_id in sorted(catalog.entries)
    }
    slowest = max(from_today, key=from_today.__getitem__)

    figures = {
        "patients": patients,
        "chairs": len(resources.chairs),
        "sessions_booked": len(occupancy.bookings),
        "sessions_not_placed": len(booked.unplaced),
        "book_whole_unit_s": round(book_all_s, 2),
        "read_bookings_s": round(read_s, 3),
        "adopt_bookings_s": round(adopt_s, 3),
        "busiest_day": busiest.day.isoformat(),
        "busiest_day_bookings": busiest.bookings,
        "day_change_ms": round(median_ms(day_change, rounds * 5), 2),
        "earliest_start_ms": round(median_ms(earliest, rounds), 1),
        "earliest_start_full_8_weeks_ms": round(earliest_crowded_ms, 1),
        "earliest_start_full_8_weeks_found": str(first_crowded),
        "load_12_weeks_ms": round(median_ms(load_12_weeks, rounds), 1),
        "book_plan_ms": round(median_ms(book_new_plan, rounds), 2),
        "book_plan_sessions": len(sessions),
        "delay_rebook_ms": round(delay_rebook_ms, 1),
        "delay_rebook_bookings_moved": moved["n"],
        "start_from_today_slowest_ms": round(from_today[slowest], 1),
        "start_from_today_slowest": slowest,
        "start_from_today_median_ms": round(statistics.median(from_today.values()), 1),
    }
    assert len(occupancy.bookings) == figures["sessions_booked"], "the rounds left bookings"
    figures.update(peak_comparison(occupancy.bookings, loads, resources.starts_per_slot))
    return figures


def peak_comparison(
    booked: Mapping[BookingKey, Booking], loads: Sequence[DayLoad], nurse_limit: int
) -> dict[str, object]:
    """The busiest day both ways: chairs in use at once, and infusions started at once."""
    per_day = Counter(b.day for b in booked.values())
    starts = Counter((b.day, b.start) for b in booked.values())
    return {
        "naive_peak_chairs": max(per_day.values()),
        "naive_peak_starts": max(per_day.values()),
        "auto_peak_chairs": max(d.peak_chairs for d in loads),
        "auto_peak_starts": max(starts.values()),
        "nurse_start_limit": nurse_limit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures = run(args.patients, args.rounds)
    for name, value in figures.items():
        target = TARGETS_MS.get(name.removesuffix("_ms"))
        suffix = f"  (target < {target} ms)" if target and name.endswith("_ms") else ""
        print(f"{name:24} {value}{suffix}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    missed = [
        name
        for name, target in TARGETS_MS.items()
        if float(figures[f"{name}_ms"]) >= target  # type: ignore[arg-type]
    ]
    if missed:
        raise SystemExit(f"targets missed: {', '.join(missed)}")


if __name__ == "__main__":
    main()
