"""Laying empty slots over a practitioner's free working hours (the seed's EmptySlotCreator)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_scheduling.application.booking import lock_practitioner
from clinic_scheduling.application.events import appointment_event
from clinic_scheduling.application.working_hours import free_in
from clinic_scheduling.domain.appointments import NamedAppointment, new_empty_slot
from clinic_scheduling.infrastructure import appointments as repo
from clinic_shared.contracts.scheduling import AppointmentBooked
from clinic_shared.events import OutboxWriter


def create_empty_slots(
    session: Session,
    events: OutboxWriter,
    practitioner_id: UUID,
    first: date,
    last: date,
    duration: timedelta,
    zone: ZoneInfo,
) -> list[NamedAppointment]:
    """Fill each free slot of ``duration`` in ``first``..``last`` with an empty slot, atomically."""
    with session.begin():
        # The same lock as a booking: no appointment can slip in between reading and writing.
        name = lock_practitioner(session, practitioner_id).full_name
        created: list[NamedAppointment] = []
        for slot in free_in(session, practitioner_id, first, last, duration, zone):
            empty = new_empty_slot(practitioner_id, slot.starts_at, slot.ends_at)
            repo.add(session, empty)
            events.add(session, appointment_event(AppointmentBooked, empty))
            created.append((empty, name, None))
    return created
