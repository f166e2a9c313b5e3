"""Opening a unit: its daily copy is made, and a copy can be put back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from planner.gui.loading import load_unit
from planner.gui.main_window import MainWindow
from planner.gui.opening import Opener
from planner.store import Store
from planner.store.backups import backups
from tests.gui.conftest import TODAY
from tests.gui.test_main_window import open_patient


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


# ---------------------------------------------------------------- this computer's port rules

COMPUTER_RULES = """\
format = 1

[[rules]]
level = "required"
when = "continuous-infusion"

[[rules]]
level = "recommended"
when = "class"
classes = ["immunotherapy"]
source = "Protocole du service"
"""


@pytest.fixture
def computer_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This computer's port_rules.toml (in a user data folder of the test's own), not written."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from planner.catalog import CatalogPaths

    path = CatalogPaths.user().port_rules
    path.parent.mkdir(parents=True)
    return path


def open_with_opener(qtbot: QtBot, window: MainWindow, where: Path) -> None:
    opener = Opener(window, TODAY, author="cb")
    with qtbot.waitSignal(opener.finished, timeout=20000):
        opener.open(str(where))
    assert window.unit is not None
    assert window.unit.location == str(where)


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the (not modal) message boxes shown, offscreen without showing them."""
    texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "show", lambda box: texts.append(box.text()))
    return texts


def test_the_computers_port_rules_become_the_units_once_and_it_is_said(
    qtbot: QtBot, window: MainWindow, unit_db: Path, computer_rules: Path, said: list[str]
) -> None:
    computer_rules.write_text(COMPUTER_RULES, encoding="utf-8")
    open_with_opener(qtbot, window, unit_db)
    told = (
        f"This computer's port rules ({computer_rules}) are now the unit's: saved in its "
        "database, they are the same for every coordinator of the unit. The file was renamed "
        "port_rules.imported.toml so that it is not imported again."
    )
    assert said == [told]
    assert not computer_rules.exists()
    assert computer_rules.with_name("port_rules.imported.toml").exists()
    with Store.open(unit_db) as store:
        saved = store.port_rules()
    assert saved is not None
    assert saved[-1].source == "Protocole du service"
    open_patient(window, "Anne")  # pembrolizumab: "not needed" by the shipped rules
    assert "recommended" in window.plan_view.port_label.text()

    # Opened again: nothing more to import, nothing said, the unit keeps its rules.
    said.clear()
    open_with_opener(qtbot, window, unit_db)
    assert said == []
    assert window.unit is not None
    assert window.unit.catalog.port_rules == saved


def test_a_damaged_port_rules_file_is_said_kept_and_the_unit_opens_unchanged(
    qtbot: QtBot, window: MainWindow, unit_db: Path, computer_rules: Path, said: list[str]
) -> None:
    computer_rules.write_text(COMPUTER_RULES.replace("immunotherapy", "immuno"), encoding="utf-8")
    open_with_opener(qtbot, window, unit_db)
    told = (
        f"This computer's port rules ({computer_rules}) were not imported: rules[2].classes[1]: "
        "must be one of chemotherapy, targeted, immunotherapy, supportive, not 'immuno'. The "
        "unit's port rules are unchanged; correct the file (or remove it) and open the unit "
        "again."
    )
    assert said == [told]  # once: not again among the regimen files skipped
    assert computer_rules.read_text(encoding="utf-8") == COMPUTER_RULES.replace(
        "immunotherapy", "immuno"
    )
    with Store.open(unit_db) as store:
        assert store.port_rules() is None
    assert window.unit is not None
    assert window.unit.catalog.port_rules == window.unit.catalog.shipped_port_rules
    assert sorted(p.name for p in window.unit.patients()) == ["MARTIN Anne", "PETIT Bruno"]


def test_the_demo_unit_never_takes_the_computers_port_rules(
    qtbot: QtBot, window: MainWindow, computer_rules: Path
) -> None:
    computer_rules.write_text(COMPUTER_RULES, encoding="utf-8")
    opener = Opener(window, TODAY, author="cb")
    with qtbot.waitSignal(opener.finished, timeout=60000):
        opener.open(None, demo=True)
    assert computer_rules.exists()
    assert window.unit is not None
    assert window.unit.store.port_rules() is None
