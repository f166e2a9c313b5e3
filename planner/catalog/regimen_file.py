"""Regimen files (format 1) and the drug dictionary -> core values, validated field by field.

The format is documented for pharmacists in docs/regimen-format.md; keep the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from planner.catalog.fields import Invalid, Table, check_format, check_integer, problem
from planner.core.regimen import (
    Administration,
    Agent,
    AgentClass,
    Cap,
    Confidence,
    Extravasation,
    Intent,
    Minutes,
    MonitoringKind,
    MonitoringRule,
    Phase,
    Premedication,
    PremedicationTiming,
    Regimen,
    Route,
    Source,
)
from planner.i18n import N_

FORMAT = 1
"""The regimen file format this version reads."""

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
INN_PATTERN = re.compile(r"^[a-z][a-z0-9 -]*[a-z0-9]$")
FAMILY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]*$")

MAX_CYCLE_DAYS = 365
MAX_CYCLES = 999
MAX_MINUTES = 24 * 60
MAX_PUMP_HOURS = 14 * 24

AGENT_KEYS = ("inn", "name", "class", "family", "extravasation")
REGIMEN_KEYS = (
    "format",
    "id",
    "name",
    "indication",
    "notes",
    "confidence",
    "intent",
    "response_imaging_weeks",
    "fasting_blood_test",
    "agents",
    "phases",
    "caps",
    "monitoring",
    "premedication",
    "sources",
)
PHASE_KEYS = ("name", "cycle_days", "cycles", "gap_days", "administrations")
MAX_GAP_DAYS = 365
ADMINISTRATION_KEYS = (
    "agent",
    "route",
    "days",
    "infusion_minutes",
    "injection_minutes",
    "observation_minutes",
    "continuous_hours",
    "push",
    "order",
    "first_cycle",
    "last_cycle",
    "note",
)
CAP_KEYS = ("agent", "max", "note")
MONITORING_KEYS = (
    "kind",
    "name",
    "every_weeks",
    "every_months",
    "baseline",
    "follow_cycles",
    "result_before_c1",
    "result_days",
    "sources",
)
MAX_RESULT_DAYS = 60
ON_A_DAY_OF_THEIR_OWN = frozenset(MonitoringKind) - {
    MonitoringKind.THYROID,  # with the blood test before the session
    MonitoringKind.CONSULTATION,  # at the consultation on the session's day
}
"""The checks done on a day of their own, which a result needed before C1 can go before."""
SOURCE_KEYS = ("id", "title", "url")
PREMEDICATION_KEYS = (
    "id",
    "agent",
    "name",
    "timing",
    "days",
    "start_days_before",
    "stop_days_after",
    "first_days_before",
    "every_weeks",
    "sources",
)
PREMEDICATION_FIELDS = {
    PremedicationTiming.EACH_DOSE: ("days",),
    PremedicationTiming.COURSE: ("start_days_before", "stop_days_after"),
    PremedicationTiming.PERIODIC: ("first_days_before", "every_weeks"),
}


def read_agent(table: Table) -> Agent:
    table.check_keys(AGENT_KEYS)
    inn = table.string("inn")
    if not INN_PATTERN.match(inn):
        raise Invalid(
            table.path("inn"),
            problem(
                N_("'{inn}' is not an INN in lowercase English letters (e.g. 'folinic acid')"),
                inn=inn,
            ),
        )
    family = table.string("family")
    if not FAMILY_PATTERN.match(family):
        raise Invalid(
            table.path("family"),
            problem(N_("'{family}' must be letters, digits, spaces or hyphens"), family=family),
        )
    extravasation = (
        table.choice("extravasation", Extravasation) if table.has("extravasation") else None
    )
    return Agent(
        inn=inn,
        name=table.text("name"),
        agent_class=table.choice("class", AgentClass),
        family=family,
        extravasation=extravasation,
    )


def read_agents(root: Table, key: str) -> dict[str, Agent]:
    """The ``[[key]]`` drug definitions of a file, by INN; an INN may appear once."""
    agents: dict[str, Agent] = {}
    for table in root.tables(key, required=False):
        agent = read_agent(table)
        if agent.inn in agents:
            raise Invalid(
                table.path("inn"),
                problem(N_("'{inn}' is defined twice in this file"), inn=agent.inn),
            )
        agents[agent.inn] = agent
    return agents


def _minutes(table: Table, key: str, low: int) -> Minutes | None:
    """``{ first = 90, second = 60, later = 30 }``: a value left out is the one before it
    (``{ first = 30 }`` is 30 every time; ``{ first = 90, second = 60 }``, 60 from the second
    on)."""
    if not table.has(key):
        return None
    inner = Table(table.raw(key), table.path(key))
    inner.check_keys(("first", "second", "later"))
    first = inner.integer("first", low, MAX_MINUTES)
    second = inner.optional_integer("second", low, MAX_MINUTES)
    later = inner.integer("later", low, MAX_MINUTES, default=first if second is None else second)
    # A second time equal to the later ones says nothing more: kept out of the value, so
    # that the regimen's stored snapshot (and its digest) is the one it had without it.
    return Minutes(first=first, later=later, second=None if second == later else second)


def _days(table: Table, cycle_days: int) -> tuple[int, ...]:
    where = table.path("days")
    value = table.raw("days")
    if not isinstance(value, list) or not value:
        raise Invalid(where, problem(N_("must be a list of days such as [1, 8, 15]")))
    days = tuple(check_integer(day, where, 1, MAX_CYCLE_DAYS) for day in value)
    for day in days:
        if day > cycle_days:
            raise Invalid(
                where,
                problem(
                    N_("day {day} is outside the {length}-day cycle"),
                    day=day,
                    length=cycle_days,
                ),
            )
    if list(days) != sorted(set(days)):
        raise Invalid(where, problem(N_("days must be increasing, each listed once")))
    return days


def read_administration(
    table: Table, agents: Mapping[str, Agent], cycle_days: int, cycles: int | None
) -> Administration:
    table.check_keys(ADMINISTRATION_KEYS)
    inn = table.string("agent")
    agent = agents.get(inn)
    if agent is None:
        raise Invalid(
            table.path("agent"),
            problem(
                N_(
                    "unknown drug '{inn}': add it to agents.toml or define it in an "
                    "[[agents]] block of this file"
                ),
                inn=inn,
            ),
        )
    route = table.choice("route", Route)
    days = _days(table, cycle_days)
    continuous = table.optional_integer("continuous_hours", 1, MAX_PUMP_HOURS)
    infusion = _minutes(table, "infusion_minutes", low=1)
    injection = _minutes(table, "injection_minutes", low=1)
    observation = _minutes(table, "observation_minutes", low=0)
    push = table.boolean("push", default=False)
    in_unit_injection = route is Route.SC and agent.agent_class is not AgentClass.SUPPORTIVE
    for key in ("continuous_hours", "infusion_minutes", "push"):
        if route is not Route.IV and table.has(key):
            raise Invalid(
                table.path(key),
                problem(N_("only applies to an IV administration, not {route}"), route=route),
            )
    if not in_unit_injection and table.has("injection_minutes"):
        raise Invalid(
            table.path("injection_minutes"),
            problem(
                N_(
                    "only applies to an anticancer drug injected under the skin in the unit "
                    "(route = 'SC'); use infusion_minutes for an IV drug"
                )
            ),
        )
    if route is not Route.IV and not in_unit_injection and table.has("observation_minutes"):
        raise Invalid(
            table.path("observation_minutes"),
            problem(N_("only applies to a drug given in the unit, not {route}"), route=route),
        )
    if in_unit_injection:
        if injection is None:
            raise Invalid(
                table.path("injection_minutes"),
                problem(
                    N_(
                        "is missing: an anticancer drug injected under the skin is given in "
                        "the unit, and its chair time starts with the injection's minutes "
                        "from the label"
                    )
                ),
            )
        infusion = injection
    if continuous is not None:
        if infusion is not None:
            raise Invalid(
                table.path("infusion_minutes"),
                problem(N_("a continuous infusion's duration is given by continuous_hours")),
            )
        pump_days = -(-continuous // 24)
        for n, day in enumerate(days):
            end = day + pump_days
            following = days[n + 1] if n + 1 < len(days) else cycle_days + 1
            if end > following or end > cycle_days:
                raise Invalid(
                    table.path("continuous_hours"),
                    problem(
                        N_(
                            "a {hours}-hour pump connected on day {day} is disconnected on "
                            "day {end}, which does not fit before the next connection or cycle"
                        ),
                        hours=continuous,
                        day=day,
                        end=end,
                    ),
                )
    if push:
        for key in ("infusion_minutes", "continuous_hours"):
            if table.has(key):
                raise Invalid(
                    table.path("push"),
                    problem(
                        N_("an IV push or short bolus has no {key}: leave one of them out"),
                        key=key,
                    ),
                )
    elif route is Route.IV and continuous is None and infusion is None:
        # Booked chair time comes from the infusion time: a drug without one would be
        # booked as a 10-minute bolus (paclitaxel over 3 h, cisplatin with its hydration).
        raise Invalid(
            table.path("infusion_minutes"),
            problem(
                N_(
                    "is missing: an IV drug is booked for its infusion time; give it from "
                    "the regimen's sources, or write push = true for an IV push or short "
                    "bolus (booked for the unit's bolus minutes)"
                )
            ),
        )
    first_cycle = table.integer("first_cycle", 1, MAX_CYCLES, default=1)
    last_cycle = table.optional_integer("last_cycle", first_cycle, MAX_CYCLES)
    if cycles is not None and first_cycle > cycles:
        raise Invalid(
            table.path("first_cycle"),
            problem(
                N_("cycle {cycle} does not exist: the phase has {cycles} cycles"),
                cycle=first_cycle,
                cycles=cycles,
            ),
        )
    if cycles is not None and last_cycle is not None and last_cycle > cycles:
        raise Invalid(
            table.path("last_cycle"),
            problem(
                N_("cycle {cycle} does not exist: the phase has {cycles} cycles"),
                cycle=last_cycle,
                cycles=cycles,
            ),
        )
    return Administration(
        agent=agent,
        route=route,
        days=days,
        infusion=infusion,
        observation=observation,
        continuous_hours=continuous,
        order=table.integer("order", 1, 20, default=1),
        first_cycle=first_cycle,
        last_cycle=last_cycle,
        note=table.optional_text("note"),
    )


def read_phase(table: Table, agents: Mapping[str, Agent]) -> Phase:
    table.check_keys(PHASE_KEYS)
    cycle_days = table.integer("cycle_days", 1, MAX_CYCLE_DAYS)
    cycles = table.optional_integer("cycles", 1, MAX_CYCLES)
    administrations = tuple(
        read_administration(adm, agents, cycle_days, cycles)
        for adm in table.tables("administrations")
    )
    if not any(a.starts_session and 1 in a.days and a.first_cycle == 1 for a in administrations):
        raise Invalid(
            table.path("administrations"),
            problem(
                N_(
                    "no drug given in the unit (IV, or an anticancer drug under the skin) "
                    "starts on day 1 of the first cycle: a phase begins with a day-hospital "
                    "session"
                )
            ),
        )
    return Phase(
        name=table.text("name"),
        cycle_days=cycle_days,
        cycles=cycles,
        administrations=administrations,
        gap_days=table.integer("gap_days", 0, MAX_GAP_DAYS, default=0),
    )


def read_source(table: Table) -> Source:
    table.check_keys(SOURCE_KEYS)
    url = table.string("url")
    if not url.startswith(("https://", "http://")):
        raise Invalid(table.path("url"), problem(N_("must be a web address (https://...)")))
    return Source(id=table.string("id"), title=table.string("title"), url=url)


def read_monitoring(table: Table, source_ids: set[str]) -> MonitoringRule:
    table.check_keys(MONITORING_KEYS)
    every_weeks = table.optional_integer("every_weeks", 1, 104)
    every_months = table.optional_integer("every_months", 1, 24)
    baseline = table.boolean("baseline", default=False)
    follow_cycles = table.boolean("follow_cycles", default=False)
    if (every_weeks is not None) + (every_months is not None) + baseline + follow_cycles != 1:
        raise Invalid(
            table.where,
            problem(
                N_(
                    "give exactly one of every_weeks, every_months, baseline = true or "
                    "follow_cycles = true"
                )
            ),
        )
    kind = table.choice("kind", MonitoringKind)
    before_c1 = table.boolean("result_before_c1", default=False)
    if before_c1 and not baseline:
        raise Invalid(
            table.path("result_before_c1"),
            problem(
                N_(
                    "only applies to a baseline check (baseline = true): a result needed "
                    "before C1 is that of a check done before the treatment starts"
                )
            ),
        )
    if before_c1 and kind not in ON_A_DAY_OF_THEIR_OWN:
        raise Invalid(
            table.path("result_before_c1"),
            problem(
                N_(
                    "does not apply to kind = '{kind}', which is checked with the session; "
                    "only a check done on a day of its own can go early enough for its result"
                ),
                kind=kind.value,
            ),
        )
    result_days = table.optional_integer("result_days", 1, MAX_RESULT_DAYS)
    if result_days is not None and not before_c1:
        raise Invalid(
            table.path("result_days"),
            problem(N_("only applies with result_before_c1 = true")),
        )
    sources = _sources_of(table, source_ids)
    return MonitoringRule(
        kind=kind,
        name=table.text("name"),
        every_weeks=every_weeks,
        every_months=every_months,
        baseline=baseline,
        sources=sources,
        follow_cycles=follow_cycles,
        result_before_c1=before_c1,
        result_days=result_days,
    )


def _sources_of(table: Table, source_ids: set[str]) -> tuple[str, ...]:
    sources = table.strings("sources")
    for source in sources:
        if source not in source_ids:
            raise Invalid(
                table.path("sources"),
                problem(N_("'{source}' is not the id of a [[sources]] block"), source=source),
            )
    return tuple(sources)


def read_premedication(table: Table, given: set[str], source_ids: set[str]) -> Premedication:
    table.check_keys(PREMEDICATION_KEYS)
    premedication_id = table.string("id")
    if not ID_PATTERN.match(premedication_id):
        raise Invalid(
            table.path("id"),
            problem(
                N_("'{id}' must be lowercase letters and digits joined by hyphens"),
                id=premedication_id,
            ),
        )
    agent = table.string("agent")
    if agent not in given:
        raise Invalid(
            table.path("agent"),
            problem(N_("'{inn}' is not given in any phase of this regimen"), inn=agent),
        )
    timing = table.choice("timing", PremedicationTiming)
    wanted = PREMEDICATION_FIELDS[timing]
    for key in ("days", "start_days_before", "stop_days_after", "first_days_before", "every_weeks"):
        if table.has(key) and key not in wanted:
            raise Invalid(
                table.path(key),
                problem(N_("does not apply to timing = '{timing}'"), timing=timing.value),
            )
        if key in wanted and not table.has(key):
            raise Invalid(table.path(key), problem(N_("is missing")))
    days: tuple[int, ...] = ()
    if timing is PremedicationTiming.EACH_DOSE:
        where = table.path("days")
        value = table.raw("days")
        if not isinstance(value, list) or not value:
            raise Invalid(where, problem(N_("must be a list of days such as [-1, 0, 1]")))
        days = tuple(check_integer(day, where, -7, 7) for day in value)
        if list(days) != sorted(set(days)):
            raise Invalid(where, problem(N_("days must be increasing, each listed once")))
    return Premedication(
        id=premedication_id,
        agent=agent,
        name=table.text("name"),
        timing=timing,
        days=days,
        start_days_before=table.optional_integer("start_days_before", 0, 60),
        stop_days_after=table.optional_integer("stop_days_after", 0, 120),
        first_days_before=table.optional_integer("first_days_before", 1, 60),
        every_weeks=table.optional_integer("every_weeks", 1, 52),
        sources=_sources_of(table, source_ids),
    )


def read_regimen(data: object, file_id: str, dictionary: Mapping[str, Agent]) -> Regimen:
    """A regimen from the parsed TOML of the file named ``<file_id>.toml``."""
    root = Table(data, "")
    root.check_keys(REGIMEN_KEYS)
    check_format(root, FORMAT)
    regimen_id = root.string("id")
    if not ID_PATTERN.match(regimen_id):
        raise Invalid(
            "id",
            problem(
                N_("'{id}' must be lowercase letters and digits joined by hyphens"),
                id=regimen_id,
            ),
        )
    if regimen_id != file_id:
        raise Invalid(
            "id",
            problem(
                N_("'{id}' must match the file name ({file_id}.toml)"),
                id=regimen_id,
                file_id=file_id,
            ),
        )
    name = root.text("name")
    indication = root.optional_text("indication")
    notes = root.optional_text("notes")
    confidence = root.choice("confidence", Confidence) if root.has("confidence") else None
    intent = root.choice("intent", Intent) if root.has("intent") else None
    imaging_weeks = root.optional_integer("response_imaging_weeks", 0, 52)
    fasting = root.boolean("fasting_blood_test", False)
    agents = {**dictionary, **read_agents(root, "agents")}
    phase_tables = root.tables("phases")
    phases = tuple(read_phase(table, agents) for table in phase_tables)
    for table, phase in zip(phase_tables[:-1], phases[:-1], strict=True):
        if phase.cycles is None:
            raise Invalid(
                table.path("cycles"),
                problem(N_("is missing: only the last phase may be open-ended")),
            )
    if phases[0].gap_days:
        raise Invalid(
            phase_tables[0].path("gap_days"),
            problem(
                N_(
                    "the first phase starts on the plan's start; a gap can only come "
                    "between two phases"
                )
            ),
        )
    sources = tuple(read_source(t) for t in root.tables("sources", required=False))
    source_ids: set[str] = set()
    for table, source in zip(root.tables("sources", required=False), sources, strict=True):
        if source.id in source_ids:
            raise Invalid(table.path("id"), problem(N_("'{id}' is used twice"), id=source.id))
        source_ids.add(source.id)
    given = {adm.agent.inn for phase in phases for adm in phase.administrations}
    caps: list[Cap] = []
    for table in root.tables("caps", required=False):
        table.check_keys(CAP_KEYS)
        inn = table.string("agent")
        if inn not in given:
            raise Invalid(
                table.path("agent"),
                problem(N_("'{inn}' is not given in any phase of this regimen"), inn=inn),
            )
        if any(cap.agent == inn for cap in caps):
            raise Invalid(table.path("agent"), problem(N_("'{inn}' is capped twice"), inn=inn))
        caps.append(
            Cap(
                agent=inn,
                max_administrations=table.integer("max", 1, MAX_CYCLES * 31),
                note=table.optional_text("note"),
            )
        )
    monitoring = tuple(
        read_monitoring(t, source_ids) for t in root.tables("monitoring", required=False)
    )
    premedications: list[Premedication] = []
    for table in root.tables("premedication", required=False):
        premedication = read_premedication(table, given, source_ids)
        if any(p.id == premedication.id for p in premedications):
            raise Invalid(
                table.path("id"), problem(N_("'{id}' is used twice"), id=premedication.id)
            )
        premedications.append(premedication)
    return Regimen(
        id=regimen_id,
        name=name,
        phases=phases,
        caps=tuple(caps),
        monitoring=monitoring,
        premedications=tuple(premedications),
        sources=sources,
        confidence=confidence,
        indication=indication,
        notes=notes,
        response_imaging_weeks=imaging_weeks,
        fasting_blood_test=fasting,
        intent=intent,
    )
