"""The unit's telephone number: what a patient can dial, French or international."""

from __future__ import annotations

import pytest

from planner.core.settings import is_phone_number


@pytest.mark.parametrize(
    "text",
    [
        "01 23 45 67 89",
        "0123456789",
        "01.23.45.67.89",
        "01-23-45-67-89",
        "09 70 00 00 00",
        "06 12 34 56 78",
        "+33 1 23 45 67 89",
        "+33 (0)1 23 45 67 89",
        "0033 1 23 45 67 89",
        "+41 21 314 11 11",  # Lausanne
        "+32 2 555 00 00",  # Brussels
        "+1 (212) 555-0100",
        "+262 262 12 34 56",  # La Réunion, dialled from abroad
        "01\u00a023\u00a045\u00a067\u00a089",  # non-breaking spaces, as pasted from a page
    ],
)
def test_numbers_a_patient_can_dial(text: str) -> None:
    assert is_phone_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "15",  # the SAMU: not the unit's number
        "01 23 45 67",  # a digit pair short
        "01 23 45 67 89 0",
        "1 23 45 67 89",  # the leading 0 left out
        "+33 01 23 45 67 89",  # +33 and the 0 both
        "+33 1 23 45 67",
        "+0 123 456 789",
        "+1234567890123456",  # 16 digits: longer than any number (E.164)
        "01 23 45 67 89 poste 12",
        "appelez le standard",
        "01+23 45 67 89",
    ],
)
def test_what_is_not_a_number(text: str) -> None:
    assert not is_phone_number(text)
