"""A patient's details corrected: names, hospital number, language, contact, preferred time.

A name mistyped at the desk, or kept by an older version with a line break in it (shown
"\\n" in the list), is corrected here; the dialog checks every field as the new-patient form
does and refuses a hospital number that is already another patient's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
)

from planner.core.patient import Patient, Preference
from planner.core.text_fields import Field
from planner.gui.dialogs import LANGUAGES, problem_and_buttons
from planner.gui.dialogs.patient_picker import patient_fields, preference_name
from planner.gui.typed_text import kept
from planner.gui.typed_text import problem as typed_problem
from planner.i18n import _


class PatientDetailsDialog(QDialog):
    def __init__(self, patient: Patient, numbers: Mapping[str, str], parent: Any = None) -> None:
        """``numbers``: every hospital number of the unit (case-folded) and whose it is."""
        super().__init__(parent)
        self.setWindowTitle(_("Patient's details"))
        self.patient = patient
        self.numbers = numbers
        self.family_name = QLineEdit(patient.family_name)
        self.family_name.setToolTip(_("The family name, as written in the hospital's records"))
        self.given_names = QLineEdit(patient.given_names)
        self.given_names.setToolTip(_("The given names, as written in the hospital's records"))
        self.hospital_number = QLineEdit(patient.hospital_number)
        self.hospital_number.setToolTip(_("The patient's permanent identifier in the hospital"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(patient.language)))
        self.language.setToolTip(_("The language of the patient's calendar and handout"))
        self.contact = QLineEdit(patient.contact, placeholderText=_("Telephone or e-mail"))
        self.contact.setToolTip(_("Where the patient wishes to receive reminders"))
        self.preference = QComboBox()
        for preference in Preference:
            self.preference.addItem(preference_name(preference), preference)
        self.preference.setCurrentIndex(self.preference.findData(patient.preference))
        self.preference.setToolTip(
            _("When the patient would rather come: sessions are booked then")
        )
        form = QFormLayout()
        form.addRow(_("&Family name:"), self.family_name)
        form.addRow(_("Gi&ven names:"), self.given_names)
        form.addRow(_("&Hospital number:"), self.hospital_number)
        form.addRow(_("Lan&guage:"), self.language)
        form.addRow(_("C&ontact:"), self.contact)
        form.addRow(_("Preferred &time:"), self.preference)
        self.message, self.buttons, bottom = problem_and_buttons(self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("&Save"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(bottom)
        for edit in (self.family_name, self.given_names, self.hospital_number, self.contact):
            edit.textChanged.connect(self._on_changed)
        self.language.currentIndexChanged.connect(self._on_changed)
        self.preference.currentIndexChanged.connect(self._on_changed)
        self._on_changed()
        self.resize(520, self.sizeHint().height())

    def _typed(self) -> tuple[tuple[Field, str], ...]:
        return patient_fields(self)

    def problem(self) -> str:
        """Why the details cannot be saved as typed ("" when they can)."""
        wrong = typed_problem(*self._typed())
        if wrong:
            return wrong
        number = kept(Field.HOSPITAL_NUMBER, self.hospital_number.text())
        owner = self.numbers.get(number.casefold())
        if owner is not None and number.casefold() != self.patient.hospital_number.casefold():
            return _("Hospital number {number} is already {name}'s.").format(
                number=number, name=owner
            )
        if not self.changes():
            return _("Nothing is changed yet.")
        return ""

    def changes(self) -> dict[str, object]:
        """The details that differ from the patient's, as kept (empty while a field is
        wrong or nothing changed)."""
        if typed_problem(*self._typed()):
            return {}
        family, given, number, contact = (kept(field, text) for field, text in self._typed())
        now: dict[str, object] = {
            "family_name": family,
            "given_names": given,
            "hospital_number": number,
            "language": self.language.currentData(),
            "contact": contact,
            "preference": Preference(self.preference.currentData()),
        }
        return {k: v for k, v in now.items() if getattr(self.patient, k) != v}

    def _on_changed(self, *_args: object) -> None:
        problem = self.problem()
        self.message.setText(problem)
        self.ok_button.setEnabled(not problem)
