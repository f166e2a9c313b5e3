"""The patient handout: a printable A4 page (or a few) in the patient's language.

What the patient takes home: the treatment in plain words, whether an implantable port is
needed and why, month grids with the appointment days marked, the list of appointments with
what to do before each (blood test, premedication) and after (pump disconnection), the
unit's contact, and the side effects to report.

The output is one self-contained HTML document in the subset QTextDocument renders (tables,
h1-h3, p, ul, b, a few inline styles; no external resources), so the GUI prints it to PDF or
paper without anything else. It must read in black and white: appointment days are marked
with a symbol and in bold, never by colour alone. Nothing carries the hospital number or a
birth date (the handout may be left lying around or photocopied).

Events are worded as in the patient's calendar export (planner.export.calendar), so the
handout and the calendar say the same thing the same way.
"""

from __future__ import annotations

import calendar as monthdays
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from html import escape

from babel.dates import format_date as babel_format_date
from babel.dates import format_time, get_day_names

from planner.core.booking import Booking
from planner.core.plan_schedule import BLOOD_TEST_CHECKS, PlanSchedule
from planner.core.port import PortLevel
from planner.core.regimen import MonitoringKind
from planner.core.schedule import Event, EventKind, Session, SessionKey
from planner.core.settings import UnitSettings
from planner.explain import (
    agent_names,
    event_name,
    event_text,
    format_date,
    port_level_name,
    port_reasons,
    regimen_classes,
    session_agents,
)
from planner.export.calendar import Detail, _duration, _Writer
from planner.export.contact import require_unit_phone
from planner.i18n import _, language, ngettext, pgettext, speaking

SESSION_MARK = "●"
"""Marks a treatment day in the month grids (a symbol, so it survives black and white)."""
OTHER_MARK = "○"
"""Marks another appointment: blood test, scan, pump disconnection, port placement."""
MONTHS_PER_ROW = 4
MONTHS_ON_FIRST_PAGE = 8
"""More months than this start on a new page: a grid cut by a page break is hard to read."""

# A day's notes under a session: in the order the patient lives them.
_NOTE_ORDER = {
    EventKind.PREMEDICATION: 0,
    EventKind.LAB: 1,
    EventKind.MONITORING: 2,
    EventKind.PUMP_DISCONNECT: 3,
}
# Events that are an appointment of their own (a row of the list), not a note of a session.
_OWN_ROW = {
    EventKind.PORT_PLACEMENT,
    EventKind.IMAGING,
    EventKind.CONFIRMATION_SCAN,
}

