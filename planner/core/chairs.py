"""The day hospital's chairs, hours and nurses, and the sessions booked into them.

A session needs a chair (or a bed) for its *chair time*: the installation, then each group
of drugs given together (same order of administration) for its infusion and observation
time, longest first-administration times on the first dose, plus the pump connection when
a continuous infusion starts. Times are counted in slots (15 minutes by default).

The :class:`Occupancy` holds every booking of the unit by day; it refuses what does not fit
(chair already taken, more infusions starting in one slot than the nurses can start, outside
the opening hours) and finds the first place that fits, the patient's morning or afternoon
preference and usual chair first. Nothing here reads a clock or a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from enum import StrEnum

from planner.core.booking import Booking
from planner.core.closures import ClosureCalendar
from planner.core.patient import Preference
from planner.core.schedule import Session, SessionKey


@dataclass(frozen=True, slots=True)
class Chair:
    name: str
    bed: bool = False
    """A bed rather than an armchair (long infusions, frail patients)."""


WEEKDAY_HOURS = (time(8, 0), time(18, 0))
DEFAULT_HOURS: tuple[tuple[time, time] | None, ...] = (
    WEEKDAY_HOURS,
    WEEKDAY_HOURS,
    WEEKDAY_HOURS,
    WEEKDAY_HOURS,
    WEEKDAY_HOURS,
    (time(8, 0), time(13, 0)),  # an open Saturday (settings: open days) is a morning
    None,
)
DEFAULT_CHAIRS = (*(Chair(f"F{n}") for n in range(1, 7)), Chair("L1", bed=True))

# Upper bounds of a unit's resources, far above what a real day hospital has: they keep a
# typing slip (2000 nurses for 20) from reaching the scheduler, and the settings dialog's
# fields take their maxima from here (docs/day-hospital.md lists them).
MAX_CHAIRS = 500
"""Chairs and beds of one unit."""
MAX_NURSES = 200
"""Nurses starting infusions at the same time."""
MAX_STARTS_PER_NURSE = 20
"""Infusions one nurse starts in one slot."""
SLOT_MINUTES = (5, 10, 15, 20, 30, 60)
"""The slot sizes: those that divide an hour, so every hour starts a slot."""
MAX_FIXED_MINUTES = 240
"""Installation, pump connection and a drug without a time, each."""
MAX_PREPARATIONS = 500
"""Preparations the pharmacy delivers in one slot."""
MAX_MOVE_MINUTES = 240
"""How far the optimiser may move a booking already given to a patient."""
MAX_WEIGHT = 1000
"""The weight of one of the optimiser's goals."""


@dataclass(frozen=True, slots=True)
class Weights:
    """What the day optimiser weighs (:mod:`planner.core.optimiser`), each goal's cost per
    unit; a goal of weight 0 is not sought. The defaults put them in the order a unit asks:
    the patient's half-day, then the times already given, then fewer chairs at the peak,
    then fewer infusions starting together, then an earlier end."""

    preference: int = 100
    """Per session outside the patient's preferred half-day (morning or afternoon)."""
    keep: int = 60
    """Per booking given to a patient whose time changes."""
    peak: int = 20
    """Per chair in use at the busiest moment."""
    spread: int = 4
    """Per infusion starting in the slot where most start."""
    end: int = 1
    """Per slot between opening and the end of the last session."""

    def __post_init__(self) -> None:
        for value in (self.preference, self.keep, self.peak, self.spread, self.end):
            if not 0 <= value <= MAX_WEIGHT:
                raise ResourcesError(
                    ResourcesProblem.WEIGHT,
                    f"the optimiser's weights are from 0 to {MAX_WEIGHT}",
                    value,
                )

    def one_more(
        self,
        *,
        most: int,
        peak: int,
        starts: int,
        busiest: int,
        stop: int,
        end: int,
        wrong_half: bool,
        moved: bool = False,
    ) -> int:
        """What one more session costs a day, the others where they are: ``most`` chairs
        already in use during it against the day's ``peak``, ``starts`` infusions already
        starting in its slot against the ``busiest`` slot's, its end slot ``stop`` against
        the day's ``end``; outside the patient's half-day (:func:`wrong_half`); ``moved``
        from the time the patient was given. The day optimiser's goals for one session:
        :meth:`Occupancy.best` and the optimiser's first fit both count with it."""
        cost = self.peak * max(0, most + 1 - peak)
        cost += self.spread * max(0, starts + 1 - busiest)
        cost += self.end * max(0, stop - end)
        return cost + self.preference * wrong_half + self.keep * moved


def wrong_half(preference: Preference, first: int, noon: int) -> bool:
    """Whether a session starting at ``first`` is outside the patient's preferred half-day,
    the afternoon beginning at ``noon`` (slots or minutes, both the same)."""
    if preference is Preference.MORNING:
        return first >= noon
    if preference is Preference.AFTERNOON:
        return first < noon
    return False


