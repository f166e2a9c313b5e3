"""The unit's port rules: its own table, kept in its database and so shared by every
coordinator of the unit, else the table shipped with the program.

Before units kept their own, the rules lived in each computer's ``port_rules.toml`` (the
user's catalogue folder). That file is imported once: the first time a unit without rules of
its own is opened on the computer, its rules become the unit's and it is renamed, so that it
is never imported again (into this unit or another).
"""

from __future__ import annotations

import dataclasses
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.catalog import Catalog, CatalogError, CatalogFileError, read_port_rules_file
from planner.core.port import PortRule
from planner.i18n import N_, Message
from planner.store import Store, StoreError

IMPORTED_SUFFIX = ".imported"
"""``port_rules.toml`` becomes ``port_rules.imported.toml`` once imported."""


def unit_catalog(catalog: Catalog, own: tuple[PortRule, ...] | None) -> Catalog:
    """``catalog`` advising by a unit's port rules: ``own`` (the unit's, from its database),
    else the table shipped with the program (never this computer's file)."""
    return dataclasses.replace(
        catalog, port_rules=catalog.shipped_port_rules if own is None else own
    )


def with_unit_rules(catalog: Catalog, store: Store) -> Catalog:
    """``catalog`` advising by the port rules of the unit in ``store``."""
    return unit_catalog(catalog, store.port_rules())


def own_rules(rules: tuple[PortRule, ...], catalog: Catalog) -> tuple[PortRule, ...] | None:
    """What to keep as the unit's own rules: None for the shipped table, so that the table of
    a later version of the program reaches the unit."""
    return None if rules == catalog.shipped_port_rules else rules


@dataclass(frozen=True, slots=True)
class RulesImport:
    """What became of this computer's port_rules.toml when a unit was opened."""

    source: Path
    kept_as: Path | None
    """The file's new name once imported; None when it was not imported (left in place)."""
    problem: Message | None = None
    """Why it was not imported: the catalogue's words for a damaged file, or the database's."""

    @property
    def imported(self) -> bool:
        return self.kept_as is not None

    @property
    def message(self) -> Message:
        """What the coordinator is told."""
        if self.kept_as is not None:
            return Message(
                N_(
                    "This computer's port rules ({file}) are now the unit's: saved in its "
                    "database, they are the same for every coordinator of the unit. The file was "
                    "renamed {name} so that it is not imported again."
                ),
                {"file": self.source, "name": self.kept_as.name},
            )
        return Message(
            N_(
                "This computer's port rules ({file}) were not imported: {problem}. The unit's "
                "port rules are unchanged; correct the file (or remove it) and open the unit "
                "again."
            ),
            {"file": self.source, "problem": self.problem or ""},
        )


def import_computer_rules(
    store: Store, catalog: Catalog, path: Path, *, author: str, at: datetime
) -> RulesImport | None:
    """When the unit in ``store`` has no port rules of its own and ``path`` (this computer's
    port_rules.toml) exists, make its rules the unit's and rename it; None when there is
    nothing to import. A damaged file, or one the database does not take, is left in place
    and the unit's rules are unchanged (the :class:`RulesImport` says why). The database's
    being unreachable passes through as :class:`StoreError`."""
    if store.port_rules() is not None or not path.is_file():
        return None
    try:
        rules = read_port_rules_file(path)
    except CatalogFileError as exc:
        return RulesImport(path, None, _file_problem(exc.error))
    kept = _free_name(path)
    # Renamed first: a second window opening a unit meanwhile finds no file to import.
    try:
        path.rename(kept)
    except FileNotFoundError:
        return None  # imported by another window this very moment
    except OSError as exc:
        return RulesImport(
            path,
            None,
            Message(N_("the file cannot be renamed ({error})"), {"error": exc.strerror or exc}),
        )
    try:
        store.save_port_rules(own_rules(rules, catalog), expected=None, author=author, at=at)
    except StoreError as exc:
        with suppress(OSError):
            kept.rename(path)
        return RulesImport(path, None, exc.message)
    return RulesImport(path, kept)


def _file_problem(error: CatalogError) -> Message:
    if not error.field:
        return error.message
    return Message(N_("{field}: {problem}"), {"field": error.field, "problem": error.message})


def _free_name(path: Path) -> Path:
    """``port_rules.imported.toml``, or ``port_rules.imported-2.toml``... if it is taken."""
    n = 1
    while True:
        suffix = IMPORTED_SUFFIX if n == 1 else f"{IMPORTED_SUFFIX}-{n}"
        kept = path.with_name(path.stem + suffix + path.suffix)
        if not kept.exists():
            return kept
        n += 1
