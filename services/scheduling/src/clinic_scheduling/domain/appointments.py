"""Appointments, their status transitions and the overlap rules that forbid double booking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

Kind = Literal["appointment", "empty_slot", "block"]
Status = Literal["scheduled", "completed", "cancelled", "no_show"]

KINDS: tuple[Kind, ...] = ("appointment", "empty_slot", "block")
STATUSES: tuple[Status, ...] = ("scheduled", "completed", "cancelled", "no_show")
MIN_DURATION = timedelta(minutes=5)
MAX_DURATION = timedelta(hours=12)

# no_show -> scheduled undoes a mistaken mark (the patient turned up late); completed is final
# because billing and clinical records hang off it; cancelled is final (book again instead).
# Completed and no_show also wait for the start (see change_status); cancelling never waits.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    "scheduled": frozenset({"completed", "cancelled", "no_show"}),
    "no_show": frozenset({"scheduled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}


class DomainError(ValueError):
    """A rule of the domain was broken; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


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

    @property
    def occupies_time(self) -> bool:
        """Cancelled appointments free their time; everything else holds it."""
        return self.status != "cancelled"


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    """Times must be timezone-aware, ordered, and a plausible length."""
    if starts_at.tzinfo is None:
        raise DomainError("startsAt", "must include a UTC offset")
    if ends_at.tzinfo is None:
        raise DomainError("endsAt", "must include a UTC offset")
    if ends_at <= starts_at:
        raise DomainError("endsAt", "must be after startsAt")
    if ends_at - starts_at < MIN_DURATION:
        raise DomainError("endsAt", f"an appointment lasts at least {MIN_DURATION}")
    if ends_at - starts_at > MAX_DURATION:
        raise DomainError("endsAt", f"an appointment lasts at most {MAX_DURATION}")


def check_patient(kind: Kind, patient_id: UUID | None) -> None:
    """Appointments need a patient; blocks never have one; empty slots get one when filled."""
    if kind == "appointment" and patient_id is None:
        raise DomainError("patientId", "an appointment needs a patient")
    if kind == "block" and patient_id is not None:
        raise DomainError("patientId", "a block has no patient")


# Outcomes of a visit: they can only be recorded once the visit has begun.
OUTCOMES: frozenset[Status] = frozenset({"completed", "no_show"})


def change_status(appointment: Appointment, new_status: Status, *, now: datetime) -> Appointment:
    """The appointment in ``new_status``, if the transition is allowed at ``now``.

    A visit is completed or missed only once it has started: a future "completed" would give
    the patient a last visit that has not happened yet. Past visits may be booked and then
    completed (clinics record them after the fact); cancelling is allowed at any time.
    """
    if new_status == appointment.status:
        return appointment
    if new_status not in TRANSITIONS[appointment.status]:
        raise DomainError("status", f"cannot go from {appointment.status} to {new_status}")
    if appointment.kind != "appointment" and new_status in OUTCOMES:
        raise DomainError("status", f"a {appointment.kind} cannot be {new_status}")
    if new_status in OUTCOMES and appointment.starts_at > now:
        raise DomainError(
            "status", "an appointment can be marked completed or no-show only once it has started"
        )
    return replace(appointment, status=new_status)


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
