"""Every text a user types or a file brings, checked in this one place before it is kept.

A name, a hospital number or a chair name is one line: a line break, a tab or another control
character in it would split a calendar line, a CSV row or a printed table, and a bidirectional
override would show a name reversed. Such characters are refused where a line is expected
(an address may have several lines, nothing else); spaces around the text are trimmed and
inner runs of spaces made one; every field has a length that no real value reaches. A text
that starts like a spreadsheet formula is refused in the fields that can never start so (a
name, a hospital number); exports neutralise every other cell themselves
(:mod:`planner.spreadsheet`).

Values already in a database from an older version are not checked on reading: they are
shown with :func:`shown`, their control characters made visible, so they can be corrected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Field(StrEnum):
    FAMILY_NAME = "family-name"
    GIVEN_NAMES = "given-names"
    HOSPITAL_NUMBER = "hospital-number"
    CONTACT = "contact"
    NOTE = "note"
    """Why a change was made, a reason for leaving a drug out or stopping a plan."""
    AUTHOR = "author"
    CLINICIAN = "clinician"
    """Who confirmed a clinical fact (the patient is clinically stable)."""
    UNIT_NAME = "unit-name"
    UNIT_ADDRESS = "unit-address"
    UNIT_PHONE = "unit-phone"
    CHAIR_NAME = "chair-name"
    CLOSURE_LABEL = "closure-label"
    """What a closed day is called ("Staff training")."""
    SOURCE = "source"
    """Where a unit's port rule comes from (a protocol, a reference)."""


@dataclass(frozen=True, slots=True)
class Rule:
    longest: int
    """Characters, after trimming."""
    lines: int = 1
    """How many lines the text may have: more than one only for an address."""
    required: bool = False
    no_formula: bool = False
    """Refuse a first character that spreadsheets read as a formula (= + - @)."""


RULES: dict[Field, Rule] = {
    Field.FAMILY_NAME: Rule(80, required=True, no_formula=True),
    Field.GIVEN_NAMES: Rule(80, no_formula=True),
    Field.HOSPITAL_NUMBER: Rule(32, required=True, no_formula=True),
    Field.CONTACT: Rule(120),
    Field.NOTE: Rule(500),
    Field.AUTHOR: Rule(80),
    Field.CLINICIAN: Rule(80, no_formula=True),
    Field.UNIT_NAME: Rule(120),
    Field.UNIT_ADDRESS: Rule(300, lines=6),
    Field.UNIT_PHONE: Rule(40),
    Field.CHAIR_NAME: Rule(40, required=True),
    Field.CLOSURE_LABEL: Rule(120),
    Field.SOURCE: Rule(300),
}
"""The length limits are far above real values (the longest French family names are about
40 characters; a hospital number (IPP) has 7 to 13) and low enough that a pasted document is
refused rather than printed over pages."""

FORMULA_STARTS = frozenset("=+-@")
"""What a spreadsheet reads as the start of a formula (OWASP "CSV injection")."""

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
"""Bidirectional marks, embeddings, overrides and isolates (and the byte-order mark): they
reorder what is shown after them, so a name could read differently from what is stored."""


class Problem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too-long"
    LINE_BREAK = "line-break"
    TOO_MANY_LINES = "too-many-lines"
    CONTROL = "control"
    FORMULA = "formula"


class FieldError(ValueError):
    """A text refused; ``field``, ``problem``, ``limit`` and ``character`` fill the message."""

    def __init__(
        self, field: Field, problem: Problem, *, limit: int = 0, character: str = ""
    ) -> None:
        super().__init__(f"{field.value}: {problem.value}")
        self.field = field
        self.problem = problem
        self.limit = limit
        self.character = character


def _control(char: str) -> bool:
    # Cs: a lone surrogate, which is how Python keeps bytes a terminal sent that are not
    # UTF-8 ("é" typed in a Latin-1 terminal): no file or screen can write it.
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in BIDI_CONTROLS


def control_in(text: str) -> str:
    """The first control, line-breaking or bidirectional character in ``text`` ("" if
    none): for texts other than fields, such as those of a regimen file."""
    return next((char for char in text if _control(char)), "")


LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
"""What some program or other takes for the end of a line."""


def clean(field: Field, text: str) -> str:
    """``text`` as it is kept: NFC, trimmed, runs of spaces made one; an address's lines
    each trimmed, blank ones dropped, ends of lines made "\\n". :class:`FieldError` if it
    cannot be kept."""
    rule = RULES[field]
    text = unicodedata.normalize("NFC", text).strip()
    if rule.lines > 1:
        for end in ("\r\n", *sorted(LINE_BREAKS - {"\n"})):
            text = text.replace(end, "\n")
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if len(lines) > rule.lines:
            raise FieldError(field, Problem.TOO_MANY_LINES, limit=rule.lines)
    else:
        lines = [text]
    for line in lines:
        for char in line:
            if char in LINE_BREAKS:
                raise FieldError(field, Problem.LINE_BREAK, character=char)
            if _control(char):
                raise FieldError(field, Problem.CONTROL, character=char)
    result = "\n".join(_SPACES.sub(" ", line) for line in lines)
    if rule.required and not result:
        raise FieldError(field, Problem.EMPTY)
    if len(result) > rule.longest:
        raise FieldError(field, Problem.TOO_LONG, limit=rule.longest)
    if rule.no_formula and result[:1] in FORMULA_STARTS:
        raise FieldError(field, Problem.FORMULA, character=result[0])
    return result


_SPACES = re.compile(" {2,}")


def shown(text: str) -> str:
    """A value kept before these checks, its control characters made visible where it is
    shown, as escapes every font can draw: a line break as "\\n", a bidirectional override
    as "\\u202e"."""
    # Every character this makes visible is one str.isprintable() refuses (categories C and
    # Z but the space): the common case is decided at C speed.
    if text.isprintable() or not any(_control(c) for c in text):
        return text
    return "".join(visible(c) if _control(c) else c for c in text)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(char: str) -> str:
    """One control character written as an escape: "\\n" for LF, "\\r" for CR, "\\t" for
    a tab, "\\x1b" for ESC, "\\u202e" for a right-to-left override."""
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
