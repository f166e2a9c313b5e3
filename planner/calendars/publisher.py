"""Patients' calendars published on the unit's CalDAV server (RFC 4791), with the ``caldav``
client library: what the patient subscribes to by a link, kept up to date by itself.

Each published patient has one calendar collection, ``<server>/<token>/``, named by at least
128 random bits (:func:`new_token`), never by a name, hospital number or plan. Its events
are exactly the patient's calendar export (:func:`planner.export.calendar.patient_calendar`):
the same UIDs and SEQUENCE (the export's state is shared, so a file sent before and the
subscription agree), the cancelled events, the patient's language, the link's privacy level
(minimal by default), the reminders and the booked times. Each event is one resource of the
collection; the server answers a plain GET of the collection with the whole calendar, which
is the subscription link (read without a password: see docs/calendar-server.md).

Changes reach the server through the unit's outbox (:mod:`planner.store.calendar_links`): a
patient's waiting changes are taken off only once the server has every event that changed;
on a failure everything stays waiting, and the next try comes after a growing wait
(:func:`backoff`). Only events whose content changed are sent again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from planner.core.plan_schedule import schedule_of
from planner.core.port import PortRule
from planner.export.calendar import (
    Detail,
    ExportOptions,
    patient_calendar,
    state_from_json,
    state_to_json,
)
from planner.export.ics import calendar_head, write_calendar
from planner.export.saving import plan_bookings
from planner.i18n import N_, Message, _
from planner.store import Store
from planner.store.calendar_links import CalendarLink, Due
from planner.store.passwords import secret_for

TOKEN_BYTES = 24
"""192 random bits in each collection's name (the issue asks for at least 128)."""
PASSWORD_VARIABLE = "PLANNER_CALENDAR_PASSWORD"
"""Where the command line finds the server's password when no keyring keeps it (as libpq
reads PGPASSWORD); never written anywhere by the planner."""
TIMEOUT_SECONDS = 15
CALENDAR_TYPE = "text/calendar; charset=utf-8"
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)

_log = logging.getLogger(__name__)


class CalendarServerError(Exception):
    """The calendar server could not take the calendar; said in the user's language."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.template)
        self.message = message

    def __str__(self) -> str:
        return self.message.render()


class Refused(CalendarServerError):
    """The server refused the planner's account (401, 403): trying again will not help
    until the settings or the password change."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Where the unit publishes: the folder of the patients' calendars on its server."""

    url: str
    """``https://calendars.hopital.fr/public/``: each patient's calendar is a collection in
    it; ends with "/"."""
    user: str
    verify_tls: bool = True
    """Check the server's certificate (off only for a test server with its own)."""

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        # Said in the user's language: the window shows it beside the field.
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise ValueError(
                _(
                    "the calendar server's address starts with https:// and names a host, "
                    "not '{url}'"
                ).format(url=self.url)
            )
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError(
                _("the calendar server's address has no user, password, query or fragment")
            )
        if not self.url.endswith("/"):
            object.__setattr__(self, "url", self.url + "/")
        if not self.user.strip() or ":" in self.user:
            raise ValueError(_("the calendar server's user name is not empty and has no colon"))

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "user": self.user, "verify_tls": self.verify_tls}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ServerSettings:
        return cls(str(data["url"]), str(data["user"]), bool(data.get("verify_tls", True)))

    @property
    def key(self) -> str:
        """The keyring's name for the account's password."""
        return f"caldav:{self.user}@{urlsplit(self.url).netloc}{urlsplit(self.url).path}"

    def subscription(self, token: str) -> str:
        """The patient's link: their collection's address."""
        return f"{self.url}{token}/"

    def password(self) -> str | None:
        """The account's password: typed this session, kept in the keyring, or in
        ``PLANNER_CALENDAR_PASSWORD``; None when there is none."""
        return secret_for(self.key) or os.environ.get(PASSWORD_VARIABLE) or None


