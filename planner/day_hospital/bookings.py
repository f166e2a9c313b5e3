"""The day hospital's bookings over the store: book plans, find an earliest start, read a
day's sheet, see what an exceptional closure moves. Shared by the command line and the
desktop application; the rules themselves are in :mod:`planner.core.chairs`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from html import escape
from typing import TypeVar

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
    bookable,
    chair_minutes,
    earliest_start,
    flags,
    usual_chair,
)
from planner.core.closures import ClosureSet, UnitClosure
from planner.core.optimiser import (
    SOLVER_WORKERS,
    Cancelled,
    DayPlan,
    DaySession,
    needs,
    optimise_day,
)
from planner.core.patient import Patient, Preference
from planner.core.plan import Plan, PlanOptions
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortLevel, PortRule
from planner.core.regimen import Regimen
from planner.core.schedule import EventKind, Policy, Session, SessionKey
from planner.core.settings import UnitSettings
from planner.explain_plan import WarningLine
from planner.i18n import _, format_date, language, ngettext
from planner.spreadsheet import csv_lines
from planner.store import Store

_Solved = TypeVar("_Solved")
"""What solving one day gives (:func:`_each_day`)."""


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
    """Bookings made or changed."""
    unplaced: list[tuple[Plan, Session]]
    flags: list[Flag]
    days: list[DayPlan] = field(default_factory=list)
    """What the day optimiser did, day by day (when it was asked for)."""
    moved: int = 0
    """Of the bookings changed, those the sessions had before (moved in their day)."""


@dataclass(frozen=True, slots=True)
class Rebooked:
    """What :func:`rebook` changed in an occupancy."""

    before: dict[BookingKey, Booking | None]
    """Each booking changed, as it was (None: the session had none)."""
    unplaced: list[tuple[Plan, Session]]
    """Sessions for which no place fits on their day."""
    days: list[DayPlan] = field(default_factory=list)
    """What the day optimiser did, day by day (when it was asked for)."""


PARALLEL_DAYS = max(1, (os.cpu_count() or 1) // SOLVER_WORKERS)
"""Days the optimiser places at once: as many as the cores give each its solver threads
(two days at once on two cores gave 59 chairs on the demo's busiest day, one gave 55)."""


@dataclass(frozen=True, slots=True)
class Optimising:
    """How :func:`rebook` places many sessions at once: each day with something to book is
    placed whole by the day optimiser (:mod:`planner.core.optimiser`), its bookings already
    given to patients moving by at most the unit's limit."""

    today: date
    """The bookings of this day never move (the patient may be in the chair)."""
    time_limit: float = 1.0
    """Seconds the solver may take for one day."""
    workers: int = SOLVER_WORKERS
    """Solver threads for one day."""
    parallel: int = PARALLEL_DAYS
    """Days placed at once."""
    stop: threading.Event | None = None
    """Set from another thread: the day being placed ends with the best placement found,
    then :class:`planner.core.optimiser.Cancelled` is raised (nothing is kept)."""
    every_day: bool = False
    """Place again every day with bookings from ``since`` to ``until``, not only the days
    with something to book (after a change of weights, nurses or pharmacy)."""


def same_day_labs(ps: PlanSchedule) -> frozenset[SessionKey]:
    """The plan's sessions whose blood test is taken the same day (a lab window ending at
    D0): they start after the result."""
    sessions = ps.sessions
    return frozenset(
        sessions[e.session].key
        for e in ps.events
        if e.kind is EventKind.LAB and e.date == sessions[e.session].date
    )


def rebook(
    unit: Occupancy,
    schedules: Sequence[PlanSchedule],
    since: date,
    *,
    until: date | None = None,
    booked_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
    optimise: Optimising | None = None,
    first_fit: bool = False,
) -> Rebooked:
    """In ``unit`` (changed in place): book every session from ``since`` (to ``until``, when
    given: a unit books the coming weeks) of these plans that has no booking yet (unless
    ``booked_only``), and book again those whose booking no longer fits (the session moved,
    the day closed, a chair gone...), the patient's preferred half-day and usual chair first.

    Without ``optimise``, each session takes the place that costs its day least, the day's
    other bookings kept (a plan's change: instant); with it, each day with something to book
    is placed whole by the day optimiser, which may move the day's other bookings within the
    unit's limit (the unit's booking: about a second a day). With ``first_fit`` (and no
    ``optimise``), each session takes the earliest place that fits, as units booked by hand
    (the README's "before" picture).

    A booking that finds no new place stays where it was, flagged; the booking of a session
    no longer planned (omitted, the plan stopped) is removed, freeing its chair.
    ``progress(done, total)`` is told after each plan (each day, optimising); it may raise
    to stop (``unit`` is then left part-booked: undo what was done, or drop it; optimising,
    ``unit`` is put back as it was, as when ``optimise.stop`` is set; or work in a copy, as
    :func:`place` does)."""
    before: dict[BookingKey, Booking | None] = {}
    for flag in flags(unit, {ps.plan.id: ps.sessions for ps in schedules}):
        day = flag.booking.day or date.min
        if flag.problem is Problem.GONE and since <= day and (until is None or day <= until):
            before[flag.key] = flag.booking
            unit.remove(flag.key)
    if optimise is not None:
        try:
            return _optimise_days(
                unit, schedules, since, until, booked_only, progress, optimise, before
            )
        except BaseException:  # stopped or failed: the unit as it was
            undo_rebook(unit, Rebooked(before, []))
            raise
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
            same_day_lab=same_day_labs(ps),
            first_fit=first_fit,
        )
        for session_key in result.added:
            before[(plan.id, session_key)] = own.get(session_key)
        unplaced.extend((plan, s) for s in result.unplaced)
        if progress is not None:
            progress(done, len(schedules))
    return Rebooked(before, unplaced)


