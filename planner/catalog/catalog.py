"""The regimen catalogue: bundled files plus the user's own, with one clear error per bad file.

A bad file never stops the others from loading: its error is collected and shown, and the
rest of the catalogue is usable. A user file with the id of a bundled regimen replaces it;
if the user file is broken, the bundled regimen stays available.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from planner import resources
from planner.catalog.fields import Invalid, Table, check_format, problem
from planner.catalog.port_rules_file import read_port_rules
from planner.catalog.regimen_file import read_agents, read_regimen
from planner.core.port import PortRule
from planner.core.regimen import Agent, Regimen
from planner.i18n import N_, Message, _

T = TypeVar("T")

AGENTS_FORMAT = 1
"""The drug dictionary format this version reads."""


class Origin(StrEnum):
    BUNDLED = "bundled"
    USER = "user"


@dataclass(frozen=True, slots=True)
class CatalogError:
    """One problem with one file: which file, which field, what is wrong."""

    path: Path
    field: str
    message: Message

    def __str__(self) -> str:
        # The same words as explain.labelled: French puts a space before the colon.
        where = str(self.path)
        if self.field:
            where = _("{label}: {text}").format(label=where, text=self.field)
        return _("{label}: {text}").format(label=where, text=self.message.render())


@dataclass(frozen=True, slots=True)
class CatalogPaths:
    """Where one layer of the catalogue lives (bundled resources, or the user's folder)."""

    regimens: Path
    agents: Path
    port_rules: Path

    @staticmethod
    def bundled() -> CatalogPaths:
        return CatalogPaths(
            resources.regimens_dir(), resources.agents_file(), resources.port_rules_file()
        )

    @staticmethod
    def user(root: Path | None = None) -> CatalogPaths:
        root = resources.user_data_dir() if root is None else root
        return CatalogPaths(root / "regimens", root / "agents.toml", root / "port_rules.toml")


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    regimen: Regimen
    path: Path
    origin: Origin
    overrides: Path | None = None
    """The bundled file this user file replaces, if any."""


@dataclass(frozen=True, slots=True)
class Catalog:
    entries: Mapping[str, CatalogEntry]
    """By regimen id, sorted by id."""
    port_rules: tuple[PortRule, ...]
    """The port rule table of this computer: the user's port_rules.toml, else the shipped one.
    A unit's catalogue holds the unit's rules here (planner.unit_port_rules)."""
    shipped_port_rules: tuple[PortRule, ...]
    """The table shipped with the program: the advice of a unit without rules of its own."""
    errors: tuple[CatalogError, ...]
    agents: Mapping[str, Agent]
    """The drug dictionary (agents.toml, bundled then user), by INN."""

    def __contains__(self, regimen_id: object) -> bool:
        return regimen_id in self.entries

    def __iter__(self) -> Iterator[Regimen]:
        return (entry.regimen for entry in self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def regimen(self, regimen_id: str) -> Regimen:
        return self.entries[regimen_id].regimen


class CatalogFileError(Exception):
    """A file of the catalogue that cannot be used; ``error`` names the file, the field and
    the problem."""

    def __init__(self, error: CatalogError) -> None:
        super().__init__(str(error))
        self.error = error


def _read_toml(path: Path) -> object:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogFileError(
            CatalogError(path, "", Message(N_("not valid TOML: {error}"), {"error": exc}))
        ) from None
    except UnicodeDecodeError:
        raise CatalogFileError(
            CatalogError(path, "", Message(N_("not a UTF-8 text file")))
        ) from None
    except OSError as exc:
        raise CatalogFileError(
            CatalogError(
                path, "", Message(N_("cannot be read: {error}"), {"error": exc.strerror or exc})
            )
        ) from None


def _load(path: Path, read: Callable[[object], T]) -> T:
    data = _read_toml(path)
    try:
        return read(data)
    except Invalid as exc:
        raise CatalogFileError(CatalogError(path, exc.field, exc.message)) from None


def _agents(paths: CatalogPaths, into: dict[str, Agent], errors: list[CatalogError]) -> None:
    if not paths.agents.is_file():
        return
    try:
        into.update(_load(paths.agents, _agents_table))
    except CatalogFileError as exc:
        errors.append(exc.error)


def _agents_table(data: object) -> dict[str, Agent]:
    root = Table(data, "")
    root.check_keys(("format", "agents"))
    check_format(root, AGENTS_FORMAT)
    if not root.has("agents"):
        raise Invalid("agents", problem(N_("is missing")))
    return read_agents(root, "agents")


def _regimen(data: object, *, stem: str, agents: Mapping[str, Agent]) -> Regimen:
    return read_regimen(data, stem, agents)


def _regimen_files(folder: Path, errors: list[CatalogError]) -> list[Path]:
    if not folder.is_dir():
        return []
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".toml" and p.is_file())
    except OSError as exc:
        errors.append(
            CatalogError(
                folder,
                "",
                Message(N_("folder cannot be read: {error}"), {"error": exc.strerror or exc}),
            )
        )
        return []


def load_catalog(bundled: CatalogPaths | None = None, user: CatalogPaths | None = None) -> Catalog:
    """Load the bundled catalogue, then the user's files over it.

    ``user`` defaults to nothing; pass ``CatalogPaths.user()`` for the user's data folder.
    """
    bundled = CatalogPaths.bundled() if bundled is None else bundled
    layers = [(bundled, Origin.BUNDLED)] + ([(user, Origin.USER)] if user is not None else [])
    errors: list[CatalogError] = []

    agents: dict[str, Agent] = {}
    port_rules: tuple[PortRule, ...] = ()
    shipped: tuple[PortRule, ...] = ()
    for paths, origin in layers:
        _agents(paths, agents, errors)
        if paths.port_rules.is_file():
            try:
                port_rules = read_port_rules_file(paths.port_rules)
            except CatalogFileError as exc:
                errors.append(exc.error)
        if origin is Origin.BUNDLED:
            shipped = port_rules

    entries: dict[str, CatalogEntry] = {}
    for paths, origin in layers:
        for path in _regimen_files(paths.regimens, errors):
            try:
                regimen = _load(path, functools.partial(_regimen, stem=path.stem, agents=agents))
            except CatalogFileError as exc:
                errors.append(exc.error)
                continue
            previous = entries.get(regimen.id)
            overrides = previous.path if previous is not None else None
            entries[regimen.id] = CatalogEntry(regimen, path, origin, overrides)
    return Catalog(
        entries=dict(sorted(entries.items())),
        port_rules=port_rules,
        shipped_port_rules=shipped,
        errors=tuple(errors),
        agents=agents,
    )


def bundled_port_rules() -> tuple[PortRule, ...]:
    """The port rule table shipped with the program (what a unit starts with)."""
    return read_port_rules_file(CatalogPaths.bundled().port_rules)


def read_port_rules_file(path: Path) -> tuple[PortRule, ...]:
    """A port_rules.toml file's rules, or :class:`CatalogFileError` naming the problem."""
    return _load(path, read_port_rules)


def check_files(paths: list[Path], catalog: Catalog) -> list[CatalogError]:
    """Validate regimen files against the catalogue's drug dictionary (``validate`` command)."""
    errors = []
    for path in paths:
        try:
            _load(path, functools.partial(_regimen, stem=path.stem, agents=catalog.agents))
        except CatalogFileError as exc:
            errors.append(exc.error)
    return errors
