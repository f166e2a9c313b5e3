"""Writing a saved plan's calendar for its patient, and remembering what it gave.

Shared by the command line and the desktop application: the file is written whole (never
half), and only then is what the patient's calendar now holds saved with the plan, so a
failed export changes nothing and the next one still updates instead of duplicating.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from planner.core.plan_schedule import PlanSchedule
from planner.export.calendar import (
    Export,
    ExportOptions,
    patient_calendar,
    state_from_json,
    state_to_json,
)
from planner.export.files import write_atomically
from planner.store import Store


def export_patient_calendar(
    store: Store,
    scheduled: PlanSchedule,
    path: Path,
    *,
    options: ExportOptions,
    exported_at: datetime,
    author: str,
) -> tuple[Export, int]:
    """Write the plan's calendar to ``path``; the export and its size in bytes.

    Raises :class:`planner.export.files.ExportError` (nothing written, nothing remembered)
    or :class:`planner.store.StoreError`.
    """
    plan = scheduled.plan
    previous = state_from_json(store.calendar_state(plan.id))
    export = patient_calendar(
        scheduled,
        settings=store.settings(),
        options=options,
        exported_at=exported_at,
        previous=previous,
    )
    size = write_atomically(path, [export.content])
    store.save_calendar_state(plan.id, state_to_json(export.state), author=author, at=exported_at)
    return export, size
