"""The month calendar's legend: what each colour, letter and mark means.

Its marks are painted by the same functions as the calendar's, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from planner import explain
from planner.core.regimen import AgentClass
from planner.gui.views.calendar_days import CLASS_ORDER, EVENT_LETTERS, event_letter
from planner.gui.views.calendar_paint import (
    ACCENT,
    GRID,
    HATCH,
    MOVED,
    MUTED,
    paint_arrow,
    paint_badge,
    paint_check,
    paint_chip,
    paint_closed,
    small_font,
)
from planner.i18n import _

Painter = Callable[[QPainter, QRect, QFont], None]
ICON_WIDTH, ICON_HEIGHT = 30, 18


def _class(agent_class: AgentClass) -> Painter:
    def paint(p: QPainter, rect: QRect, font: QFont) -> None:
        paint_badge(p, rect.adjusted(7, 0, -7, 0), (agent_class,), font)

    return paint


def _chip(letter: str) -> Painter:
    return lambda p, r, f: paint_chip(p, r.adjusted(4, 1, -4, -1), letter, f)


def _not_given(p: QPainter, rect: QRect, _font: QFont) -> None:
    p.setPen(QPen(MUTED, 1, Qt.PenStyle.DashLine))
    p.setBrush(QBrush(HATCH, Qt.BrushStyle.BDiagPattern))
    p.drawRoundedRect(rect.adjusted(1, 2, -2, -3), 3, 3)


def _closed(hatched: bool) -> Painter:
    def paint(p: QPainter, rect: QRect, _font: QFont) -> None:
        swatch = rect.adjusted(4, 1, -5, -2)
        paint_closed(p, swatch, hatched=hatched)
        p.setPen(GRID)
        p.drawRect(swatch)

    return paint


def _planned_here(p: QPainter, rect: QRect, _font: QFont) -> None:
    p.setPen(QPen(MOVED, 1, Qt.PenStyle.DashLine))
    p.drawRect(rect.adjusted(1, 1, -2, -2))
    paint_arrow(p, rect)


def _today(p: QPainter, rect: QRect, font: QFont) -> None:
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ACCENT)
    disc = QRect(rect.center().x() - 10, rect.top() + 1, 20, 16)
    p.drawRoundedRect(disc, 8, 8)
    p.setPen(Qt.GlobalColor.white)
    p.setFont(font)
    p.drawText(disc, Qt.AlignmentFlag.AlignCenter, "8")


def entries() -> list[tuple[Painter, str]]:
    """(how the mark is drawn, what it means), in the legend's order."""
    found: list[tuple[Painter, str]] = [
        (_class(c), _("Session: {therapy}").format(therapy=explain.class_name(c)))
        for c in CLASS_ORDER[:3]
    ]
    found += [
        (lambda p, r, f: paint_arrow(p, r), _("Moved from its planned date")),
        (_planned_here, _("Where a moved session was planned")),
        (lambda p, r, f: paint_check(p, r), _("Recorded as given")),
        (_not_given, _("Session not given")),
        (_closed(hatched=True), _("Closed: public holiday or unit closure")),
        (_closed(hatched=False), _("Closed: weekend")),
        (_today, _("Today")),
    ]
    found += [(_chip(event_letter(kind)), explain.event_name(kind)) for kind in EVENT_LETTERS]
    return found


class CalendarLegend(QWidget):
    """The meaning of the calendar's colours, letters and marks, in a few columns."""

    def __init__(self, parent: Any = None, columns: int = 3) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(2)
        font = small_font(self.font(), 0.9, bold=True)
        ratio = self.devicePixelRatioF()
        self.texts: list[str] = []
        for n, (paint, text) in enumerate(entries()):
            pixmap = QPixmap(round(ICON_WIDTH * ratio), round(ICON_HEIGHT * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            paint(painter, QRect(0, 0, ICON_WIDTH, ICON_HEIGHT), font)
            painter.end()
            icon = QLabel()
            icon.setPixmap(pixmap)
            label = QLabel(text)
            label.setFont(small_font(self.font(), 0.95))
            row, col = divmod(n, columns)
            layout.addWidget(icon, row, 2 * col)
            layout.addWidget(label, row, 2 * col + 1)
            self.texts.append(text)
        for col in range(columns):
            layout.setColumnStretch(2 * col + 1, 1)
