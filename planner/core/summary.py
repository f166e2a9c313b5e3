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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

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
        text, key = self.to_give, today.isoformat()
        # Fixed-width entries (10 characters and a space): a binary search in the text.
        low, high = 0, (len(text) + 1) // _WIDTH
        while low < high:
            middle = (low + high) // 2
            if text[middle * _WIDTH : middle * _WIDTH + 10] < key:
                low = middle + 1
            else:
                high = middle
        start = low * _WIDTH
        return date.fromisoformat(text[start : start + 10]) if start < len(text) else None

    @property
    def days_to_give(self) -> tuple[date, ...]:
        return tuple(map(date.fromisoformat, self.to_give.split()))

    def warnings_on(self, today: date) -> int:
        late = self.port_late_after is not None and self.port_late_after < today
        return self.warnings + late


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
