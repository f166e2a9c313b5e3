"""Undo commands: every action on a plan is one command on the window's undo stacks.

The ledger is append-only (an audit trail), so undoing never deletes: it records a revert of
the change, and redoing records a revert of that revert (planner.core.plan.reverted). The
plan's calendar after an undo is exactly the one before the change.

Each command is a :class:`Step`: ``forward`` and ``backward`` do it and take it back, or
raise and change nothing. A step that cannot be done (another coordinator changed the plan,
the database is out of reach) is said in words and leaves the stack: the stack's position
and the labels of Undo and Redo never disagree with what the plan holds. :class:`Together`
makes several steps one (a delay and the bookings of the sessions it moved): all of them, or
none.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from planner.core.booking import Booking
from planner.core.chairs import BookingKey
from planner.core.closures import UnitClosure
from planner.core.patient import Patient
from planner.core.plan import Revert
from planner.gui.unit import Unit
from planner.i18n import N_, Message, error_text

Failure = Callable[[Exception], None]
"""Told when an undo or redo cannot be done (the plan changed elsewhere, the database...)."""


class PartlyDone(Exception):
    """An undo or redo of several steps that failed half-way, and whose steps done could
    not be taken back either (the database went out of reach in between): the plan and
    its bookings may disagree, and the coordinator is told so, never "nothing changed"."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.message = Message(
            N_(
                "Only part of the change could be undone or redone ({cause}). Check the "
                "patient's sessions and their bookings, and correct them by hand."
            ),
            {"cause": error_text(cause)},
        )


class Step(QUndoCommand):
    """One undoable change. ``done``: the caller did it already (where a refusal could be
    shown), so the stack's first ``redo`` does nothing."""

    _tickets = itertools.count(1)
    latest = 0
    """The ticket of the last undo or redo run, of any step."""

    def __init__(self, text: str, *, failed: Failure, done: bool = False) -> None:
        super().__init__(text)
        self._failed = failed
        self._pending_skip = done
        self.failure: Exception | None = None
        """Why the last undo or redo could not be done (None: it was)."""
        self.ticket = 0
        """When this step last ran (its undo or redo), in :attr:`latest`'s count."""

    def just_done(self) -> bool:
        """This step's undo or redo is the last one run, and it was done: what the window
        says in its status bar (a step that failed left the stack, and the step now next
        to Undo or Redo is not what Ctrl+Z just did)."""
        return self.ticket == Step.latest and self.failure is None

    def forward(self) -> None:
        raise NotImplementedError

    def backward(self) -> None:
        raise NotImplementedError

    def perform(self) -> None:
        """Do the step, unless the caller did it already (the first time only)."""
        if self._pending_skip:
            self._pending_skip = False
            return
        self.forward()

    def tell(self, exc: Exception) -> None:
        """Say why the step could not be done."""
        self._failed(exc)

    def _run(self, action: Callable[[], None]) -> None:
        self.failure = None
        self.ticket = Step.latest = next(Step._tickets)
        try:
            action()
        except Exception as exc:
            # Nothing was changed: the step leaves the stack (Qt drops an obsolete command
            # after its undo or redo), so Undo and Redo keep saying what they will do.
            self.failure = exc
            self.setObsolete(True)
            self.tell(exc)

    def redo(self) -> None:
        self._run(self.perform)

    def undo(self) -> None:
        self._run(self.backward)


class RecordChange(Step):
    """A change to a plan (delay, omission, dose given, stop, progression, port request),
    recorded by the caller first (``seq``: its ledger number)."""

    def __init__(self, unit: Unit, plan_id: str, seq: int, text: str, *, failed: Failure) -> None:
        super().__init__(text, failed=failed, done=True)
        self.unit = unit
        self.plan_id = plan_id
        self._last = seq
        """The ledger number of this command's latest entry (the change, or a revert)."""

    def _revert_last(self) -> None:
        plan = self.unit.record(self.unit.plan(self.plan_id), Revert(self._last))
        self._last = plan.ledger[-1].seq

    def forward(self) -> None:
        self._revert_last()  # reverting the revert: the change again

    def backward(self) -> None:
        self._revert_last()


