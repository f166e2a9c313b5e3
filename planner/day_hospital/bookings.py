"""The day hospital's bookings over the store: book plans, find an earliest start, read a
day's sheet, see what an exceptional closure moves. Shared by the command line and the
desktop application; the rules themselves are in :mod:`planner.core.chairs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from html import escape

from planner import explain
from planner.core.batch import plan_schedules
from planner.core.booking import Booking
from planner.core.chairs import (
    BookingKey,
    Flag,
    Occupancy,
    Problem,
    StartOption,
    UnitResources,
    book_plan,
    earliest_start,
    flags,
)
from planner.core.closures import ClosureSet, UnitClosure
from planner.core.patient import Patient, Preference
from planner.core.plan import Plan, PlanOptions
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortLevel, PortRule
from planner.core.regimen import Regimen
from planner.core.schedule import EventKind, Policy, Session
from planner.core.settings import UnitSettings
from planner.explain_plan import WarningLine
from planner.i18n import _, format_date, language, ngettext
from planner.spreadsheet import csv_lines
from planner.store import Store


def occupancy(
    settings: UnitSettings, resources: UnitResources, bookings: dict[BookingKey, Booking]
) -> Occupancy:
    """The unit's bookings in its grids (those that no longer fit kept aside)."""
    unit = Occupancy(resources, settings.calendar())
    unit.adopt(bookings)
    return unit


@dataclass(frozen=True, slots=True)
class Booked:
    """What booking the unit's plans did."""

    added: int
    unplaced: list[tuple[Plan, Session]]
    flags: list[Flag]


@dataclass(frozen=True, slots=True)
class Rebooked:
    """What :func:`rebook` changed in an occupancy."""

    before: dict[BookingKey, Booking | None]
    """Each booking changed, as it was (None: the session had none)."""
    unplaced: list[tuple[Plan, Session]]
    """Sessions for which no place fits on their day."""


