"""Keeping the patient, practitioner and session read models in step with other services' events.

The handlers run inside the consumer's transaction (the one recording the event as handled).
Each row keeps the producer's ``entityVersion`` and an older event is ignored, so a late or
redelivered event never reverts a newer state.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from clinic_records.infrastructure import entries
from clinic_records.infrastructure import read_models as stored
from clinic_shared.auth import ROLE_PRACTITIONER
from clinic_shared.contracts import EventPayload, validate_payload
from clinic_shared.contracts.identity import UserData
from clinic_shared.contracts.patients import PatientData
from clinic_shared.contracts.scheduling import AppointmentData
from clinic_shared.db import to_db
from clinic_shared.events import EventEnvelope

Payload = TypeVar("Payload", bound=EventPayload)


def _payload(envelope: EventEnvelope, model: type[Payload]) -> Payload:
    payload = validate_payload(envelope.type, envelope.data)
    assert isinstance(payload, model), f"{envelope.type} is not a {model.__name__}"
    return payload


def apply_patient(session: Session, envelope: EventEnvelope) -> None:
    """Upsert the patient from any patient.* event (each carries the full state) unless older."""
    patient = _payload(envelope, PatientData)
    stored.upsert_patient(
        session,
        str(patient.patient_id),
        patient.entity_version or 0,
        full_name=patient.full_name,
        status=patient.status,
    )


def apply_user(session: Session, envelope: EventEnvelope) -> None:
    """Upsert the staff member from any user.* event unless older."""
    user = _payload(envelope, UserData)
    stored.upsert_practitioner(
        session,
        str(user.user_id),
        user.entity_version or 0,
        full_name=user.full_name,
        active=user.active,
        is_practitioner=ROLE_PRACTITIONER in user.roles,
    )


def apply_appointment(session: Session, envelope: EventEnvelope) -> None:
    """A completion makes a session that needs a note; undoing it (a later state) removes it."""
    appointment = _payload(envelope, AppointmentData)
    appointment_id = str(appointment.appointment_id)
    completed = appointment.status == "completed" and appointment.kind == "appointment"
    if not completed and not stored.has_session(session, appointment_id):
        return  # nothing was ever completed: nothing to note
    written = stored.upsert_session(
        session,
        appointment_id,
        appointment.entity_version or 0,
        practitioner_id=str(appointment.practitioner_id),
        patient_id=str(appointment.patient_id) if appointment.patient_id else None,
        starts_at=to_db(appointment.starts_at),
        status=stored.COMPLETED if completed else stored.UNDONE,
    )
    note = entries.signed_note_of(session, appointment_id) if written and completed else None
    if note is not None:
        stored.mark_noted(session, appointment_id, note)  # the note was signed first
