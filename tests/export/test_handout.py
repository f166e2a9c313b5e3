"""The patient handout: the patient's dates, the port in plain words, the side effects to
report, in the patient's language, and nothing that identifies them beyond their name."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, time
from html.parser import HTMLParser

from planner.catalog import Catalog
from planner.core.booking import Booking
from planner.core.plan import Patient, Plan
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.schedule import SessionKey
from planner.core.settings import UnitSettings
from planner.export.handout import handout_html
from planner.i18n import language

PATIENT = Patient("patient-1", "Martin", "Jeanne", "H123456", "fr")
SETTINGS = UnitSettings(
    name="Hôpital de jour d'oncologie",
    address="12 rue de la Santé, 75014 Paris",
    phone="01 23 45 67 89",
)
START = date(2027, 3, 8)
BEFORE = date(2027, 2, 20)


def scheduled(
    catalog: Catalog, regimen_id: str, patient: Patient = PATIENT, *, fasting: bool = False
) -> PlanSchedule:
    chosen = catalog.regimen(regimen_id)
    if fasting:
        chosen = dataclasses.replace(chosen, fasting_blood_test=True)
    return schedule_of(Plan("plan-1", patient, chosen, START), catalog.port_rules)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    """What the reader sees: the document's text with its entities decoded."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def handout(
    ps: PlanSchedule,
    lang: str = "en",
    today: date = BEFORE,
    bookings: Mapping[SessionKey, Booking] | None = None,
) -> str:
    return handout_html(ps, SETTINGS, lang=lang, today=today, bookings=bookings)


def test_the_sessions_and_what_comes_before_and_after_them(catalog: Catalog) -> None:
    text = text_of(handout(scheduled(catalog, "mfolfox6-q14")))
    assert "Treatment calendar of MARTIN Jeanne" in text
    assert "12 cycles of 14 days" in text
    # mFOLFOX6 every 14 days from Monday 8 March 2027 (C2 on 22 March, C3 on 5 April).
    for day in ("Monday 8 March 2027", "Monday 22 March 2027", "Monday 5 April 2027"):
        assert day in text
    assert "Blood test: Saturday 6 March 2027" in text
    assert "Pump disconnection: Wednesday 10 March 2027" in text
    assert "Do not disconnect it yourself" in text
    assert "Blood test (fasting)" not in text
    assert "Hôpital de jour d'oncologie" in text
    assert "12 rue de la Santé, 75014 Paris" in text
    assert "01 23 45 67 89" in text


def test_appointments_before_today_are_left_out(catalog: Catalog) -> None:
    text = text_of(handout(scheduled(catalog, "mfolfox6-q14"), today=date(2027, 3, 23)))
    assert "Monday 8 March 2027" not in text
    assert "Monday 22 March 2027" not in text
    assert "Monday 5 April 2027" in text
    assert "Printed on Tuesday 23 March 2027" in text


def test_a_fasting_blood_test_is_said(catalog: Catalog) -> None:
    ps = scheduled(catalog, "mfolfox6-q14", fasting=True)
    assert "Blood test (fasting): Saturday 6 March 2027" in text_of(handout(ps))


def test_premedications_are_dated_with_their_session(catalog: Catalog) -> None:
    text = text_of(handout(scheduled(catalog, "pembrolizumab-pemetrexed-platinum-kn189")))
    assert "Start: Folic acid by mouth, every day: Monday 1 March 2027" in text
    assert "Vitamin B12 injection (intramuscular): Friday 5 March 2027" in text
    assert (
        "Dexamethasone tablets, morning and evening: from Sunday 7 to Tuesday 9 March 2027" in text
    )


def test_sessions_have_no_time_unless_booked(catalog: Catalog) -> None:
    ps = scheduled(catalog, "mfolfox6-q14")
    assert "AM" not in text_of(handout(ps))
    booked = text_of(handout(ps, bookings={(1, 1, 1): Booking(time(9, 30), 150)}))
    assert "Monday 8 March 2027 9:30 AM" in booked
    assert "Expected length: about 2 h 30." in booked


def test_a_port_required_regimen_explains_it_and_dates_the_placement(catalog: Catalog) -> None:
    text = text_of(handout(scheduled(catalog, "mfolfox6-q14")))
    assert "Implantable port: required." in text
    assert "Your treatment needs an implantable port." in text
    assert "continuous infusion" in text  # the reason: the 46-hour pump
    assert "It is placed on Monday 1 March 2027, at least 7 days before" in text
    assert "Placement of the implantable port" in text  # and in the list


def test_immunotherapy_alone_needs_no_port(catalog: Catalog) -> None:
    text = text_of(handout(scheduled(catalog, "pembrolizumab-200-q3w")))
    assert "Implantable port: not needed." in text
    assert "Your treatment does not need an implantable port." in text
    assert "no port is needed" in text
    assert "placed on" not in text
    assert "Placement of the implantable port" not in text


def test_a_port_already_in_place_is_said_and_not_placed_again(catalog: Catalog) -> None:
    patient = dataclasses.replace(PATIENT, port_in_place=True)
    text = text_of(handout(scheduled(catalog, "mfolfox6-q14", patient)))
    assert "You already have an implantable port" in text
    assert "placed on" not in text
    assert "Placement of the implantable port" not in text


def test_immunotherapy_side_effects_only_on_immunotherapy(catalog: Catalog) -> None:
    immuno = text_of(handout(scheduled(catalog, "pembrolizumab-200-q3w")))
    chemo = text_of(handout(scheduled(catalog, "mfolfox6-q14")))
    for text in (immuno, chemo):
        assert "Call the day hospital on 01 23 45 67 89 if you have:" in text
        assert "a fever (38 °C or more)" in text
        assert "anything else that is unusual" in text
    for effect in ("tiredness", "itching", "thyroid problem"):
        assert effect in immuno
        assert effect not in chemo


def test_data_is_escaped_and_the_hospital_number_never_printed(catalog: Catalog) -> None:
    patient = dataclasses.replace(PATIENT, given_names="Jeanne <b>&</b>")
    html = handout(scheduled(catalog, "mfolfox6-q14", patient))
    assert "MARTIN Jeanne &lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "<b>&</b>" not in html
    assert "MARTIN Jeanne <b>&</b>" in text_of(html)
    assert "H123456" not in html


def test_month_grids_mark_the_appointment_days(catalog: Catalog) -> None:
    html = handout(scheduled(catalog, "mfolfox6-q14"))
    text = text_of(html)
    # From the port placement (March 2027) to the last session (August 2027).
    assert "March 2027" in text
    assert "August 2027" in text
    assert "September 2027" not in text
    assert "<b>●8</b>" in html  # C1, Monday 8 March
    assert "<b>○6</b>" in html  # its blood test, Saturday 6 March


def test_french_handout_has_french_dates(catalog: Catalog) -> None:
    text = text_of(handout(scheduled(catalog, "mfolfox6-q14"), lang="fr"))
    assert "lundi 8 mars 2027" in text
    assert "lundi 22 mars 2027" in text
    assert "samedi 6 mars 2027" in text
    assert "Mars 2027" in text  # a month grid's title
    assert "samedi 20 février 2027" in text  # printed on
    assert "Monday" not in text
    assert "mFOLFOX6" in text
    assert language() == "en"  # the screen's language is back
