"""Words for a plan's life: its changes, why a change is refused, what needs attention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from planner.core.changes import ChangeRefused, Preview, Refusal
from planner.core.plan import (
    Change,
    ConfirmPort,
    Delay,
    Entry,
    Give,
    Omit,
    Plan,
    Revert,
    Stop,
    SuspectProgression,
)
from planner.core.plan_schedule import PlanNotice, PlanSchedule, PlanWarning
from planner.core.schedule import Session, SessionKey
from planner.core.session_keys import Absent, KeyProblem, Missing, SessionKeyError
from planner.core.text_fields import shown
from planner.explain import (
    agent_name,
    delay_reason_name,
    session_name,
    short_session_name,
    warning_text,
)
from planner.i18n import N_, _, format_date, language, ngettext

REFUSALS = {
    Refusal.NO_SUCH_SESSION: N_("the plan has no such session"),
    Refusal.ALREADY_GIVEN: N_("session {session} was already given on {on}"),
    Refusal.NOT_GIVEN_ANY_MORE: N_("session {session} is recorded as not given"),
    Refusal.NOT_LATER: N_(
        "a delay moves a session later: {session} is on {current}, not before {to}"
    ),
    Refusal.TOO_LONG: N_("a delay of more than {days} days is not a delay: stop the plan"),
    Refusal.PAST_NEXT_CYCLE: N_(
        "{session} cannot move past the start of the next cycle ({next_start}): delay that "
        "cycle's day 1 instead"
    ),
    Refusal.AFTER_STOP: N_("the plan stops on {on}"),
    Refusal.ALREADY_STOPPED: N_("the plan already stopped on {on}"),
    Refusal.STOP_BEFORE_START: N_("the plan starts on {start}"),
    Refusal.STOP_BEFORE_GIVEN: N_("a session was given on {on}, after that date"),
    Refusal.IN_THE_FUTURE: N_("{on} is after today ({today})"),
    Refusal.OUT_OF_ORDER: N_(
        "{on} is not between the previous session ({previous}) and the next one ({next}): "
        "delay the session instead"
    ),
    Refusal.NOT_IN_SESSION: N_("{agent} is not given in session {session}"),
    Refusal.NOTHING_TO_OMIT: N_("nothing to leave out of session {session}"),
    Refusal.NO_IMMUNOTHERAPY: N_(
        "pseudo-progression concerns immunotherapy, and this regimen ({regimen}) has none: "
        "progression on it is handled by stopping or changing the treatment"
    ),
    Refusal.NO_RESPONSE_IMAGING: N_(
        "this regimen ({regimen}) is given around surgery, with no response imaging: there "
        "is no measurable disease for a pseudo-progression to concern; a recurrence is "
        "handled by stopping or changing the treatment"
    ),
    Refusal.CONFIRMATION_WINDOW: N_(
        "the confirmation scan comes {low} to {high} days after the imaging (iRECIST)"
    ),
    Refusal.NOT_CONFIRMED_STABLE: N_(
        "immunotherapy goes on after a suspected progression only if the patient is "
        "clinically stable: give the name of the clinician who confirmed it"
    ),
    Refusal.BEFORE_START: N_("{on} is before the plan starts ({start})"),
    Refusal.PORT_ALREADY_REQUIRED: N_("this regimen already requires a port"),
    Refusal.PORT_UNCHANGED: N_("nothing to change: the port request is already so"),
    Refusal.NOTHING_TO_UNDO: N_("nothing to undo"),
    Refusal.NO_SUCH_ENTRY: N_("there is no change number {seq} in effect"),
}

NOTICES = {
    PlanWarning.PORT_TOO_LATE: N_(
        "the port should have been placed by {date}: arrange it at once, or delay the start"
    ),
    PlanWarning.NO_EXAM_DAY: N_("no open day in the week before a session for an exam it needs"),
}


def key_text(key: SessionKey) -> str:
    phase, cycle, day = key
    return f"{phase}.{cycle}.{day}"


def _value(value: object, plan: Plan | None) -> str:
    if isinstance(value, date):
        return format_date(value)
    if value is None:
        return "—"
    if isinstance(value, tuple) and len(value) == 3 and plan is not None:
        return session_name(plan.regimen, value)
    return str(value)


def _runs(numbers: tuple[int, ...], label: Callable[[int], str] = str) -> str:
    """ "1–35", "1–3, 5" (runs of consecutive numbers), each number through ``label``."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(
        label(r[0])
        if len(r) == 1
        else f"{label(r[0])}–{label(r[-1])}"
        if len(r) > 2
        else f"{label(r[0])}, {label(r[1])}"
        for r in runs
    )


