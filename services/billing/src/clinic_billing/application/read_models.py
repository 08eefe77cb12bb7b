"""Keeping billing's patient read model in step with patients' events.

The handler runs inside the consumer's transaction (the one recording the event as handled).
Each row keeps the producer's ``entityVersion`` and an older event is ignored, so a late or
redelivered event never brings back an old name or address. Events from before the address
was shared carry none: the address held is kept then. A patient's customer is a copy
made on demand that the front desk then edits (a parent may pay a child's sessions), so a
patient event never rewrites it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_billing.infrastructure import read_models as stored
from clinic_shared.contracts import validate_payload
from clinic_shared.contracts.patients import PatientData
from clinic_shared.events import EventEnvelope


def apply_patient(session: Session, envelope: EventEnvelope) -> None:
    """Upsert the patient from any patient.* event (each carries the full state) unless older."""
    patient = validate_payload(envelope.type, envelope.data)
    assert isinstance(patient, PatientData), f"{envelope.type} is not a patient event"
    address = patient.address
    address_values = (
        {}
        if address is None
        else {
            "address": address.street,
            "postal_code": address.postal_code,
            "city": address.city,
            "province": address.province,
            "country": address.country,
        }
    )
    stored.upsert_patient(
        session,
        str(patient.patient_id),
        patient.entity_version or 0,
        full_name=patient.full_name,
        tax_id=patient.tax_id,
        email=patient.email,
        phone=patient.phone,
        status=patient.status,
        preferred_locale=patient.preferred_locale,
        **address_values,
    )
