"""Dialogs of the day's work lists: which week's sessions to print or save, and the list of
the patients to call (after a delay, a stop or a closure), with what to do with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.gui.dialogs import date_edit, to_date
from planner.gui.plain import tip
from planner.i18n import _, format_date


def _kinds(combo: QComboBox) -> None:
    combo.addItem(_("Print"), "print")
    combo.addItem(_("Save as PDF"), "pdf")
    combo.addItem(_("Save as a spreadsheet (CSV)"), "csv")


class WeekSessionsDialog(QDialog):
    """The week (any of its days) and how to give its sessions: printer, PDF or CSV."""

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Week's sessions"))
        self.day = date_edit(day)
        self.day.setToolTip(_("Any day of the week: the list goes from its Monday to its Sunday"))
        self.span = QLabel()
        self.kind = QComboBox()
        _kinds(self.kind)
        self.numbers = QCheckBox(_("With the patients' &hospital numbers"))
        self.numbers.setToolTip(_("Left out unless asked for: the list may leave the unit"))
        note = QLabel(
            _(
                "Each day's booked sessions by time and chair, with the regimen, the drugs, "
                "the pump and the chair time: for the nurses and the pharmacy."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow(_("&Week of:"), self.day)
        form.addRow("", self.span)
        form.addRow(_("&As:"), self.kind)
        form.addRow("", self.numbers)
        form.addRow(buttons)
        self.day.dateChanged.connect(self._show_span)
        self._show_span()

    def monday(self) -> date:
        day = to_date(self.day.date())
        return day - timedelta(days=day.weekday())

    def _show_span(self, *_args: object) -> None:
        monday = self.monday()
        self.span.setText(
            _("From {monday} to {sunday}").format(
                monday=format_date(monday, "long"),
                sunday=format_date(monday + timedelta(days=6), "long"),
            )
        )


class PatientsToCallDialog(QDialog):
    """The patients to call, each coming session that moved, from when to when and why; the
    day from which what was recorded counts can be changed (``compute(since)`` gives the
    list again), or the list is fixed (after a closure). Print, PDF and CSV are asked for
    with :attr:`output_requested`."""

    output_requested = Signal(str)
    """"print", "pdf" or "csv": give the list shown that way."""

    def __init__(
        self,
        calls: list[Any],
        title: str,
        since: date,
        parent: QWidget | None = None,
        *,
        compute: Callable[[date], tuple[list[Any], str]] | None = None,
    ) -> None:
        """``calls`` are :class:`planner.worklists.Call`; ``compute(since)`` gives the calls
        and the title for another day."""
        super().__init__(parent)
        self.setWindowTitle(_("Patients to call"))
        # Wide enough for the new date and why (what is said on the phone) beside a contact,
        # the regimen and the sessions: up to 1300 pixels, within the screen.
        screen = parent.screen() if parent is not None else QApplication.primaryScreen()
        self.resize(min(1300, screen.availableGeometry().width() - 40), 520)
        self.calls, self.title, self._compute = calls, title, compute
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 7)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.since = date_edit(since)
        self.since.setToolTip(
            _("What was recorded from this day on: delays, stops, undos, the unit's closures")
        )
        layout = QVBoxLayout(self)
        if compute is not None:
            form = QFormLayout()
            form.addRow(_("Sessions moved by what was recorded &since:"), self.since)
            layout.addLayout(form)
            self.since.dateChanged.connect(self._on_since_date_changed)
        else:
            self.since.hide()
        layout.addWidget(self.heading)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.print_button = QPushButton(_("&Print…"))
        self.pdf_button = QPushButton(_("Save as P&DF…"))
        self.csv_button = QPushButton(_("Save as a spreadsheet (&CSV)…"))
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        for button, kind in (
            (self.print_button, "print"),
            (self.pdf_button, "pdf"),
            (self.csv_button, "csv"),
        ):
            button.clicked.connect(lambda _checked=False, k=kind: self.output_requested.emit(k))
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.show_calls(calls, title)

    def chosen_since(self) -> date:
        return to_date(self.since.date())

    def show_calls(self, calls: list[Any], title: str) -> None:
        from planner.worklists import call_cells, calls_count, calls_head

        self.calls, self.title = calls, title
        self.heading.setText(title)
        if calls:
            self.count.setText(calls_count(calls))
        else:
            self.count.setText(_("Nobody to call: no coming session moved."))
        self.table.setHorizontalHeaderLabels(calls_head())
        self.table.setRowCount(len(calls))
        for row, call in enumerate(calls):
            for column, text in enumerate(call_cells(call)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip(text))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount() - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        for button in (self.print_button, self.pdf_button, self.csv_button):
            button.setEnabled(bool(calls))

    def _on_since_date_changed(self, *_args: object) -> None:
        assert self._compute is not None
        calls, title = self._compute(self.chosen_since())
        self.show_calls(calls, title)
