"""Undo and redo never change a patient the coordinator is not looking at.

The promise, whatever the mechanism: Ctrl+Z and Ctrl+Shift+Z (and the menu) act on the
patient on screen, or on the day hospital page's bookings when that page is shown; their
text names the patient. Keys are pressed for real, so this also runs under a real X server
(tests/gui/test_x11.py), where standard keys differ.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

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