_STYLE = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; color: #000; }
h1 { font-size: 17pt; font-weight: bold; margin-top: 0; margin-bottom: 2pt; }
h2 { font-size: 12.5pt; font-weight: bold; margin-top: 12pt; margin-bottom: 4pt; }
p { margin-top: 2pt; margin-bottom: 4pt; }
li { margin-bottom: 2pt; }
.small { font-size: 8.5pt; }
.month { font-size: 7pt; }
h2.newpage { page-break-before: always; }
th { font-weight: bold; text-align: left; background-color: #e6e6e6; }
"""


def _heading(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def handout_html(
    ps: PlanSchedule,
    settings: UnitSettings,
    *,
    lang: str,
    today: date,
    bookings: Mapping[SessionKey, Booking] | None = None,
) -> str:
    """The handout of a plan as an HTML document, in ``lang``.

    Appointments before ``today`` are left out (a handout printed mid-course shows what is
    ahead); ``today`` is also the printed date. ``bookings`` give sessions a start time.
    Refused (:class:`~planner.export.contact.NoUnitPhone`) while the unit has no telephone.
    """
    require_unit_phone(settings)
    with speaking(lang):
        return _Handout(ps, settings, today, bookings or {}).html()


@dataclass(frozen=True, slots=True)
class _Row:
    """One line of the appointment list."""

    day: date
    rank: int
    when: str
    what: str
    notes: tuple[str, ...]


def _long(day: date) -> str:
    return format_date(day, "long")


def _when(event: Event) -> str:
    """A day, or a run of days said once: "from Monday 8 to Wednesday 10 March 2027"."""
    first, last = event.date, event.until
    if last is None or last == first:
        return _long(first)
    if (first.year, first.month) == (last.year, last.month):
        pattern = "EEEE d"
    elif first.year == last.year:
        pattern = "EEEE d MMMM"
    else:
        pattern = "EEEE d MMMM y"
    start = babel_format_date(first, pattern, locale=language())
    return pgettext("date range", "from {first} to {last}").format(first=start, last=_long(last))


def _is_blood_check(event: Event) -> bool:
    return MonitoringKind(event.code.split(":", 1)[0]) in BLOOD_TEST_CHECKS


class _Handout:
    def __init__(
        self,
        ps: PlanSchedule,
        settings: UnitSettings,
        today: date,
        bookings: Mapping[SessionKey, Booking],
    ) -> None:
        self.ps = ps
        self.plan = ps.plan
        self.regimen = ps.plan.regimen
        self.settings = settings
        self.today = today
        self.bookings = bookings
        self.lang = language()
        # The calendar export's wording, with drug and check names (the handout is the
        # patient's own paper, not a shared calendar).
        self.words = _Writer(ps, settings, Detail.FULL, bookings)
        self.sessions = [
            (index, s) for index, s in enumerate(ps.sessions) if s.doses and s.date >= today
        ]
        self.events = [e for e in ps.events if (e.until or e.date) >= today]
        self.by_session: dict[int, list[Event]] = {}
        for event in ps.events:
            self.by_session.setdefault(event.session, []).append(event)

    # ------------------------------------------------------------------ the document

    def html(self) -> str:
        name = self.plan.patient.name
        title = _("Treatment calendar of {name}").format(name=name)
        parts = [
            "<html><head><meta charset='utf-8'>",
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
            f"<h1>{escape(title)}</h1>",
            self.treatment(),
            self.contact(),
            _heading(_("When to call the unit")),
            self.side_effects(),
            _heading(_("Implantable port")),
            self.port(),
            self.months(),
            _heading(_("Your appointments")),
            self.appointments(),
            "</body></html>",
        ]
        return "\n".join(parts)

    def treatment(self) -> str:
        regimen = self.regimen
        rows = [
            (_("Treatment"), regimen.name.get(self.lang)),
            (
                _("Medicines"),
                _("{drugs} ({classes})").format(
                    drugs=agent_names(regimen.active_agents), classes=regimen_classes(regimen)
                ),
            ),
            (_("Cycles"), self.cycles()),
            (_("Printed on"), _long(self.today)),
        ]
        cells = "".join(
            f"<tr><td width='22%'><b>{escape(label)}</b></td><td>{escape(value)}</td></tr>"
            for label, value in rows
        )
        table = f"<table cellpadding='2' cellspacing='0' width='100%'>{cells}</table>"
        if regimen.is_open_ended and not self.ps.stopped:
            goes_on = _(
                "Your treatment goes on as long as it helps you and you tolerate it well: the "
                "team will tell you if the dates change."
            )
            table += f"<p class='small'>{escape(goes_on)}</p>"
        return table

    def cycles(self) -> str:
        phases = self.regimen.phases
        words = []
        for phase in phases:
            if phase.cycles is None:
                text = _("one cycle every {days} days").format(days=phase.cycle_days)
            else:
                text = ngettext(
                    "{count} cycle of {days} days", "{count} cycles of {days} days", phase.cycles
                ).format(count=phase.cycles, days=phase.cycle_days)
            if len(phases) > 1:
                text = _("{phase}: {cycles}").format(phase=phase.name.get(self.lang), cycles=text)
            words.append(text)
        return "; ".join(words)

    def contact(self) -> str:
        settings = self.settings
        name = settings.name or _("Day hospital")
        lines = [f"<b>{escape(name)}</b>"]
        if settings.address:
            lines.append(escape(settings.address))
        if settings.phone:
            lines.append(escape(_("Telephone: {phone}").format(phone=settings.phone)))
        return (
            "<table border='1' cellpadding='6' cellspacing='0' width='100%' "
            "style='border-color: #000; border-style: solid; margin-top: 8pt'>"
            f"<tr><td>{'<br>'.join(lines)}</td></tr></table>"
        )

    # ------------------------------------------------------------------ the port

    def port(self) -> str:
        advice = self.ps.port
        heading = _("Implantable port: {level}").format(level=port_level_name(advice.level))
        level = f"<b>{escape(heading)}.</b>"
        what = _(
            "An implantable port is a small device placed under the skin of the chest: the "
            "infusions go through it, so the veins of your arm are not pricked each time."
        )
        if self.plan.patient.port_in_place:
            already = _("You already have an implantable port: your infusions will go through it.")
            return f"<p>{escape(already)}</p>"
        if advice.level is PortLevel.NOT_NEEDED:
            text = [_("Your treatment does not need an implantable port."), *port_reasons(advice)]
            return f"<p>{level} {' '.join(escape(t) for t in text)}</p>"
        if advice.level is PortLevel.REQUIRED:
            lead = _("Your treatment needs an implantable port.")
        elif self.ps.port_task:
            lead = _("Your team has asked for an implantable port for your treatment.")
        elif advice.level is PortLevel.RECOMMENDED:
            lead = _(
                "An implantable port is recommended for your treatment: your oncologist will "
                "discuss it with you."
            )
        else:
            lead = _(
                "Your oncologist will discuss with you whether an implantable port would be "
                "useful for your treatment."
            )
        text = [lead, what, *port_reasons(advice)]
        placement = [e for e in self.ps.events if e.kind is EventKind.PORT_PLACEMENT]
        if self.ps.port_task and placement:
            text.append(
                _(
                    "It is placed on {date}, at least {days} days before your first session. "
                    "The team tells you where and when to come."
                ).format(date=_long(placement[0].date), days=self.plan.options.port_lead_days)
            )
        return f"<p>{level} {' '.join(escape(t) for t in text)}</p>"

    # ------------------------------------------------------------------ month grids

    def marks(self) -> dict[date, str]:
        marks: dict[date, str] = {}
        for event in self.events:
            if event.kind is not EventKind.PREMEDICATION and event.date >= self.today:
                marks[event.date] = OTHER_MARK
        for _index, session in self.sessions:
            marks[session.date] = SESSION_MARK
        return marks

    def months(self) -> str:
        marks = self.marks()
        title = escape(_("Your appointments at a glance"))
        if not marks:
            none = _("No appointment is planned from {date}.").format(date=_long(self.today))
            return f"<h2>{title}</h2><p>{escape(none)}</p>"
        first, last = min(marks), max(marks)
        count = (last.year - first.year) * 12 + last.month - first.month + 1
        style = " class='newpage'" if count > MONTHS_ON_FIRST_PAGE else ""
        heading = f"<h2{style}>{title}</h2>"
        months = []
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            months.append(self.month(year, month, marks))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        rows = []
        for start in range(0, len(months), MONTHS_PER_ROW):
            cells = months[start : start + MONTHS_PER_ROW]
            cells += ["&nbsp;"] * (MONTHS_PER_ROW - len(cells))
            width = 100 // MONTHS_PER_ROW
            rows.append(
                "<tr>"
                + "".join(f"<td width='{width}%' valign='top'>{cell}</td>" for cell in cells)
                + "</tr>"
            )
        legend = _(
            "{session} treatment session   {other} other appointment (blood test, scan, "
            "pump disconnection…)"
        ).format(session=SESSION_MARK, other=OTHER_MARK)
        return (
            heading
            + "<table cellpadding='2' cellspacing='0' width='100%'>"
            + "".join(rows)
            + f"</table><p class='small'>{escape(legend)}</p>"
        )

    def month(self, year: int, month: int, marks: dict[date, str]) -> str:
        title = babel_format_date(date(year, month, 1), "LLLL y", locale=self.lang)
        names = get_day_names("narrow", context="stand-alone", locale=self.lang)
        head = "".join(f"<td align='center'><b>{escape(names[d])}</b></td>" for d in range(7))
        rows = [f"<tr>{head}</tr>"]
        for week in monthdays.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append("<td></td>")
                    continue
                mark = marks.get(day)
                if mark is None:
                    cells.append(f"<td align='center' style='white-space: nowrap'>{day.day}</td>")
                else:
                    shade = " bgcolor='#d9d9d9'" if mark == SESSION_MARK else ""
                    cells.append(
                        f"<td align='center' style='white-space: nowrap'{shade}>"
                        f"<b>{mark}{day.day}</b></td>"
                    )
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return (
            f"<p align='center'><b>{escape(title[:1].upper() + title[1:])}</b></p>"
            "<table class='month' border='1' cellpadding='1' cellspacing='0' width='100%' "
            f"style='border-color: #999; border-style: solid'>{''.join(rows)}</table>"
        )

    # ------------------------------------------------------------------ the list

    def appointments(self) -> str:
        rows = [self.session_row(index, session) for index, session in self.sessions]
        sessions_on = {(i, s.date) for i, s in self.sessions}
        for event in self.events:
            if event.date < self.today:
                continue
            alone = event.kind in _OWN_ROW or (
                event.kind is EventKind.MONITORING and not _is_blood_check(event)
            )
            # A consultation on a session's day is said with the session; one on another
            # day (the result of a confirmation scan) is an appointment of its own.
            if event.kind is EventKind.CONSULTATION:
                alone = (event.session, event.date) not in sessions_on
            if alone:
                rows.append(self.event_row(event))
        if not rows:
            return ""
        rows.sort(key=lambda row: (row.day, row.rank))
        intro = _(
            "Treatment session at the day hospital. Bring your health insurance card, your "
            "prescriptions and your blood test results."
        )
        if any(e.kind is EventKind.PUMP_DISCONNECT for e in self.events):
            pump = _(
                "You go home with a pump after the session: it is disconnected at the day "
                "hospital or by your home nurse, as agreed with the team. Do not disconnect "
                "it yourself."
            )
            intro = f"{intro} {pump}"
        head = "".join(
            f"<th>{escape(title)}</th>"
            for title in (_("Date"), _("Appointment"), _("Before and after"))
        )
        body = []
        for row in rows:
            notes = "<br>".join(f"• {escape(note)}" for note in row.notes)
            body.append(
                f"<tr><td width='28%' valign='top'>{row.when}</td>"
                f"<td width='33%' valign='top'>{row.what}</td>"
                f"<td valign='top' class='small'>{notes}</td></tr>"
            )
        return (
            f"<p>{escape(intro)}</p>"
            "<table border='1' cellpadding='4' cellspacing='0' width='100%' "
            "style='border-color: #999; border-style: solid'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )

    def session_row(self, index: int, session: Session) -> _Row:
        when = f"<b>{escape(_long(session.date))}</b>"
        booking = self.bookings.get(session.key)
        session_words = _("Treatment session")
        what = [f"<b>{escape(session_words)}</b>"]
        detail = self.words.cycle_words(session)
        what.append(
            f"<span class='small'>{escape(detail)} · {escape(session_agents(session))}</span>"
        )
        if booking is not None:
            when += f"<br>{escape(format_time(booking.start, 'short', locale=self.lang))}"
            length = _("Expected length: about {hours}.").format(hours=_duration(booking.minutes))
            what.append(f"<span class='small'>{escape(length)}</span>")
        notes: list[tuple[int, date, str]] = []
        for event in self.by_session.get(index, ()):
            note = self.note(event, session)
            if note is None:
                continue
            if event.kind is EventKind.CONSULTATION:
                what.append(f"<span class='small'>{escape(note)}</span>")
            else:
                notes.append((_NOTE_ORDER[event.kind], event.date, note))
        notes.sort(key=lambda n: (n[1], n[0]))
        return _Row(session.date, 1, when, "<br>".join(what), tuple(n[2] for n in notes))

    def note(self, event: Event, session: Session) -> str | None:
        """What an event says in a session's row; None when it has a row of its own."""
        kind = event.kind
        if kind is EventKind.LAB:
            summary = self.words.words(event, session)[0]
            return _("{what}: {date}").format(what=summary, date=_long(event.date))
        if kind is EventKind.MONITORING and _is_blood_check(event):
            return _("With the blood test: {check}").format(check=event_text(event))
        if kind is EventKind.PREMEDICATION:
            label = event.label.get(self.lang) if event.label is not None else event_text(event)
            what = label if event.code.count(":") == 2 else event_text(event)
            return _("{what}: {date}").format(what=what, date=_when(event))
        if kind is EventKind.PUMP_DISCONNECT:
            return _("{what}: {date}").format(what=event_name(kind), date=_long(event.date))
        if kind is EventKind.CONSULTATION and event.date == session.date:
            return event_name(kind)
        return None

    def event_row(self, event: Event) -> _Row:
        summary, text, _place, _reminder = self.words.words(event, self.ps.sessions[event.session])
        return _Row(event.date, 0, escape(_long(event.date)), f"<b>{escape(summary)}</b>", (text,))

    # ------------------------------------------------------------------ side effects

    def side_effects(self) -> str:
        phone = self.settings.phone
        if phone:
            intro = _("Call the day hospital on {phone} if you have:").format(phone=phone)
        else:
            intro = _("Call the day hospital if you have:")
        items = [_("a fever (38 °C or more) or shivers;")]
        if self.regimen.has_immunotherapy:
            # The effects the French patient information on immunotherapy (INCa, e-cancer.fr)
            # names first for checkpoint inhibitors: fatigue, itching, thyroid problems.
            items += [
                _("tiredness that is new or stronger than usual;"),
                _("itching or a rash;"),
                _(
                    "signs of a thyroid problem: feeling unusually cold or hot, a racing "
                    "heart, weight change without reason;"
                ),
            ]
        items.append(_("anything else that is unusual for you or worries you."))
        reassure = _(
            "Most side effects are mild and are easier to treat when they are reported early: "
            "do not wait for your next appointment to tell us."
        )
        closed = _("When the unit is closed and it cannot wait, call 15 (emergency services).")
        listed = "".join(f"<li>{escape(item)}</li>" for item in items)
        return (
            f"<p>{escape(intro)}</p><ul>{listed}</ul>"
            f"<p>{escape(reassure)}</p><p>{escape(closed)}</p>"
        )
