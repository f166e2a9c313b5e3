"""The port rule editor: one rule at a time, back to the shipped table, the effect shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.port import PortCriterion, PortLevel, PortRule
from planner.core.regimen import AgentClass, Route
from planner.gui.dialogs.port_rules import PortRuleDialog, PortRulesEditor

IMMUNOTHERAPY_RECOMMENDED = PortRule(
    PortLevel.RECOMMENDED,
    PortCriterion.CLASS,
    classes=frozenset({AgentClass.IMMUNOTHERAPY}),
    route=Route.IV,
    source="Local protocol 2027-04",
)


def tick_family(dialog: PortRuleDialog, family: str) -> None:
    for row in range(dialog.families.count()):
        item = dialog.families.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == family:
            item.setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"no family {family}")


def test_a_family_rule_needs_a_family(qtbot: QtBot) -> None:
    dialog = PortRuleDialog(None, ["anthracycline", "platinum", "taxane"])
    qtbot.addWidget(dialog)
    assert dialog.when.currentData() == PortCriterion.FAMILY
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text() == "Tick at least one family."
    tick_family(dialog, "platinum")
    dialog.level.setCurrentIndex(dialog.level.findData(PortLevel.CONSIDER))
    dialog.source.setText("  Comité du 12 mars  ")
    assert dialog.ok_button.isEnabled()
    assert dialog.rule() == PortRule(
        PortLevel.CONSIDER,
        PortCriterion.FAMILY,
        families=frozenset({"platinum"}),
        source="Comité du 12 mars",
    )
    # The list speaks the reader's words; the rule keeps the file's.
    names = [dialog.families.item(r).text() for r in range(dialog.families.count())]
    assert "platinum salt" in names


def test_a_class_rule_with_a_route_and_a_pump_rule(qtbot: QtBot) -> None:
    dialog = PortRuleDialog(None, [])
    qtbot.addWidget(dialog)
    dialog.when.setCurrentIndex(dialog.when.findData(PortCriterion.CLASS))
    assert dialog.message.text() == "Tick at least one class."
    with pytest.raises(ValueError, match="class"):
        dialog.rule()
    dialog.classes[AgentClass.IMMUNOTHERAPY].setChecked(True)
    dialog.route.setCurrentIndex(dialog.route.findData(Route.IV))
    dialog.source.setText("Local protocol 2027-04")
    assert dialog.rule() == IMMUNOTHERAPY_RECOMMENDED
    assert dialog.rule().route is Route.IV
    dialog.when.setCurrentIndex(dialog.when.findData(PortCriterion.CONTINUOUS_INFUSION))
    assert dialog.rule() == PortRule(
        PortLevel.RECOMMENDED, PortCriterion.CONTINUOUS_INFUSION, source="Local protocol 2027-04"
    )


def test_an_existing_rule_is_shown_as_it_is(qtbot: QtBot, catalog: Catalog) -> None:
    for rule in catalog.port_rules:
        dialog = PortRuleDialog(rule, ["platinum"])
        qtbot.addWidget(dialog)
        assert dialog.rule() == rule


def make_editor(qtbot: QtBot, catalog: Catalog) -> PortRulesEditor:
    editor = PortRulesEditor(catalog.port_rules, catalog.port_rules, list(catalog))
    qtbot.addWidget(editor)
    return editor


def test_adding_a_rule_says_which_regimens_change_advice(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = make_editor(qtbot, catalog)
    assert editor.effect.text() == "No regimen of the catalogue changes advice."
    assert not editor.bundled_button.isEnabled()

    def exec_(dialog: PortRuleDialog) -> QDialog.DialogCode:
        dialog.when.setCurrentIndex(dialog.when.findData(PortCriterion.CLASS))
        dialog.classes[AgentClass.IMMUNOTHERAPY].setChecked(True)
        dialog.route.setCurrentIndex(dialog.route.findData(Route.IV))
        dialog.source.setText("Local protocol 2027-04")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PortRuleDialog, "exec", exec_)
    editor.add_button.click()
    assert editor.rules() == (*catalog.port_rules, IMMUNOTHERAPY_RECOMMENDED)
    assert editor.table.rowCount() == len(catalog.port_rules) + 1
    changed = {regimen.id: (before, after) for regimen, before, after in editor.changes()}
    # Every immunotherapy alone goes from "not needed" to "recommended"; a combination with
    # chemotherapy already had a stronger or equal advice from the chemotherapy.
    assert changed["pembrolizumab-200-q3w"] == (PortLevel.NOT_NEEDED, PortLevel.RECOMMENDED)
    assert changed["ipilimumab-nivolumab-melanoma-cm067"] == (
        PortLevel.NOT_NEEDED,
        PortLevel.RECOMMENDED,
    )
    assert "mfolfox6-q14" not in changed
    assert editor.effect.text().startswith(
        f"With these rules, {len(changed)} regimens of the catalogue change advice:"
    )
    assert "not needed → recommended" in editor.effect.text()
    assert editor.bundled_button.isEnabled()
    editor.bundled_button.click()
    assert editor.rules() == catalog.port_rules
    assert editor.effect.text() == "No regimen of the catalogue changes advice."


def test_changing_and_removing_the_selected_rule(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = make_editor(qtbot, catalog)
    assert not editor.edit_button.isEnabled()
    editor.table.selectRow(2)  # consider: IV chemotherapy

    def exec_(dialog: PortRuleDialog) -> QDialog.DialogCode:
        dialog.level.setCurrentIndex(dialog.level.findData(PortLevel.RECOMMENDED))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PortRuleDialog, "exec", exec_)
    editor.edit_button.click()
    assert editor.rules()[2].level is PortLevel.RECOMMENDED
    assert editor.rules()[2].classes == catalog.port_rules[2].classes
    assert editor.table.item(2, 0).text() == "recommended"  # type: ignore[union-attr]
    assert any(after is PortLevel.RECOMMENDED for _r, _b, after in editor.changes())
    editor.remove_button.click()
    assert editor.rules() == (*catalog.port_rules[:2], catalog.port_rules[3])
    assert editor.selected_row() == 2  # the next rule, now in its place
