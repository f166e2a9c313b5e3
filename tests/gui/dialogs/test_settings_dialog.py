"""The unit settings dialog: edit a UnitSettings, refuse what the core refuses."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import QDate, QTime
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.closures import ClosureSet, UnitClosure
from planner.core.engine import LabRule
from planner.core.schedule import Policy
from planner.core.settings import UnitSettings
from planner.gui.dialogs.settings_dialog import SettingsDialog, SettingsResult

UNIT = UnitSettings(
    name="Hôpital de jour d'oncologie",
    address="12 rue de la Santé\n75014 Paris",
    phone="01 23 45 67 89",
    closure_set=ClosureSet.FR_ALSACE_MOSELLE,
    unit_closures=(UnitClosure(date(2027, 3, 19), "Formation"), UnitClosure(date(2027, 6, 4))),
    open_days=frozenset({date(2027, 5, 15), date(2027, 6, 12)}),
    lab_rule=LabRule(earliest=4, latest=2, weekdays=frozenset({0, 1, 2, 3, 4}), reuse_within=0),
    default_policy=Policy.REANCHOR,
    port_lead_days=14,
    session_reminder=time(19, 30),
    lab_reminder=None,
)


def make_dialog(qtbot: QtBot, catalog: Catalog, unit: UnitSettings = UNIT) -> SettingsDialog:
    dialog = SettingsDialog(unit, "fr", catalog.port_rules, date(2027, 3, 8))
    qtbot.addWidget(dialog)
    return dialog


@pytest.mark.parametrize("unit", [UNIT, UnitSettings()], ids=["edited", "defaults"])
def test_settings_come_back_unchanged(qtbot: QtBot, catalog: Catalog, unit: UnitSettings) -> None:
    dialog = make_dialog(qtbot, catalog, unit)
    assert dialog.ok_button.isEnabled()
    assert dialog.result_value() == SettingsResult(unit, "fr", None)


def test_an_inverted_lab_window_is_refused_with_the_core_message(
    qtbot: QtBot, catalog: Catalog
) -> None:
    dialog = make_dialog(qtbot, catalog)
    dialog.latest.setValue(6)  # later than the earliest (4 days before)
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text() == (
        "The blood-test window is not valid: its latest day must not be further before the "
        "session than its earliest day."
    )
    with pytest.raises(ValueError, match="blood-test window"):
        dialog.result_value()
    dialog.earliest.setValue(6)
    assert dialog.ok_button.isEnabled()
    assert dialog.message.text() == ""
    assert dialog.result_value().unit.lab_rule == LabRule(6, 6, frozenset(range(5)), 0)


def test_a_same_day_blood_test_is_offered_and_said(qtbot: QtBot, catalog: Catalog) -> None:
    """0 days before: the unit takes the sample on the session's day (LabRule's latest = 0),
    the spin box saying so rather than "0 days"."""
    dialog = make_dialog(qtbot, catalog)
    assert dialog.latest.minimum() == dialog.earliest.minimum() == 0
    dialog.latest.setValue(0)
    assert dialog.latest.text() == "the same day, in the unit"
    assert dialog.message.text() == ""
    assert dialog.result_value().unit.lab_rule == LabRule(4, 0, frozenset(range(5)), 0)
    dialog.earliest.setValue(0)
    assert dialog.earliest.text() == "the same day, in the unit"
    assert dialog.result_value().unit.lab_rule == LabRule(0, 0, frozenset(range(5)), 0)
    dialog.earliest.setValue(1)
    assert dialog.earliest.text() == "1 day"


def test_laboratories_must_open_some_day(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog)
    for check in dialog.weekdays:
        check.setChecked(False)
    assert not dialog.ok_button.isEnabled()
    assert "at least one day" in dialog.message.text()


def test_closures_and_open_days_are_added_and_removed(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog)
    closures, open_days = dialog.closures, dialog.open_days
    closures.date.setDate(QDate(2027, 4, 2))
    closures.label.setText("  Travaux  ")
    closures.add_button.click()
    closures.add_button.click()  # the same day again
    assert closures.note.text() == "Fri 2 Apr 2027 is already in the list."
    closures.table.selectRow(2)  # 4 June, now third
    closures.remove_button.click()
    assert open_days.date.date() == QDate(2027, 3, 13)  # the Saturday after today
    open_days.date.setDate(QDate(2027, 3, 10))  # a Wednesday
    open_days.add_button.click()
    assert "is a weekday" in open_days.note.text()
    open_days.date.setDate(QDate(2027, 4, 10))
    open_days.add_button.click()
    open_days.list.setCurrentRow(2)  # 12 June, after 10 April and 15 May
    open_days.remove_button.click()
    unit = dialog.result_value().unit
    assert unit.unit_closures == (
        UnitClosure(date(2027, 3, 19), "Formation"),
        UnitClosure(date(2027, 4, 2), "Travaux"),
    )
    assert unit.open_days == {date(2027, 4, 10), date(2027, 5, 15)}


def test_reminders_language_and_defaults(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog)
    assert not dialog.lab_reminder.isEnabled()
    dialog.no_lab_reminder.setChecked(False)
    dialog.no_session_reminder.setChecked(True)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.policy.setCurrentIndex(dialog.policy.findData(Policy.GRID))
    result = dialog.result_value()
    assert result.unit.lab_reminder == time(18, 0)
    assert result.unit.session_reminder is None
    assert result.unit.default_policy is Policy.GRID
    assert result.language == "en"


def test_the_port_rules_are_listed_with_their_sources(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog)
    table = dialog.port_rules.table
    assert table.rowCount() == len(catalog.port_rules) == 4

    def cell(row: int, column: int) -> str:
        item = table.item(row, column)
        assert item is not None
        return item.text()

    assert [cell(r, 0) for r in range(4)] == [
        "required",
        "recommended",
        "to consider",
        "to consider",
    ]
    assert cell(3, 1) == "A drug belongs to one of these families: antibody-drug conjugate."
    assert "Padcev SmPC 4.4" in cell(3, 2)
    assert cell(1, 1) == (
        "A drug belongs to one of these families: anthracycline, taxane, vinca alkaloid."
    )
    assert "INCa" in cell(1, 2)
    assert dialog.result_value().port_rules is None  # untouched: nothing to save


def test_edited_port_rules_come_back_and_an_empty_table_is_refused(
    qtbot: QtBot, catalog: Catalog
) -> None:
    dialog = make_dialog(qtbot, catalog)
    editor = dialog.port_rules
    editor.table.selectRow(2)  # "consider" for IV chemotherapy
    editor.remove_button.click()
    assert dialog.ok_button.isEnabled()
    assert dialog.result_value().port_rules == (*catalog.port_rules[:2], catalog.port_rules[3])
    for _row in range(3):
        editor.table.selectRow(0)
        editor.remove_button.click()
    assert not dialog.ok_button.isEnabled()
    assert "at least one port rule" in dialog.message.text()


def test_how_long_daily_copies_are_kept(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = SettingsDialog(UNIT, "fr", catalog.port_rules, date(2027, 3, 8), backup_days=14)
    qtbot.addWidget(dialog)
    dialog.backup_days.setValue(30)
    assert dialog.result_value().backup_days == 30
    # A database server: its copies are not the program's business.
    assert make_dialog(qtbot, catalog).result_value().backup_days is None


def test_weekend_hours_say_which_weekends_they_are_for(qtbot: QtBot, catalog: Catalog) -> None:
    """Saturday ticked in the opening hours does not open every Saturday: with the French
    closures, only the weekend days listed in the calendar; with none, every weekend."""
    dialog = make_dialog(qtbot, catalog)
    note = dialog.resources.weekend_note
    assert "apply only to the weekend days opened" in note.text()
    dialog.closure_set.setCurrentIndex(dialog.closure_set.findData(ClosureSet.NONE))
    assert "apply to every weekend" in note.text()
    dialog.closure_set.setCurrentIndex(dialog.closure_set.findData(ClosureSet.FR))
    assert "apply only to the weekend days opened" in note.text()


def test_a_closure_keeps_who_recorded_it_when_its_label_is_edited(
    qtbot: QtBot, catalog: Catalog
) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from PySide6.QtWidgets import QTableWidgetItem

    at = datetime(2027, 3, 2, 13, 0, tzinfo=UTC)
    stamped = UnitClosure(date(2027, 3, 19), "Formation", at, "cadre")
    dialog = make_dialog(qtbot, catalog, replace(UNIT, unit_closures=(stamped,)))
    closures = dialog.closures
    assert closures.table.item(0, 0).toolTip() == (  # type: ignore[union-attr]
        "Added by cadre on Tue 2 Mar 2027 at 14:00"
    )
    closures.table.setItem(0, 1, QTableWidgetItem("Formation incendie"))
    closures.date.setDate(QDate(2027, 4, 2))
    closures.add_button.click()
    assert dialog.result_value().unit.unit_closures == (
        UnitClosure(date(2027, 3, 19), "Formation incendie", at, "cadre"),
        UnitClosure(date(2027, 4, 2)),  # new: stamped when saved, by whoever saves it
    )


def test_a_wrong_phone_is_refused_an_empty_one_left_to_the_documents(
    qtbot: QtBot, catalog: Catalog
) -> None:
    dialog = make_dialog(qtbot, catalog)
    dialog.phone.setText("01 23 45")
    assert not dialog.ok_button.isEnabled()
    assert "is not a telephone number" in dialog.message.text()
    dialog.phone.setText("")  # patients' documents then say it is missing
    assert dialog.ok_button.isEnabled()
    dialog.phone.setText("+33 1 23 45 67 89")
    assert dialog.ok_button.isEnabled()
    assert dialog.result_value().unit.phone == "+33 1 23 45 67 89"


def test_the_day_planning_tab_edits_the_units_resources(qtbot: QtBot, catalog: Catalog) -> None:
    from planner.core.chairs import UnitResources, Weights

    resources = UnitResources(pharmacy=(12,) * 6 + (None,), lab_result_start=time(10, 30))
    dialog = SettingsDialog(UNIT, "fr", catalog.port_rules, date(2027, 3, 8), resources=resources)
    qtbot.addWidget(dialog)
    tabs = [dialog.tabs.tabText(n) for n in range(dialog.tabs.count())]
    assert tabs[3:5] == ["C&hairs and hours", "Da&y planning"]
    assert dialog.tabs.widget(4) is dialog.resources.planning
    assert dialog.result_value().resources is None  # as they were
    dialog.resources.planning.weights["peak"].setValue(50)
    dialog.resources.planning.lab_result_start.setTime(QTime(10, 40))
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text() == "The start after a same-day blood test falls on the slot grid."
    dialog.resources.planning.lab_result_start.setTime(QTime(10, 45))
    assert dialog.ok_button.isEnabled()
    assert dialog.result_value().resources == UnitResources(
        pharmacy=(12,) * 6 + (None,), lab_result_start=time(10, 45), weights=Weights(peak=50)
    )


TITLE_AND_TASKBAR = 70
"""What a desktop takes from the screen's height (as in tests/gui/test_layout.py)."""


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_dialog_fits_a_1280_by_720_screen_on_every_tab(
    qtbot: QtBot, catalog: Catalog, language: str
) -> None:
    """The chairs and hours, with the afternoon's team, and the day planning each on a tab
    of their own: every tab fits a small laptop's screen."""
    from planner.i18n import set_language

    set_language(language)
    dialog = SettingsDialog(
        UNIT,
        language,
        catalog.port_rules,
        date(2027, 3, 8),
        regimens=[catalog.regimen(r) for r in sorted(catalog.entries)],
        backup_days=14,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)
        hint = dialog.minimumSizeHint()
        assert hint.width() <= 1280, dialog.tabs.tabText(tab)
        assert hint.height() <= 720 - TITLE_AND_TASKBAR, dialog.tabs.tabText(tab)
