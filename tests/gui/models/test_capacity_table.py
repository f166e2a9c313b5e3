"""What each weekday needs, as a table: one row per weekday, the numbers said as counted,
a weekday whose sessions do not all fit said so."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from planner.day_hospital.bookings import WeekdayNeeds
from planner.gui.models.capacity_table import NEEDS_ROLE, CapacityTableModel
from planner.i18n import set_language

NEEDS = [
    WeekdayNeeds(0, 4, 57, 53, 6, 5, date(2027, 3, 8), True),
    WeekdayNeeds(2, 4, 31, 31, 4, 3, date(2027, 3, 17), False),
]


def test_the_table_passes_the_model_tester_and_says_each_weekday(
    qtmodeltester: ModelTester,
) -> None:
    model = CapacityTableModel()
    qtmodeltester.check(model)
    model.set_needs(NEEDS)
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["Weekday", "Days", "Chairs", "At least", "Nurses", "At least", "Busiest day"]
    rows = [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert rows == [
        ["Monday", "4", "57", "53", "6", "5", "Mon 8 Mar 2027"],
        ["Wednesday", "4", "31", "31", "4", "3", "Wed 17 Mar 2027 (some sessions fit nowhere)"],
    ]
    assert model.data(model.index(1, 0), NEEDS_ROLE) == NEEDS[1]


def test_the_table_in_french() -> None:
    set_language("fr")
    model = CapacityTableModel()
    model.set_needs(NEEDS[:1])
    assert model.data(model.index(0, 0)) == "Lundi"
    assert model.data(model.index(0, 6)) == "lun. 8 mars 2027"
