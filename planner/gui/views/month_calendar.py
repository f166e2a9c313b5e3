"""A month of one patient's plan: sessions, checks and closures on a six-week grid.

What is on each day comes from :mod:`planner.gui.views.calendar_days` and how a mark looks
from :mod:`planner.gui.views.calendar_paint`; this widget lays the days out, paints them and
turns clicks and keys into dates.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QToolTip, QWidget
from typing_extensions import override

from planner.core.closures import ClosureCalendar, ClosureKind
from planner.core.engine import months_after
from planner.core.plan_schedule import PlanSchedule
from planner.gui.plain import tip
from planner.gui.views.calendar_days import DayInfo, day_infos, event_letter
from planner.gui.views.calendar_legend import CalendarLegend
from planner.gui.views.calendar_paint import (
    ACCENT,
    GRID,
    MOVED,
    MUTED,
    OUTSIDE,
    TEXT,
    paint_arrow,
    paint_chip,
    paint_closed,
    paint_session,
    small_font,
    tint,
)
from planner.i18n import _

__all__ = ["CalendarLegend", "MonthCalendar"]
"""The legend is re-exported: the calendar and its legend go together."""

WEEKS = 6
"""At most: a month spans four to six weeks, and the grid shows just those (its rows are
taller for it on a small screen)."""
MIN_CELL = QSize(90, 28)
CELL = QSize(132, 96)
MARGIN = 6
PAD = 4


class MonthCalendar(QWidget):
    """One month of a plan, Monday first; click or Enter activates a day."""

    date_activated = Signal(object)
    """A ``datetime.date`` was clicked, or Enter pressed on it."""
    date_selected = Signal(object)
    """The selected ``datetime.date`` changed (click, arrow keys, :meth:`select_date`)."""
    month_changed = Signal(int, int)

    def __init__(self, parent: Any = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._schedule: PlanSchedule | None = None
        self._closures = ClosureCalendar()
        self._today = today
        self._selected = today or date(2000, 1, 1)
        self._year, self._month = self._selected.year, self._selected.month
        self._infos: dict[date, DayInfo] = {}
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Month calendar"))
        self.setAutoFillBackground(False)

        self.previous_button = QToolButton(self)
        self.previous_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.previous_button.setToolTip(_("Previous month (Page Up)"))
        self.next_button = QToolButton(self)
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.setToolTip(_("Next month (Page Down)"))
        self.title = QLabel(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self._nav = QWidget(self)
        nav = QHBoxLayout(self._nav)
        nav.setContentsMargins(MARGIN, MARGIN, MARGIN, 2)
        self.today_button = QToolButton(self)
        self.today_button.setText(_("Today"))
        self.today_button.setToolTip(_("Go to today (Home)"))
        for button in (self.previous_button, self.next_button, self.today_button):
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(28, 28)
        nav.addWidget(self.previous_button)
        nav.addWidget(self.next_button)
        nav.addWidget(self.title, stretch=1)
        nav.addWidget(self.today_button)
        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.today_button.clicked.connect(self._on_today_button_clicked)
        self.today_button.setEnabled(today is not None)
        self._refresh()

    # ------------------------------------------------------------------ API
    def set_schedule(self, ps: PlanSchedule | None) -> None:
        self._schedule = ps
        self._refresh()

    def set_closure_calendar(self, calendar: ClosureCalendar) -> None:
        """The closures shown when no plan is (a plan brings its own)."""
        self._closures = calendar
        self._refresh()

    def set_today(self, today: date | None) -> None:
        self._today = today
        self.today_button.setEnabled(today is not None)
        self.update()

    def month(self) -> tuple[int, int]:
        return self._year, self._month

    def selected_date(self) -> date:
        return self._selected

    def show_month(self, year: int, month: int) -> None:
        if (year, month) == (self._year, self._month):
            return
        self._year, self._month = year, month
        self._refresh()
        self.month_changed.emit(year, month)

    def select_date(self, d: date) -> None:
        """Select ``d``, turning to its month if needed."""
        if (d.year, d.month) != (self._year, self._month):
            self.show_month(d.year, d.month)
        if d != self._selected:
            self._selected = d
            self.update()
            self.date_selected.emit(d)

    def day_info(self, d: date) -> DayInfo | None:
        """What the calendar shows on ``d`` (any day of the six weeks on screen)."""
        return self._infos.get(d)

    def weeks(self) -> int:
        """How many weeks the month shown spans (Monday first): four to six."""
        first = self.first_shown()
        last = months_after(date(self._year, self._month, 1), 1) - timedelta(days=1)
        return (last - first).days // 7 + 1

    def add_to_navigation(self, widget: QWidget) -> None:
        """A widget at the end of the month's navigation row (the legend's switch)."""
        layout = self._nav.layout()
        assert layout is not None
        layout.addWidget(widget)

    def first_shown(self) -> date:
        first = date(self._year, self._month, 1)
        return first - timedelta(days=first.weekday())

    def cell_rect(self, d: date) -> QRect:
        """Where ``d`` is drawn; an empty rectangle when it is not on screen."""
        n = (d - self.first_shown()).days
        weeks = self.weeks()
        if not 0 <= n < 7 * weeks:
            return QRect()
        grid = self._grid_rect()
        row, col = divmod(n, 7)
        x0 = grid.left() + col * grid.width() // 7
        x1 = grid.left() + (col + 1) * grid.width() // 7
        y0 = grid.top() + row * grid.height() // weeks
        y1 = grid.top() + (row + 1) * grid.height() // weeks
        return QRect(x0, y0, x1 - x0, y1 - y0)

    def date_at(self, pos: QPoint) -> date | None:
        grid = self._grid_rect()
        weeks = self.weeks()
        if not grid.contains(pos) or grid.width() < 7 or grid.height() < weeks:
            return None
        col = min(6, (pos.x() - grid.left()) * 7 // grid.width())
        row = min(weeks - 1, (pos.y() - grid.top()) * weeks // grid.height())
        return self.first_shown() + timedelta(days=row * 7 + col)

    # ------------------------------------------------------------------ internals
    def _refresh(self) -> None:
        first = self.first_shown()
        last = first + timedelta(days=7 * self.weeks() - 1)
        self._infos = day_infos(self._schedule, first, last, self._closures)
        locale = QLocale()
        name = locale.standaloneMonthName(self._month, QLocale.FormatType.LongFormat)
        self.title.setText(f"{name} {self._year}")
        self.updateGeometry()  # four to six weeks: its least height follows
        self.update()

    def _nav_height(self) -> int:
        return self._nav.sizeHint().height()

    def _header_height(self) -> int:
        return QFontMetrics(small_font(self.font())).height() + 8

    def _grid_rect(self) -> QRect:
        top = self._nav_height() + self._header_height()
        return QRect(MARGIN, top, self.width() - 2 * MARGIN, self.height() - top - MARGIN)

    def _on_previous_button_clicked(self) -> None:
        previous = months_after(date(self._year, self._month, 1), -1)
        self.show_month(previous.year, previous.month)

    def _on_today_button_clicked(self) -> None:
        if self._today is not None:
            self.select_date(self._today)

    def _on_next_button_clicked(self) -> None:
        following = months_after(date(self._year, self._month, 1), 1)
        self.show_month(following.year, following.month)

    # ------------------------------------------------------------------ Qt overrides
    @override
    def sizeHint(self) -> QSize:
        extra = self._nav_height() + self._header_height() + MARGIN
        return QSize(7 * CELL.width() + 2 * MARGIN, WEEKS * CELL.height() + extra)

    @override
    def minimumSizeHint(self) -> QSize:
        extra = self._nav_height() + self._header_height() + MARGIN
        return QSize(7 * MIN_CELL.width() + 2 * MARGIN, self.weeks() * MIN_CELL.height() + extra)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._nav.setGeometry(0, 0, self.width(), self._nav_height())
        super().resizeEvent(event)

    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        d = self.date_at(event.position().toPoint())
        if d is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.select_date(d)
        self.date_activated.emit(d)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if key in steps:
            self.select_date(self._selected + timedelta(days=steps[key]))
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.select_date(months_after(self._selected, 1 if key == Qt.Key.Key_PageDown else -1))
        elif key == Qt.Key.Key_Home and self._today is not None:
            self.select_date(self._today)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.date_activated.emit(self._selected)
        else:
            super().keyPressEvent(event)

    @override
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            d = self.date_at(event.pos())
            info = self._infos.get(d) if d is not None else None
            if d is None or info is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), tip(info.tooltip), self, self.cell_rect(d))
            return True
        return super().event(event)

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().base())
        grid = self._grid_rect()
        header = QRect(grid.left(), self._nav_height(), grid.width(), self._header_height())
        p.setFont(small_font(self.font(), bold=True))
        p.setPen(MUTED)
        locale = QLocale()
        for col in range(7):
            x0 = header.left() + col * header.width() // 7
            x1 = header.left() + (col + 1) * header.width() // 7
            name = locale.standaloneDayName(col + 1, QLocale.FormatType.ShortFormat)
            cell = QRect(x0, header.top(), x1 - x0, header.height())
            p.drawText(cell, Qt.AlignmentFlag.AlignCenter, name)
        first = self.first_shown()
        weeks = self.weeks()
        for n in range(7 * weeks):
            day = first + timedelta(days=n)
            self._paint_day(p, day, self.cell_rect(day))
        p.setPen(QPen(GRID, 1))
        for col in range(8):
            x = grid.left() + col * grid.width() // 7 - (col == 7)
            p.drawLine(x, grid.top(), x, grid.bottom())
        for row in range(weeks + 1):
            y = grid.top() + row * grid.height() // weeks - (row == weeks)
            p.drawLine(grid.left(), y, grid.right(), y)
        selected = self.cell_rect(self._selected)
        if not selected.isEmpty():
            colour = ACCENT if self.hasFocus() else tint(ACCENT, 0.4)
            p.setPen(QPen(colour, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(selected.adjusted(1, 1, -1, -1))
        p.end()

    def _paint_day(self, p: QPainter, day: date, rect: QRect) -> None:
        info = self._infos.get(day)
        in_month = day.month == self._month
        p.fillRect(rect, self.palette().base() if in_month else OUTSIDE)
        if info is not None and info.closure is not None:
            paint_closed(p, rect, info.closure.kind is not ClosureKind.WEEKEND)
        inner = rect.adjusted(PAD, 3, -PAD, -3)
        base = self.font()
        small = small_font(base)
        fm = QFontMetrics(base)
        line = fm.height() + 2
        # The day number, in a blue disc today; the holiday's name beside it.
        number = QRect(inner.left(), inner.top(), max(line, fm.horizontalAdvance("00") + 8), line)
        p.setFont(small_font(base, 1.0, bold=day == self._today or in_month))
        if day == self._today:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ACCENT)
            p.drawRoundedRect(number.adjusted(0, 0, -1, -1), line / 2, line / 2)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            p.setPen(QColor("white"))
        else:
            p.setPen(TEXT if in_month else MUTED)
        p.drawText(number, Qt.AlignmentFlag.AlignCenter, str(day.day))
        if info is None:
            return
        y = inner.top() + line + 2
        bar = QFontMetrics(small).height() + 5
        # A short cell (a small screen) puts the session on the number's line: the holiday's
        # name is not written under it (the hatching says closed, the tooltip says why).
        short = bool(info.sessions or info.moved_away_to) and y + bar > inner.bottom() + 1
        if info.closure_name and not short:
            italic = QFont(small)
            italic.setItalic(True)
            p.setFont(italic)
            p.setPen(QColor("#4D4D4D"))
            room = QRect(number.right() + 4, inner.top(), inner.right() - number.right() - 4, line)
            text = QFontMetrics(italic).elidedText(
                info.closure_name, Qt.TextElideMode.ElideRight, room.width()
            )
            p.drawText(room, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
        corner = QRect(number.right() + 4, inner.top(), inner.right() - number.right() - 4, line)
        if short:
            # The session beside the day's number, what else happens that day counted in the
            # corner ("+2"); the tooltip says it all.
            self._paint_beside_number(p, info, corner, small)
            self._paint_chips(
                p, info, QRect(inner.left(), inner.bottom(), inner.width(), 0), corner
            )
            return
        # A session's drugs on two lines when the cell is tall enough for them and a row of
        # chips: long drug lists (KEYNOTE-189) stay readable.
        chips = QFontMetrics(small).height() + 4
        tall = len(info.sessions) * (2 * bar) + chips <= inner.bottom() - y
        for mark in info.sessions:
            height = bar + (bar - 5 if tall else 0)
            paint_session(p, QRect(inner.left(), y, inner.width(), height), mark, small)
            y += height + 2
        for to in info.moved_away_to:
            # Where a session was planned: a dashed outline saying where it went.
            ghost = QRect(inner.left(), y, inner.width(), bar)
            p.setPen(QPen(MOVED, 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(ghost.adjusted(0, 0, -1, -1))
            paint_arrow(p, QRect(ghost.left() + 1, ghost.top(), bar, bar))
            p.setFont(small)
            p.setPen(TEXT)
            when = QLocale().toString(QDate(to.year, to.month, to.day), "ddd d MMM")
            p.drawText(ghost.adjusted(bar + 2, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, when)
            y += bar + 2
        self._paint_chips(
            p, info, QRect(inner.left(), y, inner.width(), inner.bottom() - y), corner
        )

    def _paint_beside_number(self, p: QPainter, info: DayInfo, room: QRect, font: QFont) -> None:
        """The day's session (or where it went) on the number's line, leaving the corner
        free for the count of the day's other appointments."""
        has_chips = bool(info.events) or info.stop
        spare = QFontMetrics(small_font(self.font(), 0.8, bold=True)).horizontalAdvance("+9") + 10
        bar = room.adjusted(0, 1, -(spare if has_chips else 0), -1)
        if info.sessions:
            paint_session(p, bar, info.sessions[0], font)
            return
        to = info.moved_away_to[0]
        p.setPen(QPen(MOVED, 1, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(bar.adjusted(0, 0, -1, -1))
        paint_arrow(p, QRect(bar.left() + 1, bar.top(), bar.height(), bar.height()))
        p.setFont(font)
        p.setPen(TEXT)
        when = QLocale().toString(QDate(to.year, to.month, to.day), "ddd d MMM")
        p.drawText(bar.adjusted(bar.height() + 2, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, when)

    def _paint_chips(self, p: QPainter, info: DayInfo, room: QRect, corner: QRect) -> None:
        """One chip per kind of event that day (the tooltip lists them all), wrapping; in a
        small cell, what does not fit is counted ("+2") in the day's top corner."""
        font = small_font(self.font(), 0.8, bold=True)
        fm = QFontMetrics(font)
        height = fm.height() + 2
        letters = list(dict.fromkeys(event_letter(e.kind) for e in info.events))
        if info.stop:
            letters.append(_("Stop"))
        x, y = room.left(), room.top()
        for n, letter in enumerate(letters):
            width = max(height + 2, fm.horizontalAdvance(letter) + 8)
            if x + width > room.right() + 1:
                x, y = room.left(), y + height + 2
            if y + height > room.bottom() + 1:
                more = f"+{len(letters) - n}"
                width = fm.horizontalAdvance(more) + 6
                if y == room.top():  # not even one row of chips: the count goes in the corner
                    spot = QRect(corner.right() - width, corner.top(), width, height)
                else:
                    spot = QRect(x, y - height - 2, width, height)
                paint_chip(p, spot, more, font)
                return
            paint_chip(p, QRect(x, y, width, height), letter, font)
            x += width + 3