def _optimise_days(
    unit: Occupancy,
    schedules: Sequence[PlanSchedule],
    since: date,
    until: date | None,
    booked_only: bool,
    progress: Callable[[int, int], None] | None,
    optimise: Optimising,
    before: dict[BookingKey, Booking | None],
) -> Rebooked:
    wanted: dict[date, list[tuple[PlanSchedule, Session]]] = {}
    by_key: dict[BookingKey, tuple[PlanSchedule, Session]] = {}
    labs: dict[str, frozenset[SessionKey]] = {}
    for ps in schedules:
        labs[ps.plan.id] = same_day_labs(ps)
        for session in ps.sessions:
            if not bookable(session) or session.date < since:
                continue
            if until is not None and session.date > until:
                continue
            key = (ps.plan.id, session.key)
            by_key[key] = (ps, session)
            existing = unit.bookings.get(key)
            if existing is None and booked_only:
                continue
            if existing is not None and existing.day == session.date and key not in unit.misfits:
                continue  # booked where it fits: nothing to do
            wanted.setdefault(session.date, []).append((ps, session))
    if optimise.every_day:
        for booking in unit.bookings.values():
            day = booking.day
            if day is not None and day >= since and (until is None or day <= until):
                wanted.setdefault(day, [])
    unplaced: list[tuple[Plan, Session]] = []
    days = []
    for day in sorted(wanted):
        if unit.grid(day) is None:  # closed: no place on its day
            unplaced.extend((ps.plan, s) for ps, s in wanted[day])
        else:
            days.append(day)
    chairs: dict[str, str | None] = {}

    def usual(plan_id: str) -> str | None:
        if plan_id not in chairs:
            chairs[plan_id] = usual_chair(unit.of_plan(plan_id).values())
        return chairs[plan_id]

    resources = unit.resources
    everywhere = {(ps.plan.id, s.key) for wanted_day in wanted.values() for ps, s in wanted_day}
    placing: dict[date, list[DaySession]] = {}
    for day in days:
        pinned = day <= optimise.today
        sessions: list[DaySession] = []
        for key, booking in unit.on_day(day):
            if key in everywhere or key in unit.misfits:
                continue
            found = by_key.get(key)
            if found is None:  # a plan not being booked: kept as it is
                sessions.append(DaySession(key, booking.minutes, booked=booking, pinned=True))
                continue
            ps, session = found
            sessions.append(
                DaySession(
                    key,
                    booking.minutes,
                    ps.plan.patient.preference,
                    usual(key[0]),
                    booking,
                    session.key in labs[key[0]],
                    pinned,
                )
            )
        for ps, session in wanted[day]:
            key = (ps.plan.id, session.key)
            existing = unit.bookings.get(key)
            sessions.append(
                DaySession(
                    key,
                    chair_minutes(session, resources),
                    ps.plan.patient.preference,
                    usual(key[0]),
                    existing if existing is not None and existing.day == day else None,
                    session.key in labs[key[0]],
                )
            )
        placing[day] = sessions
    results = _solve_days(unit, placing, optimise, progress)
    # In this thread, the occupancy changes only here: every booking the days place is taken
    # up first (a session moved to a later day still held its old place), then each day's
    # placement is put down, then what found no place goes back where it was, flagged.
    keys = everywhere | {s.key for sessions in placing.values() for s in sessions}
    originals = {key: unit.bookings.get(key) for key in keys}
    for key in keys:
        unit.remove(key)
    planned = []
    for day in days:
        result = results[day]
        for key, booking in result.bookings.items():
            unit.add(key, booking)
        planned.append(result)
    for key in everywhere:
        if key not in unit.bookings:
            ps, session = by_key[key]
            if unit.grid(session.date) is not None:  # closed days were said above
                unplaced.append((ps.plan, session))
    unit.adopt(
        {k: b for k, b in originals.items() if b is not None and k not in unit.bookings}
    )  # never dropped
    for key, old in originals.items():
        if unit.bookings.get(key) != old and key not in before:
            before[key] = old
    return Rebooked(before, unplaced, planned)


