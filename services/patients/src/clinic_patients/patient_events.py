"""The patient.* events written to the outbox (validated against the shared contracts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from clinic_patients.models import Patient, outbox
from clinic_shared.contracts import contract_for
from clinic_shared.contracts.patients import (
    PATIENT_DEACTIVATED,
    PATIENT_REACTIVATED,
    PATIENT_UPDATED,
    PRODUCER,
)
from clinic_shared.events.envelope import EventEnvelope
from clinic_shared.events.outbox import add_event


def shared_state(patient: Patient) -> tuple[object, ...]:
    """What other contexts keep of a patient: an event is due when it changes."""
    return (
        patient.first_name,
        patient.last_name,
        patient.tax_id,
        patient.birth_date,
        patient.phone,
        patient.email,
        patient.status,
        patient.preferred_locale,
    )


def event_after_update(before: tuple[object, ...], patient: Patient) -> str | None:
    """Which event an update deserves: a status change wins over other changes; None if none."""
    was_status = before[6]
    if was_status != patient.status:
        return PATIENT_DEACTIVATED if patient.status == "inactive" else PATIENT_REACTIVATED
    return PATIENT_UPDATED if shared_state(patient) != before else None


def patient_event_data(patient: Patient, event_type: str) -> dict[str, Any]:
    """The payload of ``event_type`` for ``patient``."""
    payload = contract_for(event_type).model_validate(
        {
            "patientId": patient.id,
            "firstName": patient.first_name,
            "lastName": patient.last_name,
            "fullName": patient.full_name,
            "taxId": patient.tax_id,
            "birthDate": patient.birth_date,
            "phone": patient.phone,
            "email": patient.email,
            "status": patient.status,
            "preferredLocale": patient.preferred_locale,
        }
    )
    return payload.to_data()


def emit_patient_event(
    db: Session, stream: str, event_type: str, patient: Patient
) -> EventEnvelope:
    """Add ``event_type`` about ``patient`` to the outbox, inside ``db``'s open transaction."""
    return add_event(
        db,
        outbox,
        stream=stream,
        type=event_type,
        data=patient_event_data(patient, event_type),
        producer=PRODUCER,
    )
