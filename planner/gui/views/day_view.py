"""One day of the day hospital: chairs down the side, hours across, each booking a block.

A block shows the patient's initials, the regimen and the expected length, coloured by the
regimen's classes (with their letters, for grey print and colour-blind readers); a booking
that no longer fits (a closure, new hours...) is hatched and outlined. Drag a block to move
it: the place under the mouse says at once whether it fits and, if not, why; dropping it
where it fits asks the window to record the move (one undoable command). With the keyboard:
Tab to the grid, the arrow keys choose a block, Shift+arrows move it a slot or a chair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget
from typing_extensions import override

from planner import explain
from planner.core.booking import Booking
from planner.core.chairs import BookingKey, DayFigures, Occupancy, Problem, UnitResources
from planner.core.regimen import AgentClass
from planner.gui.plain import tip
from planner.gui.views.calendar_days import class_letter
from planner.gui.views.calendar_paint import (
    ACCENT,
    CLASS_COLOURS,
    GRID,
    MOVED,
    MUTED,
    TEXT,
    small_font,
    tint,
)
from planner.gui.views.day_starts import STARTS, paint_starts, starts_tip
from planner.i18n import _

ROW = 34
HOURS = 24
"""The hours' band, at the top."""
HEADER = HOURS + STARTS
"""The hours, then the day's starts per slot (:mod:`planner.gui.views.day_starts`)."""
NAMES = 84
PIXELS_PER_MINUTE = 1.6
DASH_PERIOD = 6
"""Pixels from one dash of the afternoon's line to the next (Qt's DashLine: 4 on, 2 off)."""


@dataclass(frozen=True, slots=True)
class DayBlock:
    """What a booking's block says (Qt-free values, made by the window from the unit)."""

    key: BookingKey
    booking: Booking
    initials: str
    patient: str
    regimen: str
    cycle_day: str
    classes: tuple[AgentClass, ...]
    misfit: str = ""
    """Why the booking no longer fits, or ""."""


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def chair_time(minutes: int) -> str:
    """ "2 h 45": hours and minutes, as French and English nurses both write them."""
    return f"{minutes // 60} h {minutes % 60:02d}"


def block_text(block: DayBlock) -> str:
    """ "[C] J. M. · 2 h 45 · FOLFIRI (...)": the classes' letters, the initials, the chair
    time, then the regimen's name (cut first when the block is short)."""
    text = f"{block.initials} · {chair_time(block.booking.minutes)} · {block.regimen}"
    letters = "".join(class_letter(c) for c in block.classes)
    return f"[{letters}] {text}" if letters else text


def paint_block(
    p: QPainter,
    rect: QRect,
    classes: tuple[AgentClass, ...],
    *,
    misfit: bool = False,
    chosen: bool = False,
) -> None:
    """A booking's block: filled with its first class's colour, outlined, hatched when the
    booking is to redo, outlined thick in the accent colour when chosen (the grid and its
    legend both paint blocks here, so that they cannot disagree)."""
    main = CLASS_COLOURS[classes[0]] if classes else QColor("#BBBBBB")
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(tint(main, 0.55))
    outline = ACCENT if chosen else MOVED if misfit else TEXT
    p.setPen(QPen(outline, 2.5 if chosen else 1))
    p.drawRoundedRect(rect, 4, 4)
    if misfit:
        p.setBrush(QBrush(MOVED, Qt.BrushStyle.BDiagPattern))
        p.drawRoundedRect(rect, 4, 4)
    p.restore()


def paint_afternoon(p: QPainter, x: int, top: int, bottom: int) -> None:
    """Where the afternoon begins (patients who come mornings or afternoons)."""
    p.save()
    p.setPen(QPen(ACCENT, 1, Qt.PenStyle.DashLine))
    p.drawLine(x, top, x, bottom)
    p.restore()