def absent_text(absent: Absent, plan: Plan | None = None) -> str:
    """Why a plan has no such session, with what it has: "there is no phase 9: this plan has
    1 phase (Monotherapy)"; "Monotherapy has no cycle 40: its cycles are 1–35"."""
    phase, cycle, day = absent.key
    names = [p.name.get(language()) for p in plan.regimen.phases] if plan else []
    if absent.missing is Missing.PHASE:
        if not names:
            return ngettext(
                "there is no phase {phase}: this plan has {count} phase",
                "there is no phase {phase}: this plan has {count} phases",
                absent.phases,
            ).format(phase=phase, count=absent.phases)
        return ngettext(
            "there is no phase {phase}: this plan has {count} phase ({names})",
            "there is no phase {phase}: this plan has {count} phases ({names})",
            absent.phases,
        ).format(phase=phase, count=absent.phases, names=", ".join(names))
    phase_name = names[phase - 1] if names else _("phase {phase}").format(phase=phase)
    if absent.missing is Missing.CYCLE:
        if not absent.cycles:
            return _("{phase} has no cycle {cycle}: it has none in this plan").format(
                cycle=cycle, phase=phase_name
            )
        return _("{phase} has no cycle {cycle}: its cycles are {cycles}").format(
            cycle=cycle, phase=phase_name, cycles=_runs(absent.cycles)
        )
    return _("{phase} · C{cycle} has no day {day}: its days are {days}").format(
        cycle=cycle,
        phase=phase_name,
        day=day,
        days=_runs(absent.days, lambda d: _("D{day}").format(day=d)),
    )


KEY_PROBLEMS = {
    KeyProblem.FORM: N_(
        "{option}: '{typed}' is not a session such as 1.3.1 (phase.cycle.day) or C3D1"
    ),
    KeyProblem.ZERO: N_("{option}: '{typed}': phases, cycles and days are counted from 1"),
    KeyProblem.TOO_LARGE: N_("{option}: '{typed}': no plan has a phase, cycle or day so large"),
}


def key_error_text(error: SessionKeyError, option: str) -> str:
    """A session the user typed that cannot be one, in words naming what was typed."""
    return _(KEY_PROBLEMS[error.problem]).format(option=option, typed=shown(error.typed))


def refusal_text(refused: ChangeRefused, plan: Plan | None = None) -> str:
    absent = refused.details.get("absent")
    if isinstance(absent, Absent):
        return absent_text(absent, plan)
    details = {name: _value(value, plan) for name, value in refused.details.items()}
    if plan is not None and isinstance(refused.details.get("agent"), str):
        details["agent"] = agent_name(plan.regimen, str(refused.details["agent"]))
    return _(REFUSALS[refused.refusal]).format(**details)


def notice_text(notice: PlanNotice) -> str:
    return _(NOTICES[notice.warning]).format(date=format_date(notice.date) if notice.date else "")


def change_text(change: Change, plan: Plan) -> str:
    """A ledger line in words: "Delay Induction · C3 · D1 to Mon 22 Feb 2027 (toxicity)"."""
    if isinstance(change, Delay):
        text = _("Delay {session} to {to} ({reason})").format(
            session=session_name(plan.regimen, change.session),
            to=format_date(change.to),
            reason=delay_reason_name(change.reason),
        )
        if change.shift_rest_of_cycle:
            text += " " + _("with the rest of the cycle")
        return text
    if isinstance(change, Omit):
        return _("Leave {agents} out of {session}").format(
            agents=", ".join(agent_name(plan.regimen, inn) for inn in change.agents),
            session=session_name(plan.regimen, change.session),
        )
    if isinstance(change, Give):
        return _("{session} given on {on}").format(
            session=session_name(plan.regimen, change.session), on=format_date(change.on)
        )
    if isinstance(change, Stop):
        return _("Stop the treatment on {on} ({reason})").format(
            on=format_date(change.on), reason=change.reason
        )
    if isinstance(change, SuspectProgression):
        text = _(
            "Progression suspected on the imaging of {imaging}; treatment continues, "
            "confirmation scan about {days} days later"
        ).format(imaging=format_date(change.imaging), days=change.confirm_after_days)
        if change.stable_confirmed_by:  # entries recorded before it was asked have none
            text += _("; patient clinically stable, confirmed by {clinician}").format(
                clinician=shown(change.stable_confirmed_by)
            )
        return text
    if isinstance(change, ConfirmPort):
        return _("Port requested") if change.confirmed else _("Port request withdrawn")
    assert isinstance(change, Revert)
    target, redo = revert_target(plan, change)
    if target is None:
        return _("Undo change {seq}").format(seq=change.seq)
    template = _("Redo change {seq}: {change}") if redo else _("Undo change {seq}: {change}")
    return template.format(seq=target.seq, change=change_text(target.change, plan))


