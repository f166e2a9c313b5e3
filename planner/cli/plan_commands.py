"""``plans``: create, show and change treatment plans kept in a database (--db)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from planner import explain, explain_plan, history
from planner.catalog import Catalog
from planner.cli.common import (
    EXIT_OK,
    Failed,
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
from planner.cli.database import (
    find_patient,
    find_plan,
    open_store,
    unit_catalog,
)
from planner.core import changes, session_keys
from planner.core.changes import ChangeRefused, Refusal
from planner.core.closures import ClosureSet
from planner.core.plan import (
    Change,
    ConfirmPort,
    Give,
    Plan,
    PlanOptions,
    Stop,
    SuspectProgression,
    reverted,
)
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.schedule import DelayReason, Policy, SessionKey
from planner.core.session_keys import SessionKeyError
from planner.core.text_fields import Field
from planner.i18n import _, format_date, language

STABLE_OPTION = "--clinically-stable-confirmed-by"
"""The clinician's acknowledgement that a patient with a suspected progression is clinically
stable, without which immunotherapy does not go on (iRECIST)."""


def parse_session(text: str) -> SessionKey:
    """--session, through the one parser every part shares (planner.core.session_keys)."""
    try:
        return session_keys.parse_key(text)
    except SessionKeyError as error:
        raise UsageError(explain_plan.key_error_text(error, "--session")) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number").format(text=text)
        ) from None
    if not 0 <= value <= 365:
        raise argparse.ArgumentTypeError(_("'{text}' is out of range").format(text=text))
    return value


# ------------------------------------------------------------------ output


def _plan_json(plan: Plan, scheduled: PlanSchedule) -> dict[str, Any]:
    undone = reverted(plan.ledger)
    return {
        "plan": plan.id,
        "patient": {
            "id": plan.patient.id,
            "name": plan.patient.name,
            "hospital_number": plan.patient.hospital_number,
            "port_in_place": plan.patient.port_in_place,
        },
        "regimen": plan.regimen.id,
        "start": plan.start.isoformat(),
        "policy": plan.policy.value,
        "closures": plan.calendar.closure_set.value,
        "status": "stopped" if scheduled.stopped else "active",
        "sessions": [
            {
                "date": s.date.isoformat(),
                "planned": s.planned.isoformat(),
                "phase": s.phase,
                "cycle": s.cycle,
                "day": s.day,
                "agents": list(s.agents),
                "omitted": sorted({d.inn for d in s.omitted}),
                "status": s.status.value,
                "warnings": [w.value for w in s.warnings],
                "why": explain.listed(explain.session_notes(s, scheduled.plan.regimen)),
            }
            for s in scheduled.sessions
        ],
        "events": [
            {
                "kind": e.kind.value,
                "date": e.date.isoformat(),
                "until": e.until.isoformat() if e.until else None,
                "session": e.session,
                "code": e.code,
                "what": explain.event_text(e),
            }
            for e in scheduled.events
        ],
        "port": {
            "level": scheduled.port.level.value,
            "reasons": explain.port_reasons(scheduled.port),
            "placement": scheduled.port_task,
        },
        "notices": [explain_plan.notice_text(n) for n in scheduled.notices],
        "skipped_scans": [
            {
                "date": s.day.isoformat(),
                "session": s.session,
                "progression": s.progression.isoformat(),
                "why": explain.skipped_scans_text([s]),
            }
            for s in scheduled.skipped_scans
        ],
        "ledger": [
            {
                "seq": e.seq,
                "change": explain_plan.change_text(e.change, plan),
                "author": e.author,
                "at": e.at.isoformat(),
                "note": e.note,
                "undone": e.seq in undone,
            }
            for e in plan.ledger
        ],
    }


def _plan_text(plan: Plan, scheduled: PlanSchedule, out: TextIO) -> None:
    lang = language()
    patient = plan.patient
    print(f"{patient.name} ({patient.hospital_number}) — {plan.regimen.name.get(lang)}", file=out)
    status = _("stopped") if scheduled.stopped else _("active")
    print(
        _("Plan {id} · start {start} · {policy} · {status}").format(
            id=plan.id[:8],
            start=format_date(plan.start, "long"),
            policy=explain.policy_name(plan.policy),
            status=status,
        ),
        file=out,
    )
    level = explain.port_level_name(scheduled.port.level)
    if patient.port_in_place:
        level += " — " + _("port already in place")
    print(_("Implantable port: {level}").format(level=level), file=out)
    for reason in explain.port_reasons(scheduled.port):
        print(f"  - {reason}", file=out)
    for notice in scheduled.notices:
        print("! " + explain_plan.notice_text(notice), file=out)
    print(file=out)
    rows = [[_("Date"), _("What"), _("Phase · cycle · day"), _("Notes")]]
    rows.extend(
        [line.date, line.what, line.where, line.notes]
        for line in explain.lines(
            plan.regimen,
            scheduled.sessions,
            scheduled.events,
            plan.calendar,
            scheduled.skipped_scans,
        )
    )
    table(rows, out)
    if plan.ledger:
        print(file=out)
        print(_("Changes:"), file=out)
        _history_lines(plan, out)


def _history_lines(plan: Plan, out: TextIO, records: Sequence[Mapping[str, Any]] = ()) -> None:
    """The plan's history (with the plan's creation and the patient's record when
    ``records``, the patient's audit trail, are given): who, when (the unit's time), what,
    why; an undone change is marked, with who undid it and when."""
    for line in history.plan_history(plan, records):
        text = line.what
        if line.undone:
            text += " " + _("(undone)")
        note = f" — {line.note}" if line.note else ""
        number = f"{line.seq:>3}." if line.seq is not None else "    "
        when = history.moment_text(line.at)
        print(f"  {number} {when}  {explain.labelled(line.author, text)}{note}", file=out)
        status = history.status_text(line)
        if status:
            print(f"         ↳ {status}", file=out)


def _show(plan: Plan, catalog_: Catalog, args: argparse.Namespace, out: TextIO) -> None:
    scheduled = schedule_of(plan, catalog_.port_rules, today(args.today))
    if args.format == "json":
        json.dump(_plan_json(plan, scheduled), out, ensure_ascii=False, indent=2)
        print(file=out)
    else:
        _plan_text(plan, scheduled, out)


# ------------------------------------------------------------------ plans


def _run_plans_create(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    start = parse_date(args.start, "--start")
    catalog_ = user_catalog(err, for_unit=True)
    if args.regimen not in catalog_:
        raise UsageError(
            _("unknown regimen '{id}'; 'python -m planner regimens' lists them").format(
                id=args.regimen
            )
        )
    with open_store(args) as store:
        patient = find_patient(store, args.patient)
        catalog_ = unit_catalog(store, catalog_, err, who=author(args.author))
        settings = store.settings()
        options = PlanOptions(
            imaging_weeks=args.imaging_weeks,
            consultation_every=args.consult_every,
            port_confirmed=args.confirm_port,
            port_lead_days=settings.port_lead_days,
        )
        plan = store.create_plan(
            patient,
            catalog_.regimen(args.regimen),
            start,
            author=author(args.author),
            at=now(),
            policy=Policy(args.policy) if args.policy else None,
            closure_set=ClosureSet(args.closures) if args.closures else None,
            options=options,
        )
    print(_("Plan {id} created.").format(id=plan.id), file=out)
    if args.show:
        _show(plan, catalog_, args, out)
    return EXIT_OK


def _run_plans_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_store(args) as store:
        patient = find_patient(store, args.patient) if args.patient else None
        plans = store.plans(patient)
    if args.format == "json":
        json.dump(
            [
                {
                    "id": p.id,
                    "patient": p.patient.hospital_number,
                    "regimen": p.regimen.id,
                    "start": p.start.isoformat(),
                    "changes": len(p.ledger),
                }
                for p in plans
            ],
            out,
            ensure_ascii=False,
            indent=2,
        )
        print(file=out)
        return EXIT_OK
    rows = [[_("Plan"), _("Patient"), _("Regimen"), _("Start")]]
    for plan in plans:
        rows.append(
            [
                plan.id[:8],
                f"{plan.patient.name} ({plan.patient.hospital_number})",
                plan.regimen.id,
                format_date(plan.start),
            ]
        )
    table(rows, out)
    return EXIT_OK


def _run_plans_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog_ = user_catalog(err, for_unit=True)
    with open_store(args) as store:
        plan = find_plan(store, args.plan)
        catalog_ = unit_catalog(store, catalog_, err, who=author(args.author))
    _show(plan, catalog_, args, out)
    return EXIT_OK


def _run_plans_history(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_store(args) as store:
        plan = find_plan(store, args.plan)
        records = store.audit(plan.patient)
    if not plan.ledger:
        print(_("No change recorded."), file=out)
    _history_lines(plan, out, records)
    return EXIT_OK


def _change_command(
    build: Callable[[argparse.Namespace, Plan, PlanSchedule], Change],
) -> Callable[[argparse.Namespace, TextIO, TextIO], int]:
    """A command that records one change: check, preview or apply, and say what moved."""

    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        catalog_ = user_catalog(err, for_unit=True)
        day = today(args.today)
        with open_store(args) as store:
            plan = find_plan(store, args.plan)
            catalog_ = unit_catalog(store, catalog_, err, who=author(args.author))
            current = schedule_of(plan, catalog_.port_rules, day)
            try:
                change = build(args, plan, current)
                preview = changes.preview(plan, change, today=day, port_rules=catalog_.port_rules)
                if args.preview:
                    _print_moves(plan, preview, out)
                    return EXIT_OK
                store.record(
                    plan,
                    change,
                    author=author(args.author),
                    at=now(),
                    today=day,
                    port_rules=catalog_.port_rules,
                    note=args.note,
                )
            except ChangeRefused as refused:
                reason = explain_plan.refusal_text(refused, plan)
                if "absent" in refused.details:  # the session typed is not in the plan
                    reason = explain.labelled(f"--session {args.session.strip()}", reason)
                if refused.refusal is Refusal.NOT_CONFIRMED_STABLE:
                    reason = explain.labelled(STABLE_OPTION, reason)
                raise Failed(_("refused: {reason}").format(reason=reason)) from None
        print(explain_plan.change_text(change, plan) + ".", file=out)
        _print_moves(plan, preview, out)
        return EXIT_OK

    return run


def _print_moves(plan: Plan, preview: changes.Preview, out: TextIO) -> None:
    moved = preview.sessions_moved
    print(
        _("{sessions} sessions and {events} other dates move.").format(
            sessions=moved, events=len(preview.moved) - moved
        ),
        file=out,
    )
    for item in preview.moved:
        if item.kind != "session":
            continue
        before = format_date(item.before) if item.before else "—"
        after = format_date(item.after) if item.after else _("removed")
        name = explain.session_name(plan.regimen, item.session)
        print("  " + explain.labelled(name, f"{before} → {after}"), file=out)


def _build_delay(args: argparse.Namespace, plan: Plan, current: PlanSchedule) -> Change:
    key = parse_session(args.session)
    to = parse_date(args.to, "--to") if args.to is not None else None
    return changes.delay(
        current,
        key,
        DelayReason(args.reason),
        days=args.days,
        to=to,
        shift_rest_of_cycle=args.shift_cycle,
    )


def _build_omit(args: argparse.Namespace, plan: Plan, current: PlanSchedule) -> Change:
    return changes.omit(
        current, parse_session(args.session), tuple(args.agent or ()), reason=args.reason
    )


def _build_give(args: argparse.Namespace, plan: Plan, current: PlanSchedule) -> Change:
    key = parse_session(args.session)
    if args.on:
        return Give(key, parse_date(args.on, "--on"))
    _index, session = changes.find(current, key)
    return Give(key, session.date)


def _build_stop(args: argparse.Namespace, plan: Plan, current: PlanSchedule) -> Change:
    return Stop(parse_date(args.on, "--on"), args.reason)


def _build_progression(args: argparse.Namespace, plan: Plan, current: PlanSchedule) -> Change:
    return SuspectProgression(
        parse_date(args.imaging, "--imaging"), args.confirm_after, args.stable_confirmed_by
    )


def _build_port(args: argparse.Namespace, plan: Plan, current: PlanSchedule) -> Change:
    return ConfirmPort(not args.withdraw)


def _build_undo(args: argparse.Namespace, plan: Plan, current: PlanSchedule) -> Change:
    return changes.undo(plan)


# ------------------------------------------------------------------ parsers


def _plan_change(plans: Any, name: str, help_text: str, handler: Callable[..., int]) -> Any:
    parser = plans.add_parser(name, help=help_text)
    parser.add_argument("plan", metavar="PLAN", help=_("plan id (or its first characters)"))
    parser.add_argument(
        "--note",
        default="",
        type=typed(Field.NOTE),
        help=_("why, in your words (kept in the trail)"),
    )
    parser.add_argument(
        "--preview", action="store_true", help=_("show what would move, change nothing")
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    add_database_options(parser)
    parser.set_defaults(handler=handler)
    return parser


def register(commands: Any) -> None:
    plans = commands.add_parser("plans", help=_("treatment plans")).add_subparsers(
        dest="action", required=True
    )
    create = plans.add_parser("create", help=_("start a plan for a patient"))
    create.add_argument("--patient", required=True, help=_("hospital number or id"))
    create.add_argument("--regimen", required=True, metavar="ID")
    create.add_argument("--start", required=True, metavar="YYYY-MM-DD")
    create.add_argument("--policy", choices=[p.value for p in Policy])
    create.add_argument("--closures", choices=[c.value for c in ClosureSet])
    create.add_argument(
        "--imaging-weeks",
        type=_positive,
        metavar="N",
        help=_("response imaging every N weeks (0: none)"),
    )
    create.add_argument(
        "--consult-every",
        type=_positive,
        default=1,
        metavar="N",
        help=_("a consultation every N cycles (0: none)"),
    )
    create.add_argument(
        "--confirm-port",
        action="store_true",
        help=_("plan a port even where it is only recommended"),
    )
    create.add_argument("--show", action="store_true", help=_("show the plan once created"))
    create.add_argument("--format", choices=("json", "text"), default="text")
    create.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    add_database_options(create)
    create.set_defaults(handler=_run_plans_create)

    listing = plans.add_parser("list", help=_("list the plans"))
    listing.add_argument("--patient", help=_("hospital number or id"))
    listing.add_argument("--format", choices=("json", "text"), default="text")
    add_database_options(listing)
    listing.set_defaults(handler=_run_plans_list)

    show = plans.add_parser("show", help=_("a plan's calendar, port advice and changes"))
    show.add_argument("plan", metavar="PLAN")
    show.add_argument("--format", choices=("json", "text"), default="text")
    show.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    add_database_options(show)
    show.set_defaults(handler=_run_plans_show)

    history = plans.add_parser("history", help=_("a plan's changes: who, when, what, why"))
    history.add_argument("plan", metavar="PLAN")
    add_database_options(history)
    history.set_defaults(handler=_run_plans_history)

    delay = _plan_change(plans, "delay", _("delay a session"), _change_command(_build_delay))
    delay.add_argument("--session", required=True, help=_("phase.cycle.day, e.g. 1.3.1 or C3D1"))
    when = delay.add_mutually_exclusive_group(required=True)
    when.add_argument("--days", type=_positive, metavar="N")
    when.add_argument("--to", metavar="YYYY-MM-DD")
    delay.add_argument("--reason", required=True, choices=[r.value for r in DelayReason])
    delay.add_argument(
        "--shift-cycle",
        action="store_true",
        help=_("move the rest of the cycle too (for a day inside a cycle)"),
    )

    omit = _plan_change(
        plans, "omit", _("leave a dose out (nothing moves)"), _change_command(_build_omit)
    )
    omit.add_argument("--session", required=True)
    omit.add_argument(
        "--agent",
        action="append",
        metavar="INN",
        help=_("the drug left out (repeat; default: the whole session)"),
    )
    omit.add_argument("--reason", default="", type=typed(Field.NOTE))

    give = _plan_change(plans, "give", _("record a session as given"), _change_command(_build_give))
    give.add_argument("--session", required=True)
    give.add_argument("--on", metavar="YYYY-MM-DD", help=_("default: the session's date"))

    stop = _plan_change(plans, "stop", _("stop the treatment"), _change_command(_build_stop))
    stop.add_argument("--on", required=True, metavar="YYYY-MM-DD")
    stop.add_argument("--reason", required=True, type=typed(Field.NOTE))

    progression = _plan_change(
        plans,
        "progression",
        _("suspected progression on immunotherapy: treatment continues, confirmation scan"),
        _change_command(_build_progression),
    )
    progression.add_argument("--imaging", required=True, metavar="YYYY-MM-DD")
    progression.add_argument(
        "--confirm-after",
        type=_positive,
        default=42,
        metavar="DAYS",
        help=_("days between the imaging and the confirmation scan (28 to 56, default 42)"),
    )
    progression.add_argument(
        STABLE_OPTION,
        dest="stable_confirmed_by",
        default="",
        type=typed(Field.CLINICIAN),
        metavar="NAME",
        help=_(
            "the clinician who confirmed that the patient is clinically stable (treatment "
            "goes on only then: without it, the change is refused)"
        ),
    )

    port = _plan_change(
        plans, "port", _("ask for a port where it is not required"), _change_command(_build_port)
    )
    port.add_argument("--withdraw", action="store_true", help=_("withdraw the request"))

    _plan_change(
        plans, "undo", _("undo the latest change still in effect"), _change_command(_build_undo)
    )
