"""The flows behind the menus, end to end: dialog, store, window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QDialog, QMessageBox

from planner.core.schedule import Policy
from planner.gui import flows
from planner.gui.dialogs.new_plan import NewPlanDialog
from planner.gui.flows import Outcome
from planner.gui.main_window import MainWindow
from planner.store import Store

pytestmark = pytest.mark.usefixtures("qtbot")


def answer_new_plan(
    monkeypatch: pytest.MonkeyPatch, fill: Callable[[NewPlanDialog], None], *, accept: bool = True
) -> list[NewPlanDialog]:
    """Make the (modal) new-plan dialog filled by ``fill`` and then accepted or cancelled;
    shown again (after a refusal), it is cancelled."""
    shown: list[NewPlanDialog] = []

    def exec_(dialog: NewPlanDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        if len(shown) > 1:
            return QDialog.DialogCode.Rejected
        fill(dialog)
        if accept:
            assert dialog.ok_button.isEnabled(), dialog.message.text()
            return QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(NewPlanDialog, "exec", exec_)
    return shown


def test_a_new_patient_and_plan_are_saved_and_shown(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.family_name.setText("Durand")
        dialog.patient.given_names.setText("Claire")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("nivolumab-480-q4w")
        dialog.start.setDate(QDate(2027, 3, 22))

    answer_new_plan(monkeypatch, fill)
    assert flows.new_plan(window)

    # The window shows the new patient's plan at once.
    ps = window.current_schedule()
    assert ps is not None
    assert ps.plan.patient.name == "DURAND Claire"
    assert ps.plan.regimen.id == "nivolumab-480-q4w"
    assert [s.date for s in ps.sessions[:3]] == [
        date(2027, 3, 22),
        date(2027, 4, 19),
        date(2027, 5, 18),  # every four weeks; Whit Monday 17 May is a holiday
    ]
    assert window.patients_model.rowCount() == 3
    assert window.statusBar().currentMessage().startswith("Plan created for DURAND Claire")
    # ...and it is in the database, as the unit's default policy made it.
    with Store.open(unit_db) as store:
        claire = next(p for p in store.patients() if p.hospital_number == "HN-0003")
        (plan,) = store.plans(claire)
        assert plan.start == date(2027, 3, 22)
        assert plan.policy is store.settings().default_policy


def test_the_status_bar_names_the_regimen_in_the_coordinators_language(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A French coordinator creates a plan for an English-speaking patient: the status bar
    speaks French to the coordinator (the patient's documents are in English)."""
    from planner.i18n import set_language

    set_language("fr")

    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.family_name.setText("O'Brien")
        dialog.patient.given_names.setText("Mary")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.patient.language.setCurrentIndex(dialog.patient.language.findData("en"))
        dialog.select_regimen("nivolumab-480-q4w")
        dialog.start.setDate(QDate(2027, 3, 22))

    answer_new_plan(monkeypatch, fill)
    assert flows.new_plan(window)
    ps = window.current_schedule()
    assert ps is not None
    assert ps.plan.patient.language == "en"
    message = window.statusBar().currentMessage()
    french, english = ps.plan.regimen.name.get("fr"), ps.plan.regimen.name.get("en")
    assert french != english
    assert message.startswith(f"Plan créé pour O'BRIEN Mary\u00a0: {french},")


