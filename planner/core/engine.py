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

from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from planner.core.closures import ONE_DAY, ClosureCalendar
from planner.core.regimen import Administration, Phase, Regimen
from planner.core.schedule import (
    Dose,
    Event,
    EventKind,
    Move,
    Policy,
    Schedule,
    Session,
    SessionWarning,
)

OPEN_ENDED_YEARS = 2
"""Without an end date, open-ended phases are planned for two years after the start."""


@dataclass(frozen=True, slots=True)
class LabRule:
    """When the blood test before a session is taken.

    The 1-3 day window is a widespread local convention, not a sourced rule: it is configurable.
    City laboratories in France commonly open on Saturday mornings, hence Monday-Saturday.
    """

    earliest: int = 3
    """Days before the session: the earliest acceptable lab day (D-3)."""
    latest: int = 1
    """Days before the session: the latest acceptable lab day (D-1)."""
    weekdays: frozenset[int] = frozenset(range(6))
    """Days of the week a lab takes samples (Monday = 0); public holidays never count."""
    reuse_within: int = 3
    """A session this many days or fewer after the previous one shares its blood test."""

    def __post_init__(self) -> None:
        if not 1 <= self.latest <= self.earliest:
            raise ValueError("the lab window must satisfy 1 <= latest <= earliest days before")
        if self.reuse_within < 0:
            raise ValueError("reuse_within must be zero or more days")
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError("lab weekdays are numbered 0 (Monday) to 6 (Sunday)")


class _Planner:
    """Walks the phases and cycles of one plan, placing sessions one after the other."""

    def __init__(self, regimen: Regimen, policy: Policy, calendar: ClosureCalendar) -> None:
        self.regimen = regimen
        self.policy = policy
        self.calendar = calendar
        self.sessions: list[Session] = []
        self.given: dict[str, int] = {}
        self.caps = {cap.agent: cap.max_administrations for cap in regimen.caps}

    def place(self, planned: date) -> tuple[date, tuple[Move, ...], bool]:
        """The actual date of a session planned on ``planned``, with the moves that led there."""
        calendar = self.calendar
        moves: list[Move] = []
        day = planned
        while not calendar.is_open(day):
            moves.append(Move(day, closure=calendar.closure(day)))
            day += ONE_DAY
        kept_in_order = False
        if self.sessions:
            previous = self.sessions[-1].date
            if day <= previous:
                moves.append(Move(day, previous=previous))
                kept_in_order = True
                day = previous + ONE_DAY
                while not calendar.is_open(day):
                    moves.append(Move(day, closure=calendar.closure(day)))
                    day += ONE_DAY
        return day, tuple(moves), kept_in_order

    def doses(self, adms: list[Administration], cycle: int) -> tuple[Dose, ...]:
        """The doses of ``adms`` given in ``cycle``, counting them against the caps."""
        doses: list[Dose] = []
        before: dict[str, int] = {}  # administrations of each drug before this session
        for adm in adms:
            if not adm.given_in_cycle(cycle):
                continue
            inn = adm.agent.inn
            if inn not in before:
                given = self.given.get(inn, 0)
                cap = self.caps.get(inn)
                if cap is not None and given >= cap:
                    continue
                before[inn] = given
                self.given[inn] = given + 1
            doses.append(Dose(adm, first=before[inn] == 0))
        return tuple(doses)

    def exhausted(self, phase: Phase) -> bool:
        """No IV drug of ``phase`` can be given any more: every one has reached its cap."""
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
        anchor = start  # planned C1D1 of the current phase
        for phase_no, phase in enumerate(self.regimen.phases, start=1):
            by_day: dict[int, list[Administration]] = {}
            for adm in sorted(phase.administrations, key=lambda a: a.order):
                if adm.starts_session:
                    for day in adm.days:
                        by_day.setdefault(day, []).append(adm)
            days = sorted(by_day)
            length = timedelta(days=phase.cycle_days)
            cycle_d1 = anchor  # planned D1 of the cycle
            actual_d1 = anchor
            cycle = 0
            while phase.cycles is None or cycle < phase.cycles:
                cycle += 1
                if cycle > 1:
                    cycle_d1 = (cycle_d1 if self.policy is Policy.GRID else actual_d1) + length
                if (phase.cycles is None or stop_fixed_phases) and cycle_d1 > limit:
                    return
                if phase.cycles is None and self.exhausted(phase):
                    return
                actual_d1 = cycle_d1
                for day in days:
                    doses = self.doses(by_day[day], cycle)
                    if not doses:
                        continue
                    base = cycle_d1 if self.policy is Policy.GRID or day == 1 else actual_d1
                    planned = base + timedelta(days=day - 1)
                    actual, moves, kept = self.place(planned)
                    if day == 1:
                        actual_d1 = actual
                    self.sessions.append(
                        Session(
                            phase=phase_no,
                            cycle=cycle,
                            day=day,
                            date=actual,
                            planned=planned,
                            doses=doses,
                            moves=moves,
                            warnings=(SessionWarning.AFTER_PREVIOUS_SESSION,) if kept else (),
                        )
                    )
            anchor = (cycle_d1 if self.policy is Policy.GRID else actual_d1) + length


