"""A session's place in the day hospital: its start time, length and chair.

A session without a booking is an all-day appointment ("come on Monday 4 January"); a
booked one has a start time and a length, and exports become timed events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from planner.core.schedule import Session


@dataclass(frozen=True, slots=True)
class Booking:
    start: time
    """Local wall-clock time in the unit (Europe/Paris)."""
    minutes: int
    """Expected time in the chair, installation included."""
    chair: str = ""
    day: date | None = None
    """The day booked; the session's own date when None. A session that moved since has
    another date: its booking is flagged until the coordinator books it again."""

    def __post_init__(self) -> None:
        if self.minutes <= 0:
            raise ValueError("a booking lasts at least one minute")

    @property
    def end(self) -> time:
        """When the chair is free again (a booking ends on its day)."""
        return (datetime.combine(date.min, self.start) + timedelta(minutes=self.minutes)).time()

    def span(self, session: Session) -> tuple[datetime, datetime]:
        """Naive local start and end on the session's date."""
        begin = datetime.combine(session.date, self.start)
        return begin, begin + timedelta(minutes=self.minutes)
