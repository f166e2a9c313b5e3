"""A plan's regimen snapshot: new fields are written only when they differ from their default,
so that the snapshots (and digests) of plans made before them do not change, and old
snapshots still read."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from planner.catalog import load_catalog
from planner.core.regimen import Intent
from planner.store import codec

CATALOG = load_catalog()


@pytest.mark.parametrize("regimen_id", sorted(CATALOG.entries))
def test_every_bundled_regimen_comes_back_from_its_snapshot(regimen_id: str) -> None:
    regimen = CATALOG.regimen(regimen_id)
    stored = json.loads(json.dumps(codec.regimen_to_json(regimen)))
    assert codec.regimen_from_json(stored) == regimen


def test_intent_and_checks_following_the_cycles_are_written_only_when_set() -> None:
    nivolumab = CATALOG.regimen("nivolumab-240-q2w")
    plain = replace(
        nivolumab,
        intent=None,
        monitoring=tuple(
            replace(m, follow_cycles=False, every_weeks=6) for m in nivolumab.monitoring
        ),
    )
    data = codec.regimen_to_json(plain)
    assert "intent" not in data
    assert all("follow_cycles" not in m for m in data["monitoring"])
    # A snapshot written before these fields existed reads with their defaults.
    restored = codec.regimen_from_json(json.loads(json.dumps(data)))
    assert restored.intent is None
    assert not any(m.follow_cycles for m in restored.monitoring)
    assert restored == plain
    # Set, they are written and read back.
    marked = replace(nivolumab, intent=Intent.ADJUVANT, response_imaging_weeks=0)
    data = codec.regimen_to_json(marked)
    assert data["intent"] == "adjuvant"
    assert data["response_imaging_weeks"] == 0
    assert [m["follow_cycles"] for m in data["monitoring"]] == [True]
    assert codec.regimen_from_json(json.loads(json.dumps(data))) == marked
