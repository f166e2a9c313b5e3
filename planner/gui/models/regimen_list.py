"""The regimen catalogue as a filterable list (filtering in Python, never a proxy model)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from planner import explain
from planner.core.regimen import Regimen
from planner.i18n import language

REGIMEN_ROLE = Qt.ItemDataRole.UserRole + 1
"""Hands back the :class:`~planner.core.regimen.Regimen` of a row."""

Index = QModelIndex | QPersistentModelIndex


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
            return f"{regimen.id} — {explain.regimen_classes(regimen)}"
        if role == REGIMEN_ROLE:
            return regimen
        return None

    def set_filter(self, text: str) -> None:
        """Keep the regimens whose names, drugs or classes contain every typed word."""
        words = text.casefold().split()
        self.beginResetModel()
        self._shown = [r for r in self._all if all(w in self._search[r.id] for w in words)]
        self.endResetModel()

    def regimen_at(self, row: int) -> Regimen:
        return self._shown[row]