def unit_server(store: Store) -> ServerSettings | None:
    """The unit's calendar server, None when none is set."""
    saved = store.calendars.server()
    return None if saved is None else ServerSettings.from_json(saved)


def new_token() -> str:
    """A collection's name: :data:`TOKEN_BYTES` random bytes, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after ``attempts`` failures in a row: 30 s, doubled
    each time, an hour at most."""
    wait: timedelta = FIRST_WAIT * (2 ** min(max(0, attempts - 1), 16))
    return min(wait, LONGEST_WAIT)


def resource_name(uid: str) -> str:
    """An event's resource in its collection: its UID and ``.ics``, as a server that takes
    a whole calendar at once names them (Radicale), so that events sent one by one later
    replace those; a digest of the UID for a UID with other characters (none of ours)."""
    if _SAFE_UID.fullmatch(uid):
        return f"{uid}.ics"
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40] + ".ics"


_SAFE_UID = re.compile(r"[A-Za-z0-9][A-Za-z0-9@._-]{0,200}")


# ---------------------------------------------------------------------- the server
class Connection:
    """The planner's account on the calendar server (a ``caldav.DAVClient``)."""

    def __init__(self, settings: ServerSettings, password: str | None = None) -> None:
        from caldav.davclient import DAVClient  # 0.3 s to import: only when publishing

        self.settings = settings
        secret = password if password is not None else settings.password()
        if not secret:
            raise Refused(
                Message(
                    N_(
                        "no password for {user} on the calendar server {url}: type it in the "
                        "settings (or set {variable})"
                    ),
                    {"user": settings.user, "url": settings.url, "variable": PASSWORD_VARIABLE},
                )
            )
        self._client = DAVClient(
            url=settings.url,
            username=settings.user,
            password=secret,
            ssl_verify_cert=settings.verify_tls,
            timeout=TIMEOUT_SECONDS,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def collection(self, token: str) -> str:
        return self.settings.subscription(token)

    def check(self) -> None:
        """The server answers and takes the account ("test the connection")."""
        status = self._call("PROPFIND", self.settings.url, depth=0)
        if status not in (200, 207):
            raise self._failure(status, self.settings.url)

    def make(self, token: str, name: str) -> None:
        """Create the patient's collection (nothing when it is there already)."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            "<D:set><D:prop><D:displayname>"
            f"{_xml_text(name)}"
            "</D:displayname></D:prop></D:set></C:mkcalendar>"
        )
        url = self.collection(token)
        status = self._call("MKCALENDAR", url, body)
        # The collection exists: 405 as for MKCOL (RFC 4918, 9.3.1), or 409 from Radicale (as
        # after queue_all(), which forgets what the server holds). A 409 for a missing parent
        # folder is caught by the first PUT, which then fails too.
        if status not in (200, 201, 405, 409):
            raise self._failure(status, url)

    def put_whole(self, token: str, body: bytes) -> bool:
        """Put the whole calendar at once, in place of what the collection held (made if
        missing): one request instead of one per event. False when the server does not do
        that (it is not in CalDAV; Radicale does): the caller sends the events one by one."""
        url = self.collection(token)
        status = self._call("PUT", url, body, headers={"Content-Type": CALENDAR_TYPE})
        if status == 401:
            raise self._failure(status, url)
        return status in (200, 201, 204)

    def put(self, token: str, uid: str, body: bytes) -> bool:
        """Put one event; False when the collection is missing (made again by the caller)."""
        url = self.collection(token) + resource_name(uid)
        status = self._call(
            "PUT", url, body, headers={"Content-Type": "text/calendar; charset=utf-8"}
        )
        if status in (404, 409):
            return False
        if status not in (200, 201, 204):
            raise self._failure(status, url)
        return True

    def delete(self, token: str, uid: str | None = None) -> None:
        """Remove one event, or the whole collection (gone already: fine)."""
        url = self.collection(token) + ("" if uid is None else resource_name(uid))
        status = self._call("DELETE", url)
        if status not in (200, 204, 404):
            raise self._failure(status, url)

    def _call(
        self,
        method: str,
        url: str,
        body: str | bytes = "",
        *,
        depth: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> int:
        from caldav.lib import error

        sent = dict(headers or {})
        if depth is not None:
            sent["Depth"] = str(depth)
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        try:
            response = self._client.request(url, method, text, sent)
        except error.AuthorizationError:
            raise self._failure(401, url) from None
        except error.DAVError as exc:
            raise CalendarServerError(
                Message(
                    N_("the calendar server {url} answered with an error: {error}"),
                    {"url": self.settings.url, "error": _short(exc)},
                )
            ) from None
        except Exception as exc:  # the HTTP library's connection errors, timeouts, TLS
            raise CalendarServerError(
                Message(
                    N_("the calendar server {url} cannot be reached: {error}"),
                    {"url": self.settings.url, "error": _unreachable(exc)},
                )
            ) from None
        return int(response.status)

    def _failure(self, status: int, url: str) -> CalendarServerError:
        if status in (401, 403):
            return Refused(
                Message(
                    N_(
                        "the calendar server {url} refused the user name {user} or its "
                        "password (or the account may not write there)"
                    ),
                    {"url": self.settings.url, "user": self.settings.user},
                )
            )
        return CalendarServerError(
            Message(
                N_("the calendar server {url} answered {status} for {method}"),
                {"url": self.settings.url, "status": status, "method": urlsplit(url).path},
            )
        )


def _unreachable(exc: BaseException) -> str:
    """Why the server could not be reached, in words: never the library's own text, which
    holds the address asked for (a patient's collection: the link's secret)."""
    text = f"{type(exc).__name__} {exc}".lower()
    if "ssl" in text or "certificate" in text:
        return _("its certificate could not be checked")
    if "timeout" in text or "timed out" in text:
        return _("it did not answer within {seconds} seconds").format(seconds=TIMEOUT_SECONDS)
    if "resolution" in text or "name or service" in text or "getaddrinfo" in text:
        return _("its host name is not known")
    if "refused" in text or "newconnectionerror" in text or "connection" in text:
        return _("the connection was refused or cut")
    return type(exc).__name__


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------- what is sent
@dataclass(frozen=True, slots=True)
class PatientCalendar:
    """A patient's calendar as it is now: each event's resource and digest, and each plan's
    export state to keep."""

    name: str
    bodies: dict[str, bytes]
    """Each event's resource: the calendar with that one event."""
    whole: bytes
    """The calendar with every event (for a server that takes it at once)."""
    digests: dict[str, str]
    states: dict[str, dict[str, Any]]


def patient_calendar_now(
    store: Store,
    link: CalendarLink,
    *,
    port_rules: tuple[PortRule, ...],
    at: datetime,
) -> PatientCalendar:
    """Every plan's events of the patient, as their calendar export gives them."""
    patient = store.patient(link.patient_id)
    plans = store.plans(patient)
    settings = store.settings()
    options = ExportOptions(language=patient.language, detail=Detail(link.detail))
    previous = store.calendars.states([p.id for p in plans])
    bodies: dict[str, bytes] = {}
    digests: dict[str, str] = {}
    states: dict[str, dict[str, Any]] = {}
    name = ""
    head: tuple[bytes, bytes] | None = None
    vevents: list[bytes] = []
    for plan in plans:
        scheduled = schedule_of(plan, port_rules)
        export = patient_calendar(
            scheduled,
            settings=settings,
            options=options,
            exported_at=at,
            previous=state_from_json(previous.get(plan.id, {})),
            bookings=plan_bookings(store, scheduled),
        )
        name = export.name
        if head is None:
            head = _resource_head(export.name)
        for uid, vevent in export.vevents:
            bodies[uid] = head[0] + vevent + head[1]
            vevents.append(vevent)
            published = export.state[uid]
            digests[uid] = f"{published.sequence}:{published.fingerprint}"
        states[plan.id] = state_to_json(export.state)
    start, end = head if head is not None else _resource_head(name)
    whole = start + b"".join(vevents) + end
    return PatientCalendar(name, bodies, whole, digests, states)


def _resource_head(name: str) -> tuple[bytes, bytes]:
    """What comes before and after one event in its resource: the calendar with its time
    zone, without METHOD (RFC 4791 forbids it in a stored calendar object)."""
    head = calendar_head(name)
    del head["METHOD"]
    start, end = write_calendar(head, [])
    return start, end


# ---------------------------------------------------------------------- publishing
@dataclass
class Report:
    """What a round of publishing did."""

    sent: list[str] = field(default_factory=list)
    """Patients whose calendar the server now has as it is."""
    events: int = 0
    """Events put or removed."""
    removed: int = 0
    """Collections of renewed or stopped links removed."""
    failed: dict[str, str] = field(default_factory=dict)
    """Patients left waiting, and why."""


def publish_patient(
    store: Store,
    connection: Connection,
    due: Due,
    *,
    port_rules: tuple[PortRule, ...],
    at: datetime,
    author: str,
) -> int:
    """Send the patient's calendar as it now is; how many events went. Raises
    :class:`CalendarServerError` (nothing taken off the outbox)."""
    link = store.calendars.link(due.patient_id)
    if link is None or link.token != due.token:
        return 0  # stopped or renewed meanwhile: its own due comes
    now = patient_calendar_now(store, link, port_rules=port_rules, at=at)
    held = dict(link.items)
    if not held:  # a first publication, a new link, or a new server: the calendar whole
        if connection.put_whole(link.token, now.whole):
            store.calendars.published(due, items=now.digests, states=now.states, by=author, at=at)
            return len(now.bodies)
        connection.make(link.token, now.name)
    sent = 0
    for uid, body in now.bodies.items():
        if held.get(uid) == now.digests[uid]:
            continue
        if not connection.put(link.token, uid, body):  # the collection went (a restore)
            connection.make(link.token, now.name)
            held = {}
            if not connection.put(link.token, uid, body):
                raise CalendarServerError(
                    Message(
                        N_("the calendar server {url} does not keep the patient's calendar"),
                        {"url": connection.settings.url},
                    )
                )
        sent += 1
    for uid in set(held) - set(now.bodies):
        connection.delete(link.token, uid)
        sent += 1
    store.calendars.published(due, items=now.digests, states=now.states, by=author, at=at)
    return sent


def publish_due(
    store: Store,
    connection: Connection,
    *,
    port_rules: tuple[PortRule, ...],
    now: Callable[[], datetime],
    author: str,
    patient_ids: Iterable[str] | None = None,
    stop: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Send every patient's waiting changes whose next try has come (or those of
    ``patient_ids``, at once), and remove the collections of renewed or stopped links. A
    refused account stops the round (every other patient would be refused too); a failure
    for one patient leaves it waiting, with its next try, and goes on."""
    report = Report()
    for token, _patient in store.calendars.retired():
        connection.delete(token)
        store.calendars.removed(token)
        report.removed += 1
    wanted = set(patient_ids) if patient_ids is not None else None
    due = store.calendars.due(now(), wanted)
    for done, item in enumerate(due):
        if stop is not None and stop.is_set():
            break
        at = now()
        try:
            report.events += publish_patient(
                store, connection, item, port_rules=port_rules, at=at, author=author
            )
        except Refused:
            raise
        except CalendarServerError as exc:
            link = store.calendars.link(item.patient_id)
            attempts = (link.attempts if link is not None else 0) + 1
            store.calendars.failed(item, error=str(exc), at=at, next_try=at + backoff(attempts))
            report.failed[item.patient_id] = str(exc)
            _log.warning("calendar of patient %s not published: %s", item.patient_id, exc)
        else:
            report.sent.append(item.patient_id)
        if progress is not None:
            progress(done + 1, len(due))
    if report.sent or report.failed:
        _log.info(
            "calendars: %d published (%d events), %d waiting after a failure, %d removed",
            len(report.sent),
            report.events,
            len(report.failed),
            report.removed,
        )
    return report