class EditPatient(Step):
    """A patient's details corrected (names, number, language, contact, preferred time)."""

    def __init__(
        self,
        unit: Unit,
        patient: Patient,
        changes: dict[str, object],
        text: str,
        *,
        failed: Failure,
    ) -> None:
        super().__init__(text, failed=failed)
        self.unit = unit
        self.patient_id = patient.id
        self.after = dict(changes)
        self.before = {name: getattr(patient, name) for name in changes}

    def _set(self, values: dict[str, object]) -> None:
        self.unit.update_patient(self.unit.store.patient(self.patient_id), "", **values)

    def forward(self) -> None:
        self._set(self.after)

    def backward(self) -> None:
        self._set(self.before)


class SetPortInPlace(Step):
    """The patient has (or no longer has) an implantable port."""

    def __init__(
        self, unit: Unit, patient: Patient, in_place: bool, text: str, *, failed: Failure
    ) -> None:
        super().__init__(text, failed=failed)
        self.unit = unit
        self.patient_id = patient.id
        self.in_place = in_place

    def _set(self, value: bool) -> None:
        patient = self.unit.store.patient(self.patient_id)
        self.unit.update_patient(patient, port_in_place=value)

    def forward(self) -> None:
        self._set(self.in_place)

    def backward(self) -> None:
        self._set(not self.in_place)


class ChangeBookings(Step):
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
        super().__init__(text, failed=failed)
        self.unit = unit
        self.before = before
        self.after = after

    def forward(self) -> None:
        self.unit.set_bookings(self.after, expected=self.before)

    def backward(self) -> None:
        # Back as they were, even those that no longer fit (flagged again, never refused).
        self.unit.set_bookings(self.before, restore=True, expected=self.after)


class CloseOnDay(Step):
    """An exceptional closure of the unit (a strike, a training day): added on redo, removed
    on undo, by its day, in the unit's settings as the database holds them then (another
    coordinator's changes in between stay). Saved by the caller first."""

    def __init__(self, unit: Unit, closure: UnitClosure, text: str, *, failed: Failure) -> None:
        super().__init__(text, failed=failed, done=True)
        self.unit = unit
        self.closure = closure

    def _set(self, closed: bool) -> None:
        settings = self.unit.store.settings()
        # By its day: the label may have been edited in the settings since.
        others = [c for c in settings.unit_closures if c.date != self.closure.date]
        closures = sorted([*others, self.closure] if closed else others, key=lambda c: c.date)
        self.unit.save_settings(replace(settings, unit_closures=tuple(closures)))

    def forward(self) -> None:
        self._set(True)

    def backward(self) -> None:
        self._set(False)


class Together(Step):
    """Several steps done and undone as one (a delay and the bookings of the sessions it
    moved): in order, or in reverse; when one cannot be done, those done already are taken
    back, so it is all or none. The steps are held here, in Python: a Qt child command's
    Python half would be freed under it.

    The first time (the caller did the first step), a later step that cannot be done leaves
    the command without it, said in words: the decision stands, what follows from it (the
    bookings) stays to redo."""

    def __init__(self, text: str, *, failed: Failure) -> None:
        super().__init__(text, failed=failed)
        self.steps: list[Step] = []
        self.dropped: list[Step] = []
        """Steps that could not be done the first time, and were left out."""
        self._first = True

    def add(self, step: Step) -> None:
        self.steps.append(step)

    def forward(self) -> None:
        if self._first:
            self._first = False
            for step in list(self.steps):
                try:
                    step.perform()
                except Exception as exc:
                    if step is self.steps[0]:
                        raise
                    self.steps.remove(step)
                    self.dropped.append(step)
                    step.tell(exc)
            return
        self._all_or_none([step.perform for step in self.steps], self.steps[::-1], "backward")

    def backward(self) -> None:
        self._all_or_none([step.backward for step in reversed(self.steps)], self.steps, "perform")

    @staticmethod
    def _all_or_none(actions: list[Callable[[], None]], steps_back: list[Step], back: str) -> None:
        """Run ``actions`` in order; when one raises, take back those done (by ``back``
        of the matching steps, last done first) and raise; :class:`PartlyDone` when those
        cannot be taken back either."""
        done = 0
        try:
            for action in actions:
                action()
                done += 1
        except Exception as exc:
            try:
                for step in steps_back[len(steps_back) - done :]:
                    getattr(step, back)()
            except Exception as rollback:
                raise PartlyDone(exc) from rollback
            raise
