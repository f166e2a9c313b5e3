"""``export-ics`` and ``export-unit``: calendars for patients, sessions for coordinators."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from planner import platform
from planner.cli.common import (
    EXIT_OK,
    Failed,
    UsageError,
    add_database_options,
    author,
    now,
    parse_date,
    regimen_and_dates,
    user_catalog,
)
from planner.cli.database import find_plan, open_store, unit_catalog
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.core.plan_schedule import schedule_of
from planner.core.schedule import Policy
from planner.export.calendar import (
    Detail,
    ExportOptions,
    patient_calendar,
)
from planner.export.contact import NoUnitPhone
from planner.export.files import ExportError, write_atomically
from planner.export.saving import export_patient_calendar, unit_export, unit_schedules
from planner.i18n import _, language


def _exported_at(given: str | None) -> datetime:
    """--at (scripts and tests: an ISO moment with its zone), else now."""
    if not given:
        return now()
    try:
        moment = datetime.fromisoformat(given)
    except ValueError:
        raise UsageError(
            _("--at: '{text}' is not an ISO date and time").format(text=given)
        ) from None
    if moment.tzinfo is None:
        raise UsageError(_("--at: give the time zone too (e.g. 2027-01-04T09:00:00+01:00)"))
    return moment.astimezone(UTC)


def _failure(exc: ExportError, args: argparse.Namespace | None = None) -> UsageError | Failed:
    """A wrong path is the user's to fix (exit 2); a refused write is a failure (exit 1); a
    document refused for want of the unit's telephone says the command that sets it."""
    if isinstance(exc, NoUnitPhone):
        return Failed(f"{exc.message}; {set_phone_hint(args)}")
    return UsageError(str(exc.message)) if exc.wrong_path else Failed(str(exc.message))


def set_phone_hint(args: argparse.Namespace | None) -> str:
    """The command that gives the unit its telephone number, for the same database."""
    db = getattr(args, "db", None)
    return _("set it with: python -m planner unit settings --phone NUMBER{db}").format(
        db=f" --db {platform.quote_argument(db)}" if db else ""
    )


def _write(path: Path, pieces: Iterable[bytes]) -> int:
    try:
        return write_atomically(path, pieces)
    except ExportError as exc:
        raise _failure(exc) from None


def _run_export_ics(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if (args.regimen is None) == (args.plan is None):
        raise UsageError(_("give either --regimen (with --start) or --plan"))
    detail = Detail(args.detail)
    at = _exported_at(args.at)
    if args.regimen is not None:
        return _export_regimen(args, out, err, detail, at)
    for option in ("start", "until", "policy", "closures"):
        if getattr(args, option) is not None:
            raise UsageError(
                _("--{option} goes with --regimen; a saved plan has its own").format(option=option)
            )
    catalog = user_catalog(err, for_unit=True)
    with open_store(args) as store:
        plan = find_plan(store, args.plan)
        catalog = unit_catalog(store, catalog, err, who=author(args.author))
        lang = getattr(args, "lang", None) or plan.patient.language
        try:
            export, size = export_patient_calendar(
                store,
                schedule_of(plan, catalog.port_rules),
                args.out,
                options=ExportOptions(lang, detail),
                exported_at=at,
                author=author(args.author),
            )
        except ExportError as exc:
            raise _failure(exc, args) from None
    _report(out, args.out, export.events, export.cancelled, size)
    return EXIT_OK


def _export_regimen(
    args: argparse.Namespace, out: TextIO, err: TextIO, detail: Detail, at: datetime
) -> int:
    catalog, regimen, start, until = regimen_and_dates(args, err)
    policy = Policy(args.policy or Policy.GRID)
    closures = ClosureSet(args.closures or ClosureSet.FR)
    # Not saved: the plan is named by what defines it, so the same export gets the same UIDs.
    owner = f"{regimen.id}/{start.isoformat()}/{policy.value}/{closures.value}"
    plan = Plan(
        owner,
        Patient("", "", "", "", language()),
        regimen,
        start,
        policy,
        ClosureCalendar(closures),
    )
    # A calendar for a patient all the same: it carries the unit's name, address and phone.
    with open_store(args) as store:
        settings = store.settings()
    try:
        export = patient_calendar(
            schedule_of(plan, catalog.port_rules),
            settings=settings,
            options=ExportOptions(getattr(args, "lang", None) or language(), detail),
            exported_at=at,
            until=until,
        )
    except ExportError as exc:
        raise _failure(exc, args) from None
    size = _write(args.out, [export.content])
    _report(out, args.out, export.events, export.cancelled, size)
    return EXIT_OK


def _report(out: TextIO, path: Path, events: int, cancelled: int, size: int) -> None:
    print(
        _("{path}: {events} events ({cancelled} cancelled), {size} bytes").format(
            path=path, events=events, cancelled=cancelled, size=size
        ),
        file=out,
    )


def _run_export_unit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    first = parse_date(args.first, "--from")
    last = parse_date(args.last, "--to")
    if last < first:
        raise UsageError(
            _("--to {to} is before --from {first}").format(
                to=last.isoformat(), first=first.isoformat()
            )
        )
    catalog = user_catalog(err, for_unit=True)
    at = _exported_at(args.at)
    with open_store(args) as store:
        catalog = unit_catalog(store, catalog, err, who=author(args.author))
        settings = store.settings()
        booked = store.bookings(first, last)
        # The calendars a few hundred at a time, only the period's sessions kept.
        sessions, pieces = unit_export(
            unit_schedules(store, catalog.port_rules),
            settings=settings,
            first=first,
            last=last,
            kind=args.format,
            exported_at=at,
            bookings=booked,
        )
    size = _write(args.out, pieces)
    print(
        _("{path}: {sessions} sessions, {size} bytes").format(
            path=args.out, sessions=sessions, size=size
        ),
        file=out,
    )
    return EXIT_OK


def register(commands: Any) -> None:
    ics = commands.add_parser("export-ics", help=_("write a patient's treatment calendar (.ics)"))
    ics.add_argument("--regimen", metavar="ID", help=_("a regimen from the catalogue..."))
    ics.add_argument("--start", metavar="YYYY-MM-DD", help=_("...started on this day"))
    ics.add_argument("--policy", choices=[p.value for p in Policy])
    ics.add_argument("--closures", choices=[c.value for c in ClosureSet])
    ics.add_argument("--until", metavar="YYYY-MM-DD")
    ics.add_argument("--plan", metavar="PLAN", help=_("or a saved plan (id or its beginning)"))
    ics.add_argument(
        "--detail",
        choices=[d.value for d in Detail],
        default=Detail.MINIMAL.value,
        help=_("minimal: no drug names (default); full: regimen, drugs, cycle and day"),
    )
    ics.add_argument("--out", type=Path, required=True, metavar="FILE")
    ics.add_argument("--at", help=argparse.SUPPRESS)
    add_database_options(ics)
    ics.set_defaults(handler=_run_export_ics)

    unit = commands.add_parser(
        "export-unit", help=_("write the unit's sessions of a period (.ics or .csv)")
    )
    unit.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    unit.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    unit.add_argument("--format", choices=("ics", "csv"), default="ics")
    unit.add_argument("--out", type=Path, required=True, metavar="FILE")
    unit.add_argument("--at", help=argparse.SUPPRESS)
    add_database_options(unit)
    unit.set_defaults(handler=_run_export_unit)
