"""patients, plans and demo on the command line, as a coordinator or a script uses them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from planner.cli import run


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "unit.db")
    code, _out, err = call(
        "patients",
        "add",
        "--name",
        "Jeanne MARTIN",
        "--hospital-number",
        "H001",
        "--contact",
        "06 12 34 56 78",
        "--db",
        path,
        "--author",
        "cb",
    )
    assert (code, err) == (0, ""), err
    return path


def create(
    db: str, regimen: str = "pembrolizumab-pemetrexed-platinum-kn189", start: str = "2027-01-04"
) -> str:
    code, _out, err = call(
        "plans",
        "create",
        "--patient",
        "H001",
        "--regimen",
        regimen,
        "--start",
        start,
        "--db",
        db,
        "--author",
        "cb",
    )
    assert (code, err) == (0, ""), err
    plans = json.loads(call("plans", "list", "--format", "json", "--db", db)[1])
    return str(plans[-1]["id"])


def show(db: str, plan: str, today: str = "2027-01-01") -> Any:
    code, out, err = call("plans", "show", plan, "--format", "json", "--db", db, "--today", today)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def test_patients_are_added_and_listed(db: str) -> None:
    code, out, _err = call("patients", "list", "--format", "json", "--db", db)
    assert code == 0
    [patient] = json.loads(out)
    assert (patient["name"], patient["hospital_number"], patient["port_in_place"]) == (
        "Jeanne MARTIN",
        "H001",
        False,
    )
    code, _out, err = call(
        "patients", "add", "--name", "X", "--hospital-number", "H001", "--db", db
    )
    assert code == 1
    assert err == "error: a patient with hospital number H001 already exists\n"


def test_a_delay_is_previewed_then_recorded_then_undone(db: str) -> None:
    plan = create(db)
    code, out, _err = call(
        "plans",
        "delay",
        plan[:8],
        "--session",
        "C3D1",
        "--days",
        "7",
        "--reason",
        "toxicity",
        "--preview",
        "--db",
        db,
        "--today",
        "2027-02-12",
    )
    assert code == 0
    assert "Induction · C3 · D1: Mon 15 Feb 2027 → Mon 22 Feb 2027" in out
    assert show(db, plan)["ledger"] == []  # a preview saves nothing
    code, out, _err = call(
        "plans",
        "delay",
        plan[:8],
        "--session",
        "1.3.1",
        "--days",
        "7",
        "--reason",
        "toxicity",
        "--note",
        "neutropénie grade 3",
        "--db",
        db,
        "--today",
        "2027-02-12",
        "--author",
        "cb",
    )
    assert code == 0
    assert out.startswith("Delay Induction · C3 · D1 to Mon 22 Feb 2027 (toxicity).")
    doc = show(db, plan)
    third = doc["sessions"][2]
    assert (third["date"], third["planned"]) == ("2027-02-22", "2027-02-22")
    assert "delayed from Mon 15 Feb 2027 (toxicity)" in third["why"]
    [entry] = doc["ledger"]
    assert (entry["author"], entry["note"], entry["undone"]) == ("cb", "neutropénie grade 3", False)
    assert call("plans", "undo", plan, "--db", db, "--today", "2027-02-12")[0] == 0
    doc = show(db, plan)
    assert doc["sessions"][2]["date"] == "2027-02-15"
    assert [e["undone"] for e in doc["ledger"]] == [True, False]
    code, out, _err = call("plans", "history", plan, "--db", db)
    assert "(undone)" in out
    assert "Undo change 1: Delay Induction · C3 · D1 to Mon 22 Feb 2027 (toxicity)" in out
    # Who undid it and when, in the unit's time; the plan's creation and the patient's record.
    assert "↳ Undone by " in out
    assert "(change 2)" in out
    assert "Patient record created: Jeanne MARTIN" in out
    assert "Plan created: " in out


def test_show_lists_the_whole_plan(db: str) -> None:
    plan = create(db)
    doc = show(db, plan)
    assert doc["regimen"] == "pembrolizumab-pemetrexed-platinum-kn189"
    assert doc["port"]["level"] == "consider"
    assert doc["port"]["placement"] is False
    kinds = {e["kind"] for e in doc["events"]}
    assert {"lab", "monitoring", "imaging", "consultation", "premedication"} <= kinds
    folic = [e for e in doc["events"] if e["code"] == "folic-acid:start"]
    assert folic[0]["date"] == "2026-12-28"
    assert folic[0]["what"] == "Start: Folic acid by mouth, every day"
    code, out, _err = call(
        "plans", "show", plan[:8], "--db", db, "--today", "2027-01-01", "--lang", "fr"
    )
    assert code == 0
    assert "Jeanne MARTIN (H001)" in out
    assert "Prise de sang" in out
    assert "Consultation avec l'oncologue" in out


def test_refusals_are_one_line_and_save_nothing(db: str) -> None:
    plan = create(db, "mfolfox6-q14")
    code, out, err = call(
        "plans", "give", plan, "--session", "C2D1", "--db", db, "--today", "2027-01-10"
    )
    assert (code, out) == (1, "")
    assert err == "error: refused: Mon 18 Jan 2027 is after today (Sun 10 Jan 2027)\n"
    code, _out, err = call(
        "plans", "progression", plan, "--imaging", "2027-03-01", "--db", db, "--today", "2027-03-02"
    )
    assert code == 1
    assert "pseudo-progression concerns immunotherapy" in err
    assert err.count("\n") == 1
    assert show(db, plan)["ledger"] == []


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["plans", "show", "nope"], "no plan 'nope'"),
        (
            [
                "plans",
                "create",
                "--patient",
                "H999",
                "--regimen",
                "mfolfox6-q14",
                "--start",
                "2027-01-04",
            ],
            "no patient 'H999'",
        ),
        (
            ["plans", "create", "--patient", "H001", "--regimen", "x", "--start", "2027-01-04"],
            "unknown regimen 'x'",
        ),
        (
            [
                "plans",
                "create",
                "--patient",
                "H001",
                "--regimen",
                "mfolfox6-q14",
                "--start",
                "2027-02-30",
            ],
            "not a date of the calendar",
        ),
    ],
)
def test_wrong_input_is_one_line_and_exit_code_2(db: str, argv: list[str], words: str) -> None:
    code, _out, err = call(*argv, "--db", db)
    assert code == 2
    assert words in err
    assert err.count("\n") == 1


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("rendez-vous\n", encoding="utf-8")
    code, _out, err = call("patients", "list", "--db", str(notes))
    assert code == 1
    assert "is not a database" in err
    assert notes.read_text(encoding="utf-8") == "rendez-vous\n"


def test_the_port_already_in_place_removes_the_placement(db: str) -> None:
    plan = create(db, "mfolfox6-q14", "2027-01-11")
    assert show(db, plan)["port"]["placement"] is True
    assert call("patients", "port", "H001", "--in-place", "yes", "--db", db)[0] == 0
    assert show(db, plan)["port"]["placement"] is False


def test_the_demo_unit(tmp_path: Path) -> None:
    path = str(tmp_path / "demo.db")
    code, out, err = call("demo", "--patients", "40", "--db", path, "--today", "2027-03-01")
    assert (code, err) == (0, "")
    assert "40 patients" in out
    patients = json.loads(call("patients", "list", "--format", "json", "--db", path)[1])
    assert len(patients) == 40
    plans = json.loads(call("plans", "list", "--format", "json", "--db", path)[1])
    assert sum(p["changes"] for p in plans) > 40  # doses given, delays, stops...
    code, _out, err = call("demo", "--patients", "5", "--db", path)
    assert code == 1
    assert "already holds patients" in err
