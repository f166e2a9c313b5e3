"""Choose the patient of a new plan: one already in the database, or a new one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.booking import Preference
from planner.core.plan import Patient
from planner.gui.dialogs import LANGUAGES
from planner.i18n import _


@dataclass(frozen=True, slots=True)
class NewPatient:
    """A patient to create before the plan (the caller gives the id)."""

    name: str
    hospital_number: str
    language: str = "fr"
    contact: str = ""
    port_in_place: bool = False
    preference: Preference = Preference.ANY


def preference_name(preference: Preference) -> str:
    return {
        Preference.ANY: _("any time of day"),
        Preference.MORNING: _("mornings"),
        Preference.AFTERNOON: _("afternoons"),
    }[preference]


class PatientPicker(QGroupBox):
    """An existing patient from a searchable list, or the details of a new one."""

    changed = Signal()
    """The choice or a detail changed."""

    def __init__(
        self, patients: list[Patient], patient: Patient | None = None, parent: Any = None
    ) -> None:
        super().__init__(_("Patient"), parent)
        patients = sorted(patients, key=lambda p: (p.name.casefold(), p.hospital_number))
        self._by_number = {p.hospital_number: p for p in patients}
        self.existing_radio = QRadioButton(_("&Existing patient"))
        self.new_radio = QRadioButton(_("Ne&w patient"))
        group = QButtonGroup(self)
        group.addButton(self.existing_radio)
        group.addButton(self.new_radio)

        self.combo = QComboBox()
        self.combo.setLineEdit(QLineEdit(placeholderText=_("Type a name or a hospital number…")))
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for p in patients:
            self.combo.addItem(f"{p.name} — {p.hospital_number}", p)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.combo.setCompleter(completer)
        self.combo.setToolTip(_("The patients already in the database"))
        # By id: the caller's Patient may be another copy (read at another time).
        ids = [p.id for p in patients]
        self.combo.setCurrentIndex(
            ids.index(patient.id) if patient is not None and patient.id in ids else -1
        )
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)

        self.name = QLineEdit(placeholderText=_("Family name, given name"))
        self.name.setToolTip(_("As written in the hospital's records"))
        self.hospital_number = QLineEdit(placeholderText=_("IPP"))
        self.hospital_number.setToolTip(_("The patient's permanent identifier in the hospital"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setToolTip(_("The language of the patient's calendar and handout"))
        self.contact = QLineEdit(placeholderText=_("Telephone or e-mail"))
        self.contact.setToolTip(_("Where the patient wishes to receive reminders"))
        self.port_in_place = QCheckBox(_("Port already i&n place"))
        self.port_in_place.setToolTip(_("The patient already has an implantable port"))
        self.preference = QComboBox()
        for preference in Preference:
            self.preference.addItem(preference_name(preference), preference)
        self.preference.setToolTip(
            _("When the patient would rather come: sessions are booked then")
        )

        existing_page, new_page = QWidget(), QWidget()
        existing = QFormLayout(existing_page)
        existing.setContentsMargins(0, 0, 0, 0)
        existing.addRow(_("&Patient:"), self.combo)
        existing.addRow("", self.summary)
        new = QFormLayout(new_page)
        new.setContentsMargins(0, 0, 0, 0)
        new.addRow(_("Na&me:"), self.name)
        new.addRow(_("&Hospital number:"), self.hospital_number)
        new.addRow(_("Lan&guage:"), self.language)
        new.addRow(_("C&ontact:"), self.contact)
        new.addRow(_("Come&s:"), self.preference)
        new.addRow("", self.port_in_place)
        self.pages = QStackedWidget()
        self.pages.addWidget(existing_page)
        self.pages.addWidget(new_page)

        radios = QHBoxLayout()
        radios.addWidget(self.existing_radio)
        radios.addWidget(self.new_radio)
        radios.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(radios)
        column.addWidget(self.pages)
        column.addStretch(1)
        if patients:
            self.existing_radio.setChecked(True)
        else:
            self.existing_radio.setEnabled(False)
            self.existing_radio.setToolTip(_("No patient in the database yet"))
            self.new_radio.setChecked(True)
        self._on_changed()

        self.existing_radio.toggled.connect(self._on_changed)
        self.combo.currentTextChanged.connect(self._on_changed)
        for edit in (self.name, self.hospital_number):
            edit.textChanged.connect(self._on_changed)
        self.port_in_place.toggled.connect(self._on_changed)

    def is_new(self) -> bool:
        return self.new_radio.isChecked()

    def selected_patient(self) -> Patient | None:
        """The existing patient whose entry is typed or chosen in the list, if any."""
        found = self.combo.findText(self.combo.currentText(), Qt.MatchFlag.MatchFixedString)
        return self.combo.itemData(found) if found >= 0 else None

    def new_patient(self) -> NewPatient:
        return NewPatient(
            self.name.text().strip(),
            self.hospital_number.text().strip(),
            self.language.currentData(),
            self.contact.text().strip(),
            self.port_in_place.isChecked(),
            Preference(self.preference.currentData()),
        )

    def has_port(self) -> bool:
        """The chosen patient, existing or new, already has a port."""
        if self.is_new():
            return self.port_in_place.isChecked()
        chosen = self.selected_patient()
        return chosen is not None and chosen.port_in_place

    def missing(self) -> list[str]:
        """What is missing or wrong in the choice, as sentences (empty when complete)."""
        if not self.is_new():
            if self.selected_patient() is None:
                return [_("Choose a patient from the list, or enter a new patient.")]
            return []
        problems = []
        if not self.name.text().strip():
            problems.append(_("Enter the new patient's name."))
        number = self.hospital_number.text().strip()
        if not number:
            problems.append(_("Enter the new patient's hospital number."))
        elif number in self._by_number:
            problems.append(
                _(
                    "Hospital number {number} is already {name}'s: choose this patient "
                    "from the list."
                ).format(number=number, name=self._by_number[number].name)
            )
        return problems

    def _on_changed(self, *_args: object) -> None:
        self.pages.setCurrentIndex(1 if self.is_new() else 0)
        chosen = self.selected_patient()
        if chosen is None:
            self.summary.clear()
        else:
            name = LANGUAGES.get(chosen.language, chosen.language)
            lines = [_("Calendar language: {language}").format(language=name)]
            if chosen.contact:
                lines.append(_("Contact: {contact}").format(contact=chosen.contact))
            if chosen.port_in_place:
                lines.append(_("Port already in place"))
            if chosen.preference is not Preference.ANY:
                lines.append(_("Comes: {when}").format(when=preference_name(chosen.preference)))
            self.summary.setText("\n".join(lines))
        self.changed.emit()
