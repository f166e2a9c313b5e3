"""Faults while writing: a locked, read-only or full database, a server that drops the
connection. Each gives a clear message, saves nothing half, loses nothing saved, and the
store goes on working afterwards."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from planner.store import Store, StoreError, database
from tests.store.conftest import AT

_INJECTED: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _report_faults(figures: Callable[[str], None]) -> Iterator[None]:
    yield
    if _INJECTED:
        figures(
            f"faults: {len(_INJECTED)} injected ({', '.join(_INJECTED)}), each said in words, "
            "nothing lost, the store working afterwards"
        )


@pytest.fixture
def unit(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as store:
        store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
        yield store


def test_a_locked_database_says_so_and_nothing_is_lost(
    db_path: Path, unit: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    unit.close()
    other = sqlite3.connect(db_path)
    other.execute("BEGIN EXCLUSIVE")  # another program writing, for a long time
    try:
        with Store.open(db_path) as store, pytest.raises(StoreError) as refused:
            store.add_patient("Petit", "Bruno", "HN-2", author="t", at=AT)
        assert "is busy (another program is writing); nothing was saved, try again" in str(
            refused.value
        )
    finally:
        other.rollback()
        other.close()
    with Store.open(db_path) as store:  # once the other program is done: it works
        store.add_patient("Petit", "Bruno", "HN-2", author="t", at=AT)
        assert [p.name for p in store.patients()] == ["MARTIN Anne", "PETIT Bruno"]
    _INJECTED.append("a locked database")


@pytest.mark.parametrize(
    ("error", "words"),
    [("attempt to write a readonly database", "is read-only: nothing was saved")],
)
def test_a_write_the_disk_refuses_saves_nothing(unit: Store, error: str, words: str) -> None:
    """A file made read-only while open (a disk remounted, a permission changed)."""

    def refuse(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError(error)

    event.listen(unit.engine, "before_cursor_execute", refuse)
    try:
        with pytest.raises(StoreError, match=words):
            unit.add_patient("Petit", "Bruno", "HN-2", author="t", at=AT)
        assert [p.name for p in unit.patients()] == ["MARTIN Anne"]  # still readable
    finally:
        event.remove(unit.engine, "before_cursor_execute", refuse)
    unit.add_patient("Petit", "Bruno", "HN-2", author="t", at=AT)  # and writable again
    assert len(unit.patients()) == 2
    assert len(unit.audit(unit.patient("HN-2"))) == 1  # one creation: nothing half-written before
    _INJECTED.append("a database made read-only while open")


@pytest.mark.parametrize("where", ["postgresql"], indirect=True)
def test_a_connection_the_server_dropped_is_made_again(store: Store) -> None:
    """The server restarted, or a firewall cut an idle connection: the next action works."""
    from sqlalchemy import create_engine, text

    store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
    admin = create_engine(store.engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        dropped = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    admin.dispose()
    assert dropped  # the store's idle connection
    store.add_patient("Petit", "Bruno", "HN-2", author="t", at=AT)
    assert [p.name for p in store.patients()] == ["MARTIN Anne", "PETIT Bruno"]
    _INJECTED.append("a connection dropped by the server")


def test_a_server_out_of_reach_is_said_in_words() -> None:
    with pytest.raises(StoreError) as refused:
        Store.open("postgresql+psycopg://coord:s3cret@/hdj?host=/nonexistent-socket-folder")
    said = str(refused.value)
    assert said.startswith(
        "cannot open the database postgresql+psycopg://coord@/hdj?host=/nonexistent-socket-folder"
    )
    assert "s3cret" not in said
    _INJECTED.append("a server out of reach")


ROOT = Path(__file__).resolve().parents[2]


def _child(module: str, path: Path, *, before: tuple[str, ...] = ()) -> Any:
    """Run ``module`` on ``path`` in a new process (after the ``before`` command); its JSON
    line."""
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [*before, sys.executable, "-m", module, str(path)],
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    if before and done.returncode != 0 and "mount" in done.stderr:
        pytest.skip(f"no test mount here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _in_a_mount(mount: str, folder: Path, module: str, path: Path) -> Any:
    """Run ``module`` on ``path`` with ``folder`` mounted by ``mount`` (in a mount namespace
    of its own: nothing else sees it); its JSON line. Skipped, with the reason, where
    mounting is not allowed."""
    import shutil

    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        pytest.skip("a test filesystem needs root and unshare (util-linux) to be mounted")
    shell = f'{mount} "$0" && exec "$@"'
    return _child(module, path, before=(unshare, "-m", "sh", "-c", shell, str(folder)))


def _read_only_child(folder: Path, path: Path) -> Any:
    """What a program told about ``path`` says, with ``folder`` read-only: a read-only mount
    for root (whom file permissions do not stop), the permissions for anyone else."""
    if os.geteuid() == 0:
        return _in_a_mount('mount -o bind,ro "$0"', folder, "tests.store.readonly_child", path)
    path.chmod(0o400)
    folder.chmod(0o500)
    try:
        return _child("tests.store.readonly_child", path)
    finally:
        folder.chmod(0o700)
        path.chmod(0o600)


def test_a_read_only_folder_is_said_in_words_and_the_unit_left_as_it_was(
    tmp_path: Path, db_path: Path
) -> None:
    import hashlib

    with Store.open(db_path) as store:
        store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    said = _read_only_child(tmp_path, db_path)
    assert said == {
        "open": f"{db_path} cannot be written (the file or its folder is read-only); it was "
        "left untouched: ask for write access, or copy it to a folder of yours"
    }
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["planner.db"]  # no journal left
    with Store.open(db_path) as store:  # writable again: all there, and it works
        store.add_patient("Petit", "Bruno", "HN-2", author="t", at=AT)
        assert [p.name for p in store.patients()] == ["MARTIN Anne", "PETIT Bruno"]
    _INJECTED.append("a read-only folder")


@pytest.mark.posix_only  # a tmpfs mounted by root
def test_a_full_disk_is_said_in_words_and_loses_nothing(tmp_path: Path) -> None:
    """On a real, tiny filesystem: patients are added until the disk is full; the one that
    does not fit is refused in words, every one saved before is kept, the database is
    whole, and once there is room again the store writes."""
    where = tmp_path / "unit.db"
    mount = "mount -t tmpfs -o size=700k tmpfs"
    said = _in_a_mount(mount, tmp_path, "tests.store.full_disk_child", where)
    assert said["saved"] > 0
    assert said["refused"] == f"the disk holding {where} is full: nothing was saved"
    assert said["kept"] == said["saved"]
    assert said["after"] == said["saved"] + 1
    assert said["integrity"] == "ok"
    _INJECTED.append(f"a full disk (after {said['saved']} patients)")