class ResourcesProblem(StrEnum):
    NO_CHAIR = "no-chair"
    UNNAMED_CHAIR = "unnamed-chair"
    SAME_NAME = "same-name"
    WEEK = "week"
    SLOT = "slot"
    CLOSES_BEFORE_OPENING = "closes-before-opening"
    OFF_GRID = "off-grid"
    NO_NURSE = "no-nurse"
    FIXED_TIME = "fixed-time"
    TOO_MANY_CHAIRS = "too-many-chairs"
    TOO_MANY_NURSES = "too-many-nurses"
    TOO_MANY_STARTS = "too-many-starts"
    PHARMACY = "pharmacy"
    LAB_RESULT = "lab-result"
    MOVE = "move"
    WEIGHT = "weight"


class ResourcesError(ValueError):
    """Resources that cannot describe a unit (no chair, hours closing before opening...);
    ``problem`` says which, for a translated message, and ``value`` what was given when a
    bound was passed (the number of chairs, nurses or starts per nurse)."""

    def __init__(self, problem: ResourcesProblem, text: str, value: int | None = None) -> None:
        super().__init__(text)
        self.problem = problem
        self.value = value


@dataclass(frozen=True, slots=True)
class UnitResources:
    """What the unit can do in a day.

    Checked when made (:class:`ResourcesError` otherwise): at least one chair and at most
    :data:`MAX_CHAIRS` (500) chairs and beds, each with its own name; opening hours for the
    seven weekdays on the slot grid; from 1 to :data:`MAX_NURSES` (200) nurses, each
    starting from 1 to :data:`MAX_STARTS_PER_NURSE` (20) infusions per slot; a slot of 5,
    10, 15, 20, 30 or 60 minutes (:data:`SLOT_MINUTES`); fixed times from 0 to
    :data:`MAX_FIXED_MINUTES` (240) minutes.
    """

    chairs: tuple[Chair, ...] = DEFAULT_CHAIRS
    hours: tuple[tuple[time, time] | None, ...] = DEFAULT_HOURS
    """Opening and closing time by weekday (Monday first); None: closed that weekday."""
    nurses: int = 3
    starts_per_nurse: int = 2
    """How many infusions one nurse can start in one slot."""
    slot_minutes: int = 15
    installation_minutes: int = 15
    """Welcome, vital signs, line: before the first drug."""
    pump_minutes: int = 15
    """Connecting an ambulatory pump at the end of the session."""
    bolus_minutes: int = 10
    """A drug whose infusion time the catalogue does not give (push, short bolus)."""
    afternoon: time = time(13, 0)
    """Where the afternoon begins, for patients' preferences and the afternoon's nurses."""
    afternoon_nurses: int | None = None
    """Nurses from :attr:`afternoon` on, when the afternoon team is not the morning's
    (None: as many as in the morning)."""
    pharmacy: tuple[int | None, ...] = (None,) * 7
    """Preparations the pharmacy delivers per slot, by weekday (Monday first; None: not
    limited). A session is one preparation: the patient's bags are prepared together once
    the treatment is confirmed (the "OK chimio"), and must be there when it starts."""
    lab_result_start: time | None = None
    """The earliest start of a session whose blood test is taken the same day (its result
    awaited before the treatment is confirmed); None: such sessions start at opening."""
    max_move_minutes: int = 30
    """How far the optimiser may move a booking already given to a patient."""
    weights: Weights = field(default_factory=Weights)
    """What the day optimiser weighs."""

    def __post_init__(self) -> None:
        if not self.chairs:
            raise ResourcesError(
                ResourcesProblem.NO_CHAIR, "the unit needs at least one chair or bed"
            )
        if len(self.chairs) > MAX_CHAIRS:
            raise ResourcesError(
                ResourcesProblem.TOO_MANY_CHAIRS,
                f"at most {MAX_CHAIRS} chairs and beds, not {len(self.chairs)}",
                len(self.chairs),
            )
        names = [c.name.strip() for c in self.chairs]
        if any(not n for n in names):
            raise ResourcesError(ResourcesProblem.UNNAMED_CHAIR, "every chair needs a name")
        if len(set(names)) != len(names):
            raise ResourcesError(ResourcesProblem.SAME_NAME, "two chairs have the same name")
        if len(self.hours) != 7:
            raise ResourcesError(
                ResourcesProblem.WEEK, "opening hours are given for the 7 days of the week"
            )
        if self.slot_minutes not in SLOT_MINUTES:
            raise ResourcesError(
                ResourcesProblem.SLOT, "the slot size divides an hour (5, 10, 15, 20, 30 or 60)"
            )
        for hours in self.hours:
            if hours is None:
                continue
            opens, closes = hours
            if not opens < closes:
                raise ResourcesError(
                    ResourcesProblem.CLOSES_BEFORE_OPENING, "a day closes after it opens"
                )
            for moment in hours:
                if (moment.hour * 60 + moment.minute) % self.slot_minutes or moment.second:
                    raise ResourcesError(
                        ResourcesProblem.OFF_GRID, "opening hours fall on the slot grid"
                    )
        if self.nurses < 1 or self.starts_per_nurse < 1:
            raise ResourcesError(
                ResourcesProblem.NO_NURSE,
                "at least one nurse starting at least one infusion per slot",
            )
        if self.nurses > MAX_NURSES:
            raise ResourcesError(
                ResourcesProblem.TOO_MANY_NURSES,
                f"at most {MAX_NURSES} nurses, not {self.nurses}",
                self.nurses,
            )
        if self.starts_per_nurse > MAX_STARTS_PER_NURSE:
            raise ResourcesError(
                ResourcesProblem.TOO_MANY_STARTS,
                f"at most {MAX_STARTS_PER_NURSE} infusions per nurse and slot,"
                f" not {self.starts_per_nurse}",
                self.starts_per_nurse,
            )
        for minutes in (self.installation_minutes, self.pump_minutes, self.bolus_minutes):
            if not 0 <= minutes <= MAX_FIXED_MINUTES:
                raise ResourcesError(
                    ResourcesProblem.FIXED_TIME,
                    f"fixed times are between 0 and {MAX_FIXED_MINUTES} minutes",
                )
        if self.afternoon_nurses is not None and not 1 <= self.afternoon_nurses <= MAX_NURSES:
            raise ResourcesError(
                ResourcesProblem.TOO_MANY_NURSES
                if self.afternoon_nurses > MAX_NURSES
                else ResourcesProblem.NO_NURSE,
                f"from 1 to {MAX_NURSES} nurses in the afternoon, not {self.afternoon_nurses}",
                self.afternoon_nurses,
            )
        if len(self.pharmacy) != 7 or any(
            n is not None and not 1 <= n <= MAX_PREPARATIONS for n in self.pharmacy
        ):
            raise ResourcesError(
                ResourcesProblem.PHARMACY,
                f"the pharmacy delivers from 1 to {MAX_PREPARATIONS} preparations per slot,"
                " or is not limited, on each of the 7 days of the week",
            )
        if self.lab_result_start is not None and (
            _minute(self.lab_result_start) % self.slot_minutes or self.lab_result_start.second
        ):
            raise ResourcesError(
                ResourcesProblem.LAB_RESULT,
                "the start after a same-day blood test falls on the slot grid",
            )
        if not 0 <= self.max_move_minutes <= MAX_MOVE_MINUTES:
            raise ResourcesError(
                ResourcesProblem.MOVE,
                f"a booking given to a patient moves by 0 to {MAX_MOVE_MINUTES} minutes",
                self.max_move_minutes,
            )

    @property
    def starts_per_slot(self) -> int:
        """Infusions the morning's nurses start in one slot."""
        return self.nurses * self.starts_per_nurse

    def start_limits(self, weekday: int, opens: time, slots: int) -> list[int]:
        """How many sessions may start in each slot of a day opening at ``opens``: as many
        as the nurses on duty can start, and the pharmacy prepare."""
        morning = self.nurses * self.starts_per_nurse
        afternoon = (self.afternoon_nurses or self.nurses) * self.starts_per_nurse
        noon = (_minute(self.afternoon) - _minute(opens)) // self.slot_minutes
        pharmacy = self.pharmacy[weekday]
        limits = []
        for slot in range(slots):
            limit = morning if slot < noon else afternoon
            limits.append(limit if pharmacy is None else min(limit, pharmacy))
        return limits

    def chair_index(self, name: str) -> int | None:
        for n, chair in enumerate(self.chairs):
            if chair.name == name:
                return n
        return None


