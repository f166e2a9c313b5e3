"""The unit's settings: identity, closures, blood-test window, reminders, chairs and hours,
day planning (pharmacy, optimiser), plan defaults and the port rule table.

The dialog edits a :class:`UnitSettings` and the port rules and hands back new ones (with
the interface language); saving them is the caller's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from PySide6.QtCore import QLocale, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from planner import explain
from planner.core.chairs import UnitResources
from planner.core.closures import ClosureSet
from planner.core.engine import LabRule
from planner.core.port import PortRule
from planner.core.regimen import Regimen
from planner.core.schedule import Policy
from planner.core.settings import UnitSettings
from planner.core.text_fields import Field
from planner.explain import phone_problem
from planner.gui.dialogs import LANGUAGES, count_spin, display_locale, problem_and_buttons
from planner.gui.dialogs.closure_lists import OpenDaysEditor, UnitClosuresEditor
from planner.gui.dialogs.port_rules import PortRulesEditor
from planner.gui.dialogs.resources_editor import ResourcesEditor
from planner.gui.typed_text import kept
from planner.gui.typed_text import problem as typed_problem
from planner.i18n import _, ngettext


@dataclass(frozen=True, slots=True)
class SettingsResult:
    unit: UnitSettings
    language: str
    """The interface language: "fr" or "en"."""
    port_rules: tuple[PortRule, ...] | None
    """The edited port rule table; None when it was left as it was."""
    resources: UnitResources | None = None
    """The edited chairs, hours and nurses; None when left as they were."""
    backup_days: int | None = None
    """How many days the daily copies are kept (None: not asked, a database server)."""


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _days(n: int) -> str:
    return ngettext(" day", " days", n)


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: UnitSettings,
        language: str,
        port_rules: tuple[PortRule, ...],
        today: date,
        parent: Any = None,
        *,
        bundled_port_rules: tuple[PortRule, ...] | None = None,
        regimens: Sequence[Regimen] = (),
        resources: UnitResources | None = None,
        backup_days: int | None = None,
    ) -> None:
        """``backup_days``: how long daily copies are kept (None: a database server, whose
        copies are not the program's business)."""
        super().__init__(parent)
        self._backup_days = backup_days
        self.setWindowTitle(_("Unit settings"))
        self.resize(780, 560)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._unit_tab(settings, language), _("&Unit"))
        self.tabs.addTab(self._calendar_tab(settings, today), _("Ca&lendar"))
        self.tabs.addTab(self._labs_tab(settings), _("&Blood tests and reminders"))
        self.resources = ResourcesEditor(resources or UnitResources())
        self.tabs.addTab(self.resources, _("C&hairs and hours"))
        self.tabs.addTab(self.resources.planning, _("Da&y planning"))
        self.tabs.addTab(
            self._plans_tab(
                settings,
                PortRulesEditor(
                    port_rules,
                    port_rules if bundled_port_rules is None else bundled_port_rules,
                    regimens,
                ),
            ),
            _("&Plans"),
        )
        self.message, self.buttons, bottom = problem_and_buttons(self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        for spin in (self.earliest, self.latest, self.reuse):
            spin.valueChanged.connect(self._on_value_changed)
        for check in self.weekdays:
            check.toggled.connect(self._on_value_changed)
        self.port_rules.changed.connect(self._on_value_changed)
        self.phone.textChanged.connect(self._on_value_changed)
        self.name.textChanged.connect(self._on_value_changed)
        self.address.textChanged.connect(self._on_value_changed)
        self.resources.changed.connect(self._on_value_changed)
        self.closures.table.itemChanged.connect(self._on_value_changed)
        self.closure_set.currentIndexChanged.connect(self._on_closure_set_changed)
        self._on_closure_set_changed()
        self._on_value_changed()

    # ------------------------------------------------------------------ tabs
    def _unit_tab(self, settings: UnitSettings, language: str) -> QWidget:
        page = QWidget()
        self.name = QLineEdit(settings.name)
        self.name.setToolTip(_("Printed on the patients' calendars and handouts"))
        self.address = QPlainTextEdit(settings.address)
        self.address.setTabChangesFocus(True)
        self.address.setMaximumHeight(self.address.fontMetrics().lineSpacing() * 4 + 12)
        self.address.setToolTip(_("The unit's postal address, on several lines"))
        self.phone = QLineEdit(settings.phone)
        self.phone.setToolTip(_("The number patients call about their treatment"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.setToolTip(_("The language of menus, windows and messages on this computer"))
        form = QFormLayout()
        form.addRow(_("Unit &name:"), self.name)
        form.addRow(_("&Address:"), self.address)
        form.addRow(_("&Telephone:"), self.phone)
        form.addRow(_("Interface lan&guage:"), self.language)
        self.backup_days = count_spin(
            365,
            self._backup_days or 14,
            _days,
            _("A copy of the database is made each day; older copies are removed"),
            low=1,
        )
        self.backup_days.setPrefix(_("kept "))
        if self._backup_days is not None:
            form.addRow(_("Daily &copies:"), self.backup_days)
        else:
            self.backup_days.hide()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _calendar_tab(self, settings: UnitSettings, today: date) -> QWidget:
        page = QWidget()
        self.closure_set = QComboBox()
        for closure_set in ClosureSet:
            self.closure_set.addItem(explain.closure_set_name(closure_set), closure_set)
        self.closure_set.setCurrentIndex(self.closure_set.findData(settings.closure_set))
        self.closure_set.setToolTip(_("The public holidays on which the unit is closed"))

        self.closures = UnitClosuresEditor(settings.unit_closures, today)
        self.open_days = OpenDaysEditor(settings.open_days, today)
        layout = QVBoxLayout(page)
        form = QFormLayout()
        form.addRow(_("&Closures:"), self.closure_set)
        layout.addLayout(form)
        lists = QHBoxLayout()
        lists.addWidget(self.closures, 3)
        lists.addWidget(self.open_days, 2)
        layout.addLayout(lists, 1)
        return page

    def _labs_tab(self, settings: UnitSettings) -> QWidget:
        page = QWidget()
        rule = settings.lab_rule
        # 0 days before: the session's own day, the sample taken in the unit on arrival
        # (LabRule); the session then waits for the result (Chairs and hours tab).
        self.earliest = count_spin(
            14, rule.earliest, _days, _("The earliest day for the blood test"), low=0
        )
        self.latest = count_spin(
            14,
            rule.latest,
            _days,
            _(
                "The latest day for the blood test. The same day: the unit takes the sample "
                "when the patient arrives, and the session starts once the result is known."
            ),
            low=0,
        )
        for spin in (self.earliest, self.latest):
            spin.setSpecialValueText(_("the same day, in the unit"))
        self.reuse = count_spin(
            14,
            rule.reuse_within,
            _days,
            _("A session this close to the previous one shares its blood test"),
        )
        self.reuse.setSpecialValueText(_("never shared"))
        locale = display_locale()
        self.weekdays = []
        days = QHBoxLayout()
        for number in range(7):  # Monday = 0, as in the core; Qt counts Monday = 1
            check = QCheckBox(locale.standaloneDayName(number + 1, QLocale.FormatType.ShortFormat))
            check.setChecked(number in rule.weekdays)
            check.setToolTip(locale.standaloneDayName(number + 1))
            self.weekdays.append(check)
            days.addWidget(check)
        days.addStretch(1)
        labs = QGroupBox(_("Blood test before each session"))
        form = QFormLayout(labs)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_("&Earliest, before the session:"), self.earliest)
        form.addRow(_("&Latest, before the session:"), self.latest)
        form.addRow(_("Laboratories take samples on:"), days)
        form.addRow(_("&Share the test within:"), self.reuse)

        reminders = QGroupBox(_("Calendar reminders, the evening before"))
        form = QFormLayout(reminders)
        self.session_reminder, self.no_session_reminder = self._reminder(
            settings.session_reminder, form, _("&Session:")
        )
        self.lab_reminder, self.no_lab_reminder = self._reminder(
            settings.lab_reminder, form, _("Blood &test:")
        )
        layout = QVBoxLayout(page)
        layout.addWidget(labs)
        layout.addWidget(reminders)
        layout.addStretch(1)
        return page

    def _reminder(
        self, value: time | None, form: QFormLayout, label: str
    ) -> tuple[QTimeEdit, QCheckBox]:
        edit = QTimeEdit(QTime(18, 0) if value is None else QTime(value.hour, value.minute))
        edit.setDisplayFormat("HH:mm")
        edit.setToolTip(_("When the reminder rings, the evening before"))
        none = QCheckBox(_("No reminder"))
        none.setChecked(value is None)
        edit.setEnabled(value is not None)
        none.toggled.connect(lambda checked: edit.setEnabled(not checked))
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addWidget(none)
        row.addStretch(1)
        form.addRow(_label(label, edit), row)
        return edit, none

    def _plans_tab(self, settings: UnitSettings, rules: PortRulesEditor) -> QWidget:
        page = QWidget()
        self.policy = QComboBox()
        for policy in Policy:
            self.policy.addItem(explain.policy_name(policy), policy)
        self.policy.setCurrentIndex(self.policy.findData(settings.default_policy))
        self.policy.setToolTip(_("The policy of new plans"))
        self.port_lead = count_spin(
            90,
            settings.port_lead_days,
            lambda n: ngettext(" day before C1", " days before C1", n),
            _("The port is placed at least this many days before the first session"),
        )
        self.port_lead.setSpecialValueText(_("any time before C1"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_("Default &policy:"), self.policy)
        form.addRow(_("Port lead &time:"), self.port_lead)

        box = QGroupBox(_("Implantable port advice"))
        self.port_rules = rules
        explanation = QLabel(
            _(
                "The strongest advice whose rule matches a drug of the regimen applies; with no "
                "match, no port is needed. These rules are the unit's: kept in its database, "
                "they are the same for every coordinator of the unit."
            )
        )
        explanation.setWordWrap(True)
        explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column = QVBoxLayout(box)
        column.addWidget(explanation)
        column.addWidget(self.port_rules, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(box, 1)
        return page

    # ------------------------------------------------------------------ result
    def _lab_rule(self) -> LabRule:
        weekdays = frozenset(n for n, check in enumerate(self.weekdays) if check.isChecked())
        return LabRule(
            earliest=self.earliest.value(),
            latest=self.latest.value(),
            weekdays=weekdays,
            reuse_within=self.reuse.value(),
        )

    def problem(self) -> str:
        """Why the settings cannot be saved as they are ("" when they can)."""
        try:
            self._lab_rule()
        except ValueError:
            return _(
                "The blood-test window is not valid: its latest day must not be further before "
                "the session than its earliest day."
            )
        if not any(check.isChecked() for check in self.weekdays):
            return _("Tick at least one day on which laboratories take samples.")
        typed = typed_problem(
            (Field.UNIT_NAME, self.name.text()),
            (Field.UNIT_ADDRESS, self.address.toPlainText()),
            (Field.UNIT_PHONE, self.phone.text()),
        )
        if typed:
            return typed
        if self.phone.text().strip():  # left empty, patients' documents say it is missing
            problem = phone_problem(self.phone.text())
            if problem:
                return problem
        return self.closures.problem() or self.resources.problem() or self.port_rules.problem()

    @staticmethod
    def _time(edit: QTimeEdit, none: QCheckBox) -> time | None:
        return None if none.isChecked() else time(edit.time().hour(), edit.time().minute())

    def result_value(self) -> SettingsResult:
        problem = self.problem()
        if problem:
            raise ValueError(problem)
        unit = UnitSettings(
            name=kept(Field.UNIT_NAME, self.name.text()),
            address=kept(Field.UNIT_ADDRESS, self.address.toPlainText()),
            phone=kept(Field.UNIT_PHONE, self.phone.text()),
            closure_set=ClosureSet(self.closure_set.currentData()),
            unit_closures=self.closures.value(),
            open_days=self.open_days.value(),
            lab_rule=self._lab_rule(),
            default_policy=Policy(self.policy.currentData()),
            port_lead_days=self.port_lead.value(),
            session_reminder=self._time(self.session_reminder, self.no_session_reminder),
            lab_reminder=self._time(self.lab_reminder, self.no_lab_reminder),
        )
        rules = self.port_rules.rules()
        changed = rules if rules != self.port_rules.initial else None
        resources = self.resources.value()
        return SettingsResult(
            unit,
            self.language.currentData(),
            changed,
            resources if resources != self.resources.initial else None,
            self.backup_days.value() if self._backup_days is not None else None,
        )

    # ------------------------------------------------------------------ slots
    def _on_closure_set_changed(self, *_args: object) -> None:
        closures = ClosureSet(self.closure_set.currentData())
        self.resources.set_weekends_closed(closures is not ClosureSet.NONE)

    def _on_value_changed(self, *_args: object) -> None:
        problem = self.problem()
        self.message.setText(problem)
        self.ok_button.setEnabled(not problem)
