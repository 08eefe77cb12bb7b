"""Appointment events into the outbox, in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_scheduling.domain.appointments import Appointment
from clinic_scheduling.infrastructure.tables import outbox
from clinic_shared.contracts.scheduling import (
    APPOINTMENT_CANCELLED,
    APPOINTMENT_COMPLETED,
    APPOINTMENT_NO_SHOW,
    APPOINTMENT_RESCHEDULED,
    PRODUCER,
    AppointmentData,
)
from clinic_shared.events import add_event

STATUS_EVENTS = {
    "cancelled": APPOINTMENT_CANCELLED,
    "completed": APPOINTMENT_COMPLETED,
    "no_show": APPOINTMENT_NO_SHOW,
    "scheduled": APPOINTMENT_RESCHEDULED,
}


def payload(appointment: Appointment) -> AppointmentData:
    """The shared state of ``appointment`` as the contract defines it."""
    return AppointmentData(
        appointment_id=appointment.id,
        practitioner_id=appointment.practitioner_id,
        patient_id=appointment.patient_id,
        kind=appointment.kind,
        type=appointment.type,
        status=appointment.status,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        series_id=appointment.series_id,
    )


def publish(session: Session, stream: str, event_type: str, appointment: Appointment) -> None:
    """Queue ``event_type`` about ``appointment`` on ``stream``."""
    add_event(
        session,
        outbox,
        stream=stream,
        type=event_type,
        data=payload(appointment).to_data(),
        producer=PRODUCER,
    )
