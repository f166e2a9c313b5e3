# ruff: noqa: E501 - one session per line, with its "why" comment: the tables must stay readable.
"""Protocol dates derived by hand: the engine and the catalogue must reproduce them exactly.

These tables are an independent oracle. Every date below was worked out by hand from the
published protocols (cycle lengths and days, as read by the project) and the scheduling rules,
with a calendar only to know weekdays and French public holidays; none was copied from the
engine's output. When a case fails, re-derive it by hand before touching it.

Reading a session line ``s(phase, cycle, day, planned, actual, lab)``:

* ``planned``: where the rules put the session (grid, or re-anchored on the actual D1);
* ``actual``: where it actually takes place; a ``# why`` comment explains every move;
* ``lab``: the blood test tied to this session, or None when there is none (the session is
  within 3 days of the previous one and shares its test, or no lab day: see ``warn``).

Rules applied (the project's specification):

* C1D1 = start; cycle k = C1D1 + (k-1) x length; next phase = last D1 + length; Dn = D1 + n-1.
* A phase with ``gap_days`` (surgery) starts at the previous phase's last D1 + its length +
  ``gap_days``; that last D1 is the planned one on the grid, the actual one once re-anchored.
* A session is a day on which a drug is given in the unit: IV, or an anticancer drug injected
  under the skin (Phesgo, atezolizumab SC); the lab rule below applies to every session.
* ``grid``: planned dates stay on the theoretical grid; ``reanchor``: each cycle is planned
  one length after the previous cycle's actual D1, days counted from the cycle's actual D1.
* A closed day moves a session to the next open day; a session that would land on or before
  the previous session goes to the next open day after it ("after-previous-session").
* Lab: latest of D-1..D-3 that is Monday-Saturday and not a public holiday of the closure set;
  none -> "no-lab-day"; a session <= 3 days after the previous one shares its test.
* mFOLFOX6: the 46-h pump comes off on the actual D1 + 2.

Calendar facts used (``holidays`` package, checked by hand against the Code du travail list):

* 2026: Easter Mon 6 Apr, 1 May Fri, 8 May Fri, Ascension 14 May, Whit Mon 25 May,
  14 Jul Tue, 11 Nov Wed, 25 Dec Fri (26 Dec Sat).
* 2027: 1 Jan Fri, Good Friday 26 Mar (Alsace-Moselle), Easter Mon 29 Mar, 1 May Sat,
  Ascension Thu 6 May, 8 May Sat, Whit Mon 17 May, 14 Jul Wed, 15 Aug Sun, 1 Nov Mon,
  11 Nov Thu, 25 Dec Sat.
* 2028: 1 Jan Sat, Easter Mon 17 Apr, 1 May Mon, 8 May Mon, Ascension Thu 25 May,
  Whit Mon 5 Jun, 14 Jul Fri, 15 Aug Tue, 25 Dec Mon, 26 Dec Tue (Alsace-Moselle).
* 2029: 1 Jan Mon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from planner.catalog import load_catalog
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.engine import plan
from planner.core.schedule import EventKind, Policy, Schedule, SessionWarning

FR = ClosureSet.FR
AM = ClosureSet.FR_ALSACE_MOSELLE
NONE = ClosureSet.NONE
GRID = Policy.GRID
REANCHOR = Policy.REANCHOR
AFTER = SessionWarning.AFTER_PREVIOUS_SESSION
NO_LAB = SessionWarning.NO_LAB_DAY

PEMBRO = ("pembrolizumab",)
NIVO = ("nivolumab",)
IPI_NIVO = ("ipilimumab", "nivolumab")
AC = ("cyclophosphamide", "doxorubicin")
FOLFOX = ("fluorouracil", "folinic acid", "oxaliplatin")
PTD = ("docetaxel", "pertuzumab", "trastuzumab")
PT = ("pertuzumab", "trastuzumab")
PEMBRO_PEME = ("pembrolizumab", "pemetrexed")
PEME = ("pemetrexed",)
KN522_TC = ("carboplatin", "paclitaxel", "pembrolizumab")
KN522_AC = ("cyclophosphamide", "doxorubicin", "pembrolizumab")
PACLITAXEL = ("paclitaxel",)
RUBY_CHEMO = ("carboplatin", "dostarlimab", "paclitaxel")
DOSTARLIMAB = ("dostarlimab",)
EV_PEMBRO = ("enfortumab vedotin", "pembrolizumab")
EV = ("enfortumab vedotin",)
TOPAZ_D1 = ("cisplatin", "durvalumab", "gemcitabine")
GEM_CIS = ("cisplatin", "gemcitabine")
# D1 of cisplatin-etoposide: the saline hydration around cisplatin takes chair time (issue 21).
CIS_ETO_D1 = ("cisplatin", "etoposide", "sodium chloride")
DURVA = ("durvalumab",)
ATEZO = ("atezolizumab",)


@dataclass(frozen=True)
class S:
    """One expected session."""

    phase: int
    cycle: int
    day: int
    planned: date
    actual: date
    lab: date | None
    pump: date | None = None
    agents: tuple[str, ...] | None = None
    warn: frozenset[SessionWarning] = frozenset()


def s(
    phase: int,
    cycle: int,
    day: int,
    planned: str,
    actual: str,
    lab: str | None,
    *warn: SessionWarning,
    pump: str | None = None,
    agents: tuple[str, ...] | None = None,
) -> S:
    return S(
        phase,
        cycle,
        day,
        date.fromisoformat(planned),
        date.fromisoformat(actual),
        None if lab is None else date.fromisoformat(lab),
        None if pump is None else date.fromisoformat(pump),
        agents,
        frozenset(warn),
    )


@dataclass(frozen=True)
class Case:
    id: str
    regimen: str
    start: str
    policy: Policy
    closures: ClosureSet
    until: str | None
    sessions: tuple[S, ...]
    agents: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)
    """Expected agents by (phase, day) unless a session line says otherwise."""

    def expected_agents(self, line: S) -> tuple[str, ...] | None:
        if line.agents is not None:
            return line.agents
        return self.agents.get((line.phase, line.day))


# fmt: off
CASES = [
    # ---------------------------------------------------------------- monotherapy, spring 2027
    # Pembrolizumab q21 from Monday 8 March: C2 falls on Easter Monday.
    Case("pembro-q3w-easter-grid", "pembrolizumab-200-q3w", "2027-03-08", GRID, FR, "2027-06-30", (
        s(1, 1, 1, "2027-03-08", "2027-03-08", "2027-03-06"),  # lab: D-1 Sun -> D-2 Sat
        s(1, 2, 1, "2027-03-29", "2027-03-30", "2027-03-27"),  # Easter Monday -> Tue; lab: Mon hol., Sun -> Sat 27
        s(1, 3, 1, "2027-04-19", "2027-04-19", "2027-04-17"),  # grid: back on Monday (8 Mar + 42)
        s(1, 4, 1, "2027-05-10", "2027-05-10", "2027-05-07"),  # lab: Sun, Sat 8 May Victory Day -> Fri 7
        s(1, 5, 1, "2027-05-31", "2027-05-31", "2027-05-29"),
        s(1, 6, 1, "2027-06-21", "2027-06-21", "2027-06-19"),
    ), {(1, 1): PEMBRO}),
    Case("pembro-q3w-easter-reanchor", "pembrolizumab-200-q3w", "2027-03-08", REANCHOR, FR, "2027-06-30", (
        s(1, 1, 1, "2027-03-08", "2027-03-08", "2027-03-06"),
        s(1, 2, 1, "2027-03-29", "2027-03-30", "2027-03-27"),  # Easter Monday -> Tue
        s(1, 3, 1, "2027-04-20", "2027-04-20", "2027-04-19"),  # 30 Mar + 21: the shift carries on
        s(1, 4, 1, "2027-05-11", "2027-05-11", "2027-05-10"),
        s(1, 5, 1, "2027-06-01", "2027-06-01", "2027-05-31"),
        s(1, 6, 1, "2027-06-22", "2027-06-22", "2027-06-21"),
    ), {(1, 1): PEMBRO}),
    # Nivolumab q14 from Thursday 22 April: C2 falls on Ascension (Thu 6 May).
    Case("nivo-q2w-ascension-grid", "nivolumab-240-q2w", "2027-04-22", GRID, FR, "2027-06-30", (
        s(1, 1, 1, "2027-04-22", "2027-04-22", "2027-04-21"),
        s(1, 2, 1, "2027-05-06", "2027-05-07", "2027-05-05"),  # Ascension -> Fri; lab: Thu hol. -> Wed
        s(1, 3, 1, "2027-05-20", "2027-05-20", "2027-05-19"),  # grid: back on Thursday
        s(1, 4, 1, "2027-06-03", "2027-06-03", "2027-06-02"),
        s(1, 5, 1, "2027-06-17", "2027-06-17", "2027-06-16"),
    ), {(1, 1): NIVO}),
    Case("nivo-q2w-ascension-reanchor", "nivolumab-240-q2w", "2027-04-22", REANCHOR, FR, "2027-06-30", (
        s(1, 1, 1, "2027-04-22", "2027-04-22", "2027-04-21"),
        s(1, 2, 1, "2027-05-06", "2027-05-07", "2027-05-05"),  # Ascension -> Fri
        s(1, 3, 1, "2027-05-21", "2027-05-21", "2027-05-20"),  # 7 May + 14: Fridays from now on
        s(1, 4, 1, "2027-06-04", "2027-06-04", "2027-06-03"),
        s(1, 5, 1, "2027-06-18", "2027-06-18", "2027-06-17"),
    ), {(1, 1): NIVO}),
    # Nivolumab q14 from Monday 3 May: C2 falls on Whit Monday (17 May).
    Case("nivo-q2w-whit-monday-grid", "nivolumab-240-q2w", "2027-05-03", GRID, FR, "2027-06-30", (
        s(1, 1, 1, "2027-05-03", "2027-05-03", "2027-04-30"),  # lab: Sun, Sat 1 May (Labour Day) -> Fri 30 Apr
        s(1, 2, 1, "2027-05-17", "2027-05-18", "2027-05-15"),  # Whit Monday -> Tue; lab: Mon hol., Sun -> Sat
        s(1, 3, 1, "2027-05-31", "2027-05-31", "2027-05-29"),
        s(1, 4, 1, "2027-06-14", "2027-06-14", "2027-06-12"),
        s(1, 5, 1, "2027-06-28", "2027-06-28", "2027-06-26"),
    ), {(1, 1): NIVO}),
    # ---------------------------------------------------------------- D1/D8 combination, spring 2028
    Case("gem-carbo-may-2028-grid", "gemcitabine-carboplatin-d1-d8-q21", "2028-04-10", GRID, FR, None, (
        s(1, 1, 1, "2028-04-10", "2028-04-10", "2028-04-08"),
        s(1, 1, 8, "2028-04-17", "2028-04-18", "2028-04-15"),  # Easter Monday -> Tue; lab Sat
        s(1, 2, 1, "2028-05-01", "2028-05-02", "2028-04-29"),  # 1 May (Mon) -> Tue; lab Sat
        s(1, 2, 8, "2028-05-08", "2028-05-09", "2028-05-06"),  # 8 May (Mon) -> Tue; lab Sat
        s(1, 3, 1, "2028-05-22", "2028-05-22", "2028-05-20"),
        s(1, 3, 8, "2028-05-29", "2028-05-29", "2028-05-27"),
        s(1, 4, 1, "2028-06-12", "2028-06-12", "2028-06-10"),
        s(1, 4, 8, "2028-06-19", "2028-06-19", "2028-06-17"),
        s(1, 5, 1, "2028-07-03", "2028-07-03", "2028-07-01"),
        s(1, 5, 8, "2028-07-10", "2028-07-10", "2028-07-08"),
        s(1, 6, 1, "2028-07-24", "2028-07-24", "2028-07-22"),
        s(1, 6, 8, "2028-07-31", "2028-07-31", "2028-07-29"),
    ), {(1, 1): ("carboplatin", "gemcitabine"), (1, 8): ("gemcitabine",)}),
    Case("gem-carbo-may-2028-reanchor", "gemcitabine-carboplatin-d1-d8-q21", "2028-04-10", REANCHOR, FR, None, (
        s(1, 1, 1, "2028-04-10", "2028-04-10", "2028-04-08"),
        s(1, 1, 8, "2028-04-17", "2028-04-18", "2028-04-15"),  # Easter Monday -> Tue
        s(1, 2, 1, "2028-05-01", "2028-05-02", "2028-04-29"),  # 10 Apr + 21 = 1 May -> Tue
        s(1, 2, 8, "2028-05-09", "2028-05-09", "2028-05-06"),  # actual D1 + 7: Tue, 8 May avoided; lab Sat
        s(1, 3, 1, "2028-05-23", "2028-05-23", "2028-05-22"),  # 2 May + 21
        s(1, 3, 8, "2028-05-30", "2028-05-30", "2028-05-29"),
        s(1, 4, 1, "2028-06-13", "2028-06-13", "2028-06-12"),
        s(1, 4, 8, "2028-06-20", "2028-06-20", "2028-06-19"),
        s(1, 5, 1, "2028-07-04", "2028-07-04", "2028-07-03"),
        s(1, 5, 8, "2028-07-11", "2028-07-11", "2028-07-10"),
        s(1, 6, 1, "2028-07-25", "2028-07-25", "2028-07-24"),
        s(1, 6, 8, "2028-08-01", "2028-08-01", "2028-07-31"),
    ), {(1, 1): ("carboplatin", "gemcitabine"), (1, 8): ("gemcitabine",)}),
    # ---------------------------------------------------------------- CheckMate 067, winter 2026-27
    # Induction C3 on Christmas (Fri 25 Dec 2026).
    Case("cm067-christmas-grid", "ipilimumab-nivolumab-melanoma-cm067", "2026-11-13", GRID, FR, "2027-03-10", (
        s(1, 1, 1, "2026-11-13", "2026-11-13", "2026-11-12"),
        s(1, 2, 1, "2026-12-04", "2026-12-04", "2026-12-03"),
        s(1, 3, 1, "2026-12-25", "2026-12-28", "2026-12-26"),  # Christmas (Fri) -> Mon 28; lab Sat 26 (open in fr)
        s(1, 4, 1, "2027-01-15", "2027-01-15", "2027-01-14"),  # grid: 13 Nov + 63
        s(2, 1, 1, "2027-02-05", "2027-02-05", "2027-02-04"),  # maintenance: planned C4 15 Jan + 21
        s(2, 2, 1, "2027-02-19", "2027-02-19", "2027-02-18"),
        s(2, 3, 1, "2027-03-05", "2027-03-05", "2027-03-04"),
    ), {(1, 1): IPI_NIVO, (2, 1): NIVO}),
    Case("cm067-christmas-reanchor", "ipilimumab-nivolumab-melanoma-cm067", "2026-11-13", REANCHOR, FR, "2027-03-10", (
        s(1, 1, 1, "2026-11-13", "2026-11-13", "2026-11-12"),
        s(1, 2, 1, "2026-12-04", "2026-12-04", "2026-12-03"),
        s(1, 3, 1, "2026-12-25", "2026-12-28", "2026-12-26"),  # Christmas (Fri) -> Mon 28
        s(1, 4, 1, "2027-01-18", "2027-01-18", "2027-01-16"),  # 28 Dec + 21
        s(2, 1, 1, "2027-02-08", "2027-02-08", "2027-02-06"),  # maintenance: actual C4 18 Jan + 21
        s(2, 2, 1, "2027-02-22", "2027-02-22", "2027-02-20"),
        s(2, 3, 1, "2027-03-08", "2027-03-08", "2027-03-06"),
    ), {(1, 1): IPI_NIVO, (2, 1): NIVO}),
    # Maintenance C1 (the phase transition) on New Year's Day (Fri 1 Jan 2027).
    Case("cm067-new-year-grid", "ipilimumab-nivolumab-melanoma-cm067", "2026-10-09", GRID, FR, "2027-02-28", (
        s(1, 1, 1, "2026-10-09", "2026-10-09", "2026-10-08"),
        s(1, 2, 1, "2026-10-30", "2026-10-30", "2026-10-29"),
        s(1, 3, 1, "2026-11-20", "2026-11-20", "2026-11-19"),
        s(1, 4, 1, "2026-12-11", "2026-12-11", "2026-12-10"),
        s(2, 1, 1, "2027-01-01", "2027-01-04", "2027-01-02"),  # 11 Dec + 21 = New Year (Fri) -> Mon 4; lab Sat 2
        s(2, 2, 1, "2027-01-15", "2027-01-15", "2027-01-14"),  # grid: back on Friday
        s(2, 3, 1, "2027-01-29", "2027-01-29", "2027-01-28"),
        s(2, 4, 1, "2027-02-12", "2027-02-12", "2027-02-11"),
        s(2, 5, 1, "2027-02-26", "2027-02-26", "2027-02-25"),
    ), {(1, 1): IPI_NIVO, (2, 1): NIVO}),
    Case("cm067-new-year-reanchor", "ipilimumab-nivolumab-melanoma-cm067", "2026-10-09", REANCHOR, FR, "2027-02-28", (
        s(1, 1, 1, "2026-10-09", "2026-10-09", "2026-10-08"),
        s(1, 2, 1, "2026-10-30", "2026-10-30", "2026-10-29"),
        s(1, 3, 1, "2026-11-20", "2026-11-20", "2026-11-19"),
        s(1, 4, 1, "2026-12-11", "2026-12-11", "2026-12-10"),
        s(2, 1, 1, "2027-01-01", "2027-01-04", "2027-01-02"),  # New Year (Fri) -> Mon 4
        s(2, 2, 1, "2027-01-18", "2027-01-18", "2027-01-16"),  # 4 Jan + 14: Mondays from now on
        s(2, 3, 1, "2027-02-01", "2027-02-01", "2027-01-30"),
        s(2, 4, 1, "2027-02-15", "2027-02-15", "2027-02-13"),
        # C5 planned Mon 1 Mar: after `until`; its lab (Sat 27 Feb, before `until`) goes with it
    ), {(1, 1): IPI_NIVO, (2, 1): NIVO}),
    # ---------------------------------------------------------------- AC -> weekly paclitaxel, 2028
    # Paclitaxel C1 = AC C4 (27 Mar) + 21 = Easter Monday; weekly Mondays then hit 1 May,
    # 8 May and Whit Monday on the grid, none of them once re-anchored on Tuesdays.
    Case("ac-weekly-paclitaxel-grid", "ac-q21-then-paclitaxel-weekly-x12", "2028-01-24", GRID, FR, None, (
        s(1, 1, 1, "2028-01-24", "2028-01-24", "2028-01-22"),
        s(1, 2, 1, "2028-02-14", "2028-02-14", "2028-02-12"),
        s(1, 3, 1, "2028-03-06", "2028-03-06", "2028-03-04"),
        s(1, 4, 1, "2028-03-27", "2028-03-27", "2028-03-25"),
        s(2, 1, 1, "2028-04-17", "2028-04-18", "2028-04-15"),  # phase boundary on Easter Monday -> Tue
        s(2, 2, 1, "2028-04-24", "2028-04-24", "2028-04-22"),  # 6 days after: own lab
        s(2, 3, 1, "2028-05-01", "2028-05-02", "2028-04-29"),  # 1 May -> Tue
        s(2, 4, 1, "2028-05-08", "2028-05-09", "2028-05-06"),  # 8 May -> Tue
        s(2, 5, 1, "2028-05-15", "2028-05-15", "2028-05-13"),
        s(2, 6, 1, "2028-05-22", "2028-05-22", "2028-05-20"),
        s(2, 7, 1, "2028-05-29", "2028-05-29", "2028-05-27"),
        s(2, 8, 1, "2028-06-05", "2028-06-06", "2028-06-03"),  # Whit Monday -> Tue
        s(2, 9, 1, "2028-06-12", "2028-06-12", "2028-06-10"),
        s(2, 10, 1, "2028-06-19", "2028-06-19", "2028-06-17"),
        s(2, 11, 1, "2028-06-26", "2028-06-26", "2028-06-24"),
        s(2, 12, 1, "2028-07-03", "2028-07-03", "2028-07-01"),
    ), {(1, 1): AC}),
    Case("ac-weekly-paclitaxel-reanchor", "ac-q21-then-paclitaxel-weekly-x12", "2028-01-24", REANCHOR, FR, None, (
        s(1, 1, 1, "2028-01-24", "2028-01-24", "2028-01-22"),
        s(1, 2, 1, "2028-02-14", "2028-02-14", "2028-02-12"),
        s(1, 3, 1, "2028-03-06", "2028-03-06", "2028-03-04"),
        s(1, 4, 1, "2028-03-27", "2028-03-27", "2028-03-25"),
        s(2, 1, 1, "2028-04-17", "2028-04-18", "2028-04-15"),  # phase boundary on Easter Monday -> Tue
        s(2, 2, 1, "2028-04-25", "2028-04-25", "2028-04-24"),  # 18 Apr + 7: Tuesdays from now on
        s(2, 3, 1, "2028-05-02", "2028-05-02", "2028-04-29"),  # lab: Mon 1 May hol., Sun -> Sat
        s(2, 4, 1, "2028-05-09", "2028-05-09", "2028-05-06"),  # lab: Mon 8 May hol., Sun -> Sat
        s(2, 5, 1, "2028-05-16", "2028-05-16", "2028-05-15"),
        s(2, 6, 1, "2028-05-23", "2028-05-23", "2028-05-22"),
        s(2, 7, 1, "2028-05-30", "2028-05-30", "2028-05-29"),
        s(2, 8, 1, "2028-06-06", "2028-06-06", "2028-06-03"),  # lab: Whit Monday, Sun -> Sat
        s(2, 9, 1, "2028-06-13", "2028-06-13", "2028-06-12"),
        s(2, 10, 1, "2028-06-20", "2028-06-20", "2028-06-19"),
        s(2, 11, 1, "2028-06-27", "2028-06-27", "2028-06-26"),
        s(2, 12, 1, "2028-07-04", "2028-07-04", "2028-07-03"),
    ), {(1, 1): AC}),
    # Dose-dense AC q14 then paclitaxel q14: pegfilgrastim (SC, D2) makes no session.
    # The last AC cycle (C4, 15 Feb + 42) falls on Easter Monday: the phase boundary is
    # planned from C4's planned D1 on the grid, from its actual D1 once re-anchored.
    Case("dd-ac-paclitaxel-grid", "dose-dense-ac-then-paclitaxel-q14", "2027-02-15", GRID, FR, None, (
        s(1, 1, 1, "2027-02-15", "2027-02-15", "2027-02-13"),
        s(1, 2, 1, "2027-03-01", "2027-03-01", "2027-02-27"),
        s(1, 3, 1, "2027-03-15", "2027-03-15", "2027-03-13"),
        s(1, 4, 1, "2027-03-29", "2027-03-30", "2027-03-27"),  # Easter Monday -> Tue; lab: Mon hol., Sun -> Sat
        s(2, 1, 1, "2027-04-12", "2027-04-12", "2027-04-10"),  # phase 2: planned C4 29 Mar + 14
        s(2, 2, 1, "2027-04-26", "2027-04-26", "2027-04-24"),
        s(2, 3, 1, "2027-05-10", "2027-05-10", "2027-05-07"),  # lab: Sun, Sat 8 May hol. -> Fri
        s(2, 4, 1, "2027-05-24", "2027-05-24", "2027-05-22"),
    ), {(1, 1): AC, (2, 1): ("paclitaxel",)}),
    Case("dd-ac-paclitaxel-reanchor", "dose-dense-ac-then-paclitaxel-q14", "2027-02-15", REANCHOR, FR, None, (
        s(1, 1, 1, "2027-02-15", "2027-02-15", "2027-02-13"),
        s(1, 2, 1, "2027-03-01", "2027-03-01", "2027-02-27"),
        s(1, 3, 1, "2027-03-15", "2027-03-15", "2027-03-13"),
        s(1, 4, 1, "2027-03-29", "2027-03-30", "2027-03-27"),  # Easter Monday -> Tue
        s(2, 1, 1, "2027-04-13", "2027-04-13", "2027-04-12"),  # phase 2: actual C4 30 Mar + 14
        s(2, 2, 1, "2027-04-27", "2027-04-27", "2027-04-26"),
        s(2, 3, 1, "2027-05-11", "2027-05-11", "2027-05-10"),
        s(2, 4, 1, "2027-05-25", "2027-05-25", "2027-05-24"),
    ), {(1, 1): AC, (2, 1): ("paclitaxel",)}),
    # ---------------------------------------------------------------- mFOLFOX6, summer 2027
    # Wednesdays; C3 on 14 July moves to Thursday and its pump comes off 2 days after that.
    # 15 August 2027 is a Sunday: it lies inside the plan but moves nothing.
    Case("mfolfox6-summer-grid", "mfolfox6-q14", "2027-06-16", GRID, FR, "2027-08-31", (
        s(1, 1, 1, "2027-06-16", "2027-06-16", "2027-06-15", pump="2027-06-18"),
        s(1, 2, 1, "2027-06-30", "2027-06-30", "2027-06-29", pump="2027-07-02"),
        s(1, 3, 1, "2027-07-14", "2027-07-15", "2027-07-13", pump="2027-07-17"),  # 14 July -> Thu; lab: Wed hol. -> Tue; pump Thu + 2 (Sat)
        s(1, 4, 1, "2027-07-28", "2027-07-28", "2027-07-27", pump="2027-07-30"),  # grid: back on Wednesday
        s(1, 5, 1, "2027-08-11", "2027-08-11", "2027-08-10", pump="2027-08-13"),
        s(1, 6, 1, "2027-08-25", "2027-08-25", "2027-08-24", pump="2027-08-27"),
    ), {(1, 1): FOLFOX}),
    Case("mfolfox6-summer-reanchor", "mfolfox6-q14", "2027-06-16", REANCHOR, FR, "2027-08-13", (
        s(1, 1, 1, "2027-06-16", "2027-06-16", "2027-06-15", pump="2027-06-18"),
        s(1, 2, 1, "2027-06-30", "2027-06-30", "2027-06-29", pump="2027-07-02"),
        s(1, 3, 1, "2027-07-14", "2027-07-15", "2027-07-13", pump="2027-07-17"),  # 14 July -> Thu; pump Sat 17
        s(1, 4, 1, "2027-07-29", "2027-07-29", "2027-07-28", pump="2027-07-31"),  # 15 Jul + 14
        s(1, 5, 1, "2027-08-12", "2027-08-12", "2027-08-11"),  # pump Sat 14 Aug: after `until`, dropped
    ), {(1, 1): FOLFOX}),
    # ---------------------------------------------------------------- cisplatin-etoposide, spring 2026
    # Friday start; C2 D1 on 1 May 2026 (Fri); Whit Monday 25 May 2026.
    Case("cis-eto-friday-grid", "cisplatin-etoposide-q21", "2026-04-10", GRID, FR, None, (
        s(1, 1, 1, "2026-04-10", "2026-04-10", "2026-04-09"),
        s(1, 1, 2, "2026-04-11", "2026-04-13", None),  # Sat -> Mon; 3 days after D1: shares its lab
        s(1, 1, 3, "2026-04-12", "2026-04-14", None, AFTER),  # Sun -> Mon = D2's day -> Tue
        s(1, 2, 1, "2026-05-01", "2026-05-04", "2026-05-02"),  # 1 May (Fri) -> Mon; lab: Sun -> Sat 2
        s(1, 2, 2, "2026-05-02", "2026-05-05", None, AFTER),  # Sat -> Mon = D1's day -> Tue
        s(1, 2, 3, "2026-05-03", "2026-05-06", None, AFTER),  # Sun -> Mon, not after Tue -> Wed
        s(1, 3, 1, "2026-05-22", "2026-05-22", "2026-05-21"),
        s(1, 3, 2, "2026-05-23", "2026-05-26", "2026-05-23"),  # Sat, Sun, Whit Mon -> Tue; 4 days after D1: own lab, Mon hol., Sun -> Sat 23
        s(1, 3, 3, "2026-05-24", "2026-05-27", None, AFTER),  # Sun -> Tue = D2's day -> Wed
        s(1, 4, 1, "2026-06-12", "2026-06-12", "2026-06-11"),
        s(1, 4, 2, "2026-06-13", "2026-06-15", None),  # Sat -> Mon
        s(1, 4, 3, "2026-06-14", "2026-06-16", None, AFTER),  # Sun -> Mon = D2's day -> Tue
        s(1, 5, 1, "2026-07-03", "2026-07-03", "2026-07-02"),
        s(1, 5, 2, "2026-07-04", "2026-07-06", None),  # Sat -> Mon
        s(1, 5, 3, "2026-07-05", "2026-07-07", None, AFTER),  # Sun -> Mon = D2's day -> Tue
        s(1, 6, 1, "2026-07-24", "2026-07-24", "2026-07-23"),
        s(1, 6, 2, "2026-07-25", "2026-07-27", None),  # Sat -> Mon
        s(1, 6, 3, "2026-07-26", "2026-07-28", None, AFTER),  # Sun -> Mon = D2's day -> Tue
    ), {(1, 1): CIS_ETO_D1, (1, 2): ("etoposide",), (1, 3): ("etoposide",)}),
    Case("cis-eto-friday-reanchor", "cisplatin-etoposide-q21", "2026-04-10", REANCHOR, FR, None, (
        s(1, 1, 1, "2026-04-10", "2026-04-10", "2026-04-09"),
        s(1, 1, 2, "2026-04-11", "2026-04-13", None),  # Sat -> Mon
        s(1, 1, 3, "2026-04-12", "2026-04-14", None, AFTER),  # Sun -> Mon = D2's day -> Tue
        s(1, 2, 1, "2026-05-01", "2026-05-04", "2026-05-02"),  # 10 Apr + 21 = 1 May (Fri) -> Mon; lab Sat
        s(1, 2, 2, "2026-05-05", "2026-05-05", None),  # actual D1 + 1
        s(1, 2, 3, "2026-05-06", "2026-05-06", None),
        s(1, 3, 1, "2026-05-25", "2026-05-26", "2026-05-23"),  # 4 May + 21 = Whit Monday -> Tue; lab: Mon hol., Sun -> Sat
        s(1, 3, 2, "2026-05-27", "2026-05-27", None),
        s(1, 3, 3, "2026-05-28", "2026-05-28", None),
        s(1, 4, 1, "2026-06-16", "2026-06-16", "2026-06-15"),  # 26 May + 21
        s(1, 4, 2, "2026-06-17", "2026-06-17", None),
        s(1, 4, 3, "2026-06-18", "2026-06-18", None),
        s(1, 5, 1, "2026-07-07", "2026-07-07", "2026-07-06"),
        s(1, 5, 2, "2026-07-08", "2026-07-08", None),
        s(1, 5, 3, "2026-07-09", "2026-07-09", None),
        s(1, 6, 1, "2026-07-28", "2026-07-28", "2026-07-27"),
        s(1, 6, 2, "2026-07-29", "2026-07-29", None),
        s(1, 6, 3, "2026-07-30", "2026-07-30", None),
    ), {(1, 1): CIS_ETO_D1, (1, 2): ("etoposide",), (1, 3): ("etoposide",)}),
    # ---------------------------------------------------------------- fr vs fr-alsace-moselle
    # Pembrolizumab q21 on Fridays: C2 on Good Friday 2027.
    Case("pembro-good-friday-fr", "pembrolizumab-200-q3w", "2027-03-05", GRID, FR, "2027-05-31", (
        s(1, 1, 1, "2027-03-05", "2027-03-05", "2027-03-04"),
        s(1, 2, 1, "2027-03-26", "2027-03-26", "2027-03-25"),  # Good Friday: a working day in fr
        s(1, 3, 1, "2027-04-16", "2027-04-16", "2027-04-15"),
        s(1, 4, 1, "2027-05-07", "2027-05-07", "2027-05-05"),  # lab: Thu 6 May Ascension -> Wed
        s(1, 5, 1, "2027-05-28", "2027-05-28", "2027-05-27"),
    ), {(1, 1): PEMBRO}),
    Case("pembro-good-friday-alsace", "pembrolizumab-200-q3w", "2027-03-05", GRID, AM, "2027-05-31", (
        s(1, 1, 1, "2027-03-05", "2027-03-05", "2027-03-04"),
        s(1, 2, 1, "2027-03-26", "2027-03-30", "2027-03-27"),  # Good Friday, Sat, Sun, Easter Mon -> Tue; lab: Mon hol., Sun -> Sat 27
        s(1, 3, 1, "2027-04-16", "2027-04-16", "2027-04-15"),  # grid: same as fr from now on
        s(1, 4, 1, "2027-05-07", "2027-05-07", "2027-05-05"),
        s(1, 5, 1, "2027-05-28", "2027-05-28", "2027-05-27"),
    ), {(1, 1): PEMBRO}),
    # `until` on Easter Monday: C2, planned on Good Friday (before `until`), actually takes
    # place on Tue 30 Mar (after it): it is left out, and so is its lab (Sat 27 Mar).
    Case("pembro-good-friday-alsace-until-cuts", "pembrolizumab-200-q3w", "2027-03-05", GRID, AM, "2027-03-29", (
        s(1, 1, 1, "2027-03-05", "2027-03-05", "2027-03-04"),
    ), {(1, 1): PEMBRO}),
    # Nivolumab q14 on Tuesdays: C3 on Tuesday 26 December 2028 (Mon 25 Dec is Christmas).
    Case("nivo-26-dec-fr", "nivolumab-240-q2w", "2028-11-28", REANCHOR, FR, "2029-01-31", (
        s(1, 1, 1, "2028-11-28", "2028-11-28", "2028-11-27"),
        s(1, 2, 1, "2028-12-12", "2028-12-12", "2028-12-11"),
        s(1, 3, 1, "2028-12-26", "2028-12-26", "2028-12-23"),  # open in fr; lab: Mon 25 hol., Sun -> Sat 23
        s(1, 4, 1, "2029-01-09", "2029-01-09", "2029-01-08"),
        s(1, 5, 1, "2029-01-23", "2029-01-23", "2029-01-22"),
    ), {(1, 1): NIVO}),
    Case("nivo-26-dec-alsace-no-lab-day", "nivolumab-240-q2w", "2028-11-28", REANCHOR, AM, "2029-01-31", (
        s(1, 1, 1, "2028-11-28", "2028-11-28", "2028-11-27"),
        s(1, 2, 1, "2028-12-12", "2028-12-12", "2028-12-11"),
        s(1, 3, 1, "2028-12-26", "2028-12-27", None, NO_LAB),  # 26 Dec hol. -> Wed 27; D-1 26, D-2 25 hol., D-3 Sun: no lab day
        s(1, 4, 1, "2029-01-10", "2029-01-10", "2029-01-09"),  # 27 Dec + 14
        s(1, 5, 1, "2029-01-24", "2029-01-24", "2029-01-23"),
    ), {(1, 1): NIVO}),
    # ---------------------------------------------------------------- no closures
    # Cisplatin-etoposide started on Christmas Day 2026 with closures "none": exactly the grid,
    # weekends included; labs on D-1 (any Monday-Saturday; no public holidays).
    Case("cis-eto-no-closures", "cisplatin-etoposide-q21", "2026-12-25", REANCHOR, NONE, None, (
        s(1, 1, 1, "2026-12-25", "2026-12-25", "2026-12-24"),
        s(1, 1, 2, "2026-12-26", "2026-12-26", None),
        s(1, 1, 3, "2026-12-27", "2026-12-27", None),
        s(1, 2, 1, "2027-01-15", "2027-01-15", "2027-01-14"),
        s(1, 2, 2, "2027-01-16", "2027-01-16", None),
        s(1, 2, 3, "2027-01-17", "2027-01-17", None),
        s(1, 3, 1, "2027-02-05", "2027-02-05", "2027-02-04"),
        s(1, 3, 2, "2027-02-06", "2027-02-06", None),
        s(1, 3, 3, "2027-02-07", "2027-02-07", None),
        s(1, 4, 1, "2027-02-26", "2027-02-26", "2027-02-25"),
        s(1, 4, 2, "2027-02-27", "2027-02-27", None),
        s(1, 4, 3, "2027-02-28", "2027-02-28", None),
        s(1, 5, 1, "2027-03-19", "2027-03-19", "2027-03-18"),
        s(1, 5, 2, "2027-03-20", "2027-03-20", None),
        s(1, 5, 3, "2027-03-21", "2027-03-21", None),
        s(1, 6, 1, "2027-04-09", "2027-04-09", "2027-04-08"),
        s(1, 6, 2, "2027-04-10", "2027-04-10", None),
        s(1, 6, 3, "2027-04-11", "2027-04-11", None),
    ), {(1, 1): CIS_ETO_D1, (1, 2): ("etoposide",), (1, 3): ("etoposide",)}),
    # ---------------------------------------------------------------- caps
    # KEYNOTE-189 on Tuesdays from 5 Jan 2027: 4 induction cycles, then open-ended maintenance;
    # pembrolizumab's 35th administration is session 35 (maintenance C31, 19 Dec 2028);
    # pemetrexed goes on alone. Labs: the Monday before, unless it is a holiday.
    Case("kn189-pembrolizumab-cap", "pembrolizumab-pemetrexed-platinum-kn189", "2027-01-05", GRID, FR, "2029-02-28", (
        s(1, 1, 1, "2027-01-05", "2027-01-05", "2027-01-04"),
        s(1, 2, 1, "2027-01-26", "2027-01-26", "2027-01-25"),
        s(1, 3, 1, "2027-02-16", "2027-02-16", "2027-02-15"),
        s(1, 4, 1, "2027-03-09", "2027-03-09", "2027-03-08"),
        s(2, 1, 1, "2027-03-30", "2027-03-30", "2027-03-27"),  # 9 Mar + 21; lab: Easter Monday, Sun -> Sat
        s(2, 2, 1, "2027-04-20", "2027-04-20", "2027-04-19"),
        s(2, 3, 1, "2027-05-11", "2027-05-11", "2027-05-10"),
        s(2, 4, 1, "2027-06-01", "2027-06-01", "2027-05-31"),
        s(2, 5, 1, "2027-06-22", "2027-06-22", "2027-06-21"),
        s(2, 6, 1, "2027-07-13", "2027-07-13", "2027-07-12"),
        s(2, 7, 1, "2027-08-03", "2027-08-03", "2027-08-02"),
        s(2, 8, 1, "2027-08-24", "2027-08-24", "2027-08-23"),
        s(2, 9, 1, "2027-09-14", "2027-09-14", "2027-09-13"),
        s(2, 10, 1, "2027-10-05", "2027-10-05", "2027-10-04"),
        s(2, 11, 1, "2027-10-26", "2027-10-26", "2027-10-25"),
        s(2, 12, 1, "2027-11-16", "2027-11-16", "2027-11-15"),
        s(2, 13, 1, "2027-12-07", "2027-12-07", "2027-12-06"),
        s(2, 14, 1, "2027-12-28", "2027-12-28", "2027-12-27"),
        s(2, 15, 1, "2028-01-18", "2028-01-18", "2028-01-17"),
        s(2, 16, 1, "2028-02-08", "2028-02-08", "2028-02-07"),
        s(2, 17, 1, "2028-02-29", "2028-02-29", "2028-02-28"),
        s(2, 18, 1, "2028-03-21", "2028-03-21", "2028-03-20"),
        s(2, 19, 1, "2028-04-11", "2028-04-11", "2028-04-10"),
        s(2, 20, 1, "2028-05-02", "2028-05-02", "2028-04-29"),  # lab: Mon 1 May hol., Sun -> Sat
        s(2, 21, 1, "2028-05-23", "2028-05-23", "2028-05-22"),
        s(2, 22, 1, "2028-06-13", "2028-06-13", "2028-06-12"),
        s(2, 23, 1, "2028-07-04", "2028-07-04", "2028-07-03"),
        s(2, 24, 1, "2028-07-25", "2028-07-25", "2028-07-24"),
        s(2, 25, 1, "2028-08-15", "2028-08-16", "2028-08-14"),  # Assumption (Tue) -> Wed; lab: Tue hol. -> Mon
        s(2, 26, 1, "2028-09-05", "2028-09-05", "2028-09-04"),  # grid: back on Tuesday
        s(2, 27, 1, "2028-09-26", "2028-09-26", "2028-09-25"),
        s(2, 28, 1, "2028-10-17", "2028-10-17", "2028-10-16"),
        s(2, 29, 1, "2028-11-07", "2028-11-07", "2028-11-06"),
        s(2, 30, 1, "2028-11-28", "2028-11-28", "2028-11-27"),
        s(2, 31, 1, "2028-12-19", "2028-12-19", "2028-12-18"),  # 35th and last pembrolizumab
        s(2, 32, 1, "2029-01-09", "2029-01-09", "2029-01-08", agents=PEME),
        s(2, 33, 1, "2029-01-30", "2029-01-30", "2029-01-29", agents=PEME),
        s(2, 34, 1, "2029-02-20", "2029-02-20", "2029-02-19", agents=PEME),
    ), {(2, 1): PEMBRO_PEME}),
    # CLEOPATRA on Thursdays from 2 Mar 2028, re-anchored: docetaxel in the first 6 sessions
    # (loading + maintenance C1-C5), then pertuzumab + trastuzumab alone.
    Case("cleopatra-docetaxel-cap", "pertuzumab-trastuzumab-docetaxel-q21", "2028-03-02", REANCHOR, FR, "2028-08-10", (
        s(1, 1, 1, "2028-03-02", "2028-03-02", "2028-03-01", agents=PTD),
        s(2, 1, 1, "2028-03-23", "2028-03-23", "2028-03-22", agents=PTD),
        s(2, 2, 1, "2028-04-13", "2028-04-13", "2028-04-12", agents=PTD),
        s(2, 3, 1, "2028-05-04", "2028-05-04", "2028-05-03", agents=PTD),
        s(2, 4, 1, "2028-05-25", "2028-05-26", "2028-05-24", agents=PTD),  # Ascension -> Fri; lab: Thu hol. -> Wed
        s(2, 5, 1, "2028-06-16", "2028-06-16", "2028-06-15", agents=PTD),  # 26 May + 21; 6th docetaxel
        s(2, 6, 1, "2028-07-07", "2028-07-07", "2028-07-06", agents=PT),
        s(2, 7, 1, "2028-07-28", "2028-07-28", "2028-07-27", agents=PT),
    )),
    # ---------------------------------------------------------------- KEYNOTE-522, a gap for surgery
    # Paclitaxel-carboplatin 4 x 21 (D1, D8, D15), AC 4 x 21, then 42 days for surgery and
    # adjuvant pembrolizumab 9 x 21: phase 3 C1 = AC C4 D1 (planned on the grid, actual once
    # re-anchored) + 21 + 42. Mondays from 7 Jun 2027: AC C4 on All Saints' Day (Mon 1 Nov);
    # the grid then meets New Year (lab), Easter Monday and 8 May 2028, the re-anchored
    # Tuesdays none of them. Whole plan: 4 x 3 + 4 + 9 = 25 sessions.
    Case("kn522-all-saints-gap-grid", "pembrolizumab-chemo-kn522", "2027-06-07", GRID, FR, None, (
        s(1, 1, 1, "2027-06-07", "2027-06-07", "2027-06-05"),
        s(1, 1, 8, "2027-06-14", "2027-06-14", "2027-06-12"),
        s(1, 1, 15, "2027-06-21", "2027-06-21", "2027-06-19"),
        s(1, 2, 1, "2027-06-28", "2027-06-28", "2027-06-26"),
        s(1, 2, 8, "2027-07-05", "2027-07-05", "2027-07-03"),
        s(1, 2, 15, "2027-07-12", "2027-07-12", "2027-07-10"),  # 14 July is the Wednesday after: nothing moves
        s(1, 3, 1, "2027-07-19", "2027-07-19", "2027-07-17"),
        s(1, 3, 8, "2027-07-26", "2027-07-26", "2027-07-24"),
        s(1, 3, 15, "2027-08-02", "2027-08-02", "2027-07-31"),
        s(1, 4, 1, "2027-08-09", "2027-08-09", "2027-08-07"),
        s(1, 4, 8, "2027-08-16", "2027-08-16", "2027-08-14"),  # 15 Aug is the Sunday before: lab Sat 14
        s(1, 4, 15, "2027-08-23", "2027-08-23", "2027-08-21"),
        s(2, 1, 1, "2027-08-30", "2027-08-30", "2027-08-28"),  # AC: C4 D1 9 Aug + 21
        s(2, 2, 1, "2027-09-20", "2027-09-20", "2027-09-18"),
        s(2, 3, 1, "2027-10-11", "2027-10-11", "2027-10-09"),
        s(2, 4, 1, "2027-11-01", "2027-11-02", "2027-10-30"),  # All Saints' Day (Mon) -> Tue; lab: Mon hol., Sun -> Sat 30 Oct
        s(3, 1, 1, "2028-01-03", "2028-01-03", "2027-12-31"),  # gap: planned C4 1 Nov + 21 + 42; lab: Sun, Sat 1 Jan hol. -> Fri 31 Dec
        s(3, 2, 1, "2028-01-24", "2028-01-24", "2028-01-22"),
        s(3, 3, 1, "2028-02-14", "2028-02-14", "2028-02-12"),
        s(3, 4, 1, "2028-03-06", "2028-03-06", "2028-03-04"),
        s(3, 5, 1, "2028-03-27", "2028-03-27", "2028-03-25"),
        s(3, 6, 1, "2028-04-17", "2028-04-18", "2028-04-15"),  # Easter Monday -> Tue; lab: Mon hol., Sun -> Sat 15
        s(3, 7, 1, "2028-05-08", "2028-05-09", "2028-05-06"),  # 8 May (Mon) -> Tue; lab: Mon hol., Sun -> Sat 6
        s(3, 8, 1, "2028-05-29", "2028-05-29", "2028-05-27"),  # grid: back on Monday
        s(3, 9, 1, "2028-06-19", "2028-06-19", "2028-06-17"),
    ), {(1, 1): KN522_TC, (1, 8): PACLITAXEL, (1, 15): PACLITAXEL, (2, 1): KN522_AC, (3, 1): PEMBRO}),
    Case("kn522-all-saints-gap-reanchor", "pembrolizumab-chemo-kn522", "2027-06-07", REANCHOR, FR, None, (
        s(1, 1, 1, "2027-06-07", "2027-06-07", "2027-06-05"),
        s(1, 1, 8, "2027-06-14", "2027-06-14", "2027-06-12"),
        s(1, 1, 15, "2027-06-21", "2027-06-21", "2027-06-19"),
        s(1, 2, 1, "2027-06-28", "2027-06-28", "2027-06-26"),
        s(1, 2, 8, "2027-07-05", "2027-07-05", "2027-07-03"),
        s(1, 2, 15, "2027-07-12", "2027-07-12", "2027-07-10"),
        s(1, 3, 1, "2027-07-19", "2027-07-19", "2027-07-17"),
        s(1, 3, 8, "2027-07-26", "2027-07-26", "2027-07-24"),
        s(1, 3, 15, "2027-08-02", "2027-08-02", "2027-07-31"),
        s(1, 4, 1, "2027-08-09", "2027-08-09", "2027-08-07"),
        s(1, 4, 8, "2027-08-16", "2027-08-16", "2027-08-14"),
        s(1, 4, 15, "2027-08-23", "2027-08-23", "2027-08-21"),
        s(2, 1, 1, "2027-08-30", "2027-08-30", "2027-08-28"),
        s(2, 2, 1, "2027-09-20", "2027-09-20", "2027-09-18"),
        s(2, 3, 1, "2027-10-11", "2027-10-11", "2027-10-09"),
        s(2, 4, 1, "2027-11-01", "2027-11-02", "2027-10-30"),  # All Saints' Day (Mon) -> Tue
        s(3, 1, 1, "2028-01-04", "2028-01-04", "2028-01-03"),  # gap: actual C4 2 Nov + 21 + 42; Tuesdays from now on
        s(3, 2, 1, "2028-01-25", "2028-01-25", "2028-01-24"),
        s(3, 3, 1, "2028-02-15", "2028-02-15", "2028-02-14"),
        s(3, 4, 1, "2028-03-07", "2028-03-07", "2028-03-06"),
        s(3, 5, 1, "2028-03-28", "2028-03-28", "2028-03-27"),
        s(3, 6, 1, "2028-04-18", "2028-04-18", "2028-04-15"),  # lab: Easter Monday, Sun -> Sat 15
        s(3, 7, 1, "2028-05-09", "2028-05-09", "2028-05-06"),  # lab: Mon 8 May hol., Sun -> Sat 6
        s(3, 8, 1, "2028-05-30", "2028-05-30", "2028-05-29"),
        s(3, 9, 1, "2028-06-20", "2028-06-20", "2028-06-19"),
    ), {(1, 1): KN522_TC, (1, 8): PACLITAXEL, (1, 15): PACLITAXEL, (2, 1): KN522_AC, (3, 1): PEMBRO}),
    # Mondays from 15 Mar 2027, up to AC C2: C1 D15 on Easter Monday, C4 D1 (the last of
    # phase 1) on Whit Monday; re-anchored, C4's D8 and D15 and the AC phase follow its Tuesday.
    Case("kn522-whit-monday-grid", "pembrolizumab-chemo-kn522", "2027-03-15", GRID, FR, "2027-06-30", (
        s(1, 1, 1, "2027-03-15", "2027-03-15", "2027-03-13"),
        s(1, 1, 8, "2027-03-22", "2027-03-22", "2027-03-20"),
        s(1, 1, 15, "2027-03-29", "2027-03-30", "2027-03-27"),  # Easter Monday -> Tue; lab: Mon hol., Sun -> Sat 27
        s(1, 2, 1, "2027-04-05", "2027-04-05", "2027-04-03"),  # 6 days after: own lab
        s(1, 2, 8, "2027-04-12", "2027-04-12", "2027-04-10"),
        s(1, 2, 15, "2027-04-19", "2027-04-19", "2027-04-17"),
        s(1, 3, 1, "2027-04-26", "2027-04-26", "2027-04-24"),
        s(1, 3, 8, "2027-05-03", "2027-05-03", "2027-04-30"),  # lab: Sun, Sat 1 May hol. -> Fri 30 Apr
        s(1, 3, 15, "2027-05-10", "2027-05-10", "2027-05-07"),  # lab: Sun, Sat 8 May hol. -> Fri 7
        s(1, 4, 1, "2027-05-17", "2027-05-18", "2027-05-15"),  # Whit Monday -> Tue; lab: Mon hol., Sun -> Sat 15
        s(1, 4, 8, "2027-05-24", "2027-05-24", "2027-05-22"),  # grid: planned D1 + 7, Monday
        s(1, 4, 15, "2027-05-31", "2027-05-31", "2027-05-29"),
        s(2, 1, 1, "2027-06-07", "2027-06-07", "2027-06-05"),  # AC: planned C4 17 May + 21
        s(2, 2, 1, "2027-06-28", "2027-06-28", "2027-06-26"),
    ), {(1, 1): KN522_TC, (1, 8): PACLITAXEL, (1, 15): PACLITAXEL, (2, 1): KN522_AC}),
    Case("kn522-whit-monday-reanchor", "pembrolizumab-chemo-kn522", "2027-03-15", REANCHOR, FR, "2027-06-30", (
        s(1, 1, 1, "2027-03-15", "2027-03-15", "2027-03-13"),
        s(1, 1, 8, "2027-03-22", "2027-03-22", "2027-03-20"),
        s(1, 1, 15, "2027-03-29", "2027-03-30", "2027-03-27"),  # Easter Monday -> Tue
        s(1, 2, 1, "2027-04-05", "2027-04-05", "2027-04-03"),  # actual C1 D1 + 21: a moved D15 shifts nothing
        s(1, 2, 8, "2027-04-12", "2027-04-12", "2027-04-10"),
        s(1, 2, 15, "2027-04-19", "2027-04-19", "2027-04-17"),
        s(1, 3, 1, "2027-04-26", "2027-04-26", "2027-04-24"),
        s(1, 3, 8, "2027-05-03", "2027-05-03", "2027-04-30"),  # lab: Sun, Sat 1 May hol. -> Fri 30 Apr
        s(1, 3, 15, "2027-05-10", "2027-05-10", "2027-05-07"),  # lab: Sun, Sat 8 May hol. -> Fri 7
        s(1, 4, 1, "2027-05-17", "2027-05-18", "2027-05-15"),  # Whit Monday -> Tue
        s(1, 4, 8, "2027-05-25", "2027-05-25", "2027-05-24"),  # actual D1 + 7: Tue
        s(1, 4, 15, "2027-06-01", "2027-06-01", "2027-05-31"),
        s(2, 1, 1, "2027-06-08", "2027-06-08", "2027-06-07"),  # AC: actual C4 18 May + 21
        s(2, 2, 1, "2027-06-29", "2027-06-29", "2027-06-28"),
    ), {(1, 1): KN522_TC, (1, 8): PACLITAXEL, (1, 15): PACLITAXEL, (2, 1): KN522_AC}),
    # ---------------------------------------------------------------- RUBY, 2028
    # Mondays from 3 Jan 2028 (lab before New Year's Day); chemotherapy C6 on Easter Monday,
    # dostarlimab q42 C1 (planned C6 + 21) on 8 May on the grid, avoided once re-anchored.
    Case("ruby-easter-2028-grid", "carboplatin-paclitaxel-dostarlimab-ruby", "2028-01-03", GRID, FR, "2028-12-31", (
        s(1, 1, 1, "2028-01-03", "2028-01-03", "2027-12-31"),  # lab: Sun, Sat 1 Jan hol. -> Fri 31 Dec
        s(1, 2, 1, "2028-01-24", "2028-01-24", "2028-01-22"),
        s(1, 3, 1, "2028-02-14", "2028-02-14", "2028-02-12"),
        s(1, 4, 1, "2028-03-06", "2028-03-06", "2028-03-04"),
        s(1, 5, 1, "2028-03-27", "2028-03-27", "2028-03-25"),
        s(1, 6, 1, "2028-04-17", "2028-04-18", "2028-04-15"),  # Easter Monday -> Tue; lab: Mon hol., Sun -> Sat 15
        s(2, 1, 1, "2028-05-08", "2028-05-09", "2028-05-06"),  # planned C6 17 Apr + 21 = 8 May (Mon) -> Tue; lab Sat 6
        s(2, 2, 1, "2028-06-19", "2028-06-19", "2028-06-17"),  # grid: 8 May + 42, Monday
        s(2, 3, 1, "2028-07-31", "2028-07-31", "2028-07-29"),
        s(2, 4, 1, "2028-09-11", "2028-09-11", "2028-09-09"),
        s(2, 5, 1, "2028-10-23", "2028-10-23", "2028-10-21"),
        s(2, 6, 1, "2028-12-04", "2028-12-04", "2028-12-02"),
    ), {(1, 1): RUBY_CHEMO, (2, 1): DOSTARLIMAB}),
    Case("ruby-easter-2028-reanchor", "carboplatin-paclitaxel-dostarlimab-ruby", "2028-01-03", REANCHOR, FR, "2028-12-31", (
        s(1, 1, 1, "2028-01-03", "2028-01-03", "2027-12-31"),  # lab: Sun, Sat 1 Jan hol. -> Fri 31 Dec
        s(1, 2, 1, "2028-01-24", "2028-01-24", "2028-01-22"),
        s(1, 3, 1, "2028-02-14", "2028-02-14", "2028-02-12"),
        s(1, 4, 1, "2028-03-06", "2028-03-06", "2028-03-04"),
        s(1, 5, 1, "2028-03-27", "2028-03-27", "2028-03-25"),
        s(1, 6, 1, "2028-04-17", "2028-04-18", "2028-04-15"),  # Easter Monday -> Tue
        s(2, 1, 1, "2028-05-09", "2028-05-09", "2028-05-06"),  # actual C6 18 Apr + 21: Tue; lab: Mon 8 May hol., Sun -> Sat 6
        s(2, 2, 1, "2028-06-20", "2028-06-20", "2028-06-19"),  # 9 May + 42: Tuesdays from now on
        s(2, 3, 1, "2028-08-01", "2028-08-01", "2028-07-31"),
        s(2, 4, 1, "2028-09-12", "2028-09-12", "2028-09-11"),
        s(2, 5, 1, "2028-10-24", "2028-10-24", "2028-10-23"),
        s(2, 6, 1, "2028-12-05", "2028-12-05", "2028-12-04"),
    ), {(1, 1): RUBY_CHEMO, (2, 1): DOSTARLIMAB}),
    # ---------------------------------------------------------------- EV-302, winter 2026-27
    # Fridays from 4 Dec 2026: C2 D1 on Christmas, its D8 on New Year's Day on the grid.
    # Re-anchored on Monday 28 Dec, the plan meets Easter Monday (C6 D8) instead.
    Case("ev302-christmas-grid", "enfortumab-vedotin-pembrolizumab-ev302", "2026-12-04", GRID, FR, "2027-03-31", (
        s(1, 1, 1, "2026-12-04", "2026-12-04", "2026-12-03"),
        s(1, 1, 8, "2026-12-11", "2026-12-11", "2026-12-10"),
        s(1, 2, 1, "2026-12-25", "2026-12-28", "2026-12-26"),  # Christmas (Fri) -> Mon 28; lab: Sun -> Sat 26 (open in fr)
        s(1, 2, 8, "2027-01-01", "2027-01-04", "2027-01-02"),  # grid: planned D1 + 7 = New Year (Fri) -> Mon 4; lab Sat 2
        s(1, 3, 1, "2027-01-15", "2027-01-15", "2027-01-14"),  # grid: back on Friday
        s(1, 3, 8, "2027-01-22", "2027-01-22", "2027-01-21"),
        s(1, 4, 1, "2027-02-05", "2027-02-05", "2027-02-04"),
        s(1, 4, 8, "2027-02-12", "2027-02-12", "2027-02-11"),
        s(1, 5, 1, "2027-02-26", "2027-02-26", "2027-02-25"),
        s(1, 5, 8, "2027-03-05", "2027-03-05", "2027-03-04"),
        s(1, 6, 1, "2027-03-19", "2027-03-19", "2027-03-18"),
        s(1, 6, 8, "2027-03-26", "2027-03-26", "2027-03-25"),  # Good Friday: a working day in fr
    ), {(1, 1): EV_PEMBRO, (1, 8): EV}),
    Case("ev302-christmas-reanchor", "enfortumab-vedotin-pembrolizumab-ev302", "2026-12-04", REANCHOR, FR, "2027-03-31", (
        s(1, 1, 1, "2026-12-04", "2026-12-04", "2026-12-03"),
        s(1, 1, 8, "2026-12-11", "2026-12-11", "2026-12-10"),
        s(1, 2, 1, "2026-12-25", "2026-12-28", "2026-12-26"),  # Christmas (Fri) -> Mon 28; lab Sat 26
        s(1, 2, 8, "2027-01-04", "2027-01-04", "2027-01-02"),  # actual D1 + 7: Mon, New Year avoided; lab Sat 2
        s(1, 3, 1, "2027-01-18", "2027-01-18", "2027-01-16"),  # 28 Dec + 21: Mondays from now on
        s(1, 3, 8, "2027-01-25", "2027-01-25", "2027-01-23"),
        s(1, 4, 1, "2027-02-08", "2027-02-08", "2027-02-06"),
        s(1, 4, 8, "2027-02-15", "2027-02-15", "2027-02-13"),
        s(1, 5, 1, "2027-03-01", "2027-03-01", "2027-02-27"),
        s(1, 5, 8, "2027-03-08", "2027-03-08", "2027-03-06"),
        s(1, 6, 1, "2027-03-22", "2027-03-22", "2027-03-20"),
        s(1, 6, 8, "2027-03-29", "2027-03-30", "2027-03-27"),  # Easter Monday -> Tue; lab: Mon hol., Sun -> Sat 27
        # C7 D1 planned 12 Apr: after `until`
    ), {(1, 1): EV_PEMBRO, (1, 8): EV}),
    # ---------------------------------------------------------------- TOPAZ-1, winter 2026-27
    # Fridays from 31 Jul 2026: the last chemotherapy cycle (C8) has D1 on Christmas and D8 on
    # New Year's Day; durvalumab q28 starts from C8's planned D1 (grid) or actual D1 (re-anchored).
    Case("topaz1-christmas-grid", "gemcitabine-cisplatin-durvalumab-topaz1", "2026-07-31", GRID, FR, "2027-05-31", (
        s(1, 1, 1, "2026-07-31", "2026-07-31", "2026-07-30"),
        s(1, 1, 8, "2026-08-07", "2026-08-07", "2026-08-06"),
        s(1, 2, 1, "2026-08-21", "2026-08-21", "2026-08-20"),
        s(1, 2, 8, "2026-08-28", "2026-08-28", "2026-08-27"),
        s(1, 3, 1, "2026-09-11", "2026-09-11", "2026-09-10"),
        s(1, 3, 8, "2026-09-18", "2026-09-18", "2026-09-17"),
        s(1, 4, 1, "2026-10-02", "2026-10-02", "2026-10-01"),
        s(1, 4, 8, "2026-10-09", "2026-10-09", "2026-10-08"),
        s(1, 5, 1, "2026-10-23", "2026-10-23", "2026-10-22"),
        s(1, 5, 8, "2026-10-30", "2026-10-30", "2026-10-29"),
        s(1, 6, 1, "2026-11-13", "2026-11-13", "2026-11-12"),  # 11 Nov is the Wednesday before: nothing moves
        s(1, 6, 8, "2026-11-20", "2026-11-20", "2026-11-19"),
        s(1, 7, 1, "2026-12-04", "2026-12-04", "2026-12-03"),
        s(1, 7, 8, "2026-12-11", "2026-12-11", "2026-12-10"),
        s(1, 8, 1, "2026-12-25", "2026-12-28", "2026-12-26"),  # Christmas (Fri) -> Mon 28; lab Sat 26
        s(1, 8, 8, "2027-01-01", "2027-01-04", "2027-01-02"),  # grid: New Year (Fri) -> Mon 4; lab Sat 2
        s(2, 1, 1, "2027-01-15", "2027-01-15", "2027-01-14"),  # durvalumab: planned C8 25 Dec + 21
        s(2, 2, 1, "2027-02-12", "2027-02-12", "2027-02-11"),
        s(2, 3, 1, "2027-03-12", "2027-03-12", "2027-03-11"),
        s(2, 4, 1, "2027-04-09", "2027-04-09", "2027-04-08"),
        s(2, 5, 1, "2027-05-07", "2027-05-07", "2027-05-05"),  # lab: Thu 6 May Ascension -> Wed 5
    ), {(1, 1): TOPAZ_D1, (1, 8): GEM_CIS, (2, 1): DURVA}),
    Case("topaz1-christmas-reanchor", "gemcitabine-cisplatin-durvalumab-topaz1", "2026-07-31", REANCHOR, FR, "2027-05-31", (
        s(1, 1, 1, "2026-07-31", "2026-07-31", "2026-07-30"),
        s(1, 1, 8, "2026-08-07", "2026-08-07", "2026-08-06"),
        s(1, 2, 1, "2026-08-21", "2026-08-21", "2026-08-20"),
        s(1, 2, 8, "2026-08-28", "2026-08-28", "2026-08-27"),
        s(1, 3, 1, "2026-09-11", "2026-09-11", "2026-09-10"),
        s(1, 3, 8, "2026-09-18", "2026-09-18", "2026-09-17"),
        s(1, 4, 1, "2026-10-02", "2026-10-02", "2026-10-01"),
        s(1, 4, 8, "2026-10-09", "2026-10-09", "2026-10-08"),
        s(1, 5, 1, "2026-10-23", "2026-10-23", "2026-10-22"),
        s(1, 5, 8, "2026-10-30", "2026-10-30", "2026-10-29"),
        s(1, 6, 1, "2026-11-13", "2026-11-13", "2026-11-12"),
        s(1, 6, 8, "2026-11-20", "2026-11-20", "2026-11-19"),
        s(1, 7, 1, "2026-12-04", "2026-12-04", "2026-12-03"),
        s(1, 7, 8, "2026-12-11", "2026-12-11", "2026-12-10"),
        s(1, 8, 1, "2026-12-25", "2026-12-28", "2026-12-26"),  # Christmas (Fri) -> Mon 28
        s(1, 8, 8, "2027-01-04", "2027-01-04", "2027-01-02"),  # actual D1 + 7: Mon, New Year avoided
        s(2, 1, 1, "2027-01-18", "2027-01-18", "2027-01-16"),  # durvalumab: actual C8 28 Dec + 21; Mondays from now on
        s(2, 2, 1, "2027-02-15", "2027-02-15", "2027-02-13"),
        s(2, 3, 1, "2027-03-15", "2027-03-15", "2027-03-13"),
        s(2, 4, 1, "2027-04-12", "2027-04-12", "2027-04-10"),
        s(2, 5, 1, "2027-05-10", "2027-05-10", "2027-05-07"),  # lab: Sun, Sat 8 May hol. -> Fri 7
    ), {(1, 1): TOPAZ_D1, (1, 8): GEM_CIS, (2, 1): DURVA}),
    # ---------------------------------------------------------------- subcutaneous sessions
    # Phesgo (one SC injection of both antibodies, given in the unit: a session) q21 x 18 on
    # Mondays from 26 Apr 2027, the whole plan: Whit Monday (C2), All Saints' Day (C10),
    # New Year (lab of C13) and Easter Monday 2028 (C18).
    Case("phesgo-whole-plan-grid", "pertuzumab-trastuzumab-sc-phesgo-q21", "2027-04-26", GRID, FR, None, (
        s(1, 1, 1, "2027-04-26", "2027-04-26", "2027-04-24"),
        s(1, 2, 1, "2027-05-17", "2027-05-18", "2027-05-15"),  # Whit Monday -> Tue; lab: Mon hol., Sun -> Sat 15
        s(1, 3, 1, "2027-06-07", "2027-06-07", "2027-06-05"),  # grid: back on Monday
        s(1, 4, 1, "2027-06-28", "2027-06-28", "2027-06-26"),
        s(1, 5, 1, "2027-07-19", "2027-07-19", "2027-07-17"),
        s(1, 6, 1, "2027-08-09", "2027-08-09", "2027-08-07"),
        s(1, 7, 1, "2027-08-30", "2027-08-30", "2027-08-28"),
        s(1, 8, 1, "2027-09-20", "2027-09-20", "2027-09-18"),
        s(1, 9, 1, "2027-10-11", "2027-10-11", "2027-10-09"),
        s(1, 10, 1, "2027-11-01", "2027-11-02", "2027-10-30"),  # All Saints' Day (Mon) -> Tue; lab: Mon hol., Sun -> Sat 30 Oct
        s(1, 11, 1, "2027-11-22", "2027-11-22", "2027-11-20"),
        s(1, 12, 1, "2027-12-13", "2027-12-13", "2027-12-11"),
        s(1, 13, 1, "2028-01-03", "2028-01-03", "2027-12-31"),  # lab: Sun, Sat 1 Jan hol. -> Fri 31 Dec
        s(1, 14, 1, "2028-01-24", "2028-01-24", "2028-01-22"),
        s(1, 15, 1, "2028-02-14", "2028-02-14", "2028-02-12"),
        s(1, 16, 1, "2028-03-06", "2028-03-06", "2028-03-04"),
        s(1, 17, 1, "2028-03-27", "2028-03-27", "2028-03-25"),
        s(1, 18, 1, "2028-04-17", "2028-04-18", "2028-04-15"),  # Easter Monday -> Tue; lab: Mon hol., Sun -> Sat 15
    ), {(1, 1): PT}),
    Case("phesgo-whole-plan-reanchor", "pertuzumab-trastuzumab-sc-phesgo-q21", "2027-04-26", REANCHOR, FR, None, (
        s(1, 1, 1, "2027-04-26", "2027-04-26", "2027-04-24"),
        s(1, 2, 1, "2027-05-17", "2027-05-18", "2027-05-15"),  # Whit Monday -> Tue
        s(1, 3, 1, "2027-06-08", "2027-06-08", "2027-06-07"),  # 18 May + 21: Tuesdays from now on
        s(1, 4, 1, "2027-06-29", "2027-06-29", "2027-06-28"),
        s(1, 5, 1, "2027-07-20", "2027-07-20", "2027-07-19"),
        s(1, 6, 1, "2027-08-10", "2027-08-10", "2027-08-09"),
        s(1, 7, 1, "2027-08-31", "2027-08-31", "2027-08-30"),
        s(1, 8, 1, "2027-09-21", "2027-09-21", "2027-09-20"),
        s(1, 9, 1, "2027-10-12", "2027-10-12", "2027-10-11"),
        s(1, 10, 1, "2027-11-02", "2027-11-02", "2027-10-30"),  # lab: Mon 1 Nov hol., Sun -> Sat 30 Oct
        s(1, 11, 1, "2027-11-23", "2027-11-23", "2027-11-22"),
        s(1, 12, 1, "2027-12-14", "2027-12-14", "2027-12-13"),
        s(1, 13, 1, "2028-01-04", "2028-01-04", "2028-01-03"),
        s(1, 14, 1, "2028-01-25", "2028-01-25", "2028-01-24"),
        s(1, 15, 1, "2028-02-15", "2028-02-15", "2028-02-14"),
        s(1, 16, 1, "2028-03-07", "2028-03-07", "2028-03-06"),
        s(1, 17, 1, "2028-03-28", "2028-03-28", "2028-03-27"),
        s(1, 18, 1, "2028-04-18", "2028-04-18", "2028-04-15"),  # lab: Easter Monday, Sun -> Sat 15
    ), {(1, 1): PT}),
    # Atezolizumab SC q21 on Thursdays from 21 Oct 2027: C2 on Armistice Day (Thu 11 Nov).
    Case("atezolizumab-sc-armistice-grid", "atezolizumab-sc-1875-q3w", "2027-10-21", GRID, FR, "2028-02-29", (
        s(1, 1, 1, "2027-10-21", "2027-10-21", "2027-10-20"),
        s(1, 2, 1, "2027-11-11", "2027-11-12", "2027-11-10"),  # Armistice Day (Thu) -> Fri; lab: Thu hol. -> Wed 10
        s(1, 3, 1, "2027-12-02", "2027-12-02", "2027-12-01"),  # grid: back on Thursday
        s(1, 4, 1, "2027-12-23", "2027-12-23", "2027-12-22"),
        s(1, 5, 1, "2028-01-13", "2028-01-13", "2028-01-12"),
        s(1, 6, 1, "2028-02-03", "2028-02-03", "2028-02-02"),
        s(1, 7, 1, "2028-02-24", "2028-02-24", "2028-02-23"),
    ), {(1, 1): ATEZO}),
    Case("atezolizumab-sc-armistice-reanchor", "atezolizumab-sc-1875-q3w", "2027-10-21", REANCHOR, FR, "2028-02-29", (
        s(1, 1, 1, "2027-10-21", "2027-10-21", "2027-10-20"),
        s(1, 2, 1, "2027-11-11", "2027-11-12", "2027-11-10"),  # Armistice Day (Thu) -> Fri
        s(1, 3, 1, "2027-12-03", "2027-12-03", "2027-12-02"),  # 12 Nov + 21: Fridays from now on
        s(1, 4, 1, "2027-12-24", "2027-12-24", "2027-12-23"),  # Christmas Eve: open (25 Dec is the Saturday)
        s(1, 5, 1, "2028-01-14", "2028-01-14", "2028-01-13"),
        s(1, 6, 1, "2028-02-04", "2028-02-04", "2028-02-03"),
        s(1, 7, 1, "2028-02-25", "2028-02-25", "2028-02-24"),
    ), {(1, 1): ATEZO}),
]
# fmt: on


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _plan(catalog, case: Case) -> Schedule:
    return plan(
        catalog.regimen(case.regimen),
        date.fromisoformat(case.start),
        policy=case.policy,
        calendar=ClosureCalendar(case.closures),
        until=None if case.until is None else date.fromisoformat(case.until),
    )


def _fmt(d: date) -> str:
    return f"{d.isoformat()} {d.strftime('%a')}"


def test_case_ids_are_unique():
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_session_dates(catalog, case: Case) -> None:
    schedule = _plan(catalog, case)
    got = [(x.phase, x.cycle, x.day, _fmt(x.planned), _fmt(x.date)) for x in schedule.sessions]
    want = [(e.phase, e.cycle, e.day, _fmt(e.planned), _fmt(e.actual)) for e in case.sessions]
    assert got == want


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_warnings(catalog, case: Case) -> None:
    schedule = _plan(catalog, case)
    got = [(_fmt(x.date), sorted(x.warnings)) for x in schedule.sessions]
    want = [(_fmt(e.actual), sorted(e.warn)) for e in case.sessions]
    assert got == want


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_lab_dates(catalog, case: Case) -> None:
    schedule = _plan(catalog, case)
    got = [
        (_fmt(e.date), _fmt(schedule.sessions[e.session].date))
        for e in schedule.events
        if e.kind is EventKind.LAB
    ]
    want = [(_fmt(e.lab), _fmt(e.actual)) for e in case.sessions if e.lab is not None]
    assert got == want


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_pump_disconnections(catalog, case: Case) -> None:
    schedule = _plan(catalog, case)
    got = [
        (_fmt(e.date), _fmt(schedule.sessions[e.session].date))
        for e in schedule.events
        if e.kind is EventKind.PUMP_DISCONNECT
    ]
    want = [(_fmt(e.pump), _fmt(e.actual)) for e in case.sessions if e.pump is not None]
    assert got == want


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.agents or any(e.agents for e in c.sessions)], ids=lambda c: c.id
)
def test_agents(catalog, case: Case) -> None:
    schedule = _plan(catalog, case)
    got, want = [], []
    for session, line in zip(schedule.sessions, case.sessions, strict=True):
        expected = case.expected_agents(line)
        if expected is not None:
            got.append((_fmt(session.date), session.agents))
            want.append((_fmt(session.date), expected))
    assert got == want


def test_kn189_pembrolizumab_stops_at_35_pemetrexed_goes_on(catalog) -> None:
    case = next(c for c in CASES if c.id == "kn189-pembrolizumab-cap")
    sessions = _plan(catalog, case).sessions
    with_pembro = [x for x in sessions if "pembrolizumab" in x.agents]
    assert len(with_pembro) == 35
    assert (with_pembro[-1].phase, with_pembro[-1].cycle, with_pembro[-1].date) == (
        2,
        31,
        date(2028, 12, 19),
    )
    assert all("pemetrexed" in x.agents for x in sessions)
    # Induction: pembrolizumab + pemetrexed + one platinum.
    for x in sessions[:4]:
        assert {"pembrolizumab", "pemetrexed"} < set(x.agents)
        assert set(x.agents) & {"carboplatin", "cisplatin"}


def test_kn189_without_until_stops_two_years_after_start(catalog) -> None:
    # Start Tue 5 Jan 2027: the open-ended maintenance stops at 5 Jan 2029. Session 35
    # (19 Dec 2028) is the last on or before it; session 36 would be 9 Jan 2029.
    schedule = plan(
        catalog.regimen("pembrolizumab-pemetrexed-platinum-kn189"),
        date(2027, 1, 5),
        policy=GRID,
        calendar=ClosureCalendar(FR),
    )
    assert len(schedule.sessions) == 35
    assert schedule.sessions[-1].date == date(2028, 12, 19)
    assert all("pembrolizumab" in x.agents for x in schedule.sessions)


def test_cleopatra_docetaxel_given_six_times(catalog) -> None:
    case = next(c for c in CASES if c.id == "cleopatra-docetaxel-cap")
    sessions = _plan(catalog, case).sessions
    assert [x.date for x in sessions if "docetaxel" in x.agents][-1] == date(2028, 6, 16)
    assert sum("docetaxel" in x.agents for x in sessions) == 6


def test_kn522_whole_plan_has_25_sessions_and_17_pembrolizumab_doses(catalog) -> None:
    for policy in (GRID, REANCHOR):
        case = next(c for c in CASES if c.id == f"kn522-all-saints-gap-{policy}")
        sessions = _plan(catalog, case).sessions
        assert len(sessions) == 25  # 4 x 3 + 4 + 9
        assert [sum(x.phase == p for x in sessions) for p in (1, 2, 3)] == [12, 4, 9]
        assert sum("pembrolizumab" in x.agents for x in sessions) == 17  # every D1: 4 + 4 + 9


def test_ev302_pembrolizumab_stops_at_35_enfortumab_vedotin_goes_on(catalog) -> None:
    # Mondays from 4 Jan 2027 on the grid: C35 D1 = +34 x 21 = +714 = Mon 18 Dec 2028 is the
    # 35th and last pembrolizumab; C35 D8 (+721) is Christmas (Mon 25 Dec 2028) -> Tue 26;
    # C36 D1 = +735 = Mon 8 Jan 2029 (New Year's Day is the Monday before, no session then).
    # The two-year horizon (4 Jan 2029) would stop the plan before C36: `until` goes past it.
    schedule = plan(
        catalog.regimen("enfortumab-vedotin-pembrolizumab-ev302"),
        date(2027, 1, 4),
        policy=GRID,
        calendar=ClosureCalendar(FR),
        until=date(2029, 1, 20),
    )
    sessions = schedule.sessions
    assert len(sessions) == 72  # C1-C36, D1 and D8; C37 D1 (29 Jan 2029) is after `until`
    with_pembro = [x for x in sessions if "pembrolizumab" in x.agents]
    assert len(with_pembro) == 35
    assert all(x.day == 1 for x in with_pembro)
    assert all("enfortumab vedotin" in x.agents for x in sessions)
    got = [(x.cycle, x.day, x.planned, x.date, x.agents) for x in sessions if x.cycle >= 35]
    assert got == [
        (35, 1, date(2028, 12, 18), date(2028, 12, 18), EV_PEMBRO),  # 35th pembrolizumab
        (35, 8, date(2028, 12, 25), date(2028, 12, 26), EV),  # Christmas (Mon) -> Tue
        (36, 1, date(2029, 1, 8), date(2029, 1, 8), EV),  # 36th cycle: enfortumab vedotin only
        (36, 8, date(2029, 1, 15), date(2029, 1, 15), EV),
    ]


# ---------------------------------------------------------------- whole plans, no closures
# The catalogue's readings of the protocols (cycles, lengths, session days, caps, two-year
# horizon), checked on the bare grid: closures "none", start Monday 4 Jan 2027, so every
# session is exactly on start + offset. The two-year horizon is 4 Jan 2029 (start + 731 days).
# (regimen, until, sessions, first D1 of the last phase, last session (phase, cycle, day, date))
# fmt: off
LENGTHS = [
    # 12 x 14 days: last D1 = +11 x 14 = +154
    ("mfolfox6-q14", None, 12, "2027-01-04", (1, 12, 1, "2027-06-07")),
    # 6 x 21 days, D1-D3: last = +5 x 21 + 2 = +107
    ("cisplatin-etoposide-q21", None, 18, "2027-01-04", (1, 6, 3, "2027-04-21")),
    # 6 x 21 days, D1 + D8: last = +105 + 7 = +112
    ("gemcitabine-carboplatin-d1-d8-q21", None, 12, "2027-01-04", (1, 6, 8, "2027-04-26")),
    # loading 1 + maintenance 16 (21 days): maintenance from +21, last = +16 x 21 = +336
    ("trastuzumab-q3w-adjuvant", None, 17, "2027-01-25", (2, 16, 1, "2027-12-06")),
    # 13 x 28 days: last = +12 x 28 = +336
    ("durvalumab-1500-q4w-pacific", None, 13, "2027-01-04", (1, 13, 1, "2027-12-06")),
    # 35 x 21 days: last = +34 x 21 = +714
    ("pembrolizumab-200-q3w", None, 35, "2027-01-04", (1, 35, 1, "2028-12-18")),
    # 18 x 42 days: last = +17 x 42 = +714
    ("pembrolizumab-400-q6w", None, 18, "2027-01-04", (1, 18, 1, "2028-12-18")),
    # induction 4 x 21 then maintenance 31 x 21: maintenance from +84, last = +714
    ("pembrolizumab-carboplatin-taxane-kn407", None, 35, "2027-03-29", (2, 31, 1, "2028-12-18")),
    # AC 4 x 21 then paclitaxel 12 x 7: paclitaxel from +84, last = +84 + 77 = +161
    ("ac-q21-then-paclitaxel-weekly-x12", None, 16, "2027-03-29", (2, 12, 1, "2027-06-14")),
    # ddAC 4 x 14 then paclitaxel 4 x 14 (pegfilgrastim SC: no session): from +56, last +98
    ("dose-dense-ac-then-paclitaxel-q14", None, 8, "2027-03-01", (2, 4, 1, "2027-04-12")),
    # open-ended: sessions on or before +731
    # STRIDE: 1 x 28 then durvalumab q28 from +28; +28 k <= 731 -> k <= 26: 27 sessions, +728
    ("tremelimumab-durvalumab-stride", None, 27, "2027-02-01", (2, 26, 1, "2029-01-01")),
    # CM227: D1/D15/D29 of 42 days = every 14 days; +14 j <= 731 -> 53 sessions, last C18 D15
    ("nivolumab-ipilimumab-nsclc-cm227", None, 53, "2027-01-04", (1, 18, 15, "2029-01-01")),
    # CM9LA: D1/D22 of 42 days = every 21 days; phase 2 from +42; 35 sessions, last C17 D1 +714
    ("nivolumab-ipilimumab-chemo-cm9la", None, 35, "2027-02-15", (2, 17, 1, "2028-12-18")),
    # CM067: 4 x 21 then nivolumab q14 from +84; +84 + 14 m <= 731 -> m <= 46: 4 + 47 = 51
    ("ipilimumab-nivolumab-melanoma-cm067", None, 51, "2027-03-29", (2, 47, 1, "2029-01-01")),
    # weekly paclitaxel D1/D8/D15 q28: 26 full cycles (78) + C27 D1 (+728) = 79
    ("paclitaxel-weekly-d1-8-15-q28", None, 79, "2027-01-04", (1, 27, 1, "2029-01-01")),
    # CLEOPATRA: loading + open-ended q21 from +21; +21 j <= 731 -> 35 sessions, last +714
    ("pertuzumab-trastuzumab-docetaxel-q21", None, 35, "2027-01-25", (2, 34, 1, "2028-12-18")),
    # KEYNOTE-189: 4 + open-ended from +84; 35 sessions up to +714 (next +735 > 731)
    ("pembrolizumab-pemetrexed-platinum-kn189", None, 35, "2027-03-29", (2, 31, 1, "2028-12-18")),
    # KEYNOTE-426 / CLEAR asked for 3 years: the open-ended phase ends with pembrolizumab's
    # 35th dose (axitinib / lenvatinib are oral), not at the end date.
    ("pembrolizumab-axitinib-kn426", "2030-01-04", 35, "2027-01-04", (1, 35, 1, "2028-12-18")),
    ("lenvatinib-pembrolizumab-clear", "2030-01-04", 35, "2027-01-04", (1, 35, 1, "2028-12-18")),
    # KEYNOTE-522: 4 x 21 (D1, D8, D15), 4 x 21, a 42-day gap, 9 x 21: the adjuvant phase from
    # +84 + 63 + 63 = +210 (AC C1 at +84, AC C4 at +147), its C9 at +210 + 168 = +378
    ("pembrolizumab-chemo-kn522", None, 25, "2027-08-02", (3, 9, 1, "2028-01-17")),
    # RUBY: 6 x 21 then dostarlimab 23 x 42: from +126, last +126 + 22 x 42 = +1050 (3 years)
    ("carboplatin-paclitaxel-dostarlimab-ruby", None, 29, "2027-05-10", (2, 23, 1, "2029-11-19")),
    # EV-302: D1/D8 q21, open-ended; C35 D8 (+721) <= +731 < C36 D1 (+735): 35 x 2 = 70
    ("enfortumab-vedotin-pembrolizumab-ev302", None, 70, "2027-01-04", (1, 35, 8, "2028-12-25")),
    # TOPAZ-1: 8 x 21 (D1, D8) then durvalumab q28 from +168; +168 + 28 m <= 731 -> m <= 20:
    # 16 + 21 = 37 sessions, last +728
    ("gemcitabine-cisplatin-durvalumab-topaz1", None, 37, "2027-06-21", (2, 21, 1, "2029-01-01")),
    # SC sessions: Phesgo 18 x 21, last +17 x 21 = +357; atezolizumab SC q21 open-ended: +714
    ("pertuzumab-trastuzumab-sc-phesgo-q21", None, 18, "2027-01-04", (1, 18, 1, "2027-12-27")),
    ("atezolizumab-sc-1875-q3w", None, 35, "2027-01-04", (1, 35, 1, "2028-12-18")),
]
# fmt: on


@pytest.mark.parametrize("row", LENGTHS, ids=[r[0] for r in LENGTHS])
def test_whole_plan_on_the_bare_grid(catalog, row) -> None:
    regimen, until, count, last_phase_start, (phase, cycle, day, when) = row
    schedule = plan(
        catalog.regimen(regimen),
        date(2027, 1, 4),
        policy=GRID,
        calendar=ClosureCalendar(NONE),
        until=None if until is None else date.fromisoformat(until),
    )
    sessions = schedule.sessions
    assert all(x.date == x.planned for x in sessions)
    last_phase = max(x.phase for x in sessions)
    first_of_last_phase = next(x for x in sessions if x.phase == last_phase)
    final = sessions[-1]
    got = (
        len(sessions),
        _fmt(first_of_last_phase.date),
        (final.phase, final.cycle, final.day, _fmt(final.date)),
    )
    want = (
        count,
        _fmt(date.fromisoformat(last_phase_start)),
        (phase, cycle, day, _fmt(date.fromisoformat(when))),
    )
    assert got == want
