"""Regimens: drugs, how and when each is given, phases, caps, monitoring and sources.

A regimen is a protocol (for example mFOLFOX6 or CheckMate 067), not a prescription: it
carries no doses to calculate, only what scheduling needs: which drug starts on which day of
a cycle, by which route, for how long, in which phase, and how many times in all.

Day numbers are 1-based within a cycle (D1 is the first day), as in published protocols.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from planner.core.text import Text


class AgentClass(StrEnum):
    CHEMOTHERAPY = "chemotherapy"
    TARGETED = "targeted"
    IMMUNOTHERAPY = "immunotherapy"
    SUPPORTIVE = "supportive"


class Route(StrEnum):
    IV = "IV"
    SC = "SC"
    ORAL = "oral"


class Extravasation(StrEnum):
    """How a drug harms tissue when it leaks out of the vein (drives venous access advice)."""

    VESICANT = "vesicant"
    IRRITANT = "irritant"
    NON_VESICANT = "non-vesicant"


class Confidence(StrEnum):
    """How well the regimen's facts are sourced (from the reference compilation)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Intent(StrEnum):
    """What a treatment is given for: whether there is disease whose response imaging can
    measure (RECIST 1.1, Eisenhauer et al., Eur J Cancer 2009: response is assessed on
    measurable disease)."""

    ADJUVANT = "adjuvant"
    """After surgery: no tumour is left to measure (ESMO early breast 2019, localised colon
    2020: follow-up, not response scans)."""
    NEOADJUVANT = "neoadjuvant"
    """Before surgery: the response is judged at surgery, on the specimen (pathology)."""
    PERIOPERATIVE = "perioperative"
    """Around surgery: before it, after it, or both (KEYNOTE-522)."""
    ADVANCED = "advanced"
    """Locally advanced or metastatic disease: response imaging every so many weeks."""

    @property
    def measures_response(self) -> bool:
        return self is Intent.ADVANCED


class MonitoringKind(StrEnum):
    THYROID = "thyroid"
    CARDIAC = "cardiac"
    IMAGING = "imaging"
    CONSULTATION = "consultation"
    ENDOSCOPY = "endoscopy"
    CHEST_XRAY = "chest-xray"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Agent:
    """A drug, named by its INN in lowercase English ("fluorouracil", "folinic acid")."""

    inn: str
    name: Text
    agent_class: AgentClass
    family: str
    """Pharmacological family ("taxane", "anthracycline", "anti-PD-1"...): port rules use it."""
    extravasation: Extravasation | None = None
    """None when the sources behind the catalogue do not say."""


@dataclass(frozen=True, slots=True)
class Minutes:
    """A duration in minutes for the first administration of a drug in a plan, its second
    when the label gives one, and later ones (bevacizumab: 90, then 60, then 30 minutes)."""

    first: int
    later: int
    second: int | None = None
    """The second administration; None: as the later ones."""

    def for_administration(self, nth: int) -> int:
        """The minutes of the drug's ``nth`` administration in the plan (1 the first)."""
        if nth <= 1:
            return self.first
        if nth == 2 and self.second is not None:
            return self.second
        return self.later


