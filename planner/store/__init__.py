"""Persistence: patients, plans and their change ledger (SQLite by default, PostgreSQL too)."""

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
