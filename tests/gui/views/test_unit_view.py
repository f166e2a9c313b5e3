"""The day hospital page says what each thing is: regimen names (not ids) in the user's
language, "C1 D1" / "C1 J1", a labelled tooltip, a summary and a legend."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from planner.core.booking import Booking
from planner.core.chairs import Occupancy
from planner.gui import flows
from planner.gui.main_window import MainWindow
from planner.gui.views.day_view import block_text
from planner.gui.views.load_chart import LoadChart
from planner.i18n import set_language
from tests.gui.views.test_day_view import MONDAY, RESOURCES


def the_day(window: MainWindow, day: date) -> None:
    flows.book_unit(window)
    window.tabs.setCurrentIndex(1)
    window.unit_view.show_day(day)


def test_a_block_names_the_regimen_and_every_line_says_what_it_is(window: MainWindow) -> None:
    the_day(window, date(2027, 3, 15))
    view = window.unit_view
    [block] = view.grid.blocks
    assert block.regimen == (
        "mFOLFOX6 (oxaliplatin, leucovorin, 5-FU bolus + 46-h infusion) every 14 days"
    )
    assert block.cycle_day == "C1 D1"
    assert block_text(block).startswith("[C] B. P. · 2 h 45 · mFOLFOX6 (oxaliplatin")
    assert view.grid.tooltip(block).splitlines() == [
        "PETIT Bruno",
        "Regimen: mFOLFOX6 (oxaliplatin, leucovorin, 5-FU bolus + 46-h infusion) every 14 days",
        "Cycle and day: C1 D1",
        "08:00–10:45 on F1 (chair time 2 h 45)",
    ]
    # 165 minutes of the 7 places' 10 hours (4,200 minutes): 3.9 %.
    assert view.summary.text() == "Mon 15 Mar 2027: 1 session booked, 4% of the chairs' time"
    # One chair at the peak, and no fewer can do; three nurses start two infusions each.
    assert view.figures.full_text() == (
        "Peak 1 chair (at least 1) · at most 1 infusion starts in one slot (limit 6)"
    )
    assert view.legend.texts[:3] == [
        "Booking: chemotherapy (C)",
        "Booking: targeted therapy (T)",
        "Booking: immunotherapy (I)",
    ]
    assert "Hatched: booking to redo (the session moved, the day closed…)" in view.legend.texts
    assert any(text.startswith("Dashed line: the afternoon begins") for text in view.legend.texts)


def test_the_day_hospital_page_speaks_french(
    qtbot: QtBot, window: MainWindow, gui_settings: object
) -> None:
    from tests.gui.conftest import open_window

    set_language("fr")
    assert window.unit is not None
    french = open_window(qtbot, window.unit.store.location.display, window.unit.catalog,
                         gui_settings, "cadre")  # fmt: skip
    the_day(french, date(2027, 3, 15))
    [block] = french.unit_view.grid.blocks
    assert block.regimen.startswith("mFOLFOX6 (oxaliplatine, acide folinique")
    assert block.cycle_day == "C1 J1"
    assert french.unit_view.summary.text() == (
        "lun. 15 mars 2027\u00a0: 1 séance réservée, 4\u00a0% du temps des fauteuils"
    )
    french.unit.store.close()


def test_the_days_figures_and_starts_per_slot(qtbot: QtBot) -> None:
    """Two chairs, 8:00 to 12:00, one infusion started per slot (15 minutes)."""
    from planner.gui.views.day_view import HOURS, NAMES, PIXELS_PER_MINUTE
    from planner.gui.views.unit_view import UnitView

    unit = Occupancy(RESOURCES)
    for name, start, minutes, chair in [
        ("anne", time(8), 120, "A"),
        ("bruno", time(8, 15), 90, "B"),
        ("carla", time(10), 120, "A"),
        ("dora", time(10, 15), 105, "B"),
    ]:
        unit.add((name, (1, 1, 1)), Booking(start, minutes, chair, MONDAY))
    view = UnitView(MONDAY)
    qtbot.addWidget(view)
    view.show_day(MONDAY)
    view.set_unit(unit, [])
    # Both chairs from 8:15 to 9:45 and from 10:15 to 11:45; 435 of the day's 480 chair
    # minutes over its 240 minutes of opening: no placement needs fewer than 2.
    assert view.figures.full_text() == (
        "Peak 2 chairs (at least 2) · at most 1 infusion starts in one slot (limit 1)"
    )
    figures = view.grid.figures
    assert figures is not None
    assert figures.starts[:6] == (1, 1, 0, 0, 0, 0)
    # The strip under the hours says each slot's starts and limit.
    x = NAMES + round(20 * PIXELS_PER_MINUTE)  # 8:20
    assert view.grid.starts_tooltip(QPoint(x, HOURS + 5)) == "08:15: 1 infusion starts (limit 1)"
    x = NAMES + round(40 * PIXELS_PER_MINUTE)  # 8:40
    assert view.grid.starts_tooltip(QPoint(x, HOURS + 5)) == "08:30: 0 infusions start (limit 1)"
    assert view.grid.starts_tooltip(QPoint(x, HOURS - 5)) == ""  # the hours, above
    # The figures are drawn as well as said.
    view.grid.resize(view.grid.sizeHint())
    view.grid.grab()


@pytest.mark.usefixtures("qtbot")
def test_the_load_charts_tooltip_in_french() -> None:

    set_language("fr")
    unit = Occupancy(RESOURCES)

    unit.add(("anne", (1, 1, 1)), Booking(time(8), 180, "A", MONDAY))
    [day] = unit.load(MONDAY, MONDAY)
    assert LoadChart.tooltip(day) == (
        "lun. 8 mars 2027\u00a0: 3 h de fauteuil réservées sur 8 h (38\u00a0%)\n"
        "1 séance, au plus 1 fauteuil à la fois"
    )
