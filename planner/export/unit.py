"""The unit's sessions for coordinators: an iCalendar file and a CSV table of a date range.

One event (one row) per session: the patient's initials, the regimen, the cycle and day,
the chair and time when the session is booked. The file is written in pieces, one event at
a time, so a unit's 100,000 sessions never sit in memory as one calendar. Each session's
UID is a uuid5 of its plan and its place in the plan; its SEQUENCE is the number of changes
in the plan's ledger, which only grows, so a new export updates what an earlier one put in
a coordinator's calendar.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from planner.core.booking import Booking
from planner.core.plan_schedule import PlanSchedule
from planner.core.schedule import Session, SessionKey, SessionStatus
from planner.core.settings import UnitSettings
from planner.core.text_fields import shown
from planner.explain import cycle_day, initials, session_agents
from planner.export.calendar import unit_place
from planner.export.ics import Entry, calendar_head, event_uid, vevent, write_calendar
from planner.i18n import _, format_date, language
from planner.spreadsheet import Cell, csv_lines

UNIT_NAMESPACE = uuid.UUID("cff94fb5-d47f-4a6b-b3cf-4e8d1d07dc64")
"""Fixed forever, and distinct from the patients' calendars."""


@dataclass(frozen=True, slots=True)
class UnitSession:
    """One session of the unit, as a coordinator's export shows it."""

    plan_id: str
    initials: str
    regimen_id: str
    """What coordinators type and read in a busy list (``mfolfox6-q14``)."""
    regimen: str
    phase: str
    session: Session
    drugs: str
    sequence: int
    booking: Booking | None = None


def unit_sessions(
    schedules: Iterable[PlanSchedule],
    first: date,
    last: date,
    bookings: Mapping[tuple[str, SessionKey], Booking] | None = None,
) -> list[UnitSession]:
    """The sessions from ``first`` to ``last`` of every plan, by date, time and patient, in
    the current language."""
    lang = language()
    bookings = bookings or {}
    found = []
    for scheduled in schedules:
        plan = scheduled.plan
        regimen = plan.regimen
        who = initials(plan.patient)
        for session in scheduled.sessions:
            if not first <= session.date <= last:
                continue
            found.append(
                UnitSession(
                    plan_id=plan.id,
                    initials=who,
                    regimen_id=regimen.id,
                    regimen=regimen.name.get(lang),
                    phase=regimen.phases[session.phase - 1].name.get(lang),
                    session=session,
                    drugs=session_agents(session),
                    sequence=len(plan.ledger),
                    booking=_on_its_day(bookings.get((plan.id, session.key)), session),
                )
            )
    found.sort(
        key=lambda s: (
            s.session.date,
            s.booking.start.isoformat() if s.booking else "",
            s.initials,
            s.plan_id,
            s.session.key,
        )
    )
    return found


def _on_its_day(booking: Booking | None, session: Session) -> Booking | None:
    """A booking made before the session moved gives it no time: it is to be redone."""
    if booking is None or booking.day not in (None, session.date):
        return None
    return booking


def _status(session: Session) -> str:
    status = session.status
    if status is SessionStatus.GIVEN:
        return _("given")
    if status is SessionStatus.OMITTED:
        return _("omitted")
    return _("planned")


def _where(booking: Booking | None) -> str:
    if booking is None or not booking.chair:
        return ""
    return _("chair {chair}").format(chair=shown(booking.chair))


def _entry(row: UnitSession, place: str) -> Entry:
    session = row.session
    start: date | datetime
    end: date | datetime
    if row.booking is not None:
        start, end = row.booking.span(session)
    else:
        start, end = session.date, session.date + timedelta(days=1)
    summary = _("{patient} — {regimen}, {session}").format(
        patient=row.initials, regimen=row.regimen_id, session=cycle_day(session.cycle, session.day)
    )
    chair = _where(row.booking)
    if chair:
        summary = f"{summary} ({chair})"
    details = [
        row.regimen,
        _("Phase: {phase}").format(phase=row.phase),
        _("Drugs: {drugs}").format(drugs=row.drugs or "—"),
        _("Status: {status}").format(status=_status(session)),
    ]
    if session.moved:
        details.append(_("Planned on {date}").format(date=format_date(session.planned)))
    return Entry(
        identity=f"session/{row.plan_id}/{'/'.join(map(str, session.key))}",
        start=start,
        end=end,
        summary=summary,
        description="\n".join(details),
        location=place,
        category="session",
        cancelled=not session.doses,
    )


def unit_calendar(
    rows: Iterable[UnitSession], *, settings: UnitSettings, exported_at: datetime, name: str
) -> Iterator[bytes]:
    """The unit's sessions as an iCalendar file, in pieces (see :func:`write_atomically`)."""
    if exported_at.tzinfo is None:
        raise ValueError("the export time must carry its time zone")
    stamp = exported_at.astimezone(UTC)
    place = unit_place(settings)
    events = (
        vevent(
            entry := _entry(row, place),
            event_uid(UNIT_NAMESPACE, row.plan_id, entry.identity),
            row.sequence,
            stamp,
        )
        for row in rows
    )
    return write_calendar(calendar_head(name), events)


def unit_csv(rows: Iterable[UnitSession]) -> Iterator[bytes]:
    """The unit's sessions as CSV (UTF-8 with a byte-order mark so spreadsheets read the
    accents; ";" between columns in French, as French spreadsheets expect)."""
    head = [
        _("date"),
        _("start"),
        _("end"),
        _("chair"),
        _("patient"),
        _("regimen"),
        _("phase"),
        _("cycle"),
        _("day"),
        _("drugs"),
        _("status"),
    ]
    return csv_lines(head, _unit_rows(rows), delimiter=";" if language() == "fr" else ",")


def _unit_rows(rows: Iterable[UnitSession]) -> Iterator[list[Cell]]:
    for row in rows:
        session, booking = row.session, row.booking
        begin, end = booking.span(session) if booking is not None else (None, None)
        yield [
            session.date.isoformat(),
            begin.strftime("%H:%M") if begin else "",
            end.strftime("%H:%M") if end else "",
            booking.chair if booking is not None else "",
            row.initials,
            row.regimen_id,
            row.phase,
            session.cycle,
            session.day,
            row.drugs,
            _status(session),
        ]
