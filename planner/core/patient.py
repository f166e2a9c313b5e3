"""A patient, as scheduling knows them: names, hospital number, language, contact, port and
preferred time of day. Nothing else: no birth date, no diagnosis.

Kept apart from the plans so that the patient list can be shown before the scheduling
engine (and its closure calendars) is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from planner.core.text_fields import shown


class Preference(StrEnum):
    """When a patient would rather come to the unit."""

    ANY = "any"
    MORNING = "morning"
    AFTERNOON = "afternoon"


@dataclass(frozen=True, slots=True)
class Patient:
    """Only what scheduling needs: no birth date, no diagnosis."""

    id: str
    family_name: str
    given_names: str
    """Empty when unknown: a name kept whole from an older database, where it could not be
    told apart (see migration 0005)."""
    hospital_number: str
    language: str = "fr"
    contact: str = ""
    """Where reminders go (telephone or e-mail), as the patient wishes."""
    port_in_place: bool = False
    preference: Preference = Preference.ANY
    """Morning or afternoon sessions, if the patient would rather."""

    @property
    def name(self) -> str:
        """The name as French hospitals write it: family name in capitals, then the given
        names ("DUPONT Marie"); a name kept whole is shown as it was written."""
        return display_name(self.family_name, self.given_names)

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Sorted by family name, then given names (then number: namesakes stay apart)."""
        return sort_key_of(self.family_name, self.given_names, self.hospital_number)


def sort_key_of(family_name: str, given_names: str, hospital_number: str) -> tuple[str, str, str]:
    """:attr:`Patient.sort_key` of a patient not yet made (the list read at start-up)."""
    return (family_name.casefold(), given_names.casefold(), hospital_number)


def display_name(family_name: str, given_names: str) -> str:
    """ "DUPONT Marie"; the family name alone when there are no given names. A control
    character kept by an older version is shown, not obeyed (see text_fields.shown)."""
    if not given_names:
        return shown(family_name)
    return shown(f"{family_name.upper()} {given_names}")
