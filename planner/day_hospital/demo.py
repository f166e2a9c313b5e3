"""A realistic demo day hospital: patients on mixed regimens, at every stage of treatment.

Starts are staggered over the past year and the coming weeks; past sessions are recorded as
given, some cycles were delayed for toxicity or capacity, some doses left out, some plans
stopped, and a few patients on immunotherapy have a suspected progression under watch. Every
change goes through the same checks as a coordinator's. Some patients would rather come in
the morning, fewer in the afternoon; the pharmacy prepares a limited number of bags per slot.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from planner.catalog import Catalog
from planner.core import changes
from planner.core.batch import plan_schedules
from planner.core.chairs import MAX_CHAIRS, MAX_NURSES, Chair, UnitResources
from planner.core.changes import ChangeRefused
from planner.core.patient import Patient, Preference
from planner.core.plan import Change, Give, Plan, PlanOptions, Stop, SuspectProgression
from planner.core.plan_schedule import schedule_of
from planner.core.port import PortRule
from planner.core.schedule import DelayReason, Policy
from planner.core.settings import UnitSettings
from planner.day_hospital.bookings import Booked, book
from planner.store import Store

FIRST_NAMES = [
    "Jeanne",
    "Marie",
    "Louise",
    "Françoise",
    "Monique",
    "Catherine",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Martine",
    "Christine",
    "Sophie",
    "Anne",
    "Hélène",
    "Claire",
    "Camille",
    "Chantal",
    "Nicole",
    "Élise",
    "Inès",
    "Jean",
    "Pierre",
    "Michel",
    "André",
    "Philippe",
    "Alain",
    "Bernard",
    "Jacques",
    "Daniel",
    "Patrick",
    "Nicolas",
    "François",
    "Christophe",
    "Éric",
    "Laurent",
    "Olivier",
    "Thierry",
    "Stéphane",
    "Hugo",
    "Karim",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Benali",
    "Nguyen",
    "Haddad",
    "Ferreira",
    "Da Silva",
    "Kowalski",
]

# How often each regimen is seen in a general oncology day hospital (rough weights); every
# other regimen of the catalogue is drawn too, with DEFAULT_WEIGHT.
WEIGHTS = {
    "pembrolizumab-200-q3w": 10,
    "pembrolizumab-400-q6w": 5,
    "nivolumab-240-q2w": 5,
    "nivolumab-480-q4w": 5,
    "atezolizumab-1200-q3w": 3,
    "durvalumab-1500-q4w-pacific": 4,
    "pembrolizumab-pemetrexed-platinum-kn189": 7,
    "pembrolizumab-carboplatin-taxane-kn407": 3,
    "mfolfox6-q14": 7,
    "folfiri-q14": 4,
    "bevacizumab-5mgkg-q2w-with-folfox-or-folfiri": 4,
    "carboplatin-paclitaxel-q21": 5,
    "paclitaxel-weekly-d1-8-15-q28": 4,
    "ac-q21-then-paclitaxel-weekly-x12": 4,
    "trastuzumab-q3w-adjuvant": 5,
    "pertuzumab-trastuzumab-docetaxel-q21": 3,
    "gemcitabine-carboplatin-d1-d8-q21": 3,
    "cisplatin-etoposide-q21": 2,
    "ipilimumab-nivolumab-melanoma-cm067": 2,
    # Issue 20: digestive, breast and lung regimens seen every week, and the subcutaneous
    # forms that replace some infusions.
    "mfolfirinox-q14": 2,
    "capox-q21": 3,
    "gemcitabine-nab-paclitaxel-d1-8-15-q28": 2,
    "nivolumab-mfolfox6-cm649": 2,
    "pembrolizumab-chemo-kn522": 2,
    "trastuzumab-deruxtecan-q21": 2,
    "docetaxel-75-q21": 2,
    "pemetrexed-maintenance-q21": 2,
    "trastuzumab-sc-600-q21": 3,
    "pertuzumab-trastuzumab-sc-phesgo-q21": 2,
}
DEFAULT_WEIGHT = 1

DEMO_AUTHOR = "demo"

MAX_DEMO_PATIENTS = 20_000
"""The largest demo unit. At one chair for twenty patients, a unit with all the chairs it
may have (:data:`MAX_CHAIRS`, 500) holds 10,000 patients (but for a few dozen of some
217,000 sessions, on the busiest days, which wait for the pharmacy); twice that still places
all but a few hundred of some 430,000 sessions (built, saved and booked in under a minute:
about 50 s); beyond, more and more of the busiest days' sessions would find no place."""


@dataclass(frozen=True, slots=True)
class DemoUnit:
    settings: UnitSettings
    plans: list[Plan]
    resources: UnitResources


PREPARATIONS = 12
"""Preparations the demo unit's pharmacy delivers per 15-minute slot (48 an hour) on each
day the unit opens, for a unit of up to 2,000 patients; a larger unit's pharmacy grows with
its activity (see :func:`demo_resources`)."""

