"""Two coordinators on one unit, in two windows, on a SQLite file and on a PostgreSQL server;
connecting to a shared unit's server with its password."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.plan import Delay, Stop
from planner.core.port import PortCriterion, PortLevel, PortRule
from planner.core.regimen import AgentClass
from planner.core.schedule import DelayReason
from planner.gui import flows
from planner.gui.dialogs.shared_unit import Server, SharedUnitDialog
from planner.gui.flows import Outcome
from planner.gui.main_window import MainWindow
from planner.store import passwords
from tests.conftest import NURSE_PASSWORD
from tests.gui.conftest import fill_unit, open_window
from tests.gui.test_main_window import open_patient


@pytest.fixture(params=["sqlite", "postgresql"])
def shared(request: pytest.FixtureRequest, tmp_path: Path, catalog: Catalog) -> str:
    """The unit of two patients, in a file or on the PostgreSQL server."""
    where = (
        str(tmp_path / "unit.db")
        if request.param == "sqlite"
        else request.getfixturevalue("postgresql_url")
    )
    fill_unit(where, catalog)
    return where


@pytest.fixture
def two_windows(
    qtbot: QtBot, shared: str, catalog: Catalog, gui_settings: Any
) -> Iterator[tuple[MainWindow, MainWindow]]:
    """The coordinator's window and "ab"'s, on the same unit."""
    first = open_window(qtbot, shared, catalog, gui_settings, "coordinator")
    second = open_window(qtbot, shared, catalog, gui_settings, "ab")
    yield first, second
    for window in (first, second):
        window.close()


def test_a_window_shows_what_another_coordinator_changed(
    two_windows: tuple[MainWindow, MainWindow],
) -> None:
    window, second_window = two_windows
    open_patient(window, "Bruno")
    open_patient(second_window, "Bruno")
    assert not second_window.watch.look_for_changes()
    assert (
        flows.apply_change(window, Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY))
        is Outcome.SAVED
    )
    assert not window.watch.look_for_changes()  # its own change is not news to it
    assert second_window.watch.look_for_changes()
    assert second_window.statusBar().currentMessage() == (
        "Changes made by another coordinator are shown."
    )
    ps = second_window.current_schedule()
    assert ps is not None
    assert ps.sessions[1].date == date(2027, 4, 6)


def test_the_second_of_two_edits_of_a_plan_is_told_what_changed_and_sees_it(
    two_windows: tuple[MainWindow, MainWindow],
) -> None:
    window, second_window = two_windows
    open_patient(window, "Bruno")
    open_patient(second_window, "Bruno")
    assert (
        flows.apply_change(window, Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY))
        is Outcome.SAVED
    )
    shown: list[str] = []
    second_window.show_error = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    # The second coordinator has not looked yet: their change is refused, never merged.
    assert (
        flows.apply_change(second_window, Stop(date(2027, 3, 20), "patient's choice"))
        is Outcome.REFUSED
    )
    assert shown == [
        "coordinator recorded a delay in this plan at 10:00, after you opened it; it is shown "
        "again as it is now: decide again"
    ]
    ps = second_window.current_schedule()
    assert ps is not None
    assert ps.sessions[1].date == date(2027, 4, 6)  # shown as it is now
    assert not ps.stopped
    assert second_window.unit is not None
    assert [e.author for e in second_window.unit.store.plan(ps.plan.id).ledger] == ["coordinator"]


def test_two_coordinators_booking_the_same_sessions_never_double_book(
    two_windows: tuple[MainWindow, MainWindow],
) -> None:
    window, second_window = two_windows
    open_patient(window, "Anne")
    open_patient(second_window, "Anne")
    assert second_window.unit is not None
    assert not second_window.unit.occupancy.bookings  # what the second window holds
    assert flows.book_plan(window)
    assert window.unit is not None
    ps = window.current_schedule()
    assert ps is not None
    booked = window.unit.store.bookings(plan_id=ps.plan.id)
    assert booked
    shown: list[str] = []
    second_window.show_error = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    # The second window still believes nothing is booked: its booking is refused whole.
    flows.book_plan(second_window)
    assert len(shown) == 1
    assert shown[0].startswith("the booking of cycle 1 day 1 was changed by someone else")
    assert second_window.unit.store.bookings(plan_id=ps.plan.id) == booked
    # Shown again as they are now: booking again has nothing left to do.
    assert not flows.book_plan(second_window)
    held = second_window.unit.occupancy.of_plan(ps.plan.id)
    assert {(ps.plan.id, key): b for key, b in held.items()} == booked


IMMUNOTHERAPY_PORT = PortRule(
    PortLevel.RECOMMENDED,
    PortCriterion.CLASS,
    classes=frozenset({AgentClass.IMMUNOTHERAPY}),
    source="Protocole du service",
)


def answer_settings(
    monkeypatch: pytest.MonkeyPatch, rules: Callable[[Any], tuple[PortRule, ...]]
) -> list[Any]:
    """The settings dialog, its port rules set to ``rules(dialog)`` and accepted; shown again
    (after a refusal), cancelled. The dialogs shown."""
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    shown: list[Any] = []

    def exec_(dialog: SettingsDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        if len(shown) > 1:
            return QDialog.DialogCode.Rejected
        dialog.port_rules.set_rules(rules(dialog))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", exec_)
    return shown


def test_port_rules_saved_in_one_window_give_the_advice_in_the_other(
    two_windows: tuple[MainWindow, MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, second_window = two_windows
    open_patient(window, "Anne")
    open_patient(second_window, "Anne")
    assert "not needed" in second_window.plan_view.port_label.text()
    answer_settings(monkeypatch, lambda d: (*d.port_rules.rules(), IMMUNOTHERAPY_PORT))
    assert flows.unit_settings(window)
    assert "recommended" in window.plan_view.port_label.text()

    # The other coordinator's window follows the unit's rules once it looks.
    assert second_window.watch.look_for_changes()
    for each in two_windows:
        each.watch.wait_for_refresh()
    assert second_window.unit is not None
    assert second_window.unit.catalog.port_rules[-1] == IMMUNOTHERAPY_PORT
    assert "recommended" in second_window.plan_view.port_label.text()

    # Back to the shipped rules in the second window: the first follows again.
    answer_settings(monkeypatch, lambda d: d.port_rules.bundled)
    assert flows.unit_settings(second_window)
    assert window.watch.look_for_changes()
    for each in two_windows:
        each.watch.wait_for_refresh()
    assert "not needed" in window.plan_view.port_label.text()
    assert window.unit is not None
    assert window.unit.store.port_rules() is None


def test_port_rules_saved_over_anothers_new_ones_are_refused_in_words(
    two_windows: tuple[MainWindow, MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, second_window = two_windows
    open_patient(second_window, "Anne")
    answer_settings(monkeypatch, lambda d: (*d.port_rules.rules(), IMMUNOTHERAPY_PORT))
    assert flows.unit_settings(window)
    # The second coordinator has not looked yet (no event handled: on a server, not even the
    # server's notice) and removes a rule from the table they saw.
    shown: list[tuple[str, str]] = []
    second_window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    dialogs = answer_settings(monkeypatch, lambda d: d.port_rules.rules()[:-1])
    assert not flows.unit_settings(second_window)
    for each in two_windows:
        each.watch.wait_for_refresh()
    assert shown == [
        (
            "The port rules were not saved",
            "coordinator saved other port rules for the unit at 10:00, after they were read "
            "here; nothing was changed\n\nThe window now advises by the unit's rules as they "
            "are. The rules you entered are shown again: save them to replace those.",
        )
    ]
    assert len(dialogs) == 2
    assert dialogs[1] is dialogs[0]
    assert len(dialogs[1].port_rules.rules()) == 3  # the 4 shipped less the last
    # Nothing overwritten, and the second window now advises by the unit's rules.
    assert second_window.unit is not None
    assert second_window.unit.store.port_rules() == (
        *second_window.unit.catalog.shipped_port_rules,
        IMMUNOTHERAPY_PORT,
    )
    assert "recommended" in second_window.plan_view.port_label.text()


def test_on_a_server_a_change_is_heard_at_once(
    qtbot: QtBot, postgresql_url: str, catalog: Catalog, gui_settings: Any
) -> None:
    fill_unit(postgresql_url, catalog)
    window = open_window(qtbot, postgresql_url, catalog, gui_settings, "coordinator")
    second = open_window(qtbot, postgresql_url, catalog, gui_settings, "ab")
    try:
        listener = second.watch.listener
        assert listener is not None
        assert window.watch.listener is not None
        qtbot.waitUntil(lambda: listener.is_listening, timeout=5000)
        open_patient(window, "Bruno")
        open_patient(second, "Bruno")
        second.watch.timer.stop()  # not the regular check: the server's notice
        assert (
            flows.apply_change(window, Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY))
            is Outcome.SAVED
        )

        def moved() -> None:
            ps = second.current_schedule()
            assert ps is not None
            assert ps.sessions[1].date == date(2027, 4, 6)

        qtbot.waitUntil(moved, timeout=3000)
    finally:
        window.close()
        second.close()


# ---------------------------------------------------------------- connecting to a server


def test_a_servers_address_is_made_from_its_fields_and_read_back() -> None:
    server = Server("db.hopital.fr", 5432, "hdj", "coord")
    assert server.url == "postgresql+psycopg://coord@db.hopital.fr/hdj?sslmode=require"
    assert Server.of(server.url) == server
    other = Server("db.hopital.fr", 6543, "hdj", "coord", encrypted=False)
    assert other.url == "postgresql+psycopg://coord@db.hopital.fr:6543/hdj"
    assert Server.of(other.url) == other
    socket = Server("/var/run/postgresql", 5432, "hdj", "coord", encrypted=False)
    assert socket.url == "postgresql+psycopg://coord@/hdj?host=/var/run/postgresql"
    assert Server.of(socket.url) == socket
    assert Server.of("/home/coord/planner.db").host == ""


def test_the_dialog_asks_for_a_server_a_database_and_a_user(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = SharedUnitDialog()
    qtbot.addWidget(dialog)
    connect = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.user.clear()
    assert not connect.isEnabled()
    dialog.host.setText("db.hopital.fr")
    dialog.database.setText("hdj")
    dialog.user.setText("coord")
    assert connect.isEnabled()
    dialog.password.setText("s3cret")
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    dialog.remember.setChecked(True)
    asked = dialog.result_value()
    assert asked.server.url == "postgresql+psycopg://coord@db.hopital.fr/hdj?sslmode=require"
    assert (asked.password, asked.remember) == ("s3cret", True)
    dialog.host.setText("/var/run/postgresql")  # a local socket: no port, no SSL
    assert not dialog.port.isEnabled()
    assert not dialog.encrypted.isEnabled()


def test_without_a_keyring_the_dialog_says_to_use_pgpass(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passwords, "_keyring", lambda: None)
    dialog = SharedUnitDialog("postgresql+psycopg://coord@db.hopital.fr/hdj")
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled()
    assert "~/.pgpass" in dialog.remember.text()
    dialog.remember.setChecked(True)
    assert dialog.result_value().remember is False


def test_on_windows_the_dialog_names_windows_password_file_and_asks_for_a_server(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, windows: None
) -> None:
    """libpq reads %APPDATA%\\postgresql\\pgpass.conf there, not ~/.pgpass."""
    monkeypatch.setattr(passwords, "_keyring", lambda: None)
    dialog = SharedUnitDialog(None)
    qtbot.addWidget(dialog)
    file = r"%APPDATA%\postgresql\pgpass.conf"
    assert dialog.remember.text() == (
        f"No keyring on this computer: keep the password in {file} instead"
    )
    assert dialog.password.placeholderText() == f"empty: {file} or the keyring"
    assert dialog.host.placeholderText() == "db.hopital.fr (the server's name)"


@pytest.mark.parametrize(
    ("host", "on_posix", "on_windows"),
    [
        ("/var/run/postgresql", True, True),
        ("db.hopital.fr", False, False),
        (r"C:\pg\sockets", False, True),
        (r"\\srv\pg", False, True),
        ("c:", False, False),
    ],
)
def test_a_socket_folder_is_what_libpq_reads_as_one(
    host: str, on_posix: bool, on_windows: bool, request: pytest.FixtureRequest
) -> None:
    from planner.gui.dialogs.shared_unit import is_socket_folder

    request.getfixturevalue("posix")
    assert is_socket_folder(host) is on_posix
    request.getfixturevalue("windows")
    assert is_socket_folder(host) is on_windows


def test_connecting_asks_for_the_password_and_keeps_it_once_the_server_took_it(
    qtbot: QtBot,
    nurse_url: str,
    catalog: Catalog,
    gui_settings: Any,
    keyring: dict[tuple[str, str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from planner.gui.opening import Opener
    from tests.gui.conftest import TODAY

    fill_unit_as_nurse(nurse_url, catalog)
    window = MainWindow(TODAY, gui_settings)
    qtbot.addWidget(window)
    opener = Opener(window, TODAY, author="nurse")
    problems: list[str] = []
    answers = iter(["wrong-one", NURSE_PASSWORD])

    def answer(dialog: SharedUnitDialog) -> QDialog.DialogCode:
        problems.append(dialog.problem.text())
        assert dialog.result_value().server == Server.of(nurse_url)  # the address, filled in
        dialog.password.setText(next(answers))
        dialog.remember.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SharedUnitDialog, "exec", answer)
    # The saved address, without its password: the window asks for it...
    with qtbot.waitSignal(opener.finished, timeout=20000):
        opener.open(nurse_url)
    # ...is refused once, asks again, then opens the unit and keeps the password.
    qtbot.waitUntil(lambda: window.unit is not None, timeout=20000)
    typed = Server.of(nurse_url).url  # the socket's folder unescaped: readable
    assert problems == [
        f"The server of {nurse_url} asks for a password.",
        f"The server of {typed} refused the password given.",
    ]
    assert window.unit is not None
    assert sorted(p.name for p in window.unit.patients()) == ["MARTIN Anne", "PETIT Bruno"]
    assert list(keyring.values()) == [NURSE_PASSWORD]  # the wrong one never was kept
    assert gui_settings.database == typed
    settings_file = Path(gui_settings._store.fileName())
    assert NURSE_PASSWORD not in settings_file.read_text()
    window.close()


def fill_unit_as_nurse(url: str, catalog: Catalog) -> None:
    passwords.use_for_session(url, NURSE_PASSWORD)
    try:
        fill_unit(url, catalog)
    finally:
        passwords.forget_typed(url)


def test_a_password_refused_while_the_list_is_updated_is_said(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.i18n import Message
    from planner.store import PasswordNeeded

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PasswordNeeded(Message("the server of db.hopital.fr refused the password given"))

    monkeypatch.setattr("planner.day_hospital.loading.load_unit", refused)
    shown: list[tuple[str, str]] = []
    window.show_error = lambda title, text: shown.append((title, text))  # type: ignore[method-assign]
    window.watch.refresh_patient_list()
    window.watch.wait_for_refresh()
    assert shown == [
        (
            "The patient list was not updated",
            "the server of db.hopital.fr refused the password given",
        )
    ]


CHANGE_FROM_ANOTHER_PROCESS = """
import sys
from datetime import UTC, date, datetime
from planner.catalog import load_catalog
from planner.core.plan import Delay
from planner.core.schedule import DelayReason
from planner.store import Store

