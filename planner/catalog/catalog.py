"""The regimen catalogue: bundled files plus the user's own, with one clear error per bad file.

A bad file never stops the others from loading: its error is collected and shown, and the
rest of the catalogue is usable. A user file with the id of a bundled regimen replaces it;
if the user file is broken, the bundled regimen stays available.

The bundled files are another matter: without them there is no catalogue, only an empty
one that would answer "unknown regimen" to everything. A bundled regimen folder that is
missing or holds no readable regimen, or a bundled drug dictionary or port rule table that
is missing or damaged, raises :class:`InstallationError` naming the folder or file. The
user's folder is optional: absent or empty, it adds nothing.
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
    A unit's catalogue holds the unit's rules here (planner.day_hospital.port_rules)."""
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


class InstallationError(Exception):
    """A file or folder shipped with the program is missing or unusable: the installation is
    incomplete or damaged, and no catalogue is made. ``message`` names what was searched."""

    def __init__(self, path: Path, problem: Message) -> None:
        super().__init__(problem)
        self.path = path
        self.message = Message(
            N_(
                "{problem}; the installation of Infusion Planner is incomplete or damaged: "
                "reinstall it, or ask whoever installed it"
            ),
            {"problem": problem},
        )

    def __str__(self) -> str:
        return self.message.render()


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


def _bundled_file(path: Path, read: Callable[[object], T], missing: str, damaged: str) -> T:
    """A file shipped with the program, or :class:`InstallationError` saying why not."""
    if not path.is_file():
        raise InstallationError(path, Message(missing, {"file": path}))
    try:
        return _load(path, read)
    except CatalogFileError as exc:
        raise InstallationError(path, Message(damaged, {"error": exc.error})) from None


def _bundled_agents(path: Path) -> dict[str, Agent]:
    return _bundled_file(
        path,
        _agents_table,
        N_("the drug dictionary was not found: {file} does not exist"),
        N_("the drug dictionary shipped with the program cannot be used: {error}"),
    )


def _bundled_port_rules(path: Path) -> tuple[PortRule, ...]:
    return _bundled_file(
        path,
        read_port_rules,
        N_("the port rule table was not found: {file} does not exist"),
        N_("the port rule table shipped with the program cannot be used: {error}"),
    )


def _bundled_regimen_files(folder: Path) -> list[Path]:
    """The bundled regimen files: at least one, or :class:`InstallationError`."""
    if not folder.is_dir():
        raise InstallationError(
            folder,
            Message(
                N_("the regimen files were not found: the folder {folder} does not exist"),
                {"folder": folder},
            ),
        )
    errors: list[CatalogError] = []
    files = _regimen_files(folder, errors)
    if errors:
        raise InstallationError(folder, _no_regimen_read(folder, errors[0].message))
    if not files:
        raise InstallationError(
            folder,
            Message(
                N_(
                    "the regimen files were not found: the folder {folder} holds no regimen "
                    "file (*.toml)"
                ),
                {"folder": folder},
            ),
        )
    return files


def _no_regimen_read(folder: Path, error: object) -> Message:
    return Message(
        N_("no regimen file in the folder {folder} could be read: {error}"),
        {"folder": folder, "error": error},
    )


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
    Raises :class:`InstallationError` when the bundled files are missing or unusable.
    """
    bundled = CatalogPaths.bundled() if bundled is None else bundled
    # The bundled layer first, whole: a broken installation is said before anything else.
    bundled_files = _bundled_regimen_files(bundled.regimens)
    agents = _bundled_agents(bundled.agents)
    shipped = port_rules = _bundled_port_rules(bundled.port_rules)
    errors: list[CatalogError] = []
    if user is not None:
        _agents(user, agents, errors)
        if user.port_rules.is_file():
            try:
                port_rules = read_port_rules_file(user.port_rules)
            except CatalogFileError as exc:
                errors.append(exc.error)

    entries: dict[str, CatalogEntry] = {}
    layers = [(bundled_files, Origin.BUNDLED)]
    if user is not None:
        layers.append((_regimen_files(user.regimens, errors), Origin.USER))
    for files, origin in layers:
        for path in files:
            try:
                regimen = _load(path, functools.partial(_regimen, stem=path.stem, agents=agents))
            except CatalogFileError as exc:
                errors.append(exc.error)
                continue
            previous = entries.get(regimen.id)
            overrides = previous.path if previous is not None else None
            entries[regimen.id] = CatalogEntry(regimen, path, origin, overrides)
        if origin is Origin.BUNDLED and not entries:
            # Every bundled file is broken: the same installation fault as none at all.
            raise InstallationError(bundled.regimens, _no_regimen_read(bundled.regimens, errors[0]))
    return Catalog(
        entries=dict(sorted(entries.items())),
        port_rules=port_rules,
        shipped_port_rules=shipped,
        errors=tuple(errors),
        agents=agents,
    )


def bundled_port_rules() -> tuple[PortRule, ...]:
    """The port rule table shipped with the program (what a unit starts with), or
    :class:`InstallationError`."""
    return _bundled_port_rules(CatalogPaths.bundled().port_rules)


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
