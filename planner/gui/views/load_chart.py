"""The unit's load for the coming weeks: one bar per open day, chair time booked against
what the chairs offer. Peaks and free capacity show at a glance: under 70 % blue, up to 90 %
orange, above vermilion and hatched (readable in grey too). Clicking a day, or Enter on
the day chosen with the arrow keys, opens it.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget
from typing_extensions import override

from planner import explain
from planner.core.chairs import DayLoad
from planner.core.regimen import AgentClass
from planner.gui.views.calendar_paint import (
    ACCENT,
    CLASS_COLOURS,
    GRID,
    MOVED,
    MUTED,
    TEXT,
    small_font,
)
from planner.i18n import _, format_date, ngettext

BAR = 11
GAP = 3
TOP = 22
"""Room above the 100 % line for its label and the chart's caption."""
LEGEND = 18
AXIS = 40
"""Room left of the bars for the percentages."""


def level_colour(ratio: float) -> tuple[QColor, Qt.BrushStyle]:
    if ratio > 0.9:
        return MOVED, Qt.BrushStyle.Dense3Pattern
    if ratio > 0.7:
        return CLASS_COLOURS[AgentClass.CHEMOTHERAPY], Qt.BrushStyle.SolidPattern
    return ACCENT, Qt.BrushStyle.SolidPattern


class LoadChart(QWidget):
    day_chosen = Signal(object)
    """The day (a date) to open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Load of the coming weeks"))
        self.days: list[DayLoad] = []
        self.current: date | None = None

    def set_loads(self, days: list[DayLoad], current: date | None = None) -> None:
        self.days = [d for d in days if d.capacity_minutes]
        self.current = current
        self.updateGeometry()
        self.update()

    @override
    def sizeHint(self) -> QSize:
        return QSize(max(300, len(self.days) * (BAR + GAP) + 60), 120)

    def _bar_rect(self, n: int) -> QRect:
        height = self.height() - TOP - LEGEND - 6
        x = AXIS + n * (BAR + GAP)
        return QRect(x, TOP, BAR, height)

    def day_at(self, point: QPoint) -> DayLoad | None:
        for n, day in enumerate(self.days):
            rect = self._bar_rect(n).adjusted(-GAP // 2, 0, GAP // 2, 0)
            if rect.contains(point):
                return day
        return None

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().base())
        font = small_font(self.font(), 0.8)
        p.setFont(font)
        if not self.days:
            p.setPen(MUTED)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No open day to show."))
            return
        full = self._bar_rect(0)
        for share in (0.5, 0.7, 0.9, 1.0):
            y = full.bottom() - round(full.height() * share)
            p.setPen(QPen(GRID, 1, Qt.PenStyle.DotLine if share < 1 else Qt.PenStyle.SolidLine))
            p.drawLine(AXIS - 4, y, self.width() - 4, y)
            p.setPen(MUTED)
            # 100 % above its line (it would sit on 90 %'s), the others on theirs.
            top = y - 14 if share == 1 else y - 7
            p.drawText(
                QRect(0, top, AXIS - 6, 14),
                Qt.AlignmentFlag.AlignRight,
                explain.format_share(share),
            )
        p.setPen(TEXT)
        p.drawText(
            QRect(AXIS, 0, max(0, self.width() - AXIS - 4), TOP - 3),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
            _(
                "Chair time booked each open day, as a share of what the chairs offer in the "
                "opening hours ({full}); under each week's first open day, its date"
            ).format(full=explain.format_share(1)),
        )
        metrics = QFontMetrics(font)
        free = 0  # where the next date under the bars may start without covering the last
        for n, day in enumerate(self.days):
            rect = self._bar_rect(n)
            ratio = min(day.ratio, 1.0)
            height = max(1, round(rect.height() * ratio)) if day.bookings else 0
            bar = QRect(rect.left(), rect.bottom() - height + 1, rect.width(), height)
            colour, style = level_colour(day.ratio)
            p.fillRect(bar, QBrush(colour, style))
            p.setPen(QPen(TEXT, 0.6))
            p.drawRect(bar)
            if day.day == self.current:
                p.setPen(QPen(ACCENT, 2))
                p.drawRect(rect.adjusted(-2, -2, 2, 2))
            first = n == 0 or day.day.isocalendar()[:2] != self.days[n - 1].day.isocalendar()[:2]
            if first and rect.left() >= free:  # the week's first open day, where it fits
                p.setPen(TEXT)
                short = " ".join(format_date(day.day).split()[:3])  # "Mon 8 Mar"
                p.drawText(rect.left(), self.height() - 6, short)
                free = rect.left() + metrics.horizontalAdvance(short) + 6

    @override
    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            day = self.day_at(event.pos())
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip(day), self)
            return True
        return super().event(event)

    @staticmethod
    def tooltip(day: DayLoad) -> str:
        booked = _("{date}: {booked} of {capacity} chair hours booked ({share})").format(
            date=format_date(day.day),
            booked=explain.format_number(day.booked_minutes / 60),
            capacity=explain.format_number(day.capacity_minutes / 60),
            share=explain.format_share(day.ratio),
        )
        sessions = ngettext("{n} session", "{n} sessions", day.bookings).format(n=day.bookings)
        chairs = ngettext(
            "at most {n} chair at once", "at most {n} chairs at once", day.peak_chairs
        ).format(n=day.peak_chairs)
        return f"{booked}\n{sessions}, {chairs}"

    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        if day is not None:
            self.current = day.day
            self.update()
            self.day_chosen.emit(day.day)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.days:
            super().keyPressEvent(event)
            return
        days = [d.day for d in self.days]
        n = days.index(self.current) if self.current in days else 0
        if event.key() == Qt.Key.Key_Right:
            n = min(n + 1, len(days) - 1)
        elif event.key() == Qt.Key.Key_Left:
            n = max(n - 1, 0)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.day_chosen.emit(days[n])
            return
        else:
            super().keyPressEvent(event)
            return
        self.current = days[n]
        self.setToolTip(self.tooltip(self.days[n]))
        self.update()


def weeks_from(day: date, weeks: int) -> tuple[date, date]:
    """Monday of ``day``'s week, and the Sunday ``weeks`` weeks later."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(weeks=weeks) - timedelta(days=1)
