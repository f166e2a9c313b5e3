"""Flows on plans: a new plan, a change to the plan shown (delay, omit, give, stop, suspected
progression, port request) as one undoable command, and the patient's port."""

from __future__ import annotations

import functools
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from planner.gui.desk import Desk
from planner.gui.flows.common import busy, step_failed
from planner.i18n import _, error_text, language, ngettext

if TYPE_CHECKING:
    from planner.core.plan import Change, Plan


class Outcome(Enum):
    """How recording a change ended."""

    SAVED = "saved"
    REFUSED = "refused"
    """Not possible (the core refused it), or someone else changed the plan first."""
    NOT_SAVED = "not-saved"
    """The database could not take it now (out of reach, busy, full): it may be tried again."""


def new_plan(desk: Desk) -> bool:
    from planner.gui.dialogs.new_plan import NewPlanDialog
    from planner.gui.flows.day_hospital import book

    unit = desk.unit
    if unit is None:
        return False
    summary = desk.current_summary()

    def earliest(regimen: Any, day: date, policy: Any, preference: Any) -> list[Any]:
        from planner.day_hospital import bookings

        with busy():
            return bookings.earliest(
                unit.occupancy,
                regimen,
                unit.settings,
                unit.catalog.port_rules,
                day,
                preference=preference,
                policy=policy,
            )

    def ongoing(patient: Any) -> str | None:
        """The patient's plan in progress: the window would show only the new one."""
        from planner.i18n import format_date

        going = unit.summary(patient)
        if going.plan_id is None or going.next_session is None:
            return None
        if unit.schedule(unit.plan(going.plan_id)).stopped:
            return None
        return _("{regimen}, next session on {date}").format(
            regimen=going.regimen, date=format_date(going.next_session)
        )

    dialog = NewPlanDialog(
        unit.catalog,
        unit.settings,
        unit.patients(),
        unit.today,
        desk.widget,
        patient=summary.patient if summary is not None else None,
        earliest=earliest,
        ongoing=ongoing,
    )
    created: Any = None
    """A new patient saved before the plan failed: not saved twice when trying again."""
    while True:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        request = dialog.result_value()
        try:
            patient = request.patient
            if patient is None:
                assert request.new_patient is not None
                new = request.new_patient
                patient = created = unit.add_patient(
                    new.family_name,
                    new.given_names,
                    new.hospital_number,
                    language=new.language,
                    contact=new.contact,
                    port_in_place=new.port_in_place,
                    preference=new.preference,
                )
            plan = unit.create_plan(
                patient,
                request.regimen,
                request.start,
                policy=request.policy,
                closure_set=request.closure_set,
                options=request.options,
            )
        except Exception as exc:
            # Nothing typed is thrown away: the dialog comes back as it was. A new patient
            # saved already comes back as the existing patient the plan is for: what the
            # dialog then says is what trying again saves.
            if created is not None:
                dialog.patient.adopt(created)
            desk.show_error(
                _("The plan was not created"),
                error_text(exc) + "\n\n" + _("What you entered is shown again."),
            )
            continue
        break
    desk.search.clear()
    desk.select_patient(patient.id)
    ps = unit.schedule(plan)
    book(desk, [ps], patient.name, patient_id=patient.id, quiet=True)
    desk.statusBar().showMessage(
        _("Plan created for {name}: {regimen}, {n} sessions").format(
            name=patient.name,
            regimen=plan.regimen.name.get(language()),
            n=len(ps.sessions),
        ),
        15000,
    )
    return True


def change(desk: Desk, action: str) -> bool:
    """The dialog of ``action`` on the plan shown, then the change recorded."""
    from planner.gui.dialogs.change import Action, ChangeDialog

    ps, unit = desk.current_schedule(), desk.unit
    if ps is None or unit is None:
        return False
    dialog = ChangeDialog(unit, ps.plan, Action(action), desk.selected_session(), desk.widget)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        outcome = apply_change(
            desk,
            dialog.change(),
            plan=dialog.plan,
            sessions_moved=dialog.sessions_moved,
            sessions_cancelled=dialog.sessions_cancelled,
        )
        if outcome is not Outcome.NOT_SAVED:
            return outcome is Outcome.SAVED
        # Not saved (the database out of reach...): the dialog comes back as it was.
    return False


