"""Patients' live calendars sent to the unit's calendar server while the unit is open.

A thread of its own (:class:`Publishing`, one per open unit) sends what the database's
outbox holds (planner.calendars.publisher.publish_due) with a database connection of its own:
a few seconds after a change made in this window (several changes, one round), and every
:data:`ROUND_SECONDS` otherwise, for other coordinators' changes and for the patients whose
next try has come (the store's backoff decides whom). One round at a time: a thread waits for
the one before it to end. When the server could not be reached, each round asks it whether it
is back (one request); once it is, every waiting patient is sent at once, their backoff or
not.

The thread runs only while the unit has a calendar server and this computer has its password.
A refused account ends it, said once in the status bar: trying again would be refused again,
until the server's settings or password change (:meth:`CalendarPublisher.restart`). Closing
the unit or the window sets the thread's ``stop`` event and waits for it: it stops between two
patients. A request already sent to a server that does not answer ends by its own timeout
(15 s); the window does not wait for it, and the thread, a daemon, never starts another.

The status bar's right end says the unit's state: up to date, changes waiting, the server
unreachable since when, the account refused; nothing when the unit has no calendar server.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from planner.gui.desk import Desk
from planner.gui.plain import tip
from planner.i18n import _, ngettext

if TYPE_CHECKING:
    from planner.calendars.publisher import ServerSettings
    from planner.gui.unit import Unit
    from planner.store import Store

ROUND_SECONDS = 30.0
"""A round every so often, whatever this window did (the tests make it shorter)."""
SOON_MS = 3000
"""A change made in this window is sent this long after the last of a series."""
STOP_SECONDS = 1.0
"""How long closing waits for the thread (it stops between two patients)."""

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CalendarsState:
    """The unit's published calendars, as the status bar says them."""

    waiting: int = 0
    """Changes recorded that the server has not taken yet."""
    unreachable_since: datetime | None = None
    error: str = ""
    """Why the server could not be reached, or why the calendars were not sent."""
    refused: str = ""
    """The server refused the account (its words): the thread has stopped."""
    no_password: bool = False
    """This computer has no password for the server's account: nothing is sent."""


def moment(at: datetime, now: datetime) -> str:
    """When something happened, in the unit's time: "14:32" today, else the day and time."""
    from planner.i18n import format_date
    from planner.store.codec import UNIT_ZONE

    local = at.astimezone(UNIT_ZONE)
    if local.date() == now.astimezone(UNIT_ZONE).date():
        return f"{local:%H:%M}"
    return f"{format_date(local.date())} {local:%H:%M}"


def state_text(state: CalendarsState, now: datetime) -> tuple[str, str]:
    """What the status bar says of ``state``, and its tooltip."""
    waiting = ngettext(
        "{n} change waiting for the calendar server",
        "{n} changes waiting for the calendar server",
        state.waiting,
    ).format(n=state.waiting)
    if state.refused:
        return _("Calendar server: the account was refused"), state.refused
    if state.no_password:
        return _("Calendars not sent: no password for the calendar server"), waiting
    if state.unreachable_since is not None:
        text = _("Calendar server unreachable since {moment}").format(
            moment=moment(state.unreachable_since, now)
        )
        return text, "\n".join(t for t in (state.error, waiting) if t)
    if state.error:
        return _("Calendars not sent"), state.error
    if state.waiting:
        return waiting, ""
    return _("Calendars up to date"), ""


class _Bridge(QObject):
    """What the thread tells the window (its signals are delivered on the window's thread).
    It has no parent: the thread keeps it while it runs, even after the window has gone."""

    state = Signal(object)


