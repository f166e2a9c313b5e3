"""Treatment plans that live: a patient, a regimen, a start, and a ledger of what happened.

A plan is never edited in place. Every decision (delay a session, omit a dose, record a dose
as given, stop the treatment, suspect a progression, confirm a port, undo one of these) is
an entry appended to the plan's ledger, and the schedule is always recomputed from the plan
and its ledger: any past state can be rebuilt by replaying a prefix of the ledger.

Pure functions over values: no clock (``today`` and ``at`` are parameters), no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from planner.core.closures import ClosureCalendar
from planner.core.engine import LabRule
from planner.core.patient import Patient
from planner.core.regimen import Regimen
from planner.core.schedule import (
    Adjustments,
    DelayReason,
    Policy,
    Reschedule,
    SessionKey,
)

DEFAULT_IMAGING_WEEKS = 9
"""Response imaging every 9 weeks unless the plan or the regimen says otherwise (none by
default for a regimen given around surgery: see :func:`regimen_imaging_weeks`)."""
CONFIRMATION_DAYS = (28, 56)
"""iRECIST: progression is confirmed 4 to 8 weeks after the first suspected progression."""
DEFAULT_CONFIRMATION_DAYS = 42
IRECIST_VARIANCE_DAYS = 2
"""iRECIST disregards a scan done less than 4 weeks after the suspected progression, with a
protocol variance of 2 days (RECIST Working Group FAQ): a scan counts from day +26."""


@dataclass(frozen=True, slots=True)
class PlanOptions:
    imaging_weeks: int | None = None
    """Response imaging every so many weeks; None for the regimen's default; 0 for none."""
    consultation_every: int = 1
    """An oncologist consultation before every cycle (1), every other cycle (2)...; 0: none."""
    port_confirmed: bool = False
    """The coordinator asks for a port where the advice does not require one."""
    port_lead_days: int = 7
    """The port is placed at least this many days before the first session."""


# ---------------------------------------------------------------- changes


@dataclass(frozen=True, slots=True)
class Delay:
    """Move a session to a later date. A D1 re-anchors the rest of the plan."""

    session: SessionKey
    to: date
    reason: DelayReason
    shift_rest_of_cycle: bool = False
    moved_from: date | None = None


@dataclass(frozen=True, slots=True)
class Omit:
    """Leave drugs out of a session without moving anything."""

    session: SessionKey
    agents: tuple[str, ...]
    """INNs left out; all the session's drugs when the whole session is not given."""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Give:
    """Record a session as given, on its date or another."""

    session: SessionKey
    on: date


@dataclass(frozen=True, slots=True)
class Stop:
    on: date
    reason: str


@dataclass(frozen=True, slots=True)
class SuspectProgression:
    """Immunotherapy goes on after imaging suggests progression (possible pseudo-progression):
    a confirmation scan 4 to 8 weeks later, and a consultation after it.

    Only for a clinically stable patient (iRECIST, Seymour et al., Lancet Oncol 2017:
    treatment beyond a suspected progression is for patients who are clinically stable),
    which a clinician confirms: ``stable_confirmed_by`` names them, and a change without it
    is refused (entries recorded before it existed read as "")."""

    imaging: date
    confirm_after_days: int = DEFAULT_CONFIRMATION_DAYS
    stable_confirmed_by: str = ""
    """The clinician who confirmed that the patient is clinically stable."""


@dataclass(frozen=True, slots=True)
class ConfirmPort:
    """The coordinator asks for a port (or withdraws the request)."""

    confirmed: bool = True


@dataclass(frozen=True, slots=True)
class Revert:
    """Undo the entry numbered ``seq`` (reverting a Revert redoes the change)."""

    seq: int


Change = Delay | Omit | Give | Stop | SuspectProgression | ConfirmPort | Revert


class ChangeKind(StrEnum):
    DELAY = "delay"
    OMIT = "omit"
    GIVE = "give"
    STOP = "stop"
    PROGRESSION = "progression"
    CONFIRM_PORT = "confirm-port"
    REVERT = "revert"


CHANGE_KINDS: dict[type, ChangeKind] = {
    Delay: ChangeKind.DELAY,
    Omit: ChangeKind.OMIT,
    Give: ChangeKind.GIVE,
    Stop: ChangeKind.STOP,
    SuspectProgression: ChangeKind.PROGRESSION,
    ConfirmPort: ChangeKind.CONFIRM_PORT,
    Revert: ChangeKind.REVERT,
}


