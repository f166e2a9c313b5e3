"""A plan's whole calendar: sessions, and the checks, reminders and tasks placed around them.

On top of the engine's sessions, blood tests and pump disconnections, a plan gets:

* monitoring from the regimen's rules: thyroid function with the blood test of every cycle
  of 3 weeks or more, of every other 2-week cycle (checkpoint inhibitors, ASCO 2018: every
  4 to 6 weeks), cardiac function, endoscopy and other exams on an open day in the week
  before the session they inform (trastuzumab: LVEF every 3 months), baseline exams in the
  week before C1; a baseline check whose result is needed before C1 (the DPD test before
  5-FU, HAS/INCa 2018; LVEF before an anthracycline) early enough for its result;
* response imaging every N weeks, in the week before the session it informs; none for a
  treatment given around surgery, unless the coordinator asks (nothing to measure);
* an oncologist consultation on the day of every N-th cycle, before the infusion;
* premedication reminders (pemetrexed: folic acid from 7 days before C1 to 21 days after the
  last dose once that dose is known, vitamin B12 in the week before C1 then every 9 weeks,
  dexamethasone the day before, of and after);
* the port placement at least 7 days before C1 when the port is required or confirmed;
* after a suspected progression on immunotherapy, a confirmation scan 4 to 8 weeks later
  (iRECIST) before a session, and a consultation after it; a routine response scan that
  would come less than 4 weeks after the suspected progression is not planned (iRECIST
  disregards it), and the plan says so.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from planner.core.closures import ClosureCalendar
from planner.core.engine import months_after
from planner.core.engine import plan as plan_sessions
from planner.core.plan import (
    CONFIRMATION_DAYS,
    IRECIST_VARIANCE_DAYS,
    Plan,
    PlanState,
    SuspectProgression,
    imaging_weeks,
    measures_response,
    plan_state,
)
from planner.core.port import PortAdvice, PortLevel, PortRule, port_advice
from planner.core.regimen import (
    MonitoringKind,
    MonitoringRule,
    Premedication,
    PremedicationTiming,
    cycles_between_checks,
)
from planner.core.schedule import EVENT_ORDER, Event, EventKind, Schedule, Session
from planner.core.summary import PlanFacts, days_text
from planner.core.text import Text

EXAM_WINDOW_DAYS = 7
"""An exam that informs a session is done in the week before it..."""
EXAM_REPORT_DAYS = 2
"""...preferably at least two days before, so the report is ready."""
BEFORE_C1_CODE = "before-c1"
"""The event code of a check whose result is needed before C1: ``<kind>:before-c1``."""


BLOOD_TEST_CHECKS = frozenset({MonitoringKind.THYROID})
"""Checks taken with the blood test before a session (their event code is the kind)."""
_AT_CONSULTATION = {MonitoringKind.CONSULTATION}


class PlanWarning(StrEnum):
    PORT_TOO_LATE = "port-too-late"
    """The port cannot be placed the required number of days before C1 any more."""
    NO_EXAM_DAY = "no-exam-day"
    """No open day in the week before a session for an exam it needs."""


@dataclass(frozen=True, slots=True)
class PlanNotice:
    warning: PlanWarning
    date: date | None = None
    session: int | None = None


@dataclass(frozen=True, slots=True)
class SkippedScan:
    """A routine response scan not planned: it would come less than 4 weeks after the
    imaging that suggested progression, and iRECIST disregards such a scan (the
    confirmation scan 4 to 8 weeks later takes its place)."""

    day: date
    """The day the scan would have been."""
    session: int
    """The index of the session it would have informed."""
    progression: date
    """The imaging that suggested progression."""


@dataclass(frozen=True, slots=True)
class PlanSchedule:
    plan: Plan
    schedule: Schedule
    """The engine's sessions, blood tests and pump disconnections."""
    events: tuple[Event, ...]
    """Every event of the plan, the engine's included, in date order."""
    port: PortAdvice
    port_task: bool
    """A port placement is planned (required or confirmed, and not already in place)."""
    state: PlanState
    notices: tuple[PlanNotice, ...] = ()
    skipped_scans: tuple[SkippedScan, ...] = ()
    """Routine response scans left out after a suspected progression, and why."""

    @property
    def sessions(self) -> tuple[Session, ...]:
        return self.schedule.sessions

    @property
    def stopped(self) -> bool:
        return self.state.stop is not None


