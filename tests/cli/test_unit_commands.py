"""``unit``: booking, earliest start, load, day sheet and closures on a small unit."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalog import load_catalog
from planner.core.chairs import Chair, UnitResources
from planner.core.closures import ClosureSet
from planner.core.patient import Preference
from planner.core.schedule import Policy
from planner.store import Store
from tests.cli.test_plan_commands import call

AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Two chairs open 8:00-12:00 on weekdays, one nurse; Anne (mornings) on
    pembrolizumab from Monday 8 March 2027, Bruno on mFOLFOX6 from the same day."""
    path = tmp_path / "unit.db"
    catalog = load_catalog()
    with Store.open(path) as store:
        store.save_resources(
            UnitResources(
                chairs=(Chair("A"), Chair("B")),
                hours=((time(8), time(12)),) * 5 + (None, None),
                nurses=1,
                starts_per_nurse=1,
            )
        )
        anne = store.add_patient(
            "Martin", "Anne", "HN-1", author="t", at=AT, preference=Preference.MORNING
        )
        bruno = store.add_patient("Petit", "Bruno", "HN-2", author="t", at=AT)
        for patient, regimen in ((anne, "pembrolizumab-200-q3w"), (bruno, "mfolfox6-q14")):
            store.create_plan(
                patient,
                catalog.regimen(regimen),
                date(2027, 3, 8),
                author="t",
                at=AT,
                policy=Policy.GRID,
                closure_set=ClosureSet.FR,
            )
    return str(path)


