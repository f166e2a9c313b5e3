"""The patient list's facts in the database: written with every plan change, read in one
query at start-up, and never believed when stale.

Each row of ``plan_facts`` (:class:`planner.store.schema.PlanFactsRow`) is labelled with
what it was computed from: the plan's version (bumped by every change), the patient's
version (a port put in place changes the warnings) and a *basis*, the digest of everything
else a plan's calendar depends on (the program's version, the unit's closures, open days
and lab rule, the port rules: :func:`planner.store.quick.basis_of`). A reader compares the
labels with the plan and patient rows in the same query: a row that is missing or whose
labels differ is *stale*, and its plan's facts are computed again
(:meth:`planner.store.Store.refresh_facts`) before they are shown. So a change made by
another program (an older version, a script) can make the list slower to open, never wrong.

The labels of a row are always read *before* what the facts are computed from (the versions
before the plan, the settings' basis together with the settings the plan is built with), so
a row can claim older inputs than it was computed from (and be computed again), never newer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as DbSession

from planner.core.port import PortRule
from planner.core.summary import PlanFacts
from planner.store import codec, quick
from planner.store.schema import PlanFactsRow

CHUNK = 500
"""Plans per statement when rows are written or read by id (SQLite's limit on parameters)."""


def rules_digest(port_rules: tuple[PortRule, ...]) -> str:
    """The digest of a port rule table (:func:`quick.rules_digest` of its stored form)."""
    stored = codec.port_rules_to_json(port_rules, saved_by="", saved_at=_EPOCH)
    return quick.rules_digest(stored["rules"])


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Labelled:
    """Facts with the versions of the plan and patient they were computed from."""

    facts: PlanFacts
    plan_version: int
    patient_version: int


def write(db: DbSession, rows: Sequence[Labelled], basis_: str) -> None:
    """Put these facts in place of the plans' old ones (in the caller's transaction).

    One statement that inserts, or updates the row already there: two windows of a shared
    unit computing the same stale facts at once (new port rules seen by both) would
    otherwise both delete, then both insert, and the second would fail on the first's row.
    """
    if not rows:
        return
    dialect = db.get_bind().dialect.name
    upsert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        statement = upsert(PlanFactsRow).values(
            [
                {
                    "plan_id": r.facts.plan_id,
                    "plan_version": r.plan_version,
                    "patient_version": r.patient_version,
                    "basis": basis_,
                    "regimen_fr": r.facts.regimen.fr,
                    "regimen_en": r.facts.regimen.en,
                    "stopped": r.facts.stopped,
                    "to_give": r.facts.to_give,
                    "warnings": r.facts.warnings,
                    "port_late_after": r.facts.port_late_after,
                }
                for r in chunk
            ]
        )
        db.execute(
            statement.on_conflict_do_update(
                index_elements=[PlanFactsRow.plan_id],
                set_={
                    name: statement.excluded[name]
                    for name in (
                        "plan_version",
                        "patient_version",
                        "basis",
                        "regimen_fr",
                        "regimen_en",
                        "stopped",
                        "to_give",
                        "warnings",
                        "port_late_after",
                    )
                },
            )
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


def read_lines(db: DbSession, unit: dict[str, Any] | None, rules: str) -> quick.PatientLines:
    """Every patient, their plans and the plans' facts, in one query (:data:`quick.LIST_SQL`),
    judged against the basis of the unit's settings as stored (``unit``) and ``rules``."""
    return quick.lines_from_rows(db.execute(text(quick.LIST_SQL)), quick.basis_of(unit, rules))
