"""One patient's plan as a table: every session and event in date order, and what became of it.

Unlike :mod:`~planner.gui.models.schedule_table` (a regimen previewed from a start date), a
plan has a ledger: sessions are delayed, given, left out, and the plan may stop. Each row says
where an entry was planned, why it is where it is, and its status.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from typing_extensions import override

from planner import explain
from planner.core.booking import Booking
from planner.core.plan import Omit, Stop, active_entries
from planner.core.plan_schedule import PlanSchedule
from planner.core.schedule import Event, Session, SessionKey, SessionStatus
from planner.gui.models import Index, bold_font
from planner.gui.plain import tip
from planner.gui.views.calendar_days import planned_date
from planner.i18n import N_, _, format_date, language

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
"""Hands back the :class:`Session` or :class:`Event` of a row; None on the row that says the
treatment stopped (the :class:`Stop` is in ``PlanSchedule.state.stop``)."""
SESSION_INDEX_ROLE = Qt.ItemDataRole.UserRole + 2
"""The index in ``PlanSchedule.sessions`` of the session a row belongs to (None: the stop)."""

COLUMNS = (
    N_("Date"),
    N_("Planned date"),
    N_("What"),
    N_("Phase"),
    N_("Cycle"),
    N_("Day"),
    N_("Reason"),
    N_("Status"),
)
DATE, PLANNED, WHAT, PHASE, CYCLE, DAY, REASON, STATUS = range(len(COLUMNS))


@dataclass(frozen=True, slots=True)
class _Row:
    item: Session | Event | Stop
    session: int | None
    day: date
    cells: tuple[str, ...]
    tooltips: tuple[str, ...]
    muted: bool = False
    """Nothing happens on this row any more (a session not given): drawn greyed."""


def _omit_reasons(ps: PlanSchedule) -> dict[SessionKey, list[str]]:
    """The coordinator's words for each session drugs were left out of."""
    reasons: dict[SessionKey, list[str]] = {}
    for entry in active_entries(ps.plan.ledger):
        change = entry.change
        if isinstance(change, Omit):
            for text in (change.reason, entry.note):
                if text and text not in reasons.setdefault(change.session, []):
                    reasons[change.session].append(text)
    return reasons


def session_status(session: Session) -> str:
    """What became of a session, in a word or two."""
    if session.status is SessionStatus.GIVEN and session.given_on is not None:
        return _("given on {date}").format(date=format_date(session.given_on))
    if session.status is SessionStatus.OMITTED:
        return _("omitted")
    if session.omitted:
        return _("partly omitted")
    if session.rescheduled is not None:
        return _("delayed")
    if session.moved:
        return _("moved")
    return _("planned")


def _session_cells(ps: PlanSchedule, session: Session, why_omitted: list[str]) -> tuple[str, ...]:
    lang = language()
    planned = planned_date(session)
    given = (
        _("given on {date}").format(date=format_date(session.given_on))
        if session.given_on is not None
        else None
    )
    # The status column says when it was given: the reason column says why, not that.
    notes = [note for note in explain.session_notes(session, ps.plan.regimen) if note != given]
    notes += [_("why left out: {reason}").format(reason=reason) for reason in why_omitted]
    what = explain.session_agents(session) if session.doses else _("Session not given")
    return (
        format_date(session.date),
        format_date(planned) if planned is not None else "",
        what,
        ps.plan.regimen.phases[session.phase - 1].name.get(lang),
        str(session.cycle),
        str(session.day),
        " / ".join(notes),
        session_status(session),
    )


def _tooltips(cells: tuple[str, ...], dates: tuple[date | None, date | None]) -> tuple[str, ...]:
    """The full text of each cell; dates written out in full."""
    long = tuple("" if d is None else format_date(d, "long") for d in dates)
    return (long[0], long[1] if cells[PLANNED] else "", *cells[WHAT:])


def _rows(ps: PlanSchedule, bookings: Mapping[SessionKey, Booking]) -> list[_Row]:
    index_of = {id(session): i for i, session in enumerate(ps.sessions)}
    why_omitted = _omit_reasons(ps)
    rows: list[_Row] = []
    for line in explain.lines(
        ps.plan.regimen, ps.sessions, ps.events, ps.plan.calendar, ps.skipped_scans
    ):
        item = line.item
        if isinstance(item, Session):
            cells = _session_cells(ps, item, why_omitted.get(item.key, []))
            booking = bookings.get(item.key)
            if booking is not None and booking.day == item.date and item.given_on is None:
                booked = _("{start}–{end}, {chair}").format(
                    start=booking.start.isoformat(timespec="minutes"),
                    end=booking.end.isoformat(timespec="minutes"),
                    chair=booking.chair,
                )
                cells = (*cells[:STATUS], f"{cells[STATUS]} · {booked}")
            dates = (item.date, planned_date(item))
            rows.append(
                _Row(
                    item,
                    index_of[id(item)],
                    item.date,
                    cells,
                    _tooltips(cells, dates),
                    muted=not item.doses,
                )
            )
        else:
            cells = (line.date, "", line.what, "", "", "", line.notes, "")
            rows.append(
                _Row(item, item.session, item.date, cells, _tooltips(cells, (item.date, None)))
            )
    stop = ps.state.stop
    if stop is not None:
        # The stop is a row of its own, where it falls: the sessions after it are gone.
        cells = (
            format_date(stop.on),
            "",
            _("Treatment stopped"),
            "",
            "",
            "",
            stop.reason,
            _("stopped"),
        )
        at = bisect.bisect_right([row.day for row in rows], stop.on)
        rows.insert(at, _Row(stop, None, stop.on, cells, _tooltips(cells, (stop.on, None))))
    return rows


class PlanTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._days: list[date] = []
        self._schedule: PlanSchedule | None = None

    @property
    def schedule(self) -> PlanSchedule | None:
        return self._schedule

    def set_schedule(
        self, ps: PlanSchedule | None, bookings: Mapping[SessionKey, Booking] | None = None
    ) -> None:
        """The plan's rows; ``bookings`` add each booked session's time and chair."""
        self.beginResetModel()
        self._schedule = ps
        # Display strings are made once here: data() stays a lookup (views call it a lot).
        self._rows = _rows(ps, bookings or {}) if ps is not None else []
        self._days = [row.day for row in self._rows]
        self.endResetModel()

    def row_of_date(self, d: date) -> int | None:
        """The first row on ``d``, or None when nothing happens that day."""
        row = bisect.bisect_left(self._days, d)
        return row if row < len(self._days) and self._days[row] == d else None

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(row.tooltips[index.column()]) or None
        if role == ITEM_ROLE:
            return None if isinstance(row.item, Stop) else row.item
        if role == SESSION_INDEX_ROLE:
            return row.session
        if role == Qt.ItemDataRole.FontRole and isinstance(row.item, Session | Stop):
            return bold_font()
        if role == Qt.ItemDataRole.ForegroundRole and row.muted:
            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        return None

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        return None
