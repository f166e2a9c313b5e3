"""The unit's telephone number on every document a patient takes home.

A handout or a calendar that does not say whom to call is worse than none: the patient
with a fever at night must find the number on it. So the handout (printed or PDF) and the
patient's calendar (.ics) are refused while the unit has no telephone number, by this one
check, which every path that makes them calls: the window, ``export-ics``, the PDF writer
and the HTML itself. Nothing is written when it refuses.
"""

from __future__ import annotations

from planner.core.settings import UnitSettings
from planner.export.files import ExportError
from planner.i18n import N_, Message


class NoUnitPhone(ExportError):
    """A patient's document was refused: the unit's telephone number is missing. The
    window and the command line each say where to enter it."""


def require_unit_phone(settings: UnitSettings) -> None:
    """Raise :class:`NoUnitPhone` unless the unit has a telephone number."""
    if not settings.phone.strip():
        raise NoUnitPhone(
            Message(
                N_(
                    "the unit's telephone number is missing, and a patient's calendar or "
                    "handout must say whom to call"
                )
            )
        )
