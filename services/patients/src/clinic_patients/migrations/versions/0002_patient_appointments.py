"""Scheduling's appointments as patients keep them, for lastVisitAt and nextAppointmentAt.

Revision ID: 0002_patient_appointments
Revises: 0001_initial
Create Date: 2026-11-27

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0002_patient_appointments"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the model type: a migration must not change when the models do.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "patient_appointments",
        sa.Column("appointment_id", sa.String(36), nullable=False),
        sa.Column("patient_id", sa.String(36), nullable=True),
        sa.Column("starts_at", TIMESTAMP, nullable=False),
        sa.Column("ends_at", TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("event_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", name="pk_patient_appointments"),
    )
    op.create_index(
        "ix_patient_appointments_patient",
        "patient_appointments",
        ["patient_id", "status", "starts_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_patient_appointments_patient", table_name="patient_appointments")
    op.drop_table("patient_appointments")
