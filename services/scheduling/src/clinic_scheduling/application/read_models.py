"""Keeping the practitioner and patient read models in step with identity's and patients' events.

The handlers run inside the consumer's transaction (the one recording the event as handled).
Each row keeps the producer's ``entityVersion`` it holds and an older event is ignored, so a
late or redelivered event never reverts a rename nor makes a deactivated patient bookable.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from clinic_scheduling.domain.working_hours import DEFAULT_TEMPLATE, needs_default_hours
from clinic_scheduling.infrastructure import read_models as stored
from clinic_scheduling.infrastructure import working_hours
from clinic_shared.auth import ROLE_PRACTITIONER
from clinic_shared.contracts import EventPayload, validate_payload
from clinic_shared.contracts.identity import UserData
from clinic_shared.contracts.patients import PatientData
from clinic_shared.events import EventEnvelope

Payload = TypeVar("Payload", bound=EventPayload)


def _payload(envelope: EventEnvelope, model: type[Payload]) -> Payload:
    """The envelope's data as its contract, which is ``model`` or a subclass of it."""
    payload = validate_payload(envelope.type, envelope.data)
    assert isinstance(payload, model), f"{envelope.type} is not a {model.__name__}"
    return payload


def apply_user(session: Session, envelope: EventEnvelope) -> None:
    """Upsert the staff member from any user.* event (each carries the full state) unless older."""
    user = _payload(envelope, UserData)
    is_practitioner = ROLE_PRACTITIONER in user.roles
    was_practitioner = stored.is_practitioner(session, user.user_id)
    written = stored.upsert_practitioner(
        session,
        user.user_id,
        user.entity_version or 0,
        full_name=user.full_name,
        email=user.email,
        color=user.color,
        active=user.active,
        is_practitioner=is_practitioner,
    )
    if not written:
        return  # an older state than the one kept
    # New or promoted practitioners start with the clinic's usual hours (the demo physios
    # included, whenever their events arrive); the front desk edits them afterwards.
    has_hours = bool(working_hours.periods_of(session, user.user_id))
    if needs_default_hours(was_practitioner, is_practitioner, has_hours):
        working_hours.replace_periods(session, user.user_id, DEFAULT_TEMPLATE)


def apply_patient(session: Session, envelope: EventEnvelope) -> None:
    """Upsert the patient from any patient.* event (each carries the full state) unless older."""
    patient = _payload(envelope, PatientData)
    stored.upsert_patient(
        session,
        patient.patient_id,
        patient.entity_version or 0,
        full_name=patient.full_name,
        phone=patient.phone,
        status=patient.status,
    )


def forget_all(session: Session) -> None:
    """Empty both read models, before they are rebuilt from the streams."""
    with session.begin():
        stored.clear(session)
