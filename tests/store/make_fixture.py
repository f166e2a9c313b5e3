"""Write the stored database of the current schema version, for migration tests.

Run once per schema revision, when the revision is made:
    .venv/bin/python -m tests.store.make_fixture
and commit tests/store/data/schema-<revision>.sqlite. Later versions of the program must
open it, migrate it and find every patient, plan and change in it (tests/store/test_migrations.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from planner.catalog import load_catalog
from planner.core import changes
from planner.core.closures import ClosureSet, UnitClosure
from planner.core.plan import ConfirmPort, Give, Stop, SuspectProgression
from planner.core.plan_schedule import schedule_of
from planner.core.schedule import DelayReason, Policy
from planner.core.settings import UnitSettings
from planner.export.calendar import ExportOptions, patient_calendar, state_to_json
from planner.store import Store
from planner.store.database import head_revision

DATA = Path(__file__).parent / "data"
AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
TOKEN = "fixture-token-not-secret-0123456789"


def main() -> None:
    target = DATA / f"schema-{head_revision()}.sqlite"
    target.unlink(missing_ok=True)
    catalog = load_catalog()
    rules = catalog.port_rules
    with Store.open(target) as store:
        store.save_settings(
            UnitSettings(
                name="HDJ test",
                phone="01 23 45 67 89",  # a patient's calendar is refused without it
                closure_set=ClosureSet.FR,
                unit_closures=(UnitClosure(date(2027, 6, 10), "formation"),),
            )
        )
        anne = store.add_patient("TEST", "Anne", "F0001", author="fixture", at=AT, contact="06")
        paul = store.add_patient("TEST", "Paul", "F0002", author="fixture", at=AT, language="en")
        store.update_patient(paul, author="fixture", at=AT, note="posée le 2/1", port_in_place=True)
        kn189 = store.create_plan(
            anne,
            catalog.regimen("pembrolizumab-pemetrexed-platinum-kn189"),
            date(2027, 1, 4),
            author="fixture",
            at=AT,
        )
        cur = schedule_of(kn189, rules)
        kn189 = store.record(
            kn189,
            Give((1, 1, 1), date(2027, 1, 4)),
            author="fixture",
            at=AT,
            today=date(2027, 1, 5),
            port_rules=rules,
        )
        kn189 = store.record(
            kn189,
            changes.delay(cur, (1, 3, 1), DelayReason.TOXICITY, days=7),
            author="fixture",
            at=AT,
            today=date(2027, 2, 12),
            port_rules=rules,
            note="neutropénie",
        )
        cur = schedule_of(kn189, rules)
        kn189 = store.record(
            kn189,
            changes.omit(cur, (2, 1, 1), ("pemetrexed",)),
            author="fixture",
            at=AT,
            today=date(2027, 3, 1),
            port_rules=rules,
        )
        kn189 = store.record(
            kn189,
            SuspectProgression(date(2027, 5, 3), stable_confirmed_by="Dr Moreau"),
            author="fixture",
            at=AT,
            today=date(2027, 5, 5),
            port_rules=rules,
        )
        kn189 = store.record(
            kn189,
            changes.undo(kn189),
            author="fixture",
            at=AT,
            today=date(2027, 5, 5),
            port_rules=rules,
        )
        folfox = store.create_plan(
            paul,
            catalog.regimen("mfolfox6-q14"),
            date(2027, 2, 1),
            author="fixture",
            at=AT,
            policy=Policy.REANCHOR,
        )
        folfox = store.record(
            folfox,
            Stop(date(2027, 3, 1), "progression"),
            author="fixture",
            at=AT,
            today=date(2027, 3, 1),
            port_rules=rules,
        )
        carbo = store.create_plan(
            paul,
            catalog.regimen("carboplatin-paclitaxel-q21"),
            date(2027, 3, 15),
            author="fixture",
            at=AT,
        )
        store.record(
            carbo, ConfirmPort(), author="fixture", at=AT, today=date(2027, 3, 1), port_rules=rules
        )
        # Since revision 0002: what Anne's calendar was given by a first export.
        export = patient_calendar(
            schedule_of(kn189, rules),
            settings=store.settings(),
            options=ExportOptions("fr"),
            exported_at=AT,
        )
        store.save_calendar_state(kn189.id, state_to_json(export.state), author="fixture", at=AT)
        # Since revision 0007: Anne's calendar published, a change waiting for the server.
        store.calendars.create(anne.id, TOKEN, detail="minimal", author="fixture", at=AT)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
