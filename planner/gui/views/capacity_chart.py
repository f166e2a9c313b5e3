"""The chairs each weekday needs, as bars: the chairs found enough (the number above), the
bound below which no placement can go (a line across the bar), and the unit's own chairs as
a dashed line across the chart. A weekday needing more than the unit has is hatched
vermilion, so that it reads in grey too."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QBrush, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget
from typing_extensions import override

from planner.day_hospital.bookings import WeekdayNeeds
from planner.gui.views.calendar_paint import ACCENT, GRID, MOVED, MUTED, TEXT, small_font, tint
from planner.i18n import _, ngettext, weekday_name

TOP = 40
"""Room above the tallest bar for its number, and the chart's caption."""
BOTTOM = 22
"""Room under the bars for the weekdays' names."""
LEFT = 8


class CapacityChart(QWidget):
    """Chairs needed per weekday against the unit's chairs (see the module's docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("Chairs needed each weekday"))
        self.needs: list[WeekdayNeeds] = []
        self.chairs = 0

    def set_needs(self, needs: list[WeekdayNeeds], chairs: int) -> None:
        """``chairs``: the chairs and beds the unit has."""
        self.needs, self.chairs = list(needs), chairs
        self.update()

    @override
    def sizeHint(self) -> QSize:
        return QSize(420, 220)

    @override
    def minimumSizeHint(self) -> QSize:
        return QSize(240, 140)

    def _top_value(self) -> int:
        return max([self.chairs, *(w.chairs for w in self.needs), 1])

    def _y(self, value: float) -> int:
        height = self.height() - TOP - BOTTOM
        return self.height() - BOTTOM - round(value / self._top_value() * height)

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().base())
        font = small_font(self.font(), 0.9)
        p.setFont(font)
        fm = QFontMetrics(font)
        base = self.height() - BOTTOM
        p.setPen(GRID)
        p.drawLine(LEFT, base, self.width() - LEFT, base)
        if not self.needs:
            p.setPen(MUTED)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("Nothing counted yet."))
            return
        p.setPen(MUTED)
        p.drawText(
            QRect(LEFT, 2, self.width() - 2 * LEFT, fm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(
                _(
                    "Chairs each weekday needs: the bar, the fewest the optimiser found enough; "
                    "the black line, fewer cannot do"
                ),
                Qt.TextElideMode.ElideRight,
                self.width() - 2 * LEFT,
            ),
        )
        slot = (self.width() - 2 * LEFT) / len(self.needs)
        bar = max(12, min(64, round(slot * 0.55)))
        for n, w in enumerate(self.needs):
            centre = LEFT + round(slot * (n + 0.5))
            rect = QRect(centre - bar // 2, self._y(w.chairs), bar, base - self._y(w.chairs))
            over = w.chairs > self.chairs
            p.setPen(QPen(TEXT, 1))
            p.setBrush(tint(MOVED if over else ACCENT, 0.35))
            p.drawRect(rect)
            if over:
                p.setBrush(QBrush(MOVED, Qt.BrushStyle.BDiagPattern))
                p.drawRect(rect)
            # The bound: no placement of this weekday's sessions needs fewer.
            y = self._y(w.chairs_bound)
            p.setPen(QPen(TEXT, 2))
            p.drawLine(rect.left() - 3, y, rect.right() + 3, y)
            p.setPen(TEXT)
            number = str(w.chairs)
            p.drawText(
                QRect(centre - 40, rect.top() - fm.height() - 2, 80, fm.height()),
                Qt.AlignmentFlag.AlignCenter,
                number,
            )
            name = fm.elidedText(weekday_name(w.weekday), Qt.TextElideMode.ElideRight, int(slot))
            p.drawText(
                QRect(round(centre - slot / 2), base + 3, round(slot), BOTTOM - 3),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                name,
            )
        # The unit's own chairs, across the chart.
        y = self._y(self.chairs)
        p.setPen(QPen(MOVED, 1.6, Qt.PenStyle.DashLine))
        p.drawLine(LEFT, y, self.width() - LEFT, y)
        label = ngettext("the unit's {n} chair", "the unit's {n} chairs", self.chairs).format(
            n=self.chairs
        )
        p.setPen(MOVED)
        width = fm.horizontalAdvance(label) + 6
        p.fillRect(QRect(self.width() - LEFT - width, y - fm.height() - 1, width, fm.height()),
                   self.palette().base())  # fmt: skip
        p.drawText(
            QRect(self.width() - LEFT - width, y - fm.height() - 1, width, fm.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            label,
        )
