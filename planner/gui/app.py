"""The desktop application's entry point: language, Qt translations, the window, the unit.

Start-up order matters for how soon the window shows: Qt and the window first, painted at
once; the database layer (SQLAlchemy), the catalogue and the unit's plans are read after
that, off the GUI thread (planner.gui.loading). ``--exit-after-startup`` prints the
milliseconds from the process's start to the painted window (and to the patient list) and
quits: the start-up benchmark uses it.

The log (planner.logbook) is started first, before Qt is imported (its file handler's
modules cost a few milliseconds then, three times more after PySide6's import hook). While
the window runs, an exception nothing caught is recorded and told in a dialog
(planner.gui.excepthook), and the program goes on.

Without a display (Linux, no X11 or Wayland) nothing of Qt's window is started: the program
says so in words, points to the command line and to QT_QPA_PLATFORM=offscreen, and ends with
exit code 2 (planner.gui.display), where Qt would abort.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from typing import Any

from planner import logbook, platform, resources, version_line
from planner.i18n import TranslationMissing, _, language, set_language, system_language

_log = logging.getLogger(__name__)

EXIT_NO_DISPLAY = 2


def process_age_ms() -> float:
    """Milliseconds since this process started (Linux: from /proc; elsewhere since this
    module was imported, which leaves out the interpreter's own start)."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/stat", encoding="ascii") as stat:
                fields = stat.read().rpartition(")")[2].split()
            started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
            return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000
        except (OSError, ValueError, IndexError):
            pass
    return (time.perf_counter() - _IMPORTED) * 1000


_IMPORTED = time.perf_counter()


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="infusion-planner-gui", description=_("Infusion Planner"))
    parser.add_argument("--db", metavar="PATH", help=_("database file or URL to open"))
    parser.add_argument(
        "--version",
        action="version",
        version=version_line(),
        help=_("show the program's version and exit"),
    )
    parser.add_argument(
        "--exit-after-startup",
        action="store_true",
        help=_(
            "print the milliseconds until the window is painted and the patients listed, then quit"
        ),
    )
    return parser.parse_args(list(argv))


def speak(chosen: str) -> str:
    """Speak ``chosen`` from now on, else English; what to tell the user ("" if nothing).

    A missing translation does not stop the program: the language of the screen is a
    preference, and the work can be done in English. But it is said, and in English, since
    the words to say it in French are the ones missing.
    """
    try:
        set_language(chosen)
    except TranslationMissing as exc:
        logbook.told(exc)
        return f"{str(exc)[:1].upper()}{str(exc)[1:]}.\n\nInfusion Planner carries on in English."
    return ""


def speak_qt(app: Any, lang: str) -> Any:
    """Qt's own words in ``lang`` (its standard buttons, the calendar, the print dialog):
    Qt's catalogue ``qtbase_<lang>`` installed on ``app``; the translator, or None when it
    is not found (the buttons then stay in English). Either is said in the log, with the
    folder: a bundle that left Qt's translations out shows there."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{lang}", folder):
        _log.warning("Qt's own translation qtbase_%s was not found in %s", lang, folder)
        return None
    app.installTranslator(translator)
    _log.info("Qt's own translation loaded from %s", translator.filePath())
    return translator


def window_icon() -> Any:
    """The program's icon for its windows, from its PNG sizes (the SVG would load Qt's SVG
    plugin at every start for nothing)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in resources.ICON_SIZES:
        icon.addFile(str(resources.icon_file(size)), QSize(size, size))
    return icon


def say_missing_translation(parent: Any, text: str) -> Any:
    """The window's word about a missing translation (not modal: the window is usable)."""
    from planner.gui.plain import Icon, message_box

    # In English, not through gettext: see speak().
    box = message_box(Icon.Warning, "Translation not found", text, parent)
    box.setModal(False)
    box.show()
    return box


