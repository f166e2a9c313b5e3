"""The patients to call after a delay, a stop or an exceptional closure.

Derived from what is recorded: every decision of a plan's ledger carries the moment it was
recorded, and so does every exceptional closure of the unit
(:class:`~planner.core.closures.UnitClosure`). The plan's calendar as it was with what had
been recorded before the chosen day is compared with its calendar now: every coming session
whose date differs, or that is no longer given, is a call to make, with the decision or the
closure that moved it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from html import escape

from planner import explain
from planner.core.closures import ClosureKind, ClosureSet, UnitClosure
from planner.core.patient import Patient
from planner.core.plan import Delay, Entry, Omit, Plan, Revert, Stop
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortRule
from planner.core.schedule import Session, SessionKey
from planner.core.settings import UnitSettings
from planner.core.values import collector_paused
from planner.day_hospital.bookings import ToCall
from planner.explain_plan import change_text, revert_target
from planner.i18n import _, format_date, language, ngettext
from planner.store.codec import UNIT_ZONE
from planner.worklists.pages import csv_rows, page, table


@dataclass(frozen=True, slots=True)
class Call:
    """A coming session of a patient that moved (or is no longer given) since a day."""

    patient: Patient
    plan_id: str
    regimen: str
    """The regimen's name in the display language."""
    key: SessionKey
    session: str
    """ "Treatment · C2 · D1", in the display language."""
    before: date | None
    """Its date before; None for a session that comes back (a stop undone)."""
    after: date | None
    """Its date now; None when it is no longer given (the plan stopped, drugs left out)."""
    why: str
    """What moved it: the decision or the closure, in words, with the coordinator's note."""
    more: int = 0
    """How many of the plan's sessions after this one moved for the same reason (or are no
    longer given for the same reason): told in the same call."""
    spread: tuple[int, int] | None = None
    """The fewest and most days the sessions told in this call moved by (None: they are
    new, or no longer given)."""

    @property
    def shift(self) -> int | None:
        """By how many days the session moved (None: it is new, or no longer given)."""
        if self.before is None or self.after is None:
            return None
        return (self.after - self.before).days

    def _same_way(self, other: Call) -> bool:
        return (
            self.plan_id == other.plan_id
            and self.why == other.why
            and (self.before is None) == (other.before is None)
            and (self.after is None) == (other.after is None)
        )

    def _and(self, other: Call) -> Call:
        """This call telling ``other`` too (the same way, a later session)."""
        spread = self.spread
        if spread is not None and other.shift is not None:
            spread = (min(spread[0], other.shift), max(spread[1], other.shift))
        return replace(self, more=self.more + 1, spread=spread)


def recorded_since(day: date) -> datetime:
    """The first moment of ``day`` in the unit's time: "recorded since Monday" starts here."""
    return datetime.combine(day, time(0), tzinfo=UNIT_ZONE)


def closure_text(closure: UnitClosure) -> str:
    when = format_date(closure.date)
    if closure.label:
        return _("unit closed on {date}: {label}").format(date=when, label=closure.label)
    return _("unit closed on {date}").format(date=when)


def _entry_text(entry: Entry, plan: Plan) -> str:
    text = change_text(entry.change, plan)
    return _("{what} — {note}").format(what=text, note=entry.note) if entry.note else text


def _concerns(change: object, key: SessionKey, sessions: Sequence[Session | None]) -> bool:
    """Whether ``change`` moves (or removes) the session ``key`` (as it is in ``sessions``:
    before and now, either missing)."""
    if isinstance(change, Delay):
        delayed = change.session
        if delayed == key or any(s is not None and s.follows == delayed for s in sessions):
            return True
        same_cycle = delayed[:2] == key[:2] and key[2] > delayed[2]
        return change.shift_rest_of_cycle and same_cycle
    if isinstance(change, Omit):
        return change.session == key
    if isinstance(change, Stop):
        return any(s is None or s.date >= change.on for s in sessions)
    return False


MOVERS = (Delay, Omit, Stop, Revert)
"""The decisions that can move a session or take it away (a dose recorded as given, a
port request or a suspected progression move none)."""


def _closed_by(session: Session, day: date, sessions: Mapping[SessionKey, Session]) -> bool:
    """Whether the unit's closure of ``day`` moved ``session``: itself, or the day 1 its
    cycle is counted from (a re-anchored plan)."""
    return any(
        found is not None
        and any(
            m.blocked == day and m.closure is not None and m.closure.kind is ClosureKind.UNIT
            for m in found.moves
        )
        for found in (session, sessions.get(session.follows) if session.follows else None)
    )


