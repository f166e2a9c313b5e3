"""The unit's patients as a searchable, sortable table (filtering and sorting in Python:
a QSortFilterProxyModel takes seconds on large tables, see QT_AND_PERFORMANCE.md).

A large centre has 20,000 patients, and the list is searched as one types: each keystroke
must be answered within a frame or two. So the list is sorted once (when a column's title
is clicked), a search keeps that order (it filters, never sorts), a search that refines the
last one filters only the patients shown, and a line's cells are written when the table
first shows them. A search or a sort is a change of layout, not a reset: the selected
patient stays selected while they are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer

from planner.gui.models import Index
from planner.gui.plain import tip
from planner.i18n import N_, _, ngettext

if TYPE_CHECKING:  # the list shows (empty) before the core is imported
    from collections.abc import Sequence

    from planner.core.summary import PatientSummary, SummaryList

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


def _search_text(summary: PatientSummary) -> str:
    p = summary.patient
    return f"{p.name} {p.hospital_number} {summary.regimen}".casefold()


class _Line:
    """A patient's line: the summary, what a search looks in, and the cells once shown."""

    __slots__ = ("_source", "_summary", "_text", "cells", "given")

    def __init__(self, summary: PatientSummary | None, given: int, source: Any = None) -> None:
        self._summary = summary
        self._source: SummaryList | None = source
        """Where the summary is made when first needed (a list read at start-up)."""
        self.given = given
        """The order in which the line came: the tie-break of a sort (as a stable sort)."""
        self._text: str | None = None
        self.cells: tuple[str, ...] | None = None

    @property
    def summary(self) -> PatientSummary:
        made = self._summary
        if made is None:
            assert self._source is not None
            made = self._summary = self._source.line(self.given)
        return made

    @summary.setter
    def summary(self, summary: PatientSummary) -> None:
        self._summary, self._source = summary, None

    @property
    def text(self) -> str:
        """What a search looks in (made when first needed: see :meth:`PatientListModel.
        set_summaries`)."""
        if self._text is None:
            self._text = _search_text(self.summary)
        return self._text


def _refines(words: list[str], before: list[str]) -> bool:
    """Whether every line matching ``words`` also matched ``before``: each word typed
    before is part of a word typed now ("mar" → "mart", "martin" → "martin a")."""
    return all(any(old in new for new in words) for old in before)


class PatientListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: dict[str, _Line] = {}
        """Every patient's line, by patient id, in the order they came."""
        self._sorted: list[_Line] = []
        """Every line, in the order of the column sorted by."""
        self._shown: list[_Line] = []
        """The lines matching the search, in the order of ``_sorted``, unless ``_settled``
        is false: a line changed in place (its sort key, or what a search looks in) that
        keeps its row until the next search or sort, as a line does while one looks at it."""
        self._settled = True
        self._rows: dict[str, int] | None = None
        """Each shown patient's row while the rows are not in order (else a binary search
        finds it), made when first asked."""
        self._words: list[str] = []
        self._order = (NAME, Qt.SortOrder.AscendingOrder)

    # ------------------------------------------------------------------ content
    def set_summaries(self, summaries: Sequence[PatientSummary], *, by_name: bool = False) -> None:
        """Every patient, with their current plan's next session and warnings. ``by_name``:
        they come sorted by name already (as the unit's list is read), not to be sorted
        again while the list is sorted by name (40 ms for 20,000 patients). A
        :class:`SummaryList` (the list read at start-up) keeps making its lines when they
        are first shown or searched."""
        from planner.core.summary import SummaryList
        from planner.core.values import collector_paused

        self.beginResetModel()
        with collector_paused():  # 20,000 lines, none in a cycle
            if isinstance(summaries, SummaryList):
                self._lines = {
                    pid: _Line(None, n, summaries) for n, pid in enumerate(summaries.ids)
                }
            else:
                self._lines = {s.patient.id: _Line(s, n) for n, s in enumerate(summaries)}
        if by_name and self._order == (NAME, Qt.SortOrder.AscendingOrder):
            self._sorted = list(self._lines.values())
        else:
            self._sorted = self._sort(self._lines.values())
        self._shown = self._matching(self._sorted, self._words)
        self._settled = True
        self._rows = None
        self.endResetModel()
        if not isinstance(summaries, SummaryList):
            # What a search looks in, made once the list is on screen (90 ms for 20,000
            # patients), before the first key can be typed. (Not for the list read at
            # start-up: the unit's own comes a moment later, see adopt.)
            QTimer.singleShot(0, self._prepare_search)

    def adopt(self, summaries: Sequence[PatientSummary]) -> bool:
        """Take ``summaries`` (in the order the lines came) if they are the lines shown,
        without a change on screen: the list read at start-up was the unit's. False when
        they differ (to be set instead)."""
        lines = list(self._lines.values())
        if len(lines) != len(summaries) or any(
            line.summary != summary for line, summary in zip(lines, summaries, strict=True)
        ):
            return False
        for line, summary in zip(lines, summaries, strict=True):
            line.summary = summary
        QTimer.singleShot(0, self._prepare_search)
        return True

    def _prepare_search(self) -> None:
        for line in self._lines.values():
            line.text  # noqa: B018 - made now, not at the first key typed

    def summaries(self) -> list[PatientSummary]:
        """Every patient's line, shown or not (in the order they were given)."""
        return [line.summary for line in self._lines.values()]

    def update_summary(self, summary: PatientSummary) -> None:
        """One patient's line changed (or a new patient): the rest of the list stays."""
        pid = summary.patient.id
        line = self._lines.get(pid)
        if line is None:
            self._add(summary)
            return
        column = self._order[0]
        old_text = line.text
        if _sort_key(column, line.summary) != _sort_key(column, summary):
            del self._sorted[self._find(line)]
            line.summary = summary
            self._sorted.insert(self._place(self._sorted, line), line)
            self._settled = False  # the row stays where it is until the next search or sort
        line.summary, line._text, line.cells = summary, _search_text(summary), None
        if line.text != old_text:
            self._settled = False  # it may match the search now, or no longer
        row = self.row_of(pid)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def set_filter(self, text: str) -> None:
        """Keep the patients whose name, number or regimen contain every typed word."""
        words = text.casefold().split()
        if words == self._words and self._settled:
            return  # a space typed: the same patients
        if self._settled and _refines(words, self._words):
            # Only the patients shown can still match: the new words alone are looked for.
            known = set(self._words)
            shown = self._matching(self._shown, [w for w in words if w not in known])
            if len(shown) == len(self._shown):
                self._words = words  # the same patients: nothing moves
                return
        else:
            shown = self._matching(self._sorted, words)
        self._words = words
        self._relayout(shown)

    def summary_at(self, row: int) -> PatientSummary:
        return self._shown[row].summary

    def row_of(self, patient_id: str) -> int | None:
        line = self._lines.get(patient_id)
        if line is None:
            return None
        if self._settled:  # the rows are in order: a binary search
            at = self._place(self._shown, line) - 1
            return at if at >= 0 and self._shown[at] is line else None
        if self._rows is None:
            self._rows = {line.summary.patient.id: n for n, line in enumerate(self._shown)}
        return self._rows.get(patient_id)

    # ------------------------------------------------------------------ inside
    def _add(self, summary: PatientSummary) -> None:
        line = _Line(summary, len(self._lines))
        self._lines[summary.patient.id] = line
        self._sorted.insert(self._place(self._sorted, line), line)
        if not self._settled:  # the rows out of place find theirs too, as a search would
            self._relayout(self._matching(self._sorted, self._words))
            return
        if not self._matching([line], self._words):
            return
        row = self._place(self._shown, line)
        self.beginInsertRows(QModelIndex(), row, row)
        self._shown.insert(row, line)
        self._rows = None
        self.endInsertRows()

    def _sort(self, lines: Any) -> list[_Line]:
        column, order = self._order
        key: Callable[[_Line], Any] = (
            attrgetter("summary.patient.sort_key")  # the same as _sort_key, 20% sooner
            if column == NAME
            else lambda line: _sort_key(column, line.summary)
        )
        return sorted(lines, key=key, reverse=order is Qt.SortOrder.DescendingOrder)

    def _before(self, a: _Line, a_key: Any, b: _Line) -> bool:
        """Whether line ``a`` (whose sort key is ``a_key``) comes before line ``b``: in the
        column's order, then in the order they came (a stable sort, either way)."""
        column, order = self._order
        b_key = _sort_key(column, b.summary)
        if a_key == b_key:
            return a.given < b.given
        return bool(a_key > b_key if order is Qt.SortOrder.DescendingOrder else a_key < b_key)

    def _place(self, lines: list[_Line], line: _Line) -> int:
        """Where ``line`` goes in ``lines``, sorted (a binary search)."""
        key = _sort_key(self._order[0], line.summary)
        low, high = 0, len(lines)
        while low < high:
            middle = (low + high) // 2
            if self._before(line, key, lines[middle]):
                high = middle
            else:
                low = middle + 1
        return low

    def _find(self, line: _Line) -> int:
        """Where ``line`` is in ``_sorted``."""
        return self._place(self._sorted, line) - 1  # _place puts a line after itself

    @staticmethod
    def _matching(lines: list[_Line], words: list[str]) -> list[_Line]:
        if not words:
            return list(lines)
        for word in words:  # a word at a time: few lines are left for the next
            lines = [line for line in lines if word in line.text]
        return lines

    def _relayout(self, shown: list[_Line]) -> None:
        """Show ``shown`` instead: the selected patient (Qt's persistent indexes) follows
        their row, or is no longer selected when they are no longer shown."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        lines = [self._shown[i.row()] if i.isValid() else None for i in old]
        self._shown = shown
        self._settled = True
        self._rows = None
        new = []
        for line, index in zip(lines, old, strict=True):
            row = self.row_of(line.summary.patient.id) if line is not None else None
            new.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ Qt
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        line = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells_of(line)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            summary = line.summary
            if index.column() == WARNINGS and summary.warnings:
                return ngettext(
                    "{n} point needs attention: open the plan to see it",
                    "{n} points need attention: open the plan to see them",
                    summary.warnings,
                ).format(n=summary.warnings)
            return tip(self._cells_of(line)[index.column()]) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == WARNINGS:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == SUMMARY_ROLE:
            return line.summary
        return None

    def texts(self, column: int, rows: list[int]) -> dict[str, int]:
        """The texts ``column`` shows in ``rows`` (none empty), each with the first of these
        rows showing it: what its width is fitted to (a table's 300 rows at start-up, asked
        without 1,200 calls through Qt)."""
        texts: dict[str, int] = {}
        for row in rows:
            text = self._cells_of(self._shown[row])[column]
            if text and text not in texts:
                texts[text] = row
        return texts

    @staticmethod
    def _cells_of(line: _Line) -> tuple[str, ...]:
        if line.cells is None:  # written when first shown: 20,000 dates take a while
            line.cells = _cells(line.summary)
        return line.cells

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
        if (column, order) == self._order and self._settled:
            return  # already so (the table sorts once more when sorting is turned on)
        self._order = (column, order)
        self._sorted = self._sort(self._lines.values())
        self._relayout(self._matching(self._sorted, self._words))
