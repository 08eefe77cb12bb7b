"""Booking a treatment series, and cancelling "this and the following" sessions."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_scheduling.application.booking import find_clashes, lock_participants, type_duration
from clinic_scheduling.application.events import appointment_event
from clinic_scheduling.domain.appointments import (
    Appointment,
    AppointmentDraft,
    CancellationReason,
    NamedAppointment,
    cancelled,
    ends_at_for,
    in_utc,
    new_appointment,
)
from clinic_scheduling.domain.availability import check_series_within_hours, kept_to_hours
from clinic_scheduling.domain.series import Repeat, SeriesClashError, occurrences, series_of
from clinic_scheduling.infrastructure import appointments as repo
from clinic_scheduling.infrastructure import read_models
from clinic_scheduling.infrastructure import working_hours as hours
from clinic_shared.contracts.scheduling import AppointmentBooked, AppointmentCancelled
from clinic_shared.errors import ExpectedVersion, NotFoundError
from clinic_shared.events import OutboxWriter


def book_series(
    session: Session,
    events: OutboxWriter,
    draft: AppointmentDraft,
    repeat: Repeat,
    zone: ZoneInfo,
    *,
    skip_clashes: bool,
) -> tuple[UUID, list[NamedAppointment], list[str]]:
    """Book every session, or none: clashes are reported per local date unless skipped.

    Every session must fit the practitioner's working hours (422 listing the dates that do
    not) unless the draft allows otherwise; skipping clashes never skips those.
    Returns the series id, the booked sessions (with the names locked for them) and the
    dates skipped because they clashed.
    """
    draft = in_utc(draft)
    series_id = uuid.uuid4()
    booked: list[Appointment] = []
    clashing: dict[str, list[Appointment]] = {}
    with session.begin():
        names = lock_participants(session, draft)
        length = ends_at_for(draft, type_duration(session, draft.type)) - draft.starts_at
        sessions = [
            new_appointment(draft, start, start + length, series_id=series_id)
            for start in occurrences(draft.starts_at, repeat, zone)
        ]
        if not draft.allow_outside_hours and kept_to_hours(sessions[0]):
            _check_hours(session, sessions, zone)
        for occurrence in sessions:
            found = find_clashes(session, occurrence)
            if found:
                clashing[occurrence.starts_at.astimezone(zone).date().isoformat()] = found
                continue
            repo.add(session, occurrence)
            events.add(session, appointment_event(AppointmentBooked, occurrence))
            booked.append(occurrence)
        if clashing and not skip_clashes:
            raise SeriesClashError(clashing)  # rolls back every session added above
    return series_id, [(a, *names) for a in booked], sorted(clashing)


def _check_hours(session: Session, sessions: list[Appointment], zone: ZoneInfo) -> None:
    """422 listing the dates of the sessions outside the practitioner's working time."""
    practitioner_id = sessions[0].practitioner_id
    span = (sessions[0].starts_at, sessions[-1].ends_at)
    absences = [absence for _, absence, _ in hours.absences_of(session, practitioner_id, *span)]
    check_series_within_hours(sessions, hours.periods_of(session, practitioner_id), absences, zone)


def cancel_following(
    session: Session,
    events: OutboxWriter,
    appointment_id: UUID,
    reason: CancellationReason,
    expected: ExpectedVersion,
    *,
    now: datetime,
) -> list[NamedAppointment]:
    """Cancel this session and the later scheduled ones of its series for ``reason``."""
    with session.begin():
        current = repo.get(session, appointment_id, lock=True)
        if current is None:
            raise NotFoundError(f"appointment {appointment_id} was not found")
        expected.check(current.version)
        series_id = series_of(current)
        done = []
        for later_id in repo.series_sessions_from(session, series_id, current.starts_at):
            found = repo.get(session, later_id, lock=True)
            assert found is not None
            done.append(cancelled(found, reason, now=now))
            repo.save(session, done[-1])
            events.add(session, appointment_event(AppointmentCancelled, done[-1]))
        return read_models.with_names(session, sorted(done, key=lambda a: a.starts_at))
