"""The patients to call after what was recorded since a day, worked out by hand."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime

from planner.catalog import Catalog
from planner.core.closures import UnitClosure
from planner.core.patient import Patient
from planner.core.plan import Delay, Plan, Revert, Stop
from planner.core.schedule import DelayReason
from planner.core.settings import UnitSettings
from planner.i18n import set_language
from planner.worklists import (
    call_cells,
    calls_csv,
    calls_since,
)


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2027 in Paris (UTC+1 until the 28th)."""
    return datetime(2027, 3, day, hour - 1, minute, tzinfo=UTC)


def unit_to_call(catalog: Catalog) -> tuple[list[Plan], UnitSettings]:
    """Four patients, and what was recorded about them and the unit before and since
    Tuesday 2 March 2027 (the unit's closures: a strike on Monday 22 March recorded before
    the program kept when, a training day on Monday 19 April recorded on 2 March at 14:00).

    * Anne, pembrolizumab q3w from Mon 8 March (C2 on Tue 30 March, Easter Monday being the
      29th): C2 delayed to Tue 6 April on 2 March at 10:00 (since).
    * Bruno, mFOLFOX6 from Mon 15 March: C1 delayed to Tue 16 March on 1 March (before:
      C2 Tue 30 March, C3 Tue 13 April, C4 Tue 27 April... re-anchored), stopped on Tue 20
      April on 2 March at 11:00 (since).
    * Carla, weekly paclitaxel from Mon 5 April: D15 on Mon 19 April, the training day.
    * Dora, nivolumab q2w from Mon 8 March: C2 (Tue 23 March, after the strike) delayed to
      Tue 30 March on 1 March (before), and that delay undone on 2 March at 9:00 (since).
    """
    settings = UnitSettings(
        unit_closures=(
            UnitClosure(date(2027, 3, 22), "Grève"),
            UnitClosure(date(2027, 4, 19), "Formation", paris(2, 14), "cadre"),
        )
    )
    calendar = settings.calendar()

    def plan(name: str, regimen: str, start: date) -> Plan:
        patient = Patient(name, name.upper(), "Test", "", contact=f"06 {name}")
        return Plan(name, patient, catalog.regimen(regimen), start, calendar=calendar)

    anne = plan("anne", "pembrolizumab-200-q3w", date(2027, 3, 8)).with_entry(
        Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY), "cb", paris(2, 10), "PNN 0,9"
    )
    bruno = plan("bruno", "mfolfox6-q14", date(2027, 3, 15))
    bruno = bruno.with_entry(
        Delay((1, 1, 1), date(2027, 3, 16), DelayReason.PATIENT_REQUEST), "cb", paris(1, 16)
    )
    bruno = bruno.with_entry(Stop(date(2027, 4, 20), "progression"), "dr", paris(2, 11))
    carla = plan("carla", "paclitaxel-weekly-d1-8-15-q28", date(2027, 4, 5))
    dora = plan("dora", "nivolumab-240-q2w", date(2027, 3, 8))
    dora = dora.with_entry(
        Delay((1, 2, 1), date(2027, 3, 30), DelayReason.PATIENT_REQUEST), "cb", paris(1, 9)
    )
    dora = dora.with_entry(Revert(1), "ab", paris(2, 9))
    return [anne, bruno, carla, dora], settings


DORA_DELAY = "Delay Monotherapy · C2 · D1 to Tue 30 Mar 2027 (patient's request)"


def test_the_patients_whose_coming_sessions_moved_since_a_day(catalog: Catalog) -> None:
    plans, settings = unit_to_call(catalog)
    calls = calls_since(plans, settings, (), since=date(2027, 3, 2), today=date(2027, 3, 2))
    assert [call_cells(call) for call in calls] == [
        # Dora first: her C2 comes first (Tue 23 March, after the strike). The delay undone
        # brings it back a week, and her later cycles, no longer counted from the delayed
        # C2, 7 to 9 days earlier (Mondays again instead of Tuesdays, holidays aside).
        [
            "DORA Test",
            "06 dora",
            "Nivolumab 240 mg every 2 weeks (monotherapy)",
            "Monotherapy · C2 · D1 and 1 more",
            "Tue 30 Mar 2027",
            "Tue 23 Mar 2027 (each 7 to 8 days earlier)",
            f"Undo change 1: {DORA_DELAY}",
        ],
        [
            # Back to Monday 19 April, the training day: Tuesday 20.
            "DORA Test",
            "06 dora",
            "Nivolumab 240 mg every 2 weeks (monotherapy)",
            "Monotherapy · C4 · D1",
            "Tue 27 Apr 2027",
            "Tue 20 Apr 2027",
            f"Undo change 1: {DORA_DELAY}; unit closed on Mon 19 Apr 2027: Formation",
        ],
        [
            "DORA Test",
            "06 dora",
            "Nivolumab 240 mg every 2 weeks (monotherapy)",
            "Monotherapy · C5 · D1 and 47 more",  # to two years after the start
            "Tue 11 May 2027",
            "Mon 3 May 2027 (each 7 to 9 days earlier)",
            f"Undo change 1: {DORA_DELAY}",
        ],
        [
            "ANNE Test",
            "06 anne",
            "Pembrolizumab 200 mg every 3 weeks (monotherapy)",
            "Monotherapy · C2 · D1 and 33 more",  # C2 to C35, the cap
            "Tue 30 Mar 2027",
            "Tue 6 Apr 2027 (each 7 to 8 days later)",
            "Delay Monotherapy · C2 · D1 to Tue 6 Apr 2027 (toxicity) — PNN 0,9",
        ],
        [
            "CARLA Test",
            "06 carla",
            "Paclitaxel weekly 80 mg/m² days 1, 8, 15 every 28 days",
            "Treatment · C1 · D15",
            "Mon 19 Apr 2027",
            "Tue 20 Apr 2027",
            "unit closed on Mon 19 Apr 2027: Formation",
        ],
        [
            # C3 on Tue 13 April stays; C4 (Tue 27 April) to C12 are not given any more.
            "BRUNO Test",
            "06 bruno",
            "mFOLFOX6 (oxaliplatin, leucovorin, 5-FU bolus + 46-h infusion) every 14 days",
            "Treatment · C4 · D1 and 8 more",
            "Tue 27 Apr 2027",
            "not given any more",
            "Stop the treatment on Tue 20 Apr 2027 (progression)",
        ],
    ]


