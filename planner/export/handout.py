"""The patient handout: a printable A4 document of a few pages in the patient's language.

What the patient takes home, in the order they need it: the treatment in plain words, the
unit's contact, the next three months at a glance, when to call the unit (the signs of the
patient's treatment: planner.export.warning_signs; and, with immunotherapy, the immune side
effects to report at once), whether an implantable port is
needed and why, then every appointment ahead as one line per day, grouped by month, with
what to do before it (blood test, premedication) and after (pump disconnection). A two-year
plan fits in three pages (and a fourth for the live calendar's section when the third is
full).

The output is one self-contained HTML document in the subset QTextDocument renders (tables,
h1-h3, p, ul, b, a few inline styles, the QR code as a data: URL; no external resources),
so the GUI prints it to PDF or paper without anything else. It must read in black and
white: appointment days are marked with a symbol and in bold, never by colour alone.
Nothing carries the hospital number or a birth date (the handout may be left lying around
or photocopied).

Events are named as in the patient's calendar export (planner.export.calendar), so the
handout and the calendar say the same thing the same way; the handout's notes are shorter.
It is refused while the unit has no telephone number (planner.export.contact). The
immune side effects are in planner.export.immune, the month grids in
planner.export.month_grids.

Where the unit publishes the patient's calendar (issue 19), the handout ends with it: the
link, its QR code and how to subscribe on Android, iPhone and Outlook
(planner.export.subscription). It comes after the list, which it is a live copy of, and so
does not push the list's first rows off the first page.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from html import escape, unescape

from babel.dates import format_time

from planner.core.booking import Booking
from planner.core.plan_schedule import BLOOD_TEST_CHECKS, PlanSchedule, is_before_c1
from planner.core.port import PortLevel
from planner.core.regimen import MonitoringKind
from planner.core.schedule import Event, EventKind, Session, SessionKey
from planner.core.settings import UnitSettings
from planner.explain import (
    agent_names,
    duration_text,
    event_text,
    listed,
    phase_cycles_text,
    port_level_name,
    port_reasons,
    regimen_classes,
    session_agents,
)
from planner.export.calendar import Detail, _Writer, confirmation_text
from planner.export.contact import require_unit_phone
from planner.export.immune import CHECKPOINT_FAMILIES, has_checkpoint_inhibitor, immune_section
from planner.export.month_grids import OTHER_MARK, SESSION_MARK, month_grids
from planner.export.subscription import qr_data_url
from planner.export.warning_signs import warning_signs
from planner.i18n import _, format_date, format_date_as, language, pgettext, speaking

MONTH_HEADING = "#d9d9d9"
"""The shade of a month's heading in the list, a row spanning every column (which
planner.gui.printing keeps with the month's first day, and repeats on a new page)."""

# A day's notes: in the order the patient lives them.
_NOTE_ORDER = {
    EventKind.PREMEDICATION: 0,
    EventKind.LAB: 1,
    EventKind.MONITORING: 2,
    EventKind.PUMP_DISCONNECT: 3,
}
# Events that are an appointment of their own (a line of the list), not a note of a session.
_OWN_ROW = {
    EventKind.PORT_PLACEMENT,
    EventKind.IMAGING,
    EventKind.CONFIRMATION_SCAN,
}

