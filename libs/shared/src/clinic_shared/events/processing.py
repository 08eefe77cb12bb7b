"""Applying one event exactly once: the handler and the processed-event mark share a transaction."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic_shared.events.envelope import EventEnvelope
from clinic_shared.events.outbox import utcnow

EventHandler = Callable[[Session, EventEnvelope], None]
SessionFactory = Callable[[], Session]


def apply_once(
    session_factory: SessionFactory,
    processed_table: Table,
    consumer: str,
    envelope: EventEnvelope,
    handler: EventHandler,
) -> bool:
    """Run ``handler`` and record the event id in one transaction; False if already processed."""
    with session_factory() as session:
        try:
            # Marking first makes a concurrent duplicate wait on this row's lock and then
            # fail here, before its handler has touched anything.
            session.execute(
                insert(processed_table).values(
                    event_id=envelope.id, consumer=consumer, handled_at=utcnow()
                )
            )
        except IntegrityError:
            session.rollback()
            return False
        handler(session, envelope)
        session.commit()
    return True


def apply_and_mark(
    session_factory: SessionFactory,
    processed_table: Table | None,
    consumer: str,
    envelope: EventEnvelope,
    handler: EventHandler,
) -> None:
    """Run ``handler`` even if the event was processed before (replay), marking it if not."""
    with session_factory() as session:
        handler(session, envelope)
        if processed_table is not None:
            seen = session.execute(
                select(processed_table.c.event_id).where(processed_table.c.event_id == envelope.id)
            ).first()
            if seen is None:
                session.execute(
                    insert(processed_table).values(
                        event_id=envelope.id, consumer=consumer, handled_at=utcnow()
                    )
                )
        session.commit()
