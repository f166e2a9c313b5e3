"""Undo and redo never change a patient the coordinator is not looking at.

The promise, whatever the mechanism: Ctrl+Z and Ctrl+Shift+Z (and the menu) act on the
patient on screen, or on the day hospital page's bookings when that page is shown; their
text names the patient. Keys are pressed for real, so this also runs under a real X server
(tests/gui/test_x11.py), where standard keys differ.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from planner.core.plan import Delay
from planner.core.schedule import DelayReason
from planner.gui import flows
from planner.gui.flows import Outcome
from planner.gui.main_window import MainWindow
from planner.store import Store


def show(window: MainWindow, name: str) -> None:
    window.search.setText(name)
    window.patients.selectRow(0)
    ps = window.current_schedule()
    assert ps is not None
    assert name in ps.plan.patient.name


def ledger(unit_db: Path, name: str) -> int:
    with Store.open(unit_db) as store:
        patient = next(p for p in store.patients() if name in p.name)
        return len(store.plans(patient)[0].ledger)


# Offscreen, Qt says it cannot size a shown window to its hints; nothing to do with keys.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    """A key pressed in the window, as the coordinator does (shortcuts need it active)."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window.plan_view.table, key, modifiers)


CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def delay_anne(window: MainWindow) -> None:
    show(window, "Anne")
    delay = Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY)
    assert flows.apply_change(window, delay) is Outcome.SAVED


def test_undo_never_changes_a_patient_not_on_screen(
    qtbot: QtBot, window: MainWindow, unit_db: Path
) -> None:
    delay_anne(window)
    assert ledger(unit_db, "Anne") == 1
    show(window, "Bruno")
    assert not window.act.undo.isEnabled()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    window.act.undo.trigger()
    assert ledger(unit_db, "Anne") == 1  # nothing happened to Anne behind the screen
    assert ledger(unit_db, "Bruno") == 0
    show(window, "Anne")
    assert window.act.undo.isEnabled()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert ledger(unit_db, "Anne") == 2  # the delay, and its undo
    assert window.current_schedule().sessions[1].date != date(2027, 4, 6)  # type: ignore[union-attr]


def test_redo_never_changes_a_patient_not_on_screen(
    qtbot: QtBot, window: MainWindow, unit_db: Path
) -> None:
    delay_anne(window)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert ledger(unit_db, "Anne") == 2
    show(window, "Bruno")
    assert not window.act.redo.isEnabled()
    press(qtbot, window, Qt.Key.Key_Z, CTRL_SHIFT)
    press(qtbot, window, Qt.Key.Key_Y, CTRL)
    assert ledger(unit_db, "Anne") == 2
    show(window, "Anne")
    press(qtbot, window, Qt.Key.Key_Z, CTRL_SHIFT)
    assert ledger(unit_db, "Anne") == 3
    assert window.current_schedule().sessions[1].date == date(2027, 4, 6)  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    press(qtbot, window, Qt.Key.Key_Y, CTRL)  # Ctrl+Y redoes too
    assert ledger(unit_db, "Anne") == 5


def test_undo_and_redo_name_the_patient(qtbot: QtBot, window: MainWindow) -> None:
    delay_anne(window)
    undo = window.act.undo
    assert undo.text().startswith("&Undo Delay")
    assert undo.text().endswith("— MARTIN Anne")
    assert "MARTIN Anne" in undo.toolTip()
    assert undo.iconText() == "Undo"  # the toolbar keeps a short label
    undo.trigger()
    assert window.act.redo.text().endswith("— MARTIN Anne")
    assert window.act.redo.iconText() == "Redo"


def test_the_day_hospital_page_undoes_its_own_moves_only(
    qtbot: QtBot, window: MainWindow, unit_db: Path
) -> None:
    assert flows.book_unit(window)
    window.tabs.setCurrentIndex(1)
    view = window.unit_view
    view.show_day(date(2027, 3, 8))
    block = view.grid.blocks[0]
    after = block.booking.__class__(time(10), block.booking.minutes, "F3", date(2027, 3, 8))
    view.grid.move_requested.emit(block.key, block.booking, after)
    assert "MARTIN Anne" in window.act.undo.text()
    # On the patients page, with Anne's own plan shown, the move is not Ctrl+Z's business.
    window.tabs.setCurrentIndex(0)
    show(window, "Anne")
    assert not window.act.undo.isEnabled()
    window.act.undo.trigger()
    with Store.open(unit_db) as store:
        assert store.bookings()[block.key] == after
    window.tabs.setCurrentIndex(1)
    assert window.act.undo.isEnabled()
    window.act.undo.trigger()
    with Store.open(unit_db) as store:
        assert store.bookings()[block.key] == block.booking


def test_an_undo_that_cannot_be_done_changes_nothing_and_leaves_no_lying_redo(
    qtbot: QtBot, unit_db: Path, catalog: Any, gui_settings: Any
) -> None:
    """Another coordinator stopped Anne's plan after this window delayed it: undoing the
    delay (with its bookings) cannot be done as it was. Nothing is changed, it is said, and
    Redo does not offer to "redo" a delay that was never undone."""
    from planner.core.plan import Stop
    from tests.gui.conftest import open_window

    first = open_window(qtbot, unit_db, catalog, gui_settings, "coordinator")
    other = open_window(qtbot, unit_db, catalog, gui_settings, "ab")
    said: list[str] = []
    first.show_error = lambda title, text: said.append(text)
    show(first, "Anne")
    assert flows.book_plan(first)
    delay = Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY)
    assert flows.apply_change(first, delay) is Outcome.SAVED
    assert other.watch.look_for_changes()
    show(other, "Anne")
    assert flows.apply_change(other, Stop(date(2027, 6, 20), "patient's choice")) is Outcome.SAVED
    first.act.undo.trigger()  # this window has not seen the stop yet
    assert said, "the refusal is said"
    assert ledger(unit_db, "Anne") == 2  # the delay and the stop: no revert recorded
    assert first.watch.look_for_changes()
    show(first, "Anne")
    assert not first.act.redo.isEnabled()
    assert "Delay" not in first.act.undo.text()  # what is left to undo: the booking
    assert first.current_schedule().sessions[1].date == date(2027, 4, 6)
    for window in (first, other):
        window.unit.store.close()


