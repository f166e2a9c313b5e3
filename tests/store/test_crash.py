"""Killing the program in the middle of writing: the database opens, and holds every change
that was committed before the kill."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from planner.store import Store

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("PLANNER_CRASH_TRIALS", "12"))


def _kill_while_writing(path: Path, prefix: str, rng: random.Random) -> list[str]:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_writer", str(path), prefix],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        lines = child.stdout.read().splitlines()
        child.wait()
    return lines


def test_a_killed_writer_never_loses_a_committed_change(tmp_path: Path) -> None:
    path = tmp_path / "planner.db"
    rng = random.Random(20271)
    committed_patients: set[str] = set()
    committed_changes: dict[str, int] = {}
    for trial in range(TRIALS):
        lines = _kill_while_writing(path, f"T{trial}", rng)
        for line in lines:
            kind, *rest = line.split()
            if kind == "patient":
                committed_patients.add(rest[0])
            elif kind == "plan":
                committed_changes.setdefault(rest[0], 0)
            elif kind == "change":
                committed_changes[rest[0]] = int(rest[1])
        raw = sqlite3.connect(path)
        try:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            raw.close()
        with Store.open(path) as store:
            saved = {p.hospital_number for p in store.patients()}
            assert committed_patients <= saved, f"trial {trial}: committed patients lost"
            plans = {plan.id: len(plan.ledger) for plan in store.plans()}
        for plan_id, changes in committed_changes.items():
            assert plans.get(plan_id, -1) >= changes, f"trial {trial}: a change was lost"
    print(
        f"{TRIALS} kills during writes; {len(committed_patients)} patients and "
        f"{sum(committed_changes.values())} changes committed, none lost"
    )
    assert committed_patients, "the writer never got to commit anything"
