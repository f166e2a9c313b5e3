"""Child process for the full-disk test, run on a tiny filesystem of its own: fills it with
patients until the disk is full, then frees space and writes again. Prints what happened
(one JSON line)."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from planner.store import Store, StoreError


def main(path: str) -> None:
    filler = Path(path).with_name("filler")
    filler.write_bytes(b"\0" * 200_000)  # another program's file, on the same small disk
    said: dict[str, object] = {"saved": 0}
    at = datetime.now(UTC)
    with Store.open(path) as store:
        try:
            for n in range(10_000):
                store.add_patient(f"Patient {n} " + "x" * 190, "", f"HN-{n}", author="t", at=at)
                said["saved"] = n + 1
        except StoreError as exc:
            said["refused"] = str(exc)
        said["kept"] = len(store.patients())
        filler.unlink()  # the disk has room again: the store goes on
        store.add_patient("After", "", "HN-after", author="t", at=at)
        said["after"] = len(store.patients())
    raw = sqlite3.connect(path)
    said["integrity"] = raw.execute("PRAGMA integrity_check").fetchone()[0]
    raw.close()
    print(json.dumps(said), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
