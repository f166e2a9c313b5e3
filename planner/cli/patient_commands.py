"""``patients``: add, list, correct, and record whether a port is in place."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any, TextIO

from planner.cli.common import (
    EXIT_OK,
    LANGUAGES,
    add_database_options,
    author,
    now,
    table,
    today,
    typed,
    user_catalog,
)
from planner.core.summary import PatientSummary
from planner.core.text_fields import Field
from planner.i18n import _, format_date, language
from planner.store.quick import quick_lines, sqlite_file


def _run_patients_add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from planner.cli.database import open_store

    with open_store(args) as store:
        patient = store.add_patient(
            args.family_name,
            args.given_names,
            args.hospital_number,
            author=author(args.author),
            at=now(),
            language=args.language,
            contact=args.contact,
            port_in_place=args.port_in_place,
        )
    print(_("Patient {name} added ({id}).").format(name=patient.name, id=patient.id), file=out)
    return EXIT_OK


def _run_patients_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The window's list: read from the facts kept with the plans, those found stale (after
    an upgrade, a change of the unit's closures or port rules) computed again first."""
    day = today(args.today)
    lang = language()
    # A SQLite file whose facts are all up to date is read as the window reads it at start,
    # without the database layer (planner.store.quick): a large unit's list in a second.
    path = sqlite_file(args.db)
    lines = quick_lines(path) if path is not None else None
    if lines is not None:
        summaries, regimen_ids = lines.summaries(day, lang), lines.regimen_ids
    else:
        summaries, regimen_ids = _read_list(args, err, day, lang)
    if args.format == "json":
        # One string written once: json.dump writes each of its million pieces.
        text = json.dumps(
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "family_name": p.family_name,
                    "given_names": p.given_names,
                    "hospital_number": p.hospital_number,
                    "language": p.language,
                    "contact": p.contact,
                    "port_in_place": p.port_in_place,
                    "plan": s.plan_id,
                    "regimen": regimen_ids[s.plan_id] if s.plan_id else None,
                    "next_session": s.next_session.isoformat() if s.next_session else None,
                    "warnings": s.warnings,
                }
                for s in summaries
                for p in (s.patient,)
            ],
            ensure_ascii=False,
            indent=2,
        )
        print(text, file=out)
        return EXIT_OK
    rows = [
        [_("Hospital number"), _("Name"), _("Regimen"), _("Next session"), _("Warnings"), _("Plan")]
    ]
    for s in summaries:
        rows.append(
            [
                s.patient.hospital_number,
                s.patient.name,
                s.regimen if s.plan_id else "—",
                format_date(s.next_session) if s.next_session else "—",
                str(s.warnings) if s.warnings else "",
                s.plan_id[:8] if s.plan_id else "—",
            ]
        )
    table(rows, out)
    return EXIT_OK


def _read_list(
    args: argparse.Namespace, err: TextIO, day: date, lang: str
) -> tuple[list[PatientSummary], dict[str, str]]:
    """The list read through the store, stale facts computed again (a bar tells how far),
    and each plan's regimen id."""
    from planner.cli.database import open_store
    from planner.cli.progress import ProgressBar
    from planner.day_hospital.patient_list import unit_patients
    from planner.day_hospital.port_rules import with_unit_rules

    catalog = user_catalog(err, for_unit=True)
    with open_store(args) as store, ProgressBar(err) as bar:
        # Read only: this computer's port_rules.toml is the unit's to import, by a command
        # that changes the unit (or the window), not by a listing.
        rules = with_unit_rules(catalog, store).port_rules
        listed = unit_patients(
            store,
            rules,
            day,
            lang,
            shipped=catalog.shipped_port_rules,
            progress=bar.step(_("Updating the patient list")),
        )
    return listed.summaries, listed.regimen_ids


def _run_patients_port(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from planner.cli.database import find_patient, open_store

    in_place = args.in_place == "yes"
    with open_store(args) as store:
        patient = find_patient(store, args.patient)
        if patient.port_in_place == in_place:
            print(_("Nothing to change."), file=out)
            return EXIT_OK
        store.update_patient(
            patient, author=author(args.author), at=now(), note=args.note, port_in_place=in_place
        )
    message = (
        _("Port in place recorded for {name}.")
        if in_place
        else _("Port no longer in place for {name}.")
    )
    print(message.format(name=patient.name), file=out)
    return EXIT_OK


def _run_patients_edit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from planner.cli.database import find_patient, open_store

    asked = {
        "family_name": args.family_name,
        "given_names": args.given_names,
        "hospital_number": args.hospital_number,
        "language": args.language,
        "contact": args.contact,
    }
    with open_store(args) as store:
        patient = find_patient(store, args.patient)
        changes = {k: v for k, v in asked.items() if v is not None and getattr(patient, k) != v}
        if not changes:
            print(_("Nothing to change."), file=out)
            return EXIT_OK
        updated = store.update_patient(
            patient, author=author(args.author), at=now(), note=args.note, **changes
        )
    print(_("Details of {name} saved.").format(name=updated.name), file=out)
    return EXIT_OK


def register(commands: Any) -> None:
    patients = commands.add_parser("patients", help=_("patients in the database")).add_subparsers(
        dest="action", required=True
    )
    add = patients.add_parser("add", help=_("add a patient"))
    add.add_argument(
        "--family-name",
        required=True,
        type=typed(Field.FAMILY_NAME),
        help=_("the family name (nom)"),
    )
    add.add_argument(
        "--given-names",
        default="",
        type=typed(Field.GIVEN_NAMES),
        help=_("the given names (prénoms)"),
    )
    add.add_argument("--hospital-number", required=True, type=typed(Field.HOSPITAL_NUMBER))
    add.add_argument(
        "--language",
        choices=LANGUAGES,
        default="fr",
        help=_("the patient's language for calendars and handouts"),
    )
    add.add_argument(
        "--contact",
        default="",
        type=typed(Field.CONTACT),
        help=_("telephone or e-mail for reminders"),
    )
    add.add_argument("--port-in-place", action="store_true")
    add_database_options(add)
    add.set_defaults(handler=_run_patients_add)
    listing = patients.add_parser("list", help=_("list the patients"))
    listing.add_argument("--format", choices=("json", "text"), default="text")
    listing.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    add_database_options(listing)
    listing.set_defaults(handler=_run_patients_list)
    port = patients.add_parser("port", help=_("record whether the patient has a port in place"))
    port.add_argument("patient", metavar="PATIENT", help=_("hospital number or id"))
    port.add_argument("--in-place", choices=("yes", "no"), default="yes")
    port.add_argument("--note", default="", type=typed(Field.NOTE))
    add_database_options(port)
    port.set_defaults(handler=_run_patients_port)
    edit = patients.add_parser(
        "edit", help=_("correct a patient's names, hospital number, language or contact")
    )
    edit.add_argument("patient", metavar="PATIENT", help=_("hospital number or id"))
    edit.add_argument("--family-name", type=typed(Field.FAMILY_NAME))
    edit.add_argument("--given-names", type=typed(Field.GIVEN_NAMES))
    edit.add_argument("--hospital-number", type=typed(Field.HOSPITAL_NUMBER))
    edit.add_argument("--language", choices=LANGUAGES)
    edit.add_argument("--contact", type=typed(Field.CONTACT))
    edit.add_argument("--note", default="", type=typed(Field.NOTE))
    add_database_options(edit)
    edit.set_defaults(handler=_run_patients_edit)
