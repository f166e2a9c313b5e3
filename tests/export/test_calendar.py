"""A patient's calendar: stable UIDs, sequences that follow changes, cancellations, privacy,
language, reminders, timed sessions."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from planner.catalog import Catalog
from planner.core import changes
from planner.core.booking import Booking
from planner.core.patient import Patient
from planner.core.plan import Change, Plan, Stop, SuspectProgression
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.schedule import DelayReason
from planner.core.settings import UnitSettings
from planner.export.calendar import (
    CalendarState,
    Detail,
    Export,
    ExportOptions,
    patient_calendar,
    state_from_json,
    state_to_json,
)

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2027, 2, 10, 17, 30, tzinfo=UTC)
PATIENT = Patient("patient-1", "Martin", "Jeanne", "H123456", "fr")
SETTINGS = UnitSettings(
    name="Hôpital de jour d'oncologie",
    address="12 rue de la Santé, 75014 Paris",
    phone="01 23 45 67 89",
)


def make(catalog: Catalog, regimen_id: str, start: date = date(2027, 1, 4)) -> Plan:
    return Plan("plan-1", PATIENT, catalog.regimen(regimen_id), start)


def export(
    catalog: Catalog,
    plan: Plan,
    *,
    previous: CalendarState | None = None,
    at: datetime = AT,
    lang: str = "fr",
    detail: Detail = Detail.MINIMAL,
    settings: UnitSettings = SETTINGS,
    **kwargs: Any,
) -> Export:
    return patient_calendar(
        schedule_of(plan, catalog.port_rules),
        settings=settings,
        options=ExportOptions(lang, detail),
        exported_at=at,
        previous=previous,
        **kwargs,
    )


def events(content: bytes) -> dict[str, dict[str, Any]]:
    """The file's VEVENTs read back by the library, by UID."""
    found: dict[str, dict[str, Any]] = {}
    for component in Calendar.from_ical(content).walk("VEVENT"):
        uid = str(component["UID"])
        assert uid not in found, f"UID {uid} twice in one file"
        found[uid] = {
            "start": component.decoded("DTSTART"),
            "end": component.decoded("DTEND"),
            "summary": str(component["SUMMARY"]),
            "description": str(component.get("DESCRIPTION", "")),
            "location": str(component.get("LOCATION", "")),
            "sequence": int(str(component["SEQUENCE"])),
            "status": str(component["STATUS"]),
            "alarms": [
                (str(a["ACTION"]), a.decoded("TRIGGER"), str(a["DESCRIPTION"]))
                for a in component.walk("VALARM")
            ],
        }
    return found


def by_summary(found: dict[str, dict[str, Any]], text: str) -> list[dict[str, Any]]:
    return [e for e in found.values() if text in str(e["summary"])]


def apply(catalog: Catalog, plan: Plan, change: Change) -> Plan:
    return changes.apply(
        plan, change, author="c", at=AT, today=date(2027, 1, 2), port_rules=catalog.port_rules
    )


def current(catalog: Catalog, plan: Plan) -> PlanSchedule:
    return schedule_of(plan, catalog.port_rules)


def test_an_unchanged_plan_exports_the_same_bytes_but_the_stamp(catalog: Catalog) -> None:
    plan = make(catalog, "pembrolizumab-pemetrexed-platinum-kn189")
    first = export(catalog, plan)
    again = export(catalog, plan, previous=first.state, at=LATER)
    strip = re.compile(rb"DTSTAMP:[0-9TZ]+\r\n")
    assert first.content != again.content  # the stamps differ...
    assert strip.sub(b"", first.content) == strip.sub(b"", again.content)  # ...and only they
    assert b"DTSTAMP:20270210T173000Z\r\n" in again.content
    assert again.state == first.state
    assert set(events(first.content)) == set(events(again.content))
    assert all(e["sequence"] == 0 for e in events(again.content).values())


def test_uids_are_the_plans_and_never_random(catalog: Catalog) -> None:
    plan = make(catalog, "nivolumab-240-q2w")
    one, two = export(catalog, plan), export(catalog, plan)
    assert list(events(one.content)) == list(events(two.content))
    other = Plan("plan-2", PATIENT, plan.regimen, plan.start)
    assert not set(events(one.content)) & set(events(export(catalog, other).content))


