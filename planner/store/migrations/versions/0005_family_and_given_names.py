"""Patients have a family name and given names, shown the French way ("DUPONT Marie"),
sorted by family name and searched by either.

A name stored whole is split where the way it was written says which part is the family
name, and kept whole (as the family name, with no given names) where it does not
(:func:`planner.core.names.split_name`, the rule the new-plan dialog also follows):

* "DUPONT, Marie" or "Dupont, Marie": before the comma, the family name;
* "Marie DUPONT", "DUPONT Marie", "Jean-Pierre DE LA TOUR", "Marie de LA TOUR": the words in
  capitals, at the start or at the end, are the family name (with a lower-case particle
  just before them: "de", "du", "van"...), the others the given names;
* anything else ("Marie Dupont", "marie dupont", "DUPONT", a single word, capitals in the
  middle): kept whole, shown as it was written. Nothing is guessed from word order.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# The dialog's rule, imported: tests/store/test_migrations.py pins what it answers for this
# migration, so a change to the rule that would change how an older database is migrated
# fails there (then freeze the rule as it was, here).
from planner.core.names import split_name

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

__all__ = ["downgrade", "split_name", "upgrade"]


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(
            sa.Column("family_name", sa.String(200), server_default="", nullable=False)
        )
        batch.add_column(
            sa.Column("given_names", sa.String(200), server_default="", nullable=False)
        )
    patients = sa.table(
        "patients",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("family_name", sa.String),
        sa.column("given_names", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(patients.c.id, patients.c.name)).all()
    for patient_id, name in rows:
        family, given = split_name(name)
        bind.execute(
            patients.update()
            .where(patients.c.id == patient_id)
            .values(family_name=family, given_names=given)
        )
    # Not through batch mode: copying the table to drop a column would break the plans' and
    # the ledger's references to it. SQLite drops a column in place since 3.35 (2021).
    op.drop_column("patients", "name")


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("name", sa.String(200), server_default="", nullable=False))
    patients = sa.table(
        "patients",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("family_name", sa.String),
        sa.column("given_names", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(patients.c.id, patients.c.family_name, patients.c.given_names)
    ).all()
    for patient_id, family, given in rows:
        whole = f"{family.upper()} {given}" if given else family
        bind.execute(patients.update().where(patients.c.id == patient_id).values(name=whole))
    op.drop_column("patients", "family_name")
    op.drop_column("patients", "given_names")
