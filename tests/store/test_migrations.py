"""Databases of every earlier schema version open, migrate, and keep everything."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from planner.catalog import load_catalog
from planner.core.closures import ClosureSet
from planner.core.plan import ConfirmPort, Delay, Give, Omit, Revert, Stop, SuspectProgression
from planner.core.plan_schedule import schedule_of
from planner.core.schedule import DelayReason, EventKind, Policy
from planner.store import Store
from planner.store.database import _alembic_config, head_revision

DATA = Path(__file__).parent / "data"
FIXTURES = sorted(DATA.glob("schema-*.sqlite"))


def test_every_schema_revision_has_a_stored_database() -> None:
    from alembic.script import ScriptDirectory

    revisions = {
        rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()
    }
    stored = {path.stem.removeprefix("schema-") for path in FIXTURES}
    assert revisions == stored, "run `python -m tests.store.make_fixture` for the new revision"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_a_stored_database_opens_with_everything_in_it(tmp_path: Path, fixture: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    catalog = load_catalog()
    with Store.open(path) as store:
        settings = store.settings()
        patients = {p.hospital_number: p for p in store.patients()}
        plans = store.plans()
        exported = {plan.id: store.calendar_state(plan.id) for plan in plans}
        links = store.calendars.links()
    assert settings.name == "HDJ test"
    assert settings.unit_closures[0].label == "formation"
    assert set(patients) == {"F0001", "F0002"}
    # Stored whole as "Anne TEST" before 0005: split where the capitals say which is which.
    assert (patients["F0001"].family_name, patients["F0001"].given_names) == ("TEST", "Anne")
    assert patients["F0001"].name == "TEST Anne"
    assert patients["F0002"].port_in_place
    assert patients["F0002"].language == "en"
    by_regimen = {plan.regimen.id: plan for plan in plans}
    kn189 = by_regimen["pembrolizumab-pemetrexed-platinum-kn189"]
    folfox = by_regimen["mfolfox6-q14"]
    carbo = by_regimen["carboplatin-paclitaxel-q21"]
    assert kn189.regimen.id == "pembrolizumab-pemetrexed-platinum-kn189"
    assert [type(e.change) for e in kn189.ledger] == [
        Give,
        Delay,
        Omit,
        SuspectProgression,
        Revert,
    ]
    assert kn189.ledger[1].note == "neutropénie"
    assert kn189.ledger[1].change.reason is DelayReason.TOXICITY  # type: ignore[union-attr]
    scheduled = schedule_of(kn189, catalog.port_rules)
    assert scheduled.sessions[2].date == date(2027, 2, 22)  # the delay
    assert scheduled.sessions[4].agents == ("pembrolizumab",)  # pemetrexed left out
    assert not any(e.kind is EventKind.CONFIRMATION_SCAN for e in scheduled.events)  # undone
    assert folfox.policy is Policy.REANCHOR
    assert isinstance(folfox.ledger[0].change, Stop)
    assert schedule_of(folfox, catalog.port_rules).stopped
    assert isinstance(carbo.ledger[0].change, ConfirmPort)
    carbo_schedule = schedule_of(carbo, catalog.port_rules)
    assert carbo_schedule.state.port_confirmed
    assert not carbo_schedule.port_task  # Paul's port is already in place
    # Revision 0002 remembers what a patient's calendar was given; earlier ones had nothing.
    if fixture.stem >= "schema-0002":
        assert len(exported[kn189.id]) > 100
    assert not exported[folfox.id]
    assert kn189.calendar.closure_set is ClosureSet.FR
    assert not kn189.calendar.is_open(date(2027, 6, 10))  # the unit's own closure
    # Revision 0007 publishes patients' calendars: Anne's, with one change waiting.
    if fixture.stem >= "schema-0007":
        assert [(link.patient_id, link.token, link.waiting) for link in links] == [
            (patients["F0001"].id, "fixture-token-not-secret-0123456789", 1)
        ]
    else:
        assert links == []


def test_the_program_knows_the_newest_revision() -> None:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head_revision() == head, "set HEAD_REVISION in planner/store/quick.py"


def test_an_up_to_date_database_opens_without_alembic(tmp_path: Path) -> None:
    # Alembic costs about 0.6 s to import: the program's start must not pay it every time.
    path = tmp_path / "unit.db"
    with Store.open(path):
        pass
    code = (
        "import sys\n"
        "from planner.store import Store\n"
        f"Store.open({str(path)!r}).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    ("whole", "family", "given"),
    [
        ("DUPONT Marie", "DUPONT", "Marie"),
        ("Marie DUPONT", "DUPONT", "Marie"),
        ("  Marie   DUPONT ", "DUPONT", "Marie"),
        ("Dupont, Marie", "Dupont", "Marie"),
        ("Jean-Pierre DE LA TOUR", "DE LA TOUR", "Jean-Pierre"),
        ("DE LA TOUR Jean-Pierre", "DE LA TOUR", "Jean-Pierre"),
        ("Marie de LA TOUR", "de LA TOUR", "Marie"),
        ("Anne-Sophie M'BAPPÉ", "M'BAPPÉ", "Anne-Sophie"),
        ("Marie Claire DUPONT", "DUPONT", "Marie Claire"),
        ("Claire d'ORMESSON", "d'ORMESSON", "Claire"),
        # Unsure: kept whole, shown as it was written.
        ("Marie Dupont", "Marie Dupont", ""),
        ("marie dupont", "marie dupont", ""),
        ("DUPONT MARIE", "DUPONT MARIE", ""),
        ("DUPONT", "DUPONT", ""),
        ("Marie DUPONT Claire", "Marie DUPONT Claire", ""),
        ("Dupont, Marie, Claire", "Dupont, Marie, Claire", ""),
        ("A", "A", ""),
    ],
)
def test_a_name_stored_whole_is_split_only_where_the_writing_says_how(
    whole: str, family: str, given: str
) -> None:
    from importlib import import_module

    migration = import_module("planner.store.migrations.versions.0005_family_and_given_names")
    assert migration.split_name(whole) == (family, given)


def test_names_are_shown_the_french_way_and_sorted_by_family_name(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    at = datetime(2027, 1, 1, tzinfo=UTC)
    with Store.open(tmp_path / "unit.db") as store:
        store.add_patient("martin", "Zoé", "H1", author="t", at=at)
        store.add_patient("Dupont", "Marie", "H2", author="t", at=at)
        store.add_patient("Dupont", "Anne", "H3", author="t", at=at)
        store.add_patient("  Le  Goff ", " Jean ", "H4", author="t", at=at)
        names = [p.name for p in store.patients()]
    assert names == ["DUPONT Anne", "DUPONT Marie", "LE GOFF Jean", "MARTIN Zoé"]
