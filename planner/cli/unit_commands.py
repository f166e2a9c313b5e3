"""``unit``: book sessions into chairs, find an earliest start, show the load, print a day
sheet and the week's sessions, close the unit exceptionally, list the patients to call."""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from planner import explain, worklists
from planner.cli import resources_commands, settings_commands
from planner.cli.common import (
    EXIT_OK,
    UsageError,
    add_database_options,
    author,
    now,
    parse_date,
    table,
    today,
    typed,
    user_catalog,
)
from planner.cli.database import find_plan, open_store, unit_catalog
from planner.cli.export_commands import _write
from planner.cli.progress import ProgressBar
from planner.core.batch import plan_schedules
from planner.core.closures import UnitClosure
from planner.core.patient import Preference
from planner.core.plan import Plan
from planner.core.schedule import Session
from planner.core.text_fields import Field
from planner.day_hospital import bookings
from planner.i18n import _, format_date, language, ngettext, weekday_name


def _hours(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _time_limit(text: str) -> float:
    """``--time-limit``: seconds the solver may take for one day."""
    try:
        seconds = float(text.replace(",", "."))
    except ValueError:
        seconds = -1.0
    if not 0.1 <= seconds <= MAX_TIME_LIMIT:
        raise UsageError(
            _("--time-limit is a number of seconds from 0.1 to {most}, not {given!r}.").format(
                most=MAX_TIME_LIMIT, given=text
            )
        )
    return seconds


MAX_TIME_LIMIT = 600
"""Seconds the solver may take for one day, at most."""


def _optimising(args: argparse.Namespace, **more: Any) -> bookings.Optimising | None:
    if getattr(args, "quick", False):
        return None
    return bookings.Optimising(today(args.today), time_limit=_time_limit(args.time_limit), **more)


def _say_days(days: list[Any], out: TextIO) -> None:
    """What the optimiser did: the busiest day's peak and its bound, the most starts in one
    slot, how many days it proved best."""
    if not days:
        return
    busiest = max(days, key=lambda d: (d.peak, d.day))
    print(
        ngettext(
            "{n} day placed by the optimiser, {proven} proven best.",
            "{n} days placed by the optimiser, {proven} proven best.",
            len(days),
        ).format(n=len(days), proven=sum(1 for d in days if d.proven)),
        file=out,
    )
    print(
        _(
            "Busiest: {date}, {peak} chairs at the peak (no placement of its sessions needs "
            "fewer than {bound}); at most {starts} infusions start together."
        ).format(
            date=format_date(busiest.day),
            peak=busiest.peak,
            bound=busiest.peak_bound,
            starts=max(d.busiest_slot for d in days),
        ),
        file=out,
    )


def _say_unplaced(unplaced: Iterable[tuple[Plan, Session]], out: TextIO) -> None:
    """One line for each session no chair could take."""
    for plan, session in unplaced:
        print(
            _("No place on {date} for {patient} ({regimen}, {session}).").format(
                date=format_date(session.date),
                patient=plan.patient.name,
                regimen=plan.regimen.name.get(language()),
                session=explain.cycle_day(session.cycle, session.day),
            ),
            file=out,
        )


def _run_book(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err, for_unit=True)
    since = parse_date(args.since, "--from") if args.since else today(args.today)
    optimise = _optimising(args)
    with open_store(args) as store:
        catalog = unit_catalog(store, catalog, err, who=author(args.author))
        plans = [find_plan(store, args.plan)] if args.plan else store.plans()
        schedules = plan_schedules(plans, catalog.port_rules, since)
        with ProgressBar(err) as bar:
            result = bookings.book(
                store,
                schedules,
                since=since,
                author=author(args.author),
                at=now(),
                optimise=optimise,
                progress=bar.step(_("Placing the days") if optimise else _("Booking the plans")),
            )
    print(
        ngettext("{n} session booked.", "{n} sessions booked.", result.added).format(
            n=result.added
        ),
        file=out,
    )
    _say_days(result.days, out)
    _say_unplaced(result.unplaced, out)
    for flag in result.flags:
        print(
            _("To book again: {plan} {session} on {date} at {time}: {problem}.").format(
                plan=flag.key[0][:8],
                session=explain.cycle_day(flag.key[1][1], flag.key[1][2]),
                date=format_date(flag.booking.day) if flag.booking.day else "",
                time=flag.booking.start.isoformat(timespec="minutes"),
                problem=bookings.problem_text(flag),
            ),
            file=out,
        )
    return EXIT_OK


def _run_optimise(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err, for_unit=True)
    first = parse_date(args.since, "--from") if args.since else today(args.today)
    last = parse_date(args.until, "--to") if args.until else first
    if last < first:
        raise UsageError(_("--to comes before --from."))
    optimise = _optimising(args, every_day=True)
    with open_store(args) as store:
        catalog = unit_catalog(store, catalog, err, who=author(args.author))
        schedules = plan_schedules(store.plans(), catalog.port_rules, first)
        with ProgressBar(err) as bar:
            result = bookings.book(
                store,
                schedules,
                since=first,
                until=last,
                author=author(args.author),
                at=now(),
                optimise=optimise,
                progress=bar.step(_("Placing the days")),
            )
    print(
        ngettext(
            "{n} booking made or moved ({moved} given to patients moved).",
            "{n} bookings made or moved ({moved} given to patients moved).",
            result.added,
        ).format(n=result.added, moved=result.moved),
        file=out,
    )
    _say_days(result.days, out)
    _say_unplaced(result.unplaced, out)
    return EXIT_OK


def _run_capacity(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err, for_unit=True)
    first = parse_date(args.since, "--from") if args.since else today(args.today)
    last = parse_date(args.until, "--to") if args.until else first + timedelta(weeks=4)
    if last < first:
        raise UsageError(_("--to comes before --from."))
    seconds = _time_limit(args.time_limit)
    with open_store(args) as store:
        catalog = unit_catalog(store, catalog, err, who=author(args.author))
        settings, resources = store.settings(), store.resources()
        schedules = plan_schedules(store.plans(), catalog.port_rules, first)
    unit = bookings.occupancy(settings, resources, {})
    with ProgressBar(err) as bar:
        found = bookings.capacity(
            unit,
            schedules,
            first,
            last,
            time_limit=seconds,
            progress=bar.step(_("Placing the days")),
        )
    print(
        _("What every session from {first} to {last} needs, under the unit's rules:").format(
            first=format_date(first), last=format_date(last)
        ),
        file=out,
    )
    rows = [
        [
            weekday_name(w.weekday),
            str(w.days),
            _("{found} (at least {bound})").format(found=w.chairs, bound=w.chairs_bound),
            _("{found} (at least {bound})").format(found=w.nurses, bound=w.nurses_bound),
            format_date(w.busiest) + ("" if w.fits else " " + _("(some sessions fit nowhere)")),
        ]
        for w in found
    ]
    if not rows:
        print(_("No session to place in this period."), file=out)
        return EXIT_OK
    table([[_("Weekday"), _("Days"), _("Chairs"), _("Nurses"), _("Busiest day")], *rows], out)
    print(
        _("The unit has {chairs} chairs and {nurses} nurses.").format(
            chairs=len(resources.chairs), nurses=resources.nurses
        ),
        file=out,
    )
    return EXIT_OK


def _run_earliest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err, for_unit=True)
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
        catalog = unit_catalog(store, catalog, err, who=author(args.author))
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
    rows = [
        [
            _("Start"),
            _("Sessions booked"),
            _("Busiest day"),
            _("Its load before → after"),
            _("Offered for"),
        ]
    ]
    for n, option in enumerate(options):
        rows.append(
            [
                format_date(option.start),
                str(len(option.bookings)),
                format_date(option.busiest_day),
                explain.format_share(option.busiest_before)
                + " → "
                + explain.format_share(option.busiest_after),
                _("the earliest")
                if n == 0
                else _("lighter weeks")
                if option.lighter
                else _("the next that fits"),
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
                format_date(day.day),
                _hours(day.booked_minutes),
                _hours(day.capacity_minutes),
                explain.format_share(day.ratio),
                str(day.peak_chairs),
                bar,
            ]
        )
    table(rows, out)
    return EXIT_OK


