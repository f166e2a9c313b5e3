"""Undo steps: all or none, a refusal said, and never said done when it was not."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from planner.gui.commands import PartlyDone, Step, Together
from planner.i18n import error_text


class Out(Exception):
    """The database out of reach."""


class Logged(Step):
    """A step that writes what it does to a log, and fails when told to."""

    def __init__(self, name: str, log: list[str], told: list[Exception]) -> None:
        super().__init__(name, failed=told.append)
        self.name = name
        self.log = log
        self.fail: set[str] = set()

    def _act(self, what: str) -> None:
        if what in self.fail:
            raise Out(f"{self.name} {what}")
        self.log.append(f"{self.name} {what}")

    def forward(self) -> None:
        self._act("forward")

    def backward(self) -> None:
        self._act("backward")


def together(log: list[str], told: list[Exception]) -> tuple[Together, Logged, Logged]:
    """A delay (done) and its bookings (done), pushed as one step."""
    command = Together("Delay C2", failed=told.append)
    delay, booking = Logged("delay", log, told), Logged("booking", log, told)
    command.add(delay)
    command.add(booking)
    return command, delay, booking


def test_an_undo_that_fails_half_way_takes_back_what_it_did(qtbot: QtBot) -> None:
    """Undoing takes the bookings back first, then the delay; the delay cannot be taken
    back (another coordinator changed the plan): the bookings are put back as they were,
    the step leaves the stack, and the refusal is said once."""
    log: list[str] = []
    told: list[Exception] = []
    stack = QUndoStack()
    command, delay, _booking = together(log, told)
    stack.push(command)
    assert log == ["delay forward", "booking forward"]
    delay.fail = {"backward"}
    stack.undo()
    assert log[2:] == ["booking backward", "booking forward"]
    assert [str(e) for e in told] == ["delay backward"]
    assert stack.count() == 0  # left the stack: Redo does not offer what was never undone


def test_a_rollback_that_fails_too_says_the_change_is_half_done(qtbot: QtBot) -> None:
    """The database goes out of reach in the middle of an undo: the bookings were taken
    back, the delay cannot be, nor can the bookings be put back. The coordinator is told
    that only part was undone and what to check, never that nothing changed."""
    log: list[str] = []
    told: list[Exception] = []
    stack = QUndoStack()
    command, delay, booking = together(log, told)
    stack.push(command)
    delay.fail = {"backward"}
    booking.fail = {"forward"}
    stack.undo()
    assert log == ["delay forward", "booking forward", "booking backward"]
    assert len(told) == 1
    assert isinstance(told[0], PartlyDone)
    assert error_text(told[0]) == (
        "Only part of the change could be undone or redone (delay backward). Check the "
        "patient's sessions and their bookings, and correct them by hand."
    )


def test_only_the_step_just_done_is_said_done(qtbot: QtBot) -> None:
    """What the window's status bar relies on: the step next to Redo after Ctrl+Z is the
    one undone only if its undo ran last and was done."""
    log: list[str] = []
    told: list[Exception] = []
    stack = QUndoStack()
    first, second = Logged("C2", log, told), Logged("C3", log, told)
    stack.push(first)
    stack.push(second)
    stack.undo()
    assert stack.command(stack.index()) is second
    assert second.just_done()
    first.fail = {"backward"}
    stack.undo()  # refused: C2's step leaves the stack, C3's is next to Redo
    assert stack.command(stack.index()) is second
    assert not second.just_done()
    assert [str(e) for e in told] == ["C2 backward"]


@pytest.mark.parametrize("failing", ["forward", "backward"])
def test_a_step_that_fails_is_said_and_leaves_the_stack(qtbot: QtBot, failing: str) -> None:
    """A redo or an undo refused: said once, and Undo and Redo no longer offer it."""
    log: list[str] = []
    told: list[Exception] = []
    stack = QUndoStack()
    step = Logged("booking", log, told)
    stack.push(step)
    if failing == "forward":
        stack.undo()
    step.fail = {failing}
    stack.redo() if failing == "forward" else stack.undo()
    assert [str(e) for e in told] == [f"booking {failing}"]
    assert (stack.count(), stack.canUndo(), stack.canRedo()) == (0, False, False)
