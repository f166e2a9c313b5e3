"""The patient list straight from a SQLite file, before the database layer is imported.

Importing SQLAlchemy and the scheduling engine takes about 0.3 s here, twice what a bare
window takes to appear; a coordinator who opens the program many times a day should see the
list at once. The list's lines come from the facts the store keeps with each plan
(:mod:`planner.store.facts`), so they can be read with Python's own ``sqlite3`` and one
query, and shown while the rest of the unit opens.

This module is also where those facts are read and judged for everyone (the store runs the
same query and :func:`lines_from_rows` through SQLAlchemy, on SQLite and PostgreSQL): a row
is believed only when its labels match the plan's version, the patient's version and the
*basis* (:func:`basis_of`), so the quick reading is never more stale than the full one. It
gives up (None) on anything unusual — another schema revision, a stale row, a busy or
damaged file — and the window then waits for the full opening, which says what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path, PurePath
from typing import Any, TypeVar
from urllib.parse import quote

from planner import __version__, resources
from planner.core.patient import Patient, Preference, sort_key_of
from planner.core.summary import (
    PatientSummary,
    PlanFacts,
    SummaryList,
    patient_summary,
)
from planner.core.text import Text
from planner.core.values import collector_paused

HEAD_REVISION = "0007"
"""The schema revision this version of the program writes: the newest migration's (a test
keeps the two equal). A database already there opens without importing Alembic, which
costs about 0.6 s, more than everything else the program does before its window shows; it is
also the only revision read here."""

URL_VARIABLE = "PLANNER_DATABASE_URL"
DEFAULT_FILE = "planner.db"

UNIT_KEY = "unit"
PORT_RULES_KEY = "port_rules"
SHIPPED_KEY = "shipped_port_rules"
"""The settings row of :func:`shipped_memo`."""

LIST_SQL = (
    "SELECT pa.id, pa.family_name, pa.given_names, pa.hospital_number, pa.language, "
    "pa.contact, pa.port_in_place, pa.preference, pa.version, "
    "pl.id, pl.version, pl.regimen_id, f.plan_version, f.patient_version, f.basis, "
    "f.regimen_fr, f.regimen_en, f.stopped, f.to_give, f.warnings, f.port_late_after, "
    "pl.created_at "
    "FROM patients pa LEFT JOIN plans pl ON pl.patient_id = pa.id "
    "LEFT JOIN plan_facts f ON f.plan_id = pl.id"
)
"""Every patient, their plans and the plans' stored facts with their labels (in no order:
a patient's plans are put oldest first by :func:`lines_from_rows`, which is 25 ms quicker
for 20,000 than asking the database to sort the rows)."""


def _digest(data: Any) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@cache
def shipped_file_digest() -> str:
    """The digest of the port rule file shipped with this program, as it is on disk."""
    return hashlib.sha256(resources.port_rules_file().read_bytes()).hexdigest()


def rules_digest(rules: list[Any]) -> str:
    """The digest of a port rule table in its stored form (``codec.port_rules_to_json``)."""
    return _digest(rules)


def basis_of(unit: dict[str, Any] | None, rules: str) -> str:
    """The digest of what a plan's calendar depends on beyond its own rows: this program's
    version, the unit's closures, open days and lab rule (its settings as stored; None: not
    saved) and the port rules (their :func:`rules_digest`)."""
    unit = unit or {}
    return _digest(
        {
            "program": __version__,
            "unit_closures": unit.get("unit_closures"),
            "open_days": unit.get("open_days"),
            "lab_rule": unit.get("lab_rule"),
            "port_rules": rules,
        }
    )


def shipped_memo(rules: str) -> dict[str, str]:
    """What the database remembers of the shipped table's :func:`rules_digest` (written by
    the full opening, which reads the table): a unit without rules of its own is read here
    only while this program and its file are the ones it was remembered for."""
    return {"program": __version__, "file": shipped_file_digest(), "rules": rules}


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

    def summaries(
        self, today: date, lang: str, more: dict[str, PlanFacts] | None = None
    ) -> list[PatientSummary]:
        """Every patient's line on ``today`` (with ``more`` facts: the stale ones, computed
        again)."""
        found = self.facts if not more else self.facts | more
        lines = []
        for patient, plans in self.patients:
            if len(plans) == 1 and plans[0] in found:  # most patients: one plan, shown
                f = found[plans[0]]
                lines.append(
                    PatientSummary(
                        patient,
                        f.plan_id,
                        f.regimen.get(lang),
                        f.next_session(today),
                        f.warnings_on(today),
                    )
                )
            else:
                own = [found[p] for p in plans if p in found]
                lines.append(patient_summary(patient, own, today, lang))
        return lines


_PREFERENCES = {p.value: p for p in Preference}
T = TypeVar("T")


def lines_from_rows(rows: Iterable[Sequence[Any]], basis: str) -> PatientLines:
    """The rows of :data:`LIST_SQL`, judged against ``basis``."""
    patients: dict[str, tuple[Patient, list[str]]] = {}
    facts: dict[str, PlanFacts] = {}
    stale: list[str] = []
    regimen_ids: dict[str, str] = {}
    texts: dict[tuple[str, str], Text] = {}
    fromisoformat = date.fromisoformat
    created: dict[str, Any] = {}
    several: dict[str, list[str]] = {}
    for row in rows:
        pid, patient_version = row[0], row[8]
        entry = patients.get(pid)
        if entry is None:
            family, given, number, lang, contact, port, preference = row[1:8]
            patient = Patient(
                pid, family, given, number, lang, contact, bool(port), _PREFERENCES[preference]
            )
            entry = patients[pid] = (patient, [])
        plan_id = row[9]
        if plan_id is None:
            continue
        entry[1].append(plan_id)
        if len(entry[1]) > 1:
            several[pid] = entry[1]
        created[plan_id] = row[21]
        regimen_ids[plan_id] = row[11]
        if row[12] != row[10] or row[13] != patient_version or row[14] != basis:
            stale.append(plan_id)
            continue
        names = (row[15], row[16])
        regimen = texts.get(names)
        if regimen is None:
            regimen = texts[names] = Text(fr=row[15], en=row[16])
        late = row[20]
        if late is not None and not isinstance(late, date):
            late = fromisoformat(late)
        facts[plan_id] = PlanFacts(plan_id, regimen, bool(row[17]), row[18], row[19], late)
    for plans in several.values():  # oldest first (the last one not stopped is shown)
        plans.sort(key=lambda plan_id: (created[plan_id], plan_id))
    ordered = sorted(patients.values(), key=lambda e: e[0].sort_key)
    return PatientLines(ordered, regimen_ids, facts, stale)


def sqlite_file(where: str | Path | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The SQLite file ``where`` names (as :func:`planner.store.database.locate` reads it:
    a file, else $PLANNER_DATABASE_URL, else planner.db in the user's data folder); None for
    a server, or an address read only by the full opening."""
    env = os.environ if environ is None else environ
    if where is None:
        where = env.get(URL_VARIABLE) or resources.user_data_dir() / DEFAULT_FILE
    text = str(where)
    if "://" in text:
        return None
    return Path(text).expanduser().resolve()


