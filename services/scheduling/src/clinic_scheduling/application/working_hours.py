"""Working hours, absences, free slots and the week grid of a practitioner."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_scheduling.domain.week_grid import DayGrid, week_grid
from clinic_scheduling.domain.working_hours import (
    Absence,
    Interval,
    WorkingPeriod,
    check_template,
    free_slots,
)
from clinic_scheduling.infrastructure import appointments as repo
from clinic_scheduling.infrastructure import read_models
from clinic_scheduling.infrastructure import working_hours as stored
from clinic_shared.db import reading
from clinic_shared.errors import ExpectedVersion, FieldError, NotFoundError

MAX_SLOT_DAYS = 62

# The names of an appointment's practitioner and patient, by appointment id.
Names = dict[UUID, tuple[str | None, str | None]]


def _known(session: Session, practitioner_id: UUID) -> None:
    if read_models.practitioner(session, practitioner_id) is None:
        raise NotFoundError(f"practitioner {practitioner_id} was not found")


def _known_for_calendar(session: Session, practitioner_id: UUID) -> None:
    # A calendar query names the practitioner in its parameters: 422 on that field, not 404.
    if read_models.practitioner(session, practitioner_id) is None:
        raise FieldError("practitionerId", "unknown practitioner")


def working_hours(session: Session, practitioner_id: UUID) -> tuple[list[WorkingPeriod], int]:
    """The practitioner's weekly template and its version."""
    with session.begin():
        version = stored.template_version(session, practitioner_id)
        if version is None:
            raise NotFoundError(f"practitioner {practitioner_id} was not found")
        return stored.periods_of(session, practitioner_id), version


def set_working_hours(
    session: Session,
    practitioner_id: UUID,
    periods: Sequence[WorkingPeriod],
    expected: ExpectedVersion,
) -> tuple[list[WorkingPeriod], int]:
    """Replace the practitioner's weekly template (periods of a day must not overlap).

    ``expected`` is the client's If-Match: 428 without it, 412 when the template changed since.
    """
    expected.require()
    check_template(periods)
    with session.begin():
        version = stored.template_version(session, practitioner_id, lock=True)
        if version is None:
            raise NotFoundError(f"practitioner {practitioner_id} was not found")
        expected.check(version, "these working hours")
        stored.replace_periods(session, practitioner_id, periods)
        stored.set_template_version(session, practitioner_id, version + 1)
        return stored.periods_of(session, practitioner_id), version + 1


def add_absence(
    session: Session, practitioner_id: UUID, absence: Absence, reason: str | None
) -> UUID:
    """Record time off for the practitioner; returns the absence id."""
    if absence.ends_at <= absence.starts_at:
        raise FieldError("endsAt", "must be after startsAt")
    with session.begin():
        _known(session, practitioner_id)
        return stored.add_absence(session, practitioner_id, absence, reason)


def remove_absence(session: Session, practitioner_id: UUID, absence_id: UUID) -> None:
    """Delete an absence of the practitioner."""
    with session.begin():
        if not stored.remove_absence(session, practitioner_id, absence_id):
            raise NotFoundError(f"absence {absence_id} was not found")


def _utc_range(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The clinic days ``first``..``last`` (inclusive) as a half-open UTC range."""
    start = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def _absences(
    session: Session, practitioner_id: UUID, start: datetime, end: datetime
) -> list[Absence]:
    return [a for _, a, _ in stored.absences_of(session, practitioner_id, start, end)]


def free_in(
    session: Session,
    practitioner_id: UUID,
    first: date,
    last: date,
    duration: timedelta,
    zone: ZoneInfo,
) -> list[Interval]:
    """Free slots within the caller's transaction (the practitioner must exist)."""
    if last < first:
        raise FieldError("to", "must not be before from")
    if (last - first).days >= MAX_SLOT_DAYS:
        raise FieldError("to", f"at most {MAX_SLOT_DAYS} days")
    start, end = _utc_range(first, last, zone)
    periods = stored.periods_of(session, practitioner_id)
    absences = _absences(session, practitioner_id, start, end)
    booked = repo.find(session, start=start, end=end, practitioner_id=practitioner_id)
    return free_slots(periods, absences, booked, first, last, duration, zone)


def slots(
    session: Session,
    practitioner_id: UUID,
    first: date,
    last: date,
    duration: timedelta,
    zone: ZoneInfo,
) -> list[Interval]:
    """Free slots of ``duration`` from ``first`` to ``last`` (inclusive, clinic dates)."""
    with session.begin():
        _known_for_calendar(session, practitioner_id)
        return free_in(session, practitioner_id, first, last, duration, zone)


def week(
    session: Session, practitioner_id: UUID, week_start: date, slot: timedelta, zone: ZoneInfo
) -> tuple[list[DayGrid], Names]:
    """The practitioner's week grid from ``week_start`` (a Monday), and who is in it."""
    start, end = _utc_range(week_start, week_start + timedelta(days=6), zone)
    with reading(session):
        _known_for_calendar(session, practitioner_id)
        periods = stored.periods_of(session, practitioner_id)
        absences = _absences(session, practitioner_id, start, end)
        named = repo.find_named(session, start=start, end=end, practitioner_id=practitioner_id)
    booked = [appointment for appointment, _, _ in named]
    names = {a.id: (practitioner, patient) for a, practitioner, patient in named}
    return week_grid(periods, absences, booked, week_start, slot, zone), names
