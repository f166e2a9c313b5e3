"""The regimen catalogue as a filterable list (filtering in Python, never a proxy model)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    Qt,
)

from planner import explain
from planner.core.regimen import AgentClass, Regimen
from planner.gui.models import Index
from planner.gui.plain import tip
from planner.i18n import N_, _, language

REGIMEN_ROLE = Qt.ItemDataRole.UserRole + 1
"""Hands back the :class:`~planner.core.regimen.Regimen` of a row."""


class RegimenKind(Enum):
    """A toggle of the regimen search: each one switched on must hold (they combine with AND)."""

    MONOTHERAPY = "monotherapy"
    COMBINATION = "combination"
    CHEMOTHERAPY = "chemotherapy"
    TARGETED = "targeted"
    IMMUNOTHERAPY = "immunotherapy"
    DUAL_IMMUNOTHERAPY = "dual-immunotherapy"

    @property
    def label(self) -> str:
        return _(_KIND_LABELS[self][0])

    @property
    def tooltip(self) -> str:
        return _(_KIND_LABELS[self][1])

    def matches(self, regimen: Regimen) -> bool:
        return _KIND_TESTS[self](regimen)


_KIND_LABELS = {
    RegimenKind.MONOTHERAPY: (N_("Monotherapy"), N_("One anticancer drug")),
    RegimenKind.COMBINATION: (N_("Combination"), N_("Two or more anticancer drugs")),
    RegimenKind.CHEMOTHERAPY: (N_("Chemotherapy"), N_("Includes a chemotherapy")),
    RegimenKind.TARGETED: (N_("Targeted"), N_("Includes a targeted therapy")),
    RegimenKind.IMMUNOTHERAPY: (N_("Immunotherapy"), N_("Includes an immunotherapy")),
    RegimenKind.DUAL_IMMUNOTHERAPY: (
        N_("Dual immunotherapy"),
        N_("Two immune checkpoint inhibitors (ipilimumab with nivolumab, for example)"),
    ),
}

# Supportive care (G-CSF...) counts for nothing here: the core's active agents leave it out.
_KIND_TESTS: dict[RegimenKind, Callable[[Regimen], bool]] = {
    RegimenKind.MONOTHERAPY: lambda r: r.is_monotherapy,
    RegimenKind.COMBINATION: lambda r: len(r.active_agents) > 1,
    RegimenKind.CHEMOTHERAPY: lambda r: AgentClass.CHEMOTHERAPY in r.classes,
    RegimenKind.TARGETED: lambda r: AgentClass.TARGETED in r.classes,
    RegimenKind.IMMUNOTHERAPY: lambda r: r.has_immunotherapy,
    RegimenKind.DUAL_IMMUNOTHERAPY: lambda r: r.is_dual_immunotherapy,
}


def _search_text(regimen: Regimen) -> str:
    """Everything a coordinator may type to find a regimen: names, drugs, classes, id."""
    parts = [regimen.id, regimen.name.fr, regimen.name.en]
    for agent in regimen.agents:
        parts += [agent.inn, agent.name.fr, agent.name.en, agent.family]
    parts += [c.value for c in regimen.classes]
    return " ".join(parts).casefold()


class RegimenListModel(QAbstractListModel):
    def __init__(self, regimens: list[Regimen], parent: Any = None) -> None:
        super().__init__(parent)
        self._all = sorted(regimens, key=lambda r: r.name.get(language()).casefold())
        self._search = {r.id: _search_text(r) for r in self._all}
        self._words: list[str] = []
        self._kinds: frozenset[RegimenKind] = frozenset()
        self._shown = list(self._all)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        regimen = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return regimen.name.get(language())
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(f"{regimen.id} — {explain.regimen_classes(regimen)}")
        if role == REGIMEN_ROLE:
            return regimen
        return None

    def set_filter(self, text: str) -> None:
        """Keep the regimens whose names, drugs or classes contain every typed word."""
        self._words = text.casefold().split()
        self._apply()

    def set_kinds(self, kinds: Iterable[RegimenKind]) -> None:
        """Keep only the regimens of every kind in ``kinds`` (with the typed words)."""
        self._kinds = frozenset(kinds)
        self._apply()

    @property
    def kinds(self) -> frozenset[RegimenKind]:
        return self._kinds

    def _apply(self) -> None:
        self.beginResetModel()
        self._shown = [
            r
            for r in self._all
            if all(w in self._search[r.id] for w in self._words)
            and all(kind.matches(r) for kind in self._kinds)
        ]
        self.endResetModel()

    def regimen_at(self, row: int) -> Regimen:
        return self._shown[row]

    def row_of(self, regimen_id: str) -> int | None:
        """The row showing ``regimen_id``, or None when it is filtered out or unknown."""
        for row, regimen in enumerate(self._shown):
            if regimen.id == regimen_id:
                return row
        return None
