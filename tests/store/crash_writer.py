"""Child process for the crash test: writes patients, plans and changes until killed.

It prints a line after each committed transaction, so that the parent knows exactly what
the database must still hold after the kill.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time

from planner.catalog import load_catalog
from planner.core.booking import Booking
from planner.core.plan import Give
from planner.store import Store


def main(path: str, prefix: str) -> None:
    catalog = load_catalog()
    regimen = catalog.regimen("nivolumab-240-q2w")
    at = datetime(2027, 1, 1, tzinfo=UTC)
    with Store.open(path) as store:
        print("ready", flush=True)
        number = 0
        while True:
            number += 1
            patient = store.add_patient(
                f"P {prefix}-{number}", "", f"{prefix}-{number}", author="crash", at=at
            )
            print(f"patient {patient.hospital_number}", flush=True)
            plan = store.create_plan(patient, regimen, date(2027, 1, 4), author="crash", at=at)
            print(f"plan {plan.id}", flush=True)
            plan = store.record(
                plan,
                Give((1, 1, 1), date(2027, 1, 4)),
                author="crash",
                at=at,
                today=date(2027, 1, 5),
                port_rules=catalog.port_rules,
            )
            print(f"change {plan.id} {len(plan.ledger)}", flush=True)
            store.save_bookings(
                {(plan.id, (1, 2, 1)): Booking(time(8), 45, "F1", date(2027, 1, 18))},
                author="crash",
                at=at,
            )
            print(f"booking {plan.id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
