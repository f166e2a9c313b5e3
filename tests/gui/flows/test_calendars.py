"""The patient's live calendar from the window, against a real throw-away Radicale: published
from the dialog, its link (and QR code) read by anyone without a password, sent by e-mail in
the patient's language; a new link and stopping, confirmed first and written in the plan's
history; the unit's calendar server set from the window."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import icalendar
import pytest
import zxingcpp
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from planner import i18n
from planner.calendars.publisher import ServerSettings
from planner.export.subscription import webcal_url as webcal
from planner.gui import flows
from planner.gui.dialogs.calendar_server import CalendarServerDialog
from planner.gui.dialogs.patient_calendar import PatientCalendarDialog
from planner.gui.flows import calendars
from planner.gui.flows.calendars import mailto, subscription_mail
from planner.gui.main_window import MainWindow
from planner.i18n import _, set_language
from planner.store.passwords import secret_for
from tests.gui.conftest import UNIT

UP_TO_DATE = "Up to date"


def fetch(url: str) -> tuple[int, bytes]:
    """GET without any credentials, as a calendar program subscribed by the link."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def show(window: MainWindow, name: str) -> None:
    window.search.setText(name)
    window.patients.selectRow(0)
    assert window.current_schedule() is not None


def history(window: MainWindow) -> list[str]:
    """What the plan's history says, line by line."""
    view = window.plan_view.history
    view.refresh()
    model = view.model
    return [
        " ".join(str(model.index(r, c).data() or "") for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def drive(monkeypatch: pytest.MonkeyPatch, steps: Any) -> None:
    """The patient's calendar dialog, worked by ``steps(dialog)`` instead of by hand."""

    def exec_(dialog: PatientCalendarDialog) -> int:
        steps(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(PatientCalendarDialog, "exec", exec_)


def test_publishing_from_the_dialog_gives_a_link_anyone_can_read(
    calendar_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = calendar_window
    show(window, "Anne")
    seen: dict[str, Any] = {}

    def steps(dialog: PatientCalendarDialog) -> None:
        assert dialog.pages.currentIndex() == 1  # not published yet
        assert dialog.detail.currentData() == "minimal"  # no drug names unless asked
        dialog.publish_button.click()
        assert dialog.pages.currentIndex() == 2
        qtbot.waitUntil(lambda: dialog.status.text().startswith(UP_TO_DATE), timeout=20000)
        seen["url"] = dialog.https.text()
        seen["webcal"] = dialog.webcal.text()
        seen["qr"] = [code.text for code in zxingcpp.read_barcodes(dialog.qr.pixmap().toImage())]
        dialog.copy_https.click()
        seen["copied"] = QGuiApplication.clipboard().text()
        seen["detail"] = dialog.shown_detail.text()

    drive(monkeypatch, steps)
    flows.patient_calendar(window)
    url = seen["url"]
    server = window.calendars.server
    assert server is not None
    assert url.startswith(server.url)
    assert seen["webcal"] == webcal(url)
    assert seen["qr"] == [url]  # a phone's camera opens the link itself
    assert seen["copied"] == url
    assert seen["detail"] == "Minimal: what and where, no drug names"
    status, data = fetch(url)
    assert status == 200
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert len(events) > 5
    assert b"pembrolizumab" not in data.lower()  # minimal: no drug names
    assert "Calendar published for subscription" in "\n".join(history(window))
    said = window.statusBar().currentMessage()
    assert said == "Calendar published: give the patient the link"


def test_the_link_goes_by_e_mail_in_the_patients_language(
    calendar_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = calendar_window
    show(window, "Anne")  # an English-speaking patient
    set_language("fr")  # for a French-speaking coordinator
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    spoken: list[str] = []

    def speaking(lang: str) -> Any:
        spoken.append(lang)
        return i18n.speaking(lang)

    monkeypatch.setattr(calendars, "speaking", speaking)

    def steps(dialog: PatientCalendarDialog) -> None:
        dialog.publish_button.click()
        dialog.mail_button.click()

    drive(monkeypatch, steps)
    dialog = flows.patient_calendar(window)
    assert dialog is not None
    assert spoken == ["en"]
    (url,) = opened
    parts = urlsplit(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
    assert parts.scheme == "mailto"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Your treatment calendar"]
    body = query["body"][0]
    assert dialog.url in body
    assert webcal(dialog.url) in body
    assert "Google Calendar, on a computer: Other calendars → + → From URL" in body
    assert "iPhone: Settings → Calendar → Accounts → Add Account → Other → Add" in body
    assert "Outlook: Add calendar → Subscribe from web" in body
    assert "This link is personal: anyone who has it can see these dates." in body
    assert body.endswith(f"{UNIT.name}\r\n{UNIT.phone}")
    assert window.statusBar().currentMessage() == _("The mail is ready in your mail program")


def test_the_mail_is_addressed_to_the_patient_when_their_contact_holds_an_address() -> None:
    subject, body = subscription_mail("https://cal.example/public/abc/", "en", UNIT)
    made = mailto("anne.martin+rdv@example.org", subject, body)
    text = made.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    assert text.startswith("mailto:anne.martin%2Brdv@example.org?subject=")
    assert unquote(urlsplit(text).path) == "anne.martin+rdv@example.org"
    assert parse_qs(urlsplit(text).query)["body"] == [body.replace("\n", "\r\n")]


def test_a_new_link_then_stopping_each_asked_first_and_in_the_history(
    calendar_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = calendar_window
    show(window, "Bruno")
    assert window.unit is not None
    calendars = window.unit.store.calendars
    answers: list[bool] = []
    asked: list[str] = []

    def ask(parent: Any, title: str, text: str) -> bool:
        asked.append(title)
        return answers.pop(0)

    monkeypatch.setattr("planner.gui.flows.calendars.ask", ask)
    links: list[str] = []

    def sent() -> bool:
        return calendars.waiting() == 0 and not calendars.retired()

    def steps(dialog: PatientCalendarDialog) -> None:
        dialog.detail.setCurrentIndex(dialog.detail.findData("full"))
        dialog.publish_button.click()
        qtbot.waitUntil(sent, timeout=20000)
        links.append(dialog.url)
        answers.append(False)  # "Give a new link?" No: nothing changes
        dialog.renew_button.click()
        assert dialog.url == links[0]
        answers.append(True)
        dialog.renew_button.click()
        assert dialog.url != links[0]
        links.append(dialog.url)
        qtbot.waitUntil(sent, timeout=20000)
        qtbot.waitUntil(lambda: dialog.status.text().startswith(UP_TO_DATE))
        assert fetch(links[0])[0] in (403, 404)  # the old link stopped at once
        status, data = fetch(links[1])
        assert status == 200
        assert b"oxaliplatin" in data.lower()  # full: the drugs are named
        answers.append(True)
        dialog.stop_button.click()
        assert dialog.pages.currentIndex() == 1  # not published: it can be again
        qtbot.waitUntil(sent, timeout=20000)

    drive(monkeypatch, steps)
    flows.patient_calendar(window)
    assert asked == ["Give a new link?", "Give a new link?", "Stop publishing?"]
    assert fetch(links[1])[0] in (403, 404)
    assert calendars.links() == []
    said = "\n".join(history(window))
    assert "Calendar published for subscription" in said
    assert said.count("New subscription link: the old one no longer works") == 1
    assert "Calendar no longer published" in said
    assert window.statusBar().currentMessage() == (
        "The calendar is no longer published; its link no longer works."
    )


def test_without_a_calendar_server_the_dialog_offers_to_set_one(
    window: MainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    radicale: Any,
    quick_rounds: None,
    keyring: dict[tuple[str, str], str],
) -> None:
    radicale.start()
    show(window, "Anne")
    pages: list[int] = []

    def server_dialog(dialog: CalendarServerDialog) -> int:
        assert dialog.url.text() == ""
        dialog.url.setText(radicale.collections_url)
        dialog.user.setText(radicale.user)
        dialog.password.setText(radicale.password)
        dialog.remember.setChecked(True)
        return QDialog.DialogCode.Accepted

    def steps(dialog: PatientCalendarDialog) -> None:
        pages.append(dialog.pages.currentIndex())
        dialog.server_button.click()
        pages.append(dialog.pages.currentIndex())

    monkeypatch.setattr(CalendarServerDialog, "exec", server_dialog)
    drive(monkeypatch, steps)
    flows.patient_calendar(window)
    assert pages == [0, 1]  # no server; then a server, the patient not published yet
    settings = ServerSettings(radicale.collections_url, radicale.user)
    assert window.unit is not None
    assert window.unit.store.calendars.server() == settings.to_json()
    assert list(keyring.values()) == [radicale.password]  # kept: the box was ticked
    assert window.calendars.worker is not None  # the publisher runs with it
    qtbot.waitUntil(lambda: window.calendars.label.text() == "Calendars up to date")
    assert window.statusBar().currentMessage() == f"Calendar server saved: {settings.url}"


def test_the_password_typed_without_the_box_serves_this_session_only(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, keyring: dict[tuple[str, str], str]
) -> None:
    settings = ServerSettings("https://calendriers.hopital.example/public/", "planner")
    keyring[("infusion-planner", settings.key)] = "an-old-one"

    def server_dialog(dialog: CalendarServerDialog) -> int:
        dialog.url.setText(settings.url)
        dialog.user.setText(settings.user)
        dialog.password.setText("s3cret")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CalendarServerDialog, "exec", server_dialog)
    assert flows.calendar_server(window)
    assert keyring == {}  # the old one would no longer be right
    assert secret_for(settings.key) == "s3cret"


def test_a_keyring_that_refuses_leaves_the_password_for_this_session(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.store import passwords

    settings = ServerSettings("https://calendriers.hopital.example/public/", "planner")
    said: list[str] = []

    def refuse(service: str, user: str, password: str) -> None:
        raise RuntimeError("locked")

    def server_dialog(dialog: CalendarServerDialog) -> int:
        dialog.url.setText(settings.url)
        dialog.user.setText(settings.user)
        dialog.password.setText("s3cret")
        dialog.remember.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CalendarServerDialog, "exec", server_dialog)
    monkeypatch.setattr(passwords._keyring(), "set_password", refuse)
    monkeypatch.setattr(
        "planner.gui.flows.calendars.inform", lambda parent, title, text: said.append(text)
    )
    assert flows.calendar_server(window)
    assert said == [
        "This computer's keyring did not keep the password: it is used until the program "
        "closes, and asked for again next time."
    ]
    assert secret_for(settings.key) == "s3cret"
