"""Chairs, hours and nurses in the settings: the values come back, impossible ones are said."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from pytestqt.qtbot import QtBot

from planner.core.chairs import (
    MAX_CHAIRS,
    MAX_FIXED_MINUTES,
    MAX_NURSES,
    MAX_STARTS_PER_NURSE,
    SLOT_MINUTES,
    Chair,
    UnitResources,
)
from planner.gui.dialogs.resources_editor import ResourcesEditor

MINE = UnitResources(
    chairs=(Chair("Fauteuil 1"), Chair("Lit 1", bed=True)),
    hours=((time(8, 30), time(17)),) * 5 + ((time(9), time(12)), None),
    nurses=2,
    starts_per_nurse=3,
    slot_minutes=30,
    installation_minutes=20,
    afternoon=time(12, 30),
)


def editor(qtbot: QtBot, resources: UnitResources = MINE) -> ResourcesEditor:
    widget = ResourcesEditor(resources)
    qtbot.addWidget(widget)
    return widget


def test_the_resources_come_back_unchanged(qtbot: QtBot) -> None:
    for resources in (MINE, UnitResources()):
        assert editor(qtbot, resources).value() == resources


def test_chairs_are_added_and_removed(qtbot: QtBot) -> None:
    widget = editor(qtbot)
    widget.add_chair.click()
    assert [c.name for c in widget.value().chairs] == ["Fauteuil 1", "Lit 1", "F3"]
    widget.chairs.item(2, 0).setText("Lit 1")  # type: ignore[union-attr]
    assert widget.problem() == "Two chairs have the same name."
    for _n in range(3):
        widget.chairs.selectRow(0)
        widget.remove_chair.click()
    assert widget.problem() == "The unit needs at least one chair or bed."


def test_hours_are_checked(qtbot: QtBot) -> None:
    widget = editor(qtbot)
    widget.open_days[6].setChecked(True)  # open on Sundays, 8:00 to 18:00 by default
    assert widget.value().hours[6] == (time(8), time(18))
    widget.closes[0].setTime(QTime(8, 0))
    assert widget.problem() == "A day closes after it opens."
    widget.closes[0].setTime(QTime(17, 10))
    assert widget.problem() == "Opening and closing times fall on the slot grid."
    widget.slot.setCurrentIndex(widget.slot.findData(10))
    assert widget.problem() == ""


def test_the_fields_stop_at_the_units_bounds(qtbot: QtBot) -> None:
    """Nothing the core would refuse can be typed: each field's maximum is the core's."""
    widget = editor(qtbot)
    assert (widget.nurses.minimum(), widget.nurses.maximum()) == (1, MAX_NURSES)
    assert (widget.starts.minimum(), widget.starts.maximum()) == (1, MAX_STARTS_PER_NURSE)
    for spin in (widget.installation, widget.pump, widget.bolus):
        assert (spin.minimum(), spin.maximum()) == (0, MAX_FIXED_MINUTES)
    slots = tuple(widget.slot.itemData(i) for i in range(widget.slot.count()))
    assert slots == SLOT_MINUTES
    widget.nurses.setValue(MAX_NURSES)
    widget.starts.setValue(MAX_STARTS_PER_NURSE)
    assert widget.problem() == ""
    assert widget.value().starts_per_slot == MAX_NURSES * MAX_STARTS_PER_NURSE


def test_no_chair_is_added_past_the_limit(qtbot: QtBot) -> None:
    almost = tuple(Chair(f"F{n}") for n in range(1, MAX_CHAIRS))
    widget = editor(qtbot, UnitResources(chairs=almost))
    assert widget.add_chair.isEnabled()
    widget.add_chair.click()
    assert len(widget.value().chairs) == MAX_CHAIRS
    assert not widget.add_chair.isEnabled()
    widget.chairs.selectRow(0)
    widget.remove_chair.click()
    assert widget.add_chair.isEnabled()
