"""The patient's documents from the window: refused, before any question, while the unit
has no telephone number, with the place to enter it; nothing written or remembered."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrintDialog
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.gui import flows
from planner.gui.exporting import CalendarExportDialog
from planner.gui.flows.documents import where_to_enter_phone
from planner.gui.main_window import MainWindow
from planner.i18n import set_language
from planner.store import Store
from tests.gui.conftest import open_window

pytestmark = pytest.mark.usefixtures("qtbot")


def without_phone(window: MainWindow) -> list[tuple[str, str]]:
    """The unit loses its telephone number; the errors the window shows, collected."""
    assert window.unit is not None
    window.unit.save_settings(dataclasses.replace(window.unit.settings, phone=" "))
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    window.search.setText("Anne")
    window.patients.selectRow(0)
    return shown


def never(*args: Any) -> Any:
    raise AssertionError("no question is asked before the refusal")


def test_no_calendar_nor_handout_without_the_units_phone(
    window: MainWindow, unit_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = without_phone(window)
    monkeypatch.setattr(CalendarExportDialog, "exec", never)
    monkeypatch.setattr(QPrintDialog, "exec", never)
    out = tmp_path / "out"
    out.mkdir()
    assert flows.export_calendar(window, out / "anne.ics") is None
    assert flows.save_handout(window, out / "anne.pdf") is None
    assert flows.print_handout(window) is False
    assert list(out.iterdir()) == []
    place = (
        "The unit's telephone number is missing, and a patient's calendar or handout must "
        "give the number to call. Enter it in File › Unit settings (Ctrl+,), tab Unit, then "
        "try again.\n\nNothing was written."
    )
    assert shown == [("The unit's telephone number is missing", place)] * 3
    ps = window.current_schedule()
    assert ps is not None
    with Store.open(unit_db) as store:
        assert store.calendar_state(ps.plan.id) == {}  # nothing remembered as exported
        assert store.settings().name == "Hôpital de jour d'oncologie"  # nothing else changed


def test_the_place_is_named_in_french(
    qtbot: QtBot, unit_db: Path, catalog: Catalog, gui_settings: object
) -> None:
    set_language("fr")
    window = open_window(qtbot, unit_db, catalog, gui_settings, "coordinator")
    try:
        place = "Fichier › Paramètres du service (Ctrl+,), onglet «\u00a0Service\u00a0»"
        assert f"Saisissez-le dans {place}" in where_to_enter_phone(window)
    finally:
        window.unit.store.close()
