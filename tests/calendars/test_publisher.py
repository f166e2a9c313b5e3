"""Patients' calendars published on a real CalDAV server (a throw-away Radicale,
planner.calendars.radicale_trial), through the command line: the subscription link read
without a password, every change reaching it, revoking, and an outage losing nothing."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from planner.calendars.publisher import (
    Connection,
    ServerSettings,
    backoff,
    publish_due,
)
from planner.calendars.radicale_trial import TrialServer, trial_server
from planner.catalog import load_catalog
from planner.core.closures import ClosureSet
from planner.core.schedule import Policy
from planner.core.settings import UnitSettings
from planner.export.subscription import webcal_url as webcal
from planner.store import Store
from planner.store.passwords import use_secret_for_session
from tests.cli.test_plan_commands import call
from tests.export.ics_check import ics_check

AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
START = date(2027, 3, 8)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrialServer]:
    with trial_server(tmp_path_factory.mktemp("radicale")) as started:
        yield started


@pytest.fixture
def db(tmp_path: Path, server: TrialServer) -> str:
    """Anne on pembrolizumab and Bruno on mFOLFOX6 from Monday 8 March 2027; the unit
    publishes to the trial server."""
    path = tmp_path / "unit.db"
    catalog = load_catalog()
    with Store.open(path) as store:
        store.save_settings(
            UnitSettings(name="HDJ Oncologie", phone="01 23 45 67 89", closure_set=ClosureSet.FR)
        )
        anne = store.add_patient("MARTIN", "Anne", "HN-1", author="t", at=AT)
        bruno = store.add_patient("PETIT", "Bruno", "HN-2", author="t", at=AT, language="en")
        for patient, regimen in ((anne, "pembrolizumab-200-q3w"), (bruno, "mfolfox6-q14")):
            store.create_plan(
                patient, catalog.regimen(regimen), START, author="t", at=AT, policy=Policy.GRID
            )
        settings = ServerSettings(server.collections_url, server.user)
        store.calendars.save_server(settings.to_json())
    use_secret_for_session(settings.key, server.password)
    return str(path)


def _plan_of(db: str, number: str) -> str:
    with Store.open(db) as store:
        (plan,) = store.plans(store.patient(number))
        return plan.id


def _publish(db: str, *more: str) -> str:
    code, out, err = call("calendars", "publish", *more, "--db", db)
    assert code == 0, out + err
    return out


def _link(db: str, plan: str) -> str:
    code, out, err = call("calendars", "link", plan, "--db", db)
    assert code == 0, err
    https, webcal_form = out.split()
    assert webcal_form == webcal(https)
    return https


def _fetch(url: str) -> tuple[int, bytes]:
    """GET without any credentials, as a calendar program subscribed by the link."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _events(data: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_link_serves_the_patients_calendar_without_a_password(db: str, tmp_path: Path) -> None:
    plan = _plan_of(db, "HN-1")
    said = _publish(db, "--plan", plan)
    assert "1 calendar up to date on the server" in said
    url = _link(db, plan)
    status, data = _fetch(url)
    assert status == 200
    # Exactly the patient's calendar export: the same events, UIDs and sequences.
    code, _out, err = call(
        "export-ics", "--db", db, "--plan", plan, "--out", str(tmp_path / "anne.ics")
    )
    assert code == 0, err
    exported = _events((tmp_path / "anne.ics").read_bytes())
    served = _events(data)
    assert set(served) == set(exported)
    assert {uid: int(e["SEQUENCE"]) for uid, e in served.items()} == {
        uid: int(e["SEQUENCE"]) for uid, e in exported.items()
    }
    assert {uid: e.decoded("DTSTART") for uid, e in served.items()} == {
        uid: e.decoded("DTSTART") for uid, e in exported.items()
    }
    # Nothing in the link names the patient, their number or their plan.
    assert "MARTIN" not in url
    assert "HN-1" not in url
    assert plan not in url
    assert len(url.rstrip("/").rsplit("/", 1)[1]) >= 22  # 128 bits or more, URL-safe
    # Nine calendar programs read what a subscribed calendar receives.
    path = tmp_path / "served.ics"
    path.write_bytes(data)
    result = subprocess.run(
        [str(ics_check()), "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, json.dumps(json.loads(result.stdout)["files"][0])[:3000]


def test_a_delay_recorded_in_the_command_line_reaches_the_link(db: str) -> None:
    plan = _plan_of(db, "HN-1")
    _publish(db, "--plan", plan)
    url = _link(db, plan)
    before = _events(_fetch(url)[1])
    code, _out, err = call(
        "plans", "delay", plan, "--session", "1.2.1", "--days", "7",
        "--reason", "toxicity", "--db", db,
    )  # fmt: skip
    assert code == 0, err
    code, out, err = call("calendars", "status", "--db", db)
    assert "changes waiting" in out or "change waiting" in out, out
    _publish(db)
    after = _events(_fetch(url)[1])
    moved = [
        uid
        for uid, event in after.items()
        if event.decoded("DTSTART") != before[uid].decoded("DTSTART")
    ]
    assert moved, "no event moved"
    for uid in moved:
        assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    session = date(2027, 3, 30)  # C2D1 (off Easter Monday the 29th): now a week later
    assert any(
        before[uid].decoded("DTSTART") == session
        and after[uid].decoded("DTSTART") == session + timedelta(days=7)
        for uid in moved
        if not isinstance(before[uid].decoded("DTSTART"), datetime)
    )
    code, out, _err = call("calendars", "status", "--db", db)
    assert "0 changes waiting" in out
    assert "up to date" in out


def test_a_revoked_link_stops_working_and_the_new_one_works(db: str) -> None:
    plan = _plan_of(db, "HN-1")
    _publish(db, "--plan", plan)
    old = _link(db, plan)
    assert _fetch(old)[0] == 200
    code, out, err = call("calendars", "revoke", plan, "--db", db)
    assert code == 0, out + err
    new = _link(db, plan)
    assert new != old
    assert _fetch(old)[0] in (403, 404)
    status, data = _fetch(new)
    assert status == 200
    assert b"BEGIN:VEVENT" in data
    code, out, err = call("calendars", "revoke", plan, "--stop", "--db", db)
    assert code == 0, out + err
    assert _fetch(new)[0] in (403, 404)
    code, out, err = call("calendars", "link", plan, "--db", db)
    assert code == 1
    assert "not published" in err
    code, out, err = call("plans", "history", plan, "--db", db)
    assert "Calendar published for subscription" in out
    assert "New subscription link: the old one no longer works" in out
    assert "Calendar no longer published" in out


def test_another_patients_calendar_cannot_be_listed_or_read(db: str, server: TrialServer) -> None:
    anne, bruno = _plan_of(db, "HN-1"), _plan_of(db, "HN-2")
    _publish(db, "--all")
    anne_url, bruno_url = _link(db, anne), _link(db, bruno)
    # The folder of the calendars lists nothing to anyone without the planner's account.
    for method in ("GET", "PROPFIND"):
        request = urllib.request.Request(
            server.collections_url, method=method, headers={"Depth": "1"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
        assert status in (401, 403, 404), (method, status)
        for url in (anne_url, bruno_url):
            assert url.rstrip("/").rsplit("/", 1)[1].encode() not in body
    # Anne's link gives Anne's calendar only; a guessed name gives nothing.
    anne_events, bruno_events = _events(_fetch(anne_url)[1]), _events(_fetch(bruno_url)[1])
    assert not set(anne_events) & set(bruno_events)
    assert _fetch(server.collections_url + "x" * 32 + "/")[0] in (401, 403, 404)


def test_a_server_stopped_during_twenty_changes_loses_none_of_them(
    db: str, server: TrialServer, tmp_path: Path
) -> None:
    plan = _plan_of(db, "HN-2")
    _publish(db, "--plan", plan)
    url = _link(db, plan)
    server.stop()
    try:
        for n in range(20):
            code, _out, err = call(
                "plans", "delay", plan, "--session", f"1.{2 + n % 10}.1", "--days", "1",
                "--reason", "capacity", "--db", db,
            )  # fmt: skip
            assert code == 0, err
            # The coordinator (or the window's worker) tries meanwhile: refused, kept.
            code, out, _err = call("calendars", "publish", "--db", db)
            assert code == 1
            assert "Still waiting" in out
        code, out, _err = call("calendars", "status", "--db", db)
        assert "unreachable since" in out
        assert "the connection was refused or cut" in out
        assert url.rstrip("/").rsplit("/", 1)[1] not in out  # the link's secret is never said
    finally:
        server.start()
    with Store.open(db) as store:
        (link,) = store.calendars.links()
        assert link.waiting >= 20
        assert link.attempts >= 1
        # The next try comes after the backoff; the worker then sends everything.
        settings = ServerSettings(server.collections_url, server.user)
        catalog = load_catalog()
        with Connection(settings, server.password) as connection:
            report = publish_due(
                store,
                connection,
                port_rules=catalog.port_rules,
                now=lambda: datetime.now(UTC) + backoff(link.attempts),
                author="worker",
            )
        assert report.sent == [link.patient_id]
        assert not report.failed
        (link,) = store.calendars.links()
        assert (link.waiting, link.failing_since, link.attempts) == (0, None, 0)
    code, _out, err = call(
        "export-ics", "--db", db, "--plan", plan, "--out", str(tmp_path / "now.ics")
    )
    assert code == 0, err
    exported = _events((tmp_path / "now.ics").read_bytes())
    served = _events(_fetch(url)[1])
    assert {uid: e.decoded("DTSTART") for uid, e in served.items()} == {
        uid: e.decoded("DTSTART") for uid, e in exported.items()
    }


def test_a_server_that_takes_events_only_one_by_one_gets_them_so(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CalDAV has no "put the whole calendar"; Radicale does. Elsewhere: one event at a time.
    asked: list[str] = []

    def refused(self: Connection, token: str, body: bytes) -> bool:
        asked.append(token)
        return False

    monkeypatch.setattr(Connection, "put_whole", refused)
    plan = _plan_of(db, "HN-1")
    said = _publish(db, "--plan", plan)
    url = _link(db, plan)
    assert asked == [url.rstrip("/").rsplit("/", 1)[1]]
    events = _events(_fetch(url)[1])
    assert f"({len(events)} events sent)" in said
    assert len(events) > 20


def test_sending_every_calendar_again_finds_the_collections_there(db: str) -> None:
    """`publish --all` queues every published calendar whole (queue_all forgets what the
    server holds): a collection already there is taken as it is (Radicale answers 409 to
    MKCALENDAR on it), not a failure left waiting for ever."""
    plan = _plan_of(db, "HN-1")
    _publish(db, "--plan", plan)
    url = _link(db, plan)
    said = _publish(db, "--all")
    assert "2 calendars up to date on the server" in said
    assert "Still waiting" not in said
    assert _fetch(url)[0] == 200


def test_publishing_again_resends_the_published_calendars_only(db: str) -> None:
    plan = _plan_of(db, "HN-1")
    _publish(db, "--plan", plan)
    said = _publish(db, "--again")
    assert "1 calendar up to date on the server" in said
    _code, out, _err = call("calendars", "status", "--db", db)
    assert "1 patient's calendar published" in out
    assert _fetch(_link(db, plan))[0] == 200
