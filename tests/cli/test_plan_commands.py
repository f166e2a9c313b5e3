"""patients, plans and demo on the command line, as a coordinator or a script uses them."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
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
        "--family-name",
        "Martin",
        "--given-names",
        "Jeanne",
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
    assert (patient["family_name"], patient["given_names"]) == ("Martin", "Jeanne")
    assert (patient["name"], patient["hospital_number"], patient["port_in_place"]) == (
        "MARTIN Jeanne",
        "H001",
        False,
    )
    code, _out, err = call(
        "patients", "add", "--family-name", "X", "--hospital-number", "H001", "--db", db
    )
    assert code == 1
    assert err == "error: a patient with hospital number H001 already exists\n"


def listed(db: str, today: str) -> Any:
    code, out, err = call("patients", "list", "--format", "json", "--db", db, "--today", today)
    assert (code, err) == (0, "")
    [patient] = json.loads(out)
    return patient


def test_the_patient_list_follows_changes_made_with_plan_commands(db: str) -> None:
    """The list is read from facts saved with each plan: every change made through the
    command line shows in it, as in the window (the plan shown is the latest not stopped)."""
    patient = listed(db, "2027-01-01")
    assert (patient["plan"], patient["regimen"], patient["next_session"]) == (None, None, None)
    first = create(db, "pembrolizumab-pemetrexed-platinum-kn189", "2027-01-04")
    patient = listed(db, "2027-02-12")
    assert (patient["plan"], patient["regimen"], patient["next_session"]) == (
        first, "pembrolizumab-pemetrexed-platinum-kn189", "2027-02-15"
    )  # fmt: skip
    assert patient["warnings"] == sum(len(s["warnings"]) for s in show(db, first)["sessions"])
    code, _out, err = call(
        "plans", "delay", first, "--session", "C3D1", "--days", "7", "--reason", "toxicity",
        "--db", db, "--today", "2027-02-12",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert listed(db, "2027-02-12")["next_session"] == "2027-02-22"
    second = create(db, "mfolfox6-q14", "2027-03-01")
    patient = listed(db, "2027-02-12")
    assert (patient["plan"], patient["regimen"], patient["next_session"]) == (
        second, "mfolfox6-q14", "2027-03-01"
    )  # fmt: skip
    code, _out, err = call(
        "plans", "stop", second, "--on", "2027-03-01", "--reason", "allergy",
        "--db", db, "--today", "2027-02-12",
    )  # fmt: skip
    assert (code, err) == (0, "")
    patient = listed(db, "2027-02-12")
    assert (patient["plan"], patient["next_session"]) == (first, "2027-02-22")
    code, out, _err = call("--lang", "en", "patients", "list", "--db", db, "--today", "2027-02-12")
    [head, line] = out.splitlines()
    assert head.split()[:5] == ["Hospital", "number", "Name", "Regimen", "Next"]
    assert line.startswith("H001")
    assert "Mon 22 Feb 2027" in line
    assert first[:8] in line


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
    assert "Patient record created: MARTIN Jeanne" in out
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
    assert "MARTIN Jeanne (H001)" in out
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


def test_a_suspected_progression_needs_the_clinician_who_confirmed_stability(db: str) -> None:
    """iRECIST: immunotherapy goes on after a suspected progression only for a clinically
    stable patient. Without the clinician's name the change is refused, said in one line
    naming the option, and nothing is saved; with it, the history says who confirmed it."""
    plan = create(db, "pembrolizumab-200-q3w")
    progression = ("plans", "progression", plan, "--imaging", "2027-04-30", "--db", db)
    code, out, err = call(*progression, "--today", "2027-05-03")
    assert (code, out) == (1, "")
    assert err == (
        "error: refused: --clinically-stable-confirmed-by: immunotherapy goes on after a "
        "suspected progression only if the patient is clinically stable: give the name of "
        "the clinician who confirmed it\n"
    )
    assert (
        call(*progression, "--clinically-stable-confirmed-by", " ", "--today", "2027-05-03")[0] == 1
    )
    assert show(db, plan)["ledger"] == []
    code, out, err = call(
        *progression,
        "--clinically-stable-confirmed-by",
        "Dr Moreau",
        "--today",
        "2027-05-03",
        "--author",
        "cb",
    )
    assert (code, err) == (0, ""), err
    said = (
        "Progression suspected on the imaging of Fri 30 Apr 2027; treatment continues, "
        "confirmation scan about 42 days later; patient clinically stable, confirmed by "
        "Dr Moreau"
    )
    assert out.startswith(said + ".\n")
    assert said in call("plans", "history", plan, "--db", db)[1]
    doc = show(db, plan, today="2027-05-03")
    assert [e["change"] for e in doc["ledger"]] == [said]
    # The routine scan of Friday 7 May (before the session of Monday 10 May), 7 days after
    # that imaging, is not planned: iRECIST disregards a scan under 4 weeks. The plan says
    # why, on the line of the confirmation scan that takes its place (Friday 18 June).
    why = (
        "instead of the response scan of Fri 7 May 2027, which would come less than 4 weeks "
        "after the imaging of Fri 30 Apr 2027: iRECIST disregards such a scan"
    )
    assert doc["skipped_scans"] == [
        {"date": "2027-05-07", "session": 6, "progression": "2027-04-30", "why": why}
    ]
    assert doc["sessions"][6]["date"] == "2027-05-10"
    assert "2027-05-07" not in [e["date"] for e in doc["events"] if e["kind"] == "imaging"]
    code, out, _err = call("plans", "show", plan, "--db", db, "--today", "2027-05-03")
    assert code == 0
    [line] = [line for line in out.splitlines() if "Confirmation scan" in line]
    assert line.startswith("Fri 18 Jun 2027")
    assert line.rstrip().endswith(why)


def test_a_french_coordinator_writes_the_session_c2j1_and_reads_french(db: str) -> None:
    """ "J" for jour: C2J1 is the session C2D1; the omission is said with the drug's French
    name, in the change and in the plan's history."""
    plan = create(db, "pembrolizumab-pemetrexed-platinum-kn189")
    code, out, err = call(
        "plans", "omit", plan, "--session", "C2J1", "--agent", "carboplatin", "--db", db,
        "--today", "2027-01-20", "--lang", "fr", "--author", "cb",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert out.startswith("Séance Induction · C2 · J1 sans carboplatine.\n")
    assert show(db, plan)["ledger"][0]["change"] == "Leave carboplatin out of Induction · C2 · D1"
    code, out, _err = call("plans", "history", plan, "--db", db, "--lang", "fr")
    assert "cb\u00a0: Séance Induction · C2 · J1 sans carboplatine" in out


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


@pytest.mark.parametrize("patients", ["0", "20001", "100000"])
def test_a_demo_unit_too_large_is_refused_in_words(tmp_path: Path, patients: str) -> None:
    """Up to 20,000 patients (a unit with all the chairs it may have, 500, and twice as
    many patients as they take at one chair for twenty)."""
    path = str(tmp_path / "demo.db")
    code, out, err = call("--lang", "en", "demo", "--patients", patients, "--db", path)
    assert (code, out) == (2, "")
    assert err == "error: --patients: between 1 and 20000\n"


# ---------------------------------------------------------------- the unit's port rules

UNIT_RULES = """\
format = 1

[[rules]]
level = "required"
when = "continuous-infusion"

[[rules]]
level = "recommended"
when = "class"
classes = ["immunotherapy"]
source = "Protocole du service"
"""


@pytest.fixture
def computer_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This computer's port_rules.toml (in a user data folder of the test's own), not written."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from planner.catalog import CatalogPaths

    path = CatalogPaths.user().port_rules
    path.parent.mkdir(parents=True)
    return path


