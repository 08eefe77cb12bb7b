"""The patients service's tables: patients, search index, appointments, events, idempotency."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from clinic_patients.normalize import MAX_TOKEN_LENGTH, NAME_KEY_LENGTH
from clinic_shared.db import Timestamp
from clinic_shared.events.outbox import outbox_table, processed_events_table
from clinic_shared.idempotency import idempotency_table

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def BinaryString(length: int) -> TypeEngine[str]:  # noqa: N802 - used like a type
    """A string compared byte by byte (code point order) on MariaDB, as SQLite always does."""
    return String(length).with_variant(
        mysql.VARCHAR(length, collation="utf8mb4_nopad_bin"), "mysql", "mariadb"
    )


class Base(DeclarativeBase):
    """Declarative base bound to the patients metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Patient(Base):
    """A patient of the clinic (never deleted: clinical records must be kept)."""

    __tablename__ = "patients"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(50))
    last_name: Mapped[str] = mapped_column(String(100))
    # " garcia nunez ! jose ": the folded names (see search.index.IndexedName), which sort
    # by surnames then first name and answer ``LIKE '% word %'`` word tests.
    name_key: Mapped[str] = mapped_column(BinaryString(NAME_KEY_LENGTH))
    # Normalised (upper case, no separators): unique, and searched by prefix.
    tax_id: Mapped[str | None] = mapped_column(BinaryString(20), unique=True)
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    sex: Mapped[str | None] = mapped_column(String(6))
    email: Mapped[str | None] = mapped_column(BinaryString(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(25))
    phone_digits: Mapped[str | None] = mapped_column(BinaryString(20), index=True)
    address_street: Mapped[str | None] = mapped_column(String(200))
    address_city: Mapped[str | None] = mapped_column(String(100))
    address_postal_code: Mapped[str | None] = mapped_column(String(10))
    address_province: Mapped[str | None] = mapped_column(String(100))
    address_country: Mapped[str | None] = mapped_column(String(2))
    occupation: Mapped[str | None] = mapped_column(String(100))
    referral_source: Mapped[str | None] = mapped_column(String(100))
    emergency_contact_name: Mapped[str | None] = mapped_column(String(100))
    emergency_contact_phone: Mapped[str | None] = mapped_column(String(25))
    notes: Mapped[str | None] = mapped_column(Text)
    preferred_locale: Mapped[str] = mapped_column(String(5))
    data_consent_at: Mapped[datetime | None] = mapped_column(Timestamp)
    status: Mapped[str] = mapped_column(String(10))
    last_visit_at: Mapped[datetime | None] = mapped_column(Timestamp)
    next_appointment_at: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, index=True)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)
    version: Mapped[int] = mapped_column(Integer)

    # Every UPDATE checks and bumps the version: a concurrent edit fails instead of winning.
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_patients_name_order", "name_key", "id"),
        Index("ix_patients_status_name_order", "status", "name_key", "id"),
    )

    @property
    def full_name(self) -> str:
        """First name and surnames, as shown everywhere."""
        return f"{self.first_name} {self.last_name}"

    @property
    def active(self) -> bool:
        """Whether the patient is active."""
        return self.status == "active"


# One row per distinct prefix of each of a patient's name words ('g', 'ga', …, 'garcia'),
# ``whole_word`` when the prefix is a whole word of theirs. Clustered by term and then by the
# patient's name key, so the patients matching a word are read already in list order (a page
# of results is one short index range, however many patients share the word), and the row's
# own name key answers whether the patient also has the query's other words.
search_terms = Table(
    "patient_search_terms",
    Base.metadata,
    Column("term", BinaryString(MAX_TOKEN_LENGTH), nullable=False),
    Column("whole_word", Boolean, nullable=False),
    Column("name_key", BinaryString(NAME_KEY_LENGTH), nullable=False),
    Column("patient_id", String(36), nullable=False),
    Column("active", Boolean, nullable=False),
    PrimaryKeyConstraint("term", "whole_word", "name_key", "patient_id"),
    sqlite_with_rowid=False,
)

# The vocabulary of distinct name words, by trigram, for typo-tolerant search. Names repeat a
# lot, so it stays small (thousands of words for 100k patients). Words are never removed on
# write (a word nobody has any more simply finds nobody); rebuild-search-index prunes them.
name_trigrams = Table(
    "patient_name_trigrams",
    Base.metadata,
    Column("trigram", BinaryString(3), nullable=False),
    Column("word_length", SmallInteger, nullable=False),
    Column("word", BinaryString(MAX_TOKEN_LENGTH), nullable=False),
    PrimaryKeyConstraint("trigram", "word_length", "word"),
    sqlite_with_rowid=False,
)

# Scheduling's appointments as far as patients care (from appointment.* events): each row is
# the latest full state seen, so lastVisitAt/nextAppointmentAt are recomputed from it whatever
# order the events arrive in. ``event_at`` (the event's occurredAt) keeps an older event from
# overwriting a newer state.
patient_appointments = Table(
    "patient_appointments",
    Base.metadata,
    Column("appointment_id", String(36), primary_key=True),
    Column("patient_id", String(36), nullable=True),
    Column("starts_at", Timestamp, nullable=False),
    Column("ends_at", Timestamp, nullable=False),
    Column("status", String(10), nullable=False),
    Column("event_at", Timestamp, nullable=False),
    # The appointment's version (scheduling's row version) this row holds; 0 when the events
    # predate versions, which then fall back to event_at ordering.
    Column("entity_version", Integer, nullable=False, server_default="0"),
    Index("ix_patient_appointments_patient", "patient_id", "status", "starts_at"),
)

outbox = outbox_table(Base.metadata)
processed_events = processed_events_table(Base.metadata)
# The first answers of POSTs sent with an Idempotency-Key (see clinic_shared.idempotency).
idempotency_keys = idempotency_table(Base.metadata)
