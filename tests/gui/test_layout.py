"""The window on the screens hospitals have: it fits 1280×720, and at 1366×768 the plan's
calendar and at least eight rows of its table are in view, warnings shown or not."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
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