def apply_change(
    desk: Desk,
    change: Change,
    *,
    plan: Plan | None = None,
    sessions_moved: int | None = None,
    sessions_cancelled: int | None = None,
) -> Outcome:
    """Record ``change`` on ``plan`` (by default the plan shown: the one a dialog was opened
    on, whatever is on screen when it is accepted), as one undoable command; the status bar
    says how many sessions it moved and took out of the plan, when given."""
    from planner.core.changes import ChangeRefused
    from planner.explain_plan import change_text, refusal_text
    from planner.gui.commands import RecordChange, Together
    from planner.gui.flows.day_hospital import rebook_moved, rebooked_text
    from planner.store import Conflict

    ps, unit = desk.current_schedule(), desk.unit
    if plan is None:
        plan = ps.plan if ps is not None else None
    if plan is None or unit is None:
        return Outcome.REFUSED
    patient = plan.patient
    text = _("{change} — {patient}").format(change=change_text(change, plan), patient=patient.name)
    try:
        changed = unit.record(unit.plan(plan.id), change)
    except ChangeRefused as refused:
        desk.show_error(_("Not possible"), refusal_text(refused, plan))
        return Outcome.REFUSED
    except Exception as exc:
        desk.show_error(_("The change was not saved"), error_text(exc))
        if isinstance(exc, Conflict):
            # Another coordinator changed the plan first: show it as it is now.
            unit.forget(patient.id)
            desk.show_patient(patient.id)
            return Outcome.REFUSED
        # A database out of reach, busy, full...: the same change can be tried again.
        return Outcome.NOT_SAVED
    # The change and the bookings of what it moved, again on their new days: one undo step.
    failed = functools.partial(step_failed, desk)
    command = Together(text, failed=failed)
    command.add(RecordChange(unit, plan.id, changed.ledger[-1].seq, text, failed=failed))
    proposal = rebook_moved(desk, [unit.schedule(changed)], text, command)
    desk.undo_stack_for(patient.id).push(command)
    if sessions_moved:
        text += " — " + ngettext("{n} session moved", "{n} sessions moved", sessions_moved).format(
            n=sessions_moved
        )
    if sessions_cancelled:
        text += " — " + ngettext(
            "{n} session no longer takes place",
            "{n} sessions no longer take place",
            sessions_cancelled,
        ).format(n=sessions_cancelled)
    desk.statusBar().showMessage(text + rebooked_text(proposal, command), 15000)
    return Outcome.SAVED


def edit_patient(desk: Desk) -> bool:
    """Correct the details of the patient shown: one undoable command; True once saved."""
    from planner.gui.commands import EditPatient
    from planner.gui.dialogs.patient_details import PatientDetailsDialog

    ps, unit = desk.current_schedule(), desk.unit
    if ps is None or unit is None:
        return False
    patient = unit.store.patient(ps.plan.patient.id)
    numbers = {p.hospital_number.casefold(): p.name for p in unit.store.patients()}
    dialog = PatientDetailsDialog(patient, numbers, desk.widget)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    text = _("Corrected the details of {name}").format(name=patient.name)
    failed = functools.partial(step_failed, desk)
    command = EditPatient(unit, patient, dialog.changes(), text, failed=failed)
    desk.undo_stack_for(patient.id).push(command)
    if not command.just_done():
        return False
    desk.statusBar().showMessage(text, 15000)
    return True


def set_port_in_place(desk: Desk, in_place: bool) -> None:
    """The patient shown has (or no longer has) an implantable port: one undoable command."""
    from planner.gui.commands import SetPortInPlace

    ps, unit = desk.current_schedule(), desk.unit
    if ps is None or unit is None:
        return
    text = (_("{name} has an implantable port") if in_place else _("{name} has no port")).format(
        name=ps.plan.patient.name
    )
    failed = functools.partial(step_failed, desk)
    desk.undo_stack_for(ps.plan.patient.id).push(
        SetPortInPlace(unit, ps.plan.patient, in_place, text, failed=failed)
    )
    desk.statusBar().showMessage(text, 15000)


def request_port(desk: Desk, confirmed: bool) -> Outcome:
    from planner.core.plan import ConfirmPort

    return apply_change(desk, ConfirmPort(confirmed))
