"""How the month calendar and its legend draw a day's marks: one place for both.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), and every
colour comes with a letter or a shape, so the calendar also reads printed in grey.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen, QPolygonF

from planner.core.regimen import AgentClass
from planner.gui.views.calendar_days import SessionMark, class_letter

CLASS_COLOURS = {
    AgentClass.CHEMOTHERAPY: QColor("#E69F00"),  # Okabe-Ito orange
    AgentClass.TARGETED: QColor("#56B4E9"),  # sky blue
    AgentClass.IMMUNOTHERAPY: QColor("#009E73"),  # bluish green
    AgentClass.SUPPORTIVE: QColor("#BBBBBB"),
}
MOVED = QColor("#D55E00")  # vermillion
ACCENT = QColor("#0072B2")  # blue: today and the selected day
TEXT = QColor("#1A1A1A")
MUTED = QColor("#8C8C8C")
GRID = QColor("#D6D6D6")
CLOSED = QColor("#EDEDED")
HATCH = QColor("#C4C4C4")
OUTSIDE = QColor("#F8F8F8")
CHIP = QColor("#F4F4F4")
CHIP_BORDER = QColor("#6E6E6E")


def tint(colour: QColor, amount: float = 0.6) -> QColor:
    """``colour`` mixed with white: a light fill that keeps dark text readable."""

    def mix(c: int) -> int:
        return round(c + (255 - c) * amount)

    return QColor(mix(colour.red()), mix(colour.green()), mix(colour.blue()))


def small_font(base: QFont, scale: float = 0.85, *, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(6.5, base.pointSizeF() * scale))
    font.setBold(bold)
    return font


def paint_badge(p: QPainter, rect: QRect, classes: tuple[AgentClass, ...], font: QFont) -> int:
    """One full-colour square per class with its letter, from the left of ``rect``; the width."""
    p.save()
    p.setFont(font)
    x = rect.left()
    for agent_class in classes:
        letter = class_letter(agent_class)
        fm = QFontMetrics(font)
        width = max(fm.height() + 2, fm.horizontalAdvance(letter) + 6)
        square = QRect(x, rect.top(), width, rect.height())
        p.fillRect(square, CLASS_COLOURS[agent_class])
        p.setPen(TEXT)
        p.drawText(square, Qt.AlignmentFlag.AlignCenter, letter)
        x += width
    p.restore()
    return x - rect.left()


def paint_chip(p: QPainter, rect: QRect, letter: str, font: QFont) -> None:
    """An event: a light rounded chip with a dark outline and its letter."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(CHIP_BORDER, 1))
    p.setBrush(CHIP)
    p.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 4, 4)
    p.setFont(font)
    p.setPen(TEXT)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)
    p.restore()


def paint_arrow(p: QPainter, rect: QRect) -> None:
    """A moved session: a vermillion arrow pointing right (from where it was planned)."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c, h = QPointF(rect.center()), rect.height() * 0.32
    p.setPen(QPen(MOVED, 2))
    p.drawLine(QPointF(c.x() - h, c.y()), QPointF(c.x() + h * 0.4, c.y()))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(MOVED)
    head = [
        (c.x() + h, c.y()),
        (c.x() + h * 0.1, c.y() - h * 0.8),
        (c.x() + h * 0.1, c.y() + h * 0.8),
    ]
    p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in head]))
    p.restore()


def paint_check(p: QPainter, rect: QRect) -> None:
    """A session recorded as given: a check mark."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(TEXT, 2))
    c, h = QPointF(rect.center()), rect.height() * 0.28
    points = [(c.x() - h, c.y()), (c.x() - h * 0.3, c.y() + h * 0.8), (c.x() + h, c.y() - h)]
    p.drawPolyline(QPolygonF([QPointF(x, y) for x, y in points]))
    p.restore()


def paint_closed(p: QPainter, rect: QRect, hatched: bool) -> None:
    """A closed day: grey, hatched for a public holiday or a unit closure."""
    p.fillRect(rect, CLOSED)
    if hatched:
        p.fillRect(rect, QBrush(HATCH, Qt.BrushStyle.BDiagPattern))


def paint_session(p: QPainter, rect: QRect, mark: SessionMark, font: QFont) -> None:
    """A session bar: tinted by its main class, the class letters on the left, the drugs, then
    an arrow when it moved and a check when it was given."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if mark.omitted:
        p.setPen(QPen(MUTED, 1, Qt.PenStyle.DashLine))
        p.setBrush(QBrush(HATCH, Qt.BrushStyle.BDiagPattern))
    else:
        main = CLASS_COLOURS[mark.classes[0]] if mark.classes else MUTED
        p.setPen(QPen(main.darker(130), 1))
        p.setBrush(tint(main))
    p.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 3, 3)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    inner = rect.adjusted(1, 1, -1, -1)
    left = paint_badge(p, inner, mark.classes, small_font(font, 0.9, bold=True))
    right = inner.right()
    side = min(inner.height(), QFontMetrics(font).height() + 3)
    marks = ((paint_check,) if mark.given else ()) + ((paint_arrow,) if mark.moved else ())
    for paint_mark in marks:
        box = QRect(right - side + 1, inner.center().y() - side // 2, side, side)
        paint_mark(p, box)
        right = box.left() - 1
    text = QRect(
        inner.left() + left + 4, inner.top(), right - inner.left() - left - 4, inner.height()
    )
    label_font = QFont(font)
    label_font.setStrikeOut(mark.omitted)
    p.setFont(label_font)
    p.setPen(MUTED if mark.omitted else TEXT)
    fm = QFontMetrics(label_font)
    wrapped = wrap(mark.label, fm, text.width(), max(1, text.height() // fm.height()))
    p.drawText(text, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, wrapped)
    p.restore()


def wrap(text: str, fm: QFontMetrics, width: int, lines: int) -> str:
    """``text`` on at most ``lines`` lines of ``width``, broken after commas, the last elided."""
    done: list[str] = []
    current = ""
    for word in text.split(", "):
        candidate = f"{current}, {word}" if current else word
        if not current or fm.horizontalAdvance(candidate) <= width:
            current = candidate
        elif len(done) + 1 < lines:
            done.append(current + ",")
            current = word
        else:
            current = candidate
            break
    done.append(fm.elidedText(current, Qt.TextElideMode.ElideRight, width))
    return "\n".join(done)
