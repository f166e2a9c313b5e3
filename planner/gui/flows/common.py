"""What every flow needs: the clock, a busy cursor, saying where a file went, printing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from planner.gui.desk import Desk
from planner.i18n import _


def now() -> datetime:
    """The moment a change or an export is made (the core takes it as a parameter)."""
    return datetime.now(UTC)


@contextmanager
def busy() -> Iterator[None]:
    """A busy cursor while the block runs (a computation the coordinator waits for)."""
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def written(desk: Desk, path: Path, what: str) -> None:
    """Say where ``what`` was written, and remember the folder for the next file."""
    desk.settings.last_export_folder = str(path.parent)
    desk.statusBar().showMessage(_("{what} written to {path}").format(what=what, path=path), 15000)


def print_html(desk: Desk, html: str, title: str) -> bool:
    """Print ``html`` after the printer dialog; False when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from planner.gui.printing import print_html as print_on

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, desk.widget).exec() != QDialog.DialogCode.Accepted:
        return False
    print_on(html, printer, title=title, name=title)
    desk.statusBar().showMessage(_("{what} sent to the printer").format(what=title), 10000)
    return True
