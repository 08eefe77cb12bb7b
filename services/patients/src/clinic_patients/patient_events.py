"""The patient.* events: which one a change deserves, its payload, and adding it to the outbox."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_patients.models import Patient
from clinic_shared.contracts.patients import (
    PatientData,
    PatientDeactivated,
    PatientReactivated,
    PatientUpdated,
    PostalAddress,
)
from clinic_shared.events.envelope import EventEnvelope
from clinic_shared.events.outbox import OutboxWriter

# A patient event's contract class: every one carries the same shared state.
PatientEvent = type[PatientData]


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
        patient.address_street,
        patient.address_city,
        patient.address_postal_code,
        patient.address_province,
        patient.address_country,
    )


def event_after_update(before: tuple[object, ...], patient: Patient) -> PatientEvent | None:
    """Which event an update deserves: a status change wins over other changes; None if none."""
    was_status = before[6]
    if was_status != patient.status:
        return PatientDeactivated if patient.status == "inactive" else PatientReactivated
    return PatientUpdated if shared_state(patient) != before else None


def patient_payload(event: PatientEvent, patient: Patient) -> PatientData:
    """The payload of ``event`` about ``patient`` (validated by the contract's constructor)."""
    return event(
        patient_id=patient.id,
        first_name=patient.first_name,
        last_name=patient.last_name,
        full_name=patient.full_name,
        tax_id=patient.tax_id,
        birth_date=patient.birth_date,
        phone=patient.phone,
        email=patient.email,
        status=patient.status,
        preferred_locale=patient.preferred_locale,
        address=PostalAddress(
            street=patient.address_street,
            city=patient.address_city,
            postal_code=patient.address_postal_code,
            province=patient.address_province,
            country=patient.address_country,
        ),
        # Flushed before the event is built, so this is the version the change produced.
        entity_version=patient.version,
    )


def emit_patient_event(
    db: Session, events: OutboxWriter, event: PatientEvent, patient: Patient
) -> EventEnvelope:
    """Add ``event`` about ``patient`` to the outbox, inside ``db``'s open transaction."""
    return events.add(db, patient_payload(event, patient))
