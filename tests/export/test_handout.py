"""The patient handout: the patient's dates, the port in plain words, the side effects to
report, in the patient's language, and nothing that identifies them beyond their name."""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from html import unescape
from html.parser import HTMLParser

import pytest
import zxingcpp

from planner.catalog import Catalog
from planner.core import changes
from planner.core.booking import Booking
from planner.core.patient import Patient
from planner.core.plan import ConfirmPort, Plan, SuspectProgression
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.schedule import SessionKey
from planner.core.settings import UnitSettings
from planner.export.handout import handout_html
from planner.i18n import language
from tests.export.png import pixels

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
    parser.feed(html[html.index("<body>") :])
    return " ".join(" ".join(parser.parts).split())


class _Rows(HTMLParser):
    """The rows of the appointment list, each as its cells' texts joined by " | "."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.cells: list[list[str]] | None = None
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "list") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.cells = []
        elif self.inside and tag in ("td", "th") and self.cells is not None:
            self.cells.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag == "tr" and self.cells is not None:
            self.rows.append(" | ".join(" ".join(" ".join(c).split()) for c in self.cells))
            self.cells = None

    def handle_data(self, data: str) -> None:
        if self.cells:
            self.cells[-1].append(data)


def rows_of(html: str) -> list[str]:
    """The appointment list: its header, then month headings and one line per day."""
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def handout(
    ps: PlanSchedule,
    lang: str = "en",
    today: date = BEFORE,
    bookings: Mapping[SessionKey, Booking] | None = None,
) -> str:
    return handout_html(ps, SETTINGS, lang=lang, today=today, bookings=bookings)


def test_the_sessions_and_what_comes_before_and_after_them(catalog: Catalog) -> None:
    html = handout(scheduled(catalog, "mfolfox6-q14"))
    text = text_of(html)
    assert "Treatment calendar of MARTIN Jeanne" in text
    assert "12 cycles of 14 days" in text
    assert "Do not disconnect it yourself" in text
    assert "Blood test (fasting)" not in text
    assert "Hôpital de jour d'oncologie" in text
    assert "12 rue de la Santé, 75014 Paris" in text
    assert "Telephone: 01 23 45 67 89" in text
    # mFOLFOX6 every 14 days from Monday 8 March 2027 (C2 on 22 March, C3 on 5 April):
    # one line per day under its month, with what comes before and after it. The DPD test
    # 10 days before C1 (Friday 26 February, an open day), its result needed before C1.
    assert rows_of(html)[:9] == [
        "Date | Appointment | Before and after",
        "February 2027",
        "Friday 26 | DPD deficiency test (uracilaemia blood test) before the first dose of "
        "5-FU, unless already known | Its result is needed before your first session; the "
        "team tells you where it takes place.",
        "March 2027",
        "Monday 1 | Placement of the implantable port | The team tells you where and when to come.",
        # In the line's month, a note's day goes without its month (the heading says it).
        "Monday 8 | Treatment — cycle 1 | Blood test: Sat 6 · Pump disconnected: Wed 10",
        "Monday 22 | Treatment — cycle 2 | Blood test: Sat 20 · Pump disconnected: Wed 24",
        "April 2027",
        "Monday 5 | Treatment — cycle 3 | Blood test: Sat 3 · Pump disconnected: Wed 7",
    ]
    # Every cycle starts with a consultation, and the dexamethasone after each session:
    # both said once, above the list.
    assert "Each treatment day begins with a consultation with your oncologist." in text
    assert (
        "To take around each session (the dates are not repeated below): Dexamethasone "
        "tablets against nausea — the day of the session and the 2 days after"
    ) in text


def test_one_line_per_day_and_a_heading_per_month(catalog: Catalog) -> None:
    """Two years of pembrolizumab: every session and scan ahead, each on its own line
    under its month, each month once."""
    ps = scheduled(catalog, "pembrolizumab-200-q3w")
    rows = rows_of(handout(ps))[1:]
    months = [r for r in rows if " | " not in r]
    days = [r for r in rows if " | " in r]
    assert len(months) == len(set(months)) == 24  # March 2027 to February 2029
    assert months[0] == "March 2027"
    assert months[-1] == "February 2029"
    assert len([d for d in days if "Treatment — cycle" in d]) == 35
    assert days[-1].startswith("Monday 19 | Treatment — cycle 35 | Blood test: Sat 17")
    assert len(days) == len({s.date for s in ps.sessions} | image_days(ps))


def image_days(ps: PlanSchedule) -> set[date]:
    """Days of a scan or an exam of their own (not a blood test)."""
    return {
        e.date
        for e in ps.events
        if e.kind.value == "imaging" or (e.kind.value == "monitoring" and "thyroid" not in e.code)
    }


def test_appointments_before_today_are_left_out(catalog: Catalog) -> None:
    html = handout(scheduled(catalog, "mfolfox6-q14"), today=date(2027, 3, 23))
    rows = rows_of(html)
    assert rows[1] == "April 2027"
    assert rows[2].startswith("Monday 5 | Treatment — cycle 3")
    assert "Printed on Tuesday 23 March 2027" in text_of(html)


def test_a_same_day_blood_test_is_said_on_its_sessions_line(catalog: Catalog) -> None:
    from planner.core.engine import LabRule

    plan = Plan("plan-1", PATIENT, catalog.regimen("mfolfox6-q14"), START, lab_rule=LabRule(3, 0))
    html = handout(schedule_of(plan, catalog.port_rules))
    assert rows_of(html)[5] == (  # after February's DPD test and March's port
        "Monday 8 | Treatment — cycle 1 | Blood test at the day hospital, when you arrive · "
        "Pump disconnected: Wed 10"
    )
    text = text_of(html)
    assert "Your blood test is taken when you arrive" in text
    assert "blood test results" not in text


def test_a_fasting_blood_test_is_said(catalog: Catalog) -> None:
    ps = scheduled(catalog, "mfolfox6-q14", fasting=True)
    assert "Blood test (fasting): Sat 6 · Pump" in text_of(handout(ps))


def test_premedications_are_dated_with_their_session(catalog: Catalog) -> None:
    html = handout(scheduled(catalog, "pembrolizumab-pemetrexed-platinum-kn189"))
    rows = rows_of(html)
    assert rows[2] == (
        "Monday 8 | Treatment — Induction, cycle 1 | Start: Folic acid by mouth, every day: "
        "Mon 1 · Vitamin B12 injection (intramuscular): Fri 5 · Blood test: Sat 6, "
        "with thyroid function"
    )
    # Dexamethasone around each of the 35 sessions: said once, not on 35 lines.
    text = text_of(html)
    assert text.count("Dexamethasone") == 1
    assert (
        "Dexamethasone tablets, morning and evening — the day before, the day of and the day "
        "after the session"
    ) in text
    # Maintenance: the drugs of the phase, no need to repeat them; the phase is named on its
    # first line, and by the heading of each month.
    assert rows[6] == "May 2027 — Induction, then Maintenance"
    assert "Monday 31 | Treatment — Maintenance, cycle 1 | Blood test: Sat 29" in rows[9]
    assert rows[10] == "June 2027 — Maintenance"
    assert "Monday 21 | Treatment — cycle 2 | " in rows[11]


def test_each_month_says_its_phase_when_the_cycles_count_again(catalog: Catalog) -> None:
    """Dose-dense AC then paclitaxel: both phases have a cycle 3. Each month's heading
    names its phase, so a page that starts in the middle of the list says which cycle 3 it
    means; also when the list starts in the middle of the plan."""
    ps = scheduled(catalog, "dose-dense-ac-then-paclitaxel-q14")
    months = [r for r in rows_of(handout(ps))[1:] if " | " not in r]
    assert months == [
        "March 2027 — Dose-dense AC",
        "April 2027 — Dose-dense AC",
        "May 2027 — Dose-dense paclitaxel",
        "June 2027 — Dose-dense paclitaxel",
    ]
    rows = rows_of(handout(ps))
    april = rows.index("April 2027 — Dose-dense AC")
    assert rows[april + 2].startswith("Monday 19 | Treatment — cycle 4 |")
    # A list printed in the middle of the plan names the phase of its first line too.
    later = rows_of(handout(ps, "fr", today=date(2027, 5, 20)))
    assert later[1] == "Mai 2027 — Paclitaxel dose-dense"
    assert later[2].startswith("Lundi 31 | Séance — Paclitaxel dose-dense, cycle 3 |")
    assert later[3] == "Juin 2027 — Paclitaxel dose-dense"
    assert later[4].startswith("Lundi 14 | Séance — cycle 4 |")
    # One phase: the months are only months (February for the DPD test before C1).
    mfolfox6 = rows_of(handout(scheduled(catalog, "mfolfox6-q14")))
    assert (mfolfox6[1], mfolfox6[3]) == ("February 2027", "March 2027")


def test_sessions_have_no_time_unless_booked(catalog: Catalog) -> None:
    ps = scheduled(catalog, "mfolfox6-q14")
    assert "AM" not in text_of(handout(ps))
    # Booked: the time on the date's line, and how long the session lasts.
    three = {(1, 1, 1): Booking(time(9, 30), 150), (1, 2, 1): Booking(time(9, 30), 180)}
    three[(1, 3, 1)] = Booking(time(14, 0), 150)
    html = handout(ps, bookings=three)
    booked = rows_of(html)  # after February's DPD test and March's port
    assert booked[5].startswith("Mon 8 · 9:30 AM | Treatment — cycle 1 (lasts 2 h 30) |")
    assert booked[6].startswith("Mon 22 · 9:30 AM | Treatment — cycle 2 (lasts 3 h) |")
    assert booked[9].startswith("Monday 19 | Treatment — cycle 4 |")  # not booked yet
    assert "lasts about" not in text_of(html)  # unbooked sessions: their length is not known
    french = rows_of(handout(ps, "fr", bookings=three))
    assert french[5].startswith("Lun. 8 · 9 h 30 | Séance — cycle 1 (dure 2 h 30) |")
    assert french[8].startswith("Lun. 5 · 14 h | Séance — cycle 3 (dure 2 h 30) |")


def test_the_usual_length_is_said_once_when_every_session_is_booked(catalog: Catalog) -> None:
    """Two years of sessions: the same length on every line would be said 24 times. Said
    once above the list; a line says its length only when it differs."""
    ps = scheduled(catalog, "mfolfox6-q14")
    every = {s.key: Booking(time(9, 30), 150) for s in ps.sessions}
    html = handout(ps, bookings=every)
    assert "Each session lasts about 2 h 30 at the day hospital." in text_of(html)
    assert "lasts 2 h 30" not in text_of(html)
    every[(1, 2, 1)] = Booking(time(9, 30), 180)
    html = handout(ps, bookings=every)
    assert (
        "A session usually lasts about 2 h 30 at the day hospital; the list says when one "
        "lasts longer or shorter."
    ) in text_of(html)
    rows = rows_of(html)  # after February's DPD test and March's port
    assert rows[5].startswith("Mon 8 · 9:30 AM | Treatment — cycle 1 | ")
    assert rows[6].startswith("Mon 22 · 9:30 AM | Treatment — cycle 2 (lasts 3 h) | ")
    french = text_of(handout(ps, "fr", bookings=every))
    assert "Une séance dure en général environ 2 h 30 à l'hôpital de jour ;" in french


def test_a_port_required_regimen_explains_it_and_dates_the_placement(catalog: Catalog) -> None:
    text = text_of(handout(scheduled(catalog, "mfolfox6-q14")))
    assert "Implantable port: required." in text
    assert "Your treatment needs an implantable port." in text
    assert "continuous infusion" in text  # the reason: the 46-hour pump
    assert "It is placed on Monday 1 March 2027, at least 7 days before" in text
    assert "Placement of the implantable port" in text  # and in the list
    # Printed after that day, the placement is not told as still to come.
    later = text_of(handout(scheduled(catalog, "mfolfox6-q14"), today=date(2027, 3, 5)))
    assert "Your treatment needs an implantable port." in later
    assert "It is placed on" not in later


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


IMMUNE_SIGNS = [
    "diarrhoea",
    "pain in the belly",
    "cough",
    "breathlessness",
    "skin rash",
    "itching",
    "yellow skin or eyes",
    "dark urine",
    "severe or unusual tiredness",
    "headache",
    "changes in your vision",
    "great thirst",
    "much more or much less urine",
    "racing or pounding heart",
    "feeling unusually hot or cold",
    "weight change",
]


@pytest.mark.parametrize(
    "regimen_id",
    [
        "pembrolizumab-200-q3w",
        "ipilimumab-nivolumab-melanoma-cm067",
        "atezolizumab-bevacizumab-imbrave150",
        "pembrolizumab-pemetrexed-platinum-kn189",
    ],
)
def test_a_checkpoint_inhibitor_says_the_immune_signs_to_report(
    catalog: Catalog, regimen_id: str
) -> None:
    ps = scheduled(catalog, regimen_id)
    text = text_of(handout(ps))
    assert "Immunotherapy: signs to report at once" in text
    for sign in IMMUNE_SIGNS:
        assert sign in text, sign
    assert "can start weeks or even months after a dose" in text
    assert "even after the treatment has ended" in text
    assert "Always carry the patient alert card" in text
    assert "Tell any doctor, pharmacist or emergency department" in text
    drugs = ", ".join(
        a.name.get("en")
        for a in ps.plan.regimen.active_agents
        if a.family.startswith("anti-") and a.agent_class.value == "immunotherapy"
    )
    assert f"you are receiving immunotherapy ({drugs})" in text
    assert "Day and night: when the unit is open, call 01 23 45 67 89" in text
    assert "call 15 (SAMU) or go to an emergency department" in text


def test_no_immune_signs_without_a_checkpoint_inhibitor(catalog: Catalog) -> None:
    for regimen_id in ("mfolfox6-q14", "trastuzumab-q3w-adjuvant"):
        text = text_of(handout(scheduled(catalog, regimen_id)))
        assert "Call the day hospital on 01 23 45 67 89 if you have:" in text
        assert "a fever (38 °C or more)" in text
        assert "anything else that is unusual" in text
        assert "Immunotherapy" not in text
        for sign in ("yellow skin", "alert card", "thyroid"):
            assert sign not in text


FEVER = "a fever (38 °C or more) or shivers;"
DIARRHOEA = "diarrhoea (loose stools several times a day);"
VOMITING = "vomiting, or being unable to drink;"
MOUTH = "mouth sores or a painful mouth;"
BLEEDING = "bleeding, or bruises without a knock;"
PORT = "a painful or swollen implantable port;"
COLD = (
    "with oxaliplatin, tingling or numbness brought on by cold (hands, feet, mouth, throat) "
    "that makes swallowing or breathing difficult, or is still there at your next session;"
)
ANYTHING = "anything else that is unusual for you or worries you."
CHEMOTHERAPY = [DIARRHOEA, VOMITING, MOUTH, BLEEDING]


def call_signs(html: str) -> list[str]:
    """The signs listed under "When to call the unit" (the section whose intro gives the
    unit's number followed by "if you have"), as the reader reads them."""
    [section] = [part for part in html.split("<h2>") if "01 23 45 67 89 " in part]
    return [unescape(" ".join(item.split())) for item in re.findall(r"<li>(.*?)</li>", section)]


def test_a_folfox_handout_says_each_sign_to_call_for(catalog: Catalog) -> None:
    """mFOLFOX6: a chemotherapy (diarrhoea, vomiting, mouth sores, bleeding: INCa), a port
    required by its pump (pain or swelling there) and oxaliplatin (symptoms brought on by
    cold: oxaliplatin SmPC 4.4), after the fever and before anything else unusual."""
    html = handout(scheduled(catalog, "mfolfox6-q14"))
    assert call_signs(html) == [FEVER, *CHEMOTHERAPY, PORT, COLD, ANYTHING]
    text = text_of(html)
    assert "When to call the unit Call the day hospital on 01 23 45 67 89 if you have:" in text
    # The same list in French, in the same order, from the fever to anything else.
    french = call_signs(handout(scheduled(catalog, "mfolfox6-q14"), "fr"))
    assert len(french) == 8
    assert french[0] == "de la fièvre (38 °C ou plus) ou des frissons ;"
    assert french[-1] == "tout autre signe inhabituel pour vous ou qui vous inquiète."


@pytest.mark.parametrize(
    ("regimen_id", "signs"),
    [
        # Immunotherapy or an antibody alone: no chemotherapy, no port.
        ("pembrolizumab-200-q3w", [FEVER, ANYTHING]),
        ("trastuzumab-q3w-adjuvant", [FEVER, ANYTHING]),
        # A pump (port required), no oxaliplatin: no cold.
        ("folfiri-q14", [FEVER, *CHEMOTHERAPY, PORT, ANYTHING]),
        # A taxane: the port is recommended.
        ("carboplatin-paclitaxel-q21", [FEVER, *CHEMOTHERAPY, PORT, ANYTHING]),
        # Oxaliplatin without a pump: the port is only to consider, so not said.
        ("capox-q21", [FEVER, *CHEMOTHERAPY, COLD, ANYTHING]),
        ("gemcitabine-carboplatin-d1-d8-q21", [FEVER, *CHEMOTHERAPY, ANYTHING]),
    ],
)
def test_each_sign_is_said_only_where_the_treatment_calls_for_it(
    catalog: Catalog, regimen_id: str, signs: list[str]
) -> None:
    assert call_signs(handout(scheduled(catalog, regimen_id))) == signs


def test_the_port_sign_comes_with_a_port_placed_or_asked_for(catalog: Catalog) -> None:
    """Gemcitabine-carboplatin only has a port to consider: its sign comes once the patient
    has one, or the team asks for one."""
    placed = dataclasses.replace(PATIENT, port_in_place=True)
    ps = scheduled(catalog, "gemcitabine-carboplatin-d1-d8-q21", placed)
    assert call_signs(handout(ps)) == [FEVER, *CHEMOTHERAPY, PORT, ANYTHING]
    plan = changes.apply(
        scheduled(catalog, "capox-q21").plan,
        ConfirmPort(),
        author="c",
        at=datetime(2027, 2, 1, tzinfo=UTC),
        today=date(2027, 2, 1),
        port_rules=catalog.port_rules,
    )
    asked = handout(schedule_of(plan, catalog.port_rules))
    assert call_signs(asked) == [FEVER, *CHEMOTHERAPY, PORT, COLD, ANYTHING]


def test_the_immune_signs_in_french(catalog: Catalog) -> None:
    text = text_of(handout(scheduled(catalog, "nivolumab-240-q2w"), "fr"))
    assert "Immunothérapie : signes à signaler sans attendre" in text
    for sign in (
        "une diarrhée",
        "une toux nouvelle ou qui s'aggrave, un essoufflement",
        "une éruption sur la peau, des démangeaisons",
        "la peau ou le blanc des yeux jaunes, des urines foncées",
        "une fatigue intense ou inhabituelle",
        "des maux de tête qui ne passent pas, ou des troubles de la vue",
        "une soif intense",
        "cœur qui bat vite ou fort, sensation inhabituelle de chaleur ou de froid",
        "des semaines, voire des mois après une perfusion, et même après la fin du traitement",
        "Ayez toujours sur vous la carte patient",
        "que vous recevez une immunothérapie (nivolumab)",
        "Jour et nuit : quand le service est ouvert, appelez le 01 23 45 67 89.",
        "appelez le 15 (SAMU)",
    ):
        assert sign in text, sign


def test_a_follow_up_scan_is_explained_gently(catalog: Catalog) -> None:
    """After a suspected progression: the patient reads why the treatment goes on, never
    "progression" nor "confirmation"."""
    plan = scheduled(catalog, "pembrolizumab-200-q3w").plan
    plan = changes.apply(
        plan,
        SuspectProgression(date(2027, 5, 7), stable_confirmed_by="Dr Moreau"),
        author="c",
        at=datetime(2027, 5, 8, tzinfo=UTC),
        today=date(2027, 5, 8),
        port_rules=catalog.port_rules,
    )
    ps = schedule_of(plan, catalog.port_rules)
    for lang, words in (
        ("en", ["Follow-up scan (to check the scan of Friday 7 May 2027)",
                "a scan can, rarely, show lesions that look larger before the treatment starts "
                "to work", "your doctors continue the treatment and check with another scan a "
                "few weeks later"]),
        ("fr", ["Scanner de contrôle (pour vérifier celui du vendredi 7 mai 2027)",
                "il arrive, rarement, qu'un scanner montre des lésions qui paraissent plus "
                "grosses avant que le traitement ne commence à agir",
                "vos médecins poursuivent le traitement et vérifient par un autre scanner"]),
    ):  # fmt: skip
        text = text_of(handout(ps, lang, today=date(2027, 5, 10)))
        for said in words:
            assert said in text, said
        for never in ("progression", "onfirmation"):
            assert never not in text.lower()


def test_what_to_bring_is_asked_once_a_day(catalog: Catalog) -> None:
    """A follow-up scan on the day of a routine one: "bring your images" is said once."""
    plan = Plan("p", PATIENT, catalog.regimen("pembrolizumab-200-q3w"), date(2027, 1, 4))
    plan = plan.with_entry(
        SuspectProgression(date(2027, 3, 12)), "c", datetime(2027, 3, 12, tzinfo=UTC)
    )
    ps = schedule_of(plan, catalog.port_rules)
    [row] = [r for r in rows_of(handout(ps, today=date(2027, 3, 15))) if "Follow-up scan" in r]
    assert "Imaging to assess the treatment" in row  # the routine scan, the same day
    assert row.count("Bring your previous images and reports.") == 1, row


def test_data_is_escaped_and_the_hospital_number_never_printed(catalog: Catalog) -> None:
    patient = dataclasses.replace(PATIENT, given_names="Jeanne <b>&</b>")
    html = handout(scheduled(catalog, "mfolfox6-q14", patient))
    assert "MARTIN Jeanne &lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "<b>&</b>" not in html
    assert "MARTIN Jeanne <b>&</b>" in text_of(html)
    assert "H123456" not in html


def test_month_grids_for_the_next_three_months_only(catalog: Catalog) -> None:
    html = handout(scheduled(catalog, "pembrolizumab-200-q3w"))
    assert html.count("class='month'") == 3
    text = text_of(html)
    assert "Your next 3 months at a glance March 2027" in text
    assert "May 2027 M T W T F S S" in text
    assert "June 2027 M T W" not in text  # a month of the list, not a grid
    assert "<b>●8</b>" in html  # C1, Monday 8 March
    assert "<b>○6</b>" in html  # its blood test, Saturday 6 March
    # Fewer months ahead: as many grids.
    near_end = handout(scheduled(catalog, "pembrolizumab-200-q3w"), today=date(2029, 2, 1))
    assert near_end.count("class='month'") == 1
    assert "Your next month at a glance February 2029" in text_of(near_end)


def test_french_handout_has_french_dates(catalog: Catalog) -> None:
    html = handout(scheduled(catalog, "mfolfox6-q14"), lang="fr")
    text = text_of(html)
    rows = rows_of(html)
    assert rows[:2] == ["Date | Rendez-vous | Avant et après", "Février 2027"]
    assert rows[2].startswith(
        "Vendredi 26 | Recherche d'un déficit en DPD (prise de sang : uracilémie) avant la "
        "première dose de 5-FU, sauf résultat déjà connu | "
    )
    assert rows[3:6] == [
        "Mars 2027",
        "Lundi 1er | Pose de la chambre implantable | L'équipe vous indique où et quand venir.",
        "Lundi 8 | Séance — cycle 1 | Prise de sang : sam. 6 · Pompe débranchée : mer. 10",
    ]
    assert "Mars 2027" in text  # a month grid's title
    assert "samedi 20 février 2027" in text  # printed on
    assert "Monday" not in text
    assert "mFOLFOX6" in text
    assert language() == "en"  # the screen's language is back


def test_the_phases_are_listed_the_french_way(catalog: Catalog) -> None:
    ps = scheduled(catalog, "pembrolizumab-pemetrexed-platinum-kn189")
    assert "Induction: 4 cycles of 21 days; Maintenance:" in text_of(handout(ps))
    assert "Induction\u00a0: 4 cycles de 21 jours\u00a0; Entretien\u00a0:" in handout(ps, "fr")


def test_french_never_says_de_le_or_a_le(catalog: Catalog) -> None:
    """Every regimen's French handout (and so its premedication days): "du", "au", never
    "de le", "à le", "de les", "à les"."""
    wrong = re.compile(r"\b(de|à) (le|les)\b", re.IGNORECASE)
    found = {
        regimen.id: wrong.findall(text_of(handout(scheduled(catalog, regimen.id), "fr")))
        for regimen in catalog
    }
    assert {k: v for k, v in found.items() if v} == {}
    text = text_of(handout(scheduled(catalog, "mfolfox6-q14"), "fr"))
    assert (
        "Dexaméthasone en comprimés contre les nausées — le jour de la séance et les 2 jours "
        "suivants"
    ) in text


LINK = "https://agenda.chu-exemple.fr/public/3f2a9c7e1b8d4f6a0e5c2b7d9a1f3e8c/"


def test_the_live_calendar_ends_the_handout_with_its_code_and_how_to_subscribe(
    catalog: Catalog,
) -> None:
    """Issue 19: the link of the patient's live calendar, as text and as a QR code, and one
    line for each of Android, iPhone and Outlook; after the list it is a live copy of."""
    ps = scheduled(catalog, "mfolfox6-q14")
    html = handout_html(ps, SETTINGS, lang="en", today=BEFORE, subscription=LINK)
    text = text_of(html)
    # text_of puts a space between the bold system's name and the colon after it.
    section = text[text.index("Your calendar on your phone") :].replace(" : ", ": ")
    assert text.index("Your appointments") < text.index("Your calendar on your phone")
    assert section.startswith(
        "Your calendar on your phone Your phone's calendar can show these appointments and "
        f"follow their changes. Subscribe to them with this link: {LINK} "
    )
    assert (
        "Android (Google Calendar): on a computer, open Google Calendar, then Other calendars "
        "→ + → From URL, and paste the link. The calendar then appears on your phone."
    ) in section
    assert (
        "iPhone: Settings → Calendar → Accounts → Add Account → Other → Add Subscribed "
        "Calendar, then enter the link"
    ) in section
    assert "Outlook: Add calendar → Subscribe from web, paste the link, then Import." in section
    assert "Changes may take up to a day to appear in your calendar." in section
    assert section.endswith("This link is personal: anyone who has it can see these dates.")
    # The code is the link, printed 4 cm wide (a phone reads it from arm's length).
    [(code, width, height)] = re.findall(
        r"<img src='data:image/png;base64,([A-Za-z0-9+/=]+)' width='(\d+)' height='(\d+)'", html
    )
    found = zxingcpp.read_barcodes(pixels(base64.b64decode(code)))
    assert [c.text for c in found] == [LINK]
    assert width == height
    assert int(width) / 96 * 2.54 == pytest.approx(4.0, abs=0.05)


def test_no_live_calendar_no_section(catalog: Catalog) -> None:
    html = handout(scheduled(catalog, "mfolfox6-q14"))
    text = text_of(html)
    assert "<img" not in html
    for said in ("Your calendar on your phone", "iPhone", "Outlook", "Google", "link"):
        assert said not in text


def test_the_link_is_escaped_and_a_wrong_one_refused(catalog: Catalog) -> None:
    ps = scheduled(catalog, "mfolfox6-q14")
    odd = "https://agenda.example/public/abc/?lang=fr&who='x'"
    html = handout_html(ps, SETTINGS, lang="en", today=BEFORE, subscription=odd)
    assert "https://agenda.example/public/abc/?lang=fr&amp;who=&#x27;x&#x27;" in html
    assert odd in text_of(html)
    assert "&who='x'" not in html
    with pytest.raises(ValueError, match="is not an https:// or http:// link"):
        handout_html(ps, SETTINGS, lang="en", today=BEFORE, subscription="webcal://x.org/p/")
