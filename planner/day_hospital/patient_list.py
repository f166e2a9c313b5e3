"""The unit's patient list: one line per patient, read from the facts the store keeps with
each plan (:mod:`planner.store.facts`), those found stale computed again and saved first.
Shared by the window (in its loading thread) and ``patients list``."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from planner.core.port import PortRule
from planner.core.summary import PatientSummary
from planner.store import Store, StoreError


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
    shipped: tuple[PortRule, ...] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PatientList:
    """Every patient's line on ``today``, by family name, and each plan's regimen id.
    ``progress(done, total)`` is told of the plans whose facts are computed again (after an
    upgrade of the program, a change of the unit's closures or port rules, or a change made
    by an older version). With ``shipped`` (the program's own port rules), the database
    remembers their digest for the next quick reading of the list (planner.store.quick)."""
    if shipped is not None:
        # A database the coordinator may only read: the list opens the slow way.
        with suppress(StoreError):
            store.remember_shipped_rules(shipped)
    lines = store.patient_lines(port_rules)
    more = None
    if lines.stale:
        more = store.refresh_facts(lines.stale, port_rules, progress=progress)
    return PatientList(lines.summaries(today, lang, more), lines.regimen_ids)


def patient_list(
    store: Store,
    port_rules: tuple[PortRule, ...],
    today: date,
    lang: str,
    *,
    shipped: tuple[PortRule, ...] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[PatientSummary]:
    """The lines of :func:`unit_patients`."""
    return unit_patients(
        store, port_rules, today, lang, shipped=shipped, progress=progress
    ).summaries
