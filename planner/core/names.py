"""A person's name written whole, told apart into family name and given names where the
way it is written says which is which, and kept whole where it does not: nothing is guessed
from word order ("Marie Dupont" could be either way round)."""

from __future__ import annotations

import re

PARTICLES = frozenset(
    {"de", "du", "des", "d'", "le", "la", "van", "von", "der", "den", "di", "da", "del", "dos"}
)
"""Lower-case words that belong to the family name written in capitals after them."""


def _capitals(word: str) -> bool:
    """A word in capitals: "DUPONT", "M'BAPPÉ", and "d'ORMESSON" (an elided particle
    before the capitals, written small, as in "de LA TOUR")."""
    letters = [c for c in re.sub(r"^[dl][’']", "", word) if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def split_name(name: str) -> tuple[str, str]:
    """(family name, given names) of a name written whole; (name, "") when unsure."""
    text = " ".join(name.split())
    if "," in text:
        family, _comma, given = (part.strip() for part in text.partition(","))
        if family and given and "," not in given:
            return family, given
        return text, ""
    words = text.split(" ")
    if len(words) < 2:
        return text, ""
    marks = [_capitals(w) for w in words]
    if all(marks) or not any(marks):
        return text, ""
    first_lower = marks.index(False)
    if first_lower > 0 and not any(marks[first_lower:]):
        # Capitals first: "DUPONT Marie", "DE LA TOUR Jean-Pierre".
        return " ".join(words[:first_lower]), " ".join(words[first_lower:])
    first_upper = marks.index(True)
    if all(marks[first_upper:]):
        # Capitals last: "Marie DUPONT", "Marie de LA TOUR".
        start = first_upper
        while start > 1 and re.sub(r"[’']$", "'", words[start - 1].lower()) in PARTICLES:
            start -= 1
        return " ".join(words[start:]), " ".join(words[:start])
    return text, ""
