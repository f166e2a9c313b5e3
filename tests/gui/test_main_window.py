"""The main window as a coordinator uses it: find a patient, act on a session, undo, export."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from planner import __version__
from planner.core.plan import SuspectProgression
from planner.core.schedule import DelayReason, Session
from planner.gui import flows
from planner.gui.dialogs import to_date, to_qdate
from planner.gui.dialogs.change import Action, ChangeDialog
from planner.gui.exporting import CalendarExportDialog, file_stem
from planner.gui.flows import Outcome
from planner.gui.main_window import MainWindow
from planner.gui.models.patient_list import PatientListModel
from planner.store import Store

pytestmark = pytest.mark.usefixtures("qtbot")


def open_patient(window: MainWindow, name: str) -> None:
    window.search.setText(name)
    assert window.patients_model.rowCount() == 1
    window.patients.selectRow(0)
    assert window.current_schedule() is not None


def select_session(window: MainWindow, cycle: int, day: int = 1) -> Session:
    ps = window.current_schedule()
    assert ps is not None
    session = next(s for s in ps.sessions if (s.cycle, s.day) == (cycle, day))
    window.plan_view.select_date(session.date)
    assert window.plan_view.selected_session() == session
    return session


def dates(window: MainWindow) -> list[date]:
    ps = window.current_schedule()
    assert ps is not None
    return [s.date for s in ps.sessions]


def test_the_patient_list_model_is_a_proper_model(qtmodeltester: Any, window: MainWindow) -> None:
    qtmodeltester.check(window.patients_model)
    qtmodeltester.check(PatientListModel())


def test_the_list_shows_each_patient_with_regimen_next_session_and_warnings(
    window: MainWindow,
) -> None:
    model = window.patients_model
    assert model.rowCount() == 2
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row[:3] == ["MARTIN Anne", "HN-0001", "Pembrolizumab 200 mg every 3 weeks (monotherapy)"]
    assert row[3] == "Mon 8 Mar 2027"  # C1 D1 is the next session after 1 March


def test_search_finds_a_patient_by_name_number_or_regimen(window: MainWindow) -> None:
    for text in ("petit", "HN-0002", "folfox"):
        window.search.setText(text)
        assert window.patients_model.rowCount() == 1
        assert window.patients_model.summary_at(0).patient.name == "PETIT Bruno"
    window.search.clear()
    assert window.patients_model.rowCount() == 2


def test_down_in_the_patient_search_shows_the_first_patient_found(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Ctrl+F, a few letters, Down: the first patient found is shown (the list took a
    mouse click, or Tab)."""
    from PySide6.QtCore import Qt

    qtbot.keyClicks(window.search, "bru")
    assert window.current_summary() is None
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    summary = window.current_summary()
    assert summary is not None
    assert summary.patient.name == "PETIT Bruno"


def test_choosing_a_patient_shows_the_plan_and_the_port_advice(window: MainWindow) -> None:
    open_patient(window, "Bruno")
    view = window.plan_view
    assert view.patient_label.text() == "PETIT Bruno — HN-0002"
    assert view.port_label.text().startswith("Implantable port: required")
    assert "Placement planned on" in view.port_label.text()
    assert view.table_model.rowCount() > 0
    assert window.act.delay.isEnabled() is False  # no session chosen yet
    select_session(window, 2)
    assert window.act.delay.isEnabled()
    assert window.act.progression.isEnabled()  # the dialog explains why it cannot be


def delay_dialog(window: MainWindow, days: int) -> ChangeDialog:
    ps = window.current_schedule()
    assert ps is not None
    assert window.unit is not None
    dialog = ChangeDialog(
        window.unit, ps.plan, Action.DELAY, window.plan_view.selected_session(), window
    )
    dialog.days.setValue(days)
    dialog.reason.setCurrentIndex(dialog.reason.findData(DelayReason.TOXICITY))
    return dialog


