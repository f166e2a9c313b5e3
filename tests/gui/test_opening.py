"""Opening a unit: its daily copy is made, and a copy can be put back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from planner.gui.loading import load_unit
from planner.gui.main_window import MainWindow
from planner.gui.opening import Opener
from planner.store import Store
from planner.store.backups import backups
from tests.gui.conftest import TODAY


def test_opening_makes_the_days_copy(unit_db: Path) -> None:
    loaded = load_unit(str(unit_db), TODAY, keep_days=14)
    assert loaded.backup_problem == ""
    assert [b.day for b in backups(unit_db)] == [TODAY]


def test_a_copy_that_cannot_be_made_is_said_and_the_unit_opens(unit_db: Path) -> None:
    (unit_db.parent / "backups").write_text("a file where the folder should be")
    loaded = load_unit(str(unit_db), TODAY, keep_days=14)
    assert "daily copy" in loaded.backup_problem
    assert len(loaded.summaries) == 2


def test_restoring_a_daily_copy_reopens_the_unit_as_it_was(
    qtbot: QtBot, window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_unit(str(unit_db), TODAY, keep_days=14)  # today's copy: Anne and Bruno
    assert window.unit is not None
    window.unit.add_patient("Entry", "Wrong", "HN-9")
    opener = Opener(window, TODAY, author="t")
    asked: list[Any] = []

    def choose(*args: Any) -> tuple[str, bool]:
        asked.append(args[3])
        return args[3][0], True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    with qtbot.waitSignal(opener.finished, timeout=20000):
        assert opener.restore_backup()
    assert len(asked[0]) == 1
    assert window.unit is not None
    assert sorted(p.name for p in window.unit.patients()) == ["MARTIN Anne", "PETIT Bruno"]
    assert "the unit as it was is kept in" in window.statusBar().currentMessage()
    kept = next(p for p in (unit_db.parent / "backups").iterdir() if "before-restore" in p.name)
    with Store.open(kept) as store:
        assert "ENTRY Wrong" in {p.name for p in store.patients()}


def first_start(
    qtbot: QtBot,
    where: Path,
    gui_settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    fill: Any,
) -> tuple[MainWindow, list[str]]:
    """Open ``where`` in a new window as on a first start; what was asked, in order (the
    welcome dialog filled by ``fill``, None: cancelled; the demo unit declined)."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    from planner.gui.dialogs.welcome import WelcomeDialog

    asked: list[str] = []

    def welcome(dialog: WelcomeDialog) -> QDialog.DialogCode:
        asked.append("welcome")
        if fill is None:
            return QDialog.DialogCode.Rejected
        fill(dialog)
        assert dialog.ok_button.isEnabled(), dialog.message.text()
        return QDialog.DialogCode.Accepted

    def demo(*args: Any) -> QMessageBox.StandardButton:
        asked.append("demo")
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(WelcomeDialog, "exec", welcome)
    monkeypatch.setattr(QMessageBox, "question", demo)
    window = MainWindow(TODAY, gui_settings)
    qtbot.addWidget(window)
    opener = Opener(window, TODAY, author="t")
    with qtbot.waitSignal(opener.finished, timeout=20000):
        opener.open(str(where))
    return window, asked


def test_a_first_start_asks_for_the_units_contact_before_the_demo(
    qtbot: QtBot, tmp_path: Path, gui_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: Any) -> None:
        dialog.name.setText("HDJ oncologie")
        dialog.address.setPlainText("12 rue de la Santé\n75014 Paris")
        dialog.phone.setText("+33 1 23 45 67 89")

    where = tmp_path / "new.db"
    window, asked = first_start(qtbot, where, gui_settings, monkeypatch, fill)
    assert asked == ["welcome", "demo"]
    assert window.unit is not None
    assert window.unit.settings.phone == "+33 1 23 45 67 89"
    window.unit.store.close()
    with Store.open(where) as store:
        settings = store.settings()
    assert (settings.name, settings.address, settings.phone) == (
        "HDJ oncologie",
        "12 rue de la Santé\n75014 Paris",
        "+33 1 23 45 67 89",
    )


def test_cancelling_the_welcome_leaves_the_unit_usable(
    qtbot: QtBot, tmp_path: Path, gui_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, asked = first_start(qtbot, tmp_path / "new.db", gui_settings, monkeypatch, None)
    assert asked == ["welcome", "demo"]
    assert window.unit is not None
    assert window.unit.settings.phone == ""
    assert window.act.new_plan.isEnabled()
    window.unit.store.close()


def test_a_unit_with_patients_or_a_phone_is_not_asked(
    qtbot: QtBot,
    tmp_path: Path,
    unit_db: Path,
    gui_settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    from planner.core.settings import UnitSettings

    with Store.open(unit_db) as store:  # patients, and no phone
        store.save_settings(replace(store.settings(), phone=""))
    window, asked = first_start(qtbot, unit_db, gui_settings, monkeypatch, None)
    assert asked == []
    assert window.unit is not None
    window.unit.store.close()
    empty = tmp_path / "empty.db"
    with Store.open(empty) as store:  # no patient, a phone (set with 'unit settings')
        store.save_settings(UnitSettings(phone="01 23 45 67 89"))
    window, asked = first_start(qtbot, empty, gui_settings, monkeypatch, None)
    assert asked == ["demo"]
    assert window.unit is not None
    window.unit.store.close()


def test_the_demo_unit_has_its_contact_and_is_not_asked(catalog: Any) -> None:
    from planner.core.settings import is_phone_number
    from planner.demo import build_demo

    settings = build_demo(catalog, 1, TODAY).settings
    assert settings.name
    assert settings.address
    assert is_phone_number(settings.phone)
