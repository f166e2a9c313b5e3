"""The database tables (SQLAlchemy 2). Portable: the same schema on SQLite and PostgreSQL.

Changes to these tables go through an Alembic migration in planner/store/migrations; a test
fails when the models and the migrations disagree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class AwareDateTime(TypeDecorator[datetime]):
    """A moment in time, stored in UTC and read back as an aware UTC datetime.

    SQLite keeps no time zone; PostgreSQL does. Both give back the same aware value, so a
    ledger read from either database equals the one that was written.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("moments are stored with their time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class PatientRow(Base):
    """Only what scheduling needs: names, hospital number, language, contact, port."""

    __tablename__ = "patients"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    family_name: Mapped[str] = mapped_column(String(200), server_default="")
    given_names: Mapped[str] = mapped_column(String(200), server_default="")
    hospital_number: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    contact: Mapped[str] = mapped_column(String(200))
    port_in_place: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    version: Mapped[int] = mapped_column(Integer)
    preference: Mapped[str] = mapped_column(String(16), server_default="any")
    """Morning or afternoon sessions ("any", "morning", "afternoon")."""


class RegimenSnapshotRow(Base):
    """A regimen as it was when a plan was made, stored once per distinct content."""

    __tablename__ = "regimen_snapshots"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    regimen_id: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    regimen_id: Mapped[str] = mapped_column(String(100))
    regimen_digest: Mapped[str] = mapped_column(ForeignKey("regimen_snapshots.digest"))
    start: Mapped[date] = mapped_column(Date)
    policy: Mapped[str] = mapped_column(String(16))
    closure_set: Mapped[str] = mapped_column(String(32))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    """Bumped by every change: two coordinators cannot both write the same next entry."""


class LedgerRow(Base):
    """The append-only audit trail: who did what, when and why, to a patient or a plan."""

    __tablename__ = "ledger"
    __table_args__ = (UniqueConstraint("plan_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("plans.id"), index=True)
    seq: Mapped[int | None] = mapped_column(Integer)
    """The change's number in its plan's ledger (1, 2...); None for patient records."""
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    note: Mapped[str] = mapped_column(Text)


class SettingRow(Base):
    __tablename__ = "unit_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class CalendarExportRow(Base):
    """What a plan's patient calendar was last given (UIDs, sequences), for the next export."""

    __tablename__ = "calendar_exports"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    exported_at: Mapped[datetime] = mapped_column(AwareDateTime)
    exported_by: Mapped[str] = mapped_column(String(100))


class BookingRow(Base):
    """A session's chair and start time in the unit."""

    __tablename__ = "bookings"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    phase: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    start_minute: Mapped[int] = mapped_column(Integer)
    """Minutes after midnight, unit time."""
    minutes: Mapped[int] = mapped_column(Integer)
    chair: Mapped[str] = mapped_column(String(32))
    booked_at: Mapped[datetime] = mapped_column(AwareDateTime)
    booked_by: Mapped[str] = mapped_column(String(100))


class PlanFactsRow(Base):
    """What the patient list shows of a plan (planner.core.summary.PlanFacts), kept with it.

    Written in the transaction that changes the plan; labelled with the plan's and the
    patient's versions and the ``basis`` (the program's version, the unit's closures and lab
    rule, the port rules) they were computed under: a row whose labels no longer match is
    stale, and computed again by whoever reads it (planner.store.facts)."""

    __tablename__ = "plan_facts"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    plan_version: Mapped[int] = mapped_column(Integer)
    patient_version: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(64))
    regimen_fr: Mapped[str] = mapped_column(Text)
    regimen_en: Mapped[str] = mapped_column(Text)
    stopped: Mapped[bool] = mapped_column(Boolean)
    to_give: Mapped[str] = mapped_column(Text)
    """The days of the sessions still to give, ISO dates separated by spaces."""
    warnings: Mapped[int] = mapped_column(Integer)
    port_late_after: Mapped[date | None] = mapped_column(Date, nullable=True)


class UnitRevisionRow(Base):
    """One row: a number the database raises at every change of the ledger, the bookings
    or the settings (triggers of migration 0006), for windows to see others' changes."""

    __tablename__ = "unit_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counter: Mapped[int] = mapped_column(Integer)


class CalendarLinkRow(Base):
    """A patient's calendar published on the unit's CalDAV server (planner.calendars): the
    collection's secret name, and what the server was last given."""

    __tablename__ = "calendar_links"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    """The collection's name on the server: at least 128 random bits, the link's secret."""
    detail: Mapped[str] = mapped_column(String(16))
    """What the events say: "minimal" (no drug names) or "full"."""
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    items: Mapped[dict[str, Any]] = mapped_column(JSON)
    """By UID, what the server holds of each event ("sequence:fingerprint")."""
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    """When the server last took every waiting change."""
    failing_since: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)
    """The first failed attempt since the last success (None: no failure)."""
    last_error: Mapped[str] = mapped_column(Text, server_default="")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    """Failed attempts in a row, for the wait before the next (backoff)."""
    next_try: Mapped[datetime | None] = mapped_column(AwareDateTime, nullable=True)


class CalendarOutboxRow(Base):
    """A change waiting to reach a patient's published calendar: written by the database's
    own triggers (migration 0007) in the transaction of the change, taken off once the
    server has the calendar as it now is."""

    __tablename__ = "calendar_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(String(32), index=True)


class RetiredCalendarRow(Base):
    """A collection whose link was renewed or stopped: to remove from the server."""

    __tablename__ = "calendar_retired"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    patient_id: Mapped[str] = mapped_column(String(32))
    retired_at: Mapped[datetime] = mapped_column(AwareDateTime)
