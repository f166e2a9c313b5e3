"""Why the port advice is what it is, in words that stay true when a centre edits the rules."""

from __future__ import annotations

from datetime import date, time

import pytest

from planner import explain
from planner.catalog import Catalog
from planner.core.chairs import Chair, ResourcesError, ResourcesProblem, UnitResources, Weights
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.engine import plan
from planner.core.port import PortCriterion, PortLevel, PortRule, port_advice
from planner.core.regimen import AgentClass
from planner.core.schedule import Event, EventKind
from planner.core.text import Text
from planner.i18n import format_date, set_language


def reasons(catalog: Catalog, regimen_id: str, rules: tuple[PortRule, ...]) -> list[str]:
    return explain.port_reasons(port_advice(catalog.regimen(regimen_id), rules))


def test_the_shipped_rules_explain_pump_vesicants_and_chemotherapy(catalog: Catalog) -> None:
    [pump] = reasons(catalog, "mfolfox6-q14", catalog.port_rules)
    assert "46-hour continuous infusion" in pump
    [vesicant] = reasons(catalog, "ac-q21-then-paclitaxel-weekly-x12", catalog.port_rules)
    assert "can damage the tissues" in vesicant
    [chemo] = reasons(catalog, "gemcitabine-carboplatin-d1-d8-q21", catalog.port_rules)
    assert "IV chemotherapy" in chemo
    [alone] = reasons(catalog, "pembrolizumab-200-q3w", catalog.port_rules)
    assert "no port is needed" in alone


def test_a_centres_own_rules_are_named_not_explained_as_vesicants(catalog: Catalog) -> None:
    rules = (
        PortRule(PortLevel.RECOMMENDED, PortCriterion.FAMILY, families=frozenset({"platinum"})),
        PortRule(
            PortLevel.RECOMMENDED,
            PortCriterion.CLASS,
            classes=frozenset({AgentClass.IMMUNOTHERAPY}),
        ),
    )
    [platinum] = reasons(catalog, "gemcitabine-carboplatin-d1-d8-q21", rules)
    assert platinum == "carboplatin (platinum salt): the unit's port rules name this family."
    [immuno] = reasons(catalog, "pembrolizumab-200-q3w", rules)
    assert immuno == "pembrolizumab (immunotherapy): the unit's port rules name this kind of drug."
    assert "tissues" not in platinum + immuno


def test_families_are_named_in_the_readers_language() -> None:
    set_language("fr")
    assert explain.family_name("platinum") == "sel de platine"
    assert explain.family_name("my centre's family") == "my centre's family"


DAYS_AROUND_THE_SESSION = [
    (
        -1,
        0,
        "la veille et le jour de la séance",
        "the day before and the day of the session",
    ),
    (
        0,
        2,
        "le jour de la séance et les 2 jours suivants",
        "the day of the session and the 2 days after it",
    ),
    (
        -3,
        0,
        "les 3 jours précédant la séance et le jour de la séance",
        "the 3 days before the session and the day of the session",
    ),
    (
        -3,
        1,
        "de 3 jours avant la séance jusqu'au lendemain de la séance",
        "from 3 days before the session to the day after the session",
    ),
    (
        1,
        3,
        "du lendemain de la séance jusqu'à 3 jours après la séance",
        "from the day after the session to 3 days after the session",
    ),
    (
        -5,
        -1,
        "de 5 jours avant la séance jusqu'à la veille de la séance",
        "from 5 days before the session to the day before the session",
    ),
]


@pytest.mark.parametrize(("first", "last", "in_french", "in_english"), DAYS_AROUND_THE_SESSION)
def test_the_days_of_a_premedication_read_in_both_languages(
    first: int, last: int, in_french: str, in_english: str
) -> None:
    """The days around the session a medicine is taken: French joins "de" and "à" to the
    article ("du jour", "jusqu'au lendemain"), never "de le jour"."""
    event = Event(
        EventKind.PREMEDICATION,
        date(2027, 3, 8),
        0,
        f"dexamethasone:{first}:{last}",
        Text("Dexaméthasone", "Dexamethasone"),
    )
    assert explain.event_text(event) == f"Dexamethasone — {in_english}"
    set_language("fr")
    assert explain.event_text(event) == f"Dexaméthasone — {in_french}"


