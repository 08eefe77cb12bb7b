"""Initial patients schema: patients, name search index and vocabulary, outbox, processed events.

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


def binary(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(
        mysql.VARCHAR(length, collation="utf8mb4_nopad_bin"), "mysql", "mariadb"
    )


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("first_name", sa.String(50), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("name_key", binary(155), nullable=False),
        sa.Column("tax_id", binary(20), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(6), nullable=True),
        sa.Column("email", binary(254), nullable=True),
        sa.Column("phone", sa.String(25), nullable=True),
        sa.Column("phone_digits", binary(20), nullable=True),
        sa.Column("address_street", sa.String(200), nullable=True),
        sa.Column("address_city", sa.String(100), nullable=True),
        sa.Column("address_postal_code", sa.String(10), nullable=True),
        sa.Column("address_province", sa.String(100), nullable=True),
        sa.Column("address_country", sa.String(2), nullable=True),
        sa.Column("occupation", sa.String(100), nullable=True),
        sa.Column("referral_source", sa.String(100), nullable=True),
        sa.Column("emergency_contact_name", sa.String(100), nullable=True),
        sa.Column("emergency_contact_phone", sa.String(25), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("preferred_locale", sa.String(5), nullable=False),
        sa.Column("data_consent_at", TIMESTAMP, nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("last_visit_at", TIMESTAMP, nullable=True),
        sa.Column("next_appointment_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
        sa.UniqueConstraint("tax_id", name="uq_patients_tax_id"),
    )
    op.create_index("ix_patients_birth_date", "patients", ["birth_date"])
    op.create_index("ix_patients_email", "patients", ["email"])
    op.create_index("ix_patients_phone_digits", "patients", ["phone_digits"])
    op.create_index("ix_patients_created_at", "patients", ["created_at"])
    op.create_index("ix_patients_name_order", "patients", ["name_key", "id"])
    op.create_index("ix_patients_status_name_order", "patients", ["status", "name_key", "id"])
    op.create_table(
        "patient_search_terms",
        sa.Column("term", binary(50), nullable=False),
        sa.Column("whole_word", sa.Boolean(), nullable=False),
        sa.Column("name_key", binary(155), nullable=False),
        sa.Column("patient_id", sa.String(36), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint(
            "term", "whole_word", "name_key", "patient_id", name="pk_patient_search_terms"
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "patient_name_trigrams",
        sa.Column("trigram", binary(3), nullable=False),
        sa.Column("word_length", sa.SmallInteger(), nullable=False),
        sa.Column("word", binary(50), nullable=False),
        sa.PrimaryKeyConstraint("trigram", "word_length", "word", name="pk_patient_name_trigrams"),
        sqlite_with_rowid=False,
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
    op.drop_table("processed_events")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("patient_name_trigrams")
    op.drop_table("patient_search_terms")
    for index in (
        "ix_patients_status_name_order",
        "ix_patients_name_order",
        "ix_patients_created_at",
        "ix_patients_phone_digits",
        "ix_patients_email",
        "ix_patients_birth_date",
    ):
        op.drop_index(index, table_name="patients")
    op.drop_table("patients")