def _open_day_before(
    calendar: ClosureCalendar, session_day: date, earliest: date | None = None
) -> date | None:
    """The exam day for a session: the latest open day from D-7 to D-2, else D-1."""
    day = calendar.latest_open_before(session_day, EXAM_REPORT_DAYS, EXAM_WINDOW_DAYS)
    if day is None:
        day = calendar.latest_open_before(session_day, 1, 1)
    if day is not None and earliest is not None and day < earliest:
        # The latest open day is before ``earliest``: every day from it to D-2 is closed.
        return None
    return day


def _runs(days: tuple[int, ...]) -> list[tuple[int, int]]:
    """Consecutive days grouped: (-1, 0, 1) -> [(-1, 1)]; (-1, 1) -> [(-1, -1), (1, 1)]."""
    runs: list[tuple[int, int]] = []
    for day in days:
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _latest_open_on_or_before(calendar: ClosureCalendar, day: date) -> date:
    while not calendar.is_open(day):
        day -= timedelta(days=1)
    return day


def is_before_c1(event: Event) -> bool:
    """A check whose result is needed before the first session (``<kind>:before-c1``)."""
    if event.kind is not EventKind.MONITORING:
        return False
    what = event.code.partition(":")[2]
    return what == BEFORE_C1_CODE or what.startswith(BEFORE_C1_CODE + "-")


