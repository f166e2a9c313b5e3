"""The new-plan dialog: choose a patient and a regimen, preview the calendar, get a request."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.closures import ClosureSet
from planner.core.patient import Patient
from planner.core.plan import PlanOptions
from planner.core.regimen import AgentClass
from planner.core.schedule import Policy, Session
from planner.core.settings import UnitSettings
from planner.gui.dialogs.new_plan import NewPatient, NewPlanDialog, NewPlanRequest
from planner.gui.models.regimen_list import RegimenKind
from planner.gui.models.schedule_table import ITEM_ROLE
from planner.i18n import set_language

MARIE = Patient("p1", "DUPONT", "Marie", "IPP001234", contact="06 12 34 56 78")
JEAN = Patient("p2", "MARTIN", "Jean", "IPP004567", language="en", port_in_place=True)
SETTINGS = UnitSettings(port_lead_days=10, default_policy=Policy.REANCHOR)


def make_dialog(
    qtbot: QtBot, catalog: Catalog, patient: Patient | None = None, patients=(MARIE, JEAN)
) -> NewPlanDialog:
    dialog = NewPlanDialog(catalog, SETTINGS, list(patients), date(2027, 3, 8), patient=patient)
    qtbot.addWidget(dialog)
    return dialog


def shown_ids(dialog: NewPlanDialog) -> set[str]:
    model = dialog.regimens
    return {model.regimen_at(row).id for row in range(model.rowCount())}


def test_typing_narrows_the_regimens(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog)
    assert len(shown_ids(dialog)) == len(catalog)
    qtbot.keyClicks(dialog.search, "pembro")
    # 200 q3w, 400 q6w, SC q6w, KN-189, KN-407, KN-426, KN-522, CLEAR and EV-302.
    assert len(shown_ids(dialog)) == 9
    assert all("pembrolizumab" in r for r in shown_ids(dialog))
    assert dialog.regimen_count.text() == "9 regimens"


def test_dual_immunotherapy_keeps_two_checkpoint_inhibitors(
    qtbot: QtBot, catalog: Catalog, qtmodeltester: ModelTester
) -> None:
    dialog = make_dialog(qtbot, catalog)
    dialog.kind_boxes[RegimenKind.DUAL_IMMUNOTHERAPY].setChecked(True)
    qtmodeltester.check(dialog.regimens)
    # The three ipilimumab + nivolumab regimens, and STRIDE (tremelimumab, anti-CTLA-4, with
    # durvalumab, anti-PD-L1) and nivolumab + relatlimab (anti-LAG-3): two immune checkpoint
    # inhibitors too.
    assert shown_ids(dialog) == {
        "ipilimumab-nivolumab-melanoma-cm067",
        "nivolumab-ipilimumab-chemo-cm9la",
        "nivolumab-ipilimumab-nsclc-cm227",
        "nivolumab-relatlimab-q4w",
        "tremelimumab-durvalumab-stride",
    }
    qtbot.keyClicks(dialog.search, "ipilimumab")
    assert len(shown_ids(dialog)) == 3


def test_kinds_combine_and_monotherapy_excludes_combination(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog)
    dialog.set_kinds({RegimenKind.COMBINATION, RegimenKind.IMMUNOTHERAPY, RegimenKind.CHEMOTHERAPY})
    for regimen_id in shown_ids(dialog):
        classes = catalog.regimen(regimen_id).classes
        assert {AgentClass.IMMUNOTHERAPY, AgentClass.CHEMOTHERAPY} <= classes
    assert "pembrolizumab-pemetrexed-platinum-kn189" in shown_ids(dialog)
    dialog.kind_boxes[RegimenKind.MONOTHERAPY].setChecked(True)
    assert not dialog.kind_boxes[RegimenKind.COMBINATION].isChecked()
    assert dialog.regimens.kinds == {
        RegimenKind.MONOTHERAPY,
        RegimenKind.IMMUNOTHERAPY,
        RegimenKind.CHEMOTHERAPY,
    }
    assert shown_ids(dialog) == set()  # no single drug is both


def test_pembrolizumab_for_an_existing_patient(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    dialog.select_regimen("pembrolizumab-200-q3w")
    dialog.policy.setCurrentIndex(dialog.policy.findData(Policy.GRID))
    dialog.start.setDate(QDate(2027, 3, 8))
    assert dialog.ok_button.isEnabled()
    assert dialog.message.text() == ""
    assert dialog.result_value() == NewPlanRequest(
        patient=MARIE,
        new_patient=None,
        regimen=catalog.regimen("pembrolizumab-200-q3w"),
        start=date(2027, 3, 8),
        policy=Policy.GRID,
        closure_set=ClosureSet.FR,
        options=PlanOptions(imaging_weeks=None, consultation_every=1, port_lead_days=10),
        confirm_port=False,
    )
    # The preview: three months of sessions, C2 moved off Easter Monday 29 March 2027.
    model = dialog.table_model
    sessions = [
        model.data(model.index(row, 0))
        for row in range(model.rowCount())
        if isinstance(model.data(model.index(row, 0), ITEM_ROLE), Session)
    ]
    assert sessions == [
        "Mon 8 Mar 2027",
        "Tue 30 Mar 2027",
        "Mon 19 Apr 2027",
        "Mon 10 May 2027",
        "Mon 31 May 2027",
    ]
    assert dialog.port.text().startswith("Implantable port: not needed")
    assert not dialog.confirm_port.isVisibleTo(dialog)


def test_the_preview_shows_what_the_plan_will_hold_port_and_consultations_included(
    qtbot: QtBot, catalog: Catalog
) -> None:
    """The preview showed the regimen's sessions and blood tests only: not the port's
    placement (what there is to organise first), the consultations or the baseline checks
    the created plan has. It shows the plan's first months as they will be created, and its
    options change it."""
    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    header = dialog.table.horizontalHeader()
    for column in range(dialog.table_model.columnCount() - 1):  # empty: titles not cut
        assert header.sectionSize(column) >= header.sectionSizeFromContents(column).width()
    dialog.port_lead.setValue(7)
    dialog.start.setDate(QDate(2027, 3, 15))
    dialog.select_regimen("mfolfox6-q14")
    model = dialog.table_model
    rows = [
        (model.data(model.index(r, 0)), model.data(model.index(r, 1)))
        for r in range(model.rowCount())
    ]
    # The DPD test 10 days before C1 (Friday 5 March), its result needed before it, then the
    # port a week before C1.
    assert rows[:2] == [
        (
            "Fri 5 Mar 2027",
            "DPD deficiency test (uracilaemia blood test) before the first dose of 5-FU, "
            "unless already known — result needed before the first session",
        ),
        ("Mon 8 Mar 2027", "Placement of the implantable port"),
    ]
    whats = [what for _day, what in rows]
    assert whats.count("Pump disconnection") == 7  # C1 to C7, to 15 June
    assert any(what.startswith("Consultation with the oncologist") for what in whats)
    # Adjuvant mFOLFOX6: nothing to measure, no response imaging (issue 21)...
    assert dialog.imaging.text() == "no imaging"
    assert "Response imaging (scan)" not in whats
    # ...unless the coordinator asks: week 9 is Monday 17 May, the scan in the week before
    # the session that follows (C6, Monday 24 May).
    dialog.imaging.setValue(9)
    rows = [
        (model.data(model.index(r, 0)), model.data(model.index(r, 1)))
        for r in range(model.rowCount())
    ]
    assert ("Fri 21 May 2027", "Response imaging (scan)") in rows
    dialog.imaging.setValue(0)  # no imaging
    whats = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert "Response imaging (scan)" not in whats


def test_a_regimen_given_around_surgery_shows_no_imaging_but_can_ask_for_it(
    qtbot: QtBot, catalog: Catalog
) -> None:
    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    dialog.select_regimen("pembrolizumab-200-q3w")
    assert dialog.imaging.value() == 9
    dialog.select_regimen("trastuzumab-q3w-adjuvant")
    assert dialog.imaging.value() == 0
    assert dialog.imaging.text() == "no imaging"
    assert "given around surgery" in dialog.imaging.toolTip()
    assert dialog.result_value().options.imaging_weeks is None  # the regimen's: none
    dialog.imaging.setValue(12)
    assert dialog.result_value().options.imaging_weeks == 12  # asked for in this plan
    dialog.select_regimen("pembrolizumab-chemo-kn522")  # a value set by hand is kept
    assert dialog.imaging.value() == 12
    dialog.imaging.setValue(0)
    dialog.select_regimen("pembrolizumab-200-q3w")
    assert dialog.imaging.value() == 9
    assert dialog.imaging.toolTip().startswith("Response imaging (scan) every so many weeks")


def test_a_new_patient_needs_a_family_name_and_a_hospital_number(
    qtbot: QtBot, catalog: Catalog
) -> None:
    dialog = make_dialog(qtbot, catalog)
    assert not dialog.ok_button.isEnabled()
    assert "Choose a patient" in dialog.message.text()
    assert "Choose a regimen." in dialog.message.text()
    dialog.select_regimen("nivolumab-480-q4w")
    dialog.patient.new_radio.setChecked(True)
    qtbot.keyClicks(dialog.patient.given_names, "Paul")
    assert dialog.message.text() == (
        "Enter the new patient's family name. Enter the new patient's hospital number."
    )
    qtbot.keyClicks(dialog.patient.family_name, "Durand")
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text() == "Enter the new patient's hospital number."
    with pytest.raises(ValueError, match="hospital number"):
        dialog.result_value()
    qtbot.keyClicks(dialog.patient.hospital_number, "IPP001234")
    assert not dialog.ok_button.isEnabled()
    assert "already DUPONT Marie's" in dialog.message.text()
    dialog.patient.hospital_number.setText(" IPP009999 ")
    dialog.patient.language.setCurrentIndex(dialog.patient.language.findData("en"))
    dialog.patient.port_in_place.setChecked(True)
    assert dialog.ok_button.isEnabled()
    request = dialog.result_value()
    assert request.patient is None
    assert request.new_patient == NewPatient("Durand", "Paul", "IPP009999", "en", "", True)
    assert request.new_patient.name == "DURAND Paul"
    assert request.policy is Policy.REANCHOR  # the unit's default


def test_the_patient_is_found_by_typing(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog)
    dialog.patient.lookup.setText("MARTIN Jean — IPP004567")
    assert dialog.patient.selected_patient() == JEAN
    assert "Port already in place" in dialog.patient.summary.text()
    dialog.patient.lookup.setText("ipp001234")  # a hospital number, typed whole
    assert dialog.patient.selected_patient() == MARIE
    dialog.patient.lookup.setText("MARTIN")
    assert dialog.patient.selected_patient() is None
    assert dialog.message.text().startswith("No patient is “MARTIN”: pick one from the list")


def test_the_summary_names_the_patient_the_plan_goes_to(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    dialog.select_regimen("pembrolizumab-200-q3w")
    assert dialog.summary.text() == (
        "Plan for DUPONT Marie (IPP001234): Pembrolizumab 200 mg every 3 weeks (monotherapy), "
        "from Monday 8 March 2027"
    )
    assert dialog.result_value().patient == MARIE
    dialog.patient.new_radio.setChecked(True)
    assert dialog.summary.text() == ""  # nobody yet: nothing would be created
    dialog.patient.family_name.setText("Durand")
    dialog.patient.given_names.setText("Claire")
    dialog.patient.hospital_number.setText("IPP2002")
    assert dialog.summary.text().startswith("Plan for a new patient, DURAND Claire (IPP2002): ")
    request = dialog.result_value()
    assert request.patient is None
    assert request.new_patient is not None
    assert request.new_patient.hospital_number == "IPP2002"


def test_a_patient_with_a_plan_in_progress_gets_a_second_one_only_when_asked(
    qtbot: QtBot, catalog: Catalog
) -> None:
    """Ctrl+N on Marie's pembrolizumab proposes Marie: a second plan would hide the first from
    the window while both stay booked (the same patient in two chairs at once). The dialog
    says so and creates it only once ticked; the tick is never carried to another patient."""
    going = {MARIE.id: "Pembrolizumab 200 mg every 3 weeks, next session on Mon 8 Mar 2027"}
    dialog = NewPlanDialog(
        catalog,
        SETTINGS,
        [MARIE, JEAN],
        date(2027, 3, 8),
        patient=MARIE,
        ongoing=lambda patient: going.get(patient.id),
    )
    qtbot.addWidget(dialog)
    dialog.select_regimen("mfolfox6-q14")
    assert "Plan in progress: Pembrolizumab 200 mg every 3 weeks" in dialog.patient.summary.text()
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text().startswith(
        "DUPONT Marie already has a plan in progress: Pembrolizumab 200 mg every 3 weeks, next "
        "session on Mon 8 Mar 2027. Stop it first (Plan › Stop the treatment) if the new plan "
        "replaces it, or tick “Keep that plan going beside the new one”."
    )
    dialog.patient.keep_ongoing.setChecked(True)
    assert dialog.ok_button.isEnabled()
    assert dialog.result_value().patient == MARIE
    # Jean has no plan in progress: nothing to tick; back to Marie, the tick is gone.
    dialog.patient.lookup.setText("MARTIN Jean — IPP004567")
    assert dialog.patient.keep_ongoing.isHidden()
    assert dialog.ok_button.isEnabled()
    dialog.patient.lookup.setText("DUPONT Marie — IPP001234")
    assert not dialog.patient.keep_ongoing.isChecked()
    assert not dialog.ok_button.isEnabled()


# Typing shows the completer's popup, which the offscreen platform cannot raise or grab for.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_typing_a_new_patient_with_another_on_screen_loses_nothing(
    qtbot: QtBot, catalog: Catalog
) -> None:
    """Opened on Marie's plan, the coordinator types a new patient in the search field: the
    text stays as typed, never falls back to Marie, and becomes the new patient's name."""
    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    dialog.select_regimen("pembrolizumab-200-q3w")
    finder = dialog.patient.lookup
    finder.selectAll()
    qtbot.keyClicks(finder, "DURAND Claire")
    finder.clearFocus()
    assert finder.text() == "DURAND Claire"
    assert dialog.patient.selected_patient() is None
    assert not dialog.ok_button.isEnabled()  # never Marie's plan by default
    assert dialog.summary.text() == ""
    assert dialog.patient.create_button.text() == "New patient “DURAND Claire”…"
    dialog.patient.create_button.click()
    assert dialog.patient.is_new()
    assert dialog.patient.family_name.text() == "DURAND"
    assert dialog.patient.given_names.text() == "Claire"
    qtbot.keyClicks(dialog.patient.hospital_number, "IPP2002")
    # Back to "existing" and again to "new": both sides keep what was typed.
    dialog.patient.existing_radio.setChecked(True)
    assert finder.text() == "DURAND Claire"
    dialog.patient.new_radio.setChecked(True)
    assert dialog.patient.hospital_number.text() == "IPP2002"
    request = dialog.result_value()
    assert request.patient is None
    assert request.new_patient is not None
    assert request.new_patient.name == "DURAND Claire"