def test_a_delay_has_no_reason_until_the_coordinator_chooses_one(window: MainWindow) -> None:
    """The reason was toxicity unless changed: a delay the patient asked for went into the
    plan's history and the patients to call as a toxicity."""
    open_patient(window, "Anne")
    session = select_session(window, 3)
    ps = window.current_schedule()
    assert ps is not None
    assert window.unit is not None
    dialog = ChangeDialog(window.unit, ps.plan, Action.DELAY, session, window)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.reason.currentIndex() == -1
    assert dialog.reason.currentText() == ""
    assert not ok.isEnabled()
    assert dialog.preview_label.text() == "Choose the reason for the delay."
    dialog.reason.setCurrentIndex(dialog.reason.findData(DelayReason.PATIENT_REQUEST))
    assert ok.isEnabled()
    assert dialog.change().reason is DelayReason.PATIENT_REQUEST  # type: ignore[union-attr]


def test_a_delay_previews_every_date_it_moves_then_undo_and_redo(window: MainWindow) -> None:
    open_patient(window, "Anne")
    before = dates(window)
    select_session(window, 3)
    dialog = delay_dialog(window, 7)
    rows = dialog.preview_rows()
    assert dialog.sessions_moved == 33  # C3 to C35 move by a week
    # The whole change first, then the table, no taller than a screenful. The thyroid check
    # goes with every cycle's blood test (issue 21): 16 more dates than with every other
    # cycle's (C3, C5... C35 had one; C4, C6... C34 now have one too).
    assert dialog.preview_label.text() == "C3 D1 to C35 D1 move by 7 to 8 days; 143 dates in all."
    assert dialog.preview.height() < 600
    assert ("Monotherapy · C3 · D1", "Mon 19 Apr 2027", "Mon 26 Apr 2027") in rows
    assert (
        "Consultation with the oncologist (Monotherapy · C3 · D1)",
        "Mon 19 Apr 2027",
        "Mon 26 Apr 2027",
    ) in rows
    assert (
        flows.apply_change(window, dialog.change(), sessions_moved=dialog.sessions_moved)
        is Outcome.SAVED
    )
    after = dates(window)
    assert after[:2] == before[:2]
    assert after[2] == date(2027, 4, 26)
    # Later cycles keep their 21 days from the new C3 (closures aside).
    assert all((b - a).days >= 7 for a, b in zip(before[2:], after[2:], strict=True))
    assert window.statusBar().currentMessage() == (
        "Delay Monotherapy · C3 · D1 to Mon 26 Apr 2027 (toxicity) — MARTIN Anne — "
        "33 sessions moved"
    )
    window.undo_group.undo()
    assert dates(window) == before
    window.undo_group.redo()
    assert dates(window) == after
    window.undo_group.undo()
    assert dates(window) == before
    # Everything is in the audit trail: the delay, its undo, its redo, its second undo.
    assert window.unit is not None
    plan = window.unit.plan(window.current_schedule().plan.id)  # type: ignore[union-attr]
    assert len(plan.ledger) == 4


@pytest.mark.parametrize("action", [Action.OMIT, Action.GIVE, Action.STOP])
def test_each_action_changes_the_plan_and_undo_restores_it(
    window: MainWindow, action: Action
) -> None:
    open_patient(window, "Bruno")
    ps = window.current_schedule()
    assert ps is not None
    assert window.unit is not None
    before = ps.sessions
    session = select_session(window, 1)
    dialog = ChangeDialog(window.unit, ps.plan, action, session, window)
    if action is Action.STOP:
        dialog.date.setDate(to_qdate(session.date))
        dialog.note.setText("patient's choice")
    if action is Action.OMIT:
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not any(box.isChecked() for box in dialog.agents)  # nothing left out by itself
        assert not ok.isEnabled()
        assert dialog.preview_label.text() == "Tick at least one drug to leave out."
        dialog.agents[0].setChecked(True)
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert flows.apply_change(window, dialog.change()) is Outcome.SAVED
    changed = window.current_schedule()
    assert changed is not None
    assert changed.sessions != before
    window.undo_group.undo()
    restored = window.current_schedule()
    assert restored is not None
    assert restored.sessions == before
    window.undo_group.redo()
    assert window.current_schedule().sessions == changed.sessions  # type: ignore[union-attr]