def test_the_first_of_the_month_is_1er_in_french() -> None:
    set_language("fr")
    assert format_date(date(2027, 3, 1)) == "lun. 1er mars 2027"
    assert format_date(date(2027, 3, 1), "long") == "lundi 1er mars 2027"
    assert format_date(date(2027, 3, 11), "long") == "jeudi 11 mars 2027"
    set_language("en")
    assert format_date(date(2027, 3, 1)) == "Mon 1 Mar 2027"


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"nurses": 201}, "At most 200 nurses, not 201."),
        ({"starts_per_nurse": 25}, "A nurse starts at most 20 infusions per slot, not 25."),
        (
            {"chairs": tuple(Chair(f"F{n}") for n in range(1200))},
            "At most 500 chairs and beds, not 1,200.",
        ),
        ({"nurses": 0}, "At least one nurse, starting at least one infusion per slot."),
        ({"afternoon_nurses": 201}, "At most 200 nurses, not 201."),
        (
            {"pharmacy": (12, 0, 12, 12, 12, None, None)},
            "The pharmacy prepares from 1 to 500 preparations per slot on each day of the "
            "week, or is not limited.",
        ),
        (
            {"slot_minutes": 30, "lab_result_start": time(9, 15)},
            "The start after a same-day blood test falls on the slot grid.",
        ),
        (
            {"max_move_minutes": 1440},
            "A booking given to a patient is moved by 0 to 240 minutes, not 1,440.",
        ),
    ],
)
def test_resources_past_a_bound_say_the_bound_and_the_value(
    change: dict[str, object], text: str
) -> None:
    with pytest.raises(ResourcesError) as refused:
        UnitResources(**change)  # type: ignore[arg-type]
    assert explain.resources_problem_text(refused.value) == text


def test_a_weight_past_its_bound_says_the_bound_and_the_value() -> None:
    with pytest.raises(ResourcesError) as refused:
        Weights(peak=5000)
    assert explain.resources_problem_text(refused.value) == (
        "The optimiser's weights are from 0 to 1,000, not 5,000."
    )


def test_every_resources_problem_has_its_sentence() -> None:
    assert set(explain.RESOURCES_PROBLEMS) == set(ResourcesProblem)


def test_a_blood_test_on_the_sessions_day_says_the_unit_takes_it(catalog: Catalog) -> None:
    from planner.core.engine import LabRule
    from planner.core.engine import plan as schedule

    regimen = catalog.regimen("nivolumab-480-q4w")
    same_day = schedule(regimen, date(2027, 3, 8), lab_rule=LabRule(3, 0), until=date(2027, 3, 8))
    lab, session = explain.schedule_lines(same_day)
    assert (lab.what, lab.date) == ("Blood test", session.date)
    assert lab.notes == "taken in the unit on arrival; the session starts once the result is known"
    usual = schedule(regimen, date(2027, 3, 8), until=date(2027, 3, 8))
    assert explain.schedule_lines(usual)[0].notes == ""


def test_the_first_session_after_a_gap_says_the_regimen_put_it_there(catalog: Catalog) -> None:
    set_language("en")
    kn522 = catalog.regimen("pembrolizumab-chemo-kn522")
    schedule = plan(kn522, date(2027, 1, 4), calendar=ClosureCalendar(ClosureSet.NONE))
    adjuvant = [s for s in schedule.sessions if s.phase == 3]
    assert explain.session_notes(adjuvant[0], kn522) == [
        "the regimen leaves 42 days between the previous phase and this one"
    ]
    assert explain.session_notes(adjuvant[1], kn522) == []
    assert explain.session_notes(adjuvant[0]) == []  # without the regimen, only the moves


def test_port_reasons_for_subcutaneous_forms_and_conjugates(catalog: Catalog) -> None:
    set_language("en")
    [sc] = explain.port_reasons(
        port_advice(catalog.regimen("pembrolizumab-sc-q6w"), catalog.port_rules)
    )
    assert sc == (
        "pembrolizumab: injected under the skin in the day hospital, not into a vein: no port "
        "is needed."
    )
    [adc] = explain.port_reasons(
        port_advice(catalog.regimen("sacituzumab-govitecan-d1-8-q21"), catalog.port_rules)
    )
    assert adc.startswith("sacituzumab govitecan (antibody-drug conjugate) brings a chemotherapy")


def test_a_drug_injected_under_the_skin_says_so(catalog: Catalog) -> None:
    set_language("en")
    phesgo = catalog.regimen("pertuzumab-trastuzumab-sc-phesgo-q21")
    schedule = plan(phesgo, date(2027, 1, 4), calendar=ClosureCalendar(ClosureSet.NONE))
    assert explain.session_agents(schedule.sessions[0]) == (
        "pertuzumab (under the skin), trastuzumab (under the skin)"
    )
    set_language("fr")
    assert explain.session_agents(schedule.sessions[0]) == (
        "pertuzumab (sous la peau), trastuzumab (sous la peau)"
    )
    set_language("en")
