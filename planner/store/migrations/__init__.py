"""Alembic migrations of the planner database (run by planner.store.database)."""
