"""What differs between Windows and the POSIX systems (Linux, macOS), in one place.

Two kinds of difference, checked two ways (docs/development.md, "Platforms"):

* A function that exists on some systems only (``os.geteuid``, ``ctypes.windll``) is called
  under a ``sys.platform`` test written out in full, the only guard mypy understands:
  ``make typecheck`` also checks the program as it runs on Windows and on macOS
  (``mypy --platform win32``), from typeshed's record of what each system has, and
  ``tests/test_portability.py`` refuses the best-known POSIX-only names outside such a test.
* Behaviour that differs while the functions exist everywhere (what keeps a file private,
  whether a folder can be written, a file held by another program) asks :func:`is_windows`,
  which the tests can force: ``PLANNER_AS_WINDOWS=1`` runs the store and export tests
  through the Windows branches on Linux (``make pytest-windows``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

_forced: bool | None = None

REPLACE_ATTEMPTS = 5
REPLACE_PAUSE_S = 0.25
"""A file another program holds for a moment is tried again for a second on Windows."""


def is_windows() -> bool:
    """Whether the program runs on Windows (or is made to believe so by the tests)."""
    return sys.platform == "win32" if _forced is None else _forced


def force_windows(windows: bool | None) -> None:
    """For the tests: take the Windows branches (True), the POSIX ones (False), or the real
    system's again (None). Only the program's own branches follow; Python's do not."""
    global _forced  # noqa: PLW0603 -- one switch for the whole test run, by design
    _forced = windows


def restrict_to_owner(path: Path) -> None:
    """Make the file ``path`` readable and writable by its owner only (patients' names).

    POSIX: mode 0600. Windows has no such mode (``chmod`` there only sets or clears the
    read-only flag): a file gets the access list of its folder, and nothing is done here.
    The database's default folder is in the user's profile (``%LOCALAPPDATA%``), which
    only that user, SYSTEM and the administrators can open; the backups' folder is made
    by :func:`private_folder`.
    """
    if not is_windows():
        path.chmod(0o600)


def private_folder(path: Path) -> None:
    """Create the folder ``path`` (when missing) for its owner only.

    POSIX: mode 0700. Windows: Python 3.12.4, 3.11.10 and 3.13 give a folder made with mode
    0o700 an access list of its own (the user and the administrators: CVE-2024-4030); an
    older Python ignores the mode, and the folder has its parent's access list, private in
    the user's profile. An existing folder is left as it is.
    """
    path.mkdir(mode=0o700, exist_ok=True)


def can_write_in(folder: Path) -> bool:
    """Whether a new file can be made in ``folder``.

    POSIX: ``os.access``. On Windows ``os.access`` reads only the read-only flag, which a
    folder's access list never sets (``C:\\Program Files`` passes it): a file is made
    there and removed, as pip and Flit do (``test_writable_dir``).
    """
    if not is_windows():
        return os.access(folder, os.W_OK)
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return False
    return True


def can_write(path: Path) -> bool:
    """Whether the existing file ``path`` can be written (nothing is written to it).

    On Windows ``os.access`` sees the read-only flag but not an access list that refuses
    writing: the file is also opened for writing, and closed at once.
    """
    if not os.access(path, os.W_OK):
        return False
    if not is_windows():
        return True
    try:
        with path.open("r+b"):
            pass
    except OSError:
        return False
    return True


def replace(source: str | Path, target: str | Path) -> None:
    """``os.replace`` (both in the same folder: never across volumes).

    On Windows a file cannot be replaced while another program has it open; an antivirus
    or the search indexer opens a file just written for a moment. There the replacement is
    tried again for a second before the ``PermissionError`` is passed on, as pip does
    (``pip._internal.utils.filesystem.replace``). A file that stays open (a calendar in
    Outlook, a table in Excel) still fails: :func:`held_by_another_program` tells.
    """
    for attempt in range(REPLACE_ATTEMPTS):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not is_windows() or attempt == REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(REPLACE_PAUSE_S)


def held_by_another_program(exc: OSError) -> bool:
    """Whether ``exc``, raised by :func:`replace` into a folder where a file could just be
    made, means that another program holds the target (Windows: a sharing violation, or
    "access denied" for a file open without delete sharing, as Excel opens its files)."""
    return is_windows() and isinstance(exc, PermissionError)


def login_name() -> str | None:
    """The user's login name, None when the system cannot tell.

    ``getpass.getuser`` reads LOGNAME, USER, LNAME and USERNAME (set on Windows), then the
    password database: which raises KeyError (an unknown uid in a container, Python 3.11
    and 3.12), OSError (3.13), or ImportError on Windows, which has no ``pwd``.
    """
    import getpass

    try:
        return getpass.getuser() or None
    except (ImportError, KeyError, OSError):
        return None


def windows_ui_language() -> int | None:
    """The language Windows shows its own menus in, for this user (a LANGID: its low 10 bits
    are the language, 0x0C for French, winnt.h); None on other systems."""
    if sys.platform == "win32":
        import ctypes

        return int(ctypes.windll.kernel32.GetUserDefaultUILanguage())
    else:  # not a fall-through: mypy --platform win32 would call it unreachable
        return None


def quote_argument(text: str) -> str:
    """``text`` as one argument of a command the user can paste into their shell: POSIX
    shell quoting, or Windows' (double quotes, which cmd.exe and PowerShell both read)."""
    if is_windows():
        import subprocess

        return subprocess.list2cmdline([text])
    import shlex

    return shlex.quote(text)


def pgpass_file() -> str:
    """Where libpq reads the passwords of PostgreSQL servers (as written to a user)."""
    return "%APPDATA%\\postgresql\\pgpass.conf" if is_windows() else "~/.pgpass"
