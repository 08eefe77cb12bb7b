"""Appointments: making and changing them, their status transitions and the no-double-booking rule.

Pure functions over frozen dataclasses: the use cases read and lock what a rule needs, call it,
and store what it returns. Rule failures are ``clinic_shared.errors`` (pure Python too).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID

from clinic_shared.errors import ConflictError, FieldError

Kind = Literal["appointment", "empty_slot", "block"]
Status = Literal["scheduled", "arrived", "completed", "cancelled", "no_show"]
# Why an appointment was cancelled: the patient asked in time, the clinic cancelled it, or the
# patient cancelled too late to fill the time (that one counts on the patient, like a no-show).
CancellationReason = Literal["patient", "clinic", "late"]

KINDS: tuple[Kind, ...] = ("appointment", "empty_slot", "block")
STATUSES: tuple[Status, ...] = ("scheduled", "arrived", "completed", "cancelled", "no_show")
CANCELLATION_REASONS: tuple[CancellationReason, ...] = ("patient", "clinic", "late")
MIN_DURATION = timedelta(minutes=5)
MAX_DURATION = timedelta(hours=12)

# arrived is the patient in the waiting room: the session is then completed, or the mark undone
# (back to scheduled). no_show -> scheduled or arrived undoes a mistaken mark (the patient turned
# up late); completed is final because billing and clinical records hang off it; cancelled is
# final (book again instead). Completed and no_show wait for the start, arrived for the arrival
# window (see change_status); cancelling never waits.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    "scheduled": frozenset({"arrived", "completed", "cancelled", "no_show"}),
    "arrived": frozenset({"completed", "scheduled"}),
    "no_show": frozenset({"scheduled", "arrived"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}

# Outcomes of a visit: they can only be recorded once the visit has begun.
OUTCOMES: frozenset[Status] = frozenset({"completed", "no_show"})
# Statuses only a patient appointment has (not a block or an empty slot).
PATIENT_STATUSES: frozenset[Status] = OUTCOMES | {"arrived"}
# How early a patient may be marked arrived: people come a little before their time, not hours.
EARLY_ARRIVAL = timedelta(hours=1)


@dataclass(frozen=True)
class Appointment:
    """An appointment, an empty slot awaiting a patient, or a block of someone's time."""

    id: UUID
    practitioner_id: UUID
    patient_id: UUID | None
    kind: Kind
    type: str | None
    status: Status
    starts_at: datetime
    ends_at: datetime
    title: str | None = None
    notes: str | None = None
    series_id: UUID | None = None
    version: int = 1
    # Set exactly when the status is cancelled (a deletion publishes it as None).
    cancellation_reason: CancellationReason | None = None

    @property
    def occupies_time(self) -> bool:
        """Cancelled appointments free their time; everything else holds it."""
        return self.status != "cancelled"


# An appointment with its practitioner's and patient's names (None when not known yet).
NamedAppointment = tuple[Appointment, str | None, str | None]


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
    # Required when the draft cancels the appointment; refused with any other status.
    cancellation_reason: CancellationReason | None = None
    # The client knows the time is outside the practitioner's working hours and means it.
    allow_outside_hours: bool = False


class ClashError(ConflictError):
    """The time is already taken by ``clashes`` (409 naming them)."""

    def __init__(self, clashes: list[Appointment]) -> None:
        super().__init__("the time clashes with another appointment")
        self.clashes = clashes


def in_utc(draft: AppointmentDraft) -> AppointmentDraft:
    """Times are stored and returned in UTC, whatever offset the client sent."""
    if draft.starts_at.tzinfo is None or (draft.ends_at and draft.ends_at.tzinfo is None):
        return draft  # check_times names the field without an offset
    ends_at = draft.ends_at.astimezone(UTC) if draft.ends_at else None
    return replace(draft, starts_at=draft.starts_at.astimezone(UTC), ends_at=ends_at)


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    """Times must be timezone-aware, ordered, and a plausible length."""
    if starts_at.tzinfo is None:
        raise FieldError("startsAt", "must include a UTC offset")
    if ends_at.tzinfo is None:
        raise FieldError("endsAt", "must include a UTC offset")
    if ends_at <= starts_at:
        raise FieldError("endsAt", "must be after startsAt")
    if ends_at - starts_at < MIN_DURATION:
        raise FieldError("endsAt", f"an appointment lasts at least {MIN_DURATION}")
    if ends_at - starts_at > MAX_DURATION:
        raise FieldError("endsAt", f"an appointment lasts at most {MAX_DURATION}")


def check_patient(kind: Kind, patient_id: UUID | None) -> None:
    """Appointments need a patient; blocks never have one; empty slots get one when filled."""
    if kind == "appointment" and patient_id is None:
        raise FieldError("patientId", "an appointment needs a patient")
    if kind == "block" and patient_id is not None:
        raise FieldError("patientId", "a block has no patient")


def ends_at_for(draft: AppointmentDraft, type_duration: timedelta | None) -> datetime:
    """The draft's end, or its start plus ``type_duration`` (None: the draft names no type)."""
    if draft.type is None and draft.kind == "appointment":
        raise FieldError("type", "an appointment needs a type")
    if draft.ends_at is not None:
        return draft.ends_at
    if type_duration is None:
        raise FieldError("endsAt", "required when there is no type to take the duration from")
    return draft.starts_at + type_duration


