"""A schedule as a table: every session and event in date order, with why it moved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    Qt,
)

from planner import explain
from planner.core.schedule import Schedule, Session
from planner.gui.models import Index, bold_font
from planner.gui.plain import tip
from planner.i18n import N_, _

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
"""Hands back the :class:`Session` or :class:`Event` of a row."""

COLUMNS = (N_("Date"), N_("What"), N_("Phase · cycle · day"), N_("Notes"))


class ScheduleTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[explain.ScheduleLine] = []

    def set_schedule(self, schedule: Schedule | None) -> None:
        self.set_lines(explain.schedule_lines(schedule) if schedule is not None else [])

    def set_lines(self, lines: list[explain.ScheduleLine]) -> None:
        """Rows already in words (a plan's first months: :func:`planner.explain.lines`)."""
        self.beginResetModel()
        # Display strings are made once here: data() stays a lookup (views call it a lot).
        self._rows = lines
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.date, row.what, row.where, row.notes)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip((row.date, row.what, row.where, row.notes)[index.column()])
        if role == ITEM_ROLE:
            return row.item
        if role == Qt.ItemDataRole.FontRole and isinstance(row.item, Session):
            return bold_font()
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        return None
