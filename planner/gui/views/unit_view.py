"""The day hospital page: the coming weeks' load above, the chosen day's chairs below, and
what the nurses print. The window gives it the unit's values; moves go back to the window
as requests (recorded there as undoable commands)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner import explain
from planner.core.chairs import Occupancy
from planner.core.regimen import AgentClass
from planner.gui.dialogs import date_edit, to_date, to_qdate
from planner.gui.plain import tip
from planner.gui.views.day_legend import DayLegend
from planner.gui.views.day_starts import figures_text
from planner.gui.views.day_view import DayBlock, DayGridView
from planner.gui.views.load_chart import LoadChart, weeks_from
from planner.gui.views.plan_view import ElidedLabel
from planner.i18n import _, format_date, language, ngettext

if TYPE_CHECKING:
    from planner.gui.unit import Unit
    from planner.store.store import PlanHead

WEEKS = 12


class _PlanWords(NamedTuple):
    """What a day's block says of its plan (the same on every day the plan is shown)."""

    initials: str
    patient: str
    regimen: str
    classes: tuple[AgentClass, ...]


class UnitView(QWidget):
    day_changed = Signal(object)
    """The day shown changed (a date): the window gives its blocks."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.chart = LoadChart()
        self.chart.setToolTip(_("Chair time booked each open day; click a day to open it"))
        chart_area = QScrollArea()
        chart_area.setWidget(self.chart)
        chart_area.setWidgetResizable(True)
        chart_area.setFixedHeight(150)
        chart_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

        self.previous = QPushButton("◀")
        self.previous.setToolTip(_("The open day before"))
        self.next = QPushButton("▶")
        self.next.setToolTip(_("The open day after"))
        self.date = date_edit(today)
        self.date.setToolTip(_("The day to show"))
        self.today_button = QPushButton(_("&Today"))
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        # Cut with "…" rather than widen the window past a 1280-pixel screen (French).
        self.figures = ElidedLabel()
        self.optimise_button = QPushButton(_("&Optimise this day"))
        self.optimise_button.setToolTip(
            _(
                "Place the day's sessions again with the optimiser: fewer chairs at the peak, "
                "fewer infusions starting together; times given to patients move by at most "
                "the unit's limit, today's not at all"
            )
        )
        self.book_button = QPushButton(_("&Book the coming sessions"))
        self.book_button.setToolTip(
            _("Give a chair and a time to every coming session that has none")
        )
        self.sheet_button = QPushButton(_("Day &sheet…"))
        self.sheet_button.setToolTip(_("Print or save the day's bookings for the nurses"))
        nav = QHBoxLayout()
        for widget in (self.previous, self.date, self.next, self.today_button):
            nav.addWidget(widget)
        nav.addWidget(self.optimise_button)
        said = QVBoxLayout()
        said.setSpacing(0)
        said.addWidget(self.summary)
        said.addWidget(self.figures)
        nav.addSpacing(6)
        nav.addLayout(said, 1)
        nav.addWidget(self.book_button)
        nav.addWidget(self.sheet_button)

        self.grid = DayGridView()
        grid_area = QScrollArea()
        grid_area.setWidget(self.grid)
        grid_area.setWidgetResizable(True)
        self.feedback = QLabel()
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback.setMinimumHeight(self.feedback.fontMetrics().height() + 4)
        self.grid.feedback.connect(self.feedback.setText)
        self.legend = DayLegend()

        title = QLabel(
            _(
                "Load of the next {n} weeks — one bar per open day, the chair time booked: "
                "blue under {low}, orange up to {high}, red and hatched above; the day "
                "shown below is framed"
            ).format(n=WEEKS, low=explain.format_share(0.7), high=explain.format_share(0.9))
        )
        title.setWordWrap(True)
        title.setBuddy(self.chart)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(chart_area)
        layout.addLayout(nav)
        layout.addWidget(grid_area, 1)
        layout.addWidget(self.feedback)
        layout.addWidget(self.legend)

        self.chart.day_chosen.connect(self.show_day)
        self.previous.clicked.connect(lambda: self._step(-1))
        self.next.clicked.connect(lambda: self._step(1))
        self.today_button.clicked.connect(lambda: self.show_day(self.today))
        self.date.dateChanged.connect(lambda qd: self.show_day(to_date(qd)))
        self.day = today
        self.occupancy: Occupancy | None = None
        self._heads: dict[str, tuple[PlanHead, _PlanWords]] = {}
        """What the blocks say of each plan shown, by plan id, with the head it was said of."""
        self._shown_language = ""

    def show_unit(self, unit: Unit) -> None:
        """Show ``unit``'s load and the bookings of the day shown (again, after a change)."""
        from planner.explain import booking_problem_text

        occupancy, editable = unit.occupancy_for(self.day)
        on_day = occupancy.on_day(self.day)
        plans = unit.plan_heads([key[0] for key, _booking in on_day])
        lang = language()
        if lang != self._shown_language or len(self._heads) > 20_000:
            self._heads.clear()
            self._shown_language = lang
        # A busy day has thousands of bookings, mostly of different plans, a few dozen
        # regimens and cycle days: each is worded once (a plan's words again only when the
        # unit reads its head again, after a change).
        regimens: dict[int, tuple[str, tuple[AgentClass, ...]]] = {}
        cycle_days: dict[tuple[int, int], str] = {}
        blocks = []
        for key, booking in on_day:
            plan = plans.get(key[0])
            if plan is None:
                continue
            words = self._words(plan, regimens)
            session = key[1]
            cycle_day = cycle_days.get((session[1], session[2]))
            if cycle_day is None:
                cycle_day = cycle_days[session[1], session[2]] = explain.cycle_day(
                    session[1], session[2]
                )
            misfit = occupancy.misfits.get(key)
            blocks.append(
                DayBlock(
                    key,
                    booking,
                    words.initials,
                    words.patient,
                    words.regimen,
                    cycle_day,
                    words.classes,
                    booking_problem_text(misfit) if misfit is not None else "",
                )
            )
        self.grid.editable = editable
        self.set_unit(unit.occupancy, blocks, occupancy)

    def _words(
        self, plan: PlanHead, regimens: dict[int, tuple[str, tuple[AgentClass, ...]]]
    ) -> _PlanWords:
        """What a block says of ``plan`` (remembered while the unit keeps the same head)."""
        known = self._heads.get(plan.plan_id)
        if known is not None and known[0] is plan:
            return known[1]
        regimen = plan.regimen
        said = regimens.get(id(regimen))
        if said is None:
            said = regimens[id(regimen)] = (
                regimen.name.get(self._shown_language),
                tuple(sorted(regimen.classes, key=lambda c: c.value)),
            )
        words = _PlanWords(explain.initials(plan.patient), plan.patient.name, *said)
        self._heads[plan.plan_id] = (plan, words)
        return words

    def show_day(self, day: date) -> None:
        if day != to_date(self.date.date()):
            self.date.blockSignals(True)
            self.date.setDate(to_qdate(day))
            self.date.blockSignals(False)
        self.day = day
        self.day_changed.emit(day)

    def _step(self, direction: int) -> None:
        day = self.day
        for _n in range(14):
            day += timedelta(days=direction)
            if self.occupancy is None or self.occupancy.grid(day) is not None:
                break
        self.show_day(day)

    def set_unit(
        self, occupancy: Occupancy, blocks: list[DayBlock], day: Occupancy | None = None
    ) -> None:
        """Show the unit's load from this week and the current day's blocks (``day``: the
        bookings of a day long past, read apart)."""
        self.occupancy = occupancy
        first, last = weeks_from(self.today, WEEKS)
        self.chart.set_loads(occupancy.load(first, last), self.day)
        shown = day or occupancy
        self.grid.set_day(shown, self.day, blocks)
        self._summarise(shown, blocks)

    def _summarise(self, occupancy: Occupancy, blocks: list[DayBlock]) -> None:
        [load] = occupancy.load(self.day, self.day)
        if not load.capacity_minutes:
            closure = occupancy.calendar.closure(self.day) if occupancy.calendar else None
            name = closure.name.get(language()) if closure and closure.name else ""
            why = f" ({name})" if name else ""
            self.summary.setText(
                _("{date}: closed{why}").format(date=format_date(self.day), why=why)
            )
            self.figures.setText("")
            return
        misfits = sum(1 for b in blocks if b.misfit)
        text = ngettext(
            "{date}: {n} session booked, {share} of the chairs' time",
            "{date}: {n} sessions booked, {share} of the chairs' time",
            load.bookings,
        ).format(
            date=format_date(self.day),
            n=load.bookings,
            share=explain.format_share(load.ratio),
        )
        if misfits:
            text += " — " + ngettext("{n} booking to redo", "{n} bookings to redo", misfits).format(
                n=misfits
            )
        self.summary.setText(text)
        figures = self.grid.figures
        said = figures_text(figures) if figures is not None and load.bookings else ""
        self.figures.setText(said)
        self.figures.setToolTip(
            tip(
                said
                + "\n\n"
                + _(
                    "Peak: the most chairs in use at once; at least: the day's chair time over "
                    "its opening hours, which no placement can go below. The limit: how many "
                    "infusions the nurses on duty can start, and the pharmacy prepare, in one "
                    "slot (the strip above the chairs shows each slot's)."
                )
            )
        )
