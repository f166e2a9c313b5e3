"""Words for domain values: why a date moved, what a warning means, the port advice.

The core returns codes and values; this module turns them into sentences in the current
display language (French or English), for the command line, the GUI and the exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from babel.numbers import format_decimal, format_percent

from planner.core.chairs import (
    MAX_CHAIRS,
    MAX_MOVE_MINUTES,
    MAX_NURSES,
    MAX_PREPARATIONS,
    MAX_STARTS_PER_NURSE,
    MAX_WEIGHT,
    Problem,
    ResourcesError,
    ResourcesProblem,
)
from planner.core.closures import ClosureCalendar, ClosureKind, ClosureSet
from planner.core.patient import Patient
from planner.core.plan_schedule import SkippedScan, is_before_c1
from planner.core.port import PortAdvice, PortCriterion, PortLevel, PortReason
from planner.core.regimen import Agent, AgentClass, Phase, Regimen, Route
from planner.core.schedule import (
    DelayReason,
    Event,
    EventKind,
    Move,
    Policy,
    Schedule,
    Session,
    SessionWarning,
)
from planner.core.settings import is_phone_number
from planner.core.text_fields import Field, FieldError
from planner.core.text_fields import Problem as TextProblem
from planner.core.text_fields import visible as visible_character
from planner.i18n import N_, _, format_date, language, ngettext, pgettext


def format_number(value: float) -> str:
    """A number the way the display language writes it, to one decimal at most:
    "6,2" in French, "6.2" in English; "6" rather than "6.0"."""
    return format_decimal(value, format="#,##0.#", locale=language())


def format_share(share: float) -> str:
    """A share of a whole as a percentage: "44 %" in French (with a non-breaking space),
    "44%" in English."""
    return format_percent(share, locale=language())


def cycle_day(cycle: int, day: int) -> str:
    """A cycle and its day, short: "C3 J1" in French, "C3 D1" in English."""
    return _("C{cycle} D{day}").format(cycle=cycle, day=day)


def labelled(label: str, text: str) -> str:
    """ "label: text", with the space French puts before the colon."""
    return _("{label}: {text}").format(label=label, text=text)


def duration_text(minutes: int) -> str:
    """ "45 min", "2 h", "3 h 15" """
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("{minutes} min").format(minutes=rest)
    if not rest:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes:02d}").format(hours=hours, minutes=rest)


def phase_cycles_text(phase: Phase, first: bool = True) -> str:
    """ "4 cycles of 21 days", "one cycle every 28 days", with the break before it
    (", after a break of 42 days") when the regimen puts one there."""
    if phase.cycles is None:
        text = _("one cycle every {days} days").format(days=phase.cycle_days)
    else:
        text = ngettext(
            "{count} cycle of {days} days", "{count} cycles of {days} days", phase.cycles
        ).format(count=phase.cycles, days=phase.cycle_days)
    if phase.gap_days and not first:
        text = ngettext(
            "{cycles}, after a break of {days} day",
            "{cycles}, after a break of {days} days",
            phase.gap_days,
        ).format(cycles=text, days=phase.gap_days)
    return text


def listed(parts: Iterable[str]) -> str:
    """Parts said one after the other, separated by semicolons: "a; b" ("a ; b" in French)."""
    return pgettext("between the parts of a list", "; ").join(parts)


POLICY_NAMES = {
    Policy.GRID: N_("grid (later dates stay on the planned grid)"),
    Policy.REANCHOR: N_("re-anchored (a moved cycle shifts the cycles after it)"),
}

CLOSURE_SET_NAMES = {
    ClosureSet.FR: N_("France: weekends and public holidays"),
    ClosureSet.FR_ALSACE_MOSELLE: N_(
        "Alsace-Moselle: weekends, public holidays, Good Friday and 26 December"
    ),
    ClosureSet.NONE: N_("none (every day open)"),
}

CLASS_NAMES = {
    AgentClass.CHEMOTHERAPY: N_("chemotherapy"),
    AgentClass.TARGETED: N_("targeted therapy"),
    AgentClass.IMMUNOTHERAPY: N_("immunotherapy"),
    AgentClass.SUPPORTIVE: N_("supportive care"),
}

PORT_LEVEL_NAMES = {
    PortLevel.REQUIRED: N_("required"),
    PortLevel.RECOMMENDED: N_("recommended"),
    PortLevel.CONSIDER: N_("to consider"),
    PortLevel.NOT_NEEDED: N_("not needed"),
}

FAMILY_NAMES = {
    "5-FU modulator": N_("5-FU modulator"),
    "G-CSF": N_("G-CSF"),
    "IV hydration": N_("IV hydration"),
    "alkylating agent": N_("alkylating agent"),
    "anthracycline": N_("anthracycline"),
    "anti-CTLA-4": N_("anti-CTLA-4"),
    "anti-EGFR": N_("anti-EGFR"),
    "anti-HER2": N_("anti-HER2"),
    "anti-PD-1": N_("anti-PD-1"),
    "anti-LAG-3": N_("anti-LAG-3"),
    "anti-PD-L1": N_("anti-PD-L1"),
    "antibody-drug conjugate": N_("antibody-drug conjugate"),
    "anti-VEGF": N_("anti-VEGF"),
    "antimetabolite": N_("antimetabolite"),
    "kinase inhibitor": N_("kinase inhibitor"),
    "platinum": N_("platinum salt"),
    "taxane": N_("taxane"),
    "topoisomerase inhibitor": N_("topoisomerase inhibitor"),
    "vinca alkaloid": N_("vinca alkaloid"),
}
"""The pharmacological families of the bundled drugs (agents.toml), named for readers; a
family a centre adds in its own files is shown as written."""

VESICANT_FAMILIES = frozenset({"anthracycline", "taxane", "vinca alkaloid"})
"""The families the bundled port rules name because their drugs are vesicants."""

CONJUGATE_FAMILY = "antibody-drug conjugate"
"""The family the bundled port rules name because its drugs carry a cytotoxic payload."""

WARNING_TEXTS = {
    SessionWarning.NO_LAB_DAY: N_(
        "no laboratory day in the blood-test window before this session: arrange the test"
    ),
    SessionWarning.AFTER_PREVIOUS_SESSION: N_(
        "placed after the previous session, which a closure had pushed to the same day or later"
    ),
}

EVENT_NAMES = {
    EventKind.LAB: N_("Blood test"),
    EventKind.PUMP_DISCONNECT: N_("Pump disconnection"),
    EventKind.MONITORING: N_("Check-up"),
    EventKind.IMAGING: N_("Response imaging (scan)"),
    EventKind.CONSULTATION: N_("Consultation with the oncologist"),
    EventKind.PREMEDICATION: N_("Premedication"),
    EventKind.PORT_PLACEMENT: N_("Placement of the implantable port"),
    EventKind.CONFIRMATION_SCAN: N_("Confirmation scan"),
}

DELAY_REASONS = {
    DelayReason.TOXICITY: N_("toxicity"),
    DelayReason.PATIENT_REQUEST: N_("patient's request"),
    DelayReason.CAPACITY: N_("unit capacity"),
    DelayReason.OTHER: N_("other reason"),
}


def policy_name(policy: Policy) -> str:
    return _(POLICY_NAMES[policy])


def closure_set_name(closure_set: ClosureSet) -> str:
    return _(CLOSURE_SET_NAMES[closure_set])


def class_name(agent_class: AgentClass) -> str:
    return _(CLASS_NAMES[agent_class])


def family_name(family: str) -> str:
    known = FAMILY_NAMES.get(family)
    return _(known) if known is not None else family


def port_level_name(level: PortLevel) -> str:
    return _(PORT_LEVEL_NAMES[level])


def warning_text(warning: SessionWarning) -> str:
    return _(WARNING_TEXTS[warning])


def event_name(kind: EventKind) -> str:
    return _(EVENT_NAMES[kind])


def delay_reason_name(reason: DelayReason) -> str:
    return _(DELAY_REASONS[reason])


def phase_name(regimen: Regimen, phase: int) -> str:
    """The name of the regimen's phase numbered ``phase`` from 1 ("Induction"); "phase 4"
    for a number the regimen does not have (a change read from an altered database)."""
    if 1 <= phase <= len(regimen.phases):
        return regimen.phases[phase - 1].name.get(language())
    return _("phase {phase}").format(phase=phase)


def session_name(regimen: Regimen, key: tuple[int, int, int]) -> str:
    """ "Maintenance · C2 · D1" """
    phase, cycle, day = key
    return _("{phase} · C{cycle} · D{day}").format(
        phase=phase_name(regimen, phase), cycle=cycle, day=day
    )


def short_session_name(regimen: Regimen, key: tuple[int, int, int]) -> str:
    """ "C3 D1" ("C3 J1" in French); with the phase when the regimen has several
    ("Maintenance C2 D1")."""
    phase, cycle, day = key
    short = cycle_day(cycle, day)
    if len(regimen.phases) == 1:
        return short
    return f"{phase_name(regimen, phase)} {short}"


def _relative_day(offset: int) -> str:
    """When a premedication is taken, relative to the session it goes with."""
    if offset == 0:
        return _("the day of the session")
    if offset == -1:
        return _("the day before the session")
    if offset == 1:
        return _("the day after the session")
    if offset < 0:
        return ngettext(
            "{n} day before the session", "{n} days before the session", -offset
        ).format(n=-offset)
    return ngettext("{n} day after the session", "{n} days after the session", offset).format(
        n=offset
    )


def _range_start(offset: int) -> str:
    """Where a run of days around the session starts, with its preposition: each language
    joins it to its article its own way ("from the day of", "du jour de")."""
    if offset == 0:
        return _("from the day of the session")
    if offset == -1:
        return _("from the day before the session")
    if offset == 1:
        return _("from the day after the session")
    if offset < 0:
        return ngettext(
            "from {n} day before the session", "from {n} days before the session", -offset
        ).format(n=-offset)
    return ngettext(
        "from {n} day after the session", "from {n} days after the session", offset
    ).format(n=offset)


def _range_end(offset: int) -> str:
    """Where a run of days around the session ends, with its preposition ("to the day of",
    "jusqu'au jour de")."""
    if offset == 0:
        return _("to the day of the session")
    if offset == -1:
        return _("to the day before the session")
    if offset == 1:
        return _("to the day after the session")
    if offset < 0:
        return ngettext(
            "to {n} day before the session", "to {n} days before the session", -offset
        ).format(n=-offset)
    return ngettext("to {n} day after the session", "to {n} days after the session", offset).format(
        n=offset
    )


def _relative_days(first: int, last: int) -> str:
    """Days around the session in words: "the day before and the day of the session"."""
    if first == last:
        return _relative_day(first)
    if (first, last) == (-1, 0):
        return _("the day before and the day of the session")
    if (first, last) == (-1, 1):
        return _("the day before, the day of and the day after the session")
    if (first, last) == (0, 1):
        return _("the day of and the day after the session")
    if first == 0:
        return ngettext(
            "the day of the session and the {n} day after it",
            "the day of the session and the {n} days after it",
            last,
        ).format(n=last)
    if last == 0:
        return ngettext(
            "the {n} day before the session and the day of the session",
            "the {n} days before the session and the day of the session",
            -first,
        ).format(n=-first)
    return _("{start} {end}").format(start=_range_start(first), end=_range_end(last))


def event_text(event: Event) -> str:
    """What an event is, in words: its kind, and what exactly when it says."""
    lang = language()
    name = event_name(event.kind)
    if event.kind is EventKind.MONITORING and event.label is not None:
        if is_before_c1(event):
            return _("{check} — result needed before the first session").format(
                check=event.label.get(lang)
            )
        return event.label.get(lang)
    if event.kind is EventKind.PREMEDICATION and event.label is not None:
        when = event.code.rsplit(":", 1)[-1]
        label = event.label.get(lang)
        if when == "start":
            return _("Start: {premedication}").format(premedication=label)
        if when == "stop":
            return _("Last day: {premedication}").format(premedication=label)
        parts = event.code.split(":")
        if len(parts) == 3:  # id:first:last, days around the session
            return f"{label} — {_relative_days(int(parts[1]), int(parts[2]))}"
        return label
    if event.kind is EventKind.CONSULTATION and event.label is not None:
        return f"{name} ({event.label.get(lang)})"
    if event.kind is EventKind.CONFIRMATION_SCAN:
        return _("Confirmation scan (progression suspected on the imaging of {date})").format(
            date=format_date(date.fromisoformat(event.code))
        )
    if event.kind is EventKind.CONSULTATION and event.code.startswith("progression:"):
        return _("Consultation: result of the confirmation scan")
    return name


def agent_name(regimen: Regimen, inn: str) -> str:
    """A drug of the regimen by its name in the display language ("carboplatine" for
    carboplatin); a drug the regimen does not know by its INN."""
    for agent in regimen.agents:
        if agent.inn == inn:
            return agent.name.get(language())
    return inn


def agent_names(agents: tuple[Agent, ...] | list[Agent]) -> str:
    lang = language()
    return ", ".join(agent.name.get(lang) for agent in agents)


def session_agents(session: Session) -> str:
    """The drugs of a session by name, in order of administration; a drug injected under
    the skin says so ("trastuzumab (under the skin)"), for the nurse and the patient."""
    lang = language()
    names: list[str] = []
    for dose in sorted(session.doses, key=lambda d: d.administration.order):
        name = dose.administration.agent.name.get(lang)
        if dose.administration.route is Route.SC:
            name = _("{drug} (under the skin)").format(drug=name)
        if name not in names:
            names.append(name)
    return ", ".join(names)


def _move_reason(move: Move) -> str:
    if move.previous is not None:
        return _("the previous session is on {date}").format(date=format_date(move.previous))
    closure = move.closure
    if closure is None or closure.kind is ClosureKind.WEEKEND:
        return _("weekend")
    if closure.kind is ClosureKind.PUBLIC_HOLIDAY:
        name = closure.name.get(language()) if closure.name else ""
        return _("{holiday} (public holiday)").format(holiday=name)
    if closure.name:
        return _("unit closed: {label}").format(label=closure.name.get(language()))
    return _("unit closed")


def move_explanation(session: Session) -> str:
    """Why a session is not on its planned date ("" when it is).

    "moved from Fri 26 Mar 2027: Good Friday (public holiday); weekend; Mon 29 Mar 2027:
    Easter Monday (public holiday)"
    """
    if not session.moves:
        return ""
    reasons: list[str] = []
    for move in session.moves:
        reason = _move_reason(move)
        dated = move.closure is not None and move.closure.kind is not ClosureKind.WEEKEND
        if dated and move.blocked != session.planned:
            reason = labelled(format_date(move.blocked), reason)
        if reason not in reasons:
            reasons.append(reason)
    return _("moved from {planned}: {reasons}").format(
        planned=format_date(session.planned), reasons=listed(reasons)
    )


def session_notes(session: Session, regimen: Regimen | None = None) -> list[str]:
    """Why a session is where it is, and what happened to it; with its ``regimen``, also
    the break the regimen puts before a phase (surgery before adjuvant treatment)."""
    notes: list[str] = []
    if regimen is not None and session.cycle == 1 and session.day == 1 and session.phase > 1:
        gap = (
            regimen.phases[session.phase - 1].gap_days
            if session.phase <= len(regimen.phases)
            else 0
        )
        if gap:
            notes.append(
                ngettext(
                    "the regimen leaves {days} day between the previous phase and this one",
                    "the regimen leaves {days} days between the previous phase and this one",
                    gap,
                ).format(days=gap)
            )
    change = session.rescheduled
    if change is not None:
        if change.moved_from is not None:
            notes.append(
                _("delayed from {before} ({reason})").format(
                    before=format_date(change.moved_from),
                    reason=delay_reason_name(change.reason),
                )
            )
        else:
            notes.append(_("delayed ({reason})").format(reason=delay_reason_name(change.reason)))
    if session.moves:
        notes.append(move_explanation(session))
    if session.given_on is not None:
        notes.append(_("given on {date}").format(date=format_date(session.given_on)))
    if session.omitted:
        names = ", ".join(
            dict.fromkeys(d.administration.agent.name.get(language()) for d in session.omitted)
        )
        if session.doses:
            notes.append(_("not given: {agents}").format(agents=names))
        else:
            notes.append(_("session not given ({agents})").format(agents=names))
    notes.extend(warning_text(w) for w in session.warnings)
    return notes


def port_reason_text(reason: PortReason, advice: PortAdvice) -> str:
    names = agent_names(reason.agents)
    if reason.rule is None:
        if advice.subcutaneous_only:
            return _(
                "{agents}: injected under the skin in the day hospital, not into a vein: no "
                "port is needed."
            ).format(agents=names)
        if advice.immunotherapy_only:
            return _(
                "Immunotherapy alone ({agents}) is given in short infusions into a vein of the "
                "arm: no port is needed."
            ).format(agents=names)
        return _(
            "No continuous infusion, no vesicant-family drug and no IV chemotherapy "
            "({agents}): a peripheral vein is enough."
        ).format(agents=names)
    criterion = reason.rule.criterion
    if criterion is PortCriterion.CONTINUOUS_INFUSION:
        return ngettext(
            "{agents} runs as a {hours}-hour continuous infusion through an ambulatory pump, "
            "which needs a central venous access.",
            "{agents} run as continuous infusions (up to {hours} hours) through an ambulatory "
            "pump, which needs a central venous access.",
            len(reason.agents),
        ).format(agents=names, hours=reason.continuous_hours)
    if criterion is PortCriterion.FAMILY:
        found = sorted({a.family for a in reason.agents})
        families = ", ".join(family_name(f) for f in found)
        if found == [CONJUGATE_FAMILY]:
            return ngettext(
                "{agents} ({families}) brings a chemotherapy into the tumour cells, infusion "
                "after infusion over months; a port is worth discussing for a long course or "
                "poor veins.",
                "{agents} ({families}) bring a chemotherapy into the tumour cells, infusion "
                "after infusion over months; a port is worth discussing for a long course or "
                "poor veins.",
                len(reason.agents),
            ).format(agents=names, families=families)
        if not set(found) <= VESICANT_FAMILIES:
            # A centre's own rule: say which rule, not why vesicants need a port.
            return ngettext(
                "{agents} ({families}): the unit's port rules name this family.",
                "{agents} ({families}): the unit's port rules name these families.",
                len(found),
            ).format(agents=names, families=families)
        return ngettext(
            "{agents} ({families}) can damage the tissues if it leaks out of the vein; a port "
            "protects the veins over repeated infusions.",
            "{agents} ({families}) can damage the tissues if they leak out of the vein; a port "
            "protects the veins over repeated infusions.",
            len(reason.agents),
        ).format(agents=names, families=families)
    rule = reason.rule
    if rule.classes != {AgentClass.CHEMOTHERAPY} or rule.route not in (None, Route.IV):
        classes = ", ".join(sorted({class_name(a.agent_class) for a in reason.agents}))
        return _("{agents} ({classes}): the unit's port rules name this kind of drug.").format(
            agents=names, classes=classes
        )
    return _(
        "{agents}: IV chemotherapy; a port is worth discussing for a course of more than "
        "3 months or poor veins."
    ).format(agents=names)


def port_reasons(advice: PortAdvice) -> list[str]:
    return [port_reason_text(reason, advice) for reason in advice.reasons]


def regimen_classes(regimen: Regimen) -> str:
    order = [AgentClass.CHEMOTHERAPY, AgentClass.TARGETED, AgentClass.IMMUNOTHERAPY]
    return ", ".join(class_name(c) for c in order if c in regimen.classes)


def pump_note(day: date, calendar: ClosureCalendar) -> str:
    """A pump that comes off on a closed day needs a home nurse."""
    if calendar.is_open(day):
        return ""
    return _("the unit is closed that day: arrange a home nurse")


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One line of a schedule read by a person: a session or an event, in words."""

    item: Session | Event
    date: str
    what: str
    where: str
    """Phase, cycle and day of a session ("Induction · C2 · D1"); empty for an event."""
    notes: str
    """Why a session moved and its warnings; for a pump disconnection, a closed unit; for a
    blood test on the session's day, that the unit takes it."""


