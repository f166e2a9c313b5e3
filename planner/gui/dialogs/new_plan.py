"""The new-plan dialog: a patient, a regimen, a start date and the plan's options.

It previews the first months of the calendar and the port advice, and hands back a
:class:`NewPlanRequest`; creating the patient and the plan is the caller's business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from planner import explain
from planner.catalog import Catalog
from planner.core.chairs import StartOption
from planner.core.closures import ClosureSet
from planner.core.engine import months_after
from planner.core.patient import Patient, Preference
from planner.core.plan import DEFAULT_IMAGING_WEEKS, Plan, PlanOptions, regimen_imaging_weeks
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortAdvice, PortLevel, port_advice
from planner.core.regimen import Regimen
from planner.core.schedule import Policy
from planner.core.settings import UnitSettings
from planner.core.starting import earliest_start_from_today, in_the_past
from planner.gui.dialogs import (
    count_spin,
    date_edit,
    problem_and_buttons,
    to_date,
    to_qdate,
)
from planner.gui.dialogs.patient_picker import NewPatient, PatientPicker
from planner.gui.dialogs.regimen_chooser import RegimenChooser
from planner.gui.models.regimen_list import RegimenKind
from planner.gui.models.schedule_table import ScheduleTableModel
from planner.i18n import _, format_date, language, ngettext

__all__ = ["NewPatient", "NewPlanDialog", "NewPlanRequest"]

PREVIEW_MONTHS = 3
TITLE_BAR = 40
"""What a window's title bar takes of the screen's height, about (desktops differ)."""


@dataclass(frozen=True, slots=True)
class NewPlanRequest:
    """What the coordinator chose. Exactly one of ``patient`` and ``new_patient`` is set."""

    patient: Patient | None
    new_patient: NewPatient | None
    regimen: Regimen
    start: date
    policy: Policy
    closure_set: ClosureSet
    options: PlanOptions
    """``options.port_confirmed`` equals ``confirm_port``."""
    confirm_port: bool


def _combo(items: list[tuple[str, Any]], tooltip: str) -> QComboBox:
    combo = QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    combo.setToolTip(tooltip)
    return combo


Earliest = Callable[[Regimen, date, Policy, Preference], list[StartOption]]
"""The unit's earliest-start search for a regimen, from a day, by a policy and preference."""