def _run_day_sheet(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err, for_unit=True)
    day = parse_date(args.day, "--day")
    with open_store(args) as store:
        catalog = unit_catalog(store, catalog, err, who=author(args.author))
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
    print(format_date(day), file=out)
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
    catalog = user_catalog(err, for_unit=True)
    day = parse_date(args.day, "--day")
    with open_store(args) as store:
        catalog = unit_catalog(store, catalog, err, who=author(args.author))
        settings = store.settings()
        if any(c.date == day for c in settings.unit_closures):
            raise UsageError(
                _("the unit is already closed on {date}").format(date=format_date(day))
            )
        closure = UnitClosure(day, args.label, now(), author(args.author))
        closed, calls = bookings.closure_calls(store.plans(), settings, closure, catalog.port_rules)
        store.save_settings(closed)
    print(
        ngettext(
            "Closed on {date}: {n} session moves.",
            "Closed on {date}: {n} sessions move.",
            len(calls),
        ).format(date=format_date(day), n=len(calls)),
        file=out,
    )
    rows = [[_("Patient"), _("Hospital number"), _("Regimen"), "", _("Was"), _("Now")]]
    for call in calls:
        rows.append(
            [
                call.patient.name,
                call.patient.hospital_number,
                call.regimen,
                explain.cycle_day(call.session.cycle, call.session.day),
                format_date(call.before),
                format_date(call.after),
            ]
        )
    if calls:
        table(rows, out)
    return EXIT_OK


