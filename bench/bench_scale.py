"""Benchmark of the program as the unit grows: demo units of 2,000, 8,000 and 20,000 patients.

    python -m bench.bench_scale --json bench/results/scale.json
    python -m bench.bench_scale --sizes 2000,8000            # a quicker run

For each size, in one run (medians; the machines are noisy, so compare figures of one run):

* in the window (one new process per size, the unit opened as the program opens it):
  switching patients (a row selected, the plan view painted; target < 50 ms); a day shown
  on the day hospital page (``show_day`` and its refresh, painted; < 50 ms); the 12-week
  load chart (loads read and painted; < 50 ms); a day-view change in the day grids alone,
  as ``bench_chairs`` measures it (< 50 ms); the earliest start of a new mFOLFOX6 plan
  (< 200 ms); search as you type (``PatientListModel.set_filter`` for each prefix of real
  family names of the unit, per keystroke; < 30 ms); a plan change through the window's
  ``Unit`` as ``flows.plans.apply_change`` does it (a delay recorded with its stored facts,
  the bookings it moved proposed and set again; < 100 ms), each undone afterwards, untimed;
  and the process's memory once the unit is open and once the day hospital page is shown
  (< 300 MB);
* ``python -m planner patients list`` as a whole process (< 1 s);
* ``python -m planner export-unit`` of two years as iCalendar: wall time (< 60 s) and the
  process's peak memory (< 500 MB);
* start-up: ``main.py --exit-after-startup`` until its patient list is filled, against a
  bare PySide6 ``QMainWindow`` painted, new processes taking turns (ratio ≤ 2.5 at 2,000
  patients and ≤ 4 at 20,000; in between, interpolated on the logarithm of the size);
* on a throw-away PostgreSQL server (``planner.store.pg_trial``), the largest size again:
  start-up and the plan change, beside SQLite (skipped, saying why, when no server starts,
  or with ``--no-postgresql``).

The demo units are built once per size and day by ``python -m planner demo`` (20,000
patients: about a minute) and kept in the temporary folder's ``planner-bench-scale``; each
run works on a copy. The growth exponent between two sizes is log(t2/t1) / log(n2/n1): 1 is
linear in the number of patients, 0 independent of it. ``--profile FOLDER`` writes a cProfile
of one more round of each in-window step (``<step>-<size>.prof``).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import itertools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.bench_startup import BARE, ROOT, _figures, as_installed, open_window, switch_times

SIZES = (2000, 8000, 20000)
CACHE = Path(tempfile.gettempdir()) / "planner-bench-scale"
DEMO = [sys.executable, "-m", "planner", "demo", "--patients"]
PG_FOLDER = CACHE / "pg"  # under /tmp: the 'postgres' user must reach it when run as root

# Step: (target, unit, what it is, "max" (figure must stay under) or "ratio").
TARGETS: dict[str, tuple[float, str, str]] = {
    "switch_ms": (50, "ms", "patient switch in the window (painted)"),
    "show_day_ms": (50, "ms", "day shown on the day hospital page (painted)"),
    "load_chart_ms": (50, "ms", "12-week load chart (read and painted)"),
    "day_change_ms": (50, "ms", "day-view change in the day grids (bench_chairs)"),
    "earliest_ms": (200, "ms", "earliest start of a new mFOLFOX6 plan"),
    "keystroke_ms": (30, "ms", "search as you type, per keystroke (set_filter)"),
    "plan_change_ms": (100, "ms", "plan change via Unit (delay, facts, re-booking)"),
    "patients_list_s": (1, "s", "`patients list` process"),
    "export_s": (60, "s", "unit iCalendar export, 2 years (process)"),
    "export_peak_mb": (500, "MB", "  its peak memory"),
    "rss_open_mb": (300, "MB", "window process memory, unit open"),
    "rss_day_mb": (300, "MB", "  after the day hospital page shown"),
    "bare_ms": (math.inf, "ms", "bare PySide6 QMainWindow painted"),
    "painted_ms": (math.inf, "ms", "Infusion Planner painted"),
    "listed_ms": (math.inf, "ms", "Infusion Planner patient list filled"),
    "startup_ratio": (math.nan, "×", "start-up: list filled / bare window"),
}


def ratio_target(patients: int) -> float:
    """2.5 at 2,000 patients, 4 at 20,000, interpolated on the logarithm of the size."""
    share = math.log(patients / 2000) / math.log(10)
    return 2.5 + 1.5 * min(1.0, max(0.0, share))


def met(name: str, value: float, patients: int) -> bool:
    if name == "startup_ratio":
        return value <= ratio_target(patients)
    target = TARGETS[name][0]
    return value <= target if name.startswith(("rss", "export_peak")) else value < target


def growth(t1: float, t2: float, n1: int, n2: int) -> float:
    return math.log(t2 / t1) / math.log(n2 / n1) if t1 > 0 and t2 > 0 else math.nan


def median_times(action: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return times


def rss_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak (MB)."""
    fields = {}
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        name, _sep, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


