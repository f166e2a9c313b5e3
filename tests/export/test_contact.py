"""No patient's document without the unit's telephone number: the calendar and the handout
refuse, by the one check every path calls."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner.catalog import Catalog
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.core.plan_schedule import schedule_of
from planner.core.settings import UnitSettings
from planner.export.calendar import ExportOptions, patient_calendar
from planner.export.contact import NoUnitPhone
from planner.export.handout import handout_html

NO_PHONE = [UnitSettings(), UnitSettings(name="HDJ", address="1 rue X", phone="  ")]


@pytest.mark.parametrize("settings", NO_PHONE, ids=["empty", "blank"])
def test_no_calendar_and_no_handout_without_a_phone(
    catalog: Catalog, settings: UnitSettings
) -> None:
    patient = Patient("p", "Martin", "Jeanne", "H1", "fr")
    plan = Plan("plan", patient, catalog.regimen("pembrolizumab-200-q3w"), date(2027, 3, 8))
    ps = schedule_of(plan, catalog.port_rules)
    with pytest.raises(NoUnitPhone) as refused:
        patient_calendar(
            ps,
            settings=settings,
            options=ExportOptions(),
            exported_at=datetime(2027, 3, 1, tzinfo=UTC),
        )
    assert str(refused.value.message) == (
        "the unit's telephone number is missing, and a patient's calendar or handout must say "
        "whom to call"
    )
    with pytest.raises(NoUnitPhone):
        handout_html(ps, settings, lang="fr", today=date(2027, 3, 1))