def test_show_advises_by_the_units_own_port_rules(db: str) -> None:
    from planner.catalog import read_port_rules_file
    from planner.store import Store
    from tests.store.conftest import AT

    plan = create(db, "pembrolizumab-200-q3w")
    assert show(db, plan)["port"]["level"] == "not-needed"  # the shipped rules
    rules = Path(db).with_name("rules.toml")
    rules.write_text(UNIT_RULES, encoding="utf-8")
    with Store.open(db) as store:
        store.save_port_rules(read_port_rules_file(rules), expected=None, author="cb", at=AT)
    shown = show(db, plan)["port"]
    assert shown["level"] == "recommended"
    assert shown["reasons"] == [
        "pembrolizumab (immunotherapy): the unit's port rules name this kind of drug."
    ]
    # Back to the shipped rules: the unit's own are removed.
    with Store.open(db) as store:
        store.save_port_rules(None, expected=read_port_rules_file(rules), author="cb", at=AT)
    assert show(db, plan)["port"]["level"] == "not-needed"


def test_the_computers_port_rules_become_the_units_once(db: str, computer_rules: Path) -> None:
    plan = create(db, "pembrolizumab-200-q3w")  # before this computer had the file
    computer_rules.write_text(UNIT_RULES, encoding="utf-8")
    code, out, err = call("plans", "show", plan, "--format", "json", "--db", db)
    assert code == 0
    assert err == (
        f"This computer's port rules ({computer_rules}) are now the unit's: saved in its "
        "database, they are the same for every coordinator of the unit. The file was renamed "
        "port_rules.imported.toml so that it is not imported again.\n"
    )
    assert json.loads(out)["port"]["level"] == "recommended"
    assert not computer_rules.exists()
    # Once: the next command says nothing and advises by the unit's rules.
    code, out, err = call("plans", "show", plan, "--format", "json", "--db", db)
    assert (code, err) == (0, "")
    assert json.loads(out)["port"]["level"] == "recommended"


