"""Whether a booking falls inside its practitioner's working time (hours, minus absences).

A booking outside it is refused (422 naming the field, with ``code: outside_working_hours`` in
the problem) unless the request says it is deliberate (``allowOutsideHours: true``: the owner's
odd Saturday). Pure functions: the use case loads the template and the absences and asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from clinic_scheduling.domain.appointments import Appointment, Kind, overlaps
from clinic_scheduling.domain.working_hours import (
    Absence,
    Interval,
    WorkingPeriod,
    working_intervals,
)
from clinic_shared.errors import FieldError

# The problem's machine-readable code: the SPA asks "book anyway?" on it and no other 422.
OUTSIDE_WORKING_HOURS = "outside_working_hours"

# Patients come to appointments and to empty slots (which are filled with one): those must fit
# the hours. A block only marks time as taken, so it may lie anywhere (a meeting after closing).
KEPT_TO_HOURS: frozenset[Kind] = frozenset({"appointment", "empty_slot"})

Outside = Literal["closed", "runs_over", "absent"]

# Why a time is outside → the field at fault and what it is told.
OUTSIDE: dict[Outside, tuple[str, str]] = {
    "closed": ("startsAt", "outside the practitioner's working hours"),
    "runs_over": ("endsAt", "ends after the practitioner's working hours"),
    "absent": ("startsAt", "the practitioner is absent then"),
}

HOW_TO_INSIST = "send allowOutsideHours: true to book it anyway"


class OutsideHoursError(FieldError):
    """A booking outside working hours or on an absence (422 with ``code`` and ``reason``)."""

    def __init__(self, reason: Outside, *, field: str | None = None, dates: Sequence[str] = ()):
        default_field, message = OUTSIDE[reason]
        if dates:
            message = f"{len(dates)} sessions fall outside working hours: {', '.join(dates)}"
        super().__init__(field or default_field, f"{message} ({HOW_TO_INSIST})")
        self.reason = reason
        self.dates = list(dates)
        self.extra = {"code": OUTSIDE_WORKING_HOURS, "reason": reason}
        if dates:
            self.extra["dates"] = self.dates


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Touching or overlapping intervals joined (09–14 and 14–19 make one stretch)."""
    merged: list[Interval] = []
    for interval in sorted(intervals, key=lambda i: i.starts_at):
        if merged and interval.starts_at <= merged[-1].ends_at:
            last = merged[-1]
            merged[-1] = Interval(last.starts_at, max(last.ends_at, interval.ends_at))
        else:
            merged.append(interval)
    return merged


def outside_hours(
    starts_at: datetime,
    ends_at: datetime,
    periods: Iterable[WorkingPeriod],
    absences: Iterable[Absence],
    zone: ZoneInfo,
) -> Outside | None:
    """Why ``starts_at``..``ends_at`` (aware) is not working time, or None when it all is.

    The whole interval must lie in one stretch of the weekly template (read in the clinic's
    zone on those dates) and touch no absence (intervals are half-open).
    """
    first: date = starts_at.astimezone(zone).date()
    last: date = ends_at.astimezone(zone).date()
    stretches = _merged(working_intervals(periods, first, last, zone))
    opened = [s for s in stretches if s.starts_at <= starts_at < s.ends_at]
    if not opened:
        return "closed"
    if ends_at > opened[0].ends_at:
        return "runs_over"
    if any(overlaps(starts_at, ends_at, a.starts_at, a.ends_at) for a in absences):
        return "absent"
    return None


def is_moved(before: Appointment, after: Appointment) -> bool:
    """Whether a change puts the appointment at other times or with another practitioner."""
    where = (after.practitioner_id, after.starts_at, after.ends_at)
    return where != (before.practitioner_id, before.starts_at, before.ends_at)


def kept_to_hours(candidate: Appointment, before: Appointment | None = None) -> bool:
    """Whether ``candidate`` (new, or ``before`` changed) must fit the working hours.

    Patients' bookings that hold time, when new or moved; a status change, a new note or a
    filled empty slot leaves the time as it was (perhaps deliberately outside the hours).
    """
    if candidate.kind not in KEPT_TO_HOURS or not candidate.occupies_time:
        return False
    return before is None or is_moved(before, candidate)


def check_within_hours(
    candidate: Appointment,
    periods: Iterable[WorkingPeriod],
    absences: Iterable[Absence],
    zone: ZoneInfo,
) -> None:
    """Raise OutsideHoursError when ``candidate`` is not inside its practitioner's hours."""
    reason = outside_hours(candidate.starts_at, candidate.ends_at, periods, absences, zone)
    if reason is not None:
        raise OutsideHoursError(reason)


def check_series_within_hours(
    sessions: Sequence[Appointment],
    periods: Sequence[WorkingPeriod],
    absences: Sequence[Absence],
    zone: ZoneInfo,
) -> None:
    """Raise OutsideHoursError listing the local dates of the sessions outside the hours.

    The field is the first session's when it is outside itself (its time is wrong), else
    ``repeat.weekdays`` (a day ticked that the practitioner does not work).
    """
    found: list[tuple[str, Outside]] = []
    for session in sessions:
        reason = outside_hours(session.starts_at, session.ends_at, periods, absences, zone)
        if reason is not None:
            found.append((session.starts_at.astimezone(zone).date().isoformat(), reason))
    if not found:
        return
    first_date = sessions[0].starts_at.astimezone(zone).date().isoformat()
    first_reason = found[0][1]
    field = OUTSIDE[first_reason][0] if found[0][0] == first_date else "repeat.weekdays"
    raise OutsideHoursError(first_reason, field=field, dates=[day for day, _ in found])
