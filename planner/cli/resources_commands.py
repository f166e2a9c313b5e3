"""``unit resources``: the unit's chairs and beds, opening hours, nurses and fixed times, as
the booking of sessions uses them (the window's Settings › Chairs and hours).

Every value is checked where the window checks it, in :class:`UnitResources` (its bounds:
500 chairs and beds, 200 nurses, 20 starts per nurse and slot), and every name by the one
check of typed texts; nothing is saved unless the whole is a unit.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
from datetime import time
from typing import Any, TextIO

from planner import explain
from planner.cli.common import EXIT_OK, Failed, add_database_options, typed
from planner.cli.database import open_store
from planner.core.chairs import Chair, ResourcesError, UnitResources
from planner.core.text_fields import Field
from planner.i18n import _, language

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
JOURS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
"""The same days as French writes them: either is understood, each shown in its language."""
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _count(text: str) -> int:
    """A whole number from 0 to 100,000 (the unit's bounds then say what a unit may have)."""
    if not re.fullmatch(r"\d{1,6}", text.strip()):
        raise argparse.ArgumentTypeError(_("'{text}' is not a whole number").format(text=text))
    return int(text)


def _day_hours(text: str) -> tuple[int, tuple[time, time] | None]:
    """ "mon=08:00-18:00" or "sat=closed"."""
    day, _sep, hours = text.strip().lower().partition("=")
    if day in JOURS:
        day = DAYS[JOURS.index(day)]
    if day not in DAYS:
        raise argparse.ArgumentTypeError(
            _("'{text}': give a day (mon, tue, wed, thu, fri, sat, sun), then = and the hours, "
              "such as mon=08:00-18:00 or sat=closed").format(text=text)
        )  # fmt: skip
    match = _HOURS.match(hours)
    try:
        if match is None and hours in ("closed", "fermé", "ferme"):
            return DAYS.index(day), None
        if match is None:
            raise ValueError(hours)
        h1, m1, h2, m2 = (int(n) for n in match.groups())
        return DAYS.index(day), (time(h1, m1), time(h2, m2))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}': the hours are written 08:00-18:00, or closed").format(text=text)
        ) from None


def _run_resources(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_store(args) as store:
        before = store.resources()
        changes: dict[str, Any] = {
            name: getattr(args, name)
            for name in (
                "nurses",
                "starts_per_nurse",
                "slot_minutes",
                "installation_minutes",
                "pump_minutes",
                "bolus_minutes",
            )
            if getattr(args, name) is not None
        }
        if args.add_chair or args.add_bed or args.remove:
            chairs = list(before.chairs)
            for name in args.remove or ():
                found = [c for c in chairs if c.name.casefold() == name.casefold()]
                if not found:
                    raise Failed(
                        _("--remove: the unit has no chair or bed named {name}").format(name=name)
                    )
                chairs.remove(found[0])
            chairs += [Chair(name) for name in args.add_chair or ()]
            chairs += [Chair(name, bed=True) for name in args.add_bed or ()]
            changes["chairs"] = tuple(chairs)
        if args.hours:
            hours = list(before.hours)
            for day, span in args.hours:
                hours[day] = span
            changes["hours"] = tuple(hours)
        try:
            resources = dataclasses.replace(before, **changes)
        except ResourcesError as error:
            said = explain.resources_problem_text(error)  # a sentence in the window
            raise Failed(said[:1].lower() + said[1:].rstrip(".")) from None
        if resources != before:
            store.save_resources(resources)
    _show(resources, out)
    return EXIT_OK


def _show(resources: UnitResources, out: TextIO) -> None:
    chairs = ", ".join(
        _("{name} (bed)").format(name=c.name) if c.bed else c.name for c in resources.chairs
    )
    print(
        _("Chairs and beds ({n}): {names}").format(n=len(resources.chairs), names=chairs), file=out
    )
    days = JOURS if language() == "fr" else DAYS
    for name, hours in zip(days, resources.hours, strict=True):
        span = f"{hours[0]:%H:%M}-{hours[1]:%H:%M}" if hours is not None else _("closed")
        print("  " + explain.labelled(name, span), file=out)
    print(
        _(
            "Nurses: {nurses}, each starting up to {starts} infusions per slot of {slot} minutes"
        ).format(
            nurses=resources.nurses,
            starts=resources.starts_per_nurse,
            slot=resources.slot_minutes,
        ),
        file=out,
    )
    print(
        _(
            "Fixed times: installation {installation} min, pump {pump} min, bolus {bolus} min"
        ).format(
            installation=resources.installation_minutes,
            pump=resources.pump_minutes,
            bolus=resources.bolus_minutes,
        ),
        file=out,
    )


def register(unit: Any) -> None:
    """``unit resources``, under the ``unit`` command's subcommands."""
    parser = unit.add_parser(
        "resources",
        help=_("show or set the unit's chairs and beds, hours, nurses and fixed times"),
    )
    parser.add_argument(
        "--add-chair",
        action="append",
        type=typed(Field.CHAIR_NAME),
        metavar="NAME",
        help=_("add a chair of this name (repeat for several)"),
    )
    parser.add_argument(
        "--add-bed",
        action="append",
        type=typed(Field.CHAIR_NAME),
        metavar="NAME",
        help=_("add a bed of this name (repeat for several)"),
    )
    parser.add_argument(
        "--remove",
        action="append",
        type=typed(Field.CHAIR_NAME),
        metavar="NAME",
        help=_(
            "remove the chair or bed of this name (its bookings are then booked again by "
            "'unit book')"
        ),
    )
    parser.add_argument(
        "--hours",
        action="append",
        type=_day_hours,
        metavar="DAY=HH:MM-HH:MM",
        help=_("a day's opening hours (mon=08:00-18:00), or closed (sat=closed)"),
    )
    for option, words in (
        ("--nurses", _("nurses starting infusions")),
        ("--starts-per-nurse", _("infusions one nurse can start in one slot")),
        ("--slot-minutes", _("the booking grid's slot (5, 10, 15, 20, 30 or 60 minutes)")),
        ("--installation-minutes", _("welcome, vital signs and line, before the first drug")),
        ("--pump-minutes", _("connecting an ambulatory pump at the end")),
        ("--bolus-minutes", _("a drug without an infusion time (push, short bolus)")),
    ):
        parser.add_argument(option, type=_count, metavar="N", help=words)
    add_database_options(parser)
    parser.set_defaults(handler=_run_resources)
