"""Writing an export: the whole file or nothing, and a clear message when it cannot be."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from planner import platform
from planner.i18n import N_, Message

_log = logging.getLogger(__name__)
"""Where each export went (planner.logbook): its folder."""


class ExportError(Exception):
    """An export could not be written; the message names the file and the reason."""

    def __init__(self, message: Message, *, wrong_path: bool = False) -> None:
        super().__init__(message.template)
        self.message = message
        self.wrong_path = wrong_path
        """The path itself is wrong (a folder, a missing folder), not the writing."""


HELD = N_(
    "another program has the file open, or it is read-only: close it there (or choose "
    "another name), then try again"
)
"""Windows: the file could not be replaced (a calendar open in Outlook, a table in Excel)."""


def _reason(exc: OSError) -> Message:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Message(N_("you are not allowed to write there"))
    if exc.errno == errno.ENOSPC:
        return Message(N_("the disk is full"))
    if exc.errno == errno.ENOENT:
        return Message(N_("the folder does not exist"))
    return Message(N_("the system said: {error}"), {"error": exc.strerror or str(exc)})


def write_atomically(path: Path, pieces: Iterable[bytes]) -> int:
    """Write ``pieces`` to ``path`` through a temporary file in the same folder, renamed over
    ``path`` once complete: a reader sees the old file or the new one, never half of one.
    Returns the number of bytes written."""
    if path.is_dir():
        raise ExportError(
            Message(N_("{path} is a folder: give a file name to export to"), {"path": str(path)}),
            wrong_path=True,
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(
            Message(N_("cannot write {path}: the folder does not exist"), {"path": str(path)}),
            wrong_path=True,
        )
    temp: str | None = None
    replacing = False
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        size = 0
        with os.fdopen(fd, "wb") as out:
            for piece in pieces:
                out.write(piece)
                size += len(piece)
            out.flush()
            os.fsync(out.fileno())
        replacing = True
        platform.replace(temp, path)
        temp = None
    except OSError as exc:
        # The folder took the temporary file: when only the replacing fails, it is the file
        # itself that is held (Windows).
        held = replacing and platform.held_by_another_program(exc)
        reason = Message(HELD) if held else _reason(exc)
        raise ExportError(
            Message(N_("cannot write {path}: {reason}"), {"path": str(path), "reason": reason})
        ) from exc
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    # The folder, not the file's name: a patient's document is named after the patient
    # ("Calendar - DUPONT Marie.ics"), and the log holds no patient's name.
    _log.info(
        "exported a %s file of %d bytes into %s",
        path.suffix or "(no extension)",
        size,
        folder.absolute(),
    )
    return size
