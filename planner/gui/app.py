"""The desktop application's entry point: language, Qt translations, the window, the unit.

Start-up order matters for how soon the window shows: Qt and the window first, painted at
once; the database layer (SQLAlchemy), the catalogue and the unit's plans are read after
that, off the GUI thread (planner.gui.loading). ``--exit-after-startup`` prints the
milliseconds from the process's start to the painted window (and to the patient list) and
quits: the start-up benchmark uses it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from typing import Any

from planner.i18n import _, set_language, system_language


def process_age_ms() -> float:
    """Milliseconds since this process started (Linux: from /proc; else since import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - _IMPORTED) * 1000


_IMPORTED = time.perf_counter()


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="infusion-planner-gui", description=_("Infusion Planner"))
    parser.add_argument("--db", metavar="PATH", help=_("database file or URL to open"))
    parser.add_argument(
        "--exit-after-startup",
        action="store_true",
        help=_(
            "print the milliseconds until the window is painted and the patients listed, then quit"
        ),
    )
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = _arguments(argv[1:])

    from PySide6.QtCore import QDate, QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
    from PySide6.QtWidgets import QApplication

    from planner.gui.main_window import MainWindow
    from planner.gui.settings import Settings

    app = QApplication(argv[:1])
    app.setApplicationName("infusion-planner")
    settings = Settings()
    language = settings.language or system_language()
    set_language(language)
    app.setApplicationDisplayName(_("Infusion Planner"))
    if language == "fr":
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
        translator = QTranslator(app)
        translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load("qtbase_fr", translations):
            app.installTranslator(translator)
    now = QDate.currentDate()
    today = date(now.year(), now.month(), now.day())
    window = MainWindow(today, settings)
    if settings.window_geometry:
        window.restore_geometry(settings.window_geometry)

    class FirstPaint(QObject):
        """Notices the window's first paint (the start-up figure)."""

        def __init__(self) -> None:
            super().__init__()
            self.painted_ms: float | None = None

        def eventFilter(self, watched: Any, event: Any) -> bool:
            if self.painted_ms is None and event.type() == QEvent.Type.Paint:
                self.painted_ms = process_age_ms()
                window.removeEventFilter(self)
                # --db, else $PLANNER_DATABASE_URL (a shared unit), else the last one opened.
                where = args.db or os.environ.get("PLANNER_DATABASE_URL") or settings.database
                QTimer.singleShot(0, lambda: opener.open(where))
            return False

    from planner.gui.opening import Opener

    opener = Opener(window, today, author=getpass.getuser())
    first_paint = FirstPaint()
    window.installEventFilter(first_paint)
    if args.exit_after_startup:

        def report() -> None:
            print(f"painted: {first_paint.painted_ms:.0f} ms")
            print(f"patients listed: {process_age_ms():.0f} ms")
            app.quit()

        opener.finished.connect(report)
    window.show()
    return app.exec()
