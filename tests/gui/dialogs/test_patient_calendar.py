"""The patient's calendar dialog shows what is true of the patient's link: no server, not
published, or the link, its QR code and whether the server has it, in the command line's
words."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import zxingcpp
from pytestqt.qtbot import QtBot

from planner.calendars.publisher import ServerSettings
from planner.core.patient import Patient
from planner.gui.dialogs.patient_calendar import PatientCalendarDialog, link_status
from planner.store.calendar_links import CalendarLink

NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
SERVER = ServerSettings("https://calendriers.hopital.example/public/", "planner")
LINK = CalendarLink(
    patient_id="p1",
    token="Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0",
    detail="full",
    created_at=NOW,
    created_by="coordinator",
    items={},
    published_at=datetime(2027, 3, 1, 13, 30, tzinfo=UTC),
    failing_since=None,
    last_error="",
    attempts=0,
    next_try=None,
    waiting=0,
)


def test_the_link_and_its_state(qtbot: QtBot) -> None:
    dialog = PatientCalendarDialog(Patient("p1", "Martin", "Anne", "HN-1"))
    qtbot.addWidget(dialog)
    dialog.show_state(None, None, NOW)
    assert dialog.pages.currentIndex() == 0  # no server: it offers to set one
    dialog.show_state(SERVER, None, NOW)
    assert dialog.pages.currentIndex() == 1
    dialog.show_state(SERVER, LINK, NOW)
    assert dialog.pages.currentIndex() == 2
    url = "https://calendriers.hopital.example/public/Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0/"
    assert dialog.https.text() == url
    assert dialog.webcal.text() == "webcal" + url.removeprefix("https")
    assert [c.text for c in zxingcpp.read_barcodes(dialog.qr.pixmap().toImage())] == [url]
    assert dialog.shown_detail.text() == "Full: with the regimen, drugs, cycle and day"
    assert dialog.status.text() == "Up to date\nLast sent to the server: 14:30"
    dialog.show_state(SERVER, dataclasses.replace(LINK, waiting=2), NOW, "Calendars not sent")
    assert dialog.status.text() == (
        "2 changes waiting\nLast sent to the server: 14:30\nCalendars not sent"
    )


def test_the_status_words_are_the_command_lines() -> None:
    assert link_status(LINK, NOW) == "up to date"
    assert link_status(dataclasses.replace(LINK, waiting=1), NOW) == "1 change waiting"
    failing = dataclasses.replace(
        LINK,
        waiting=3,
        failing_since=datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        last_error="the calendar server https://x/ cannot be reached: its host name is not known",
    )
    assert link_status(failing, NOW) == (
        "server unreachable since 10:00: the calendar server https://x/ cannot be reached: "
        "its host name is not known"
    )
