"""The consumer of identity's and patients' streams, feeding the read models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clinic_scheduling.application.read_models import apply_patient, apply_user
from clinic_scheduling.infrastructure.tables import processed_events
from clinic_shared.contracts import identity, patients
from clinic_shared.events import EventHandler

if TYPE_CHECKING:
    from clinic_scheduling.bootstrap import SchedulingServices
    from clinic_shared.events.consumer import EventConsumer

# Every event of both contexts carries the full state, so one upsert handles each context.
HANDLERS: dict[str, EventHandler] = {
    **dict.fromkeys(identity.CONTRACTS, apply_user),
    **dict.fromkeys(patients.CONTRACTS, apply_patient),
}


def build_consumer(services: SchedulingServices) -> EventConsumer:
    """Group ``scheduling`` on both streams, created from id 0 so history is read."""
    # Imported here: FastStream takes a second to load, and the CLI's migrate needs none of it.
    from clinic_shared.events.consumer import EventConsumer

    settings = services.settings
    return EventConsumer(
        service=settings.service_name,
        redis_url=settings.redis_url,
        session_factory=services.sessions,
        processed_table=processed_events,
        streams=[settings.identity_stream, settings.patients_stream],
        handlers=HANDLERS,
    )
