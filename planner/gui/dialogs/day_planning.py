"""The unit's day planning, in the settings (the Day planning tab): the pharmacy's
preparations per slot, the start of a session whose blood test is taken the same day, and
what the day optimiser may move and what it weighs (:mod:`planner.core.optimiser`).

Part of the unit's resources: :class:`~planner.gui.dialogs.resources_editor.ResourcesEditor`
makes this page and reads it back into its :class:`UnitResources`, where every value is
checked.
"""

from __future__ import annotations

from datetime import time
from typing import NamedTuple

from PySide6.QtCore import QLocale, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from planner.core.chairs import (
    MAX_MOVE_MINUTES,
    MAX_PREPARATIONS,
    MAX_WEIGHT,
    UnitResources,
    Weights,
)
from planner.explain import format_number
from planner.gui.dialogs import count_spin, display_locale
from planner.i18n import N_, _, ngettext

LAB_RESULT_TIME = time(10, 0)
"""What the start after a same-day blood test offers when the unit has none yet."""

# The optimiser's goals, in the order of Weights, each with its label and what it weighs.
WEIGHT_TEXTS = {
    "preference": (
        N_("The patient's half-&day:"),
        N_(
            "Weighs each session placed outside the patient's preferred half-day (morning or "
            "afternoon)"
        ),
    ),
    "keep": (
        N_("Times already gi&ven:"),
        N_("Weighs each booking already given to a patient whose time changes"),
    ),
    "peak": (
        N_("Fewer &chairs at the peak:"),
        N_("Weighs each chair in use at the busiest moment of the day"),
    ),
    "spread": (
        N_("Fewer infusions starting &together:"),
        N_("Weighs each infusion starting in the slot where most infusions start"),
    ),
    "end": (
        N_("An earlie&r end:"),
        N_("Weighs each slot from opening to the end of the day's last session"),
    ),
}


class Planning(NamedTuple):
    """What the page holds, as :class:`UnitResources` takes it."""

    pharmacy: tuple[int | None, ...]
    lab_result_start: time | None
    max_move_minutes: int
    weights: Weights


def _minutes(n: int) -> str:
    return ngettext(" minute", " minutes", n)


class DayPlanningEditor(QWidget):
    changed = Signal()

    def __init__(self, resources: UnitResources, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        locale = display_locale()

        pharmacy_box = QGroupBox(_("Pharmacy"))
        pharmacy = QVBoxLayout(pharmacy_box)
        said = QLabel(
            _(
                "Preparations the pharmacy delivers per slot: no more sessions start in one "
                "slot (a session is one preparation, made once the treatment is confirmed)."
            )
        )
        said.setWordWrap(True)
        pharmacy.addWidget(said)
        days = QGridLayout()
        self.pharmacy: list[QSpinBox] = []
        for weekday in range(7):  # Monday = 0, as in the core; Qt counts Monday = 1
            day = QLabel(locale.standaloneDayName(weekday + 1, QLocale.FormatType.ShortFormat))
            spin = QSpinBox()
            spin.setRange(0, MAX_PREPARATIONS)
            spin.setSpecialValueText(_("not limited"))
            spin.setValue(resources.pharmacy[weekday] or 0)
            spin.setToolTip(
                _("Preparations per slot on {day}; at the lowest, not limited").format(
                    day=locale.standaloneDayName(weekday + 1)
                )
            )
            day.setBuddy(spin)
            days.addWidget(day, 0, weekday)
            days.addWidget(spin, 1, weekday)
            self.pharmacy.append(spin)
        pharmacy.addLayout(days)

        sessions_box = QGroupBox(_("Sessions of the day"))
        start = resources.lab_result_start
        self.lab_result = QCheckBox(_("&Start after a same-day blood test, from:"))
        self.lab_result.setToolTip(
            _(
                "When the blood test is taken in the unit on the session's day (Blood tests "
                "and reminders tab: the same day), the session waits for its result"
            )
        )
        self.lab_result.setChecked(start is not None)
        shown = start or LAB_RESULT_TIME
        self.lab_result_start = QTimeEdit(QTime(shown.hour, shown.minute))
        self.lab_result_start.setDisplayFormat("HH:mm")
        self.lab_result_start.setLocale(locale)
        self.lab_result_start.setToolTip(_("On the slot grid, as the opening hours"))
        self.lab_result_start.setEnabled(start is not None)
        self.lab_result.toggled.connect(self.lab_result_start.setEnabled)
        self.max_move = count_spin(
            MAX_MOVE_MINUTES,
            resources.max_move_minutes,
            _minutes,
            _(
                "How far the day optimiser may move the time of a booking already given to a "
                "patient; today's bookings never move"
            ),
        )
        self.max_move.setSpecialValueText(_("never moved"))
        lab_row = QHBoxLayout()
        lab_row.addWidget(self.lab_result_start)
        lab_row.addStretch(1)
        form = QFormLayout(sessions_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.lab_result, lab_row)
        move = QLabel(_("&Move a booking given to a patient by at most:"))
        move.setBuddy(self.max_move)
        form.addRow(move, self.max_move)

        weights_box = QGroupBox(_("Optimiser: what counts most"))
        weights = QFormLayout(weights_box)
        weights.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        explanation = QLabel(
            _(
                "The optimiser places a day's sessions together; each goal counts by its "
                "weight, from 0 (not sought) to {most}."
            ).format(most=format_number(MAX_WEIGHT))
        )
        explanation.setWordWrap(True)
        weights.addRow(explanation)
        self.weights: dict[str, QSpinBox] = {}
        for name, (label, tooltip) in WEIGHT_TEXTS.items():
            spin = QSpinBox()
            spin.setRange(0, MAX_WEIGHT)
            spin.setValue(getattr(resources.weights, name))
            spin.setSpecialValueText(_("not sought"))
            spin.setToolTip(_(tooltip))
            text = QLabel(_(label))
            text.setBuddy(spin)
            text.setToolTip(_(tooltip))
            weights.addRow(text, spin)
            self.weights[name] = spin

        layout = QVBoxLayout(self)
        layout.addWidget(pharmacy_box)
        layout.addWidget(sessions_box)
        layout.addWidget(weights_box)
        layout.addStretch(1)

        for spin in (*self.pharmacy, self.max_move, *self.weights.values()):
            spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.lab_result.toggled.connect(lambda _c: self.changed.emit())
        self.lab_result_start.timeChanged.connect(lambda _t: self.changed.emit())

    def value(self) -> Planning:
        start = self.lab_result_start.time()
        return Planning(
            pharmacy=tuple(spin.value() or None for spin in self.pharmacy),
            lab_result_start=time(start.hour(), start.minute())
            if self.lab_result.isChecked()
            else None,
            max_move_minutes=self.max_move.value(),
            weights=Weights(**{name: spin.value() for name, spin in self.weights.items()}),
        )
