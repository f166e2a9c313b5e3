"""Patients, plans and their ledger in a database: SQLite by default, PostgreSQL for a unit.

Every user action is one transaction: it is all saved or not at all. The ledger is append
only (the database refuses updates and deletions of it), and a plan is always rebuilt from
its rows and its ledger. Two writers cannot both append the same next change to a plan: the
second is told the plan changed and can reload it. The day hospital's bookings are read and
saved by the part of the store in :mod:`planner.store.booking_records`.
"""

from __future__ import annotations

import functools
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Engine, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from planner import platform
from planner.core import changes
from planner.core.chairs import UnitResources
from planner.core.closures import ClosureSet
from planner.core.patient import Patient, Preference
from planner.core.plan import Change, ChangeKind, Entry, Plan, PlanOptions, change_kind
from planner.core.plan_schedule import plan_facts, schedule_of
from planner.core.port import PortRule
from planner.core.regimen import Regimen
from planner.core.schedule import Policy
from planner.core.settings import UnitSettings
from planner.core.summary import PlanFacts
from planner.core.values import collector_paused
from planner.i18n import N_, Message
from planner.store import codec, facts, quick
from planner.store.booking_records import BookingRecords
from planner.store.calendar_links import CalendarLinks
from planner.store.codec import UNIT_ZONE, moment
from planner.store.database import (
    Conflict,
    Location,
    StoreError,
    check_sqlite_file,
    locate,
    make_engine,
    migrate,
)
from planner.store.schema import (
    CalendarExportRow,
    LedgerRow,
    PatientRow,
    PlanRow,
    RegimenSnapshotRow,
    SettingRow,
    UnitRevisionRow,
)

UNIT_KEY = "unit"
RESOURCES_KEY = "resources"
PORT_RULES_KEY = "port_rules"

_log = logging.getLogger(__name__)
"""What was saved, by ids only (planner.logbook): never a patient's name or details."""


def _new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class PlanHead:
    """A plan's patient and regimen: what a day's list shows of it."""

    plan_id: str
    patient: Patient
    regimen: Regimen


class NotFound(StoreError):
    pass


def _patient(row: PatientRow) -> Patient:
    return Patient(
        id=row.id,
        family_name=row.family_name,
        given_names=row.given_names,
        hospital_number=row.hospital_number,
        language=row.language,
        contact=row.contact,
        port_in_place=row.port_in_place,
        preference=Preference(row.preference),
    )


