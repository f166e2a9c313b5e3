"""The day hospital's own settings that scheduling depends on, and its telephone number's
form."""

from __future__ import annotations

import re
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


_SEPARATORS = re.compile(r"[\s.\-/()\u00a0\u202f]")
_FRENCH = re.compile(r"0[1-9][0-9]{8}")
"""A French number: 10 digits, 0 then the zone or service digit (ARCEP numbering plan)."""
_INTERNATIONAL = re.compile(r"\+([1-9][0-9]{6,14})")
"""E.164 (ITU-T): a country code and number of at most 15 digits, written after a +."""
_FRANCE_ABROAD = re.compile(r"\+33[1-9][0-9]{8}")


def is_phone_number(text: str) -> bool:
    """Is ``text`` a telephone number a patient can dial: French (01 23 45 67 89) or
    international (+33 1 23 45 67 89, 0033 1 23 45 67 89, +41 21 314 11 11)? Spaces, dots,
    dashes, slashes and a "(0)" after the country code are allowed between digits."""
    compact = _SEPARATORS.sub("", text.replace("(0)", ""))
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if _FRENCH.fullmatch(compact):
        return True
    if compact.startswith("+33"):
        return _FRANCE_ABROAD.fullmatch(compact) is not None
    return _INTERNATIONAL.fullmatch(compact) is not None