def test_a_delay_moves_events_under_their_uid_with_a_higher_sequence(catalog: Catalog) -> None:
    plan = make(catalog, "pembrolizumab-pemetrexed-platinum-kn189")
    first = export(catalog, plan)
    before = events(first.content)
    delayed = apply(
        catalog,
        plan,
        changes.delay(current(catalog, plan), (1, 3, 1), DelayReason.TOXICITY, days=7),
    )
    second = export(catalog, delayed, previous=first.state, at=LATER)
    after = events(second.content)
    assert set(before) <= set(after)
    c3 = [
        uid
        for uid, e in before.items()
        if e["start"] == date(2027, 2, 15) and "séance" in str(e["summary"])
    ]
    assert len(c3) == 1
    assert after[c3[0]]["start"] == date(2027, 2, 22)
    assert after[c3[0]]["sequence"] == 1
    moved = {uid for uid in before if before[uid]["start"] != after[uid]["start"]}
    assert moved
    assert all(after[uid]["sequence"] == 1 for uid in moved)
    # What did not move (C1, C2 and their tests) keeps sequence 0.
    untouched = [uid for uid, e in before.items() if e["start"] < date(2027, 2, 10)]
    assert untouched
    assert all(after[uid]["sequence"] == 0 for uid in untouched)
    # Exported again with nothing changed: the sequences stay where they are.
    third = export(catalog, delayed, previous=second.state, at=LATER)
    assert {u: e["sequence"] for u, e in events(third.content).items()} == {
        u: e["sequence"] for u, e in after.items()
    }


def test_omitted_and_removed_events_are_cancelled_once(catalog: Catalog) -> None:
    plan = make(catalog, "pembrolizumab-200-q3w")
    first = export(catalog, plan)
    before = events(first.content)
    omitted = apply(catalog, plan, changes.omit(current(catalog, plan), (1, 2, 1)))
    stopped = apply(catalog, omitted, Stop(date(2027, 6, 1), "progression"))
    second = export(catalog, stopped, previous=first.state, at=LATER)
    after = events(second.content)
    assert set(before) <= set(after), "every event the calendar has is in the new file"
    cancelled = {uid for uid, e in after.items() if e["status"] == "CANCELLED"}
    assert cancelled
    for uid in cancelled:
        assert after[uid]["sequence"] == before[uid]["sequence"] + 1
        assert not after[uid]["alarms"]
    c2 = [
        u for u, e in before.items() if e["start"] == date(2027, 1, 25) and "séance" in e["summary"]
    ]
    assert c2
    assert set(c2) <= cancelled
    around_c2 = {
        u for u in cancelled if date(2027, 1, 21) <= after[u]["start"] <= date(2027, 1, 25)
    }
    assert len(around_c2) >= 2  # ...its blood test among them
    # Everything else cancelled comes from the stop.
    assert all(after[u]["start"] >= date(2027, 6, 1) for u in cancelled - around_c2)
    kept = {u for u, e in after.items() if e["status"] == "CONFIRMED"}
    assert all(after[u]["start"] < date(2027, 6, 1) for u in kept)
    assert second.content.count(b"STATUS:CANCELLED") == len(cancelled)
    # The next export keeps them cancelled, once each, without raising their sequence again.
    third = events(export(catalog, stopped, previous=second.state, at=LATER).content)
    assert {u for u, e in third.items() if e["status"] == "CANCELLED"} == cancelled
    assert all(third[u]["sequence"] == after[u]["sequence"] for u in cancelled)


def test_the_state_survives_json(catalog: Catalog) -> None:
    first = export(catalog, make(catalog, "mfolfox6-q14"))
    assert state_from_json(state_to_json(first.state)) == first.state


def test_minimal_detail_names_no_drug_and_never_the_hospital_number(catalog: Catalog) -> None:
    plan = make(catalog, "pembrolizumab-pemetrexed-platinum-kn189")
    inns = [agent.inn for agent in plan.regimen.agents]
    for lang in ("fr", "en"):
        minimal = export(catalog, plan, lang=lang).content.decode("utf-8").lower()
        full = export(catalog, plan, lang=lang, detail=Detail.FULL).content.decode("utf-8")
        assert not any(inn in minimal for inn in inns)
        assert not any(word in minimal for word in ("pémétrexed", "acide folique", "dexaméth"))
        assert "Pembrolizumab" in full or "pembrolizumab" in full
        for text in (minimal, full):
            assert "H123456".lower() not in text.lower()
            assert "Jeanne" not in text


def test_the_patients_language(catalog: Catalog) -> None:
    plan = make(catalog, "pembrolizumab-200-q3w")
    fr = [e["summary"] for e in events(export(catalog, plan, lang="fr").content).values()]
    en = [e["summary"] for e in events(export(catalog, plan, lang="en").content).values()]
    assert "Hôpital de jour — séance de traitement" in fr
    assert "Day hospital — treatment session" in en
    assert "Prise de sang" in fr
    assert "Blood test" in en


