"""The consumer of patients' and scheduling's streams: the patient read model, billable sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clinic_billing.application.billable_sessions import apply_appointment
from clinic_billing.application.read_models import apply_patient
from clinic_billing.infrastructure.tables import processed_events
from clinic_shared.contracts import patients, scheduling
from clinic_shared.events import EventHandler

if TYPE_CHECKING:
    from clinic_billing.bootstrap import BillingServices
    from clinic_shared.events.consumer import EventConsumer

# Every event of both contexts carries the full state, so one handler serves each context.
HANDLERS: dict[str, EventHandler] = {
    **dict.fromkeys(patients.CONTRACTS, apply_patient),
    **dict.fromkeys(scheduling.CONTRACTS, apply_appointment),
}


def build_consumer(services: BillingServices) -> EventConsumer:
    """Group ``billing`` on both streams, created from id 0 so history is read."""
    # Imported here: FastStream takes a second to load, and the CLI's migrate needs none of it.
    from clinic_shared.events.consumer import EventConsumer

    settings = services.settings
    return EventConsumer(
        service=settings.service_name,
        redis_url=settings.redis_url,
        session_factory=services.sessions,
        processed_table=processed_events,
        streams=[settings.patients_stream, settings.scheduling_stream],
        handlers=HANDLERS,
    )
