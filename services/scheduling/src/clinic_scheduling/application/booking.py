"""Booking, changing and deleting appointments without ever double-booking anyone."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.orm import Session

from clinic_scheduling.application.events import STATUS_EVENTS, appointment_event
from clinic_scheduling.domain.appointments import (
    Appointment,
    AppointmentDraft,
    ClashError,
    NamedAppointment,
    changed,
    check_deletable,
    clashes,
    ends_at_for,
    in_utc,
    is_rescheduled,
    new_appointment,
    next_version,
)
from clinic_scheduling.domain.availability import check_within_hours, kept_to_hours
from clinic_scheduling.infrastructure import appointment_types, read_models
from clinic_scheduling.infrastructure import appointments as repo
from clinic_scheduling.infrastructure import working_hours as hours
from clinic_shared.contracts.scheduling import (
    AppointmentBooked,
    AppointmentCancelled,
    AppointmentRescheduled,
)
from clinic_shared.errors import ExpectedVersion, FieldError, NotFoundError
from clinic_shared.events import OutboxWriter

# The practitioner's and the patient's names, as locked with their read-model rows.
ParticipantNames = tuple[str, str | None]


def lock_practitioner(session: Session, practitioner_id: UUID) -> Row[Any]:
    """Lock the practitioner's read-model row (see ``lock_participants``); 422 if unknown."""
    practitioner = read_models.lock_practitioner(session, practitioner_id)
    if practitioner is None or not practitioner.is_practitioner:
        raise FieldError("practitionerId", "unknown practitioner")
    return practitioner


def lock_participants(
    session: Session, draft: AppointmentDraft, *, require_active: bool = True
) -> ParticipantNames:
    """Lock the practitioner's (then the patient's) read-model row; 422 if unknown or inactive.

    ``require_active`` is off for edits: an inactive patient's visit can still be completed.
    Returns their names, so the answer needs no second read.
    """
    # Locks come first in the transaction (practitioner, then patient: one global order)
    # so the overlap query below reads what every earlier booking committed.
    practitioner = lock_practitioner(session, draft.practitioner_id)
    if require_active and not practitioner.active:
        raise FieldError("practitionerId", "the practitioner is deactivated")
    if draft.patient_id is None:
        return practitioner.full_name, None
    patient = read_models.lock_patient(session, draft.patient_id)
    if patient is None:
        raise FieldError("patientId", "unknown patient")
    if require_active and patient.status != "active":
        raise FieldError("patientId", "the patient is inactive")
    return practitioner.full_name, patient.full_name


def type_duration(session: Session, code: str | None) -> timedelta | None:
    """How long an appointment of type ``code`` lasts (None without a type); 422 if unknown."""
    if code is None:
        return None
    found = appointment_types.get(session, code)
    if found is None:
        raise FieldError("type", f"unknown appointment type {code!r}")
    return found.duration


def find_clashes(session: Session, candidate: Appointment) -> list[Appointment]:
    """Whatever ``candidate`` would overlap for its practitioner or patient."""
    existing = repo.overlapping(
        session,
        candidate.starts_at,
        candidate.ends_at,
        candidate.practitioner_id,
        candidate.patient_id,
    )
    return clashes(candidate, existing)


def check_free(session: Session, candidate: Appointment) -> None:
    """Raise ClashError naming whatever ``candidate`` would overlap."""
    found = find_clashes(session, candidate)
    if found:
        raise ClashError(found)


def check_hours(
    session: Session,
    candidate: Appointment,
    zone: ZoneInfo,
    *,
    allowed: bool,
    before: Appointment | None = None,
) -> None:
    """422 (OutsideHoursError) when ``candidate`` falls outside its practitioner's working time.

    Not checked when the client ``allowed`` it, nor for what need not fit the hours (a block,
    a change that keeps the time: see ``kept_to_hours``).
    """
    if allowed or not kept_to_hours(candidate, before):
        return
    practitioner_id = candidate.practitioner_id
    periods = hours.periods_of(session, practitioner_id)
    found = hours.absences_of(session, practitioner_id, candidate.starts_at, candidate.ends_at)
    check_within_hours(candidate, periods, [absence for _, absence, _ in found], zone)


def book(
    session: Session, events: OutboxWriter, draft: AppointmentDraft, zone: ZoneInfo
) -> NamedAppointment:
    """Book ``draft`` inside working hours (unless allowed) if nobody involved is busy then.

    Publishes appointment.booked.
    """
    draft = in_utc(draft)
    with session.begin():
        names = lock_participants(session, draft)
        ends_at = ends_at_for(draft, type_duration(session, draft.type))
        appointment = new_appointment(draft, draft.starts_at, ends_at)
        check_hours(session, appointment, zone, allowed=draft.allow_outside_hours)
        check_free(session, appointment)
        repo.add(session, appointment)
        events.add(session, appointment_event(AppointmentBooked, appointment))
    return (appointment, *names)


def change(
    session: Session,
    events: OutboxWriter,
    appointment_id: UUID,
    draft: AppointmentDraft,
    expected: ExpectedVersion,
    zone: ZoneInfo,
    *,
    now: datetime,
) -> NamedAppointment:
    """Reschedule, fill, retitle or change the status of an appointment (one transaction).

    ``now`` is the caller's clock: a visit is completed or missed only once it has started.
    A move (other times or practitioner) must fit the working hours unless allowed.
    """
    draft = in_utc(draft)
    with session.begin():
        names = lock_participants(session, draft, require_active=False)
        current = repo.get(session, appointment_id, lock=True)
        if current is None:
            raise NotFoundError(f"{appointment_id} was not found")
        expected.check(current.version)
        as_kind = replace(draft, kind=current.kind)
        ends_at = ends_at_for(as_kind, type_duration(session, draft.type))
        updated = changed(current, draft, ends_at, now=now)
        check_hours(session, updated, zone, allowed=draft.allow_outside_hours, before=current)
        check_free(session, updated)
        repo.save(session, updated)
        if updated.status != current.status:
            events.add(session, appointment_event(STATUS_EVENTS[updated.status], updated))
        elif is_rescheduled(current, updated):
            events.add(session, appointment_event(AppointmentRescheduled, updated))
    return (updated, *names)


def delete_appointment(session: Session, events: OutboxWriter, appointment_id: UUID) -> None:
    """Delete an appointment (not a completed one); others hear it as cancelled."""
    with session.begin():
        current = repo.get(session, appointment_id, lock=True)
        if current is None:
            raise NotFoundError(f"{appointment_id} was not found")
        check_deletable(current)
        repo.remove(session, appointment_id)
        if current.status != "cancelled":
            # One version past the last stored state, so consumers take it as the newer one.
            gone = next_version(replace(current, status="cancelled"))
            events.add(session, appointment_event(AppointmentCancelled, gone))
