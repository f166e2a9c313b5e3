"""The flows behind the menus, end to end: dialog, store, window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path

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
        dialog.patient.name.setText("Claire Durand")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("nivolumab-480-q4w")
        dialog.start.setDate(QDate(2027, 3, 22))

    answer_new_plan(monkeypatch, fill)
    assert flows.new_plan(window)

    # The window shows the new patient's plan at once.
    ps = window.current_schedule()
    assert ps is not None
    assert ps.plan.patient.name == "Claire Durand"
    assert ps.plan.regimen.id == "nivolumab-480-q4w"
    assert [s.date for s in ps.sessions[:3]] == [
        date(2027, 3, 22),
        date(2027, 4, 19),
        date(2027, 5, 18),  # every four weeks; Whit Monday 17 May is a holiday
    ]
    assert window.patients_model.rowCount() == 3
    assert window.statusBar().currentMessage().startswith("Plan created for Claire Durand")
    # ...and it is in the database, as the unit's default policy made it.
    with Store.open(unit_db) as store:
        claire = next(p for p in store.patients() if p.hospital_number == "HN-0003")
        (plan,) = store.plans(claire)
        assert plan.start == date(2027, 3, 22)
        assert plan.policy is store.settings().default_policy


def test_a_second_plan_for_the_chosen_patient(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.search.setText("Anne")
    window.patients.selectRow(0)

    def fill(dialog: NewPlanDialog) -> None:
        # The patient on screen is proposed.
        assert dialog.patient.selected_patient() is not None
        assert dialog.patient.selected_patient().name == "Anne Martin"  # type: ignore[union-attr]
        dialog.select_regimen("ipilimumab-nivolumab-melanoma-cm067")
        dialog.policy.setCurrentIndex(dialog.policy.findData(Policy.GRID))
        dialog.start.setDate(QDate(2027, 6, 7))

    answer_new_plan(monkeypatch, fill)
    assert flows.new_plan(window)
    with Store.open(unit_db) as store:
        anne = next(p for p in store.patients() if p.name == "Anne Martin")
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
        dialog.patient.name.setText("Claire Durand")
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
        dialog.patient.name.setText("Claire Durand")
        dialog.patient.hospital_number.setText("HN-0003")
        dialog.select_regimen("nivolumab-480-q4w")
        # Meanwhile, another coordinator gives HN-0003 to someone else.
        with Store.open(unit_db) as other:
            from tests.gui.conftest import AT

            other.add_patient("Someone Else", "HN-0003", author="other", at=AT)

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
    assert dialogs[1].patient.name.text() == "Claire Durand"
    with Store.open(unit_db) as store:
        assert len(store.plans()) == 2  # nothing half-made


def test_edited_port_rules_are_saved_applied_and_shown(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.catalog import CatalogPaths, load_catalog
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
    rules_file = tmp_path / "user" / "port_rules.toml"
    window.search.setText("Anne")
    window.patients.selectRow(0)
    assert "not needed" in window.plan_view.port_label.text()
    assert flows.unit_settings(window, rules_file)

    # Saved where the catalogue reads it, applied to Anne's pembrolizumab at once...
    paths = CatalogPaths(tmp_path / "user" / "regimens", tmp_path / "none.toml", rules_file)
    assert load_catalog(user=paths).port_rules[-1] == mine
    assert "recommended" in window.plan_view.port_label.text()
    # ...and the patient list is computed again, the same patient still chosen.
    window.watch.wait_for_refresh()
    assert window.current_summary() is not None
    assert window.current_summary().patient.name == "Anne Martin"  # type: ignore[union-attr]

    # Back to the shipped rules: the file goes, so a later version's table applies.
    def bundled(dialog: SettingsDialog) -> QDialog.DialogCode:
        dialog.port_rules.bundled_button.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", bundled)
    assert flows.unit_settings(window, rules_file)
    window.watch.wait_for_refresh()
    assert not rules_file.exists()
    assert "not needed" in window.plan_view.port_label.text()


def test_port_rules_that_cannot_be_written_change_nothing(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    calls: list[SettingsDialog] = []

    def drop_last(dialog: SettingsDialog) -> QDialog.DialogCode:
        calls.append(dialog)
        if len(calls) > 1:  # shown again as it was, after the refusal: cancelled
            assert len(dialog.port_rules.rules()) == 2
            return QDialog.DialogCode.Rejected
        dialog.port_rules.set_rules(dialog.port_rules.rules()[:-1])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", drop_last)
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    assert window.unit is not None
    before = window.unit.catalog.port_rules
    assert not flows.unit_settings(window, blocked / "port_rules.toml")
    assert shown[0][0] == "The port rules were not saved"
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
    assert window.undo_stack.undoText().startswith("Book 35 sessions for Anne Martin")
    window.undo_stack.undo()
    assert _bookings(unit_db) == {}
    window.undo_stack.redo()
    assert _bookings(unit_db) == stored
    # Nothing more to book.
    assert not flows.book_plan(window)


def test_a_delayed_session_keeps_its_booking_flagged_until_booked_again(
    window: MainWindow, unit_db: Path
) -> None:
    from planner.core.plan import Delay
    from planner.core.schedule import DelayReason

    window.search.setText("Bruno")
    window.patients.selectRow(0)
    flows.book_plan(window)
    assert window.unit is not None
    assert (
        flows.apply_change(window, Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY))
        is Outcome.SAVED
    )
    ps = window.current_schedule()
    assert ps is not None
    [flag] = [f for f in window.unit.booking_flags(ps) if f.key[1] == (1, 2, 1)]
    assert flag.booking.day == date(2027, 3, 30)  # kept where it was, never dropped
    assert flag.session is not None
    assert flag.session.date == date(2027, 4, 6)
    # The plan view says so, and how to fix it.
    shown = [
        window.plan_view.warnings.item(n).text() for n in range(window.plan_view.warnings.count())
    ]
    assert any(
        "the booking on Tue 30 Mar 2027 at 08:00 is to redo (the session moved to Tue 6 Apr 2027)"
        in text
        for text in shown
    ), shown
    assert flows.book_plan(window)
    moved = _bookings(unit_db)[(ps.plan.id, (1, 2, 1))]
    assert moved.day == date(2027, 4, 6)  # type: ignore[attr-defined]
    assert window.unit.booking_flags(window.current_schedule()) == []  # type: ignore[arg-type]
    window.undo_stack.undo()  # the re-booking, not the delay
    assert _bookings(unit_db)[(ps.plan.id, (1, 2, 1))].day == date(2027, 3, 30)  # type: ignore[attr-defined]


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
    assert window.statusBar().currentMessage() == "Move A. M. to 10:00 on F3"
    window.undo_stack.undo()
    assert _bookings(unit_db)[block.key] == block.booking
    assert view.grid.blocks[0].booking == block.booking


def test_the_day_sheet_as_csv_and_pdf(window: MainWindow, tmp_path: Path) -> None:
    from pypdf import PdfReader

    flows.book_unit(window)
    csv_path = flows.day_sheet(window, date(2027, 3, 15), "csv", tmp_path / "sheet.csv")
    assert csv_path == tmp_path / "sheet.csv"
    rows = (tmp_path / "sheet.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Time,Chair,Patient,Regimen")  # no hospital number unasked
    assert rows[1].startswith("08:00,F1,Bruno Petit,")
    assert "HN-0002" not in rows[1]
    assert ",yes," in rows[1]  # the pump
    flows.day_sheet(window, date(2027, 3, 15), "csv", tmp_path / "sheet.csv", numbers=True)
    rows = (tmp_path / "sheet.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith("08:00,F1,Bruno Petit,HN-0002,")
    pdf = flows.day_sheet(window, date(2027, 3, 15), "pdf", tmp_path / "sheet.pdf")
    assert pdf == tmp_path / "sheet.pdf"
    pages = PdfReader(tmp_path / "sheet.pdf").pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Day sheet — Mon 15 Mar 2027" in text
    assert "Bruno Petit" in text


# The patients to call open beside the window: offscreen, Qt says it cannot size it.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_closing_the_unit_on_a_day_moves_the_sessions_and_flags_their_bookings(
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
    assert flows.close_day(window)
    assert seen == [["Bruno Petit"]]  # his C1 on Monday 15 March moves; Anne has none
    with Store.open(unit_db) as store:
        assert [c.label for c in store.settings().unit_closures] == ["Grève"]
    assert window.statusBar().currentMessage().startswith("Unit closed on Mon 15 Mar 2027: 1")
    assert window.unit is not None
    bruno = next(p for p in window.unit.plans_by_id().values() if p.patient.name == "Bruno Petit")
    flagged = window.unit.booking_flags(window.unit.schedule(bruno))
    assert [f.key[1] for f in flagged][:1] == [(1, 1, 1)]


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
    assert flows.unit_settings(window, tmp_path / "port_rules.toml")
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
    flows.unit_settings(window, tmp_path / "port_rules.toml")
    window.watch.wait_for_refresh()
    assert flows.book_unit(window)  # the F1 bookings move to other chairs
    shown: list[str] = []
    window.show_error = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    window.undo_stack.undo()
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
    flows.unit_settings(window, tmp_path / "port_rules.toml")
    window.watch.wait_for_refresh()
    monkeypatch.setattr(QMessageBox, "show", lambda self: None)
    flows.book_plan(window)
    after = _bookings(unit_db)
    assert set(after) == set(stored)  # every booking still there: none dropped
