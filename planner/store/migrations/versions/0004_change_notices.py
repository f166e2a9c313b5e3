"""PostgreSQL tells the open windows at once when a coordinator changes the unit.

Every write to the ledger (patients and plans), the bookings or the unit's settings sends a
notice on the channel ``planner_changes`` when its transaction commits (LISTEN/NOTIFY); the
windows listening look again. SQLite has no such thing: its windows look every few seconds.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("ledger", "bookings", "unit_settings")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION planner_notify() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('planner_changes', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION planner_notify()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
    op.execute("DROP FUNCTION IF EXISTS planner_notify()")
