"""``unit settings``: the unit's name, address and telephone, set and shown headless."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.store import Store
from tests.cli.test_plan_commands import call


def test_the_units_contact_is_set_shown_and_kept(tmp_path: Path) -> None:
    db = str(tmp_path / "unit.db")
    code, out, err = call("--lang", "en", "unit", "settings", "--db", db)
    assert (code, err) == (0, ""), err
    assert out == "Unit name: (not set)\nAddress: (not set)\nTelephone: (not set)\n"
    code, out, err = call(
        "--lang", "fr", "unit", "settings", "--db", db,
        "--name", "Hôpital de jour d'oncologie",
        "--address", "12 rue de la Santé\n75014 Paris",
        "--phone", "01 23 45 67 89",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert out == (
        "Nom du service\u00a0: Hôpital de jour d'oncologie\n"
        "Adresse\u00a0: 12 rue de la Santé, 75014 Paris\n"
        "Téléphone\u00a0: 01 23 45 67 89\n"
    )
    # One option changes that field only.
    assert call("unit", "settings", "--phone", "+41 21 314 11 11", "--db", db)[0] == 0
    with Store.open(db) as store:
        settings = store.settings()
    assert (settings.name, settings.address, settings.phone) == (
        "Hôpital de jour d'oncologie",
        "12 rue de la Santé\n75014 Paris",
        "+41 21 314 11 11",
    )


@pytest.mark.parametrize("phone", ["", "12", "01 23 45", "0123456789012", "appelez-nous"])
def test_a_wrong_phone_is_refused_and_nothing_saved(tmp_path: Path, phone: str) -> None:
    db = str(tmp_path / "unit.db")
    code, _out, _err = call(
        "unit", "settings", "--phone", "01 23 45 67 89", "--name", "HDJ", "--db", db
    )
    assert code == 0
    code, out, err = call(
        "--lang", "en", "unit", "settings", "--name", "Other", "--phone", phone, "--db", db
    )
    assert (code, out) == (2, "")
    assert err.startswith("error: --phone: ")
    assert len(err.strip().splitlines()) == 1
    with Store.open(db) as store:
        assert (store.settings().name, store.settings().phone) == ("HDJ", "01 23 45 67 89")
