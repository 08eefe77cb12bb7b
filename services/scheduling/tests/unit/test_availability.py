"""Working time: a booking must fit the practitioner's hours and miss their absences."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic_scheduling.domain.appointments import Appointment, Kind
from clinic_scheduling.domain.availability import (
    OUTSIDE_WORKING_HOURS,
    OutsideHoursError,
    check_series_within_hours,
    check_within_hours,
    kept_to_hours,
    outside_hours,
)
from clinic_scheduling.domain.series import Repeat, occurrences
from clinic_scheduling.domain.working_hours import DEFAULT_TEMPLATE, Absence, WorkingPeriod
from clinic_shared.errors import FieldError

MADRID = ZoneInfo("Europe/Madrid")
MINUTES_45 = timedelta(minutes=45)


def madrid(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    """A wall-clock time in Madrid, December 2026 unless told (Tuesday 8 Dec is a weekday)."""
    return datetime(2026, month, day, hour, minute, tzinfo=MADRID)


def outside(
    start: datetime, length: timedelta = MINUTES_45, absences: Sequence[Absence] = ()
) -> str | None:
    return outside_hours(start, start + length, DEFAULT_TEMPLATE, absences, MADRID)


def visit(
    start: datetime, kind: Kind = "appointment", length: timedelta = MINUTES_45
) -> Appointment:
    patient = uuid.uuid4() if kind == "appointment" else None
    return Appointment(
        id=uuid.uuid4(),
        practitioner_id=uuid.uuid4(),
        patient_id=patient,
        kind=kind,
        type="follow_up" if kind == "appointment" else None,
        status="scheduled",
        starts_at=start.astimezone(UTC),
        ends_at=(start + length).astimezone(UTC),
    )


@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        (madrid(8, 9), MINUTES_45, None),  # the opening minute
        (madrid(8, 13, 15), MINUTES_45, None),  # ends exactly at 14:00
        (madrid(8, 18, 15), MINUTES_45, None),  # ends exactly at 19:00
        (madrid(8, 8, 30), MINUTES_45, "closed"),  # before opening
        (madrid(8, 14, 0), MINUTES_45, "closed"),  # the lunch break
        (madrid(8, 19, 0), MINUTES_45, "closed"),  # after closing
        (madrid(8, 13, 30), MINUTES_45, "runs_over"),  # into the lunch break
        (madrid(8, 18, 30), MINUTES_45, "runs_over"),  # past closing
        (madrid(8, 9), timedelta(hours=10), "runs_over"),  # across the break
        (madrid(6, 10), MINUTES_45, "closed"),  # a Sunday
        (madrid(12, 10), MINUTES_45, "closed"),  # a Saturday
    ],
)
def test_a_time_is_inside_only_when_one_working_stretch_holds_all_of_it(
    start: datetime, length: timedelta, expected: str | None
) -> None:
    assert outside(start, length) == expected
    # Whatever offset it arrives with, the same instant gets the same answer.
    assert outside(start.astimezone(UTC), length) == expected


def test_back_to_back_periods_make_one_stretch() -> None:
    split = [WorkingPeriod(1, time(9), time(12)), WorkingPeriod(1, time(12), time(14))]
    start = madrid(8, 11, 30)
    assert outside_hours(start, start + timedelta(hours=1), split, [], MADRID) is None


def test_hours_are_the_clinic_wall_clock_on_both_sides_of_the_dst_change() -> None:
    # 09:00 in Madrid is 08:00 UTC on Friday 26 March 2027 and 07:00 UTC on Monday the 29th.
    friday_nine = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)
    monday_nine = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert (
        outside_hours(friday_nine, friday_nine + MINUTES_45, DEFAULT_TEMPLATE, [], MADRID) is None
    )
    assert (
        outside_hours(monday_nine, monday_nine + MINUTES_45, DEFAULT_TEMPLATE, [], MADRID) is None
    )
    early = monday_nine - timedelta(hours=1)  # 08:00 in summer time
    assert outside_hours(early, early + MINUTES_45, DEFAULT_TEMPLATE, [], MADRID) == "closed"


def test_an_absence_touching_the_time_makes_it_outside() -> None:
    day_off = Absence(madrid(8, 0), madrid(9, 0))
    assert outside(madrid(8, 10), absences=[day_off]) == "absent"
    course = Absence(madrid(8, 11), madrid(8, 12))
    assert outside(madrid(8, 10, 30), absences=[course]) == "absent"
    # Half-open: ending as the absence starts, or starting as it ends, is fine.
    assert outside(madrid(8, 10, 15), absences=[course]) is None
    assert outside(madrid(8, 12), absences=[course]) is None


def test_nobody_works_without_a_template() -> None:
    start = madrid(8, 10)
    assert outside_hours(start, start + MINUTES_45, [], [], MADRID) == "closed"


@pytest.mark.parametrize(
    ("start", "field", "reason"),
    [
        (madrid(8, 20), "startsAt", "closed"),
        (madrid(8, 18, 30), "endsAt", "runs_over"),
    ],
)
def test_the_refusal_names_the_field_and_carries_the_code(
    start: datetime, field: str, reason: str
) -> None:
    with pytest.raises(OutsideHoursError) as caught:
        check_within_hours(visit(start), DEFAULT_TEMPLATE, [], MADRID)
    error = caught.value
    assert isinstance(error, FieldError)
    assert error.status == 422
    assert error.errors[0]["field"] == field
    assert "allowOutsideHours" in error.errors[0]["message"]
    assert error.extra == {"code": OUTSIDE_WORKING_HOURS, "reason": reason}


def test_an_absence_is_refused_on_the_start() -> None:
    day_off = Absence(madrid(8, 0), madrid(9, 0))
    with pytest.raises(OutsideHoursError) as caught:
        check_within_hours(visit(madrid(8, 10)), DEFAULT_TEMPLATE, [day_off], MADRID)
    assert caught.value.errors[0]["field"] == "startsAt"
    assert caught.value.extra["reason"] == "absent"


def test_inside_the_hours_nothing_is_raised() -> None:
    check_within_hours(visit(madrid(8, 10)), DEFAULT_TEMPLATE, [], MADRID)


def _series(first: datetime, weekdays: tuple[int, ...], count: int) -> list[Appointment]:
    template = visit(first)
    starts = occurrences(template.starts_at, Repeat(weekdays, count), MADRID)
    return [replace(template, id=uuid.uuid4(), starts_at=s, ends_at=s + MINUTES_45) for s in starts]


def test_a_series_on_a_day_off_lists_those_dates_on_the_weekdays() -> None:
    # Tuesdays at 10:00, and a Sunday ticked by mistake: the Sundays are outside.
    sessions = _series(madrid(8, 10), (1, 6), 4)
    with pytest.raises(OutsideHoursError) as caught:
        check_series_within_hours(sessions, DEFAULT_TEMPLATE, [], MADRID)
    error = caught.value
    assert error.errors[0]["field"] == "repeat.weekdays"
    assert error.extra == {
        "code": OUTSIDE_WORKING_HOURS,
        "reason": "closed",
        "dates": ["2026-12-13", "2026-12-20"],
    }
    assert "2026-12-13, 2026-12-20" in error.errors[0]["message"]


def test_a_series_at_a_closed_hour_names_the_start() -> None:
    sessions = _series(madrid(8, 19, 30), (1,), 3)
    with pytest.raises(OutsideHoursError) as caught:
        check_series_within_hours(sessions, DEFAULT_TEMPLATE, [], MADRID)
    assert caught.value.errors[0]["field"] == "startsAt"
    assert caught.value.extra["dates"] == ["2026-12-08", "2026-12-15", "2026-12-22"]


def test_a_series_missing_an_absence_passes_and_one_meeting_it_does_not() -> None:
    sessions = _series(madrid(8, 10), (1, 3), 4)
    check_series_within_hours(sessions, DEFAULT_TEMPLATE, [], MADRID)
    holiday = Absence(madrid(10, 0), madrid(11, 0))  # Thursday 10 December
    with pytest.raises(OutsideHoursError) as caught:
        check_series_within_hours(sessions, DEFAULT_TEMPLATE, [holiday], MADRID)
    assert caught.value.extra["dates"] == ["2026-12-10"]
    assert caught.value.extra["reason"] == "absent"


def test_what_must_fit_the_hours() -> None:
    booking = visit(madrid(8, 10))
    # New appointments and empty slots must; blocks and cancelled ones need not.
    assert kept_to_hours(booking)
    assert kept_to_hours(visit(madrid(8, 10), kind="empty_slot"))
    assert not kept_to_hours(visit(madrid(8, 20), kind="block"))
    assert not kept_to_hours(replace(booking, status="cancelled"))
    # A change: only when it moves the time or changes the practitioner.
    assert not kept_to_hours(replace(booking, status="completed", notes="ok"), booking)
    assert not kept_to_hours(replace(booking, patient_id=uuid.uuid4()), booking)
    later = booking.starts_at + timedelta(hours=1)
    assert kept_to_hours(replace(booking, starts_at=later, ends_at=later + MINUTES_45), booking)
    assert kept_to_hours(replace(booking, ends_at=booking.ends_at + MINUTES_45), booking)
    assert kept_to_hours(replace(booking, practitioner_id=uuid.uuid4()), booking)
    # Earlier, shorter, or to a practitioner whose id sorts first: moves all the same.
    earlier = booking.starts_at - timedelta(hours=1)
    assert kept_to_hours(replace(booking, starts_at=earlier, ends_at=earlier + MINUTES_45), booking)
    assert kept_to_hours(replace(booking, ends_at=booking.ends_at - timedelta(minutes=15)), booking)
    first_id = uuid.UUID(int=0)
    assert kept_to_hours(replace(booking, practitioner_id=first_id), booking)


def test_overlapping_periods_make_one_stretch_and_a_gap_keeps_two() -> None:
    # Tuesday: 09–14 and 13–15 overlap (one stretch 09–15); 16–18 and 18–20 touch (16–20).
    periods = [
        WorkingPeriod(1, time(9), time(14)),
        WorkingPeriod(1, time(13), time(15)),
        WorkingPeriod(1, time(16), time(18)),
        WorkingPeriod(1, time(18), time(20)),
    ]
    hour = timedelta(hours=1)
    assert outside_hours(madrid(8, 13, 30), madrid(8, 14, 30), periods, [], MADRID) is None
    assert outside_hours(madrid(8, 17, 30), madrid(8, 19, 30), periods, [], MADRID) is None
    assert outside_hours(madrid(8, 14, 30), madrid(8, 14, 30) + hour, periods, [], MADRID) == (
        "runs_over"
    )
    assert outside_hours(madrid(8, 15, 30), madrid(8, 16, 30), periods, [], MADRID) == "closed"


def test_a_series_names_the_reason_of_its_first_session_outside() -> None:
    # Tuesdays and Thursdays at 13:30 for 45 minutes: Tuesday's hours run to 15:00, Thursday's
    # to 13:45 (the session runs over); a Sunday ticked too is closed.
    periods = [WorkingPeriod(1, time(9), time(15)), WorkingPeriod(3, time(9), time(13, 45))]
    sessions = _series(madrid(8, 13, 30), (1, 3, 6), 6)
    with pytest.raises(OutsideHoursError) as caught:
        check_series_within_hours(sessions, periods, [], MADRID)
    assert caught.value.extra["reason"] == "runs_over"
    assert caught.value.errors[0]["field"] == "repeat.weekdays"
    assert caught.value.extra["dates"] == ["2026-12-10", "2026-12-13", "2026-12-17", "2026-12-20"]
