"""Typed reading of a TOML table, with an error that names the field and the problem.

Field paths are written the way a pharmacist reads the file: ``phases[2].administrations[1].days``
(1-based, like the ``[[phases]]`` blocks counted from the top of the file).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from enum import Enum
from typing import Any, TypeVar

from planner.core.text import Text
from planner.core.text_fields import control_in, visible
from planner.i18n import N_, Message

E = TypeVar("E", bound=Enum)


class Invalid(Exception):
    """A value in a file is missing, of the wrong kind, or inconsistent."""

    def __init__(self, field: str, message: Message) -> None:
        super().__init__(f"{field}: {message.template}")
        self.field = field
        self.message = message


def problem(template: str, **params: object) -> Message:
    return Message(template, params)


def _kind(value: object) -> Message:
    """What a wrong value is, said in words ("a list"), translated when shown."""
    if isinstance(value, bool):
        return Message(N_("true/false"))
    if isinstance(value, int):
        return Message(N_("a whole number"))
    if isinstance(value, float):
        return Message(N_("a decimal number"))
    if isinstance(value, str):
        return Message(N_("a text"))
    if isinstance(value, list):
        return Message(N_("a list"))
    if isinstance(value, dict):
        return Message(N_("a table"))
    return Message(type(value).__name__)


# Names people reach for (from the reference compilation, protocols) -> the field to use.
SYNONYMS = {
    "cycle_length": "cycle_days",
    "cycle_length_days": "cycle_days",
    "length": "cycle_days",
    "drug": "agent",
    "count": "cycles",
    "number_of_cycles": "cycles",
    "subsequent": "later",
    "administration_order": "order",
    "duration_hours": "continuous_hours",
}


class Table:
    """A TOML table being read; every accessor names ``where`` in its errors."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise Invalid(
                where or "(file)",
                problem(N_("must be a table, not {kind}"), kind=_kind(data)),
            )
        self.data: dict[str, Any] = data
        self.where = where

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Refuse unknown keys, suggesting the nearest known one (catches typos)."""
        allowed = list(allowed)
        for key in self.data:
            if key not in allowed:
                near = [SYNONYMS[key]] if SYNONYMS.get(key) in allowed else []
                near = near or difflib.get_close_matches(key, allowed, n=1)
                if near:
                    raise Invalid(
                        self.path(key),
                        problem(N_("unknown field; did you mean '{near}'?"), near=near[0]),
                    )
                raise Invalid(
                    self.path(key),
                    problem(
                        N_("unknown field; known fields here: {known}"),
                        known=", ".join(sorted(allowed)),
                    ),
                )

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str) -> Any:
        if key not in self.data:
            raise Invalid(self.path(key), problem(N_("is missing")))
        return self.data[key]

    def string(self, key: str, default: str | None = None) -> str:
        if key not in self.data and default is not None:
            return default
        value = self.raw(key)
        if not isinstance(value, str):
            raise Invalid(
                self.path(key), problem(N_("must be a text, not {kind}"), kind=_kind(value))
            )
        if not value.strip():
            raise Invalid(self.path(key), problem(N_("must not be empty")))
        character = control_in(value.strip())
        if character:
            raise Invalid(
                self.path(key),
                problem(
                    N_("must be one line of visible text: it holds {character}"),
                    character=visible(character),
                ),
            )
        return value.strip()

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int:
        if key not in self.data and default is not None:
            return default
        return check_integer(self.raw(key), self.path(key), low, high)

    def optional_integer(self, key: str, low: int, high: int) -> int | None:
        if key not in self.data:
            return None
        return check_integer(self.data[key], self.path(key), low, high)

    def boolean(self, key: str, default: bool) -> bool:
        if key not in self.data:
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            raise Invalid(
                self.path(key),
                problem(N_("must be true or false, not {kind}"), kind=_kind(value)),
            )
        return value

    def choice(self, key: str, enum: type[E], default: E | None = None) -> E:
        if key not in self.data and default is not None:
            return default
        value = self.raw(key)
        choices = [str(member.value) for member in enum]
        if isinstance(value, str):
            for member in enum:
                if member.value == value:
                    return member
        raise Invalid(
            self.path(key),
            problem(
                N_("must be one of {choices}, not {value!r}"),
                choices=", ".join(choices),
                value=value,
            ),
        )

    def text(self, key: str) -> Text:
        """A bilingual ``{ fr = "...", en = "..." }`` table; both languages are required."""
        table = Table(self.raw(key), self.path(key))
        table.check_keys(("fr", "en"))
        return Text(fr=table.string("fr"), en=table.string("en"))

    def optional_text(self, key: str) -> Text | None:
        return self.text(key) if key in self.data else None

    def tables(self, key: str, required: bool = True) -> list[Table]:
        """An array of tables (``[[key]]`` blocks), each with its 1-based path."""
        if key not in self.data:
            if required:
                raise Invalid(self.path(key), problem(N_("is missing")))
            return []
        value = self.data[key]
        if not isinstance(value, list):
            raise Invalid(
                self.path(key),
                problem(N_("must be a list of [[{key}]] blocks"), key=key),
            )
        if required and not value:
            raise Invalid(self.path(key), problem(N_("must not be empty")))
        return [Table(item, f"{self.path(key)}[{n}]") for n, item in enumerate(value, start=1)]

    def strings(self, key: str) -> list[str]:
        if key not in self.data:
            return []
        value = self.data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise Invalid(self.path(key), problem(N_("must be a list of texts")))
        return list(value)


def check_integer(value: object, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(where, problem(N_("must be a whole number, not {kind}"), kind=_kind(value)))
    if not low <= value <= high:
        raise Invalid(
            where,
            problem(
                N_("must be between {low} and {high}, not {value}"),
                low=low,
                high=high,
                value=value,
            ),
        )
    return value


def check_format(root: Table, supported: int) -> None:
    """The file's ``format`` number: present, and one this version of the program reads."""
    version = root.integer("format", 1, 1_000)
    if version > supported:
        raise Invalid(
            "format",
            problem(
                N_(
                    "this file is in format {version}; this version of Infusion Planner reads "
                    "format {supported}: update the program"
                ),
                version=version,
                supported=supported,
            ),
        )
