"""The dashboard's scheduling figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from clinic_scheduling.infrastructure.repository import reading, to_db
from clinic_scheduling.infrastructure.tables import appointments


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
    booked = (appointments.c.kind == "appointment") & (appointments.c.status != "cancelled")

    def count(*conditions: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(appointments).where(booked, *conditions)
        return int(session.execute(query).scalar_one())

    def between(start: datetime, end: datetime) -> ColumnElement[bool]:
        return (appointments.c.starts_at >= to_db(start.astimezone(UTC))) & (
            appointments.c.starts_at < to_db(end.astimezone(UTC))
        )

    with reading(session):
        past = between(now - timedelta(days=30), now)
        attended = count(past, appointments.c.status.in_(["completed", "no_show"]))
        no_shows = count(past, appointments.c.status == "no_show")
        return Stats(
            total_appointments=count(),
            appointments_today=count(between(day_start, day_start + timedelta(days=1))),
            appointments_this_week=count(between(week_start, week_start + timedelta(days=7))),
            no_show_rate_30d=round(no_shows / attended, 4) if attended else None,
        )
