"""When the day hospital is closed: weekends, French public holidays and the unit's own dates.

French public holidays come from the ``holidays`` package, never from a hand-written list: the
11 *fêtes légales* of the Code du travail, art. L3133-1 (1 January, Easter Monday, 1 May,
8 May, Ascension, Whit Monday, 14 July, 15 August, 1 November, 11 November, 25 December).
Alsace and Moselle add Good Friday and 26 December (local law kept since 1919).

Day hospitals in France are open Monday to Friday and closed on weekends and public holidays
(e.g. Hôpital Foch, 08:30-20:00); a unit can add its own closures (training day, works) and
open some Saturdays.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

import holidays

from planner.core.text import Text

ONE_DAY = timedelta(days=1)
SATURDAY = 5


class ClosureSet(StrEnum):
    """The closure rules of a plan (command line ``--closures``)."""

    FR = "fr"
    """Saturdays, Sundays and the 11 French public holidays."""
    FR_ALSACE_MOSELLE = "fr-alsace-moselle"
    """As ``fr``, plus Good Friday and 26 December."""
    NONE = "none"
    """No closures at all: every day is open (theoretical calendar)."""


class ClosureKind(StrEnum):
    WEEKEND = "weekend"
    PUBLIC_HOLIDAY = "public-holiday"
    UNIT = "unit"


@dataclass(frozen=True, slots=True)
class Closure:
    """Why a given day is closed."""

    date: date
    kind: ClosureKind
    name: Text | None = None
    """The holiday's name, or the unit's label for its own closure; None for a weekend."""


@dataclass(frozen=True, slots=True)
class UnitClosure:
    """A day the unit itself closes (training day, strike, works), with its label, and when
    and by whom it was recorded (the patients to call are those whose sessions moved since)."""

    date: date
    label: str = ""
    added_at: datetime | None = None
    """When the closure was recorded; None for one recorded before the program kept it."""
    added_by: str = ""


def stamp_new(
    closures: tuple[UnitClosure, ...],
    before: tuple[UnitClosure, ...],
    *,
    author: str,
    at: datetime,
) -> tuple[UnitClosure, ...]:
    """``closures`` with those not in ``before`` (a day not closed before) stamped as
    recorded ``at`` by ``author``; the others keep their own stamp."""
    known = {c.date for c in before}
    return tuple(
        c if c.date in known or c.added_at is not None else UnitClosure(c.date, c.label, at, author)
        for c in closures
    )


@functools.lru_cache(maxsize=256)
def public_holidays(closure_set: ClosureSet, year: int) -> dict[date, Text]:
    """The public holidays of ``year`` under ``closure_set``, with their French and English names.

    Memoised: the result depends only on the arguments (the ``holidays`` package's rules).
    """
    if closure_set is ClosureSet.NONE:
        return {}
    # Moselle (57) and the Alsace departments (6AE) keep the same two extra days.
    subdiv = "57" if closure_set is ClosureSet.FR_ALSACE_MOSELLE else None
    fr = holidays.country_holidays("FR", subdiv=subdiv, years=year, language="fr")
    en = holidays.country_holidays("FR", subdiv=subdiv, years=year, language="en_US")
    return {day: Text(fr=str(fr[day]), en=str(en[day])) for day in sorted(fr)}


@dataclass(frozen=True)
class ClosureCalendar:
    """Which days a unit is open: a closure set plus the unit's own closed and open dates."""

    closure_set: ClosureSet = ClosureSet.FR
    unit_closures: tuple[UnitClosure, ...] = ()
    open_days: frozenset[date] = frozenset()
    """Weekend days the unit opens anyway (open Saturdays); public holidays stay closed."""
    _unit: dict[date, UnitClosure] = field(init=False, repr=False, compare=False, hash=False)
    _years: dict[int, dict[date, Text]] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )
    """Memo of :func:`public_holidays` by year: the engine asks several times a session."""
    _open: dict[date, bool] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )
    """Memo of :meth:`is_open`: a unit plans its 2,000 patients on the same few hundred days."""
    _labs: dict[tuple[int, int, frozenset[int]], dict[date, date | None]] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )
    """Memo of :meth:`latest_lab_day`, by rule then by day (see :meth:`lab_days`)."""
    _before: dict[tuple[date, int, int], date | None] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )
    """Memo of :meth:`latest_open_before`."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_unit", {c.date: c for c in self.unit_closures})

    def _holidays(self, year: int) -> dict[date, Text]:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = public_holidays(self.closure_set, year)
        return found

    def public_holiday(self, day: date) -> Text | None:
        """The name of the public holiday on ``day``, or None."""
        return self._holidays(day.year).get(day)

    def is_public_holiday(self, day: date) -> bool:
        return day in self._holidays(day.year)

    def latest_lab_day(
        self, day: date, earliest: int, latest: int, weekdays: frozenset[int]
    ) -> date | None:
        """The latest day from ``earliest`` to ``latest`` days before ``day`` on which a city
        laboratory takes samples: one of ``weekdays`` and not a public holiday (the unit's
        own closures do not close the city's laboratories). ``day`` itself (``latest`` = 0)
        always counts: the unit takes the sample when the patient arrives, whatever the
        city's laboratories do that day."""
        known = self.lab_days(earliest, latest, weekdays)
        if day in known:
            return known[day]
        found = None
        for back in range(latest, earliest + 1):
            candidate = day - timedelta(days=back)
            if not back or (
                candidate.weekday() in weekdays and not self.is_public_holiday(candidate)
            ):
                found = candidate
                break
        known[day] = found
        return found

    def lab_days(
        self, earliest: int, latest: int, weekdays: frozenset[int]
    ) -> dict[date, date | None]:
        """The lab days :meth:`latest_lab_day` has found so far for one rule, by session day:
        the engine looks a day up here first and asks only for the days it misses."""
        key = (earliest, latest, weekdays)
        known = self._labs.get(key)
        if known is None:
            known = self._labs[key] = {}
        return known

    def latest_open_before(self, day: date, nearest: int, farthest: int) -> date | None:
        """The latest open day from ``nearest`` to ``farthest`` days before ``day``."""
        key = (day, nearest, farthest)
        if key in self._before:
            return self._before[key]
        found = None
        for back in range(nearest, farthest + 1):
            candidate = day - timedelta(days=back)
            if self.is_open(candidate):
                found = candidate
                break
        self._before[key] = found
        return found

    def closure(self, day: date) -> Closure | None:
        """Why ``day`` is closed, or None when the unit is open."""
        unit = self._unit.get(day)
        if unit is not None:
            return Closure(day, ClosureKind.UNIT, Text.same(unit.label) if unit.label else None)
        if self.closure_set is ClosureSet.NONE:
            return None
        holiday = self._holidays(day.year).get(day)
        if holiday is not None:
            return Closure(day, ClosureKind.PUBLIC_HOLIDAY, holiday)
        if day.weekday() >= SATURDAY and day not in self.open_days:
            return Closure(day, ClosureKind.WEEKEND)
        return None

    def is_open(self, day: date) -> bool:
        known = self._open.get(day)
        if known is None:
            known = self._open[day] = self._is_open(day)
        return known

    def _is_open(self, day: date) -> bool:
        if day in self._unit:
            return False
        if self.closure_set is ClosureSet.NONE:
            return True
        if day in self._holidays(day.year):
            return False
        return day.weekday() < SATURDAY or day in self.open_days

    def next_open(self, day: date) -> date:
        """``day`` itself when open, else the first open day after it."""
        while not self.is_open(day):
            day += ONE_DAY
        return day