@dataclass(frozen=True, slots=True)
class Administration:
    """One drug given in a phase: on which days of each cycle, how, and for how long."""

    agent: Agent
    route: Route
    days: tuple[int, ...]
    """Days of the cycle (1-based, increasing) on which the drug is started."""
    infusion: Minutes | None = None
    """Infusion time (IV) or injection time (SC in the unit); None for an IV push or short
    bolus (the file says ``push = true``; booked for the unit's bolus minutes), a continuous
    pump, or a drug taken at home."""
    observation: Minutes | None = None
    """Observation after the infusion or injection before the next drug or discharge."""
    continuous_hours: int | None = None
    """A continuous infusion by ambulatory pump started on each of ``days`` (46 for 5-FU)."""
    order: int = 1
    """Order of administration on the day (1 first); equal orders run concurrently."""
    first_cycle: int = 1
    last_cycle: int | None = None
    """Limits inside the phase: the drug is given only in cycles first_cycle..last_cycle."""
    note: Text | None = None

    @property
    def starts_session(self) -> bool:
        """A day-hospital session is a day on which a drug is given in the unit: an IV
        administration, or an anticancer drug injected under the skin (trastuzumab SC,
        Phesgo, the SC checkpoint inhibitors). A supportive injection (pegfilgrastim) is
        given at home, and oral drugs are taken at home."""
        if self.route is Route.IV:
            return True
        return self.route is Route.SC and self.agent.agent_class is not AgentClass.SUPPORTIVE

    @property
    def pump_days(self) -> int | None:
        """Days from connection to disconnection of a pump: ceil(hours / 24).

        A 46-h pump connected on D1 is disconnected on D3 (D1 + 2), a 96-h pump on D5.
        """
        if self.continuous_hours is None:
            return None
        return math.ceil(self.continuous_hours / 24)

    def given_in_cycle(self, cycle: int) -> bool:
        return cycle >= self.first_cycle and (self.last_cycle is None or cycle <= self.last_cycle)


@dataclass(frozen=True, slots=True)
class Phase:
    """Consecutive cycles of the same length and content (induction, maintenance...)."""

    name: Text
    cycle_days: int
    cycles: int | None
    """Number of cycles; None for an open-ended phase (until progression or a cap)."""
    administrations: tuple[Administration, ...]
    gap_days: int = 0
    """Days without treatment between the previous phase and this one (surgery between
    neoadjuvant and adjuvant treatment): this phase's first day is the previous phase's last
    cycle day 1, plus that cycle's length, plus ``gap_days``."""

    @property
    def session_days(self) -> tuple[int, ...]:
        """Days of a cycle on which at least one IV administration starts (before limits)."""
        return tuple(sorted({d for a in self.administrations if a.starts_session for d in a.days}))


@dataclass(frozen=True, slots=True)
class Cap:
    """A regimen-wide ceiling on a drug's administrations, across phases (pembrolizumab 35)."""

    agent: str
    max_administrations: int
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class MonitoringRule:
    """A check that the treatment calls for: at baseline, every so many weeks or months, or
    following the cycles."""

    kind: MonitoringKind
    name: Text
    every_weeks: int | None = None
    every_months: int | None = None
    baseline: bool = False
    sources: tuple[str, ...] = ()
    follow_cycles: bool = False
    """With the first session of every cycle of 3 weeks or more, of every other 2-week cycle
    (see :func:`cycles_between_checks`)."""
    result_before_c1: bool = False
    """A baseline check whose result must be known before C1 (the DPD deficiency test before
    a fluoropyrimidine, HAS/INCa 2018; LVEF before an anthracycline or an anti-HER2 drug): it
    is planned early enough for its result, and a start that leaves too little time is not
    offered."""
    result_days: int | None = None
    """With ``result_before_c1``: how many days the result takes (uracilaemia: about 10);
    None for an exam whose report is ready within the usual two days."""


CHECK_SPAN_DAYS = 28
"""A check that follows the cycles comes with every cycle, or with every k-th when cycles are
short, k cycles spanning at most 4 weeks (ASCO 2018: TSH every 4 to 6 weeks)."""


