"""Transactional outbox: events are rows written in the same transaction as the change.

Services add :func:`outbox_table` and :func:`processed_events_table` to their own
``MetaData`` (and so to their Alembic migrations), and build one :class:`OutboxWriter` for
their stream in their composition root. A use case calls ``events.add(session, payload)``
inside its one transaction; the :class:`~clinic_shared.events.relay.OutboxRelay` of that
table is woken right after the commit and publishes the rows to Redis.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text, event, insert
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.dml import Insert

from clinic_shared.clock import utcnow
from clinic_shared.db import AutoId, LongText, Timestamp
from clinic_shared.events.envelope import EventEnvelope, new_envelope
from clinic_shared.events.wakeup import notify
from clinic_shared.write_batch import WriteBatch

if TYPE_CHECKING:
    from clinic_shared.contracts.base import EventPayload

# Key in Session.info holding the outbox tables written in the current transaction.
_PENDING_KEY = "clinic_shared.events.outbox_tables"


def outbox_table(metadata: MetaData, name: str = "outbox") -> Table:
    """The outbox table (one row per event to publish) added to ``metadata``."""
    return Table(
        name,
        metadata,
        Column("id", AutoId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("stream", String(100), nullable=False),
        Column("event_type", String(100), nullable=False),
        Column("payload", LongText, nullable=False),
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


@dataclass(frozen=True)
class OutboxWriter:
    """One service's way to emit: its outbox table, its stream and its producer name."""

    table: Table
    stream: str
    producer: str

    def add(self, session: Session | WriteBatch, payload: EventPayload) -> EventEnvelope:
        """Queue ``payload`` (a contract instance) in ``session``'s transaction (or its batch).

        The event type comes from the contract registry, so a payload can only be emitted
        as the event its class documents.
        """
        # Imported here: the contracts import the envelope from this package.
        from clinic_shared.contracts import event_type_of

        return add_event(
            session,
            self.table,
            stream=self.stream,
            type=event_type_of(payload),
            data=payload.to_data(),
            producer=self.producer,
        )


def add_event(
    session: Session | WriteBatch,
    table: Table,
    *,
    stream: str,
    type: str,
    data: Mapping[str, Any],
    producer: str,
    version: int = 1,
) -> EventEnvelope:
    """Insert an event into the outbox within ``session``'s transaction; published after commit.

    The low-level form :class:`OutboxWriter` uses; services emit through their writer.
    """
    envelope = new_envelope(type, data, producer, version)
    values = {
        "event_id": envelope.id,
        "stream": stream,
        "event_type": envelope.type,
        "payload": envelope.to_json(),
        "created_at": utcnow(),
        "attempts": 0,
    }
    session.execute(_insert_into(table), values)
    pending: set[Table] = session.info.setdefault(_PENDING_KEY, set())
    pending.add(table)
    return envelope


@functools.cache
def _insert_into(table: Table) -> Insert:
    """One INSERT per outbox table, given its values per call (a batch compiles it once)."""
    return insert(table)


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
