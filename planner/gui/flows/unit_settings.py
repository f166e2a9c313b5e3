"""The unit's settings: the dialog, then what changed saved (port rules, chairs and hours,
the unit's own settings, this computer's language)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QMessageBox

from planner.gui.desk import Desk
from planner.i18n import _, error_text, language

if TYPE_CHECKING:
    from planner.core.port import PortRule


def unit_settings(desk: Desk, rules_file: Path | None = None) -> bool:
    """The settings dialog, then save what changed; ``rules_file`` is where this computer's
    port rules live (the user's catalogue folder unless given)."""
    from planner.catalog import CatalogPaths, bundled_port_rules
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    unit = desk.unit
    if unit is None:
        return False
    bundled = bundled_port_rules()
    rules_file = rules_file or CatalogPaths.user().port_rules
    dialog = SettingsDialog(
        unit.settings,
        desk.settings.language or language(),
        unit.catalog.port_rules,
        unit.today,
        desk.widget,
        bundled_port_rules=bundled,
        regimens=list(unit.catalog),
        port_rules_file=rules_file,
        resources=unit.resources,
        backup_days=desk.settings.backup_days if unit.store.location.path else None,
    )
    while True:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if _save_settings(desk, unit, dialog.result_value(), rules_file, bundled):
            return True
        # Not saved: the dialog comes back as it was, nothing typed is thrown away.


def _save_settings(desk: Desk, unit: Any, result: Any, rules_file: Path, bundled: Any) -> bool:
    if result.backup_days is not None:
        desk.settings.backup_days = result.backup_days
    if result.port_rules is not None:
        try:
            _save_port_rules(rules_file, result.port_rules, bundled)
        except Exception as exc:
            desk.show_error(_("The port rules were not saved"), error_text(exc))
            return False
        unit.set_port_rules(result.port_rules)
    if result.resources is not None:
        try:
            unit.save_resources(result.resources)
        except Exception as exc:
            desk.show_error(_("The chairs and hours were not saved"), error_text(exc))
            return False
    if result.unit != unit.settings:
        from planner.core.closures import stamp_new

        # A day closed here is recorded as closed now, by this coordinator: the patients
        # whose sessions it moves are on the list to call (Unit › Patients to call).
        closures = stamp_new(
            result.unit.unit_closures,
            unit.settings.unit_closures,
            author=unit.author,
            at=unit.now(),
        )
        try:
            unit.save_settings(replace(result.unit, unit_closures=closures))
        except Exception as exc:
            desk.show_error(_("The settings were not saved"), error_text(exc))
            return False
    # Unset, the interface follows the system: only a different choice needs the message.
    if result.language and result.language != (desk.settings.language or language()):
        desk.settings.language = result.language
        QMessageBox.information(
            desk.widget,
            _("Language"),
            _("The new language applies the next time Infusion Planner starts."),
        )
    desk.statusBar().showMessage(_("Unit settings saved"), 15000)
    return True


def _save_port_rules(
    path: Path, rules: tuple[PortRule, ...], bundled: tuple[PortRule, ...]
) -> None:
    """Write this computer's port rule table, whole or not at all; rules equal to the bundled
    ones remove the file, so that the table shipped with a later version applies."""
    from planner.catalog.port_rules_file import port_rules_toml
    from planner.export.files import write_atomically

    if rules == bundled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, [port_rules_toml(rules).encode("utf-8")])