def test_a_second_plan_for_the_chosen_patient(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.search.setText("Anne")
    window.patients.selectRow(0)

    def fill(dialog: NewPlanDialog) -> None:
        # The patient on screen is proposed.
        assert dialog.patient.selected_patient() is not None
        assert dialog.patient.selected_patient().name == "MARTIN Anne"  # type: ignore[union-attr]
        dialog.select_regimen("ipilimumab-nivolumab-melanoma-cm067")
        dialog.policy.setCurrentIndex(dialog.policy.findData(Policy.GRID))
        dialog.start.setDate(QDate(2027, 6, 7))
        # Anne's pembrolizumab goes on: the window would show only the new plan, and both
        # stay booked. Nothing is created until the coordinator says both go on.
        assert "Plan in progress: Pembrolizumab 200 mg every 3 weeks" in (
            dialog.patient.summary.text()
        )
        assert not dialog.ok_button.isEnabled()
        assert dialog.message.text().startswith(
            "MARTIN Anne already has a plan in progress: Pembrolizumab 200 mg every 3 weeks"
        )
        assert "Stop it first (Plan › Stop the treatment)" in dialog.message.text()
        dialog.patient.keep_ongoing.setChecked(True)

    answer_new_plan(monkeypatch, fill)
    assert flows.new_plan(window)
    with Store.open(unit_db) as store:
        anne = next(p for p in store.patients() if p.name == "MARTIN Anne")
        regimens = [p.regimen.id for p in sorted(store.plans(anne), key=lambda p: p.start)]
    assert regimens == ["pembrolizumab-200-q3w", "ipilimumab-nivolumab-melanoma-cm067"]
    ps = window.current_schedule()
    assert ps is not None
    assert ps.plan.regimen.id == "ipilimumab-nivolumab-melanoma-cm067"
    assert ps.sessions[0].date == date(2027, 6, 7)


def test_cancelling_saves_nothing(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.family_name.setText("Durand")
        dialog.patient.given_names.setText("Claire")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("nivolumab-480-q4w")

    answer_new_plan(monkeypatch, fill, accept=False)
    assert not flows.new_plan(window)
    with Store.open(unit_db) as store:
        assert len(store.patients()) == 2
        assert len(store.plans()) == 2


def test_a_plan_the_database_refuses_is_said_in_words(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.family_name.setText("Durand")
        dialog.patient.given_names.setText("Claire")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("nivolumab-480-q4w")
        # Meanwhile, another coordinator gives HN-0003 to someone else.
        with Store.open(unit_db) as other:
            from tests.gui.conftest import AT

            other.add_patient("Else", "Someone", "HN-0003", author="other", at=AT)

    dialogs = answer_new_plan(monkeypatch, fill)
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    assert not flows.new_plan(window)
    assert shown[0][0] == "The plan was not created"
    assert "HN-0003" in shown[0][1]
    assert shown[0][1].endswith("What you entered is shown again.")
    # The same dialog came back, as it was typed (here cancelled the second time).
    assert len(dialogs) == 2
    assert dialogs[1] is dialogs[0]
    assert dialogs[1].patient.family_name.text() == "Durand"
    with Store.open(unit_db) as store:
        assert len(store.plans()) == 2  # nothing half-made


def test_edited_port_rules_are_the_units_saved_in_its_database_and_applied(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.catalog import CatalogPaths
    from planner.core.port import PortCriterion, PortLevel, PortRule
    from planner.core.regimen import AgentClass
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    mine = PortRule(
        PortLevel.RECOMMENDED,
        PortCriterion.CLASS,
        classes=frozenset({AgentClass.IMMUNOTHERAPY}),
        source="Local protocol",
    )

    def add_rule(dialog: SettingsDialog) -> QDialog.DialogCode:
        dialog.port_rules.set_rules((*dialog.port_rules.rules(), mine))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", add_rule)
    window.search.setText("Anne")
    window.patients.selectRow(0)
    assert "not needed" in window.plan_view.port_label.text()
    assert flows.unit_settings(window)

    # Saved in the unit's database (not on this computer), applied to Anne's pembrolizumab...
    with Store.open(unit_db) as store:
        saved = store.port_rules()
    assert saved is not None
    assert saved[-1] == mine
    assert not CatalogPaths.user().port_rules.exists()
    assert "recommended" in window.plan_view.port_label.text()
    # ...and the patient list is computed again, the same patient still chosen.
    window.watch.wait_for_refresh()
    assert window.current_summary() is not None
    assert window.current_summary().patient.name == "MARTIN Anne"  # type: ignore[union-attr]

    # Back to the shipped rules: the unit's own go, so a later version's table applies.
    def bundled(dialog: SettingsDialog) -> QDialog.DialogCode:
        dialog.port_rules.bundled_button.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", bundled)
    assert flows.unit_settings(window)
    window.watch.wait_for_refresh()
    with Store.open(unit_db) as store:
        assert store.port_rules() is None
    assert "not needed" in window.plan_view.port_label.text()


def test_port_rules_the_database_does_not_take_change_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.dialogs.settings_dialog import SettingsDialog
    from planner.i18n import Message
    from planner.store import StoreError

    calls: list[SettingsDialog] = []

    def drop_last(dialog: SettingsDialog) -> QDialog.DialogCode:
        calls.append(dialog)
        if len(calls) > 1:  # shown again as it was, after the refusal: cancelled
            assert len(dialog.port_rules.rules()) == 3  # the 4 shipped less the last
            return QDialog.DialogCode.Rejected
        dialog.port_rules.set_rules(dialog.port_rules.rules()[:-1])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", drop_last)
    assert window.unit is not None

    def unreachable(*args: object, **kwargs: object) -> None:
        raise StoreError(Message("the server db.chu.fr does not answer"))

    monkeypatch.setattr(window.unit.store, "save_port_rules", unreachable)
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    before = window.unit.catalog.port_rules
    assert not flows.unit_settings(window)
    assert shown == [
        (
            "The port rules were not saved",
            "the server db.chu.fr does not answer\n\nWhat you entered is shown again.",
        )
    ]
    assert window.unit.catalog.port_rules == before


def test_the_unit_export_writes_the_period_off_the_gui_thread(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.exporting import UnitExportDialog

    def march_as_csv(dialog: UnitExportDialog) -> QDialog.DialogCode:
        dialog.first.setDate(QDate(2027, 3, 1))
        dialog.last.setDate(QDate(2027, 3, 31))
        dialog.format.setCurrentIndex(dialog.format.findData("csv"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(UnitExportDialog, "exec", march_as_csv)
    path = flows.export_unit(window, tmp_path / "march.csv")
    assert path == tmp_path / "march.csv"
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == 4
    assert all("A. M." in row or "B. P." in row for row in rows)  # initials, not names
    assert window.statusBar().currentMessage() == f"4 sessions written to {path}"


def test_a_refused_unit_export_is_said_in_words(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.exporting import UnitExportDialog

    monkeypatch.setattr(UnitExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    assert flows.export_unit(window, tmp_path / "missing" / "unit.ics") is None
    assert shown[0][0] == "The unit was not exported"
    assert "folder does not exist" in shown[0][1]


# ---------------------------------------------------------------- chairs and bookings


def _bookings(unit_db: Path) -> dict[object, object]:
    with Store.open(unit_db) as store:
        return dict(store.bookings())


def test_booking_a_plan_then_undo_and_redo(window: MainWindow, unit_db: Path) -> None:
    window.search.setText("Anne")
    window.patients.selectRow(0)
    assert flows.book_plan(window)
    ps = window.current_schedule()
    assert ps is not None
    stored = _bookings(unit_db)
    assert len(stored) == len([s for s in ps.sessions if s.date >= date(2027, 3, 1)])
    first = stored[(ps.plan.id, (1, 1, 1))]
    assert (first.day, first.start, first.minutes) == (date(2027, 3, 8), time(8), 45)  # type: ignore[attr-defined]
    # The plan's table shows the time and chair of each booked session.
    model = window.plan_view.table_model
    statuses = [model.data(model.index(r, 7)) for r in range(model.rowCount())]
    assert "planned · 08:00–08:45, F1" in statuses
    assert window.undo_group.undoText().startswith("Book 35 sessions for MARTIN Anne")
    window.undo_group.undo()
    assert _bookings(unit_db) == {}
    window.undo_group.redo()
    assert _bookings(unit_db) == stored
    # Nothing more to book.
    assert not flows.book_plan(window)


def test_ctrl_z_and_ctrl_y_say_what_they_undid_and_redid(window: MainWindow, unit_db: Path) -> None:
    """Undoing a booking changes nothing the eye sees at once (the table's status column, at
    most): Ctrl+Z acted in silence. The status bar says what was undone, and redone."""
    window.search.setText("Anne")
    window.patients.selectRow(0)
    assert flows.book_plan(window)
    window.statusBar().clearMessage()
    window.act.undo.trigger()
    assert _bookings(unit_db) == {}
    assert (
        window.statusBar().currentMessage().startswith("Undone: Book 35 sessions for MARTIN Anne")
    )
    window.act.redo.trigger()
    assert _bookings(unit_db) != {}
    assert (
        window.statusBar().currentMessage().startswith("Redone: Book 35 sessions for MARTIN Anne")
    )


def test_a_delay_books_the_moved_session_again_in_the_same_undo_step(
    window: MainWindow, unit_db: Path
) -> None:
    from planner.core.plan import Delay
    from planner.core.schedule import DelayReason

    window.search.setText("Bruno")
    window.patients.selectRow(0)
    flows.book_plan(window)
    assert window.unit is not None
    key = (window.current_schedule().plan.id, (1, 2, 1))  # type: ignore[union-attr]
    assert _bookings(unit_db)[key].day == date(2027, 3, 30)  # type: ignore[attr-defined]
    delay = Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY)
    assert flows.apply_change(window, delay) is Outcome.SAVED
    assert _bookings(unit_db)[key].day == date(2027, 4, 6)  # type: ignore[attr-defined]
    assert window.unit.booking_flags(window.current_schedule()) == []  # type: ignore[arg-type]
    # A D1 re-anchors the cycles after it: C2 to C12 move, and their bookings with them.
    assert "11 bookings moved with it" in window.statusBar().currentMessage()
    assert not window.plan_view.find_place.isVisibleTo(window.plan_view)
    # One Ctrl+Z: the delay and its booking, together.
    window.undo_group.undo()
    assert window.current_schedule().sessions[1].date == date(2027, 3, 30)  # type: ignore[union-attr]
    assert _bookings(unit_db)[key].day == date(2027, 3, 30)  # type: ignore[attr-defined]
    assert window.unit.booking_flags(window.current_schedule()) == []  # type: ignore[arg-type]
    window.undo_group.redo()
    assert _bookings(unit_db)[key].day == date(2027, 4, 6)  # type: ignore[attr-defined]


def test_a_moved_session_with_no_free_chair_stays_flagged_and_finds_a_place_later(
    window: MainWindow, unit_db: Path
) -> None:
    from planner.core.chairs import UnitResources
    from planner.core.plan import Delay
    from planner.core.schedule import DelayReason

    assert window.unit is not None
    # Wednesdays open one hour only: too short for mFOLFOX6.
    short = (time(8), time(9))
    hours = UnitResources().hours
    window.unit.save_resources(UnitResources(hours=(*hours[:2], short, *hours[3:])))
    window.search.setText("Bruno")
    window.patients.selectRow(0)
    flows.book_plan(window)
    key = (window.current_schedule().plan.id, (1, 2, 1))  # type: ignore[union-attr]
    delay = Delay((1, 2, 1), date(2027, 4, 7), DelayReason.PATIENT_REQUEST)  # a Wednesday
    assert flows.apply_change(window, delay) is Outcome.SAVED
    # C2 to C12 all move to Wednesdays (re-anchored), where none fits; C9 only, moved off
    # Wednesday 14 July (Bastille Day) to Thursday 15, finds a chair.
    message = window.statusBar().currentMessage()
    flagged = window.unit.booking_flags(window.current_schedule())  # type: ignore[arg-type]
    assert f"{len(flagged)} sessions find no free chair on their new day" in message
    flag = flagged[0]
    assert flag.key == key
    assert flag.booking.day == date(2027, 3, 30)  # kept where it was, never dropped
    view = window.plan_view
    shown = [view.warnings.item(n).text() for n in range(view.warnings.count())]
    assert any(
        "the booking on Tue 30 Mar 2027 at 08:00 is to redo (the session moved to Wed 7 Apr 2027)"
        in text
        for text in shown
    ), shown
    assert view.find_place.isVisibleTo(view)
    # Still no place: the day hospital page shows that day, and says why.
    view.find_place.click()
    assert window.tabs.currentIndex() == 1
    assert window.unit_view.day == date(2027, 4, 7)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("No chair is free long enough on Wed 7 Apr 2027 for C2 D1")
    )
    # Open longer on Wednesdays, and they find their place.
    window.unit.save_resources(UnitResources())
    window.tabs.setCurrentIndex(0)
    view.find_place.click()
    assert _bookings(unit_db)[key].day == date(2027, 4, 7)  # type: ignore[attr-defined]
    assert window.unit.booking_flags(window.current_schedule()) == []  # type: ignore[arg-type]
    assert not view.find_place.isVisibleTo(view)


def test_moving_a_block_in_the_day_view_is_undoable(window: MainWindow, unit_db: Path) -> None:
    flows.book_unit(window)
    window.tabs.setCurrentIndex(1)
    view = window.unit_view
    view.show_day(date(2027, 3, 8))
    assert [b.initials for b in view.grid.blocks] == ["A. M."]
    block = view.grid.blocks[0]
    after = block.booking.__class__(time(10), block.booking.minutes, "F3", date(2027, 3, 8))
    view.grid.move_requested.emit(block.key, block.booking, after)
    assert _bookings(unit_db)[block.key] == after
    assert view.grid.blocks[0].booking == after
    assert window.statusBar().currentMessage() == "Move MARTIN Anne to 10:00 on F3"
    window.undo_group.undo()
    assert _bookings(unit_db)[block.key] == block.booking
    assert view.grid.blocks[0].booking == block.booking


def test_the_day_sheet_as_csv_and_pdf(window: MainWindow, tmp_path: Path) -> None:
    from pypdf import PdfReader

    flows.book_unit(window)
    csv_path = flows.day_sheet(window, date(2027, 3, 15), "csv", tmp_path / "sheet.csv")
    assert csv_path == tmp_path / "sheet.csv"
    rows = (tmp_path / "sheet.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Time,Chair,Patient,Regimen")  # no hospital number unasked
    assert rows[1].startswith("08:00,F1,PETIT Bruno,")
    assert "HN-0002" not in rows[1]
    assert ",yes," in rows[1]  # the pump
    flows.day_sheet(window, date(2027, 3, 15), "csv", tmp_path / "sheet.csv", numbers=True)
    rows = (tmp_path / "sheet.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith("08:00,F1,PETIT Bruno,HN-0002,")
    pdf = flows.day_sheet(window, date(2027, 3, 15), "pdf", tmp_path / "sheet.pdf")
    assert pdf == tmp_path / "sheet.pdf"
    pages = PdfReader(tmp_path / "sheet.pdf").pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Day sheet — Mon 15 Mar 2027" in text
    assert "PETIT Bruno" in text


# The patients to call open beside the window: offscreen, Qt says it cannot size it.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_closing_the_unit_on_a_day_moves_the_sessions_and_their_bookings_in_one_step(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.dialogs.unit_day import CloseDayDialog

    flows.book_unit(window)
    seen: list[list[str]] = []

    def strike(dialog: CloseDayDialog) -> QDialog.DialogCode:
        dialog.day.setDate(QDate(2027, 3, 15))
        dialog.label.setText("Grève")
        seen.append(
            [dialog.calls.item(r, 0).text() for r in range(dialog.calls.rowCount())]  # type: ignore[union-attr]
        )
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CloseDayDialog, "exec", strike)
    before = _bookings(unit_db)
    assert flows.close_day(window)
    assert seen == [["PETIT Bruno"]]  # his C1 on Monday 15 March moves; Anne has none
    with Store.open(unit_db) as store:
        assert [c.label for c in store.settings().unit_closures] == ["Grève"]
    assert window.statusBar().currentMessage() == (
        "Unit closed on Mon 15 Mar 2027: 1 session moved — 1 booking moved with it"
    )
    assert window.unit is not None
    bruno = next(p for p in window.unit.plans_by_id().values() if p.patient.name == "PETIT Bruno")
    assert window.unit.booking_flags(window.unit.schedule(bruno)) == []
    assert _bookings(unit_db)[(bruno.id, (1, 1, 1))].day == date(2027, 3, 16)  # type: ignore[attr-defined]
    # The day hospital page shows the day closed; its Ctrl+Z undoes the closure and the
    # bookings together.
    assert window.tabs.currentIndex() == 1
    assert window.unit_view.day == date(2027, 3, 15)
    assert window.act.undo.text() == "&Undo Close the unit on Mon 15 Mar 2027"
    window.undo_group.undo()
    with Store.open(unit_db) as store:
        assert store.settings().unit_closures == ()
    assert _bookings(unit_db) == before
    window.undo_group.redo()
    with Store.open(unit_db) as store:
        assert [c.label for c in store.settings().unit_closures] == ["Grève"]
    assert _bookings(unit_db)[(bruno.id, (1, 1, 1))].day == date(2027, 3, 16)  # type: ignore[attr-defined]


def test_a_day_already_past_cannot_be_closed(window: MainWindow) -> None:
    """Closing a past day moved its sessions not marked given to the next open day, itself
    past: dates silently in the past. The dialog refuses a day before today, and says why."""
    from planner.gui.dialogs.unit_day import CloseDayDialog

    previewed: list[date] = []

    def preview(day: date, label: str) -> list[object]:
        previewed.append(day)
        return []

    dialog = CloseDayDialog(date(2027, 3, 10), lambda day: None, preview, window)
    assert dialog.ok_button.isEnabled()  # today: a strike this morning
    dialog.day.setDate(QDate(2027, 3, 9))
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text() == "Tue 9 Mar 2027 is past: the unit can be closed from today on."
    assert date(2027, 3, 9) not in previewed
    dialog.day.setDate(QDate(2027, 3, 11))
    assert dialog.ok_button.isEnabled()
    assert dialog.message.text() == ""


# The patients to call open beside the window: offscreen, Qt cannot size it to its hints.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_closing_the_unit_speaks_french_whole_sentences(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In French the status bar ended "1 réservation déplacée avec" (with what?), and the
    undo read "Annuler Fermer le service le …", two verbs, where every other undo names a
    change ("Annuler Décalage de la séance…")."""
    from planner.gui.dialogs.unit_day import CloseDayDialog
    from planner.i18n import set_language

    flows.book_unit(window)
    set_language("fr")

    def strike(dialog: CloseDayDialog) -> QDialog.DialogCode:
        dialog.day.setDate(QDate(2027, 3, 15))
        dialog.label.setText("Grève")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CloseDayDialog, "exec", strike)
    assert flows.close_day(window)
    assert window.statusBar().currentMessage() == (
        "Service fermé le lun. 15 mars 2027\u00a0: 1 séance déplacée — "
        "1 réservation déplacée en conséquence"
    )
    assert window.undo_group.undoText() == "Fermeture du service le lun. 15 mars 2027"


def test_the_patients_calendar_has_the_booked_times(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.exporting import CalendarExportDialog

    monkeypatch.setattr(CalendarExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window.search.setText("Anne")
    window.patients.selectRow(0)
    flows.book_plan(window)
    path = flows.export_calendar(window, tmp_path / "anne.ics")
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "DTSTART;TZID=Europe/Paris:20270308T080000" in text
    assert "DTEND;TZID=Europe/Paris:20270308T084500" in text


def test_fewer_chairs_flag_the_bookings_they_held_and_booking_again_moves_them(
    window: MainWindow, unit_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.core.chairs import Problem
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    flows.book_unit(window)
    assert window.unit is not None
    on_f1 = {k for k, b in window.unit.occupancy.bookings.items() if b.chair == "F1"}
    assert on_f1

    def remove_f1(dialog: SettingsDialog) -> QDialog.DialogCode:
        dialog.resources.chairs.selectRow(0)
        dialog.resources.remove_chair.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", remove_f1)
    assert flows.unit_settings(window)
    window.watch.wait_for_refresh()
    with Store.open(unit_db) as store:
        assert [c.name for c in store.resources().chairs][:2] == ["F2", "F3"]
        assert set(store.bookings()) >= on_f1  # kept in the database, not dropped
    assert window.unit.occupancy.misfits == dict.fromkeys(on_f1, Problem.UNKNOWN_CHAIR)
    window.tabs.setCurrentIndex(1)
    window.unit_view.show_day(date(2027, 3, 8))
    assert "booking to redo" in window.unit_view.summary.text()
    assert flows.book_unit(window)
    assert window.unit.occupancy.misfits == {}
    with Store.open(unit_db) as store:
        assert {store.bookings()[k].chair for k in on_f1} <= {"F2", "F3", "F4"}


def test_undoing_a_rebooking_puts_back_even_what_no_longer_fits(
    window: MainWindow, unit_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.core.chairs import Problem
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    flows.book_unit(window)
    before = _bookings(unit_db)

    def remove_f1(dialog: SettingsDialog) -> QDialog.DialogCode:
        dialog.resources.chairs.selectRow(0)
        dialog.resources.remove_chair.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", remove_f1)
    flows.unit_settings(window)
    window.watch.wait_for_refresh()
    assert flows.book_unit(window)  # the F1 bookings move to other chairs
    shown: list[str] = []
    window.show_error = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    window.tabs.setCurrentIndex(1)  # the unit's booking is undone from the day hospital page
    window.undo_group.undo()
    assert shown == []
    assert _bookings(unit_db) == before  # back on F1, in the database...
    assert window.unit is not None
    assert set(window.unit.occupancy.misfits.values()) == {Problem.UNKNOWN_CHAIR}  # ...flagged


def test_a_flagged_booking_that_finds_no_place_is_kept(
    window: MainWindow, unit_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    window.search.setText("Anne")
    window.patients.selectRow(0)
    flows.book_plan(window)
    stored = _bookings(unit_db)

    def one_short_chair(dialog: SettingsDialog) -> QDialog.DialogCode:
        editor = dialog.resources
        while editor.chairs.rowCount() > 1:
            editor.chairs.selectRow(0)
            editor.remove_chair.click()
        editor.closes[0].setTime(QTime(8, 30))  # Mondays 8:00-8:30: 45 minutes never fit
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", one_short_chair)
    flows.unit_settings(window)
    window.watch.wait_for_refresh()
    monkeypatch.setattr(QMessageBox, "show", lambda self: None)
    flows.book_plan(window)
    after = _bookings(unit_db)
    assert set(after) == set(stored)  # every booking still there: none dropped


def test_a_new_plans_sessions_with_no_chair_are_said(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wednesdays open one hour: a new mFOLFOX6 plan from Wednesday 17 March finds no chair,
    and the coordinator is told (a new plan is booked quietly, never silently)."""
    from planner.core.chairs import UnitResources

    assert window.unit is not None
    hours = UnitResources().hours
    window.unit.save_resources(UnitResources(hours=(*hours[:2], (time(8), time(9)), *hours[3:])))
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "show", lambda box: boxes.append(box.text()))

    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.family_name.setText("Durand")
        dialog.patient.given_names.setText("Claire")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("mfolfox6-q14")
        dialog.start.setDate(QDate(2027, 3, 17))  # a Wednesday

    answer_new_plan(monkeypatch, fill)
    assert flows.new_plan(window)
    assert boxes
    assert boxes[0].startswith("12 sessions find no free chair on their day")


def test_trying_again_after_a_failed_plan_never_goes_to_another_patient(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new patient was saved, the plan was not (the database was busy): the dialog comes
    back with that patient chosen, and says so; the plan then goes to them, never to a
    name typed over in the new-patient fields."""
    from planner.i18n import Message
    from planner.store import StoreError

    summaries: list[str] = []

    def fill(dialog: NewPlanDialog) -> None:
        dialog.patient.new_radio.setChecked(True)
        dialog.patient.family_name.setText("Durnad")  # a typo, seen after the failure
        dialog.patient.given_names.setText("Claire")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("nivolumab-480-q4w")

    shown = answer_new_plan(monkeypatch, fill)

    def again(dialog: NewPlanDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        if len(shown) == 1:
            fill(dialog)
            return QDialog.DialogCode.Accepted
        assert not dialog.patient.is_new()
        summaries.append(dialog.summary.text())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewPlanDialog, "exec", again)
    assert window.unit is not None
    real = window.unit.create_plan
    tries: list[int] = []

    def busy_once(*args: object, **kwargs: object) -> object:
        tries.append(1)
        if len(tries) == 1:
            raise StoreError(Message("the database is busy"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(window.unit, "create_plan", busy_once)
    window.show_error = lambda title, text: None  # type: ignore[method-assign]
    assert flows.new_plan(window)
    assert summaries[0].startswith("Plan for DURNAD Claire (HN-0003): Nivolumab 480 mg")
    with Store.open(unit_db) as store:
        [claire] = [p for p in store.patients() if p.hospital_number == "HN-0003"]
        assert len(store.plans(claire)) == 1
        assert len(store.patients()) == 3  # Claire once


# The patients to call open beside the window: offscreen, Qt says it cannot size it.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_another_unit_opened_shows_nothing_of_the_last(
    window: MainWindow, unit_db: Path, tmp_path: Path, catalog: Any
) -> None:
    from planner.day_hospital.loading import load_unit
    from planner.gui.unit import Unit
    from tests.gui.conftest import AT, TODAY

    assert flows.book_unit(window)
    window.tabs.setCurrentIndex(1)
    window.unit_view.show_day(date(2027, 3, 8))
    assert window.unit_view.grid.blocks
    calls = flows.patients_to_call(window, date(2027, 3, 1))
    assert calls.isVisible()
    other = tmp_path / "other.db"
    with Store.open(other) as store:
        store.add_patient("Zed", "Zoé", "Z-1", author="t", at=AT)
    loaded = load_unit(str(other), TODAY)
    unit = Unit(Store.open(other), catalog, today=TODAY, author="c", clock=lambda: AT)
    window.open_unit(unit, loaded.summaries)
    assert window.unit_view.grid.blocks == []  # the new unit's day: nobody booked
    assert not calls.isVisible()
    unit.store.close()


# The patients to call open beside the window: offscreen, Qt says it cannot size it.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_undoing_a_closure_takes_back_only_that_day(
    qtbot: Any,
    window: MainWindow,
    unit_db: Path,
    catalog: Any,
    gui_settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Undone from the day hospital page, a closure is removed by its day even once its
    label was edited, and what another coordinator saved meanwhile (the phone) stays."""
    from dataclasses import replace

    from planner.gui.dialogs.unit_day import CloseDayDialog
    from tests.gui.conftest import open_window

    def strike(dialog: CloseDayDialog) -> QDialog.DialogCode:
        dialog.day.setDate(QDate(2027, 3, 15))
        dialog.label.setText("Grève")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CloseDayDialog, "exec", strike)
    assert flows.close_day(window)
    other = open_window(qtbot, unit_db, catalog, gui_settings, "ab")
    assert other.unit is not None
    settings = other.unit.settings
    [closure] = settings.unit_closures
    other.unit.save_settings(
        replace(
            settings,
            phone="02 40 08 33 33",
            unit_closures=(replace(closure, label="Grève nationale"),),
        )
    )
    window.undo_group.undo()  # this window has not looked yet
    with Store.open(unit_db) as store:
        kept = store.settings()
    assert kept.unit_closures == ()
    assert kept.phone == "02 40 08 33 33"
    other.unit.store.close()
