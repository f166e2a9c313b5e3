"""Persistence: patients, plans and their change ledger (SQLite by default, PostgreSQL too)."""

from planner.store.database import PasswordNeeded, StoreError, locate
from planner.store.store import Conflict, NotFound, Store

__all__ = [
    "Conflict",
    "NotFound",
    "PasswordNeeded",
    "Store",
    "StoreError",
    "locate",
]
