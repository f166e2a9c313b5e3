"""The demo unit's chairs, nurses and pharmacy, and its patients' preferences."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from planner.catalog import Catalog
from planner.core.chairs import MAX_CHAIRS, MAX_NURSES
from planner.core.patient import Preference
from planner.day_hospital.demo import MAX_DEMO_PATIENTS, build_demo, demo_resources


@pytest.mark.parametrize(
    ("patients", "chairs", "beds", "nurses", "preparations"),
    [
        (1, 6, 1, 2, 12),
        (200, 10, 1, 3, 12),  # the demo's default size
        (2_000, 100, 12, 33, 12),
        (8_000, 400, 50, 133, 48),  # 266 starts per slot: the grid once counted them in a byte
        (10_000, 500, 62, 166, 60),
        (MAX_DEMO_PATIENTS, 500, 62, 166, 120),  # the unit's limits, not one chair for twenty
    ],
)
def test_the_demo_units_chairs_nurses_and_pharmacy(
    patients: int, chairs: int, beds: int, nurses: int, preparations: int
) -> None:
    resources = demo_resources(patients)
    assert len(resources.chairs) == chairs
    assert sum(c.bed for c in resources.chairs) == beds
    assert resources.nurses == nurses
    assert len(resources.chairs) <= MAX_CHAIRS
    assert resources.nurses <= MAX_NURSES
    # Every day the unit opens (Monday to Saturday), the pharmacy's limit; none on Sunday,
    # when it is closed.
    assert resources.pharmacy == (preparations,) * 6 + (None,)
    assert [h is not None for h in resources.hours] == [p is not None for p in resources.pharmacy]
    assert resources.slot_minutes == 15


def test_a_share_of_the_demo_patients_would_rather_come_morning_or_afternoon(
    catalog: Catalog,
) -> None:
    """About one in five in the morning, one in ten in the afternoon; the same for the same
    seed."""
    today = date(2027, 3, 1)
    demo = build_demo(catalog, 300, today, seed=7)
    shares = Counter(plan.patient.preference for plan in demo.plans)
    assert 0.15 * 300 <= shares[Preference.MORNING] <= 0.25 * 300
    assert 0.05 * 300 <= shares[Preference.AFTERNOON] <= 0.15 * 300
    again = build_demo(catalog, 300, today, seed=7)
    assert again.plans == demo.plans
    other = build_demo(catalog, 300, today, seed=8)
    assert [p.patient.preference for p in other.plans] != [p.patient.preference for p in demo.plans]


def test_the_demo_unit_draws_from_the_whole_catalogue(catalog: Catalog) -> None:
    """Every regimen of the catalogue has patients in a 2,000-patient demo, the subcutaneous
    forms and the antibody-drug conjugates included, so that the day plans, the lists and
    the benchmarks see their chair times."""
    demo = build_demo(catalog, 2_000, date(2027, 3, 1), seed=1)
    seen = Counter(plan.regimen.id for plan in demo.plans)
    assert set(seen) == set(catalog.entries)
    assert seen["trastuzumab-sc-600-q21"] > seen["nivolumab-relatlimab-q4w"]
