"""Treatment series: the same local time on chosen weekdays, N sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from clinic_scheduling.domain.appointments import DomainError

MAX_SESSIONS = 60


@dataclass(frozen=True)
class Repeat:
    """Every week on ``weekdays`` (0 = Monday), ``count`` sessions in all, the first included."""

    weekdays: tuple[int, ...]
    count: int

    def __post_init__(self) -> None:
        if not self.weekdays or any(not 0 <= d <= 6 for d in self.weekdays):
            raise DomainError("repeat.weekdays", "give weekdays from 0 (Monday) to 6 (Sunday)")
        if not 1 <= self.count <= MAX_SESSIONS:
            raise DomainError("repeat.count", f"from 1 to {MAX_SESSIONS} sessions")


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
