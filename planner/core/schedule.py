"""The values a schedule is made of: sessions, events, and why each date is where it is."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from typing import NamedTuple

from planner.core.closures import Closure, ClosureCalendar, ClosureSet
from planner.core.regimen import Administration, Regimen
from planner.core.text import Text
from planner.core.values import fast_init


class Policy(StrEnum):
    """How a date that moves affects the dates after it."""

    GRID = "grid"
    """Every planned date stays on the theoretical grid from the start (no drift)."""
    REANCHOR = "reanchor"
    """Each cycle is planned one cycle length after the previous cycle's actual D1."""


class SessionWarning(StrEnum):
    NO_LAB_DAY = "no-lab-day"
    """No day in the blood-test window is a lab day: the coordinator must arrange one."""
    AFTER_PREVIOUS_SESSION = "after-previous-session"
    """A closure would have put the session on or before the previous one: it goes after it."""


class EventKind(StrEnum):
    LAB = "lab"
    """The blood test before a session."""
    PUMP_DISCONNECT = "pump-disconnect"
    """The end of a continuous infusion: the ambulatory pump is disconnected."""
    MONITORING = "monitoring"
    """A check the treatment calls for (thyroid function, cardiac function, endoscopy...)."""
    IMAGING = "imaging"
    """A response-evaluation scan."""
    CONSULTATION = "consultation"
    """The oncologist sees the patient before a cycle."""
    PREMEDICATION = "premedication"
    """A reminder to take (or start, or stop) a premedication at home."""
    PORT_PLACEMENT = "port-placement"
    """The implantable port (chambre implantable) is placed before the first session."""
    CONFIRMATION_SCAN = "confirmation-scan"
    """After suspected (pseudo-)progression on immunotherapy: the scan that confirms or not."""


@fast_init
@dataclass(frozen=True, slots=True)
class Move:
    """One step of a session's way from its planned date to its actual date."""

    blocked: datetime.date
    """The day the session could not be on."""
    closure: Closure | None = None
    """Why: the unit was closed that day (weekend, public holiday, unit closure)..."""
    previous: datetime.date | None = None
    """...or the previous session is on that day or later: sessions keep their order."""


@fast_init
@dataclass(frozen=True, slots=True)
class Dose:
    """A drug started in a session."""

    administration: Administration
    nth: int
    """Which administration of this drug in the plan it is: 1 the first, 2 the second, 3 any
    later one (labels set the first infusions longer: bevacizumab 90, 60, then 30 minutes)."""

    @property
    def first(self) -> bool:
        """The first administration of this drug in the plan (longer infusions, observation)."""
        return self.nth == 1

    @property
    def inn(self) -> str:
        return self.administration.agent.inn

    @property
    def infusion_minutes(self) -> int | None:
        minutes = self.administration.infusion
        return None if minutes is None else minutes.for_administration(self.nth)

    @property
    def observation_minutes(self) -> int | None:
        minutes = self.administration.observation
        return None if minutes is None else minutes.for_administration(self.nth)


SessionKey = tuple[int, int, int]
"""A session's identity in its plan: (phase, cycle, day), each 1-based."""


class DelayReason(StrEnum):
    TOXICITY = "toxicity"
    PATIENT_REQUEST = "patient-request"
    CAPACITY = "capacity"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Reschedule:
    """A coordinator's decision to move a session to a later date."""

    to: datetime.date
    reason: DelayReason
    shift_rest_of_cycle: bool = False
    """For a day inside a cycle: the later days of the cycle move by as much."""
    moved_from: datetime.date | None = None
    """Where the session was when the coordinator moved it (for the record)."""


@dataclass(frozen=True, slots=True)
class Adjustments:
    """What happened to a plan after it was made, as the engine applies it."""

    reschedules: Mapping[SessionKey, Reschedule] = field(default_factory=dict)
    omitted: Mapping[SessionKey, frozenset[str]] = field(default_factory=dict)
    """The drugs (INN) left out of a session; all of them for a session not given at all."""
    given: Mapping[SessionKey, datetime.date] = field(default_factory=dict)
    """Sessions recorded as given, and the day they were given."""
    stop: datetime.date | None = None
    """The plan ends: no session on or after this day, except those recorded as given."""

    def __bool__(self) -> bool:
        return bool(self.reschedules or self.omitted or self.given or self.stop)


class SessionStatus(StrEnum):
    PLANNED = "planned"
    GIVEN = "given"
    OMITTED = "omitted"


class Session(NamedTuple):
    """A day-hospital visit: a day on which at least one IV administration starts.

    Sessions and events are named tuples rather than dataclasses: a unit recomputes about
    230,000 of them at start, and a named tuple is made three times faster (bench/README.md).
    """

    phase: int
    """1-based phase number."""
    cycle: int
    """1-based cycle number within the phase."""
    day: int
    """1-based day within the cycle."""
    date: datetime.date
    planned: datetime.date
    """Where the rules put it before closures and ordering moved it."""
    doses: tuple[Dose, ...]
    """The drugs to give (or given); omitted ones are in :attr:`omitted`."""
    moves: tuple[Move, ...] = ()
    warnings: tuple[SessionWarning, ...] = ()
    omitted: tuple[Dose, ...] = ()
    given_on: datetime.date | None = None
    rescheduled: Reschedule | None = None
    """Set on the session a coordinator moved."""
    follows: SessionKey | None = None
    """The rescheduled D1 from which this session's cycle is counted, if any."""

    @property
    def key(self) -> SessionKey:
        return (self.phase, self.cycle, self.day)

    @property
    def agents(self) -> tuple[str, ...]:
        """The IV drugs started that day, by INN, sorted, each once (omitted ones left out)."""
        return tuple(sorted({dose.inn for dose in self.doses}))

    @property
    def status(self) -> SessionStatus:
        if self.given_on is not None:
            return SessionStatus.GIVEN
        return SessionStatus.PLANNED if self.doses else SessionStatus.OMITTED

    @property
    def moved(self) -> bool:
        return self.date != self.planned


class Event(NamedTuple):
    """Something else on the patient's calendar, tied to a session."""

    kind: EventKind
    date: datetime.date
    session: int
    """Index of the session it belongs to (precedes, follows or informs)."""
    code: str = ""
    """What exactly, for events of a kind that has several ("thyroid", "folic-acid:start")."""
    label: Text | None = None
    """What exactly, in words (the monitoring rule's or premedication's name)."""
    until: datetime.date | None = None
    """The last day of an entry that lasts several days (dexamethasone D-1 to D+1)."""


EVENT_ORDER = itemgetter(1, 2)
"""Sort key of events: by date, then session (``Event`` is ``(kind, date, session, ...)``;
an index is read faster than an attribute, and a unit sorts 170,000 events at start)."""


@dataclass(frozen=True, slots=True)
class Schedule:
    regimen: Regimen
    start: datetime.date
    policy: Policy
    calendar: ClosureCalendar
    sessions: tuple[Session, ...]
    events: tuple[Event, ...]
    until: datetime.date | None = None

    @property
    def closure_set(self) -> ClosureSet:
        return self.calendar.closure_set

    def events_of(self, session_index: int) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.session == session_index)
