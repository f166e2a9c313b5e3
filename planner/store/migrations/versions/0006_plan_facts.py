"""What the patient list shows of each plan, kept with the plan (planner.store.facts); and
the unit's revision, a number the database itself raises at every change.

The table starts empty: the facts of an older database's plans are computed once, the first
time the unit is opened by this version (with its progress shown), since they need the
scheduling engine and the unit's port rules, which a schema migration does not hold.

The revision (``unit_revision``, one row) is what a window compares to know whether another
coordinator changed anything: raised by triggers on the ledger (every patient and plan
change), the bookings and the unit's settings, so one row is read where the window used to
count every booking (66 ms at 20,000 patients, twice per change).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("ledger", "bookings", "unit_settings")
"""What coordinators change (plan_facts is derived from the ledger: not counted)."""
EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "plan_facts",
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("patient_version", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("regimen_fr", sa.Text(), nullable=False),
        sa.Column("regimen_en", sa.Text(), nullable=False),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("to_give", sa.Text(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("port_late_after", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name="fk_plan_facts_plan_id_plans"),
        sa.PrimaryKeyConstraint("plan_id", name="pk_plan_facts"),
    )

    op.create_table(
        "unit_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unit_revision"),
    )
    op.execute("INSERT INTO unit_revision (id, counter) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION planner_revision() RETURNS trigger AS $$
            BEGIN
                UPDATE unit_revision SET counter = counter + 1 WHERE id = 1;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql
            """
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION planner_revision()"
            )
        return
    for table in TABLES:  # SQLite: row triggers only
        for event in EVENTS:
            op.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_revision AFTER {event} ON {table} "
                "BEGIN UPDATE unit_revision SET counter = counter + 1 WHERE id = 1; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
        op.execute("DROP FUNCTION IF EXISTS planner_revision()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event.lower()}_revision")
    op.drop_table("unit_revision")
    op.drop_table("plan_facts")