def no_display() -> str:
    """What is said when there is no display, in the user's language: the one chosen in the
    window (its settings need no display) or the system's; in English when that language's
    translation is missing, saying so first."""
    from planner.gui.settings import Settings

    missing = speak(Settings().language or system_language())
    said = _(
        "No display was found, so the window of Infusion Planner cannot open here (neither "
        "DISPLAY nor WAYLAND_DISPLAY is set).\n"
        "The command line works without one: {command}\n"
        "To open the window without a screen (for tests), set {setting}."
    ).format(command="python -m planner --help", setting="QT_QPA_PLATFORM=offscreen")
    return f"{missing}\n\n{said}" if missing else said


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = _arguments(argv[1:])
    logbook.start("window")
    logbook.record_uncaught("while the window started or ended")
    from planner.gui.display import display_missing

    if getattr(sys, "frozen", False) and "wayland" in os.environ.get("QT_QPA_PLATFORM", ""):
        # The bundle has no Wayland plugin (packaging/infusion-planner.spec): Qt would abort.
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    if display_missing(os.environ):  # checked before Qt, which would abort the process
        print(no_display(), file=sys.stderr)
        return EXIT_NO_DISPLAY

    import PySide6
    from PySide6.QtCore import (
        QDate,
        QEvent,
        QLocale,
        QObject,
        QTimer,
        qVersion,
    )
    from PySide6.QtWidgets import QApplication

    from planner.gui.settings import Settings

    app = QApplication(argv[:1])
    app.setApplicationName("infusion-planner")
    app.setWindowIcon(window_icon())
    # Names the installed desktop entry, for the icon and name a Wayland desktop shows.
    app.setDesktopFileName(resources.APP_ID)
    settings = Settings()
    missing_translation = speak(settings.language or system_language())
    app.setApplicationDisplayName(_("Infusion Planner"))
    logbook.note(
        {
            "Qt": qVersion(),
            "PySide6": PySide6.__version__,
            "Qt platform": app.platformName(),
            "language": language(),
        }
    )
    if language() == "fr":  # Qt's own buttons speak French only when the program does
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
        speak_qt(app, "fr")
    now = QDate.currentDate()
    today = date(now.year(), now.month(), now.day())
    # --db, else $PLANNER_DATABASE_URL (a shared unit), else the last one opened: its patient
    # list read while the window is built (planner.gui.loading.EarlyList).
    where = args.db or os.environ.get("PLANNER_DATABASE_URL") or settings.database
    from planner.gui.loading import EarlyList

    early = EarlyList(where, today)
    from planner.gui.main_window import MainWindow  # 40 ms, while the list is read

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
            return False

    from planner.gui.opening import Opener

    opener = Opener(
        window,
        today,
        author=platform.login_name() or "unknown",
        unattended=args.exit_after_startup,
    )
    first_paint = FirstPaint()
    window.installEventFilter(first_paint)
    if args.exit_after_startup:

        def report() -> None:
            if window.unit is None:  # said on standard error by the opener
                app.exit(1)
                return
            try:
                print(f"painted: {first_paint.painted_ms:.0f} ms")
                print(f"patients listed: {listed_ms[0]:.0f} ms")
                print(f"unit open: {process_age_ms():.0f} ms", flush=True)
            except BrokenPipeError:  # read by "| head -1": the reader went away, not an error
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            app.quit()

        listed_ms: list[float] = []

        def listed() -> None:
            if not listed_ms:
                window.patients.repaint()  # on screen, not only in the model
                listed_ms.append(process_age_ms())

        opener.listed.connect(listed)
        opener.finished.connect(report)
    window.show()
    QTimer.singleShot(0, lambda: opener.open(where, early=early))
    if missing_translation:
        say_missing_translation(window, missing_translation)
    from planner.gui.excepthook import UnexpectedErrors

    with UnexpectedErrors(window).installed():
        code = app.exec()
    _log.info("window closed (exit code %d)", code)
    return code
