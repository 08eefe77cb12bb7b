"""Initial records schema: read models, episodes, entries, amendments, measures, sessions, audit,
outbox.

On MariaDB two triggers make the read audit append-only: UPDATE and DELETE are refused.

Revision ID: 0001_initial
Revises:
Create Date: 2027-01-10

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

_APPEND_ONLY = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'read_audit is append-only'"


def _is_mariadb() -> bool:
    return op.get_bind().dialect.name in {"mysql", "mariadb"}


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("full_name", sa.String(length=151), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("entity_version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "practitioners",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_practitioner", sa.Boolean(), nullable=False),
        sa.Column("entity_version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "episodes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("practitioner_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("body_region", sa.String(length=50), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("discharged_on", sa.Date(), nullable=True),
        sa.Column("discharge_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_episodes_patient", "episodes", ["patient_id", "opened_on"], unique=False)
    op.create_table(
        "entries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("episode_id", sa.String(length=36), nullable=True),
        sa.Column("appointment_id", sa.String(length=36), nullable=True),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("subjective", sa.Text(), nullable=True),
        sa.Column("objective", sa.Text(), nullable=True),
        sa.Column("assessment", sa.Text(), nullable=True),
        sa.Column("plan", sa.Text(), nullable=True),
        sa.Column("pain_vas", sa.Integer(), nullable=True),
        sa.Column("signed_by", sa.String(length=36), nullable=True),
        sa.Column("signed_at", TIMESTAMP, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_entries_timeline", "entries", ["patient_id", "entry_date", "created_at"], unique=False
    )
    op.create_index("ix_entries_episode", "entries", ["episode_id"], unique=False)
    op.create_index("ix_entries_appointment", "entries", ["appointment_id"], unique=False)
    op.create_table(
        "amendments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("signed_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_amendments_entry", "amendments", ["entry_id", "signed_at"], unique=False
    )
    op.create_table(
        "measures",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("episode_id", sa.String(length=36), nullable=True),
        sa.Column("instrument", sa.String(length=12), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("taken_by", sa.String(length=36), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_measures_patient", "measures", ["patient_id", "taken_on"], unique=False)
    op.create_index("ix_measures_episode", "measures", ["episode_id", "taken_on"], unique=False)
    op.create_table(
        "sessions",
        sa.Column("appointment_id", sa.String(length=36), nullable=False),
        sa.Column("practitioner_id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=True),
        sa.Column("starts_at", TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note_entry_id", sa.String(length=36), nullable=True),
        sa.Column("entity_version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("appointment_id"),
    )
    op.create_index(
        "ix_sessions_practitioner",
        "sessions",
        ["practitioner_id", "status", "starts_at"],
        unique=False,
    )
    op.create_table(
        "read_audit",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=True),
        sa.Column("read_at", TIMESTAMP, nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_read_audit_patient", "read_audit", ["patient_id", "read_at"], unique=False
    )
    op.create_index("ix_read_audit_user", "read_audit", ["user_id", "read_at"], unique=False)
    op.create_index("ix_read_audit_read_at", "read_audit", ["read_at"], unique=False)
    if _is_mariadb():
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER read_audit_no_{event.lower()} BEFORE {event} ON read_audit "
                f"FOR EACH ROW {_APPEND_ONLY}"
            )
    op.create_table(
        "outbox",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("stream", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("payload", PAYLOAD, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("published_at", TIMESTAMP, nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["published_at", "id"], unique=False)
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("handled_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("caller", sa.String(length=64), nullable=False),
        sa.Column("idem_key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("headers", PAYLOAD, nullable=True),
        sa.Column("body", PAYLOAD, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("caller", "idem_key", name="pk_idempotency_keys"),
    )
    op.create_index(
        "ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"], unique=False
    )


def downgrade() -> None:
    if _is_mariadb():
        op.execute("DROP TRIGGER IF EXISTS read_audit_no_update")
        op.execute("DROP TRIGGER IF EXISTS read_audit_no_delete")
    for table in (
        "idempotency_keys",
        "processed_events",
        "outbox",
        "read_audit",
        "sessions",
        "measures",
        "amendments",
        "entries",
        "episodes",
        "practitioners",
        "patients",
    ):
        op.drop_table(table)
