"""Working on a whole unit at once: thousands of plans recomputed together, the cyclic
collector paused meanwhile (:func:`planner.core.values.collector_paused`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from planner.core.plan import Plan
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortRule
from planner.core.values import collector_paused


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
