"""The headless command line: ``python -m planner regimens|schedule|validate``.

Scripts and tests rely on it, so its JSON is stable. Wrong input gets a one-line error on
stderr and exit code 2; nothing a user types produces a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from planner import explain
from planner.catalog import Catalog, CatalogPaths, Origin, check_files, load_catalog
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.engine import plan
from planner.core.port import port_advice
from planner.core.schedule import EventKind, Policy, Schedule
from planner.i18n import _, language, set_language, system_language

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2199, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UsageError(Exception):
    """Wrong input from the user: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


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


def _build_parser() -> _Parser:
    parser = _Parser(
        prog="python -m planner",
        description=_("Infusion Planner: day-hospital schedules of IV cancer treatments."),
    )
    parser.add_argument(
        "--lang", choices=("fr", "en"), help=_("language of the text (default: the system's)")
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    regimens = commands.add_parser("regimens", help=_("list the regimen catalogue"))
    regimens.add_argument("--format", choices=("json", "text"), default="text")
    regimens.add_argument("--lang", choices=("fr", "en"), default=argparse.SUPPRESS)

    schedule = commands.add_parser("schedule", help=_("plan the sessions of a regimen"))
    schedule.add_argument("--regimen", required=True, metavar="ID")
    schedule.add_argument("--start", required=True, metavar="YYYY-MM-DD")
    schedule.add_argument("--policy", choices=[p.value for p in Policy], default=Policy.GRID)
    schedule.add_argument(
        "--closures", choices=[c.value for c in ClosureSet], default=ClosureSet.FR
    )
    schedule.add_argument("--until", metavar="YYYY-MM-DD")
    schedule.add_argument("--format", choices=("json", "text"), default="text")
    schedule.add_argument("--lang", choices=("fr", "en"), default=argparse.SUPPRESS)
    schedule.add_argument(
        "--explain",
        action="store_true",
        help=_("JSON: add a 'why' text to each session that moved or has a warning"),
    )

    validate = commands.add_parser("validate", help=_("check regimen files"))
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--lang", choices=("fr", "en"), default=argparse.SUPPRESS)
    return parser


def _catalog(err: TextIO) -> Catalog:
    catalog = load_catalog(user=CatalogPaths.user())
    for error in catalog.errors:
        print(_("warning: {error}").format(error=error), file=err)
    return catalog


def schedule_json(schedule: Schedule, port_level: str, reasons: list[str], why: bool) -> Any:
    sessions = []
    for session in schedule.sessions:
        item: dict[str, Any] = {
            "date": session.date.isoformat(),
            "planned": session.planned.isoformat(),
            "phase": session.phase,
            "cycle": session.cycle,
            "day": session.day,
            "agents": list(session.agents),
            "warnings": [w.value for w in session.warnings],
        }
        if why and (session.moves or session.warnings):
            item["why"] = "; ".join(explain.session_notes(session))
        sessions.append(item)
    return {
        "regimen": schedule.regimen.id,
        "start": schedule.start.isoformat(),
        "policy": schedule.policy.value,
        "closures": schedule.closure_set.value,
        "sessions": sessions,
        "events": [
            {"kind": e.kind.value, "date": e.date.isoformat(), "session": e.session}
            for e in schedule.events
        ],
        "port": {"level": port_level, "reasons": reasons},
    }


def _table(rows: list[list[str]], out: TextIO) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip(), file=out)


def schedule_text(schedule: Schedule, level: str, reasons: list[str], out: TextIO) -> None:
    regimen = schedule.regimen
    lang = language()
    print(regimen.name.get(lang), file=out)
    print(
        _("Start {start} · policy: {policy} · closures: {closures}").format(
            start=explain.format_date(schedule.start, "long"),
            policy=explain.policy_name(schedule.policy),
            closures=explain.closure_set_name(schedule.closure_set),
        ),
        file=out,
    )
    print(_("Implantable port: {level}").format(level=level), file=out)
    for reason in reasons:
        print(f"  - {reason}", file=out)
    print(file=out)

    rows = [[_("Date"), _("What"), _("Phase · cycle · day"), _("Notes")]]
    rows.extend(
        [line.date, line.what, line.where, line.notes] for line in explain.schedule_lines(schedule)
    )
    _table(rows, out)
    print(file=out)
    labs = sum(1 for e in schedule.events if e.kind is EventKind.LAB)
    print(
        _("Sessions: {sessions} · blood tests: {labs}").format(
            sessions=len(schedule.sessions), labs=labs
        ),
        file=out,
    )


