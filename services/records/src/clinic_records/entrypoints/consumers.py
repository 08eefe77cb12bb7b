"""The consumer of identity's, patients' and scheduling's streams: records' read models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clinic_records.application.read_models import apply_appointment, apply_patient, apply_user
from clinic_records.infrastructure.tables import processed_events
from clinic_shared.contracts import identity, patients, scheduling
from clinic_shared.events import EventHandler

if TYPE_CHECKING:
    from clinic_records.bootstrap import RecordsServices
    from clinic_shared.events.consumer import EventConsumer

# Every event of these contexts carries the full state, so one handler serves each context.
HANDLERS: dict[str, EventHandler] = {
    **dict.fromkeys(identity.CONTRACTS, apply_user),
    **dict.fromkeys(patients.CONTRACTS, apply_patient),
    **dict.fromkeys(scheduling.CONTRACTS, apply_appointment),
}


def build_consumer(services: RecordsServices) -> EventConsumer:
    """Group ``records`` on the three streams, created from id 0 so history is read."""
    # Imported here: FastStream takes a second to load, and the CLI's migrate needs none of it.
    from clinic_shared.events.consumer import EventConsumer

    settings = services.settings
    return EventConsumer(
        service=settings.service_name,
        redis_url=settings.redis_url,
        session_factory=services.sessions,
        processed_table=processed_events,
        streams=[settings.identity_stream, settings.patients_stream, settings.scheduling_stream],
        handlers=HANDLERS,
    )
