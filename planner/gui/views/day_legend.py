"""The day grid's legend: what a block's colour, letters, hatching and outline mean, what the
dashed line is, and what a block says.

Its marks are painted by the grid's own functions (planner.gui.views.day_view), so the two
cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from planner import explain
from planner.core.regimen import AgentClass
from planner.gui.views.calendar_days import CLASS_ORDER, class_letter
from planner.gui.views.calendar_paint import TEXT, small_font
from planner.gui.views.day_view import paint_afternoon, paint_block
from planner.i18n import _

Painter = Callable[[QPainter, QRect], None]
ICON_WIDTH, ICON_HEIGHT = 44, 20


def _booking(agent_class: AgentClass) -> Painter:
    def paint(p: QPainter, rect: QRect) -> None:
        block = rect.adjusted(1, 2, -2, -2)
        paint_block(p, block, (agent_class,))
        p.setPen(TEXT)
        p.drawText(block, Qt.AlignmentFlag.AlignCenter, f"[{class_letter(agent_class)}]")

    return paint


def _to_redo(p: QPainter, rect: QRect) -> None:
    paint_block(p, rect.adjusted(1, 2, -2, -2), (AgentClass.CHEMOTHERAPY,), misfit=True)


def _chosen(p: QPainter, rect: QRect) -> None:
    paint_block(p, rect.adjusted(2, 3, -3, -3), (AgentClass.IMMUNOTHERAPY,), chosen=True)


def _afternoon(p: QPainter, rect: QRect) -> None:
    paint_afternoon(p, rect.center().x(), rect.top(), rect.bottom())


def entries() -> list[tuple[Painter, str]]:
    """(how the mark is drawn, what it means), in the legend's order."""
    found: list[tuple[Painter, str]] = [
        (
            _booking(c),
            _("Booking: {therapy} ({letter})").format(
                therapy=explain.class_name(c), letter=class_letter(c)
            ),
        )
        for c in CLASS_ORDER
    ]
    found += [
        (_to_redo, _("Hatched: booking to redo (the session moved, the day closed…)")),
        (_chosen, _("The block chosen (arrow keys; Shift+arrows move it)")),
        (_afternoon, _("Dashed line: the afternoon begins (patients' preferences)")),
    ]
    return found


class DayLegend(QWidget):
    """The meaning of the day grid's colours, letters and lines, and what a block says."""

    def __init__(self, parent: QWidget | None = None, columns: int = 4) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(2)
        font = small_font(self.font(), 0.9)
        ratio = self.devicePixelRatioF()
        self.texts: list[str] = []
        marks = entries()
        for count, (paint, text) in enumerate(marks):
            pixmap = QPixmap(round(ICON_WIDTH * ratio), round(ICON_HEIGHT * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setFont(font)
            paint(painter, QRect(0, 0, ICON_WIDTH, ICON_HEIGHT))
            painter.end()
            icon = QLabel()
            icon.setPixmap(pixmap)
            label = QLabel(text)
            label.setFont(small_font(self.font(), 0.95))
            label.setWordWrap(True)  # narrow screens: two lines rather than a wider window
            row, col = divmod(count, columns)
            layout.addWidget(icon, row, 2 * col)
            layout.addWidget(label, row, 2 * col + 1)
            self.texts.append(text)
        reading = _(
            "Each block: the drug classes' letters, the patient's initials, the chair time "
            "(hours and minutes), the regimen. Hover over it for everything; drag it to "
            "move it."
        )
        note = QLabel(reading)
        note.setWordWrap(True)
        note.setFont(small_font(self.font(), 0.95))
        layout.addWidget(note, -(-len(marks) // columns), 0, 1, 2 * columns)
        self.texts.append(reading)
        for col in range(columns):
            layout.setColumnStretch(2 * col + 1, 1)
