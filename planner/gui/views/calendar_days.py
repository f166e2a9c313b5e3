"""What is on each day of a plan, for the month calendar: no Qt here, so it is tested plainly.

The calendar paints what this module says; the words (tooltips, holiday names) are made here
once per month shown, in the display language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from planner import explain
from planner.core.closures import Closure, ClosureCalendar, ClosureKind
from planner.core.plan_schedule import PlanSchedule
from planner.core.regimen import AgentClass
from planner.core.schedule import Event, EventKind, Session
from planner.i18n import N_, _, format_date, language

CLASS_ORDER = (
    AgentClass.CHEMOTHERAPY,
    AgentClass.TARGETED,
    AgentClass.IMMUNOTHERAPY,
    AgentClass.SUPPORTIVE,
)

# One or two letters per mark, so the calendar reads without colour (printed in grey, or
# for a colour-blind reader). Translated where drawn, with the "calendar mark" context.
CLASS_LETTERS = {
    AgentClass.CHEMOTHERAPY: N_("C"),
    AgentClass.TARGETED: N_("T"),
    AgentClass.IMMUNOTHERAPY: N_("I"),
    AgentClass.SUPPORTIVE: N_("Su"),
}
EVENT_LETTERS = {
    EventKind.LAB: N_("B"),
    EventKind.PUMP_DISCONNECT: N_("P"),
    EventKind.MONITORING: N_("M"),
    EventKind.IMAGING: N_("S"),
    EventKind.CONSULTATION: N_("D"),
    EventKind.PREMEDICATION: N_("Rx"),
    EventKind.PORT_PLACEMENT: N_("Po"),
    EventKind.CONFIRMATION_SCAN: N_("CS"),
}


def class_letter(agent_class: AgentClass) -> str:
    return _(CLASS_LETTERS[agent_class])


def event_letter(kind: EventKind) -> str:
    return _(EVENT_LETTERS[kind])


@dataclass(frozen=True, slots=True)
class SessionMark:
    index: int
    """The session's index in ``PlanSchedule.sessions``."""
    session: Session
    label: str
    """The drugs, short (the cell elides it; the tooltip has everything)."""
    classes: tuple[AgentClass, ...]
    """The therapeutic classes of its drugs, the one with most drugs first; () if not given."""
    moved: bool
    """Not on its planned date (a closure moved it, or the coordinator delayed it)."""
    text: str
    """The session in full, with why it moved and what became of it."""

    @property
    def given(self) -> bool:
        return self.session.given_on is not None

    @property
    def omitted(self) -> bool:
        return not self.session.doses


@dataclass(frozen=True, slots=True)
class EventMark:
    kind: EventKind
    session: int
    text: str


@dataclass(frozen=True, slots=True)
class DayInfo:
    day: date
    closure: Closure | None
    closure_name: str
    """The public holiday's or the unit closure's name; "" when open or for a weekend."""
    sessions: tuple[SessionMark, ...] = ()
    events: tuple[EventMark, ...] = ()
    moved_away: tuple[str, ...] = ()
    """Sessions planned on this day and moved to another, in words ("C2 D1 -> Tue 30 Mar")."""
    moved_away_to: tuple[date, ...] = ()
    stop: str = ""
    """The treatment stops this day: that, and why."""
    tooltip: str = ""

    @property
    def closed(self) -> bool:
        return self.closure is not None

    @property
    def empty(self) -> bool:
        return not (self.sessions or self.events or self.moved_away or self.stop)


def session_classes(session: Session) -> tuple[AgentClass, ...]:
    """The classes of a session's drugs, most drugs first (ties: chemotherapy, targeted,
    immunotherapy); supportive care counts only when nothing else is given."""
    counts = Counter(dose.administration.agent.agent_class for dose in session.doses)
    active: list[AgentClass] = [c for c in CLASS_ORDER[:3] if counts[c]]
    if not active and counts[AgentClass.SUPPORTIVE]:
        active = [AgentClass.SUPPORTIVE]
    return tuple(sorted(active, key=lambda c: -counts[c]))  # sorted() is stable


