"""What each plan's patient calendar was last given, so re-exports update it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_exports",
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exported_by", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_calendar_exports_plan_id_plans"
        ),
        sa.PrimaryKeyConstraint("plan_id", name="pk_calendar_exports"),
    )


def downgrade() -> None:
    op.drop_table("calendar_exports")
