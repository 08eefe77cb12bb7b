"""Initial billing schema: settings, customers, catalogue, sessions, invoices, chain, outbox.

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-06

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
# Money, quantities and percentages: exact scaled integers (``columns.ScaledDecimal``).
SCALED = sa.BigInteger()


def upgrade() -> None:
    op.create_table(
        "billable_sessions",
        sa.Column("appointment_id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("practitioner_id", sa.String(length=36), nullable=False),
        sa.Column("appointment_type", sa.String(length=50), nullable=True),
        sa.Column("service_code", sa.String(length=30), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("starts_at", TIMESTAMP, nullable=False),
        sa.Column("price", SCALED, nullable=False),
        sa.Column("vat_rate", SCALED, nullable=False),
        sa.Column("exemption", sa.String(length=20), nullable=True),
        sa.Column("payer_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=True),
        sa.Column("entity_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("appointment_id"),
    )
    op.create_index(
        "ix_billable_sessions_patient",
        "billable_sessions",
        ["patient_id", "status", "starts_at"],
        unique=False,
    )
    op.create_index(
        "ix_billable_sessions_invoice", "billable_sessions", ["invoice_id"], unique=False
    )
    op.create_index(
        "ix_billable_sessions_payer",
        "billable_sessions",
        ["payer_id", "status", "starts_at"],
        unique=False,
    )
    op.create_table(
        "catalogue",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name_es", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("price", SCALED, nullable=False),
        sa.Column("vat_rate", SCALED, nullable=False),
        sa.Column("exemption", sa.String(length=20), nullable=True),
        sa.Column("appointment_type", sa.String(length=50), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("appointment_type"),
    )
    op.create_table(
        "chain_heads",
        sa.Column("issuer_tax_id", sa.String(length=20), nullable=False),
        sa.Column("last_position", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("issuer_tax_id"),
    )
    op.create_table(
        "clinic_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("tax_id", sa.String(length=20), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=25), nullable=True),
        sa.Column("logo", PAYLOAD, nullable=True),
        sa.Column("invoice_footer", sa.Text(), nullable=True),
        sa.Column("default_language", sa.String(length=2), nullable=False),
        sa.Column("verifactu_enabled", sa.Boolean(), nullable=False),
        sa.Column("qr_environment", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "counters",
        sa.Column("series", sa.String(length=1), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.Column("last_issued_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("series"),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("search_name", sa.String(length=200), nullable=False),
        sa.Column("tax_id", sa.String(length=20), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("province", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), server_default="ES", nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=25), nullable=True),
        sa.Column("language", sa.String(length=2), server_default="es", nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=True),
        sa.Column("insurer_id", sa.String(length=36), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("patient_id"),
    )
    op.create_index("ix_customers_search_name", "customers", ["search_name"], unique=False)
    op.create_index("ix_customers_tax_id", "customers", ["tax_id"], unique=False)
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
    op.create_table(
        "insurer_prices",
        sa.Column("insurer_id", sa.String(length=36), nullable=False),
        sa.Column("service_code", sa.String(length=30), nullable=False),
        sa.Column("price", SCALED, nullable=False),
        sa.PrimaryKeyConstraint("insurer_id", "service_code"),
    )
    op.create_table(
        "invoice_lines",
        sa.Column(
            "id",
            AUTO_ID,
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", SCALED, nullable=False),
        sa.Column("unit_price", SCALED, nullable=False),
        sa.Column("discount_percent", SCALED, nullable=False),
        sa.Column("vat_rate", SCALED, nullable=False),
        sa.Column("exemption", sa.String(length=20), nullable=True),
        sa.Column("amount", SCALED, nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("invoice_id", "position", name="uq_invoice_lines_position"),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("series", sa.String(length=1), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=11), nullable=True),
        sa.Column("status", sa.String(length=15), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=True),
        sa.Column("patient_id", sa.String(length=36), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("customer_search", sa.String(length=200), nullable=False),
        sa.Column("customer_tax_id", sa.String(length=20), nullable=True),
        sa.Column("customer_address", sa.Text(), nullable=True),
        sa.Column("customer_email", sa.String(length=254), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("issuer_name", sa.String(length=200), nullable=True),
        sa.Column("issuer_tax_id", sa.String(length=20), nullable=True),
        sa.Column("issuer_address", sa.Text(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_at", TIMESTAMP, nullable=True),
        sa.Column("base", SCALED, nullable=False),
        sa.Column("tax", SCALED, nullable=False),
        sa.Column("total", SCALED, nullable=False),
        sa.Column("paid", SCALED, nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("rectifies_id", sa.String(length=36), nullable=True),
        sa.Column("rectification_method", sa.String(length=12), nullable=True),
        sa.Column("reason_code", sa.String(length=2), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("rectified_base", SCALED, nullable=True),
        sa.Column("rectified_tax", SCALED, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("series", "year", "sequence", name="uq_invoices_series_year_sequence"),
    )
    op.create_index(
        "ix_invoices_issued",
        "invoices",
        ["issued_at", "created_at", "id", "customer_search"],
        unique=False,
    )
    op.create_index(
        "ix_invoices_status_issued",
        "invoices",
        ["status", "issued_at", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_invoices_series", "invoices", ["series", "issued_at", "created_at"], unique=False
    )
    op.create_index(
        "ix_invoices_customer",
        "invoices",
        ["customer_id", "issued_at", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_invoices_patient", "invoices", ["patient_id", "issued_at", "created_at"], unique=False
    )
    op.create_index("ix_invoices_issued_on", "invoices", ["issued_on"], unique=False)
    op.create_index(
        "ix_invoices_customer_search",
        "invoices",
        ["customer_search"],
        unique=False,
        mysql_prefix="FULLTEXT",
        mariadb_prefix="FULLTEXT",
    )
    op.create_index("ix_invoices_rectifies", "invoices", ["rectifies_id"], unique=False)
    op.create_table(
        "outbox",
        sa.Column(
            "id",
            AUTO_ID,
            autoincrement=True,
            nullable=False,
        ),
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
        "patients",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("full_name", sa.String(length=151), nullable=False),
        sa.Column("tax_id", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=25), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("preferred_locale", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("province", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("entity_version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("amount", SCALED, nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_payments_invoice_id"), "payments", ["invoice_id"], unique=False)
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("handled_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "verifactu_records",
        sa.Column(
            "id",
            AUTO_ID,
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("issuer_tax_id", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=11), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("invoice_type", sa.String(length=2), nullable=False),
        sa.Column("tax_total", SCALED, nullable=False),
        sa.Column("total", SCALED, nullable=False),
        sa.Column("generated_at", sa.String(length=32), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("invoice_id"),
        sa.UniqueConstraint("issuer_tax_id", "position", name="uq_verifactu_records_chain"),
    )


def downgrade() -> None:
    op.drop_table("verifactu_records")
    op.drop_table("processed_events")
    op.drop_table("payments")
    op.drop_table("patients")
    op.drop_table("outbox")
    op.drop_table("invoices")
    op.drop_table("invoice_lines")
    op.drop_table("insurer_prices")
    op.drop_table("idempotency_keys")
    op.drop_table("customers")
    op.drop_table("counters")
    op.drop_table("clinic_settings")
    op.drop_table("chain_heads")
    op.drop_table("catalogue")
    op.drop_table("billable_sessions")
