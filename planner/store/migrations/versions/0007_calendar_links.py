"""Patients' calendars published on a CalDAV server (planner.calendars): each published
patient's link, the collections of renewed or stopped links still to remove, and an outbox
of changes waiting to reach the server.

The outbox is written by the database itself, by triggers, in the transaction of the change:
whatever program or version records a change (a delay in the window, a booking by the
command line, a closure in the unit's settings), a published patient's calendar learns of it,
and nothing is lost if the server or the planner stops before it is sent. A change to the
audit trail queues its patient; a booking made, moved or removed queues its plan's patient;
a change to the unit's settings (its closures, name, address, telephone) queues every
published patient. Patients who are not published cost a lookup, no row.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

EVENTS = ("INSERT", "UPDATE", "DELETE")

_LEDGER = (
    "INSERT INTO calendar_outbox (patient_id) SELECT l.patient_id FROM calendar_links l "
    "WHERE l.patient_id = {row}.patient_id"
)
_BOOKINGS = (
    "INSERT INTO calendar_outbox (patient_id) SELECT l.patient_id FROM plans p "
    "JOIN calendar_links l ON l.patient_id = p.patient_id WHERE p.id = {row}.plan_id"
)
_SETTINGS = "INSERT INTO calendar_outbox (patient_id) SELECT patient_id FROM calendar_links"


def upgrade() -> None:
    op.create_table(
        "calendar_links",
        sa.Column("patient_id", sa.String(32), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), server_default="", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_try", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_calendar_links_patient_id_patients"
        ),
        sa.PrimaryKeyConstraint("patient_id", name="pk_calendar_links"),
        sa.UniqueConstraint("token", name="uq_calendar_links_token"),
    )
    op.create_table(
        "calendar_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("patient_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_outbox"),
    )
    op.create_index("ix_calendar_outbox_patient_id", "calendar_outbox", ["patient_id"])
    op.create_table(
        "calendar_retired",
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("patient_id", sa.String(32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token", name="pk_calendar_retired"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
        return
    # SQLite: row triggers.
    op.execute(
        "CREATE TRIGGER ledger_insert_calendar AFTER INSERT ON ledger "
        f"BEGIN {_LEDGER.format(row='NEW')}; END"
    )
    for event in EVENTS:
        row = "OLD" if event == "DELETE" else "NEW"
        op.execute(
            f"CREATE TRIGGER bookings_{event.lower()}_calendar AFTER {event} ON bookings "
            f"BEGIN {_BOOKINGS.format(row=row)}; END"
        )
        op.execute(
            f"CREATE TRIGGER unit_settings_{event.lower()}_calendar AFTER {event} ON "
            f"unit_settings BEGIN {_SETTINGS}; END"
        )


def _postgresql_triggers() -> None:
    """Statement triggers reading the rows changed (transition tables): one outbox row per
    published patient and change, however many bookings a statement writes."""
    op.execute(
        f"""
        CREATE FUNCTION planner_calendar_ledger() RETURNS trigger AS $$
        BEGIN
            {_LEDGER.format(row="n").replace("WHERE", "JOIN changed n ON")};
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER ledger_insert_calendar AFTER INSERT ON ledger "
        "REFERENCING NEW TABLE AS changed "
        "FOR EACH STATEMENT EXECUTE FUNCTION planner_calendar_ledger()"
    )
    op.execute(
        """
        CREATE FUNCTION planner_calendar_bookings() RETURNS trigger AS $$
        BEGIN
            INSERT INTO calendar_outbox (patient_id)
            SELECT DISTINCT l.patient_id FROM changed n
            JOIN plans p ON p.id = n.plan_id
            JOIN calendar_links l ON l.patient_id = p.patient_id;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    for event in EVENTS:
        table = "OLD" if event == "DELETE" else "NEW"
        op.execute(
            f"CREATE TRIGGER bookings_{event.lower()}_calendar AFTER {event} ON bookings "
            f"REFERENCING {table} TABLE AS changed "
            "FOR EACH STATEMENT EXECUTE FUNCTION planner_calendar_bookings()"
        )
    op.execute(
        f"""
        CREATE FUNCTION planner_calendar_settings() RETURNS trigger AS $$
        BEGIN
            {_SETTINGS};
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER unit_settings_calendar AFTER INSERT OR UPDATE OR DELETE ON "
        "unit_settings FOR EACH STATEMENT EXECUTE FUNCTION planner_calendar_settings()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_insert_calendar ON ledger")
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS bookings_{event.lower()}_calendar ON bookings")
        op.execute("DROP TRIGGER IF EXISTS unit_settings_calendar ON unit_settings")
        for name in ("ledger", "bookings", "settings"):
            op.execute(f"DROP FUNCTION IF EXISTS planner_calendar_{name}()")
    else:
        op.execute("DROP TRIGGER IF EXISTS ledger_insert_calendar")
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS bookings_{event.lower()}_calendar")
            op.execute(f"DROP TRIGGER IF EXISTS unit_settings_{event.lower()}_calendar")
    op.drop_table("calendar_retired")
    op.drop_index("ix_calendar_outbox_patient_id", table_name="calendar_outbox")
    op.drop_table("calendar_outbox")
    op.drop_table("calendar_links")
