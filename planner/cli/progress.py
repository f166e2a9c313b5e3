"""A progress bar on the terminal for a command's long work (building a large demo unit,
computing a patient list again after an upgrade).

Drawn on ``err`` only when it is a terminal: a script or a test reading the command's
output gets nothing more than before. The bar is redrawn in place with a carriage return,
at most every tenth of a second (a redraw per patient would cost more than the work it
shows), and its line is ended when the work moves to another step or the bar is closed.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

from planner.explain import format_number

WIDTH = 30
"""The bar's width in characters, on a terminal wide enough."""

EVERY = 0.1
"""Seconds between two redraws."""


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or the stream is closed
        return False


class ProgressBar:
    """``bar.show(label, done, total)`` draws "label  [#####.....]  4,210 / 20,000" on
    ``err`` when it is a terminal, and does nothing otherwise. Use it as a context manager
    so that the line is ended (even when the work fails); :meth:`step` hands out the
    ``progress(done, total)`` callbacks the store and the day hospital take."""

    def __init__(
        self, err: TextIO, *, clock: Callable[[], float] = time.monotonic, shown: bool | None = None
    ) -> None:
        self._err = err
        self._shown = is_terminal(err) if shown is None else shown
        self._clock = clock
        self._label: str | None = None
        self._drawn = ""  # what the unfinished line holds
        self._at = float("-inf")

    def step(self, label: str) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` callback drawing under ``label``."""

        def progress(done: int, total: int) -> None:
            self.show(label, done, total)

        return progress

    def show(self, label: str, done: int, total: int) -> None:
        if not self._shown:
            return
        if label != self._label:
            self.finish()
            self._label = label
        elif done < total and self._clock() - self._at < EVERY:
            return
        line = self._line(label, done, total)
        if line == self._drawn:
            return
        # Spaces over what a longer line left (never the case while counts only grow).
        padding = " " * max(0, len(self._drawn) - len(line))
        self._err.write("\r" + line + padding)
        self._err.flush()
        self._drawn = line
        self._at = self._clock()

    def finish(self) -> None:
        """End the line drawn, if any: what is written next starts on a line of its own."""
        if self._drawn:
            self._err.write("\n")
            self._err.flush()
        self._drawn = ""
        self._label = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.finish()

    @staticmethod
    def _line(label: str, done: int, total: int) -> str:
        done = max(0, min(done, total))
        counts = f"{format_number(done)} / {format_number(total)}"
        columns = shutil.get_terminal_size().columns
        # A line longer than the terminal would wrap, and each redraw start a new line.
        width = max(10, min(WIDTH, columns - len(label) - len(counts) - 9))
        filled = width * done // total if total > 0 else width
        return f"{label}  [{'#' * filled}{'.' * (width - filled)}]  {counts}"
