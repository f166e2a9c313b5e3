"""``unit resources``: the unit's chairs and beds, opening hours, nurses and fixed times, the
afternoon's nurses, the pharmacy, the start after a same-day blood test and the day
optimiser's moves and weights, as the booking of sessions uses them (the window's Settings ›
Chairs and hours, and Day planning).

Every value is checked where the window checks it, in :class:`UnitResources` (its bounds:
500 chairs and beds, 200 nurses, 20 starts per nurse and slot, 500 preparations per slot,
moves of 240 minutes, weights of 1000), and every name by the one check of typed texts;
nothing is saved unless the whole is a unit.
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
from planner.core.chairs import Chair, ResourcesError, UnitResources, Weights
from planner.core.text_fields import Field
from planner.i18n import _, language, ngettext

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
JOURS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
"""The same days as French writes them: either is understood, each shown in its language."""
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
WEIGHTS = tuple(f.name for f in dataclasses.fields(Weights))
"""The day optimiser's weights, as ``--weight`` names them."""
SAME = "same"
"""``--afternoon-nurses same``: the afternoon has the morning's nurses."""
NONE = "none"
"""``--pharmacy none``: not limited; ``--lab-result-start none``: from opening."""


def _count(text: str) -> int:
    """A whole number from 0 to 100,000 (the unit's bounds then say what a unit may have)."""
    if not re.fullmatch(r"\d{1,6}", text.strip()):
        raise argparse.ArgumentTypeError(_("'{text}' is not a whole number").format(text=text))
    return int(text)


def _weekday(day: str) -> int | None:
    """Monday = 0 for "mon" or "lun"...; None for anything else."""
    if day in JOURS:
        return JOURS.index(day)
    if day in DAYS:
        return DAYS.index(day)
    return None


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


def _afternoon_nurses(text: str) -> int | None:
    """A number of nurses, or "same" (None: the morning's)."""
    if text.strip().lower() == SAME:
        return None
    if not re.fullmatch(r"\d{1,6}", text.strip()):
        raise argparse.ArgumentTypeError(
            _("'{text}': give a number of nurses, or same").format(text=text)
        )
    return int(text)


def _preparations(text: str) -> int | None:
    """Preparations per slot, or "none" (None: not limited)."""
    if text.strip().lower() == NONE:
        return None
    if not re.fullmatch(r"\d{1,6}", text.strip()):
        raise ValueError(text)
    return int(text)


def _pharmacy(text: str) -> int | None:
    try:
        return _preparations(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}': give the preparations per slot, or none").format(text=text)
        ) from None


def _pharmacy_day(text: str) -> tuple[int, int | None]:
    """ "mon=12" or "sat=none"."""
    day, sep, value = text.strip().lower().partition("=")
    weekday = _weekday(day)
    try:
        if weekday is None or not sep:
            raise ValueError(day)
        return weekday, _preparations(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}': give a day (mon, tue, wed, thu, fri, sat, sun), then = and the "
              "preparations per slot or none, such as mon=12 or sat=none").format(text=text)
        ) from None  # fmt: skip


def _lab_result_start(text: str) -> time | None:
    """ "10:30", or "none" (such sessions start from opening)."""
    if text.strip().lower() == NONE:
        return None
    match = _TIME.match(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        return time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}': the time is written 10:30, or none").format(text=text)
        ) from None


