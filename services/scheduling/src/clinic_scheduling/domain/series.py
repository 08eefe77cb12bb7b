"""Treatment series: the same local time on chosen weekdays, N sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from clinic_scheduling.domain.appointments import Appointment
from clinic_shared.errors import ConflictError, FieldError

MAX_SESSIONS = 60


@dataclass(frozen=True)
class Repeat:
    """Every week on ``weekdays`` (0 = Monday), ``count`` sessions in all, the first included."""

    weekdays: tuple[int, ...]
    count: int

    def __post_init__(self) -> None:
        if not self.weekdays or any(not 0 <= d <= 6 for d in self.weekdays):
            raise FieldError("repeat.weekdays", "give weekdays from 0 (Monday) to 6 (Sunday)")
        if not 1 <= self.count <= MAX_SESSIONS:
            raise FieldError("repeat.count", f"from 1 to {MAX_SESSIONS} sessions")


class SeriesClashError(ConflictError):
    """Some sessions of a series clash: ``clashes`` by local date (409, nothing booked)."""

    def __init__(self, clashes: dict[str, list[Appointment]]) -> None:
        super().__init__(f"{len(clashes)} sessions of the series clash: {', '.join(clashes)}")
        self.clashes = clashes


def series_of(appointment: Appointment) -> UUID:
    """The series the appointment belongs to; 409 for a single appointment."""
    if appointment.series_id is None:
        raise ConflictError("the appointment is not part of a series")
    return appointment.series_id


def occurrences(first: datetime, repeat: Repeat, zone: ZoneInfo) -> list[datetime]:
    """Start times (UTC) of the series: the first, then the same local time on later weekdays.

    The local wall-clock time is kept, so a series crossing a DST change stays at 09:00.
    """
    local = first.astimezone(zone)
    weekdays = set(repeat.weekdays) | {local.weekday()}
    starts = [first.astimezone(UTC)]
    day = local.date()
    while len(starts) < repeat.count:
        day += timedelta(days=1)
        if day.weekday() in weekdays:
            moment = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=zone)
            starts.append(moment.astimezone(UTC))
    return starts
