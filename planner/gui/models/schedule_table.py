"""A schedule as a table: every session and event in date order, with why it moved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from planner import explain
from planner.core.schedule import Event, EventKind, Schedule, Session
from planner.i18n import N_, _, language

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
"""Hands back the :class:`Session` or :class:`Event` of a row."""

COLUMNS = (N_("Date"), N_("What"), N_("Phase · cycle · day"), N_("Notes"))

Index = QModelIndex | QPersistentModelIndex

_BOLD = QFont()
_BOLD.setBold(True)


@dataclass(frozen=True, slots=True)
class _Row:
    item: Session | Event
    cells: tuple[str, str, str, str]


def _rows(schedule: Schedule) -> list[_Row]:
    """Display strings computed once: data() stays a lookup (the view calls it a lot)."""
    rank = {EventKind.LAB: 0, EventKind.PUMP_DISCONNECT: 2}
    keyed: list[tuple[Any, int, _Row]] = []
    lang = language()
    for event in schedule.events:
        note = ""
        if event.kind is EventKind.PUMP_DISCONNECT:
            note = explain.pump_note(event.date, schedule.calendar)
        cells = (explain.format_date(event.date), explain.event_name(event.kind), "", note)
        keyed.append((event.date, rank[event.kind], _Row(event, cells)))
    for session in schedule.sessions:
        phase = schedule.regimen.phases[session.phase - 1].name.get(lang)
        cells = (
            explain.format_date(session.date),
            _("Session: {agents}").format(agents=explain.session_agents(session)),
            _("{phase} · C{cycle} · D{day}").format(
                phase=phase, cycle=session.cycle, day=session.day
            ),
            " / ".join(explain.session_notes(session)),
        )
        keyed.append((session.date, 1, _Row(session, cells)))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [row for _day, _rank, row in keyed]


class ScheduleTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []

    def set_schedule(self, schedule: Schedule | None) -> None:
        self.beginResetModel()
        self._rows = _rows(schedule) if schedule is not None else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.cells[index.column()]
        if role == ITEM_ROLE:
            return row.item
        if role == Qt.ItemDataRole.FontRole and isinstance(row.item, Session):
            return _BOLD
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        return None
