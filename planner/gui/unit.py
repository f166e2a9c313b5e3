"""The open unit: the database, the catalogue and the plans the windows show.

One object per open database, shared by the windows and the undo commands. Every change
goes through the store (one transaction each, checked against the plan as saved) and is
announced with a signal so that every view shows it; no view computes a plan itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QObject, Signal

from planner.catalog import Catalog
from planner.core import changes
from planner.core.booking import Booking
from planner.core.chairs import (
    BookingKey,
    BookingRefused,
    Flag,
    Occupancy,
    Problem,
    UnitResources,
    flags,
)
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.optimiser import DayPlan
from planner.core.patient import Patient, Preference
from planner.core.plan import Change, Plan, PlanOptions
from planner.core.plan_schedule import PlanSchedule, plan_facts, schedule_of
from planner.core.port import PortRule
from planner.core.regimen import Regimen
from planner.core.schedule import Policy, Session, SessionKey
from planner.core.settings import UnitSettings
from planner.core.summary import PatientSummary, patient_summary
from planner.day_hospital import bookings
from planner.day_hospital.port_rules import own_rules, unit_catalog
from planner.explain import BOOKING_PROBLEMS
from planner.i18n import Message, language
from planner.store import Conflict, Store
from planner.store.store import PlanHead


class BookingNotPossible(ValueError):
    """A booking that does not fit, said in words."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.message = Message(BOOKING_PROBLEMS[problem])


@dataclass(frozen=True, slots=True)
class Proposal:
    """Bookings to change: each key's booking now and after (None: none)."""

    before: dict[BookingKey, Booking | None]
    after: dict[BookingKey, Booking | None]
    unplaced: list[tuple[Plan, Session]]
    """Sessions for which no place fits on their day."""
    days: list[DayPlan] = field(default_factory=list)
    """What the day optimiser did, day by day (when it was asked for)."""

    @property
    def booked(self) -> int:
        return sum(1 for b in self.after.values() if b is not None)


