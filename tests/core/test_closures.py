"""Closure calendars: French public holidays from the `holidays` package, weekends, unit days."""

from __future__ import annotations

from datetime import date

import pytest

from planner.core.closures import ClosureCalendar, ClosureKind, ClosureSet, UnitClosure
from planner.core.text import Text

FR = ClosureCalendar(ClosureSet.FR)
ALSACE = ClosureCalendar(ClosureSet.FR_ALSACE_MOSELLE)
NONE = ClosureCalendar(ClosureSet.NONE)

# The 11 fêtes légales of 2027 (Code du travail L3133-1; Easter Sunday 2027 = 28 March).
HOLIDAYS_2027 = [
    (date(2027, 1, 1), "Jour de l'an", "New Year's Day"),
    (date(2027, 3, 29), "Lundi de Pâques", "Easter Monday"),
    (date(2027, 5, 1), "Fête du Travail", "Labor Day"),
    (date(2027, 5, 6), "Ascension", "Ascension Day"),
    (date(2027, 5, 8), "Fête de la Victoire", "Victory Day"),
    (date(2027, 5, 17), "Lundi de Pentecôte", "Pentecost Monday"),
    (date(2027, 7, 14), "Fête nationale", "National Day"),
    (date(2027, 8, 15), "Assomption", "Assumption Day"),
    (date(2027, 11, 1), "Toussaint", "All Saints' Day"),
    (date(2027, 11, 11), "Armistice", "Armistice Day"),
    (date(2027, 12, 25), "Noël", "Christmas Day"),
]


@pytest.mark.parametrize(("day", "fr", "en"), HOLIDAYS_2027)
def test_french_public_holidays_are_closed_with_their_names(day: date, fr: str, en: str) -> None:
    closure = FR.closure(day)
    assert closure is not None
    assert closure.kind is ClosureKind.PUBLIC_HOLIDAY
    assert closure.name == Text(fr=fr, en=en)
    assert not FR.is_open(day)


def test_exactly_eleven_public_holidays_in_france() -> None:
    first, last = date(2027, 1, 1).toordinal(), date(2027, 12, 31).toordinal()
    days = [date.fromordinal(n) for n in range(first, last + 1)]
    assert [d for d in days if FR.is_public_holiday(d)] == [h[0] for h in HOLIDAYS_2027]


def test_alsace_moselle_adds_good_friday_and_26_december() -> None:
    good_friday = date(2027, 3, 26)
    st_stephen = date(2028, 12, 26)  # a Tuesday
    assert FR.is_open(good_friday)
    assert FR.is_open(st_stephen)
    assert not ALSACE.is_open(good_friday)
    assert not ALSACE.is_open(st_stephen)
    closure = ALSACE.closure(good_friday)
    assert closure is not None
    assert closure.name == Text(fr="Vendredi saint", en="Good Friday")


def test_weekends_are_closed_and_weekdays_open() -> None:
    assert FR.closure(date(2027, 1, 9)) is not None  # Saturday
    assert FR.closure(date(2027, 1, 9)).kind is ClosureKind.WEEKEND  # type: ignore[union-attr]
    assert not FR.is_open(date(2027, 1, 10))  # Sunday
    assert FR.is_open(date(2027, 1, 11))  # Monday
    assert FR.closure(date(2027, 1, 11)) is None


def test_no_closures_opens_every_day() -> None:
    assert NONE.is_open(date(2027, 1, 9))
    assert NONE.is_open(date(2027, 12, 25))
    assert not NONE.is_public_holiday(date(2027, 12, 25))


def test_next_open_skips_the_easter_weekend_in_alsace() -> None:
    # Good Friday, Saturday, Sunday, Easter Monday: back on Tuesday 30 March 2027.
    assert ALSACE.next_open(date(2027, 3, 26)) == date(2027, 3, 30)
    assert FR.next_open(date(2027, 3, 26)) == date(2027, 3, 26)
    assert FR.next_open(date(2027, 3, 27)) == date(2027, 3, 30)


def test_unit_closures_and_open_saturdays() -> None:
    training = date(2027, 6, 10)
    saturday = date(2027, 6, 12)
    unit = ClosureCalendar(
        ClosureSet.FR,
        unit_closures=(UnitClosure(training, "staff training"),),
        open_days=frozenset({saturday, date(2027, 5, 8)}),
    )
    closure = unit.closure(training)
    assert closure is not None
    assert closure.kind is ClosureKind.UNIT
    assert closure.name == Text.same("staff training")
    assert unit.next_open(training) == date(2027, 6, 11)
    assert unit.is_open(saturday)
    # An open Saturday that is a public holiday (8 May 2027) stays closed.
    assert not unit.is_open(date(2027, 5, 8))
    # A unit closure is not a public holiday: the city lab is open.
    assert not unit.is_public_holiday(training)


def test_a_day_newly_closed_is_stamped_and_the_others_keep_their_stamp() -> None:
    from datetime import UTC, datetime

    from planner.core.closures import stamp_new

    earlier = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    now = datetime(2027, 3, 2, 14, 0, tzinfo=UTC)
    kept = UnitClosure(date(2027, 6, 10), "formation", earlier, "cadre")
    old = UnitClosure(date(2027, 3, 22), "grève")  # recorded before closures were stamped
    relabelled = UnitClosure(date(2027, 3, 22), "grève des transports")
    new = UnitClosure(date(2027, 4, 19), "travaux")
    assert stamp_new((kept, relabelled, new), (kept, old), author="cb", at=now) == (
        kept,
        relabelled,  # the same day, a new label: not a new closure
        UnitClosure(date(2027, 4, 19), "travaux", now, "cb"),
    )