def test_a_damaged_computer_port_rules_file_is_said_once_and_kept(
    db: str, computer_rules: Path
) -> None:
    plan = create(db, "pembrolizumab-200-q3w")
    computer_rules.write_text(UNIT_RULES.replace('"class"', '"klass"'), encoding="utf-8")
    code, out, err = call("plans", "show", plan, "--format", "json", "--db", db)
    assert code == 0
    assert err == (
        f"warning: This computer's port rules ({computer_rules}) were not imported: "
        "rules[2].when: must be one of continuous-infusion, family, class, not 'klass'. The "
        "unit's port rules are unchanged; correct the file (or remove it) and open the unit "
        "again.\n"
    )
    assert json.loads(out)["port"]["level"] == "not-needed"
    assert computer_rules.exists()


@pytest.mark.parametrize("action", ["omit", "delay", "give"])
def test_a_session_the_plan_lacks_is_refused_with_what_it_has(db: str, action: str) -> None:
    """ "9.1.1" on a plan with one phase was an IndexError ("unexpected problem")."""
    plan = create(db, "pembrolizumab-200-q3w")
    extra = {"delay": ["--days", "7", "--reason", "toxicity"], "omit": [], "give": []}[action]
    for typed, words in (
        ("9.1.1", "--session 9.1.1: there is no phase 9: this plan has 1 phase (Monotherapy)"),
        ("C40D1", "--session C40D1: Monotherapy has no cycle 40: its cycles are 1–35"),
        ("C2D8", "--session C2D8: Monotherapy · C2 has no day 8: its days are D1"),
    ):
        code, _out, err = call(
            "--lang", "en", "plans", action, plan, "--session", typed, *extra, "--db", db,
            "--today", "2027-01-04",
        )  # fmt: skip
        assert (code, err) == (1, f"error: refused: {words}\n")


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("0.1.1", "'0.1.1': phases, cycles and days are counted from 1"),  # was the last phase
        ("C0D1", "'C0D1': phases, cycles and days are counted from 1"),
        ("-1.1.1", "'-1.1.1' is not a session such as 1.3.1 (phase.cycle.day) or C3D1"),
        ("C3", "'C3' is not a session such as 1.3.1 (phase.cycle.day) or C3D1"),
        ("1.100000.1", "'1.100000.1': no plan has a phase, cycle or day so large"),
    ],
)
def test_a_session_that_cannot_be_one_is_refused_before_the_plan_is_read(
    db: str, typed: str, words: str
) -> None:
    plan = create(db, "pembrolizumab-200-q3w")
    code, _out, err = call(
        "--lang", "en", "plans", "omit", plan, f"--session={typed}", "--db", db
    )  # fmt: skip
    assert code == 2
    assert err.endswith(f"error: --session: {words}\n")


def test_french_names_what_the_plan_has(db: str) -> None:
    plan = create(db)
    code, _out, err = call(
        "--lang", "fr", "plans", "omit", plan, "--session", "P2C1J8", "--db", db
    )  # fmt: skip
    assert code == 1
    said = "--session P2C1J8\u00a0: Entretien · C1 n’a pas de jour 8\u00a0: ses jours sont J1"
    assert said in err


