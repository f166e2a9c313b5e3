"""The catalogue as one Markdown table (docs/regimens.md), written from the regimen files.

``python -m planner regimens --format markdown`` prints it; a test regenerates it and
compares, so the table in the repository cannot drift from the files. Each row says what a
coordinator asks of a regimen before planning it: its names, its classes, its schedule in
words, the port advice and why, the chair time each session is booked for (with the unit's
default settings) and where the facts come from.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from planner.catalog import Catalog
from planner.core.chairs import UnitResources, chair_minutes
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.engine import plan
from planner.core.port import PortLevel, port_advice
from planner.core.regimen import Regimen, Route
from planner.explain import (
    agent_names,
    duration_text,
    listed,
    phase_cycles_text,
    port_level_name,
    regimen_classes,
)
from planner.i18n import _, language, ngettext

START = date(2027, 1, 4)
"""Any Monday: without closures, the dates do not change what the table says."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def schedule_text(regimen: Regimen) -> str:
    """The schedule in words: phases, session days, drugs given at home, caps."""
    parts = []
    for n, phase in enumerate(regimen.phases):
        days = ", ".join(f"D{day}" for day in phase.session_days)
        text = _("{cycles}; sessions on {days}").format(
            cycles=phase_cycles_text(phase, first=n == 0), days=days
        )
        at_home = [adm.agent for adm in phase.administrations if not adm.starts_session]
        if at_home:
            text = _("{text}; at home: {agents}").format(
                text=text, agents=agent_names(list(dict.fromkeys(at_home)))
            )
        injected = [
            adm.agent
            for adm in phase.administrations
            if adm.starts_session and adm.route is Route.SC
        ]
        if injected:
            text = _("{text}; under the skin: {agents}").format(
                text=text, agents=agent_names(list(dict.fromkeys(injected)))
            )
        if len(regimen.phases) > 1:
            text = _("{phase}: {cycles}").format(phase=phase.name.get(language()), cycles=text)
        parts.append(text)
    names = {agent.inn: agent for agent in regimen.agents}
    for cap in regimen.caps:
        parts.append(
            ngettext(
                "{agent}: at most {count} dose",
                "{agent}: at most {count} doses",
                cap.max_administrations,
            ).format(agent=agent_names([names[cap.agent]]), count=cap.max_administrations)
        )
    return ". ".join(parts) + "."


def chair_text(regimen: Regimen, resources: UnitResources) -> str:
    """The booked chair time of each kind of session: the first one, and the usual one."""
    schedule = plan(regimen, START, calendar=ClosureCalendar(ClosureSet.NONE))
    by_kind: dict[tuple[int, int], list[int]] = {}
    for session in schedule.sessions:
        by_kind.setdefault((session.phase, session.day), []).append(
            chair_minutes(session, resources)
        )
    parts = []
    for (phase, day), minutes in by_kind.items():
        first = minutes[0]
        usual = Counter(minutes[1:]).most_common(1)[0][0] if len(minutes) > 1 else first
        second = minutes[1] if len(minutes) > 2 else usual
        if usual == first:
            text = duration_text(first)
        elif second not in (first, usual):  # a second time of its own (bevacizumab)
            text = _("{first} the first time, {second} the second, then {usual}").format(
                first=duration_text(first),
                second=duration_text(second),
                usual=duration_text(usual),
            )
        else:
            text = _("{first} the first time, then {usual}").format(
                first=duration_text(first), usual=duration_text(usual)
            )
        label = f"D{day}"
        if len(regimen.phases) > 1:
            label = _("{phase} {day}").format(
                phase=regimen.phases[phase - 1].name.get(language()), day=label
            )
        parts.append(_("{label}: {time}").format(label=label, time=text))
    return listed(parts)


def port_text(regimen: Regimen, catalog: Catalog) -> str:
    advice = port_advice(regimen, catalog.port_rules)
    level = port_level_name(advice.level)
    if advice.level is PortLevel.NOT_NEEDED:
        if advice.subcutaneous_only:
            return _("{level} (under the skin)").format(level=level)
        if advice.immunotherapy_only:
            return _("{level} (immunotherapy alone)").format(level=level)
        return level
    agents = [agent for reason in advice.reasons for agent in reason.agents]
    return _("{level}: {agents}").format(
        level=level, agents=agent_names(list(dict.fromkeys(agents)))
    )


def sources_text(regimen: Regimen) -> str:
    return "<br>".join(f"[{source.id}]({source.url})" for source in regimen.sources)


def markdown(catalog: Catalog, resources: UnitResources | None = None) -> str:
    """The whole page: a short introduction and one row per regimen, by id."""
    resources = resources or UnitResources()
    lines = [
        "# " + _("The regimen catalogue"),
        "",
        _(
            "Generated from the regimen files by `python -m planner regimens --format "
            "markdown`; do not edit by hand. {count} regimens."
        ).format(count=len(catalog.entries)),
        "",
        _(
            "Chair time is what a session is booked for with the unit's default settings: "
            "{installation} minutes of installation, then each group of drugs given together "
            "for its infusion or injection and observation time (a drug without one counts "
            "{bolus} minutes), {pump} minutes to connect a pump, rounded up to {slot}-minute "
            "slots. Port advice follows the bundled port rules (docs/regimen-format.md)."
        ).format(
            installation=resources.installation_minutes,
            bolus=resources.bolus_minutes,
            pump=resources.pump_minutes,
            slot=resources.slot_minutes,
        ),
        "",
        "| "
        + " | ".join(
            [
                _("Id"),
                _("Name (French)"),
                _("Name (English)"),
                _("Classes"),
                _("Schedule"),
                _("Port"),
                _("Chair time"),
                _("Sources"),
            ]
        )
        + " |",
        "|" + " --- |" * 8,
    ]
    for regimen_id in sorted(catalog.entries):
        regimen = catalog.regimen(regimen_id)
        cells = [
            f"`{regimen.id}`",
            regimen.name.fr,
            regimen.name.en,
            regimen_classes(regimen),
            schedule_text(regimen),
            port_text(regimen, catalog),
            chair_text(regimen, resources),
            sources_text(regimen),
        ]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"
