"""Opening a database: what is not ours, damaged or newer is refused and left untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from planner.store import Store, StoreError, locate
from planner.store.backups import backup_if_due
from planner.store.database import head_revision
from planner.store.quick import sqlite_uri
from planner.store.schema import Base
from tests.store.conftest import AT


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(path: Path, words: str) -> None:
    before = digest(path)
    with pytest.raises(StoreError) as error:
        Store.open(path)
    assert words in str(error.value)
    assert "\n" not in str(error.value)
    assert digest(path) == before, "a refused file was modified"
    assert not Path(f"{path}-wal").exists()


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Mme Martin: C3 décalée\n", encoding="utf-8")
    refused(path, "is not a database")


def test_a_damaged_database_is_refused(tmp_path: Path, db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.add_patient("A", "", "H1", author="cb", at=AT)
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\x00" * (4096 - 100)  # the schema page wiped
    data[4096 * 2 : 4096 * 3] = b"\xff" * 4096
    db_path.write_bytes(bytes(data))
    refused(db_path, "damaged")


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    raw.commit()
    raw.close()
    refused(path, "another program")


def test_a_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.add_patient("A", "", "H1", author="cb", at=AT)
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    before = digest(db_path)
    with pytest.raises(StoreError, match="newer version of Infusion Planner") as error:
        Store.open(db_path)
    assert "schema 9999" in str(error.value)
    assert digest(db_path) == before


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()
    with Store.open(path) as store:
        assert store.patients() == []


def test_the_folder_is_created_if_needed(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a" / "b" / "planner.db") as store:
        assert store.patients() == []


def test_where_the_database_is() -> None:
    assert locate("/tmp/x.db").path == Path("/tmp/x.db")
    env = {"PLANNER_DATABASE_URL": "postgresql+psycopg://coord:secret@db.hopital/hdj"}
    location = locate(None, env)
    assert location.path is None
    assert "secret" not in location.display
    assert location.display == "postgresql+psycopg://coord@db.hopital/hdj"
    # The log names the database the same way: without its password.
    assert location.described == "database server postgresql+psycopg://coord@db.hopital/hdj"
    assert locate("/tmp/x.db").described == "SQLite file /tmp/x.db"
    in_query = locate("postgresql://coord@db.hopital/hdj?password=secret&sslmode=require")
    assert in_query.display == "postgresql://coord@db.hopital/hdj?sslmode=require"
    assert locate(None, {}).path is not None  # the user's data folder
    for bad in ("://nowhere", "postgresql://coord@db:port/hdj"):
        with pytest.raises(StoreError, match="not a database address"):
            locate(bad)


def test_the_models_match_the_migrations(db_path: Path) -> None:
    Store.open(db_path).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_a_copy_is_kept_before_a_migration(tmp_path: Path) -> None:
    """An older schema is copied aside, unchanged, before it is migrated; a current one is
    not copied."""
    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "data" / "schema-0001.sqlite", path)
    with Store.open(path):
        pass
    copies = list(tmp_path.glob("*.bak"))
    assert [c.name for c in copies] == [f"old.db.before-{head_revision()}.bak"]
    raw = sqlite3.connect(copies[0])
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    raw.close()
    copies[0].unlink()
    with Store.open(path):
        pass
    assert not list(tmp_path.glob("*.bak")), "no copy when nothing is migrated"


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        (PurePosixPath("/home/cb/HDJ #2/planner.db"), "file:///home/cb/HDJ%20%232/planner.db"),
        (PurePosixPath("/srv/100%/a?b.db"), "file:///srv/100%25/a%3Fb.db"),
        (PureWindowsPath(r"C:\Users\Claire\Unité #2\planner.db"),
         "file:///C:/Users/Claire/Unit%C3%A9%20%232/planner.db"),
        (PureWindowsPath(r"\\srv\partage\hdj.db"), "file:////srv/partage/hdj.db"),
    ],
)  # fmt: skip
def test_a_path_becomes_a_uri_sqlite_reads_as_that_path(path: PurePosixPath, uri: str) -> None:
    assert sqlite_uri(path, "mode=ro") == f"{uri}?mode=ro"


def test_a_database_in_a_folder_named_with_a_hash_is_checked_and_copied_whole(
    tmp_path: Path,
) -> None:
    """ "HDJ #2": SQLite read "#" as the start of a fragment and opened "HDJ " instead, an
    empty database made beside it; the daily copy came out empty."""
    folder = tmp_path / "Unité #2 100%"
    folder.mkdir()
    path = folder / "planner.db"
    with Store.open(path) as store:
        store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
    with Store.open(path) as store:  # opened again: checked first
        assert [p.name for p in store.patients()] == ["MARTIN Anne"]
    copy = backup_if_due(path, date(2027, 3, 1))
    assert copy is not None
    with Store.open(copy) as kept:
        assert [p.name for p in kept.patients()] == ["MARTIN Anne"]
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # nothing made beside it
