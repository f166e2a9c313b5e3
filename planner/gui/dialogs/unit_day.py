"""Dialogs of the day hospital: which day sheet to print, and an exceptional closure with
the patients it moves (shown before anything is saved)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.text_fields import Field
from planner.gui.dialogs import date_edit, problem_and_buttons, to_date
from planner.gui.typed_text import problem as typed_problem
from planner.i18n import _, format_date, ngettext


class DaySheetDialog(QDialog):
    """The day and how to give the sheet: printer, PDF or CSV."""

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Day sheet"))
        self.day = date_edit(day)
        self.kind = QComboBox()
        self.kind.addItem(_("Print"), "print")
        self.kind.addItem(_("Save as PDF"), "pdf")
        self.kind.addItem(_("Save as a spreadsheet (CSV)"), "csv")
        self.numbers = QCheckBox(_("With the patients' &hospital numbers"))
        self.numbers.setToolTip(_("Left out unless asked for: the sheet may leave the unit"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("&Day:"), self.day)
        form.addRow(_("&As:"), self.kind)
        form.addRow("", self.numbers)
        form.addRow(buttons)

    def chosen_day(self) -> date:
        return to_date(self.day.date())


class CloseDayDialog(QDialog):
    """A day the unit closes, and the sessions it moves, before confirming."""

    def __init__(
        self,
        today: date,
        closed: Callable[[date], str | None],
        preview: Callable[[date, str], list[Any]],
        parent: QWidget | None = None,
    ) -> None:
        """``closed(day)`` says why a day is already closed (None if open); ``preview(day,
        label)`` gives the sessions that would move
        (:class:`planner.day_hospital.bookings.ToCall`)."""
        super().__init__(parent)
        self.setWindowTitle(_("Close the unit on a day"))
        self.resize(760, 480)
        self._closed, self._preview = closed, preview
        self.today = today
        self.day = date_edit(today)
        self.label = QLineEdit(placeholderText=_("Training day, strike, works…"))
        self.label.setToolTip(_("Shown on the patients' calendars and handouts"))
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setWordWrap(True)
        self.calls = QTableWidget(0, 5)
        self.calls.setHorizontalHeaderLabels(
            [_("Patient"), _("Contact"), _("Regimen"), _("Was"), _("Now")]
        )
        self.calls.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.calls.verticalHeader().setVisible(False)
        self.calls.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message, self.buttons, bottom = problem_and_buttons(self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Close the unit"))
        form = QFormLayout()
        form.addRow(_("&Day:"), self.day)
        form.addRow(_("&Why:"), self.label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count)
        layout.addWidget(self.calls, 1)
        layout.addLayout(bottom)
        self.day.dateChanged.connect(self._refresh)
        self.label.textChanged.connect(self._refresh)
        self._refresh()

    def chosen(self) -> tuple[date, str]:
        """The day and why, as typed (the OK button is off while the label cannot be kept)."""
        return to_date(self.day.date()), " ".join(self.label.text().split())

    def _refresh(self, *_args: object) -> None:
        day, label = self.chosen()
        already = self._closed(day)
        if day < self.today:
            # A past day's sessions would move to days past too, given or not: a closure
            # is for today or a day to come.
            self.message.setText(
                _("{date} is past: the unit can be closed from today on.").format(
                    date=format_date(day)
                )
            )
            self.ok_button.setEnabled(False)
            self.calls.setRowCount(0)
            self.count.clear()
            return
        if already is not None:
            self.message.setText(
                _("The unit is already closed on {date}: {why}.").format(
                    date=format_date(day), why=already
                )
            )
            self.ok_button.setEnabled(False)
            self.calls.setRowCount(0)
            self.count.clear()
            return
        wrong = typed_problem((Field.CLOSURE_LABEL, self.label.text()))
        if wrong:
            self.message.setText(wrong)
            self.ok_button.setEnabled(False)
            return
        self.message.clear()
        self.ok_button.setEnabled(True)
        calls = self._preview(day, label)
        self.count.setText(
            ngettext(
                "{n} session moves: the patient to call is listed with the new date.",
                "{n} sessions move: the patients to call are listed with the new dates.",
                len(calls),
            ).format(n=len(calls))
            if calls
            else _("No session is planned that day: nobody to call.")
        )
        self.calls.setRowCount(len(calls))
        for row, call in enumerate(calls):
            cells = (
                call.patient.name,
                call.patient.contact,
                call.regimen,
                format_date(call.before),
                format_date(call.after),
            )
            for column, text in enumerate(cells):
                self.calls.setItem(row, column, QTableWidgetItem(text))
