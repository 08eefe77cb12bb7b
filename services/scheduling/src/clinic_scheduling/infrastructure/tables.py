"""The scheduling schema (MariaDB and SQLite); the Alembic migration is its frozen copy."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
)

from clinic_shared.db import AutoId, Timestamp
from clinic_shared.events import outbox_table, processed_events_table
from clinic_shared.idempotency import idempotency_table

metadata = MetaData()

practitioners = Table(
    "practitioners",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("color", String(7), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("is_practitioner", Boolean, nullable=False),
    Column("email", String(254), nullable=False),
    # The version of the practitioner's weekly template (its ETag; PUT needs If-Match).
    Column("working_hours_version", Integer, nullable=False, server_default="0"),
    # The user's version (identity's row version) this row holds; older events are ignored.
    Column("entity_version", Integer, nullable=False, server_default="0"),
)

patients = Table(
    "patients",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("full_name", String(151), nullable=False),
    Column("phone", String(25), nullable=True),
    Column("status", String(10), nullable=False),
    # The patient's version (patients' row version) this row holds; older events are ignored.
    Column("entity_version", Integer, nullable=False, server_default="0"),
)

appointment_types = Table(
    "appointment_types",
    metadata,
    Column("code", String(50), primary_key=True),
    Column("name_es", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    Column("color", String(7), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
)

appointments = Table(
    "appointments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("practitioner_id", String(36), nullable=False),
    Column("patient_id", String(36), nullable=True),
    Column("kind", String(12), nullable=False),
    Column("type", String(50), nullable=True),
    Column("status", String(12), nullable=False),
    # UTC without tzinfo, as DATETIME stores it on both backends.
    Column("starts_at", Timestamp, nullable=False),
    Column("ends_at", Timestamp, nullable=False),
    Column("title", String(200), nullable=True),
    Column("notes", Text, nullable=True),
    Column("series_id", String(36), nullable=True),
    Column("version", Integer, nullable=False),
    # patient / clinic / late, exactly when the status is cancelled (NULL for older rows).
    Column("cancellation_reason", String(10), nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_appointments_practitioner_time", "practitioner_id", "starts_at", "ends_at"),
    Index("ix_appointments_patient_time", "patient_id", "starts_at"),
    Index("ix_appointments_starts_at", "starts_at"),
)

working_periods = Table(
    "working_periods",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("practitioner_id", String(36), nullable=False, index=True),
    Column("weekday", Integer, nullable=False),
    Column("start_time", Time, nullable=False),
    Column("end_time", Time, nullable=False),
)

absences = Table(
    "absences",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("practitioner_id", String(36), nullable=False),
    Column("starts_at", Timestamp, nullable=False),
    Column("ends_at", Timestamp, nullable=False),
    Column("reason", String(200), nullable=True),
    Index("ix_absences_practitioner_time", "practitioner_id", "starts_at"),
)

outbox = outbox_table(metadata)
processed_events = processed_events_table(metadata)
idempotency_keys = idempotency_table(metadata)
