"""The flows behind the menus, end to end: dialog, store, window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog

from planner.core.schedule import Policy
from planner.gui import flows
from planner.gui.dialogs.new_plan import NewPlanDialog
from planner.gui.main_window import MainWindow
from planner.store import Store

pytestmark = pytest.mark.usefixtures("qtbot")


def answer_new_plan(
    monkeypatch: pytest.MonkeyPatch, fill: Callable[[NewPlanDialog], None], *, accept: bool = True
) -> list[NewPlanDialog]:
    """Make the (modal) new-plan dialog filled by ``fill`` and then accepted or cancelled."""
    shown: list[NewPlanDialog] = []

    def exec_(dialog: NewPlanDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        fill(dialog)
        if accept:
            assert dialog.ok_button.isEnabled(), dialog.message.text()
            return QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(NewPlanDialog, "exec", exec_)
    return shown


def test_a_new_patient_and_plan_are_saved_and_shown(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.name.setText("Claire Durand")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("nivolumab-480-q4w")
        dialog.start.setDate(QDate(2027, 3, 22))

    answer_new_plan(monkeypatch, fill)
    assert flows.new_plan(window)

    # The window shows the new patient's plan at once.
    ps = window.current_schedule()
    assert ps is not None
    assert ps.plan.patient.name == "Claire Durand"
    assert ps.plan.regimen.id == "nivolumab-480-q4w"
    assert [s.date for s in ps.sessions[:3]] == [
        date(2027, 3, 22),
        date(2027, 4, 19),
        date(2027, 5, 18),  # every four weeks; Whit Monday 17 May is a holiday
    ]
    assert window.patients_model.rowCount() == 3
    assert window.statusBar().currentMessage().startswith("Plan created for Claire Durand")
    # ...and it is in the database, as the unit's default policy made it.
    with Store.open(unit_db) as store:
        claire = next(p for p in store.patients() if p.hospital_number == "HN-0003")
        (plan,) = store.plans(claire)
        assert plan.start == date(2027, 3, 22)
        assert plan.policy is store.settings().default_policy


def test_a_second_plan_for_the_chosen_patient(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.search.setText("Anne")
    window.patients.selectRow(0)

    def fill(dialog: NewPlanDialog) -> None:
        # The patient on screen is proposed.
        assert dialog.patient.selected_patient() is not None
        assert dialog.patient.selected_patient().name == "Anne Martin"  # type: ignore[union-attr]
        dialog.select_regimen("ipilimumab-nivolumab-melanoma-cm067")
        dialog.policy.setCurrentIndex(dialog.policy.findData(Policy.GRID))
        dialog.start.setDate(QDate(2027, 6, 7))

    answer_new_plan(monkeypatch, fill)
    assert flows.new_plan(window)
    with Store.open(unit_db) as store:
        anne = next(p for p in store.patients() if p.name == "Anne Martin")
        regimens = [p.regimen.id for p in sorted(store.plans(anne), key=lambda p: p.start)]
    assert regimens == ["pembrolizumab-200-q3w", "ipilimumab-nivolumab-melanoma-cm067"]
    ps = window.current_schedule()
    assert ps is not None
    assert ps.plan.regimen.id == "ipilimumab-nivolumab-melanoma-cm067"
    assert ps.sessions[0].date == date(2027, 6, 7)


def test_cancelling_saves_nothing(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.name.setText("Claire Durand")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("nivolumab-480-q4w")

    answer_new_plan(monkeypatch, fill, accept=False)
    assert not flows.new_plan(window)
    with Store.open(unit_db) as store:
        assert len(store.patients()) == 2
        assert len(store.plans()) == 2


def test_a_plan_the_database_refuses_is_said_in_words(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.name.setText("Claire Durand")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("nivolumab-480-q4w")
        # Meanwhile, another coordinator gives HN-0003 to someone else.
        with Store.open(unit_db) as other:
            from tests.gui.conftest import AT

            other.add_patient("Someone Else", "HN-0003", author="other", at=AT)

    answer_new_plan(monkeypatch, fill)
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    assert not flows.new_plan(window)
    assert shown[0][0] == "The plan was not created"
    assert "HN-0003" in shown[0][1]
    with Store.open(unit_db) as store:
        assert len(store.plans()) == 2  # nothing half-made


def test_edited_port_rules_are_saved_applied_and_shown(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.catalog import CatalogPaths, load_catalog
    from planner.core.port import PortCriterion, PortLevel, PortRule
    from planner.core.regimen import AgentClass
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    mine = PortRule(
        PortLevel.RECOMMENDED,
        PortCriterion.CLASS,
        classes=frozenset({AgentClass.IMMUNOTHERAPY}),
        source="Local protocol",
    )

    def add_rule(dialog: SettingsDialog) -> QDialog.DialogCode:
        dialog.port_rules.set_rules((*dialog.port_rules.rules(), mine))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", add_rule)
    rules_file = tmp_path / "user" / "port_rules.toml"
    window.search.setText("Anne")
    window.patients.selectRow(0)
    assert "not needed" in window.plan_view.port_label.text()
    assert flows.unit_settings(window, rules_file)

    # Saved where the catalogue reads it, applied to Anne's pembrolizumab at once...
    paths = CatalogPaths(tmp_path / "user" / "regimens", tmp_path / "none.toml", rules_file)
    assert load_catalog(user=paths).port_rules[-1] == mine
    assert "recommended" in window.plan_view.port_label.text()
    # ...and the patient list is computed again, the same patient still chosen.
    window.wait_for_refresh()
    assert window.current_summary() is not None
    assert window.current_summary().patient.name == "Anne Martin"  # type: ignore[union-attr]

    # Back to the shipped rules: the file goes, so a later version's table applies.
    def bundled(dialog: SettingsDialog) -> QDialog.DialogCode:
        dialog.port_rules.bundled_button.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", bundled)
    assert flows.unit_settings(window, rules_file)
    window.wait_for_refresh()
    assert not rules_file.exists()
    assert "not needed" in window.plan_view.port_label.text()


def test_port_rules_that_cannot_be_written_change_nothing(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    def drop_last(dialog: SettingsDialog) -> QDialog.DialogCode:
        dialog.port_rules.set_rules(dialog.port_rules.rules()[:-1])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", drop_last)
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    assert window.unit is not None
    before = window.unit.catalog.port_rules
    assert not flows.unit_settings(window, blocked / "port_rules.toml")
    assert shown[0][0] == "The port rules were not saved"
    assert window.unit.catalog.port_rules == before


def test_the_unit_export_writes_the_period_off_the_gui_thread(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.exporting import UnitExportDialog

    def march_as_csv(dialog: UnitExportDialog) -> QDialog.DialogCode:
        dialog.first.setDate(QDate(2027, 3, 1))
        dialog.last.setDate(QDate(2027, 3, 31))
        dialog.format.setCurrentIndex(dialog.format.findData("csv"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(UnitExportDialog, "exec", march_as_csv)
    path = flows.export_unit(window, tmp_path / "march.csv")
    assert path == tmp_path / "march.csv"
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == 4
    assert all("A. M." in row or "B. P." in row for row in rows)  # initials, not names
    assert window.statusBar().currentMessage() == f"4 sessions written to {path}"


def test_a_refused_unit_export_is_said_in_words(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.exporting import UnitExportDialog

    monkeypatch.setattr(UnitExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    assert flows.export_unit(window, tmp_path / "missing" / "unit.ics") is None
    assert shown[0][0] == "The unit was not exported"
    assert "folder does not exist" in shown[0][1]
