"""The unit's patients as a searchable, sortable table (filtering and sorting in Python:
a QSortFilterProxyModel takes seconds on large tables, see QT_AND_PERFORMANCE.md)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from planner.gui.models import Index
from planner.gui.plain import tip
from planner.i18n import N_, _, ngettext

if TYPE_CHECKING:  # the list shows (empty) before the core is imported
    from planner.core.summary import PatientSummary

SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
"""Hands back the :class:`PatientSummary` of a row."""

COLUMNS = (N_("Patient"), N_("Hospital number"), N_("Regimen"), N_("Next session"), N_("Warnings"))
NAME, NUMBER, REGIMEN, NEXT, WARNINGS = range(len(COLUMNS))


def _cells(summary: PatientSummary) -> tuple[str, ...]:
    from planner.i18n import format_date

    if summary.plan_id is None:
        regimen, upcoming, warnings = _("no plan yet"), "", ""
    else:
        regimen = summary.regimen
        upcoming = format_date(summary.next_session) if summary.next_session else _("none")
        warnings = str(summary.warnings) if summary.warnings else ""
    from planner.core.text_fields import shown  # not at start-up: the window paints first

    number = shown(summary.patient.hospital_number)
    return (summary.patient.name, number, regimen, upcoming, warnings)


def _sort_key(column: int, summary: PatientSummary) -> Any:
    if column == NEXT:
        return summary.next_session or date.max
    if column == WARNINGS:
        return summary.warnings
    if column == REGIMEN:
        return summary.regimen.casefold()
    if column == NUMBER:
        return summary.patient.hospital_number
    return summary.patient.sort_key  # by family name, then given names


class PatientListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[PatientSummary] = []
        self._cells: dict[str, tuple[str, ...]] = {}
        self._search: dict[str, str] = {}
        self._shown: list[PatientSummary] = []
        self._words: list[str] = []
        self._order = (NAME, Qt.SortOrder.AscendingOrder)

    # ------------------------------------------------------------------ content
    def set_summaries(self, summaries: list[PatientSummary]) -> None:
        """Every patient, with their current plan's next session and warnings."""
        self.beginResetModel()
        self._all = list(summaries)
        self._cells = {s.patient.id: _cells(s) for s in self._all}
        self._search = {s.patient.id: self._search_text(s) for s in self._all}
        self._apply()
        self.endResetModel()

    def summaries(self) -> list[PatientSummary]:
        """Every patient's line, shown or not (in the order they were given)."""
        return list(self._all)

    def update_summary(self, summary: PatientSummary) -> None:
        """One patient's line changed (or a new patient): the rest of the list stays."""
        pid = summary.patient.id
        self._cells[pid] = _cells(summary)
        self._search[pid] = self._search_text(summary)
        known = [n for n, s in enumerate(self._all) if s.patient.id == pid]
        if not known:
            self.beginResetModel()
            self._all.append(summary)
            self._apply()
            self.endResetModel()
            return
        self._all[known[0]] = summary
        for row, listed in enumerate(self._shown):
            if listed.patient.id == pid:
                self._shown[row] = summary
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def set_filter(self, text: str) -> None:
        """Keep the patients whose name, number or regimen contain every typed word."""
        self.beginResetModel()
        self._words = text.casefold().split()
        self._apply()
        self.endResetModel()

    def summary_at(self, row: int) -> PatientSummary:
        return self._shown[row]

    def row_of(self, patient_id: str) -> int | None:
        for row, summary in enumerate(self._shown):
            if summary.patient.id == patient_id:
                return row
        return None

    def _search_text(self, summary: PatientSummary) -> str:
        p = summary.patient
        return f"{p.name} {p.hospital_number} {summary.regimen}".casefold()

    def _apply(self) -> None:
        words, search = self._words, self._search
        shown = [s for s in self._all if all(w in search[s.patient.id] for w in words)]
        column, order = self._order
        shown.sort(
            key=lambda s: _sort_key(column, s), reverse=order is Qt.SortOrder.DescendingOrder
        )
        self._shown = shown

    # ------------------------------------------------------------------ Qt
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        summary = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[summary.patient.id][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == WARNINGS and summary.warnings:
                return ngettext(
                    "{n} point needs attention: open the plan to see it",
                    "{n} points need attention: open the plan to see them",
                    summary.warnings,
                ).format(n=summary.warnings)
            return tip(self._cells[summary.patient.id][index.column()]) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == WARNINGS:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == SUMMARY_ROLE:
            return summary
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            # Narrow titles, so that the list's columns fit its side of the window: the
            # warnings' sign, and the two long titles on two lines ("Next / session").
            if section == WARNINGS:
                return "⚠"
            if section in (NUMBER, NEXT):
                return _(COLUMNS[section]).replace(" ", "\n", 1)
            return _(COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == WARNINGS:
                return _("Warnings: the points of the plan that need attention")
            return _(COLUMNS[section])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._shown[i.row()].patient.id if i.isValid() else None for i in old]
        self._order = (column, order)
        self._apply()
        rows = {s.patient.id: n for n, s in enumerate(self._shown)}
        self.changePersistentIndexList(
            old,
            [
                self.index(rows[pid], i.column()) if pid in rows else QModelIndex()
                for pid, i in zip(ids, old, strict=True)
            ],
        )
        self.layoutChanged.emit()