def change_kind(change: Change) -> ChangeKind:
    return CHANGE_KINDS[type(change)]


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the audit trail: what, who, when, why."""

    seq: int
    """1-based position in the plan's ledger."""
    change: Change
    author: str
    at: datetime
    note: str = ""


# ---------------------------------------------------------------- plans


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    patient: Patient
    regimen: Regimen
    start: date
    policy: Policy = Policy.GRID
    calendar: ClosureCalendar = field(default_factory=ClosureCalendar)
    options: PlanOptions = field(default_factory=PlanOptions)
    lab_rule: LabRule = field(default_factory=LabRule)
    ledger: tuple[Entry, ...] = ()

    def with_entry(self, change: Change, author: str, at: datetime, note: str = "") -> Plan:
        """This plan with ``change`` appended to its ledger (no validation: see changes.py)."""
        entry = Entry(len(self.ledger) + 1, change, author, at, note)
        return replace(self, ledger=(*self.ledger, entry))

    def until(self, seq: int) -> Plan:
        """The plan as it was after entry ``seq`` (0: as created)."""
        return replace(self, ledger=self.ledger[:seq])


def reverted(ledger: tuple[Entry, ...]) -> set[int]:
    """The numbers of the entries undone by a later revert that is itself in effect."""
    undone: set[int] = set()
    for entry in reversed(ledger):
        if entry.seq in undone:
            continue  # a reverted revert does nothing, and neither does a reverted change
        if isinstance(entry.change, Revert):
            undone.add(entry.change.seq)
    return undone


def active_entries(ledger: tuple[Entry, ...]) -> list[Entry]:
    """The changes in effect, oldest first: not reverted, and not themselves reverts."""
    undone = reverted(ledger)
    return [e for e in ledger if e.seq not in undone and not isinstance(e.change, Revert)]


@dataclass(frozen=True, slots=True)
class PlanState:
    """What the ledger says, gathered: the engine's adjustments and the plan-level facts."""

    adjustments: Adjustments
    stop: Stop | None
    progressions: tuple[SuspectProgression, ...]
    port_confirmed: bool


def plan_state(plan: Plan) -> PlanState:
    reschedules: dict[SessionKey, Reschedule] = {}
    omitted: dict[SessionKey, frozenset[str]] = {}
    given: dict[SessionKey, date] = {}
    stop: Stop | None = None
    progressions: list[SuspectProgression] = []
    port_confirmed = plan.options.port_confirmed
    for entry in active_entries(plan.ledger):
        change = entry.change
        if isinstance(change, Delay):
            reschedules[change.session] = Reschedule(
                to=change.to,
                reason=change.reason,
                shift_rest_of_cycle=change.shift_rest_of_cycle,
                moved_from=change.moved_from,
            )
        elif isinstance(change, Omit):
            omitted[change.session] = omitted.get(change.session, frozenset()) | set(change.agents)
        elif isinstance(change, Give):
            given[change.session] = change.on
        elif isinstance(change, Stop):
            stop = change
        elif isinstance(change, SuspectProgression):
            progressions.append(change)
        elif isinstance(change, ConfirmPort):
            port_confirmed = change.confirmed
    return PlanState(
        adjustments=Adjustments(
            reschedules=reschedules,
            omitted=omitted,
            given=given,
            stop=stop.on if stop is not None else None,
        ),
        stop=stop,
        progressions=tuple(progressions),
        port_confirmed=port_confirmed,
    )


def regimen_imaging_weeks(regimen: Regimen) -> int:
    """Weeks between response scans that a regimen asks for (0: none): its own
    ``response_imaging_weeks``, else none for a treatment around surgery (adjuvant,
    neoadjuvant, perioperative: no measurable disease, RECIST 1.1), else 9."""
    if regimen.response_imaging_weeks is not None:
        return regimen.response_imaging_weeks
    return DEFAULT_IMAGING_WEEKS if regimen.measures_response else 0


def imaging_weeks(plan: Plan) -> int:
    """Weeks between response scans: the plan's option, else the regimen's (0: none)."""
    if plan.options.imaging_weeks is not None:
        return plan.options.imaging_weeks
    return regimen_imaging_weeks(plan.regimen)


def measures_response(plan: Plan) -> bool:
    """Response is judged on imaging in this plan: the regimen treats measurable disease, or
    response imaging is planned all the same (the coordinator asked for it in a plan of a
    regimen given around surgery). Only then can a progression be suspected on imaging and
    confirmed as iRECIST says."""
    return plan.regimen.measures_response or imaging_weeks(plan) > 0
