"""A session named by a user or read from a file, parsed in this one place.

A session is known by its phase, cycle and day, each counted from 1: "1.3.1", "C3D1" (phase
1), "P2C1D1", and "C3J1" as French writes it (J for jour). Every command, the window and the
store go through :func:`parse_key` or :func:`key_of`, so a number a user typed is never used
as a Python index (where 0 or -1 would quietly mean the last phase). Whether the plan has
that session is the plan's business: :func:`missing` says what it has instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from planner.core.schedule import Session, SessionKey

MAX_NUMBER = 9999
"""No plan counts phases, cycles or days this far; a longer number is a typing slip."""

_KEY = re.compile(
    r"^\s*(?:(\d+) *\. *(\d+) *\. *(\d+)|(?:P *(\d+) *)?C *(\d+) *[DJ] *(\d+))\s*$",
    re.IGNORECASE | re.ASCII,
)


class KeyProblem(StrEnum):
    FORM = "form"
    """Not written as a session at all ("3", "C3", "1.2", "abc")."""
    ZERO = "zero"
    """A phase, cycle or day of 0: they are counted from 1."""
    TOO_LARGE = "too-large"
    """A number beyond :data:`MAX_NUMBER`."""


class SessionKeyError(ValueError):
    """What was typed cannot name a session; ``problem`` says why, for a translated message."""

    def __init__(self, problem: KeyProblem, typed: str) -> None:
        super().__init__(f"{problem.value}: {typed!r}")
        self.problem = problem
        self.typed = typed


def key_of(numbers: Sequence[object], typed: str = "") -> SessionKey:
    """(phase, cycle, day) from three whole numbers, each from 1 to :data:`MAX_NUMBER`."""
    shown = typed or ".".join(str(n) for n in numbers)
    values = [n for n in numbers if isinstance(n, int) and not isinstance(n, bool)]
    if len(values) != 3 or len(numbers) != 3:
        raise SessionKeyError(KeyProblem.FORM, shown)
    phase, cycle, day = values
    if min(phase, cycle, day) < 1:
        raise SessionKeyError(KeyProblem.ZERO, shown)
    if max(phase, cycle, day) > MAX_NUMBER:
        raise SessionKeyError(KeyProblem.TOO_LARGE, shown)
    return (phase, cycle, day)


def parse_key(text: str) -> SessionKey:
    """ "1.3.1" (phase.cycle.day), "C3D1" (phase 1), "P2C1D1" or "C3J1"; a negative number,
    a missing part or anything else is refused with :class:`SessionKeyError`."""
    match = _KEY.match(text) if len(text) <= 40 else None
    if match is None:
        raise SessionKeyError(KeyProblem.FORM, text)
    dotted, phase, cycle, day = match.group(1, 4, 5, 6)
    numbers = match.group(1, 2, 3) if dotted is not None else (phase or "1", cycle, day)
    if any(len(n.lstrip("0")) > len(str(MAX_NUMBER)) for n in numbers):
        raise SessionKeyError(KeyProblem.TOO_LARGE, text)
    return key_of([int(n) for n in numbers], text)


class Missing(StrEnum):
    PHASE = "phase"
    CYCLE = "cycle"
    DAY = "day"


@dataclass(frozen=True, slots=True)
class Absent:
    """Why a plan has no session ``key``, and what it has instead."""

    key: SessionKey
    missing: Missing
    phases: int
    """How many phases the regimen has."""
    cycles: tuple[int, ...] = ()
    """The cycles the plan has in the key's phase (for a missing cycle or day)."""
    days: tuple[int, ...] = ()
    """The days the plan has in the key's cycle (for a missing day)."""


def missing(key: SessionKey, phases: int, sessions: Iterable[Session]) -> Absent:
    """What is missing for ``key`` among a plan's ``sessions`` (``phases`` in its regimen):
    the phase, the cycle, or the day. Call it once the key was not found."""
    phase, cycle, _day = key
    if not 1 <= phase <= phases:
        return Absent(key, Missing.PHASE, phases)
    in_phase = [s for s in sessions if s.phase == phase]
    cycles = tuple(sorted({s.cycle for s in in_phase}))
    if cycle not in cycles:
        return Absent(key, Missing.CYCLE, phases, cycles)
    days = tuple(sorted({s.day for s in in_phase if s.cycle == cycle}))
    return Absent(key, Missing.DAY, phases, cycles, days)
