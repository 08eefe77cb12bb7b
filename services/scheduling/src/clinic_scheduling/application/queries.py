"""The read side: appointment lists and single appointments with their names, and the figures.

Reads only, each in one read transaction; the use cases' own reads happen inside their
write transactions instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Unpack
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_scheduling.domain.appointments import NamedAppointment
from clinic_scheduling.infrastructure import appointments as repo
from clinic_scheduling.infrastructure import read_models
from clinic_scheduling.infrastructure.stats import count_booked
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
    """Counts of patient appointments (not blocks or empty slots), cancelled ones left out."""

    total_appointments: int
    appointments_today: int
    appointments_this_week: int
    no_show_rate_30d: float | None


def stats(session: Session, now: datetime, zone: ZoneInfo) -> Stats:
    """Totals for today and this week (clinic dates, Monday first), and the 30-day no-show rate."""
    today = now.astimezone(zone).date()
    day_start = datetime.combine(today, time(0), tzinfo=zone)
    week_start = day_start - timedelta(days=today.weekday())
    month_ago = now - timedelta(days=30)
    with reading(session):
        attended = count_booked(
            session, starts_from=month_ago, starts_before=now, statuses=("completed", "no_show")
        )
        no_shows = count_booked(
            session, starts_from=month_ago, starts_before=now, statuses=("no_show",)
        )
        return Stats(
            total_appointments=count_booked(session),
            appointments_today=count_booked(
                session, starts_from=day_start, starts_before=day_start + timedelta(days=1)
            ),
            appointments_this_week=count_booked(
                session, starts_from=week_start, starts_before=week_start + timedelta(days=7)
            ),
            no_show_rate_30d=round(no_shows / attended, 4) if attended else None,
        )