# A day's entries: what to do before the session, the session, then what comes after it.
_RANK = {
    EventKind.PORT_PLACEMENT: 0,
    EventKind.PREMEDICATION: 1,
    EventKind.LAB: 2,
    EventKind.MONITORING: 3,
    EventKind.IMAGING: 4,
    EventKind.CONFIRMATION_SCAN: 5,
    EventKind.CONSULTATION: 6,
    EventKind.PUMP_DISCONNECT: 8,
}
_SESSION_RANK = 7


def skipped_scans_text(skipped: Sequence[SkippedScan]) -> str:
    """Why routine response scans are not planned after a suspected progression (the
    confirmation scan's note): "instead of the response scan of Fri 7 May 2027, which would
    come less than 4 weeks after the imaging of Fri 30 Apr 2027: iRECIST disregards such a
    scan"."""
    return ngettext(
        "instead of the response scan of {dates}, which would come less than 4 weeks after "
        "the imaging of {imaging}: iRECIST disregards such a scan",
        "instead of the response scans of {dates}, which would come less than 4 weeks after "
        "the imaging of {imaging}: iRECIST disregards such scans",
        len(skipped),
    ).format(
        dates=listed(format_date(s.day) for s in skipped),
        imaging=format_date(skipped[0].progression),
    )


