"""The records schema (MariaDB and SQLite); the Alembic migration is its frozen copy.

Clinical text columns (SOAP sections, amendment text, episode and discharge reasons, the
answers and scores of outcome measures) hold
``crypto.Cipher`` values, never plain text. Signed entries and amendments are written once;
no route deletes anything, and the read audit is append-only (a MariaDB trigger refuses
UPDATE and DELETE on it).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Index, Integer, MetaData, String, Table, Text

from clinic_shared.db import AutoId, Timestamp
from clinic_shared.events import outbox_table, processed_events_table
from clinic_shared.idempotency import idempotency_table

metadata = MetaData()

# Patients as records knows them, from events.patients (never an HTTP call to patients).
patients = Table(
    "patients",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("full_name", String(151), nullable=False),
    Column("status", String(10), nullable=False),
    Column("entity_version", Integer, nullable=False, server_default="0"),
)

# Staff from events.identity; ``is_practitioner`` while they hold ROLE_PRACTITIONER.
practitioners = Table(
    "practitioners",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("is_practitioner", Boolean, nullable=False),
    Column("entity_version", Integer, nullable=False, server_default="0"),
)

episodes = Table(
    "episodes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("patient_id", String(36), nullable=False),
    Column("practitioner_id", String(36), nullable=False),
    Column("reason", Text, nullable=False),  # encrypted
    Column("body_region", String(50), nullable=True),
    Column("opened_on", Date, nullable=False),
    Column("discharged_on", Date, nullable=True),
    Column("discharge_reason", Text, nullable=True),  # encrypted
    Column("version", Integer, nullable=False),
    Column("created_by", String(36), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_episodes_patient", "patient_id", "opened_on"),
)

entries = Table(
    "entries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("patient_id", String(36), nullable=False),
    Column("episode_id", String(36), nullable=True),
    Column("appointment_id", String(36), nullable=True),
    Column("type", String(12), nullable=False),
    Column("entry_date", Date, nullable=False),
    Column("status", String(8), nullable=False),
    Column("author_id", String(36), nullable=False),
    # The SOAP sections, encrypted (None: left empty).
    Column("subjective", Text, nullable=True),
    Column("objective", Text, nullable=True),
    Column("assessment", Text, nullable=True),
    Column("plan", Text, nullable=True),
    Column("pain_vas", Integer, nullable=True),
    Column("signed_by", String(36), nullable=True),
    Column("signed_at", Timestamp, nullable=True),
    Column("version", Integer, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    # The timeline: a patient's entries newest first, read backwards along this index.
    Index("ix_entries_timeline", "patient_id", "entry_date", "created_at"),
    Index("ix_entries_episode", "episode_id"),
    Index("ix_entries_appointment", "appointment_id"),
)

# Signed corrections of a signed entry; the entry itself never changes.
amendments = Table(
    "amendments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("entry_id", String(36), nullable=False),
    Column("author_id", String(36), nullable=False),
    Column("text", Text, nullable=False),  # encrypted
    Column("signed_at", Timestamp, nullable=False),
    Index("ix_amendments_entry", "entry_id", "signed_at"),
)

# Outcome measures: the instrument and day stay plain (to filter and order a chart); the
# answers and the scores are health data, sealed together in ``data`` (``measures.data:<id>``).
measures = Table(
    "measures",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("patient_id", String(36), nullable=False),
    Column("episode_id", String(36), nullable=True),
    Column("instrument", String(12), nullable=False),
    Column("taken_on", Date, nullable=False),
    Column("taken_by", String(36), nullable=False),
    Column("data", Text, nullable=False),  # encrypted JSON: answers, score, percent, counts
    Column("created_at", Timestamp, nullable=False),
    Index("ix_measures_patient", "patient_id", "taken_on"),
    Index("ix_measures_episode", "episode_id", "taken_on"),
)

# Completed appointments from events.scheduling; a row without ``note_entry_id`` is a session
# without a note. ``status`` becomes ``undone`` when the completion is reverted.
sessions = Table(
    "sessions",
    metadata,
    Column("appointment_id", String(36), primary_key=True),
    Column("practitioner_id", String(36), nullable=False),
    Column("patient_id", String(36), nullable=True),
    Column("starts_at", Timestamp, nullable=False),
    Column("status", String(10), nullable=False),
    Column("note_entry_id", String(36), nullable=True),
    Column("entity_version", Integer, nullable=False, server_default="0"),
    Index("ix_sessions_practitioner", "practitioner_id", "status", "starts_at"),
)

# Who read whose clinical content, when (append-only).
read_audit = Table(
    "read_audit",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("user_id", String(36), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("patient_id", String(36), nullable=True),
    Column("action", String(30), nullable=False),
    Column("resource_id", String(36), nullable=True),
    Column("read_at", Timestamp, nullable=False),
    Column("request_id", String(128), nullable=True),
    Index("ix_read_audit_patient", "patient_id", "read_at"),
    Index("ix_read_audit_user", "user_id", "read_at"),
    Index("ix_read_audit_read_at", "read_at"),
)

outbox = outbox_table(metadata)
processed_events = processed_events_table(metadata)
idempotency_keys = idempotency_table(metadata)
