"""The patient list's facts in the database: written with every plan change, read in one
query at start-up, and never believed when stale.

Each row of ``plan_facts`` (:class:`planner.store.schema.PlanFactsRow`) is labelled with
what it was computed from: the plan's version (bumped by every change), the patient's
version (a port put in place changes the warnings) and a *basis*, the digest of everything
else a plan's calendar depends on (the program's version, the unit's closures, open days
and lab rule, the port rules). A reader compares the labels with the plan and patient rows
in the same query: a row that is missing or whose labels differ is *stale*, and its plan's
facts are computed again (:meth:`planner.store.Store.refresh_facts`) before they are shown.
So a change made by another program (an older version, a script) can make the list slower
to open, never wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, text
from sqlalchemy.orm import Session as DbSession

from planner import __version__
from planner.core.booking import Preference
from planner.core.plan import Patient
from planner.core.port import PortRule
from planner.core.settings import UnitSettings
from planner.core.summary import PlanFacts
from planner.core.text import Text
from planner.store import codec
from planner.store.schema import PlanFactsRow

CHUNK = 500
"""Plans per statement when rows are written or read by id (SQLite's limit on parameters)."""


def basis(settings: UnitSettings, port_rules: tuple[PortRule, ...]) -> str:
    """The digest of what a plan's calendar depends on beyond its own rows."""
    rules = codec.port_rules_to_json(
        port_rules, saved_by="", saved_at=datetime(2000, 1, 1, tzinfo=UTC)
    )
    return codec.digest(
        {
            "program": __version__,
            "unit_closures": codec.unit_closures_to_json(settings.unit_closures),
            "open_days": sorted(d.isoformat() for d in settings.open_days),
            "lab_rule": codec.lab_rule_to_json(settings.lab_rule),
            "port_rules": rules["rules"],
        }
    )


@dataclass(frozen=True, slots=True)
class Labelled:
    """Facts with the versions of the plan and patient they were computed from."""

    facts: PlanFacts
    plan_version: int
    patient_version: int


def write(db: DbSession, rows: Sequence[Labelled], basis_: str) -> None:
    """Put these facts in place of the plans' old ones (in the caller's transaction)."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        db.execute(
            delete(PlanFactsRow).where(PlanFactsRow.plan_id.in_([r.facts.plan_id for r in chunk]))
        )
        db.execute(
            insert(PlanFactsRow),
            [
                {
                    "plan_id": r.facts.plan_id,
                    "plan_version": r.plan_version,
                    "patient_version": r.patient_version,
                    "basis": basis_,
                    "regimen_fr": r.facts.regimen.fr,
                    "regimen_en": r.facts.regimen.en,
                    "stopped": r.facts.stopped,
                    "to_give": " ".join(d.isoformat() for d in r.facts.to_give),
                    "warnings": r.facts.warnings,
                    "port_late_after": r.facts.port_late_after,
                }
                for r in chunk
            ],
        )


def versions(db: DbSession, plan_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Each plan's version and its patient's, as saved now."""
    ids = list(plan_ids)
    found: dict[str, tuple[int, int]] = {}
    query = text(
        "SELECT plans.id, plans.version, patients.version FROM plans "
        "JOIN patients ON patients.id = plans.patient_id WHERE plans.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(ids), CHUNK):
        for plan_id, plan_version, patient_version in db.execute(
            query, {"ids": ids[start : start + CHUNK]}
        ):
            found[plan_id] = (plan_version, patient_version)
    return found


@dataclass(frozen=True, slots=True)
class PatientLines:
    """The unit's patients with their plans, and the plans' facts as stored."""

    patients: list[tuple[Patient, list[str]]]
    """Each patient (by family name) with their plans' ids, oldest first."""
    regimen_ids: dict[str, str]
    """Each plan's regimen id."""
    facts: dict[str, PlanFacts]
    """The facts of the plans whose stored facts are up to date."""
    stale: list[str]
    """The plans whose facts are missing or stale: to compute again before being shown."""


_LIST = text(
    "SELECT pa.id, pa.family_name, pa.given_names, pa.hospital_number, pa.language, "
    "pa.contact, pa.port_in_place, pa.preference, pa.version, "
    "pl.id, pl.version, pl.regimen_id, f.plan_version, f.patient_version, f.basis, f.regimen_fr, "
    "f.regimen_en, f.stopped, f.to_give, f.warnings, f.port_late_after "
    "FROM patients pa LEFT JOIN plans pl ON pl.patient_id = pa.id "
    "LEFT JOIN plan_facts f ON f.plan_id = pl.id "
    "ORDER BY pl.created_at, pl.id"
)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def read_lines(db: DbSession, basis_: str) -> PatientLines:
    """Every patient, their plans and the plans' facts, in one query."""
    patients: dict[str, tuple[Patient, list[str]]] = {}
    facts: dict[str, PlanFacts] = {}
    stale: list[str] = []
    regimen_ids: dict[str, str] = {}
    fromisoformat = date.fromisoformat
    texts: dict[tuple[str, str], Text] = {}
    for row in db.execute(_LIST).all():
        pid, patient_version = row[0], row[8]
        entry = patients.get(pid)
        if entry is None:
            family, given, number, lang, contact, port, preference = row[1:8]
            patient = Patient(
                pid, family, given, number, lang, contact, bool(port), Preference(preference)
            )
            entry = patients[pid] = (patient, [])
        plan_id = row[9]
        if plan_id is None:
            continue
        entry[1].append(plan_id)
        regimen_ids[plan_id] = row[11]
        if row[12] != row[10] or row[13] != patient_version or row[14] != basis_:
            stale.append(plan_id)
            continue
        names = (row[15], row[16])
        regimen = texts.get(names)
        if regimen is None:
            regimen = texts[names] = Text(fr=row[15], en=row[16])
        to_give = tuple(map(fromisoformat, row[18].split())) if row[18] else ()
        facts[plan_id] = PlanFacts(plan_id, regimen, bool(row[17]), to_give, row[19], _day(row[20]))
    ordered = sorted(patients.values(), key=lambda e: e[0].sort_key)
    return PatientLines(ordered, regimen_ids, facts, stale)
