"""Booking, changing and deleting appointments without ever double-booking anyone."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy.orm import Session

from clinic_scheduling.application.errors import ClashError, ConflictError, NotFoundError
from clinic_scheduling.application.events import STATUS_EVENTS, publish
from clinic_scheduling.domain.appointments import (
    Appointment,
    DomainError,
    Kind,
    Status,
    change_status,
    check_patient,
    check_times,
    clashes,
)
from clinic_scheduling.infrastructure import repository as repo
from clinic_shared.contracts.scheduling import APPOINTMENT_BOOKED, APPOINTMENT_RESCHEDULED


@dataclass(frozen=True)
class AppointmentDraft:
    """What a client asks for; ``ends_at`` None means the type's duration."""

    practitioner_id: UUID
    patient_id: UUID | None
    kind: Kind
    type: str | None
    starts_at: datetime
    ends_at: datetime | None
    title: str | None = None
    notes: str | None = None
    status: Status = "scheduled"


def in_utc(draft: AppointmentDraft) -> AppointmentDraft:
    """Times are stored and returned in UTC, whatever offset the client sent."""
    if draft.starts_at.tzinfo is None or (draft.ends_at and draft.ends_at.tzinfo is None):
        return draft  # check_times names the field without an offset
    ends_at = draft.ends_at.astimezone(UTC) if draft.ends_at else None
    return replace(draft, starts_at=draft.starts_at.astimezone(UTC), ends_at=ends_at)


def lock_participants(
    session: Session, draft: AppointmentDraft, *, require_active: bool = True
) -> None:
    """Lock the practitioner's (then the patient's) read-model row; 422 if unknown or inactive.

    ``require_active`` is off for edits: an inactive patient's visit can still be completed.
    """
    # Locks come first in the transaction (practitioner, then patient: one global order)
    # so the overlap query below reads what every earlier booking committed.
    practitioner = repo.lock_practitioner(session, draft.practitioner_id)
    if practitioner is None or not practitioner.is_practitioner:
        raise DomainError("practitionerId", "unknown practitioner")
    if require_active and not practitioner.active:
        raise DomainError("practitionerId", "the practitioner is deactivated")
    if draft.patient_id is not None:
        patient = repo.lock_patient(session, draft.patient_id)
        if patient is None:
            raise DomainError("patientId", "unknown patient")
        if require_active and patient.status != "active":
            raise DomainError("patientId", "the patient is inactive")


def resolve_end(session: Session, draft: AppointmentDraft) -> datetime:
    """The draft's end, or its start plus the type's duration; 422 on an unknown type."""
    duration: timedelta | None = None
    if draft.type is not None:
        found = repo.appointment_type(session, draft.type)
        if found is None:
            raise DomainError("type", f"unknown appointment type {draft.type!r}")
        duration = timedelta(minutes=found.duration_minutes)
    elif draft.kind == "appointment":
        raise DomainError("type", "an appointment needs a type")
    if draft.ends_at is not None:
        return draft.ends_at
    if duration is None:
        raise DomainError("endsAt", "required when there is no type to take the duration from")
    return draft.starts_at + duration


def check_free(session: Session, candidate: Appointment) -> None:
    """Raise ClashError naming whatever ``candidate`` would overlap."""
    existing = repo.overlapping(
        session,
        candidate.starts_at,
        candidate.ends_at,
        candidate.practitioner_id,
        candidate.patient_id,
    )
    found = clashes(candidate, existing)
    if found:
        raise ClashError(found)


def book(session: Session, stream: str, draft: AppointmentDraft) -> Appointment:
    """Book ``draft`` if nobody involved is busy then; publishes appointment.booked."""
    draft = in_utc(draft)
    with session.begin():
        lock_participants(session, draft)
        appointment = Appointment(
            id=uuid.uuid4(),
            practitioner_id=draft.practitioner_id,
            patient_id=draft.patient_id,
            kind=draft.kind,
            type=draft.type,
            status="scheduled",
            starts_at=draft.starts_at,
            ends_at=resolve_end(session, draft),
            title=draft.title,
            notes=draft.notes,
        )
        check_times(appointment.starts_at, appointment.ends_at)
        check_patient(appointment.kind, appointment.patient_id)
        check_free(session, appointment)
        repo.add(session, appointment)
        publish(session, stream, APPOINTMENT_BOOKED, appointment)
    return appointment


def _changed(draft: AppointmentDraft, current: Appointment, ends_at: datetime) -> Appointment:
    kind: Kind = current.kind
    if current.kind == "empty_slot" and draft.patient_id is not None:
        kind = "appointment"  # filling the slot with a patient
    return replace(
        current,
        practitioner_id=draft.practitioner_id,
        patient_id=draft.patient_id,
        kind=kind,
        type=draft.type,
        starts_at=draft.starts_at,
        ends_at=ends_at,
        title=draft.title,
        notes=draft.notes,
    )


def change(
    session: Session,
    stream: str,
    appointment_id: UUID,
    draft: AppointmentDraft,
    check_version: Callable[[int], None],
    now: datetime,
) -> Appointment:
    """Reschedule, fill, retitle or change the status of an appointment (one transaction).

    ``now`` is the caller's clock: a visit is completed or missed only once it has started.
    """
    draft = in_utc(draft)
    with session.begin():
        lock_participants(session, draft, require_active=False)
        current = repo.get(session, appointment_id, lock=True)
        if current is None:
            raise NotFoundError(str(appointment_id))
        check_version(current.version)
        moved = _changed(draft, current, resolve_end(session, replace(draft, kind=current.kind)))
        check_times(moved.starts_at, moved.ends_at)
        check_patient(moved.kind, moved.patient_id)
        rescheduled = (
            moved.practitioner_id,
            moved.patient_id,
            moved.type,
            moved.starts_at,
            moved.ends_at,
        ) != (
            current.practitioner_id,
            current.patient_id,
            current.type,
            current.starts_at,
            current.ends_at,
        )
        if rescheduled and current.status != "scheduled":
            raise ConflictError(f"a {current.status} appointment cannot be moved or reassigned")
        updated = change_status(moved, draft.status, now=now)
        updated = replace(updated, version=current.version + 1)
        check_free(session, updated)
        repo.save(session, updated)
        if updated.status != current.status:
            publish(session, stream, STATUS_EVENTS[updated.status], updated)
        elif rescheduled:
            publish(session, stream, APPOINTMENT_RESCHEDULED, updated)
    return updated


def delete(session: Session, stream: str, appointment_id: UUID) -> None:
    """Delete an appointment (not a completed one); others hear it as cancelled."""
    with session.begin():
        current = repo.get(session, appointment_id, lock=True)
        if current is None:
            raise NotFoundError(str(appointment_id))
        if current.status == "completed":
            raise ConflictError("a completed appointment cannot be deleted")
        repo.remove(session, appointment_id)
        if current.status != "cancelled":
            publish(
                session, stream, STATUS_EVENTS["cancelled"], replace(current, status="cancelled")
            )
