"""The window keeps patients' live calendars sent, against a real throw-away Radicale: a
delay reaches the patient's link by itself, an outage is said and loses nothing, a refused
account stops the publisher and is said once, and the window closes at once."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
from pytestqt.qtbot import QtBot

from planner.calendars.publisher import new_token
from planner.catalog import Catalog
from planner.core.plan import Delay
from planner.core.schedule import DelayReason
from planner.gui import flows
from planner.gui.calendars import CalendarsState, moment, state_text
from planner.gui.main_window import MainWindow
from planner.i18n import set_language
from planner.store import Store
from tests.gui.conftest import AT, open_window, publish_to

C2D1 = date(2027, 3, 30)
"""Anne's second pembrolizumab (off Easter Monday the 29th)."""


def fetch(url: str) -> tuple[int, bytes]:
    """GET without any credentials, as a calendar program subscribed by the link."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def event_days(data: bytes) -> set[date]:
    calendar = icalendar.Calendar.from_ical(data)
    days = set()
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        days.add(start.date() if isinstance(start, datetime) else start)
    return days


def anne(window: MainWindow) -> str:
    """Anne's plan shown; her patient id."""
    window.search.setText("Anne")
    window.patients.selectRow(0)
    ps = window.current_schedule()
    assert ps is not None
    return ps.plan.patient.id


def publish_anne(window: MainWindow, qtbot: QtBot) -> str:
    """Anne's calendar published and sent by the window's publisher; her link."""
    assert window.unit is not None
    store = window.unit.store
    patient_id = anne(window)
    token = new_token()
    store.calendars.create(patient_id, token, detail="minimal", author="t", at=AT)
    window.calendars.send_now({patient_id})
    qtbot.waitUntil(lambda: store.calendars.waiting() == 0, timeout=20000)
    server = window.calendars.server
    assert server is not None
    return server.subscription(token)


def delay_c2d1(window: MainWindow) -> None:
    """A week's delay of Anne's C2D1, as the Plan menu records it (one undoable change)."""
    ps = window.current_schedule()
    assert ps is not None
    session = next(s for s in ps.sessions if s.date == C2D1 and s.doses)
    change = Delay(session.key, C2D1 + timedelta(days=7), DelayReason.TOXICITY)
    assert flows.apply_change(window, change) is flows.Outcome.SAVED


def test_a_delay_made_in_the_window_reaches_the_patients_link_by_itself(
    calendar_window: MainWindow, qtbot: QtBot
) -> None:
    window = calendar_window
    url = publish_anne(window, qtbot)
    status, data = fetch(url)
    assert status == 200
    assert C2D1 in event_days(data)
    assert date(2027, 4, 6) not in event_days(data)
    delay_c2d1(window)
    assert window.unit is not None
    store = window.unit.store
    assert store.calendars.waiting() > 0
    qtbot.waitUntil(lambda: store.calendars.waiting() == 0, timeout=20000)
    days = event_days(fetch(url)[1])
    assert date(2027, 4, 6) in days
    assert C2D1 not in days
    qtbot.waitUntil(lambda: window.calendars.label.text() == "Calendars up to date")


def test_an_outage_is_said_and_every_change_arrives_once_the_server_is_back(
    calendar_window: MainWindow, qtbot: QtBot, radicale: Any
) -> None:
    window = calendar_window
    label = window.calendars.label
    url = publish_anne(window, qtbot)
    qtbot.waitUntil(lambda: label.text() == "Calendars up to date")
    radicale.stop()
    delay_c2d1(window)
    # Said at once, before any round: the change waits for the server.
    assert re.fullmatch(r"\d+ changes? waiting for the calendar server", label.text())
    # AT is 09:00 UTC, 10:00 in Paris: the time the window's clock gives every attempt.
    qtbot.waitUntil(lambda: label.text() == "Calendar server unreachable since 10:00")
    assert "cannot be reached: the connection was refused or cut" in label.toolTip()
    assert url.rsplit("/", 2)[1] not in label.toolTip()  # the link's secret is never said
    radicale.start()
    qtbot.waitUntil(lambda: label.text() == "Calendars up to date", timeout=20000)
    assert window.unit is not None
    assert window.unit.store.calendars.waiting() == 0
    days = event_days(fetch(url)[1])
    assert date(2027, 4, 6) in days
    assert C2D1 not in days


