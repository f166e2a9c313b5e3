"""What every flow needs: the clock, a busy cursor, saying where a file went, printing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from planner.gui.desk import Desk
from planner.i18n import _, error_text


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


def step_failed(desk: Desk, exc: Exception) -> None:
    """An undo or redo that could not be done: why, and what it means for the coordinator
    (the step has left the stack; it cannot be tried again from there)."""
    from planner.gui.commands import PartlyDone

    if isinstance(exc, PartlyDone):
        text = error_text(exc)
    else:
        text = (
            error_text(exc)
            + "\n\n"
            + _(
                "Nothing was changed, and this change can no longer be undone or redone "
                "from the Edit menu: if it must be, do it by hand."
            )
        )
    desk.statusBar().clearMessage()  # an earlier "Undone: ..." is not what this key did
    desk.show_error(_("Undo or redo could not be done"), text)


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


def give_pages(
    desk: Desk,
    kind: str,
    title: str,
    stem: str,
    html: Callable[[], str],
    csv: Callable[[], Iterable[bytes]],
    path: Path | None,
    *,
    file_name: str | None = None,
) -> Path | bool:
    """Print ``html()``, or write ``html()`` as a landscape PDF or ``csv()`` (pieces of
    bytes) to ``path`` (asked for when None, proposed as ``stem`` and the extension, or
    ``file_name`` with ``{suffix}`` in it); the file written, True when printed, False when
    cancelled or refused (said in words). The nurses' and the pharmacy's lists all go so."""
    from planner.export.files import write_atomically
    from planner.gui.exporting import ask_save_path

    try:
        if kind == "print":
            return print_html(desk, html(), title)
        if path is None:
            suffix = ".csv" if kind == "csv" else ".pdf"
            path = ask_save_path(
                desk.widget,
                title,
                desk.settings.last_export_folder,
                (file_name or "{stem}{suffix}").format(stem=stem, suffix=suffix),
                _("CSV files (*.csv)") if kind == "csv" else _("PDF files (*.pdf)"),
            )
            if path is None:
                return False
        if kind == "csv":
            pieces: Iterable[bytes] = csv()
        else:
            from planner.gui.printing import html_pdf

            pieces = [html_pdf(html(), title=title, name=title, landscape=True)]
        write_atomically(path, pieces)
    except Exception as exc:
        desk.show_error(_("Nothing was written: {what}").format(what=title), error_text(exc))
        return False
    written(desk, path, title)
    return path
