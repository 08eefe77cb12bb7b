"""Which contract each appointment change is published as, and its payload."""

from __future__ import annotations

from typing import Any

from clinic_scheduling.domain.appointments import Appointment, Status
from clinic_shared.contracts.scheduling import (
    AppointmentArrived,
    AppointmentCancelled,
    AppointmentCompleted,
    AppointmentData,
    AppointmentNoShow,
    AppointmentRescheduled,
)

# A change of status is published as the new status; back to scheduled (an undone no-show)
# as a rescheduling, which carries the full state like every appointment event.
STATUS_EVENTS: dict[Status, type[AppointmentData]] = {
    "arrived": AppointmentArrived,
    "cancelled": AppointmentCancelled,
    "completed": AppointmentCompleted,
    "no_show": AppointmentNoShow,
    "scheduled": AppointmentRescheduled,
}


def appointment_event(contract: type[AppointmentData], appointment: Appointment) -> AppointmentData:
    """``contract`` about ``appointment``: the shared state every appointment event carries."""
    if contract is AppointmentCancelled:
        return AppointmentCancelled(
            **_shared_state(appointment), cancellation_reason=appointment.cancellation_reason
        )
    return contract(**_shared_state(appointment))


def _shared_state(appointment: Appointment) -> dict[str, Any]:
    return dict(
        appointment_id=appointment.id,
        practitioner_id=appointment.practitioner_id,
        patient_id=appointment.patient_id,
        kind=appointment.kind,
        type=appointment.type,
        status=appointment.status,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        series_id=appointment.series_id,
        entity_version=appointment.version,
    )
