"""Undo commands: every action on a plan is one command on the unit's QUndoStack.

The ledger is append-only (an audit trail), so undoing never deletes: it records a revert of
the change, and redoing records a revert of that revert (planner.core.plan.reverted). The
plan's calendar after an undo is exactly the one before the change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from planner.core.booking import Booking
from planner.core.chairs import BookingKey
from planner.core.closures import UnitClosure
from planner.core.plan import Patient, Revert
from planner.gui.unit import Unit

Failure = Callable[[Exception], None]
"""Told when an undo or redo cannot be done (the plan changed elsewhere, the database...)."""


class RecordChange(QUndoCommand):
    """A change to a plan (delay, omission, dose given, stop, progression, port request).

    The caller records the change first (where a refusal can be shown) and pushes the
    command with the ledger number it got; the stack's first ``redo`` then does nothing.
    """

    def __init__(
        self,
        unit: Unit,
        plan_id: str,
        seq: int,
        text: str,
        *,
        failed: Failure,
    ) -> None:
        super().__init__(text)
        self.unit = unit
        self.plan_id = plan_id
        self._last = seq
        """The ledger number of this command's latest entry (the change, or a revert)."""
        self._pushed = False
        self._failed = failed

    def _revert_last(self) -> None:
        try:
            plan = self.unit.record(self.unit.plan(self.plan_id), Revert(self._last))
        except Exception as exc:
            self.setObsolete(True)
            self._failed(exc)
            return
        self._last = plan.ledger[-1].seq

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # recorded by the caller already
            return
        self._revert_last()

    def undo(self) -> None:
        self._revert_last()


class SetPortInPlace(QUndoCommand):
    """The patient has (or no longer has) an implantable port."""

    def __init__(
        self, unit: Unit, patient: Patient, in_place: bool, text: str, *, failed: Failure
    ) -> None:
        super().__init__(text)
        self.unit = unit
        self.patient_id = patient.id
        self.in_place = in_place
        self._failed = failed

    def _set(self, value: bool) -> None:
        try:
            patient = self.unit.store.patient(self.patient_id)
            self.unit.update_patient(patient, port_in_place=value)
        except Exception as exc:
            self.setObsolete(True)
            self._failed(exc)

    def redo(self) -> None:
        self._set(self.in_place)

    def undo(self) -> None:
        self._set(not self.in_place)


class ChangeBookings(QUndoCommand):
    """Sessions booked, moved or unbooked: ``after`` on redo, ``before`` on undo (None: no
    booking). The caller has checked that ``after`` fits; the first redo applies it."""

    def __init__(
        self,
        unit: Unit,
        before: dict[BookingKey, Booking | None],
        after: dict[BookingKey, Booking | None],
        text: str,
        *,
        failed: Failure,
    ) -> None:
        super().__init__(text)
        self.unit = unit
        self.before = before
        self.after = after
        self._failed = failed

    def _set(
        self,
        wanted: dict[BookingKey, Booking | None],
        now: dict[BookingKey, Booking | None],
        *,
        restore: bool,
    ) -> None:
        try:
            self.unit.set_bookings(wanted, restore=restore, expected=now)
        except Exception as exc:
            self.setObsolete(True)
            self._failed(exc)

    def redo(self) -> None:
        self._set(self.after, self.before, restore=False)

    def undo(self) -> None:
        # Back as they were, even those that no longer fit (flagged again, never refused).
        self._set(self.before, self.after, restore=True)


class CloseOnDay(QUndoCommand):
    """An exceptional closure of the unit (a strike, a training day): added on redo, removed
    on undo, from the unit's settings as they are then (another coordinator's closures in
    between stay). The caller saved it first; the stack's first ``redo`` then does nothing."""

    def __init__(
        self,
        unit: Unit,
        closure: UnitClosure,
        text: str,
        *,
        failed: Failure,
    ) -> None:
        super().__init__(text)
        self.unit = unit
        self.closure = closure
        self._pushed = False
        self._failed = failed

    def _set(self, closed: bool) -> None:
        settings = self.unit.settings
        others = [c for c in settings.unit_closures if c != self.closure]
        closures = sorted([*others, self.closure] if closed else others, key=lambda c: c.date)
        try:
            self.unit.save_settings(replace(settings, unit_closures=tuple(closures)))
        except Exception as exc:
            self.setObsolete(True)
            self._failed(exc)

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # saved by the caller already
            return
        self._set(True)

    def undo(self) -> None:
        self._set(False)


class Together(QUndoCommand):
    """Several commands undone and redone as one step (a delay and the bookings of what it
    moved), in order on redo, in reverse on undo. The steps are held here, in Python: a Qt
    child command's Python half would be freed under it."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.steps: list[QUndoCommand] = []

    def add(self, step: QUndoCommand) -> None:
        self.steps.append(step)

    def redo(self) -> None:
        for step in self.steps:
            step.redo()

    def undo(self) -> None:
        for step in reversed(self.steps):
            step.undo()
