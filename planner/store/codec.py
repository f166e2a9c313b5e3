"""Core values <-> JSON-ready dicts, for the database.

A plan keeps a snapshot of its regimen as it was when the plan was made, so that correcting
a regimen file later never silently moves the dates of plans already under way. Snapshots
are stored once per distinct content (keyed by a digest of their canonical JSON).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from planner.core import session_keys
from planner.core.chairs import (
    MAX_CHAIRS,
    MAX_NURSES,
    MAX_STARTS_PER_NURSE,
    Chair,
    UnitResources,
    Weights,
)
from planner.core.closures import UnitClosure
from planner.core.engine import LabRule
from planner.core.plan import (
    Change,
    ChangeKind,
    ConfirmPort,
    Delay,
    Give,
    Omit,
    PlanOptions,
    Revert,
    Stop,
    SuspectProgression,
    change_kind,
)
from planner.core.port import PortCriterion, PortLevel, PortRule
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
from planner.core.schedule import DelayReason, SessionKey
from planner.core.text import Text

Json = dict[str, Any]


class CodecError(ValueError):
    """Stored data that this version cannot read back."""


def _text(text: Text | None) -> Json | None:
    return None if text is None else {"fr": text.fr, "en": text.en}


def _read_text(data: Json | None) -> Text | None:
    return None if data is None else Text(fr=data["fr"], en=data["en"])


def _minutes(minutes: Minutes | None) -> list[int] | None:
    if minutes is None:
        return None
    if minutes.second is None:
        # Without a second administration's time, as before it existed: the digest stays.
        return [minutes.first, minutes.later]
    return [minutes.first, minutes.later, minutes.second]


def _read_minutes(data: list[int] | None) -> Minutes | None:
    if data is None:
        return None
    second = data[2] if len(data) > 2 else None
    return Minutes(first=data[0], later=data[1], second=second)


def regimen_to_json(regimen: Regimen) -> Json:
    agents = {agent.inn: agent for agent in regimen.agents}
    return {
        "id": regimen.id,
        "name": _text(regimen.name),
        "indication": _text(regimen.indication),
        "notes": _text(regimen.notes),
        "confidence": regimen.confidence.value if regimen.confidence else None,
        "response_imaging_weeks": regimen.response_imaging_weeks,
        "fasting_blood_test": regimen.fasting_blood_test,
        # Only when the file says: a regimen without an intent keeps the digest it had.
        **({"intent": regimen.intent.value} if regimen.intent is not None else {}),
        "agents": [
            {
                "inn": a.inn,
                "name": _text(a.name),
                "class": a.agent_class.value,
                "family": a.family,
                "extravasation": a.extravasation.value if a.extravasation else None,
            }
            for a in agents.values()
        ],
        "phases": [
            {
                "name": _text(phase.name),
                "cycle_days": phase.cycle_days,
                "cycles": phase.cycles,
                # Only when there is one: a regimen without gaps keeps the digest it had.
                **({"gap_days": phase.gap_days} if phase.gap_days else {}),
                "administrations": [
                    {
                        "agent": adm.agent.inn,
                        "route": adm.route.value,
                        "days": list(adm.days),
                        "infusion": _minutes(adm.infusion),
                        "observation": _minutes(adm.observation),
                        "continuous_hours": adm.continuous_hours,
                        "order": adm.order,
                        "first_cycle": adm.first_cycle,
                        "last_cycle": adm.last_cycle,
                        "note": _text(adm.note),
                    }
                    for adm in phase.administrations
                ],
            }
            for phase in regimen.phases
        ],
        "caps": [
            {"agent": c.agent, "max": c.max_administrations, "note": _text(c.note)}
            for c in regimen.caps
        ],
        "monitoring": [
            {
                "kind": m.kind.value,
                "name": _text(m.name),
                "every_weeks": m.every_weeks,
                "every_months": m.every_months,
                "baseline": m.baseline,
                **({"follow_cycles": True} if m.follow_cycles else {}),
                "sources": list(m.sources),
                # Only when set: a regimen without them keeps the digest it had.
                **({"result_before_c1": True} if m.result_before_c1 else {}),
                **({"result_days": m.result_days} if m.result_days is not None else {}),
            }
            for m in regimen.monitoring
        ],
        "premedications": [
            {
                "id": p.id,
                "agent": p.agent,
                "name": _text(p.name),
                "timing": p.timing.value,
                "days": list(p.days),
                "start_days_before": p.start_days_before,
                "stop_days_after": p.stop_days_after,
                "first_days_before": p.first_days_before,
                "every_weeks": p.every_weeks,
                "sources": list(p.sources),
            }
            for p in regimen.premedications
        ],
        "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in regimen.sources],
    }


def regimen_from_json(data: Json) -> Regimen:
    try:
        agents = {
            a["inn"]: Agent(
                inn=a["inn"],
                name=Text(**a["name"]),
                agent_class=AgentClass(a["class"]),
                family=a["family"],
                extravasation=Extravasation(a["extravasation"]) if a["extravasation"] else None,
            )
            for a in data["agents"]
        }
        phases = tuple(
            Phase(
                name=Text(**p["name"]),
                cycle_days=p["cycle_days"],
                cycles=p["cycles"],
                gap_days=p.get("gap_days", 0),  # absent from regimens stored before it existed
                administrations=tuple(
                    Administration(
                        agent=agents[adm["agent"]],
                        route=Route(adm["route"]),
                        days=tuple(adm["days"]),
                        infusion=_read_minutes(adm["infusion"]),
                        observation=_read_minutes(adm["observation"]),
                        continuous_hours=adm["continuous_hours"],
                        order=adm["order"],
                        first_cycle=adm["first_cycle"],
                        last_cycle=adm["last_cycle"],
                        note=_read_text(adm["note"]),
                    )
                    for adm in p["administrations"]
                ),
            )
            for p in data["phases"]
        )
        return Regimen(
            id=data["id"],
            name=Text(**data["name"]),
            phases=phases,
            caps=tuple(Cap(c["agent"], c["max"], _read_text(c["note"])) for c in data["caps"]),
            monitoring=tuple(
                MonitoringRule(
                    kind=MonitoringKind(m["kind"]),
                    name=Text(**m["name"]),
                    every_weeks=m["every_weeks"],
                    every_months=m["every_months"],
                    baseline=m["baseline"],
                    sources=tuple(m["sources"]),
                    follow_cycles=m.get("follow_cycles", False),  # absent before it existed
                    # Absent from regimens stored before they existed.
                    result_before_c1=m.get("result_before_c1", False),
                    result_days=m.get("result_days"),
                )
                for m in data["monitoring"]
            ),
            premedications=tuple(
                Premedication(
                    id=p["id"],
                    agent=p["agent"],
                    name=Text(**p["name"]),
                    timing=PremedicationTiming(p["timing"]),
                    days=tuple(p["days"]),
                    start_days_before=p["start_days_before"],
                    stop_days_after=p["stop_days_after"],
                    first_days_before=p["first_days_before"],
                    every_weeks=p["every_weeks"],
                    sources=tuple(p["sources"]),
                )
                for p in data["premedications"]
            ),
            sources=tuple(Source(**s) for s in data["sources"]),
            confidence=Confidence(data["confidence"]) if data["confidence"] else None,
            indication=_read_text(data["indication"]),
            notes=_read_text(data["notes"]),
            response_imaging_weeks=data["response_imaging_weeks"],
            fasting_blood_test=data.get("fasting_blood_test", False),
            intent=Intent(data["intent"]) if data.get("intent") else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"unreadable regimen snapshot: {exc!r}") from exc


def canonical(data: Json) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(data: Json) -> str:
    """A stable name for a regimen snapshot: the SHA-256 of its canonical JSON."""
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- plan options and settings


def options_to_json(options: PlanOptions) -> Json:
    return {
        "imaging_weeks": options.imaging_weeks,
        "consultation_every": options.consultation_every,
        "port_confirmed": options.port_confirmed,
        "port_lead_days": options.port_lead_days,
    }


def options_from_json(data: Json) -> PlanOptions:
    return PlanOptions(**data)


def lab_rule_to_json(rule: LabRule) -> Json:
    return {
        "earliest": rule.earliest,
        "latest": rule.latest,
        "weekdays": sorted(rule.weekdays),
        "reuse_within": rule.reuse_within,
    }


def lab_rule_from_json(data: Json) -> LabRule:
    return LabRule(
        earliest=data["earliest"],
        latest=data["latest"],
        weekdays=frozenset(data["weekdays"]),
        reuse_within=data["reuse_within"],
    )


def unit_closures_to_json(closures: tuple[UnitClosure, ...]) -> list[Json]:
    found: list[Json] = []
    for c in closures:
        item: Json = {"date": c.date.isoformat(), "label": c.label}
        if c.added_at is not None:
            item["added_at"] = c.added_at.astimezone(UTC).isoformat()
            item["added_by"] = c.added_by
        found.append(item)
    return found


def unit_closures_from_json(data: list[Json]) -> tuple[UnitClosure, ...]:
    """The unit's closures; those saved before closures were stamped have no stamp."""
    return tuple(
        UnitClosure(
            date.fromisoformat(c["date"]),
            c.get("label", ""),
            moment(c["added_at"]) if c.get("added_at") else None,
            c.get("added_by", ""),
        )
        for c in data
    )


