"""Chairs, hours and nurses in the settings: the values come back, impossible ones are said."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from pytestqt.qtbot import QtBot

from planner.core.chairs import (
    MAX_CHAIRS,
    MAX_FIXED_MINUTES,
    MAX_MOVE_MINUTES,
    MAX_NURSES,
    MAX_PREPARATIONS,
    MAX_STARTS_PER_NURSE,
    MAX_WEIGHT,
    SLOT_MINUTES,
    Chair,
    UnitResources,
    Weights,
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
    afternoon_nurses=1,
    pharmacy=(12, 12, 8, 12, 12, None, None),
    lab_result_start=time(10, 30),
    max_move_minutes=0,
    weights=Weights(preference=0, keep=1000, peak=7, spread=0, end=3),
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


def test_the_afternoon_team_is_the_mornings_unless_ticked(qtbot: QtBot) -> None:
    widget = editor(qtbot, UnitResources(nurses=4))
    assert not widget.afternoon_team.isChecked()
    assert not widget.afternoon_nurses.isEnabled()
    assert widget.afternoon_nurses.value() == 4  # offered as the morning's
    widget.afternoon_team.setChecked(True)
    assert widget.afternoon_nurses.isEnabled()
    widget.afternoon_nurses.setValue(2)
    assert widget.value().afternoon_nurses == 2
    assert widget.value().start_limits(0, time(8), 40)[-1] == 2 * 2
    widget.afternoon_team.setChecked(False)
    assert widget.value().afternoon_nurses is None
    assert (widget.afternoon_nurses.minimum(), widget.afternoon_nurses.maximum()) == (
        1,
        MAX_NURSES,
    )


def test_the_pharmacy_is_not_limited_at_its_lowest(qtbot: QtBot) -> None:
    widget = editor(qtbot)
    spins = widget.planning.pharmacy
    assert len(spins) == 7
    texts = [spin.text() for spin in spins]
    assert texts == ["12", "12", "8", "12", "12", "not limited", "not limited"]
    assert all((s.minimum(), s.maximum()) == (0, MAX_PREPARATIONS) for s in spins)
    spins[5].setValue(4)
    spins[0].setValue(0)
    assert widget.value().pharmacy == (None, 12, 8, 12, 12, 4, None)


def test_a_same_day_blood_tests_start_is_optional_and_on_the_slot_grid(qtbot: QtBot) -> None:
    widget = editor(qtbot)  # 30-minute slots
    planning = widget.planning
    assert planning.lab_result.isChecked()
    planning.lab_result_start.setTime(QTime(10, 45))
    assert widget.problem() == "The start after a same-day blood test falls on the slot grid."
    planning.lab_result.setChecked(False)
    assert not planning.lab_result_start.isEnabled()
    assert widget.problem() == ""
    assert widget.value().lab_result_start is None
    planning.lab_result.setChecked(True)
    planning.lab_result_start.setTime(QTime(11, 0))
    assert widget.value().lab_result_start == time(11)


def test_the_optimisers_move_and_weights(qtbot: QtBot) -> None:
    widget = editor(qtbot, UnitResources())
    planning = widget.planning
    assert (planning.max_move.minimum(), planning.max_move.maximum()) == (0, MAX_MOVE_MINUTES)
    assert planning.max_move.text() == "30 minutes"
    planning.max_move.setValue(0)
    assert planning.max_move.text() == "never moved"
    assert list(planning.weights) == ["preference", "keep", "peak", "spread", "end"]
    for spin in planning.weights.values():
        assert (spin.minimum(), spin.maximum()) == (0, MAX_WEIGHT)
        assert spin.toolTip().startswith("Weighs each ")
    planning.weights["peak"].setValue(MAX_WEIGHT)
    planning.weights["end"].setValue(0)
    assert planning.weights["end"].text() == "not sought"
    assert widget.value().weights == Weights(peak=MAX_WEIGHT, end=0)
    assert widget.value().max_move_minutes == 0


def test_every_change_on_the_day_planning_page_is_told(qtbot: QtBot) -> None:
    widget = editor(qtbot)
    planning = widget.planning
    for change in (
        lambda: planning.pharmacy[2].setValue(9),
        lambda: planning.lab_result.setChecked(False),
        lambda: planning.max_move.setValue(45),
        lambda: planning.weights["keep"].setValue(3),
        lambda: widget.afternoon_team.setChecked(False),
    ):
        with qtbot.waitSignal(widget.changed, timeout=1000):
            change()
