"""The values a schedule is made of: sessions, events, and why each date is where it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from planner.core.closures import Closure, ClosureCalendar, ClosureSet
from planner.core.regimen import Administration, Regimen


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


@dataclass(frozen=True, slots=True)
class Move:
    """One step of a session's way from its planned date to its actual date."""

    blocked: datetime.date
    """The day the session could not be on."""
    closure: Closure | None = None
    """Why: the unit was closed that day (weekend, public holiday, unit closure)..."""
    previous: datetime.date | None = None
    """...or the previous session is on that day or later: sessions keep their order."""


@dataclass(frozen=True, slots=True)
class Dose:
    """A drug started in a session."""

    administration: Administration
    first: bool
    """The first administration of this drug in the plan (longer infusions, observation)."""

    @property
    def inn(self) -> str:
        return self.administration.agent.inn

    @property
    def infusion_minutes(self) -> int | None:
        minutes = self.administration.infusion
        return None if minutes is None else minutes.for_administration(self.first)

    @property
    def observation_minutes(self) -> int | None:
        minutes = self.administration.observation
        return None if minutes is None else minutes.for_administration(self.first)


@dataclass(frozen=True, slots=True)
class Session:
    """A day-hospital visit: a day on which at least one IV administration starts."""

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
    moves: tuple[Move, ...] = ()
    warnings: tuple[SessionWarning, ...] = ()

    @property
    def agents(self) -> tuple[str, ...]:
        """The IV drugs started that day, by INN, sorted, each once."""
        return tuple(sorted({dose.inn for dose in self.doses}))

    @property
    def moved(self) -> bool:
        return self.date != self.planned


@dataclass(frozen=True, slots=True)
class Event:
    """Something else on the patient's calendar, tied to a session."""

    kind: EventKind
    date: datetime.date
    session: int
    """Index of the session in :attr:`Schedule.sessions`."""


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
