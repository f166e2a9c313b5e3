"""Opening a database: where it is, whether it is ours, and bringing its schema up to date.

Nothing is written to a database before it has been checked: a file that is not SQLite, a
damaged one, one that is not a planner database, or one made by a newer version of the
program is refused with a message saying so, and left exactly as it was. A SQLite database
is copied aside before its schema is migrated.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from planner import platform, resources
from planner.i18n import N_, Message
from planner.store.passwords import strip_password, with_password
from planner.store.quick import DEFAULT_FILE, HEAD_REVISION, URL_VARIABLE, absolute, sqlite_uri

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS = "planner.store:migrations"
BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another program's write to end before saying the database is
busy (SQLite)."""

_log = logging.getLogger(__name__)


class StoreError(Exception):
    """A database problem the user can act on, said in their language."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.template.format(**message.params))
        self.message = message

    def __str__(self) -> str:
        return self.message.render()


class Conflict(StoreError):
    """Someone else changed the same record since it was read."""


class PasswordNeeded(StoreError):
    """The server asks for a password that was not given, or it refused the one given."""


def _error(template: str, **params: object) -> StoreError:
    return StoreError(Message(template, params))


@dataclass(frozen=True, slots=True)
class Location:
    """Where the database is: a SQLite file, or a server URL (PostgreSQL)."""

    url: str
    path: Path | None = None
    """The file, for SQLite."""

    @property
    def display(self) -> str:
        """For messages: the file, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        return strip_password(self.url)

    @property
    def described(self) -> str:
        """For the log, in English: the file, or the server's address without its password."""
        if self.path is not None:
            return f"SQLite file {self.path}"
        return f"database server {self.display}"