def test_an_undo_refused_is_never_said_done(
    qtbot: QtBot, unit_db: Path, catalog: Any, gui_settings: Any
) -> None:
    """C2 delayed, C3 delayed, C3's delay undone; another coordinator stops the plan, and
    Ctrl+Z on C2's delay is refused. The status bar never says "Undone: Delay C3" (the
    step next to Redo), and the refusal says the change can no longer be undone here."""
    from datetime import timedelta

    from planner.core.plan import Stop
    from tests.gui.conftest import open_window

    first = open_window(qtbot, unit_db, catalog, gui_settings, "coordinator")
    other = open_window(qtbot, unit_db, catalog, gui_settings, "ab")
    said: list[str] = []
    first.show_error = lambda title, text: said.append(text)
    show(first, "Anne")
    delay = Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY)
    assert flows.apply_change(first, delay) is Outcome.SAVED
    third = first.current_schedule().sessions[2].date
    delay = Delay((1, 3, 1), third + timedelta(days=7), DelayReason.TOXICITY)
    assert flows.apply_change(first, delay) is Outcome.SAVED
    first.act.undo.trigger()
    assert first.statusBar().currentMessage().startswith("Undone: Delay")
    assert said == []
    assert other.watch.look_for_changes()
    show(other, "Anne")
    assert flows.apply_change(other, Stop(date(2027, 6, 20), "patient's choice")) is Outcome.SAVED
    first.act.undo.trigger()
    assert len(said) == 1
    assert "can no longer be undone or redone from the Edit menu" in said[0]
    assert first.statusBar().currentMessage() == ""
    # C3's delay, still there to redo; on a plan stopped meanwhile, refused too.
    assert first.act.redo.isEnabled()
    first.act.redo.trigger()
    assert len(said) == 2, said
    assert first.statusBar().currentMessage() == ""
    for window in (first, other):
        window.unit.store.close()


def test_undoing_a_delay_whose_booking_was_moved_since_takes_back_nothing_half(
    qtbot: QtBot, window: MainWindow, unit_db: Path
) -> None:
    """The delay moved Anne's C2 booking to 6 April; then her block was moved on the day's
    grid. Undoing the delay would put back a booking that is no longer there: it is refused
    whole (the delay stays, the booking stays), never half done."""
    said: list[str] = []
    window.show_error = lambda title, text: said.append(text)  # type: ignore[method-assign]
    delay_anne_booked(window)
    key = (window.current_schedule().plan.id, (1, 2, 1))  # type: ignore[union-attr]
    with Store.open(unit_db) as store:
        before = store.bookings()[key]
    after = before.__class__(time(10), before.minutes, "F3", before.day)
    flows.move_booking(window, key, before, after)
    window.tabs.setCurrentIndex(0)
    show(window, "Anne")
    window.act.undo.trigger()
    assert said
    assert ledger(unit_db, "Anne") == 1  # still delayed: no revert
    with Store.open(unit_db) as store:
        assert store.bookings()[key] == after
    assert not window.act.redo.isEnabled()


def delay_anne_booked(window: MainWindow) -> None:
    show(window, "Anne")
    assert flows.book_plan(window)
    delay = Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY)
    assert flows.apply_change(window, delay) is Outcome.SAVED


def test_nothing_acts_on_a_plan_from_the_day_hospital_page(window: MainWindow) -> None:
    """On the day hospital page the patient's plan is not on screen: Ctrl+D (and the other
    plan actions) cannot change it from there."""
    show(window, "Anne")
    session = window.current_schedule().sessions[1]  # type: ignore[union-attr]
    window.plan_view.select_date(session.date)
    assert window.act.delay.isEnabled()
    window.tabs.setCurrentIndex(1)
    for action in (
        window.act.delay,
        window.act.omit,
        window.act.give,
        window.act.stop,
        window.act.progression,
        window.act.export_calendar,
        window.act.print_handout,
        window.act.book_plan,
    ):
        assert not action.isEnabled(), action.text()
    window.tabs.setCurrentIndex(0)
    assert window.act.delay.isEnabled()


def test_a_change_goes_to_the_plan_its_dialog_names(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog names the patient, and its change goes to that patient's plan even if
    another patient is on screen when it is accepted."""
    from PySide6.QtWidgets import QDialog

    from planner.gui.dialogs.change import ChangeDialog

    def accept_after_switching(dialog: ChangeDialog) -> QDialog.DialogCode:
        assert "MARTIN Anne" in dialog.windowTitle()
        dialog.reason.setCurrentIndex(dialog.reason.findData(DelayReason.TOXICITY))
        show(window, "Bruno")  # the list changes under the open dialog
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChangeDialog, "exec", accept_after_switching)
    show(window, "Anne")
    session = window.current_schedule().sessions[1]  # type: ignore[union-attr]
    window.plan_view.select_date(session.date)
    assert flows.change(window, "delay")
    assert ledger(unit_db, "Anne") == 1
    assert ledger(unit_db, "Bruno") == 0