def planned_date(session: Session) -> date | None:
    """Where a session was planned, when that is not where it is: before a closure moved it,
    or where it was when the coordinator delayed it."""
    if session.moved:
        return session.planned
    change = session.rescheduled
    if change is not None and change.moved_from is not None and change.moved_from != session.date:
        return change.moved_from
    return None


def _closure_name(closure: Closure | None) -> str:
    if closure is None or closure.name is None:
        return ""
    return closure.name.get(language())


def _closure_text(closure: Closure) -> str:
    if closure.kind is ClosureKind.WEEKEND:
        return _("Closed (weekend)")
    if closure.kind is ClosureKind.PUBLIC_HOLIDAY:
        return _("Closed: {holiday} (public holiday)").format(holiday=_closure_name(closure))
    if closure.name is not None:
        return _("Unit closed: {label}").format(label=_closure_name(closure))
    return _("Unit closed")


def _session_mark(ps: PlanSchedule, index: int, session: Session) -> SessionMark:
    name = explain.session_name(ps.plan.regimen, session.key)
    agents = explain.session_agents(session)
    label = agents if session.doses else _("not given")
    lines = [_("Session {session}: {agents}").format(session=name, agents=label)]
    lines += [f"  {note}" for note in explain.session_notes(session, ps.plan.regimen)]
    moved = planned_date(session) is not None
    return SessionMark(index, session, label, session_classes(session), moved, "\n".join(lines))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def day_infos(
    ps: PlanSchedule | None,
    first: date,
    last: date,
    calendar: ClosureCalendar | None = None,
) -> dict[date, DayInfo]:
    """Every day from ``first`` to ``last``: closure, sessions, events, in words.

    Closures come from the plan's calendar, else from ``calendar`` (French by default).
    """
    if ps is not None:
        calendar = ps.plan.calendar
    elif calendar is None:
        calendar = ClosureCalendar()
    sessions: dict[date, list[SessionMark]] = {}
    events: dict[date, list[EventMark]] = {}
    moved_away: dict[date, list[tuple[str, date]]] = {}
    stop: tuple[date, str] | None = None
    if ps is not None:
        for index, session in enumerate(ps.sessions):
            if first <= session.date <= last:
                sessions.setdefault(session.date, []).append(_session_mark(ps, index, session))
            planned = planned_date(session)
            if planned is not None and first <= planned <= last:
                text = _("{session} was planned on this day: moved to {date}").format(
                    session=explain.session_name(ps.plan.regimen, session.key),
                    date=format_date(session.date),
                )
                moved_away.setdefault(planned, []).append((text, session.date))
        for event in ps.events:
            _add_event(events, event, first, last)
        if ps.state.stop is not None:
            reason = ps.state.stop.reason
            text = _("Treatment stopped: {reason}").format(reason=reason) if reason else ""
            stop = (ps.state.stop.on, text or _("Treatment stopped"))
    infos: dict[date, DayInfo] = {}
    for day in _days(first, last):
        closure = calendar.closure(day)
        away = moved_away.get(day, [])
        info = DayInfo(
            day=day,
            closure=closure,
            closure_name=_closure_name(closure),
            sessions=tuple(sessions.get(day, ())),
            events=tuple(events.get(day, ())),
            moved_away=tuple(text for text, _to in away),
            moved_away_to=tuple(to for _text, to in away),
            stop=stop[1] if stop is not None and stop[0] == day else "",
        )
        infos[day] = replace(info, tooltip=_tooltip(info))
    return infos


def _add_event(events: dict[date, list[EventMark]], event: Event, first: date, last: date) -> None:
    """An event on its day; one that lasts (dexamethasone D-1 to D+1) on each of its days."""
    end = event.until or event.date
    if end < first or event.date > last:
        return
    mark = EventMark(event.kind, event.session, explain.event_text(event))
    for day in _days(max(event.date, first), min(end, last)):
        events.setdefault(day, []).append(mark)


def _tooltip(info: DayInfo) -> str:
    lines = [format_date(info.day, "long")]
    if info.closure is not None:
        lines.append(_closure_text(info.closure))
    lines += [mark.text for mark in info.sessions]
    lines += list(info.moved_away)
    lines += [f"• {mark.text}" for mark in info.events]
    if info.stop:
        lines.append(info.stop)
    return "\n".join(lines)