def cycles_between_checks(cycle_days: int) -> int:
    """How many cycles apart a check that follows the cycles comes: 1 for cycles of 15 days
    or more (3-, 4- and 6-weekly: every cycle), 2 for 2-weekly cycles, 4 for weekly ones."""
    return max(1, CHECK_SPAN_DAYS // cycle_days)


class PremedicationTiming(StrEnum):
    EACH_DOSE = "each-dose"
    """On given days around every dose of the drug (dexamethasone the day before, of, after)."""
    COURSE = "course"
    """Every day from some days before the first dose to some days after the last (folic acid)."""
    PERIODIC = "periodic"
    """Once in the days before the first dose, then every so many weeks (vitamin B12)."""


@dataclass(frozen=True, slots=True)
class Premedication:
    """Something the patient takes at home because of a drug: a reminder, not a session."""

    id: str
    """Short and stable ("folic-acid"): calendar entries are named after it."""
    agent: str
    """The INN of the drug it goes with."""
    name: Text
    timing: PremedicationTiming
    days: tuple[int, ...] = ()
    """each-dose: days relative to each dose (-1 the day before, 0 the day itself, 1 after)."""
    start_days_before: int | None = None
    """course: starts this many days before the first dose."""
    stop_days_after: int | None = None
    """course: ends this many days after the last dose."""
    first_days_before: int | None = None
    """periodic: once within this many days before the first dose."""
    every_weeks: int | None = None
    """periodic: then every so many weeks, with the session on or after that date."""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Regimen:
    id: str
    name: Text
    phases: tuple[Phase, ...]
    caps: tuple[Cap, ...] = ()
    monitoring: tuple[MonitoringRule, ...] = ()
    premedications: tuple[Premedication, ...] = ()
    sources: tuple[Source, ...] = ()
    confidence: Confidence | None = None
    """How well sourced the facts are; None when the file does not say."""
    indication: Text | None = None
    notes: Text | None = None
    response_imaging_weeks: int | None = None
    """Weeks between response scans; 0 for none; None for the default of its intent."""
    fasting_blood_test: bool = False
    """The blood test before each session is taken fasting (the patient is told so)."""
    intent: Intent | None = None
    """What it is given for; None when the file does not say (response imaging is planned)."""

    @property
    def agents(self) -> tuple[Agent, ...]:
        """Every drug of the regimen, once each, in order of first appearance."""
        seen: dict[str, Agent] = {}
        for phase in self.phases:
            for adm in phase.administrations:
                seen.setdefault(adm.agent.inn, adm.agent)
        return tuple(seen.values())

    @property
    def administrations(self) -> tuple[Administration, ...]:
        return tuple(adm for phase in self.phases for adm in phase.administrations)

    @property
    def active_agents(self) -> tuple[Agent, ...]:
        """Anticancer drugs: everything but supportive care (G-CSF...)."""
        return tuple(a for a in self.agents if a.agent_class is not AgentClass.SUPPORTIVE)

    @property
    def subcutaneous_only(self) -> bool:
        """Every anticancer drug is injected under the skin: no vein is used for them."""
        active = {
            a.agent.inn
            for a in self.administrations
            if a.agent.agent_class is not AgentClass.SUPPORTIVE
        }
        return bool(active) and all(
            adm.route is Route.SC for adm in self.administrations if adm.agent.inn in active
        )

    @property
    def classes(self) -> frozenset[AgentClass]:
        return frozenset(a.agent_class for a in self.active_agents)

    @property
    def is_monotherapy(self) -> bool:
        return len(self.active_agents) == 1

    @property
    def is_dual_immunotherapy(self) -> bool:
        immuno = [a for a in self.active_agents if a.agent_class is AgentClass.IMMUNOTHERAPY]
        return len(immuno) >= 2

    @property
    def has_immunotherapy(self) -> bool:
        return AgentClass.IMMUNOTHERAPY in self.classes

    @property
    def measures_response(self) -> bool:
        """Disease is there to measure (response imaging, iRECIST): as the intent says;
        without one, unless the file asks for no response imaging at all."""
        if self.intent is not None:
            return self.intent.measures_response
        return self.response_imaging_weeks != 0

    @property
    def is_open_ended(self) -> bool:
        return self.phases[-1].cycles is None

    def last_dose_fixed(self, inn: str) -> bool:
        """The regimen fixes the drug's last dose: every phase that gives it has a fixed
        number of cycles, or the drug stops at a given cycle of it. True for pemetrexed in
        CheckMate 9LA (the first 6 weeks only, though the immunotherapy goes on), False in
        KEYNOTE-189 (pemetrexed maintenance until progression)."""
        return all(
            phase.cycles is not None or adm.last_cycle is not None
            for phase in self.phases
            for adm in phase.administrations
            if adm.agent.inn == inn
        )

    def cap_for(self, inn: str) -> int | None:
        for cap in self.caps:
            if cap.agent == inn:
                return cap.max_administrations
        return None
