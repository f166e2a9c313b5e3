"""The patient list read straight from a SQLite file, before the database layer: the same
lines as the full reading, or nothing when they could be stale."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from planner.catalog import Catalog
from planner.core.closures import UnitClosure
from planner.core.port import PortCriterion, PortLevel, PortRule
from planner.core.regimen import AgentClass
from planner.day_hospital.demo import save_demo
from planner.day_hospital.patient_list import patient_list
from planner.store import Store
from planner.store.quick import quick_list, sqlite_file

TODAY = date(2027, 3, 1)
AT = datetime(2027, 3, 1, 9, tzinfo=UTC)
LATER = datetime(2027, 3, 1, 10, tzinfo=UTC)


@pytest.fixture
def unit(tmp_path: Path, catalog: Catalog) -> Path:
    """A demo unit of 60 patients, opened once the full way (which remembers the digest of
    the shipped port rules)."""
    path = tmp_path / "unit.db"
    with Store.open(path) as store:
        save_demo(store, catalog, 60, TODAY, at=AT)
        patient_list(store, catalog.port_rules, TODAY, "fr", shipped=catalog.shipped_port_rules)
    return path


def _full(path: Path, catalog: Catalog, lang: str = "fr") -> list[object]:
    with Store.open(path) as store:
        return list(patient_list(store, catalog.port_rules, TODAY, lang))


def test_the_quick_list_is_the_full_list(unit: Path, catalog: Catalog) -> None:
    quick = quick_list(unit, TODAY, "fr")
    assert quick is not None
    assert len(quick) == 60
    assert quick == _full(unit, catalog)
    assert quick_list(unit, TODAY, "en") == _full(unit, catalog, "en")


def test_it_imports_neither_the_database_layer_nor_the_engine(unit: Path) -> None:
    script = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from planner.store.quick import quick_list\n"
        f"assert quick_list(Path({str(unit)!r}), date(2027, 3, 1), 'fr')\n"
        "print(sorted(m for m in ('sqlalchemy', 'holidays', 'babel', 'planner.core.engine')"
        " if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_plan_changed_by_a_program_that_does_not_write_facts_gives_up(unit: Path) -> None:
    with Store.open(unit) as store, store.engine.begin() as db:
        db.execute(text("UPDATE plans SET version = version + 1 WHERE rowid = 1"))
    assert quick_list(unit, TODAY, "fr") is None


def test_new_closures_or_port_rules_give_up_until_the_facts_are_computed_again(
    unit: Path, catalog: Catalog
) -> None:
    with Store.open(unit) as store:
        settings = store.settings()
        store.save_settings(replace(settings, unit_closures=(UnitClosure(TODAY, "travaux"),)))
    assert quick_list(unit, TODAY, "fr") is None
    assert quick_list(unit, TODAY, "fr") is None  # still: nothing was computed
    full = _full(unit, catalog)
    assert quick_list(unit, TODAY, "fr") == full  # computed again by the full reading
    own = (
        PortRule(
            PortLevel.REQUIRED, PortCriterion.CLASS, classes=frozenset({AgentClass.IMMUNOTHERAPY})
        ),
    )
    with Store.open(unit) as store:
        store.save_port_rules(own, expected=None, author="cb", at=AT)
        assert quick_list(unit, TODAY, "fr") is None
        lines = patient_list(store, own, TODAY, "fr")
    assert quick_list(unit, TODAY, "fr") == lines  # the unit's own rules: no memo needed


def test_another_program_version_or_shipped_table_gives_up(unit: Path) -> None:
    with Store.open(unit) as store, store.engine.begin() as db:
        memo = json.loads(
            db.execute(
                text("SELECT value FROM unit_settings WHERE key = 'shipped_port_rules'")
            ).scalar_one()
        )
        memo["file"] = "0" * 64  # the table of another installation
        db.execute(
            text("UPDATE unit_settings SET value = :v WHERE key = 'shipped_port_rules'"),
            {"v": json.dumps(memo)},
        )
    assert quick_list(unit, TODAY, "fr") is None


@pytest.mark.parametrize("what", ["missing", "not a database", "older schema"])
def test_anything_unusual_gives_up_for_the_full_opening_to_say(
    tmp_path: Path, unit: Path, what: str
) -> None:
    path = tmp_path / "other.db"
    if what == "not a database":
        path.write_text("a letter, not a database")
    elif what == "older schema":
        path.write_bytes(unit.read_bytes())
        with Store.open(path) as store, store.engine.begin() as db:
            db.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    assert quick_list(path, TODAY, "fr") is None
    if what == "missing":
        assert not path.exists()  # never created by a reading


def test_a_file_or_the_default_is_read_quickly_a_server_is_not(tmp_path: Path) -> None:
    assert sqlite_file(str(tmp_path / "u.db")) == tmp_path / "u.db"
    assert sqlite_file("postgresql+psycopg://cb@db.hopital.fr/hdj") is None
    assert sqlite_file(None, {"PLANNER_DATABASE_URL": "postgresql://x/y"}) is None
    assert sqlite_file(None, {}).name == "planner.db"  # type: ignore[union-attr]


def test_a_patients_latest_plan_not_stopped_is_the_one_listed(unit: Path, catalog: Catalog) -> None:
    from planner.core.plan import Stop
    from planner.core.plan_schedule import schedule_of

    rules = catalog.port_rules
    with Store.open(unit) as store:
        first = next(p for p in store.plans() if not schedule_of(p, rules).stopped)
        patient = first.patient
        second = store.create_plan(
            patient,
            catalog.regimen("nivolumab-480-q4w"),
            TODAY,
            author="cb",
            at=LATER,
            port_rules=rules,
        )
    [line] = [s for s in quick_list(unit, TODAY, "en") or [] if s.patient.id == patient.id]
    assert line.plan_id == second.id
    with Store.open(unit) as store:
        stop = Stop(TODAY, "allergy")
        store.record(second, stop, author="cb", at=AT, today=TODAY, port_rules=rules)
    [line] = [s for s in quick_list(unit, TODAY, "en") or [] if s.patient.id == patient.id]
    assert line.plan_id == first.id  # the new one stopped: the one going on
    assert quick_list(unit, TODAY, "en") == _full(unit, catalog, "en")


def test_a_folder_whose_name_reads_as_an_address_is_a_folder(tmp_path: Path, unit: Path) -> None:
    """ "HDJ #2" would be "HDJ " and a fragment in an address: read as the store reads it."""
    folder = tmp_path / "HDJ #2 ?"
    folder.mkdir()
    moved = folder / "unit.db"
    moved.write_bytes(unit.read_bytes())
    assert quick_list(moved, TODAY, "fr") == quick_list(unit, TODAY, "fr")


def test_a_patient_without_a_plan_and_any_later_day_read_as_the_full_list(
    unit: Path, catalog: Catalog
) -> None:
    """A patient registered before their regimen is chosen has their line; on a later day
    the next sessions and the ports now placed too late are those of the full reading."""
    with Store.open(unit) as store:
        store.add_patient("ÉTIENNE", "Zoé", "HN-NEW", author="cb", at=LATER)
    quick = quick_list(unit, TODAY, "fr")
    assert quick is not None
    [line] = [s for s in quick if s.patient.hospital_number == "HN-NEW"]
    assert (line.plan_id, line.next_session, line.warnings) == (None, None, 0)
    assert quick == _full(unit, catalog)
    for weeks in (1, 6, 30, 200):
        day = TODAY + timedelta(weeks=weeks)
        with Store.open(unit) as store:
            full = list(patient_list(store, catalog.port_rules, day, "en"))
        assert quick_list(unit, day, "en") == full, day


def test_the_list_is_by_name_and_makes_a_line_only_when_asked_for(unit: Path) -> None:
    quick = quick_list(unit, TODAY, "fr")
    assert quick is not None
    assert quick.ids  # every patient's id is known at once...
    assert quick._lines == [None] * len(quick)  # ...and no line is made until asked for
    keys = [line.patient.sort_key for line in quick]
    assert keys == sorted(keys)
    assert [line.patient.id for line in quick] == quick.ids