def lines(
    regimen: Regimen,
    sessions: tuple[Session, ...],
    events: tuple[Event, ...],
    calendar: ClosureCalendar,
    skipped: Sequence[SkippedScan] = (),
) -> list[ScheduleLine]:
    """Every session and event in date order, in words. ``skipped``: the routine response
    scans left out after a suspected progression, said on its confirmation scan's line."""
    keyed: list[tuple[date, int, ScheduleLine]] = []
    for event in events:
        note = ""
        if event.kind is EventKind.PUMP_DISCONNECT:
            note = pump_note(event.date, calendar)
        elif event.kind is EventKind.CONFIRMATION_SCAN:
            instead = [s for s in skipped if s.progression.isoformat() == event.code]
            note = skipped_scans_text(instead) if instead else ""
        elif event.kind is EventKind.LAB and event.date == sessions[event.session].date:
            note = _("taken in the unit on arrival; the session starts once the result is known")
        line = ScheduleLine(event, format_date(event.date), event_text(event), "", note)
        keyed.append((event.date, _RANK[event.kind], line))
    for session in sessions:
        what = _("Session: {agents}").format(agents=session_agents(session))
        if not session.doses:
            what = _("Session not given")
        line = ScheduleLine(
            session,
            format_date(session.date),
            what,
            session_name(regimen, session.key),
            " / ".join(session_notes(session, regimen)),
        )
        keyed.append((session.date, _SESSION_RANK, line))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [line for _day, _rank, line in keyed]