def test_a_typed_hospital_number_goes_to_the_new_patient(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog)
    dialog.patient.lookup.setText("IPP7777")
    dialog.patient.create_button.click()
    assert dialog.patient.hospital_number.text() == "IPP7777"
    assert dialog.patient.family_name.hasFocus() or not dialog.isVisible()


def test_without_patients_only_a_new_patient_can_be_entered(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog, patients=())
    assert dialog.patient.is_new()
    assert not dialog.patient.existing_radio.isEnabled()


def test_a_required_port_is_explained(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    dialog.select_regimen("mfolfox6-q14")
    lines = dialog.port.text().splitlines()
    assert lines[0] == "Implantable port: required"
    assert "46-hour continuous infusion" in lines[1]
    assert not dialog.confirm_port.isVisibleTo(dialog)  # required: always planned


def test_a_recommended_port_can_be_confirmed(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    dialog.select_regimen("paclitaxel-weekly-d1-8-15-q28")
    assert dialog.port.text().startswith("Implantable port: recommended")
    assert dialog.confirm_port.isVisibleTo(dialog)
    dialog.confirm_port.setChecked(True)
    request = dialog.result_value()
    assert request.confirm_port
    assert request.options.port_confirmed
    # A patient who has a port already is not asked.
    dialog.patient.lookup.setText("MARTIN Jean — IPP004567")
    assert not dialog.confirm_port.isVisibleTo(dialog)
    assert "already has a port" in dialog.port.text()
    assert not dialog.result_value().confirm_port


def test_options_and_a_kept_choice(qtbot: QtBot, catalog: Catalog) -> None:
    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    dialog.select_regimen("pembrolizumab-200-q3w")
    qtbot.keyClicks(dialog.search, "pembro")  # still listed: still chosen
    assert dialog.selected_regimen() is not None
    dialog.imaging.setValue(12)
    dialog.consultation.setValue(0)
    dialog.closures.setCurrentIndex(dialog.closures.findData(ClosureSet.FR_ALSACE_MOSELLE))
    request = dialog.result_value()
    assert request.options.imaging_weeks == 12
    assert request.options.consultation_every == 0
    assert dialog.consultation.text() == "no consultation"
    assert request.closure_set is ClosureSet.FR_ALSACE_MOSELLE
    dialog.search.setText("cetux")  # filtered out: nothing chosen
    assert dialog.selected_regimen() is None
    assert not dialog.ok_button.isEnabled()


def test_the_dialog_speaks_french(qtbot: QtBot, catalog: Catalog) -> None:
    set_language("fr")
    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    dialog.select_regimen("mfolfox6-q14")
    assert dialog.start.displayFormat() == "dd/MM/yyyy"
    assert dialog.start.text() == "08/03/2027"
    assert dialog.port.text().startswith("Chambre implantable\u00a0: nécessaire")


def test_the_earliest_start_that_fits_the_unit_is_offered(qtbot: QtBot, catalog: Catalog) -> None:
    from datetime import time

    from planner.core.booking import Booking
    from planner.core.chairs import Chair, Occupancy, UnitResources
    from planner.core.patient import Preference
    from planner.day_hospital import bookings

    # One chair, mornings only; Monday 8 and Tuesday 9 March are full.
    unit = Occupancy(
        UnitResources(chairs=(Chair("A"),), hours=((time(8), time(12)),) * 5 + (None, None)),
        SETTINGS.calendar(),
    )
    for n, day in enumerate([date(2027, 3, 8), date(2027, 3, 9)]):
        unit.add((f"full{n}", (1, 1, 1)), Booking(time(8), 240, "A", day))
    asked: list[Preference] = []

    def earliest(regimen, day, policy, preference):
        asked.append(preference)
        return bookings.earliest(
            unit, regimen, SETTINGS, catalog.port_rules, day, policy=policy, preference=preference
        )

    dialog = NewPlanDialog(
        catalog, SETTINGS, [MARIE, JEAN], date(2027, 3, 8), patient=MARIE, earliest=earliest
    )
    qtbot.addWidget(dialog)
    assert dialog.find_earliest() == []
    assert dialog.starts_note.text() == "Choose a regimen first."
    dialog.select_regimen("pembrolizumab-200-q3w")
    options = dialog.find_earliest()
    assert [o.start for o in options] == [date(2027, 3, 10), date(2027, 3, 11), date(2027, 3, 12)]
    assert asked == [Preference.ANY]
    assert [b.text() for b in dialog.start_buttons] == [
        "Wed 10 Mar 2027",
        "Thu 11 Mar 2027",
        "Fri 12 Mar 2027",
    ]
    dialog.start_buttons[1].click()
    assert dialog.result_value().start == date(2027, 3, 11)


def test_the_earliest_start_offered_leaves_no_preparation_in_the_past(
    qtbot: QtBot, catalog: Catalog
) -> None:
    """The unit's chairs were free from today, so "Find the earliest start" offered today:
    a start whose port placement and blood test are already past, which the dialog then
    warned about. It looks from the first start with everything from today."""
    from planner.core.chairs import Occupancy, UnitResources
    from planner.day_hospital import bookings

    unit = Occupancy(UnitResources(), SETTINGS.calendar())

    def earliest(regimen, day, policy, preference):
        return bookings.earliest(
            unit, regimen, SETTINGS, catalog.port_rules, day, policy=policy, preference=preference
        )

    dialog = NewPlanDialog(
        catalog, SETTINGS, [MARIE, JEAN], date(2027, 3, 8), patient=MARIE, earliest=earliest
    )
    qtbot.addWidget(dialog)
    dialog.port_lead.setValue(7)
    # A port placed a week before C1, and the DPD test 10 days before: from Thursday 18
    # March the test is today, 8 March.
    dialog.select_regimen("mfolfox6-q14")
    assert dialog.past_button.text() == "Start on Thu 18 Mar 2027"
    options = dialog.find_earliest()
    assert options
    assert options[0].start == date(2027, 3, 18)
    dialog.start_buttons[0].click()
    assert not dialog.past_note.isVisibleTo(dialog)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_dialog_fits_a_1280_by_720_screen(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """It opened 760 pixels tall whatever the screen: on 1280×720 its buttons and the line
    saying what Create the plan saves were below the screen's foot."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, 1280, 720))
    set_language(language)
    dialog = NewPlanDialog(
        catalog,
        SETTINGS,
        [MARIE, JEAN],
        date(2027, 3, 8),
        patient=MARIE,
        earliest=lambda *args: [],
        ongoing=lambda patient: "Pembrolizumab 200 mg every 3 weeks, next session on Mon 8 Mar",
    )
    qtbot.addWidget(dialog)
    assert dialog.width() <= 1280
    assert dialog.height() <= 720 - 40  # and a title bar above it
    # Its tallest: the plan in progress, a start with preparations in the past, starts found.
    dialog.select_regimen("pembrolizumab-pemetrexed-platinum-kn189")
    dialog.find_earliest()
    layout = dialog.layout()
    assert layout is not None
    layout.activate()
    assert dialog.minimumSizeHint().height() <= 720 - 40
    assert dialog.minimumSizeHint().width() <= 1280


def test_down_in_the_regimen_search_goes_to_the_regimens(qtbot: QtBot, catalog: Catalog) -> None:
    """From the search, the list was six class boxes away (Tab × 7, or Alt+L): Down goes
    there and chooses the first regimen found, as in a browser's address bar."""
    from PySide6.QtCore import Qt

    dialog = make_dialog(qtbot, catalog, patient=MARIE)
    qtbot.keyClicks(dialog.search, "mfolfox6")
    assert dialog.selected_regimen() is None
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    first = dialog.regimens.regimen_at(0)
    assert dialog.selected_regimen() == first
    assert first.id == "bevacizumab-5mgkg-q2w-with-folfox-or-folfiri"  # with mFOLFOX6
    assert dialog.regimen_list.currentIndex().row() == 0


def test_a_new_patient_can_prefer_afternoons(qtbot: QtBot, catalog: Catalog) -> None:
    from planner.core.patient import Preference

    dialog = make_dialog(qtbot, catalog)
    dialog.select_regimen("nivolumab-480-q4w")
    dialog.patient.new_radio.setChecked(True)
    dialog.patient.family_name.setText("DURAND")
    dialog.patient.given_names.setText("Paul")
    dialog.patient.hospital_number.setText("IPP009999")
    dialog.patient.preference.setCurrentIndex(
        dialog.patient.preference.findData(Preference.AFTERNOON)
    )
    request = dialog.result_value()
    assert request.new_patient is not None
    assert request.new_patient.preference is Preference.AFTERNOON


def test_a_start_that_puts_preparations_before_today_is_said_with_the_earliest_start(
    qtbot: QtBot, catalog: Catalog
) -> None:
    dialog = make_dialog(qtbot, catalog, patient=MARIE)  # today: Monday 8 March 2027
    dialog.port_lead.setValue(7)
    dialog.select_regimen("mfolfox6-q14")
    assert dialog.past_note.isVisibleTo(dialog)
    note = dialog.past_note.text()
    # The DPD test 10 days before C1 (Friday 26 February), its result needed before C1,
    # the port a week before (Monday 1 March), the blood test (Saturday 6 March).
    assert note.startswith(
        "⚠ This start puts 3 preparations before today, when they can no longer be done: "
        "DPD deficiency test (uracilaemia blood test) before the first dose of 5-FU, unless "
        "already known — result needed before the first session (Fri 26 Feb 2027); "
        "Placement of the implantable port (Mon 1 Mar 2027); Blood test (Sat 6 Mar 2027)."
    )
    assert note.endswith("The earliest start with everything from today: Thursday 18 March 2027.")
    assert dialog.past_button.text() == "Start on Thu 18 Mar 2027"
    dialog.past_button.click()
    assert dialog.result_value().start == date(2027, 3, 18)
    assert not dialog.past_note.isVisibleTo(dialog)
    # A patient with a port already: no placement; the DPD test still sets the earliest
    # start (without it, the blood test alone allowed Tuesday 9 March).
    dialog.start.setDate(QDate(2027, 3, 8))
    dialog.patient.lookup.setText("MARTIN Jean — IPP004567")
    assert "implantable port" not in dialog.past_note.text()
    assert dialog.past_button.text() == "Start on Thu 18 Mar 2027"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_field_of_the_dialog_has_its_own_alt_letter(
    qtbot: QtBot, catalog: Catalog, language: str
) -> None:
    """Alt+letter reaches one field: a letter shared by two reaches neither reliably."""
    import re
    from collections import defaultdict

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    set_language(language)
    dialog = make_dialog(qtbot, catalog)
    letters: dict[str, list[str]] = defaultdict(list)
    texts = [w.text() for w in dialog.findChildren(QAbstractButton)]
    texts += [w.text() for w in dialog.findChildren(QLabel)]
    texts += [w.title() for w in dialog.findChildren(QGroupBox)]
    for text in texts:
        found = re.search(r"&(\w)", text)
        if found:
            letters[found.group(1).lower()].append(text)
    assert {k: v for k, v in letters.items() if len(v) > 1} == {}


@pytest.mark.parametrize(
    ("typed", "family", "given"),
    [
        ("DURAND Claire", "DURAND", "Claire"),
        ("Claire DURAND", "DURAND", "Claire"),
        ("Durand, Claire", "Durand", "Claire"),
        ("Claire Durand", "Claire Durand", ""),  # which is the family name? not guessed
    ],
)
def test_a_typed_name_becomes_the_new_patients_by_the_stored_names_rule(
    qtbot: QtBot, catalog: Catalog, typed: str, family: str, given: str
) -> None:
    dialog = make_dialog(qtbot, catalog)
    dialog.patient.lookup.setText(typed)
    dialog.patient.create_button.click()
    assert (dialog.patient.family_name.text(), dialog.patient.given_names.text()) == (
        family,
        given,
    )


def test_a_new_patient_s_name_pasted_with_a_line_break_or_a_formula_is_refused(
    qtbot: QtBot, catalog: Catalog
) -> None:
    dialog = make_dialog(qtbot, catalog)
    dialog.select_regimen("nivolumab-480-q4w")
    dialog.patient.new_radio.setChecked(True)
    dialog.patient.hospital_number.setText("IPP555")
    dialog.patient.family_name.setText("Durand\nBEGIN:VEVENT")
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text() == ("Family name: it must fit on one line (it holds a line break)")
    dialog.patient.family_name.setText('=HYPERLINK("http://x")')
    assert dialog.message.text() == (
        "Family name: it cannot start with = (a spreadsheet would read a formula)"
    )
    dialog.patient.family_name.setText("  Durand  ")
    assert dialog.ok_button.isEnabled()
    new = dialog.result_value().new_patient
    assert new is not None
    assert new.family_name == "Durand"
