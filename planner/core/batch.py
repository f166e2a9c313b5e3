"""Working on a whole unit at once: thousands of plans recomputed together.

The planner's values (plans, sessions, events) are immutable and hold no reference cycles,
yet Python's cyclic garbage collector walks every one of them again and again while they
pile up: a unit's 2,000 calendars are about 230,000 objects. Pausing it while they are
built (:func:`collector_paused`) takes about a third off the time (bench/README.md);
reference counting still frees everything, and nothing built here can form a cycle.

When the collector comes back, everything built in the meantime is still in its youngest
generation, and the first collection after that would walk all of it at once (0.14 s for
the demo unit). ``gc.freeze()`` followed by ``gc.unfreeze()`` moves it straight to the
oldest generation instead, in constant time: it is walked only by the next full collection,
as long-lived objects are anyway, and any garbage cycle made meanwhile is still collected
there.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from planner.core.plan import Plan
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortRule


@contextmanager
def collector_paused() -> Iterator[None]:
    """Build many immutable values without the cyclic collector walking them meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def plan_schedules(
    plans: Sequence[Plan],
    port_rules: tuple[PortRule, ...],
    today: date | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[PlanSchedule]:
    """Every plan's whole calendar, the collector paused meanwhile.

    ``progress(done, total)`` is called after each plan; it may raise to stop the work.
    """
    with collector_paused():
        if progress is None:
            return [schedule_of(plan, port_rules, today) for plan in plans]
        total = len(plans)
        found = []
        for done, plan in enumerate(plans, start=1):
            found.append(schedule_of(plan, port_rules, today))
            progress(done, total)
        return found