def _run_schedule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    start = parse_date(args.start, "--start")
    until = parse_date(args.until, "--until") if args.until else None
    if until is not None and until < start:
        raise UsageError(
            _("--until {until} is before --start {start}").format(
                until=until.isoformat(), start=start.isoformat()
            )
        )
    catalog = _catalog(err)
    if args.regimen not in catalog:
        raise UsageError(
            _("unknown regimen '{id}'; 'python -m planner regimens' lists them").format(
                id=args.regimen
            )
        )
    regimen = catalog.regimen(args.regimen)
    schedule = plan(
        regimen,
        start,
        policy=Policy(args.policy),
        calendar=ClosureCalendar(ClosureSet(args.closures)),
        until=until,
    )
    advice = port_advice(regimen, catalog.port_rules)
    reasons = explain.port_reasons(advice)
    if args.format == "json":
        document = schedule_json(schedule, advice.level.value, reasons, args.explain)
        json.dump(document, out, ensure_ascii=False, indent=2)
        print(file=out)
    else:
        schedule_text(schedule, explain.port_level_name(advice.level), reasons, out)
    return EXIT_OK


def _run_regimens(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = _catalog(err)
    lang = language()
    items = []
    for entry in catalog.entries.values():
        regimen = entry.regimen
        advice = port_advice(regimen, catalog.port_rules)
        items.append(
            {
                "id": regimen.id,
                "name": regimen.name.get(lang),
                "names": {"fr": regimen.name.fr, "en": regimen.name.en},
                "classes": sorted(c.value for c in regimen.classes),
                "monotherapy": regimen.is_monotherapy,
                "dual_immunotherapy": regimen.is_dual_immunotherapy,
                "agents": [a.inn for a in regimen.agents],
                "phases": [
                    {
                        "name": phase.name.get(lang),
                        "cycle_days": phase.cycle_days,
                        "cycles": phase.cycles,
                    }
                    for phase in regimen.phases
                ],
                "caps": [
                    {"agent": cap.agent, "max": cap.max_administrations} for cap in regimen.caps
                ],
                "port": advice.level.value,
                "confidence": regimen.confidence.value if regimen.confidence else None,
                "origin": entry.origin.value,
                "file": str(entry.path),
            }
        )
    if args.format == "json":
        json.dump(items, out, ensure_ascii=False, indent=2)
        print(file=out)
        return EXIT_OK
    rows = [[_("Id"), _("Name"), _("Classes"), _("Port")]]
    for entry, item in zip(catalog.entries.values(), items, strict=True):
        name = str(item["name"])
        if entry.origin is Origin.USER:
            name += " " + (
                _("(yours, replaces the bundled one)") if entry.overrides else _("(yours)")
            )
        rows.append(
            [
                entry.regimen.id,
                name,
                explain.regimen_classes(entry.regimen),
                explain.port_level_name(port_advice(entry.regimen, catalog.port_rules).level),
            ]
        )
    _table(rows, out)
    return EXIT_OK


def _run_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = load_catalog(user=CatalogPaths.user())
    errors = check_files(list(args.files), catalog)
    failed = {error.path for error in errors}
    for error in errors:
        print(error, file=err)
    for path in args.files:
        if path not in failed:
            print(_("{file}: OK").format(file=path), file=out)
    return EXIT_FAILED if errors else EXIT_OK


def _language_argument(argv: Sequence[str]) -> str | None:
    for n, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
    return None


def run(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Run a command; returns the exit code. Every user error is one line on ``err``."""
    parser = _build_parser()
    try:
        # The help and error texts are built in the language asked for, before parsing.
        set_language(_language_argument(argv) or system_language())
        args = parser.parse_args(list(argv))
        set_language(args.lang or system_language())
        if args.command == "schedule":
            return _run_schedule(args, out, err)
        if args.command == "regimens":
            return _run_regimens(args, out, err)
        return _run_validate(args, out, err)
    except UsageError as exc:
        print(_("error: {message}").format(message=exc), file=err)
        return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    try:
        return run(argv, sys.stdout, sys.stderr)
    except BrokenPipeError:
        # The reader went away (| head): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: say so in one line, never a traceback
        if os.environ.get("PLANNER_DEBUG"):
            raise
        print(
            _(
                "internal error ({kind}: {error}); please report it, with PLANNER_DEBUG=1 "
                "for details"
            ).format(kind=type(exc).__name__, error=exc),
            file=sys.stderr,
        )
        return EXIT_FAILED
