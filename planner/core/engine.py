"""The scheduling engine: a regimen and a start date become the exact calendar of sessions.

Rules (see docs/scheduling-rules.md for worked examples):

* The plan start S is C1D1 of phase 1. A phase's next cycle starts one cycle length after its
  D1, and the next phase's C1D1 is the previous phase's last D1 plus that phase's cycle length
  (CheckMate 067: nivolumab maintenance starts 21 days after the 4th induction dose).
* ``grid``: every planned date is on the theoretical grid from S; a closure moves a session to
  the next open day and nothing else. ``reanchor``: each cycle's D1 is planned one cycle length
  after the previous cycle's *actual* D1, and the days of a cycle are counted from its actual
  D1, so a move carries over to what follows.
* In both policies the sessions of one plan never share a date and keep their order.
* A session is a day on which an IV administration starts. Oral and subcutaneous drugs are
  taken at home; a continuous infusion makes no session on its later days but a pump
  disconnection event ceil(hours / 24) days after it is connected (D3 for a 46-h 5-FU pump).
* A blood test precedes each session: the latest lab day in the window before it, unless the
  previous session is close enough to share its test.
* Caps limit a drug's administrations over the whole plan (pembrolizumab: 35).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from planner.core.closures import ONE_DAY, ClosureCalendar
from planner.core.regimen import Administration, Phase, Regimen
from planner.core.schedule import (
    EVENT_ORDER,
    Adjustments,
    Dose,
    Event,
    EventKind,
    Move,
    Policy,
    Schedule,
    Session,
    SessionKey,
    SessionWarning,
)

OPEN_ENDED_YEARS = 2
"""Without an end date, open-ended phases are planned for two years after the start."""


@dataclass(frozen=True, slots=True)
class LabRule:
    """When the blood test before a session is taken.

    The 1-3 day window is a widespread local convention, not a sourced rule: it is configurable.
    City laboratories in France commonly open on Saturday mornings, hence Monday-Saturday.
    A window that ends on the session's day (``latest`` = 0) is a test taken in the unit on
    the morning of the session, its result awaited before the treatment is confirmed (the
    session then starts no earlier than :attr:`UnitResources.lab_result_start`).
    """

    earliest: int = 3
    """Days before the session: the earliest acceptable lab day (D-3)."""
    latest: int = 1
    """Days before the session: the latest acceptable lab day (D-1; 0: the session's day)."""
    weekdays: frozenset[int] = frozenset(range(6))
    """Days of the week a lab takes samples (Monday = 0); public holidays never count. The
    session's own day always counts (the unit takes the sample)."""
    reuse_within: int = 3
    """A session this many days or fewer after the previous one shares its blood test."""

    def __post_init__(self) -> None:
        if not 0 <= self.latest <= self.earliest:
            raise ValueError("the lab window must satisfy 0 <= latest <= earliest days before")
        if self.reuse_within < 0:
            raise ValueError("reuse_within must be zero or more days")
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError("lab weekdays are numbered 0 (Monday) to 6 (Sunday)")


@functools.lru_cache(maxsize=4096)
def months_after(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (31 January + 1 month: 28 or 29 February).

    Memoised: ``relativedelta`` arithmetic costs about 8 µs, and a unit's plans ask for the
    same few hundred dates again and again.
    """
    result: date = day + relativedelta(months=months)
    return result


_NOTHING: frozenset[str] = frozenset()
_NO_TIME = timedelta(0)
_LATER = 3
"""Dose.nth of a drug's third and later administrations, which all take the same time."""

_Doses = tuple[tuple[Dose, ...], tuple[Dose, ...], tuple[int, ...]]
"""Doses given, doses omitted, and the days after the session on which pumps come off."""


def _pump_offsets(doses: tuple[Dose, ...]) -> tuple[int, ...]:
    return tuple(sorted({d.administration.pump_days or 0 for d in doses} - {0}))


class _Planner:
    """Walks the phases and cycles of one plan, placing sessions one after the other."""

    def __init__(
        self,
        regimen: Regimen,
        policy: Policy,
        calendar: ClosureCalendar,
        adjustments: Adjustments,
    ) -> None:
        self.regimen = regimen
        self.adjustments = adjustments
        self.policy = policy
        self.calendar = calendar
        self.sessions: list[Session] = []
        self.last: date | None = None
        """The date of the last session placed."""
        self.pumps: list[tuple[int, ...]] = []
        """For each session, the days after it on which its pumps come off."""
        self.given: dict[str, int] = {}
        self.caps = {cap.agent: cap.max_administrations for cap in regimen.caps}
        # Most sessions of a plan repeat the same doses: share the (immutable) tuples.
        self._doses: dict[tuple[int, ...], _Doses] = {}
        self._steady: dict[tuple[int, int], _Doses] = {}
        self._capped: dict[tuple[int, int], tuple[str, ...]] = {}

    def place(self, planned: date) -> tuple[date, tuple[Move, ...], bool]:
        """The actual date of a session planned on ``planned``, with the moves that led there."""
        calendar = self.calendar
        previous = self.last
        if (previous is None or planned > previous) and calendar.is_open(planned):
            return planned, (), False  # the common case: nothing in the way
        moves: list[Move] = []
        day = planned
        while not calendar.is_open(day):
            moves.append(Move(day, closure=calendar.closure(day)))
            day += ONE_DAY
        kept_in_order = False
        if previous is not None and day <= previous:
            moves.append(Move(day, previous=previous))
            kept_in_order = True
            day = previous + ONE_DAY
            while not calendar.is_open(day):
                moves.append(Move(day, closure=calendar.closure(day)))
                day += ONE_DAY
        return day, tuple(moves), kept_in_order

    def doses(
        self,
        group: tuple[int, int],
        adms: list[Administration],
        cycle: int,
        limited: bool,
        omit: frozenset[str] = _NOTHING,
    ) -> tuple[tuple[Dose, ...], tuple[Dose, ...], tuple[int, ...]]:
        """The doses of ``adms`` given in ``cycle`` and those omitted, and the days after the
        session on which the pumps come off. ``group`` is (phase, day).

        Omitted doses do not count against the caps: a cap counts what is given.
        """
        given, caps = self.given, self.caps
        if not limited and not omit:
            # Without limits or omissions, a day's doses only change until every drug of it
            # has been given twice (its first and second administrations may take longer),
            # and again when one reaches its cap: in between, every cycle repeats the same
            # doses (the capped drugs are still counted).
            steady = self._steady.get(group)
            if steady is not None:
                capped = self._capped[group]
                if not capped:
                    return steady
                for inn in capped:
                    if given[inn] >= caps[inn]:
                        break
                else:
                    for inn in capped:
                        given[inn] += 1
                    return steady
        before: dict[str, int] = {}  # administrations of each drug before this session
        # Which administrations, and which of the drug's each is: 3 * n + 0 (its first), 1
        # (its second) or 2 (a later one), as Dose.nth - 1.
        key: list[int] = []
        left_out: list[Dose] = []
        for n, adm in enumerate(adms):
            if limited and not adm.given_in_cycle(cycle):
                continue
            inn = adm.agent.inn
            count = before.get(inn)
            if count is None:
                count = given.get(inn, 0)
                cap = caps.get(inn) if caps else None
                if cap is not None and count >= cap:
                    before[inn] = -1
                    continue
                if inn in omit:
                    left_out.append(Dose(adm, min(count, 2) + 1))
                    before[inn] = -2 - count  # remembered as omitted, not counted
                    continue
                before[inn] = count
                given[inn] = count + 1
            elif count == -1:
                continue
            elif count < -1:
                left_out.append(Dose(adm, min(-2 - count, 2) + 1))
                continue
            key.append(3 * n + min(count, 2))
        if omit:
            doses = tuple(Dose(adms[k // 3], k % 3 + 1) for k in key)
            return doses, tuple(left_out), _pump_offsets(doses)
        cache_key = (*group, *key)
        cached = self._doses.get(cache_key)
        if cached is None:
            doses = tuple(Dose(adms[k // 3], k % 3 + 1) for k in key)
            cached = self._doses[cache_key] = (doses, (), _pump_offsets(doses))
            if len(doses) == len(adms) and all(d.nth == _LATER for d in doses):
                self._steady[group] = cached
                self._capped[group] = tuple({a.agent.inn for a in adms if a.agent.inn in caps})
        return cached

    def exhausted(self, phase: Phase) -> bool:
        """No IV drug of ``phase`` can be given any more: every one has reached its cap."""
        if not self.caps:
            return False
        for adm in phase.administrations:
            if not adm.starts_session:
                continue
            cap = self.caps.get(adm.agent.inn)
            if cap is None or self.given.get(adm.agent.inn, 0) < cap:
                return False
        return True

    def run(self, start: date, limit: date, *, stop_fixed_phases: bool) -> None:
        """Place every session up to ``limit`` in open-ended phases (and fixed ones if asked).

        Actual dates never precede planned ones, so a cycle planned after the limit ends it.
        """
        grid = self.policy is Policy.GRID
        adjust = self.adjustments
        reschedules, omitted, given_on = adjust.reschedules, adjust.omitted, adjust.given
        if adjust.stop is not None:
            # Nothing is planned on or after the day the plan stops.
            limit = min(limit, adjust.stop - ONE_DAY)
            stop_fixed_phases = True
        follows: SessionKey | None = None  # the last rescheduled D1, which later cycles follow
        last = self.last
        anchor = start  # planned C1D1 of the current phase
        for phase_no, phase in enumerate(self.regimen.phases, start=1):
            if phase_no > 1 and phase.gap_days:
                anchor += timedelta(days=phase.gap_days)
            by_day: dict[int, list[Administration]] = {}
            for adm in sorted(phase.administrations, key=lambda a: a.order):
                if adm.starts_session:
                    for day in adm.days:
                        by_day.setdefault(day, []).append(adm)
            days = [
                (day, by_day[day], timedelta(days=day - 1), (phase_no, day))
                for day in sorted(by_day)
            ]
            limited = any(
                a.first_cycle != 1 or a.last_cycle is not None for a in phase.administrations
            )
            length = timedelta(days=phase.cycle_days)
            open_ended = phase.cycles is None
            cycle_d1 = anchor  # planned D1 of the cycle
            actual_d1 = anchor
            cycle = 0
            # The loop below runs for every session of every plan: names are bound locally.
            doses_of, place = self.doses, self.place
            is_open = self.calendar.is_open
            add_session, add_pumps = self.sessions.append, self.pumps.append
            while open_ended or cycle < (phase.cycles or 0):
                cycle += 1
                if cycle > 1:
                    cycle_d1 = (cycle_d1 if grid else actual_d1) + length
                d1_change = reschedules.get((phase_no, cycle, 1)) if reschedules else None
                if d1_change is not None:
                    # A delayed D1 re-anchors the rest of the plan, in both policies.
                    cycle_d1 = d1_change.to
                    follows = (phase_no, cycle, 1)
                if (open_ended or stop_fixed_phases) and cycle_d1 > limit:
                    return
                if open_ended and self.exhausted(phase):
                    return
                actual_d1 = cycle_d1
                extra = _NO_TIME  # a delayed day that shifts the rest of its cycle
                for day, adms, offset, group in days:
                    key = (phase_no, cycle, day)
                    omit = omitted.get(key, _NOTHING) if omitted else _NOTHING
                    doses, left_out, pumps = doses_of(group, adms, cycle, limited, omit)
                    if not doses and not left_out:
                        continue
                    planned = (cycle_d1 if grid or day == 1 else actual_d1) + offset + extra
                    change = reschedules.get(key) if reschedules else None
                    if change is not None and day != 1:
                        if change.shift_rest_of_cycle:
                            extra += change.to - planned
                        planned = change.to
                    when = given_on.get(key) if given_on else None
                    moves: tuple[Move, ...] = ()
                    if when is not None:
                        actual, kept = when, False  # a fact, not a plan: nothing moves it
                    elif (last is None or planned > last) and is_open(planned):
                        actual, kept = planned, False  # inlined common case of place()
                    else:
                        actual, moves, kept = place(planned)
                    self.last = last = actual
                    if day == 1:
                        actual_d1 = actual
                    add_session(
                        Session(
                            phase_no,
                            cycle,
                            day,
                            actual,
                            planned,
                            doses,
                            moves,
                            _KEPT_IN_ORDER if kept else (),
                            left_out,
                            when,
                            change,
                            follows,
                        )
                    )
                    add_pumps(pumps)
            anchor = (cycle_d1 if grid else actual_d1) + length


_KEPT_IN_ORDER = (SessionWarning.AFTER_PREVIOUS_SESSION,)
_UNKNOWN: Any = object()
_NO_ADJUSTMENTS = Adjustments()


def _lab_events(
    sessions: list[Session], calendar: ClosureCalendar, rule: LabRule
) -> tuple[list[Event], list[int]]:
    """The blood test before each session, and the indexes of sessions left without one."""
    events: list[Event] = []
    no_lab: list[int] = []
    previous: date | None = None
    lab_day = calendar.latest_lab_day
    earliest, latest, weekdays, reuse = rule.earliest, rule.latest, rule.weekdays, rule.reuse_within
    known = calendar.lab_days(earliest, latest, weekdays).get
    add = events.append
    for index, session in enumerate(sessions):
        if not session.doses:
            continue  # nothing given that day: no test needed
        day = session.date
        if previous is not None and (day - previous).days <= reuse:
            previous = day
            continue
        previous = day
        lab = known(day, _UNKNOWN)
        if lab is _UNKNOWN:
            lab = lab_day(day, earliest, latest, weekdays)
        if lab is None:
            no_lab.append(index)
        else:
            add(Event(EventKind.LAB, lab, index))
    return events, no_lab


def _pump_events(sessions: list[Session], pumps: list[tuple[int, ...]]) -> list[Event]:
    return [
        Event(EventKind.PUMP_DISCONNECT, session.date + timedelta(days), index)
        for index, (session, offsets) in enumerate(zip(sessions, pumps, strict=False))
        for days in offsets
    ]


def plan(
    regimen: Regimen,
    start: date,
    *,
    policy: Policy = Policy.GRID,
    calendar: ClosureCalendar | None = None,
    lab_rule: LabRule | None = None,
    until: date | None = None,
    adjustments: Adjustments | None = None,
) -> Schedule:
    """The sessions and events of ``regimen`` started on ``start``.

    ``until`` keeps only what falls on or before that date. Without it, fixed phases are
    planned in full and open-ended phases stop two years after the start.
    ``adjustments`` are what the plan's ledger decided: delays, omissions, doses recorded as
    given, and the day the plan stopped.
    """
    calendar = calendar if calendar is not None else ClosureCalendar()
    lab_rule = lab_rule if lab_rule is not None else LabRule()
    if until is not None and until < start:
        raise ValueError(
            f"the end date {until.isoformat()} is before the start {start.isoformat()}"
        )
    limit = until if until is not None else months_after(start, 12 * OPEN_ENDED_YEARS)
    adjustments = adjustments if adjustments is not None else _NO_ADJUSTMENTS
    planner = _Planner(regimen, policy, calendar, adjustments)
    planner.run(start, limit, stop_fixed_phases=until is not None)
    if until is not None:
        sessions = [s for s in planner.sessions if s.date <= until]
    elif regimen.is_open_ended:
        last = len(regimen.phases)
        sessions = [s for s in planner.sessions if s.phase < last or s.date <= limit]
    else:
        sessions = planner.sessions
    stop = adjustments.stop
    if stop is not None:
        sessions = [s for s in sessions if s.date < stop or s.given_on is not None]
    labs, no_lab = _lab_events(sessions, calendar, lab_rule)
    for index in no_lab:
        warnings = (*sessions[index].warnings, SessionWarning.NO_LAB_DAY)
        sessions[index] = sessions[index]._replace(warnings=warnings)
    events = labs + _pump_events(sessions, planner.pumps) if any(planner.pumps) else labs
    if until is not None:
        events = [e for e in events if e.date <= until]
    events.sort(key=EVENT_ORDER)
    return Schedule(
        regimen=regimen,
        start=start,
        policy=policy,
        calendar=calendar,
        sessions=tuple(sessions),
        events=tuple(events),
        until=until,
    )