def absolute(path: Path) -> Path:
    """``path`` from the root, as written: not resolved, which on Windows would also turn a
    mapped network drive (Z:) into its server's name (python/cpython#82174)."""
    return Path(os.path.abspath(path))


def sqlite_uri(path: PurePath, query: str) -> str:
    """A ``file:`` URI that SQLite opens as ``path`` (absolute), with ``query`` (mode=ro...).

    The path's "%", "?" and "#" are escaped: a folder named "HDJ #2" is part of the path, not
    the start of a fragment (SQLite would open "HDJ " instead, an empty database). The
    authority is left empty, so that a Windows drive (``file:///C:/...``) and a network path
    (``file:////server/share/...``) both read as paths.
    """
    text = path.as_posix()
    if not text.startswith("/"):
        text = "/" + text  # C:/... -> /C:/... (SQLite drops the slash before a drive)
    return f"file://{quote(text, safe='/:')}?{query}"


EARLY_SQL = (
    "SELECT pa.id, pa.family_name, pa.given_names, pa.hospital_number, pa.language, "
    "pa.contact, pa.port_in_place, pa.preference, pl.id, f.regimen_{lang}, f.stopped, "
    "f.to_give, f.warnings, f.port_late_after, pl.created_at, "
    "pl.id IS NOT NULL AND (f.plan_id IS NULL OR f.plan_version != pl.version "
    "OR f.patient_version != pa.version OR f.basis != :basis) "
    "FROM patients pa LEFT JOIN plans pl ON pl.patient_id = pa.id "
    "LEFT JOIN plan_facts f ON f.plan_id = pl.id"
)
"""The patient list as the window first shows it: what :data:`LIST_SQL` reads, judged by
the database (the last column: the plan's facts are missing or stale) and only in the
language shown, so that 20,000 patients are about 70 ms of reading, half of LIST_SQL's."""

