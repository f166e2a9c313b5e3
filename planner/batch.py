"""Working on a whole unit at once: thousands of plans recomputed together."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from planner.core.plan import Plan
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortRule
from planner.memory import collector_paused


def plan_schedules(
    plans: Iterable[Plan], port_rules: tuple[PortRule, ...], today: date | None = None
) -> list[PlanSchedule]:
    """Every plan's whole calendar (see planner.memory for why the collector pauses)."""
    with collector_paused():
        return [schedule_of(plan, port_rules, today) for plan in plans]
