"""Every typed text checked in one place: one line where a line is expected, no control or
bidirectional character, a length no real value reaches, trimmed as people paste it."""

from __future__ import annotations

import pytest

from planner.core.text_fields import (
    RULES,
    Field,
    FieldError,
    Problem,
    clean,
    shown,
)


@pytest.mark.parametrize(
    ("field", "typed", "kept"),
    [
        (Field.FAMILY_NAME, "  Dupont  ", "Dupont"),
        (Field.FAMILY_NAME, "de  La   Tour", "de La Tour"),
        (Field.FAMILY_NAME, "Dupont\n", "Dupont"),  # pasted from a spreadsheet cell
        (Field.GIVEN_NAMES, "", ""),
        (Field.GIVEN_NAMES, "Jean-Pierre", "Jean-Pierre"),
        (Field.FAMILY_NAME, "Ngo\u0323", "Ngọ"),  # NFC: the letter and its dot as one
        (Field.HOSPITAL_NUMBER, "\t00123456 ", "00123456"),
        (Field.UNIT_PHONE, "+33 1 23 45 67 89", "+33 1 23 45 67 89"),  # "+" is a phone's
        (Field.NOTE, "-2 kg: dose à revoir", "-2 kg: dose à revoir"),  # exports neutralise it
        (Field.UNIT_ADDRESS, "12 rue de la Santé\r\n\r\n  75014 Paris  ",
         "12 rue de la Santé\n75014 Paris"),
    ],
)  # fmt: skip
def test_what_people_type_is_kept_trimmed(field: Field, typed: str, kept: str) -> None:
    assert clean(field, typed) == kept


@pytest.mark.parametrize(
    ("field", "typed", "problem", "character"),
    [
        (Field.FAMILY_NAME, "Martin\r\nBEGIN:VEVENT", Problem.LINE_BREAK, "\r"),
        (Field.GIVEN_NAMES, "Anne\nMarie", Problem.LINE_BREAK, "\n"),
        (Field.NOTE, "grade 3\u2028neutropenia", Problem.LINE_BREAK, "\u2028"),
        (Field.CHAIR_NAME, "Box\x0b2", Problem.LINE_BREAK, "\x0b"),
        (Field.HOSPITAL_NUMBER, "H\x00001", Problem.CONTROL, "\x00"),
        (Field.CONTACT, "06 12\t34", Problem.CONTROL, "\t"),
        (Field.CONTACT, "06\x1b[31m", Problem.CONTROL, "\x1b"),  # a terminal escape
        (Field.UNIT_NAME, "HD\x85J", Problem.LINE_BREAK, "\x85"),  # C1's next line (NEL)
        (Field.UNIT_NAME, "HDJ\x9b31m", Problem.CONTROL, "\x9b"),  # C1's escape (CSI)
        (Field.FAMILY_NAME, "Martin\u202eNITRAM", Problem.CONTROL, "\u202e"),  # shown reversed
        (Field.GIVEN_NAMES, "Anne\u2066", Problem.CONTROL, "\u2066"),
        (Field.CLOSURE_LABEL, "\ufeffFormation", Problem.CONTROL, "\ufeff"),
        (Field.UNIT_ADDRESS, "a\x00b", Problem.CONTROL, "\x00"),
        (Field.FAMILY_NAME, "=HYPERLINK(\"http://x\")", Problem.FORMULA, "="),
        (Field.FAMILY_NAME, "@SUM(A1)", Problem.FORMULA, "@"),
        (Field.GIVEN_NAMES, "+33", Problem.FORMULA, "+"),
        (Field.HOSPITAL_NUMBER, "-1+1", Problem.FORMULA, "-"),
    ],
)  # fmt: skip
def test_control_characters_and_formulas_are_refused_naming_the_field(
    field: Field, typed: str, problem: Problem, character: str
) -> None:
    with pytest.raises(FieldError) as refused:
        clean(field, typed)
    assert (refused.value.field, refused.value.problem) == (field, problem)
    assert refused.value.character == character


def test_a_line_break_at_the_end_of_a_line_is_trimmed_not_refused() -> None:
    # C1's NEL (U+0085) is whitespace to Python: at either end it is trimmed like "\n".
    assert clean(Field.UNIT_NAME, "HDJ\x85") == "HDJ"


@pytest.mark.parametrize("field", list(Field))
def test_every_field_has_a_length_no_real_value_reaches(field: Field) -> None:
    longest = RULES[field].longest
    assert 32 <= longest <= 500
    assert clean(field, "a" * longest) == "a" * longest
    with pytest.raises(FieldError) as refused:
        clean(field, "a" * (longest + 1))
    assert (refused.value.problem, refused.value.limit) == (Problem.TOO_LONG, longest)


def test_required_fields_cannot_be_blank() -> None:
    for field in (Field.FAMILY_NAME, Field.HOSPITAL_NUMBER, Field.CHAIR_NAME):
        with pytest.raises(FieldError) as refused:
            clean(field, "  \n ")
        assert refused.value.problem is Problem.EMPTY


def test_an_address_s_lines_may_end_as_any_program_ends_them() -> None:
    assert clean(Field.UNIT_ADDRESS, "a\rb\u2028c\r\nd") == "a\nb\nc\nd"


def test_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(FieldError) as refused:
        clean(Field.CLOSURE_LABEL, "gr\udce8ve")
    assert (refused.value.problem, refused.value.character) == (Problem.CONTROL, "\udce8")


def test_an_address_has_at_most_six_lines() -> None:
    assert clean(Field.UNIT_ADDRESS, "\n".join("abcdef")) == "a\nb\nc\nd\ne\nf"
    with pytest.raises(FieldError) as refused:
        clean(Field.UNIT_ADDRESS, "\n".join("abcdefg"))
    assert (refused.value.problem, refused.value.limit) == (Problem.TOO_MANY_LINES, 6)


def test_a_value_kept_by_an_older_version_is_shown_not_obeyed() -> None:
    assert shown("Martin\r\nBEGIN:VEVENT") == "Martin\\r\\nBEGIN:VEVENT"
    assert shown("Martin\u202eNITRAM") == "Martin\\u202eNITRAM"
    assert shown("a\x00b\x7f") == "a\\x00b\\x7f"
    assert shown("Dupont Marie") == "Dupont Marie"
