"""The day optimiser from the window: the unit's coming sessions booked in a worker thread
behind a progress dialog (one undoable command; cancelled, nothing changed), the day shown
placed again, and how many chairs each weekday needs."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from planner.core.booking import Booking
from planner.gui import flows
from planner.gui.main_window import MainWindow
from planner.store import Store

MONDAY = date(2027, 3, 8)


def _bookings(unit_db: Path) -> dict[Any, Booking]:
    with Store.open(unit_db) as store:
        return dict(store.bookings())


def _cancel_when_shown(seen: list[str]) -> None:
    """Click Cancel on the progress dialog as soon as it is on screen (the worker runs)."""

    def look() -> None:
        visible = [
            w for w in QApplication.allWidgets() if isinstance(w, QProgressDialog) and w.isVisible()
        ]
        if not visible:
            QTimer.singleShot(1, look)
            return
        seen.append(visible[0].labelText())
        button = visible[0].findChild(QPushButton)
        assert button is not None
        button.click()

    QTimer.singleShot(0, look)


def test_booking_the_unit_runs_off_the_window_and_is_one_undoable_step(
    window: MainWindow, unit_db: Path
) -> None:
    assert _bookings(unit_db) == {}
    assert flows.book_unit(window, time_limit=0.5)
    booked = _bookings(unit_db)
    # Every coming session of both plans, each day placed by the optimiser.
    assert len(booked) == 47
    assert window.unit is not None
    assert window.unit.occupancy.bookings == booked
    said = window.statusBar().currentMessage()
    assert said.startswith("Book 47 sessions for the unit — ")
    assert said.endswith("days placed by the optimiser")
    # One step on the day hospital page's stack: undone and redone whole.
    window.tabs.setCurrentIndex(1)
    assert window.act.undo.text() == "&Undo Book 47 sessions for the unit"
    window.act.undo.trigger()
    assert _bookings(unit_db) == {}
    assert window.unit.occupancy.bookings == {}
    window.act.redo.trigger()
    assert _bookings(unit_db) == booked
    assert window.unit.occupancy.bookings == booked


def test_cancelling_the_booking_changes_nothing(window: MainWindow, unit_db: Path) -> None:
    seen: list[str] = []
    _cancel_when_shown(seen)
    assert not flows.book_unit(window, time_limit=0.5)
    assert seen  # the progress dialog was on screen, and Cancel clicked
    assert _bookings(unit_db) == {}
    assert window.unit is not None
    assert window.unit.occupancy.bookings == {}
    assert window.isEnabled()  # closed to changes only while the worker stopped
    assert window.statusBar().currentMessage() == "Booking cancelled: nothing was changed."
    assert not window.act.undo.isEnabled()
    window.tabs.setCurrentIndex(1)
    assert window.undoing.stack_for(None).count() == 0


def test_optimising_the_day_shown_is_one_undoable_step(window: MainWindow, unit_db: Path) -> None:
    unit = window.unit
    assert unit is not None
    assert flows.book_unit(window, time_limit=0.5)
    # Both C2s are on Tuesday 30 March (Easter Monday is closed). Bruno's is given him at
    # 8:00; Anne's is not booked (as after a change elsewhere).
    day = date(2027, 3, 30)
    keys = {unit.plan(key[0]).patient.given_names: key for key, _b in unit.occupancy.on_day(day)}
    anne, bruno = keys["Anne"], keys["Bruno"]
    given = Booking(time(8), unit.occupancy.bookings[bruno].minutes, "F2", day)
    unit.set_bookings({anne: None, bruno: given})
    window.tabs.setCurrentIndex(1)
    window.unit_view.show_day(day)
    assert window.act.optimise_day.isEnabled()
    assert window.unit_view.optimise_button.isEnabled()
    window.unit_view.optimise_button.click()
    after = _bookings(unit_db)
    # Bruno keeps his time (a time given costs more than a chair); Anne's session is
    # booked once his ends, on her usual chair: one chair in use at a time.
    assert after[bruno] == given
    assert after[anne] == Booking(time(10, 45), after[anne].minutes, "F1", day)
    figures = unit.occupancy.figures(day)
    assert figures is not None
    assert figures.peak == 1
    assert window.unit_view.figures.full_text().startswith("Peak 1 chair (at least 1)")
    said = window.statusBar().currentMessage()
    assert said.startswith("Optimise Tue 30 Mar 2027 — peak 1 → 1 chairs")
    assert said.endswith("0 bookings given to patients moved")
    assert window.act.undo.text() == "&Undo Optimise Tue 30 Mar 2027"
    window.act.undo.trigger()
    assert anne not in _bookings(unit_db)
    assert _bookings(unit_db)[bruno] == given
    # Placed as well as it can be: said, and nothing pushed.
    window.act.redo.trigger()
    count = window.undoing.stack_for(None).count()
    assert not flows.optimise_day(window, day, time_limit=0.5)
    assert window.statusBar().currentMessage() == (
        "The optimiser found no better placement for Tue 30 Mar 2027: nothing was changed."
    )
    assert window.undoing.stack_for(None).count() == count


def test_a_past_day_is_not_optimised(window: MainWindow, unit_db: Path) -> None:
    window.tabs.setCurrentIndex(1)
    window.unit_view.show_day(date(2027, 2, 22))
    assert not window.act.optimise_day.isEnabled()
    assert not window.unit_view.optimise_button.isEnabled()
    assert not flows.optimise_day(window, date(2027, 2, 22))
    assert window.statusBar().currentMessage() == (
        "Mon 22 Feb 2027 is past: its bookings are not placed again."
    )
    window.unit_view.show_day(MONDAY)
    assert window.act.optimise_day.isEnabled()
    # On the patients page no day is shown: nothing to optimise from the menu.
    window.tabs.setCurrentIndex(0)
    assert not window.act.optimise_day.isEnabled()


def test_optimising_a_day_can_be_cancelled(window: MainWindow, unit_db: Path) -> None:
    assert flows.book_unit(window, time_limit=0.5)
    before = _bookings(unit_db)
    seen: list[str] = []
    _cancel_when_shown(seen)
    assert not flows.optimise_day(window, date(2027, 3, 30), time_limit=0.5)
    assert seen
    assert _bookings(unit_db) == before
    assert window.statusBar().currentMessage() == (
        "Optimising Tue 30 Mar 2027 cancelled: nothing was changed."
    )


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_how_many_chairs_the_weekdays_need(qtbot: QtBot, window: MainWindow) -> None:
    from planner.gui.models.capacity_table import NEEDS_ROLE

    unit_menu = window.menuBar().actions()[4].menu()
    assert isinstance(unit_menu, QMenu)
    assert window.act.chairs_needed in unit_menu.actions()
    assert window.act.optimise_day in unit_menu.actions()
    dialog = flows.chairs_needed(window, time_limit=0.2)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.period() == (date(2027, 3, 1), date(2027, 3, 28))
    assert dialog.unit.text() == (
        "The unit has 7 chairs and beds. 3 nurses are on duty. Each starts 2 infusions per slot."
    )
    assert dialog.model.rowCount() == 0
    assert dialog.count()
    # Anne from Monday 8 March, Bruno from Monday 15 March: only Mondays have sessions in
    # these four weeks (their next, on Easter Monday, move to Tuesday 30 March): one chair
    # and one nurse enough.
    model = dialog.model
    assert model.rowCount() == 1
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row == ["Monday", "2", "1", "1", "1", "1", "Mon 8 Mar 2027"]
    assert model.data(model.index(0, 0), NEEDS_ROLE).weekday == 0
    assert dialog.chart.needs == model.needs()
    assert dialog.chart.chairs == 7
    assert dialog.outcome.text().startswith("From Mon 1 Mar 2027 to Sun 28 Mar 2027")
    # A period backwards is said, and the table keeps what it showed.
    dialog.last.setDate(dialog.first.date().addDays(-1))
    assert not dialog.count()
    assert dialog.outcome.text() == "The end of the period is before its start."
    assert model.rowCount() == 1
