"""The dialog of an action on a plan: delay, omit, mark given, stop, suspected progression.

It collects the action's values, builds the change with the core's functions, and shows
before anything is saved every date the change moves, adds or removes (or why the change is
refused). It returns the change; the window records it as an undoable command.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner import explain
from planner.core import changes
from planner.core.changes import ChangeRefused, Moved
from planner.core.plan import (
    CONFIRMATION_DAYS,
    DEFAULT_CONFIRMATION_DAYS,
    Change,
    Give,
    Plan,
    Stop,
    SuspectProgression,
)
from planner.core.plan_schedule import PlanSchedule
from planner.core.schedule import DelayReason, EventKind, Session
from planner.core.text_fields import Field, FieldError
from planner.explain_plan import preview_summary, refusal_text
from planner.gui.dialogs import date_edit, to_date
from planner.gui.plain import tip
from planner.gui.typed_text import kept
from planner.gui.unit import Unit
from planner.i18n import _, format_date, language

PREVIEW_ROWS = 14
"""The preview table grows with its rows up to this many, then scrolls."""


class Action(StrEnum):
    DELAY = "delay"
    OMIT = "omit"
    GIVE = "give"
    STOP = "stop"
    PROGRESSION = "progression"


def action_title(action: Action) -> str:
    return {
        Action.DELAY: _("Delay a session"),
        Action.OMIT: _("Omit doses"),
        Action.GIVE: _("Mark a session as given"),
        Action.STOP: _("Stop the treatment"),
        Action.PROGRESSION: _("Suspected progression (immunotherapy)"),
    }[action]


def moved_text(moved: Moved, ps: PlanSchedule) -> tuple[str, str, str]:
    """What moved, from where, to where (a dash where it appears or disappears)."""
    regimen = ps.plan.regimen
    where = explain.session_name(regimen, moved.session)
    if moved.kind == "session":
        what = where
    else:
        what = _("{event} ({session})").format(
            event=explain.event_name(EventKind(moved.kind)), session=where
        )
    before = format_date(moved.before) if moved.before else "—"
    after = format_date(moved.after) if moved.after else "—"
    return what, before, after


class ChangeDialog(QDialog):
    """One action on one plan, with the preview of what it moves."""

    def __init__(
        self,
        unit: Unit,
        plan: Plan,
        action: Action,
        session: Session | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.unit, self.plan, self.action, self.session = unit, plan, action, session
        self.current = unit.schedule(plan)
        self._change: Change | None = None
        self.sessions_moved = 0
        """How many sessions the change moves (for the status bar once recorded)."""
        self.sessions_cancelled = 0
        """How many of them it takes out of the plan (a stop)."""
        patient = plan.patient
        self.setWindowTitle(
            _("{action} — {name}").format(action=action_title(action), name=patient.name)
        )
        self.setMinimumWidth(560)
        # Whose plan this changes, first and in bold (a window's title may not be shown).
        self.patient_label = QLabel(f"{patient.name} — {patient.hospital_number}")
        self.patient_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.patient_label.font()
        font.setBold(True)
        self.patient_label.setFont(font)

        heading = QLabel()
        heading.setWordWrap(True)
        if session is not None:
            what = _("{session}, on {date}: {agents}").format(
                session=explain.session_name(plan.regimen, session.key),
                date=format_date(session.date),
                agents=explain.session_agents(session),
            )
        else:
            what = plan.regimen.name.get(language())
        heading.setText(what)
        self.form = QFormLayout()
        self._build_fields()

        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.preview = QTableWidget(0, 3)
        self.preview.setHorizontalHeaderLabels([_("What"), _("Before"), _("After")])
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.preview.setToolTip(_("Every date this change moves, adds or removes"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.patient_label)
        layout.addWidget(heading)
        layout.addLayout(self.form)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._update()

    # ------------------------------------------------------------------ fields
    def _build_fields(self) -> None:
        session, today = self.session, self.unit.today
        if self.action is Action.DELAY:
            assert session is not None
            self.by_days = QRadioButton(_("&By"))
            self.days = QSpinBox(minimum=1, maximum=90, value=7, suffix=_(" days"))
            self.to_date = QRadioButton(_("&To"))
            self.date = date_edit(session.date + timedelta(days=7))
            group = QButtonGroup(self)
            group.addButton(self.by_days)
            group.addButton(self.to_date)
            self.by_days.setChecked(True)
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            for widget in (self.by_days, self.days, self.to_date, self.date):
                line.addWidget(widget)
            line.addStretch(1)
            self.form.addRow(_("Delay:"), row)
            self.reason = QComboBox()
            for reason in DelayReason:
                self.reason.addItem(explain.delay_reason_name(reason), reason)
            # No reason until the coordinator chooses one: the first (toxicity) went into
            # the history and the patients to call for a delay asked by the patient.
            self.reason.setPlaceholderText(_("Choose the reason…"))
            self.reason.setCurrentIndex(-1)
            self.form.addRow(_("&Reason:"), self.reason)
            self.rest_of_cycle = QCheckBox(_("&Shift the rest of the cycle too"))
            self.rest_of_cycle.setToolTip(
                _(
                    "A day 1 always moves the rest of the plan; another day moves alone "
                    "unless this is ticked"
                )
            )
            self.rest_of_cycle.setEnabled(session.day != 1)
            self.form.addRow("", self.rest_of_cycle)
            for signal in (
                self.by_days.toggled,
                self.days.valueChanged,
                self.date.dateChanged,
                self.reason.currentIndexChanged,
                self.rest_of_cycle.toggled,
            ):
                signal.connect(self._update)
        elif self.action is Action.OMIT:
            assert session is not None
            self.agents: list[QCheckBox] = []
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            names = {
                dose.inn: dose.administration.agent.name.get(language()) for dose in session.doses
            }
            for inn in session.agents:
                box = QCheckBox(names.get(inn, inn))
                box.setProperty("inn", inn)
                box.setChecked(False)  # nothing left out until the coordinator ticks it
                box.toggled.connect(self._update)
                self.agents.append(box)
                line.addWidget(box)
            line.addStretch(1)
            self.form.addRow(_("Leave out:"), row)
            self.note = QLineEdit(placeholderText=_("e.g. neutropenia grade 3"))
            self.note.textChanged.connect(self._update)
            self.form.addRow(_("&Reason:"), self.note)
        elif self.action is Action.GIVE:
            assert session is not None
            self.date = date_edit(min(session.date, today))
            self.date.dateChanged.connect(self._update)
            self.form.addRow(_("&Given on:"), self.date)
        elif self.action is Action.STOP:
            self.date = date_edit(today)
            self.date.dateChanged.connect(self._update)
            self.form.addRow(_("&Stop on:"), self.date)
            self.note = QLineEdit(placeholderText=_("e.g. progression, toxicity, patient's choice"))
            self.note.textChanged.connect(self._update)
            self.form.addRow(_("&Reason:"), self.note)
        else:
            self.date = date_edit(today)
            self.date.setToolTip(_("The date of the imaging that suggests progression"))
            self.date.dateChanged.connect(self._update)
            self.form.addRow(_("&Imaging of:"), self.date)
            low, high = CONFIRMATION_DAYS
            self.days = QSpinBox(
                minimum=low, maximum=high, value=DEFAULT_CONFIRMATION_DAYS, suffix=_(" days")
            )
            self.days.setToolTip(
                _("iRECIST: progression is confirmed {low} to {high} days later").format(
                    low=low, high=high
                )
            )
            self.days.valueChanged.connect(self._update)
            self.form.addRow(_("&Confirmation scan after:"), self.days)
            # iRECIST: treatment goes on beyond a suspected progression only for a clinically
            # stable patient. Nothing is ticked for the coordinator: a clinician confirms it,
            # and is named in the plan's history.
            self.stable = QCheckBox(_("The patient is clinically &stable"))
            self.stable.setToolTip(
                _(
                    "Immunotherapy goes on after a suspected progression only if the patient "
                    "is clinically stable, as a clinician confirms"
                )
            )
            self.stable.toggled.connect(self._update)
            self.form.addRow("", self.stable)
            self.confirmed_by = QLineEdit(placeholderText=_("the clinician's name"))
            self.confirmed_by.textChanged.connect(self._update)
            self.form.addRow(_("Confirmed &by:"), self.confirmed_by)

    def _build_change(self) -> Change | None:
        """The change the fields describe (None: not complete yet, the label says why)."""
        session = self.session
        if self.action is Action.DELAY:
            assert session is not None
            if self.reason.currentIndex() < 0:
                return None
            reason = DelayReason(self.reason.currentData())
            if self.by_days.isChecked():
                return changes.delay(
                    self.current,
                    session.key,
                    reason,
                    days=self.days.value(),
                    shift_rest_of_cycle=self.rest_of_cycle.isChecked(),
                )
            return changes.delay(
                self.current,
                session.key,
                reason,
                to=to_date(self.date.date()),
                shift_rest_of_cycle=self.rest_of_cycle.isChecked(),
            )
        if self.action is Action.OMIT:
            assert session is not None
            agents = tuple(str(b.property("inn")) for b in self.agents if b.isChecked())
            if not agents:
                return None
            return changes.omit(
                self.current, session.key, agents, kept(Field.NOTE, self.note.text())
            )
        if self.action is Action.GIVE:
            assert session is not None
            return Give(session.key, to_date(self.date.date()))
        if self.action is Action.STOP:
            why = kept(Field.NOTE, self.note.text())
            if not why:
                return None
            return Stop(to_date(self.date.date()), why)
        # Without the tick or the name the core refuses the change, saying why (after
        # what matters more: a regimen without immunotherapy).
        clinician = kept(Field.CLINICIAN, self.confirmed_by.text())
        return SuspectProgression(
            to_date(self.date.date()),
            self.days.value(),
            clinician if self.stable.isChecked() else "",
        )

    # ------------------------------------------------------------------ preview
    def _update(self, *_args: object) -> None:
        self._change = None
        self.preview.setRowCount(0)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            change = self._build_change()
            if change is None:
                self.preview_label.setText(self._missing())
                ok.setEnabled(False)
                return
            preview = self.unit.preview(self.plan, change)
        except ChangeRefused as refused:
            self.preview_label.setText(
                _("Not possible: {reason}.").format(reason=refusal_text(refused, self.plan))
            )
            ok.setEnabled(False)
            return
        except FieldError as error:
            self.preview_label.setText(explain.field_error_text(error))
            ok.setEnabled(False)
            return
        self._change = change
        self.sessions_moved = preview.sessions_moved - preview.sessions_cancelled
        self.sessions_cancelled = preview.sessions_cancelled
        ok.setEnabled(True)
        moved = preview.moved
        # The whole change first, in one line; then every date, in a table no taller than
        # its rows (up to a screenful, then it scrolls).
        self.preview_label.setText(preview_summary(preview, self.plan))
        self.preview.setRowCount(len(moved))
        for row, item in enumerate(moved):
            for column, text in enumerate(moved_text(item, self.current)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(tip(text))
                self.preview.setItem(row, column, cell)
        self.preview.resizeColumnToContents(1)
        self.preview.resizeColumnToContents(2)
        self._fit_preview()

    def _fit_preview(self) -> None:
        """The table as tall as its rows, at most :data:`PREVIEW_ROWS` of them."""
        table = self.preview
        table.setVisible(table.rowCount() > 0)
        rows = min(table.rowCount(), PREVIEW_ROWS)
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(rows))
        if table.rowCount() > PREVIEW_ROWS:
            height += table.horizontalScrollBar().sizeHint().height() // 2
        table.setFixedHeight(height)

    def _missing(self) -> str:
        if self.action is Action.OMIT:
            return _("Tick at least one drug to leave out.")
        if self.action is Action.DELAY:
            return _("Choose the reason for the delay.")
        return _("Give a reason.")

    def change(self) -> Change:
        """The change to record (the dialog was accepted)."""
        assert self._change is not None
        return self._change

    def preview_rows(self) -> list[tuple[str, ...]]:
        """The preview as shown: what, before, after."""
        rows = []
        for r in range(self.preview.rowCount()):
            cells = [self.preview.item(r, c) for c in range(3)]
            rows.append(tuple(cell.text() if cell is not None else "" for cell in cells))
        return rows
