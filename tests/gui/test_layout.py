"""The window on the screens hospitals have: it fits 1280×720, and at 1366×768 the plan's
calendar and at least eight rows of its table are in view, warnings shown or not."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from planner.core.plan import Delay
from planner.core.schedule import DelayReason
from planner.gui import flows
from planner.gui.flows import Outcome
from planner.gui.main_window import MainWindow
from planner.i18n import set_language

# Offscreen, Qt says it cannot size a shown window to its hints; the sizes are still right.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TITLE_AND_TASKBAR = 70
"""What a desktop takes from the screen's height: the window's title bar and a taskbar."""


def open_plan(window: MainWindow) -> None:
    window.search.setText("Bruno")
    window.patients.selectRow(0)
    window.search.clear()


def rows_in_view(window: MainWindow) -> int:
    table = window.plan_view.table
    return table.viewport().height() // table.rowHeight(0)


def with_warnings(window: MainWindow) -> None:
    """Bruno's plan with warnings to show (their list takes room above the calendar): his
    sessions moved to Wednesdays, where the unit opens one hour only, are to book again."""
    from datetime import time

    from planner.core.chairs import UnitResources

    assert window.unit is not None
    hours = UnitResources().hours
    window.unit.save_resources(UnitResources(hours=(*hours[:2], (time(8), time(9)), *hours[3:])))
    window.search.setText("Bruno")
    window.patients.selectRow(0)
    flows.book_plan(window)
    delay = Delay((1, 2, 1), date(2027, 4, 7), DelayReason.PATIENT_REQUEST)
    assert flows.apply_change(window, delay) is Outcome.SAVED
    assert window.plan_view.warnings.count() > 3


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_window_fits_a_1280_by_720_screen(
    qtbot: QtBot, unit_db: Any, catalog: Any, gui_settings: Any, language: str
) -> None:
    from tests.gui.conftest import open_window

    set_language(language)
    other = open_window(qtbot, unit_db, catalog, gui_settings, "cb")
    # Both pages as the coordinator sees them: the plan, and the day hospital's.
    open_plan(other)
    other.tabs.setCurrentIndex(1)
    other.unit_view.show_day(date(2027, 3, 8))
    for page in (0, 1):
        other.tabs.setCurrentIndex(page)
        hint = other.minimumSizeHint()
        assert hint.width() <= 1280, page
        assert hint.height() <= 720 - TITLE_AND_TASKBAR, page
    other.unit.store.close()


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720 - TITLE_AND_TASKBAR)])
def test_the_calendar_and_eight_rows_of_the_table_are_in_view(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    with_warnings(window)
    view = window.plan_view
    qtbot.waitUntil(lambda: view.table.viewport().height() > 0)
    assert view.warnings.isVisible()
    assert window.size().toTuple() == size
    assert view.calendar.isVisible()
    weeks = view.calendar.weeks()
    grid = view.calendar.cell_rect(view.calendar.first_shown())
    big = size == (1366, 768)
    # Short weeks (a small screen) show a day's session beside its number.
    assert grid.height() >= (30 if big else 24), "a week of the calendar is too short to read"
    assert weeks * grid.height() < view.calendar.height()
    assert rows_in_view(window) >= (8 if big else 5)


def test_a_single_warning_takes_a_single_line(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1366, 768)
    window.show()
    with_warnings(window)
    warnings = window.plan_view.warnings
    row = warnings.sizeHintForRow(0)
    assert warnings.height() <= min(warnings.count(), 3) * row + 2 * warnings.frameWidth()


def test_the_legend_folds_and_the_choice_is_kept(window: MainWindow, gui_settings: Any) -> None:
    view = window.plan_view
    assert not view.legend.isVisibleTo(view)  # folded at first
    view.legend_button.click()
    assert view.legend.isVisibleTo(view)
    assert window.settings.legend_shown
    again = MainWindow(window.today, window.settings)
    assert again.plan_view.legend.isVisibleTo(again.plan_view)
    again.deleteLater()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_patient_lists_titles_are_not_cut(
    qtbot: QtBot, unit_db: Any, catalog: Any, gui_settings: Any, language: str
) -> None:
    from tests.gui.conftest import open_window

    set_language(language)
    window = open_window(qtbot, unit_db, catalog, gui_settings, "cb")
    header = window.patients.horizontalHeader()
    for column in range(window.patients_model.columnCount() - 1):
        assert header.sectionSize(column) >= header.sectionSizeFromContents(column).width()
    window.unit.store.close()


def column_in_view(window: MainWindow, column: int) -> bool:
    header = window.patients.horizontalHeader()
    end = header.sectionViewportPosition(column) + header.sectionSize(column)
    return header.sectionViewportPosition(column) >= 0 and end <= window.patients.viewport().width()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("size", [(1366, 768), (1280, 720 - TITLE_AND_TASKBAR)])
def test_the_patient_list_shows_the_next_session_and_the_warnings(
    qtbot: QtBot,
    unit_db: Any,
    catalog: Any,
    gui_settings: Any,
    language: str,
    size: tuple[int, int],
) -> None:
    """What a coordinator looks for in the list, the next session and how many points need
    attention, is in view beside the whole name; the regimen (also on the right, and in its
    tooltip) takes the room left. The next session and the warnings were beyond the list's
    right edge, at both sizes."""
    from planner.gui.models.patient_list import NAME, NEXT, REGIMEN, WARNINGS
    from tests.gui.conftest import open_window

    set_language(language)
    window = open_window(qtbot, unit_db, catalog, gui_settings, "cb")
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    for column in (NAME, NEXT, WARNINGS):
        assert column_in_view(window, column), window.patients_model.headerData(
            column, Qt.Orientation.Horizontal
        )
    header = window.patients.horizontalHeader()
    assert header.sectionSize(NAME) >= window.patients.sizeHintForColumn(NAME)
    assert header.sectionSize(REGIMEN) > 0
    window.unit.store.close()


def test_the_first_patients_of_a_new_unit_have_their_names_whole(
    qtbot: QtBot, tmp_path: Any, catalog: Any, gui_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new unit opens with an empty list, its columns as wide as their titles ("Patient");
    the first patients entered showed as "LEFÈVRE..." until the program was started again."""
    from planner.core.settings import UnitSettings
    from planner.gui.dialogs.new_plan import NewPlanDialog
    from planner.gui.models.patient_list import NAME
    from planner.store import Store
    from tests.gui.conftest import open_window
    from tests.gui.test_flows import answer_new_plan

    path = tmp_path / "new.db"
    with Store.open(path) as store:
        store.save_settings(UnitSettings(name="HDJ", phone="01 23 45 67 89"))
    window = open_window(qtbot, path, catalog, gui_settings, "cb")
    assert window.patients_model.rowCount() == 0

    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.family_name.setText("Lefèvre")
        dialog.patient.given_names.setText("Anne-Marie")
        dialog.patient.hospital_number.setText("IPP2001")
        dialog.select_regimen("pembrolizumab-200-q3w")

    answer_new_plan(monkeypatch, fill)
    assert flows.new_plan(window)
    assert window.patients_model.rowCount() == 1
    header = window.patients.horizontalHeader()
    assert header.sectionSize(NAME) >= window.patients.sizeHintForColumn(NAME)
    window.unit.store.close()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("size", [(1366, 768), (1280, 720 - TITLE_AND_TASKBAR)])