def test_reminders_the_evening_before_sessions_and_blood_tests(catalog: Catalog) -> None:
    plan = make(catalog, "carboplatin-paclitaxel-q21")
    found = events(export(catalog, plan, lang="en").content)
    sessions = by_summary(found, "treatment session")
    labs = by_summary(found, "Blood test")
    assert sessions
    assert labs
    for entry in sessions + labs:
        ((action, trigger, text),) = entry["alarms"]
        assert action == "DISPLAY"
        assert trigger == -timedelta(hours=6)  # 18:00 the evening before
        assert text.startswith("Tomorrow: ")
    assert not by_summary(found, "Imaging")[0]["alarms"]
    quiet = dataclasses.replace(SETTINGS, session_reminder=None, lab_reminder=time(19, 30))
    found = events(export(catalog, plan, lang="en", settings=quiet).content)
    assert not by_summary(found, "treatment session")[0]["alarms"]
    ((_action, trigger, _text),) = by_summary(found, "Blood test")[0]["alarms"]
    assert trigger == -timedelta(hours=4, minutes=30)


def test_practical_text_place_and_contact(catalog: Catalog) -> None:
    plan = make(catalog, "mfolfox6-q14")
    found = events(export(catalog, plan, lang="en").content)
    session = by_summary(found, "treatment session")[0]
    assert session["location"] == "Hôpital de jour d'oncologie, 12 rue de la Santé, 75014 Paris"
    assert "01 23 45 67 89" in str(session["description"])
    assert "pump; it is disconnected on Wednesday 6 January 2027" in str(session["description"])
    pump = by_summary(found, "Pump disconnection")[0]
    assert pump["start"] == date(2027, 1, 6)
    assert by_summary(found, "Blood test")[0]["location"] == ""


def test_a_check_needed_before_c1_says_so(catalog: Catalog) -> None:
    """mFOLFOX6 from Monday 4 January 2027: the DPD test 10 days before C1 would be on
    Friday 25 December (Christmas), so Thursday 24 December, its result needed before C1."""
    plan = make(catalog, "mfolfox6-q14")
    minimal = by_summary(events(export(catalog, plan, lang="en").content), "Check before")
    assert [(e["summary"], e["start"]) for e in minimal] == [
        ("Check before the treatment starts", date(2026, 12, 24))
    ]
    assert "its result is needed before your first session, on Monday 4 January 2027" in str(
        minimal[0]["description"]
    )
    full = events(export(catalog, plan, lang="en", detail=Detail.FULL).content)
    assert [e["summary"] for e in by_summary(full, "DPD")] == [
        "DPD deficiency test (uracilaemia blood test) before the first dose of 5-FU, unless "
        "already known — result needed before the first session"
    ]


def test_fasting_where_the_regimen_says_so(catalog: Catalog) -> None:
    from dataclasses import replace

    plan = make(catalog, "carboplatin-paclitaxel-q21")
    fasting = replace(plan, regimen=replace(plan.regimen, fasting_blood_test=True))
    assert not by_summary(events(export(catalog, plan, lang="en").content), "fasting")
    labs = by_summary(events(export(catalog, fasting, lang="en").content), "Blood test")
    assert labs
    assert all(e["summary"] == "Blood test (fasting)" for e in labs)
    assert "Come fasting" in str(labs[0]["description"])


def test_a_same_day_blood_test_is_taken_at_the_day_hospital(catalog: Catalog) -> None:
    """A window ending on the session's day (latest = 0): the unit takes the sample when the
    patient arrives; no laboratory to go to, no results to bring."""
    from planner.core.engine import LabRule

    plan = dataclasses.replace(make(catalog, "mfolfox6-q14"), lab_rule=LabRule(3, 0))
    found = events(export(catalog, plan, lang="en").content)
    labs = by_summary(found, "Blood test")
    sessions = by_summary(found, "treatment session")
    assert sorted(e["start"] for e in labs) == sorted(e["start"] for e in sessions)
    assert {e["summary"] for e in labs} == {"Blood test at the day hospital"}
    assert labs[0]["location"] == sessions[0]["location"] != ""
    assert "when you arrive for your treatment session" in labs[0]["description"]
    assert "laboratory of your choice" not in labs[0]["description"]
    assert "Your blood test is taken when you arrive" in sessions[0]["description"]
    assert "blood test results" not in sessions[0]["description"]
    # The default window (D-3 to D-1): the city laboratory, and results to bring.
    found = events(export(catalog, make(catalog, "mfolfox6-q14"), lang="en").content)
    assert "blood test results" in by_summary(found, "treatment session")[0]["description"]
    assert {e["summary"] for e in by_summary(found, "Blood test")} == {"Blood test"}


