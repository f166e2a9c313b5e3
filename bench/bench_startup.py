"""Benchmark of the desktop application's start and of switching patients (`make bench`).

1. Time from process start to painted window: a bare PySide6 QMainWindow against
   ``main.py --db demo.db --exit-after-startup`` on the 2,000-patient demo unit, in new
   processes taking turns (Qt offscreen). Target: the application at most 2.5 times the
   bare window, measured in the same run. The application also prints when its patient
   list is filled (the unit read and every patient's next session computed, off the GUI
   thread): reported, no target.
2. Switching patients in the main window (the plan, its calendar month and its table
   shown): median over 100 patients. Target: under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2027, 3, 1)
RATIO_TARGET = 2.5
SWITCH_TARGET_MS = 50.0

BARE = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def age_ms():
    with open("/proc/self/stat", encoding="ascii") as stat:
        fields = stat.read().rpartition(")")[2].split()
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
    return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000

app = QApplication(sys.argv[:1])
window = QMainWindow()

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            print(f"painted: {age_ms():.0f} ms")
            QTimer.singleShot(0, app.quit)
        return False

first = FirstPaint()
window.installEventFilter(first)
window.show()
app.exec()
"""


def as_installed(env: dict[str, str]) -> dict[str, str]:
    """``env`` for the processes timed, which read compiled bytecode as an installed program
    does (pip compiles it at install, the Windows bundle carries it): without
    PYTHONDONTWRITEBYTECODE, which a development shell may set, so that the first start of
    each writes it. With it, every start compiled about fifty of the program's modules
    again, 45 ms here, while the bare window's PySide6 was compiled at install."""
    return {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _figures(output: str) -> dict[str, float]:
    figures = {}
    for line in output.splitlines():
        name, sep, value = line.partition(": ")
        if sep and value.endswith(" ms"):
            figures[name] = float(value.removesuffix(" ms"))
    return figures


def _run(command: list[str], env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        command, check=True, capture_output=True, text=True, env=env, cwd=ROOT
    ).stdout
    return _figures(out)


def build_unit(path: Path, patients: int) -> None:
    from planner.catalog import load_catalog
    from planner.day_hospital.demo import DEMO_AUTHOR, build_demo
    from planner.store import Store

    unit = build_demo(load_catalog(), patients, TODAY, seed=1)
    with Store.open(path) as store:
        store.save_settings(unit.settings)
        store.import_plans(unit.plans, author=DEMO_AUTHOR, at=datetime.now(UTC))


def open_window(path: Path | str, today: date = TODAY) -> tuple[Any, Any, Any]:
    """The application, its main window and the unit (``path``: a file or a database URL),
    opened as the program opens them (unit read, patient list filled) and shown."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from planner.day_hospital.loading import load_unit
    from planner.gui.main_window import MainWindow
    from planner.gui.settings import Settings
    from planner.gui.unit import Unit
    from planner.store import Store

    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp(prefix="planner-bench-gui-")
    settings = Settings(QSettings(f"{folder}/gui.ini", QSettings.Format.IniFormat))
    window = MainWindow(today, settings)
    loaded = load_unit(str(path), today)
    unit = Unit(Store.open(path), loaded.catalog, today=today, author="bench")
    window.open_unit(unit, loaded.summaries)
    window.show()
    app.processEvents()
    return app, window, unit


def switch_times(window: Any, count: int) -> list[float]:
    """Milliseconds to show each of ``count`` patients, one after the other (the plan
    view painted, not only computed)."""
    times = []
    step = max(1, window.patients_model.rowCount() // count)
    for row in range(0, step * count, step):
        began = time.perf_counter()
        window.patients.selectRow(row)
        window.plan_view.repaint()  # painted, not only computed
        times.append((time.perf_counter() - began) * 1000)
    return times


def switching(path: Path, count: int) -> list[float]:
    """Milliseconds to show each of ``count`` patients, one after the other."""
    _app, window, unit = open_window(path)
    times = switch_times(window, count)
    unit.store.close()
    window.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--switching", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.switching:
        print(json.dumps(switching(args.switching, 100)))
        return 0

    folder = Path(tempfile.mkdtemp(prefix="planner-bench-start-"))
    path = folder / "demo.db"
    build_unit(path, args.patients)
    env = as_installed(
        dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(folder / "config"))
    )
    bare, painted, listed = [], [], []
    app = [sys.executable, "main.py", "--db", str(path), "--exit-after-startup"]
    _run([sys.executable, "-c", BARE], env)  # first starts: bytecode written, caches
    _run(app, env)
    for _ in range(args.rounds):
        bare.append(_run([sys.executable, "-c", BARE], env)["painted"])
        figures = _run(app, env)
        painted.append(figures["painted"])
        listed.append(figures["patients listed"])
    switch = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.bench_startup", "--switching", str(path)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        ).stdout
    )
    ratio = statistics.median(painted) / statistics.median(bare)
    switch_ms = statistics.median(switch)
    print(f"start-up, median of {args.rounds} rounds (new processes taking turns):")
    print(f"  bare PySide6 QMainWindow painted: {statistics.median(bare):.0f} ms")
    print(
        f"  Infusion Planner painted ({args.patients} patients): "
        f"{statistics.median(painted):.0f} ms — {ratio:.2f} × the bare window "
        f"(target ≤ {RATIO_TARGET})"
    )
    print(f"  its patient list filled: {statistics.median(listed):.0f} ms")
    print(
        f"switching patients, median of {len(switch)}: {switch_ms:.1f} ms "
        f"(max {max(switch):.1f} ms; target < {SWITCH_TARGET_MS:.0f} ms)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"bare_ms": bare, "painted_ms": painted, "listed_ms": listed, "switch_ms": switch},
                indent=2,
            )
        )
    return 0 if ratio <= RATIO_TARGET and switch_ms < SWITCH_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