@pytest.mark.parametrize("action", list(Action))
def test_each_actions_dialog_names_the_patient_whose_plan_it_changes(
    window: MainWindow, action: Action
) -> None:
    """The dialogs said the session and its drugs, not whose they were: the patient's name
    and number come first, and in the title (a window's title may not be shown)."""
    open_patient(window, "Bruno")
    ps = window.current_schedule()
    assert ps is not None
    assert window.unit is not None
    session = select_session(window, 2)
    dialog = ChangeDialog(window.unit, ps.plan, action, session, window)
    assert dialog.patient_label.text() == "PETIT Bruno — HN-0002"
    assert dialog.windowTitle().endswith(" — PETIT Bruno")
    layout = dialog.layout()
    assert layout is not None
    first = layout.itemAt(0)
    assert first is not None
    assert first.widget() is dialog.patient_label


def test_a_stop_says_the_sessions_it_cancels_not_that_it_moves_them(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopping a plan entered by mistake said "12 sessions moved" in the status bar."""

    def exec_(dialog: ChangeDialog) -> QDialog.DialogCode:
        dialog.date.setDate(to_qdate(date(2027, 3, 15)))  # the day it starts
        dialog.note.setText("plan entered by mistake")
        return QDialog.DialogCode.Accepted

    open_patient(window, "Bruno")
    monkeypatch.setattr(ChangeDialog, "exec", exec_)
    assert flows.change(window, "stop")
    message = window.statusBar().currentMessage()
    assert message.endswith(" — PETIT Bruno — 12 sessions no longer take place"), message


def test_an_action_the_plan_refuses_is_explained_and_saves_nothing(window: MainWindow) -> None:
    open_patient(window, "Bruno")  # mFOLFOX6: no immunotherapy
    ps = window.current_schedule()
    assert ps is not None
    assert window.unit is not None
    dialog = ChangeDialog(window.unit, ps.plan, Action.PROGRESSION, None, window)
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert dialog.preview_label.text().startswith("Not possible: pseudo-progression concerns")
    shown: list[str] = []
    window.show_error = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    assert flows.apply_change(window, SuspectProgression(date(2027, 2, 1))) is Outcome.REFUSED
    assert "pseudo-progression concerns immunotherapy" in shown[0]
    assert window.unit.plan(ps.plan.id).ledger == ps.plan.ledger
    assert not window.undo_group.canUndo()


def test_a_suspected_progression_asks_for_the_clinician_who_confirmed_stability(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """iRECIST: immunotherapy goes on after a suspected progression only for a clinically
    stable patient. Nothing is ticked for the coordinator; without the tick and a
    clinician's name the dialog says why it cannot record the change, and the history
    keeps who confirmed it."""
    open_patient(window, "Anne")  # pembrolizumab every 3 weeks from Monday 8 March 2027
    ps = window.current_schedule()
    assert ps is not None
    assert window.unit is not None
    monkeypatch.setattr(window.unit, "today", date(2027, 5, 3))
    dialog = ChangeDialog(window.unit, ps.plan, Action.PROGRESSION, None, window)
    dialog.date.setDate(to_qdate(date(2027, 4, 30)))
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    refused = (
        "Not possible: immunotherapy goes on after a suspected progression only if the "
        "patient is clinically stable: give the name of the clinician who confirmed it."
    )
    assert not dialog.stable.isChecked()
    assert (ok.isEnabled(), dialog.preview_label.text()) == (False, refused)
    dialog.confirmed_by.setText("Dr Moreau")  # a name is not the confirmation
    assert (ok.isEnabled(), dialog.preview_label.text()) == (False, refused)
    dialog.stable.setChecked(True)
    dialog.confirmed_by.setText("  ")  # nor is the tick without a name
    assert (ok.isEnabled(), dialog.preview_label.text()) == (False, refused)
    dialog.confirmed_by.setText("Dr Moreau")
    assert ok.isEnabled()
    change = dialog.change()
    assert isinstance(change, SuspectProgression)
    assert change.stable_confirmed_by == "Dr Moreau"
    assert flows.apply_change(window, change) is Outcome.SAVED
    plan = window.unit.plan(ps.plan.id)
    assert plan.ledger[-1].change == change
    # The plan's table says why the routine scan of Friday 7 May (before the session of
    # 10 May, 7 days after the imaging) is not planned, on the confirmation scan's row.
    model = window.plan_view.table_model
    rows = [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    [confirmation] = [row for row in rows if "Confirmation scan" in row[2]]
    assert confirmation[6] == (
        "instead of the response scan of Fri 7 May 2027, which would come less than 4 weeks "
        "after the imaging of Fri 30 Apr 2027: iRECIST disregards such a scan"
    )


def test_port_in_place_removes_the_placement_and_undo_brings_it_back(window: MainWindow) -> None:
    open_patient(window, "Bruno")
    assert window.current_schedule().port_task  # type: ignore[union-attr]
    window.act.port_in_place.trigger()
    assert not window.current_schedule().port_task  # type: ignore[union-attr]
    assert "already has a port" in window.plan_view.port_label.text()
    window.undo_group.undo()
    assert window.current_schedule().port_task  # type: ignore[union-attr]


def test_a_patient_s_name_is_corrected_and_undo_brings_the_old_one_back(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.dialogs.patient_details import PatientDetailsDialog

    def correct(dialog: PatientDetailsDialog) -> QDialog.DialogCode:
        dialog.family_name.setText("Martin-Durand")
        assert dialog.ok_button.isEnabled(), dialog.message.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PatientDetailsDialog, "exec", correct)
    open_patient(window, "Anne")
    window.act.edit_patient.trigger()
    assert window.current_schedule().plan.patient.name == "MARTIN-DURAND Anne"  # type: ignore[union-attr]
    assert window.statusBar().currentMessage() == "Corrected the details of MARTIN Anne"
    assert window.patients_model.index(0, 0).data() == "MARTIN-DURAND Anne"
    window.undo_group.undo()
    assert window.current_schedule().plan.patient.name == "MARTIN Anne"  # type: ignore[union-attr]
    assert window.unit is not None
    assert window.unit.store.patient("HN-0001").family_name == "Martin"


def test_exporting_the_calendar_writes_the_file_and_remembers_it(
    window: MainWindow, tmp_path: Path, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CalendarExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    open_patient(window, "Anne")
    path = flows.export_calendar(window, tmp_path / "anne.ics")
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert "HN-0001" not in text
    assert "Written" not in window.statusBar().currentMessage()
    assert window.statusBar().currentMessage().startswith("Calendar of ")
    ps = window.current_schedule()
    assert ps is not None
    with Store.open(unit_db) as store:
        assert store.calendar_state(ps.plan.id)  # the next export updates, not duplicates


def test_an_unwritable_export_is_said_in_words_and_nothing_is_remembered(
    window: MainWindow, tmp_path: Path, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CalendarExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    shown: list[str] = []
    window.show_error = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    open_patient(window, "Anne")
    assert flows.export_calendar(window, tmp_path / "missing" / "anne.ics") is None
    assert "missing" in shown[0]
    ps = window.current_schedule()
    assert ps is not None
    with Store.open(unit_db) as store:
        assert store.calendar_state(ps.plan.id) == {}


def test_the_handout_pdf_has_the_patients_dates(window: MainWindow, tmp_path: Path) -> None:
    open_patient(window, "Anne")
    path = flows.save_handout(window, tmp_path / "anne.pdf")
    assert path is not None
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
    assert "MARTIN Anne" in text
    assert "March 2027" in text
    assert "Monday 8 Treatment — cycle 1" in text  # the list, by month


def test_a_published_patients_handout_carries_the_link(window: MainWindow, tmp_path: Path) -> None:
    from planner.calendars.publisher import ServerSettings

    open_patient(window, "Anne")
    ps = window.current_schedule()
    assert ps is not None
    assert window.unit is not None
    store = window.unit.store
    path = flows.save_handout(window, tmp_path / "before.pdf")
    assert path is not None
    assert "/public/" not in " ".join(p.extract_text() for p in PdfReader(path).pages)
    store.calendars.save_server(
        ServerSettings("https://calendriers.hopital.example/public/", "planner").to_json()
    )
    token = "Q2FsZW5kcmllckRlTWFydGluQW5uZTEyMzQ1Ng"
    at = datetime(2027, 3, 1, 9, tzinfo=UTC)
    store.calendars.create(ps.plan.patient.id, token, detail="minimal", author="t", at=at)
    path = flows.save_handout(window, tmp_path / "anne.pdf")
    assert path is not None
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(path).pages)
    assert f"https://calendriers.hopital.example/public/{token}/" in text


def test_export_file_names_come_from_the_patient_and_regimen() -> None:
    assert file_stem("MARTIN Anne", "FOLFOX / bevacizumab") == "MARTIN Anne - FOLFOX bevacizumab"
    assert file_stem("  ", "") == "export"


def test_the_window_is_reachable_from_the_keyboard(window: MainWindow) -> None:
    for action in (window.act.new_plan, window.act.undo, window.act.redo, window.act.delay):
        assert not action.shortcut().isEmpty(), action.text()
    for action in window.act.plan_actions:
        assert action.toolTip()
        assert action.toolTip() != action.text().replace("&", "")


def test_help_opens_the_log_folder(
    window: MainWindow, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    from planner.gui import main_window

    help_menu: Any = window.menuBar().actions()[-1].menu()
    assert window.act.open_log_folder in help_menu.actions()
    assert window.act.open_log_folder.text() == "Open the &log folder"
    opened: list[str] = []

    def open_url(url: Any) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    window.act.open_log_folder.trigger()
    assert opened == [str(log.parent)]

    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)  # no file manager
    monkeypatch.setattr(main_window, "warn", lambda _parent, *texts: warned.append(texts))
    window.act.open_log_folder.trigger()
    assert warned == [("The log folder could not be shown", str(log.parent))]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_menu_item_has_its_own_letter(qtbot: QtBot, gui_settings: Any, language: str) -> None:
    """Alt+letter reaches one item of a menu, in both languages."""
    import re

    from planner.i18n import set_language
    from tests.gui.conftest import TODAY

    set_language(language)
    window = MainWindow(TODAY, gui_settings)
    qtbot.addWidget(window)

    def letters(actions: list[Any]) -> list[str]:
        found = (re.search(r"&(\w)", action.text()) for action in actions)
        return [letter.group(1).lower() for letter in found if letter is not None]

    menus = window.menuBar().actions()
    submenus: list[Any] = [top.menu() for top in menus]
    for items in [menus, *(menu.actions() for menu in submenus)]:
        used = letters(items)
        assert len(used) == len(set(used)), [a.text() for a in items if a.text()]


def test_the_window_speaks_french(qtbot: QtBot, window: MainWindow, gui_settings: Any) -> None:
    from planner.i18n import set_language

    set_language("fr")
    french = MainWindow(window.today, gui_settings)
    qtbot.addWidget(french)
    menus = [a.text() for a in french.menuBar().actions()]
    assert menus == ["&Fichier", "É&dition", "&Plan", "Aff&ichage", "&Service", "&Aide"]
    texts = [
        a.text()
        for a in (
            french.act.new_plan,
            french.act.delay,
            french.act.omit,
            french.act.give,
            french.act.stop,
            french.act.progression,
            french.act.export_calendar,
            french.act.print_handout,
            french.act.settings,
            french.act.show_unit,
            french.act.book_plan,
            french.act.day_sheet,
            french.act.close_day,
        )
    ]
    english = [
        a.text()
        for a in (
            window.act.new_plan,
            window.act.delay,
            window.act.omit,
            window.act.give,
            window.act.stop,
            window.act.progression,
            window.act.export_calendar,
            window.act.print_handout,
            window.act.settings,
            window.act.show_unit,
            window.act.book_plan,
            window.act.day_sheet,
            window.act.close_day,
        )
    ]
    assert all(f != e for f, e in zip(texts, english, strict=True)), texts


def test_once_the_unit_is_open_the_plan_side_invites_a_choice(window: MainWindow) -> None:
    # Not "Opening the unit…" any more: the plan view replaced the placeholder.
    assert window._plan_view is not None
    assert window.splitter.widget(1) is window.plan_view
    assert window.plan_view.patient_label.text() == "No patient chosen"
    assert window.plan_view.plan_label.text().startswith("Choose a patient in the list")
    # ...and its calendar shows this month, not a month of long ago.
    assert window.plan_view.calendar.month() == (2027, 3)


# ---------------------------------------------------------------- two coordinators


# Two windows on one unit (SQLite and PostgreSQL): tests/gui/test_shared_unit.py


def test_a_database_out_of_reach_is_said_and_nothing_is_lost(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.i18n import Message
    from planner.store import StoreError

    assert window.unit is not None
    open_patient(window, "Anne")
    shown = window.current_schedule()

    def unreachable() -> None:
        raise StoreError(Message("the server db.chu.fr does not answer"))

    monkeypatch.setattr(window.unit.store, "change_token", unreachable)
    assert not window.watch.look_for_changes()
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(
            "The database cannot be reached (the server db.chu.fr does not answer); trying again"
        )
    )
    assert window.current_schedule() == shown
    monkeypatch.undo()
    assert not window.watch.look_for_changes()
    assert window.statusBar().currentMessage() == "The database can be reached again."


def test_a_change_the_database_cannot_take_comes_back_in_its_dialog(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.i18n import Message
    from planner.store import StoreError

    open_patient(window, "Anne")
    select_session(window, 3)
    assert window.unit is not None
    unit = window.unit
    real_record = unit.record
    calls: list[ChangeDialog] = []

    def out_of_reach(*args: Any, **kwargs: Any) -> Any:
        raise StoreError(Message("the server does not answer"))

    def exec_(dialog: ChangeDialog) -> QDialog.DialogCode:
        calls.append(dialog)
        if len(calls) == 1:
            dialog.date.setDate(to_qdate(date(2027, 4, 26)))
            dialog.reason.setCurrentIndex(dialog.reason.findData(DelayReason.PATIENT_REQUEST))
            monkeypatch.setattr(unit, "record", out_of_reach)
        else:  # shown again as typed; the server answers again
            assert to_date(dialog.date.date()) == date(2027, 4, 26)
            monkeypatch.setattr(unit, "record", real_record)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChangeDialog, "exec", exec_)
    window.show_error = lambda title, text: None  # type: ignore[method-assign]
    assert flows.change(window, "delay")
    assert len(calls) == 2
    assert calls[0] is calls[1]
    ps = window.current_schedule()
    assert ps is not None
    assert ps.sessions[2].date == date(2027, 4, 26)


def test_the_window_title_names_the_unit_not_the_program_twice(
    qtbot: QtBot, unit_db: Path, catalog: Any, gui_settings: Any
) -> None:
    """The system adds the program's name (the application's display name) to every title:
    the window says only which unit is open, and where."""
    from planner.gui.unit import Unit
    from tests.gui.conftest import open_window

    window = open_window(qtbot, unit_db, catalog, gui_settings, "cb")
    unit: Unit = window.unit
    unit.save_settings(dataclasses.replace(unit.settings, name=""))
    window.open_unit(unit, [])
    assert window.windowTitle() == str(unit_db)
    unit.save_settings(dataclasses.replace(unit.settings, name="HDJ Oncologie"))
    window.open_unit(unit, [])
    assert window.windowTitle() == f"HDJ Oncologie — {unit_db}"
    assert "Infusion Planner" not in window.windowTitle()
    unit.store.close()


def test_about_gives_the_version(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: said.append(text))
    window.act.about.trigger()
    assert said[0].endswith(f"\n\nVersion {__version__}")


def test_searching_keeps_the_patient_shown_while_the_list_still_shows_them(
    window: MainWindow,
) -> None:
    """Narrowing or widening the search while a plan is open keeps it open and its line
    selected (the list was reset and the plan closed at each keystroke); a search that no
    longer finds the patient closes the plan."""
    open_patient(window, "Bruno")
    for text in ("Brun", "", "pet"):
        window.search.setText(text)
        summary = window.current_summary()
        assert summary is not None, text
        assert summary.patient.name == "PETIT Bruno"
        assert window.plan_view.patient_label.text() == "PETIT Bruno — HN-0002"
    window.search.setText("martin")
    assert window.current_summary() is None
    assert window.current_schedule() is None
