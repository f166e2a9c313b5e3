"""The unit's settings: the dialog, then what changed saved (the unit's port rules, chairs and
hours, the unit's own settings, this computer's language)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QDialog

from planner.gui.desk import Desk
from planner.gui.plain import inform
from planner.i18n import _, error_text, language


def unit_settings(desk: Desk) -> bool:
    """The settings dialog, then save what changed."""
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    unit = desk.unit
    if unit is None:
        return False
    dialog = SettingsDialog(
        unit.settings,
        desk.settings.language or language(),
        unit.catalog.port_rules,
        unit.today,
        desk.widget,
        bundled_port_rules=unit.catalog.shipped_port_rules,
        regimens=list(unit.catalog),
        resources=unit.resources,
        backup_days=desk.settings.backup_days if unit.store.location.path else None,
    )
    while True:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if _save_settings(desk, unit, dialog.result_value()):
            return True
        # Not saved: the dialog comes back as it was, nothing typed is thrown away.


def _save_settings(desk: Desk, unit: Any, result: Any) -> bool:
    from planner.store import Conflict

    if result.backup_days is not None:
        desk.settings.backup_days = result.backup_days
    if result.port_rules is not None:
        try:
            unit.save_port_rules(result.port_rules)
        except Conflict as exc:
            desk.show_error(
                _("The port rules were not saved"),
                error_text(exc)
                + "\n\n"
                + _(
                    "The window now advises by the unit's rules as they are. The rules you "
                    "entered are shown again: save them to replace those."
                ),
            )
            return False
        except Exception as exc:
            desk.show_error(
                _("The port rules were not saved"),
                error_text(exc) + "\n\n" + _("What you entered is shown again."),
            )
            return False
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
        inform(
            desk.widget,
            _("Language"),
            _("The new language applies the next time Infusion Planner starts."),
        )
    desk.statusBar().showMessage(_("Unit settings saved"), 15000)
    return True
