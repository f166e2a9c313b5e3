"""What the window's flows and watchers may use of the main window: the :class:`Desk`.

The flows (planner.gui.flows) and the watcher of other coordinators' changes
(planner.gui.watching) are written against this protocol, never against the main window
itself: the window composes them, they do not know it (import-linter keeps it so).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QLineEdit, QStatusBar, QWidget

    from planner.core.plan_schedule import PlanSchedule
    from planner.core.schedule import Session
    from planner.core.summary import PatientSummary
    from planner.gui.actions import Actions
    from planner.gui.calendars import CalendarPublisher
    from planner.gui.models.patient_list import PatientListModel
    from planner.gui.settings import Settings
    from planner.gui.unit import Unit


class Desk(Protocol):
    """The main window as its flows see it."""

    unit: Unit | None
    settings: Settings
    act: Actions
    search: QLineEdit
    patients_model: PatientListModel
    calendars: CalendarPublisher
    """Sends the unit's patients' live calendars to its calendar server."""

    @property
    def widget(self) -> QWidget:
        """The window itself, as the parent of dialogs and messages."""
        ...

    def undo_stack_for(self, patient_id: str | None) -> QUndoStack:
        """Where a change to this patient (None: to the unit's bookings) is pushed, to be
        undone while that patient (or the day hospital page) is on screen."""
        ...

    def statusBar(self) -> QStatusBar: ...

    def show_error(self, title: str, text: str) -> None: ...

    def say_list_progress(self, done: int, total: int) -> None:
        """How far the patient list's facts are computed again (after an upgrade...)."""
        ...

    def current_summary(self) -> PatientSummary | None: ...

    def current_schedule(self) -> PlanSchedule | None: ...

    def selected_session(self) -> Session | None:
        """The session selected in the plan shown (or the session of the event selected)."""
        ...

    def shown_day(self) -> date | None:
        """The day shown on the day hospital page, when that page is on screen."""
        ...

    def select_patient(self, patient_id: str) -> bool: ...

    def show_patient(self, patient_id: str | None) -> None: ...

    def refresh_unit_view(self) -> None: ...

    def show_day(self, day: date) -> None:
        """The day hospital page, on ``day``."""
        ...
