"""The unit's own calendar, as two small editors: days it closes, weekend days it opens."""

from __future__ import annotations

import bisect
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.closures import SATURDAY, UnitClosure
from planner.core.text_fields import Field
from planner.gui.dialogs import date_edit, to_date
from planner.gui.plain import tip
from planner.gui.typed_text import kept
from planner.gui.typed_text import problem as typed_problem
from planner.history import moment_text
from planner.i18n import _, format_date

DATE_ROLE = Qt.ItemDataRole.UserRole + 1
CLOSURE_ROLE = Qt.ItemDataRole.UserRole + 2
"""The closure a row was made from: its stamp (when and by whom it was added) is kept."""


def _rows(column: QVBoxLayout, *rows: tuple[QWidget, ...]) -> None:
    """Lay ``rows`` of widgets under each other, left-aligned; a line edit takes the rest."""
    for widgets in rows:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
        if not any(isinstance(widget, QLineEdit) for widget in widgets):
            row.addStretch(1)
        column.addLayout(row)


class UnitClosuresEditor(QGroupBox):
    """Days the unit closes (training day, works), each with its label, in date order."""

    def __init__(self, closures: tuple[UnitClosure, ...], today: date, parent: Any = None) -> None:
        super().__init__(_("Days the unit is closed"), parent)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([_("Date"), _("Label")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setToolTip(
            _("No session is planned on these days; double-click a label to edit it")
        )
        for closure in closures:  # in the given order: what comes in goes out unchanged
            self._insert(closure, self.table.rowCount())
        self.date = date_edit(today)
        self.date.setToolTip(_("The day to add"))
        self.label = QLineEdit(placeholderText=_("Label (training day, works…)"))
        self.label.setToolTip(_("Why the unit is closed, shown next to the moved sessions"))
        self.add_button = QPushButton(_("A&dd"))
        self.remove_button = QPushButton(_("&Remove"))
        self.remove_button.setToolTip(_("Remove the selected days"))
        self.note = QLabel()
        column = QVBoxLayout(self)
        column.addWidget(self.table)
        _rows(column, (self.date, self.label), (self.add_button, self.remove_button))
        column.addWidget(self.note)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    def _date(self, row: int) -> date:
        item = self.table.item(row, 0)
        assert item is not None  # every row gets both cells in _insert
        day: date = item.data(DATE_ROLE)
        return day

    def _label(self, row: int) -> str:
        item = self.table.item(row, 1)
        return item.text().strip() if item is not None else ""

    def problem(self) -> str:
        """A label that cannot be kept, in words ("" when every one can)."""
        return typed_problem(*((Field.CLOSURE_LABEL, self._label(row)) for row in self._rows()))

    def _rows(self) -> range:
        return range(self.table.rowCount())

    def value(self) -> tuple[UnitClosure, ...]:
        """The closures in the table, each with its edited label and its own stamp (a day
        added here has none: the caller stamps it when saved); FieldError (a ValueError)
        for a label that cannot be kept."""
        found = []
        for row in self._rows():
            item = self.table.item(row, 0)
            assert item is not None
            closure: UnitClosure = item.data(CLOSURE_ROLE)
            found.append(replace(closure, label=kept(Field.CLOSURE_LABEL, self._label(row))))
        return tuple(found)

    def _insert(self, closure: UnitClosure, row: int) -> None:
        self.table.insertRow(row)
        day = QTableWidgetItem(format_date(closure.date))
        day.setData(DATE_ROLE, closure.date)
        day.setData(CLOSURE_ROLE, closure)
        if closure.added_at is not None:
            day.setToolTip(
                tip(
                    _("Added by {author} on {moment}").format(
                        author=closure.added_by, moment=moment_text(closure.added_at)
                    )
                )
            )
        day.setFlags(day.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, 0, day)
        self.table.setItem(row, 1, QTableWidgetItem(closure.label))
        self.table.resizeColumnToContents(0)

    def _on_add_button_clicked(self) -> None:
        day = to_date(self.date.date())
        dates = [self._date(row) for row in range(self.table.rowCount())]
        if day in dates:
            self.note.setText(_("{date} is already in the list.").format(date=format_date(day)))
            return
        wrong = typed_problem((Field.CLOSURE_LABEL, self.label.text()))
        if wrong:
            self.note.setText(wrong)
            return
        label = kept(Field.CLOSURE_LABEL, self.label.text())
        self._insert(UnitClosure(day, label), bisect.bisect(dates, day))
        self.label.clear()
        self.note.clear()

    def _on_remove_button_clicked(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)


class OpenDaysEditor(QGroupBox):
    """Weekend days the unit opens (open Saturdays), in date order."""

    def __init__(self, days: frozenset[date], today: date, parent: Any = None) -> None:
        super().__init__(_("Weekend days the unit opens"), parent)
        self.list = QListWidget()
        self.list.setToolTip(_("Open Saturdays: sessions can be planned on them"))
        for day in sorted(days):
            self._insert(day)
        self.date = date_edit(today + timedelta(days=(SATURDAY - today.weekday()) % 7))
        self.date.setToolTip(_("The Saturday or Sunday to add"))
        self.add_button = QPushButton(_("Add &weekend day"))
        self.remove_button = QPushButton(_("R&emove"))
        self.remove_button.setToolTip(_("Remove the selected days"))
        self.note = QLabel()
        column = QVBoxLayout(self)
        column.addWidget(self.list)
        _rows(column, (self.date,), (self.add_button, self.remove_button))
        column.addWidget(self.note)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    def _dates(self) -> list[date]:
        return [self.list.item(row).data(DATE_ROLE) for row in range(self.list.count())]

    def value(self) -> frozenset[date]:
        return frozenset(self._dates())

    def _insert(self, day: date) -> None:
        item = QListWidgetItem(format_date(day, "long"))
        item.setData(DATE_ROLE, day)
        self.list.insertItem(bisect.bisect(self._dates(), day), item)

    def _on_add_button_clicked(self) -> None:
        day = to_date(self.date.date())
        if day.weekday() < SATURDAY:
            note = _("{date} is a weekday: the unit is open on weekdays already.")
        elif day in self._dates():
            note = _("{date} is already in the list.")
        else:
            self._insert(day)
            self.note.clear()
            return
        self.note.setText(note.format(date=format_date(day)))

    def _on_remove_button_clicked(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
