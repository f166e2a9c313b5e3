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
