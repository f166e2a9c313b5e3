"""Child process for the read-only tests: opens a unit, reads it, tries to write to it, and
prints what the user would be told (one JSON line)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

from planner.store import Store, StoreError


def main(path: str) -> None:
    said: dict[str, object] = {}
    try:
        with Store.open(path) as store:
            said["patients"] = [p.name for p in store.patients()]
            try:
                store.add_patient("Petit", "Bruno", "HN-2", author="t", at=datetime.now(UTC))
                said["written"] = True
            except StoreError as exc:
                said["write"] = str(exc)
            said["patients_after"] = [p.name for p in store.patients()]
    except StoreError as exc:
        said["open"] = str(exc)
    print(json.dumps(said), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
