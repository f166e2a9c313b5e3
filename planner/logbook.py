"""The log that support reads: where it is, what goes in it, and the report of an error.

One file in the platform's log folder (:func:`planner.resources.user_log_dir`), written by
the command line and the window alike, in English, rotated at :data:`MAX_BYTES` with
:data:`BACKUPS` older files kept. It records the start (version, Python, system; the window
adds Qt's version), the database opened, every change saved (by ids: plan, patient, kind,
sequence number), the files exported, and every error, an unexpected one with its
traceback. Never a password (database addresses are logged without theirs, as shown), and
of patients nothing but their ids.

Modules log through :mod:`logging` as usual (``logging.getLogger(__name__)``); until
:func:`start` is called (by the command line's and the window's entry points), nothing is
written anywhere, so the tests and any other user of the package write no log of their own.

Cheap to import: the window imports it before it paints (``logging.handlers`` is imported
by :func:`start`, which the window calls before it imports Qt).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
import traceback
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeAlias

from planner import __version__, resources

FILE_NAME = "infusion-planner.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 4
"""Older files kept beside the log (infusion-planner.log.1 ... .4): 10 MB in all."""

REPEAT_SECONDS = 600.0
"""An error told again within this time, the same, is not recorded again (a database out of
reach is said every few seconds while it stays so)."""

PRIVATE_PLACEHOLDERS = frozenset(
    {"name", "family", "given", "number", "contact", "patient", "who", "names", "key"}
)
"""Placeholders of a message that may hold a patient's details: left unfilled in the log."""

ExcInfo: TypeAlias = tuple[type[BaseException], BaseException, TracebackType | None]

_root = logging.getLogger("planner")
# Until start(): nothing written, and not Python's last resort (stderr) either, which would
# print an error's traceback under a command's one-line message.
_root.addHandler(logging.NullHandler())
_log = logging.getLogger(__name__)


class _State:
    """The log of this process: its handler and file once started, the last error told."""

    handler: logging.Handler | None = None
    path: Path | None = None
    last_told: tuple[tuple[str, str], float] | None = None


_state = _State()


def log_file() -> Path:
    """Where the log is written (whether or not it could be)."""
    return resources.user_log_dir() / FILE_NAME


def active_log() -> Path | None:
    """The file the log is being written to; None before :func:`start`, or when the file
    could not be opened (a folder that cannot be written)."""
    return _state.path


def one_line(text: str) -> str:
    """``text`` on one line: line breaks and other control characters escaped (a file name
    holding a line break cannot forge a line of the log)."""
    if text.isprintable():
        return text
    return "".join(
        repr(char)[1:-1] if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char
        for char in text
    )


class _Formatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = one_line(record.message)
        return super().formatMessage(record)


def _file_handler(path: Path) -> logging.Handler:
    from logging.handlers import RotatingFileHandler

    class Handler(RotatingFileHandler):
        """Opens the file for each record and closes it after: another process (a second
        window, the command line) can then rotate it, on Windows too, where a file that is
        open cannot be renamed. The log has a few lines a minute: opening costs nothing."""

        def emit(self, record: logging.LogRecord) -> None:
            try:
                super().emit(record)
            finally:
                if self.stream is not None:
                    self.stream.close()
                    self.stream = None

    handler = Handler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    handler.setFormatter(
        _Formatter("%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s")
    )
    handler.setLevel(logging.INFO)
    return handler


def system() -> str:
    """The operating system, cheaply (``platform.platform()`` reads the Python binary on
    Linux, and asks WMI on Windows)."""
    if sys.platform == "win32":
        version = sys.getwindowsversion()
        return f"Windows {version.major}.{version.minor}.{version.build}"
    else:  # written as a branch: mypy as Windows reads it as the other system's
        uname = os.uname()
        return f"{uname.sysname} {uname.release} {uname.machine}"


def python() -> str:
    return f"Python {sys.version.split()[0]} ({sys.implementation.name})"


