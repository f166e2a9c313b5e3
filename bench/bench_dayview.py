"""Benchmark of showing a day on the day hospital page (busy units).

Opens a demo database in the main window (as ``bench_startup`` does), finds the unit's
busiest day (the most bookings) and times ``window.show_day(day)`` followed by a
synchronous repaint of the window, until the user would see the day: median over
``--rounds`` showings, each after another day was shown (not timed), so that every
showing is a change of day. Target: under 50 ms (RAIL: handle input in under 50 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_dayview DEMO.db [--today D]

The database is copied first: opening a unit may write to it (its daily facts). With
``--profile`` it prints the top of a cProfile of the timed showings instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGET_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 4))
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--size", default="1366x768", help="the window's size, WxH")
    args = parser.parse_args()

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from planner.day_hospital.loading import load_unit
    from planner.gui.main_window import MainWindow
    from planner.gui.settings import Settings
    from planner.gui.unit import Unit
    from planner.store import Store

    folder = Path(tempfile.mkdtemp(prefix="planner-bench-day-"))
    path = folder / "demo.db"
    shutil.copyfile(args.db, path)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = Settings(QSettings(f"{folder}/gui.ini", QSettings.Format.IniFormat))
    window = MainWindow(args.today, settings)
    width, height = (int(n) for n in args.size.split("x"))
    window.resize(width, height)
    loaded = load_unit(str(path), args.today)
    unit = Unit(Store.open(path), loaded.catalog, today=args.today, author="bench")
    window.open_unit(unit, loaded.summaries)
    window.show()
    app.processEvents()

    occupancy = unit.occupancy
    days: dict[date, int] = {}
    for booking in occupancy.bookings.values():
        if booking.day is not None and booking.day >= unit.bookings_from:
            days[booking.day] = days.get(booking.day, 0) + 1
    busiest = max(days, key=lambda d: (days[d], d))
    other = min(days, key=lambda d: (abs((d - busiest).days) or 10_000, d))
    print(f"{args.db.name}: busiest day {busiest} ({days[busiest]} bookings)")
    window.show_day(other)
    app.processEvents()

    def show() -> float:
        window.show_day(other)
        window.repaint()
        began = time.perf_counter()
        window.show_day(busiest)
        window.repaint()  # painted, not only computed
        return (time.perf_counter() - began) * 1000

    first = show()  # the day's patients read from the database, and worded, once
    print(f"first showing of the day (its patients read): {first:.1f} ms")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.rounds):
            show()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    else:
        times = sorted(show() for _ in range(args.rounds))
        median = statistics.median(times)
        print(
            f"show_day + repaint, median of {len(times)}: {median:.1f} ms "
            f"(min {times[0]:.1f}, max {times[-1]:.1f}; target < {TARGET_MS:.0f} ms)"
        )
    unit.store.close()
    window.close()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
