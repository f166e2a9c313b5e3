"""Killing the program in the middle of writing: the database opens, and holds every change
that was committed before the kill, on a SQLite file and on a PostgreSQL server."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from planner.store import Store
from tests.conftest import new_postgresql_database

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("PLANNER_CRASH_TRIALS", "100"))
"""Kills in all on each backend, shared by two databases written side by side (the machine
has two cores)."""


def _kill_while_writing(path: Path | str, prefix: str, rng: random.Random) -> list[str]:
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


def _trials(path: Path | str, seed: int, count: int) -> tuple[set[str], dict[str, int]]:
    """``count`` kills of a writer on ``path``; after each, the database opens, passes
    SQLite's integrity check (a file) and holds everything the writer said it had
    committed."""
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
        if isinstance(path, Path):
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


@pytest.mark.posix_only  # SIGKILL; the store's writes take no Windows branch
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_killed_writer_never_loses_a_committed_change(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest, figures: Callable[[str], None]
) -> None:
    if backend == "sqlite":
        places: list[Path | str] = [tmp_path / f"planner-{n}.db" for n in range(2)]
        drops = []
    else:
        server = request.getfixturevalue("postgresql_server")
        made = [new_postgresql_database(server) for _n in range(2)]
        places, drops = [url for url, _drop in made], [drop for _url, drop in made]
    half = TRIALS // 2
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = [
                pool.submit(_trials, place, 20271 + n, count)
                for n, (place, count) in enumerate(zip(places, (half, TRIALS - half), strict=True))
            ]
            results = [run.result() for run in runs]
    finally:
        for drop in drops:
            drop()
    patients = sum(len(p) for p, _c in results)
    changes = sum(sum(v for k, v in c.items() if not k.startswith("booking ")) for _p, c in results)
    bookings = sum(sum(1 for k in c if k.startswith("booking ")) for _p, c in results)
    figures(
        f"crash, {backend}: {TRIALS} kills during writes; {patients} patients, {changes} "
        f"changes and {bookings} bookings committed, none lost"
    )
    assert patients, "the writer never got to commit anything"
