"""The window paints before the heavy layers are imported (bench/README.md, start-up): a
module-level import slipped into the window's modules costs every start tens of ms."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from planner.gui.main_window import MainWindow
from planner.gui.settings import Settings
from datetime import date
window = MainWindow(date(2027, 3, 1), Settings(QSettings(sys.argv[1], QSettings.Format.IniFormat)))
window.show()
app.processEvents()
# The store's package imports nothing itself; a shared unit's password handling (the
# settings dialog's) is light: the database layer is what must wait.
heavy = ("holidays", "sqlalchemy", "alembic", "icalendar", "planner.core", "planner.store.")
light = ("planner.store.passwords",)
print(json.dumps(sorted({m.split(".")[0] if not m.startswith("planner") else ".".join(
    m.split(".")[:3]) for m in sys.modules if m.startswith(heavy) and m not in light})))
"""


def test_the_window_paints_before_the_core_the_database_and_holidays(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "gui.ini")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []
