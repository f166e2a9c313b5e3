"""A patient's treatment calendar as an iCalendar file that updates instead of duplicating.

Every event gets a UID that is a uuid5 of the plan and of the event's identity (what it is
and which session it belongs to: phase, cycle and day), never a random one, so a new export
of the same plan names the same appointments the same way. What a patient's calendar was
last given is kept with the plan (:class:`Published`, one per UID): an event whose content
changed (moved, renamed) keeps its UID and its SEQUENCE goes up, so calendar programs update
it; an event that left the plan (a dose omitted, a delay that moved a scan to another
session, a stopped plan) is exported with STATUS:CANCELLED and a higher SEQUENCE, so
calendars that have it drop it. It stays in later exports as cancelled, once, so a patient
who skipped an import still loses it. Only DTSTAMP (the export time, passed in) differs
between two exports of an unchanged plan.

Texts are written in the patient's language and say by default neither the drugs nor the
hospital number ("Day hospital — treatment session"); the ``full`` detail level adds the
regimen, the drugs, the cycle and the day. Nothing ever carries a birth date or a hospital
number.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from planner.core.booking import Booking
from planner.core.plan_schedule import BLOOD_TEST_CHECKS, PlanSchedule, is_before_c1
from planner.core.regimen import MonitoringKind, Regimen
from planner.core.schedule import Event, EventKind, Session, SessionKey
from planner.core.settings import UnitSettings
from planner.core.text_fields import shown
from planner.explain import duration_text, event_text, session_agents
from planner.export.contact import require_unit_phone
from planner.export.ics import (
    Entry,
    calendar_head,
    event_uid,
    from_iso,
    iso,
    vevent,
    write_calendar,
)
from planner.i18n import _, format_date, language, speaking

PATIENT_NAMESPACE = uuid.UUID("2d1d673f-ba24-48b1-86cc-4cc4b23d8f9c")
"""Fixed forever: changing it would give every exported event a new UID."""


class Detail(StrEnum):
    MINIMAL = "minimal"
    """What and where, without drug names: for a calendar others may glance at."""
    FULL = "full"
    """Adds the regimen, the drugs, the cycle and the day."""


@dataclass(frozen=True, slots=True)
class Published:
    """What a patient's calendar was last given of one event."""

    sequence: int
    fingerprint: str
    """A digest of everything exported but DTSTAMP and SEQUENCE."""
    start: str
    """ISO date (all-day event) or naive local date-time (timed event)."""
    end: str
    summary: str
    cancelled: bool = False


CalendarState = Mapping[str, Published]
"""By UID: what the patient's calendar holds of the plan (kept with the plan)."""


def state_to_json(state: CalendarState) -> dict[str, list[object]]:
    return {
        uid: [p.sequence, p.fingerprint, p.start, p.end, p.summary, p.cancelled]
        for uid, p in sorted(state.items())
    }


def state_from_json(data: Mapping[str, list[object]]) -> dict[str, Published]:
    state = {}
    for uid, (sequence, fingerprint, start, end, summary, cancelled) in data.items():
        state[uid] = Published(
            int(str(sequence)),
            str(fingerprint),
            str(start),
            str(end),
            str(summary),
            bool(cancelled),
        )
    return state


@dataclass(frozen=True, slots=True)
class ExportOptions:
    language: str = "fr"
    detail: Detail = Detail.MINIMAL


@dataclass(frozen=True)
class Export:
    """An export's file and what the patient's calendar holds afterwards."""

    content: bytes
    state: dict[str, Published] = field(default_factory=dict)
    events: int = 0
    cancelled: int = 0
    name: str = ""
    """The calendar's name (X-WR-CALNAME)."""
    vevents: tuple[tuple[str, bytes], ...] = ()
    """Each event of the file by its UID, serialized (a CalDAV server keeps them one by
    one: planner.calendars)."""


# ------------------------------------------------------------------ what goes in it


_CATEGORY = {
    EventKind.LAB: "lab",
    EventKind.PUMP_DISCONNECT: "pump",
    EventKind.MONITORING: "monitoring",
    EventKind.IMAGING: "imaging",
    EventKind.CONSULTATION: "consultation",
    EventKind.PREMEDICATION: "premedication",
    EventKind.PORT_PLACEMENT: "port",
    EventKind.CONFIRMATION_SCAN: "imaging",
}


def unit_place(settings: UnitSettings) -> str:
    """ "HDJ d'oncologie, 12 rue de la Santé, 75014 Paris": one line, as calendars show a
    place (a control character kept by an older version shown, not obeyed)."""
    parts = [settings.name or _("Day hospital"), *settings.address.splitlines()]
    return ", ".join(shown(part.strip()) for part in parts if part.strip())


def _contact(settings: UnitSettings) -> str:
    if not settings.phone:
        return ""
    return _("Day hospital: {phone}").format(phone=shown(settings.phone))


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _evening_before(start: date | datetime, at: time | None) -> datetime | None:
    if at is None:
        return None
    day = start.date() if isinstance(start, datetime) else start
    return datetime.combine(day - timedelta(days=1), at)


class _Writer:
    """Turns a plan's sessions and events into entries, in the current language."""

    def __init__(
        self,
        scheduled: PlanSchedule,
        settings: UnitSettings,
        detail: Detail,
        bookings: Mapping[SessionKey, Booking],
    ) -> None:
        self.scheduled = scheduled
        self.regimen: Regimen = scheduled.plan.regimen
        self.sessions = scheduled.sessions
        self.settings = settings
        self.full = detail is Detail.FULL
        self.bookings = bookings
        self.lang = language()
        self.place = unit_place(settings)
        self.contact = _contact(settings)
        self.pumps = {
            e.session: e.date for e in scheduled.events if e.kind is EventKind.PUMP_DISCONNECT
        }
        self.same_day_labs = {
            e.session
            for e in scheduled.events
            if e.kind is EventKind.LAB and e.date == self.sessions[e.session].date
        }
        """Sessions whose blood test the unit takes on arrival (a window ending on the
        session's day): the patient brings no results, and waits for them."""

    def identity(self, kind: str, session: int, code: str = "") -> str:
        phase, cycle, day = self.sessions[session].key
        return f"{kind}/{phase}/{cycle}/{day}/{code}"

    def cycle_words(self, session: Session) -> str:
        phase = self.regimen.phases[session.phase - 1]
        words = _("cycle {cycle}, day {day}").format(cycle=session.cycle, day=session.day)
        if len(self.regimen.phases) > 1:
            words = f"{phase.name.get(self.lang)}, {words}"
        return words

    def session(self, index: int, session: Session) -> Entry:
        booking = self.bookings.get(session.key)
        start: date | datetime
        end: date | datetime
        if booking is not None:
            start, end = booking.span(session)
        else:
            start, end = session.date, session.date + timedelta(days=1)
        drugs = session_agents(session) if session.doses else ""
        if self.full and drugs:
            summary = _("Day hospital — {cycle}: {drugs}").format(
                cycle=self.cycle_words(session), drugs=drugs
            )
        elif self.full:
            summary = _("Day hospital — {cycle}").format(cycle=self.cycle_words(session))
        else:
            summary = _("Day hospital — treatment session")
        if index in self.same_day_labs:
            welcome = _(
                "Treatment session at the day hospital. Bring your health insurance card and "
                "your prescriptions. Your blood test is taken when you arrive; the treatment "
                "starts once its results are known."
            )
        else:
            welcome = _(
                "Treatment session at the day hospital. Bring your health insurance card, "
                "your prescriptions and your blood test results."
            )
        lines = [welcome]
        if self.full:
            lines.append(
                _("Treatment: {regimen}.").format(regimen=self.regimen.name.get(self.lang))
            )
        if booking is not None:
            lines.append(
                _("Expected length: about {hours}.").format(hours=duration_text(booking.minutes))
            )
        pump_day = self.pumps.get(index)
        if pump_day is not None:
            lines.append(
                _("You go home with a pump; it is disconnected on {date}.").format(
                    date=format_date(pump_day, "long")
                )
            )
        lines.append(
            _("Tell the team about any fever, unusual tiredness or other problem beforehand.")
        )
        return Entry(
            identity=self.identity("session", index),
            start=start,
            end=end,
            summary=summary,
            description=_paragraphs(" ".join(lines), self.contact),
            location=self.place,
            category="session",
            reminder=_evening_before(start, self.settings.session_reminder),
            cancelled=not session.doses,
        )

    def event(self, event: Event, occurrence: int) -> Entry:
        session = self.sessions[event.session]
        kind = event.kind
        code = event.code if occurrence == 0 else f"{event.code}#{occurrence}"
        start = event.date
        end = (event.until or event.date) + timedelta(days=1)
        summary, text, place, reminder = self.words(event, session)
        return Entry(
            identity=self.identity(kind.value, event.session, code),
            start=start,
            end=end,
            summary=summary,
            description=_paragraphs(text, self.contact),
            location=place,
            category=_CATEGORY[kind],
            reminder=reminder,
        )

    def words(self, event: Event, session: Session) -> tuple[str, str, str, datetime | None]:
        """Summary, description, location and reminder of an event."""
        kind = event.kind
        session_day = format_date(session.date, "long")
        if kind is EventKind.LAB and event.date == session.date:
            # The unit's own window ends on the session's day: the nurses take the sample
            # on arrival, and the session waits for the result.
            summary = _("Blood test at the day hospital")
            text = _(
                "Blood test at the day hospital when you arrive for your treatment session: "
                "the team needs the results to confirm the treatment, which starts once they "
                "are known."
            )
            if self.regimen.fasting_blood_test:
                summary = _("Blood test at the day hospital (fasting)")
                fasting = _("Come fasting for this blood test.")
                text = f"{text} {fasting}"
            return (
                summary,
                text,
                self.place,
                _evening_before(event.date, self.settings.lab_reminder),
            )
        if kind is EventKind.LAB:
            summary = _("Blood test")
            text = _(
                "Blood test at the laboratory of your choice before your treatment session "
                "of {date}: the team needs the results to confirm the treatment. Bring your "
                "prescription."
            ).format(date=session_day)
            if self.regimen.fasting_blood_test:
                summary = _("Blood test (fasting)")
                fasting = _("Come fasting for this blood test.")
                text = f"{text} {fasting}"
            return summary, text, "", _evening_before(event.date, self.settings.lab_reminder)
        if kind is EventKind.PUMP_DISCONNECT:
            text = _(
                "Your pump is disconnected today, at the day hospital or by your home nurse "
                "as agreed with the team. Do not disconnect it yourself."
            )
            return _("Pump disconnection"), text, self.place, None
        if kind is EventKind.MONITORING:
            blood = MonitoringKind(event.code.split(":", 1)[0]) in BLOOD_TEST_CHECKS
            if self.full:
                summary = event_text(event)
            elif is_before_c1(event):
                summary = _("Check before the treatment starts")
            elif blood:
                summary = _("Monitoring blood test")
            else:
                summary = _("Monitoring exam")
            if is_before_c1(event):
                text = _(
                    "A check before the treatment starts: its result is needed before your "
                    "first session, on {date}. The team tells you where it takes place."
                ).format(date=session_day)
            elif blood:
                text = _(
                    "Taken with your blood test before the session of {date}, to watch for "
                    "side effects of the treatment."
                ).format(date=session_day)
            else:
                text = _(
                    "Exam to watch for side effects of the treatment, before the session of "
                    "{date}. The team tells you where it takes place."
                ).format(date=session_day)
            return summary, text, "", None
        if kind is EventKind.IMAGING:
            text = _(
                "Imaging (scan) to see how the treatment is working, before the session of "
                "{date}. Bring your previous images and reports."
            ).format(date=session_day)
            return _("Imaging to assess the treatment"), text, "", None
        if kind is EventKind.CONFIRMATION_SCAN:
            # What the patient reads after a suspected pseudo-progression (iRECIST, Seymour
            # et al., Lancet Oncol 2017: confirmed or not 4 to 8 weeks later): gently, why the
            # treatment goes on, and that lesions looking larger before the treatment works
            # is rare (about 6% of patients on checkpoint inhibitors: Park et al., Radiology
            # 2020;297:87-96, PMID 32749204), so as not to promise it. The coordinator's
            # words ("progression suspected") stay in the window.
            summary = _("Follow-up scan")
            if self.full:
                summary = _("Follow-up scan (to check the scan of {date})").format(
                    date=format_date(date.fromisoformat(event.code), "long")
                )
            return summary, confirmation_text(), "", None
        if kind is EventKind.CONSULTATION and event.code.startswith("progression:"):
            text = _(
                "Consultation with your oncologist about the result of your follow-up scan. "
                "Write down your questions."
            )
            return _("Consultation: result of the follow-up scan"), text, self.place, None
        if kind is EventKind.CONSULTATION:
            text = _(
                "Consultation with your oncologist, before the treatment. Write down your "
                "questions and any side effects since the last visit."
            )
            summary = event_text(event) if self.full else _("Consultation with the oncologist")
            return summary, text, self.place, None
        if kind is EventKind.PREMEDICATION:
            text = _("Take the medicine prescribed for these days, as your prescription says.")
            if self.full:
                summary = event_text(event)
            else:
                # Without drug names, distinct medicines still need distinct names: two
                # entries alike on one day read as a duplicate (and calcurse keeps one).
                summary = _("Medicine to take before treatment")
                premeds = [p.id for p in self.regimen.premedications]
                number = premeds.index(event.code.split(":", 1)[0]) + 1
                if len(premeds) > 1:
                    summary = _("{what} (no. {number})").format(what=summary, number=number)
            return summary, text, "", None
        # The port placement.
        text = _(
            "Placement of the implantable port (a small device under the skin for your "
            "infusions), at least {days} days before your first session. The team tells you "
            "where and when to come."
        ).format(days=self.scheduled.plan.options.port_lead_days)
        return _("Placement of the implantable port"), text, "", None

    def entries(self, until: date | None) -> Iterator[Entry]:
        last = until or date.max
        for index, session in enumerate(self.sessions):
            if session.date <= last:
                yield self.session(index, session)
        seen: dict[tuple[EventKind, int, str], int] = {}
        for event in self.scheduled.events:
            key = (event.kind, event.session, event.code)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            if event.date <= last:
                yield self.event(event, occurrence)