class NewPlanDialog(QDialog):
    def __init__(
        self,
        catalog: Catalog,
        settings: UnitSettings,
        patients: list[Patient],
        today: date,
        parent: Any = None,
        patient: Patient | None = None,
        *,
        earliest: Earliest | None = None,
        ongoing: Callable[[Patient], str | None] | None = None,
    ) -> None:
        """``earliest(regimen, from_day, policy, preference)`` finds the first start dates
        at which the plan's first weeks fit the unit's chairs (None: no such button);
        ``ongoing(patient)`` says an existing patient's plan in progress, if any."""
        super().__init__(parent)
        self._earliest = earliest
        self.today = today
        self.catalog = catalog
        self.settings = settings
        self.advice: PortAdvice | None = None
        self._imaging_default = DEFAULT_IMAGING_WEEKS
        self.setWindowTitle(_("New treatment plan"))
        # As large as a 1366×768 screen allows, no larger than the screen: on 1280×720 its
        # buttons were below the screen's foot (a title bar takes some 40 pixels more).
        room = parent.screen() if parent is not None else QApplication.primaryScreen()
        available = room.availableGeometry()
        self.resize(min(1180, available.width()), min(760, available.height() - TITLE_BAR))

        # Created in the order Tab visits them: patient, regimen, plan, preview, buttons.
        self.patient = PatientPicker(patients, patient, ongoing=ongoing)
        self.patient.changed.connect(self._on_patient_changed)
        grid = QGridLayout(self)
        grid.addWidget(self.patient, 0, 0)
        self.regimen = RegimenChooser(list(self.catalog))
        self.regimen.changed.connect(self._on_regimen_changed)
        # What tests and the screenshots reach for, by the names they always had.
        self.search, self.kind_boxes = self.regimen.search, self.regimen.kind_boxes
        self.regimens, self.regimen_list = self.regimen.regimens, self.regimen.regimen_list
        self.regimen_count = self.regimen.regimen_count
        grid.addWidget(self.regimen, 1, 0)
        grid.addWidget(self._plan_box(today), 0, 1)
        grid.addWidget(self._preview_box(), 1, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setRowStretch(1, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setToolTip(_("The plan that Create the plan saves, and for whom"))
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        grid.addWidget(self.summary, 2, 0, 1, 2)
        self.message, self.buttons, bottom = problem_and_buttons(self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Create the plan"))
        grid.addLayout(bottom, 3, 0, 1, 2)
        self._refresh()
        if patient is not None:
            self.search.setFocus()
        else:
            (self.patient.family_name if self.patient.is_new() else self.patient.lookup).setFocus()

    # ------------------------------------------------------------------ building
    def _plan_box(self, today: date) -> QGroupBox:
        box = QGroupBox(_("Plan"))
        settings = self.settings
        self.start = date_edit(today)
        self.start.setToolTip(_("Day 1 of cycle 1"))
        self.start_day = QLabel()
        self.policy = _combo(
            [(explain.policy_name(p), p) for p in Policy],
            _("What a date moved by a closure does to the dates after it"),
        )
        self.policy.setCurrentIndex(self.policy.findData(settings.default_policy))
        self.closures = _combo(
            [(explain.closure_set_name(c), c) for c in ClosureSet],
            _("The days the unit is closed, besides its own closures"),
        )
        self.closures.setCurrentIndex(self.closures.findData(settings.closure_set))
        self.imaging = count_spin(
            52,
            DEFAULT_IMAGING_WEEKS,
            lambda n: ngettext(" week", " weeks", n),
            _("Response imaging (scan) every so many weeks; the regimen's by default"),
        )
        self.imaging.setSpecialValueText(_("no imaging"))
        self.consultation = count_spin(
            12,
            1,
            lambda n: ngettext(" cycle", " cycles", n),
            _("An oncologist consultation every so many cycles (1: before every cycle)"),
        )
        self.consultation.setSpecialValueText(_("no consultation"))
        self.port_lead = count_spin(
            90,
            settings.port_lead_days,
            lambda n: ngettext(" day", " days", n),
            _("The port is placed at least this many days before the first session"),
        )
        self.port_lead.setSpecialValueText(_("any time"))
        self.confirm_port = QCheckBox(_("Confir&m the port: plan its placement"))
        self.confirm_port.setToolTip(
            _("A port is recommended, not required: tick to plan its placement")
        )
        start_row = QHBoxLayout()
        start_row.addWidget(self.start)
        start_row.addWidget(self.start_day, 1)
        self.earliest_button = QPushButton(_("Fin&d the earliest start…"))
        self.earliest_button.setToolTip(
            _(
                "The first start dates from the one chosen at which every session of the "
                "first 12 weeks finds a chair"
            )
        )
        self.earliest_button.clicked.connect(self.find_earliest)
        self.earliest_button.setVisible(self._earliest is not None)
        start_row.addWidget(self.earliest_button)
        self.starts_row = QHBoxLayout()
        self.starts_note = QLabel()
        self.starts_note.setWordWrap(True)
        self.starts_note.setTextFormat(Qt.TextFormat.PlainText)
        self.starts_row.addWidget(self.starts_note, 1)
        self.start_buttons: list[QPushButton] = []
        self.past_note = QLabel()
        self.past_note.setWordWrap(True)
        self.past_note.setTextFormat(Qt.TextFormat.PlainText)
        self.past_note.setStyleSheet("color: palette(highlight); font-weight: bold;")
        self.past_button = QPushButton()
        self.past_button.setToolTip(
            _("The first start at which every blood test, check and scan is today or later")
        )
        self.past_button.clicked.connect(self._on_past_button_clicked)
        self._from_today: date | None = None
        past_row = QHBoxLayout()
        past_row.addStretch(1)
        past_row.addWidget(self.past_button)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(_("St&art (C1 D1):"), start_row)
        start_label = form.labelForField(start_row)
        if isinstance(start_label, QLabel):
            start_label.setBuddy(self.start)
        form.addRow("", self.starts_row)
        form.addRow(self.past_note)  # the whole width: a sentence, not a squeezed column
        form.addRow("", past_row)
        form.addRow(_("Polic&y:"), self.policy)
        form.addRow(_("&Closures:"), self.closures)
        form.addRow(_("&Imaging every:"), self.imaging)
        form.addRow(_("Consu&ltation every:"), self.consultation)
        form.addRow(_("Port placed &before C1:"), self.port_lead)
        form.addRow("", self.confirm_port)
        self.start.dateChanged.connect(self._on_options_changed)
        self.policy.currentIndexChanged.connect(self._on_options_changed)
        self.closures.currentIndexChanged.connect(self._on_options_changed)
        for spin in (self.imaging, self.consultation, self.port_lead):
            spin.valueChanged.connect(self._on_plan_options_changed)
        self.confirm_port.toggled.connect(self._on_plan_options_changed)
        return box

    def _preview_box(self) -> QGroupBox:
        box = QGroupBox(
            ngettext(
                "Preview: the first month", "Preview: the first {n} months", PREVIEW_MONTHS
            ).format(n=PREVIEW_MONTHS)
        )
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.port = QLabel()
        self.port.setWordWrap(True)
        self.port.setTextFormat(Qt.TextFormat.PlainText)
        self.port.setToolTip(_("Implantable port (chambre implantable) advice and its reasons"))
        self.table_model = ScheduleTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        column = QVBoxLayout(box)
        column.addWidget(self.title)
        column.addWidget(self.port)
        column.addWidget(self.table, 1)
        return box

    # ------------------------------------------------------------------ what is chosen
    def selected_regimen(self) -> Regimen | None:
        return self.regimen.selected_regimen()

    def select_regimen(self, regimen_id: str) -> None:
        self.regimen.select_regimen(regimen_id)

    def set_kinds(self, kinds: set[RegimenKind]) -> None:
        self.regimen.set_kinds(kinds)

    def missing(self) -> list[str]:
        """What still stops the plan from being created, as sentences (empty when ready)."""
        problems = self.patient.missing()
        if self.selected_regimen() is None:
            problems.append(_("Choose a regimen."))
        return problems

    def result_value(self) -> NewPlanRequest:
        regimen = self.selected_regimen()
        if regimen is None or self.missing():
            raise ValueError(" ".join(self.missing()))
        chosen = self.patient.chosen()
        confirm = self._port_confirmable() and self.confirm_port.isChecked()
        return NewPlanRequest(
            patient=chosen if isinstance(chosen, Patient) else None,
            new_patient=chosen if isinstance(chosen, NewPatient) else None,
            regimen=regimen,
            start=to_date(self.start.date()),
            policy=Policy(self.policy.currentData()),
            closure_set=ClosureSet(self.closures.currentData()),
            options=self._options(),
            confirm_port=confirm,
        )

    def _options(self) -> PlanOptions:
        imaging = self.imaging.value()
        return PlanOptions(
            imaging_weeks=None if imaging == self._imaging_default else imaging,
            consultation_every=self.consultation.value(),
            port_confirmed=self._port_confirmable() and self.confirm_port.isChecked(),
            port_lead_days=self.port_lead.value(),
        )

    def summary_text(self) -> str:
        """Whose plan, which regimen, from when: exactly what Create the plan saves."""
        chosen = self.patient.chosen()
        regimen = self.selected_regimen()
        if chosen is None or regimen is None:
            return ""
        who = (
            _("a new patient, {name} ({number})")
            if isinstance(chosen, NewPatient)
            else _("{name} ({number})")
        ).format(name=chosen.name, number=chosen.hospital_number)
        return _("Plan for {who}: {regimen}, from {start}").format(
            who=who,
            regimen=regimen.name.get(language()),
            start=format_date(to_date(self.start.date()), "long"),
        )

    # ------------------------------------------------------------------ earliest start
    def find_earliest(self) -> list[StartOption]:
        """Look for the earliest starts that fit, and offer them as buttons."""
        for button in self.start_buttons:
            button.deleteLater()
        self.start_buttons = []
        regimen = self.selected_regimen()
        if regimen is None or self._earliest is None:
            self.starts_note.setText(_("Choose a regimen first."))
            return []
        # From the first start whose blood test, checks, scans and port all fall from today
        # on: a start that fits the chairs but puts them in the past is no start.
        first = to_date(self.start.date())
        first = earliest_start_from_today(self._trial, first, self.today) or first
        options = self._earliest(
            regimen, first, Policy(self.policy.currentData()), self.patient.preferred()
        )
        if not options:
            self.starts_note.setText(
                _("No start within six months fits: the unit is full for this regimen.")
            )
            return []
        self.starts_note.setText(_("Fits from:"))
        for option in options:
            text = format_date(option.start)
            if option.lighter:
                text = _("{date} (lighter weeks)").format(date=text)
            button = QPushButton(text)
            effect = _(
                "Its busiest day, {day}, goes from {before} to {after} of the unit's chair time"
            ).format(
                day=format_date(option.busiest_day),
                before=explain.format_share(option.busiest_before),
                after=explain.format_share(option.busiest_after),
            )
            if option.lighter:
                effect += "\n" + _(
                    "Offered for the lighter weeks it falls on: the earliest start's busiest "
                    "day is fuller."
                )
            button.setToolTip(effect)
            button.clicked.connect(
                lambda _checked=False, day=option.start: self.start.setDate(to_qdate(day))
            )
            self.starts_row.addWidget(button)
            self.start_buttons.append(button)
        return options

    # ------------------------------------------------------------------ showing it
    def _port_confirmable(self) -> bool:
        """A recommended port is placed only when asked for (a required one always is)."""
        advice = self.advice
        recommended = advice is not None and advice.level is PortLevel.RECOMMENDED
        return recommended and not self.patient.has_port()

    def _refresh(self) -> None:
        regimen = self.selected_regimen()
        start = to_date(self.start.date())
        self.start_day.setText(format_date(start, "long"))
        if regimen is None:
            self.advice = None
            self.title.setText(_("Choose a regimen to see its first sessions."))
            self.port.clear()
        else:
            self.title.setText(regimen.name.get(language()))
            self.advice = port_advice(regimen, self.catalog.port_rules)
        self._refresh_port()
        self._refresh_plan()

    def _refresh_plan(self) -> None:
        """The preview, what falls before today, and the message: everything that depends
        on the plan as chosen (its regimen, start, options and patient)."""
        trial = self._trial(to_date(self.start.date())) if self.selected_regimen() else None
        self._refresh_preview(trial)
        self._refresh_past(trial)
        self._refresh_message()

    def _refresh_preview(self, trial: PlanSchedule | None) -> None:
        """The plan's first months as they will be created: its sessions and blood tests,
        and the port's placement, the checks, scans and consultations its options add (the
        regimen's sessions alone left out what is to organise first)."""
        if trial is None:
            self.table_model.set_lines([])
        else:
            until = months_after(trial.plan.start, PREVIEW_MONTHS)
            self.table_model.set_lines(
                explain.lines(
                    trial.plan.regimen,
                    tuple(s for s in trial.sessions if s.date <= until),
                    tuple(e for e in trial.events if e.date <= until),
                    trial.plan.calendar,
                )
            )
        # As wide as their titles at least: "Phase · cycle · day" was cut while empty.
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.table.resizeColumnToContents(1)
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 260))

    def _trial(self, start: date) -> PlanSchedule:
        """The whole calendar of the plan as chosen, started on ``start``."""
        regimen = self.selected_regimen()
        assert regimen is not None
        closure_set = ClosureSet(self.closures.currentData())
        trial = Plan(
            "new",
            Patient("new", "", "", "", port_in_place=self.patient.has_port()),
            regimen,
            start,
            policy=Policy(self.policy.currentData()),
            calendar=self.settings.calendar(closure_set),
            options=self._options(),
            lab_rule=self.settings.lab_rule,
        )
        return schedule_of(trial, self.catalog.port_rules, self.today)

    def _refresh_past(self, trial: PlanSchedule | None) -> None:
        """Say what the start puts before today, and offer the first start that does not."""
        self._from_today = None
        self.past_note.clear()
        self.past_note.setVisible(False)
        self.past_button.setVisible(False)
        if trial is None:
            return
        start = trial.plan.start
        past = in_the_past(trial, self.today)
        if not past:
            return
        items = [
            _("{what} ({date})").format(
                what=explain.event_text(event), date=format_date(event.date)
            )
            for event in past[:4]
        ]
        if len(past) > 4:
            items.append(ngettext("{n} more", "{n} more", len(past) - 4).format(n=len(past) - 4))
        text = ngettext(
            "This start puts {n} preparation before today, when it can no longer be done: {what}.",
            "This start puts {n} preparations before today, when they can no longer be done: "
            "{what}.",
            len(past),
        ).format(n=len(past), what=explain.listed(items))
        earliest = earliest_start_from_today(self._trial, start, self.today)
        if earliest is not None and earliest != start:
            self._from_today = earliest
            self.past_button.setText(_("Start on {date}").format(date=format_date(earliest)))
            self.past_button.setVisible(True)
            text += " " + _("The earliest start with everything from today: {date}.").format(
                date=format_date(earliest, "long")
            )
        self.past_note.setText("⚠ " + text)
        self.past_note.setVisible(True)

    def _on_past_button_clicked(self) -> None:
        if self._from_today is not None:
            self.start.setDate(to_qdate(self._from_today))

    def _refresh_port(self) -> None:
        advice = self.advice
        self.confirm_port.setVisible(self._port_confirmable())
        if advice is None:
            return
        level = explain.port_level_name(advice.level)
        lines = [_("Implantable port: {level}").format(level=level)]
        lines += [f"• {reason}" for reason in explain.port_reasons(advice)]
        if self.patient.has_port() and advice.level is not PortLevel.NOT_NEEDED:
            lines.append(_("The patient already has a port: no placement will be planned."))
        self.port.setText("\n".join(lines))

    def _refresh_message(self) -> None:
        problems = self.missing()
        self.message.setText(" ".join(problems))
        self.ok_button.setEnabled(not problems)
        self.summary.setText(self.summary_text())

    # ------------------------------------------------------------------ slots
    def _on_patient_changed(self) -> None:
        self._refresh_port()
        self._refresh_plan()

    def _on_plan_options_changed(self, *_args: object) -> None:
        """Imaging, consultations and the port change what comes before C1."""
        self._refresh_plan()

    def _on_regimen_changed(self) -> None:
        regimen = self.selected_regimen()
        if regimen is not None:
            # A regimen given around surgery has no response imaging ("no imaging"): the
            # coordinator may still ask for it in this plan.
            default = regimen_imaging_weeks(regimen)
            if self.imaging.value() == self._imaging_default:  # not changed by hand
                self.imaging.setValue(default)
            self._imaging_default = default
            self.imaging.setToolTip(
                _("Response imaging (scan) every so many weeks; the regimen's by default")
                if regimen.measures_response
                else _(
                    "No response imaging by default: this regimen is given around surgery, "
                    "with no disease to measure. Set a number of weeks to plan it anyway."
                )
            )
        self._refresh()

    def _on_options_changed(self, *_args: object) -> None:
        self._refresh()