def test_a_booked_session_is_timed_in_paris(catalog: Catalog) -> None:
    plan = make(catalog, "pembrolizumab-200-q3w", date(2027, 3, 22))  # C2 after the DST change
    bookings = {(1, 1, 1): Booking(time(9, 30), 75, "3"), (1, 2, 1): Booking(time(14, 0), 45)}
    result = export(catalog, plan, lang="en", bookings=bookings)
    assert b"DTSTART;TZID=Europe/Paris:20270322T093000\r\n" in result.content
    assert b"DTEND;TZID=Europe/Paris:20270322T104500\r\n" in result.content
    assert b"BEGIN:VTIMEZONE" in result.content
    found = by_summary(events(result.content), "treatment session")
    first, second = found[0], found[1]
    assert first["start"] == datetime(2027, 3, 22, 8, 30, tzinfo=UTC)
    assert second["start"] == datetime(2027, 4, 12, 12, 0, tzinfo=UTC)
    ((_a, trigger, _t),) = first["alarms"]
    assert trigger == -timedelta(hours=15, minutes=30)
    assert "about 1 h 15" in str(first["description"])
    assert found[2]["start"] == date(2027, 5, 3)  # not booked: all day


def test_until_leaves_out_what_comes_after(catalog: Catalog) -> None:
    plan = make(catalog, "nivolumab-240-q2w")
    found = events(export(catalog, plan, until=date(2027, 3, 1)).content)
    assert found
    assert max(e["start"] for e in found.values()) <= date(2027, 3, 1)


@pytest.mark.parametrize(
    "text",
    ["a, b; c", "Hôpital «Saint-Éloi» — 2e étage: côté est" * 3, "BEGIN:VEVENT \\n END:"],
)
def test_text_is_read_back_exactly(catalog: Catalog, text: str) -> None:
    """Quoting and folding are the library's: whatever the unit types comes back intact
    (a "BEGIN:" or "END:" with an invisible word joiner before its colon)."""
    settings = UnitSettings(name=text, phone=text)
    found = events(export(catalog, make(catalog, "nivolumab-240-q2w"), settings=settings).content)
    session = by_summary(found, "séance")[0]
    read = text.replace("N:", "N\u2060:").replace("D:", "D\u2060:")
    assert session["location"] == read
    assert str(session["description"]).endswith(read)


def test_the_unit_s_place_is_one_line_however_its_address_is_written(catalog: Catalog) -> None:
    settings = UnitSettings(name="HDJ", address="12 rue de la Santé\n75014 Paris", phone="0")
    found = events(export(catalog, make(catalog, "nivolumab-240-q2w"), settings=settings).content)
    assert by_summary(found, "séance")[0]["location"] == "HDJ, 12 rue de la Santé, 75014 Paris"


def test_the_export_time_must_be_aware(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="time zone"):
        export(catalog, make(catalog, "nivolumab-240-q2w"), at=datetime(2027, 1, 1))  # noqa: DTZ001


def test_no_two_entries_alike_on_one_day_in_any_regimen(catalog: Catalog) -> None:
    """Two entries with the same name on the same day read as a duplicate, and calcurse
    keeps only one of them."""
    for regimen in catalog:
        plan = Plan("plan-1", PATIENT, regimen, date(2027, 1, 4))
        for detail in Detail:
            found = events(export(catalog, plan, detail=detail).content).values()
            seen = [(e["start"], e["summary"]) for e in found if e["status"] != "CANCELLED"]
            duplicates = {x for x in seen if seen.count(x) > 1}
            assert not duplicates, (regimen.id, detail, sorted(duplicates)[:3])


@pytest.mark.parametrize("detail", list(Detail))
def test_the_follow_up_scan_is_explained_gently(catalog: Catalog, detail: Detail) -> None:
    """After a suspected progression (iRECIST), the patient's calendar says why the
    treatment goes on and never "progression" or "confirmation"."""
    plan = changes.apply(
        make(catalog, "pembrolizumab-200-q3w"),
        SuspectProgression(date(2027, 3, 5), stable_confirmed_by="Dr Moreau"),
        author="c",
        at=AT,
        today=date(2027, 3, 6),
        port_rules=catalog.port_rules,
    )
    for lang, title, explained in (
        (
            "en",
            "Follow-up scan",
            "With immunotherapy, a scan can, rarely, show lesions that look larger before the "
            "treatment starts to work. This is why your doctors continue the treatment and "
            "check with another scan a few weeks later.",
        ),
        (
            "fr",
            "Scanner de contrôle",
            "Avec l'immunothérapie, il arrive, rarement, qu'un scanner montre des lésions qui "
            "paraissent plus grosses avant que le traitement ne commence à agir. C'est pourquoi "
            "vos médecins poursuivent le traitement et vérifient par un autre scanner quelques "
            "semaines plus tard.",
        ),
    ):
        content = export(catalog, plan, lang=lang, detail=detail).content
        [scan] = by_summary(events(content), title)
        assert explained in " ".join(scan["description"].split())
        if detail is Detail.FULL:
            assert scan["summary"].startswith(f"{title} (")
        words = " ".join(
            str(e["summary"]) + str(e["description"]) for e in events(content).values()
        )
        assert "progression" not in words.lower()
        assert "onfirmation" not in words
