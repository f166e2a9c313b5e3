"""What the patient list shows of a plan, computed once and true on any day.

A plan's line in the patient list (its regimen, next session and warning count) comes from
its whole calendar, which takes about half a millisecond to compute: ten seconds for a
large centre's 20,000 patients. The store keeps each plan's :class:`PlanFacts`, updated in
the transaction that changes the plan, so the list is read in one query at start-up.

The facts do not depend on the day they were computed: they hold every session still to
give, and the day from which the port can no longer be placed in time, so that the line is
the same as a calendar computed on the day the list is shown (:func:`patient_summary`).
A plan's facts are computed by :func:`planner.core.plan_schedule.plan_facts`; this module
imports nothing of the engine, so that the list can be shown before it is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.core.patient import Patient
from planner.core.text import Text

_WIDTH = 11
"""An ISO date and the space after it."""


def days_text(days: Iterable[date]) -> str:
    """Days as :attr:`PlanFacts.to_give` writes them."""
    return " ".join(day.isoformat() for day in days)


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """A plan's facts for the patient list (see the module's docstring)."""

    plan_id: str
    regimen: Text
    """The regimen's name."""
    stopped: bool
    to_give: str
    """The days of the sessions where something is still to be given, in order, written as
    the database keeps them: ISO dates ("2027-03-08") separated by single spaces. A large
    unit's 20,000 lines are read at every start, and one date of each is ever needed: it
    is found in the text (:meth:`next_session`), the others never made into dates."""
    warnings: int
    """The points needing attention whatever the day."""
    port_late_after: date | None = None
    """The day the port is to be placed by, when it is to be placed before a first session
    not yet given: from the next day on, one more point needs attention (too late)."""

    def next_session(self, today: date) -> date | None:
        """The day of the next session with something to give, today included."""
        return next_in(self.to_give, today)

    @property
    def days_to_give(self) -> tuple[date, ...]:
        return tuple(map(date.fromisoformat, self.to_give.split()))

    def warnings_on(self, today: date) -> int:
        return warnings_on(self.warnings, self.port_late_after, today)


def next_in(to_give: str, today: date) -> date | None:
    """The first day of ``to_give`` (as :attr:`PlanFacts.to_give` writes them) from
    ``today`` on."""
    key = today.isoformat()
    # Fixed-width entries (10 characters and a space): a binary search in the text.
    low, high = 0, (len(to_give) + 1) // _WIDTH
    while low < high:
        middle = (low + high) // 2
        if to_give[middle * _WIDTH : middle * _WIDTH + 10] < key:
            low = middle + 1
        else:
            high = middle
    start = low * _WIDTH
    return date.fromisoformat(to_give[start : start + 10]) if start < len(to_give) else None


def warnings_on(warnings: int, port_late_after: date | None, today: date) -> int:
    """A plan's warning count on ``today`` (see :attr:`PlanFacts.port_late_after`)."""
    return warnings + (port_late_after is not None and port_late_after < today)


@dataclass(frozen=True, slots=True)
class PatientSummary:
    """One line of the patient list."""

    patient: Patient
    plan_id: str | None
    """The plan shown for the patient: the latest one not stopped, else the latest."""
    regimen: str
    next_session: date | None
    warnings: int


def patient_summary(
    patient: Patient, facts: list[PlanFacts], today: date, lang: str
) -> PatientSummary:
    """The patient's line from their plans' facts (oldest plan first), on ``today``."""
    going = [f for f in facts if not f.stopped]
    chosen = going or facts
    if not chosen:
        return PatientSummary(patient, None, "", None, 0)
    shown = chosen[-1]
    return PatientSummary(
        patient,
        shown.plan_id,
        shown.regimen.get(lang),
        shown.next_session(today),
        shown.warnings_on(today),
    )


class SummaryList(Sequence[PatientSummary]):
    """Patient lines made when first asked for: a large centre's list is 20,000 lines, of
    which the window shows a few dozen at a time (see :func:`planner.store.quick.quick_list`).
    """

    __slots__ = ("_lines", "_make", "ids")

    def __init__(self, ids: list[str], make: Callable[[int], PatientSummary]) -> None:
        self.ids = ids
        """Each line's patient id, in the list's order."""
        self._make = make
        self._lines: list[PatientSummary | None] = [None] * len(ids)

    def __len__(self) -> int:
        return len(self.ids)

    def line(self, at: int) -> PatientSummary:
        """The line at ``at`` (made now if not yet)."""
        made = self._lines[at]
        if made is None:
            made = self._lines[at] = self._make(at)
        return made

    def __getitem__(self, at: int | slice) -> Any:
        if isinstance(at, slice):
            return [self.line(n) for n in range(*at.indices(len(self)))]
        return self.line(range(len(self))[at])

    def __iter__(self) -> Iterator[PatientSummary]:
        return map(self.line, range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