PORT_RULES_FORMAT = 1
"""The layout of the unit's port rules in the database that this version writes and reads."""


def port_rules_to_json(rules: tuple[PortRule, ...], *, saved_by: str, saved_at: datetime) -> Json:
    """The unit's port rule table, with who saved it and when (for a conflict's message)."""
    return {
        "format": PORT_RULES_FORMAT,
        "rules": [
            {
                "level": rule.level.value,
                "when": rule.criterion.value,
                "families": sorted(rule.families),
                "classes": sorted(c.value for c in rule.classes),
                "route": rule.route.value if rule.route is not None else None,
                "source": rule.source,
            }
            for rule in rules
        ],
        "saved_by": saved_by,
        "saved_at": saved_at.astimezone(UTC).isoformat(),
    }


def port_rules_from_json(data: Json) -> tuple[PortRule, ...]:
    """The rules of :func:`port_rules_to_json` (ValueError, KeyError or TypeError when the
    value is not one this version wrote)."""
    if data["format"] != PORT_RULES_FORMAT:
        raise ValueError(f"format {data['format']!r}, this version reads {PORT_RULES_FORMAT}")
    return tuple(
        PortRule(
            PortLevel(rule["level"]),
            PortCriterion(rule["when"]),
            frozenset(rule["families"]),
            frozenset(AgentClass(c) for c in rule["classes"]),
            None if rule["route"] is None else Route(rule["route"]),
            rule["source"],
        )
        for rule in data["rules"]
    )


