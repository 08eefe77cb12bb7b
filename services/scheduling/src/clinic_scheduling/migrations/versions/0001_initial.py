"""Initial scheduling schema: read models, appointment types (seeded), appointments, hours, outbox.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-27

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql, sqlite

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the model types: a migration must not change when the models do.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
PAYLOAD = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
AUTO_ID = sa.BigInteger().with_variant(sqlite.INTEGER(), "sqlite")

APPOINTMENT_TYPES = [
    ("first_visit", "Valoración inicial", "Initial assessment", 60, "#2563EB"),
    ("follow_up", "Sesión de fisioterapia", "Physiotherapy session", 45, "#16A34A"),
    ("dry_needling", "Punción seca", "Dry needling", 30, "#DC2626"),
    ("pelvic_floor", "Suelo pélvico", "Pelvic floor", 45, "#9333EA"),
    ("sports_massage", "Masaje deportivo", "Sports massage", 30, "#EA580C"),
]


def upgrade() -> None:
    op.create_table(
        "practitioners",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("color", sa.String(7), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_practitioner", sa.Boolean(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("full_name", sa.String(151), nullable=False),
        sa.Column("phone", sa.String(25), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
    )
    types = op.create_table(
        "appointment_types",
        sa.Column("code", sa.String(50), primary_key=True),
        sa.Column("name_es", sa.String(100), nullable=False),
        sa.Column("name_en", sa.String(100), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("color", sa.String(7), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.bulk_insert(
        types,
        [
            {
                "code": code,
                "name_es": name_es,
                "name_en": name_en,
                "duration_minutes": minutes,
                "color": color,
                "active": True,
                "version": 1,
            }
            for code, name_es, name_en, minutes, color in APPOINTMENT_TYPES
        ],
    )
    op.create_table(
        "appointments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("practitioner_id", sa.String(36), nullable=False),
        sa.Column("patient_id", sa.String(36), nullable=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("type", sa.String(50), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("starts_at", TIMESTAMP, nullable=False),
        sa.Column("ends_at", TIMESTAMP, nullable=False),
        sa.Column("title", sa.String(200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("series_id", sa.String(36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
    )
    op.create_index(
        "ix_appointments_practitioner_time",
        "appointments",
        ["practitioner_id", "starts_at", "ends_at"],
    )
    op.create_index("ix_appointments_patient_time", "appointments", ["patient_id", "starts_at"])
    op.create_index("ix_appointments_starts_at", "appointments", ["starts_at"])
    op.create_table(
        "working_periods",
        sa.Column("id", AUTO_ID, primary_key=True, autoincrement=True),
        sa.Column("practitioner_id", sa.String(36), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
    )
    op.create_index(
        "ix_working_periods_practitioner_id", "working_periods", ["practitioner_id"]
    )
    op.create_table(
        "absences",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("practitioner_id", sa.String(36), nullable=False),
        sa.Column("starts_at", TIMESTAMP, nullable=False),
        sa.Column("ends_at", TIMESTAMP, nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
    )
    op.create_index(
        "ix_absences_practitioner_time", "absences", ["practitioner_id", "starts_at"]
    )
    op.create_table(
        "outbox",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("stream", sa.String(100), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("payload", PAYLOAD, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("published_at", TIMESTAMP, nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["published_at", "id"])
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("handled_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_processed_events"),
    )


def downgrade() -> None:
    for table in (
        "processed_events",
        "outbox",
        "absences",
        "working_periods",
        "appointments",
        "appointment_types",
        "patients",
        "practitioners",
    ):
        op.drop_table(table)