def _why(
    plan: Plan,
    key: SessionKey,
    schedules: Sequence[Mapping[SessionKey, Session]],
    recent: Sequence[Entry],
    closures: Sequence[UnitClosure],
) -> str:
    """What moved the session ``key`` between the ``schedules`` (before, now), in words."""
    sessions = [found.get(key) for found in schedules]
    reasons = []
    for entry in recent:
        change = entry.change
        if isinstance(change, Revert):
            target, _redo = revert_target(plan, change)
            concerned = target is not None and _concerns(target.change, key, sessions)
        else:
            concerned = _concerns(change, key, sessions)
        if concerned:
            reasons.append(_entry_text(entry, plan))
    now, now_sessions = sessions[-1], schedules[-1]
    for closure in closures:
        # A closure moves a session now (before, it was not recorded): it says so.
        if now is not None and _closed_by(now, closure.date, now_sessions):
            reasons.append(closure_text(closure))
    if not reasons:
        # Moved by the order of sessions (a session kept after the one before it): every
        # decision and closure recorded since that can move one, as all may have played a part.
        reasons = [_entry_text(e, plan) for e in recent if isinstance(e.change, MOVERS)]
        reasons += [closure_text(c) for c in closures]
    return explain.listed(dict.fromkeys(reasons))


def calls_since(
    plans: Sequence[Plan],
    settings: UnitSettings,
    port_rules: tuple[PortRule, ...],
    *,
    since: date,
    today: date,
) -> list[Call]:
    """Every coming session (from ``today``) whose date differs, or that is no longer given,
    between each plan's calendar as it was with what had been recorded before ``since`` and
    its calendar now: delays, stops, drugs left out, undos, and the unit's exceptional
    closures recorded since (a closure recorded before the program kept the moment counts
    as old). The most urgent call first: by the patient's first date concerned.

    ``plans`` carry the unit's current closures (as the store reads them with
    ``settings``)."""
    cutoff = recorded_since(since)
    new = [c for c in settings.unit_closures if c.added_at is not None and c.added_at >= cutoff]
    new_days = {c.date for c in new}
    old = replace(settings, unit_closures=tuple(c for c in settings.unit_closures if c not in new))
    calendars = {cs: old.calendar(cs) for cs in ClosureSet}
    lang = language()
    calls: list[Call] = []
    with collector_paused():
        for plan in plans:
            recent = [e for e in plan.ledger if e.at >= cutoff]
            if not recent and not new_days:
                continue
            now = schedule_of(plan, port_rules, today)
            if not recent and not any(
                m.blocked in new_days
                for s in now.sessions
                for m in s.moves
                if m.closure is not None and m.closure.kind is ClosureKind.UNIT
            ):
                continue
            earlier = replace(
                plan,
                ledger=tuple(e for e in plan.ledger if e.at < cutoff),
                calendar=calendars[plan.calendar.closure_set],
            )
            then = schedule_of(earlier, port_rules, today)
            calls.extend(_moved(plan, then, now, recent, new, today, lang))
    return _in_order(calls, today)


def _in_order(calls: list[Call], today: date | None = None) -> list[Call]:
    """The patient whose first session concerned (from ``today``) comes first is called
    first; each patient's sessions in order, runs of sessions moved for the same reason
    told in one line."""
    first: dict[str, date] = {}
    for call in calls:
        dates = [d for d in (call.before, call.after) if d is not None]
        coming = [d for d in dates if today is None or d >= today]
        when = min(coming or dates)
        first[call.patient.id] = min(first.get(call.patient.id, when), when)
    calls = sorted(
        calls,
        key=lambda c: (
            first[c.patient.id],
            c.patient.name.casefold(),
            c.patient.id,
            c.plan_id,
            c.key,
        ),
    )
    runs: list[Call] = []
    for call in calls:
        if runs and runs[-1]._same_way(call):
            runs[-1] = runs[-1]._and(call)
        else:
            shift = call.shift
            runs.append(replace(call, spread=None if shift is None else (shift, shift)))
    return runs


def _moved(
    plan: Plan,
    then: PlanSchedule,
    now: PlanSchedule,
    recent: Sequence[Entry],
    closures: Sequence[UnitClosure],
    today: date,
    lang: str,
) -> Iterator[Call]:
    before = {s.key: s for s in then.sessions}
    after = {s.key: s for s in now.sessions}
    # An open-ended treatment is planned two years ahead: a shift there makes a session
    # appear or vanish at the far end, which is nothing to tell. Only a stop (or a stop
    # undone) makes sessions vanish (or come back) for good.
    horizon = None
    if then.state.stop == now.state.stop and then.sessions and now.sessions:
        horizon = min(then.sessions[-1].date, now.sessions[-1].date)
    for key in sorted(before.keys() | after.keys()):
        was, now_session = before.get(key), after.get(key)
        if (was is not None and was.given_on is not None) or (
            now_session is not None and now_session.given_on is not None
        ):
            continue  # given: nothing to tell the patient
        old_day = was.date if was is not None and was.doses else None
        new_day = now_session.date if now_session is not None and now_session.doses else None
        if old_day == new_day:
            continue
        if max(d for d in (old_day, new_day) if d is not None) < today:
            continue  # all in the past
        if horizon is not None and (was is None or now_session is None):
            only = (was or now_session).date  # type: ignore[union-attr]
            if only > horizon:
                continue
        yield Call(
            plan.patient,
            plan.id,
            plan.regimen.name.get(lang),
            key,
            explain.session_name(plan.regimen, key),
            old_day,
            new_day,
            _why(plan, key, (before, after), recent, closures),
        )