@pytest.mark.parametrize(
    ("option", "typed", "words"),
    [
        ("--family-name", "Martin\r\nBEGIN:VEVENT", "it must fit on one line (it holds a line "
         "break)"),
        ("--family-name", "=HYPERLINK(1)", "it cannot start with = (a spreadsheet would read a "
         "formula)"),
        ("--hospital-number", "@H1", "it cannot start with @ (a spreadsheet would read a formula)"),
        ("--given-names", "Anne\u202e", "it holds an invisible control character (\\u202e): "
         "remove it"),
        ("--contact", "0" * 121, "at most 120 characters"),
        ("--family-name", "   ", "it cannot be left empty"),
    ],
)  # fmt: skip
def test_a_text_that_cannot_be_kept_is_refused_naming_the_option(
    db: str, option: str, typed: str, words: str
) -> None:
    argv = {"--family-name": "Durand", "--hospital-number": "H777"} | {option: typed}
    code, _out, err = call(
        "--lang", "en", "patients", "add", *[f"{k}={v}" for k, v in argv.items()], "--db", db
    )  # fmt: skip
    assert (code, err) == (2, f"error: {option}: {words}\n")
    assert "Durand" not in json.dumps(
        json.loads(call("patients", "list", "--format", "json", "--db", db)[1])
    )


def test_a_name_kept_by_an_older_version_is_corrected(db: str) -> None:
    from planner.store import Store

    with Store.open(db) as store:
        patient = store.patient("H001")
        old = datetime(2026, 1, 1, tzinfo=UTC)
        store.update_patient(patient, author="old", at=old, family_name="Martin\r\nX")
    code, out, _err = call("--lang", "en", "patients", "list", "--db", db)
    assert "MARTIN\\r\\nX Jeanne" in out  # shown, on one line
    code, out, err = call(
        "--lang", "en", "patients", "edit", "H001", "--family-name", "Martin", "--db", db
    )  # fmt: skip
    assert (code, out) == (0, "Details of MARTIN Jeanne saved.\n"), err
    code, out, _err = call(
        "--lang", "en", "patients", "edit", "H001", "--family-name", "Martin", "--db", db
    )  # fmt: skip
    assert out == "Nothing to change.\n"


def test_an_error_echoing_what_was_typed_stays_one_line_and_obeys_no_escape(db: str) -> None:
    code, _out, err = call("--lang", "en", "plans", "history", "x\n\x1b[2J", "--db", db)
    assert (code, err) == (2, "error: no plan 'x\\n\\x1b[2J'; 'plans list' shows them\n")


def test_bytes_a_latin_1_terminal_sends_are_refused_not_saved(db: str) -> None:
    """ "é" typed in a terminal not set to UTF-8 reaches Python as a lone surrogate: it was
    saved, then made every later listing of the unit fail."""
    for argv in (
        ["patients", "add", "--family-name=Gr\udce8ve", "--hospital-number=H9"],
        ["unit", "close", "--day=2027-03-22", "--label=gr\udce8ve"],
        ["plans", "show", "\udce9"],
    ):
        code, _out, err = call("--lang", "en", *argv, "--db", db)
        assert code == 2, err
        assert "cannot be read: the terminal sent characters that are not UTF-8" in err
        assert "\\udce" in err
        err.encode("utf-8")
    code, out, _err = call("--lang", "en", "patients", "list", "--db", db)
    assert "H9" not in out


def test_the_author_from_the_environment_is_checked_too(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_AUTHOR", "cb\nBEGIN:VEVENT")
    code, _out, err = call("--lang", "en", "patients", "port", "H001", "--db", db)
    assert (code, err) == (
        2, "error: PLANNER_AUTHOR: it must fit on one line (it holds a line break)\n"
    )  # fmt: skip


def test_a_hospital_number_differing_only_in_case_is_the_same_number(db: str) -> None:
    code, _out, err = call(
        "--lang", "en", "patients", "add", "--family-name=Durand", "--hospital-number=h001",
        "--db", db,
    )  # fmt: skip
    assert (code, err) == (1, "error: a patient with hospital number h001 already exists\n")
    call("patients", "add", "--family-name=Durand", "--hospital-number=H002", "--db", db)
    code, _out, err = call(
        "--lang", "en", "patients", "edit", "H002", "--hospital-number=h001", "--db", db
    )  # fmt: skip
    assert (code, err) == (1, "error: a patient with hospital number h001 already exists\n")