def test_what_was_recorded_before_the_day_calls_nobody(catalog: Catalog) -> None:
    plans, settings = unit_to_call(catalog)
    # Since Wednesday 3 March, nothing new: nobody to call (the strike, recorded before
    # closures were dated, never counts as new).
    assert calls_since(plans, settings, (), since=date(2027, 3, 3), today=date(2027, 3, 3)) == []
    # Since Monday 1 March: Dora's delay and its undo cancel out, but the training day
    # moves her C4 (Monday 19 to Tuesday 20 April); Bruno's first delay (Monday 15 to
    # Tuesday 16 March) is a call too, with his C3 counted from it (Monday 12 to Tuesday
    # 13 April; C2 stays on Tuesday 30 March, after Easter Monday), and his sessions from
    # C4 (Monday 26 April) are not given any more.
    calls = calls_since(plans, settings, (), since=date(2027, 3, 1), today=date(2027, 3, 1))
    assert [(c.patient.id, c.session, c.before, c.after, c.more) for c in calls] == [
        ("bruno", "Treatment · C1 · D1", date(2027, 3, 15), date(2027, 3, 16), 1),
        ("bruno", "Treatment · C4 · D1", date(2027, 4, 26), None, 8),
        ("anne", "Monotherapy · C2 · D1", date(2027, 3, 30), date(2027, 4, 6), 33),
        ("carla", "Treatment · C1 · D15", date(2027, 4, 19), date(2027, 4, 20), 0),
        ("dora", "Monotherapy · C4 · D1", date(2027, 4, 19), date(2027, 4, 20), 0),
    ]


def test_sessions_already_past_are_not_calls(catalog: Catalog) -> None:
    plans, settings = unit_to_call(catalog)
    # On Wednesday 21 April, Carla's moved D15 (Tuesday 20) is past, and so are Anne's
    # and Dora's C2 and C3; Dora's C4 was on Tuesday 27 and is now yesterday: to call.
    calls = calls_since(plans, settings, (), since=date(2027, 3, 2), today=date(2027, 4, 21))
    assert [(c.patient.id, c.session, c.before, c.after) for c in calls] == [
        ("anne", "Monotherapy · C3 · D1", date(2027, 4, 19), date(2027, 4, 27)),
        ("bruno", "Treatment · C4 · D1", date(2027, 4, 27), None),
        ("dora", "Monotherapy · C4 · D1", date(2027, 4, 27), date(2027, 4, 20)),
        ("dora", "Monotherapy · C5 · D1", date(2027, 5, 11), date(2027, 5, 3)),
    ]


def test_the_calls_as_a_french_spreadsheet(catalog: Catalog) -> None:
    set_language("fr")
    plans, settings = unit_to_call(catalog)
    calls = calls_since(plans, settings, (), since=date(2027, 3, 2), today=date(2027, 3, 2))
    text = b"".join(calls_csv(calls)).decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[0] == ["Patient", "Contact", "Protocole", "Séance", "Avant", "Désormais", "Motif"]
    assert rows[5] == [
        "CARLA Test",
        "06 carla",
        "Paclitaxel hebdomadaire 80 mg/m² J1, J8, J15 tous les 28 jours",
        "Traitement · C1 · J15",
        "2027-04-19",
        "2027-04-20",
        "service fermé le lun. 19 avr. 2027\u00a0: Formation",
    ]
    assert rows[6][5] == ""  # Bruno's sessions from C4: no new date
