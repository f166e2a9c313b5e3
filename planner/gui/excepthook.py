"""An exception nothing caught while the window runs: recorded, told, and the work goes on.

PySide6 hands an exception raised in a slot or a Qt override to ``sys.excepthook`` and goes
on with the event loop; Python's default printed it on a stderr no coordinator sees. Here it
goes to the log with its traceback, and a dialog (planner.gui.dialogs.unexpected_problem)
says what happened, that nothing saved was lost, and where the log is.

One dialog at a time: an exception raised again while one is open (a timer failing every
second) is only recorded. An exception while the dialog is being made or shown is recorded
and never told by another dialog (no loop), nor are any later ones then. An exception in
another thread (a QThread's ``run``) is told by the GUI thread, where widgets may be made.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, qVersion
from PySide6.QtWidgets import QApplication, QWidget

from planner import logbook
from planner.i18n import language

_log = logging.getLogger(__name__)

LONGEST = 300
"""Characters of the exception's message shown in the dialog (all of it is in the log)."""

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


def problem_line(kind: type[BaseException], value: BaseException) -> str:
    """The exception's kind and message, on one line."""
    try:
        text = logbook.one_line(str(value))
    except Exception:  # an exception whose message cannot be made
        text = ""
    if len(text) > LONGEST:
        text = text[: LONGEST - 1] + "…"
    return f"{kind.__name__}: {text}" if text else kind.__name__


class UnexpectedErrors(QObject):
    """``sys.excepthook`` while installed (:meth:`installed`); ``window``: the dialog's
    parent when no other window is active."""

    _caught = Signal(str, str)
    """(the problem in one line, the report), from whichever thread raised."""

    def __init__(self, window: QWidget | None = None) -> None:
        super().__init__()
        self.window = window
        self.dialog: Any = None
        """The dialog on screen, if any (UnexpectedProblemDialog)."""
        self.broken = False
        """The dialog itself failed: problems are only recorded from then on."""
        self._previous: Hook | None = None
        self._previous_threads: Any = None
        self._in_hook = threading.local()
        import PySide6

        self._qt = {
            "Qt": qVersion(),
            "PySide6": PySide6.__version__,
            "Qt platform": QApplication.platformName(),
        }
        self._caught.connect(self._tell, Qt.ConnectionType.QueuedConnection)

    @contextmanager
    def installed(self) -> Iterator[UnexpectedErrors]:
        """The hook of ``sys.excepthook`` (and of threads') inside the block."""
        self._previous, sys.excepthook = sys.excepthook, self.hook
        self._previous_threads, threading.excepthook = threading.excepthook, self._thread_hook
        try:
            yield self
        finally:
            sys.excepthook, threading.excepthook = self._previous, self._previous_threads

    def hook(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        previous = self._previous or sys.__excepthook__
        if issubclass(kind, (KeyboardInterrupt, SystemExit)) or getattr(
            self._in_hook, "active", False
        ):
            previous(kind, value, tb)
            return
        self._in_hook.active = True
        try:
            logbook.unexpected((kind, value, tb), "in the window")
            report = logbook.report((kind, value, tb), {**self._qt, "Language": language()})
            self._caught.emit(problem_line(kind, value), report)
        except Exception:  # the hook must not fail: Python's own words, at least
            previous(kind, value, tb)
        finally:
            self._in_hook.active = False

    def _thread_hook(self, args: Any) -> None:
        if args.exc_value is None:  # pragma: no cover - threading's own contract
            return
        self.hook(args.exc_type, args.exc_value, args.exc_traceback)

    def _tell(self, problem: str, report: str) -> None:
        """Show the dialog (in the GUI thread), unless one is open or it failed before."""
        if self.dialog is not None or self.broken:
            return
        try:
            from planner.gui.dialogs.unexpected_problem import UnexpectedProblemDialog

            # The main window, which lives as long as the program: a dialog owned by a
            # closed list would go with it, and no later problem would be shown.
            dialog = UnexpectedProblemDialog(problem, report, logbook.active_log(), self.window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(self._on_dialog_finished)
            self.dialog = dialog
            # QDialog.open(), written out: window-modal, returning at once (a bare
            # ".open()" reads as a file opened without its encoding to the portability scan).
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.show()
        except Exception:
            self.broken = True
            self.dialog = None
            _log.exception("the dialog of an unexpected problem could not be shown")

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None
