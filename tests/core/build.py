"""Small regimens built in code, for tests that need a shape the catalogue does not have."""

from __future__ import annotations

from planner.core.regimen import (
    Administration,
    Agent,
    AgentClass,
    Cap,
    Minutes,
    Phase,
    Regimen,
    Route,
)
from planner.core.text import Text


def agent(inn: str, agent_class: AgentClass = AgentClass.CHEMOTHERAPY, family: str = "x") -> Agent:
    return Agent(inn=inn, name=Text.same(inn), agent_class=agent_class, family=family)


def iv(
    inn: str,
    days: tuple[int, ...] = (1,),
    *,
    agent_class: AgentClass = AgentClass.CHEMOTHERAPY,
    family: str = "x",
    minutes: tuple[int, int] | None = (30, 30),
    pump_hours: int | None = None,
    order: int = 1,
    first_cycle: int = 1,
    last_cycle: int | None = None,
) -> Administration:
    return Administration(
        agent=agent(inn, agent_class, family),
        route=Route.IV,
        days=days,
        infusion=None if minutes is None or pump_hours else Minutes(*minutes),
        continuous_hours=pump_hours,
        order=order,
        first_cycle=first_cycle,
        last_cycle=last_cycle,
    )


def other(inn: str, route: Route, days: tuple[int, ...]) -> Administration:
    return Administration(agent=agent(inn, AgentClass.SUPPORTIVE), route=route, days=days)


def phase(cycle_days: int, cycles: int | None, *administrations: Administration) -> Phase:
    return Phase(
        name=Text.same(f"q{cycle_days}"),
        cycle_days=cycle_days,
        cycles=cycles,
        administrations=administrations,
    )


def regimen(*phases: Phase, caps: dict[str, int] | None = None) -> Regimen:
    return Regimen(
        id="test",
        name=Text.same("test"),
        phases=phases,
        caps=tuple(Cap(inn, n) for inn, n in (caps or {}).items()),
    )
