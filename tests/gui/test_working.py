"""Long work off the window's thread: its result, its error, and a cancel that drops
whatever it found; the progress dialog says what the job tells."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from planner.core.optimiser import Cancelled
from planner.gui.working import Tell, run_with_progress


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _shown() -> QProgressDialog | None:
    return next(
        (w for w in QApplication.allWidgets() if isinstance(w, QProgressDialog) and w.isVisible()),
        None,
    )


def test_the_result_comes_back_and_the_dialog_says_how_far(parent: QWidget) -> None:
    said: list[str] = []
    gone = threading.Event()

    def job(tell: Tell, stop: threading.Event) -> int:
        assert threading.current_thread() is not threading.main_thread()
        tell("Placing the days: 1 of 2", 1, 2)
        gone.wait(5)  # until the window has read the dialog
        return 42

    def read() -> None:
        dialog = _shown()
        if dialog is None or dialog.labelText() == "Working…":
            QTimer.singleShot(1, read)
            return
        said.append(f"{dialog.labelText()} {dialog.value()}/{dialog.maximum()}")
        gone.set()

    QTimer.singleShot(0, read)
    outcome = run_with_progress(parent, "Title", "Working…", job)
    assert outcome.result == 42
    assert not outcome.cancelled
    assert outcome.error is None
    assert said == ["Placing the days: 1 of 2 1/2"]
    assert _shown() is None


def test_an_error_is_handed_back(parent: QWidget) -> None:
    def job(tell: Tell, stop: threading.Event) -> None:
        raise ValueError("no chair")

    outcome = run_with_progress(parent, "Title", "Working…", job)
    assert isinstance(outcome.error, ValueError)
    assert outcome.result is None


def test_cancel_asks_the_job_to_stop_and_drops_what_it_found(parent: QWidget) -> None:
    stopped: list[bool] = []

    def job(tell: Tell, stop: threading.Event) -> int:
        stopped.append(stop.wait(10))
        return 1  # finished anyway: the coordinator asked for nothing to change

    def cancel() -> None:
        dialog = _shown()
        if dialog is None:
            QTimer.singleShot(1, cancel)
            return
        button = dialog.findChild(QPushButton)
        assert button is not None
        button.click()
        assert not parent.isEnabled()  # until the job has stopped

    QTimer.singleShot(0, cancel)
    outcome = run_with_progress(parent, "Title", "Working…", job)
    assert stopped == [True]
    assert outcome.cancelled
    assert outcome.result is None
    assert parent.isEnabled()


def test_a_job_that_stops_by_itself_is_cancelled(parent: QWidget) -> None:
    def job(tell: Tell, stop: threading.Event) -> None:
        raise Cancelled

    assert run_with_progress(parent, "Title", "Working…", job).cancelled
