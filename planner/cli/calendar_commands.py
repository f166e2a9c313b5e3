"""``calendars``: publish patients' calendars on the unit's CalDAV server, give their
subscription links, renew or stop them, and say what is waiting to reach the server."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from planner.calendars.publisher import (
    PASSWORD_VARIABLE,
    CalendarServerError,
    Connection,
    Refused,
    Report,
    ServerSettings,
    new_token,
    publish_due,
    unit_server,
)
from planner.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    Failed,
    UsageError,
    add_database_options,
    author,
    now,
    user_catalog,
)
from planner.cli.database import find_plan, open_store, unit_catalog
from planner.cli.progress import ProgressBar
from planner.export.subscription import webcal_url as webcal
from planner.history import moment_text
from planner.i18n import _, ngettext
from planner.store import Store
from planner.store.calendar_links import CalendarLink
from planner.store.passwords import KeyringUnavailable, remember_secret


def _server(store: Store) -> ServerSettings:
    server = unit_server(store)
    if server is None:
        raise UsageError(
            _(
                "the unit has no calendar server; set it with "
                "'calendars server --url https://… --user …'"
            )
        )
    return server


def _connect(server: ServerSettings) -> Connection:
    try:
        return Connection(server)
    except CalendarServerError as exc:
        raise Failed(str(exc)) from None


def _send(
    store: Store, args: argparse.Namespace, err: TextIO, patient_ids: set[str] | None = None
) -> Report:
    """Send what is waiting (of ``patient_ids`` at once, when given)."""
    catalog = unit_catalog(store, user_catalog(err, for_unit=True), err, who=author(args.author))
    with _connect(_server(store)) as connection, ProgressBar(err) as bar:
        try:
            return publish_due(
                store,
                connection,
                port_rules=catalog.port_rules,
                now=now,
                author=author(args.author),
                patient_ids=patient_ids,
                progress=bar.step(_("Publishing the calendars")),
            )
        except Refused as exc:
            raise Failed(str(exc)) from None
        except CalendarServerError as exc:  # removing a renewed link's collection
            raise Failed(str(exc)) from None


def _say_report(report: Report, out: TextIO) -> int:
    print(
        ngettext(
            "{n} calendar up to date on the server ({events} events sent).",
            "{n} calendars up to date on the server ({events} events sent).",
            len(report.sent),
        ).format(n=len(report.sent), events=report.events),
        file=out,
    )
    if report.removed:
        print(
            ngettext(
                "{n} old link removed from the server.",
                "{n} old links removed from the server.",
                report.removed,
            ).format(n=report.removed),
            file=out,
        )
    for patient_id, error in report.failed.items():
        print(
            _("Still waiting: patient {id}: {error}").format(id=patient_id[:8], error=error),
            file=out,
        )
    return EXIT_FAILED if report.failed else EXIT_OK


def _say_link(server: ServerSettings, link: CalendarLink, out: TextIO) -> None:
    url = server.subscription(link.token)
    print(url, file=out)
    print(webcal(url), file=out)


def _run_server(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_store(args) as store:
        if args.forget:
            store.calendars.save_server(None)
            print(_("The unit no longer has a calendar server."), file=out)
            return EXIT_OK
        saved = unit_server(store)
        if args.url is None and args.user is None and not args.password:
            if saved is None:
                print(_("The unit has no calendar server."), file=out)
            else:
                print(
                    _("Calendar server: {url} (user {user}; certificate {checked})").format(
                        url=saved.url,
                        user=saved.user,
                        checked=_("checked") if saved.verify_tls else _("NOT checked"),
                    ),
                    file=out,
                )
            return EXIT_OK
        url = args.url or (saved.url if saved else None)
        user = args.user or (saved.user if saved else None)
        if url is None or user is None:
            raise UsageError(_("--url and --user are both needed the first time"))
        try:
            server = ServerSettings(url, user, verify_tls=not args.no_verify_tls)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if args.password:
            secret = (
                sys.stdin.readline().rstrip("\n")
                if not sys.stdin.isatty()
                else getpass.getpass(_("Password of {user}: ").format(user=user))
            )
            try:
                remember_secret(server.key, secret)
            except KeyringUnavailable as exc:
                print(
                    _("warning: {error}; set {variable} for the command line instead").format(
                        error=exc, variable=PASSWORD_VARIABLE
                    ),
                    file=err,
                )
        store.calendars.save_server(server.to_json())
        print(_("Calendar server saved: {url}").format(url=server.url), file=out)
        return EXIT_OK


def _run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_store(args) as store:
        server = _server(store)
    with _connect(server) as connection:
        try:
            connection.check()
        except CalendarServerError as exc:
            raise Failed(str(exc)) from None
    print(
        _("The calendar server {url} answers and takes the account.").format(url=server.url),
        file=out,
    )
    return EXIT_OK


def _run_publish(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    who = author(args.author)
    with open_store(args) as store:
        server = _server(store)
        wanted: set[str] | None = None
        if args.plan:
            patient = find_plan(store, args.plan).patient
            wanted = {patient.id}
            if store.calendars.link(patient.id) is None:
                store.calendars.create(
                    patient.id, new_token(), detail=args.detail, author=who, at=now()
                )
        elif args.all:
            published = {link.patient_id for link in store.calendars.links()}
            for patient_id in dict.fromkeys(plan.patient.id for plan in store.plans()):
                if patient_id not in published:
                    store.calendars.create(
                        patient_id, new_token(), detail=args.detail, author=who, at=now()
                    )
            store.calendars.queue_all()
        elif args.again:  # after a restore of the server: every published calendar, whole
            store.calendars.queue_all()
        else:  # asked for by the coordinator: what waits is tried now, backoff or not
            wanted = {link.patient_id for link in store.calendars.links() if link.waiting}
        report = _send(store, args, err, wanted)
        code = _say_report(report, out)
        if args.plan and wanted:
            link = store.calendars.link(next(iter(wanted)))
            if link is not None:
                _say_link(server, link, out)
    return code


def _run_link(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_store(args) as store:
        server = _server(store)
        patient = find_plan(store, args.plan).patient
        link = store.calendars.link(patient.id)
        if link is None:
            raise Failed(
                _(
                    "this patient's calendar is not published; 'calendars publish --plan {plan}'"
                ).format(plan=args.plan)
            )
        _say_link(server, link, out)
    return EXIT_OK


def _run_revoke(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    who = author(args.author)
    with open_store(args) as store:
        server = _server(store)
        patient = find_plan(store, args.plan).patient
        if args.stop:
            store.calendars.stop(patient.id, author=who, at=now())
            print(_("The calendar is no longer published; its link no longer works."), file=out)
            report = _send(store, args, err, set())
        else:
            link = store.calendars.renew(patient.id, new_token(), author=who, at=now())
            report = _send(store, args, err, {patient.id})
            print(_("New link (the old one no longer works):"), file=out)
            _say_link(server, link, out)
    return _say_report(report, out)


def _status_text(link: CalendarLink) -> str:
    if link.failing_since is not None:
        return _("server unreachable since {moment}: {error}").format(
            moment=moment_text(link.failing_since), error=link.last_error
        )
    if link.waiting:
        return ngettext("{n} change waiting", "{n} changes waiting", link.waiting).format(
            n=link.waiting
        )
    return _("up to date")


def _run_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_store(args) as store:
        server = unit_server(store)
        links = store.calendars.links()
        names = {p.id: p.name for p in store.patients()}
    print(_("Calendar server: {url}").format(url=server.url if server else _("none")), file=out)
    waiting = sum(link.waiting for link in links)
    failing = [link for link in links if link.failing_since is not None]
    print(
        ngettext(
            "{n} patient's calendar published; {waiting} changes waiting.",
            "{n} patients' calendars published; {waiting} changes waiting.",
            len(links),
        ).format(n=len(links), waiting=waiting),
        file=out,
    )
    if failing:
        since = min(link.failing_since for link in failing if link.failing_since is not None)
        print(_("Server unreachable since {moment}.").format(moment=moment_text(since)), file=out)
    for link in links:
        print(f"{names.get(link.patient_id, link.patient_id)}: {_status_text(link)}", file=out)
    return EXIT_OK


def register(commands: Any) -> None:
    calendars = commands.add_parser(
        "calendars",
        help=_("patients' calendars on the unit's CalDAV server, kept up to date"),
    ).add_subparsers(dest="action", required=True)

    server = calendars.add_parser("server", help=_("show or set the unit's calendar server"))
    server.add_argument("--url", metavar="URL", help=_("the folder of the calendars (https://…/)"))
    server.add_argument("--user", metavar="USER", help=_("the planner's account on the server"))
    server.add_argument(
        "--password",
        action="store_true",
        help=_("ask for the account's password and keep it in the keyring"),
    )
    server.add_argument(
        "--no-verify-tls",
        action="store_true",
        help=_("do not check the server's certificate (a test server only)"),
    )
    server.add_argument("--forget", action="store_true", help=_("remove the calendar server"))
    add_database_options(server)
    server.set_defaults(handler=_run_server)

    check = calendars.add_parser("check", help=_("test the connection to the calendar server"))
    add_database_options(check)
    check.set_defaults(handler=_run_check)

    publish = calendars.add_parser(
        "publish",
        help=_("send what is waiting; publish a plan's patient, or every patient, first"),
    )
    which = publish.add_mutually_exclusive_group()
    which.add_argument("--plan", metavar="PLAN", help=_("publish this plan's patient"))
    which.add_argument("--all", action="store_true", help=_("publish every patient with a plan"))
    which.add_argument(
        "--again",
        action="store_true",
        help=_("send every published calendar whole again (after a restore of the server)"),
    )
    publish.add_argument(
        "--detail",
        choices=("minimal", "full"),
        default="minimal",
        help=_("what a new calendar's events say: minimal (no drug names) or full"),
    )
    add_database_options(publish)
    publish.set_defaults(handler=_run_publish)

    link = calendars.add_parser("link", help=_("the subscription link of a plan's patient"))
    link.add_argument("plan", metavar="PLAN")
    add_database_options(link)
    link.set_defaults(handler=_run_link)

    revoke = calendars.add_parser(
        "revoke", help=_("give a plan's patient a new link (the old one stops working)")
    )
    revoke.add_argument("plan", metavar="PLAN")
    revoke.add_argument(
        "--stop", action="store_true", help=_("stop publishing instead: the calendar is removed")
    )
    add_database_options(revoke)
    revoke.set_defaults(handler=_run_revoke)

    status = calendars.add_parser("status", help=_("what is waiting to reach the server"))
    add_database_options(status)
    status.set_defaults(handler=_run_status)
