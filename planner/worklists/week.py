"""The week's booked sessions, for the nurses and the pharmacy: each day its count and chair
time, then its sessions by time and chair with the regimen, the drugs, the pump and the
chair minutes (hospital numbers only when asked)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from planner import explain
from planner.core.booking import Booking
from planner.core.chairs import Occupancy, flags
from planner.core.closures import ClosureKind
from planner.core.patient import Patient
from planner.core.plan_schedule import PlanSchedule
from planner.core.schedule import Session
from planner.core.settings import UnitSettings
from planner.day_hospital.bookings import problem_text
from planner.i18n import _, format_date, language, ngettext
from planner.worklists.pages import WEEK, chair_hours, csv_rows, monday_of, page, table


@dataclass(frozen=True, slots=True)
class WeekLine:
    """One booked session of the week, as the nurses and the pharmacy read it."""

    booking: Booking
    patient: Patient
    regimen: str
    """The regimen's name in the display language."""
    cycle_day: str
    """ "C2 D1" ("C2 J1" in French); "" for a session no longer planned."""
    drugs: tuple[str, ...]
    """The session's drugs, in order of administration, named in the display language."""
    pump: bool
    """The session starts an ambulatory pump (a continuous infusion at home)."""
    flag: str = ""
    """Why the booking needs the coordinator (the session moved, the day closed...), or ""."""

    @property
    def minutes(self) -> int:
        """Expected chair time."""
        return self.booking.minutes


@dataclass(frozen=True, slots=True)
class WeekDay:
    day: date
    lines: tuple[WeekLine, ...]
    closed: str = ""
    """Why the unit is closed that day ("weekend", a holiday's name...); "" when open."""

    @property
    def minutes(self) -> int:
        return sum(line.minutes for line in self.lines)


@dataclass(frozen=True, slots=True)
class Week:
    """The booked sessions of a week, Monday to Sunday, day by day."""

    monday: date
    days: tuple[WeekDay, ...]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=WEEK - 1)

    @property
    def count(self) -> int:
        return sum(len(day.lines) for day in self.days)

    @property
    def minutes(self) -> int:
        return sum(day.minutes for day in self.days)


def week_plan_ids(unit: Occupancy, monday: date) -> set[str]:
    """The plans with a booking in the week of ``monday``."""
    return {
        key[0]
        for offset in range(WEEK)
        for key, _booking in unit.on_day(monday + timedelta(days=offset))
    }


def session_drugs(session: Session) -> tuple[str, ...]:
    """The drugs given in the session, in order of administration, each once, by name."""
    lang = language()
    names: dict[str, None] = {}
    for dose in sorted(session.doses, key=lambda d: d.administration.order):
        names.setdefault(dose.administration.agent.name.get(lang))
    return tuple(names)


def closed_text(unit: Occupancy, day: date) -> str:
    """Why the unit is closed on ``day`` ("" when open)."""
    if unit.grid(day) is not None:
        return ""
    closure = unit.calendar.closure(day) if unit.calendar is not None else None
    if closure is None or closure.kind is ClosureKind.WEEKEND:
        return _("weekend") if day.weekday() >= 5 else _("no opening hours")
    name = closure.name.get(language()) if closure.name else ""
    if closure.kind is ClosureKind.PUBLIC_HOLIDAY:
        return _("{holiday}, public holiday").format(holiday=name)
    return _("unit closed: {label}").format(label=name) if name else _("unit closed")


def week_sessions(unit: Occupancy, schedules: Sequence[PlanSchedule], monday: date) -> Week:
    """The week of ``monday``'s booked sessions, each day by time then chair. ``schedules``
    are the plans booked that week (:func:`week_plan_ids`); a booking whose plan is not
    among them is left out."""
    monday = monday_of(monday)
    by_plan = {ps.plan.id: ps for ps in schedules}
    problems = {f.key: f for f in flags(unit, {ps.plan.id: ps.sessions for ps in schedules})}
    lang = language()
    days = []
    for offset in range(WEEK):
        day = monday + timedelta(days=offset)
        lines = []
        for key, booking in unit.on_day(day):
            ps = by_plan.get(key[0])
            if ps is None:
                continue
            session = next((s for s in ps.sessions if s.key == key[1]), None)
            flag = problems.get(key)
            lines.append(
                WeekLine(
                    booking,
                    ps.plan.patient,
                    ps.plan.regimen.name.get(lang),
                    "" if session is None else explain.cycle_day(session.cycle, session.day),
                    () if session is None else session_drugs(session),
                    session is not None
                    and any(d.administration.continuous_hours is not None for d in session.doses),
                    problem_text(flag) if flag is not None else "",
                )
            )
        days.append(WeekDay(day, tuple(lines), closed_text(unit, day)))
    return Week(monday, tuple(days))