def test_book_then_the_day_sheet(db: str, tmp_path: Path) -> None:
    code, out, err = call("--lang", "en", "unit", "book", "--db", db, "--today", "2027-03-01")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].endswith("sessions booked.")
    # Booking again books nothing more.
    code, out, _err = call("--lang", "en", "unit", "book", "--db", db, "--today", "2027-03-01")
    assert out.splitlines()[0] == "0 sessions booked."
    code, out, _err = call(
        "--lang", "en", "unit", "day-sheet", "--day", "2027-03-08", "--db", db,
        "--today", "2027-03-01",
    )  # fmt: skip
    lines = out.splitlines()
    assert lines[0] == "Mon 8 Mar 2027"
    # Their 45 and 165 minutes fit one after the other in the 4-hour morning: the optimiser
    # needs one chair, not two (the lower bound), the second starting as the first ends.
    first, second = lines[2].split(), lines[3].split()
    assert first[:2] == ["08:00", "A"]
    assert second[1] == "A"
    ends = {"08:45": "MARTIN", "10:45": "PETIT"}
    assert ends[second[0]] in lines[2]
    bruno = lines[2] if "Bruno" in lines[2] else lines[3]
    assert "165" in bruno.split()
    assert "pump" in bruno
    # His port is placed today, not recorded yet: planned, never "port" alone; hers is none.
    assert "port planned on Mon 1 Mar 2027" in bruno
    anne = lines[3] if "Bruno" in lines[2] else lines[2]
    assert "peripheral line" in anne
    sheet = tmp_path / "sheet.csv"
    code, out, err = call(
        "--lang", "fr", "unit", "day-sheet", "--day", "2027-03-08", "--format", "csv",
        "--out", str(sheet), "--db", db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    rows = list(csv.reader(sheet.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:4] == ["Heure", "Fauteuil", "Patient", "Protocole"]  # no number unasked
    assert [r[1] for r in rows[1:]] == ["A", "A"]
    assert {r[2]: r[5] for r in rows[1:]} == {"MARTIN Anne": "45", "PETIT Bruno": "165"}


def test_load_and_earliest_start(db: str) -> None:
    call("unit", "book", "--db", db, "--today", "2027-03-01")
    code, out, err = call(
        "--lang", "en", "unit", "load", "--from", "2027-03-08", "--weeks", "1", "--db", db
    )
    assert (code, err) == (0, "")
    monday = out.splitlines()[1].split()
    # 45 + 165 minutes booked of 2 chairs x 4 hours.
    assert monday[:6] == ["Mon", "8", "Mar", "2027", "3:30", "8:00"]
    code, out, err = call(
        "--lang", "en", "unit", "earliest-start", "--regimen", "nivolumab-480-q4w",
        "--from", "2027-03-08", "--weeks", "8", "--db", db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "Mon 8 Mar 2027" in out.splitlines()[1]


def test_an_exceptional_closure_lists_the_patients_to_call(db: str) -> None:
    code, out, err = call(
        "--lang", "en", "unit", "close", "--day", "2027-03-22", "--label", "Strike", "--db", db
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Closed on Mon 22 Mar 2027: 1 session moves."
    assert "PETIT Bruno" in out
    assert "Tue 23 Mar 2027" in out
    with Store.open(db) as store:
        assert [c.label for c in store.settings().unit_closures] == ["Strike"]
    code, _out, err = call("--lang", "en", "unit", "close", "--day", "2027-03-22", "--db", db)
    assert code == 2
    assert "already closed" in err


def test_bad_input_is_named(db: str) -> None:
    code, _out, err = call("--lang", "en", "unit", "load", "--weeks", "0", "--db", db)
    assert code == 2
    assert "--weeks" in err
    code, _out, err = call(
        "--lang", "en", "unit", "earliest-start", "--regimen", "nope", "--db", db
    )
    assert code == 2
    assert "unknown regimen 'nope'" in err
    code, _out, err = call("--lang", "en", "unit", "day-sheet", "--day", "2027-02-30", "--db", db)
    assert code == 2
    assert "not a date of the calendar" in err


def test_the_unit_export_has_the_booked_times_and_chairs(db: str, tmp_path: Path) -> None:
    call("unit", "book", "--db", db, "--today", "2027-03-01")
    out_path = tmp_path / "unit.csv"
    code, _out, err = call(
        "--lang", "en", "export-unit", "--from", "2027-03-08", "--to", "2027-03-08",
        "--format", "csv", "--out", str(out_path), "--db", db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    rows = list(csv.reader(out_path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["date", "start", "end", "chair"]
    with Store.open(db) as store:
        booked = store.bookings(date(2027, 3, 8), date(2027, 3, 8)).values()
    expected = sorted((b.start.isoformat(timespec="minutes"), b.chair) for b in booked)
    assert len(expected) == 2
    assert sorted((r[1], r[3]) for r in rows[1:]) == expected


def test_book_again_after_a_delay(db: str) -> None:
    call("unit", "book", "--db", db, "--today", "2027-03-01")
    with Store.open(db) as store:
        bruno = next(p for p in store.plans() if p.patient.name == "PETIT Bruno")
    code, _out, err = call(
        "plans", "delay", bruno.id, "--session", "C2D1", "--days", "7", "--reason", "toxicity",
        "--db", db, "--today", "2027-03-01",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    with Store.open(db) as store:
        assert store.bookings()[(bruno.id, (1, 2, 1))].day == date(2027, 3, 22)  # kept, flagged
    code, out, _err = call("--lang", "en", "unit", "book", "--db", db, "--today", "2027-03-01")
    assert code == 0
    assert "To book again" not in out
    with Store.open(db) as store:
        # 22 March + 7 days is Easter Monday: Tuesday 30 March.
        assert store.bookings()[(bruno.id, (1, 2, 1))].day == date(2027, 3, 30)


_typed = st.one_of(
    st.text(max_size=12),
    st.dates().map(str),
    st.sampled_from(["2027-02-30", "2027-13-01", "1999-12-31", "2200-01-01", "", "-1", "C3D1"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=_typed, weeks=st.integers(-5, 300), label=st.text(max_size=30))
def test_whatever_a_coordinator_types_gets_an_answer_not_a_traceback(
    db: str, day: str, weeks: int, label: str
) -> None:
    # "--option=value": what a shell user types for a value that starts with "-".
    for argv in (
        ["unit", "load", f"--from={day}", f"--weeks={weeks}"],
        ["unit", "day-sheet", f"--day={day}"],
        ["unit", "earliest-start", "--regimen", "nivolumab-480-q4w", f"--from={day}"],
        ["unit", "close", f"--day={day}", f"--label={label}"],
    ):
        code, _out, err = call("--lang", "en", *argv, "--db", db)
        assert code in (0, 1, 2)
        if code:
            assert err.startswith(("error: ", "usage: ")), err
            assert "Traceback" not in err


def test_the_weeks_sessions_day_by_day(db: str, tmp_path: Path) -> None:
    call("unit", "book", "--db", db, "--today", "2027-03-01")
    code, out, err = call("--lang", "en", "unit", "week", "--week", "2027-03-10", "--db", db)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == [
        "Sessions of the week from Mon 8 Mar 2027 to Sun 14 Mar 2027",
        "Day hospital — 2 sessions booked, 3.5 chair hours",
    ]
    assert "Monday 8 March 2027 — 2 sessions, 3.5 chair hours" in lines
    assert "Tuesday 9 March 2027 — no session booked" in lines
    assert "Sunday 14 March 2027 — closed (weekend)" in lines
    monday = lines.index("Monday 8 March 2027 — 2 sessions, 3.5 chair hours")
    assert lines[monday + 1].split() == [
        "Time", "Chair", "Patient", "Regimen", "Cycle", "and", "day", "Drugs", "Pump",
        "Chair", "minutes",
    ]  # fmt: skip
    bruno = next(line for line in lines if "PETIT Bruno" in line)
    assert "mFOLFOX6 (oxaliplatin" in bruno
    assert "oxaliplatin, folinic acid (leucovorin), fluorouracil (5-FU)" in bruno
    assert bruno.split()[-2:] == ["yes", "165"]
    assert "HN-2" not in out
    # CSV: to a file with the numbers asked for, or to the terminal.
    sheet = tmp_path / "week.csv"
    code, out, err = call(
        "--lang", "fr", "unit", "week", "--week", "2027-03-08", "--format", "csv",
        "--out", str(sheet), "--hospital-numbers", "--db", db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith(f"{sheet}\u00a0: 2 séances, ")
    rows = list(csv.reader(sheet.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:6] == ["Date", "Heure", "Fauteuil", "Patient", "N° hospitalier", "Protocole"]
    assert sorted(row[4] for row in rows[1:]) == ["HN-1", "HN-2"]
    code, out, _err = call(
        "--lang", "en", "unit", "week", "--week", "2027-03-08", "--format", "csv", "--db", db
    )
    assert out.splitlines()[0].startswith("Date,Time,Chair,Patient,Regimen,")


def test_the_patients_to_call_since_a_day(db: str, tmp_path: Path) -> None:
    from datetime import timedelta

    from planner.core.plan import Delay
    from planner.core.schedule import DelayReason

    catalog = load_catalog()
    with Store.open(db) as store:
        bruno = next(p for p in store.plans() if p.patient.name == "PETIT Bruno")
        store.record(
            bruno,
            Delay((1, 2, 1), date(2027, 3, 29), DelayReason.TOXICITY),
            author="cb",
            at=AT + timedelta(days=1),  # Tuesday 2 March, 10:00 in Paris
            today=date(2027, 3, 2),
            port_rules=catalog.port_rules,
            note="PNN 0,8",
        )
    code, out, err = call(
        "--lang", "en", "unit", "calls", "--since", "2027-03-02", "--today", "2027-03-02",
        "--db", db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == [
        "Patients to call — sessions moved by what was recorded since Tue 2 Mar 2027",
        "Day hospital — 1 patient to call, 11 sessions moved",
    ]
    assert lines[3].split()[:2] == ["Patient", "Contact"]
    assert "Treatment · C2 · D1 and 10 more" in lines[4]
    assert "Mon 22 Mar 2027" in lines[4]
    assert "Delay Treatment · C2 · D1 to Mon 29 Mar 2027 (toxicity) — PNN 0,8" in lines[4]
    code, out, _err = call(
        "--lang", "en", "unit", "calls", "--since", "2027-03-03", "--today", "2027-03-02",
        "--db", db,
    )  # fmt: skip
    assert out.splitlines()[1] == "Day hospital — 0 patients to call, 0 sessions moved"


def test_a_closure_recorded_today_is_a_call(db: str) -> None:
    # Recorded by the command line's clock: on the list of calls since today.
    call("unit", "close", "--day", "2027-04-05", "--label", "Travaux", "--db", db)
    recorded = datetime.now(UTC).date().isoformat()
    code, out, err = call(
        "--lang", "en", "unit", "calls", "--since", recorded, "--today", "2027-03-02",
        "--format", "csv", "--db", db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    rows = list(csv.reader(out.splitlines()))
    assert rows[0] == ["Patient", "Contact", "Regimen", "Session", "Was", "Now", "Why"]
    assert [row[4:] for row in rows[1:]] == [
        ["2027-04-05", "2027-04-06", "unit closed on Mon 5 Apr 2027: Travaux"]
    ]


def test_a_wrong_week_or_day_is_named(db: str) -> None:
    code, _out, err = call("--lang", "en", "unit", "week", "--week", "2027-02-30", "--db", db)
    assert code == 2
    assert "--week: '2027-02-30' is not a date of the calendar" in err
    code, _out, err = call("--lang", "en", "unit", "calls", "--since", "yesterday", "--db", db)
    assert code == 2
    assert "--since: 'yesterday' is not a date in the form YYYY-MM-DD" in err


def test_a_unit_saved_with_more_chairs_than_allowed_still_books(tmp_path: Path) -> None:
    """An older version saved any number of chairs (a demo of 20,000 patients had 1,000):
    the unit opens with the first 500, and a booking on a chair past them is booked again
    on one of those, not lost."""
    from planner.core.booking import Booking
    from planner.store import codec
    from planner.store.schema import SettingRow

    path = str(tmp_path / "old.db")
    saved = codec.resources_to_json(UnitResources())
    saved["chairs"] = [{"name": f"F{n}", "bed": False} for n in range(1, 1001)]
    saved["nurses"] = 333
    with Store.open(path) as store:
        with store._transaction() as db:
            db.add(SettingRow(key="resources", value=saved))
        anne = store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
        plan = store.create_plan(
            anne, load_catalog().regimen("pembrolizumab-200-q3w"), date(2027, 3, 8),
            author="t", at=AT,
        )  # fmt: skip
        far = Booking(time(9), 45, "F900", date(2027, 3, 8))
        store.save_bookings({(plan.id, (1, 1, 1)): far}, author="t", at=AT)
    code, out, err = call("--lang", "en", "unit", "book", "--db", path, "--today", "2027-03-01")
    assert (code, err) == (0, "")
    assert "To book again" not in out
    with Store.open(path) as store:
        moved = store.bookings()[(plan.id, (1, 1, 1))]
    assert (moved.day, moved.chair) == (date(2027, 3, 8), "F1")
    code, out, err = call(
        "--lang", "en", "unit", "load", "--from", "2027-03-08", "--weeks", "1", "--db", path
    )
    assert (code, err) == (0, "")


def test_a_csv_printed_keeps_one_crlf_per_line_on_windows_stdout(db: str) -> None:
    """Windows' standard output writes every LF as CRLF (a text stream like this one):
    the CSV's CRLFs (RFC 4180) came out as CR CR LF, a blank line between rows in Excel."""
    import io

    from planner.cli.main import run

    assert call("unit", "book", "--db", db, "--today", "2027-03-01")[0] == 0
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\r\n")
    err = io.StringIO()
    argv = ["--lang", "en", "unit", "week", "--week", "2027-03-08", "--format", "csv", "--db", db]
    assert (run(argv, out, err), err.getvalue()) == (0, "")
    out.flush()
    written = out.buffer.getvalue()
    assert written.startswith(b"Date,Time,Chair,Patient,Regimen,")
    assert b"\r\r\n" not in written
    assert written.count(b"\r\n") == len(written.splitlines()) >= 2