def _weight(text: str) -> tuple[str, int]:
    """ "peak=20"."""
    name, sep, value = text.strip().lower().partition("=")
    if name not in WEIGHTS or not sep or not re.fullmatch(r"\d{1,6}", value.strip()):
        raise argparse.ArgumentTypeError(
            _("'{text}': give a weight (preference, keep, peak, spread, end), then = and a "
              "whole number, such as peak=20").format(text=text)
        )  # fmt: skip
    return name, int(value)


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
                "max_move_minutes",
            )
            if getattr(args, name) is not None
        }
        # None is a value of these (same nurses, not limited, from opening): an option not
        # given is not in ``args`` at all.
        for name in ("afternoon_nurses", "lab_result_start"):
            if hasattr(args, name):
                changes[name] = getattr(args, name)
        if hasattr(args, "pharmacy") or args.pharmacy_day:
            pharmacy = [args.pharmacy] * 7 if hasattr(args, "pharmacy") else list(before.pharmacy)
            for day, preparations in args.pharmacy_day or ():
                pharmacy[day] = preparations
            changes["pharmacy"] = tuple(pharmacy)
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
            if args.weight:
                changes["weights"] = dataclasses.replace(before.weights, **dict(args.weight))
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
    afternoon = f"{resources.afternoon:%H:%M}"
    if resources.afternoon_nurses is None:
        said = _("Afternoon from {time}: the morning's nurses").format(time=afternoon)
    else:
        said = ngettext(
            "Afternoon from {time}: {nurses} nurse",
            "Afternoon from {time}: {nurses} nurses",
            resources.afternoon_nurses,
        ).format(time=afternoon, nurses=resources.afternoon_nurses)
    print(said, file=out)
    if len(set(resources.pharmacy)) == 1:  # every day alike: one line
        print(_("Pharmacy, preparations per slot: {count}").format(
            count=_preparations_text(resources.pharmacy[0])), file=out)  # fmt: skip
    else:
        print(_("Pharmacy, preparations per slot:"), file=out)
        for name, preparations in zip(days, resources.pharmacy, strict=True):
            print("  " + explain.labelled(name, _preparations_text(preparations)), file=out)
    start = resources.lab_result_start
    print(
        _("Start after a same-day blood test: {time}").format(time=f"{start:%H:%M}")
        if start is not None
        else _("Start after a same-day blood test: from opening"),
        file=out,
    )
    print(
        ngettext(
            "The optimiser moves a booking given to a patient by at most {minutes} minute",
            "The optimiser moves a booking given to a patient by at most {minutes} minutes",
            resources.max_move_minutes,
        ).format(minutes=resources.max_move_minutes),
        file=out,
    )
    weights = ", ".join(f"{name}={getattr(resources.weights, name)}" for name in WEIGHTS)
    print(_("The optimiser's weights: {weights}").format(weights=weights), file=out)


def _preparations_text(preparations: int | None) -> str:
    return _("not limited") if preparations is None else str(preparations)


def register(unit: Any) -> None:
    """``unit resources``, under the ``unit`` command's subcommands."""
    parser = unit.add_parser(
        "resources",
        help=_(
            "show or set the unit's chairs and beds, hours, nurses, fixed times, pharmacy and "
            "the day optimiser's settings"
        ),
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
    parser.add_argument(
        "--afternoon-nurses",
        type=_afternoon_nurses,
        default=argparse.SUPPRESS,
        metavar="N|same",
        help=_("nurses starting infusions in the afternoon, or same (as in the morning)"),
    )
    parser.add_argument(
        "--pharmacy",
        type=_pharmacy,
        default=argparse.SUPPRESS,
        metavar="N|none",
        help=_("preparations the pharmacy delivers per slot, every day, or none (not limited)"),
    )
    parser.add_argument(
        "--pharmacy-day",
        action="append",
        type=_pharmacy_day,
        metavar="DAY=N|none",
        help=_("a day's preparations per slot (mon=12), or none (sat=none); after --pharmacy"),
    )
    parser.add_argument(
        "--lab-result-start",
        type=_lab_result_start,
        default=argparse.SUPPRESS,
        metavar="HH:MM|none",
        help=_(
            "the earliest start of a session whose blood test is taken the same day, or none "
            "(from opening)"
        ),
    )
    parser.add_argument(
        "--max-move",
        dest="max_move_minutes",
        type=_count,
        metavar="MINUTES",
        help=_("how far the day optimiser may move a booking already given to a patient"),
    )
    parser.add_argument(
        "--weight",
        action="append",
        type=_weight,
        metavar="NAME=N",
        help=_(
            "a weight of the day optimiser (preference, keep, peak, spread, end), from 0 to "
            "1000 (repeat for several)"
        ),
    )
    add_database_options(parser)
    parser.set_defaults(handler=_run_resources)