def test_a_sessions_status_and_booked_time_are_in_view(
    qtbot: QtBot,
    unit_db: Any,
    catalog: Any,
    gui_settings: Any,
    language: str,
    size: tuple[int, int],
) -> None:
    """The plan's table: the status (given, or planned with its time and chair) is in view
    whole; the reason, a sentence whole in its tooltip, takes the room left (at 1366×768).
    The status was beyond the table's right edge, the reason cut before it."""
    from planner.gui.models.plan_table import REASON, STATUS
    from tests.gui.conftest import open_window

    set_language(language)
    window = open_window(qtbot, unit_db, catalog, gui_settings, "cb")
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.search.setText("Bruno")  # mFOLFOX6: the longest list of drugs of the two
    window.patients.selectRow(0)
    flows.book_plan(window)
    table = window.plan_view.table
    header = table.horizontalHeader()
    model = window.plan_view.table_model
    booked = [
        r for r in range(model.rowCount()) if ":" in (model.data(model.index(r, STATUS)) or "")
    ]
    assert booked
    end = header.sectionViewportPosition(STATUS) + header.sectionSize(STATUS)
    assert header.sectionViewportPosition(STATUS) >= 0
    assert end <= table.viewport().width()
    assert header.sectionSize(STATUS) >= table.sizeHintForColumn(STATUS)
    assert header.visualIndex(REASON) == model.columnCount() - 1
    if size == (1366, 768):
        assert header.sectionSize(REASON) >= 80
    window.unit.store.close()


def test_a_window_saved_on_a_larger_screen_fits_this_one(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window comes back at the size it was left at: left on a 1366×768 screen and
    opened on 1280×720, it was 1369 pixels wide, its right side out of reach."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    window.resize(1366, 768)
    saved = bytes(window.saveGeometry().data())
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, 1280, 720))
    again = MainWindow(window.today, window.settings)
    qtbot.addWidget(again)
    again.restore_geometry(saved)
    assert again.width() <= 1280
    assert again.height() <= 720
