"""What a window saw of the days it books into, handed to the store's check."""

from __future__ import annotations

from datetime import date, time

from planner.bookings import days_seen
from planner.core.booking import Booking
from planner.core.chairs import Occupancy
from tests.core.test_chairs import SMALL

MONDAY, TUESDAY, OLD = date(2027, 3, 1), date(2027, 3, 2), date(2027, 1, 4)


def test_the_days_booked_into_are_handed_whole_from_the_days_held() -> None:
    unit = Occupancy(SMALL)
    anne = Booking(time(8), 60, "A", MONDAY)
    bruno = Booking(time(8), 60, "B", MONDAY)
    carla = Booking(time(9), 60, "A", TUESDAY)
    unit.adopt({("anne", (1, 1, 1)): anne, ("bruno", (1, 1, 1)): bruno})
    unit.adopt({("carla", (1, 1, 1)): carla})
    put = {("dora", (1, 1, 1)): Booking(time(10), 60, "B", MONDAY)}
    assert days_seen(unit, put) == {
        MONDAY: {("anne", (1, 1, 1)): anne, ("bruno", (1, 1, 1)): bruno}
    }
    # An undo putting back a booking of a day the window no longer holds: that day is not
    # claimed as seen (empty), it is not checked.
    put[("eve", (1, 1, 1))] = Booking(time(8), 60, "A", OLD)
    assert set(days_seen(unit, put, since=MONDAY)) == {MONDAY}
    assert days_seen(unit, put)[OLD] == {}