class Publishing:
    """The thread sending the unit's waiting calendars (see the module's docstring)."""

    def __init__(
        self,
        where: str,
        server: ServerSettings,
        password: str,
        *,
        clock: Callable[[], datetime],
        author: str,
        port_rules: tuple[Any, ...],
        bridge: _Bridge,
        after: Publishing | None = None,
        every: float = ROUND_SECONDS,
    ) -> None:
        self.where = where
        self.server = server
        self.port_rules = port_rules
        """The unit's port rules (the window sets them again when they change)."""
        self.stop = threading.Event()
        self._password = password
        self._clock = clock
        self._author = author
        self._bridge = bridge
        self._after = after
        self._every = every
        self._wake = threading.Event()
        self._wake.set()  # the first round at once
        self._lock = threading.Lock()
        self._asked: set[str] = set()
        self._down = False
        self._since: datetime | None = None
        self._error = ""
        self._thread = threading.Thread(target=self._run, name="calendar publisher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def ask(self, patient_ids: set[str] | None = None) -> None:
        """A round now (from any thread); ``patient_ids`` are sent whatever their backoff."""
        with self._lock:
            self._asked |= patient_ids or set()
        self._wake.set()

    def end(self, wait: float = STOP_SECONDS) -> bool:
        """Stop; True once the thread has ended (within ``wait`` seconds)."""
        self.stop.set()
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(wait)
        return not self._thread.is_alive()

    # ------------------------------------------------------------ the thread
    def _run(self) -> None:
        from planner.calendars.publisher import Refused
        from planner.i18n import error_text
        from planner.store import Store

        if self._after is not None:
            self._after._thread.join()  # never two rounds at once
        try:
            store = Store.open(self.where, checked=True)
            self._down, self._since, self._error = _failing(store)
        except Exception as exc:
            self._tell(CalendarsState(error=error_text(exc)))
            return
        try:
            while True:
                self._wake.wait(self._every)
                if self.stop.is_set():
                    return
                self._wake.clear()
                with self._lock:
                    asked, self._asked = self._asked, set()
                problem = ""
                try:
                    self._round(store, asked)
                except Refused as exc:
                    self._tell(CalendarsState(_waiting(store), refused=str(exc)))
                    return
                except Exception as exc:  # the database, the unit's telephone removed...
                    problem = error_text(exc)
                if self.stop.is_set():
                    return
                try:
                    self._tell(self._state(store, problem))
                except Exception as exc:  # the database cannot be read: the window says so
                    _log.warning("calendars' state not read: %s", type(exc).__name__)
        finally:
            store.close()

    def _round(self, store: Store, asked: set[str]) -> None:
        """Send what is due (and ``asked`` whatever its backoff); raises Refused."""
        from planner.calendars.publisher import (
            CalendarServerError,
            Connection,
            Refused,
            publish_due,
        )

        calendars = store.calendars
        if not (asked or self._down or calendars.retired() or calendars.due(self._clock())):
            return
        with Connection(self.server, self._password) as connection:
            try:
                if self._down:
                    connection.check()
                    self._down, self._since, self._error = False, None, ""
                    # The server is back: everyone waiting now, not after their backoff.
                    asked |= {link.patient_id for link in calendars.links() if link.waiting}
                sent, failed = [], {}
                for wanted in ([asked] if asked else []) + [None]:
                    if self.stop.is_set():
                        return
                    report = publish_due(
                        store,
                        connection,
                        port_rules=self.port_rules,
                        now=self._clock,
                        author=self._author,
                        patient_ids=wanted,
                        stop=self.stop,
                    )
                    sent += report.sent
                    failed.update(report.failed)
                if failed and not sent:
                    connection.check()  # did it fail for them, or is the server away?
            except Refused:
                raise
            except CalendarServerError as exc:
                self._went_down(store, str(exc))

    def _went_down(self, store: Store, error: str) -> None:
        self._down, self._error = True, error
        if self._since is None:
            failing = [link.failing_since for link in store.calendars.links()]
            self._since = min((at for at in failing if at is not None), default=self._clock())

    def _state(self, store: Store, problem: str = "") -> CalendarsState:
        if self._down:
            return CalendarsState(_waiting(store), self._since, self._error)
        return CalendarsState(_waiting(store), error=problem)

    def _tell(self, state: CalendarsState) -> None:
        with contextlib.suppress(RuntimeError):  # the window has gone meanwhile
            self._bridge.state.emit(state)


def _waiting(store: Store) -> int:
    return store.calendars.waiting()


def _failing(store: Store) -> tuple[bool, datetime | None, str]:
    """Whether the server was unreachable when last tried (by this window or another), since
    when and why: the first round then asks it whether it is back."""
    failing = [
        (link.failing_since, link.last_error)
        for link in store.calendars.links()
        if link.failing_since is not None
    ]
    if not failing:
        return False, None, ""
    since, error = min(failing)
    return True, since, error


class CalendarPublisher(QObject):
    """Keeps the open unit's published calendars sent (see the module's docstring)."""

    state_changed = Signal(object)
    """The unit's :class:`CalendarsState` (after each round, or a change in this window)."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk.widget)
        self.desk = desk
        self.unit: Unit | None = None
        self.server: ServerSettings | None = None
        self.state: CalendarsState | None = None
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setVisible(False)
        desk.statusBar().addPermanentWidget(self.label)
        self._worker: Publishing | None = None
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self._on_soon_timeout)

    @property
    def worker(self) -> Publishing | None:
        """The thread sending the calendars, while one runs."""
        return self._worker if self._worker is not None and self._worker.is_alive() else None

    def start(self, unit: Unit) -> None:
        """Publish ``unit``'s calendars (the one the desk just opened)."""
        self.stop()
        self.unit = unit
        for signal in (unit.plan_changed, unit.patient_changed, unit.bookings_changed):
            signal.connect(lambda *_args, unit=unit: self._on_unit_changed(unit))
        unit.settings_changed.connect(lambda unit=unit: self._on_unit_settings_changed(unit))
        self.restart()

    def restart(self) -> None:
        """Start again with the unit's server and password as they are now (after they were
        changed, or the account was refused)."""
        from planner.calendars.publisher import unit_server

        previous = self._end_worker()
        unit = self.unit
        if unit is None:
            return
        try:
            server = self.server = unit_server(unit.store)
        except Exception as exc:  # the database cannot be read: the watcher says so
            _log.warning("the calendar server could not be read: %s", type(exc).__name__)
            return
        if server is None:
            self._show(None)
            return
        password = server.password()
        if not password:
            self._show(CalendarsState(self._waiting(), no_password=True))
            return
        bridge = _Bridge()
        worker = self._worker = Publishing(
            unit.store.location.url,
            server,
            password,
            clock=unit.now,
            author=unit.author,
            port_rules=unit.catalog.port_rules,
            bridge=bridge,
            after=previous,
            every=ROUND_SECONDS,
        )
        bridge.state.connect(lambda state: self._on_worker_state(worker, state))
        self._show(CalendarsState(self._waiting()))
        worker.start()

    def send_now(self, patient_ids: set[str] | None = None) -> None:
        """A round at once: these patients' calendars (a link just given or renewed) are
        sent whatever their backoff; the calendars of stopped links are removed."""
        self._soon.stop()
        if self._worker is not None:
            self._worker.ask(patient_ids)

    def stop(self) -> None:
        """Stop publishing (the unit closes, or the window): the thread ends."""
        self._soon.stop()
        self._end_worker()
        self.unit = None
        self.server = None
        self._show(None)

    def _end_worker(self) -> Publishing | None:
        """End the thread; the thread itself when it is still waiting for the server (the
        next one waits for it), else None."""
        worker, self._worker = self._worker, None
        if worker is None or worker.end():
            return None
        _log.warning("the calendar publisher waits for the server's answer before it stops")
        return worker

    def _waiting(self) -> int:
        try:
            return self.unit.store.calendars.waiting() if self.unit is not None else 0
        except Exception:
            return 0

    def _show(self, state: CalendarsState | None) -> None:
        self.state = state
        if state is None:
            self.label.clear()
            self.label.setVisible(False)
            return
        now = self.unit.now() if self.unit is not None else datetime.now(UTC)
        text, more = state_text(state, now)
        self.label.setText(text)
        self.label.setToolTip(tip(more))
        self.label.setVisible(True)
        self.state_changed.emit(state)

    # ------------------------------------------------------------ slots
    def _on_unit_changed(self, unit: Unit) -> None:
        """A change in this window: say it waits, and send it soon (one round a series)."""
        if unit is not self.unit or self._worker is None:
            return
        state = self.state
        if state is not None and not (state.refused or state.unreachable_since or state.error):
            self._show(CalendarsState(self._waiting()))
        self._soon.start(SOON_MS)

    def _on_unit_settings_changed(self, unit: Unit) -> None:
        """The unit's settings changed (here or by another coordinator): the thread takes
        its port rules, and another calendar server starts it again."""
        from planner.calendars.publisher import unit_server

        if unit is not self.unit:
            return
        try:
            server = unit_server(unit.store)
        except Exception:
            return
        if server != self.server:
            self.restart()
            return
        if self._worker is not None:
            self._worker.port_rules = unit.catalog.port_rules
        self._on_unit_changed(unit)

    def _on_soon_timeout(self) -> None:
        self.send_now()

    def _on_worker_state(self, worker: Publishing, state: CalendarsState) -> None:
        if worker is not self._worker:
            return  # a thread ended since (another unit, another server)
        if self._soon.isActive():  # read before a change made here since: it waits
            state = replace(state, waiting=max(state.waiting, self._waiting()))
        self._show(state)
        if state.refused:  # said once; the thread is ending: no other round until restart()
            self._end_worker()
            self.desk.statusBar().showMessage(state.refused[:1].upper() + state.refused[1:])
