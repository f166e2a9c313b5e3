"""A plan's history in words: who, when (the unit's time), what, why, what was undone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from planner.catalog import Catalog
from planner.core.patient import Patient
from planner.core.plan import Delay, Omit, Plan, Revert
from planner.core.schedule import DelayReason
from planner.history import moment_text, plan_history, record_text, status_text
from planner.i18n import set_language

MORNING = datetime(2027, 3, 2, 9, 42, tzinfo=UTC)  # 10:42 in Paris (winter time)
SUMMER = datetime(2027, 7, 1, 7, 5, tzinfo=UTC)  # 09:05 in Paris (summer time)


def bruno(catalog: Catalog) -> Plan:
    """mFOLFOX6 from Monday 15 March 2027: C2 D1 delayed by cb (undone by ab, done again by
    ab), oxaliplatin left out of C3 D1 by cb."""
    plan = Plan(
        "plan-b",
        Patient("bruno", "PETIT", "Bruno", "HN-2"),
        catalog.regimen("mfolfox6-q14"),
        date(2027, 3, 15),
    )
    delay = Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY)
    plan = plan.with_entry(delay, "cb", MORNING, "neutropénie grade 3")
    plan = plan.with_entry(Revert(1), "ab", datetime(2027, 3, 2, 10, 0, tzinfo=UTC))
    plan = plan.with_entry(Revert(2), "ab", datetime(2027, 3, 2, 10, 1, tzinfo=UTC))
    omit = Omit((1, 3, 1), ("oxaliplatin",), "neuropathy grade 2")
    return plan.with_entry(omit, "cb", SUMMER)


def records(plan: Plan) -> list[dict[str, object]]:
    """The patient's audit trail as the store gives it: the patient created, the plan
    created (and another plan's creation, not this plan's), a port recorded."""
    return [
        {
            "plan": None,
            "seq": None,
            "kind": "patient-created",
            "payload": {"name": "PETIT Bruno", "hospital_number": "HN-2"},
            "author": "sec",
            "at": datetime(2027, 3, 1, 8, 0, tzinfo=UTC),
            "note": "",
        },
        {
            "plan": plan.id,
            "seq": 0,
            "kind": "plan-created",
            "payload": {"regimen": "mfolfox6-q14"},
            "author": "cb",
            # Saved after its decisions (a plan brought in from elsewhere): shown first.
            "at": datetime(2027, 8, 1, 8, 0, tzinfo=UTC),
            "note": "",
        },
        {
            "plan": "another",
            "seq": 0,
            "kind": "plan-created",
            "payload": {"regimen": "folfiri-q14"},
            "author": "cb",
            "at": datetime(2027, 3, 1, 8, 1, tzinfo=UTC),
            "note": "",
        },
        {
            "plan": None,
            "seq": None,
            "kind": "patient-updated",
            "payload": {"port_in_place": True, "contact": "06 12 34 56 78"},
            "author": "ide",
            "at": datetime(2027, 3, 5, 13, 30, tzinfo=UTC),
            "note": "posée le 4 mars",
        },
    ]


def test_each_decision_says_who_when_what_why_and_what_became_of_it(catalog: Catalog) -> None:
    plan = bruno(catalog)
    lines = plan_history(plan)
    assert [(line.seq, line.author, moment_text(line.at)) for line in lines] == [
        (1, "cb", "Tue 2 Mar 2027 at 10:42"),
        (2, "ab", "Tue 2 Mar 2027 at 11:00"),
        (3, "ab", "Tue 2 Mar 2027 at 11:01"),
        (4, "cb", "Thu 1 Jul 2027 at 09:05"),
    ]
    assert [line.what for line in lines] == [
        "Delay Treatment · C2 · D1 to Tue 6 Apr 2027 (toxicity)",
        "Undo change 1: Delay Treatment · C2 · D1 to Tue 6 Apr 2027 (toxicity)",
        "Redo change 1: Delay Treatment · C2 · D1 to Tue 6 Apr 2027 (toxicity)",
        "Leave oxaliplatin out of Treatment · C3 · D1",
    ]
    assert [line.note for line in lines] == ["neutropénie grade 3", "", "", "neuropathy grade 2"]
    # The delay was undone, then done again: it is in effect, and says by whom and when.
    assert [line.undone for line in lines] == [False, False, False, False]
    assert status_text(lines[0]) == "Done again by ab on Tue 2 Mar 2027 at 11:01 (change 3)"
    assert [status_text(line) for line in lines[1:]] == ["", "", ""]


def test_an_undone_decision_says_who_undid_it_and_when(catalog: Catalog) -> None:
    plan = bruno(catalog).until(2)  # the delay, and its undo
    first, undo = plan_history(plan)
    assert first.undone
    assert status_text(first) == "Undone by ab on Tue 2 Mar 2027 at 11:00 (change 2)"
    assert not undo.undone
    assert undo.what.startswith("Undo change 1: Delay")


def test_the_plans_creation_and_the_patients_record_fall_in_place(catalog: Catalog) -> None:
    plan = bruno(catalog)
    lines = plan_history(plan, records(plan))
    assert [(line.seq, line.kind) for line in lines] == [
        (None, "patient-created"),
        (None, "plan-created"),  # first of the plan's lines, whatever its clock said
        (1, "delay"),
        (2, "revert"),
        (3, "revert"),
        (None, "patient-updated"),  # Fri 5 March, between the redo and the omission
        (4, "omit"),
    ]
    assert lines[0].what == "Patient record created: PETIT Bruno"
    assert lines[1].what == (
        "Plan created: mFOLFOX6 (oxaliplatin, leucovorin, 5-FU bolus + 46-h infusion) every "
        "14 days, starting on Mon 15 Mar 2027"
    )
    assert (lines[5].what, lines[5].author, lines[5].note) == (
        "Patient record changed: the patient has an implantable port; contact: 06 12 34 56 78",
        "ide",
        "posée le 4 mars",
    )


def test_the_history_speaks_french(catalog: Catalog) -> None:
    set_language("fr")
    plan = bruno(catalog)
    lines = plan_history(plan, records(plan))
    assert moment_text(lines[2].at) == "mar. 2 mars 2027 à 10:42"
    assert (
        lines[2].what == "Décalage de la séance Traitement · C2 · J1 au mar. 6 avr. 2027 (toxicité)"
    )
    assert lines[6].what == "Séance Traitement · C3 · J1 sans oxaliplatine"
    assert status_text(lines[2]) == ("Rétablie par ab le mar. 2 mars 2027 à 11:01 (modification 3)")
    assert record_text("patient-updated", {"port_in_place": False, "language": "en"}) == (
        "Dossier du patient modifié\u00a0: pas de chambre implantable\u00a0; documents en anglais"
    )