class _Builder:
    def __init__(self, plan: Plan, schedule: Schedule, state: PlanState) -> None:
        self.plan = plan
        self.state = state
        self.calendar = plan.calendar
        self.sessions = schedule.sessions
        # Sessions where something is given: the ones checks and reminders go with.
        self.active = [i for i, s in enumerate(self.sessions) if s.doses]
        self.active_dates = [self.sessions[i].date for i in self.active]
        # The engine's events come in date order already.
        self.labs = [(e.date, e.session) for e in schedule.events if e.kind is EventKind.LAB]
        self.events: list[Event] = list(schedule.events)
        self.notices: list[PlanNotice] = []
        self._seen: set[tuple[EventKind, str, int]] = set()
        self.consulted: set[int] = set()
        """Sessions that have a consultation for a monitoring check."""
        self.skipped: list[SkippedScan] = []
        self.baselines: dict[str, int] = {}
        """Baseline codes given so far: a second baseline check of the same kind (two
        'other' checks) is a check of its own, not the same one asked for twice."""

    def add(self, kind: EventKind, day: date, session: int, code: str, label: Text | None) -> None:
        """Add an event once: two rules may ask for the same check with the same session."""
        seen = (kind, code, session)
        if seen not in self._seen:
            self._seen.add(seen)
            self.events.append(Event(kind, day, session, code, label))

    def session_on_or_after(self, day: date) -> int | None:
        """The first session where something is given on or after ``day``."""
        n = bisect.bisect_left(self.active_dates, day)
        return self.active[n] if n < len(self.active) else None

    def due_sessions(
        self, first: date, start_at: int, *, weeks: int = 0, months: int = 0
    ) -> Iterator[int]:
        """The sessions that follow each due date: ``first`` + k weeks or months (k from
        ``start_at``)."""
        if not self.active:
            return
        last = self.active_dates[-1]
        k = start_at
        week = timedelta(weeks=weeks)
        while True:
            due = first + week * k if weeks else months_after(first, months * k)
            if due > last:
                return
            index = self.session_on_or_after(due)
            if index is None:
                return
            yield index
            k += 1

    def cycle_sessions(self) -> Iterator[int]:
        """The sessions a check that follows the cycles goes with: the first of every cycle,
        or of every k-th cycle of a phase of short cycles (every other 2-week cycle), counted
        from the phase's C1. A cycle given as planned starts with its D1; a cycle whose first
        sessions were not given goes with the next session given."""
        phases = self.plan.regimen.phases
        seen: set[tuple[int, int]] = set()
        for session in self.sessions:
            cycle = (session.phase, session.cycle)
            if cycle in seen:
                continue
            seen.add(cycle)
            every = cycles_between_checks(phases[session.phase - 1].cycle_days)
            if (session.cycle - 1) % every:
                continue
            index = self.session_on_or_after(session.date)
            if index is not None:
                yield index

    def blood_test_day(self, session: int) -> date:
        """The day of the blood test that covers a session (its own, or the one it shares)."""
        day = self.sessions[session].date
        n = bisect.bisect_left(self.labs, (day, -1))
        return self.labs[n - 1][0] if n > 0 else day

    def exam(self, kind: EventKind, session: int, code: str, label: Text | None) -> None:
        day = _open_day_before(self.calendar, self.sessions[session].date)
        if day is None:
            self.notices.append(PlanNotice(PlanWarning.NO_EXAM_DAY, session=session))
            return
        self.add(kind, day, session, code, label)

    # -------------------------------------------------------------- what is placed

    def monitoring(self, rule: MonitoringRule, first_day: date) -> None:
        code = rule.kind.value
        if rule.result_before_c1:
            self.before_c1(rule)
            return
        if rule.baseline:
            if rule.kind in BLOOD_TEST_CHECKS:
                self.add(EventKind.MONITORING, self.blood_test_day(0), 0, code, rule.name)
            else:
                self.exam(EventKind.MONITORING, 0, self.baseline_code(code, "baseline"), rule.name)
            return
        if rule.follow_cycles:
            due: Iterator[int] = self.cycle_sessions()
        else:
            # Blood tests and consultations start with C1; exams have their own baseline rule.
            first_k = 0 if rule.kind in BLOOD_TEST_CHECKS | _AT_CONSULTATION else 1
            due = self.due_sessions(
                first_day, first_k, weeks=rule.every_weeks or 0, months=rule.every_months or 0
            )
        for index in due:
            if rule.kind in BLOOD_TEST_CHECKS:
                self.add(EventKind.MONITORING, self.blood_test_day(index), index, code, rule.name)
            elif rule.kind in _AT_CONSULTATION:
                self.add(EventKind.CONSULTATION, self.sessions[index].date, index, code, rule.name)
                self.consulted.add(index)
            else:
                self.exam(EventKind.MONITORING, index, code, rule.name)

    def baseline_code(self, kind: str, what: str) -> str:
        """``<kind>:<what>``, then ``<kind>:<what>-2``... for the next checks of that kind."""
        code = f"{kind}:{what}"
        seen = self.baselines[code] = self.baselines.get(code, 0) + 1
        return code if seen == 1 else f"{code}-{seen}"

    def before_c1(self, rule: MonitoringRule) -> None:
        """A check whose result is needed before C1: on the latest open day at least the
        days its result takes before C1 (two for an exam's report; uracilaemia ten), within
        a week of that; never the day before, when the result would come too late."""
        lead = rule.result_days if rule.result_days is not None else EXAM_REPORT_DAYS
        c1 = self.sessions[0].date
        day = self.calendar.latest_open_before(c1, lead, lead + EXAM_WINDOW_DAYS)
        if day is None:
            self.notices.append(PlanNotice(PlanWarning.NO_EXAM_DAY, session=0))
            return
        code = self.baseline_code(rule.kind.value, BEFORE_C1_CODE)
        self.add(EventKind.MONITORING, day, 0, code, rule.name)

    def imaging(self, weeks: int, first_day: date) -> None:
        if weeks <= 0:
            return
        for index in self.due_sessions(first_day, 1, weeks=weeks):
            self.exam(EventKind.IMAGING, index, "response", None)

    def consultations(self, every: int) -> None:
        if every <= 0:
            return
        # One per cycle at most: no duplicate to check. A cycle whose D1 already has a
        # consultation for a check (oxaliplatin neuropathy) has its consultation there.
        first_days = [(index, s.date) for index, s in enumerate(self.sessions) if s.day == 1]
        kind, consulted = EventKind.CONSULTATION, self.consulted
        self.events.extend(
            Event(kind, day, index, "cycle", None)
            for index, day in first_days[::every]
            if index not in consulted
        )

    def premedications(self) -> None:
        regimen = self.plan.regimen
        given: dict[int, frozenset[str]] = {}  # doses tuples are shared between sessions
        for index in self.active:
            session_doses = self.sessions[index].doses
            if id(session_doses) not in given:
                given[id(session_doses)] = frozenset(dose.inn for dose in session_doses)
        for premed in regimen.premedications:
            with_agent = [
                i for i in self.active if premed.agent in given[id(self.sessions[i].doses)]
            ]
            if not with_agent:
                continue
            label = premed.name
            if premed.timing is PremedicationTiming.EACH_DOSE:
                self.each_dose(premed, with_agent)
            elif premed.timing is PremedicationTiming.COURSE:
                first = self.sessions[with_agent[0]].date
                begin = first - timedelta(days=premed.start_days_before or 0)
                self.add(EventKind.PREMEDICATION, begin, with_agent[0], f"{premed.id}:start", label)
                # The end is known when the drug's last dose is (a fixed phase, as pemetrexed
                # in CheckMate 9LA), or the plan stopped; not while the drug goes on until
                # progression (pemetrexed maintenance).
                if regimen.last_dose_fixed(premed.agent) or self.state.stop is not None:
                    last = self.sessions[with_agent[-1]].date
                    end = last + timedelta(days=premed.stop_days_after or 0)
                    self.add(
                        EventKind.PREMEDICATION, end, with_agent[-1], f"{premed.id}:stop", label
                    )
            else:
                first = self.sessions[with_agent[0]].date
                earliest = first - timedelta(days=premed.first_days_before or 0)
                before = _open_day_before(self.calendar, first, earliest=earliest) or earliest
                self.add(
                    EventKind.PREMEDICATION, before, with_agent[0], f"{premed.id}:first", label
                )
                step = timedelta(weeks=premed.every_weeks or 0)
                k = 1
                while premed.every_weeks:
                    # Then with the session on or after every N weeks (given the same day).
                    informed = self.session_on_or_after(first + step * k)
                    if informed is None:
                        break
                    if informed in with_agent:
                        self.add(
                            EventKind.PREMEDICATION,
                            self.sessions[informed].date,
                            informed,
                            f"{premed.id}:{k}",
                            label,
                        )
                    k += 1

    def each_dose(self, premed: Premedication, with_agent: list[int]) -> None:
        """One entry for each run of consecutive days around each dose ("from the day before
        to the day after"). Never twice the same: no duplicate check needed."""
        runs = [
            (timedelta(days=first), timedelta(days=last), f"{premed.id}:{first:+d}:{last:+d}")
            for first, last in _runs(premed.days)
        ]
        append, label = self.events.append, premed.name
        for index in with_agent:
            day = self.sessions[index].date
            for first, last, code in runs:
                until = day + last if last != first else None
                append(Event(EventKind.PREMEDICATION, day + first, index, code, label, until))

    def port(self, lead_days: int, today: date | None) -> None:
        first = self.sessions[0].date
        day = _latest_open_on_or_before(self.calendar, first - timedelta(days=lead_days))
        self.add(EventKind.PORT_PLACEMENT, day, 0, "port", None)
        if today is not None and day < today and self.sessions[0].given_on is None:
            self.notices.append(PlanNotice(PlanWarning.PORT_TOO_LATE, date=day, session=0))

    def disregarded_scans(self, progression: SuspectProgression) -> None:
        """iRECIST (RECIST Working Group FAQ; Seymour et al., Lancet Oncol 2017): a scan
        done less than 4 weeks after the suspected progression (2 days' variance: before
        day +26) is disregarded, so a routine response scan due then is not planned. One
        on the imaging's own day is that imaging, and stays."""
        after = progression.imaging
        counts_from = after + timedelta(days=CONFIRMATION_DAYS[0] - IRECIST_VARIANCE_DAYS)
        kept = []
        for event in self.events:
            if event.kind is EventKind.IMAGING and after < event.date < counts_from:
                self.skipped.append(SkippedScan(event.date, event.session, after))
            else:
                kept.append(event)
        self.events = kept

    def confirmation(self, progression: SuspectProgression) -> None:
        """iRECIST: the confirmation scan between +28 and +56 days (default +42), on an open
        day before the session it informs, then a consultation at that session."""
        low = progression.imaging + timedelta(days=CONFIRMATION_DAYS[0])
        high = progression.imaging + timedelta(days=CONFIRMATION_DAYS[1])
        target = progression.imaging + timedelta(days=progression.confirm_after_days)
        code = progression.imaging.isoformat()
        informs = self.session_on_or_after(target + timedelta(days=1))
        scan: date | None = None
        if informs is not None:
            before = self.sessions[informs].date - timedelta(days=1)
            scan = _open_day_before(self.calendar, self.sessions[informs].date, earliest=low)
            if scan is not None and scan > min(high, before):
                scan = None
        if scan is None:
            # No session in the window (or none open before it): the open day nearest the
            # target, within the window.
            for shift in range(CONFIRMATION_DAYS[1] - CONFIRMATION_DAYS[0] + 1):
                for day in (target + timedelta(days=shift), target - timedelta(days=shift)):
                    if low <= day <= high and self.calendar.is_open(day):
                        scan = day
                        break
                if scan is not None:
                    break
        if scan is None:
            return
        owner = informs if informs is not None else len(self.sessions) - 1
        self.add(EventKind.CONFIRMATION_SCAN, scan, owner, code, None)
        # The oncologist reads the scan at the session it informs, if that comes within a
        # week; otherwise on the next open day after the scan.
        if informs is not None and scan < self.sessions[informs].date <= scan + timedelta(days=7):
            consult = self.sessions[informs].date
        else:
            consult = self.calendar.next_open(scan + timedelta(days=1))
        self.add(EventKind.CONSULTATION, consult, owner, f"progression:{code}", None)