def _lab_events(
    sessions: list[Session], calendar: ClosureCalendar, rule: LabRule
) -> tuple[list[Event], list[int]]:
    """The blood test before each session, and the indexes of sessions left without one."""
    events: list[Event] = []
    no_lab: list[int] = []
    previous: date | None = None
    offsets = [timedelta(days=k) for k in range(rule.latest, rule.earliest + 1)]
    for index, session in enumerate(sessions):
        if previous is not None and (session.date - previous).days <= rule.reuse_within:
            previous = session.date
            continue
        previous = session.date
        for offset in offsets:
            day = session.date - offset
            if day.weekday() in rule.weekdays and not calendar.is_public_holiday(day):
                events.append(Event(EventKind.LAB, day, index))
                break
        else:
            no_lab.append(index)
    return events, no_lab


def _pump_events(sessions: list[Session]) -> list[Event]:
    events = []
    for index, session in enumerate(sessions):
        for pump_days in sorted({d.administration.pump_days or 0 for d in session.doses} - {0}):
            events.append(
                Event(EventKind.PUMP_DISCONNECT, session.date + timedelta(pump_days), index)
            )
    return events


def plan(
    regimen: Regimen,
    start: date,
    *,
    policy: Policy = Policy.GRID,
    calendar: ClosureCalendar | None = None,
    lab_rule: LabRule | None = None,
    until: date | None = None,
) -> Schedule:
    """The sessions and events of ``regimen`` started on ``start``.

    ``until`` keeps only what falls on or before that date. Without it, fixed phases are
    planned in full and open-ended phases stop two years after the start.
    """
    calendar = calendar if calendar is not None else ClosureCalendar()
    lab_rule = lab_rule if lab_rule is not None else LabRule()
    if until is not None and until < start:
        raise ValueError(
            f"the end date {until.isoformat()} is before the start {start.isoformat()}"
        )
    limit = until if until is not None else start + relativedelta(years=OPEN_ENDED_YEARS)
    planner = _Planner(regimen, policy, calendar)
    planner.run(start, limit, stop_fixed_phases=until is not None)
    if until is not None:
        sessions = [s for s in planner.sessions if s.date <= until]
    elif regimen.is_open_ended:
        last = len(regimen.phases)
        sessions = [s for s in planner.sessions if s.phase < last or s.date <= limit]
    else:
        sessions = planner.sessions
    labs, no_lab = _lab_events(sessions, calendar, lab_rule)
    for index in no_lab:
        warnings = (*sessions[index].warnings, SessionWarning.NO_LAB_DAY)
        sessions[index] = replace(sessions[index], warnings=warnings)
    events = labs + _pump_events(sessions)
    if until is not None:
        events = [e for e in events if e.date <= until]
    events.sort(key=lambda e: (e.date, e.session, e.kind != EventKind.LAB))
    return Schedule(
        regimen=regimen,
        start=start,
        policy=policy,
        calendar=calendar,
        sessions=tuple(sessions),
        events=tuple(events),
        until=until,
    )
