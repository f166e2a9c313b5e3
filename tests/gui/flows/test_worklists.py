"""The day's work lists from the Unit menu: the week's sessions for the nurses and the
pharmacy, and the patients to call (also offered right after closing the unit on a day)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QDialog

from planner.core.plan import Delay
from planner.core.schedule import DelayReason
from planner.gui import flows
from planner.gui.dialogs.unit_day import CloseDayDialog
from planner.gui.dialogs.worklists import PatientsToCallDialog, WeekSessionsDialog
from planner.gui.flows import Outcome
from planner.gui.main_window import MainWindow
from planner.store import Store


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The file dialog answers ``path``; the names it proposed."""
    proposed: list[str] = []

    def ask(parent: object, title: str, folder: object, name: str, kind: str) -> Path:
        proposed.append(name)
        return path

    monkeypatch.setattr("planner.gui.exporting.ask_save_path", ask)
    return proposed


def answer_week(
    monkeypatch: pytest.MonkeyPatch, day: date, kind: str, *, numbers: bool = False
) -> None:
    def exec_(dialog: WeekSessionsDialog) -> QDialog.DialogCode:
        dialog.day.setDate(QDate(day.year, day.month, day.day))
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        dialog.numbers.setChecked(numbers)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WeekSessionsDialog, "exec", exec_)


def test_the_weeks_sessions_as_csv_and_pdf_from_the_unit_menu(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    unit_menu = window.menuBar().actions()[4]
    assert unit_menu.text() == "&Unit"
    assert window.act.week_sessions in unit_menu.menu().actions()  # type: ignore[attr-defined]
    assert window.act.patients_to_call in unit_menu.menu().actions()  # type: ignore[attr-defined]
    flows.book_unit(window)
    # Any day of the week chooses it: Thursday 1 April, the week of Easter Monday.
    answer_week(monkeypatch, date(2027, 4, 1), "csv")
    proposed = save_to(monkeypatch, tmp_path / "week.csv")
    window.act.week_sessions.trigger()
    assert proposed == ["Sessions of the week - 2027-03-29.csv"]
    rows = list(csv.reader((tmp_path / "week.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == [
        "Date",
        "Time",
        "Chair",
        "Patient",
        "Regimen",
        "Cycle and day",
        "Drugs",
        "Pump",
        "Chair minutes",
        "To check",
    ]
    # Both C2s moved from Easter Monday to Tuesday 30 March: as booked, by time then chair.
    assert window.unit is not None
    tuesday = window.unit.occupancy.on_day(date(2027, 3, 30))
    assert len(tuesday) == 2
    assert [row[:3] for row in rows[1:]] == [
        ["2027-03-30", b.start.isoformat(timespec="minutes"), b.chair] for _key, b in tuesday
    ]
    assert sorted(row[3:4] + row[5:] for row in rows[1:]) == [
        ["MARTIN Anne", "C2 D1", "pembrolizumab", "no", "45", ""],
        [
            "PETIT Bruno",
            "C2 D1",
            "oxaliplatin, folinic acid (leucovorin), fluorouracil (5-FU)",
            "yes",
            "165",
            "",
        ],
    ]
    regimens = {row[3]: row[4] for row in rows[1:]}
    assert regimens["MARTIN Anne"] == "Pembrolizumab 200 mg every 3 weeks (monotherapy)"
    assert "HN-0001" not in (tmp_path / "week.csv").read_text(encoding="utf-8-sig")
    answer_week(monkeypatch, date(2027, 3, 29), "pdf", numbers=True)
    save_to(monkeypatch, tmp_path / "week.pdf")
    window.act.week_sessions.trigger()
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "week.pdf").pages
    )
    assert "Sessions of the week from Mon 29 Mar 2027 to Sun 4 Apr 2027" in text
    assert "Monday 29 March 2027 — closed (Easter Monday, public holiday)" in text
    assert "Tuesday 30 March 2027 — 2 sessions, 3.5 chair hours" in text
    assert "HN-0002" in text  # asked for
    assert window.statusBar().currentMessage().startswith("Sessions of the week from")


def test_an_unwritable_week_list_is_said_in_words(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    answer = flows.week_sessions(window, date(2027, 3, 8), "csv", tmp_path / "no" / "week.csv")
    assert answer is False
    assert (
        shown[0][0]
        == "Nothing was written: Sessions of the week from Mon 8 Mar 2027 to Sun 14 Mar 2027"
    )


def the_calls_dialog() -> PatientsToCallDialog:
    """The list on screen (one closed is deleted)."""
    [dialog] = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, PatientsToCallDialog) and w.isVisible()
    ]
    return dialog


@pytest.fixture(autouse=True)
def close_the_lists() -> Iterator[None]:
    yield None
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, PatientsToCallDialog):
            widget.close()


def cells(dialog: PatientsToCallDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        for r in range(table.rowCount())
    ]


