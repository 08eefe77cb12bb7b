"""The consumer of identity's and patients' streams, feeding the read models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from clinic_scheduling.application.read_models import HANDLERS
from clinic_scheduling.config import SchedulingSettings
from clinic_scheduling.infrastructure.tables import processed_events

if TYPE_CHECKING:
    from clinic_shared.events.consumer import EventConsumer


def build_consumer(
    settings: SchedulingSettings, session_factory: sessionmaker[Session]
) -> EventConsumer:
    """Group ``scheduling`` on both streams, created from id 0 so history is read."""
    # Imported here: FastStream takes a second to load, and the CLI's migrate needs none of it.
    from clinic_shared.events.consumer import EventConsumer

    return EventConsumer(
        service=settings.service_name,
        redis_url=settings.redis_url,
        session_factory=session_factory,
        processed_table=processed_events,
        streams=[settings.identity_stream, settings.patients_stream],
        handlers=HANDLERS,
    )
