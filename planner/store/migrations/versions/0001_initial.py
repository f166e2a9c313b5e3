"""The first schema: patients, regimen snapshots, plans, the ledger, unit settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The ledger is an audit trail: rows are added, never changed or removed.
SQLITE_GUARDS = [
    """CREATE TRIGGER ledger_append_only_update BEFORE UPDATE ON ledger
       BEGIN SELECT RAISE(ABORT, 'the change ledger is append-only'); END""",
    """CREATE TRIGGER ledger_append_only_delete BEFORE DELETE ON ledger
       BEGIN SELECT RAISE(ABORT, 'the change ledger is append-only'); END""",
]
POSTGRESQL_GUARDS = [
    """CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the change ledger is append-only'; END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
       FOR EACH ROW EXECUTE FUNCTION ledger_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("hospital_number", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("port_in_place", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
        sa.UniqueConstraint("hospital_number", name="uq_patients_hospital_number"),
    )
    op.create_table(
        "regimen_snapshots",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("regimen_id", sa.String(100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name="pk_regimen_snapshots"),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("patient_id", sa.String(32), nullable=False),
        sa.Column("regimen_id", sa.String(100), nullable=False),
        sa.Column("regimen_digest", sa.String(64), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("policy", sa.String(16), nullable=False),
        sa.Column("closure_set", sa.String(32), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_plans_patient_id_patients"
        ),
        sa.ForeignKeyConstraint(
            ["regimen_digest"],
            ["regimen_snapshots.digest"],
            name="fk_plans_regimen_digest_regimen_snapshots",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
    )
    op.create_index("ix_plans_patient_id", "plans", ["patient_id"])
    op.create_table(
        "ledger",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("patient_id", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_ledger_patient_id_patients"
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name="fk_ledger_plan_id_plans"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger"),
        sa.UniqueConstraint("plan_id", "seq", name="uq_ledger_plan_id"),
    )
    op.create_index("ix_ledger_patient_id", "ledger", ["patient_id"])
    op.create_index("ix_ledger_plan_id", "ledger", ["plan_id"])
    op.create_table(
        "unit_settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_unit_settings"),
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_GUARDS, "postgresql": POSTGRESQL_GUARDS}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ledger_append_only_update")
        op.execute("DROP TRIGGER IF EXISTS ledger_append_only_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_append_only ON ledger")
        op.execute("DROP FUNCTION IF EXISTS ledger_append_only()")
    op.drop_table("unit_settings")
    op.drop_index("ix_ledger_plan_id", table_name="ledger")
    op.drop_index("ix_ledger_patient_id", table_name="ledger")
    op.drop_table("ledger")
    op.drop_index("ix_plans_patient_id", table_name="plans")
    op.drop_table("plans")
    op.drop_table("regimen_snapshots")
    op.drop_table("patients")
