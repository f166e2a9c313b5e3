"""Choose the patient of a new plan: one already in the database, or a new one.

The choice is explicit (two buttons, "Existing patient" and "New patient") and nothing typed
is thrown away: the search text stays as typed (it never falls back to a patient chosen
before), a search that finds nobody offers to enter a new patient with what was typed, and
going from one choice to the other keeps both sides' fields. :meth:`PatientPicker.chosen`
is the one answer to "whose plan is this": the dialog's summary and its result both read it.

An existing patient may already have a plan in progress. The window shows a patient's latest
plan only, and both plans' sessions stay booked: a second plan is created only once the
coordinator ticks that the first goes on beside it (a plan that replaces another follows the
other's stop).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
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
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.names import split_name
from planner.core.patient import Patient, Preference, display_name
from planner.core.text_fields import Field, shown
from planner.gui.dialogs import LANGUAGES
from planner.gui.typed_text import kept
from planner.gui.typed_text import problem as typed_problem
from planner.i18n import _


@dataclass(frozen=True, slots=True)
class NewPatient:
    """A patient to create before the plan (the caller gives the id)."""

    family_name: str
    given_names: str
    hospital_number: str
    language: str = "fr"
    contact: str = ""
    port_in_place: bool = False
    preference: Preference = Preference.ANY

    @property
    def name(self) -> str:
        """As the patient list will show it: "DURAND Claire"."""
        return display_name(self.family_name, self.given_names)


def patient_fields(form: Any) -> tuple[tuple[Field, str], ...]:
    """What a patient's form holds, field by field, for the one check of typed texts (the
    new-patient form here and the details dialog): its ``family_name``, ``given_names``,
    ``hospital_number`` and ``contact`` line edits."""
    return (
        (Field.FAMILY_NAME, form.family_name.text()),
        (Field.GIVEN_NAMES, form.given_names.text()),
        (Field.HOSPITAL_NUMBER, form.hospital_number.text()),
        (Field.CONTACT, form.contact.text()),
    )


def preference_name(preference: Preference) -> str:
    return {
        Preference.ANY: _("no preference"),
        Preference.MORNING: _("mornings"),
        Preference.AFTERNOON: _("afternoons"),
    }[preference]


def entry_text(patient: Patient) -> str:
    """How an existing patient is listed and written in the search field."""
    return f"{patient.name} — {shown(patient.hospital_number)}"


def _clean(text: str) -> str:
    return " ".join(text.split())


class PatientPicker(QGroupBox):
    """An existing patient found by typing, or the details of a new one."""

    changed = Signal()
    """The choice or a detail changed."""

    def __init__(
        self,
        patients: list[Patient],
        patient: Patient | None = None,
        parent: Any = None,
        *,
        ongoing: Callable[[Patient], str | None] | None = None,
    ) -> None:
        """``ongoing(patient)`` says the patient's plan in progress, if any ("Pembrolizumab…,
        next session on Mon 8 Mar 2027"); None when there is none."""
        super().__init__(_("Patient"), parent)
        self._ongoing = ongoing or (lambda _patient: None)
        self._ticked_for: str | None = None
        """The patient whose plan in progress :attr:`keep_ongoing` speaks of."""
        patients = sorted(patients, key=lambda p: p.sort_key)
        self._by_number = {p.hospital_number.casefold(): p for p in patients}
        self._by_entry = {entry_text(p).casefold(): p for p in patients}
        self.existing_radio = QRadioButton(_("&Existing patient"))
        self.new_radio = QRadioButton(_("Ne&w patient"))
        group = QButtonGroup(self)
        group.addButton(self.existing_radio)
        group.addButton(self.new_radio)

        self.lookup = QLineEdit(placeholderText=_("Type a name or a hospital number…"))
        self.lookup.setClearButtonEnabled(True)
        self.lookup.setToolTip(_("The patients already in the database: pick one from the list"))
        completer = QCompleter(QStringListModel([entry_text(p) for p in patients], self), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        self.lookup.setCompleter(completer)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.keep_ongoing = QCheckBox(_("&Keep that plan going beside the new one"))
        self.keep_ongoing.setToolTip(
            _(
                "Both plans' sessions stay booked, and the window shows the new plan: "
                "stop the plan in progress instead if the new one replaces it"
            )
        )
        self.keep_ongoing.setVisible(False)
        self.create_button = QPushButton()
        self.create_button.setToolTip(_("Enter a new patient with what you typed"))
        self.create_button.clicked.connect(self._on_create_button_clicked)

        self.family_name = QLineEdit(placeholderText=_("e.g. DUPONT"))
        self.family_name.setToolTip(_("The family name, as written in the hospital's records"))
        self.given_names = QLineEdit(placeholderText=_("e.g. Marie"))
        self.given_names.setToolTip(_("The given names, as written in the hospital's records"))
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
        existing.addRow(_("&Patient:"), self.lookup)
        existing.addRow("", self.summary)
        existing.addRow("", self.keep_ongoing)
        existing.addRow("", self.create_button)
        new = QFormLayout(new_page)
        new.setContentsMargins(0, 0, 0, 0)
        new.addRow(_("&Family name:"), self.family_name)
        new.addRow(_("Gi&ven names:"), self.given_names)
        new.addRow(_("&Hospital number:"), self.hospital_number)
        new.addRow(_("Lan&guage:"), self.language)
        new.addRow(_("C&ontact:"), self.contact)
        new.addRow(_("Preferred &time:"), self.preference)
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
        # By id: the caller's Patient may be another copy (read at another time).
        chosen = next((p for p in patients if patient is not None and p.id == patient.id), None)
        if chosen is not None:
            self.lookup.setText(entry_text(chosen))
        if patients:
            self.existing_radio.setChecked(True)
        else:
            self.existing_radio.setEnabled(False)
            self.existing_radio.setToolTip(_("No patient in the database yet"))
            self.new_radio.setChecked(True)
        self._on_changed()

        self.existing_radio.toggled.connect(self._on_changed)
        completer.activated.connect(self.lookup.setText)
        for edit in (self.lookup, self.family_name, self.given_names, self.hospital_number):
            edit.textChanged.connect(self._on_changed)
        self.port_in_place.toggled.connect(self._on_changed)
        self.keep_ongoing.toggled.connect(self._on_changed)

    def adopt(self, patient: Patient) -> None:
        """``patient`` was saved meanwhile (the plan was not): chosen now as an existing
        patient, so that trying again does not enter them twice."""
        entry = entry_text(patient)
        self._by_entry[entry.casefold()] = patient
        self._by_number[patient.hospital_number.casefold()] = patient
        model = self.lookup.completer().model()
        if isinstance(model, QStringListModel):
            model.setStringList([*model.stringList(), entry])
        self.existing_radio.setEnabled(True)
        self.existing_radio.setChecked(True)
        self.lookup.setText(entry)

    # ------------------------------------------------------------------ the choice
    def is_new(self) -> bool:
        return self.new_radio.isChecked()

    def selected_patient(self) -> Patient | None:
        """The existing patient the search field names exactly (their line from the list,
        or their hospital number), if any."""
        typed = _clean(self.lookup.text()).casefold()
        return self._by_entry.get(typed) or self._by_number.get(typed)

    def _typed(self) -> tuple[tuple[Field, str], ...]:
        return patient_fields(self)

    def new_patient(self) -> NewPatient:
        """The new patient as typed (FieldError, a ValueError, while a field is wrong)."""
        family, given, number, contact = (kept(field, text) for field, text in self._typed())
        return NewPatient(
            family,
            given,
            number,
            self.language.currentData(),
            contact,
            self.port_in_place.isChecked(),
            Preference(self.preference.currentData()),
        )

    def chosen(self) -> Patient | NewPatient | None:
        """Whose plan this is: the existing patient chosen, the new patient entered, or None
        while the choice is incomplete (:meth:`missing` says why)."""
        if self.missing():
            return None
        return self.new_patient() if self.is_new() else self.selected_patient()

    def has_port(self) -> bool:
        """The chosen patient, existing or new, already has a port."""
        if self.is_new():
            return self.port_in_place.isChecked()
        chosen = self.selected_patient()
        return chosen is not None and chosen.port_in_place

    def preferred(self) -> Preference:
        if self.is_new():
            return Preference(self.preference.currentData())
        chosen = self.selected_patient()
        return chosen.preference if chosen is not None else Preference.ANY

    def missing(self) -> list[str]:
        """What is missing or wrong in the choice, as sentences (empty when complete)."""
        if not self.is_new():
            chosen = self.selected_patient()
            if chosen is not None:
                going = self._ongoing(chosen)
                if going is not None and not self.keep_ongoing.isChecked():
                    return [
                        _(
                            "{name} already has a plan in progress: {plan}. Stop it first "
                            "(Plan › Stop the treatment) if the new plan replaces it, or tick "
                            "“Keep that plan going beside the new one”."
                        ).format(name=chosen.name, plan=going)
                    ]
                return []
            if _clean(self.lookup.text()):
                return [
                    _(
                        "No patient is “{typed}”: pick one from the list, or enter a new patient."
                    ).format(typed=_clean(self.lookup.text()))
                ]
            return [_("Choose a patient from the list, or enter a new patient.")]
        problems = []
        if not _clean(self.family_name.text()):
            problems.append(_("Enter the new patient's family name."))
        number = self.hospital_number.text().strip()
        if not number:
            problems.append(_("Enter the new patient's hospital number."))
        elif number.casefold() in self._by_number:
            problems.append(
                _(
                    "Hospital number {number} is already {name}'s: choose this patient "
                    "from the list."
                ).format(number=number, name=self._by_number[number.casefold()].name)
            )
        if not problems:
            wrong = typed_problem(*self._typed())
            if wrong:
                return [wrong]
        return problems

    # ------------------------------------------------------------------ slots
    def _on_create_button_clicked(self) -> None:
        """A new patient with what was typed in the search: a number, or a name."""
        typed = _clean(self.lookup.text())
        if typed and " " not in typed and any(c.isdigit() for c in typed):
            if not self.hospital_number.text().strip():
                self.hospital_number.setText(typed)
        elif typed and not (self.family_name.text() or self.given_names.text()):
            family, given = split_name(typed)  # kept whole where unsure: never guessed
            self.family_name.setText(family)
            self.given_names.setText(given)
        self.new_radio.setChecked(True)
        (self.hospital_number if self.family_name.text() else self.family_name).setFocus()

    def _on_changed(self, *_args: object) -> None:
        self.pages.setCurrentIndex(1 if self.is_new() else 0)
        chosen = self.selected_patient()
        typed = _clean(self.lookup.text())
        self.create_button.setText(
            _("New patient “{typed}”…").format(typed=typed) if typed else _("New patient…")
        )
        self.create_button.setVisible(chosen is None)
        going = self._ongoing(chosen) if chosen is not None else None
        chosen_id = chosen.id if chosen is not None else None
        if chosen_id != self._ticked_for:
            # A tick says "this patient's plan goes on": never carried to another patient.
            self._ticked_for = chosen_id
            blocked = self.keep_ongoing.blockSignals(True)
            self.keep_ongoing.setChecked(False)
            self.keep_ongoing.blockSignals(blocked)
        self.keep_ongoing.setVisible(going is not None)
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
                lines.append(
                    _("Preferred time: {when}").format(when=preference_name(chosen.preference))
                )
            if going is not None:
                lines.append(_("Plan in progress: {plan}").format(plan=going))
            self.summary.setText("\n".join(lines))
        self.changed.emit()