def schedule_lines(schedule: Schedule) -> list[ScheduleLine]:
    """Every session and event of a schedule in date order: a blood test before its
    session, a pump disconnection after it."""
    return lines(schedule.regimen, schedule.sessions, schedule.events, schedule.calendar)


def initials(patient: Patient) -> str:
    """Given names first, as people say them: MARTIN Jeanne -> "J. M."; LE GOFF Jean-Pierre
    -> "J.-P. L. G."; a name kept whole, in its own order."""
    words = []
    for word in f"{patient.given_names} {patient.family_name}".split():
        parts = [part[0].upper() + "." for part in word.split("-") if part]
        if parts:
            words.append("-".join(parts))
    return " ".join(words)


RESOURCES_PROBLEMS = {
    ResourcesProblem.NO_CHAIR: N_("The unit needs at least one chair or bed."),
    ResourcesProblem.UNNAMED_CHAIR: N_("Every chair needs a name."),
    ResourcesProblem.SAME_NAME: N_("Two chairs have the same name."),
    ResourcesProblem.WEEK: N_("Opening hours are given for the seven days of the week."),
    ResourcesProblem.SLOT: N_("The slot size divides an hour: 5, 10, 15, 20, 30 or 60 minutes."),
    ResourcesProblem.CLOSES_BEFORE_OPENING: N_("A day closes after it opens."),
    ResourcesProblem.OFF_GRID: N_("Opening and closing times fall on the slot grid."),
    ResourcesProblem.NO_NURSE: N_("At least one nurse, starting at least one infusion per slot."),
    ResourcesProblem.FIXED_TIME: N_("Fixed times are between 0 and 240 minutes."),
    ResourcesProblem.TOO_MANY_CHAIRS: N_("At most {limit} chairs and beds, not {value}."),
    ResourcesProblem.TOO_MANY_NURSES: N_("At most {limit} nurses, not {value}."),
    ResourcesProblem.TOO_MANY_STARTS: N_(
        "A nurse starts at most {limit} infusions per slot, not {value}."
    ),
    ResourcesProblem.PHARMACY: N_(
        "The pharmacy prepares from 1 to {limit} preparations per slot on each day of the "
        "week, or is not limited."
    ),
    ResourcesProblem.LAB_RESULT: N_(
        "The start after a same-day blood test falls on the slot grid."
    ),
    ResourcesProblem.MOVE: N_(
        "A booking given to a patient is moved by 0 to {limit} minutes, not {value}."
    ),
    ResourcesProblem.WEIGHT: N_("The optimiser's weights are from 0 to {limit}, not {value}."),
}
RESOURCES_LIMITS = {
    ResourcesProblem.TOO_MANY_CHAIRS: MAX_CHAIRS,
    ResourcesProblem.TOO_MANY_NURSES: MAX_NURSES,
    ResourcesProblem.TOO_MANY_STARTS: MAX_STARTS_PER_NURSE,
    ResourcesProblem.PHARMACY: MAX_PREPARATIONS,
    ResourcesProblem.MOVE: MAX_MOVE_MINUTES,
    ResourcesProblem.WEIGHT: MAX_WEIGHT,
}


