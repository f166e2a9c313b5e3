"""Persistence: patients, plans and their change ledger (SQLite by default, PostgreSQL too).

The names below are imported when first used (PEP 562), not with the package: the patient
list is read at start-up by :mod:`planner.store.quick` with Python's own ``sqlite3``, before
SQLAlchemy (about 0.15 s to import here) is needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.store.database import Conflict, PasswordNeeded, StoreError, locate
    from planner.store.store import NotFound, Store

__all__ = [
    "Conflict",
    "NotFound",
    "PasswordNeeded",
    "Store",
    "StoreError",
    "locate",
]

_WHERE = {
    "Conflict": "planner.store.database",
    "PasswordNeeded": "planner.store.database",
    "StoreError": "planner.store.database",
    "locate": "planner.store.database",
    "NotFound": "planner.store.store",
    "Store": "planner.store.store",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'planner.store' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