# The list opens beside the window (not modal): the offscreen platform says it cannot
# pass a top-level window's size hints on, which concerns no user.
OFFSCREEN_WINDOW = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@OFFSCREEN_WINDOW
def test_the_patients_to_call_after_a_delay_recorded_today(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.search.setText("Bruno")
    window.patients.selectRow(0)
    delay = Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY)
    assert flows.apply_change(window, delay) is Outcome.SAVED
    window.act.patients_to_call.trigger()
    dialog = the_calls_dialog()
    assert dialog.isVisible()
    assert not dialog.isModal()  # kept open beside the window while calling
    assert dialog.heading.text() == (
        "Patients to call — sessions moved by what was recorded since Mon 1 Mar 2027"
    )
    assert dialog.count.text() == "1 patient to call, 11 sessions moved"
    [row] = cells(dialog)
    assert row[:6] == [
        "PETIT Bruno",
        "",
        "mFOLFOX6 (oxaliplatin, leucovorin, 5-FU bolus + 46-h infusion) every 14 days",
        "Treatment · C2 · D1 and 10 more",
        "Tue 30 Mar 2027",
        "Tue 6 Apr 2027 (each 7 to 8 days later)",  # C3 on, counted from C2: 8
    ]
    assert row[6] == "Delay Treatment · C2 · D1 to Tue 6 Apr 2027 (toxicity)"
    # Since the next day, nothing was recorded: nobody to call, nothing to print.
    dialog.since.setDate(QDate(2027, 3, 2))
    assert cells(dialog) == []
    assert dialog.count.text() == "Nobody to call: no coming session moved."
    assert not dialog.csv_button.isEnabled()
    dialog.since.setDate(QDate(2027, 3, 1))
    save_to(monkeypatch, tmp_path / "calls.csv")
    dialog.csv_button.click()
    rows = list(csv.reader((tmp_path / "calls.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["Patient", "Contact", "Regimen", "Session", "Was", "Now", "Why"]
    assert rows[1][3:6] == ["Treatment · C2 · D1 and 10 more", "2027-03-30", "2027-04-06"]
    dialog.close()


@OFFSCREEN_WINDOW
def test_closing_the_unit_offers_the_patients_to_call(
    window: MainWindow, unit_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def strike(dialog: CloseDayDialog) -> QDialog.DialogCode:
        dialog.day.setDate(QDate(2027, 3, 15))
        dialog.label.setText("Grève")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CloseDayDialog, "exec", strike)
    assert flows.close_day(window)
    dialog = the_calls_dialog()
    assert dialog.heading.text() == "Patients to call after the closure of Mon 15 Mar 2027"
    assert [row[0] for row in cells(dialog)] == ["PETIT Bruno"]
    assert cells(dialog)[0][3:7] == [
        "C1 D1",
        "Mon 15 Mar 2027",
        "Tue 16 Mar 2027",
        "unit closed on Mon 15 Mar 2027: Grève",
    ]
    dialog.close()
    # The closure says who recorded it, and when: it is on the list of the day.
    with Store.open(unit_db) as store:
        [closure] = store.settings().unit_closures
    assert (closure.added_by, closure.added_at) == ("coordinator", window.unit.now())  # type: ignore[union-attr]
    window.act.patients_to_call.trigger()
    dialog = the_calls_dialog()
    assert [row[0] for row in cells(dialog)] == ["PETIT Bruno"]
    assert cells(dialog)[0][6] == "unit closed on Mon 15 Mar 2027: Grève"
    dialog.close()


@OFFSCREEN_WINDOW
def test_a_day_closed_in_the_settings_is_on_the_list_of_calls(
    window: MainWindow, unit_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    def close_monday_15(dialog: SettingsDialog) -> QDialog.DialogCode:
        dialog.closures.date.setDate(QDate(2027, 3, 15))
        dialog.closures.label.setText("Formation")
        dialog.closures.add_button.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", close_monday_15)
    assert flows.unit_settings(window)
    window.watch.wait_for_refresh()
    with Store.open(unit_db) as store:
        [closure] = store.settings().unit_closures
    assert (closure.added_by, closure.added_at) == ("coordinator", window.unit.now())  # type: ignore[union-attr]
    window.act.patients_to_call.trigger()
    row = cells(the_calls_dialog())[0]
    assert [row[0], row[4], row[5], row[6]] == [
        "PETIT Bruno",
        "Mon 15 Mar 2027",
        "Tue 16 Mar 2027",
        "unit closed on Mon 15 Mar 2027: Formation",
    ]


@OFFSCREEN_WINDOW
def test_the_patients_to_call_show_why_on_a_1366_screen(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list opened 980 pixels wide: the new date and why (what a coordinator says on
    the phone) were beyond its right edge. It takes the screen's width, up to 1300."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    from planner.i18n import set_language

    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, 1366, 768))
    assert window.unit is not None
    bruno = next(p for p in window.unit.patients() if p.name == "PETIT Bruno")
    window.unit.update_patient(bruno, contact="bruno.petit@example.org · 06 12 34 56 78")
    set_language("fr")

    def strike(dialog: CloseDayDialog) -> QDialog.DialogCode:
        dialog.day.setDate(QDate(2027, 3, 15))
        dialog.label.setText("Grève")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CloseDayDialog, "exec", strike)
    assert flows.close_day(window)
    dialog = the_calls_dialog()
    assert dialog.width() <= 1366
    table, header = dialog.table, dialog.table.horizontalHeader()
    why = table.columnCount() - 1
    for column in range(why):
        end = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert end <= table.viewport().width(), table.horizontalHeaderItem(column).text()  # type: ignore[union-attr]
    assert table.viewport().width() - header.sectionViewportPosition(why) >= 200
    dialog.close()
