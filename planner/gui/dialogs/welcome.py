"""The first start with an empty unit: its name, address and telephone number.

Every calendar and handout a patient takes home gives the unit's telephone number (they are
refused without it), so the first start asks for it, before anything else. The number is
checked by the same rule as everywhere (:func:`planner.explain.phone_problem`). Cancelling
("Later") leaves the unit usable; the missing number is said again when a document is made.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from planner.core.settings import UnitSettings
from planner.core.text_fields import Field
from planner.explain import phone_problem
from planner.gui.dialogs import problem_and_buttons
from planner.gui.typed_text import kept
from planner.gui.typed_text import problem as typed_problem
from planner.i18n import _


class WelcomeDialog(QDialog):
    """Asks for the unit's name, address and (required) telephone number."""

    def __init__(self, settings: UnitSettings, parent: Any = None, *, place: str = "") -> None:
        """``place``: where the settings are in the window ("File › Unit settings (Ctrl+,)")."""
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle(_("Welcome to Infusion Planner"))
        intro = QLabel(
            _(
                "Before the first plan, tell the planner about your unit. Its name, address "
                "and telephone number are printed on every calendar and handout given to "
                "patients. The telephone number is needed: a patient who feels unwell must "
                "know whom to call."
            )
        )
        intro.setWordWrap(True)
        self.name = QLineEdit(settings.name)
        self.name.setPlaceholderText(_("Oncology day hospital"))
        self.address = QPlainTextEdit(settings.address)
        self.address.setTabChangesFocus(True)
        self.address.setMaximumHeight(self.address.fontMetrics().lineSpacing() * 4 + 12)
        self.phone = QLineEdit(settings.phone)
        self.phone.setPlaceholderText("01 23 45 67 89")
        self.phone.setToolTip(_("The number patients call about their treatment"))
        later = QLabel(_("You can change them at any time in {place}.").format(place=place))
        later.setVisible(bool(place))
        later.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Unit &name:"), self.name)
        form.addRow(_("&Address:"), self.address)
        form.addRow(_("&Telephone:"), self.phone)
        self.message, self.buttons, bottom = problem_and_buttons(self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("&Later"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(later)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self.phone.textChanged.connect(self._on_phone_text_changed)
        self.name.textChanged.connect(self._on_phone_text_changed)
        self.address.textChanged.connect(self._on_phone_text_changed)
        self._on_phone_text_changed()
        (self.phone if settings.name else self.name).setFocus()
        self.resize(640, self.sizeHint().height())

    def problem(self) -> str:
        """Why the unit cannot be saved as typed ("" when it can)."""
        return typed_problem(
            (Field.UNIT_NAME, self.name.text()),
            (Field.UNIT_ADDRESS, self.address.toPlainText()),
            (Field.UNIT_PHONE, self.phone.text()),
        ) or phone_problem(self.phone.text())

    def result_value(self) -> UnitSettings:
        """The unit's settings with what was typed (ValueError while the phone is wrong)."""
        problem = self.problem()
        if problem:
            raise ValueError(problem)
        return dataclasses.replace(
            self._settings,
            name=kept(Field.UNIT_NAME, self.name.text()),
            address=kept(Field.UNIT_ADDRESS, self.address.toPlainText()),
            phone=kept(Field.UNIT_PHONE, self.phone.text()),
        )

    def _on_phone_text_changed(self, *_args: object) -> None:
        problem = self.problem()
        self.message.setText(problem)
        self.ok_button.setEnabled(not problem)
