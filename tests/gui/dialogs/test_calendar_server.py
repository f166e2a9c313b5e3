"""The unit's calendar server dialog: what is typed is checked at the door, said beside the
fields, and OK waits until it is right; "Test the connection" asks a real server off the
window's thread and says its answer."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from planner.calendars.publisher import ServerSettings
from planner.gui.dialogs.calendar_server import CalendarServerDialog
from planner.store.passwords import use_secret_for_session


def ok(dialog: CalendarServerDialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def fill(dialog: CalendarServerDialog, url: str, user: str, password: str = "") -> None:
    dialog.url.setText(url)
    dialog.user.setText(user)
    dialog.password.setText(password)


@pytest.fixture
def dialog(qtbot: QtBot) -> CalendarServerDialog:
    made = CalendarServerDialog(None)
    qtbot.addWidget(made)
    return made


def test_what_is_typed_is_checked_and_said_beside_the_fields(
    dialog: CalendarServerDialog,
) -> None:
    # A new dialog: nothing wrong said yet, but nothing to save.
    assert not ok(dialog)
    assert dialog.problem.text() == ""
    fill(dialog, "calendriers.hopital.fr/public/", "planner", "pw")
    assert dialog.problem.text() == (
        "The calendar server's address starts with https:// and names a host, not "
        "'calendriers.hopital.fr/public/'."
    )
    assert not ok(dialog)
    fill(dialog, "https://calendriers.hopital.fr/public/?x=1", "planner", "pw")
    assert dialog.problem.text() == (
        "The calendar server's address has no user, password, query or fragment."
    )
    fill(dialog, "https://calendriers.hopital.fr/public/", "plan:ner", "pw")
    assert dialog.problem.text() == (
        "The calendar server's user name is not empty and has no colon."
    )
    assert not ok(dialog)
    fill(dialog, "https://calendriers.hopital.fr/public", "planner")
    assert dialog.problem.text() == "Type the account's password."
    assert not ok(dialog)
    dialog.password.setText("pw")
    assert dialog.problem.text() == ""
    assert ok(dialog)
    assert dialog.test_button.isEnabled()
    chosen = dialog.result_value()
    assert chosen.server == ServerSettings("https://calendriers.hopital.fr/public/", "planner")
    assert chosen.server.verify_tls
    assert chosen.password == "pw"


def test_a_password_known_already_need_not_be_typed_again(qtbot: QtBot) -> None:
    server = ServerSettings("https://calendriers.hopital.fr/public/", "planner")
    use_secret_for_session(server.key, "kept")
    dialog = CalendarServerDialog(server)
    qtbot.addWidget(dialog)
    assert ok(dialog)
    assert dialog.password.placeholderText() == "known: leave empty to keep it"
    assert dialog.result_value().password == ""  # the one known stays


def test_not_checking_the_certificate_is_warned_against(dialog: CalendarServerDialog) -> None:
    assert dialog.verify.isChecked()  # checked unless unticked
    assert not dialog.unchecked.isVisibleTo(dialog)
    dialog.verify.setChecked(False)
    assert dialog.unchecked.isVisibleTo(dialog)
    assert "Untick it only for a test server." in dialog.unchecked.text()
    fill(dialog, "https://test.example/public/", "planner", "pw")
    assert dialog.result_value().server.verify_tls is False


def test_without_a_keyring_the_password_is_kept_until_the_program_closes(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("planner.gui.dialogs.calendar_server.keyring_name", lambda: None)
    dialog = CalendarServerDialog(None)
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled()
    assert dialog.remember.text() == (
        "No keyring on this computer: the password is kept until the program closes"
    )
    fill(dialog, "https://calendriers.hopital.fr/public/", "planner", "pw")
    assert dialog.result_value().remember is False


def test_the_connection_tested_with_the_right_password(
    dialog: CalendarServerDialog, qtbot: QtBot, radicale: Any
) -> None:
    radicale.start()
    fill(dialog, radicale.collections_url, radicale.user, radicale.password)
    dialog.test_button.click()
    assert not dialog.test_button.isEnabled()  # one question at a time
    assert dialog.answer.text() == "Testing the connection…"
    expected = f"The calendar server {radicale.collections_url} answers and takes the account."
    qtbot.waitUntil(lambda: dialog.answer.text() == expected, timeout=20000)
    assert dialog.test_button.isEnabled()


def test_the_connection_tested_with_a_wrong_password_says_it_was_refused(
    dialog: CalendarServerDialog, qtbot: QtBot, radicale: Any
) -> None:
    radicale.start()
    fill(dialog, radicale.collections_url, radicale.user, "not-the-password")
    dialog.test_button.click()
    expected = (
        f"The calendar server {radicale.collections_url} refused the user name planner or "
        "its password (or the account may not write there)."
    )
    qtbot.waitUntil(lambda: dialog.answer.text() == expected, timeout=20000)


def test_the_connection_tested_where_no_server_listens(
    dialog: CalendarServerDialog, qtbot: QtBot
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/public/"
    fill(dialog, url, "planner", "pw")
    dialog.test_button.click()
    expected = f"The calendar server {url} cannot be reached: the connection was refused or cut."
    qtbot.waitUntil(lambda: dialog.answer.text() == expected, timeout=20000)
