"""A plan's history in words: who did what, when and why, and what was undone since.

The plan's ledger (its decisions: delays, omissions, doses given, stop, undo...) is read
from the plan itself; the database's audit trail adds what the ledger does not hold: when
and by whom the plan was created, and the changes to the patient's record (a port in
place, a new contact...). An undo never deletes a decision (the ledger is append only): the
decision is shown as undone, by whom and when, and a redo as what it does again.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from planner import explain
from planner.core.patient import display_name
from planner.core.plan import Entry, Omit, Plan, Revert, change_kind, reverted
from planner.explain_plan import change_text, revert_target
from planner.i18n import N_, _, format_date, language
from planner.store.codec import UNIT_ZONE

PLAN_CREATED = "plan-created"
PATIENT_CREATED = "patient-created"
PATIENT_UPDATED = "patient-updated"
CALENDAR_RECORDS = {
    "calendar-published": N_("Calendar published for subscription"),
    "calendar-link-renewed": N_("New subscription link: the old one no longer works"),
    "calendar-unpublished": N_("Calendar no longer published"),
}
"""The patient's published calendar (planner.store.calendar_links)."""
PATIENT_RECORDS = {PATIENT_CREATED, PATIENT_UPDATED, *CALENDAR_RECORDS}

LANGUAGE_NAMES = {"fr": N_("French"), "en": N_("English")}
PREFERENCE_WORDS = {
    "any": N_("comes at any time of day"),
    "morning": N_("comes in the morning"),
    "afternoon": N_("comes in the afternoon"),
}


@dataclass(frozen=True, slots=True)
class Acted:
    """An undo or a redo of a decision: which entry, who, when."""

    seq: int
    author: str
    at: datetime
    redo: bool


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One line of a plan's history."""

    at: datetime
    author: str
    what: str
    note: str = ""
    """The coordinator's own words (why), as typed."""
    seq: int | None = None
    """The decision's number in the plan's ledger; None for the plan's creation and the
    patient's record."""
    kind: str = ""
    """The ledger kind ("delay", "revert"...), "plan-created", "patient-created" or
    "patient-updated"."""
    last_act: Acted | None = None
    """For a decision: the latest undo (or redo) of it still in effect, if any."""

    @property
    def undone(self) -> bool:
        """A decision no longer in effect: a later undo took it back."""
        return self.last_act is not None and not self.last_act.redo


def plan_history(plan: Plan, records: Iterable[Mapping[str, Any]] = ()) -> list[HistoryLine]:
    """The plan's history, oldest first: its decisions in the order of the ledger, with the
    plan's creation first and the patient's records where they fall in time.

    ``records`` are the patient's audit trail as :meth:`planner.store.Store.audit` gives it
    (other plans' lines are left out); without them, only the ledger is shown.
    """
    patient_lines: list[HistoryLine] = []
    created: list[HistoryLine] = []
    for record in records:
        kind = record["kind"]
        if record.get("plan") is None and kind in PATIENT_RECORDS:
            patient_lines.append(
                HistoryLine(
                    record["at"],
                    record["author"],
                    record_text(kind, record["payload"]),
                    record.get("note") or "",
                    kind=kind,
                )
            )
        elif record.get("plan") == plan.id and kind == PLAN_CREATED:
            created.append(
                HistoryLine(
                    record["at"],
                    record["author"],
                    _("Plan created: {regimen}, starting on {start}").format(
                        regimen=plan.regimen.name.get(language()),
                        start=format_date(plan.start),
                    ),
                    record.get("note") or "",
                    kind=kind,
                )
            )
    patient_lines.sort(key=lambda line: line.at)
    acts = last_acts(plan)
    decisions = [
        HistoryLine(
            entry.at,
            entry.author,
            change_text(entry.change, plan),
            _why(entry),
            entry.seq,
            change_kind(entry.change).value,
            acts.get(entry.seq),
        )
        for entry in plan.ledger
    ]
    # A plan is created before its first decision, whatever the clocks said (a plan brought
    # in from elsewhere is saved after its decisions were taken): the plan's own lines keep
    # their order, each placed no later than the lines after it, and the patient's records
    # fall in between by time.
    own = [*created, *decisions]
    placed: list[datetime] = []
    for line in reversed(own):
        placed.append(min(line.at, placed[-1]) if placed else line.at)
    placed.reverse()
    merged = heapq.merge(
        ((line.at, n, line) for n, line in enumerate(patient_lines)),
        ((at, n, line) for n, (at, line) in enumerate(zip(placed, own, strict=True))),
        key=lambda item: item[0],
    )
    return [line for _at, _n, line in merged]


