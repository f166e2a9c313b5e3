"""Correcting a patient's details: every field checked as typed, a hospital number that is
another patient's refused, only what changed is saved."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from planner.core.patient import Patient, Preference
from planner.gui.dialogs.patient_details import PatientDetailsDialog

OLD = Patient("p1", "Martin\r\nX", "Anne", "HN-1", "fr", contact="06 00")


def make(qtbot: QtBot) -> PatientDetailsDialog:
    dialog = PatientDetailsDialog(OLD, {"hn-1": "MARTIN Anne", "hn-2": "PETIT Bruno"})
    qtbot.addWidget(dialog)
    return dialog


def test_a_name_kept_with_a_line_break_must_be_corrected_before_saving(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text() == "Family name: it must fit on one line (it holds a line break)"
    dialog.family_name.setText("Martin")
    assert dialog.ok_button.isEnabled(), dialog.message.text()
    assert dialog.changes() == {"family_name": "Martin"}


def test_another_patient_s_number_is_refused_and_only_changes_are_saved(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.family_name.setText("Martin")
    dialog.hospital_number.setText(" hn-2 ")
    assert dialog.message.text() == "Hospital number hn-2 is already PETIT Bruno's."
    dialog.hospital_number.setText("HN-1")
    dialog.preference.setCurrentIndex(dialog.preference.findData(Preference.MORNING))
    dialog.contact.setText("  06 12 34 56 78 ")
    assert dialog.changes() == {
        "family_name": "Martin",
        "contact": "06 12 34 56 78",
        "preference": Preference.MORNING,
    }
