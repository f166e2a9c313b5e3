"""French that reads as written by a French day-hospital coordinator, in what the program
really writes: the command line's schedules, plans, histories and day sheets, the patients'
handouts and calendars, the words of a demo unit's changes and warnings, and every entry of
the French catalogue.

What a reader notices at once, and the rules checked here:

* "de le", "de les", "à le", "à les" are never written ("du", "des", "au", "aux");
* numbers are written the French way: "6,2 heures", never "6.2";
* a space comes before ":", ";", "?" and "!", and a non-breaking one before "%";
* a cycle's day is "J1" (jour 1): "C1 J1", never "C1 D1".
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from icalendar import Calendar

from planner import explain, explain_plan
from planner.catalog import Catalog
from planner.cli import run
from planner.core.batch import plan_schedules
from planner.core.plan_schedule import schedule_of
from planner.day_hospital import bookings
from planner.day_hospital.demo import build_demo
from planner.export.calendar import Detail, ExportOptions, patient_calendar
from planner.export.handout import handout_html
from planner.i18n import speaking
from planner.resources import translations_dir
from planner.store import Store

TODAY = date(2027, 3, 1)
AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
PATIENTS = 60

ARTICLE = re.compile(r"\b(?:de|à) (?:le|les)\b", re.IGNORECASE)
DECIMAL_POINT = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
"""A number with a decimal point; not a date, version or identifier ("1.3.1", "v1.2")."""
NO_SPACE_BEFORE = re.compile(r"[^\s\u00a0\u202f][;:?!](?=[\s\u00a0\u202f]|$)", re.MULTILINE)
"""A colon, semicolon, question or exclamation mark ending a word, with no space before."""
PERCENT = re.compile(r"[^\u00a0\u202f]%")
ORDINARY_SPACE_BEFORE = re.compile(r" [;:?!](?=[\s\u00a0]|$)", re.MULTILINE)
"""In the catalogue, the space before those marks is a non-breaking one: a line never
starts with a lone colon."""
CYCLE_DAY = re.compile(r"\bC\d+\s*(?:·\s*)?D\d+\b")


def problems(text: str) -> list[str]:
    """What a French reader would correct in ``text``, each with its context."""
    found = []
    for name, pattern in (
        ("article", ARTICLE),
        ("decimal point", DECIMAL_POINT),
        ("no space before", NO_SPACE_BEFORE),
        ("percent", PERCENT),
        ("cycle and day", CYCLE_DAY),
    ):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 30), match.end() + 30
            found.append(f"{name}: …{text[start:end]}…")
    return found


# ------------------------------------------------------------------ what is rendered


def call(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--lang", "fr", *argv], out, err)
    assert (code, err.getvalue()) == (0, ""), argv
    return out.getvalue()


class _Text(HTMLParser):
    """The text a reader sees in an HTML page (not its style sheet)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo unit on 1 March 2027 (delays, omissions, stops, progressions), booked."""
    db = str(tmp_path_factory.mktemp("french") / "demo.db")
    call("demo", "--patients", str(PATIENTS), "--db", db, "--today", TODAY.isoformat())
    return db


def _schedule_texts(catalog: Catalog) -> Iterator[tuple[str, str]]:
    for regimen_id in sorted(catalog.entries):
        yield (
            f"schedule {regimen_id}",
            call("schedule", "--regimen", regimen_id, "--start", "2027-03-29", "--format", "text"),
        )


def _plan_texts(db: str) -> Iterator[tuple[str, str]]:
    listed = json.loads(call("plans", "list", "--format", "json", "--db", db))
    for plan in listed:
        yield f"plans show {plan['id']}", call("plans", "show", plan["id"], "--db", db)
    changed = max(listed, key=lambda plan: plan["changes"])["id"]
    yield "plans history", call("plans", "history", changed, "--db", db)
    coming = next(plan["id"] for plan in listed if plan["start"] > TODAY.isoformat())
    yield (
        "a delay's preview",
        call(
            "plans", "delay", coming, "--session", "C2J1", "--days", "7", "--reason", "toxicity",
            "--preview", "--db", db, "--today", TODAY.isoformat(),
        ),
    )  # fmt: skip


def _unit_texts(db: str) -> Iterator[tuple[str, str]]:
    yield "unit load", call("unit", "load", "--weeks", "2", "--db", db, "--from", "2027-03-01")
    yield (
        "unit earliest-start",
        call("unit", "earliest-start", "--regimen", "mfolfox6-q14", "--from", "2027-03-01",
             "--db", db),
    )  # fmt: skip
    for day in ("2027-03-01", "2027-03-02", "2027-03-08"):
        yield f"day sheet {day}", call("unit", "day-sheet", "--day", day, "--db", db)


def _day_sheets_html(db: str, catalog: Catalog) -> Iterator[tuple[str, str]]:
    with Store.open(Path(db)) as store:
        settings = store.settings()
        unit = bookings.occupancy(settings, store.resources(), store.bookings())
        plans = store.plans()
    schedules = plan_schedules(plans, catalog.port_rules)
    with speaking("fr"):
        for day in (date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 8)):
            lines = bookings.day_sheet(unit, schedules, day, today=TODAY)
            assert lines, day
            html = bookings.day_sheet_html(lines, day, settings, numbers=True)
            yield f"day sheet HTML {day}", text_of(html)


def _demo_texts(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """Every change, warning, note and event of a demo unit, and the handouts and
    calendars of some of its patients."""
    demo = build_demo(catalog, PATIENTS, TODAY)
    rules = catalog.port_rules
    with speaking("fr"):
        for plan in demo.plans:
            ps = schedule_of(plan, rules, TODAY)
            words = [explain_plan.change_text(e.change, plan) for e in plan.ledger]
            words += [w.text for w in explain_plan.warning_lines(ps)]
            words += [explain_plan.notice_text(n) for n in ps.notices]
            words += [" / ".join(explain.session_notes(s)) for s in ps.sessions]
            words += [
                " | ".join((line.date, line.what, line.where, line.notes))
                for line in explain.lines(plan.regimen, ps.sessions, ps.events, plan.calendar)
            ]
            words += explain.port_reasons(ps.port)
            yield f"demo plan {plan.regimen.id}", "\n".join(words)
    one_per_regimen = {plan.regimen.id: plan for plan in reversed(demo.plans)}
    for plan in one_per_regimen.values():
        ps = schedule_of(plan, rules, TODAY)
        html = handout_html(ps, demo.settings, lang="fr", today=TODAY)
        yield f"handout {plan.regimen.id}", text_of(html)
        for detail in Detail:
            exported = patient_calendar(
                ps,
                settings=demo.settings,
                options=ExportOptions("fr", detail),
                exported_at=AT,
            )
            texts = []
            for component in Calendar.from_ical(exported.content).walk():
                for field in ("SUMMARY", "DESCRIPTION", "LOCATION", "X-WR-CALNAME"):
                    if field in component:
                        texts.append(str(component[field]))
            yield f"calendar {detail} {plan.regimen.id}", "\n".join(texts)


def _the_checks_catch_what_a_reader_would_correct() -> None:
    """The patterns themselves: each mistake is found, and correct French is left alone."""
    assert problems("la veille et de le jour de la séance") != []
    assert problems("À les voir") != []
    assert problems("39 séances, 6.2 heures de fauteuil") != []
    assert problems("demo: Traitement · C1 · J1") != []
    assert problems("44% du temps de fauteuil") != []
    assert problems("44 % du temps") != []  # a breakable space lets "%" start a line
    assert problems("bleu sous 70\u00a0%") == []
    assert problems("F3 · C2 D1 · 2:45") != []
    fine = (
        "Décalage de la séance Induction · C3 · J1 au lun. 22 févr. 2027 (toxicité) ; "
        "6,2 heures, 44\u00a0% du temps de fauteuil, séance 1.3.1, version 0.1.0, 10:30, "
        "du jour de la séance aux 2 jours suivants. Venir ? Oui !"
    )
    assert problems(fine) == []


def test_what_the_program_writes_in_french_reads_right(catalog: Catalog, demo_db: str) -> None:
    _the_checks_catch_what_a_reader_would_correct()
    rendered = [
        *_schedule_texts(catalog),
        *_plan_texts(demo_db),
        *_unit_texts(demo_db),
        *_day_sheets_html(demo_db, catalog),
        *_demo_texts(catalog),
    ]
    # The renders hold what the rules are about (placeholders filled with real values).
    everything = "\n".join(text for _what, text in rendered)
    for expected in (" J1", "\u00a0%", "\u00a0: ", "\u00a0; "):
        assert expected in everything
    assert re.search(r"\d,\d h de fauteuil", everything)
    found = [f"{what}: {problem}" for what, text in rendered for problem in problems(text)]
    assert found == []


# ------------------------------------------------------------------ the catalogue


PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_every_french_entry_reads_right() -> None:
    with (translations_dir() / "fr" / "LC_MESSAGES" / "planner.po").open("rb") as stream:
        catalogue = read_po(stream)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in map(str, strings):
            # A placeholder is filled by the code (and checked above, rendered); its format
            # spec ("{minutes:02d}") is not French text.
            text = PLACEHOLDER.sub("X", string)
            found += [f"{string!r}: {problem}" for problem in problems(text)]
            if re.search(r"\bD\{", string):
                found.append(f"{string!r}: a cycle's day is J in French")
            if ORDINARY_SPACE_BEFORE.search(text):
                found.append(f"{string!r}: the space before : ; ? ! is a non-breaking one")
    assert found == []
