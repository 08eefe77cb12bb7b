"""Events the patients service consumes: scheduling's ``appointment.*``, for last/next visit.

Every appointment event carries the appointment's full state, so one handler serves them all:
it upserts the local copy and recomputes the patient's visits (see :mod:`visits`). Each runs in
one transaction with the processed-event mark, so redeliveries are skipped; the consumer group
is created from the start of the stream, so the read model fills from history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from clinic_patients.models import processed_events
from clinic_patients.visits import record_appointment
from clinic_shared.contracts import scheduling
from clinic_shared.events import EventEnvelope, EventHandler

if TYPE_CHECKING:
    from clinic_patients.bootstrap import PatientsServices
    from clinic_shared.events.consumer import EventConsumer


def on_appointment_event(db: Session, envelope: EventEnvelope) -> None:
    """Keep the appointment's latest state and the affected patients' last/next visit."""
    # All appointment.* contracts share AppointmentData's shape: the type adds no fields.
    appointment = scheduling.AppointmentData.model_validate(envelope.data)
    record_appointment(db, appointment, envelope.occurred_at)


HANDLERS: dict[str, EventHandler] = dict.fromkeys(scheduling.CONTRACTS, on_appointment_event)


def build_consumer(
    services: PatientsServices, handlers: dict[str, EventHandler] | None = None
) -> EventConsumer | None:
    """The consumer of scheduling's stream (None without handlers; tests pass their own)."""
    handlers = HANDLERS if handlers is None else handlers
    if not handlers:
        return None
    # Imported here: FastStream takes a second to load, and the CLI never needs it.
    from clinic_shared.events.consumer import EventConsumer

    settings = services.settings
    return EventConsumer(
        service=settings.service_name,
        redis_url=settings.redis_url,
        session_factory=services.sessions,
        processed_table=processed_events,
        streams=[settings.scheduling_stream],
        handlers=handlers,
    )
