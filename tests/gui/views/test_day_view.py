"""The day grid and the load chart: drag with live feedback, keyboard moves, a day opened."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from planner.core.booking import Booking
from planner.core.chairs import Chair, Occupancy, UnitResources
from planner.core.regimen import AgentClass
from planner.gui.views.calendar_paint import CLASS_COLOURS, tint
from planner.gui.views.day_view import HEADER, NAMES, PIXELS_PER_MINUTE, ROW, DayBlock, DayGridView
from planner.gui.views.load_chart import LoadChart
from planner.i18n import set_language

MONDAY = date(2027, 3, 8)
RESOURCES = UnitResources(
    chairs=(Chair("A"), Chair("B")),
    hours=((time(8), time(12)),) * 5 + (None, None),
    nurses=1,
    starts_per_nurse=1,
)


def grid(qtbot: QtBot) -> tuple[DayGridView, Occupancy, list[DayBlock]]:
    unit = Occupancy(RESOURCES)
    anne = Booking(time(8), 60, "A", MONDAY)
    bruno = Booking(time(8, 15), 120, "B", MONDAY)
    unit.add(("anne", (1, 1, 1)), anne)
    unit.add(("bruno", (1, 1, 1)), bruno)
    blocks = [
        DayBlock(("anne", (1, 1, 1)), anne, "A. M.", "MARTIN Anne", "pembro", "C1 D1",
                 (AgentClass.IMMUNOTHERAPY,)),
        DayBlock(("bruno", (1, 1, 1)), bruno, "B. P.", "PETIT Bruno", "mfolfox6", "C1 D1",
                 (AgentClass.CHEMOTHERAPY,)),
    ]  # fmt: skip
    view = DayGridView()
    qtbot.addWidget(view)
    view.set_day(unit, MONDAY, blocks)
    view.resize(view.sizeHint())
    return view, unit, blocks


def point(minute_of_day: int, row: int) -> QPoint:
    x = NAMES + round((minute_of_day - 8 * 60) * PIXELS_PER_MINUTE)
    return QPoint(x, HEADER + row * ROW + ROW // 2)


def test_dragging_says_whether_the_place_fits_and_drops_only_where_it_does(
    qtbot: QtBot,
) -> None:
    view, _unit, blocks = grid(qtbot)
    said: list[str] = []
    moves: list[tuple[object, object, object]] = []
    view.feedback.connect(said.append)
    view.move_requested.connect(lambda *args: moves.append(args))
    # Take Anne's block by its middle (8:30) and drag it over Bruno's chair at 9:00: taken.
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=point(8 * 60 + 30, 0))
    qtbot.mouseMove(view, point(9 * 60 + 30, 1))
    assert said[-1] == "09:00 on B: the chair is taken at that time"
    # To 9:30 on A... where the nurse already starts nobody: free.
    qtbot.mouseMove(view, point(10 * 60, 0))
    assert said[-1] == "09:30 on A: free"
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=point(10 * 60, 0))
    assert moves == [(blocks[0].key, blocks[0].booking, Booking(time(9, 30), 60, "A", MONDAY))]
    assert said[-1] == ""


def test_a_drop_where_it_does_not_fit_asks_nothing(qtbot: QtBot) -> None:
    view, _unit, _blocks = grid(qtbot)
    moves: list[object] = []
    view.move_requested.connect(lambda *args: moves.append(args))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=point(8 * 60 + 30, 0))
    qtbot.mouseMove(view, point(11 * 60 + 45, 0))  # ends after closing time
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=point(11 * 60 + 45, 0))
    assert moves == []


def test_the_keyboard_chooses_and_moves_a_block(qtbot: QtBot) -> None:
    view, _unit, blocks = grid(qtbot)
    said: list[str] = []
    moves: list[tuple[object, object, object]] = []
    view.feedback.connect(said.append)
    view.move_requested.connect(lambda *args: moves.append(args))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected == blocks[0].key
    assert said[-1].startswith("MARTIN Anne")
    # One slot later: 8:15 is when Bruno starts and the one nurse starts one infusion.
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert said[-1] == (
        "08:15 on A: more infusions start in that slot than the nurses can start or the "
        "pharmacy prepare"
    )
    assert moves == []
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert said[-1] == "08:00 on B: the chair is taken at that time"
    assert moves == []


def test_a_day_of_the_chart_opens_when_clicked(qtbot: QtBot) -> None:
    unit = Occupancy(RESOURCES)
    unit.add(("anne", (1, 1, 1)), Booking(time(8), 180, "A", MONDAY))
    chart = LoadChart()
    qtbot.addWidget(chart)
    chart.set_loads(unit.load(MONDAY, date(2027, 3, 14)))
    chart.resize(600, 120)
    assert len(chart.days) == 5  # the weekend is closed: no bar
    assert chart.tooltip(chart.days[0]) == (
        "Mon 8 Mar 2027: 3 of 8 chair hours booked (38%)\n1 session, at most 1 chair at once"
    )
    with qtbot.waitSignal(chart.day_chosen) as chosen:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart._bar_rect(2).center())
    assert chosen.args == [date(2027, 3, 10)]
    chart.setFocus()
    with qtbot.waitSignal(chart.day_chosen) as chosen:
        qtbot.keyClick(chart, Qt.Key.Key_Right)
        qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert chosen.args == [date(2027, 3, 11)]


def test_the_charts_numbers_are_written_the_french_way(qtbot: QtBot) -> None:
    set_language("fr")
    unit = Occupancy(RESOURCES)
    unit.add(("anne", (1, 1, 1)), Booking(time(8), 150, "A", MONDAY))
    chart = LoadChart()
    qtbot.addWidget(chart)
    chart.set_loads(unit.load(MONDAY, MONDAY))
    assert chart.tooltip(chart.days[0]).splitlines()[0] == (
        "lun. 8 mars 2027\u00a0: 2,5 h de fauteuil réservées sur 8 h (31\u00a0%)"
    )


# A busy unit: far more chairs than the page shows at once, so the grid scrolls and paints
# only the part in view.
MANY = UnitResources(
    chairs=tuple(Chair(f"F{n}") for n in range(1, 301)),
    hours=((time(8), time(18)),) * 5 + (None, None),
    nurses=200,
    starts_per_nurse=20,  # 300 starts at 8:00
)


def busy_grid(qtbot: QtBot) -> tuple[QScrollArea, DayGridView, list[DayBlock]]:
    """300 chairs, three bookings on each, in a scroll area 300 pixels high."""
    unit = Occupancy(MANY)
    blocks = []
    for n, chair in enumerate(MANY.chairs):
        for k, (start, minutes) in enumerate(((8, 60), (10, 135), (14, 45))):
            key = (f"p{n}-{k}", (1, 1, 1))
            booking = Booking(time(start), minutes, chair.name, MONDAY)
            unit.add(key, booking)
            classes = (AgentClass.CHEMOTHERAPY,) if k == 1 else (AgentClass.IMMUNOTHERAPY,)
            blocks.append(
                DayBlock(key, booking, "A. M.", "MARTIN Anne", "FOLFIRI", "C1 D1", classes)
            )
    area = QScrollArea()
    qtbot.addWidget(area)
    view = DayGridView()
    area.setWidget(view)
    area.setWidgetResizable(True)
    view.set_day(unit, MONDAY, blocks)
    area.resize(view.sizeHint().width() + 40, 300)
    area.show()
    qtbot.waitExposed(area)
    return area, view, blocks


def on_screen(area: QScrollArea) -> QImage:
    """What the scroll area shows, as painted on the screen (not painted anew)."""
    viewport = area.viewport()
    top_left = viewport.mapTo(area.window(), QPoint(0, 0))
    whole = area.screen().grabWindow(area.window().winId()).toImage()
    return whole.copy(QRect(top_left, viewport.size())).convertToFormat(QImage.Format.Format_RGB32)


def test_a_block_far_down_is_painted_when_scrolled_into_view(qtbot: QtBot) -> None:
    area, view, blocks = busy_grid(qtbot)
    far = next(b for b in blocks if b.booking.chair == "F250" and b.booking.minutes == 135)
    rect = view.block_rect(far.booking)
    bar = area.verticalScrollBar()
    # Scrolled down a few pixels at a time, as with the wheel: each paint exposes a strip.
    target = rect.top() - 100
    while bar.value() < target:
        bar.setValue(min(target, bar.value() + 37))
        qtbot.wait(1)  # each step painted before the next
    assert bar.value() == target
    shown = on_screen(area)
    # The same part of the grid painted whole, every chair and block.
    whole = QImage(view.size(), QImage.Format.Format_RGB32)
    view.render(whole)
    expected = whole.copy(QRect(QPoint(0, target), area.viewport().size()))
    assert shown == expected
    # The block is there, in its class's colour, under its text.
    inside = rect.translated(0, -target)
    assert QColor(shown.pixel(inside.center().x(), inside.top() + 3)) == tint(
        CLASS_COLOURS[AgentClass.CHEMOTHERAPY], 0.55
    )


def test_the_block_under_the_mouse_is_found_on_any_chair(qtbot: QtBot) -> None:
    area, view, blocks = busy_grid(qtbot)
    for chair in ("F1", "F150", "F299", "F300"):
        for block in (b for b in blocks if b.booking.chair == chair):
            rect = view.block_rect(block.booking)
            assert view.block_at(rect.center()) is block
            assert view.block_at(rect.topLeft()) is block
            assert view.block_at(rect.bottomRight()) is block
            assert view.block_at(rect.topLeft() - QPoint(0, 1)) is None
            assert view.block_at(rect.bottomRight() + QPoint(1, 0)) is None
    # The last chair's first block, scrolled to and dragged one chair up at 9:00.
    last = next(b for b in blocks if b.booking.chair == "F300")
    area.ensureVisible(0, view.height() - 1)
    said: list[str] = []
    moves: list[tuple[object, object, object]] = []
    view.feedback.connect(said.append)
    view.move_requested.connect(lambda *args: moves.append(args))
    grip = view.block_rect(last.booking).center()
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=grip)
    assert view.selected == last.key
    qtbot.mouseMove(view, grip + QPoint(round(30 * PIXELS_PER_MINUTE), -ROW))
    assert said[-1] == "08:30 on F299: the chair is taken at that time"
    later = grip + QPoint(round(270 * PIXELS_PER_MINUTE), 0)  # between 12:15 and 14:00
    qtbot.mouseMove(view, later)
    assert said[-1] == "12:30 on F300: free"
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=later)
    assert moves == [(last.key, last.booking, Booking(time(12, 30), 60, "F300", MONDAY))]
