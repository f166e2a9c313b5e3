"""Why the port advice is what it is, in words that stay true when a centre edits the rules."""

from __future__ import annotations

from planner import explain
from planner.catalog import Catalog
from planner.core.port import PortCriterion, PortLevel, PortRule, port_advice
from planner.core.regimen import AgentClass
from planner.i18n import set_language


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
