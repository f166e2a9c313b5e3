"""Chairs and times: each session's booking, and each patient's preferred half-day.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(
            sa.Column("preference", sa.String(16), server_default="any", nullable=False)
        )
    op.create_table(
        "bookings",
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("chair", sa.String(32), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("booked_by", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name="fk_bookings_plan_id_plans"),
        sa.PrimaryKeyConstraint("plan_id", "phase", "cycle", "day", name="pk_bookings"),
    )
    op.create_index("ix_bookings_date", "bookings", ["date"])


def downgrade() -> None:
    op.drop_index("ix_bookings_date", table_name="bookings")
    op.drop_table("bookings")
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("preference")
