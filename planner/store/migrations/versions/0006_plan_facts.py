"""What the patient list shows of each plan, kept with the plan (planner.store.facts).

The table starts empty: the facts of an older database's plans are computed once, the first
time the unit is opened by this version (with its progress shown), since they need the
scheduling engine and the unit's port rules, which a schema migration does not hold.

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


def downgrade() -> None:
    op.drop_table("plan_facts")
