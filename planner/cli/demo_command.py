"""``demo``: a realistic day hospital in a new database."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from planner.cli.common import (
    EXIT_OK,
    Failed,
    UsageError,
    add_database_options,
    now,
    today,
    user_catalog,
)
from planner.cli.database import open_store
from planner.cli.progress import ProgressBar
from planner.day_hospital.demo import MAX_DEMO_PATIENTS, save_demo
from planner.day_hospital.port_rules import with_unit_rules
from planner.i18n import _, ngettext


def _step_labels() -> dict[str, str]:
    """What the progress bar says during each of :data:`planner.day_hospital.demo.STEPS`."""
    return {
        "build": _("Building the patients"),
        "save": _("Saving the plans"),
        "schedule": _("Computing the calendars"),
        "book": _("Booking the sessions"),
    }


def _run_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not 1 <= args.patients <= MAX_DEMO_PATIENTS:
        raise UsageError(_("--patients: between 1 and {most}").format(most=MAX_DEMO_PATIENTS))
    catalog_ = user_catalog(err, for_unit=True)
    day = today(args.today)
    with open_store(args) as store:
        if store.patients():
            raise Failed(
                _("{url} already holds patients: the demo goes into an empty database").format(
                    url=store.location.display
                )
            )
        # The demo unit's own port rules (the shipped ones): never this computer's file.
        catalog_ = with_unit_rules(catalog_, store)
        labels = _step_labels()
        with ProgressBar(err) as bar:
            unit, booked = save_demo(
                store,
                catalog_,
                args.patients,
                day,
                at=now(),
                seed=args.seed,
                progress=lambda step, done, total: bar.show(labels[step], done, total),
            )
        where = store.location.display
    changes_count = sum(len(p.ledger) for p in unit.plans)
    print(
        _(
            "Demo unit created in {db}: {patients} patients, {changes} recorded changes, "
            "{booked} sessions booked in {chairs} chairs."
        ).format(
            db=where,
            patients=len(unit.plans),
            changes=changes_count,
            booked=booked.added,
            chairs=len(unit.resources.chairs),
        ),
        file=out,
    )
    if booked.unplaced:
        # From some 2,000 patients the busiest days can be full: a few sessions wait for the
        # pharmacy; past 10,000 the demo unit has all the chairs a unit may have.
        print(
            ngettext(
                "{n} session found no place on its day.",
                "{n} sessions found no place on their day.",
                len(booked.unplaced),
            ).format(n=len(booked.unplaced)),
            file=out,
        )
    return EXIT_OK


def register(commands: Any) -> None:
    demo = commands.add_parser("demo", help=_("create a demo day hospital in a new database"))
    demo.add_argument("--patients", type=int, default=200)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    add_database_options(demo)
    demo.set_defaults(handler=_run_demo)
