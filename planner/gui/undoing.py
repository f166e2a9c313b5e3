"""Undo and redo act on what is on screen, never on a patient the coordinator is not
looking at: one undo stack per patient and one for the day hospital page, in a group whose
active stack follows the page and the patient shown. What Ctrl+Z or Ctrl+Y did is said in
the status bar (a booking undone changes nothing the eye sees at once), and nothing is said
when it could not be done: its error says why."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QUndoCommand, QUndoGroup, QUndoStack

from planner.i18n import _


class Undoing:
    """The window's undo stacks. ``say``: shows a line in the status bar."""

    def __init__(self, parent: QObject, say: Callable[[str], None]) -> None:
        self.group = QUndoGroup(parent)
        self._stacks: dict[str | None, QUndoStack] = {}
        self._say = say

    def stack_for(self, patient_id: str | None) -> QUndoStack:
        """The patient's stack (None: the day hospital page's), made on first use."""
        stack = self._stacks.get(patient_id)
        if stack is None:
            stack = self._stacks[patient_id] = QUndoStack(self.group)
            self.group.addStack(stack)
        return stack

    def follow(self, shown: str | None, *, nothing: bool = False) -> None:
        """Undo and redo act on ``shown``'s stack (a patient, or None: the day hospital
        page); on none when ``nothing`` is on screen."""
        stack = None if nothing else self._stacks.get(shown)
        self.group.setActiveStack(stack)  # type: ignore[arg-type]

    def clear(self) -> None:
        """Another unit is open: nothing of the last one is left to undo."""
        for stack in self._stacks.values():
            self.group.removeStack(stack)
            stack.deleteLater()
        self._stacks.clear()

    def connect(self, undo: QAction, redo: QAction) -> None:
        """Connected after the group's own undo and redo: what was just done is said."""
        undo.triggered.connect(self._on_undo_triggered)
        redo.triggered.connect(self._on_redo_triggered)

    def _on_undo_triggered(self) -> None:
        stack = self.group.activeStack()
        if stack is not None and _just_done(stack.command(stack.index())):
            self._say(_("Undone: {change}").format(change=self.group.redoText()))

    def _on_redo_triggered(self) -> None:
        stack = self.group.activeStack()
        if stack is not None and _just_done(stack.command(stack.index() - 1)):
            self._say(_("Redone: {change}").format(change=self.group.undoText()))


def _just_done(command: QUndoCommand | None) -> bool:
    """The step next to Redo (or Undo) is what the key just did: a step that could not be
    done has left the stack, and the one now there was done earlier."""
    from planner.gui.commands import Step  # the core stays out of the window's first paint

    return isinstance(command, Step) and command.just_done()
