"""Billable sessions from scheduling's events, and the list the invoice screens pick from.

A completed patient appointment becomes an uninvoiced session, priced when it arrives:

- from the active catalogue item charging its appointment type, described in the clinic's
  default language;
- at the insurer's agreed price when the patient's customer has an insurer (who is then the
  payer); without an agreed price for that item, at the catalogue price;
- without a catalogue item for its type (or without a type), at 0.00, VAT-exempt as health
  care, described by its type code ("Sesión (follow_up)"): it still shows on the list, and
  the desk sees that the catalogue lacks the type rather than a guessed price. Adding the item
  later prices sessions completed afterwards.

When a patient's customer gets or loses an insurer, their uninvoiced sessions are charged
again the same way, so the insurer's monthly batch finds the sessions it now pays.

A later event whose appointment is no longer a completed patient appointment (cancelled,
no-show, rescheduled back to scheduled) reverses an uninvoiced session; completing it again
brings it back, priced anew. An invoiced session never changes here: an issued invoice is
corrected by a rectifying one. Each session keeps the appointment's ``entityVersion`` it
reflects and an older event is ignored, so late or redelivered events are harmless. An event
taking back a completion billing never saw changes nothing (a stream is read in order, so
that completion could only come later through a dead-letter replay).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy.orm import Session

from clinic_billing.domain.totals import HEALTH_CARE
from clinic_billing.infrastructure import billable_sessions as stored
from clinic_billing.infrastructure import catalogue, clinic_settings, customers
from clinic_billing.infrastructure.billable_sessions import (
    BillableSession,
    CompletedAppointment,
    SessionCharge,
)
from clinic_shared.clock import utcnow
from clinic_shared.contracts import validate_payload
from clinic_shared.contracts.scheduling import AppointmentData
from clinic_shared.db import reading
from clinic_shared.events import EventEnvelope

__all__ = [
    "BillableSession",
    "apply_appointment",
    "charge_for",
    "list_sessions",
    "recharge_uninvoiced",
]

INVOICED = "invoiced"
UNPRICED = Decimal("0.00")
_SESSION_WORD = {"es": "Sesión", "en": "Session"}


def _completed(appointment: AppointmentData) -> CompletedAppointment | None:
    """The appointment as a billable one, or None when it is not (or no longer) billable."""
    if (
        appointment.kind != "appointment"
        or appointment.patient_id is None
        or appointment.status != "completed"
    ):
        return None
    return CompletedAppointment(
        appointment_id=str(appointment.appointment_id),
        patient_id=str(appointment.patient_id),
        practitioner_id=str(appointment.practitioner_id),
        appointment_type=appointment.type,
        starts_at=appointment.starts_at,
    )


def charge_for(session: Session, appointment_type: str | None, patient_id: str) -> SessionCharge:
    """What a completed appointment of ``appointment_type`` charges, and who pays it."""
    payer_id = customers.insurer_of_patient(session, patient_id)
    language = clinic_settings.default_language(session)
    item = catalogue.active_item_charging(session, appointment_type) if appointment_type else None
    if item is None:
        word = _SESSION_WORD.get(language, _SESSION_WORD["es"])
        return SessionCharge(
            service_code=None,
            description=f"{word} ({appointment_type})" if appointment_type else word,
            price=UNPRICED,
            vat_rate=Decimal(0),
            exemption=HEALTH_CARE.key,
            payer_id=payer_id,
        )
    agreed = catalogue.agreed_price(session, payer_id, item.code) if payer_id else None
    return SessionCharge(
        service_code=item.code,
        description=item.name_en if language == "en" else item.name_es,
        price=item.price if agreed is None else agreed,
        vat_rate=item.vat_rate,
        exemption=item.exemption,
        payer_id=payer_id,
    )


def apply_appointment(session: Session, envelope: EventEnvelope) -> None:
    """Create, re-price or reverse the appointment's session from any appointment.* event."""
    appointment = validate_payload(envelope.type, envelope.data)
    assert isinstance(appointment, AppointmentData), f"{envelope.type} is not an appointment"
    appointment_id = str(appointment.appointment_id)
    version = appointment.entity_version or 0
    completed = _completed(appointment)
    held = stored.held(session, appointment_id)
    if held is not None and (version < held.entity_version or held.status == INVOICED):
        return  # a late event, or a session an invoice already charges
    now = utcnow()
    if completed is not None:
        charge = charge_for(session, completed.appointment_type, completed.patient_id)
        stored.save_uninvoiced(
            session, completed, charge, version=version, now=now, exists=held is not None
        )
    elif held is not None:
        stored.reverse(session, appointment_id, version=version, now=now)


def recharge_uninvoiced(session: Session, patient_id: str) -> None:
    """Charge the patient's uninvoiced sessions again (their payer changed); in the caller's
    transaction."""
    now = utcnow()
    for appointment_id, appointment_type in stored.uninvoiced_types_of(session, patient_id).items():
        stored.recharge(
            session, appointment_id, charge_for(session, appointment_type, patient_id), now
        )


def list_sessions(
    db: Session,
    *,
    patient_id: UUID | None = None,
    payer_id: UUID | None = None,
    uninvoiced: bool = False,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
    offset: int = 0,
    limit: int = 16,
) -> list[BillableSession]:
    """Sessions oldest first, filtered by patient, payer, status and start."""
    with reading(db):
        return stored.search(
            db,
            patient_id=str(patient_id) if patient_id else None,
            payer_id=str(payer_id) if payer_id else None,
            uninvoiced=uninvoiced,
            starts_from=starts_from,
            starts_before=starts_before,
            offset=offset,
            limit=limit,
        )