class Store(BookingRecords):
    """The planner's database. Open with :meth:`open`; close with :meth:`close`."""

    def __init__(self, engine: Engine, location: Location) -> None:
        self.engine = engine
        self.location = location
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._regimens: dict[str, Regimen] = {}

    @classmethod
    def open(cls, where: str | Any | None = None, *, checked: bool = False) -> Store:
        """Open (and create or migrate) the database at ``where`` (see :func:`locate`).
        ``checked``: the SQLite file was checked whole a moment ago by this program (the
        window's loading thread), not to be read whole again (a second at 20,000 patients)."""
        location = locate(where)
        created = False
        if location.path is not None:
            created = not location.path.exists()
            if not checked or created:
                check_sqlite_file(location.path)
        engine = make_engine(location)
        try:
            migrate(engine, location)
        except StoreError:
            engine.dispose()
            raise
        if created and location.path is not None:
            platform.restrict_to_owner(location.path)  # patients' names: their owner's only
        return cls(engine, location)

    def close(self) -> None:
        self.engine.dispose()

    @functools.cached_property
    def calendars(self) -> CalendarLinks:
        """The patients' calendars published on the unit's CalDAV server."""
        return CalendarLinks(self._transaction)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[DbSession]:
        """One user action: committed whole, or rolled back whole with a clear message."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except StoreError:
            raise
        except OperationalError as exc:
            raise _operational(exc, self.location) from None
        except SQLAlchemyError as exc:
            raise StoreError(
                Message(
                    N_("the database {url} refused the change: {error}"),
                    {"url": self.location.display, "error": getattr(exc, "orig", None) or exc},
                )
            ) from None
        finally:
            session.close()

    # ------------------------------------------------------------------ settings

    def settings(self) -> UnitSettings:
        with self._transaction() as db:
            return _settings_from(_unit_row(db))

    def _basis_and_settings(self, port_rules: tuple[PortRule, ...]) -> tuple[str, UnitSettings]:
        """The basis of facts computed with ``port_rules`` and the settings as saved now,
        read together: the plans are built from these settings, so their facts' label never
        claims newer settings than they were computed with (planner.store.facts)."""
        with self._transaction() as db:
            value = _unit_row(db)
        return quick.basis_of(value, facts.rules_digest(port_rules)), _settings_from(value)

    def save_settings(self, settings: UnitSettings) -> None:
        value = {
            "name": settings.name,
            "address": settings.address,
            "phone": settings.phone,
            "closure_set": settings.closure_set.value,
            "unit_closures": codec.unit_closures_to_json(settings.unit_closures),
            "open_days": sorted(d.isoformat() for d in settings.open_days),
            "lab_rule": codec.lab_rule_to_json(settings.lab_rule),
            "default_policy": settings.default_policy.value,
            "port_lead_days": settings.port_lead_days,
            "session_reminder": _time_text(settings.session_reminder),
            "lab_reminder": _time_text(settings.lab_reminder),
        }
        with self._transaction() as db:
            db.merge(SettingRow(key=UNIT_KEY, value=value))
        _log.info("unit settings saved")

    def change_token(self) -> tuple[object, ...]:
        """A cheap fingerprint of everything coordinators change: equal tokens, nothing new.

        The database raises the unit's revision at every write to the ledger (every patient
        and plan change), the bookings or the settings (migration 0006): one row to read.
        """
        with self._transaction() as db:
            return (db.scalar(select(UnitRevisionRow.counter).where(UnitRevisionRow.id == 1)),)

    def resources(self) -> UnitResources:
        """The unit's chairs, hours and nurses (the defaults until saved)."""
        with self._transaction() as db:
            row = db.get(SettingRow, RESOURCES_KEY)
        return UnitResources() if row is None else codec.resources_from_json(row.value)

    def save_resources(self, resources: UnitResources) -> None:
        with self._transaction() as db:
            db.merge(SettingRow(key=RESOURCES_KEY, value=codec.resources_to_json(resources)))
        _log.info("chairs and hours saved")

    def port_rules(self) -> tuple[PortRule, ...] | None:
        """The unit's own port rule table; None when it has none (the table shipped with the
        program applies, so a later version's table reaches the unit)."""
        with self._transaction() as db:
            row = db.get(SettingRow, PORT_RULES_KEY)
            return None if row is None else self._port_rules(row)

    def save_port_rules(
        self,
        rules: tuple[PortRule, ...] | None,
        *,
        expected: tuple[PortRule, ...] | None,
        author: str,
        at: datetime,
    ) -> None:
        """Make ``rules`` the unit's own port rules (None: remove them, back to the shipped
        table), in one transaction. ``expected`` is the unit's own rules as the caller read
        them: if someone else saved others since, :class:`Conflict` says who and when, and
        nothing is changed."""
        with self._transaction() as db:
            row = db.get(SettingRow, PORT_RULES_KEY, with_for_update=True)
            saved = None if row is None else self._port_rules(row)
            if saved != expected:
                raise _port_rules_conflict(row)
            if rules is None:
                if row is not None:
                    db.delete(row)
                    _log.info("port rules removed: the shipped table applies")
                return
            value = codec.port_rules_to_json(rules, saved_by=author, saved_at=at)
            if row is None:
                db.add(SettingRow(key=PORT_RULES_KEY, value=value))
            else:
                row.value = value
            try:
                db.flush()
            except IntegrityError:  # another coordinator's first rules, saved meanwhile
                raise _port_rules_conflict(None) from None
        _log.info("port rules saved (%d rules)", len(rules))

    def _port_rules(self, row: SettingRow) -> tuple[PortRule, ...]:
        try:
            return codec.port_rules_from_json(row.value)
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(
                Message(
                    N_(
                        "the unit's port rules in {url} cannot be read ({error}); a newer "
                        "version of Infusion Planner may have saved them"
                    ),
                    {"url": self.location.display, "error": exc},
                )
            ) from None

    # ------------------------------------------------------------------ patients

    def add_patient(
        self,
        family_name: str,
        given_names: str,
        hospital_number: str,
        *,
        author: str,
        at: datetime,
        language: str = "fr",
        contact: str = "",
        port_in_place: bool = False,
        preference: Preference = Preference.ANY,
    ) -> Patient:
        patient = Patient(
            _new_id(),
            " ".join(family_name.split()),
            " ".join(given_names.split()),
            hospital_number.strip(),
            language,
            contact,
            port_in_place,
            preference,
        )
        try:
            with self._transaction() as db:
                # Numbers differing only in case are one number (the window compares
                # them so too): "h001" is H001's.
                taken = db.scalar(
                    select(PatientRow.id).where(
                        func.lower(PatientRow.hospital_number) == patient.hospital_number.lower()
                    )
                )
                if taken is not None:
                    raise StoreError(
                        Message(
                            N_("a patient with hospital number {number} already exists"),
                            {"number": patient.hospital_number},
                        )
                    )
                db.add(_patient_row(patient, at))
                db.flush()
                db.add(
                    _audit(patient.id, None, "patient-created", _patient_json(patient), author, at)
                )
        except IntegrityError:  # pragma: no cover - the check above comes first
            raise
        _log.info("patient %s added", patient.id)
        return patient

    def update_patient(
        self,
        patient: Patient,
        *,
        author: str,
        at: datetime,
        note: str = "",
        port_rules: tuple[PortRule, ...] | None = None,
        **fields: Any,
    ) -> Patient:
        """Change a patient's details (port in place, contact...), recorded in the ledger.
        With ``port_rules`` (the unit's), the facts of the patient's plans in the patient
        list are saved again with it (else they are computed when the list is next read)."""
        updated = replace(patient, **fields)
        known = self._basis_and_settings(port_rules) if port_rules is not None else None
        with self._transaction() as db:
            row = db.get(PatientRow, patient.id)
            if row is None:
                raise NotFound(Message(N_("no patient {id}"), {"id": patient.id}))
            if _patient(row) != patient:
                raise Conflict(
                    Message(
                        N_("{name}'s record was changed by someone else; reload it"),
                        {"name": _patient(row).name},
                    )
                )
            if updated.hospital_number.casefold() != patient.hospital_number.casefold():
                taken = db.scalar(
                    select(PatientRow.id).where(
                        func.lower(PatientRow.hospital_number) == updated.hospital_number.lower(),
                        PatientRow.id != patient.id,
                    )
                )
                if taken is not None:
                    raise StoreError(
                        Message(
                            N_("a patient with hospital number {number} already exists"),
                            {"number": updated.hospital_number},
                        )
                    )
            row.family_name, row.given_names = updated.family_name, updated.given_names
            row.contact = updated.contact
            row.language, row.port_in_place = updated.language, updated.port_in_place
            row.hospital_number = updated.hospital_number
            row.preference = updated.preference.value
            row.version += 1
            changed = {
                k: v for k, v in _patient_json(updated).items() if _patient_json(patient)[k] != v
            }
            db.add(_audit(patient.id, None, "patient-updated", changed, author, at, note))
            if port_rules is not None and known is not None:
                basis, settings = known
                db.flush()
                plans = self._build(db, settings, "patient_id = :patient", patient=patient.id)
                plan_versions = facts.versions(db, [p.id for p in plans])
                self._write_facts(
                    db,
                    [(p, plan_versions[p.id][0], row.version) for p in plans],
                    basis,
                    port_rules,
                )
        _log.info("patient %s edited: %s", patient.id, ", ".join(sorted(changed)) or "nothing")
        return updated

    def patients(self) -> list[Patient]:
        with self._transaction() as db:
            rows = db.scalars(select(PatientRow))
            return sorted((_patient(row) for row in rows), key=lambda p: p.sort_key)

    def patient(self, key: str) -> Patient:
        """A patient by id or hospital number."""
        with self._transaction() as db:
            row = db.get(PatientRow, key) or db.scalar(
                select(PatientRow).where(PatientRow.hospital_number == key)
            )
        if row is None:
            raise NotFound(Message(N_("no patient '{key}'"), {"key": key}))
        return _patient(row)

    # ------------------------------------------------------------------ plans

    def create_plan(
        self,
        patient: Patient,
        regimen: Regimen,
        start: date,
        *,
        author: str,
        at: datetime,
        policy: Policy | None = None,
        closure_set: ClosureSet | None = None,
        options: PlanOptions | None = None,
        port_rules: tuple[PortRule, ...] | None = None,
    ) -> Plan:
        """A new plan for ``patient``; with ``port_rules`` (the unit's), the patient list's
        facts of it are saved with it (else they are computed when the list is next read)."""
        if port_rules is not None:
            basis, settings = self._basis_and_settings(port_rules)
        else:
            basis, settings = "", self.settings()
        snapshot = codec.regimen_to_json(regimen)
        digest = codec.digest(snapshot)
        plan_id = _new_id()
        policy = policy or settings.default_policy
        closure_set = closure_set or settings.closure_set
        options = options or PlanOptions(port_lead_days=settings.port_lead_days)
        plan = Plan(
            plan_id,
            patient,
            regimen,
            start,
            policy,
            settings.calendar(closure_set),
            options,
            settings.lab_rule,
        )
        with self._transaction() as db:
            if db.get(PatientRow, patient.id) is None:
                raise NotFound(Message(N_("no patient {id}"), {"id": patient.id}))
            if db.get(RegimenSnapshotRow, digest) is None:
                db.add(RegimenSnapshotRow(digest=digest, regimen_id=regimen.id, data=snapshot))
                db.flush()  # the snapshot row first: the plan refers to it
            _insert_plan(db, plan, digest, author, at)
            if port_rules is not None:
                patient_version = db.scalar(
                    select(PatientRow.version).where(PatientRow.id == patient.id)
                )
                self._write_facts(
                    db,
                    [(plan, 1, patient_version or 0)],
                    basis,
                    port_rules,
                )
        self._regimens[digest] = regimen
        _log.info("plan %s created for patient %s (regimen %s)", plan_id, patient.id, regimen.id)
        return plan

    def plan(self, plan_id: str) -> Plan:
        settings = self.settings()
        with self._transaction() as db:
            plans = self._build(db, settings, "id = :plan", plan=plan_id)
        if not plans:
            raise NotFound(Message(N_("no plan '{id}'"), {"id": plan_id}))
        return plans[0]

    def calendar_state(self, plan_id: str) -> dict[str, Any]:
        """What the plan's patient calendar was last given (empty before a first export)."""
        with self._transaction() as db:
            row = db.get(CalendarExportRow, plan_id)
            return dict(row.state) if row is not None else {}

    def save_calendar_state(
        self, plan_id: str, state: dict[str, Any], *, author: str, at: datetime
    ) -> None:
        """Remember what an export gave the patient's calendar, once the file is written."""
        with self._transaction() as db:
            if db.get(PlanRow, plan_id) is None:
                raise NotFound(Message(N_("no plan '{id}'"), {"id": plan_id}))
            db.merge(
                CalendarExportRow(plan_id=plan_id, state=state, exported_at=at, exported_by=author)
            )

    def plans(self, patient: Patient | None = None) -> list[Plan]:
        """Every plan (of ``patient``), oldest first, each with its whole ledger."""
        settings = self.settings()
        # Tens of thousands of immutable, acyclic values: no cyclic collection while building.
        with collector_paused(), self._transaction() as db:
            if patient is None:
                return self._build(db, settings)
            return self._build(db, settings, "patient_id = :patient", patient=patient.id)

    def _build(
        self,
        db: DbSession,
        settings: UnitSettings,
        where: str = "",
        *,
        lists: tuple[str, ...] = (),
        **params: Any,
    ) -> list[Plan]:
        """Plans with their patients and ledgers.

        This runs at every start on the unit's 2,000 plans and their tens of thousands of
        changes: plain SQL and hand decoding, about five times faster here than the ORM's
        per-column processing. ``where`` filters the plans (SQL on the ``plans`` table);
        ``lists`` names its parameters that are lists (``id IN :ids``).
        """
        condition = f"WHERE {where}" if where else ""

        def sql(statement: str) -> Any:
            query = text(statement)
            return query.bindparams(*(bindparam(n, expanding=True) for n in lists))

        rows = db.execute(
            sql(
                "SELECT id, patient_id, regimen_digest, start, policy, closure_set, options "
                f"FROM plans {condition} ORDER BY created_at, id"
            ),
            params,
        ).all()
        if not rows:
            return []
        patients = {
            row[0]: Patient(
                row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), Preference(row[7])
            )
            for row in db.execute(
                sql(
                    "SELECT id, family_name, given_names, hospital_number, language, contact, "
                    "port_in_place, preference "
                    f"FROM patients WHERE id IN (SELECT patient_id FROM plans {condition})"
                ),
                params,
            )
        }
        ledgers: dict[str, list[Entry]] = {row[0]: [] for row in rows}
        read_change = codec.change_from_json
        entries = db.execute(
            sql(
                "SELECT plan_id, seq, kind, payload, author, at, note FROM ledger "
                f"WHERE seq > 0 AND plan_id IN (SELECT id FROM plans {condition}) "
                "ORDER BY plan_id, seq"
            ),
            params,
        )
        ledger_rows = entries.all()
        # SQLite returns JSON and moments as text: decoding the unit's tens of thousands of
        # payloads as one JSON array is one call into the C decoder instead of one each.
        payloads = [row[3] for row in ledger_rows]
        if payloads and all(isinstance(p, str) for p in payloads):
            payloads = json.loads("[" + ",".join(payloads) + "]")
        for (plan_id, seq, kind, _, author, at, note), payload in zip(
            ledger_rows, payloads, strict=True
        ):
            change = read_change(kind, payload)
            ledgers[plan_id].append(Entry(seq, change, author, moment(at), note))
        plans = []
        calendars = {}
        for plan_id, patient_id, digest, start, policy, closures, options in rows:
            regimen = self._regimen(db, digest)
            closure_set = ClosureSet(closures)
            if closure_set not in calendars:
                calendars[closure_set] = settings.calendar(closure_set)
            plans.append(
                Plan(
                    id=plan_id,
                    patient=patients[patient_id],
                    regimen=regimen,
                    start=_day(start),
                    policy=Policy(policy),
                    calendar=calendars[closure_set],
                    options=codec.options_from_json(_json(options)),
                    lab_rule=settings.lab_rule,
                    ledger=tuple(ledgers[plan_id]),
                )
            )
        return plans

    def _regimen(self, db: DbSession, digest: str) -> Regimen:
        regimen = self._regimens.get(digest)
        if regimen is None:
            row = db.get(RegimenSnapshotRow, digest)
            if row is None:
                raise StoreError(Message(N_("a plan's regimen is missing from the database")))
            regimen = self._regimens[digest] = codec.regimen_from_json(row.data)
        return regimen

    def plan_ids(self) -> list[str]:
        """Every plan's id, oldest first (to read the plans a few hundred at a time)."""
        with self._transaction() as db:
            return list(db.scalars(select(PlanRow.id).order_by(PlanRow.created_at, PlanRow.id)))

    def plans_with_ids(
        self, plan_ids: list[str], settings: UnitSettings | None = None
    ) -> list[Plan]:
        """These plans, oldest first, each with its whole ledger (unknown ids are left out),
        built with ``settings`` (by default, the unit's as saved now)."""
        settings = settings or self.settings()
        found: list[Plan] = []
        with collector_paused(), self._transaction() as db:
            for start in range(0, len(plan_ids), facts.CHUNK):
                chunk = plan_ids[start : start + facts.CHUNK]
                found.extend(self._build(db, settings, "id IN :ids", lists=("ids",), ids=chunk))
        return found

    def plan_heads(self, plan_ids: list[str]) -> dict[str, PlanHead]:
        """Whose these plans are and their regimen, without their ledgers (a day's list)."""
        found: dict[str, PlanHead] = {}
        query = text(
            "SELECT pl.id, pl.regimen_digest, pa.id, pa.family_name, pa.given_names, "
            "pa.hospital_number, pa.language, pa.contact, pa.port_in_place, pa.preference "
            "FROM plans pl JOIN patients pa ON pa.id = pl.patient_id WHERE pl.id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        with self._transaction() as db:
            for start in range(0, len(plan_ids), facts.CHUNK):
                for row in db.execute(query, {"ids": plan_ids[start : start + facts.CHUNK]}):
                    patient = Patient(
                        row[2],
                        row[3],
                        row[4],
                        row[5],
                        row[6],
                        row[7],
                        bool(row[8]),
                        Preference(row[9]),
                    )
                    found[row[0]] = PlanHead(row[0], patient, self._regimen(db, row[1]))
        return found

    # ------------------------------------------------------------------ the patient list

    def patient_lines(self, port_rules: tuple[PortRule, ...]) -> quick.PatientLines:
        """Every patient, their plans and the plans' stored facts (one query), judged by
        the unit's settings and ``port_rules``: see :mod:`planner.store.facts`."""
        rules = facts.rules_digest(port_rules)
        with self._transaction() as db:
            return facts.read_lines(db, _unit_row(db), rules)

    def remember_shipped_rules(self, shipped: tuple[PortRule, ...]) -> None:
        """Keep the digest of the port rule table shipped with this program, for the patient
        list read before the catalogue is (planner.store.quick): once per program version."""
        memo = quick.shipped_memo(facts.rules_digest(shipped))
        with self._transaction() as db:
            row = db.get(SettingRow, quick.SHIPPED_KEY)
            if row is None:
                db.add(SettingRow(key=quick.SHIPPED_KEY, value=memo))
            elif row.value != memo:
                row.value = memo

    def refresh_facts(
        self,
        plan_ids: list[str],
        port_rules: tuple[PortRule, ...],
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, PlanFacts]:
        """Compute these plans' facts again and save them (those of a plan changed meanwhile
        by someone else are not saved: its change saved its own). ``progress(done, total)``
        is called as plans are computed; it may raise to stop (nothing is then saved)."""
        basis, settings = self._basis_and_settings(port_rules)
        # The versions first: a plan read after a change would then carry an older label,
        # and be computed again by the next reader; never the other way round.
        with self._transaction() as db:
            seen = facts.versions(db, plan_ids)
        labelled: list[tuple[Plan, int, int]] = []
        found: dict[str, PlanFacts] = {}
        total, done = len(plan_ids), 0
        for start in range(0, total, facts.CHUNK):
            plans = self.plans_with_ids(plan_ids[start : start + facts.CHUNK], settings)
            with collector_paused():
                for plan in plans:
                    found[plan.id] = plan_facts(schedule_of(plan, port_rules))
                    labelled.append((plan, *seen[plan.id]))
            done += len(plans)
            if progress is not None:
                progress(done, total)
        with self._transaction() as db:
            now = facts.versions(db, plan_ids)
            fresh = [(p, v, w) for p, v, w in labelled if now.get(p.id) == (v, w)]
            facts.write(
                db,
                [facts.Labelled(found[p.id], v, w) for p, v, w in fresh],
                basis,
            )
        return found

    def _write_facts(
        self,
        db: DbSession,
        plans: list[tuple[Plan, int, int]],
        basis: str,
        port_rules: tuple[PortRule, ...],
    ) -> None:
        """Compute and write these plans' facts, each with its plan's and patient's version."""
        with collector_paused():
            rows = [
                facts.Labelled(plan_facts(schedule_of(plan, port_rules)), v, w)
                for plan, v, w in plans
            ]
        facts.write(db, rows, basis)

    def record(
        self,
        plan: Plan,
        change: Change,
        *,
        author: str,
        at: datetime,
        today: date,
        port_rules: tuple[PortRule, ...],
        note: str = "",
    ) -> Plan:
        """Check ``change`` against the plan as saved, and append it to its ledger.

        ``plan`` is the plan as the caller saw it: if the saved ledger has moved on since,
        nothing is written and :class:`Conflict` says so.
        """
        basis, settings = self._basis_and_settings(port_rules)
        with self._transaction() as db:
            row = db.get(PlanRow, plan.id)
            if row is None:
                raise NotFound(Message(N_("no plan '{id}'"), {"id": plan.id}))
            saved = self._build(db, settings, "id = :plan", plan=plan.id)[0]
            if saved.ledger != plan.ledger:
                raise _plan_conflict(plan, saved)
            changed = changes.apply(
                saved,
                change,
                author=author,
                at=at,
                today=today,
                port_rules=port_rules,
                note=note,
            )
            entry = changed.ledger[-1]
            kind, payload = codec.change_to_json(entry.change)
            bumped = db.execute(
                update(PlanRow)
                .where(PlanRow.id == plan.id, PlanRow.version == row.version)
                .values(version=row.version + 1)
                .execution_options(synchronize_session=False)
            )
            if bumped.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict(Message(N_("this plan was changed by someone else; reload it")))
            db.add(_audit(saved.patient.id, plan.id, kind, payload, author, at, note, entry.seq))
            patient_version = db.scalar(
                select(PatientRow.version).where(PatientRow.id == saved.patient.id)
            )
            self._write_facts(
                db,
                [(changed, row.version + 1, patient_version or 0)],
                basis,
                port_rules,
            )
        _log.info("plan %s: %s recorded (change %d)", plan.id, kind, entry.seq)
        return changed

    def import_plans(
        self,
        plans: list[Plan],
        *,
        author: str,
        at: datetime,
        port_rules: tuple[PortRule, ...] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Save whole plans (their patients, regimens and ledgers) in one transaction.

        For bringing plans in from elsewhere (the demo unit); the ledgers must already be
        valid: build them with :func:`planner.core.changes.apply`. With ``port_rules`` (the
        unit's), the patient list's facts of the plans are saved with them.
        ``progress(done, total)`` is told as plans are written, every :data:`facts.CHUNK`;
        it may raise to stop (nothing is then saved).
        """
        basis = self._basis_and_settings(port_rules)[0] if port_rules is not None else ""
        with self._transaction() as db:
            known = set(db.scalars(select(PatientRow.id)))
            old = set(known)
            snapshots = set(db.scalars(select(RegimenSnapshotRow.digest)))
            digests: dict[int, str] = {}
            for plan in plans:
                regimen = plan.regimen
                if id(regimen) not in digests:
                    snapshot = codec.regimen_to_json(regimen)
                    digests[id(regimen)] = digest = codec.digest(snapshot)
                    if digest not in snapshots:
                        db.add(
                            RegimenSnapshotRow(digest=digest, regimen_id=regimen.id, data=snapshot)
                        )
                        snapshots.add(digest)
                patient = plan.patient
                if patient.id not in known:
                    known.add(patient.id)
                    db.add(_patient_row(patient, at))
            db.flush()
            # By chunks, as rows rather than ORM objects, the plans first (the audit trail
            # refers to them): a flush per plan took half of the demo's saving at 20,000
            # patients, the objects a third of the rest.
            total = len(plans)
            for start in range(0, total, facts.CHUNK):
                chunk = plans[start : start + facts.CHUNK]
                db.execute(
                    insert(PlanRow),
                    [_plan_values(p, digests[id(p.regimen)], author, at) for p in chunk],
                )
                db.execute(
                    insert(LedgerRow),
                    [row for p in chunk for row in _trail_values(p, author, at)],
                )
                if port_rules is not None:
                    labelled = [(p, 1 + len(p.ledger), 1) for p in chunk if p.patient.id not in old]
                    self._write_facts(db, labelled, basis, port_rules)
                if progress is not None:
                    progress(start + len(chunk), total)
        for plan in plans:
            self._regimens.setdefault(digests[id(plan.regimen)], plan.regimen)
        _log.info("%d plans imported", len(plans))

    def audit(self, patient: Patient) -> list[dict[str, Any]]:
        """The patient's whole trail (patient records and every plan's changes), oldest first."""
        with self._transaction() as db:
            rows = db.scalars(
                select(LedgerRow).where(LedgerRow.patient_id == patient.id).order_by(LedgerRow.id)
            )
            return [
                {
                    "plan": r.plan_id,
                    "seq": r.seq,
                    "kind": r.kind,
                    "payload": r.payload,
                    "author": r.author,
                    "at": r.at,
                    "note": r.note,
                }
                for r in rows
            ]


CHANGE_WORDS = {
    ChangeKind.DELAY: N_("a delay"),
    ChangeKind.OMIT: N_("drugs left out"),
    ChangeKind.GIVE: N_("a session recorded as given"),
    ChangeKind.STOP: N_("the end of the treatment"),
    ChangeKind.PROGRESSION: N_("a suspected progression"),
    ChangeKind.CONFIRM_PORT: N_("a port request"),
    ChangeKind.REVERT: N_("an undo"),
}


def _plan_conflict(seen: Plan, saved: Plan) -> Conflict:
    """Someone else changed the plan since ``seen`` was read: who, when and what."""
    newer = [e for e in saved.ledger if e.seq > len(seen.ledger)]
    if not newer:  # the ledgers differ otherwise (an entry rewritten): say it plainly
        return Conflict(
            Message(
                N_(
                    "this plan was changed by someone else since it was opened; "
                    "reload it and decide again"
                )
            )
        )
    last = newer[-1]
    return Conflict(
        Message(
            N_(
                "{author} recorded {what} in this plan at {time}, after you opened it; "
                "it is shown again as it is now: decide again"
            ),
            {
                "author": last.author,
                "what": Message(CHANGE_WORDS[change_kind(last.change)]),
                "time": last.at.astimezone(UNIT_ZONE).strftime("%H:%M"),
            },
        )
    )


def _port_rules_conflict(row: SettingRow | None) -> Conflict:
    """Someone else saved the unit's port rules since the caller read them: who and when."""
    value = row.value if row is not None else {}
    if "saved_by" in value and "saved_at" in value:
        return Conflict(
            Message(
                N_(
                    "{author} saved other port rules for the unit at {time}, after they were "
                    "read here; nothing was changed"
                ),
                {
                    "author": value["saved_by"],
                    "time": moment(value["saved_at"]).astimezone(UNIT_ZONE).strftime("%H:%M"),
                },
            )
        )
    return Conflict(
        Message(
            N_(
                "someone else changed the unit's port rules after they were read here; "
                "nothing was changed"
            )
        )
    )


def _patient_row(patient: Patient, at: datetime) -> PatientRow:
    return PatientRow(
        id=patient.id,
        family_name=patient.family_name,
        given_names=patient.given_names,
        hospital_number=patient.hospital_number,
        language=patient.language,
        contact=patient.contact,
        port_in_place=patient.port_in_place,
        preference=patient.preference.value,
        created_at=at,
        version=1,
    )


def _insert_plan(db: DbSession, plan: Plan, digest: str, author: str, at: datetime) -> None:
    """A plan's row, its "plan-created" line in the audit trail, and its ledger so far."""
    db.add(PlanRow(**_plan_values(plan, digest, author, at)))
    db.flush()  # the plan row first: the audit trail refers to it
    db.add_all(LedgerRow(**values) for values in _trail_values(plan, author, at))


def _plan_values(plan: Plan, digest: str, author: str, at: datetime) -> dict[str, Any]:
    """A new plan's row."""
    return {
        "id": plan.id,
        "patient_id": plan.patient.id,
        "regimen_id": plan.regimen.id,
        "regimen_digest": digest,
        "start": plan.start,
        "policy": plan.policy.value,
        "closure_set": plan.calendar.closure_set.value,
        "options": codec.options_to_json(plan.options),
        "created_at": at,
        "created_by": author,
        "version": 1 + len(plan.ledger),
    }


def _trail_values(plan: Plan, author: str, at: datetime) -> list[dict[str, Any]]:
    """A new plan's "plan-created" line in the audit trail, and its ledger so far."""
    created = {
        "regimen": plan.regimen.id,
        "start": plan.start.isoformat(),
        "policy": plan.policy.value,
        "closures": plan.calendar.closure_set.value,
    }
    patient_id = plan.patient.id
    rows = [_audit_values(patient_id, plan.id, "plan-created", created, author, at, seq=0)]
    for entry in plan.ledger:
        kind, payload = codec.change_to_json(entry.change)
        rows.append(
            _audit_values(
                patient_id, plan.id, kind, payload, entry.author, entry.at, entry.note, entry.seq
            )
        )
    return rows


def _unit_row(db: DbSession) -> dict[str, Any] | None:
    """The unit's settings as stored (None: never saved)."""
    row = db.get(SettingRow, UNIT_KEY)
    return None if row is None else dict(row.value)


def _settings_from(value: dict[str, Any] | None) -> UnitSettings:
    if value is None:
        return UnitSettings()
    return UnitSettings(
        name=value["name"],
        address=value["address"],
        phone=value["phone"],
        closure_set=ClosureSet(value["closure_set"]),
        unit_closures=codec.unit_closures_from_json(value["unit_closures"]),
        open_days=frozenset(date.fromisoformat(d) for d in value["open_days"]),
        lab_rule=codec.lab_rule_from_json(value["lab_rule"]),
        default_policy=Policy(value["default_policy"]),
        port_lead_days=value["port_lead_days"],
        session_reminder=_time(value.get("session_reminder", "18:00")),
        lab_reminder=_time(value.get("lab_reminder", "18:00")),
    )


def _json(value: Any) -> Any:
    """A JSON column read with plain SQL: text on SQLite, already decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _time_text(value: time | None) -> str | None:
    return value.isoformat(timespec="minutes") if value is not None else None


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _patient_json(patient: Patient) -> dict[str, Any]:
    return {
        "family_name": patient.family_name,
        "given_names": patient.given_names,
        "hospital_number": patient.hospital_number,
        "language": patient.language,
        "contact": patient.contact,
        "port_in_place": patient.port_in_place,
        "preference": patient.preference.value,
    }


def _audit(
    patient_id: str,
    plan_id: str | None,
    kind: str,
    payload: dict[str, Any],
    author: str,
    at: datetime,
    note: str = "",
    seq: int | None = None,
) -> LedgerRow:
    return LedgerRow(**_audit_values(patient_id, plan_id, kind, payload, author, at, note, seq))


def _audit_values(
    patient_id: str,
    plan_id: str | None,
    kind: str,
    payload: dict[str, Any],
    author: str,
    at: datetime,
    note: str = "",
    seq: int | None = None,
) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "plan_id": plan_id,
        "seq": seq,
        "kind": kind,
        "payload": payload,
        "author": author,
        "at": at,
        "note": note,
    }


def _operational(exc: OperationalError, location: Location) -> StoreError:
    text = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in text or "read-only" in text:
        return StoreError(
            Message(
                N_("the database {url} is read-only: nothing was saved"), {"url": location.display}
            )
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            Message(
                N_(
                    "the database {url} is busy (another program is writing); nothing was "
                    "saved, try again"
                ),
                {"url": location.display},
            )
        )
    if "disk" in text and "full" in text:
        return StoreError(
            Message(
                N_("the disk holding {url} is full: nothing was saved"), {"url": location.display}
            )
        )
    return StoreError(
        Message(
            N_("the database {url} cannot be used: {error}"),
            {"url": location.display, "error": getattr(exc, "orig", exc)},
        )
    )