def rebook(
    unit: Occupancy,
    schedules: Sequence[PlanSchedule],
    since: date,
    *,
    until: date | None = None,
    booked_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Rebooked:
    """In ``unit`` (changed in place): book every session from ``since`` (to ``until``, when
    given: a unit books the coming weeks) of these plans that has no booking yet (unless
    ``booked_only``), and book again those whose booking no longer fits (the session moved,
    the day closed, a chair gone...), the patient's preferred half-day and usual chair first.

    A booking that finds no new place stays where it was, flagged; the booking of a session
    no longer planned (omitted, the plan stopped) is removed, freeing its chair.
    ``progress(done, total)`` is told after each plan; it may raise to stop (``unit`` is
    then left part-booked: undo what was done, or drop it)."""
    before: dict[BookingKey, Booking | None] = {}
    for flag in flags(unit, {ps.plan.id: ps.sessions for ps in schedules}):
        if flag.problem is Problem.GONE and (flag.booking.day or date.min) >= since:
            before[flag.key] = flag.booking
            unit.remove(flag.key)
    unplaced: list[tuple[Plan, Session]] = []
    for done, ps in enumerate(schedules, start=1):
        plan = ps.plan
        own = unit.of_plan(plan.id)
        sessions = ps.sessions
        if until is not None:
            sessions = tuple(s for s in sessions if s.date <= until)
        result = book_plan(
            unit,
            plan.id,
            sessions,
            preference=plan.patient.preference,
            since=since,
            rebook=True,
            booked_only=booked_only,
        )
        for session_key in result.added:
            before[(plan.id, session_key)] = own.get(session_key)
        unplaced.extend((plan, s) for s in result.unplaced)
        if progress is not None:
            progress(done, len(schedules))
    return Rebooked(before, unplaced)


def undo_rebook(unit: Occupancy, done: Rebooked) -> None:
    """Put ``unit`` back as it was before :func:`rebook` gave ``done``."""
    for key in done.before:
        unit.remove(key)
    unit.adopt({k: b for k, b in done.before.items() if b is not None})


def days_seen(
    unit: Occupancy, put: Mapping[BookingKey, Booking], since: date | None = None
) -> dict[date, dict[BookingKey, Booking]]:
    """What ``unit`` holds of the days ``put`` books into (from ``since``, when it holds
    only those): the store checks that nobody changed them meanwhile
    (:meth:`planner.store.Store.save_bookings`)."""
    days = {b.day for b in put.values() if b.day is not None}
    return {day: dict(unit.on_day(day)) for day in days if since is None or day >= since}


def book(
    store: Store,
    schedules: Sequence[PlanSchedule],
    *,
    since: date,
    until: date | None = None,
    author: str,
    at: datetime,
    unit: Occupancy | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Booked:
    """:func:`rebook` these plans from ``since`` (to ``until``), saved at once; ``flags``
    in the result are what stays to redo. ``progress(done, total)`` is told as plans are
    booked, before the bookings are saved; it may raise to stop (nothing is then saved)."""
    if unit is None:
        unit = occupancy(store.settings(), store.resources(), store.bookings())
    done = rebook(unit, schedules, since, until=until, progress=progress)
    new = {k: unit.bookings[k] for k in done.before if k in unit.bookings}
    gone = [k for k in done.before if k not in unit.bookings]
    if new or gone:
        store.save_bookings(
            new,
            gone,
            author=author,
            at=at,
            expected=dict(done.before),
            days_seen=days_seen(unit, new),
        )
    return Booked(
        len(new), done.unplaced, flags(unit, {ps.plan.id: ps.sessions for ps in schedules})
    )


def trial_plan(
    regimen: Regimen,
    start: date,
    settings: UnitSettings,
    *,
    policy: Policy | None = None,
    closure_set: ClosureSet | None = None,
    options: PlanOptions | None = None,
    preference: Preference = Preference.ANY,
) -> Plan:
    """A plan not saved anywhere, to see where its sessions would go."""
    return Plan(
        "trial",
        Patient("trial", "", "", "", preference=preference),
        regimen,
        start,
        policy=policy or settings.default_policy,
        calendar=settings.calendar(closure_set),
        options=options or PlanOptions(port_lead_days=settings.port_lead_days),
        lab_rule=settings.lab_rule,
    )


def earliest(
    unit: Occupancy,
    regimen: Regimen,
    settings: UnitSettings,
    port_rules: tuple[PortRule, ...],
    on_or_after: date,
    *,
    weeks: int = 12,
    preference: Preference = Preference.ANY,
    policy: Policy | None = None,
    options: PlanOptions | None = None,
) -> list[StartOption]:
    """The earliest start and the next two at which the first ``weeks`` weeks all fit."""

    def sessions_from(start: date) -> tuple[Session, ...]:
        plan = trial_plan(
            regimen, start, settings, policy=policy, options=options, preference=preference
        )
        return schedule_of(plan, port_rules).sessions

    return earliest_start(unit, sessions_from, on_or_after, weeks=weeks, preference=preference)


# ---------------------------------------------------------------------- day sheet


@dataclass(frozen=True, slots=True)
class SheetLine:
    """One booking of a day, as the nurses read it."""

    booking: Booking
    patient: Patient
    regimen: str
    session: Session | None
    minutes: int
    port: str
    pump: bool
    flag: str = ""
    """Why the booking needs the coordinator (moved, closed...), or ""."""

    @property
    def cycle_day(self) -> str:
        s = self.session
        return "" if s is None else explain.cycle_day(s.cycle, s.day)


def venous_access(ps: PlanSchedule, today: date) -> str:
    """The patient's venous access as recorded, for the nurses: "port in place" only when the
    patient's port is recorded as placed; "port planned on <date>" while the plan's port
    placement is not yet past; "port to confirm" when a port is advised (or its placement
    has passed) but none is recorded; else "peripheral line"."""
    if ps.plan.patient.port_in_place:
        return _("port in place")
    placements = [e.date for e in ps.events if e.kind is EventKind.PORT_PLACEMENT]
    if placements and placements[0] >= today:
        return _("port planned on {date}").format(date=format_date(placements[0]))
    if placements or ps.port.level is not PortLevel.NOT_NEEDED:
        return _("port to confirm")
    return _("peripheral line")


def day_sheet(
    unit: Occupancy, schedules: Sequence[PlanSchedule], day: date, *, today: date
) -> list[SheetLine]:
    """The day's bookings by time and chair, with what the nurses need to prepare (the
    venous access as recorded on ``today``)."""
    by_plan = {ps.plan.id: ps for ps in schedules}
    problems = {f.key: f for f in flags(unit, {ps.plan.id: ps.sessions for ps in schedules})}
    lines = []
    lang = language()
    for key, booking in unit.on_day(day):
        ps = by_plan.get(key[0])
        if ps is None:
            continue
        session = next((s for s in ps.sessions if s.key == key[1]), None)
        plan = ps.plan
        pump = session is not None and any(
            d.administration.continuous_hours is not None for d in session.doses
        )
        port = venous_access(ps, today)
        flag = problems.get(key)
        lines.append(
            SheetLine(
                booking,
                plan.patient,
                plan.regimen.name.get(lang),
                session,
                booking.minutes,
                port,
                pump,
                problem_text(flag) if flag is not None else "",
            )
        )
    return lines


def redo_lines(ps: PlanSchedule, to_redo: Sequence[Flag]) -> list[WarningLine]:
    """A warning line for each of the plan's bookings to redo, and why."""
    index = {s.key: n for n, s in enumerate(ps.sessions)}
    lines = []
    for flag in to_redo:
        booked = flag.booking.day
        session = explain.short_session_name(ps.plan.regimen, flag.key[1])
        time = flag.booking.start.isoformat(timespec="minutes")
        if booked is None:  # a booking read without its day (an older database)
            text = _("{session}: the booking at {time} is to redo ({why})").format(
                session=session, time=time, why=problem_text(flag)
            )
        else:
            text = _("{session}: the booking on {date} at {time} is to redo ({why})").format(
                session=session, date=format_date(booked), time=time, why=problem_text(flag)
            )
        day = flag.session.date if flag.session is not None else booked
        lines.append(WarningLine(text, day, index.get(flag.key[1]), to_book=True))
    return lines


def problem_text(flag: Flag) -> str:
    session = flag.session
    if flag.problem is Problem.MOVED and session is not None:
        return _("the session moved to {date}").format(date=format_date(session.date))
    return explain.booking_problem_text(flag.problem)


def day_sheet_csv(lines: Iterable[SheetLine], *, numbers: bool = False) -> Iterator[bytes]:
    """The day sheet as a CSV table (UTF-8 with a byte-order mark so spreadsheets read the
    accents; ";" between columns in French, as French spreadsheets expect). Hospital numbers
    only when ``numbers`` is asked for."""
    return csv_lines(
        _sheet_head(numbers=numbers, long=True),
        ([*_sheet_cells(line, numbers=numbers, minutes=True), line.flag] for line in lines),
        delimiter=";" if language() == "fr" else ",",
    )


def _sheet_head(*, numbers: bool, long: bool) -> list[str]:
    head = [_("Time"), _("Chair"), _("Patient")]
    if numbers:
        head.append(_("Hospital number"))
    head += [
        _("Regimen"),
        _("Cycle and day"),
        _("Expected minutes") if long else _("Expected"),
        _("Venous access"),
        _("Pump"),
    ]
    if long:
        head.append(_("To check"))
    return head


def _sheet_cells(line: SheetLine, *, numbers: bool, minutes: bool = False) -> list[str]:
    cells = [
        line.booking.start.isoformat(timespec="minutes"),
        line.booking.chair,
        line.patient.name,
    ]
    if numbers:
        cells.append(line.patient.hospital_number)
    cells += [
        line.regimen,
        line.cycle_day,
        str(line.minutes) if minutes else f"{line.minutes // 60} h {line.minutes % 60:02d}",
        line.port,
        _("yes") if line.pump else "",
    ]
    return cells


def day_sheet_html(
    lines: Sequence[SheetLine], day: date, settings: UnitSettings, *, numbers: bool = False
) -> str:
    """The day sheet as a printed page: one row per booking, large enough to read on a
    trolley, black and white (lines to check are marked with a sign, not a colour); hospital
    numbers only when ``numbers`` is asked for."""
    title = _("Day sheet — {date}").format(date=format_date(day))
    head = _sheet_head(numbers=numbers, long=False)
    rows = []
    for line in lines:
        cells = _sheet_cells(line, numbers=numbers)
        row = "".join(f"<td>{escape(c)}</td>" for c in cells)
        rows.append(f"<tr>{row}</tr>")
        if line.flag:
            note = escape(_("⚠ To check: {why}").format(why=line.flag))
            span = len(head) - 1
            rows.append(f'<tr><td></td><td colspan="{span}"><i>{note}</i></td></tr>')
    header = "".join(f"<th align='left'>{escape(h)}</th>" for h in head)
    minutes = sum(line.minutes for line in lines)
    total = ngettext(
        "{n} session, {hours} chair hours", "{n} sessions, {hours} chair hours", len(lines)
    ).format(n=len(lines), hours=explain.format_number(minutes / 60))
    unit = escape(settings.name or _("Day hospital"))
    body = (
        "<p>" + escape(_("Nobody is booked on this day.")) + "</p>"
        if not lines
        else (
            "<table width='100%' cellspacing='0' cellpadding='4' border='1' "
            f"style='border-collapse: collapse'><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    )
    return (
        f"<html><body><h2>{escape(title)}</h2><p>{unit} — {escape(total)}</p>{body}</body></html>"
    )


# ---------------------------------------------------------------------- closures


@dataclass(frozen=True, slots=True)
class ToCall:
    """A patient whose session an exceptional closure moves."""

    patient: Patient
    regimen: str
    session: Session
    before: date
    after: date
    plan_id: str


def closure_calls(
    plans: Sequence[Plan],
    settings: UnitSettings,
    closure: UnitClosure,
    port_rules: tuple[PortRule, ...],
    today: date | None = None,
) -> tuple[UnitSettings, list[ToCall]]:
    """The settings with ``closure`` added, and the patients to call: every session the
    closure moves, with its old and new date (each plan moved by its own policy)."""
    closed = replace(
        settings,
        unit_closures=tuple(
            sorted({*settings.unit_closures, closure}, key=lambda c: (c.date, c.label))
        ),
    )
    calendars = {cs: closed.calendar(cs) for cs in ClosureSet}
    before = plan_schedules(plans, port_rules, today)
    after = plan_schedules(
        [replace(p, calendar=calendars[p.calendar.closure_set]) for p in plans], port_rules, today
    )
    lang = language()
    calls = []
    for old, new in zip(before, after, strict=True):
        dates = {s.key: s.date for s in old.sessions}
        for session in new.sessions:
            was = dates.get(session.key)
            if was is not None and was != session.date and session.given_on is None:
                calls.append(
                    ToCall(
                        new.plan.patient,
                        new.plan.regimen.name.get(lang),
                        session,
                        was,
                        session.date,
                        new.plan.id,
                    )
                )
    calls.sort(key=lambda c: (c.before, c.patient.name.casefold(), c.session.key))
    return closed, calls