_STYLE = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; color: #000; }
h1 { font-size: 17pt; font-weight: bold; margin-top: 0; margin-bottom: 2pt; }
h2 { font-size: 12.5pt; font-weight: bold; margin-top: 8pt; margin-bottom: 3pt; }
p { margin-top: 2pt; margin-bottom: 3pt; }
li { margin-bottom: 1pt; }
.small { font-size: 8.5pt; }
.list { font-size: 8.5pt; }
.month { font-size: 7pt; }
th { font-weight: bold; text-align: left; background-color: #e6e6e6; }
"""

QR_PX = 151
"""The QR code's printed width in CSS pixels: 4 cm, about 0.9 mm a module for a link of up
to 84 characters, for an old phone, a shaky hand or a photocopy."""


def _heading(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def handout_html(
    ps: PlanSchedule,
    settings: UnitSettings,
    *,
    lang: str,
    today: date,
    bookings: Mapping[SessionKey, Booking] | None = None,
    subscription: str | None = None,
) -> str:
    """The handout of a plan as an HTML document, in ``lang``.

    Appointments before ``today`` are left out (a handout printed mid-course shows what is
    ahead); ``today`` is also the printed date. ``bookings`` give sessions a start time.
    ``subscription``: the https:// link of the patient's live calendar, printed with its
    QR code and how to subscribe to it (ValueError if it is not an http(s) link).
    Refused (:class:`~planner.export.contact.NoUnitPhone`) while the unit has no telephone.
    """
    require_unit_phone(settings)
    with speaking(lang):
        return _Handout(ps, settings, today, bookings or {}, subscription).html()


@dataclass(slots=True)
class _Day:
    """One line of the appointment list: everything on one day."""

    day: date
    time: str = ""
    what: list[tuple[int, str]] = field(default_factory=list)
    """(rank, HTML): the day's appointments, the port placement and scans before sessions."""
    notes: list[tuple[date, int, str]] = field(default_factory=list)
    """(date, rank, text): what to do before and after."""


def _long(day: date) -> str:
    return format_date(day, "long")


def _pattern(day: date, pattern: str) -> str:
    """A day in a Babel pattern; French writes the first of the month "1er"."""
    return format_date_as(day, pattern, language())


def _page_share(html: str) -> float:
    """About how much of an A4 page's width (in %) a line of the list takes at its 8.5 pt:
    DejaVu Sans sets about 1.23 plain characters and 1.08 bold ones per %, and a cell's
    padding and border take 2.5 % (measured with Qt's font metrics). The longest line of a
    cell counts: its ``<br>`` starts another."""
    widest = 0.0
    for line in html.split("<br>"):
        bold = sum(len(unescape(b)) for b in re.findall(r"<b>(.*?)</b>", line))
        plain = len(unescape(re.sub(r"<[^>]+>", "", line))) - bold
        widest = max(widest, bold / 1.08 + plain / 1.23)
    return widest + 2.5


def _note_day(day: date, row: date) -> str:
    """A day in a line's note, short: "sat. 13" within the line's month, "sat. 27 Feb" out
    of it (the month heading above says the rest)."""
    same_month = (day.year, day.month) == (row.year, row.month)
    return _pattern(day, "EEE d" if same_month else "EEE d MMM")


def _clock(at: time) -> str:
    """A time of day as the patient writes it: "9 h 30" in French, "9:30 AM" in English."""
    if language() == "fr":
        return f"{at.hour} h {at.minute:02d}" if at.minute else f"{at.hour} h"
    return format_time(at, "short", locale="en")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _when(event: Event, row: date) -> str:
    """An event's day in a line's note, or its run of days said once: "from Sun 7 to Tue 9"
    (the month said only out of the line's month, as in :func:`_note_day`)."""
    first, last = event.date, event.until
    if last is None or last == first:
        return _note_day(first, row)
    start = _pattern(first, "EEE d" if first.month == last.month else "EEE d MMM")
    return pgettext("date range", "from {first} to {last}").format(
        first=start, last=_note_day(last, row)
    )


def _lowercase(text: str) -> str:
    """A name inside a sentence: "Thyroid function" -> "thyroid function" (not "TSH")."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _plain(label: str) -> str:
    """A check's name without its technical detail: "Thyroid function (TSH ± free T4)" ->
    "Thyroid function" (the patient needs to know a blood test looks at the thyroid)."""
    if label.endswith(")") and " (" in label:
        return label[: label.rindex(" (")]
    return label


def _is_blood_check(event: Event) -> bool:
    return MonitoringKind(event.code.split(":", 1)[0]) in BLOOD_TEST_CHECKS


class _Handout:
    def __init__(
        self,
        ps: PlanSchedule,
        settings: UnitSettings,
        today: date,
        bookings: Mapping[SessionKey, Booking],
        subscription: str | None = None,
    ) -> None:
        self.ps = ps
        self.link = subscription
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
        self.around_each = self.premedications_around_each_session()
        self.first_of = {
            next((e.session, e.code) for e in self.events if e.code == code)
            for code in self.around_each
        }
        self.consulted = {
            e.session
            for e in self.events
            if e.kind is EventKind.CONSULTATION and e.date == ps.sessions[e.session].date
        }
        self.consulted_each = bool(self.sessions) and all(
            index in self.consulted for index, _session in self.sessions
        )

    def premedications_around_each_session(self) -> set[str]:
        """The premedications taken on days around every session ahead ("dexamethasone the
        day before to the day after"): said once, not on each line."""
        ahead = {index for index, _session in self.sessions}
        taken: dict[str, set[int]] = {}
        for event in self.events:
            if event.kind is EventKind.PREMEDICATION and event.code.count(":") == 2:
                taken.setdefault(event.code, set()).add(event.session)
        return {code for code, sessions in taken.items() if ahead and sessions >= ahead}

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
            self.grids(),
            _heading(_("When to call the unit")),
            self.side_effects(),
        ]
        if has_checkpoint_inhibitor(self.regimen):
            parts += [_heading(_("Immunotherapy: signs to report at once")), self.immune()]
        parts += [
            _heading(_("Implantable port")),
            self.port(),
            _heading(_("Your appointments")),
            self.appointments(),
        ]
        if self.link is not None:
            # Apart from the list above it (in px: QTextDocument ignores margins in pt).
            heading = escape(_("Your calendar on your phone"))
            parts += [f"<h2 style='margin-top: 16px'>{heading}</h2>", self.subscription(self.link)]
        parts.append("</body></html>")
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
        for n, phase in enumerate(phases):
            text = phase_cycles_text(phase, first=n == 0)
            if len(phases) > 1:
                text = _("{phase}: {cycles}").format(phase=phase.name.get(self.lang), cycles=text)
            words.append(text)
        return listed(words)

    def contact(self) -> str:
        settings = self.settings
        name = settings.name or _("Day hospital")
        lines = [f"<b>{escape(name)}</b>"]
        if settings.address:
            lines.append(escape(settings.address).replace("\n", "<br>"))
        phone = _("Telephone: {phone}").format(phone=settings.phone)
        lines.append(f"<b>{escape(phone)}</b>")
        return (
            "<table border='1' cellpadding='6' cellspacing='0' width='100%' "
            "style='border-color: #000; border-style: solid; margin-top: 8pt'>"
            f"<tr><td>{'<br>'.join(lines)}</td></tr></table>"
        )

    # ------------------------------------------------------------------ subscription

    def subscription(self, link: str) -> str:
        """The QR code beside the link and how to subscribe to it, one line a system.

        The steps are the vendors' own (checked in 2026): Google Calendar adds a calendar
        "From URL" only on a computer, not in its phone app, and the phone then shows it;
        an iPhone subscribes in Settings (Calendar moved under Apps in iOS 18); Outlook
        on the web and the new Outlook "Subscribe from web". Google refreshes such a
        calendar every 8 to 24 hours or so, Apple and Outlook within hours: "up to a day"."""
        code = (
            f"<img src='{qr_data_url(link)}' width='{QR_PX}' height='{QR_PX}' alt='{escape(link)}'>"
        )
        # TRANSLATORS: one line of how to subscribe: "iPhone: Settings → Calendar → ...".
        line = escape(_("{system}: {steps}"))
        steps = [
            (
                _("Android (Google Calendar)"),
                _(
                    "on a computer, open Google Calendar, then Other calendars → + → From URL, "
                    "and paste the link. The calendar then appears on your phone."
                ),
            ),
            (
                _("iPhone"),
                _(
                    "Settings → Calendar → Accounts → Add Account → Other → Add Subscribed "
                    "Calendar, then enter the link (on recent iPhones, Calendar is under Apps)."
                ),
            ),
            (_("Outlook"), _("Add calendar → Subscribe from web, paste the link, then Import.")),
        ]
        lines = [
            line.format(system=f"<b>{escape(system)}</b>", steps=escape(how))
            for system, how in steps
        ]
        intro = _(
            "Your phone's calendar can show these appointments and follow their changes. "
            "Subscribe to them with this link:"
        )
        scan = _(
            "The square code holds the same link: scan it with your phone's camera to copy "
            "it rather than type it."
        )
        late = _("Changes may take up to a day to appear in your calendar.")
        personal = _("This link is personal: anyone who has it can see these dates.")
        paragraphs = [
            escape(intro),
            f"<b>{escape(link)}</b>",
            *lines,
            f"{escape(scan)} {escape(late)}",
            f"<b>{escape(personal)}</b>",
        ]
        # In px: QTextDocument ignores margins in pt (the style's among them).
        text = "".join(f"<p style='margin-bottom: 5px'>{p}</p>" for p in paragraphs)
        return (
            "<table cellpadding='0' cellspacing='0' width='100%' style='margin-top: 6px'><tr>"
            f"<td width='{QR_PX + 12}' valign='top'>{code}</td>"
            f"<td valign='top'>{text}</td></tr></table>"
        )

    # ------------------------------------------------------------------ side effects

    def side_effects(self) -> str:
        """When to call the day hospital: fever for every treatment; with chemotherapy,
        diarrhoea, vomiting, mouth sores and bleeding; the port's pain or swelling where
        there is or will be one; cold with oxaliplatin (planner.export.warning_signs)."""
        intro = _("Call the day hospital on {phone} if you have:").format(phone=self.settings.phone)
        ps = self.ps
        port = (
            self.plan.patient.port_in_place
            or ps.port_task
            or ps.port.level in (PortLevel.REQUIRED, PortLevel.RECOMMENDED)
        )
        items = warning_signs(self.regimen, port=port)
        reassure = _(
            "Most side effects are mild and are easier to treat when they are reported early: "
            "do not wait for your next appointment to tell us."
        )
        closed = _("When the unit is closed and it cannot wait, call 15 (emergency services).")
        if len(items) <= 3:
            listed = "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
        else:  # in two columns, as the immune signs: the handout keeps to its pages
            half = (len(items) + 1) // 2
            listed = (
                "<table cellpadding='0' cellspacing='0' width='100%'><tr>"
                + "".join(
                    "<td width='50%' valign='top'><ul>"
                    + "".join(f"<li>{escape(item)}</li>" for item in column)
                    + "</ul></td>"
                    for column in (items[:half], items[half:])
                )
                + "</tr></table>"
            )
        return f"<p>{escape(intro)}</p>{listed}<p>{escape(reassure)} {escape(closed)}</p>"

    def immune(self) -> str:
        agents = [a for a in self.regimen.active_agents if a.family in CHECKPOINT_FAMILIES]
        return immune_section(agents, self.settings.phone)

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
        reasons = [_capital(reason) for reason in port_reasons(advice)]
        if advice.level is PortLevel.NOT_NEEDED:
            text = [_("Your treatment does not need an implantable port."), *reasons]
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
        text = [lead, what, *reasons]
        placement = [e for e in self.ps.events if e.kind is EventKind.PORT_PLACEMENT]
        # Said only while still to come: a placement day past and not recorded as placed is
        # for the team to check, not a date to give the patient.
        if self.ps.port_task and placement and placement[0].date >= self.today:
            text.append(
                _(
                    "It is placed on {date}, at least {days} days before your first session. "
                    "The team tells you where and when to come."
                ).format(date=_long(placement[0].date), days=self.plan.options.port_lead_days)
            )
        return f"<p>{level} {' '.join(escape(t) for t in text)}</p>"

    # ------------------------------------------------------------------ appointments

    @functools.cached_property
    def lengths(self) -> Counter[int]:
        """How many booked sessions ahead last how long (in minutes)."""
        return Counter(
            booking.minutes
            for _i, session in self.sessions
            if (booking := self.bookings.get(session.key)) is not None
        )

    @functools.cached_property
    def usual_minutes(self) -> int | None:
        """How long most sessions ahead last, said once above the list: only when every
        one is booked (an unbooked session's length is not known yet)."""
        if not self.lengths or self.lengths.total() < len(self.sessions):
            return None
        return self.lengths.most_common(1)[0][0]

    def appointments(self) -> str:
        days = self.days()
        if not days:
            none = _("No appointment is planned from {date}.").format(date=_long(self.today))
            return f"<p>{escape(none)}</p>"
        if self.words.same_day_labs & {index for index, _session in self.sessions}:
            intro = _(
                "Treatment session at the day hospital. Bring your health insurance card and "
                "your prescriptions. Your blood test is taken when you arrive; the treatment "
                "starts once its results are known."
            )
        else:
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
        if self.consulted_each:
            seen = _("Each treatment day begins with a consultation with your oncologist.")
            intro = f"{intro} {seen}"
        usual = self.usual_minutes
        if usual is not None and len(self.lengths) == 1:
            lasts = _("Each session lasts about {hours} at the day hospital.")
            intro = f"{intro} {lasts.format(hours=duration_text(usual))}"
        elif usual is not None:
            lasts = _(
                "A session usually lasts about {hours} at the day hospital; the list says "
                "when one lasts longer or shorter."
            )
            intro = f"{intro} {lasts.format(hours=duration_text(usual))}"
        each = [
            f"<li>{escape(event_text(event))}</li>"
            for event in self.events
            if event.code in self.around_each and (event.session, event.code) in self.first_of
        ]
        around = ""
        if each:
            said = _("To take around each session (the dates are not repeated below):")
            around = f"<p>{escape(said)}</p><ul>{''.join(each)}</ul>"
        return f"<p>{escape(intro)}</p>{around}" + self.listing(days)

    def days(self) -> list[_Day]:
        """Every day ahead with an appointment, in order, each with its notes."""
        days: dict[date, _Day] = {}

        def day_of(when: date) -> _Day:
            found = days.get(when)
            if found is None:
                found = days[when] = _Day(when)
            return found

        sessions_on = {(i, s.date) for i, s in self.sessions}
        for index, session in self.sessions:
            self.session_line(day_of(session.date), index, session)
        for event in self.events:
            if event.date < self.today:
                continue
            alone = event.kind in _OWN_ROW or (
                event.kind is EventKind.MONITORING and not _is_blood_check(event)
            )
            # A consultation on a session's day is said with the session; one on another
            # day (the result of a follow-up scan) is an appointment of its own.
            if event.kind is EventKind.CONSULTATION:
                alone = (event.session, event.date) not in sessions_on
            if alone:
                self.event_line(day_of(event.date), event)
        return [days[d] for d in sorted(days)]

    def session_line(self, line: _Day, index: int, session: Session) -> None:
        events = self.by_session.get(index, ())
        consulted = index in self.consulted and not self.consulted_each
        title = (
            _("Consultation and treatment") if consulted else pgettext("appointment", "Treatment")
        )
        detail = self.cycle_words(session)
        phase = self.regimen.phases[session.phase - 1]
        given = {dose.inn for dose in session.doses}
        if given != {a.agent.inn for a in phase.administrations if a.starts_session}:
            # Not every drug of the phase (a day 8, a drug that reached its cap): say which.
            detail = _("{cycle}: {drugs}").format(cycle=detail, drugs=session_agents(session))
        booking = self.bookings.get(session.key)
        if booking is not None:
            line.time = _clock(booking.start)
            if booking.minutes != self.usual_minutes:  # the usual length is said once
                # TRANSLATORS: a session's length: "cycle 2 (lasts 2 h 30)".
                detail = _("{cycle} (lasts {hours})").format(
                    cycle=detail, hours=duration_text(booking.minutes)
                )
        line.what.append((1, f"<b>{escape(title)}</b> — {escape(detail)}"))
        checks = [
            _lowercase(_plain(event_text(e)))
            for e in events
            if e.kind is EventKind.MONITORING and _is_blood_check(e) and e.date >= self.today
        ]
        for event in events:
            if event.date < self.today:
                continue
            note = self.note(event, checks)
            if note is not None:
                line.notes.append((event.date, _NOTE_ORDER[event.kind], note))

    def cycle_words(self, session: Session) -> str:
        """ "cycle 3" on the day a cycle starts, "cycle 3, day 8" on its other days; the
        phase named on its first line only (the lines after it are of the same phase)."""
        if session.day != 1:
            words = _("cycle {cycle}, day {day}").format(cycle=session.cycle, day=session.day)
        else:
            words = _("cycle {cycle}").format(cycle=session.cycle)
        if len(self.regimen.phases) > 1 and session.key in self.phase_starts:
            words = f"{self.regimen.phases[session.phase - 1].name.get(self.lang)}, {words}"
        return words

    @functools.cached_property
    def phase_starts(self) -> set[tuple[int, int, int]]:
        """The first session listed of each phase."""
        first: dict[int, tuple[int, int, int]] = {}
        for _index, session in self.sessions:
            first.setdefault(session.phase, session.key)
        return set(first.values())

    @functools.cached_property
    def month_phases(self) -> dict[tuple[int, int], str]:
        """A regimen of several phases counts its cycles again in each ("AC, cycle 3" then
        "paclitaxel, cycle 3"): each month of the list says its phase, or its phases in
        order ("Induction, then Maintenance"), and a page starts with its month's heading."""
        if len(self.regimen.phases) < 2:
            return {}
        phases: dict[tuple[int, int], list[int]] = {}
        for _index, session in self.sessions:
            seen = phases.setdefault((session.date.year, session.date.month), [])
            if session.phase not in seen:
                seen.append(session.phase)
        said: dict[tuple[int, int], str] = {}
        for month, numbers in phases.items():
            names = [self.regimen.phases[n - 1].name.get(self.lang) for n in numbers]
            text = names[0]
            for name in names[1:]:
                text = _("{phase}, then {next}").format(phase=text, next=name)
            said[month] = text
        return said

    def note(self, event: Event, checks: list[str]) -> str | None:
        """What an event says in a session's line (``checks``: what the blood test also
        looks at); None when it has a line of its own or is said with the blood test."""
        kind = event.kind
        if kind is EventKind.LAB:
            summary = self.words.words(event, self.ps.sessions[event.session])[0]
            row = self.ps.sessions[event.session].date
            if event.date == row:  # taken in the unit (the calendar's words say so)
                text = _("{what}, when you arrive").format(what=summary)
            else:
                text = _("{what}: {date}").format(what=summary, date=_note_day(event.date, row))
            if checks:
                text = _("{blood_test}, with {checks}").format(
                    blood_test=text, checks=", ".join(checks)
                )
            return text
        if kind is EventKind.PREMEDICATION:
            if event.code in self.around_each:
                return None
            label = event.label.get(self.lang) if event.label is not None else event_text(event)
            what = label if event.code.count(":") == 2 else event_text(event)
            row = self.ps.sessions[event.session].date
            return _("{what}: {date}").format(what=what, date=_when(event, row))
        if kind is EventKind.PUMP_DISCONNECT:
            row = self.ps.sessions[event.session].date
            return _("Pump disconnected: {date}").format(date=_note_day(event.date, row))
        return None

    def event_line(self, line: _Day, event: Event) -> None:
        session = self.ps.sessions[event.session]
        summary = self.words.words(event, session)[0]
        kind = event.kind
        if kind is EventKind.CONFIRMATION_SCAN:
            note = confirmation_text()
        elif kind is EventKind.IMAGING:
            note = _("Bring your previous images and reports.")
        elif kind is EventKind.PORT_PLACEMENT:
            note = _("The team tells you where and when to come.")
        elif kind is EventKind.MONITORING and is_before_c1(event):
            if event.label is not None:  # the note says why it comes so early
                summary = event.label.get(self.lang)
            note = _(
                "Its result is needed before your first session; the team tells you where it "
                "takes place."
            )
        elif kind is EventKind.MONITORING:
            note = _("To watch for side effects; the team tells you where it takes place.")
        else:  # a consultation on a day of its own
            note = _("Write down your questions.")
        line.what.append((0, f"<b>{escape(summary)}</b>"))
        line.notes.append((event.date, -1, note))

    def _widths(self, days: list[_Day]) -> tuple[int, int]:
        """The date's and the appointment's columns, in % of the page (the notes take the
        rest), chosen to make the list as short as it can be: rows one line high wherever
        they can, a two-year plan in three pages, booked or not, whichever column its long
        texts are in."""
        # Each text given 1 % more than measured (the measure is close, not exact); rows
        # alike counted once with their number (most lines of a list are alike).
        rows = Counter(
            (
                round(_page_share(self._date_cell(line)) + 1, 1),
                round(_page_share("<br>".join(h for _r, h in line.what)) + 1, 1),
                round(_page_share(self._notes(line)) + 1, 1),
            )
            for line in days
        )

        def height(widths: tuple[int, int]) -> tuple[int, int]:
            """The list's lines with these widths, then how far the appointment and the
            notes are from sharing the rest evenly (the tie-breaker)."""
            when, what = widths
            rest = 100 - when - what
            lines = sum(
                count * max(math.ceil(d / when), math.ceil(w / what), math.ceil(n / rest))
                for (d, w, n), count in rows.items()
            )
            return lines, abs(what - rest)

        return min(((d, w) for d in range(10, 23) for w in range(28, 56)), key=height)

    @staticmethod
    def _notes(line: _Day) -> str:
        """A line's notes, as its last cell shows them."""
        texts = list(dict.fromkeys(text for _d, _r, text in sorted(line.notes)))
        # Two appointments the same day may ask the same ("bring your images"): once.
        texts = [t for t in texts if not any(t != o and t in o for o in texts)]
        return " · ".join(escape(text) for text in texts)

    @staticmethod
    def _date_cell(line: _Day) -> str:
        """A line's day (and time when booked), as its first cell shows it."""
        if line.time:
            # Booked: the time on the date's line ("Lun. 15 · 9 h 30"), the weekday short.
            day = escape(_capital(_pattern(line.day, "EEE d")))
            return f"<b>{day}</b> · {escape(line.time)}"
        return f"<b>{escape(_capital(_pattern(line.day, 'EEEE d')))}</b>"

    def listing(self, days: list[_Day]) -> str:
        """One line per day, grouped under a heading per month."""
        head = "".join(
            f"<th>{escape(title)}</th>"
            for title in (_("Date"), _("Appointment"), _("Before and after"))
        )
        body = []
        month: tuple[int, int] | None = None
        date_width, what_width = self._widths(days)
        for line in days:
            if (line.day.year, line.day.month) != month:
                month = (line.day.year, line.day.month)
                name = _capital(_pattern(line.day, "LLLL y"))
                if month in self.month_phases:
                    # TRANSLATORS: a month of the list and the treatment's phase in it.
                    name = _("{month} — {phase}").format(month=name, phase=self.month_phases[month])
                body.append(
                    f"<tr><td colspan='3' bgcolor='{MONTH_HEADING}'><b>{escape(name)}</b></td></tr>"
                )
            when = self._date_cell(line)
            what = "<br>".join(html for _rank, html in sorted(line.what, key=lambda w: w[0]))
            notes = self._notes(line)
            body.append(
                f"<tr><td width='{date_width}%' valign='top'>{when}</td>"
                f"<td width='{what_width}%' valign='top'>{what}</td>"
                f"<td valign='top'>{notes}</td></tr>"
            )
        return (
            "<table class='list' border='1' cellpadding='1' cellspacing='0' width='100%' "
            "style='border-color: #999; border-style: solid; margin-top: 6pt'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )

    # ------------------------------------------------------------------ month grids

    def grids(self) -> str:
        """The next months at a glance, ● a session, ○ another appointment."""
        marks: dict[date, str] = {}
        for event in self.events:
            if event.kind is not EventKind.PREMEDICATION and event.date >= self.today:
                marks[event.date] = OTHER_MARK
        for _index, session in self.sessions:
            marks[session.date] = SESSION_MARK
        return month_grids(marks)
