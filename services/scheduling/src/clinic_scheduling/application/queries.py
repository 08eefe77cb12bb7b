"""The read side: appointment lists and single appointments with their names, and the figures.

Reads only, each in one read transaction; the use cases' own reads happen inside their
write transactions instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import Unpack
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_scheduling.domain.appointments import NamedAppointment
from clinic_scheduling.infrastructure import appointments as repo
from clinic_scheduling.infrastructure import read_models
from clinic_scheduling.infrastructure.stats import count_booked, missed_by_patient
from clinic_shared.db import reading
from clinic_shared.errors import NotFoundError

# Whose appointments, which statuses, what order: what both ways of listing share.
Selection = repo.Selection


def appointment(session: Session, appointment_id: UUID) -> NamedAppointment:
    """One appointment with its names; 404 if unknown."""
    with reading(session):
        found = repo.get(session, appointment_id)
        if found is None:
            raise NotFoundError(f"appointment {appointment_id} was not found")
        return read_models.with_names(session, [found])[0]


def appointments(session: Session, **filters: Unpack[repo.FindFilters]) -> list[NamedAppointment]:
    """Appointments matching ``filters`` (see ``find``) with their names, in one query."""
    with reading(session):
        return repo.find_named(session, **filters)


@dataclass(frozen=True)
class Stats:
    """Counts of patient appointments (not blocks or empty slots), cancelled ones left out.

    ``practitioner_id`` names whose they are (None: the whole clinic's).
    """

    total_appointments: int
    appointments_today: int
    appointments_this_week: int
    no_shows_30d: int
    no_show_rate_30d: float | None
    practitioner_id: str | None


def stats(
    session: Session, now: datetime, zone: ZoneInfo, practitioner_id: str | None = None
) -> Stats:
    """Today, this week (clinic dates, Monday first), and the 30-day no-shows and their rate.

    With ``practitioner_id``, that practitioner's appointments only.
    """
    today = now.astimezone(zone).date()
    day_start = datetime.combine(today, time(0), tzinfo=zone)
    week_start = day_start - timedelta(days=today.weekday())
    month_ago = now - timedelta(days=30)
    with reading(session):
        # Every figure of the same appointments: the clinic's, or one practitioner's.
        count = partial(count_booked, session, practitioner_id=practitioner_id)
        attended = count(
            starts_from=month_ago, starts_before=now, statuses=("completed", "no_show")
        )
        no_shows = count(starts_from=month_ago, starts_before=now, statuses=("no_show",))
        return Stats(
            total_appointments=count(),
            appointments_today=count(
                starts_from=day_start, starts_before=day_start + timedelta(days=1)
            ),
            appointments_this_week=count(
                starts_from=week_start, starts_before=week_start + timedelta(days=7)
            ),
            no_shows_30d=no_shows,
            no_show_rate_30d=round(no_shows / attended, 4) if attended else None,
            practitioner_id=practitioner_id,
        )


@dataclass(frozen=True)
class Attendance:
    """What counts against a patient: visits missed, and cancellations too late to fill."""

    patient_id: UUID
    no_shows: int
    late_cancellations: int


def attendance(session: Session, patient_id: UUID) -> Attendance:
    """The patient's no-shows and late cancellations (0 and 0 for a patient never booked)."""
    with reading(session):
        no_shows, late_cancellations = missed_by_patient(session, patient_id)
    return Attendance(patient_id, no_shows, late_cancellations)