def chair_minutes(session: Session, resources: UnitResources) -> int:
    """Expected time in the chair, rounded up to whole slots (see the module's docstring)."""
    groups: dict[int, int] = {}
    pump = False
    for dose in session.doses:
        adm = dose.administration
        minutes = dose.infusion_minutes
        if adm.continuous_hours is not None:
            pump = True
            minutes = 0  # runs at home; the connection is counted once below
        elif minutes is None:
            minutes = resources.bolus_minutes
        minutes += dose.observation_minutes or 0
        if minutes > groups.get(adm.order, 0):
            groups[adm.order] = minutes
    total = resources.installation_minutes + sum(groups.values())
    if pump:
        total += resources.pump_minutes
    slot = resources.slot_minutes
    return max(slot, -(-total // slot) * slot)


BookingKey = tuple[str, SessionKey]
"""A session of the unit: its plan's id and its (phase, cycle, day)."""


def _minute(moment: time) -> int:
    return moment.hour * 60 + moment.minute


class DayGrid:
    """One open day: which slots of which chairs are taken, and how many infusions start in
    each slot."""

    __slots__ = (
        "booked",
        "busy",
        "count",
        "day",
        "free",
        "limits",
        "opens",
        "slot",
        "slots",
        "starts",
    )

    def __init__(self, day: date, opens: time, closes: time, resources: UnitResources) -> None:
        self.day = day
        self.slot = resources.slot_minutes
        self.opens = _minute(opens)
        self.slots = (_minute(closes) - self.opens) // self.slot
        self.limits = resources.start_limits(day.weekday(), opens, self.slots)
        """How many sessions may start in each slot (nurses on duty, the pharmacy)."""
        self.busy = [bytearray(self.slots) for _ in resources.chairs]
        """Per chair, 1 in each slot it is taken (never more: a chair holds one patient)."""
        self.starts = [0] * self.slots
        """Infusions starting in each slot: up to the nurses' limit, which may pass 255, so
        a list of ints (read and counted faster than an ``array`` here, too)."""
        self.free = [len(resources.chairs)] * self.slots
        """Chairs free in each slot: a slot with none is skipped at once when placing."""
        self.booked = 0
        """Chair minutes booked."""
        self.count = 0
        """Bookings."""

    def slot_of(self, moment: time) -> int:
        return (_minute(moment) - self.opens) // self.slot

    def time_of(self, slot: int) -> time:
        minute = self.opens + slot * self.slot
        return time(minute // 60, minute % 60)

    def capacity(self) -> int:
        """Chair minutes the day offers."""
        return self.slots * self.slot * len(self.busy)

    def problem(self, chair: int, first: int, count: int) -> str | None:
        """Why a booking of ``count`` slots from ``first`` on ``chair`` does not fit, or None."""
        if first < 0 or first + count > self.slots:
            return "hours"
        if self.starts[first] >= self.limits[first]:
            return "nurses"
        if 1 in self.busy[chair][first : first + count]:
            return "chair"
        return None

    def take(self, chair: int, first: int, count: int) -> None:
        self.busy[chair][first : first + count] = b"\x01" * count
        free = self.free
        for slot in range(first, first + count):
            free[slot] -= 1
        self.starts[first] += 1
        self.booked += count * self.slot
        self.count += 1

    def release(self, chair: int, first: int, count: int) -> None:
        self.busy[chair][first : first + count] = bytes(count)
        free = self.free
        for slot in range(first, first + count):
            free[slot] += 1
        self.starts[first] -= 1
        self.booked -= count * self.slot
        self.count -= 1

    def in_use(self, slot: int) -> int:
        """Chairs taken during ``slot``."""
        return len(self.busy) - self.free[slot]


class Problem(StrEnum):
    """Why a booking does not fit."""

    CLOSED = "closed"
    """The unit is closed that day."""
    HOURS = "hours"
    """It would start before opening or end after closing."""
    CHAIR = "chair"
    """The chair is taken at that time."""
    NURSES = "nurses"
    """The nurses already start as many infusions as they can in that slot (or the pharmacy
    prepares as many as it can)."""
    UNKNOWN_CHAIR = "unknown-chair"
    """The unit has no chair of that name (any more)."""
    MOVED = "moved"
    """The session is no longer on the booked day."""
    GONE = "gone"
    """The session was omitted or the plan stopped."""


class BookingRefused(ValueError):
    """A booking that does not fit; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class DayLoad:
    day: date
    booked_minutes: int
    capacity_minutes: int
    bookings: int
    peak_chairs: int
    """Most chairs in use at once."""

    @property
    def ratio(self) -> float:
        return self.booked_minutes / self.capacity_minutes if self.capacity_minutes else 0.0


@dataclass(frozen=True, slots=True)
class DayFigures:
    """What a day's bookings ask of the unit (the day hospital page shows them)."""

    day: date
    peak: int
    """Most chairs in use at once."""
    bound: int
    """Chairs no placement of the day's bookings can do without: their chair time over the
    day's opening time, rounded up."""
    starts: tuple[int, ...]
    """Sessions starting in each slot."""
    limits: tuple[int, ...]
    """How many may start in each slot (the nurses on duty, the pharmacy)."""

    @property
    def busiest_slot(self) -> int:
        """Most sessions starting in one slot."""
        return max(self.starts, default=0)


@dataclass
class Occupancy:
    """Every booking of the unit, by day (see the module's docstring).

    ``calendar`` closes public holidays and the unit's closures and opens its open
    Saturdays; without it, only the weekly hours count.
    """

    resources: UnitResources = field(default_factory=UnitResources)
    calendar: ClosureCalendar | None = None
    bookings: dict[BookingKey, Booking] = field(default_factory=dict)
    """Every booking, those that no longer fit included (see :meth:`adopt`). Read it; change
    it through :meth:`add`, :meth:`move`, :meth:`remove` and :meth:`adopt`, which keep the
    grids and the indexes by day and by plan."""
    misfits: dict[BookingKey, Problem] = field(default_factory=dict)
    """Bookings read back that no longer fit, and why: kept, but holding no chair."""
    _grids: dict[date, DayGrid | None] = field(default_factory=dict, repr=False)
    _by_day: dict[date, set[BookingKey]] = field(default_factory=dict, repr=False)
    _by_plan: dict[str, set[BookingKey]] = field(default_factory=dict, repr=False)
    _chair_of: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._chair_of = {c.name: n for n, c in enumerate(self.resources.chairs)}

    def _index(self, key: BookingKey, booking: Booking) -> None:
        self.bookings[key] = booking
        assert booking.day is not None
        self._by_day.setdefault(booking.day, set()).add(key)
        self._by_plan.setdefault(key[0], set()).add(key)

    def _unindex(self, key: BookingKey) -> Booking | None:
        booking = self.bookings.pop(key, None)
        if booking is not None:
            assert booking.day is not None
            self._by_day[booking.day].discard(key)
            self._by_plan[key[0]].discard(key)
        return booking

    def copy(self) -> Occupancy:
        """The same bookings, misfits and grids, to change apart: the window places days in
        a copy off its own thread while it shows this one, and drops the copy when the
        coordinator cancels. Made booking by booking, never by :meth:`adopt`: a misfit
        stays one even where it would fit now (its clash removed since)."""
        twin = Occupancy(self.resources, self.calendar)
        for key, booking in self.bookings.items():
            twin._index(key, booking)
            problem = self.misfits.get(key)
            if problem is None:
                twin._take(booking)
            else:
                twin.misfits[key] = problem
        return twin

    def of_plan(self, plan_id: str) -> dict[SessionKey, Booking]:
        return {key[1]: self.bookings[key] for key in self._by_plan.get(plan_id, ())}

    def adopt(self, bookings: Mapping[BookingKey, Booking]) -> None:
        """Take bookings read back from the database. A closure, new hours or fewer chairs
        since may make some not fit: they are kept among :attr:`misfits`, never dropped."""
        ordered = sorted(bookings.items(), key=lambda kb: (kb[1].day or date.min, kb[1].start))
        for key, booking in ordered:
            self.remove(key)  # a key adopted again replaces its booking
            found = self.problem(booking)
            self._index(key, booking)
            if found is None:
                self._take(booking)
            else:
                self.misfits[key] = found

    # ------------------------------------------------------------------ days
    def hours_on(self, day: date) -> tuple[time, time] | None:
        weekday = day.weekday()
        if self.calendar is not None:
            if not self.calendar.is_open(day):
                return None
            if weekday >= 5 and self.resources.hours[weekday] is None:
                return self.resources.hours[5] or WEEKDAY_HOURS  # an open Saturday or Sunday
        return self.resources.hours[weekday]

    def grid(self, day: date) -> DayGrid | None:
        """The day's grid; None when the unit is closed."""
        try:
            return self._grids[day]
        except KeyError:
            hours = self.hours_on(day)
            grid = None if hours is None else DayGrid(day, *hours, self.resources)
            self._grids[day] = grid
            return grid

    # ------------------------------------------------------------------ bookings
    def problem(self, booking: Booking, ignore: BookingKey | None = None) -> Problem | None:
        """Why ``booking`` does not fit (other than the booking ``ignore``), or None."""
        assert booking.day is not None
        grid = self.grid(booking.day)
        if grid is None:
            return Problem.CLOSED
        chair = self._chair_of.get(booking.chair)
        if chair is None:
            return Problem.UNKNOWN_CHAIR
        first, count = self._slots(grid, booking)
        if first is None:
            return Problem.HOURS
        previous = None
        if ignore is not None and ignore not in self.misfits:
            previous = self.bookings.get(ignore)
        if previous is not None:
            self._release(previous)
        try:
            found = grid.problem(chair, first, count)
        finally:
            if previous is not None:
                self._take(previous)
        return None if found is None else Problem(found)

    def add(self, key: BookingKey, booking: Booking) -> None:
        """Book; :class:`BookingRefused` (with the :class:`Problem`) when it does not fit."""
        if key in self.bookings:
            raise ValueError("already booked")
        found = self.problem(booking)
        if found is not None:
            raise BookingRefused(found)
        self._take(booking)
        self._index(key, booking)

    def remove(self, key: BookingKey) -> Booking | None:
        booking = self._unindex(key)
        if self.misfits.pop(key, None) is None and booking is not None:
            self._release(booking)
        return booking

    def move(self, key: BookingKey, booking: Booking) -> Problem | None:
        """Move a booking; the problem (nothing changed) when the new place does not fit."""
        found = self.problem(booking, ignore=key)
        if found is not None:
            return found
        self.remove(key)
        self._take(booking)
        self._index(key, booking)
        return None

    def _slots(self, grid: DayGrid, booking: Booking) -> tuple[int | None, int]:
        slot = self.resources.slot_minutes
        offset = _minute(booking.start) - grid.opens
        count = -(-booking.minutes // slot)
        if offset % slot or offset < 0 or offset // slot + count > grid.slots:
            return None, count
        return offset // slot, count

    def _place(self, booking: Booking) -> tuple[DayGrid, int, int, int]:
        """Where a booking known to fit sits: its grid, chair, first slot and slot count."""
        assert booking.day is not None
        grid = self.grid(booking.day)
        chair = self._chair_of.get(booking.chair)
        assert grid is not None
        assert chair is not None
        first, count = self._slots(grid, booking)
        assert first is not None
        return grid, chair, first, count

    def _take(self, booking: Booking) -> None:
        grid, chair, first, count = self._place(booking)
        grid.take(chair, first, count)

    def _release(self, booking: Booking) -> None:
        grid, chair, first, count = self._place(booking)
        grid.release(chair, first, count)

    # ------------------------------------------------------------------ placing
    def find(
        self,
        day: date,
        minutes: int,
        preference: Preference = Preference.ANY,
        chair: str | None = None,
        *,
        earliest: time | None = None,
    ) -> Booking | None:
        """The first place that fits on ``day`` (first fit): in the preferred half-day
        first, the earliest slot, the patient's usual ``chair`` first, not before
        ``earliest`` (a same-day blood test's result); None when the day is full."""
        span = self._span(day, minutes, earliest)
        if span is None:
            return None
        grid, count, low, last = span
        slot = self.resources.slot_minutes
        chairs = self._chair_order(chair)
        free, limits = grid.free, grid.limits
        for first in self._slot_order(grid, last, preference):
            if first < low:
                continue
            if (
                grid.starts[first] >= limits[first]
                or not free[first]
                or not free[first + count - 1]
            ):
                continue
            end = first + count
            for n in chairs:
                if grid.busy[n].find(1, first, end) < 0:
                    return Booking(
                        grid.time_of(first), count * slot, self.resources.chairs[n].name, day
                    )
        return None

    def best(
        self,
        day: date,
        minutes: int,
        preference: Preference = Preference.ANY,
        chair: str | None = None,
        *,
        earliest: time | None = None,
    ) -> Booking | None:
        """The place on ``day`` that costs the day least by the optimiser's weights
        (:attr:`UnitResources.weights`), every other booking kept where it is: outside the
        patient's preferred half-day, one more chair at the peak, one more infusion in the
        busiest slot, a later end each cost their weight; the earliest of equal places, on
        the patient's usual ``chair`` first, not before ``earliest``. None when the day is
        full. This is the day optimiser's answer for one session (:mod:`planner.core.
        optimiser` places many at once)."""
        span = self._span(day, minutes, earliest)
        if span is None:
            return None
        grid, count, low, last = span
        slot = self.resources.slot_minutes
        weights = self.resources.weights
        chairs = self._chair_order(chair)
        total = len(self.resources.chairs)
        in_use = [total - f for f in grid.free]
        peak = max(in_use, default=0)
        busiest = max(grid.starts, default=0)
        end = max((s + 1 for s, used in enumerate(in_use) if used), default=0)
        noon = grid.slot_of(self.resources.afternoon)
        best: tuple[int, int] | None = None
        place: Booking | None = None
        for first in range(low, last + 1):
            if grid.starts[first] >= grid.limits[first]:
                continue
            stop = first + count
            most = max(in_use[first:stop])
            if most >= total:
                continue
            cost = weights.one_more(
                most=most,
                peak=peak,
                starts=grid.starts[first],
                busiest=busiest,
                stop=stop,
                end=end,
                wrong_half=wrong_half(preference, first, noon),
            )
            if best is not None and (cost, first) >= best:
                continue
            for n in chairs:
                if grid.busy[n].find(1, first, stop) < 0:
                    best = (cost, first)
                    place = Booking(
                        grid.time_of(first), count * slot, self.resources.chairs[n].name, day
                    )
                    break
        return place

    def _span(
        self, day: date, minutes: int, earliest: time | None
    ) -> tuple[DayGrid, int, int, int] | None:
        """Where a session of ``minutes`` may start on ``day``: its grid, its length in
        slots, and its first and last possible start slots (not before ``earliest``); None
        when the unit is closed or the session longer than the day."""
        grid = self.grid(day)
        if grid is None:
            return None
        slot = self.resources.slot_minutes
        count = -(-minutes // slot)
        last = grid.slots - count
        if last < 0:
            return None
        low = 0 if earliest is None else max(0, -(-(_minute(earliest) - grid.opens) // slot))
        return grid, count, low, last

    def _chair_order(self, chair: str | None) -> list[int]:
        """The chairs in the order they are tried: the patient's usual one first."""
        chairs = list(range(len(self.resources.chairs)))
        usual = self._chair_of.get(chair) if chair else None
        if usual is not None:
            chairs.remove(usual)
            chairs.insert(0, usual)
        return chairs

    def _slot_order(self, grid: DayGrid, last: int, preference: Preference) -> Iterator[int]:
        if preference is Preference.ANY:
            yield from range(last + 1)
            return
        noon = max(0, min(last + 1, grid.slot_of(self.resources.afternoon)))
        morning, afternoon = range(noon), range(noon, last + 1)
        first, then = (
            (morning, afternoon) if preference is Preference.MORNING else (afternoon, morning)
        )
        yield from first
        yield from then

    # ------------------------------------------------------------------ load
    def load(self, first: date, last: date) -> list[DayLoad]:
        """Chair minutes booked against capacity, each day from ``first`` to ``last``."""
        found = []
        day = first
        while day <= last:
            grid = self.grid(day)
            if grid is None:
                found.append(DayLoad(day, 0, 0, 0, 0))
            else:
                peak = max((grid.in_use(s) for s in range(grid.slots)), default=0)
                found.append(DayLoad(day, grid.booked, grid.capacity(), grid.count, peak))
            day += timedelta(days=1)
        return found

    def figures(self, day: date) -> DayFigures | None:
        """The day's peak, its lower bound and its starts per slot; None when closed."""
        grid = self.grid(day)
        if grid is None:
            return None
        peak = max((grid.in_use(s) for s in range(grid.slots)), default=0)
        opening = grid.slots * grid.slot
        bound = -(-grid.booked // opening) if opening else 0
        return DayFigures(day, peak, bound, tuple(grid.starts), tuple(grid.limits))

    def on_day(self, day: date) -> list[tuple[BookingKey, Booking]]:
        """The day's bookings, by time then chair."""
        order = {c.name: n for n, c in enumerate(self.resources.chairs)}
        found = [(k, self.bookings[k]) for k in self._by_day.get(day, ())]
        found.sort(key=lambda kb: (kb[1].start, order.get(kb[1].chair, 0), kb[0]))
        return found


# ---------------------------------------------------------------------- plans


@dataclass(frozen=True, slots=True)
class Flag:
    """A booking that no longer fits, kept until the coordinator books the session again."""

    key: BookingKey
    booking: Booking
    problem: Problem
    session: Session | None
    """The session as it is now (None when it is gone)."""


def usual_chair(bookings: Iterable[Booking]) -> str | None:
    """The chair a plan's sessions were booked on most often."""
    counts: dict[str, int] = {}
    for booking in bookings:
        counts[booking.chair] = counts.get(booking.chair, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


@dataclass(frozen=True, slots=True)
class PlanBookings:
    booked: dict[SessionKey, Booking]
    """Every session booked (kept or new)."""
    added: tuple[SessionKey, ...]
    """Sessions booked by this call."""
    unplaced: tuple[Session, ...]
    """Sessions for which no place fits on their day."""


def bookable(session: Session) -> bool:
    """A session still to come to the unit (not omitted, not already recorded as given)."""
    return bool(session.doses) and session.given_on is None


def book_plan(
    occupancy: Occupancy,
    plan_id: str,
    sessions: Iterable[Session],
    *,
    preference: Preference = Preference.ANY,
    since: date | None = None,
    rebook: bool = False,
    booked_only: bool = False,
    same_day_lab: frozenset[SessionKey] = frozenset(),
    first_fit: bool = False,
) -> PlanBookings:
    """Book every session of the plan (from ``since``, by the session's date) that has no
    booking on its day (with ``booked_only``, only those that had one elsewhere: a change
    books again what it moved, and leaves alone what was never booked).

    A booking on the session's day that fits is kept. One that no longer does (the session
    moved to another day, the day closed, its chair is gone...) is left for :func:`flags`
    to show; with ``rebook`` it is moved to the first place that fits, found while it still
    holds its old place, so nobody else can take that place in between; when none fits, it
    stays where it was (flagged), never dropped.

    Each session takes the place that costs its day least by the unit's weights, the
    day's other bookings kept (:meth:`Occupancy.best`); with ``first_fit``, the earliest
    place that fits (:meth:`Occupancy.find`). A session in ``same_day_lab`` (its blood test
    taken that morning) starts after :attr:`UnitResources.lab_result_start`.
    """
    resources = occupancy.resources
    place = occupancy.find if first_fit else occupancy.best
    lab_start = resources.lab_result_start
    chair = usual_chair(occupancy.of_plan(plan_id).values())
    booked: dict[SessionKey, Booking] = {}
    added: list[SessionKey] = []
    unplaced: list[Session] = []
    for session in sessions:
        if not bookable(session) or (since is not None and session.date < since):
            continue
        key = (plan_id, session.key)
        existing = occupancy.bookings.get(key)
        if existing is None and booked_only:
            continue
        if existing is not None:
            fits = existing.day == session.date and key not in occupancy.misfits
            if fits or not rebook:
                if existing.day == session.date:
                    booked[session.key] = existing
                continue
        found = place(
            session.date,
            chair_minutes(session, resources),
            preference,
            chair,
            earliest=lab_start if session.key in same_day_lab else None,
        )
        if found is None:
            unplaced.append(session)
            continue
        if existing is None:
            occupancy.add(key, found)
        else:
            problem = occupancy.move(key, found)
            assert problem is None  # found on another day, or where the misfit held nothing
        chair = chair or found.chair
        booked[session.key] = found
        added.append(session.key)
    return PlanBookings(booked, tuple(added), tuple(unplaced))


def flags(occupancy: Occupancy, sessions_by_plan: Mapping[str, Sequence[Session]]) -> list[Flag]:
    """Every booking of these plans that no longer matches its session or no longer fits
    the unit (a closure, new hours, fewer chairs), by day."""
    found: list[Flag] = []
    for plan_id, plan_sessions in sessions_by_plan.items():
        own = occupancy.of_plan(plan_id)
        if own:
            found.extend(_plan_flags(occupancy, plan_id, own, plan_sessions))
    found.sort(key=lambda f: (f.booking.day or date.min, f.booking.start, f.key))
    return found


def _plan_flags(
    occupancy: Occupancy,
    plan_id: str,
    own: dict[SessionKey, Booking],
    plan_sessions: Sequence[Session],
) -> Iterator[Flag]:
    index = {s.key: s for s in plan_sessions}
    for session_key, booking in own.items():
        key = (plan_id, session_key)
        session = index.get(session_key)
        if session is None or not bookable(session):
            if session is None or session.given_on is None:
                yield Flag(key, booking, Problem.GONE, session)
            continue
        if session.date != booking.day:
            yield Flag(key, booking, Problem.MOVED, session)
            continue
        problem = occupancy.misfits.get(key)
        if problem is not None:
            yield Flag(key, booking, problem, session)


# ---------------------------------------------------------------------- earliest start


@dataclass(frozen=True, slots=True)
class StartOption:
    start: date
    bookings: dict[SessionKey, Booking]
    """Where each session of the first weeks would go."""
    busiest_day: date
    """The busiest day of those the plan's sessions fall on, once they are added."""
    busiest_before: float
    """Its share of chair time booked, before and after adding the plan."""
    busiest_after: float
    lighter: bool = False
    """Offered for the lighter weeks it falls on, not for being the earliest."""


LOOK_DAYS = 21
"""How far after the earliest start the starts with lighter weeks are looked for."""


def earliest_start(
    occupancy: Occupancy,
    sessions_from: Callable[[date], Sequence[Session]],
    on_or_after: date,
    *,
    weeks: int = 12,
    options: int = 3,
    preference: Preference = Preference.ANY,
    search_days: int = 183,
    look_days: int = LOOK_DAYS,
) -> list[StartOption]:
    """The earliest start on or after ``on_or_after`` (open days, within ``search_days``) at
    which every session of the first ``weeks`` weeks can be booked, and ``options - 1``
    more: the starts of the following ``look_days`` days whose weeks are the least loaded
    (the busiest of the days the plan's sessions fall on, once they are added, is the
    lightest), else the next starts that fit. In date order.

    ``sessions_from(start)`` gives the plan's sessions for a start date (the engine's).
    Each session takes the place that costs its day least (:meth:`Occupancy.best`). The
    occupancy is left as it was.
    """
    found: list[StartOption] = []
    day = on_or_after
    window_end: date | None = None
    for _ in range(search_days):
        if window_end is not None and day > window_end and len(found) >= options:
            break
        candidate, day = day, day + timedelta(days=1)
        option = _try_start(occupancy, sessions_from, candidate, weeks, preference)
        if option is None:
            continue
        found.append(option)
        if window_end is None:
            window_end = candidate + timedelta(days=look_days)
    if len(found) <= options:
        return found
    earliest, rest = found[0], found[1:]
    inside = [o for o in rest if window_end is not None and o.start <= window_end]
    lighter = sorted(inside, key=lambda o: (o.busiest_after, o.start))[: options - 1]
    chosen = {o.start for o in lighter}
    later = [o for o in rest if o.start not in chosen][: options - 1 - len(lighter)]
    picked = [replace(o, lighter=o.busiest_after < earliest.busiest_after) for o in lighter]
    return sorted([earliest, *picked, *later], key=lambda o: o.start)


def _try_start(
    occupancy: Occupancy,
    sessions_from: Callable[[date], Sequence[Session]],
    candidate: date,
    weeks: int,
    preference: Preference,
) -> StartOption | None:
    """The plan started on ``candidate``, its first ``weeks`` weeks booked and taken back;
    None when a session finds no place (or the engine moves day 1 elsewhere)."""
    if occupancy.grid(candidate) is None:
        return None
    resources = occupancy.resources
    horizon = candidate + timedelta(weeks=weeks)
    sessions = [s for s in sessions_from(candidate) if s.date < horizon and bookable(s)]
    if not sessions or sessions[0].date != candidate:
        return None  # the engine moved day 1: that start is another day's
    placed: list[tuple[BookingKey, Booking]] = []
    chair: str | None = None
    try:
        for session in sessions:
            booking = occupancy.best(
                session.date, chair_minutes(session, resources), preference, chair
            )
            if booking is None:
                return None
            key: BookingKey = ("\x00candidate", session.key)
            occupancy.add(key, booking)
            placed.append((key, booking))
            chair = chair or booking.chair
        return _option(occupancy, candidate, placed)
    finally:
        for key, _booking in placed:
            occupancy.remove(key)


def _option(
    occupancy: Occupancy, start: date, placed: list[tuple[BookingKey, Booking]]
) -> StartOption:
    busiest, before, after = start, -1.0, -1.0
    for _key, booking in placed:
        assert booking.day is not None
        grid = occupancy.grid(booking.day)
        assert grid is not None
        now = grid.booked / grid.capacity()
        if now > after:
            busiest, after = booking.day, now
            before = (grid.booked - booking.minutes) / grid.capacity()
    return StartOption(start, {key[1]: booking for key, booking in placed}, busiest, before, after)
