"""``patients``: add, list, correct, and record whether a port is in place."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from planner.cli.common import EXIT_OK, LANGUAGES, author, now, table, typed
from planner.cli.database import add_database_options, find_patient, open_store
from planner.core.plan import Plan
from planner.core.text_fields import Field
from planner.i18n import _, language


def _run_patients_add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
    with open_store(args) as store:
        patients = store.patients()
        plans = store.plans()
    current: dict[str, Plan] = {}
    for plan in plans:  # oldest first: the latest plan wins
        current[plan.patient.id] = plan
    if args.format == "json":
        json.dump(
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
                    "plan": current[p.id].id if p.id in current else None,
                    "regimen": current[p.id].regimen.id if p.id in current else None,
                }
                for p in patients
            ],
            out,
            ensure_ascii=False,
            indent=2,
        )
        print(file=out)
        return EXIT_OK
    rows = [[_("Hospital number"), _("Name"), _("Regimen"), _("Plan")]]
    lang = language()
    for patient in patients:
        latest = current.get(patient.id)
        rows.append(
            [
                patient.hospital_number,
                patient.name,
                latest.regimen.name.get(lang) if latest else "—",
                latest.id[:8] if latest else "—",
            ]
        )
    table(rows, out)
    return EXIT_OK


def _run_patients_port(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
