"""The port advice rule table (resources/port_rules.toml) <-> core rules."""

from __future__ import annotations

import tomli_w

from planner.catalog.fields import Invalid, Table, check_format, problem
from planner.core.port import PortCriterion, PortLevel, PortRule
from planner.core.regimen import AgentClass, Route
from planner.i18n import N_

FORMAT = 1
RULE_KEYS = ("level", "when", "families", "classes", "route", "source")


def read_port_rules(data: object) -> tuple[PortRule, ...]:
    root = Table(data, "")
    root.check_keys(("format", "rules"))
    check_format(root, FORMAT)
    rules = []
    for table in root.tables("rules"):
        table.check_keys(RULE_KEYS)
        level = table.choice("level", PortLevel)
        if level is PortLevel.NOT_NEEDED:
            raise Invalid(
                table.path("level"),
                problem(N_("'not-needed' is the advice when no rule matches; it needs no rule")),
            )
        criterion = table.choice("when", PortCriterion)
        families = frozenset(table.strings("families"))
        classes: set[AgentClass] = set()
        for n, value in enumerate(table.strings("classes"), start=1):
            try:
                classes.add(AgentClass(value))
            except ValueError:
                raise Invalid(
                    f"{table.path('classes')}[{n}]",
                    problem(
                        N_("must be one of {choices}, not {value!r}"),
                        choices=", ".join(c.value for c in AgentClass),
                        value=value,
                    ),
                ) from None
        route = table.choice("route", Route) if table.has("route") else None
        wanted = {
            PortCriterion.CONTINUOUS_INFUSION: (),
            PortCriterion.FAMILY: ("families",),
            PortCriterion.CLASS: ("classes", "route"),
        }[criterion]
        for key in ("families", "classes", "route"):
            if table.has(key) and key not in wanted:
                raise Invalid(
                    table.path(key),
                    problem(N_("does not apply to when = '{when}'"), when=criterion.value),
                )
        if criterion is PortCriterion.FAMILY and not families:
            raise Invalid(table.path("families"), problem(N_("must list at least one family")))
        if criterion is PortCriterion.CLASS and not classes:
            raise Invalid(table.path("classes"), problem(N_("must list at least one class")))
        source = table.string("source", "")
        rules.append(PortRule(level, criterion, families, frozenset(classes), route, source))
    return tuple(rules)


HEADER = """\
# The implantable port advice rules, in Infusion Planner's port_rules.toml format. The
# strongest level whose rule matches a drug of the regimen wins; with no match no port is
# needed. Format: docs/regimen-format.md ("Port rules"). A unit's own rules are kept in its
# database (Settings > Plans); this file in the user's data folder serves the commands
# without a database, and is imported once into a unit that has no rules of its own.
"""


def port_rules_toml(rules: tuple[PortRule, ...]) -> str:
    """``rules`` as a port_rules.toml file that :func:`read_port_rules` reads back equal."""
    tables = []
    for rule in rules:
        table: dict[str, object] = {"level": rule.level.value, "when": rule.criterion.value}
        if rule.families:
            table["families"] = sorted(rule.families)
        if rule.classes:
            table["classes"] = sorted(c.value for c in rule.classes)
        if rule.route is not None:
            table["route"] = rule.route.value
        if rule.source:
            table["source"] = rule.source
        tables.append(table)
    return HEADER + tomli_w.dumps({"format": FORMAT, "rules": tables})
