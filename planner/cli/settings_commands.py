"""``unit settings``: the unit's name, address and telephone number, printed on every
patient's calendar and handout (which are refused while the telephone is missing)."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any, TextIO

from planner.cli.common import EXIT_OK, UsageError, add_database_options, typed
from planner.cli.database import open_store
from planner.core.settings import UnitSettings
from planner.core.text_fields import Field
from planner.explain import phone_problem
from planner.i18n import _


def _run_settings(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.phone is not None:
        problem = phone_problem(args.phone)
        if problem:
            raise UsageError(_("--phone: {problem}").format(problem=problem))
    with open_store(args) as store:
        before = store.settings()
        settings = dataclasses.replace(
            before,
            name=before.name if args.name is None else args.name,
            address=before.address if args.address is None else args.address,
            phone=before.phone if args.phone is None else args.phone,
        )
        if settings != before:
            store.save_settings(settings)
    _show(settings, out)
    return EXIT_OK


def _show(settings: UnitSettings, out: TextIO) -> None:
    missing = _("(not set)")
    for label, value in (
        (_("Unit name:"), settings.name),
        (_("Address:"), settings.address.replace("\n", ", ")),
        (_("Telephone:"), settings.phone),
    ):
        print(f"{label} {value or missing}", file=out)


def register(unit: Any) -> None:
    """``unit settings``, under the ``unit`` command's subcommands."""
    settings = unit.add_parser(
        "settings",
        help=_("show or set the unit's name, address and telephone (on patients' documents)"),
    )
    settings.add_argument("--name", type=typed(Field.UNIT_NAME), help=_("the unit's name"))
    settings.add_argument(
        "--address",
        type=typed(Field.UNIT_ADDRESS),
        help=_("the unit's postal address (a line break between lines)"),
    )
    settings.add_argument(
        "--phone",
        metavar="NUMBER",
        type=typed(Field.UNIT_PHONE),
        help=_("the number patients call: French (01 23 45 67 89) or international (+33 ...)"),
    )
    add_database_options(settings)
    settings.set_defaults(handler=_run_settings)