def _print_bytes(out: TextIO, pieces: Iterable[bytes]) -> None:
    """Print ``pieces`` as they are: a CSV's lines end in CRLF (RFC 4180), which a text
    stream on Windows would make CR CR LF (it writes every LF as CRLF), a blank line
    between rows in Excel. A stream without bytes underneath (a test's) takes the text."""
    binary = getattr(out, "buffer", None)
    if binary is None:
        out.write(b"".join(pieces).decode("utf-8"))
        return
    out.flush()
    for piece in pieces:
        binary.write(piece)
    binary.flush()


def _emit(
    args: argparse.Namespace,
    out: TextIO,
    text: str,
    csv: Callable[[bool], Iterable[bytes]],
    written: Callable[[int], str],
) -> int:
    """Print ``text`` (or the CSV) or write it to ``--out`` and say what was written
    (``written(size)``)."""
    if args.format == "csv":
        if args.out is None:
            _print_bytes(out, csv(False))
            return EXIT_OK
        size = _write(args.out, csv(True))
    elif args.out is None:
        out.write(text)
        return EXIT_OK
    else:
        size = _write(args.out, [text.encode("utf-8")])
    print(written(size), file=out)
    return EXIT_OK


def _week_text(week: worklists.Week, settings: Any, *, numbers: bool) -> str:
    lines = [worklists.week_title(week), worklists.week_summary(week, settings)]
    for day in week.days:
        lines += ["", worklists.day_heading(day)]
        if day.lines:
            rows = [worklists.week_head(numbers=numbers, day=False)]
            rows[0].append(_("To check") if any(line.flag for line in day.lines) else "")
            rows += [
                [*worklists.week_cells(line, numbers=numbers), line.flag] for line in day.lines
            ]
            buffer = io.StringIO()
            table(rows, buffer)
            lines.append(buffer.getvalue().rstrip("\n"))
    return "\n".join(lines) + "\n"


def _run_week(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err)
    monday = worklists.monday_of(parse_date(args.week, "--week"))
    with open_store(args) as store:
        settings = store.settings()
        unit = bookings.occupancy(
            settings, store.resources(), store.bookings(monday, monday + timedelta(days=6))
        )
        booked = worklists.week_plan_ids(unit, monday)
        plans = [p for p in store.plans() if p.id in booked]
    week = worklists.week_sessions(unit, plan_schedules(plans, catalog.port_rules), monday)
    numbers = args.hospital_numbers
    return _emit(
        args,
        out,
        _week_text(week, settings, numbers=numbers),
        lambda bom: worklists.week_csv(week, numbers=numbers, bom=bom),
        lambda size: ngettext(
            "{path}: {n} session, {size} bytes", "{path}: {n} sessions, {size} bytes", week.count
        ).format(path=args.out, n=week.count, size=size),
    )


def _calls_text(calls: list[worklists.Call], title: str, settings: Any) -> str:
    lines = [title, worklists.calls_summary(calls, settings)]
    if calls:
        buffer = io.StringIO()
        table([worklists.calls_head(), *(worklists.call_cells(c) for c in calls)], buffer)
        lines += ["", buffer.getvalue().rstrip("\n")]
    return "\n".join(lines) + "\n"