class DayGridView(QWidget):
    """The chairs × hours grid of one day (see the module's docstring)."""

    move_requested = Signal(object, object, object)
    """(key, booking before, booking after): a block was dropped where it fits."""
    feedback = Signal(str)
    """What the place under a dragged block says ("" when nothing is dragged)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Chairs and hours of the day"))
        self.occupancy: Occupancy | None = None
        self.day: date | None = None
        self.blocks: list[DayBlock] = []
        self.figures: DayFigures | None = None
        """The day's peak, bound and starts per slot (None: closed)."""
        self.selected: BookingKey | None = None
        self.editable = True
        """False for a day long past: its bookings are shown, not moved."""
        self._opens, self._closes = 8 * 60, 18 * 60
        self._drag: tuple[DayBlock, int] | None = None
        """The block being dragged and where the mouse took it (minutes into the block)."""
        self._ghost: tuple[Booking, Problem | None] | None = None
        self._rows: dict[str, int] = {}
        """Each chair's row, by name (for the resources in :attr:`_rows_of`)."""
        self._rows_of: UnitResources | None = None
        self._by_row: dict[int, list[DayBlock]] = {}
        """The day's blocks by row, each row's in the order of :attr:`blocks` (the order
        they are painted in): a paint visits only the rows it exposes, and the block under
        the mouse is looked for only in its row. Row -1 holds blocks on no known chair."""

    # ------------------------------------------------------------------ data
    def set_day(self, occupancy: Occupancy, day: date, blocks: list[DayBlock]) -> None:
        self.occupancy, self.day, self.blocks = occupancy, day, blocks
        self.figures = occupancy.figures(day)
        rows, self._by_row = self._chair_rows(), {}
        for block in blocks:
            self._by_row.setdefault(rows.get(block.booking.chair, -1), []).append(block)
        hours = occupancy.hours_on(day)
        if hours is not None:
            self._opens, self._closes = _minutes(hours[0]), _minutes(hours[1])
        if self.selected not in {b.key for b in blocks}:
            self.selected = None
        self._drag = self._ghost = None
        self.updateGeometry()
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def is_open(self) -> bool:
        return (
            self.occupancy is not None
            and self.day is not None
            and bool(self.occupancy.hours_on(self.day))
        )

    @override
    def sizeHint(self) -> QSize:
        chairs = len(self.occupancy.resources.chairs) if self.occupancy else 6
        width = NAMES + int((self._closes - self._opens) * PIXELS_PER_MINUTE) + 8
        return QSize(width, HEADER + chairs * ROW + 2)

    # ------------------------------------------------------------------ geometry
    def _x(self, minute: int) -> int:
        return NAMES + round((minute - self._opens) * PIXELS_PER_MINUTE)

    def _minute_at(self, x: int) -> int:
        return self._opens + round((x - NAMES) / PIXELS_PER_MINUTE)

    def _chair_rows(self) -> dict[str, int]:
        """Each chair's row by name (made again only when the chairs change)."""
        assert self.occupancy is not None
        resources = self.occupancy.resources
        if resources is not self._rows_of:
            self._rows = {}
            for n, chair in enumerate(resources.chairs):
                self._rows.setdefault(chair.name, n)  # the first of a name, as ever
            self._rows_of = resources
        return self._rows

    def _chair_row(self, name: str) -> int:
        """The chair's row; -1 for a chair the unit no longer has."""
        return self._chair_rows().get(name, -1)

    def _rows_in(self, rect: QRect) -> range:
        """The rows (-1 included: above the first chair) that ``rect`` touches."""
        return range(
            max(-1, (rect.top() - HEADER) // ROW),
            (rect.bottom() - HEADER) // ROW + 1,
        )

    def block_rect(self, booking: Booking) -> QRect:
        start = _minutes(booking.start)
        row = self._chair_row(booking.chair)
        left, right = self._x(start), self._x(start + booking.minutes)
        return QRect(left + 1, HEADER + row * ROW + 3, max(6, right - left - 2), ROW - 6)

    def block_at(self, point: QPoint) -> DayBlock | None:
        # A block lies within its row's band: only that row's blocks can be under point.
        row = (point.y() - HEADER) // ROW
        for block in reversed(self._by_row.get(row, ())):
            if self.block_rect(block.booking).contains(point):
                return block
        return None

    def _place_at(self, block: DayBlock, point: QPoint, grip: int) -> Booking | None:
        """The booking ``block`` would have with its grip point at ``point`` (on the slot
        grid); None outside the chairs."""
        assert self.occupancy is not None
        chairs = self.occupancy.resources.chairs
        row = (point.y() - HEADER) // ROW
        if not 0 <= row < len(chairs):
            return None
        slot = self.occupancy.resources.slot_minutes
        start = self._minute_at(point.x()) - grip
        start = self._opens + round((start - self._opens) / slot) * slot
        start = max(0, min(start, 24 * 60 - slot))
        return Booking(
            time(start // 60, start % 60), block.booking.minutes, chairs[row].name, self.day
        )

    # ------------------------------------------------------------------ painting
    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        # In its scroll area the grid is as tall as all the chairs (17,000 pixels for 500):
        # a paint draws only what meets the exposed rectangle (the part scrolled into view,
        # or what changed), in the same order as a whole paint, so it looks the same.
        exposed = event.rect()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        if self.occupancy is None or self.day is None:
            return
        chairs = self.occupancy.resources.chairs
        font = small_font(self.font(), 0.9)
        p.setFont(font)
        fm = QFontMetrics(font)
        bottom = HEADER + len(chairs) * ROW
        if not self.is_open():
            p.setPen(MUTED)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("The unit is closed."))
            return
        # Hours and half-hours.
        for minute in range(self._opens - self._opens % 30, self._closes + 1, 30):
            if minute < self._opens:
                continue
            x = self._x(minute)
            p.setPen(QPen(GRID, 1 if minute % 60 else 1.6))
            p.drawLine(x, HOURS - 4, x, bottom)
            if minute % 60 == 0:
                p.setPen(TEXT)
                p.drawText(x + 3, HOURS - 8, f"{minute // 60}:00")
        if self.figures is not None and exposed.top() < HEADER:
            slot = self.occupancy.resources.slot_minutes
            paint_starts(
                p,
                self.figures,
                HOURS,
                lambda n: self._x(self._opens + n * slot),
                QRect(4, HOURS, NAMES - 8, STARTS),
            )
        # The afternoon begins here (patients' preferences).
        noon = _minutes(self.occupancy.resources.afternoon)
        if self._opens < noon < self._closes:
            # Drawn over the exposed part only, from a whole number of dashes below its top:
            # drawn whole and cut by the clip, its dashes came out of step with those above
            # when a scroll painted a strip alone.
            top = HOURS - 4
            first = top + max(0, exposed.top() - top) // DASH_PERIOD * DASH_PERIOD
            last = min(bottom, exposed.bottom() + DASH_PERIOD)
            if first <= last:
                paint_afternoon(p, self._x(noon), first, last)
        p.setPen(MUTED)
        p.drawText(QRect(4, 0, NAMES - 8, HOURS - 4), Qt.AlignmentFlag.AlignBottom, _("Chair"))
        rows = self._rows_in(exposed)
        for row in range(max(0, rows.start - 1), min(len(chairs), rows.stop + 1)):
            chair = chairs[row]
            y = HEADER + row * ROW
            p.setPen(GRID)
            p.drawLine(0, y, self._x(self._closes), y)
            p.setPen(TEXT)
            label = chair.name + (" " + _("(bed)") if chair.bed else "")
            p.drawText(
                QRect(4, y, NAMES - 8, ROW),
                Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(label, Qt.TextElideMode.ElideRight, NAMES - 8),
            )
        p.setPen(GRID)
        p.drawLine(0, bottom, self._x(self._closes), bottom)
        # A block's outline (2.5 pixels when chosen) stays within a pixel or two of it.
        reach = exposed.adjusted(-3, -3, 3, 3)
        for row in rows:
            for block in self._by_row.get(row, ()):
                if not self.block_rect(block.booking).intersects(reach):
                    continue
                dragged = self._drag is not None and self._drag[0].key == block.key
                self._paint_block(p, block, fm, faded=dragged)
        if self._ghost is not None and self._drag is not None:
            booking, problem = self._ghost
            rect = self.block_rect(booking)
            colour = ACCENT if problem is None else MOVED
            p.setPen(
                QPen(
                    colour, 2.5, Qt.PenStyle.SolidLine if problem is None else Qt.PenStyle.DashLine
                )
            )
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect, 4, 4)

    def _paint_block(self, p: QPainter, block: DayBlock, fm: QFontMetrics, faded: bool) -> None:
        rect = self.block_rect(block.booking)
        paint_block(
            p, rect, block.classes, misfit=bool(block.misfit), chosen=block.key == self.selected
        )
        if faded:
            p.fillRect(rect, QColor(255, 255, 255, 110))
        p.setPen(TEXT)
        p.drawText(
            rect.adjusted(5, 0, -3, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(block_text(block), Qt.TextElideMode.ElideRight, max(0, rect.width() - 8)),
        )

    # ------------------------------------------------------------------ mouse
    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        block = self.block_at(event.position().toPoint())
        self.selected = block.key if block is not None else None
        if block is not None and event.button() == Qt.MouseButton.LeftButton and self.editable:
            start = _minutes(block.booking.start)
            self._drag = (block, self._minute_at(event.position().toPoint().x()) - start)
        self.update()

    @override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._drag is None:
            block = self.block_at(point)
            self.setCursor(Qt.CursorShape.OpenHandCursor if block else Qt.CursorShape.ArrowCursor)
            return
        block, grip = self._drag
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        target = self._place_at(block, point, grip)
        if target is None:
            self._ghost = None
            self.feedback.emit(_("Drop it on a chair."))
        else:
            self._ghost = (target, self.check(block, target))
            self.feedback.emit(self.describe(target, self._ghost[1]))
        self.update()

    @override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, ghost = self._drag, self._ghost
        self._drag = self._ghost = None
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.feedback.emit("")
        self.update()
        if drag is None or ghost is None:
            return
        block, (target, problem) = drag[0], ghost
        if problem is None and target != block.booking:
            self.move_requested.emit(block.key, block.booking, target)

    @override
    def event(self, event: object) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QHelpEvent

        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            block = self.block_at(event.pos())
            starts = self.starts_tooltip(event.pos())
            if starts:
                QToolTip.showText(event.globalPos(), starts, self)
            elif block is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), tip(self.tooltip(block)), self)
            return True
        return super().event(event)  # type: ignore[arg-type]

    def starts_tooltip(self, point: QPoint) -> str:
        """What the starts' strip says of the slot under ``point`` ("" elsewhere)."""
        figures = self.figures
        if figures is None or not HOURS <= point.y() < HEADER or point.x() < NAMES:
            return ""
        assert self.occupancy is not None
        slot = self.occupancy.resources.slot_minutes
        n = (self._minute_at(point.x()) - self._opens) // slot
        if not 0 <= n < len(figures.starts):
            return ""
        minute = self._opens + n * slot
        return starts_tip(figures, n, time(minute // 60, minute % 60))

    def tooltip(self, block: DayBlock) -> str:
        b = block.booking
        lines = [
            block.patient,
            _("Regimen: {regimen}").format(regimen=block.regimen),
            _("Cycle and day: {cycle_day}").format(cycle_day=block.cycle_day),
            _("{start}–{end} on {chair} (chair time {minutes})").format(
                start=b.start.isoformat(timespec="minutes"),
                end=b.end.isoformat(timespec="minutes"),
                chair=b.chair,
                minutes=chair_time(b.minutes),
            ),
        ]
        if block.misfit:
            lines.append(_("To book again: {why}").format(why=block.misfit))
        return "\n".join(lines)

    # ------------------------------------------------------------------ checking
    def check(self, block: DayBlock, target: Booking) -> Problem | None:
        assert self.occupancy is not None
        return self.occupancy.problem(target, ignore=block.key)

    def describe(self, target: Booking, problem: Problem | None) -> str:
        where = _("{start} on {chair}").format(
            start=target.start.isoformat(timespec="minutes"), chair=target.chair
        )
        if problem is None:
            return _("{where}: free").format(where=where)
        return _("{where}: {why}").format(where=where, why=explain.booking_problem_text(problem))

    # ------------------------------------------------------------------ keyboard
    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        arrows = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
        if key not in arrows or not self.blocks:
            super().keyPressEvent(event)
            return
        current = next((b for b in self.blocks if b.key == self.selected), None)
        shifted = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if current is None or not shifted or not self.editable:
            self._select_next(current, key)
            return
        assert self.occupancy is not None
        slot = self.occupancy.resources.slot_minutes
        chairs = self.occupancy.resources.chairs
        b = current.booking
        start = _minutes(b.start)
        row = self._chair_row(b.chair)
        if key == Qt.Key.Key_Left:
            start -= slot
        elif key == Qt.Key.Key_Right:
            start += slot
        elif key == Qt.Key.Key_Up:
            row -= 1
        else:
            row += 1
        if not 0 <= row < len(chairs) or not 0 <= start < 24 * 60:
            return
        target = Booking(time(start // 60, start % 60), b.minutes, chairs[row].name, b.day)
        problem = self.check(current, target)
        self.feedback.emit(self.describe(target, problem))
        if problem is None:
            self.move_requested.emit(current.key, b, target)

    def _select_next(self, current: DayBlock | None, key: int) -> None:
        order = sorted(
            self.blocks,
            key=lambda b: (self._chair_row(b.booking.chair), _minutes(b.booking.start)),
        )
        if current is None:
            chosen = order[0]
        else:
            n = order.index(current)
            step = 1 if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) else -1
            chosen = order[(n + step) % len(order)]
        self.selected = chosen.key
        self.feedback.emit(self.tooltip(chosen).replace("\n", " · "))
        self.update()
