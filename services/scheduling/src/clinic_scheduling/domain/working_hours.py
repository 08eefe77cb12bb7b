"""Working hours: a weekly template in the clinic's local time plus absences, and free slots."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from clinic_scheduling.domain.appointments import Appointment, overlaps
from clinic_shared.errors import FieldError


@dataclass(frozen=True)
class WorkingPeriod:
    """One stretch of a weekday (0 = Monday) in local wall-clock time."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise FieldError("weekday", "must be 0 (Monday) to 6 (Sunday)")
        if self.end <= self.start:
            raise FieldError("end", "must be after start")


# Monday–Friday 09:00–14:00 and 15:00–19:00: what a new practitioner starts with.
DEFAULT_TEMPLATE: tuple[WorkingPeriod, ...] = tuple(
    WorkingPeriod(day, start, end)
    for day in range(5)
    for start, end in ((time(9), time(14)), (time(15), time(19)))
)


def needs_default_hours(was_practitioner: bool, is_practitioner: bool, has_hours: bool) -> bool:
    """Whether a staff member starts with DEFAULT_TEMPLATE now.

    Whoever becomes a practitioner — new, or a receptionist promoted later — and has no hours
    yet gets the clinic's usual ones. Someone already practising keeps what the front desk
    set, even an empty week, whatever else their later events change.
    """
    return is_practitioner and not was_practitioner and not has_hours


@dataclass(frozen=True)
class Absence:
    """Time off (holiday, sick leave), as an interval in UTC-aware datetimes."""

    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Interval:
    """A half-open UTC interval."""

    starts_at: datetime
    ends_at: datetime


def check_template(periods: Iterable[WorkingPeriod]) -> None:
    """Periods of one weekday must not overlap."""
    by_day: dict[int, list[WorkingPeriod]] = {}
    for period in periods:
        by_day.setdefault(period.weekday, []).append(period)
    for day_periods in by_day.values():
        ordered = sorted(day_periods, key=lambda p: p.start)
        for before, after in pairwise(ordered):
            if after.start < before.end:
                raise FieldError("periods", f"periods overlap on weekday {after.weekday}")


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time on ``day`` as UTC (zoneinfo picks the offset valid that day)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def working_intervals(
    periods: Iterable[WorkingPeriod], first: date, last: date, zone: ZoneInfo
) -> list[Interval]:
    """The template laid over ``first``..``last`` (inclusive), in UTC."""
    templates = list(periods)
    intervals = []
    day = first
    while day <= last:
        for period in sorted(templates, key=lambda p: p.start):
            if period.weekday == day.weekday():
                intervals.append(
                    Interval(
                        local_to_utc(day, period.start, zone), local_to_utc(day, period.end, zone)
                    )
                )
        day += timedelta(days=1)
    return intervals


def _subtract(interval: Interval, busy: list[Interval]) -> Iterator[Interval]:
    cursor = interval.starts_at
    for taken in sorted(busy, key=lambda b: b.starts_at):
        if taken.ends_at <= cursor or taken.starts_at >= interval.ends_at:
            continue
        if taken.starts_at > cursor:
            yield Interval(cursor, taken.starts_at)
        cursor = max(cursor, taken.ends_at)
    if cursor < interval.ends_at:
        yield Interval(cursor, interval.ends_at)


def free_slots(
    periods: Iterable[WorkingPeriod],
    absences: Iterable[Absence],
    appointments: Iterable[Appointment],
    first: date,
    last: date,
    duration: timedelta,
    zone: ZoneInfo,
) -> list[Interval]:
    """Back-to-back slots of ``duration`` inside working hours, minus absences and bookings."""
    if duration <= timedelta(0):
        raise FieldError("duration", "must be positive")
    busy = [Interval(a.starts_at, a.ends_at) for a in absences]
    busy += [Interval(a.starts_at, a.ends_at) for a in appointments if a.occupies_time]
    slots = []
    for interval in working_intervals(periods, first, last, zone):
        relevant = [
            b
            for b in busy
            if overlaps(b.starts_at, b.ends_at, interval.starts_at, interval.ends_at)
        ]
        for gap in _subtract(interval, relevant):
            start = gap.starts_at
            while start + duration <= gap.ends_at:
                slots.append(Interval(start, start + duration))
                start += duration
    return slots
