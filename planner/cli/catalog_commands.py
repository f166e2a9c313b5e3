"""``regimens``, ``schedule`` and ``validate``: the catalogue and plain schedules."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from planner import explain
from planner.catalog import CatalogPaths, Origin, check_files, load_catalog
from planner.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_lang,
    regimen_and_dates,
    table,
    user_catalog,
)
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.engine import plan
from planner.core.port import port_advice
from planner.core.schedule import EventKind, Policy, Schedule
from planner.export.regimen_table import markdown
from planner.i18n import _, format_date, language


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
        notes = explain.session_notes(session, schedule.regimen)
        if why and notes:
            item["why"] = explain.listed(notes)
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
            start=format_date(schedule.start, "long"),
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
    table(rows, out)
    print(file=out)
    labs = sum(1 for e in schedule.events if e.kind is EventKind.LAB)
    print(
        _("Sessions: {sessions} · blood tests: {labs}").format(
            sessions=len(schedule.sessions), labs=labs
        ),
        file=out,
    )


def _run_schedule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog, regimen, start, until = regimen_and_dates(args, err)
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
    catalog = user_catalog(err)
    if args.format == "markdown":
        out.write(markdown(catalog))
        return EXIT_OK
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
    table(rows, out)
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


def register(commands: Any) -> None:
    regimens = commands.add_parser("regimens", help=_("list the regimen catalogue"))
    regimens.add_argument(
        "--format",
        choices=("json", "text", "markdown"),
        default="text",
        help=_("markdown: the table of docs/regimens.md, with schedules, ports and chair times"),
    )
    add_lang(regimens)
    regimens.set_defaults(handler=_run_regimens)

    schedule = commands.add_parser("schedule", help=_("plan the sessions of a regimen"))
    schedule.add_argument("--regimen", required=True, metavar="ID")
    schedule.add_argument("--start", required=True, metavar="YYYY-MM-DD")
    schedule.add_argument("--policy", choices=[p.value for p in Policy], default=Policy.GRID)
    schedule.add_argument(
        "--closures", choices=[c.value for c in ClosureSet], default=ClosureSet.FR
    )
    schedule.add_argument("--until", metavar="YYYY-MM-DD")
    schedule.add_argument("--format", choices=("json", "text"), default="text")
    add_lang(schedule)
    schedule.add_argument(
        "--explain",
        action="store_true",
        help=_("JSON: add a 'why' text to each session that moved or has a warning"),
    )
    schedule.set_defaults(handler=_run_schedule)

    validate = commands.add_parser("validate", help=_("check regimen files"))
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add_lang(validate)
    validate.set_defaults(handler=_run_validate)
