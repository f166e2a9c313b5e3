"""Daily copies of a SQLite database, kept for a number of days, and putting one back.

A unit on one computer keeps everything in one file: a damaged disk, a wrong manipulation
or a bad day must not cost it its plans. Once a day, when the program opens the database, a
consistent copy is made with SQLite's online backup (safe while the database is in use)
into a ``backups`` folder beside it, readable by its owner only (on Windows through the
folder's access list: planner.platform); copies older than the chosen number of days are
removed. Restoring first copies the database as it is now (so a restore can itself be
taken back), then puts the chosen copy in its place.

A PostgreSQL unit is backed up by its server's administrators (pg_dump), not here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from planner import platform
from planner.i18n import N_, Message
from planner.store.database import StoreError, backup, check_sqlite_file

DEFAULT_KEEP_DAYS = 14
_DAILY = re.compile(r"^(?P<stem>.+)-(?P<day>\d{4}-\d{2}-\d{2})\.db$")
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backup:
    day: date
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def folder_of(database: Path) -> Path:
    return database.parent / "backups"


def backups(database: Path) -> list[Backup]:
    """The daily copies of ``database``, newest first."""
    folder = folder_of(database)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _DAILY.match(path.name)
        if match and match["stem"] == database.stem:
            try:
                found.append(Backup(date.fromisoformat(match["day"]), path))
            except ValueError:
                continue
    return sorted(found, key=lambda b: b.day, reverse=True)


def _copy(database: Path, target: Path) -> None:
    """An online backup into a temporary file, renamed into place once complete."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        backup(database, Path(temp))
        platform.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def backup_if_due(database: Path, today: date, keep_days: int = DEFAULT_KEEP_DAYS) -> Path | None:
    """Today's copy of ``database`` if none was made today (None otherwise); copies older
    than ``keep_days`` days are removed. :class:`StoreError` when the copy cannot be made
    (the database itself is never touched)."""
    if not database.is_file():
        return None
    folder = folder_of(database)
    made = None
    try:
        platform.private_folder(folder)
        target = folder / f"{database.stem}-{today.isoformat()}.db"
        if not target.exists():
            _copy(database, target)
            made = target
            _log.info("daily copy of %s made: %s", database, target)
        for old in backups(database):
            if (today - old.day).days >= keep_days:
                old.path.unlink(missing_ok=True)
                _log.info("daily copy %s removed (older than %d days)", old.path, keep_days)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            Message(
                N_("the daily copy of {path} could not be made in {folder}: {error}"),
                {"path": str(database), "folder": str(folder), "error": exc},
            )
        ) from None
    return made


def restore(database: Path, chosen: Path, now: datetime) -> Path:
    """Put the copy ``chosen`` in place of ``database`` (no connection may be open on it).

    The database as it was is first copied beside the backups (its path is returned), so
    that the restore can be taken back. A copy that is not a planner database is refused
    with :class:`StoreError`, and nothing is changed."""
    if not chosen.is_file():
        raise StoreError(Message(N_("{path} is not a file"), {"path": str(chosen)}))
    check_sqlite_file(chosen)
    folder = folder_of(database)
    before = folder / f"{database.stem}-before-restore-{now.strftime('%Y%m%d-%H%M%S')}.db"
    temp = database.with_name(f".{database.name}.restoring")
    try:
        platform.private_folder(folder)
        if database.exists():
            _copy(database, before)
        backup(chosen, temp)
        # Windows removes no file a program holds open: with the database open elsewhere
        # the restore stops here, the database still as it was.
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        platform.replace(temp, database)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise StoreError(
            Message(
                N_("{path} could not be restored from {chosen}: {error}"),
                {"path": str(database), "chosen": str(chosen), "error": exc},
            )
        ) from None
    _log.info("%s restored from %s; as it was, copied to %s", database, chosen, before)
    return before