# ---------------------------------------------------------------------------- the window


def in_window(where: str, today: date, profile: Path | None, label: str) -> dict[str, Any]:
    """Every in-window step, in this (new) process; the figures as a dict."""
    from planner.core.plan import Delay, Revert
    from planner.core.schedule import DelayReason
    from planner.day_hospital import bookings
    from planner.gui.views.load_chart import weeks_from
    from planner.gui.views.unit_view import WEEKS

    def measure(step: str, action: Callable[[], object], rounds: int) -> list[float]:
        times = median_times(action, rounds)
        if profile is not None:
            profiler = cProfile.Profile()
            profiler.runcall(action)
            profiler.dump_stats(profile / f"{step}-{label}.prof")
        return times

    app, window, unit = open_window(where, today)
    out: dict[str, Any] = {}
    out["rss_open_mb"], out["peak_open_mb"] = rss_mb()

    out["switch"] = switch_times(window, 50)
    if profile is not None:
        profiler = cProfile.Profile()
        profiler.runcall(switch_times, window, 10)
        profiler.dump_stats(profile / f"switch-{label}.prof")

    # Search as you type: the prefixes of the unit's most common family names.
    model = window.patients_model
    names = Counter(
        model.summary_at(row).patient.family_name for row in range(model.rowCount())
    ).most_common(3)
    keystrokes: list[float] = []
    for name, _count in names:
        typed = name.casefold()
        for end in range(1, len(typed) + 1):
            keystrokes += measure("keystroke", functools.partial(model.set_filter, typed[:end]), 1)
        model.set_filter("")
    out["keystroke"] = keystrokes
    out["typed"] = [name for name, _count in names]

    # The day hospital page, on the unit's two busiest days in turn.
    occupancy = unit.occupancy
    loads = occupancy.load(today, today + timedelta(days=729))
    busiest = sorted(loads, key=lambda d: d.bookings, reverse=True)[:2]
    out["busiest_day"], out["busiest_bookings"] = busiest[0].day.isoformat(), busiest[0].bookings
    days = [d.day for d in busiest]
    window.show_day(days[0])
    app.processEvents()
    out["rss_day_mb"], out["peak_day_mb"] = rss_mb()
    turn = {"n": 0}

    def show_day() -> None:
        turn["n"] += 1
        window.show_day(days[turn["n"] % 2])  # refreshes the page (day_changed)
        window.unit_view.repaint()

    out["show_day"] = measure("show_day", show_day, 21)
    chart = window.unit_view.chart

    def load_chart() -> None:
        first, last = weeks_from(today, WEEKS)
        chart.set_loads(occupancy.load(first, last), days[0])
        chart.repaint()

    out["load_chart"] = measure("load_chart", load_chart, 21)

    # As bench_chairs: a booking of the busiest day moved, and the day read again.
    key, original = occupancy.on_day(days[0])[len(occupancy.on_day(days[0])) // 2]
    elsewhere = occupancy.find(days[0], original.minutes) or original
    moved = {"yes": False}

    def day_change() -> None:
        occupancy.move(key, original if moved["yes"] else elsewhere)
        moved["yes"] = not moved["yes"]
        occupancy.on_day(days[0])

    out["day_change"] = measure("day_change", day_change, 45)
    if moved["yes"]:
        day_change()

    regimen = unit.catalog.regimen("mfolfox6-q14")
    out["earliest"] = measure(
        "earliest",
        lambda: bookings.earliest(
            occupancy, regimen, unit.settings, unit.catalog.port_rules, today
        ),
        9,
    )

    # A plan change as flows.plans.apply_change records it: the delay (the store writes
    # the plan's facts with it; the window's slots show the plan again), then the bookings
    # it moved proposed and set. Each is undone afterwards, untimed (RecordChange and
    # ChangeBookings backward), so the cached unit stays as built.
    # Recorded from the patients' tab, where a coordinator changes a plan (the day hospital
    # page, if shown, would be drawn again after each change as well).
    window.tabs.setCurrentIndex(0)
    app.processEvents()
    plans = unit.plans_by_id()
    candidates = []
    for plan_id in sorted(plans):
        own = occupancy.of_plan(plan_id)
        coming = sorted(b.day for b in own.values() if b.day is not None and b.day > today)
        if len(coming) >= 6:
            candidates.append(plan_id)
    picked = candidates[:: max(1, len(candidates) // 15)][:15]
    changes: list[float] = []
    for number, plan_id in enumerate(picked):
        plan = unit.plan(plan_id)
        window.select_patient(plan.patient.id)
        app.processEvents()
        ps = unit.schedule(plan)
        booked = unit.own_bookings(ps)
        session = next(s for s in ps.sessions if s.date > today and s.key in booked)
        delay = Delay(session.key, session.date + timedelta(days=7), DelayReason.TOXICITY)

        def change(plan: Any = plan, delay: Delay = delay) -> Any:
            changed = unit.record(unit.plan(plan.id), delay)
            proposal = unit.propose_bookings([unit.schedule(changed)], booked_only=True)
            if proposal.after:
                unit.set_bookings(proposal.after, expected=proposal.before)
            return changed, proposal

        began = time.perf_counter()
        if profile is not None and number == 0:
            profiler = cProfile.Profile()
            changed, proposal = profiler.runcall(change)
            profiler.dump_stats(profile / f"plan_change-{label}.prof")
        else:
            changed, proposal = change()
        changes.append((time.perf_counter() - began) * 1000)
        unit.record(unit.plan(plan_id), Revert(changed.ledger[-1].seq))
        if proposal.after:
            unit.set_bookings(proposal.before, restore=True, expected=proposal.after)
    out["plan_change"] = changes
    unit.store.close()
    window.close()
    return out


# ---------------------------------------------------------------------------- processes


def timed_process(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of a new process (``os.wait4``)."""
    began = time.perf_counter()
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as process:
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        error = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {error.strip()}")
    return wall, usage.ru_maxrss / 1024


def run_figures(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """The ``name: N ms`` lines of a process (as bench_startup reads them)."""
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()[-2000:]}")
    return _figures(done.stdout)


def startup(wheres: list[str], env: dict[str, str], rounds: int) -> dict[str, list[float]]:
    """Bare window and the application on each of ``wheres``, new processes taking turns."""
    bare: list[float] = []
    apps: dict[str, dict[str, list[float]]] = {w: {"painted": [], "listed": []} for w in wheres}
    env = as_installed(env)
    run_figures([sys.executable, "-c", BARE], env)
    for where in wheres:  # first start: bytecode written, the day's copy of the database
        run_figures([sys.executable, "main.py", "--db", where, "--exit-after-startup"], env)
    for _ in range(rounds):
        bare.append(run_figures([sys.executable, "-c", BARE], env)["painted"])
        for where in wheres:
            figures = run_figures(
                [sys.executable, "main.py", "--db", where, "--exit-after-startup"], env
            )
            apps[where]["painted"].append(figures["painted"])
            apps[where]["listed"].append(figures["patients listed"])
    result = {"bare": bare}
    for where in wheres:
        result[f"painted {where}"] = apps[where]["painted"]
        result[f"listed {where}"] = apps[where]["listed"]
    return result


def window_process(
    where: str, today: date, env: dict[str, str], profile: Path | None, label: str
) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.bench_scale", "--window", where, "--today", str(today)]
    command += ["--label", label] + (["--profile", str(profile)] if profile else [])
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"the window process failed: {done.stderr.strip()[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return figures


# ---------------------------------------------------------------------------- demo units


def demo_file(patients: int, today: date) -> Path:
    """The demo unit of ``patients`` built today (built once, then kept)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"demo-{patients}-{today.isoformat()}.db"
    if not path.exists():
        part = path.with_suffix(".part")
        for leftover in CACHE.glob(f"{part.name}*"):
            leftover.unlink()
        print(f"building the demo unit of {patients} patients in {path}…", flush=True)
        subprocess.run(
            [*DEMO, str(patients), "--today", today.isoformat(), "--db", str(part)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        part.rename(path)
    return path


def demo_on_server(patients: int, today: date, env: dict[str, str]) -> str:
    """The demo unit of ``patients`` on the trial PostgreSQL server (built once a day)."""
    from planner.store import pg_trial

    pg_trial.start(PG_FOLDER)
    name = f"scale_{patients}_{today:%Y%m%d}"
    done = CACHE / f"pg-{name}.done"
    if not done.exists():
        pg_trial.drop(PG_FOLDER, name)
        url = pg_trial.create(PG_FOLDER, name)
        print(f"building the demo unit of {patients} patients on {url}…", flush=True)
        subprocess.run(
            [*DEMO, str(patients), "--today", today.isoformat(), "--db", url],
            check=True,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        done.touch()
    return pg_trial.url(PG_FOLDER, name)


# ---------------------------------------------------------------------------- one size


def measure_size(
    patients: int, today: date, rounds: int, folder: Path, profile: Path | None
) -> tuple[dict[str, float], dict[str, Any]]:
    run = folder / str(patients)
    run.mkdir()
    path = run / "unit.db"
    shutil.copyfile(demo_file(patients, today), path)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(run / "config"),
        XDG_DATA_HOME=str(run / "data"),
        PLANNER_LOG_DIR=str(run / "log"),
        LANGUAGE="en",
    )
    print(f"{patients} patients: the window…", flush=True)
    gui = window_process(str(path), today, env, profile, str(patients))
    figures = {
        name: statistics.median(gui[name.removesuffix("_ms")])
        for name in (
            "switch_ms",
            "show_day_ms",
            "load_chart_ms",
            "day_change_ms",
            "earliest_ms",
            "keystroke_ms",
            "plan_change_ms",
        )
    }
    figures["rss_open_mb"], figures["rss_day_mb"] = gui["rss_open_mb"], gui["rss_day_mb"]

    print(f"{patients} patients: patients list, export…", flush=True)
    listing = [
        timed_process([sys.executable, "-m", "planner", "patients", "list", "--db", str(path)], env)
        for _ in range(3)
    ]
    figures["patients_list_s"] = statistics.median(t for t, _ in listing)
    export = [sys.executable, "-m", "planner", "export-unit", "--db", str(path)]
    export += ["--from", str(today), "--to", str(today + timedelta(days=729))]
    export += ["--format", "ics", "--out", str(run / "unit.ics")]
    figures["export_s"], figures["export_peak_mb"] = timed_process(export, env)
    ics_mb = (run / "unit.ics").stat().st_size / 2**20

    print(f"{patients} patients: start-up…", flush=True)
    starts = startup([str(path)], env, rounds)
    figures["bare_ms"] = statistics.median(starts["bare"])
    figures["painted_ms"] = statistics.median(starts[f"painted {path}"])
    figures["listed_ms"] = statistics.median(starts[f"listed {path}"])
    figures["startup_ratio"] = figures["listed_ms"] / figures["bare_ms"]
    raw = {"window": gui, "patients_list_s": listing, "ics_mb": ics_mb, "startup": starts}
    return figures, raw


def postgresql(
    patients: int, today: date, rounds: int, folder: Path, profile: Path | None
) -> dict[str, Any]:
    """Start-up and a plan change on the server, beside the same on SQLite."""
    run = folder / f"pg-{patients}"
    run.mkdir()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(run / "config"),
        XDG_DATA_HOME=str(run / "data"),
        PLANNER_LOG_DIR=str(run / "log"),
        LANGUAGE="en",
    )
    url = demo_on_server(patients, today, env)
    path = run / "unit.db"
    shutil.copyfile(demo_file(patients, today), path)
    print(f"{patients} patients: PostgreSQL beside SQLite…", flush=True)
    starts = startup([str(path), url], env, rounds)
    on_server = window_process(url, today, env, profile, f"pg-{patients}")
    on_file = window_process(str(path), today, env, None, f"sqlite-{patients}")
    return {
        "url": url,
        "bare_ms": statistics.median(starts["bare"]),
        "sqlite_listed_ms": statistics.median(starts[f"listed {path}"]),
        "pg_listed_ms": statistics.median(starts[f"listed {url}"]),
        "sqlite_painted_ms": statistics.median(starts[f"painted {path}"]),
        "pg_painted_ms": statistics.median(starts[f"painted {url}"]),
        "sqlite_plan_change_ms": statistics.median(on_file["plan_change"]),
        "pg_plan_change_ms": statistics.median(on_server["plan_change"]),
        "sqlite_switch_ms": statistics.median(on_file["switch"]),
        "pg_switch_ms": statistics.median(on_server["switch"]),
        "raw": {"startup": starts, "pg_window": on_server, "sqlite_window": on_file},
    }


# ---------------------------------------------------------------------------- report


def table(sizes: list[int], figures: dict[int, dict[str, float]]) -> tuple[str, list[str]]:
    """The one table (markdown) and the targets missed."""
    head = ["step", "target", *(f"{n:,}" for n in sizes)]
    head += [f"exp {a // 1000}k→{b // 1000}k" for a, b in itertools.pairwise(sizes)]
    head.append("met")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    missed = []
    for name, (target, unit, what) in TARGETS.items():
        values = [figures[n][name] for n in sizes]
        if name == "startup_ratio":
            goal = " / ".join(f"≤ {ratio_target(n):.1f}" for n in sizes)
        elif math.isinf(target):
            goal = ""
        else:
            goal = f"{'≤' if unit == 'MB' else '<'} {target:g} {unit}"
        cells = []
        fails = []
        for n, value in zip(sizes, values, strict=True):
            ok = math.isinf(target) or met(name, value, n)
            if not ok:
                fails.append(f"{n:,}")
            digits = 2 if unit in ("s", "×") or value < 10 else 0
            cells.append(f"{value:.{digits}f}{'' if ok else ' ✗'}")
        pairs = itertools.pairwise(zip(sizes, values, strict=True))
        exps = [f"{growth(v1, v2, n1, n2):.2f}" for (n1, v1), (n2, v2) in pairs]
        verdict = (
            "" if math.isinf(target) else ("yes" if not fails else "no at " + ", ".join(fails))
        )
        if fails:
            missed.append(f"{name} at {', '.join(fails)}")
        lines.append("| " + " | ".join([f"{what} ({unit})", goal, *cells, *exps, verdict]) + " |")
    return "\n".join(lines), missed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="e.g. 2000,8000")
    parser.add_argument("--rounds", type=int, default=5, help="start-up rounds (≥ 5)")
    parser.add_argument("--no-postgresql", action="store_true", help="skip the server's part")
    parser.add_argument("--profile", type=Path, help="cProfile each in-window step here")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())  # noqa: DTZ011
    parser.add_argument("--window", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    if args.window:
        print(json.dumps(in_window(args.window, args.today, args.profile, args.label)))
        return 0

    sizes = sorted(int(n) for n in args.sizes.split(","))
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-scale-run-"))
    figures: dict[int, dict[str, float]] = {}
    raw: dict[int, Any] = {}
    for patients in sizes:
        figures[patients], raw[patients] = measure_size(
            patients, args.today, args.rounds, folder, args.profile
        )
    server: dict[str, Any] = {}
    if not args.no_postgresql:
        try:
            server = postgresql(sizes[-1], args.today, args.rounds, folder, args.profile)
        except Exception as exc:  # the server could not start, psycopg missing...
            server = {"skipped": f"{type(exc).__name__}: {exc}"}
    shutil.rmtree(folder, ignore_errors=True)

    text, missed = table(sizes, figures)
    print(f"\nscale, one run on {args.today} (medians; exp: growth exponent between sizes)\n")
    print(text)
    for patients in sizes:
        window = raw[patients]["window"]
        print(
            f"{patients:,}: busiest day {window['busiest_day']} "
            f"({window['busiest_bookings']} bookings); typed {', '.join(window['typed'])}; "
            f"iCalendar {raw[patients]['ics_mb']:.0f} MiB"
        )
    if "skipped" in server:
        print(f"\nPostgreSQL: not measured ({server['skipped']})")
    elif server:
        n = sizes[-1]
        print(f"\nPostgreSQL beside SQLite, {n:,} patients (same run, processes taking turns):\n")
        print("| step | SQLite | PostgreSQL |\n| --- | --- | --- |")
        bare = server["bare_ms"]
        rows = [
            ("painted (ms)", "painted_ms", "{:.0f}"),
            (f"patient list filled (ms; bare window {bare:.0f} ms)", "listed_ms", "{:.0f}"),
            ("plan change (ms)", "plan_change_ms", "{:.1f}"),
            ("patient switch (ms)", "switch_ms", "{:.1f}"),
        ]
        for what, name, form in rows:
            on_file, on_server = server[f"sqlite_{name}"], server[f"pg_{name}"]
            cells = [form.format(on_file), form.format(on_server)]
            if name == "listed_ms":
                cells = [
                    f"{c} ({v / bare:.1f} ×)"
                    for c, v in zip(cells, (on_file, on_server), strict=True)
                ]
            print(f"| {what} | {cells[0]} | {cells[1]} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "today": args.today.isoformat(),
                    "sizes": sizes,
                    "figures": {str(n): figures[n] for n in sizes},
                    "raw": {str(n): raw[n] for n in sizes},
                    "postgresql": server,
                    "missed": missed,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    if missed:
        print(f"\ntargets missed: {'; '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
