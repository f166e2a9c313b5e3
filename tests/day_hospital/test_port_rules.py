"""The unit's port rules: its own, else the shipped table; this computer's port_rules.toml
imported once into a unit without rules of its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planner.catalog import Catalog
from planner.catalog.port_rules_file import port_rules_toml
from planner.core.port import PortCriterion, PortLevel, PortRule
from planner.core.regimen import AgentClass
from planner.day_hospital.port_rules import import_computer_rules, with_unit_rules
from planner.i18n import Message
from planner.store import Store, StoreError

AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

LOCAL_TOML = """\
format = 1

[[rules]]
level = "required"
when = "continuous-infusion"

[[rules]]
level = "recommended"
when = "class"
classes = ["immunotherapy"]
source = "Protocole du service"
"""
LOCAL = (
    PortRule(PortLevel.REQUIRED, PortCriterion.CONTINUOUS_INFUSION),
    PortRule(
        PortLevel.RECOMMENDED,
        PortCriterion.CLASS,
        classes=frozenset({AgentClass.IMMUNOTHERAPY}),
        source="Protocole du service",
    ),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "unit.db") as opened:
        yield opened


def test_a_unit_advises_by_its_own_rules_else_by_the_shipped_ones(
    store: Store, catalog: Catalog
) -> None:
    assert with_unit_rules(catalog, store).port_rules == catalog.shipped_port_rules
    store.save_port_rules(LOCAL, expected=None, author="cb", at=AT)
    assert with_unit_rules(catalog, store).port_rules == LOCAL


def test_the_computers_file_is_imported_once_and_renamed(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    mine = tmp_path / "port_rules.toml"
    mine.write_text(LOCAL_TOML, encoding="utf-8")
    done = import_computer_rules(store, catalog, mine, author="cb", at=AT)
    assert done is not None
    assert done.imported
    assert store.port_rules() == LOCAL
    assert not mine.exists()
    assert (tmp_path / "port_rules.imported.toml").read_text(encoding="utf-8") == LOCAL_TOML
    assert done.message.render() == (
        f"This computer's port rules ({mine}) are now the unit's: saved in its database, they "
        "are the same for every coordinator of the unit. The file was renamed "
        "port_rules.imported.toml so that it is not imported again."
    )
    # Not again: the unit has rules of its own now, and a new file stays where it is.
    mine.write_text(port_rules_toml(LOCAL[:1]), encoding="utf-8")
    assert import_computer_rules(store, catalog, mine, author="cb", at=AT) is None
    assert store.port_rules() == LOCAL
    assert mine.exists()


def test_a_second_import_elsewhere_keeps_the_first_files_copy(
    tmp_path: Path, catalog: Catalog
) -> None:
    mine = tmp_path / "port_rules.toml"
    kept = []
    for n in (1, 2):
        mine.write_text(port_rules_toml(LOCAL[:n]), encoding="utf-8")
        with Store.open(tmp_path / f"unit-{n}.db") as store:
            done = import_computer_rules(store, catalog, mine, author="cb", at=AT)
            assert store.port_rules() == LOCAL[:n]
        assert done is not None
        kept.append(done.kept_as)
    assert kept == [tmp_path / "port_rules.imported.toml", tmp_path / "port_rules.imported-2.toml"]
    first = tmp_path / "port_rules.imported.toml"
    assert first.read_text(encoding="utf-8") == port_rules_toml(LOCAL[:1])


def test_a_damaged_file_is_refused_in_words_and_left_in_place(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    mine = tmp_path / "port_rules.toml"
    mine.write_text(LOCAL_TOML.replace('"required"', '"essential"'), encoding="utf-8")
    done = import_computer_rules(store, catalog, mine, author="cb", at=AT)
    assert done is not None
    assert not done.imported
    assert done.message.render() == (
        f"This computer's port rules ({mine}) were not imported: rules[1].level: must be one "
        "of required, recommended, consider, not-needed, not 'essential'. The unit's port "
        "rules are unchanged; correct the file (or remove it) and open the unit again."
    )
    assert mine.exists()
    assert store.port_rules() is None


def test_a_file_the_database_does_not_take_stays_to_be_imported_later(
    store: Store, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "port_rules.toml"
    mine.write_text(LOCAL_TOML, encoding="utf-8")

    def refused(*args: object, **kwargs: object) -> None:
        raise StoreError(Message("the database is read-only"))

    monkeypatch.setattr(store, "save_port_rules", refused)
    done = import_computer_rules(store, catalog, mine, author="cb", at=AT)
    assert done is not None
    assert not done.imported
    assert "were not imported: the database is read-only." in done.message.render()
    assert mine.read_text(encoding="utf-8") == LOCAL_TOML
    assert not (tmp_path / "port_rules.imported.toml").exists()


def test_a_file_with_the_shipped_rules_leaves_the_unit_following_the_shipped_table(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    mine = tmp_path / "port_rules.toml"
    mine.write_text(port_rules_toml(catalog.shipped_port_rules), encoding="utf-8")
    done = import_computer_rules(store, catalog, mine, author="cb", at=AT)
    assert done is not None
    assert done.imported
    assert store.port_rules() is None  # so that a later version's table reaches the unit
    assert not mine.exists()
