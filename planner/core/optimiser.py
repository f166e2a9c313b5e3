"""The day optimiser: every session of a day placed at once, with Google OR-Tools' CP-SAT.

First fit (:meth:`planner.core.chairs.Occupancy.find`) places sessions one after the other at
the earliest place that fits: on a busy day as many infusions start at opening time as the
nurses can start, and the chairs fill from the morning, so the pharmacy has every bag to
prepare at once and the unit needs its chairs for a few hours only. The optimiser places a
whole day at once.

**Hard** (no solution it returns breaks one; ``tests/core/test_optimiser.py`` checks it on
random units): a chair holds one patient at a time; every session within the day's hours;
no more sessions start in a slot than the nurses on duty can start and the pharmacy can
prepare (:meth:`UnitResources.start_limits`); a session whose blood test is taken the same
day starts no earlier than :attr:`UnitResources.lab_result_start`; a booking already given to
a patient moves by at most :attr:`UnitResources.max_move_minutes`, and a pinned one (today's)
not at all.

**Soft**, weighted by :class:`planner.core.chairs.Weights` (the unit's settings): the
patient's preferred half-day; the times already given; fewer chairs at the peak; fewer
infusions starting together; an earlier end. A session that cannot be placed at all costs
far more than any of them: it is left out only when nothing else fits (it is then said).

Chairs are not in the model: it counts the chairs in use at each moment, and chairs are then
given in order of start time, a session keeping its chair or taking its usual one when free.
That always succeeds with as many chairs as the peak (intervals never need more colours than
their largest overlap), so the peak the model minimises is the peak the day gets.

Behind a time limit the solver gives the best solution found, and says whether it is proven
optimal and how far it may be from the best possible. The first-fit solution is given to it
as a hint, and kept when it finds nothing better in time (or when OR-Tools is not installed).
Nothing here reads a clock, except the solver's own time limit.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from time import perf_counter
from typing import Any

from planner.core.booking import Booking
from planner.core.chairs import BookingKey, DayGrid, Occupancy, wrong_half
from planner.core.patient import Preference

SOLVER_WORKERS = 4
"""Solver threads for one day: with four, CP-SAT runs a neighbourhood search beside its
complete search, which is what lowers a busy day's peak within a second (with one to three
it kept its starting placement: 59 chairs on the 2,000-patient demo's busiest day, 55 with
four; the bound is 52)."""

UNPLACED_COST = 1_000_000
"""What leaving a session out costs: more than every other goal of a day together."""


@dataclass(frozen=True, slots=True)
class DaySession:
    """A session to place on the day being optimised."""

    key: BookingKey
    minutes: int
    """Its chair time (:func:`planner.core.chairs.chair_minutes`)."""
    preference: Preference = Preference.ANY
    chair: str | None = None
    """The patient's usual chair."""
    booked: Booking | None = None
    """Its booking on this day, given to the patient: kept, or moved within
    :attr:`UnitResources.max_move_minutes`."""
    same_day_lab: bool = False
    """Its blood test is taken the same day: it starts after the result."""
    pinned: bool = False
    """It keeps its booked time whatever the cost (today's sessions: the patient may be in
    the chair)."""


@dataclass(frozen=True, slots=True)
class DayPlan:
    """The optimiser's answer for one day."""

    day: date
    bookings: dict[BookingKey, Booking]
    """Where each session placed goes."""
    unplaced: tuple[BookingKey, ...]
    """Sessions that fit nowhere on the day."""
    peak: int
    """Most chairs in use at once."""
    peak_bound: int
    """Chairs no placement of these sessions can do without at its peak: their chair time
    over the day's opening time, or the solver's proven bound when it was asked to lower the
    peak alone (:func:`needs`)."""
    busiest_slot: int
    """Most sessions starting in one slot."""
    busiest_bound: int
    """Sessions that must start together in some slot, whatever the placement: their number
    over the day's slots, or the solver's proven bound when it was asked to lower the
    busiest slot alone (:func:`needs`)."""
    end: time | None
    """When the last session ends."""
    moved: int
    """Bookings given to patients whose time changed."""
    honoured: int
    """Sessions placed in their patient's preferred half-day..."""
    with_preference: int
    """...of the sessions whose patient has one."""
    proven: bool
    """The solver proved no placement costs less (by the weights)."""
    gap: float
    """How much more this placement may cost than the best possible, as a share of its cost
    (0 when proven)."""
    seconds: float
    by_solver: bool
    """False: first fit (the solver found nothing better in time, or is not installed)."""


