"""An exception nothing caught while the window runs: a dialog says what happened, that
nothing saved was lost and where the log is, copies the details, and the program goes on.

pytest-qt installs its own ``sys.excepthook`` around each test to fail it on such an
exception; these tests turn that off (``qt_no_exception_capture``) and install the
program's hook instead, as ``planner.gui.app.main`` does around the event loop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from planner import __version__
from planner.gui.dialogs.unexpected_problem import UnexpectedProblemDialog
from planner.gui.excepthook import UnexpectedErrors

pytestmark = [
    pytest.mark.qt_no_exception_capture,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


class Button(QObject):
    clicked = Signal()


def planned_session_moved() -> None:
    """A slot with a fault of ours in it."""
    sessions: dict[str, str] = {}
    sessions["C3 D1"] += " moved"


@pytest.fixture
def errors(qtbot: QtBot, log: Path) -> Iterator[UnexpectedErrors]:
    window = QWidget()
    qtbot.addWidget(window)
    reporter = UnexpectedErrors(window)
    with reporter.installed():
        yield reporter
    if reporter.dialog is not None:
        reporter.dialog.close()


def shown(qtbot: QtBot, errors: UnexpectedErrors) -> UnexpectedProblemDialog:
    qtbot.waitUntil(lambda: errors.dialog is not None)
    dialog: UnexpectedProblemDialog = errors.dialog
    return dialog


def test_a_slot_that_raises_is_told_logged_and_the_program_goes_on(
    qtbot: QtBot, errors: UnexpectedErrors, log: Path
) -> None:
    button = Button()
    button.clicked.connect(planned_session_moved)
    button.clicked.emit()
    dialog = shown(qtbot, errors)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Unexpected problem"
    assert dialog.what.text() == "Infusion Planner met an unexpected problem: KeyError: 'C3 D1'"
    assert dialog.safe.text().startswith("Nothing already saved was lost: each change is saved")
    assert dialog.where.text() == f"The details are in the log file {log}."
    assert dialog.again.text().startswith("If the problem comes back, copy the details")

    text = log.read_text(encoding="utf-8")
    assert "ERROR planner.logbook: unexpected error in the window\nTraceback" in text
    assert 'in planned_session_moved\n    sessions["C3 D1"] += " moved"' in text

    dialog.copy_button.click()
    assert dialog.isVisible()  # copying does not close it
    assert dialog.copied.text() == "The details are copied: paste them into your message."
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"Infusion Planner {__version__}\nPython ")
    assert f"Log: {log}" in copied
    assert "Qt: " in copied
    assert "Language: en" in copied
    assert copied.rstrip().endswith("KeyError: 'C3 D1'")

    dialog.reject()  # Close
    assert errors.dialog is None
    ran: list[str] = []
    QTimer.singleShot(0, lambda: ran.append("still working"))
    qtbot.waitUntil(lambda: ran == ["still working"])


def test_the_dialog_shows_the_message_as_plain_text_on_one_line(
    qtbot: QtBot, errors: UnexpectedErrors
) -> None:
    def raises() -> None:
        raise ValueError("<b>DUPONT</b>\nline two")

    QTimer.singleShot(0, raises)
    dialog = shown(qtbot, errors)
    assert dialog.what.text() == (
        "Infusion Planner met an unexpected problem: ValueError: <b>DUPONT</b>\\nline two"
    )
    assert all(
        label.textFormat() == Qt.TextFormat.PlainText
        for label in (dialog.what, dialog.safe, dialog.where, dialog.again, dialog.copied)
    )


def test_one_dialog_at_a_time_when_the_problem_repeats(
    qtbot: QtBot, errors: UnexpectedErrors, log: Path
) -> None:
    button = Button()
    button.clicked.connect(planned_session_moved)
    button.clicked.emit()
    first = shown(qtbot, errors)
    for _n in range(3):
        button.clicked.emit()
    QCoreApplication.processEvents()  # the problems' turn to be told
    assert errors.dialog is first
    assert len(first.parent().findChildren(UnexpectedProblemDialog)) == 1
    assert log.read_text(encoding="utf-8").count("unexpected error in the window") == 4
    first.reject()
    button.clicked.emit()  # once closed, the next problem is told again
    assert shown(qtbot, errors) is not first


def test_a_dialog_that_fails_is_recorded_and_never_loops(
    qtbot: QtBot, errors: UnexpectedErrors, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[str] = []

    def broken_dialog(self: Any, *_args: object) -> None:
        attempts.append("made")
        raise RuntimeError("no dialog today")

    monkeypatch.setattr(UnexpectedProblemDialog, "__init__", broken_dialog)
    button = Button()
    button.clicked.connect(planned_session_moved)
    button.clicked.emit()
    qtbot.waitUntil(lambda: errors.broken)
    button.clicked.emit()
    QCoreApplication.processEvents()
    assert attempts == ["made"]
    assert errors.dialog is None
    text = log.read_text(encoding="utf-8")
    assert "the dialog of an unexpected problem could not be shown" in text
    assert "RuntimeError: no dialog today" in text
    assert text.count("unexpected error in the window") == 2


def test_a_problem_in_another_thread_is_told_by_the_window(
    qtbot: QtBot, errors: UnexpectedErrors, log: Path
) -> None:
    class Reader(QThread):
        def run(self) -> None:
            raise OSError("the unit's folder went away")

    reader = Reader()
    reader.start()
    dialog = shown(qtbot, errors)
    reader.wait(5000)
    assert dialog.what.text().endswith("OSError: the unit's folder went away")
    assert "in run\n    raise OSError" in log.read_text(encoding="utf-8")