def _why(entry: Entry) -> str:
    """The coordinator's words: the note, and the reason an omission gives (a delay's and a
    stop's reasons are in the words of the change itself)."""
    reasons = [entry.change.reason] if isinstance(entry.change, Omit) else []
    reasons.append(entry.note)
    return explain.listed(dict.fromkeys(r for r in reasons if r))


def last_acts(plan: Plan) -> dict[int, Acted]:
    """For each decision undone at least once: the latest undo or redo of it in effect."""
    undone = reverted(plan.ledger)
    found: dict[int, Acted] = {}
    for entry in plan.ledger:
        change = entry.change
        if not isinstance(change, Revert) or entry.seq in undone:
            continue
        target, redo = revert_target(plan, change)
        if target is not None:
            found[target.seq] = Acted(entry.seq, entry.author, entry.at, redo)
    return found


def moment_text(at: datetime) -> str:
    """ "Mon 8 Mar 2027 at 10:42", in the unit's time (Europe/Paris)."""
    local = at.astimezone(UNIT_ZONE)
    return _("{date} at {time}").format(
        date=format_date(local.date()), time=local.strftime("%H:%M")
    )


def local_day(at: datetime) -> date:
    return at.astimezone(UNIT_ZONE).date()


def status_text(line: HistoryLine) -> str:
    """ "Undone by cb on Mon 8 Mar 2027 at 10:42 (change 5)", "Done again by ...", or ""."""
    act = line.last_act
    if act is None:
        return ""
    template = (
        _("Done again by {author} on {moment} (change {seq})")
        if act.redo
        else _("Undone by {author} on {moment} (change {seq})")
    )
    return template.format(author=act.author, moment=moment_text(act.at), seq=act.seq)


def record_text(kind: str, payload: Mapping[str, Any]) -> str:
    """A patient record of the audit trail in words."""
    if kind in CALENDAR_RECORDS:
        return _(CALENDAR_RECORDS[kind])
    if kind == PATIENT_CREATED:
        # Written whole before migration 0005, in two parts since (shown "DUPONT Marie").
        name = payload.get("name") or display_name(
            str(payload.get("family_name", "")), str(payload.get("given_names", ""))
        )
        return _("Patient record created: {name}").format(name=name)
    parts = [_field_text(key, value) for key, value in payload.items()]
    if not parts:
        return _("Patient record saved unchanged")
    return _("Patient record changed: {changes}").format(changes=explain.listed(parts))


def _field_text(key: str, value: Any) -> str:
    if key == "port_in_place":
        return _("the patient has an implantable port") if value else _("no implantable port")
    if key == "contact":
        return _("contact: {contact}").format(contact=value) if value else _("no contact")
    if key == "name":
        return _("name: {name}").format(name=value)
    if key == "family_name":
        return _("family name: {name}").format(name=value)
    if key == "given_names":
        return _("given names: {names}").format(names=value)
    if key == "hospital_number":
        return _("hospital number: {number}").format(number=value)
    if key == "language" and value in LANGUAGE_NAMES:
        return _("documents in {language}").format(language=_(LANGUAGE_NAMES[value]))
    if key == "preference" and value in PREFERENCE_WORDS:
        return _(PREFERENCE_WORDS[value])
    # A detail written by a later version of the program: its name as stored.
    return explain.labelled(key, str(value))