class Unit(QObject):
    """The unit open in the program (see the module's docstring)."""

    plan_changed = Signal(str)
    """A plan was created or changed (its id)."""
    patient_changed = Signal(str)
    """A patient was added or changed (their id)."""
    settings_changed = Signal()
    bookings_changed = Signal()
    """Sessions were booked, moved or unbooked, or the unit's chairs and hours changed."""

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
        self._own_port_rules = store.port_rules()
        """The unit's own port rules as last read (None: the shipped table applies)."""
        self.catalog = unit_catalog(catalog, self._own_port_rules)
        """The regimens, and the port rules of the unit (not this computer's)."""
        self.today = today
        self.author = author
        self._clock = clock or (lambda: datetime.now(UTC))
        self._settings = store.settings()
        self._plans: dict[str, list[Plan]] = {}
        self._complete = False
        """Every plan of the unit is in ``_plans`` (not only the patients opened since)."""
        """Plans by patient id, oldest first (filled as patients are opened or loaded)."""
        self._schedules: dict[tuple[str, int], PlanSchedule] = {}
        self._resources: UnitResources | None = None
        self._occupancy: Occupancy | None = None
        self._unit_calendar: ClosureCalendar | None = None
        self._token: tuple[object, ...] | None = None
        self._heads: dict[str, PlanHead] = {}
        """Plans' patients and regimens, by plan id (see :meth:`plan_heads`)."""

    # ------------------------------------------------------------------ reading
    @property
    def settings(self) -> UnitSettings:
        return self._settings

    def now(self) -> datetime:
        """The moment a change is recorded, by the unit's clock (tests and demos set it)."""
        return self._clock()

    @property
    def location(self) -> str:
        return self.store.location.display

    def patients(self) -> list[Patient]:
        return self.store.patients()

    def adopt(self, plans: list[Plan]) -> None:
        """Take the whole unit's plans, loaded elsewhere (at start, off the GUI thread)."""
        by_patient: dict[str, list[Plan]] = {}
        for plan in plans:
            by_patient.setdefault(plan.patient.id, []).append(plan)
        self._plans.update(by_patient)
        self._complete = True

    def plans_of(self, patient: Patient) -> list[Plan]:
        plans = self._plans.get(patient.id)
        if plans is None:
            plans = self._plans[patient.id] = self.store.plans(patient)
        return plans

    # ------------------------------------------------------------------ others' changes
    def mark_seen(self) -> None:
        """What this window wrote is known: only changes made elsewhere count as new."""
        try:
            self._token = self.store.change_token()
        except Exception:
            self._token = None

    def changed_elsewhere(self) -> bool:
        """Did another coordinator (another window, another computer) change the unit since
        this window last looked? A cheap query; the database's errors pass through."""
        token = self.store.change_token()
        if self._token is None:
            self._token = token
            return False
        if token == self._token:
            return False
        self._token = token
        return True

    def reload(self) -> None:
        """Read everything again when next needed (another coordinator changed the unit)."""
        self._plans.clear()
        self._complete = False
        self._schedules.clear()
        self._heads.clear()
        self._settings = self.store.settings()
        self._read_port_rules()
        self._resources = None
        self._occupancy = None
        self._unit_calendar = None
        self.settings_changed.emit()
        self.bookings_changed.emit()

    def forget(self, patient_id: str) -> None:
        """Read the patient's plans again when next needed (someone else changed them)."""
        self._plans.pop(patient_id, None)
        self._complete = False
        self._schedules.clear()
        self._heads.clear()

    def plans_by_id(self) -> dict[str, Plan]:
        """Every plan of the unit, by id (read again after the settings changed them)."""
        if not self._complete:
            self.adopt(self.store.plans())
        return {p.id: p for plans in self._plans.values() for p in plans}

    def plans_with_ids(self, plan_ids: list[str]) -> list[Plan]:
        """These plans as they are now (those known in memory, the others read), in the
        order given; an id no longer in the unit is left out."""
        known = {p.id: p for plans in self._plans.values() for p in plans}
        missing = [p for p in plan_ids if p not in known]
        if missing:
            known.update((p.id, p) for p in self.store.plans_with_ids(missing))
        return [known[p] for p in plan_ids if p in known]

    def plan_heads(self, plan_ids: list[str]) -> dict[str, PlanHead]:
        """Whose these plans are and their regimen (remembered: a day's list shows them at
        every change of day), read in one query for those not yet known."""
        heads = self._heads
        missing = [p for p in plan_ids if p not in heads]
        if missing:
            if len(heads) > 20_000:
                heads.clear()
            heads.update(self.store.plan_heads(missing))
        return {p: heads[p] for p in plan_ids if p in heads}

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
        """The patient's line in the patient list, from their plans as they are now."""
        facts = [plan_facts(self.schedule(p)) for p in self.plans_of(patient)]
        return patient_summary(patient, facts, self.today, language())

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
        self.mark_seen()
        self.plan_changed.emit(changed.id)
        return changed

    def add_patient(
        self,
        family_name: str,
        given_names: str,
        hospital_number: str,
        *,
        language: str = "fr",
        contact: str = "",
        port_in_place: bool = False,
        preference: Preference = Preference.ANY,
    ) -> Patient:
        patient = self.store.add_patient(
            family_name,
            given_names,
            hospital_number,
            author=self.author,
            at=self._clock(),
            language=language,
            contact=contact,
            port_in_place=port_in_place,
            preference=preference,
        )
        self._plans[patient.id] = []
        self.mark_seen()
        self.patient_changed.emit(patient.id)
        return patient

    def update_patient(self, patient: Patient, note: str = "", **fields: object) -> Patient:
        updated = self.store.update_patient(
            patient,
            author=self.author,
            at=self._clock(),
            note=note,
            port_rules=self.catalog.port_rules,
            **fields,
        )
        # The plans hold the patient: read them again with the new details.
        self._heads.clear()
        self._plans.pop(patient.id, None)
        self._plans[patient.id] = self.store.plans(updated)
        self.mark_seen()
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
            port_rules=self.catalog.port_rules,
        )
        self.plans_of(patient)  # loaded before appending, so the new plan is not read twice
        self._plans[patient.id].append(plan)
        self.mark_seen()
        self.plan_changed.emit(plan.id)
        return plan

    def save_settings(self, settings: UnitSettings) -> None:
        self.store.save_settings(settings)
        self.mark_seen()
        self._settings = settings
        self._occupancy = None  # closures and open days change the grids
        self._unit_calendar = None
        # Closures and the lab rule are in every plan: read them again.
        self._plans.clear()
        self._complete = False
        self._schedules.clear()
        self.settings_changed.emit()

    def save_port_rules(self, rules: tuple[PortRule, ...]) -> None:
        """Make ``rules`` the unit's port rules (the shipped table: the unit follows the
        shipped table again), in one transaction, and advise by them from now on. When
        another coordinator saved rules since this window read them: :class:`Conflict`,
        nothing saved, and the window advises by theirs."""
        own = own_rules(rules, self.catalog)
        try:
            self.store.save_port_rules(
                own, expected=self._own_port_rules, author=self.author, at=self._clock()
            )
        except Conflict:
            self._read_port_rules()
            self._schedules.clear()
            self.settings_changed.emit()
            raise
        self.mark_seen()
        self._own_port_rules = own
        self.catalog = unit_catalog(self.catalog, own)
        self._schedules.clear()
        self.settings_changed.emit()

    def _read_port_rules(self) -> None:
        self._own_port_rules = self.store.port_rules()
        self.catalog = unit_catalog(self.catalog, self._own_port_rules)

    # ------------------------------------------------------------------ chairs and bookings
    BOOKINGS_KEPT_DAYS = 31
    """Bookings read back from this many days ago (older ones cannot change any more)."""

    @property
    def resources(self) -> UnitResources:
        if self._resources is None:
            self._resources = self.store.resources()
        return self._resources

    @property
    def occupancy(self) -> Occupancy:
        """The unit's bookings in their day grids (read from the database when first used)."""
        if self._occupancy is None:
            self._occupancy = bookings.occupancy(
                self.settings, self.resources, self.store.bookings(self.bookings_from)
            )
        return self._occupancy

    def plan_bookings(self, ps: PlanSchedule) -> dict[SessionKey, Booking]:
        """The plan's bookings still on their session's day (for calendars and handouts:
        a session that moved since shows without a time until it is booked again)."""
        own = self.own_bookings(ps)
        return {s.key: own[s.key] for s in ps.sessions if s.key in own and own[s.key].day == s.date}

    def booking_flags(self, ps: PlanSchedule) -> list[Flag]:
        """The plan's bookings that need the coordinator (moved session, closed day...)."""
        return self.plan_booking_state(ps)[1]

    def own_bookings(self, ps: PlanSchedule) -> dict[SessionKey, Booking]:
        """The plan's bookings, whatever their day."""
        return self.plan_booking_state(ps)[0]

    def plan_booking_state(self, ps: PlanSchedule) -> tuple[dict[SessionKey, Booking], list[Flag]]:
        """The plan's bookings and those to redo, in one reading.

        Before the day hospital's bookings are read (the day hospital page, a booking), the
        plan's own are read and checked alone: a moved session, a closed day, hours or a
        chair gone show at once; a clash with another patient's booking, only once read.
        """
        own = self.store.bookings(plan_id=ps.plan.id)
        unit = self._occupancy
        if unit is None:
            unit = Occupancy(self.resources, self._calendar())
            unit.adopt(own)
        return {k[1]: b for k, b in own.items()}, flags(unit, {ps.plan.id: ps.sessions})

    @property
    def bookings_from(self) -> date:
        """The first day whose bookings the unit keeps in memory (older ones cannot change)."""
        return self.today - timedelta(days=self.BOOKINGS_KEPT_DAYS)

    def occupancy_for(self, day: date) -> tuple[Occupancy, bool]:
        """The bookings to show for ``day``, and whether they can still be changed (a day
        before :attr:`bookings_from` is read from the database, to be looked at only)."""
        if day >= self.bookings_from:
            return self.occupancy, True
        past = Occupancy(self.resources, self._calendar())
        past.adopt(self.store.bookings(day, day))
        return past, False

    def _calendar(self) -> ClosureCalendar:
        if self._unit_calendar is None:
            self._unit_calendar = self.settings.calendar()
        return self._unit_calendar

    def propose_bookings(
        self,
        schedules: list[PlanSchedule],
        *,
        booked_only: bool = False,
        optimise: bookings.Optimising | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> Proposal:
        """What booking these plans' coming sessions would do, without doing it: the sessions
        without a booking get one (unless ``booked_only``: after a change, only what it moved
        is booked again), and so do those whose booking no longer fits (the session moved,
        the day closed...) when a place fits; those that find none stay where they are. A
        session no longer planned frees its chair. From today (``since``) to ``until``.
        Each day with something to book is placed whole by the optimiser with ``optimise``
        (a second a day: the window runs :func:`planner.day_hospital.bookings.place` in a
        worker thread, then :meth:`proposal`). Give the proposal to :meth:`set_bookings`."""
        placed = bookings.place(
            self.occupancy,
            schedules,
            since or self.today,
            until=until,
            booked_only=booked_only,
            optimise=optimise,
        )
        return self.proposal(placed)

    def proposal(self, placed: bookings.Placement) -> Proposal:
        """The proposal of bookings ``placed`` (in this unit's :attr:`occupancy`, or a copy
        of it): a booking made long ago, before the days kept in memory, is read from the
        database, so that an undo puts it back (on the window's thread: the database is
        the window's)."""
        before = dict(placed.before)
        stored: dict[str, dict[BookingKey, Booking]] = {}
        for key, was in placed.before.items():
            if was is None:
                # Booked long ago (before the days kept in memory)? Then its row is replaced,
                # and an undo must put it back. (One booked since this window read the unit
                # is not taken as seen: saving says someone else booked it.)
                if key[0] not in stored:
                    stored[key[0]] = self.store.bookings(plan_id=key[0])
                old = stored[key[0]].get(key)
                if old is not None and old.day is not None and old.day < self.bookings_from:
                    before[key] = old
        return Proposal(before, dict(placed.after), placed.unplaced, placed.days)

    def set_bookings(
        self,
        wanted: dict[BookingKey, Booking | None],
        *,
        restore: bool = False,
        expected: dict[BookingKey, Booking | None] | None = None,
    ) -> None:
        """Put each booking (None: unbook), all or none: :class:`BookingNotPossible` naming
        the problem when one does not fit, and nothing changed. ``restore`` puts bookings
        back as they were (an undo), flagged again when they no longer fit. ``expected`` is
        what the database should hold now (what this window holds by default): if someone
        else changed it, :class:`~planner.store.Conflict` and nothing changed."""
        unit = self.occupancy
        before = {key: unit.bookings.get(key) for key in wanted}
        for key in wanted:
            unit.remove(key)
        added: list[BookingKey] = []
        try:
            if restore:
                unit.adopt({k: b for k, b in wanted.items() if b is not None})
                added.extend(k for k, b in wanted.items() if b is not None)
            for key, booking in wanted.items():
                if booking is not None and not restore:
                    try:
                        unit.add(key, booking)
                    except BookingRefused as refused:
                        raise BookingNotPossible(refused.problem) from None
                    added.append(key)
            put = {k: b for k, b in wanted.items() if b is not None}
            gone = [k for k, b in wanted.items() if b is None]
            self.store.save_bookings(
                put,
                gone,
                author=self.author,
                at=self._clock(),
                expected=before if expected is None else expected,
                days_seen=bookings.days_seen(unit, put, self.bookings_from),
            )
            self.mark_seen()
        except Conflict:
            # Someone else booked meanwhile: read the unit's bookings again.
            self._occupancy = None
            self.bookings_changed.emit()
            raise
        except Exception:
            for key in added:
                unit.remove(key)
            unit.adopt({k: b for k, b in before.items() if b is not None})
            raise
        self.bookings_changed.emit()

    def save_resources(self, resources: UnitResources) -> None:
        self.store.save_resources(resources)
        self.mark_seen()
        self._resources = resources
        self._occupancy = None  # read again into the new grids: some may no longer fit
        self.bookings_changed.emit()

    def _replace(self, plan: Plan) -> None:
        plans = self._plans.get(plan.patient.id)
        if plans is None:
            return
        self._plans[plan.patient.id] = [plan if p.id == plan.id else p for p in plans]
