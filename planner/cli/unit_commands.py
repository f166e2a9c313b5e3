"""``unit``: book sessions into chairs, find an earliest start, show the load, print a day
sheet, close the unit exceptionally (and list the patients to call)."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from planner import bookings, explain
from planner.batch import plan_schedules
from planner.cli import settings_commands
from planner.cli.common import (
    EXIT_OK,
    UsageError,
    author,
    now,
    parse_date,
    table,
    today,
    user_catalog,
)
from planner.cli.database import add_database_options, find_plan, open_store
from planner.cli.export_commands import _write
from planner.core.booking import Preference
from planner.core.closures import UnitClosure
from planner.i18n import _, ngettext


def _hours(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _run_book(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err)
    since = parse_date(args.since, "--from") if args.since else today(args.today)
    with open_store(args) as store:
        plans = [find_plan(store, args.plan)] if args.plan else store.plans()
        schedules = plan_schedules(plans, catalog.port_rules, since)
        result = bookings.book(store, schedules, since=since, author=author(args.author), at=now())
    print(
        ngettext("{n} session booked.", "{n} sessions booked.", result.added).format(
            n=result.added
        ),
        file=out,
    )
    for plan, session in result.unplaced:
        print(
            _("No place on {date} for {patient} ({regimen}, C{cycle} D{day}).").format(
                date=explain.format_date(session.date),
                patient=plan.patient.name,
                regimen=plan.regimen.id,
                cycle=session.cycle,
                day=session.day,
            ),
            file=out,
        )
    for flag in result.flags:
        print(
            _("To book again: {plan} C{cycle} D{day} on {date} at {time}: {problem}.").format(
                plan=flag.key[0][:8],
                cycle=flag.key[1][1],
                day=flag.key[1][2],
                date=explain.format_date(flag.booking.day) if flag.booking.day else "",
                time=flag.booking.start.isoformat(timespec="minutes"),
                problem=bookings.problem_text(flag),
            ),
            file=out,
        )
    return EXIT_OK


def _run_earliest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err)
    if args.regimen not in catalog:
        raise UsageError(
            _("unknown regimen '{id}'; 'python -m planner regimens' lists them").format(
                id=args.regimen
            )
        )
    since = parse_date(args.since, "--from") if args.since else today(args.today)
    if not 1 <= args.weeks <= 104:
        raise UsageError(_("--weeks: between 1 and 104"))
    with open_store(args) as store:
        settings = store.settings()
        unit = bookings.occupancy(settings, store.resources(), store.bookings(since))
    options = bookings.earliest(
        unit,
        catalog.regimen(args.regimen),
        settings,
        catalog.port_rules,
        since,
        weeks=args.weeks,
        preference=Preference(args.preference),
    )
    if not options:
        print(
            _("No start within six months fits the unit for {weeks} weeks.").format(
                weeks=args.weeks
            ),
            file=out,
        )
        return EXIT_OK
    rows = [[_("Start"), _("Sessions booked"), _("Busiest day"), _("Its load before → after")]]
    for option in options:
        rows.append(
            [
                explain.format_date(option.start),
                str(len(option.bookings)),
                explain.format_date(option.busiest_day),
                f"{option.busiest_before:.0%} → {option.busiest_after:.0%}",
            ]
        )
    table(rows, out)
    return EXIT_OK


def _run_load(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    first = parse_date(args.since, "--from") if args.since else today(args.today)
    if not 1 <= args.weeks <= 104:
        raise UsageError(_("--weeks: between 1 and 104"))
    last = first + timedelta(weeks=args.weeks) - timedelta(days=1)
    with open_store(args) as store:
        unit = bookings.occupancy(store.settings(), store.resources(), store.bookings(first, last))
    rows = [[_("Day"), _("Booked"), _("Capacity"), _("Load"), _("Most chairs at once"), ""]]
    for day in unit.load(first, last):
        if not day.capacity_minutes:
            continue
        bar = "█" * round(day.ratio * 20)
        rows.append(
            [
                explain.format_date(day.day),
                _hours(day.booked_minutes),
                _hours(day.capacity_minutes),
                f"{day.ratio:.0%}",
                str(day.peak_chairs),
                bar,
            ]
        )
    table(rows, out)
    return EXIT_OK


def _run_day_sheet(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err)
    day = parse_date(args.day, "--day")
    with open_store(args) as store:
        settings = store.settings()
        unit = bookings.occupancy(settings, store.resources(), store.bookings(day, day))
        plan_ids = {key[0] for key in unit.bookings}
        plans = [p for p in store.plans() if p.id in plan_ids]
    lines = bookings.day_sheet(
        unit, plan_schedules(plans, catalog.port_rules), day, today=today(args.today)
    )
    if args.format == "csv":
        if args.out is None:
            raise UsageError(_("--format csv needs --out FILE"))
        size = _write(args.out, bookings.day_sheet_csv(lines, numbers=args.hospital_numbers))
        print(
            _("{path}: {n} bookings, {size} bytes").format(path=args.out, n=len(lines), size=size),
            file=out,
        )
        return EXIT_OK
    print(explain.format_date(day), file=out)
    rows = [[_("Time"), _("Chair"), _("Patient"), _("Regimen"), "", _("Minutes"), "", "", ""]]
    for line in lines:
        rows.append(
            [
                line.booking.start.isoformat(timespec="minutes"),
                line.booking.chair,
                line.patient.name,
                line.regimen,
                line.cycle_day,
                str(line.minutes),
                line.port,
                _("pump") if line.pump else "",
                line.flag,
            ]
        )
    table(rows, out)
    return EXIT_OK


def _run_close(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err)
    day = parse_date(args.day, "--day")
    with open_store(args) as store:
        settings = store.settings()
        if any(c.date == day for c in settings.unit_closures):
            raise UsageError(
                _("the unit is already closed on {date}").format(date=explain.format_date(day))
            )
        closed, calls = bookings.closure_calls(
            store.plans(), settings, UnitClosure(day, args.label), catalog.port_rules
        )
        store.save_settings(closed)
    print(
        ngettext(
            "Closed on {date}: {n} session moves.",
            "Closed on {date}: {n} sessions move.",
            len(calls),
        ).format(date=explain.format_date(day), n=len(calls)),
        file=out,
    )
    rows = [[_("Patient"), _("Hospital number"), _("Regimen"), "", _("Was"), _("Now")]]
    for call in calls:
        rows.append(
            [
                call.patient.name,
                call.patient.hospital_number,
                call.regimen,
                f"C{call.session.cycle} D{call.session.day}",
                explain.format_date(call.before),
                explain.format_date(call.after),
            ]
        )
    if calls:
        table(rows, out)
    return EXIT_OK


def register(commands: Any) -> None:
    unit = commands.add_parser(
        "unit", help=_("the day hospital: chairs, bookings, load, day sheet, closures")
    ).add_subparsers(dest="action", required=True)

    book = unit.add_parser("book", help=_("book every session without a chair and a time"))
    book.add_argument("--plan", metavar="PLAN", help=_("only this plan (default: all)"))
    book.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help=_("default: today"))
    book.add_argument("--today", help=argparse.SUPPRESS)
    add_database_options(book)
    book.set_defaults(handler=_run_book)

    start = unit.add_parser(
        "earliest-start", help=_("the first start dates at which a new plan fits the unit")
    )
    start.add_argument("--regimen", required=True, metavar="ID")
    start.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help=_("default: today"))
    start.add_argument("--weeks", type=int, default=12, help=_("weeks that must fit (12)"))
    start.add_argument(
        "--preference", choices=[p.value for p in Preference], default=Preference.ANY.value
    )
    start.add_argument("--today", help=argparse.SUPPRESS)
    add_database_options(start)
    start.set_defaults(handler=_run_earliest)

    load = unit.add_parser("load", help=_("chair time booked against capacity, day by day"))
    load.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help=_("default: today"))
    load.add_argument("--weeks", type=int, default=4)
    load.add_argument("--today", help=argparse.SUPPRESS)
    add_database_options(load)
    load.set_defaults(handler=_run_load)

    sheet = unit.add_parser("day-sheet", help=_("a day's bookings for the nurses"))
    sheet.add_argument("--day", required=True, metavar="YYYY-MM-DD")
    sheet.add_argument("--format", choices=("text", "csv"), default="text")
    sheet.add_argument("--out", type=Path, metavar="FILE")
    sheet.add_argument(
        "--hospital-numbers",
        action="store_true",
        help=_("add each patient's hospital number (left out unless asked for)"),
    )
    sheet.add_argument("--today", help=argparse.SUPPRESS)
    add_database_options(sheet)
    sheet.set_defaults(handler=_run_day_sheet)

    close = unit.add_parser(
        "close", help=_("close the unit on a day (training, strike, works) and list who to call")
    )
    close.add_argument("--day", required=True, metavar="YYYY-MM-DD")
    close.add_argument("--label", default="", help=_("why, shown on the calendars"))
    add_database_options(close)
    close.set_defaults(handler=_run_close)

    settings_commands.register(unit)
