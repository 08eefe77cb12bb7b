"""lastVisitAt and nextAppointmentAt, derived from the local copy of scheduling's appointments.

``lastVisitAt`` is the start of the patient's most recent *completed* appointment (when the
visit happened; its end adds nothing). ``nextAppointmentAt`` is the start of the earliest
*scheduled* appointment starting after the moment it was last computed: it is recomputed on
every appointment event of the patient, and :func:`refresh_if_passed` recomputes it when a
read finds it already in the past. Both are written with a Core UPDATE, so neither bumps the
patient's version (ETag) nor emits ``patient.updated``: they are not user edits.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from clinic_patients.models import Patient, patient_appointments
from clinic_shared.clock import utcnow
from clinic_shared.contracts.scheduling import AppointmentData

appointments = patient_appointments.c


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def record_appointment(db: Session, appointment: AppointmentData, event_at: datetime) -> bool:
    """Upsert the appointment's state unless a newer one is kept; refresh its patients.

    Newer means a higher ``entityVersion`` (scheduling's row version); between equal versions
    (the same state again, or events from before versions existed, all 0) the later
    ``occurredAt`` wins. Returns whether the state was written.
    """
    appointment_id = str(appointment.appointment_id)
    event_at = _naive_utc(event_at)
    version = appointment.entity_version or 0
    current = db.execute(
        select(appointments.patient_id, appointments.event_at, appointments.entity_version)
        .where(appointments.appointment_id == appointment_id)
        .with_for_update()
    ).one_or_none()
    if current is not None and (current.entity_version, current.event_at) > (version, event_at):
        return False  # out of order: a newer state is already kept
    patient_id = str(appointment.patient_id) if appointment.patient_id else None
    values = {
        "patient_id": patient_id,
        "starts_at": _naive_utc(appointment.starts_at),
        "ends_at": _naive_utc(appointment.ends_at),
        "status": appointment.status,
        "event_at": event_at,
        "entity_version": version,
    }
    if current is None:
        db.execute(patient_appointments.insert().values(appointment_id=appointment_id, **values))
    else:
        db.execute(
            update(patient_appointments)
            .where(appointments.appointment_id == appointment_id)
            .values(**values)
        )
    # The previous patient too: the appointment may have moved to someone else.
    for affected in {patient_id, current.patient_id if current is not None else None} - {None}:
        recompute_visits(db, str(affected))
    return True


def _next_appointment(db: Session, patient_id: str, now: datetime) -> datetime | None:
    earliest: datetime | None = db.scalar(
        select(func.min(appointments.starts_at)).where(
            appointments.patient_id == patient_id,
            appointments.status == "scheduled",
            appointments.starts_at > now,
        )
    )
    return earliest


def recompute_visits(db: Session, patient_id: str) -> None:
    """Set the patient's lastVisitAt and nextAppointmentAt from the appointments kept."""
    last_visit = db.scalar(
        select(func.max(appointments.starts_at)).where(
            appointments.patient_id == patient_id, appointments.status == "completed"
        )
    )
    db.execute(
        update(Patient)
        .where(Patient.id == patient_id)
        .values(
            last_visit_at=last_visit,
            next_appointment_at=_next_appointment(db, patient_id, utcnow()),
        )
        .execution_options(synchronize_session=False)
    )


def refresh_if_passed(db: Session, patient: Patient) -> bool:
    """Move a passed nextAppointmentAt on to the next one (one small query); True if changed."""
    now = utcnow()
    if patient.next_appointment_at is None or patient.next_appointment_at > now:
        return False
    db.execute(
        update(Patient)
        .where(Patient.id == patient.id)
        .values(next_appointment_at=_next_appointment(db, patient.id, now))
        .execution_options(synchronize_session=False)
    )
    return True