def _each_day(
    solve: Callable[[date], _Solved],
    days: Iterable[date],
    *,
    parallel: int,
    stop: threading.Event | None,
    progress: Callable[[int, int], None] | None,
) -> dict[date, _Solved]:
    """``solve(day)`` for each day, ``parallel`` days at once (the solver leaves the
    interpreter while it searches); ``progress(done, total)`` told in this thread as days
    end. ``stop`` set, or a day failing, ends the days still searching and raises."""
    results: dict[date, _Solved] = {}
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = {pool.submit(solve, day): day for day in days}
        try:
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if stop is not None and stop.is_set():
                    raise Cancelled
                if progress is not None:
                    progress(len(results), len(futures))
        except BaseException:
            if stop is not None:
                stop.set()  # the days still searching end at once
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results


def _solve_days(
    unit: Occupancy,
    placing: Mapping[date, Sequence[DaySession]],
    optimise: Optimising,
    progress: Callable[[int, int], None] | None,
) -> dict[date, DayPlan]:
    """Each day's placement, :attr:`Optimising.parallel` days at once."""
    return _each_day(
        lambda day: optimise_day(
            unit,
            day,
            placing[day],
            time_limit=optimise.time_limit,
            workers=optimise.workers,
            stop=optimise.stop,
        ),
        placing,
        parallel=optimise.parallel,
        stop=optimise.stop,
        progress=progress,
    )


@dataclass(frozen=True, slots=True)
class WeekdayNeeds:
    """What a weekday needs at least over a period, every session placed under the unit's
    rules: the most any of its days needs (:func:`capacity`)."""

    weekday: int
    """Monday = 0."""
    days: int
    """Open days of this weekday in the period with sessions."""
    chairs: int
    """The fewest chairs found with which every day of this weekday fits..."""
    chairs_bound: int
    """...and fewer than this cannot do on at least one of them (the solver's proof)."""
    nurses: int
    """The fewest nurses found (at the unit's infusions started per nurse and slot)..."""
    nurses_bound: int
    """...and fewer cannot do."""
    busiest: date
    """The day that needs the chairs."""
    fits: bool
    """Every session fits at all (else some is longer than the day, or more than the
    pharmacy can prepare in the day)."""


