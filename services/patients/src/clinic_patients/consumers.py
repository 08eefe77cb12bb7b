"""Events the patients service consumes: scheduling's ``appointment.*``, for last/next visit.

Scheduling publishes no appointment events yet, so no handler is registered and the
consumer is not started: ``lastVisitAt`` and ``nextAppointmentAt`` stay null until then.
When the contracts exist, a handler per event type goes into ``HANDLERS`` (each runs in one
transaction with the processed-event mark, so redeliveries are skipped); the consumer
group is created from the start of the stream, so the read model fills from history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from clinic_patients.config import PatientsSettings
from clinic_patients.models import processed_events
from clinic_shared.events import EventHandler

if TYPE_CHECKING:
    from clinic_shared.events.consumer import EventConsumer

HANDLERS: dict[str, EventHandler] = {}


def build_consumer(
    settings: PatientsSettings,
    session_factory: sessionmaker[Session],
    handlers: dict[str, EventHandler] | None = None,
) -> EventConsumer | None:
    """The consumer of scheduling's stream, or None while there is nothing to handle."""
    handlers = HANDLERS if handlers is None else handlers
    if not handlers:
        return None
    # Imported here: FastStream takes a second to load, and nothing needs it yet.
    from clinic_shared.events.consumer import EventConsumer

    return EventConsumer(
        service=settings.service_name,
        redis_url=settings.redis_url,
        session_factory=session_factory,
        processed_table=processed_events,
        streams=[settings.scheduling_stream],
        handlers=handlers,
    )
