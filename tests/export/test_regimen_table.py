"""docs/regimens.md: the catalogue's table, generated from the files and never out of date."""

from __future__ import annotations

import io
from pathlib import Path

from planner.catalog import Catalog
from planner.cli.main import run
from planner.core.chairs import UnitResources
from planner.export.regimen_table import chair_text, markdown, port_text, schedule_text
from planner.i18n import set_language

DOC = Path(__file__).parents[2] / "docs" / "regimens.md"


def test_the_table_in_the_repository_is_the_one_the_files_give(catalog: Catalog) -> None:
    set_language("en")
    assert DOC.read_text(encoding="utf-8") == markdown(catalog), (
        "docs/regimens.md is out of date: run "
        "`python -m planner regimens --format markdown --lang en > docs/regimens.md`"
    )


def test_the_command_prints_one_row_per_regimen(catalog: Catalog) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["regimens", "--format", "markdown", "--lang", "en"], out, err) == 0
    rows = [line for line in out.getvalue().splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == sorted(catalog.entries)


def test_a_gap_and_caps_are_said_in_words(catalog: Catalog) -> None:
    set_language("en")
    text = schedule_text(catalog.regimen("pembrolizumab-chemo-kn522"))
    assert "9 cycles of 21 days, after a break of 42 days; sessions on D1" in text
    assert "sessions on D1, D8, D15" in text
    kn189 = schedule_text(catalog.regimen("pembrolizumab-pemetrexed-platinum-kn189"))
    assert kn189.endswith("pembrolizumab: at most 35 doses.")


def test_drugs_at_home_and_under_the_skin_are_named(catalog: Catalog) -> None:
    set_language("en")
    assert "at home: capecitabine" in schedule_text(catalog.regimen("capox-q21"))
    assert "under the skin: pertuzumab, trastuzumab" in schedule_text(
        catalog.regimen("pertuzumab-trastuzumab-sc-phesgo-q21")
    )


def test_chair_times_follow_the_first_and_later_minutes(catalog: Catalog) -> None:
    set_language("en")
    resources = UnitResources()
    # Installation 15 + infusion 90 the first time (rounded to 15-minute slots), then 15 + 30.
    assert chair_text(catalog.regimen("trastuzumab-deruxtecan-q21"), resources) == (
        "D1: 1 h 45 the first time, then 45 min"
    )
    # Phesgo: 15 + 8 + 30 = 53 -> 1 h; then 15 + 5 + 15 = 35 -> 45 min.
    assert chair_text(catalog.regimen("pertuzumab-trastuzumab-sc-phesgo-q21"), resources) == (
        "D1: 1 h the first time, then 45 min"
    )
    # Bevacizumab 90, 60, then 30 min (Avastin SmPC) after atezolizumab 60, then 30:
    # 15 + 60 + 90 = 165, 15 + 30 + 60 = 105, 15 + 30 + 30 = 75.
    assert chair_text(catalog.regimen("atezolizumab-bevacizumab-imbrave150"), resources) == (
        "D1: 2 h 45 the first time, 1 h 45 the second, then 1 h 15"
    )


def test_port_advice_says_why_not(catalog: Catalog) -> None:
    set_language("en")
    assert port_text(catalog.regimen("atezolizumab-sc-1875-q3w"), catalog) == (
        "not needed (under the skin)"
    )
    assert port_text(catalog.regimen("nivolumab-240-q2w"), catalog) == (
        "not needed (immunotherapy alone)"
    )
    assert port_text(catalog.regimen("mfolfirinox-q14"), catalog) == "required: fluorouracil (5-FU)"
    assert port_text(catalog.regimen("trastuzumab-deruxtecan-q21"), catalog) == (
        "to consider: trastuzumab deruxtecan"
    )