def closure_calls(calls: Iterable[ToCall], closure: UnitClosure) -> list[Call]:
    """The patients to call after ``closure``, as
    :func:`planner.day_hospital.bookings.closure_calls` found them, in the form of this list."""
    return _in_order(
        [
            Call(
                call.patient,
                f"{call.patient.id}:{call.regimen}",
                call.regimen,
                call.session.key,
                explain.cycle_day(call.session.cycle, call.session.day),
                call.before,
                call.after,
                closure_text(closure),
            )
            for call in calls
        ]
    )


def calls_title(since: date) -> str:
    return _("Patients to call — sessions moved by what was recorded since {date}").format(
        date=format_date(since)
    )


def calls_count(calls: Sequence[Call]) -> str:
    """ "2 patients to call, 36 sessions moved"."""
    patients = len({c.patient.id for c in calls})
    sessions = sum(1 + c.more for c in calls)
    return _("{patients}, {sessions}").format(
        patients=ngettext("{n} patient to call", "{n} patients to call", patients).format(
            n=patients
        ),
        sessions=ngettext("{n} session moved", "{n} sessions moved", sessions).format(n=sessions),
    )


def calls_summary(calls: Sequence[Call], settings: UnitSettings) -> str:
    return f"{settings.name or _('Day hospital')} — {calls_count(calls)}"


def date_or_none(day: date | None, *, gone: bool) -> str:
    """A call's date in words; when there is none, "not given any more" (``gone``: the
    session is cancelled) or "(none)" (the session is new)."""
    if day is not None:
        return format_date(day)
    return _("not given any more") if gone else _("(none)")


def calls_head() -> list[str]:
    return [
        _("Patient"),
        _("Contact"),
        _("Regimen"),
        _("Session"),
        _("Was"),
        _("Now"),
        _("Why"),
    ]


def sessions_text(call: Call) -> str:
    """ "Treatment · C3 · D1", or "Treatment · C3 · D1 and 12 more" for a run."""
    if not call.more:
        return call.session
    return ngettext("{session} and {n} more", "{session} and {n} more", call.more).format(
        session=call.session, n=call.more
    )


def _days_moved(low: int, high: int) -> str:
    """ "8 days later", "7 to 8 days later", "7 days earlier"..."""
    if low == high:
        if low < 0:
            return ngettext("{n} day earlier", "{n} days earlier", -low).format(n=-low)
        return ngettext("{n} day later", "{n} days later", low).format(n=low)
    if low >= 0:
        return _("{low} to {high} days later").format(low=low, high=high)
    if high <= 0:
        return _("{low} to {high} days earlier").format(low=-high, high=-low)
    return _("{low} days earlier to {high} days later").format(low=-low, high=high)


def now_text(call: Call) -> str:
    """The new date: "Wed 9 Dec 2026", "Wed 9 Dec 2026 (each 1 day later)" for a run."""
    text = date_or_none(call.after, gone=True)
    if call.more and call.spread is not None:
        later = _days_moved(*call.spread)
        text = _("{date} (each {later})").format(date=text, later=later)
    return text


def call_cells(call: Call) -> list[str]:
    return [
        call.patient.name,
        call.patient.contact,
        call.regimen,
        sessions_text(call),
        date_or_none(call.before, gone=False),
        now_text(call),
        call.why,
    ]


def calls_csv(calls: Iterable[Call], *, bom: bool = True) -> Iterator[bytes]:
    """The patients to call as a CSV table, one row per session moved (dates YYYY-MM-DD;
    an empty date: the session did not exist before, or is no longer given)."""
    rows = (
        [
            c.patient.name,
            c.patient.contact,
            c.regimen,
            sessions_text(c),
            c.before.isoformat() if c.before else "",
            c.after.isoformat() if c.after else "",
            c.why,
        ]
        for c in calls
    )
    return csv_rows(calls_head(), rows, bom=bom)


def calls_html(calls: Sequence[Call], title: str, settings: UnitSettings) -> str:
    """The patients to call as printed pages: each patient with their contact, then every
    session of theirs that moved, from when to when, and why."""
    head = [_("Regimen"), _("Session"), _("Was"), _("Now"), _("Why")]
    parts = []
    if not calls:
        parts.append("<p>" + escape(_("Nobody to call: no coming session moved.")) + "</p>")
    groups: dict[str, list[Call]] = {}
    for call in calls:
        groups.setdefault(call.patient.id, []).append(call)
    for group in groups.values():
        patient = group[0].patient
        contact = patient.contact or _("no contact recorded")
        heading = _("{patient} — {contact}").format(patient=patient.name, contact=contact)
        parts.append(f"<h3>{escape(heading)}</h3>")
        rows = []
        for call in group:
            cells = call_cells(call)[2:]
            rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
        parts.append(table(head, rows, (24, 20, 13, 18, 25)))
    return page(title, calls_summary(calls, settings), "".join(parts))