def resources_problem_text(error: ResourcesError) -> str:
    """Why the resources cannot describe a unit, with the bound passed and the value given
    (the pharmacy's problem gives no value: one of seven days is wrong)."""
    text = _(RESOURCES_PROBLEMS[error.problem])
    limit = RESOURCES_LIMITS.get(error.problem)
    if limit is None:
        return text
    value = "" if error.value is None else format_number(error.value)
    return text.format(limit=format_number(limit), value=value)


BOOKING_PROBLEMS = {
    Problem.CLOSED: N_("the unit is closed that day"),
    Problem.HOURS: N_("outside the opening hours"),
    Problem.CHAIR: N_("the chair is taken at that time"),
    Problem.NURSES: N_(
        "more infusions start in that slot than the nurses can start or the pharmacy prepare"
    ),
    Problem.UNKNOWN_CHAIR: N_("the unit has no such chair any more"),
    Problem.MOVED: N_("the session moved"),
    Problem.GONE: N_("the session is no longer planned"),
}


def booking_problem_text(problem: Problem) -> str:
    return _(BOOKING_PROBLEMS[problem])


def phone_problem(text: str) -> str:
    """Why ``text`` cannot be the unit's telephone number ("" when it can): the one check of
    the welcome dialog, the settings dialog and ``unit settings --phone``."""
    if not text.strip():
        return _("Give the unit's telephone number: patients call it about their treatment.")
    if is_phone_number(text):
        return ""
    return _(
        "“{phone}” is not a telephone number: write a French number of 10 digits "
        "(01 23 45 67 89) or an international one starting with + (+33 1 23 45 67 89)."
    ).format(phone=text.strip())