def locate(where: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Location:
    """The database to open: ``where`` (a file or a URL), else $PLANNER_DATABASE_URL, else
    planner.db in the user's data folder."""
    env = os.environ if environ is None else environ
    if where is None:
        where = env.get(URL_VARIABLE) or resources.user_data_dir() / DEFAULT_FILE
    text = str(where)
    if "://" in text:
        try:
            url = make_url(text)
        except (ArgumentError, ValueError):
            raise _error(
                N_("'{url}' is not a database address"), url=strip_password(text)
            ) from None
        if url.get_backend_name() == "sqlite":
            return Location(text, Path(url.database) if url.database else None)
        return Location(text)
    path = Path(text).expanduser().resolve()
    return Location(f"sqlite:///{path}", path)


def check_sqlite_file(path: Path) -> None:
    """Refuse, before writing anything, what cannot be a planner database."""
    if path.is_dir():
        raise _error(N_("{path} is a folder, not a database file"), path=path)
    if not path.exists():
        folder = path.parent
        if not folder.exists():
            try:
                folder.mkdir(parents=True)
            except OSError as exc:
                raise _error(
                    N_("cannot create the folder {folder}: {error}"),
                    folder=folder,
                    error=exc.strerror or exc,
                ) from None
        if not platform.can_write_in(folder):
            raise _error(N_("cannot create a database in {folder}: not writable"), folder=folder)
        return
    try:
        with path.open("rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise _error(
            N_("cannot read {path}: {error}"), path=path, error=exc.strerror or exc
        ) from None
    if header and header != SQLITE_HEADER:
        raise _error(
            N_("{path} is not a database (not a SQLite file); it was left untouched"), path=path
        )
    if not platform.can_write(path) or not platform.can_write_in(path.parent):
        # SQLite writes its journal beside the file: both must be writable to plan.
        raise _error(
            N_(
                "{path} cannot be written (the file or its folder is read-only); it was left "
                "untouched: ask for write access, or copy it to a folder of yours"
            ),
            path=path,
        )
    if not header:
        return  # an empty file is an empty database
    # Read-only, and "immutable" unless a write-ahead log is waiting to be replayed: then
    # checking leaves no stray -wal/-shm files beside a file that is refused.
    flags = "mode=ro" if Path(f"{path}-wal").exists() else "mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(sqlite_uri(absolute(path), flags), uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise _error(
            N_("{path} is damaged and cannot be opened ({error}); it was left untouched"),
            path=path,
            error=exc,
        ) from None
    if result is None or result[0] != "ok":
        raise _error(
            N_("{path} is damaged ({error}); it was left untouched"),
            path=path,
            error=result[0] if result else "?",
        )
    ours = {"alembic_version", "patients", "plans", "ledger"}
    if tables and not tables & ours:
        raise _error(
            N_("{path} is a database of another program; it was left untouched"), path=path
        )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer; synchronous FULL: a committed change survives
    # even a power cut, not only a killed process; foreign keys on (off by default).
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(location: Location) -> Engine:
    try:
        url = with_password(location.url)
        # A server may drop an idle connection (restart, firewall): test it before use and
        # connect again, rather than fail the coordinator's next action.
        engine = create_engine(url, pool_pre_ping=url.get_backend_name() != "sqlite")
    except (ArgumentError, ImportError) as exc:
        raise _error(
            N_("cannot use the database {url}: {error}"), url=location.display, error=exc
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def head_revision() -> str:
    """The schema revision this version of the program writes."""
    return HEAD_REVISION


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, None for a database without one (new or foreign)."""
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None  # no such table: a new (or foreign) database


def _cannot_connect(exc: SQLAlchemyError, location: Location) -> StoreError:
    """Why the server at ``location`` refused the connection: :class:`PasswordNeeded` when
    it wants a password or refused the one given (not for other refusals: peer or
    certificate authentication, an unknown user), else the server's words."""
    orig = getattr(exc, "orig", None)
    said = str(orig or exc)
    refused = getattr(orig, "sqlstate", None) == "28P01" or "password authentication failed" in said
    if refused or "no password supplied" in said:
        return PasswordNeeded(
            Message(
                N_("the server of {url} refused the password given")
                if refused
                else N_("the server of {url} asks for a password"),
                {"url": location.display},
            )
        )
    return _error(
        N_("cannot open the database {url}: {error}"), url=location.display, error=orig or exc
    )


def password_used(engine: Engine, location: Location) -> bool:
    """Connect to the server at ``location`` through ``engine``: True if it asked for the
    password and took it; False if it let the connection in without one (trust, peer or
    certificate). Raises :class:`PasswordNeeded` or :class:`StoreError` when it cannot
    connect."""
    try:
        with engine.connect() as connection:
            raw: Any = connection.connection.dbapi_connection
            return bool(raw.pgconn.used_password)
    except SQLAlchemyError as exc:
        raise _cannot_connect(exc, location) from None


def migrate(engine: Engine, location: Location) -> None:
    """Bring the schema up to date; refuse a database made by a newer program."""
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        raise _cannot_connect(exc, location) from None
    if current == HEAD_REVISION:
        return
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    config = _alembic_config()
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise _error(
            N_(
                "{url} was made by a newer version of Infusion Planner (schema {current}); "
                "this version knows schema {head}. It was left untouched: update the program."
            ),
            url=location.display,
            current=current,
            head=head,
        )
    kept = None
    if current is not None and location.path is not None:
        kept = location.path.with_name(f"{location.path.name}.before-{head}.bak")
        backup(location.path, kept)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (SQLAlchemyError, CommandError) as exc:
        raise _error(
            N_("cannot prepare the database {url}: {error}"),
            url=location.display,
            error=getattr(exc, "orig", None) or exc,
        ) from None
    _log.info(
        "%s: schema %s brought to %s%s",
        location.described,
        current or "(new)",
        head,
        f", the database as it was copied to {kept}" if kept else "",
    )


def backup(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database, even while it is in use (online backup)."""
    src = sqlite3.connect(sqlite_uri(absolute(source), "mode=ro"), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    platform.restrict_to_owner(target)
