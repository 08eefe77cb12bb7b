"""Transactional outbox: events are rows written in the same transaction as the change.

Services add :func:`outbox_table` and :func:`processed_events_table` to their own
``MetaData`` (and so to their Alembic migrations). A use case calls :func:`add_event`
inside its one transaction; the :class:`~clinic_shared.events.relay.OutboxRelay` of that
table is woken right after the commit and publishes the rows to Redis.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    insert,
)
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from clinic_shared.events.envelope import EventEnvelope, new_envelope
from clinic_shared.events.wakeup import notify

# Key in Session.info holding the outbox tables written in the current transaction.
_PENDING_KEY = "clinic_shared.events.outbox_tables"

# MariaDB's plain DATETIME drops fractions of a second; keep microseconds.
Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
# Envelopes are small, but TEXT's 64 KiB cap on MariaDB is not worth the risk.
PayloadText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
# SQLite only auto-increments an INTEGER PRIMARY KEY, not a BIGINT one.
AutoId = BigInteger().with_variant(sqlite.INTEGER(), "sqlite")


def utcnow() -> datetime:
    """Now in UTC without tzinfo: the form DATETIME columns store on MariaDB and SQLite."""
    return datetime.now(UTC).replace(tzinfo=None)


def outbox_table(metadata: MetaData, name: str = "outbox") -> Table:
    """The outbox table (one row per event to publish) added to ``metadata``."""
    return Table(
        name,
        metadata,
        Column("id", AutoId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("stream", String(100), nullable=False),
        Column("event_type", String(100), nullable=False),
        Column("payload", PayloadText, nullable=False),
        Column("created_at", Timestamp, nullable=False),
        Column("published_at", Timestamp, nullable=True),
        Column("attempts", Integer, nullable=False, default=0, server_default="0"),
        Column("last_error", Text, nullable=True),
        Index(f"ix_{name}_pending", "published_at", "id"),
    )


def processed_events_table(metadata: MetaData, name: str = "processed_events") -> Table:
    """The consumer-side table of handled event ids (idempotence) added to ``metadata``.

    Keyed by event id alone: one table per consumer group, i.e. per :class:`EventConsumer`.
    """
    return Table(
        name,
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("consumer", String(100), nullable=False),
        Column("handled_at", Timestamp, nullable=False),
    )


def add_event(
    session: Session,
    table: Table,
    *,
    stream: str,
    type: str,
    data: Mapping[str, Any],
    producer: str,
    version: int = 1,
) -> EventEnvelope:
    """Insert an event into the outbox within ``session``'s transaction; published after commit."""
    envelope = new_envelope(type, data, producer, version)
    session.execute(
        insert(table).values(
            event_id=envelope.id,
            stream=stream,
            event_type=envelope.type,
            payload=envelope.to_json(),
            created_at=utcnow(),
            attempts=0,
        )
    )
    pending: set[Table] = session.info.setdefault(_PENDING_KEY, set())
    pending.add(table)
    return envelope


@event.listens_for(Session, "after_commit")
def _wake_relays_after_commit(session: Session) -> None:
    for table in session.info.pop(_PENDING_KEY, ()):
        notify(table)


@event.listens_for(Session, "after_transaction_end")
def _forget_after_rollback(session: Session, transaction: SessionTransaction) -> None:
    # Runs after after_commit too; only a rolled-back outermost transaction still has
    # tables here, and its rows are gone, so there is nothing to wake anyone for.
    if transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)
