"""What the window's fields hold, checked by the one module that checks every typed text
(:mod:`planner.core.text_fields`): a dialog says the first problem and keeps its OK button
off until it is corrected."""

from __future__ import annotations

from planner import explain
from planner.core import text_fields
from planner.core.text_fields import Field, FieldError


def problem(*values: tuple[Field, str]) -> str:
    """The first refused value in words naming its field ("" when all can be kept)."""
    for field, text in values:
        try:
            text_fields.clean(field, text)
        except FieldError as error:
            return explain.field_error_text(error)
    return ""


def kept(field: Field, text: str) -> str:
    """``text`` as it is kept (trimmed); FieldError, a ValueError, when it cannot be."""
    return text_fields.clean(field, text)