def capacity(
    unit: Occupancy,
    schedules: Sequence[PlanSchedule],
    first: date,
    last: date,
    *,
    time_limit: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> list[WeekdayNeeds]:
    """ "How many chairs and nurses do we need?": for each weekday, from ``first`` to
    ``last``, the fewest chairs (nurses as they are) and the fewest nurses (chairs as
    needed) with which every session of each day fits, the pharmacy, hours and the patients'
    blood-test waits as they are; with the bounds the solver proved. The sessions are placed
    afresh, their bookings ignored. ``progress(done, total)`` is told after each day."""
    resources = unit.resources
    by_day: dict[date, list[DaySession]] = {}
    for ps in schedules:
        labs = same_day_labs(ps)
        for session in ps.sessions:
            if bookable(session) and first <= session.date <= last:
                by_day.setdefault(session.date, []).append(
                    DaySession(
                        (ps.plan.id, session.key),
                        chair_minutes(session, resources),
                        ps.plan.patient.preference,
                        same_day_lab=session.key in labs,
                    )
                )
    days = sorted(d for d in by_day if unit.grid(d) is not None)
    found: dict[int, WeekdayNeeds] = {}
    per_nurse = resources.starts_per_nurse
    everyone = _each_day(
        lambda day: needs(unit, day, by_day[day], time_limit=time_limit, stop=stop),
        days,
        parallel=PARALLEL_DAYS,
        stop=stop,
        progress=progress,
    )
    for day in days:
        need = everyone[day]
        nurses = -(-need.starts // per_nurse)
        bound = -(-need.starts_bound // per_nurse)
        was = found.get(day.weekday())
        if was is None:
            found[day.weekday()] = WeekdayNeeds(
                day.weekday(), 1, need.chairs, need.chairs_bound, nurses, bound, day, need.placed
            )
        else:
            found[day.weekday()] = WeekdayNeeds(
                day.weekday(),
                was.days + 1,
                max(was.chairs, need.chairs),
                max(was.chairs_bound, need.chairs_bound),
                max(was.nurses, nurses),
                max(was.nurses_bound, bound),
                day if need.chairs > was.chairs else was.busiest,
                was.fits and need.placed,
            )
    return [found[w] for w in sorted(found)]


def undo_rebook(unit: Occupancy, done: Rebooked) -> None:
    """Put ``unit`` back as it was before :func:`rebook` gave ``done``."""
    for key in done.before:
        unit.remove(key)
    unit.adopt({k: b for k, b in done.before.items() if b is not None})


@dataclass(frozen=True, slots=True)
class Placement:
    """What :func:`rebook` would change, ``unit`` left as it was (:func:`place`)."""

    before: dict[BookingKey, Booking | None]
    """Each booking it would change, as it is (None: the session has none)..."""
    after: dict[BookingKey, Booking | None]
    """...and as it would be (None: removed, the session no longer planned)."""
    unplaced: list[tuple[Plan, Session]]
    days: list[DayPlan] = field(default_factory=list)
    """What the day optimiser did, day by day (when it was asked for)."""


def place(
    unit: Occupancy,
    schedules: Sequence[PlanSchedule],
    since: date,
    *,
    until: date | None = None,
    booked_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
    optimise: Optimising | None = None,
    first_fit: bool = False,
    optimise_until: date | None = None,
    later_progress: Callable[[int, int], None] | None = None,
) -> Placement:
    """What :func:`rebook` would do to ``unit``, without doing it.

    Optimising, the days are placed in a copy of ``unit`` (:meth:`Occupancy.copy`), never
    in ``unit`` itself: another thread may place them (a second a day) while ``unit`` is
    read and shown, and a cancelled or failed placing (:class:`Cancelled`, or whatever
    ``progress`` raises) leaves nothing to put back. With ``optimise_until``, only the days
    up to it are placed by the optimiser (``progress`` told day by day); the sessions after
    it are booked one at a time, at once, in the same copy (``later_progress`` told plan by
    plan): a unit's coming weeks placed with care, its later months in a moment. Without
    ``optimise`` (instant), in ``unit``, put back as it was before returning or raising."""
    if optimise is not None:
        work = unit.copy()
        near = until if optimise_until is None else min(until or optimise_until, optimise_until)
        done = rebook(
            work,
            schedules,
            since,
            until=near,
            booked_only=booked_only,
            progress=progress,
            optimise=optimise,
        )
        before, unplaced = dict(done.before), list(done.unplaced)
        if near is not None and (until is None or near < until):
            later = rebook(
                work,
                schedules,
                max(since, near + timedelta(days=1)),
                until=until,
                booked_only=booked_only,
                progress=later_progress,
            )
            for key, was in later.before.items():
                before.setdefault(key, was)
            unplaced += later.unplaced
        after = {key: work.bookings.get(key) for key in before}
        return Placement(before, after, unplaced, done.days)
    # Keep what it changes as it goes: put back even when progress stops it half-way.
    kept = dict(unit.bookings)
    try:
        done = rebook(
            unit,
            schedules,
            since,
            until=until,
            booked_only=booked_only,
            progress=progress,
            first_fit=first_fit,
        )
    except BaseException:
        changed = {k for k, b in unit.bookings.items() if kept.get(k) != b}
        changed |= {k for k in kept if k not in unit.bookings}
        undo_rebook(unit, Rebooked({k: kept.get(k) for k in changed}, []))
        raise
    after = {key: unit.bookings.get(key) for key in done.before}
    undo_rebook(unit, done)
    return Placement(dict(done.before), after, done.unplaced, done.days)


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
    optimise: Optimising | None = None,
) -> Booked:
    """:func:`rebook` these plans from ``since`` (to ``until``; each day placed whole by the
    optimiser with ``optimise``), saved at once; ``flags`` in the result are what stays to
    redo. ``progress(done, total)`` is told as plans (days) are booked, before the bookings
    are saved; it may raise to stop (nothing is then saved)."""
    if unit is None:
        unit = occupancy(store.settings(), store.resources(), store.bookings())
    done = rebook(unit, schedules, since, until=until, progress=progress, optimise=optimise)
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
        len(new),
        done.unplaced,
        flags(unit, {ps.plan.id: ps.sessions for ps in schedules}),
        done.days,
        sum(1 for k in new if done.before.get(k) is not None),
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