def week_title(week: Week) -> str:
    return _("Sessions of the week from {monday} to {sunday}").format(
        monday=format_date(week.monday), sunday=format_date(week.sunday)
    )


def day_heading(day: WeekDay) -> str:
    """ "Monday 8 March 2027 — 12 sessions, 30.5 chair hours" (or closed, or nobody)."""
    when = format_date(day.day, "long")
    if not day.lines:
        if day.closed:
            return _("{date} — closed ({why})").format(date=when, why=day.closed)
        return _("{date} — no session booked").format(date=when)
    return ngettext(
        "{date} — {n} session, {hours} chair hours",
        "{date} — {n} sessions, {hours} chair hours",
        len(day.lines),
    ).format(date=when, n=len(day.lines), hours=chair_hours(day.minutes))


def week_summary(week: Week, settings: UnitSettings) -> str:
    total = ngettext(
        "{n} session booked, {hours} chair hours",
        "{n} sessions booked, {hours} chair hours",
        week.count,
    ).format(n=week.count, hours=chair_hours(week.minutes))
    return f"{settings.name or _('Day hospital')} — {total}"


def week_head(*, numbers: bool, day: bool) -> list[str]:
    head = [_("Date")] if day else []
    head += [_("Time"), _("Chair"), _("Patient")]
    if numbers:
        head.append(_("Hospital number"))
    head += [_("Regimen"), _("Cycle and day"), _("Drugs"), _("Pump"), _("Chair minutes")]
    return head


def week_cells(line: WeekLine, *, numbers: bool) -> list[str]:
    cells = [line.booking.start.isoformat(timespec="minutes"), line.booking.chair]
    cells.append(line.patient.name)
    if numbers:
        cells.append(line.patient.hospital_number)
    cells += [
        line.regimen,
        line.cycle_day,
        ", ".join(line.drugs),
        _("yes") if line.pump else _("no"),
        str(line.minutes),
    ]
    return cells


def week_csv(week: Week, *, numbers: bool = False, bom: bool = True) -> Iterator[bytes]:
    """The week as a CSV table, one row per booked session (dates as YYYY-MM-DD, so that
    spreadsheets sort and count them); hospital numbers only when ``numbers`` is asked."""
    head = [*week_head(numbers=numbers, day=True), _("To check")]
    rows = (
        [day.day.isoformat(), *week_cells(line, numbers=numbers), line.flag]
        for day in week.days
        for line in day.lines
    )
    return csv_rows(head, rows, bom=bom)


def week_html(week: Week, settings: UnitSettings, *, numbers: bool = False) -> str:
    """The week as printed pages: each day its heading (how many sessions, how much chair
    time) and its sessions by time and chair; black and white, bookings to check marked
    with a sign, not a colour. Hospital numbers only when ``numbers`` is asked."""
    head = week_head(numbers=numbers, day=False)
    parts = []
    for day in week.days:
        parts.append(f"<h3>{escape(day_heading(day))}</h3>")
        if not day.lines:
            continue
        rows = []
        for line in day.lines:
            cells = "".join(f"<td>{escape(c)}</td>" for c in week_cells(line, numbers=numbers))
            rows.append(f"<tr>{cells}</tr>")
            if line.flag:
                note = escape(_("⚠ To check: {why}").format(why=line.flag))
                rows.append(f'<tr><td></td><td colspan="{len(head) - 1}"><i>{note}</i></td></tr>')
        parts.append(table(head, rows))
    return page(week_title(week), week_summary(week, settings), "".join(parts))
