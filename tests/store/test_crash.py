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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from planner.store import Store

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("PLANNER_CRASH_TRIALS", "100"))
"""Kills in all, shared by two databases written side by side (the machine has two cores)."""


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


def _trials(path: Path, seed: int, count: int) -> tuple[set[str], dict[str, int]]:
    """``count`` kills of a writer on ``path``; after each, the database opens, passes
    SQLite's integrity check and holds everything the writer said it had committed."""
    rng = random.Random(seed)
    committed_patients: set[str] = set()
    committed_changes: dict[str, int] = {}
    for trial in range(count):
        lines = _kill_while_writing(path, f"T{seed}-{trial}", rng)
        for line in lines:
            kind, *rest = line.split()
            if kind == "patient":
                committed_patients.add(rest[0])
            elif kind == "plan":
                committed_changes.setdefault(rest[0], 0)
            elif kind == "change":
                committed_changes[rest[0]] = int(rest[1])
            elif kind == "booking":
                committed_changes.setdefault(f"booking {rest[0]}", 1)
        raw = sqlite3.connect(path)
        try:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            raw.close()
        with Store.open(path) as store:
            saved = {p.hospital_number for p in store.patients()}
            assert committed_patients <= saved, f"trial {trial}: committed patients lost"
            plans = {plan.id: len(plan.ledger) for plan in store.plans()}
            booked = {key[0] for key in store.bookings()}
        for plan_id, changes in committed_changes.items():
            if plan_id.startswith("booking "):
                assert plan_id.removeprefix("booking ") in booked, f"trial {trial}: booking lost"
            else:
                assert plans.get(plan_id, -1) >= changes, f"trial {trial}: a change was lost"
    return committed_patients, committed_changes


def test_a_killed_writer_never_loses_a_committed_change(tmp_path: Path) -> None:
    half = TRIALS // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [
            pool.submit(_trials, tmp_path / f"planner-{n}.db", 20271 + n, count)
            for n, count in enumerate((half, TRIALS - half))
        ]
        results = [run.result() for run in runs]
    patients = sum(len(p) for p, _c in results)
    changes = sum(sum(v for k, v in c.items() if not k.startswith("booking ")) for _p, c in results)
    bookings = sum(sum(1 for k in c if k.startswith("booking ")) for _p, c in results)
    print(
        f"{TRIALS} kills during writes; {patients} patients, {changes} changes and "
        f"{bookings} bookings committed, none lost"
    )
    assert patients, "the writer never got to commit anything"