def new_appointment(
    draft: AppointmentDraft,
    starts_at: datetime,
    ends_at: datetime,
    *,
    series_id: UUID | None = None,
) -> Appointment:
    """A new scheduled appointment, block or empty slot as ``draft`` asks, at these times."""
    check_times(starts_at, ends_at)
    check_patient(draft.kind, draft.patient_id)
    return Appointment(
        id=uuid.uuid4(),
        practitioner_id=draft.practitioner_id,
        patient_id=draft.patient_id,
        kind=draft.kind,
        type=draft.type,
        status="scheduled",
        starts_at=starts_at,
        ends_at=ends_at,
        title=draft.title,
        notes=draft.notes,
        series_id=series_id,
    )


def new_empty_slot(practitioner_id: UUID, starts_at: datetime, ends_at: datetime) -> Appointment:
    """An empty slot of the practitioner's, to be filled with a patient later."""
    draft = AppointmentDraft(practitioner_id, None, "empty_slot", None, starts_at, ends_at)
    return new_appointment(draft, starts_at, ends_at)


def is_rescheduled(before: Appointment, after: Appointment) -> bool:
    """Whether the practitioner, patient, type or times differ (a status change is not one)."""
    return (
        after.practitioner_id,
        after.patient_id,
        after.type,
        after.starts_at,
        after.ends_at,
    ) != (before.practitioner_id, before.patient_id, before.type, before.starts_at, before.ends_at)


def next_version(appointment: Appointment) -> Appointment:
    """The appointment as stored after a change: one version later (its ETag changes)."""
    return replace(appointment, version=appointment.version + 1)


def change_status(appointment: Appointment, new_status: Status, *, now: datetime) -> Appointment:
    """The appointment in ``new_status``, if the transition is allowed at ``now``.

    A visit is completed or missed only once it has started: a future "completed" would give
    the patient a last visit that has not happened yet. Past visits may be booked and then
    completed (clinics record them after the fact); cancelling is allowed at any time.
    """
    if new_status == appointment.status:
        return appointment
    if new_status not in TRANSITIONS[appointment.status]:
        raise FieldError("status", f"cannot go from {appointment.status} to {new_status}")
    if appointment.kind != "appointment" and new_status in PATIENT_STATUSES:
        raise FieldError("status", f"a {appointment.kind} cannot be {new_status}")
    if new_status in OUTCOMES and appointment.starts_at > now:
        raise FieldError(
            "status", "an appointment can be marked completed or no-show only once it has started"
        )
    if new_status == "arrived" and appointment.starts_at - EARLY_ARRIVAL > now:
        raise FieldError(
            "status", f"a patient can be marked arrived at most {EARLY_ARRIVAL} before the start"
        )
    return replace(appointment, status=new_status)


def with_cancellation_reason(
    appointment: Appointment, reason: CancellationReason | None
) -> Appointment:
    """``appointment`` with ``reason`` kept: required for a cancelled one, refused otherwise."""
    if appointment.status == "cancelled":
        if reason is None:
            raise FieldError(
                "cancellationReason", "say why it is cancelled: patient, clinic or late"
            )
        return replace(appointment, cancellation_reason=reason)
    if reason is not None:
        raise FieldError("cancellationReason", "only a cancelled appointment has a reason")
    return replace(appointment, cancellation_reason=None)


def changed(
    current: Appointment, draft: AppointmentDraft, ends_at: datetime, *, now: datetime
) -> Appointment:
    """``current`` as ``draft`` asks, one version later: moved, reassigned, filled, new status.

    Only a scheduled appointment may be moved or reassigned (409); an empty slot given a
    patient becomes an appointment. ``now`` is the caller's clock (see ``change_status``).
    """
    kind: Kind = current.kind
    if current.kind == "empty_slot" and draft.patient_id is not None:
        kind = "appointment"  # filling the slot with a patient
    moved = replace(
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
    check_times(moved.starts_at, moved.ends_at)
    check_patient(moved.kind, moved.patient_id)
    if is_rescheduled(current, moved) and current.status != "scheduled":
        raise ConflictError(f"a {current.status} appointment cannot be moved or reassigned")
    new_state = change_status(moved, draft.status, now=now)
    return next_version(with_cancellation_reason(new_state, draft.cancellation_reason))


def cancelled(
    appointment: Appointment, reason: CancellationReason, *, now: datetime
) -> Appointment:
    """The appointment cancelled for ``reason``, one version later."""
    cancelled_now = change_status(appointment, "cancelled", now=now)
    return next_version(with_cancellation_reason(cancelled_now, reason))


def check_deletable(appointment: Appointment) -> None:
    """A completed appointment stays: billing and the clinical record hang off it (409)."""
    if appointment.status == "completed":
        raise ConflictError("a completed appointment cannot be deleted")


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: one ending at 10:00 does not clash with one starting at 10:00."""
    return a_start < b_end and b_start < a_end


def clashes(candidate: Appointment, existing: Iterable[Appointment]) -> list[Appointment]:
    """Appointments in ``existing`` that ``candidate`` may not share time with.

    Same practitioner: anything that occupies time (empty slots count as taken, except the
    slot being filled itself). Same patient: any of their overlapping appointments.
    """
    if not candidate.occupies_time:
        return []
    found = []
    for other in existing:
        if other.id == candidate.id or not other.occupies_time:
            continue
        if not overlaps(candidate.starts_at, candidate.ends_at, other.starts_at, other.ends_at):
            continue
        same_practitioner = other.practitioner_id == candidate.practitioner_id
        same_patient = candidate.patient_id is not None and other.patient_id == candidate.patient_id
        if same_practitioner or same_patient:
            found.append(other)
    return found