def revert_target(plan: Plan, revert: Revert) -> tuple[Entry | None, bool]:
    """The change an undo acts on, through undos of undos, and whether it does that change
    again (a redo: the undo of an undo) rather than undo it. (None, ...) when the plan's
    ledger does not hold it."""
    by_seq = {entry.seq: entry for entry in plan.ledger}
    redo = False
    seq = revert.seq
    seen: set[int] = set()
    while seq not in seen:
        entry = by_seq.get(seq)
        if entry is None:
            return None, redo
        if not isinstance(entry.change, Revert):
            return entry, redo
        seen.add(seq)
        redo = not redo
        seq = entry.change.seq
    return None, redo


def preview_summary(preview: Preview, plan: Plan) -> str:
    """What a change moves, in one line: "C3 D1 to C12 D1 move by 7 days; 58 dates"."""
    dates = ngettext("{n} date", "{n} dates", len(preview.moved)).format(n=len(preview.moved))
    shift = preview.shift()
    cancelled = preview.sessions_cancelled
    gone = ngettext(
        "{n} session no longer takes place", "{n} sessions no longer take place", cancelled
    ).format(n=cancelled)
    if shift is None:
        if not preview.moved:
            return _("No date moves.")
        if cancelled:  # a stop: its sessions do not move, they go
            return _("{gone}; {dates} in all.").format(gone=gone, dates=dates)
        return _("No session moves; {dates} change.").format(dates=dates)
    first = short_session_name(plan.regimen, shift.first)
    last = short_session_name(plan.regimen, shift.last)
    if shift.least == shift.most:
        by = ngettext("{n} day", "{n} days", abs(shift.most)).format(n=abs(shift.most))
    else:
        by = _("{least} to {most} days").format(least=abs(shift.least), most=abs(shift.most))
    earlier = shift.most < 0
    if shift.least < 0 < shift.most:
        moves = _("{first} to {last} move, some earlier and some later").format(
            first=first, last=last
        )
    elif shift.sessions == 1:
        template = _("{session} moves {by} earlier") if earlier else _("{session} moves by {by}")
        moves = template.format(session=first, by=by)
    else:
        template = (
            _("{first} to {last} move {by} earlier")
            if earlier
            else _("{first} to {last} move by {by}")
        )
        moves = template.format(first=first, last=last, by=by)
    if cancelled:
        return _("{moves}; {gone}; {dates} in all.").format(moves=moves, gone=gone, dates=dates)
    return _("{moves}; {dates} in all.").format(moves=moves, dates=dates)


@dataclass(frozen=True, slots=True)
class WarningLine:
    """Something in a plan that needs the coordinator, and where it is."""

    text: str
    date: date | None
    session: int | None
    """The index of the session it concerns, if any (a click on the warning shows it)."""
    to_book: bool = False
    """A booking to redo: the plan view offers to find it a place."""


def warning_lines(ps: PlanSchedule) -> list[WarningLine]:
    """The plan's warnings in date order: the plan's notices and each session's own."""
    lines: list[WarningLine] = []
    for notice in ps.notices:
        day = notice.date
        if day is None and notice.session is not None:
            day = ps.sessions[notice.session].date
        lines.append(WarningLine(notice_text(notice), day, notice.session))
    for index, session in enumerate(ps.sessions):
        for warning in session.warnings:
            text = _("{session} on {date}: {warning}").format(
                session=session_name(ps.plan.regimen, session.key),
                date=format_date(session.date),
                warning=warning_text(warning),
            )
            lines.append(WarningLine(text, session.date, index))
    lines.sort(key=lambda line: (line.date or date.min, line.session or 0))
    return lines


def next_session(ps: PlanSchedule, today: date) -> Session | None:
    """The next session where something is to be given, today included (None when done)."""
    for session in ps.sessions:
        if session.date >= today and session.doses and session.given_on is None:
            return session
    return None
