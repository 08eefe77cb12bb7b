"""The billing schema (MariaDB and SQLite); the Alembic migration is its frozen copy.

Money columns are exact scaled integers (``columns.Money``). Issued invoices are written once:
no route updates an issued invoice's row except its ``paid``/``status``/``version`` when a
payment is recorded, and no route deletes one (the application layer refuses; tests prove it).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from clinic_billing.infrastructure.columns import Money, Percent, Quantity
from clinic_shared.db import AutoId, LongText, Timestamp
from clinic_shared.events import outbox_table, processed_events_table
from clinic_shared.idempotency import idempotency_table

metadata = MetaData()

# One row (id 1): who issues the invoices and how they look.
clinic_settings = Table(
    "clinic_settings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("legal_name", String(200), nullable=False),
    Column("tax_id", String(20), nullable=False),
    Column("address", Text, nullable=False),
    Column("email", String(254), nullable=True),
    Column("phone", String(25), nullable=True),
    # A data: URL (PNG/JPEG/SVG), small enough to inline in the PDF.
    Column("logo", LongText, nullable=True),
    Column("invoice_footer", Text, nullable=True),
    Column("default_language", String(2), nullable=False),
    Column("verifactu_enabled", Boolean, nullable=False),
    Column("qr_environment", String(10), nullable=False),
    Column("version", Integer, nullable=False),
)

# Payers: a person (usually a patient), a company or an insurer (mutua).
customers = Table(
    "customers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("name", String(200), nullable=False),
    # The name folded (no accents, lower case) for accent-insensitive search.
    Column("search_name", String(200), nullable=False),
    Column("tax_id", String(20), nullable=True),
    Column("address", String(300), nullable=True),
    Column("postal_code", String(10), nullable=True),
    Column("city", String(100), nullable=True),
    Column("province", String(100), nullable=True),
    Column("country", String(2), nullable=False, server_default="ES"),
    Column("email", String(254), nullable=True),
    Column("phone", String(25), nullable=True),
    Column("language", String(2), nullable=False, server_default="es"),
    # The patient this customer is (a person paying for their own sessions).
    Column("patient_id", String(36), nullable=True, unique=True),
    # For a patient's customer: the insurer who pays their sessions (None: they pay).
    Column("insurer_id", String(36), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_customers_search_name", "search_name"),
    Index("ix_customers_tax_id", "tax_id"),
)

# Patients as billing knows them, from events.patients (never an HTTP call to patients).
patients = Table(
    "patients",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("full_name", String(151), nullable=False),
    Column("tax_id", String(20), nullable=True),
    Column("email", String(254), nullable=True),
    Column("phone", String(25), nullable=True),
    Column("status", String(10), nullable=False),
    Column("preferred_locale", String(10), nullable=False),
    # The postal address an ordinary invoice to the patient prints (events since 2026-12).
    Column("address", String(300), nullable=True),
    Column("postal_code", String(10), nullable=True),
    Column("city", String(100), nullable=True),
    Column("province", String(100), nullable=True),
    Column("country", String(2), nullable=True),
    Column("entity_version", Integer, nullable=False, server_default="0"),
)

# The service catalogue: what the clinic charges for, per appointment type.
catalogue = Table(
    "catalogue",
    metadata,
    Column("code", String(30), primary_key=True),
    Column("name_es", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("price", Money(), nullable=False),
    Column("vat_rate", Percent(), nullable=False),
    # The exemption key (``health_care``) when the rate is 0.
    Column("exemption", String(20), nullable=True),
    # The scheduling appointment type whose completed sessions this item charges.
    Column("appointment_type", String(50), nullable=True, unique=True),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
)

# An insurer's agreed price for a catalogue item.
insurer_prices = Table(
    "insurer_prices",
    metadata,
    Column("insurer_id", String(36), primary_key=True),
    Column("service_code", String(30), primary_key=True),
    Column("price", Money(), nullable=False),
)

# Completed appointments waiting to be invoiced (one row per appointment, invoiced at most once).
billable_sessions = Table(
    "billable_sessions",
    metadata,
    Column("appointment_id", String(36), primary_key=True),
    Column("patient_id", String(36), nullable=False),
    Column("practitioner_id", String(36), nullable=False),
    Column("appointment_type", String(50), nullable=True),
    Column("service_code", String(30), nullable=True),
    Column("description", String(200), nullable=False),
    Column("starts_at", Timestamp, nullable=False),
    Column("price", Money(), nullable=False),
    Column("vat_rate", Percent(), nullable=False),
    Column("exemption", String(20), nullable=True),
    # The customer who pays (an insurer); None: the patient pays.
    Column("payer_id", String(36), nullable=True),
    # uninvoiced → invoiced (on a draft or an issued invoice); reversed when the completion
    # was undone before it was invoiced.
    Column("status", String(12), nullable=False),
    Column("invoice_id", String(36), nullable=True),
    Column("entity_version", Integer, nullable=False, server_default="0"),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_billable_sessions_patient", "patient_id", "status", "starts_at"),
    Index("ix_billable_sessions_payer", "payer_id", "status", "starts_at"),
    # Releasing a discarded draft's sessions finds them by invoice (an indexed, narrow lock).
    Index("ix_billable_sessions_invoice", "invoice_id"),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("series", String(1), nullable=False),
    # year, sequence and number are assigned together at issue (None on a draft).
    Column("year", Integer, nullable=True),
    Column("sequence", Integer, nullable=True),
    Column("number", String(11), nullable=True, unique=True),
    Column("status", String(15), nullable=False),
    Column("customer_id", String(36), nullable=True),
    Column("patient_id", String(36), nullable=True),
    # The customer as they were at issue (live copy while a draft), frozen afterwards.
    Column("customer_name", String(200), nullable=False),
    Column("customer_search", String(200), nullable=False),
    Column("customer_tax_id", String(20), nullable=True),
    Column("customer_address", Text, nullable=True),
    Column("customer_email", String(254), nullable=True),
    Column("language", String(2), nullable=False),
    # The clinic as it was at issue: a copy printed years later shows the same letterhead.
    Column("issuer_name", String(200), nullable=True),
    Column("issuer_tax_id", String(20), nullable=True),
    Column("issuer_address", Text, nullable=True),
    Column("issued_on", Date, nullable=True),
    Column("issued_at", Timestamp, nullable=True),
    Column("base", Money(), nullable=False),
    Column("tax", Money(), nullable=False),
    Column("total", Money(), nullable=False),
    Column("paid", Money(), nullable=False),
    Column("notes", Text, nullable=True),
    # A rectifying invoice: which one it corrects, how and why.
    Column("rectifies_id", String(36), nullable=True),
    Column("rectification_method", String(12), nullable=True),
    Column("reason_code", String(2), nullable=True),
    Column("reason", String(500), nullable=True),
    Column("rectified_base", Money(), nullable=True),
    Column("rectified_tax", Money(), nullable=True),
    Column("version", Integer, nullable=False),
    Column("created_by", String(36), nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    UniqueConstraint("series", "year", "sequence", name="uq_invoices_series_year_sequence"),
    # The list shows the newest first (``invoice_queries``): each filter's index ends with
    # (issued_at, created_at) and, as InnoDB ends every index with the primary key, with id,
    # so it is read backwards in the list's order and stops after a page. The unfiltered one
    # also holds the folded name: a search by name reads it alone, never the rows.
    Index("ix_invoices_issued", "issued_at", "created_at", "id", "customer_search"),
    Index("ix_invoices_status_issued", "status", "issued_at", "created_at"),
    Index("ix_invoices_series", "series", "issued_at", "created_at"),
    Index("ix_invoices_customer", "customer_id", "issued_at", "created_at"),
    Index("ix_invoices_patient", "patient_id", "issued_at", "created_at"),
    Index("ix_invoices_issued_on", "issued_on"),
    Index("ix_invoices_rectifies", "rectifies_id"),
)

# The search by name's index (``invoice_name_words``): one row per word of an issued invoice's
# folded name, in the list's order within each word, with the whole name to test the search's
# other words without reading the invoice. Written once at issue; issued names never change.
invoice_name_words = Table(
    "invoice_name_words",
    metadata,
    Column("word", String(200), primary_key=True),
    Column("issued_at", Timestamp, primary_key=True),
    Column("created_at", Timestamp, primary_key=True),
    Column("invoice_id", String(36), primary_key=True),
    Column("customer_search", String(200), nullable=False),
)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("invoice_id", String(36), nullable=False),
    Column("position", Integer, nullable=False),
    Column("description", String(500), nullable=False),
    Column("quantity", Quantity(), nullable=False),
    Column("unit_price", Money(), nullable=False),
    Column("discount_percent", Percent(), nullable=False),
    Column("vat_rate", Percent(), nullable=False),
    Column("exemption", String(20), nullable=True),
    Column("amount", Money(), nullable=False),
    # The billable session (appointment id) this line charges, if any.
    Column("session_id", String(36), nullable=True),
    UniqueConstraint("invoice_id", "position", name="uq_invoice_lines_position"),
)

payments = Table(
    "payments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("invoice_id", String(36), nullable=False, index=True),
    Column("amount", Money(), nullable=False),
    Column("method", String(10), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("created_by", String(36), nullable=True),
    Column("created_at", Timestamp, nullable=False),
)

# The last number of each series, locked FOR UPDATE by the transaction that issues (gapless:
# a rollback gives the number back, which AUTO_INCREMENT or a sequence would not).
counters = Table(
    "counters",
    metadata,
    Column("series", String(1), primary_key=True),
    Column("year", Integer, nullable=False),
    Column("last_sequence", Integer, nullable=False),
    Column("last_issued_on", Date, nullable=True),
    # The moment of the latest issue: the next is never stamped earlier (see issuing.issue_next).
    Column("last_issued_at", Timestamp, nullable=True),
)

# The head of each issuer's Verifactu chain, locked with the counter while a record is added.
chain_heads = Table(
    "chain_heads",
    metadata,
    Column("issuer_tax_id", String(20), primary_key=True),
    Column("last_position", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

# Verifactu registration (alta) records, one per issued invoice, chained by hash.
verifactu_records = Table(
    "verifactu_records",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("issuer_tax_id", String(20), nullable=False),
    Column("position", Integer, nullable=False),
    Column("invoice_id", String(36), nullable=False, unique=True),
    Column("number", String(11), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("invoice_type", String(2), nullable=False),
    Column("tax_total", Money(), nullable=False),
    Column("total", Money(), nullable=False),
    # Exactly as hashed: ISO-8601 with the offset, seconds precision.
    Column("generated_at", String(32), nullable=False),
    Column("previous_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("issuer_tax_id", "position", name="uq_verifactu_records_chain"),
)

outbox = outbox_table(metadata)
processed_events = processed_events_table(metadata)
idempotency_keys = idempotency_table(metadata)