MORNING_SHARE = 0.2
"""Demo patients who would rather come in the morning (work, transport, a companion)."""
AFTERNOON_SHARE = 0.1
"""...and in the afternoon."""


def demo_resources(patients: int) -> UnitResources:
    """Chairs and nurses for a unit of that many patients: about one chair for twenty
    patients (their sessions bunch on Mondays, as real units' do), one bed in eight, one
    nurse for three chairs. Never more than a unit may have (:data:`MAX_CHAIRS`): past
    10,000 patients each chair has more patients, and on the busiest days some sessions
    find no place.

    The pharmacy delivers :data:`PREPARATIONS` (12) preparations per slot on the days the
    unit opens, for up to 2,000 patients (on that unit's busiest days, a few sessions wait
    for it: 6 of some 43,000 over two years); a larger unit's pharmacy as much larger (60
    per slot for 10,000 patients, 120 for 20,000), or the largest demos would be a test of
    the pharmacy rather than of the chairs."""
    chairs = min(MAX_CHAIRS, max(6, -(-patients // 20)))
    beds = max(1, chairs // 8)
    hours = UnitResources().hours
    preparations = max(PREPARATIONS, -(-patients * PREPARATIONS // 2_000))
    return UnitResources(
        chairs=tuple(Chair(f"F{n}") for n in range(1, chairs - beds + 1))
        + tuple(Chair(f"L{n}", bed=True) for n in range(1, beds + 1)),
        nurses=min(MAX_NURSES, max(2, chairs // 3)),
        pharmacy=tuple(None if day is None else preparations for day in hours),
    )


def _preference(rng: random.Random) -> Preference:
    """Mornings for :data:`MORNING_SHARE` of the patients, afternoons for
    :data:`AFTERNOON_SHARE`, the others any time."""
    draw = rng.random()
    if draw < MORNING_SHARE:
        return Preference.MORNING
    if draw < MORNING_SHARE + AFTERNOON_SHARE:
        return Preference.AFTERNOON
    return Preference.ANY


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _patient(rng: random.Random, number: int) -> Patient:
    given, family = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES).upper()
    phone = "06 " + " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
    return Patient(
        id=uuid.UUID(int=rng.getrandbits(128)).hex,
        family_name=family,
        given_names=given,
        hospital_number=f"D{number:06d}",
        language="en" if rng.random() < 0.05 else "fr",
        contact=phone,
    )


REPORT_EVERY = 100
"""Patients built (or plans saved, or booked) between two calls of a ``progress``."""


def build_demo(
    catalog: Catalog,
    patients: int,
    today: date,
    seed: int = 1,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> DemoUnit:
    """``patients`` patients with one plan each, as a unit would have them on ``today``;
    ``progress(done, total)`` is told every :data:`REPORT_EVERY` patients."""
    rng = random.Random(seed)
    # Preferences drawn apart, so that the rest of a seed's demo (names, regimens, starts,
    # histories) stays what it was before patients had them.
    preferences = random.Random(f"{seed} preferences")
    settings = UnitSettings(
        name="Hôpital de jour d'oncologie (démo)",
        address="1 rue de l'Hôpital, 75000 Paris",
        phone="01 23 45 67 89",
    )
    ids = sorted(catalog.entries)
    weights = [WEIGHTS.get(regimen_id, DEFAULT_WEIGHT) for regimen_id in ids]
    rules = catalog.port_rules
    plans = []
    for number in range(1, patients + 1):
        regimen = catalog.regimen(rng.choices(ids, weights)[0])
        calendar = settings.calendar()
        start = calendar.next_open(today + timedelta(days=rng.randrange(-365, 60)))
        patient = replace(_patient(rng, number), preference=_preference(preferences))
        plan = Plan(
            id=uuid.UUID(int=rng.getrandbits(128)).hex,
            patient=patient,
            regimen=regimen,
            start=start,
            policy=Policy.GRID if rng.random() < 0.8 else Policy.REANCHOR,
            calendar=calendar,
            options=PlanOptions(),
            lab_rule=settings.lab_rule,
        )
        plan = _history(plan, rng, today, rules)
        if start <= today and schedule_of(plan, rules).port_task:
            # Treatment under way: the port was placed before it began.
            plan = replace(plan, patient=replace(patient, port_in_place=True))
        plans.append(plan)
        if progress is not None and (number % REPORT_EVERY == 0 or number == patients):
            progress(number, patients)
    return DemoUnit(settings, plans, demo_resources(patients))


def _try(
    plan: Plan,
    change: Change,
    at: datetime,
    today: date,
    rules: tuple[PortRule, ...],
    note: str = "",
) -> Plan:
    try:
        return changes.apply(
            plan, change, author=DEMO_AUTHOR, at=at, today=today, port_rules=rules, note=note
        )
    except ChangeRefused:
        return plan


def _history(plan: Plan, rng: random.Random, today: date, rules: tuple[PortRule, ...]) -> Plan:
    """What happened to the plan until ``today``: delays, omissions, stops, doses given."""
    current = schedule_of(plan, rules)
    d1s = [s for s in current.sessions if s.day == 1 and s.cycle + s.phase > 2]
    # One plan in six had a cycle delayed (toxicity mostly, sometimes the unit's capacity).
    if d1s and rng.random() < 1 / 6:
        session = rng.choice(d1s[:8])
        if session.date <= today + timedelta(days=21):
            reason = DelayReason.TOXICITY if rng.random() < 0.8 else DelayReason.CAPACITY
            decided = session.date - timedelta(days=2)
            delay = changes.delay(current, session.key, reason, days=7)
            note = "neutropénie grade 3" if reason is DelayReason.TOXICITY else ""
            plan = _try(plan, delay, _moment(decided, 16), min(today, decided), rules, note)
            current = schedule_of(plan, rules)
    # A dose left out now and then.
    past = [s for s in current.sessions if s.date < today and s.doses and len(s.agents) > 1]
    if past and rng.random() < 0.05:
        session = rng.choice(past)
        agent = session.agents[-1]
        omit = changes.omit(current, session.key, (agent,), reason="hépatite grade 2")
        plan = _try(plan, omit, _moment(session.date, 9), session.date, rules)
        current = schedule_of(plan, rules)
    # Some treatments stopped: progression, toxicity.
    started_long_ago = current.sessions and current.sessions[0].date < today - timedelta(days=120)
    if started_long_ago and rng.random() < 0.12:
        given = [s for s in current.sessions if s.date < today]
        if len(given) > 3:
            stop_day = given[rng.randrange(3, len(given))].date
            why = rng.choice(["progression", "toxicité", "souhait du patient"])
            plan = _try(plan, Stop(stop_day, why), _moment(stop_day, 15), today, rules)
            current = schedule_of(plan, rules)
    # Pseudo-progression under watch on immunotherapy.
    if plan.regimen.has_immunotherapy and not current.stopped and rng.random() < 0.04:
        recent = [s for s in current.sessions if today - timedelta(days=40) < s.date < today]
        if recent:
            imaging = recent[0].date - timedelta(days=3)
            # Going on needs the clinician's word that the patient is clinically stable.
            suspected = SuspectProgression(imaging, stable_confirmed_by="Dr Moreau")
            plan = _try(plan, suspected, _moment(imaging, 17), today, rules)
            current = schedule_of(plan, rules)
    # Every session before today was given, recorded that evening.
    entries: list[tuple[datetime, Change, str]] = [(e.at, e.change, e.note) for e in plan.ledger]
    for session in current.sessions:
        if session.date < today and session.doses and session.given_on is None:
            entries.append((_moment(session.date, 17), Give(session.key, session.date), ""))
    # The ledger in the order things happened (no entry refers to another by number here).
    chronological = replace(plan, ledger=())
    for at, change, note in sorted(entries, key=lambda e: e[0]):
        chronological = chronological.with_entry(change, DEMO_AUTHOR, at, note)
    return chronological


Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: how far :func:`save_demo` is in one of :data:`STEPS`,
counted in patients (each has one plan)."""

BOOKED_WEEKS = 12
"""How far ahead the demo unit's sessions are booked: as a unit books the coming weeks (and
as far as the day hospital page's load chart looks), not the whole of every treatment."""

STEPS = ("build", "save", "schedule", "book")
"""The demo's steps: its patients' histories made, saved (with their patient-list facts),
their calendars computed from the saved plans, their coming sessions booked."""


def save_demo(
    store: Store,
    catalog: Catalog,
    patients: int,
    today: date,
    *,
    at: datetime,
    seed: int = 1,
    booked_weeks: int = BOOKED_WEEKS,
    progress: Progress | None = None,
) -> tuple[DemoUnit, Booked]:
    """Build the demo unit of ``patients`` patients and save it into ``store`` (empty), its
    sessions of the ``booked_weeks`` from ``today`` booked. Shared by ``demo`` and the
    window's demo unit. ``progress`` may raise to stop (what was saved before stays)."""

    def step(name: str) -> Callable[[int, int], None]:
        def tell(done: int, total: int) -> None:
            if progress is not None:
                progress(name, done, total)

        return tell

    step("build")(0, patients)
    unit = build_demo(catalog, patients, today, seed=seed, progress=step("build"))
    store.save_settings(unit.settings)
    store.save_resources(unit.resources)
    rules = catalog.port_rules
    step("save")(0, patients)
    store.import_plans(
        unit.plans, author=DEMO_AUTHOR, at=at, port_rules=rules, progress=step("save")
    )
    step("schedule")(0, patients)
    schedules = plan_schedules(store.plans(), rules, today, progress=step("schedule"))
    step("book")(0, patients)
    booked = book(
        store,
        schedules,
        since=today,
        until=today + timedelta(weeks=booked_weeks),
        author=DEMO_AUTHOR,
        at=at,
        progress=step("book"),
    )
    return unit, booked
