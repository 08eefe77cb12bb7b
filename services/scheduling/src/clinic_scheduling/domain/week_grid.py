"""The week grid (the seed's WeekGridBuilder): a practitioner's seven days in local time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from clinic_scheduling.domain.appointments import Appointment
from clinic_scheduling.domain.working_hours import (
    Absence,
    Interval,
    WorkingPeriod,
    free_slots,
    working_intervals,
)
from clinic_shared.errors import FieldError


@dataclass(frozen=True)
class DayGrid:
    """One local day: working hours, appointments starting that day, and free slots."""

    day: date
    hours: list[Interval]
    appointments: list[Appointment]
    free: list[Interval]


def _local(interval: Interval, zone: ZoneInfo) -> Interval:
    return Interval(interval.starts_at.astimezone(zone), interval.ends_at.astimezone(zone))


def week_grid(
    periods: Iterable[WorkingPeriod],
    absences: Iterable[Absence],
    appointments: Iterable[Appointment],
    week_start: date,
    slot: timedelta,
    zone: ZoneInfo,
) -> list[DayGrid]:
    """Seven days from ``week_start`` (a Monday), every time given in ``zone``."""
    if week_start.weekday() != 0:
        raise FieldError("weekStart", "must be a Monday")
    template, away, booked = list(periods), list(absences), list(appointments)
    days = []
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        hours = working_intervals(template, day, day, zone)
        free = free_slots(template, away, booked, day, day, slot, zone)
        on_day = [
            replace(a, starts_at=a.starts_at.astimezone(zone), ends_at=a.ends_at.astimezone(zone))
            for a in booked
            if a.starts_at.astimezone(zone).date() == day
        ]
        days.append(
            DayGrid(
                day=day,
                hours=[_local(h, zone) for h in hours],
                appointments=sorted(on_day, key=lambda a: a.starts_at),
                free=[_local(f, zone) for f in free],
            )
        )
    return days
