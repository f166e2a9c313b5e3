"""The demo unit's chairs and nurses."""

from __future__ import annotations

import pytest

from planner.core.chairs import MAX_CHAIRS, MAX_NURSES
from planner.day_hospital.demo import MAX_DEMO_PATIENTS, demo_resources


@pytest.mark.parametrize(
    ("patients", "chairs", "beds", "nurses"),
    [
        (1, 6, 1, 2),
        (2_000, 100, 12, 33),
        (8_000, 400, 50, 133),  # 266 starts per slot: the grid once counted them in a byte
        (10_000, 500, 62, 166),
        (MAX_DEMO_PATIENTS, 500, 62, 166),  # the unit's limits, not one chair for twenty
    ],
)
def test_the_demo_units_chairs_and_nurses(
    patients: int, chairs: int, beds: int, nurses: int
) -> None:
    resources = demo_resources(patients)
    assert len(resources.chairs) == chairs
    assert sum(c.bed for c in resources.chairs) == beds
    assert resources.nurses == nurses
    assert len(resources.chairs) <= MAX_CHAIRS
    assert resources.nurses <= MAX_NURSES
