"""The unit's patient list: one line per patient, read from the facts the store keeps with
each plan (:mod:`planner.store.facts`), those found stale computed again and saved first.
Shared by the window (in its loading thread) and ``patients list``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from planner.core.port import PortRule
from planner.core.summary import PatientSummary, patient_summary
from planner.store import Store


@dataclass(frozen=True, slots=True)
class PatientList:
    """The unit's patient list, with what a script reading it needs besides."""

    summaries: list[PatientSummary]
    regimen_ids: dict[str, str]
    """Each plan's regimen id."""


def unit_patients(
    store: Store,
    port_rules: tuple[PortRule, ...],
    today: date,
    lang: str,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> PatientList:
    """:func:`patient_list`, with each plan's regimen id."""
    lines = store.patient_lines(port_rules)
    found = lines.facts
    if lines.stale:
        found = found | store.refresh_facts(lines.stale, port_rules, progress=progress)
    summaries = [
        patient_summary(patient, [found[p] for p in plans if p in found], today, lang)
        for patient, plans in lines.patients
    ]
    return PatientList(summaries, lines.regimen_ids)


def patient_list(
    store: Store,
    port_rules: tuple[PortRule, ...],
    today: date,
    lang: str,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[PatientSummary]:
    """Every patient's line on ``today``, by family name. ``progress(done, total)`` is told
    of the plans whose facts are computed again (after an upgrade of the program, a change
    of the unit's closures or port rules, or a change made by an older version)."""
    return unit_patients(store, port_rules, today, lang, progress=progress).summaries
