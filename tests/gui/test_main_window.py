"""The preview window: choose a regimen and a start date, read the calendar and port advice."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.closures import ClosureSet
from planner.core.schedule import Policy
from planner.gui.main_window import MainWindow
from planner.i18n import set_language


def make_window(qtbot: QtBot, catalog: Catalog) -> MainWindow:
    window = MainWindow(catalog, today=date(2027, 3, 8))
    qtbot.addWidget(window)
    return window


def test_nothing_selected_invites_a_choice(qtbot: QtBot, catalog: Catalog) -> None:
    window = make_window(qtbot, catalog)
    assert window.schedule is None
    assert "Choose a regimen" in window.title.text()
    assert window.table_model.rowCount() == 0


def test_choosing_a_regimen_shows_its_calendar_and_port_advice(
    qtbot: QtBot, catalog: Catalog
) -> None:
    window = make_window(qtbot, catalog)
    window.select_regimen("pembrolizumab-200-q3w")
    assert window.schedule is not None
    assert len(window.schedule.sessions) == 35
    assert window.table_model.rowCount() == 70  # 35 sessions and their 35 blood tests
    assert window.port.text().startswith("Implantable port: not needed")
    assert window.statusBar().currentMessage() == "35 sessions · 2 dates moved (see Notes)"
    # C2 on Easter Monday 29 March 2027 is shown moved, with the reason.
    notes = window.table_model.data(window.table_model.index(3, 3))
    assert notes == "moved from Mon 29 Mar 2027: Easter Monday (public holiday)"


def test_changing_the_options_replans(qtbot: QtBot, catalog: Catalog) -> None:
    window = make_window(qtbot, catalog)
    window.select_regimen("pembrolizumab-200-q3w")
    window.start.setDate(QDate(2027, 1, 4))
    assert window.schedule is not None
    assert window.schedule.start == date(2027, 1, 4)
    window.policy.setCurrentIndex(window.policy.findData(Policy.REANCHOR))
    assert window.schedule.policy is Policy.REANCHOR
    window.closures.setCurrentIndex(window.closures.findData(ClosureSet.NONE))
    assert window.schedule.closure_set is ClosureSet.NONE
    assert not any(s.moved for s in window.schedule.sessions)


def test_search_filters_the_list(qtbot: QtBot, catalog: Catalog) -> None:
    window = make_window(qtbot, catalog)
    qtbot.keyClicks(window.search, "cetux")
    assert window.regimens.rowCount() == 1
    window.select_regimen("cetuximab-weekly-or-q2w-with-folfiri")
    assert window.port.text().startswith("Implantable port: required")


def test_the_window_speaks_french(qtbot: QtBot, catalog: Catalog) -> None:
    set_language("fr")
    window = make_window(qtbot, catalog)
    window.select_regimen("mfolfox6-q14")
    assert window.port.text().startswith("Chambre implantable : nécessaire")
    assert (
        window.table_model.headerData(
            1, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal
        )
        == "Quoi"
    )