def _count(minutes: int, slot: int) -> int:
    return max(1, -(-minutes // slot))


@dataclass(frozen=True, slots=True)
class _Shape:
    """A session on the day's grid: its length in slots, the slots it may start in, and the
    slot it is booked at (None: not booked on this grid)."""

    count: int
    low: int
    high: int
    at: int | None


@dataclass(frozen=True, slots=True)
class _Usage:
    in_use: list[int]
    begins: list[int]
    peak: int
    busiest: int
    end: int


class _Day:
    """A day's geometry: its grid (empty), and each session's shape on it."""

    def __init__(self, occupancy: Occupancy, day: date, sessions: Sequence[DaySession]) -> None:
        resources = occupancy.resources
        hours = occupancy.hours_on(day)
        if hours is None:
            raise ValueError(f"the unit is closed on {day.isoformat()}")
        self.day = day
        self.resources = resources
        self.grid = DayGrid(day, *hours, resources)
        self.sessions = list(sessions)
        grid = self.grid
        slot = resources.slot_minutes
        noon = grid.slot_of(resources.afternoon)
        self.noon = max(0, min(grid.slots, noon))
        lab = 0
        if resources.lab_result_start is not None:
            lab = max(0, grid.slot_of(resources.lab_result_start))
        move = resources.max_move_minutes // slot
        chairs = {c.name for c in resources.chairs}
        self.shapes: list[_Shape | None] = []
        for s in self.sessions:
            count = _count(s.minutes, slot)
            low, high = (lab if s.same_day_lab else 0), grid.slots - count
            at = None
            b = s.booked
            if b is not None and b.day in (None, day) and b.chair in chairs:
                offset = b.start.hour * 60 + b.start.minute - grid.opens
                if offset % slot == 0 and 0 <= offset // slot <= high:
                    at = offset // slot
            if at is not None:
                if s.pinned:  # where it is, unless it starts before its blood result
                    low, high = max(low, at), at
                else:
                    low, high = max(low, at - move), min(high, at + move)
                    if low > high:  # the lab rule changed since: it moves as it must
                        low, high = (lab if s.same_day_lab else 0), grid.slots - count
                        at = None
            self.shapes.append(None if low > high else _Shape(count, low, high, at))

    def wrong_half(self, preference: Preference, first: int) -> bool:
        return wrong_half(preference, first, self.noon)

    # ------------------------------------------------------------------ first fit
    def first_fit(self, cap: int | None = None) -> dict[int, int]:
        """Each session placed in turn (those booked first, at their time when it fits;
        then the others, longest first, by the optimiser's weights for one session), never
        more than ``cap`` chairs in use: the start slot of each session placed, by its
        index."""
        grid = self.grid
        starts: dict[int, int] = {}
        in_use = [0] * grid.slots
        begins = [0] * grid.slots
        total = len(self.resources.chairs) if cap is None else min(cap, len(self.resources.chairs))
        order = sorted(
            (i for i, shape in enumerate(self.shapes) if shape is not None),
            key=lambda i: (self.shapes[i].at is None, -self.shapes[i].count, i),  # type: ignore[union-attr]
        )
        weights = self.resources.weights
        for i in order:
            shape = self.shapes[i]
            assert shape is not None
            best: tuple[int, int] | None = None
            peak, busiest = max(in_use), max(begins)
            end = max((t + 1 for t, used in enumerate(in_use) if used), default=0)
            candidates = list(range(shape.low, shape.high + 1))
            if shape.at is not None:
                candidates = [shape.at, *(t for t in candidates if t != shape.at)]
            for first in candidates:
                stop = first + shape.count
                if begins[first] >= grid.limits[first] or max(in_use[first:stop]) >= total:
                    continue
                if shape.at is not None and first == shape.at:
                    best = (-1, first)
                    break
                cost = weights.one_more(
                    most=max(in_use[first:stop]),
                    peak=peak,
                    starts=begins[first],
                    busiest=busiest,
                    stop=stop,
                    end=end,
                    wrong_half=self.wrong_half(self.sessions[i].preference, first),
                    moved=shape.at is not None,
                )
                if best is None or (cost, first) < best:
                    best = (cost, first)
            if best is None:
                continue
            first = best[1]
            starts[i] = first
            begins[first] += 1
            for t in range(first, first + shape.count):
                in_use[t] += 1
        return starts

    def hint(self) -> dict[int, int]:
        """The solver's starting point: sessions placed in turn, the chairs in use capped as
        low as still places as many (a binary search between the day's lower bound and the
        uncapped peak), the cheapest by the weights of those tried. One after the other,
        sessions crowd the morning up to whatever peak the first ones made; capped, the
        later ones take the afternoon's room instead."""
        best = self.first_fit()
        placed, best_cost = len(best), self.cost(best)
        slots = self.grid.slots
        work = 0
        for i in best:
            shape = self.shapes[i]
            assert shape is not None
            work += shape.count
        low, high = (-(-work // slots) if slots else 0), self.usage(best).peak - 1
        while low <= high:
            cap = (low + high) // 2
            tried = self.first_fit(cap)
            if len(tried) < placed:
                low = cap + 1
                continue
            high = cap - 1
            cost = self.cost(tried)
            if cost < best_cost:
                best, best_cost = tried, cost
        return best

    def cost(self, starts: dict[int, int]) -> int:
        """What ``starts`` cost by the weights, as the solver counts it."""
        weights = self.resources.weights
        usage = self.usage(starts)
        cost = UNPLACED_COST * sum(1 for shape in self.shapes if shape is not None)
        cost -= UNPLACED_COST * len(starts)
        cost += weights.peak * usage.peak + weights.spread * usage.busiest
        cost += weights.end * usage.end
        for i, first in starts.items():
            shape = self.shapes[i]
            assert shape is not None
            if self.wrong_half(self.sessions[i].preference, first):
                cost += weights.preference
            if shape.at is not None and first != shape.at:
                cost += weights.keep
        return cost

    def usage(self, starts: dict[int, int]) -> _Usage:
        """The chairs in use and the sessions starting in each slot, with ``starts``."""
        slots = self.grid.slots
        in_use, begins = [0] * slots, [0] * slots
        for i, first in starts.items():
            shape = self.shapes[i]
            assert shape is not None
            begins[first] += 1
            for t in range(first, first + shape.count):
                in_use[t] += 1
        end = max((first + self.shapes[i].count for i, first in starts.items()), default=0)  # type: ignore[union-attr]
        return _Usage(in_use, begins, max(in_use, default=0), max(begins, default=0), end)

    # ------------------------------------------------------------------ answer
    def _chairs(
        self, starts: dict[int, int], names: list[str], *, keep: bool
    ) -> dict[int, int] | None:
        """A chair for each session placed, by its index. In order of start time, each
        takes its booked chair, else its usual one, else the first free: that always
        succeeds (never more sessions at once than chairs). With ``keep``, the sessions
        whose time did not change first keep their chairs (no chair changes for nothing
        when a day is placed again); None when that leaves one without a chair."""
        index = {name: n for n, name in enumerate(names)}
        taken: list[list[tuple[int, int]]] = [[] for _ in names]
        found: dict[int, int] = {}

        def free(chair: int, first: int, stop: int) -> bool:
            return all(stop <= a or b <= first for a, b in taken[chair])

        def take(i: int, chair: int) -> None:
            shape = self.shapes[i]
            assert shape is not None
            taken[chair].append((starts[i], starts[i] + shape.count))
            found[i] = chair

        if keep:
            for i, first in starts.items():
                s, shape = self.sessions[i], self.shapes[i]
                assert shape is not None
                if s.booked is not None and shape.at == first and s.booked.chair in index:
                    chair = index[s.booked.chair]
                    if free(chair, first, first + shape.count):
                        take(i, chair)
        for i in sorted(starts, key=lambda i: (starts[i], i)):
            if i in found:
                continue
            s, shape, first = self.sessions[i], self.shapes[i], starts[i]
            assert shape is not None
            stop = first + shape.count
            wished = [
                index[c]
                for c in (s.booked.chair if s.booked else None, s.chair)
                if c is not None and c in index
            ]
            free_now = [c for c in wished if free(c, first, stop)]
            free_now = free_now or [c for c in range(len(names)) if free(c, first, stop)]
            if not free_now:
                return None
            take(i, free_now[0])
        return found

    def plan(
        self,
        starts: dict[int, int],
        *,
        proven: bool,
        gap: float,
        seconds: float,
        by_solver: bool,
        bound: int | None = None,
        starts_bound: int | None = None,
    ) -> DayPlan:
        grid, resources = self.grid, self.resources
        slot = resources.slot_minutes
        names = [c.name for c in resources.chairs]
        chairs = self._chairs(starts, names, keep=True)
        if chairs is None:  # kept chairs left one without: given in order of start
            chairs = self._chairs(starts, names, keep=False)
        assert chairs is not None  # never more sessions at once than chairs
        bookings: dict[BookingKey, Booking] = {}
        for i, chair in chairs.items():
            s, shape = self.sessions[i], self.shapes[i]
            assert shape is not None
            bookings[s.key] = Booking(
                grid.time_of(starts[i]), shape.count * slot, names[chair], self.day
            )
        in_use = [0] * grid.slots
        begins = [0] * grid.slots
        minutes = 0
        for i, first in starts.items():
            shape = self.shapes[i]
            assert shape is not None
            begins[first] += 1
            minutes += shape.count * slot
            for t in range(first, first + shape.count):
                in_use[t] += 1
        last = max((first + self.shapes[i].count for i, first in starts.items()), default=None)  # type: ignore[union-attr]
        energy = -(-minutes // (grid.slots * slot)) if grid.slots else 0
        preferring = [i for i in starts if self.sessions[i].preference is not Preference.ANY]
        return DayPlan(
            day=self.day,
            bookings=bookings,
            unplaced=tuple(s.key for i, s in enumerate(self.sessions) if i not in starts),
            peak=max(in_use, default=0),
            peak_bound=max(energy, bound or 0),
            busiest_slot=max(begins, default=0),
            busiest_bound=max(
                -(-len(starts) // grid.slots) if grid.slots else 0, starts_bound or 0
            ),
            end=None if last is None else grid.time_of(last),
            moved=sum(
                1
                for s in self.sessions
                if s.booked is not None
                and s.key in bookings
                and (s.booked.start, s.booked.day or self.day) != (bookings[s.key].start, self.day)
            ),
            honoured=sum(
                1 for i in preferring if not self.wrong_half(self.sessions[i].preference, starts[i])
            ),
            with_preference=len(preferring),
            proven=proven,
            gap=gap,
            seconds=seconds,
            by_solver=by_solver,
        )


class Cancelled(Exception):
    """The optimisation was stopped by whoever asked for it."""


def optimise_day(
    occupancy: Occupancy,
    day: date,
    sessions: Sequence[DaySession],
    *,
    time_limit: float = 2.0,
    workers: int = SOLVER_WORKERS,
    stop: threading.Event | None = None,
) -> DayPlan:
    """The best placement of ``sessions`` on ``day`` found within ``time_limit`` seconds
    (see the module's docstring). ``occupancy`` gives the day's hours and the unit's
    resources only: ``sessions`` are every booking the day is to hold. ``stop``, set from
    another thread, ends the search with the best placement found so far; set before the
    search starts, it raises :class:`Cancelled`."""
    began = perf_counter()
    shaped = _Day(occupancy, day, sessions)
    hint = shaped.hint()
    if stop is not None and stop.is_set():
        raise Cancelled
    if not any(s is not None for s in shaped.shapes):
        return shaped.plan(
            hint, proven=not hint, gap=0.0, seconds=perf_counter() - began, by_solver=False
        )
    return _solve(shaped, hint, time_limit, workers, stop, began)


def _solve(
    shaped: _Day,
    hint: dict[int, int],
    time_limit: float,
    workers: int,
    stop: threading.Event | None,
    began: float,
    *,
    goal: str = "weighted",
) -> DayPlan:
    from ortools.sat.python import cp_model

    grid, resources = shaped.grid, shaped.resources
    weights = resources.weights
    model = cp_model.CpModel()
    chairs = len(resources.chairs)
    most = max(grid.limits, default=0)
    usage = shaped.usage(hint)
    peak = model.new_int_var(0, chairs, "peak")
    busiest = model.new_int_var(0, most, "busiest")
    end = model.new_int_var(0, grid.slots, "end")
    for var, hinted in ((peak, usage.peak), (busiest, usage.busiest), (end, usage.end)):
        model.add_hint(var, hinted)
    stays, starts_at, placed_of = [], [], {}
    cost: list[Any] = []
    for i, (session, shape) in enumerate(zip(shaped.sessions, shaped.shapes, strict=True)):
        if shape is None:
            continue
        placed = model.new_bool_var(f"placed{i}")
        start = model.new_int_var(shape.low, shape.high, f"start{i}")
        placed_of[i] = (placed, start)
        model.add_hint(placed, i in hint)
        model.add_hint(start, hint.get(i, shape.low))
        stays.append(
            model.new_optional_fixed_size_interval_var(start, shape.count, placed, f"s{i}")
        )
        starts_at.append(model.new_optional_fixed_size_interval_var(start, 1, placed, f"b{i}"))
        model.add(end >= start + shape.count).only_enforce_if(placed)
        cost.append(UNPLACED_COST * (1 - placed))
        if goal != "weighted":
            continue
        if session.preference is not Preference.ANY and weights.preference:
            noon = shaped.noon
            wrong = model.new_bool_var(f"wrong{i}")
            if session.preference is Preference.MORNING:
                model.add(start >= noon).only_enforce_if(wrong)
                model.add(start < noon).only_enforce_if(~wrong)
            else:
                model.add(start < noon).only_enforce_if(wrong)
                model.add(start >= noon).only_enforce_if(~wrong)
            model.add_hint(wrong, i in hint and shaped.wrong_half(session.preference, hint[i]))
            cost.append(weights.preference * wrong)
        if shape.at is not None and weights.keep:
            kept = model.new_bool_var(f"kept{i}")
            model.add(start == shape.at).only_enforce_if(kept)
            model.add_implication(kept, placed)
            model.add_hint(kept, hint.get(i) == shape.at)
            cost.append(weights.keep * (placed - kept))
    model.add_cumulative(stays, [1] * len(stays), peak)
    # No more starts in a slot than its limit (fixed blocks take the room above it), nor
    # than the busiest slot's count.
    blocks = [
        (model.new_fixed_size_interval_var(t, 1, f"limit{t}"), most - limit)
        for t, limit in enumerate(grid.limits)
        if limit < most
    ]
    model.add_cumulative(
        starts_at + [b for b, _ in blocks], [1] * len(starts_at) + [d for _, d in blocks], most
    )
    model.add_cumulative(starts_at, [1] * len(starts_at), busiest)
    if goal == "peak":
        cost.append(peak)
    elif goal == "busiest":
        cost.append(busiest)
    else:
        cost += [weights.peak * peak, weights.spread * busiest, weights.end * end]
    model.minimize(sum(cost))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    done = threading.Event()
    if stop is not None:
        if stop.is_set():
            raise Cancelled
        threading.Thread(target=_stop_when, args=(stop, done, solver), daemon=True).start()
    try:
        status = solver.solve(model)
    finally:
        done.set()
    seconds = perf_counter() - began
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return shaped.plan(hint, proven=False, gap=0.0, seconds=seconds, by_solver=False)
    starts = {
        i: solver.value(start)
        for i, (placed, start) in placed_of.items()
        if solver.boolean_value(placed)
    }
    value, bound = solver.objective_value, solver.best_objective_bound
    gap = 0.0 if status == cp_model.OPTIMAL or value <= 0 else max(0.0, (value - bound) / value)
    proven = None
    if goal != "weighted" and all(i in starts for i in placed_of):
        proven = math.ceil(bound - 1e-6)
    return shaped.plan(
        starts,
        proven=status == cp_model.OPTIMAL,
        gap=gap,
        seconds=seconds,
        by_solver=True,
        bound=proven if goal == "peak" else None,
        starts_bound=proven if goal == "busiest" else None,
    )


@dataclass(frozen=True, slots=True)
class DayNeeds:
    """What a day's sessions need at least, every one of them placed under the unit's rules
    (:func:`needs`)."""

    day: date
    sessions: int
    chairs: int
    """The fewest chairs found with which every session fits (the nurses and pharmacy as
    they are; up to 500 chairs, more than the unit may have)..."""
    chairs_bound: int
    """...and fewer than this cannot do (proven); equal when proven optimal."""
    starts: int
    """The fewest sessions found starting together in one slot, every session placed (the
    pharmacy as it is, as many nurses and chairs as needed)..."""
    starts_bound: int
    """...and fewer cannot do."""
    placed: bool
    """Every session fits (not so when one is longer than the day, or the pharmacy cannot
    prepare them all within the day)."""


def needs(
    occupancy: Occupancy,
    day: date,
    sessions: Sequence[DaySession],
    *,
    time_limit: float = 2.0,
    workers: int = SOLVER_WORKERS,
    stop: threading.Event | None = None,
) -> DayNeeds:
    """The fewest chairs, and the fewest starts in one slot, with which every one of
    ``sessions`` (placed afresh: their bookings ignored) fits on ``day``: "how many chairs
    do we need?". Each is the solver's best within ``time_limit`` (half each), with the
    bound it proved."""
    from dataclasses import replace

    from planner.core.chairs import MAX_CHAIRS, MAX_NURSES, MAX_STARTS_PER_NURSE, Chair

    fresh = [replace(s, booked=None, pinned=False) for s in sessions]
    began = perf_counter()
    own = occupancy.resources
    more = (*own.chairs, *(Chair(f"+{n}") for n in range(1, MAX_CHAIRS - len(own.chairs) + 1)))
    roomy = Occupancy(replace(own, chairs=more), occupancy.calendar)
    shaped = _Day(roomy, day, fresh)
    chairs = _solve(shaped, shaped.first_fit(), time_limit / 2, workers, stop, began, goal="peak")
    unlimited = replace(
        roomy.resources,
        nurses=MAX_NURSES,
        afternoon_nurses=None,
        starts_per_nurse=MAX_STARTS_PER_NURSE,
    )
    staffed = Occupancy(unlimited, occupancy.calendar)
    shaped = _Day(staffed, day, fresh)
    starts = _solve(
        shaped, shaped.first_fit(), time_limit / 2, workers, stop, began, goal="busiest"
    )
    return DayNeeds(
        day,
        len(fresh),
        chairs.peak,
        min(chairs.peak, chairs.peak_bound),
        starts.busiest_slot,
        min(starts.busiest_slot, starts.busiest_bound),
        not chairs.unplaced,
    )


def _stop_when(stop: threading.Event, done: threading.Event, solver: Any) -> None:
    """Stops ``solver``'s search once ``stop`` is set, unless it is ``done`` first."""
    while not done.is_set():
        if stop.wait(0.05):
            solver.stop_search()
            return
