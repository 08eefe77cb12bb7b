"""Applying one event exactly once: the handler and the processed-event mark share a transaction."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Table, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic_shared.clock import utcnow
from clinic_shared.events.envelope import EventEnvelope

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
        if processed_table is not None:
            # Mark before the handler, as apply_once does: both lock the processed row first,
            # so a replay racing the live consumer over one event queues instead of deadlocking.
            try:
                with session.begin_nested():
                    session.execute(
                        insert(processed_table).values(
                            event_id=envelope.id, consumer=consumer, handled_at=utcnow()
                        )
                    )
            except IntegrityError:
                pass  # processed before: a replay applies it again all the same
        handler(session, envelope)
        session.commit()
