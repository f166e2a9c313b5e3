"""A name typed whole is told apart only where its writing says which part is which: the
new-plan dialog and the migration of names stored whole follow this one rule."""

from __future__ import annotations

import pytest

from planner.core.names import split_name


@pytest.mark.parametrize(
    ("typed", "family", "given"),
    [
        ("DURAND Claire", "DURAND", "Claire"),
        ("Claire DURAND", "DURAND", "Claire"),
        ("Durand, Claire", "Durand", "Claire"),
        ("Claire d’ORMESSON", "d’ORMESSON", "Claire"),  # a typographic apostrophe
        ("Claire d' ORMESSON", "d' ORMESSON", "Claire"),
        ("Jan van der BERG", "van der BERG", "Jan"),
        ("Jean-Pierre DE LA TOUR", "DE LA TOUR", "Jean-Pierre"),
    ],
)
def test_capitals_or_a_comma_say_which_is_the_family_name(
    typed: str, family: str, given: str
) -> None:
    assert split_name(typed) == (family, given)


@pytest.mark.parametrize(
    "typed",
    ["Claire Durand", "Durand Claire", "CLAIRE DURAND", "Durand", "Claire DURAND Marie", "", " "],
)
def test_a_name_that_does_not_say_is_kept_whole_never_guessed(typed: str) -> None:
    assert split_name(typed) == (" ".join(typed.split()), "")
