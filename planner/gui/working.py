"""Long work off the window's thread, with a progress dialog that can cancel it.

The day optimiser takes about a second a day: booking the unit's coming weeks, placing a
day again or finding how many chairs each weekday needs would freeze the window for a
minute. :func:`run_with_progress` runs such a job in a :class:`Worker` thread while a
window-modal progress dialog says how far it is: the window cannot be changed underneath
(the job reads values handed to it, never the database, whose connection is the window's).
Cancel sets the job's ``stop`` event; the job then raises
:class:`planner.core.optimiser.Cancelled`, and whatever it found is dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from planner.i18n import _

Tell = Callable[[str, int, int], None]
"""What a job says of its progress: the words to show, done and total (0, 0: a busy bar
with no end known)."""

Job = Callable[[Tell, threading.Event], Any]
"""The work: given how to tell its progress and the event that asks it to stop."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a job ended: its ``result``, or cancelled, or failed (``error``)."""

    result: Any = None
    cancelled: bool = False
    error: Exception | None = None


class Worker(QThread):
    """Runs a :data:`Job` (see the module's docstring)."""

    progress = Signal(str, int, int)
    """What the job says, done and total (sent from the worker's thread)."""

    def __init__(self, job: Job, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self.stop = threading.Event()
        self.outcome = Outcome()

    def run(self) -> None:
        from planner.core.optimiser import Cancelled

        try:
            result = self._job(self.progress.emit, self.stop)
        except Cancelled:
            self.outcome = Outcome(cancelled=True)
        except Exception as exc:
            self.outcome = Outcome(error=exc)
        else:
            self.outcome = Outcome(result)


def run_with_progress(parent: QWidget, title: str, first: str, job: Job) -> Outcome:
    """Run ``job`` in a :class:`Worker` while a window-modal progress dialog (titled
    ``title``, saying ``first`` until the job tells more) shows how far it is; returns once
    it has ended. Cancel asks the job to stop: the outcome is then cancelled, even when the
    job had just finished (the coordinator asked for nothing to change)."""
    worker = Worker(job)
    progress = QProgressDialog(first, _("Cancel"), 0, 0, parent)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setMinimumDuration(0)
    progress.setMinimumWidth(progress.fontMetrics().horizontalAdvance("M") * 30)

    def on_progress(text: str, done: int, total: int) -> None:
        if worker.stop.is_set():
            return
        progress.setLabelText(text)
        progress.setMaximum(total)
        progress.setValue(done)

    closed: list[QWidget] = []

    def on_canceled() -> None:
        worker.stop.set()
        # The dialog hides at once; the job stops within a moment (the solver is told at
        # once): the window stays closed to changes until it has.
        if parent.isEnabled():
            parent.setEnabled(False)
            closed.append(parent)

    worker.progress.connect(on_progress)
    progress.canceled.connect(on_canceled)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    progress.show()
    worker.start()
    loop.exec()
    worker.wait()
    cancelled = worker.stop.is_set()
    progress.canceled.disconnect(on_canceled)  # closing the dialog says "canceled" too
    progress.close()
    progress.deleteLater()
    for widget in closed:
        widget.setEnabled(True)
    outcome = worker.outcome
    worker.deleteLater()
    return Outcome(cancelled=True) if cancelled else outcome
