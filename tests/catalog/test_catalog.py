"""The bundled catalogue: the 29 reference regimens, encoded as the project reads them, and
the 21 regimens of issue 20 encoded from their labels and pivotal trials; an installation
without them is said, never shown as an empty catalogue."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.catalog import (
    Catalog,
    CatalogPaths,
    InstallationError,
    bundled_port_rules,
    load_catalog,
)
from planner.core.port import PortLevel, port_advice
from planner.core.regimen import AgentClass, Route

REFERENCE = json.loads((Path(__file__).parent / "reference" / "regimens.json").read_text())
BY_ID = {entry["id"]: entry for entry in REFERENCE}


# The regimens a French day hospital runs every week that the reference did not have (issue
# 20), with the port advice of the bundled rules and why.
NEW = {
    # 46-hour 5-FU pump.
    "mfolfirinox-q14": PortLevel.REQUIRED,
    "nivolumab-mfolfox6-cm649": PortLevel.REQUIRED,
    # A taxane (vesicant family).
    "gemcitabine-nab-paclitaxel-d1-8-15-q28": PortLevel.RECOMMENDED,
    "carboplatin-paclitaxel-dostarlimab-ruby": PortLevel.RECOMMENDED,
    "pembrolizumab-chemo-kn522": PortLevel.RECOMMENDED,
    "docetaxel-75-q21": PortLevel.RECOMMENDED,
    # Other IV chemotherapy.
    "capox-q21": PortLevel.CONSIDER,
    "carboplatin-etoposide-atezolizumab-impower133": PortLevel.CONSIDER,
    "platinum-etoposide-durvalumab-caspian": PortLevel.CONSIDER,
    "gemcitabine-cisplatin-durvalumab-topaz1": PortLevel.CONSIDER,
    "pemetrexed-maintenance-q21": PortLevel.CONSIDER,
    "cisplatin-40-weekly-radiotherapy": PortLevel.CONSIDER,
    # Antibody-drug conjugates.
    "enfortumab-vedotin-pembrolizumab-ev302": PortLevel.CONSIDER,
    "trastuzumab-deruxtecan-q21": PortLevel.CONSIDER,
    "sacituzumab-govitecan-d1-8-q21": PortLevel.CONSIDER,
    # Immunotherapy alone.
    "nivolumab-relatlimab-q4w": PortLevel.NOT_NEEDED,
    # Under the skin only.
    "trastuzumab-sc-600-q21": PortLevel.NOT_NEEDED,
    "pertuzumab-trastuzumab-sc-phesgo-q21": PortLevel.NOT_NEEDED,
    "atezolizumab-sc-1875-q3w": PortLevel.NOT_NEEDED,
    "nivolumab-sc-q4w": PortLevel.NOT_NEEDED,
    "pembrolizumab-sc-q6w": PortLevel.NOT_NEEDED,
}
SUBCUTANEOUS = {
    "trastuzumab-sc-600-q21",
    "pertuzumab-trastuzumab-sc-phesgo-q21",
    "atezolizumab-sc-1875-q3w",
    "nivolumab-sc-q4w",
    "pembrolizumab-sc-q6w",
}


def test_the_catalogue_has_the_29_reference_regimens_and_the_21_of_issue_20(
    catalog: Catalog,
) -> None:
    assert [str(e) for e in catalog.errors] == []
    assert sorted(r.id for r in catalog) == sorted([*BY_ID, *NEW])
    assert len(catalog) == 50


@pytest.mark.parametrize("regimen_id", sorted(NEW))
def test_port_advice_of_every_new_regimen(catalog: Catalog, regimen_id: str) -> None:
    advice = port_advice(catalog.regimen(regimen_id), catalog.port_rules)
    assert advice.level is NEW[regimen_id]
    assert advice.subcutaneous_only is (regimen_id in SUBCUTANEOUS)


def test_subcutaneous_forms_are_sessions_with_their_injection_minutes(catalog: Catalog) -> None:
    for regimen_id in SUBCUTANEOUS:
        regimen = catalog.regimen(regimen_id)
        for adm in regimen.administrations:
            assert adm.route is Route.SC, regimen_id
            assert adm.starts_session, regimen_id
            assert adm.infusion is not None, regimen_id
            assert adm.infusion.first <= 10, regimen_id
        assert regimen.phases[0].session_days == (1,)


def test_an_antibody_drug_conjugate_keeps_its_port_advice_beside_an_immunotherapy(
    catalog: Catalog,
) -> None:
    ev302 = catalog.regimen("enfortumab-vedotin-pembrolizumab-ev302")
    advice = port_advice(ev302, catalog.port_rules)
    [reason] = advice.reasons
    assert [a.inn for a in reason.agents] == ["enfortumab vedotin"]
    assert reason.rule is not None
    assert reason.rule.families == {"antibody-drug conjugate"}


# Where a trial or a label is cited from: PubMed, a DOI, a trial register, the EMA's EPAR.
PRIMARY = ("pubmed.ncbi.nlm.nih.gov", "doi.org", "clinicaltrials", "ema.europa.eu")


def test_every_new_file_cites_a_trial_or_a_label(catalog: Catalog) -> None:
    for regimen_id in NEW:
        regimen = catalog.regimen(regimen_id)
        assert len(regimen.sources) >= 2, regimen_id
        assert any(place in s.url for s in regimen.sources for place in PRIMARY), regimen_id
        path = catalog.entries[regimen_id].path
        assert "docs/regimen-format.md" in path.read_text(encoding="utf-8"), regimen_id


# Phases as (cycle days, cycles or None for open-ended) and caps, as the project reads the
# reference where it is ambiguous (issue 2).
READINGS = {
    "mfolfox6-q14": ([(14, 12)], {}),
    "cisplatin-etoposide-q21": ([(21, 6)], {}),
    "trastuzumab-q3w-adjuvant": ([(21, 1), (21, 16)], {}),
    "durvalumab-1500-q4w-pacific": ([(28, 13)], {}),
    "pembrolizumab-200-q3w": ([(21, 35)], {"pembrolizumab": 35}),
    "pembrolizumab-400-q6w": ([(42, 18)], {}),
    "pembrolizumab-pemetrexed-platinum-kn189": ([(21, 4), (21, None)], {"pembrolizumab": 35}),
    "pembrolizumab-carboplatin-taxane-kn407": ([(21, 4), (21, 31)], {"pembrolizumab": 35}),
    "pembrolizumab-axitinib-kn426": ([(21, None)], {"pembrolizumab": 35}),
    "lenvatinib-pembrolizumab-clear": ([(21, None)], {"pembrolizumab": 35}),
    "nivolumab-ipilimumab-chemo-cm9la": ([(42, 1), (42, None)], {}),
    "nivolumab-ipilimumab-nsclc-cm227": ([(42, None)], {}),
    "ipilimumab-nivolumab-melanoma-cm067": ([(21, 4), (14, None)], {}),
    "pertuzumab-trastuzumab-docetaxel-q21": ([(21, 1), (21, None)], {"docetaxel": 6}),
    "ac-q21-then-paclitaxel-weekly-x12": ([(21, 4), (7, 12)], {}),
    "dose-dense-ac-then-paclitaxel-q14": ([(14, 4), (14, 4)], {}),
    "tremelimumab-durvalumab-stride": ([(28, 1), (28, None)], {}),
    "gemcitabine-carboplatin-d1-d8-q21": ([(21, 6)], {}),
}


@pytest.mark.parametrize("regimen_id", sorted(READINGS))
def test_phases_and_caps_follow_the_project_readings(catalog: Catalog, regimen_id: str) -> None:
    regimen = catalog.regimen(regimen_id)
    phases, caps = READINGS[regimen_id]
    assert [(p.cycle_days, p.cycles) for p in regimen.phases] == phases
    assert {c.agent: c.max_administrations for c in regimen.caps} == caps


@pytest.mark.parametrize("regimen_id", sorted(BY_ID))
def test_cycle_lengths_and_session_days_match_the_reference(
    catalog: Catalog, regimen_id: str
) -> None:
    regimen = catalog.regimen(regimen_id)
    reference = BY_ID[regimen_id]["phases"]
    assert len(regimen.phases) == len(reference)
    for phase, ref in zip(regimen.phases, reference, strict=True):
        assert phase.cycle_days == ref["cycle_length_days"]
        assert list(phase.session_days) == ref["day_hospital_infusion_days"]
        pump_days = ref.get("pump_disconnection_days")
        if pump_days:
            pumps = [
                day + (a.pump_days or 0)
                for a in phase.administrations
                if a.continuous_hours
                for day in a.days
            ]
            assert pumps == pump_days


# Optional drugs the project leaves out (issue 2), and reference names that are not INNs.
LEFT_OUT = {"bevacizumab (optional)", "trastuzumab (HER2+ only)"}
ALIASES = {"leucovorin (folinic acid)": "folinic acid"}
# Where the file follows the EU label rather than the reference's US sources (issue 21):
# nivolumab 480 mg every 4 weeks is given over 60 minutes in the Opdivo SmPC, not 30.
EU_LABEL = {("nivolumab-480-q4w", "nivolumab"): 60}


@pytest.mark.parametrize("regimen_id", sorted(BY_ID))
def test_infusion_minutes_match_the_reference(catalog: Catalog, regimen_id: str) -> None:
    """Where the reference gives a number for a drug, the file carries that number."""
    regimen = catalog.regimen(regimen_id)
    for phase, ref in zip(regimen.phases, BY_ID[regimen_id]["phases"], strict=True):
        for ref_agent in ref["agents"]:
            minutes = ref_agent.get("infusion_minutes")
            if not minutes or ref_agent.get("continuous_infusion"):
                continue
            drug = ref_agent["drug"]
            if drug in LEFT_OUT:
                continue
            inn = ALIASES.get(drug, drug)
            given = [
                a.infusion.first
                for a in phase.administrations
                if a.infusion is not None and inn.startswith(a.agent.inn)
            ]
            expected = EU_LABEL.get((regimen_id, inn), minutes["first"])
            assert expected in given, (ref_agent["drug"], given)


PORT_LEVELS = {
    PortLevel.REQUIRED: [
        "mfolfox6-q14",
        "folfiri-q14",
        "bevacizumab-5mgkg-q2w-with-folfox-or-folfiri",
        "cetuximab-weekly-or-q2w-with-folfiri",
    ],
    PortLevel.RECOMMENDED: [
        "carboplatin-paclitaxel-q21",
        "paclitaxel-weekly-d1-8-15-q28",
        "ac-q21-then-paclitaxel-weekly-x12",
        "dose-dense-ac-then-paclitaxel-q14",
        "pertuzumab-trastuzumab-docetaxel-q21",
        "pembrolizumab-carboplatin-taxane-kn407",
    ],
    PortLevel.CONSIDER: [
        "pembrolizumab-pemetrexed-platinum-kn189",
        "nivolumab-ipilimumab-chemo-cm9la",
        "gemcitabine-carboplatin-d1-d8-q21",
        "cisplatin-etoposide-q21",
    ],
}


@pytest.mark.parametrize("regimen_id", sorted(BY_ID))
def test_port_advice_of_every_regimen(catalog: Catalog, regimen_id: str) -> None:
    expected = next(
        (level for level, ids in PORT_LEVELS.items() if regimen_id in ids), PortLevel.NOT_NEEDED
    )
    assert port_advice(catalog.regimen(regimen_id), catalog.port_rules).level is expected


def test_immunotherapy_alone_needs_no_port(catalog: Catalog) -> None:
    """The patient information: no port is needed for immunotherapy alone."""
    alone = [r for r in catalog if r.classes == {AgentClass.IMMUNOTHERAPY}]
    # 8 IV monotherapies and 3 dual immunotherapies of the reference; nivolumab-relatlimab
    # and the three subcutaneous checkpoint inhibitors.
    assert len(alone) == 15
    for regimen in alone:
        advice = port_advice(regimen, catalog.port_rules)
        assert advice.level is PortLevel.NOT_NEEDED
        assert advice.immunotherapy_only


def test_classes_and_combinations(catalog: Catalog) -> None:
    assert catalog.regimen("pembrolizumab-200-q3w").is_monotherapy
    assert not catalog.regimen("pembrolizumab-axitinib-kn426").is_monotherapy
    dual = sorted(r.id for r in catalog if r.is_dual_immunotherapy)
    assert dual == [
        "ipilimumab-nivolumab-melanoma-cm067",
        "nivolumab-ipilimumab-chemo-cm9la",
        "nivolumab-ipilimumab-nsclc-cm227",
        "nivolumab-relatlimab-q4w",
        "tremelimumab-durvalumab-stride",
    ]


def test_oral_and_subcutaneous_drugs_are_listed_but_make_no_session(catalog: Catalog) -> None:
    kn426 = catalog.regimen("pembrolizumab-axitinib-kn426")
    axitinib = [a for a in kn426.administrations if a.agent.inn == "axitinib"]
    assert axitinib
    assert all(a.route is Route.ORAL for a in axitinib)
    assert kn426.phases[0].session_days == (1,)
    ddac = catalog.regimen("dose-dense-ac-then-paclitaxel-q14")
    assert {a.route for a in ddac.administrations if a.agent.inn == "pegfilgrastim"} == {Route.SC}


def test_every_regimen_names_its_sources_and_both_languages(catalog: Catalog) -> None:
    for regimen in catalog:
        assert regimen.sources, regimen.id
        assert regimen.name.fr
        assert regimen.name.en
        assert regimen.name.fr != regimen.name.en
        if regimen.id in BY_ID:  # the reference's regimens cite the reference's sources...
            ref_sources = {s["id"] for s in BY_ID[regimen.id]["sources"]}
            # ...and a source added since (issue 21: chair times) is cited where it is used,
            # in a comment or a `sources` list, not only listed in its [[sources]] block.
            text = catalog.entries[regimen.id].path.read_text(encoding="utf-8")
            for source in regimen.sources:
                if source.id not in ref_sources:
                    assert text.count(source.id) >= 2, (regimen.id, source.id)
        for phase in regimen.phases:
            assert phase.name.fr
            assert phase.name.en


def test_checkmate_227_says_it_is_not_authorised_in_the_eu(catalog: Catalog) -> None:
    """The EU application for nivolumab + ipilimumab without chemotherapy in first-line NSCLC
    (CheckMate 227) was withdrawn in 2020: wherever a coordinator meets the regimen (its
    name in the lists, its indication, its notes), in both languages, with the source."""
    regimen = catalog.regimen("nivolumab-ipilimumab-nsclc-cm227")
    assert regimen.indication is not None
    assert regimen.notes is not None
    for text in (regimen.name, regimen.indication, regimen.notes):
        assert "non autorisé" in text.fr.lower()
        assert "dans l'UE" in text.fr
        assert "not authorised in the eu" in text.en.lower()
    assert regimen.name.en.endswith("(NSCLC, chemotherapy-free; not authorised in the EU)")
    assert "withdrawn on 30 January 2020" in regimen.notes.en
    withdrawn = next(s for s in regimen.sources if s.id == "ema_cm227_withdrawn")
    assert "CheckMate 227" in withdrawn.title
    # CheckMate 9LA, which the EU does authorise, says nothing of the kind.
    assert "UE" not in catalog.regimen("nivolumab-ipilimumab-chemo-cm9la").name.fr


# ---------------------------------------------------------------- an incomplete installation


def _missing_regimens(installed: Path) -> Path:
    shutil.rmtree(installed / "regimens")
    return installed / "regimens"


def _empty_regimens(installed: Path) -> Path:
    for path in (installed / "regimens").iterdir():
        path.unlink()
    (installed / "regimens" / "README.txt").write_text("not a regimen")
    return installed / "regimens"


def _missing_agents(installed: Path) -> Path:
    (installed / "agents.toml").unlink()
    return installed / "agents.toml"


def _missing_port_rules(installed: Path) -> Path:
    (installed / "port_rules.toml").unlink()
    return installed / "port_rules.toml"


@pytest.mark.parametrize(
    ("remove", "words"),
    [
        (_missing_regimens, "the regimen files were not found: the folder {path} does not exist"),
        (
            _empty_regimens,
            "the regimen files were not found: the folder {path} holds no regimen file (*.toml)",
        ),
        (_missing_agents, "the drug dictionary was not found: {path} does not exist"),
        (_missing_port_rules, "the port rule table was not found: {path} does not exist"),
    ],
)
def test_bundled_files_not_found_are_an_error_naming_where_they_were_looked_for(
    installed: Path, remove: Callable[[Path], Path], words: str
) -> None:
    path = remove(installed)
    for user in (None, CatalogPaths.user()):
        with pytest.raises(InstallationError) as raised:
            load_catalog(user=user)
        assert raised.value.path == path
        assert str(raised.value) == (
            words.format(path=path) + "; the installation of Infusion Planner is incomplete or "
            "damaged: reinstall it, or ask whoever installed it"
        )


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("agents.toml", "the drug dictionary shipped with the program cannot be used: "),
        ("port_rules.toml", "the port rule table shipped with the program cannot be used: "),
    ],
)
def test_a_damaged_bundled_dictionary_or_rule_table_is_an_error_not_a_skipped_file(
    installed: Path, name: str, words: str
) -> None:
    """Without the drug dictionary every regimen is unreadable; without the rule table every
    regimen would be advised "no port": neither is a file to skip."""
    (installed / name).write_text("format = 1\n[[rules", encoding="utf-8")
    with pytest.raises(InstallationError) as raised:
        load_catalog()
    assert str(raised.value).startswith(f"{words}{installed / name}: not valid TOML")


def test_the_bundled_port_rules_alone_are_an_error_too_when_missing(installed: Path) -> None:
    path = _missing_port_rules(installed)
    with pytest.raises(InstallationError, match="the port rule table was not found"):
        bundled_port_rules()
    assert not path.exists()


def test_bundled_regimen_files_none_of_which_can_be_read_are_an_error(installed: Path) -> None:
    folder = installed / "regimens"
    for path in folder.iterdir():
        path.write_text("not = [toml", encoding="utf-8")
    with pytest.raises(InstallationError) as raised:
        load_catalog()
    first = sorted(folder.iterdir())[0]
    assert str(raised.value).startswith(
        f"no regimen file in the folder {folder} could be read: {first}: not valid TOML"
    )


def test_one_damaged_bundled_regimen_file_is_skipped_and_said(installed: Path) -> None:
    broken = installed / "regimens" / "folfiri-q14.toml"
    broken.write_text("not = [toml", encoding="utf-8")
    catalog = load_catalog()
    assert len(catalog) == 49
    assert [e.path for e in catalog.errors] == [broken]


def test_the_users_folder_may_be_absent_or_empty(tmp_path: Path) -> None:
    absent = CatalogPaths.user(tmp_path / "nowhere")
    empty = CatalogPaths.user(tmp_path / "empty")
    empty.regimens.mkdir(parents=True)
    for user in (absent, empty):
        catalog = load_catalog(user=user)
        assert (len(catalog), catalog.errors) == (50, ())