def _run_calls(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = user_catalog(err)
    day = today(args.today)
    since = parse_date(args.since, "--since") if args.since else day
    with open_store(args) as store:
        settings = store.settings()
        plans = store.plans()
    calls = worklists.calls_since(plans, settings, catalog.port_rules, since=since, today=day)
    return _emit(
        args,
        out,
        _calls_text(calls, worklists.calls_title(since), settings),
        lambda bom: worklists.calls_csv(calls, bom=bom),
        lambda size: ngettext(
            "{path}: {n} session moved, {size} bytes",
            "{path}: {n} sessions moved, {size} bytes",
            len(calls),
        ).format(path=args.out, n=len(calls), size=size),
    )


def register(commands: Any) -> None:
    unit = commands.add_parser(
        "unit", help=_("the day hospital: chairs, bookings, load, day sheet, closures")
    ).add_subparsers(dest="action", required=True)

    book = unit.add_parser("book", help=_("book every session without a chair and a time"))
    book.add_argument("--plan", metavar="PLAN", help=_("only this plan (default: all)"))
    book.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help=_("default: today"))
    book.add_argument(
        "--quick",
        action="store_true",
        help=_("place session by session, without the optimiser (instant)"),
    )
    book.add_argument(
        "--time-limit",
        default="1",
        metavar="SECONDS",
        help=_("seconds the optimiser may take for one day (1)"),
    )
    book.add_argument("--today", help=argparse.SUPPRESS)
    add_database_options(book)
    book.set_defaults(handler=_run_book)

    optimise = unit.add_parser(
        "optimise",
        help=_(
            "place the booked days again with the optimiser (after a change of nurses, "
            "pharmacy or weights)"
        ),
    )
    optimise.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help=_("default: today"))
    optimise.add_argument("--to", dest="until", metavar="YYYY-MM-DD", help=_("default: --from"))
    optimise.add_argument(
        "--time-limit",
        default="2",
        metavar="SECONDS",
        help=_("seconds the optimiser may take for one day (2)"),
    )
    optimise.add_argument("--today", help=argparse.SUPPRESS)
    add_database_options(optimise)
    optimise.set_defaults(handler=_run_optimise)

    needed = unit.add_parser(
        "capacity", help=_("how many chairs and nurses each weekday needs, with the bound")
    )
    needed.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help=_("default: today"))
    needed.add_argument(
        "--to", dest="until", metavar="YYYY-MM-DD", help=_("default: 4 weeks after --from")
    )
    needed.add_argument(
        "--time-limit",
        default="1",
        metavar="SECONDS",
        help=_("seconds the optimiser may take for one day (1)"),
    )
    needed.add_argument("--today", help=argparse.SUPPRESS)
    add_database_options(needed)
    needed.set_defaults(handler=_run_capacity)

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

    week = unit.add_parser(
        "week", help=_("a week's booked sessions, day by day, for the nurses and the pharmacy")
    )
    week.add_argument(
        "--week", required=True, metavar="YYYY-MM-DD", help=_("any day of the week (Monday–Sunday)")
    )
    week.add_argument("--format", choices=("text", "csv"), default="text")
    week.add_argument("--out", type=Path, metavar="FILE", help=_("default: the terminal"))
    week.add_argument(
        "--hospital-numbers",
        action="store_true",
        help=_("add each patient's hospital number (left out unless asked for)"),
    )
    add_database_options(week)
    week.set_defaults(handler=_run_week)

    calls = unit.add_parser(
        "calls",
        help=_(
            "the patients whose coming sessions moved (delay, stop, closure) by what was "
            "recorded since a day"
        ),
    )
    calls.add_argument("--since", metavar="YYYY-MM-DD", help=_("default: today"))
    calls.add_argument("--format", choices=("text", "csv"), default="text")
    calls.add_argument("--out", type=Path, metavar="FILE", help=_("default: the terminal"))
    calls.add_argument("--today", help=argparse.SUPPRESS)
    add_database_options(calls)
    calls.set_defaults(handler=_run_calls)

    close = unit.add_parser(
        "close", help=_("close the unit on a day (training, strike, works) and list who to call")
    )
    close.add_argument("--day", required=True, metavar="YYYY-MM-DD")
    close.add_argument(
        "--label",
        default="",
        type=typed(Field.CLOSURE_LABEL),
        help=_("why, shown on the calendars"),
    )
    add_database_options(close)
    close.set_defaults(handler=_run_close)

    settings_commands.register(unit)
    resources_commands.register(unit)