def confirmation_text() -> str:
    """Why a follow-up scan, in the patient's words (calendar and handout)."""
    return _(
        "With immunotherapy, a scan can, rarely, show lesions that look larger before the "
        "treatment starts to work. This is why your doctors continue the treatment and check "
        "with another scan a few weeks later. Bring your previous images and reports."
    )


_RANK = {
    "port": 0,
    "premedication": 1,
    "lab": 2,
    "monitoring": 3,
    "imaging": 4,
    "consultation": 5,
    "session": 6,
    "pump": 7,
}
"""Order of a day's entries in the file: what comes first in the patient's day."""


def patient_calendar(
    scheduled: PlanSchedule,
    *,
    settings: UnitSettings,
    options: ExportOptions,
    exported_at: datetime,
    previous: CalendarState | None = None,
    owner: str | None = None,
    bookings: Mapping[SessionKey, Booking] | None = None,
    until: date | None = None,
) -> Export:
    """The patient's calendar of a plan, and what their calendar holds after importing it.

    ``previous`` is what the last export gave (empty for a first export or a plan that is not
    saved); ``owner`` names the plan in the UIDs (the plan's id by default).
    ``exported_at`` (aware) becomes every event's DTSTAMP. ``until`` leaves out what comes
    after that day; ``bookings`` give sessions a time (timed events instead of all-day ones).
    Refused (:class:`~planner.export.contact.NoUnitPhone`) while the unit has no telephone.
    """
    require_unit_phone(settings)
    if exported_at.tzinfo is None:
        raise ValueError("the export time must carry its time zone")
    previous = previous or {}
    owner = owner if owner is not None else scheduled.plan.id
    stamp = exported_at.astimezone(UTC)
    with speaking(options.language):
        writer = _Writer(scheduled, settings, options.detail, bookings or {})
        entries = list(writer.entries(until))
        name = _calendar_name(scheduled.plan.regimen, options.detail)
        alarm_prefix = _("Tomorrow: {what}")
    uids = [event_uid(PATIENT_NAMESPACE, owner, entry.identity) for entry in entries]
    state: dict[str, Published] = {}
    components: list[tuple[tuple[str, int, str], str, bytes]] = []
    cancelled = 0
    for uid, entry in zip(uids, entries, strict=True):
        fingerprint = entry.fingerprint()
        before = previous.get(uid)
        if before is None:
            sequence = 0
        elif before.fingerprint == fingerprint:
            sequence = before.sequence
        else:
            sequence = before.sequence + 1
        state[uid] = Published(
            sequence,
            fingerprint,
            iso(entry.start),
            iso(entry.end),
            entry.summary,
            entry.cancelled,
        )
        cancelled += entry.cancelled
        component = vevent(
            entry, uid, sequence, stamp, alarm_text=alarm_prefix.format(what=entry.summary)
        )
        components.append(
            ((iso(entry.start)[:10], _RANK.get(entry.category, 9), uid), uid, component)
        )
    for uid, entry, sequence in _cancelled_since(previous, set(uids)):
        state[uid] = Published(
            sequence, entry.fingerprint(), iso(entry.start), iso(entry.end), entry.summary, True
        )
        cancelled += 1
        components.append(
            ((iso(entry.start)[:10], 10, uid), uid, vevent(entry, uid, sequence, stamp))
        )
    components.sort(key=lambda item: item[0])
    content = b"".join(write_calendar(calendar_head(name), (c for _k, _u, c in components)))
    return Export(
        content,
        state,
        events=len(components),
        cancelled=cancelled,
        name=name,
        vevents=tuple((uid, c) for _k, uid, c in components),
    )


def _cancelled_since(previous: CalendarState, current: set[str]) -> list[tuple[str, Entry, int]]:
    """Events the patient's calendar has that the plan no longer has, to cancel."""
    gone = []
    for uid, before in sorted(previous.items()):
        if uid in current:
            continue
        sequence = before.sequence if before.cancelled else before.sequence + 1
        entry = Entry(
            identity="",
            start=from_iso(before.start),
            end=from_iso(before.end),
            summary=before.summary,
            cancelled=True,
        )
        gone.append((uid, entry, sequence))
    return gone


def _calendar_name(regimen: Regimen, detail: Detail) -> str:
    if detail is Detail.FULL:
        return _("Treatment calendar — {regimen}").format(regimen=regimen.name.get(language()))
    return _("Day hospital — my treatment calendar")