_STALE = 15


def _early_patient(row: Sequence[Any]) -> Patient:
    family, given, number, lang, contact, port, preference = row[1:8]
    return Patient(
        row[0], family, given, number, lang, contact, bool(port), _PREFERENCES[preference]
    )


def _early_facts(row: Sequence[Any]) -> PlanFacts:
    late = row[13]
    if late is not None and not isinstance(late, date):
        late = date.fromisoformat(late)
    return PlanFacts(row[8], Text.same(row[9]), bool(row[10]), row[11], row[12], late)


def _name_order(row: Sequence[Any]) -> tuple[str, str, str]:
    return sort_key_of(row[1], row[2], row[3])


def early_list(rows: list[Any], today: date) -> SummaryList:
    """The rows of :data:`EARLY_SQL`, none stale, as the patient list on ``today``: by name,
    each line made when first asked for (the window shows a few dozen at a time)."""
    by_patient = {row[0]: row for row in rows}
    several: dict[str, list[Any]] = {}
    if len(by_patient) != len(rows):
        seen: dict[str, list[Any]] = {}
        for row in rows:
            seen.setdefault(row[0], []).append(row)
        several = {pid: own for pid, own in seen.items() if len(own) > 1}
        rows = list(by_patient.values())
    rows.sort(key=_name_order)

    def make(at: int) -> PatientSummary:
        row = rows[at]
        own = several.get(row[0], [row])
        if len(own) > 1:  # oldest first, as lines_from_rows puts them
            own = sorted(own, key=lambda r: (r[14], r[8]))
        facts = [_early_facts(r) for r in own if r[8] is not None]
        # The regimen's name was read in the language shown alone: "fr" takes it as it is.
        return patient_summary(_early_patient(row), facts, today, "fr")

    return SummaryList([row[0] for row in rows], make)


def quick_list(path: Path, today: date, lang: str) -> SummaryList | None:
    """The patient list of the SQLite file at ``path`` when its stored facts are all up to
    date, by name (each line made when first asked for); None otherwise (see the module's
    docstring)."""
    column = "fr" if lang == "fr" else "en"  # as Text.get
    rows = _read(
        path, lambda c, basis: c.execute(EARLY_SQL.format(lang=column), {"basis": basis}).fetchall()
    )
    if rows is None or any(row[_STALE] for row in rows):
        return None
    return early_list(rows, today)


def quick_lines(path: Path) -> PatientLines | None:
    """The patients, plans and facts of the SQLite file at ``path`` when its stored facts
    are all up to date; None otherwise (see the module's docstring)."""

    def read(connection: sqlite3.Connection, basis: str) -> PatientLines:
        with collector_paused():  # 100,000 values for 20,000 patients
            return lines_from_rows(connection.execute(LIST_SQL), basis)

    lines = _read(path, read)
    return None if lines is None or lines.stale else lines


def _read(path: Path, read: Callable[[sqlite3.Connection, str], T]) -> T | None:
    """What ``read`` reads from the SQLite file at ``path`` (given a read-only connection in
    a read transaction, and the basis its facts are to match); None when the file cannot be
    read this way (see the module's docstring)."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(sqlite_uri(absolute(path), "mode=rw"), uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.execute("BEGIN")  # one state of the file, read from start to end
        return read(connection, _basis(connection))
    except (sqlite3.Error, OSError, ValueError, TypeError, KeyError):
        return None
    finally:
        connection.close()


def _basis(connection: sqlite3.Connection) -> str:
    [revision] = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision != HEAD_REVISION:
        raise ValueError(revision)
    stored = {
        key: json.loads(value)
        for key, value in connection.execute(
            "SELECT key, value FROM unit_settings WHERE key IN (?, ?, ?)",
            (UNIT_KEY, PORT_RULES_KEY, SHIPPED_KEY),
        )
    }
    if PORT_RULES_KEY in stored:
        rules = rules_digest(stored[PORT_RULES_KEY]["rules"])
    else:
        memo = stored.get(SHIPPED_KEY, {})
        if {k: memo.get(k) for k in ("program", "file")} != {
            "program": __version__,
            "file": shipped_file_digest(),
        }:
            raise ValueError("another program's memo")
        rules = memo["rules"]
    return basis_of(stored.get(UNIT_KEY), rules)
