"""The port rule table written by the settings reads back as the same rules."""

from __future__ import annotations

import tomllib

from hypothesis import given
from hypothesis import strategies as st

from planner.catalog import bundled_port_rules
from planner.catalog.port_rules_file import port_rules_toml, read_port_rules
from planner.core.port import PortCriterion, PortLevel, PortRule
from planner.core.regimen import AgentClass, Route

LEVELS = [level for level in PortLevel if level is not PortLevel.NOT_NEEDED]
_words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(lambda s: s.strip() == s and s)


@st.composite
def rules(draw: st.DrawFn) -> PortRule:
    level = draw(st.sampled_from(LEVELS))
    criterion = draw(st.sampled_from(list(PortCriterion)))
    source = draw(st.one_of(st.just(""), _words))
    if criterion is PortCriterion.FAMILY:
        families = frozenset(draw(st.lists(_words, min_size=1, max_size=4)))
        return PortRule(level, criterion, families, source=source)
    if criterion is PortCriterion.CLASS:
        classes = frozenset(draw(st.lists(st.sampled_from(list(AgentClass)), min_size=1)))
        route = draw(st.one_of(st.none(), st.sampled_from(list(Route))))
        return PortRule(level, criterion, classes=classes, route=route, source=source)
    return PortRule(level, criterion, source=source)


@given(st.lists(rules(), min_size=1, max_size=6).map(tuple))
def test_written_rules_read_back_equal(table: tuple[PortRule, ...]) -> None:
    assert read_port_rules(tomllib.loads(port_rules_toml(table))) == table


def test_the_bundled_rules_name_their_sources() -> None:
    table = bundled_port_rules()
    assert [rule.level for rule in table] == [
        PortLevel.REQUIRED,
        PortLevel.RECOMMENDED,
        PortLevel.CONSIDER,
        PortLevel.CONSIDER,
    ]
    assert table[3].families == {"antibody-drug conjugate"}
    assert all(rule.source for rule in table)
    assert "INS 2016" in table[0].source
    assert port_rules_toml(table).startswith("# The implantable port advice rules")