def test_a_refused_account_stops_the_publisher_and_is_said_once(
    qtbot: QtBot,
    unit_db: Path,
    catalog: Catalog,
    gui_settings: object,
    radicale: Any,
    quick_rounds: None,
) -> None:
    radicale.start()
    settings = publish_to(unit_db, radicale, password="not-the-password")
    with Store.open(unit_db) as store:
        patient_id = store.patient("HN-0001").id
        store.calendars.create(patient_id, new_token(), detail="full", author="t", at=AT)
    said: list[str] = []
    window = open_window(qtbot, unit_db, catalog, gui_settings, "coordinator")
    try:
        window.statusBar().messageChanged.connect(
            lambda text: said.append(text) if "refused" in text else None
        )
        label = window.calendars.label
        qtbot.waitUntil(lambda: label.text() == "Calendar server: the account was refused")
        assert window.calendars.worker is None  # stopped: every round would be refused
        anne(window)
        delay_c2d1(window)  # a change made meanwhile: nothing tries again
        assert label.text() == "Calendar server: the account was refused"
        assert said == [
            f"The calendar server {settings.url} refused the user name planner or its "
            "password (or the account may not write there)"
        ]
        assert label.toolTip() == said[0][:1].lower() + said[0][1:]
        # The right password typed: it starts again and sends what waited.
        from planner.store.passwords import use_secret_for_session

        use_secret_for_session(settings.key, radicale.password)
        window.calendars.restart()
        qtbot.waitUntil(lambda: label.text() == "Calendars up to date", timeout=20000)
        assert window.unit is not None
        assert window.unit.store.calendars.waiting() == 0
        assert len(said) == 1
    finally:
        window.close()


def test_the_window_closes_at_once_with_the_publisher_running(
    calendar_window: MainWindow, qtbot: QtBot
) -> None:
    window = calendar_window
    publish_anne(window, qtbot)
    worker = window.calendars.worker
    assert worker is not None
    assert worker.is_alive()
    window.calendars.send_now({anne(window)})  # a round asked for, maybe under way
    window.close()  # waits for the thread, a second at most
    assert not worker.is_alive()
    assert window.calendars.worker is None
    assert not [t for t in threading.enumerate() if t.name == "calendar publisher"]


def test_no_calendar_server_no_word_and_no_thread(window: MainWindow) -> None:
    assert window.calendars.worker is None
    assert not window.calendars.label.isVisibleTo(window)
    assert window.calendars.label.text() == ""


def test_without_the_password_nothing_is_sent_and_the_window_says_why(
    qtbot: QtBot,
    unit_db: Path,
    catalog: Catalog,
    gui_settings: object,
    radicale: Any,
    quick_rounds: None,
) -> None:
    settings = publish_to(unit_db, radicale)
    from planner.store.passwords import forget_secret

    forget_secret(settings.key)
    window = open_window(qtbot, unit_db, catalog, gui_settings, "coordinator")
    try:
        assert window.calendars.worker is None
        label = window.calendars.label
        assert label.isVisibleTo(window)
        assert label.text() == "Calendars not sent: no password for the calendar server"
    finally:
        window.close()


def test_the_status_words() -> None:
    now = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
    assert state_text(CalendarsState(), now) == ("Calendars up to date", "")
    assert state_text(CalendarsState(waiting=1), now)[0] == (
        "1 change waiting for the calendar server"
    )
    assert state_text(CalendarsState(waiting=3), now)[0] == (
        "3 changes waiting for the calendar server"
    )
    text, more = state_text(
        CalendarsState(2, datetime(2027, 3, 1, 8, 5, tzinfo=UTC), "it did not answer"), now
    )
    assert text == "Calendar server unreachable since 09:05"
    assert more == "it did not answer\n2 changes waiting for the calendar server"
    # Since an earlier day: the day too.
    assert moment(datetime(2027, 2, 26, 8, 5, tzinfo=UTC), now) == "Fri 26 Feb 2027 09:05"
    set_language("fr")
    assert moment(datetime(2027, 2, 26, 8, 5, tzinfo=UTC), now) == "ven. 26 févr. 2027 09:05"
