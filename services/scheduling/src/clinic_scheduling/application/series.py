"""Booking a treatment series, and cancelling "this and the following" sessions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_scheduling.application.booking import (
    AppointmentDraft,
    in_utc,
    lock_participants,
    resolve_end,
)
from clinic_scheduling.application.errors import ConflictError, NotFoundError, SeriesClashError
from clinic_scheduling.application.events import publish
from clinic_scheduling.domain.appointments import (
    Appointment,
    change_status,
    check_patient,
    check_times,
    clashes,
)
from clinic_scheduling.domain.series import Repeat, occurrences
from clinic_scheduling.infrastructure import repository as repo
from clinic_scheduling.infrastructure.tables import appointments
from clinic_shared.contracts.scheduling import APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED


def book_series(
    session: Session,
    stream: str,
    draft: AppointmentDraft,
    repeat: Repeat,
    zone: ZoneInfo,
    skip_clashes: bool,
) -> tuple[UUID, list[Appointment], list[str]]:
    """Book every session, or none: clashes are reported per local date unless skipped.

    Returns the series id, the booked sessions and the dates skipped because they clashed.
    """
    draft = in_utc(draft)
    series_id = uuid.uuid4()
    booked: list[Appointment] = []
    clashing: dict[str, list[Appointment]] = {}
    with session.begin():
        lock_participants(session, draft)
        length = resolve_end(session, draft) - draft.starts_at
        for start in occurrences(draft.starts_at, repeat, zone):
            occurrence = Appointment(
                id=uuid.uuid4(),
                practitioner_id=draft.practitioner_id,
                patient_id=draft.patient_id,
                kind=draft.kind,
                type=draft.type,
                status="scheduled",
                starts_at=start,
                ends_at=start + length,
                title=draft.title,
                notes=draft.notes,
                series_id=series_id,
            )
            check_times(occurrence.starts_at, occurrence.ends_at)
            check_patient(occurrence.kind, occurrence.patient_id)
            existing = repo.overlapping(
                session, start, start + length, draft.practitioner_id, draft.patient_id
            )
            found = clashes(occurrence, existing)
            if found:
                clashing[start.astimezone(zone).date().isoformat()] = found
                continue
            repo.add(session, occurrence)
            publish(session, stream, APPOINTMENT_BOOKED, occurrence)
            booked.append(occurrence)
        if clashing and not skip_clashes:
            raise SeriesClashError(clashing)  # rolls back every session added above
    return series_id, booked, sorted(clashing)


def cancel_following(
    session: Session,
    stream: str,
    appointment_id: UUID,
    check_version: Callable[[int], None],
    now: datetime,
) -> list[Appointment]:
    """Cancel this session and the later scheduled ones of its series (``now``: the clock)."""
    with session.begin():
        current = repo.get(session, appointment_id, lock=True)
        if current is None:
            raise NotFoundError(f"appointment {appointment_id}")
        check_version(current.version)
        if current.series_id is None:
            raise ConflictError("the appointment is not part of a series")
        later = session.execute(
            select(appointments.c.id).where(
                appointments.c.series_id == str(current.series_id),
                appointments.c.starts_at >= repo.to_db(current.starts_at),
                appointments.c.status == "scheduled",
            )
        ).scalars()
        cancelled = []
        for later_id in list(later):
            found = repo.get(session, UUID(later_id), lock=True)
            assert found is not None
            done = replace(change_status(found, "cancelled", now=now), version=found.version + 1)
            repo.save(session, done)
            publish(session, stream, APPOINTMENT_CANCELLED, done)
            cancelled.append(done)
    return sorted(cancelled, key=lambda a: a.starts_at)
