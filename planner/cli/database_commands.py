"""``database``: the daily copy of a SQLite database (for a scheduled task), the copies
kept, and putting one back; a shared unit's password in the platform's keyring."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from planner import platform
from planner.cli.common import EXIT_OK, Failed, UsageError, add_database_options, table, today
from planner.i18n import _, format_date
from planner.store import Store, StoreError, locate, passwords
from planner.store.backups import DEFAULT_KEEP_DAYS, backup_if_due, backups, restore
from planner.store.database import make_engine, password_used


def _sqlite_path(args: argparse.Namespace) -> Path:
    try:
        with Store.open(args.db) as store:
            path = store.location.path
    except StoreError as exc:
        raise Failed(str(exc)) from None
    if path is None:
        raise UsageError(
            _("a database server is backed up by its administrators (pg_dump), not here")
        )
    return path


def _run_backup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not 1 <= args.keep_days <= 365:
        raise UsageError(_("--keep-days: between 1 and 365"))
    path = _sqlite_path(args)
    try:
        made = backup_if_due(path, today(args.today), args.keep_days)
    except StoreError as exc:
        raise Failed(str(exc)) from None
    if made is None:
        print(_("Today's copy of {path} already exists.").format(path=path), file=out)
    else:
        print(_("Copy made: {copy}").format(copy=made), file=out)
    return EXIT_OK


def _run_backups(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = _sqlite_path(args)
    rows = [[_("Day"), _("Size"), _("File")]]
    for copy in backups(path):
        rows.append([format_date(copy.day), f"{copy.size // 1024} kB", str(copy.path)])
    if len(rows) == 1:
        print(_("There is no daily copy of {path} yet.").format(path=path), file=out)
    else:
        table(rows, out)
    return EXIT_OK


def _run_restore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = _sqlite_path(args)
    try:
        kept = restore(path, args.copy, datetime.now(UTC))
    except StoreError as exc:
        raise Failed(str(exc)) from None
    print(
        _("{path} restored from {copy}; the database as it was is kept in {kept}.").format(
            path=path, copy=args.copy, kept=kept
        ),
        file=out,
    )
    return EXIT_OK


def _server_url(args: argparse.Namespace) -> str:
    try:
        location = locate(args.db)
    except StoreError as exc:
        raise Failed(str(exc)) from None
    if location.path is not None:
        raise UsageError(_("a database file has no password: give a server's URL (--db)"))
    return location.url


def _run_password(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    url = _server_url(args)
    where = passwords.strip_password(url)
    if args.password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        if platform.is_windows() and not sys.stdin.isatty():
            # Windows reads a hidden password from a console only: in Git Bash's terminal or
            # from a pipe, getpass echoes it and then waits for ever (python/cpython#115798).
            raise UsageError(
                _(
                    "no console to type the password in: give it on standard input with {option}"
                ).format(option="--password-stdin")
            )
        secret = getpass.getpass(_("Password for {url}: ").format(url=where))
    if not secret:
        raise UsageError(_("no password given: nothing was kept"))
    passwords.use_for_session(url, secret)
    location = locate(where)
    engine = make_engine(location)  # connect only: the schema is not touched
    try:  # a password the server refuses, or does not ask for, is not kept
        used = password_used(engine, location)
    except StoreError as exc:
        passwords.forget_typed(url)  # a password kept before stays kept
        raise Failed(str(exc)) from None
    finally:
        engine.dispose()
    if not used:
        passwords.forget_typed(url)
        raise Failed(
            _("the server of {url} lets you in without a password: nothing was kept").format(
                url=where
            )
        )
    try:
        passwords.remember(url, secret)
    except passwords.KeyringUnavailable as exc:
        raise Failed(str(exc)) from None
    print(
        _("The password of {url} is kept in {keyring}.").format(
            url=where, keyring=passwords.keyring_name()
        ),
        file=out,
    )
    return EXIT_OK


def _run_forget_password(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    url = _server_url(args)
    where = passwords.strip_password(url)
    if passwords.forget(url):
        print(_("The password of {url} was forgotten.").format(url=where), file=out)
    else:
        print(_("No password of {url} was kept.").format(url=where), file=out)
    return EXIT_OK


def register(commands: Any) -> None:
    database = commands.add_parser(
        "database",
        help=_("daily copies of the database, putting one back, a server's password"),
    ).add_subparsers(dest="action", required=True)
    backup = database.add_parser("backup", help=_("make today's copy (once a day)"))
    backup.add_argument(
        "--keep-days",
        type=int,
        default=DEFAULT_KEEP_DAYS,
        help=_("remove copies older than this many days (14)"),
    )
    backup.add_argument("--today", help=argparse.SUPPRESS)
    add_database_options(backup)
    backup.set_defaults(handler=_run_backup)
    listing = database.add_parser("backups", help=_("list the copies kept"))
    add_database_options(listing)
    listing.set_defaults(handler=_run_backups)
    back = database.add_parser("restore", help=_("put a copy back in place of the database"))
    back.add_argument("copy", type=Path, metavar="COPY", help=_("a file listed by 'backups'"))
    add_database_options(back)
    back.set_defaults(handler=_run_restore)
    password = database.add_parser(
        "password",
        help=_("keep a server's password in this computer's keyring (checked with the server)"),
    )
    password.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password from standard input instead of asking for it"),
    )
    add_database_options(password)
    password.set_defaults(handler=_run_password)
    forget = database.add_parser(
        "forget-password", help=_("remove a server's password from this computer's keyring")
    )
    add_database_options(forget)
    forget.set_defaults(handler=_run_forget_password)