rules = load_catalog().port_rules
with Store.open(sys.argv[1]) as store:
    [plan] = store.plans(store.patient("HN-0001"))
    store.record(
        plan,
        Delay((1, 1, 1), date(2027, 3, 15), DelayReason.CAPACITY),
        author="another",
        at=datetime.now(UTC),
        today=date(2027, 3, 1),
        port_rules=rules,
    )
"""


def test_the_patient_list_shows_a_change_made_by_another_program(
    qtbot: QtBot, shared: str, catalog: Catalog, gui_settings: Any
) -> None:
    """The list is read from the facts stored with each plan: another process's change is
    on the line of a patient the window is not showing."""
    import subprocess
    import sys

    window = open_window(qtbot, shared, catalog, gui_settings, "coordinator")
    open_patient(window, "Bruno")
    bruno = window.current_schedule().plan.patient.id
    window.search.clear()  # both patients listed, Bruno's plan on screen
    window.select_patient(bruno)

    def anne() -> Any:
        model = window.patients_model
        row = next(r for r in range(model.rowCount()) if "Anne" in model.summary_at(r).patient.name)
        return model.summary_at(row)

    assert anne().next_session == date(2027, 3, 8)
    subprocess.run([sys.executable, "-c", CHANGE_FROM_ANOTHER_PROCESS, shared], check=True)
    assert window.watch.look_for_changes()
    window.watch.wait_for_refresh()
    assert anne().next_session == date(2027, 3, 15)
    shown = window.current_schedule()
    assert shown is not None
    assert shown.plan.patient.id == bruno
    window.close()
