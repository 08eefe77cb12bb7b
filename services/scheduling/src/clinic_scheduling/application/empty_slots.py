"""Laying empty slots over a practitioner's free working hours (the seed's EmptySlotCreator)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_scheduling.application.events import publish
from clinic_scheduling.application.hours import free_in
from clinic_scheduling.domain.appointments import Appointment, DomainError
from clinic_scheduling.infrastructure import repository as repo
from clinic_shared.contracts.scheduling import APPOINTMENT_BOOKED


def create_empty_slots(
    session: Session,
    stream: str,
    practitioner_id: UUID,
    first: date,
    last: date,
    duration: timedelta,
    zone: ZoneInfo,
) -> list[Appointment]:
    """Fill each free slot of ``duration`` in ``first``..``last`` with an empty slot, atomically."""
    with session.begin():
        # The same lock as a booking: no appointment can slip in between reading and writing.
        practitioner = repo.lock_practitioner(session, practitioner_id)
        if practitioner is None or not practitioner.is_practitioner:
            raise DomainError("practitionerId", "unknown practitioner")
        created = []
        for slot in free_in(session, practitioner_id, first, last, duration, zone):
            empty = Appointment(
                id=uuid.uuid4(),
                practitioner_id=practitioner_id,
                patient_id=None,
                kind="empty_slot",
                type=None,
                status="scheduled",
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
            repo.add(session, empty)
            publish(session, stream, APPOINTMENT_BOOKED, empty)
            created.append(empty)
    return created