# ---------------------------------------------------------------- typed texts

FIELD_NAMES = {
    Field.FAMILY_NAME: N_("family name"),
    Field.GIVEN_NAMES: N_("given names"),
    Field.HOSPITAL_NUMBER: N_("hospital number"),
    Field.CONTACT: N_("contact for reminders"),
    Field.NOTE: N_("note"),
    Field.AUTHOR: N_("author"),
    Field.CLINICIAN: N_("clinician"),
    Field.UNIT_NAME: N_("unit name"),
    Field.UNIT_ADDRESS: N_("unit address"),
    Field.UNIT_PHONE: N_("unit telephone"),
    Field.CHAIR_NAME: N_("chair or bed name"),
    Field.CLOSURE_LABEL: N_("name of the closed day"),
    Field.SOURCE: N_("source"),
}

TEXT_PROBLEMS = {
    TextProblem.EMPTY: N_("it cannot be left empty"),
    TextProblem.TOO_LONG: N_("at most {limit} characters"),
    TextProblem.LINE_BREAK: N_("it must fit on one line (it holds a line break)"),
    TextProblem.TOO_MANY_LINES: N_("at most {limit} lines"),
    TextProblem.CONTROL: N_("it holds an invisible control character ({character}): remove it"),
    TextProblem.FORMULA: N_(
        "it cannot start with {character} (a spreadsheet would read a formula)"
    ),
}


def field_name(field: Field) -> str:
    return _(FIELD_NAMES[field])


def text_problem(error: FieldError) -> str:
    """What is wrong with a refused text, without naming the field."""
    character = error.character
    if character and error.problem is not TextProblem.FORMULA:
        character = visible_character(character)
    return _(TEXT_PROBLEMS[error.problem]).format(limit=error.limit, character=character)


def field_error_text(error: FieldError) -> str:
    """A refused text in words naming the field: "Family name: at most 80 characters"."""
    name = field_name(error.field)
    return labelled(name[:1].upper() + name[1:], text_problem(error))
