"""Opening a unit: its daily copy is made, and a copy can be put back."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from planner.day_hospital.loading import load_unit
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


def first_start(
    qtbot: QtBot,
    where: Path,
    gui_settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    fill: Any,
) -> tuple[MainWindow, list[str]]:
    """Open ``where`` in a new window as on a first start; what was asked, in order (the
    welcome dialog filled by ``fill``, None: cancelled; the demo unit declined)."""
    from PySide6.QtWidgets import QDialog

    from planner.gui.dialogs.welcome import WelcomeDialog

    asked: list[str] = []

    def welcome(dialog: WelcomeDialog) -> QDialog.DialogCode:
        asked.append("welcome")
        if fill is None:
            return QDialog.DialogCode.Rejected
        fill(dialog)
        assert dialog.ok_button.isEnabled(), dialog.message.text()
        return QDialog.DialogCode.Accepted

    def demo(*args: Any) -> bool:
        asked.append("demo")
        return False

    monkeypatch.setattr(WelcomeDialog, "exec", welcome)
    monkeypatch.setattr("planner.gui.opening.ask", demo)
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
    from planner.day_hospital.demo import build_demo

    settings = build_demo(catalog, 1, TODAY).settings
    assert settings.name
    assert settings.address
    assert is_phone_number(settings.phone)


# ---------------------------------------------------------------- an incomplete installation


@pytest.mark.parametrize("demo", [False, True])
def test_regimen_files_not_found_are_said_and_no_unit_opens_with_an_empty_catalogue(
    qtbot: QtBot,
    tmp_path: Path,
    gui_settings: Any,
    installed: Path,
    monkeypatch: pytest.MonkeyPatch,
    demo: bool,
) -> None:
    from planner.gui.dialogs.welcome import WelcomeDialog

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "planner.gui.opening.fail", lambda parent, title, text: shown.append((title, text))
    )

    def welcome(dialog: WelcomeDialog) -> int:
        shown.append(("welcome", ""))
        return 0

    # A new unit opened with an empty catalogue would be welcomed: noted, not waited for.
    monkeypatch.setattr(WelcomeDialog, "exec", welcome)
    monkeypatch.setattr("planner.gui.opening.ask", lambda *args: False)
    shutil.rmtree(installed / "regimens")
    window = MainWindow(TODAY, gui_settings)
    qtbot.addWidget(window)
    opener = Opener(window, TODAY, author="t")
    where = tmp_path / "new.db"
    with qtbot.waitSignal(opener.finished, timeout=20000):
        opener.open(None if demo else str(where), demo=demo)
    assert shown == [
        (
            "Infusion Planner is not installed correctly",
            f"The regimen files were not found: the folder {installed / 'regimens'} does not "
            "exist; the installation of Infusion Planner is incomplete or damaged: reinstall "
            "it, or ask whoever installed it.",
        )
    ]
    assert window.unit is None
    assert window.patients_model.rowCount() == 0
    assert window.statusBar().currentMessage() == "No unit open"
    assert not where.exists()


# ---------------------------------------------------------------- the list before the unit


def test_the_list_shows_before_the_unit_is_open_and_a_patient_chosen_meanwhile_opens(
    qtbot: QtBot, unit_db: Path, gui_settings: Any
) -> None:
    """At start-up the list is read straight from the file (planner.store.quick); once the
    unit is open the same list stays, and the patient clicked meanwhile is shown."""
    load_unit(str(unit_db), TODAY)  # a first opening: the facts and the shipped rules' digest
    window = MainWindow(TODAY, gui_settings)
    qtbot.addWidget(window)
    opener = Opener(window, TODAY, author="t", unattended=True)
    early: list[tuple[int, bool]] = []
    opener.listed.connect(
        lambda: early.append((window.patients_model.rowCount(), window.unit is None))
    )
    with qtbot.waitSignal(opener.finished, timeout=20000):
        opener.open(str(unit_db))
    assert early == [(2, True), (2, False)]  # listed before the unit, then with it
    assert window.unit is not None

    # Chosen in the early list, before the unit is open: shown once it is.
    summaries = window.patients_model.summaries()
    other = MainWindow(TODAY, gui_settings)
    qtbot.addWidget(other)
    other.show_early_list(summaries)
    assert other.statusBar().currentMessage() == "2 patients — opening the unit…"
    other.patients.selectRow(1)
    assert other.current_schedule() is None  # nothing to show yet
    other.open_unit(window.unit, summaries)
    shown = other.current_schedule()
    assert shown is not None
    assert shown.plan.patient.name == summaries[1].patient.name


def test_a_unit_that_does_not_open_leaves_no_early_list(
    qtbot: QtBot, unit_db: Path, gui_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_unit(str(unit_db), TODAY)

    def refused(*_args: Any, **_kwargs: Any) -> None:
        raise OSError("the disk went away")

    monkeypatch.setattr("planner.day_hospital.loading.load_unit", refused)
    window = MainWindow(TODAY, gui_settings)
    qtbot.addWidget(window)
    opener = Opener(window, TODAY, author="t", unattended=True)
    with qtbot.waitSignal(opener.finished, timeout=20000):
        opener.open(str(unit_db))
    assert window.unit is None
    assert window.patients_model.rowCount() == 0
