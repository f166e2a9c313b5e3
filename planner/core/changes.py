"""Deciding on a plan: build a change, check it, preview what moves, append it to the ledger.

A change that cannot be applied is refused with a reason code and its details; the words
(French or English) come from ``planner.explain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from planner.core import session_keys
from planner.core.plan import (
    CONFIRMATION_DAYS,
    Change,
    ConfirmPort,
    Delay,
    Give,
    Omit,
    Plan,
    Revert,
    Stop,
    SuspectProgression,
    active_entries,
    measures_response,
    reverted,
)
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortLevel, PortRule
from planner.core.schedule import DelayReason, Session, SessionKey, SessionStatus

MAX_DELAY_DAYS = 365


class Refusal(StrEnum):
    NO_SUCH_SESSION = "no-such-session"
    ALREADY_GIVEN = "already-given"
    NOT_GIVEN_ANY_MORE = "omitted-session"
    NOT_LATER = "not-later"
    TOO_LONG = "too-long"
    PAST_NEXT_CYCLE = "past-next-cycle"
    AFTER_STOP = "after-stop"
    ALREADY_STOPPED = "already-stopped"
    STOP_BEFORE_START = "stop-before-start"
    STOP_BEFORE_GIVEN = "stop-before-given"
    IN_THE_FUTURE = "in-the-future"
    OUT_OF_ORDER = "out-of-order"
    NOT_IN_SESSION = "not-in-session"
    NOTHING_TO_OMIT = "nothing-to-omit"
    NO_IMMUNOTHERAPY = "no-immunotherapy"
    NO_RESPONSE_IMAGING = "no-response-imaging"
    CONFIRMATION_WINDOW = "confirmation-window"
    NOT_CONFIRMED_STABLE = "not-confirmed-stable"
    """Treatment goes on after a suspected progression only for a patient a named
    clinician has confirmed clinically stable."""
    BEFORE_START = "before-start"
    PORT_ALREADY_REQUIRED = "port-already-required"
    PORT_UNCHANGED = "port-unchanged"
    NOTHING_TO_UNDO = "nothing-to-undo"
    NO_SUCH_ENTRY = "no-such-entry"


class ChangeRefused(Exception):
    """A change that would make the plan wrong; ``details`` fill the explanation."""

    def __init__(self, refusal: Refusal, **details: object) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.details = details


# ---------------------------------------------------------------- building changes


def find(current: PlanSchedule, key: SessionKey) -> tuple[int, Session]:
    for index, session in enumerate(current.sessions):
        if session.key == key:
            return index, session
    # What the plan has instead, so the refusal can say it: "this plan has 1 phase".
    raise ChangeRefused(
        Refusal.NO_SUCH_SESSION,
        absent=session_keys.missing(key, len(current.plan.regimen.phases), current.sessions),
    )


def delay(
    current: PlanSchedule,
    key: SessionKey,
    reason: DelayReason,
    *,
    days: int | None = None,
    to: date | None = None,
    shift_rest_of_cycle: bool = False,
) -> Delay:
    """Delay a session by ``days`` or to the date ``to``, from where it is now."""
    if (days is None) == (to is None):
        raise ValueError("give either days or to")
    _index, session = find(current, key)
    target = to if to is not None else session.date + timedelta(days=days or 0)
    return Delay(key, target, reason, shift_rest_of_cycle, moved_from=session.date)


def omit(
    current: PlanSchedule, key: SessionKey, agents: tuple[str, ...] = (), reason: str = ""
) -> Omit:
    """Leave ``agents`` out of a session; all of its drugs when ``agents`` is empty."""
    _index, session = find(current, key)
    return Omit(key, agents or session.agents, reason)


def undo(plan: Plan) -> Revert:
    """Revert the latest change still in effect."""
    active = active_entries(plan.ledger)
    if not active:
        raise ChangeRefused(Refusal.NOTHING_TO_UNDO)
    return Revert(active[-1].seq)


# ---------------------------------------------------------------- checking changes


def _next_cycle_start(current: PlanSchedule, session: Session) -> date | None:
    for other in current.sessions:
        if (other.phase, other.cycle) > (session.phase, session.cycle) and other.day == 1:
            return other.date
    return None


def _check_delay(current: PlanSchedule, change: Delay) -> None:
    _index, session = find(current, change.session)
    if session.given_on is not None:
        raise ChangeRefused(Refusal.ALREADY_GIVEN, session=change.session, on=session.given_on)
    if session.status is SessionStatus.OMITTED:
        raise ChangeRefused(Refusal.NOT_GIVEN_ANY_MORE, session=change.session)
    if change.to <= session.date:
        raise ChangeRefused(
            Refusal.NOT_LATER, session=change.session, current=session.date, to=change.to
        )
    if (change.to - session.date).days > MAX_DELAY_DAYS:
        raise ChangeRefused(Refusal.TOO_LONG, days=MAX_DELAY_DAYS)
    stop = current.state.stop
    if stop is not None and change.to >= stop.on:
        raise ChangeRefused(Refusal.AFTER_STOP, on=stop.on)
    if session.day != 1:
        # A day inside a cycle moves within its cycle: past the next D1, delay that instead.
        next_start = _next_cycle_start(current, session)
        last = change.to
        if change.shift_rest_of_cycle:
            shift = change.to - session.date
            for other in current.sessions:
                if (other.phase, other.cycle) == (session.phase, session.cycle) and (
                    other.day > session.day
                ):
                    last = max(last, other.date + shift)
        if next_start is not None and last >= next_start:
            raise ChangeRefused(
                Refusal.PAST_NEXT_CYCLE, session=change.session, next_start=next_start
            )


def _check_give(current: PlanSchedule, change: Give, today: date) -> None:
    index, session = find(current, change.session)
    if session.given_on is not None:
        raise ChangeRefused(Refusal.ALREADY_GIVEN, session=change.session, on=session.given_on)
    if session.status is SessionStatus.OMITTED:
        raise ChangeRefused(Refusal.NOT_GIVEN_ANY_MORE, session=change.session)
    if change.on > today:
        raise ChangeRefused(Refusal.IN_THE_FUTURE, on=change.on, today=today)
    before = [s.date for s in current.sessions[:index] if s.doses]
    after = [s.date for s in current.sessions[index + 1 :] if s.doses]
    if (before and change.on <= before[-1]) or (after and change.on >= after[0]):
        raise ChangeRefused(
            Refusal.OUT_OF_ORDER,
            on=change.on,
            previous=before[-1] if before else None,
            next=after[0] if after else None,
        )


def _check(plan: Plan, current: PlanSchedule, change: Change, today: date) -> None:
    stop = current.state.stop
    if isinstance(change, Delay):
        _check_delay(current, change)
    elif isinstance(change, Omit):
        _index, session = find(current, change.session)
        if session.given_on is not None:
            raise ChangeRefused(Refusal.ALREADY_GIVEN, session=change.session, on=session.given_on)
        if not change.agents:
            raise ChangeRefused(Refusal.NOTHING_TO_OMIT, session=change.session)
        for agent in change.agents:
            if agent not in session.agents:
                raise ChangeRefused(Refusal.NOT_IN_SESSION, agent=agent, session=change.session)
    elif isinstance(change, Give):
        _check_give(current, change, today)
    elif isinstance(change, Stop):
        if stop is not None:
            raise ChangeRefused(Refusal.ALREADY_STOPPED, on=stop.on)
        if change.on < plan.start:
            raise ChangeRefused(Refusal.STOP_BEFORE_START, start=plan.start)
        given = [s.given_on for s in current.sessions if s.given_on and s.given_on >= change.on]
        if given:
            raise ChangeRefused(Refusal.STOP_BEFORE_GIVEN, on=max(given))
    elif isinstance(change, SuspectProgression):
        if not plan.regimen.has_immunotherapy:
            raise ChangeRefused(Refusal.NO_IMMUNOTHERAPY, regimen=plan.regimen.id)
        if not measures_response(plan):
            # Given around surgery, with no response imaging: there is no measurable disease
            # for iRECIST to follow (RECIST 1.1); a recurrence is a new decision.
            raise ChangeRefused(Refusal.NO_RESPONSE_IMAGING, regimen=plan.regimen.id)
        if not change.stable_confirmed_by.strip():
            raise ChangeRefused(Refusal.NOT_CONFIRMED_STABLE)
        low, high = CONFIRMATION_DAYS
        if not low <= change.confirm_after_days <= high:
            raise ChangeRefused(Refusal.CONFIRMATION_WINDOW, low=low, high=high)
        if change.imaging > today:
            raise ChangeRefused(Refusal.IN_THE_FUTURE, on=change.imaging, today=today)
        if change.imaging < plan.start:
            raise ChangeRefused(Refusal.BEFORE_START, on=change.imaging, start=plan.start)
        if stop is not None:
            raise ChangeRefused(Refusal.ALREADY_STOPPED, on=stop.on)
    elif isinstance(change, ConfirmPort):
        if current.port.level is PortLevel.REQUIRED:
            raise ChangeRefused(Refusal.PORT_ALREADY_REQUIRED)
        if change.confirmed == current.state.port_confirmed:
            raise ChangeRefused(Refusal.PORT_UNCHANGED, confirmed=change.confirmed)
    elif not 1 <= change.seq <= len(plan.ledger) or change.seq in reverted(plan.ledger):
        # Only an entry in effect can be reverted (a revert in effect: that redoes).
        raise ChangeRefused(Refusal.NO_SUCH_ENTRY, seq=change.seq)


def apply(
    plan: Plan,
    change: Change,
    *,
    author: str,
    at: datetime,
    today: date,
    port_rules: tuple[PortRule, ...],
    note: str = "",
) -> Plan:
    """``plan`` with ``change`` in its ledger, or :class:`ChangeRefused` saying why not."""
    current = schedule_of(plan, port_rules, today)
    _check(plan, current, change, today)
    return plan.with_entry(change, author, at, note)


# ---------------------------------------------------------------- previewing changes


@dataclass(frozen=True, slots=True)
class Moved:
    """A date that a change moves, adds or removes."""

    kind: str
    """"session", or an event kind ("lab", "imaging"...)."""
    session: SessionKey
    code: str = ""
    before: date | None = None
    after: date | None = None


@dataclass(frozen=True, slots=True)
class Preview:
    change: Change
    moved: tuple[Moved, ...] = field(default_factory=tuple)

    @property
    def sessions_moved(self) -> int:
        return sum(1 for m in self.moved if m.kind == "session")

    @property
    def sessions_cancelled(self) -> int:
        """Sessions the change takes out of the plan (a stop; a date past its end)."""
        return sum(1 for m in self.moved if m.kind == "session" and m.before and not m.after)

    def shift(self) -> Shift | None:
        """How the sessions that keep a date move, said at once (None: none moves)."""
        moved = sorted(
            (m for m in self.moved if m.kind == "session" and m.before and m.after),
            key=lambda m: (m.before, m.session),
        )
        if not moved:
            return None
        days = [(m.after - m.before).days for m in moved if m.before and m.after]
        return Shift(moved[0].session, moved[-1].session, min(days), max(days), len(moved))


@dataclass(frozen=True, slots=True)
class Shift:
    """The sessions a change moves, from the first to the last, by so many days."""

    first: SessionKey
    last: SessionKey
    least: int
    most: int
    sessions: int


def _dated(schedule: PlanSchedule) -> dict[tuple[str, SessionKey, str], date]:
    keys = [s.key for s in schedule.sessions]
    dated: dict[tuple[str, SessionKey, str], date] = {
        ("session", s.key, ""): s.date for s in schedule.sessions if s.doses
    }
    for event in schedule.events:
        dated[(event.kind.value, keys[event.session], event.code)] = event.date
    return dated


def diff(before: PlanSchedule, after: PlanSchedule) -> tuple[Moved, ...]:
    """Every session and event whose date differs, or that appears or disappears."""
    old, new = _dated(before), _dated(after)
    moved = [
        Moved(kind, key, code, old.get((kind, key, code)), new.get((kind, key, code)))
        for kind, key, code in sorted(old.keys() | new.keys(), key=lambda k: (k[1], k[0], k[2]))
        if old.get((kind, key, code)) != new.get((kind, key, code))
    ]
    return tuple(moved)


def preview(
    plan: Plan, change: Change, *, today: date, port_rules: tuple[PortRule, ...]
) -> Preview:
    """What ``change`` would move, before it is applied (refused changes raise as apply)."""
    current = schedule_of(plan, port_rules, today)
    _check(plan, current, change, today)
    changed = plan.with_entry(change, "", datetime(1970, 1, 1, tzinfo=UTC))  # never stored
    return Preview(change, diff(current, schedule_of(changed, port_rules, today)))
