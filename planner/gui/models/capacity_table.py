"""What each weekday needs at least (:func:`planner.day_hospital.bookings.capacity`), as a
table: the chairs and nurses the optimiser found enough, the bound it proved, the busiest
day."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from planner.day_hospital.bookings import WeekdayNeeds
from planner.gui.models import Index
from planner.i18n import N_, _, format_date, weekday_name

NEEDS_ROLE = Qt.ItemDataRole.UserRole + 1
"""Hands back the row's :class:`WeekdayNeeds`."""

COLUMNS = (
    N_("Weekday"),
    N_("Days"),
    N_("Chairs"),
    N_("At least"),
    N_("Nurses"),
    N_("At least"),
    N_("Busiest day"),
)
TIPS = (
    "",
    N_("Open days of this weekday in the period with sessions"),
    N_("The fewest chairs and beds found with which every session of each of these days fits"),
    N_("Fewer chairs cannot do, whatever the placement (the optimiser proved it)"),
    N_("The fewest nurses found, each starting as many infusions per slot as the unit's do"),
    N_("Fewer nurses cannot do, whatever the placement (the optimiser proved it)"),
    N_("The day of this weekday that needs the most chairs"),
)
NUMBERS = frozenset({1, 2, 3, 4, 5})


class CapacityTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[WeekdayNeeds] = []
        self._cells: list[tuple[str, ...]] = []

    def set_needs(self, needs: list[WeekdayNeeds]) -> None:
        self.beginResetModel()
        self._rows = list(needs)
        self._cells = [
            (
                weekday_name(w.weekday),
                str(w.days),
                str(w.chairs),
                str(w.chairs_bound),
                str(w.nurses),
                str(w.nurses_bound),
                format_date(w.busiest) + ("" if w.fits else " " + _("(some sessions fit nowhere)")),
            )
            for w in self._rows
        ]
        self.endResetModel()

    def needs(self) -> list[WeekdayNeeds]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == NEEDS_ROLE:
            return self._rows[index.row()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole and TIPS[section]:
            return _(TIPS[section])
        return None
