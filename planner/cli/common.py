"""What every command shares: exit codes, one-line errors, dates, tables, the catalogue."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, NoReturn, TextIO

from planner import explain, platform
from planner.catalog import Catalog, CatalogPaths, load_catalog
from planner.core import text_fields
from planner.core.regimen import Regimen
from planner.core.text_fields import Field, FieldError
from planner.i18n import _

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2199, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LANGUAGES = ("fr", "en")


class UsageError(Exception):
    """Wrong input from the user: reported in one line, exit code 2."""


class Failed(Exception):
    """The command could not do what was asked (a refused change, a database problem):
    reported in one line, exit code 1. Nothing was saved."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse writes "argument --x: ..." in English; said as every other error is,
        # "--x: ...", with the space French puts before the colon.
        option = re.match(r"argument ([^:]+): (.*)", message, re.DOTALL)
        if option is not None:
            message = explain.labelled(option.group(1), option.group(2))
        raise UsageError(message)

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # "--session=--": the value is "--"; argparse (3.11) drops it and hands back [].
        if action.nargs is None and arg_strings == ["--"]:
            value = self._get_value(action, "--")
            self._check_value(action, value)  # "--detail=--": not one of the choices
            return value
        return super()._get_values(action, arg_strings)


def typed(field: Field) -> Callable[[str], str]:
    """An argparse ``type`` for a text option: the value as kept (trimmed), or a usage
    error saying what is wrong ("argument --family-name: it must fit on one line")."""

    def check(text: str) -> str:
        try:
            return text_fields.clean(field, text)
        except FieldError as error:
            raise argparse.ArgumentTypeError(explain.text_problem(error)) from None

    return check


def parse_date(text: str, option: str) -> date:
    """A YYYY-MM-DD date between 2000 and 2199, or a UsageError that says what is wrong."""
    if not _ISO_DATE.match(text):
        raise UsageError(
            _("{option}: '{text}' is not a date in the form YYYY-MM-DD").format(
                option=option, text=text
            )
        )
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            _("{option}: '{text}' is not a date of the calendar").format(option=option, text=text)
        ) from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise UsageError(
            _("{option}: {text} is outside the supported years {low}-{high}").format(
                option=option, text=text, low=MIN_DATE.year, high=MAX_DATE.year
            )
        )
    return day


def add_lang(parser: argparse.ArgumentParser) -> None:
    """``--lang`` is accepted after the command too (``schedule ... --lang fr``)."""
    parser.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)


def table(rows: list[list[str]], out: TextIO) -> None:
    """Columns aligned for a person reading a terminal."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip(), file=out)


def user_catalog(err: TextIO, *, for_unit: bool = False) -> Catalog:
    """The catalogue with the user's files; bad files are reported, the rest is usable.

    ``for_unit``: a unit's command, which advises by the unit's port rules, not by this
    computer's port_rules.toml (a damaged one is reported if the unit would import it:
    :func:`planner.cli.database.unit_catalog`)."""
    paths = CatalogPaths.user()
    loaded = load_catalog(user=paths)
    for error in loaded.errors:
        if not (for_unit and error.path == paths.port_rules):
            print(_("warning: {error}").format(error=error), file=err)
    return loaded


def regimen_and_dates(
    args: argparse.Namespace, err: TextIO
) -> tuple[Catalog, Regimen, date, date | None]:
    """``--regimen``, ``--start`` and ``--until`` checked: the catalogue, the regimen, the
    start and the optional end."""
    if not args.start:
        raise UsageError(_("--regimen needs --start"))
    start = parse_date(args.start, "--start")
    until = parse_date(args.until, "--until") if args.until else None
    if until is not None and until < start:
        raise UsageError(
            _("--until {until} is before --start {start}").format(
                until=until.isoformat(), start=start.isoformat()
            )
        )
    catalog = user_catalog(err)
    if args.regimen not in catalog:
        raise UsageError(
            _("unknown regimen '{id}'; 'python -m planner regimens' lists them").format(
                id=args.regimen
            )
        )
    return catalog, catalog.regimen(args.regimen), start, until


def author(given: str | None) -> str:
    """Who is acting, for the audit trail: --author, else $PLANNER_AUTHOR, else the login."""
    if given:
        return given  # checked by its option's type
    named = os.environ.get("PLANNER_AUTHOR")
    if named:
        try:
            return text_fields.clean(Field.AUTHOR, named)
        except FieldError as error:
            raise UsageError(
                explain.labelled("PLANNER_AUTHOR", explain.text_problem(error))
            ) from None
    login = platform.login_name()
    if login is None:
        return "unknown"
    # A login name is the system's: kept, its control characters made visible, if any.
    return text_fields.shown(" ".join(login.split()))[: text_fields.RULES[Field.AUTHOR].longest]


def now() -> datetime:
    """The moment an action is recorded (the command line, not the core, reads the clock)."""
    return datetime.now(UTC)


def today(given: str | None) -> date:
    """--today (for scripts and tests), else the computer's date."""
    return parse_date(given, "--today") if given else date.today()  # noqa: DTZ011 - local day


def add_database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=_(
            "database file or URL (default: $PLANNER_DATABASE_URL, else planner.db in the "
            "user's data folder)"
        ),
    )
    parser.add_argument(
        "--author",
        type=typed(Field.AUTHOR),
        help=_("who acts, for the audit trail (default: the login)"),
    )
    add_lang(parser)
