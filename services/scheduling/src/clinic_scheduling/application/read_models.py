"""Keeping the practitioner and patient read models in step with identity's and patients' events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from clinic_scheduling.domain.working_hours import DEFAULT_TEMPLATE, needs_default_hours
from clinic_scheduling.infrastructure import hours
from clinic_scheduling.infrastructure.tables import patients, practitioners
from clinic_shared.auth import ROLE_PRACTITIONER
from clinic_shared.contracts import validate_payload
from clinic_shared.contracts.identity import UserData
from clinic_shared.contracts.patients import PatientData
from clinic_shared.events import EventEnvelope, EventHandler


def _upsert(session: Session, table: Table, row_id: str, values: dict[str, Any]) -> None:
    """Insert or update the row."""
    exists = session.execute(select(table.c.id).where(table.c.id == row_id)).first()
    if exists:
        session.execute(update(table).where(table.c.id == row_id).values(**values))
    else:
        session.execute(insert(table).values(id=row_id, **values))


def apply_user(session: Session, envelope: EventEnvelope) -> None:
    """Upsert the staff member from any user.* event (each carries the full state)."""
    user = validate_payload(envelope.type, envelope.data)
    assert isinstance(user, UserData)
    is_practitioner = ROLE_PRACTITIONER in user.roles
    was_practitioner = session.execute(
        select(practitioners.c.is_practitioner).where(practitioners.c.id == str(user.user_id))
    ).scalar()
    _upsert(
        session,
        practitioners,
        str(user.user_id),
        {
            "full_name": user.full_name,
            "email": user.email,
            "color": user.color,
            "active": user.active,
            "is_practitioner": is_practitioner,
        },
    )
    # New or promoted practitioners start with the clinic's usual hours (the demo physios
    # included, whenever their events arrive); the front desk edits them afterwards.
    has_hours = bool(hours.periods_of(session, user.user_id))
    if needs_default_hours(bool(was_practitioner), is_practitioner, has_hours):
        hours.replace_periods(session, user.user_id, DEFAULT_TEMPLATE)


def apply_patient(session: Session, envelope: EventEnvelope) -> None:
    """Upsert the patient from any patient.* event (each carries the full state)."""
    patient = validate_payload(envelope.type, envelope.data)
    assert isinstance(patient, PatientData)
    _upsert(
        session,
        patients,
        str(patient.patient_id),
        {"full_name": patient.full_name, "phone": patient.phone, "status": patient.status},
    )


USER_EVENTS = ("user.registered", "user.updated", "user.deactivated")
PATIENT_EVENTS = (
    "patient.registered",
    "patient.updated",
    "patient.deactivated",
    "patient.reactivated",
)
HANDLERS: dict[str, EventHandler] = {
    **dict.fromkeys(USER_EVENTS, apply_user),
    **dict.fromkeys(PATIENT_EVENTS, apply_patient),
}


def clear(session: Session) -> None:
    """Empty both read models (before a rebuild from the streams)."""
    session.execute(delete(practitioners))
    session.execute(delete(patients))
