"""Does the patient need an implantable port (*chambre implantable*), and why?

The default rule table (resources/port_rules.toml) is a synthesis of the sources in
CLINICAL_NOTES §1, not a single guideline's wording; centres differ, so it is data:

1. ``required`` when a drug runs as a continuous ambulatory infusion (46-h 5-FU by pump):
   CancerCare Manitoba FOLFOX-6 "CVAD: Required (Ambulatory Pump)"; INS 2016 and ONS forbid a
   peripheral line for continuous vesicant or irritant infusions.
2. ``recommended`` for anthracyclines, taxanes and vinca alkaloids (vesicants: INCa, NZ SRL).
3. ``consider`` for any other IV chemotherapy (Anaes 2000 / SF2H 2012: repeated access for more
   than 3 months; CCMB "at provider's discretion").
4. ``not-needed`` otherwise: immunotherapy alone, as the patient information says, or with
   targeted antibodies and oral drugs (short non-vesicant infusions).

Antibody-drug conjugates (trastuzumab deruxtecan, sacituzumab govitecan, enfortumab vedotin)
carry a cytotoxic payload over months of infusions: the table names their family at
``consider``. A port is a venous access, so the continuous-infusion and family rules look at
IV administrations only: a drug injected under the skin (trastuzumab SC, Phesgo, the SC
checkpoint inhibitors) or taken by mouth never calls for one, and a regimen whose anticancer
drugs are all subcutaneous needs no port for them. A class rule follows its own ``route``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from planner.core.regimen import Agent, AgentClass, Regimen, Route


class PortLevel(StrEnum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"
    CONSIDER = "consider"
    NOT_NEEDED = "not-needed"

    @property
    def rank(self) -> int:
        """Higher is stronger advice."""
        return _RANKS[self]


_RANKS = {
    PortLevel.NOT_NEEDED: 0,
    PortLevel.CONSIDER: 1,
    PortLevel.RECOMMENDED: 2,
    PortLevel.REQUIRED: 3,
}


class PortCriterion(StrEnum):
    CONTINUOUS_INFUSION = "continuous-infusion"
    """A drug given by continuous ambulatory infusion (a pump)."""
    FAMILY = "family"
    """A drug of one of the listed families (anthracycline, taxane...)."""
    CLASS = "class"
    """A drug of one of the listed classes given by the listed route."""


@dataclass(frozen=True, slots=True)
class PortRule:
    level: PortLevel
    criterion: PortCriterion
    families: frozenset[str] = frozenset()
    classes: frozenset[AgentClass] = frozenset()
    route: Route | None = None
    source: str = ""
    """Where the rule comes from (a guideline, a local protocol), in the file's words."""

    def matches(self, regimen: Regimen) -> tuple[Agent, ...]:
        """The drugs of ``regimen`` that meet this rule, in order of first appearance."""
        found: dict[str, Agent] = {}
        for adm in regimen.administrations:
            agent = adm.agent
            if self.criterion is PortCriterion.CONTINUOUS_INFUSION:
                hit = adm.continuous_hours is not None
            elif self.criterion is PortCriterion.FAMILY:
                # A port is a venous access: the same family injected under the skin does
                # not use one (trastuzumab SC against IV).
                hit = agent.family in self.families and adm.route is Route.IV
            else:
                hit = agent.agent_class in self.classes and (
                    self.route is None or adm.route is self.route
                )
            if hit:
                found.setdefault(agent.inn, agent)
        return tuple(found.values())


@dataclass(frozen=True, slots=True)
class PortReason:
    """One reason behind the advice: which rule, and which drugs met it."""

    rule: PortRule | None
    """None for ``not-needed``: no rule matched."""
    agents: tuple[Agent, ...]
    continuous_hours: int | None = None
    """For a continuous infusion: its longest duration, to say "46-hour pump"."""


@dataclass(frozen=True, slots=True)
class PortAdvice:
    level: PortLevel
    reasons: tuple[PortReason, ...]
    immunotherapy_only: bool = False
    """Every drug is an immunotherapy: the patient information says no port is needed."""
    subcutaneous_only: bool = False
    """Every anticancer drug is injected under the skin: no vein is used for them."""


_MEMO: dict[tuple[int, int], tuple[Regimen, tuple[PortRule, ...], PortAdvice]] = {}
_MEMO_SIZE = 256


def port_advice(regimen: Regimen, rules: tuple[PortRule, ...]) -> PortAdvice:
    """The strongest level whose rule matches a drug of ``regimen``, with every reason for it.

    Memoised by identity (a unit's plans share a few regimens; the memo keeps the objects it
    is keyed on alive, so an identity is never reused while remembered).
    """
    key = (id(regimen), id(rules))
    known = _MEMO.get(key)
    if known is not None and known[0] is regimen and known[1] is rules:
        return known[2]
    advice = _port_advice(regimen, rules)
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    _MEMO[key] = (regimen, rules, advice)
    return advice


def _port_advice(regimen: Regimen, rules: tuple[PortRule, ...]) -> PortAdvice:
    matched = [(rule, rule.matches(regimen)) for rule in rules]
    matched = [(rule, agents) for rule, agents in matched if agents]
    immunotherapy_only = regimen.classes == {AgentClass.IMMUNOTHERAPY}
    if not matched:
        return PortAdvice(
            PortLevel.NOT_NEEDED,
            (PortReason(None, regimen.active_agents),),
            immunotherapy_only=immunotherapy_only,
            subcutaneous_only=regimen.subcutaneous_only,
        )
    level = max((rule.level for rule, _ in matched), key=lambda lv: lv.rank)
    reasons = []
    for rule, agents in matched:
        if rule.level is not level:
            continue
        hours = None
        if rule.criterion is PortCriterion.CONTINUOUS_INFUSION:
            hours = max(
                adm.continuous_hours or 0 for adm in regimen.administrations if adm.agent in agents
            )
        reasons.append(PortReason(rule, agents, hours))
    return PortAdvice(
        level,
        tuple(reasons),
        immunotherapy_only=immunotherapy_only,
        subcutaneous_only=regimen.subcutaneous_only,
    )
