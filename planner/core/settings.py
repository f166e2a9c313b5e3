"""The day hospital's own settings that scheduling depends on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from planner.core.closures import ClosureCalendar, ClosureSet, UnitClosure
from planner.core.engine import LabRule
from planner.core.schedule import Policy


@dataclass(frozen=True, slots=True)
class UnitSettings:
    name: str = ""
    address: str = ""
    phone: str = ""
    closure_set: ClosureSet = ClosureSet.FR
    """The default closures of new plans."""
    unit_closures: tuple[UnitClosure, ...] = ()
    """Days the unit itself is closed (training, works), for every plan."""
    open_days: frozenset[date] = frozenset()
    """Weekend days the unit opens (open Saturdays), for every plan."""
    lab_rule: LabRule = field(default_factory=LabRule)
    default_policy: Policy = Policy.GRID
    port_lead_days: int = 7
    session_reminder: time | None = time(18, 0)
    """Calendar reminder the evening before a session, at this time (None: no reminder)."""
    lab_reminder: time | None = time(18, 0)
    """Calendar reminder the evening before a blood test, at this time (None: no reminder)."""

    def calendar(self, closure_set: ClosureSet | None = None) -> ClosureCalendar:
        """The closure calendar of a plan with ``closure_set`` (the unit's by default)."""
        return ClosureCalendar(
            closure_set if closure_set is not None else self.closure_set,
            unit_closures=self.unit_closures,
            open_days=self.open_days,
        )