# ---------------------------------------------------------------- changes


def _key(key: SessionKey) -> list[int]:
    return list(key)


def _read_key(data: list[int]) -> SessionKey:
    return session_keys.key_of(data)  # a SessionKeyError is a ValueError: CodecError


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _read_day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def change_to_json(change: Change) -> tuple[str, Json]:
    """The ledger kind and payload of a change."""
    kind = change_kind(change)
    if isinstance(change, Delay):
        payload: Json = {
            "session": _key(change.session),
            "to": change.to.isoformat(),
            "reason": change.reason.value,
            "shift_rest_of_cycle": change.shift_rest_of_cycle,
            "moved_from": _day(change.moved_from),
        }
    elif isinstance(change, Omit):
        payload = {
            "session": _key(change.session),
            "agents": list(change.agents),
            "reason": change.reason,
        }
    elif isinstance(change, Give):
        payload = {"session": _key(change.session), "on": change.on.isoformat()}
    elif isinstance(change, Stop):
        payload = {"on": change.on.isoformat(), "reason": change.reason}
    elif isinstance(change, SuspectProgression):
        payload = {
            "imaging": change.imaging.isoformat(),
            "confirm_after_days": change.confirm_after_days,
        }
        if change.stable_confirmed_by:  # written only when given: older entries unchanged
            payload["stable_confirmed_by"] = change.stable_confirmed_by
    elif isinstance(change, ConfirmPort):
        payload = {"confirmed": change.confirmed}
    else:
        payload = {"seq": change.seq}
    return kind.value, payload


def _read_delay(payload: Json) -> Change:
    return Delay(
        session=_read_key(payload["session"]),
        to=date.fromisoformat(payload["to"]),
        reason=DelayReason(payload["reason"]),
        shift_rest_of_cycle=payload["shift_rest_of_cycle"],
        moved_from=_read_day(payload["moved_from"]),
    )


