"""The port rule table in the settings: see it, change it, see what a change does.

Which drugs lead to which port advice is a centre's clinical policy. The editor lists the
rules with their sources, edits one rule at a time in :class:`PortRuleDialog`, can go back
to the table shipped with the program, and says which regimens of the catalogue would get
another advice than they have now, before anything is saved.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner import explain
from planner.core.port import PortCriterion, PortLevel, PortRule, port_advice
from planner.core.regimen import AgentClass, Regimen, Route
from planner.core.text_fields import Field
from planner.gui.dialogs import problem_and_buttons
from planner.gui.plain import tip
from planner.gui.typed_text import kept
from planner.gui.typed_text import problem as typed_problem
from planner.i18n import _, language, ngettext

LEVELS = (PortLevel.REQUIRED, PortLevel.RECOMMENDED, PortLevel.CONSIDER)
"""The levels a rule can give; "not needed" is what no matching rule means."""


def criterion_name(criterion: PortCriterion) -> str:
    return {
        PortCriterion.CONTINUOUS_INFUSION: _("a drug runs as a continuous infusion (pump)"),
        PortCriterion.FAMILY: _("a drug belongs to one of these families"),
        PortCriterion.CLASS: _("a drug belongs to one of these classes"),
    }[criterion]


def rule_text(rule: PortRule) -> str:
    """When a port rule applies, as a sentence."""
    if rule.criterion is PortCriterion.CONTINUOUS_INFUSION:
        return _("A drug is given as a continuous infusion through a pump.")
    if rule.criterion is PortCriterion.FAMILY:
        families = ", ".join(sorted(explain.family_name(f) for f in rule.families))
        return _("A drug belongs to one of these families: {families}.").format(families=families)
    classes = ", ".join(sorted(explain.class_name(c) for c in rule.classes))
    if rule.route is None:
        return _("A drug belongs to one of these classes: {classes}.").format(classes=classes)
    return _("A drug of one of these classes is given by the {route} route: {classes}.").format(
        route=route_name(rule.route), classes=classes
    )


def route_name(route: Route) -> str:
    return {Route.IV: _("intravenous"), Route.SC: _("subcutaneous"), Route.ORAL: _("oral")}[route]


class PortRuleDialog(QDialog):
    """One rule: its level, when it applies, and where it comes from."""

    def __init__(
        self, rule: PortRule | None, families: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Port rule") if rule is None else _("Change the port rule"))
        rule = rule or PortRule(PortLevel.RECOMMENDED, PortCriterion.FAMILY)
        self.level = QComboBox()
        for level in LEVELS:
            self.level.addItem(explain.port_level_name(level), level)
        self.level.setCurrentIndex(self.level.findData(rule.level))
        self.level.setToolTip(_("The advice when the rule matches a drug of the regimen"))
        self.when = QComboBox()
        for criterion in PortCriterion:
            self.when.addItem(criterion_name(criterion), criterion)
        self.when.setCurrentIndex(self.when.findData(rule.criterion))

        self.families = QListWidget()
        self.families.setToolTip(_("The pharmacological families the rule names"))
        for family in sorted(set(families) | rule.families, key=explain.family_name):
            item = QListWidgetItem(explain.family_name(family))
            item.setData(Qt.ItemDataRole.UserRole, family)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = family in rule.families
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.families.addItem(item)
        self.classes = {c: QCheckBox(explain.class_name(c)) for c in AgentClass}
        for agent_class, box in self.classes.items():
            box.setChecked(agent_class in rule.classes)
        self.route = QComboBox()
        self.route.addItem(_("any route"), None)
        for route in Route:
            self.route.addItem(route_name(route), route)
        self.route.setCurrentIndex(self.route.findData(rule.route))
        self.route.setToolTip(_("Only the drugs given this way meet the rule"))
        self.source = QLineEdit(rule.source)
        self.source.textChanged.connect(self._on_changed)
        self.source.setPlaceholderText(_("Guideline, local protocol, committee decision…"))
        self.source.setToolTip(_("Shown with the rule, so everyone knows where it comes from"))

        pump_page = QLabel(
            _("Every drug given as a continuous infusion through an ambulatory pump meets it.")
        )
        pump_page.setWordWrap(True)
        family_page = QWidget()
        family_column = QVBoxLayout(family_page)
        family_column.setContentsMargins(0, 0, 0, 0)
        family_column.addWidget(self.families)
        class_page = QWidget()
        class_form = QFormLayout(class_page)
        class_form.setContentsMargins(0, 0, 0, 0)
        class_row = QHBoxLayout()
        for box in self.classes.values():
            class_row.addWidget(box)
        class_row.addStretch(1)
        class_form.addRow(_("Classes:"), class_row)
        class_form.addRow(_("&Route:"), self.route)
        self.pages = QStackedWidget()
        for page in (pump_page, family_page, class_page):
            self.pages.addWidget(page)

        self.message, self.buttons, bottom = problem_and_buttons(self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        form = QFormLayout()
        form.addRow(_("&Advice:"), self.level)
        form.addRow(_("&When:"), self.when)
        form.addRow("", self.pages)
        form.addRow(_("&Source:"), self.source)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addLayout(bottom)

        self.when.currentIndexChanged.connect(self._on_changed)
        self.families.itemChanged.connect(self._on_changed)
        for box in self.classes.values():
            box.toggled.connect(self._on_changed)
        self._on_changed()

    def _criterion(self) -> PortCriterion:
        return PortCriterion(self.when.currentData())

    def problem(self) -> str:
        criterion = self._criterion()
        if criterion is PortCriterion.FAMILY and not self._families():
            return _("Tick at least one family.")
        if criterion is PortCriterion.CLASS and not self._classes():
            return _("Tick at least one class.")
        return typed_problem((Field.SOURCE, self.source.text()))

    def _families(self) -> frozenset[str]:
        items = (self.families.item(row) for row in range(self.families.count()))
        return frozenset(
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        )

    def _classes(self) -> frozenset[AgentClass]:
        return frozenset(c for c, box in self.classes.items() if box.isChecked())

    def _route(self) -> Route | None:
        # Qt hands a StrEnum back as its plain string.
        data = self.route.currentData()
        return Route(data) if data is not None else None

    def rule(self) -> PortRule:
        problem = self.problem()
        if problem:
            raise ValueError(problem)
        criterion = self._criterion()
        level = PortLevel(self.level.currentData())
        source = kept(Field.SOURCE, self.source.text())
        if criterion is PortCriterion.FAMILY:
            return PortRule(level, criterion, families=self._families(), source=source)
        if criterion is PortCriterion.CLASS:
            return PortRule(
                level,
                criterion,
                classes=self._classes(),
                route=self._route(),
                source=source,
            )
        return PortRule(level, criterion, source=source)

    def _on_changed(self, *_args: object) -> None:
        self.pages.setCurrentIndex(list(PortCriterion).index(self._criterion()))
        problem = self.problem()
        self.message.setText(problem)
        self.ok_button.setEnabled(not problem)


class PortRulesEditor(QWidget):
    """The rule table, its buttons, and what the changes do to the catalogue's advice."""

    changed = Signal()

    def __init__(
        self,
        rules: tuple[PortRule, ...],
        bundled: tuple[PortRule, ...],
        regimens: Sequence[Regimen],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.initial = rules
        self.bundled = bundled
        self.regimens = list(regimens)
        self._rules = list(rules)
        self._families = sorted(
            {adm.agent.family for r in self.regimens for adm in r.administrations}
            | {f for rule in (*rules, *bundled) for f in rule.families}
        )
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Advice"), _("When"), _("Source")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.itemSelectionChanged.connect(self._on_selection)

        self.add_button = QPushButton(_("&Add a rule…"))
        self.add_button.setToolTip(_("A new rule: which drugs lead to which advice"))
        self.add_button.clicked.connect(self.add_rule)
        self.edit_button = QPushButton(_("&Change…"))
        self.edit_button.setToolTip(_("Change the selected rule"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton(_("Re&move"))
        self.remove_button.setToolTip(_("Remove the selected rule"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.bundled_button = QPushButton(_("Rules shipped with the &program"))
        self.bundled_button.setToolTip(
            _("Go back to the rule table shipped with Infusion Planner, with its sources")
        )
        self.bundled_button.clicked.connect(lambda: self.set_rules(self.bundled))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.bundled_button)

        self.effect = QLabel()
        self.effect.setWordWrap(True)
        self.effect.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.effect)
        self._refresh()

    # ------------------------------------------------------------------ values
    def rules(self) -> tuple[PortRule, ...]:
        return tuple(self._rules)

    def set_rules(self, rules: Sequence[PortRule]) -> None:
        self._rules = list(rules)
        self._refresh()

    def problem(self) -> str:
        if not self._rules:
            return _(
                "Keep at least one port rule: without any, no patient would ever be advised a "
                "port, not even for a pump."
            )
        return ""

    def changes(self) -> list[tuple[Regimen, PortLevel, PortLevel]]:
        """The catalogue's regimens whose advice the edited rules change: (regimen, before,
        after), by name."""
        now = self.rules()
        found = []
        for regimen in self.regimens:
            before = port_advice(regimen, self.initial).level
            after = port_advice(regimen, now).level
            if before is not after:
                found.append((regimen, before, after))
        return sorted(found, key=lambda change: change[0].name.get(language()))

    # ------------------------------------------------------------------ actions
    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def add_rule(self) -> None:
        dialog = PortRuleDialog(None, self._families, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._rules.append(dialog.rule())
            self._refresh(select=len(self._rules) - 1)

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        dialog = PortRuleDialog(self._rules[row], self._families, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._rules[row] = dialog.rule()
            self._refresh(select=row)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        del self._rules[row]
        self._refresh(select=min(row, len(self._rules) - 1))

    # ------------------------------------------------------------------ display
    def _refresh(self, select: int | None = None) -> None:
        self.table.setRowCount(len(self._rules))
        for row, rule in enumerate(self._rules):
            cells = (explain.port_level_name(rule.level), rule_text(rule), rule.source)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip(text))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        if select is not None and select >= 0:
            self.table.selectRow(select)
        self._on_selection()
        self.bundled_button.setEnabled(self.rules() != self.bundled)
        self.effect.setText(self._effect_text())
        self.changed.emit()

    def _effect_text(self) -> str:
        changes = self.changes()
        if not changes:
            return _("No regimen of the catalogue changes advice.")
        shown = [
            _("{regimen}: {before} → {after}").format(
                regimen=regimen.name.get(language()),
                before=explain.port_level_name(before),
                after=explain.port_level_name(after),
            )
            for regimen, before, after in changes[:6]
        ]
        if len(changes) > 6:
            shown.append(
                ngettext("and {n} other", "and {n} others", len(changes) - 6).format(
                    n=len(changes) - 6
                )
            )
        return ngettext(
            "With these rules, {n} regimen of the catalogue changes advice: {list}.",
            "With these rules, {n} regimens of the catalogue change advice: {list}.",
            len(changes),
        ).format(n=len(changes), list=explain.listed(shown))

    def _on_selection(self) -> None:
        chosen = self.selected_row() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
