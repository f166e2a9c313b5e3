"""The open unit: the database, the catalogue and the plans the windows show.

One object per open database, shared by the windows and the undo commands. Every change
goes through the store (one transaction each, checked against the plan as saved) and is
announced with a signal so that every view shows it; no view computes a plan itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from PySide6.QtCore import QObject, Signal

from planner.catalog import Catalog
from planner.core import changes
from planner.core.closures import ClosureSet
from planner.core.plan import Change, Patient, Plan, PlanOptions
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortRule
from planner.core.regimen import Regimen
from planner.core.schedule import Policy
from planner.core.settings import UnitSettings
from planner.explain_plan import next_session, warning_lines
from planner.i18n import language
from planner.store import Store


@dataclass(frozen=True, slots=True)
class PatientSummary:
    """One line of the patient list."""

    patient: Patient
    plan: Plan | None
    """The plan shown for the patient: the latest one not stopped, else the latest."""
    regimen: str
    next_session: date | None
    warnings: int


def current_plan(plans: list[Plan], schedules: dict[str, PlanSchedule]) -> Plan | None:
    """The plan a coordinator means by "the patient's plan"."""
    going = [p for p in plans if not schedules[p.id].stopped]
    chosen = going or plans
    return chosen[-1] if chosen else None


def summarize(
    patient: Patient, plans: list[Plan], schedules: dict[str, PlanSchedule], today: date
) -> PatientSummary:
    plan = current_plan(plans, schedules)
    if plan is None:
        return PatientSummary(patient, None, "", None, 0)
    ps = schedules[plan.id]
    upcoming = next_session(ps, today)
    return PatientSummary(
        patient,
        plan,
        plan.regimen.name.get(language()),
        upcoming.date if upcoming is not None else None,
        len(warning_lines(ps)),
    )


class Unit(QObject):
    """The unit open in the program (see the module's docstring)."""

    plan_changed = Signal(str)
    """A plan was created or changed (its id)."""
    patient_changed = Signal(str)
    """A patient was added or changed (their id)."""
    settings_changed = Signal()

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        *,
        today: date,
        author: str,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.catalog = catalog
        self.today = today
        self.author = author
        self._clock = clock or (lambda: datetime.now(UTC))
        self._settings = store.settings()
        self._plans: dict[str, list[Plan]] = {}
        """Plans by patient id, oldest first (filled as patients are opened or loaded)."""
        self._schedules: dict[tuple[str, int], PlanSchedule] = {}

    # ------------------------------------------------------------------ reading
    @property
    def settings(self) -> UnitSettings:
        return self._settings

    @property
    def location(self) -> str:
        return self.store.location.display

    def patients(self) -> list[Patient]:
        return self.store.patients()

    def adopt(self, plans: list[Plan]) -> None:
        """Take plans loaded elsewhere (the whole unit, read once at start)."""
        by_patient: dict[str, list[Plan]] = {}
        for plan in plans:
            by_patient.setdefault(plan.patient.id, []).append(plan)
        self._plans.update(by_patient)

    def plans_of(self, patient: Patient) -> list[Plan]:
        plans = self._plans.get(patient.id)
        if plans is None:
            plans = self._plans[patient.id] = self.store.plans(patient)
        return plans

    def plan(self, plan_id: str) -> Plan:
        for plans in self._plans.values():
            for plan in plans:
                if plan.id == plan_id:
                    return plan
        plan = self.store.plan(plan_id)
        self._plans.pop(plan.patient.id, None)
        return plan

    def schedule(self, plan: Plan) -> PlanSchedule:
        """The plan's whole calendar (remembered for the plan as it is now)."""
        key = (plan.id, len(plan.ledger))
        found = self._schedules.get(key)
        if found is None or found.plan != plan:
            if len(self._schedules) > 64:
                self._schedules.clear()
            found = self._schedules[key] = schedule_of(plan, self.catalog.port_rules, self.today)
        return found

    def summary(self, patient: Patient) -> PatientSummary:
        plans = self.plans_of(patient)
        return summarize(patient, plans, {p.id: self.schedule(p) for p in plans}, self.today)

    def preview(self, plan: Plan, change: Change) -> changes.Preview:
        return changes.preview(plan, change, today=self.today, port_rules=self.catalog.port_rules)

    # ------------------------------------------------------------------ changing
    def record(self, plan: Plan, change: Change, note: str = "") -> Plan:
        """Append ``change`` to the plan's ledger (refused: ChangeRefused; StoreError)."""
        changed = self.store.record(
            plan,
            change,
            author=self.author,
            at=self._clock(),
            today=self.today,
            port_rules=self.catalog.port_rules,
            note=note,
        )
        self._replace(changed)
        self.plan_changed.emit(changed.id)
        return changed

    def add_patient(
        self,
        name: str,
        hospital_number: str,
        *,
        language: str = "fr",
        contact: str = "",
        port_in_place: bool = False,
    ) -> Patient:
        patient = self.store.add_patient(
            name,
            hospital_number,
            author=self.author,
            at=self._clock(),
            language=language,
            contact=contact,
            port_in_place=port_in_place,
        )
        self._plans[patient.id] = []
        self.patient_changed.emit(patient.id)
        return patient

    def update_patient(self, patient: Patient, note: str = "", **fields: object) -> Patient:
        updated = self.store.update_patient(
            patient, author=self.author, at=self._clock(), note=note, **fields
        )
        # The plans hold the patient: read them again with the new details.
        self._plans.pop(patient.id, None)
        self._plans[patient.id] = self.store.plans(updated)
        self.patient_changed.emit(patient.id)
        return updated

    def create_plan(
        self,
        patient: Patient,
        regimen: Regimen,
        start: date,
        *,
        policy: Policy,
        closure_set: ClosureSet,
        options: PlanOptions,
    ) -> Plan:
        plan = self.store.create_plan(
            patient,
            regimen,
            start,
            author=self.author,
            at=self._clock(),
            policy=policy,
            closure_set=closure_set,
            options=options,
        )
        self.plans_of(patient)  # loaded before appending, so the new plan is not read twice
        self._plans[patient.id].append(plan)
        self.plan_changed.emit(plan.id)
        return plan

    def save_settings(self, settings: UnitSettings) -> None:
        self.store.save_settings(settings)
        self._settings = settings
        # Closures and the lab rule are in every plan: read them again.
        self._plans.clear()
        self._schedules.clear()
        self.settings_changed.emit()

    def set_port_rules(self, rules: tuple[PortRule, ...]) -> None:
        """Advise ports by ``rules`` from now on (saving them is the caller's business)."""
        self.catalog = dataclasses.replace(self.catalog, port_rules=rules)
        self._schedules.clear()
        self.settings_changed.emit()

    def _replace(self, plan: Plan) -> None:
        plans = self._plans.get(plan.patient.id)
        if plans is None:
            return
        self._plans[plan.patient.id] = [plan if p.id == plan.id else p for p in plans]
