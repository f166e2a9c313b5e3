"""A plan's history as a table: every decision of its ledger with who, when, what and why,
the plan's creation and the patient's record; a decision undone since is greyed and struck
through, and says by whom and when it was undone (or done again)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication
from typing_extensions import override

from planner.gui.models import Index
from planner.gui.plain import tip
from planner.history import HistoryLine, moment_text, status_text
from planner.i18n import N_, _

LINE_ROLE = Qt.ItemDataRole.UserRole + 1
"""Hands back the row's :class:`~planner.history.HistoryLine`."""

COLUMNS = (N_("No."), N_("When"), N_("Who"), N_("What"), N_("Why"), N_("Undo and redo"))
NUMBER, WHEN, WHO, WHAT, WHY, STATUS = range(len(COLUMNS))


def _cells(line: HistoryLine) -> tuple[str, ...]:
    return (
        "" if line.seq is None else str(line.seq),
        moment_text(line.at),
        line.author,
        line.what,
        line.note,
        status_text(line),
    )


def _same_line(a: HistoryLine, b: HistoryLine) -> bool:
    """The same line of the trail (its content may have changed: undone since)."""
    return (a.seq, a.kind, a.at, a.author) == (b.seq, b.kind, b.at, b.author)


class HistoryTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[HistoryLine] = []
        self._cells: list[tuple[str, ...]] = []

    @property
    def lines(self) -> list[HistoryLine]:
        return list(self._lines)

    def set_lines(self, lines: list[HistoryLine]) -> None:
        """Show ``lines``: when they continue the lines shown (the same plan, a decision
        recorded or undone since), the new rows are inserted and the changed ones updated;
        otherwise the table is reset."""
        old, shown = self._lines, len(self._lines)
        continues = len(lines) >= len(old) and all(
            _same_line(a, b) for a, b in zip(old, lines, strict=False)
        )
        if not continues or not old:
            self.beginResetModel()
            self._lines = list(lines)
            self._cells = [_cells(line) for line in lines]
            self.endResetModel()
            return
        for row, line in enumerate(lines[:shown]):
            if line != old[row]:
                self._lines[row] = line
                self._cells[row] = _cells(line)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        if len(lines) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(lines) - 1)
            self._lines.extend(lines[shown:])
            self._cells.extend(_cells(line) for line in lines[shown:])
            self.endInsertRows()

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(self._tooltip(index.row()))
        if role == LINE_ROLE:
            return line
        if role == Qt.ItemDataRole.ForegroundRole and line.undone:
            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and line.undone and column == WHAT:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _tooltip(self, row: int) -> str:
        """The whole line in sentences (the cells may be cut)."""
        line, cells = self._lines[row], self._cells[row]
        parts = [_("{who}, {when}:").format(who=line.author, when=cells[WHEN]), line.what]
        if line.note:
            parts.append(_("Why: {note}").format(note=line.note))
        if cells[STATUS]:
            parts.append(cells[STATUS])
        return "\n".join(parts)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        return None