def schedule_of(
    plan: Plan, port_rules: tuple[PortRule, ...], today: date | None = None
) -> PlanSchedule:
    """The plan's whole calendar, recomputed from the plan and its ledger.

    ``today`` only decides warnings about what can no longer be done in time (the port).
    """
    state = plan_state(plan)
    schedule = plan_sessions(
        plan.regimen,
        plan.start,
        policy=plan.policy,
        calendar=plan.calendar,
        lab_rule=plan.lab_rule,
        adjustments=state.adjustments,
    )
    advice = port_advice(plan.regimen, port_rules)
    builder = _Builder(plan, schedule, state)
    port_task = False
    if schedule.sessions:
        first_day = schedule.sessions[0].date
        for rule in plan.regimen.monitoring:
            builder.monitoring(rule, first_day)
        builder.imaging(imaging_weeks(plan), first_day)
        builder.consultations(plan.options.consultation_every)
        builder.premedications()
        port_task = not plan.patient.port_in_place and (
            advice.level is PortLevel.REQUIRED or state.port_confirmed
        )
        if port_task:
            builder.port(plan.options.port_lead_days, today)
        if measures_response(plan):  # iRECIST concerns measurable disease
            for progression in state.progressions:
                builder.disregarded_scans(progression)
                builder.confirmation(progression)
    # By date and session; on the same day and session, in the order they were placed (the
    # blood test, checks, consultation...). Displays order a day's entries themselves.
    events = builder.events
    events.sort(key=EVENT_ORDER)
    return PlanSchedule(
        plan=plan,
        schedule=schedule,
        events=tuple(events),
        port=advice,
        port_task=port_task,
        state=state,
        notices=tuple(builder.notices),
        skipped_scans=tuple(builder.skipped),
    )


def plan_facts(ps: PlanSchedule) -> PlanFacts:
    """The facts of a plan, from its calendar (computed on any day, or without one)."""
    sessions = ps.sessions
    to_give = days_text(s.date for s in sessions if s.doses and s.given_on is None)
    warnings = sum(1 for n in ps.notices if n.warning is not PlanWarning.PORT_TOO_LATE)
    warnings += sum(len(s.warnings) for s in sessions)
    late = None
    if ps.port_task and sessions and sessions[0].given_on is None:
        late = next(e.date for e in ps.events if e.kind is EventKind.PORT_PLACEMENT)
    return PlanFacts(ps.plan.id, ps.plan.regimen.name, ps.stopped, to_give, warnings, late)