_READERS: dict[str, Callable[[Json], Change]] = {
    ChangeKind.DELAY.value: _read_delay,
    ChangeKind.OMIT.value: lambda p: Omit(_read_key(p["session"]), tuple(p["agents"]), p["reason"]),
    ChangeKind.GIVE.value: lambda p: Give(_read_key(p["session"]), date.fromisoformat(p["on"])),
    ChangeKind.STOP.value: lambda p: Stop(date.fromisoformat(p["on"]), p["reason"]),
    ChangeKind.PROGRESSION.value: lambda p: SuspectProgression(
        date.fromisoformat(p["imaging"]),
        p["confirm_after_days"],
        str(p.get("stable_confirmed_by", "")),
    ),
    ChangeKind.CONFIRM_PORT.value: lambda p: ConfirmPort(p["confirmed"]),
    ChangeKind.REVERT.value: lambda p: Revert(int(p["seq"])),
}


def change_from_json(kind: str, payload: Json) -> Change:
    reader = _READERS.get(kind)
    if reader is None:
        raise CodecError(f"unknown change kind {kind!r}")
    try:
        return reader(payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"unreadable {kind!r} change: {exc!r}") from exc


_DEFAULTS = UnitResources()
"""What a unit saved before a field existed reads as."""
_WEIGHT_NAMES = tuple(f.name for f in dataclasses.fields(Weights))


def resources_to_json(resources: UnitResources) -> Json:
    def hm(moment: time) -> str:
        return moment.isoformat(timespec="minutes")

    return {
        "chairs": [{"name": c.name, "bed": c.bed} for c in resources.chairs],
        "hours": [None if h is None else [hm(h[0]), hm(h[1])] for h in resources.hours],
        "nurses": resources.nurses,
        "starts_per_nurse": resources.starts_per_nurse,
        "slot_minutes": resources.slot_minutes,
        "installation_minutes": resources.installation_minutes,
        "pump_minutes": resources.pump_minutes,
        "bolus_minutes": resources.bolus_minutes,
        "afternoon": hm(resources.afternoon),
        "afternoon_nurses": resources.afternoon_nurses,
        "pharmacy": list(resources.pharmacy),
        "lab_result_start": (
            None if resources.lab_result_start is None else hm(resources.lab_result_start)
        ),
        "max_move_minutes": resources.max_move_minutes,
        "weights": {name: getattr(resources.weights, name) for name in _WEIGHT_NAMES},
    }


def resources_from_json(data: Json) -> UnitResources:
    """The unit's resources as saved. Versions before the bounds of :class:`UnitResources`
    could save more chairs, nurses or starts per nurse (a demo of over 10,000 patients had
    over 500 chairs): those are read down to the bounds, so the unit still opens; the saved
    value is left as it is until the coordinator saves the settings, and bookings on the
    chairs past the limit are kept and shown as to book again, never dropped.

    The afternoon's nurses, the pharmacy, the start after a same-day blood test, how far the
    optimiser moves a booking and its weights came later: a unit saved before them reads
    with their defaults (the morning's nurses all day, no limit, none, 30 minutes, the
    default weights, each weight missing from those saved at its default)."""
    lab_result_start = data.get("lab_result_start")
    weights = data.get("weights") or {}
    return UnitResources(
        chairs=tuple(Chair(c["name"], bool(c["bed"])) for c in data["chairs"][:MAX_CHAIRS]),
        hours=tuple(
            None if h is None else (time.fromisoformat(h[0]), time.fromisoformat(h[1]))
            for h in data["hours"]
        ),
        nurses=min(data["nurses"], MAX_NURSES),
        starts_per_nurse=min(data["starts_per_nurse"], MAX_STARTS_PER_NURSE),
        slot_minutes=data["slot_minutes"],
        installation_minutes=data["installation_minutes"],
        pump_minutes=data["pump_minutes"],
        bolus_minutes=data["bolus_minutes"],
        afternoon=time.fromisoformat(data["afternoon"]),
        afternoon_nurses=data.get("afternoon_nurses", _DEFAULTS.afternoon_nurses),
        pharmacy=tuple(data.get("pharmacy", _DEFAULTS.pharmacy)),
        lab_result_start=None if lab_result_start is None else time.fromisoformat(lab_result_start),
        max_move_minutes=data.get("max_move_minutes", _DEFAULTS.max_move_minutes),
        weights=Weights(
            **{name: weights.get(name, getattr(_DEFAULTS.weights, name)) for name in _WEIGHT_NAMES}
        ),
    )


UNIT_ZONE = ZoneInfo("Europe/Paris")
"""The day hospital's clock, for times said to coordinators."""


def moment(value: Any) -> datetime:
    """A moment read with plain SQL: ISO text on SQLite (UTC, no zone), aware on PostgreSQL."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
