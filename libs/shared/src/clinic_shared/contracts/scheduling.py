"""Events the scheduling service publishes on ``events.scheduling``.

Every appointment event carries the appointment's full shared state, so a consumer (patients,
for lastVisitAt/nextAppointmentAt) can upsert from any single event; ``entityVersion`` (the
appointment row's version) says which of two states is newer, so a late or redelivered event
never overwrites a newer one.
Times are ISO-8601 in UTC. ``patientId`` is null only for empty slots and blocks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from clinic_shared.contracts.base import EntityVersion, EventPayload

PRODUCER = "scheduling"
STREAM = "events.scheduling"

APPOINTMENT_BOOKED = "appointment.booked"
APPOINTMENT_RESCHEDULED = "appointment.rescheduled"
APPOINTMENT_CANCELLED = "appointment.cancelled"
APPOINTMENT_COMPLETED = "appointment.completed"
APPOINTMENT_NO_SHOW = "appointment.no_show"
APPOINTMENT_ARRIVED = "appointment.arrived"

_EXAMPLE_APPOINTMENT: dict[str, Any] = {
    "appointmentId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "practitionerId": "5b0f7c52-9a43-4c1e-8d0e-3f1b2a6c9d10",
    "patientId": "0f8d3c2a-6b1e-4f5a-9c7d-2e4b6a8c0d12",
    "kind": "appointment",
    "type": "follow_up",
    "status": "scheduled",
    "startsAt": "2027-03-29T07:00:00Z",
    "endsAt": "2027-03-29T07:45:00Z",
    "seriesId": None,
    "entityVersion": 1,
}


class AppointmentData(EventPayload):
    """An appointment's state as other contexts may keep it."""

    appointment_id: UUID
    practitioner_id: UUID
    patient_id: UUID | None
    kind: Literal["appointment", "empty_slot", "block"]
    type: str | None = Field(max_length=50)
    status: Literal["scheduled", "arrived", "completed", "cancelled", "no_show"]
    starts_at: datetime
    ends_at: datetime
    series_id: UUID | None
    # The appointment row's version after this change (see ``base.EntityVersion``); a deletion
    # is published one version past the last stored one.
    entity_version: int | None = EntityVersion


class AppointmentBooked(AppointmentData):
    """``appointment.booked``: a new appointment, block or empty slot exists."""

    EXAMPLE: ClassVar[dict[str, Any]] = _EXAMPLE_APPOINTMENT


class AppointmentRescheduled(AppointmentData):
    """``appointment.rescheduled``: times, practitioner, patient or type changed."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_APPOINTMENT,
        "startsAt": "2027-03-30T15:00:00Z",
        "endsAt": "2027-03-30T15:45:00Z",
        "entityVersion": 2,
    }


class AppointmentCancelled(AppointmentData):
    """``appointment.cancelled``: cancelled (or deleted); the time is free again.

    ``cancellationReason`` says why: ``patient`` (in time), ``clinic``, or ``late`` (too late to
    fill the time: it counts on the patient, like a no-show); null when the appointment was
    deleted rather than cancelled.
    """

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_APPOINTMENT,
        "status": "cancelled",
        "entityVersion": 3,
        "cancellationReason": "late",
    }

    cancellation_reason: Literal["patient", "clinic", "late"] | None


class AppointmentCompleted(AppointmentData):
    """``appointment.completed``: the patient attended (a visit for lastVisitAt)."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_APPOINTMENT,
        "status": "completed",
        "entityVersion": 3,
    }


class AppointmentNoShow(AppointmentData):
    """``appointment.no_show``: the patient did not come."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_APPOINTMENT,
        "status": "no_show",
        "entityVersion": 3,
    }


class AppointmentArrived(AppointmentData):
    """``appointment.arrived``: the patient is in the waiting room (not yet a visit)."""

    EXAMPLE: ClassVar[dict[str, Any]] = {
        **_EXAMPLE_APPOINTMENT,
        "status": "arrived",
        "entityVersion": 2,
    }


CONTRACTS: dict[str, type[EventPayload]] = {
    APPOINTMENT_BOOKED: AppointmentBooked,
    APPOINTMENT_RESCHEDULED: AppointmentRescheduled,
    APPOINTMENT_CANCELLED: AppointmentCancelled,
    APPOINTMENT_COMPLETED: AppointmentCompleted,
    APPOINTMENT_NO_SHOW: AppointmentNoShow,
    APPOINTMENT_ARRIVED: AppointmentArrived,
}
