"""Dialogs: they collect values and hand back core values; the caller acts on them.

The helpers below are shared by the dialogs: dates cross the Qt boundary here and nowhere
else in them, so no ``QDate`` reaches a result.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
)
from typing_extensions import override

from planner.i18n import language

LANGUAGES = {"fr": "Français", "en": "English"}
"""The languages of the program and of patients, each named in itself (as pickers do)."""


def to_date(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def display_locale() -> QLocale:
    """The locale of the display language, whatever the system's (day and month names)."""
    if language() == "fr":
        return QLocale(QLocale.Language.French, QLocale.Country.France)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def date_edit(day: date) -> QDateEdit:
    """A date field with a calendar popup, written the way the display language writes dates."""
    edit = QDateEdit(to_qdate(day))
    edit.setCalendarPopup(True)
    edit.setLocale(display_locale())
    edit.setDisplayFormat("dd/MM/yyyy" if language() == "fr" else "yyyy-MM-dd")
    return edit


def count_spin(
    high: int, value: int, unit: Callable[[int], str], tooltip: str, *, low: int = 0
) -> QSpinBox:
    """A count with its unit agreeing with the number ("1 day", "3 days"): ``unit(n)`` is
    the suffix, from ``ngettext``. Set ``specialValueText`` for what ``low`` means."""
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setToolTip(tooltip)
    spin.valueChanged.connect(lambda n: spin.setSuffix(unit(n)))
    spin.setValue(value)
    spin.setSuffix(unit(value))
    return spin


def problem_and_buttons(dialog: QDialog) -> tuple[QLabel, QDialogButtonBox, QHBoxLayout]:
    """The bottom row of a dialog that checks its fields: what is wrong, then OK and Cancel
    (the dialog enables OK when nothing is)."""
    message = QLabel()
    message.setWordWrap(True)
    message.setTextFormat(Qt.TextFormat.PlainText)
    message.setStyleSheet("color: palette(highlight); font-weight: bold;")
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    row = QHBoxLayout()
    row.addWidget(message, 1)
    row.addWidget(buttons)
    return message, buttons, row


class _DownInto(QObject):
    """Down in a search field goes to the list it filters (the first line chosen when none
    is), as in a browser's address bar: no Tab through the filters in between."""

    def __init__(self, edit: QLineEdit, view: QAbstractItemView) -> None:
        super().__init__(edit)
        self.view = view
        edit.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            model = self.view.model()
            if model is not None and model.rowCount() > 0:
                self.view.setFocus(Qt.FocusReason.TabFocusReason)
                selection = self.view.selectionModel()
                if selection is None or not selection.hasSelection():
                    self.view.setCurrentIndex(model.index(0, 0))
                return True
        return False


def down_into(edit: QLineEdit, view: QAbstractItemView) -> None:
    """Down in ``edit`` goes to ``view`` (see :class:`_DownInto`)."""
    _DownInto(edit, view)