def start(program: str, details: Mapping[str, object] | None = None) -> Path | None:
    """Write the log to its file from now on, and record that ``program`` started.

    Once per process (a second call only records the start). Returns the file, or None when
    it cannot be written: the program works without its log, and says nothing more of it.
    """
    if _state.handler is None:
        path = log_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8"):
                pass  # can be written: found now, not at the first record
        except OSError:
            return None
        _state.handler = _file_handler(path)
        logging.getLogger().addHandler(_state.handler)
        _root.setLevel(logging.INFO)
        _state.path = path
    where = "a bundle" if getattr(sys, "frozen", False) else "Python"
    _log.info(
        "Infusion Planner %s started (%s), %s, %s, run by %s %s",
        __version__,
        program,
        python(),
        system(),
        where,
        sys.executable,
    )
    if details:
        note(details)
    return _state.path


def note(details: Mapping[str, object]) -> None:
    """Record facts about this run ("Qt": "6.8.1", "language": "fr") in one line."""
    _log.info("%s", ", ".join(f"{name} {value}" for name, value in details.items()))


def stop() -> None:
    """Stop writing the log (the tests: each starts its own)."""
    if _state.handler is not None:
        logging.getLogger().removeHandler(_state.handler)
        _state.handler.close()
        _root.setLevel(logging.NOTSET)
    _state.handler = _state.path = _state.last_told = None


def english(message: Any) -> str:
    """A :class:`planner.i18n.Message` in English (its msgid), without the values that may
    hold a patient's details (:data:`PRIVATE_PLACEHOLDERS`, left as ``{name}``)."""
    params = {
        name: "{" + name + "}"
        if name in PRIVATE_PLACEHOLDERS
        else english(value)
        if _is_message(value)
        else _folder_only(value)
        if name == "path"
        else value
        for name, value in message.params.items()
    }
    try:
        return str(message.template.format(**params))
    except (KeyError, IndexError, ValueError):
        return str(message.template)


def _folder_only(value: object) -> str:
    """A file's folder and type, not its name: a patient's documents are named after the
    patient ("Calendrier - DUPONT Marie.ics")."""
    path = Path(str(value))
    return str(path.parent / f"{{file}}{path.suffix}")


def _is_message(value: object) -> bool:
    return hasattr(value, "template") and hasattr(value, "params")


def _kind(exc: BaseException) -> str:
    kind = type(exc)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def is_refusal(exc: BaseException) -> bool:
    """An error of the program's own: something it refuses or cannot do and says why (a
    database out of reach, a file that cannot be written, a change the plan does not
    allow), not a fault of the program."""
    return type(exc).__module__.startswith("planner.")


def describe(exc: BaseException) -> str:
    """A refusal in one line of English: its kind and its message without a patient's
    details (the English of a translatable message; else the exception's own text, which
    for the program's refusals is a code: "delay-too-long")."""
    message = getattr(exc, "message", None)
    text = english(message) if _is_message(message) else str(exc)
    return f"{_kind(exc)}: {text}" if text else _kind(exc)


def told(exc: BaseException) -> None:
    """Record an error that the program tells the user (:func:`planner.i18n.error_text`):
    a refusal in one line, anything else with its traceback. Once for one exception; not
    again when the same is told within :data:`REPEAT_SECONDS`."""
    if getattr(exc, "_planner_logged", False):
        return
    with contextlib.suppress(AttributeError):  # an exception with __slots__
        exc._planner_logged = True  # type: ignore[attr-defined]
    key = (_kind(exc), str(exc))
    now = time.monotonic()
    last = _state.last_told
    if last is not None and last[0] == key and now - last[1] < REPEAT_SECONDS:
        return
    _state.last_told = (key, now)
    if is_refusal(exc):
        _log.warning("refused: %s", describe(exc))
    else:
        _log.error("failed: %s", _kind(exc), exc_info=exc)


def unexpected(exc_info: ExcInfo, where: str) -> None:
    """Record an error nothing caught (a fault of the program), with its traceback."""
    _log.error("unexpected error %s", where, exc_info=exc_info)


def record_uncaught(where: str) -> None:
    """From now on, an exception that ends the program is recorded in the log before Python
    prints it as usual (the window's start, before its own hook takes over)."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            unexpected((kind, value, tb), where)
        previous(kind, value, tb)

    sys.excepthook = hook


def report(exc_info: ExcInfo, details: Mapping[str, object] | None = None) -> str:
    """What the user sends to support: version, system, the log's place, the traceback."""
    lines = [f"Infusion Planner {__version__}", python(), system()]
    lines += [f"{name}: {value}" for name, value in (details or {}).items()]
    lines.append(f"Log: {active_log() or 'not written'}")
    lines.append("")
    lines += traceback.format_exception(*exc_info)
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"
