"""Working hours in Madrid time across the 2027 daylight-saving change, and free slots."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic_scheduling.domain.appointments import Appointment
from clinic_scheduling.domain.working_hours import (
    DEFAULT_TEMPLATE,
    Absence,
    WorkingPeriod,
    check_template,
    free_slots,
    local_to_utc,
    needs_default_hours,
    working_intervals,
)
from clinic_shared.errors import FieldError

MADRID = ZoneInfo("Europe/Madrid")
MINUTES_45 = timedelta(minutes=45)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_nine_in_madrid_moves_an_hour_in_utc_across_the_march_2027_change() -> None:
    assert local_to_utc(date(2027, 3, 26), time(9), MADRID) == utc(2027, 3, 26, 8, 0)
    assert local_to_utc(date(2027, 3, 29), time(9), MADRID) == utc(2027, 3, 29, 7, 0)


def test_the_october_2027_change_goes_back() -> None:
    assert local_to_utc(date(2027, 10, 29), time(9), MADRID) == utc(2027, 10, 29, 7, 0)
    assert local_to_utc(date(2027, 11, 1), time(9), MADRID) == utc(2027, 11, 1, 8, 0)


def test_the_dst_week_keeps_local_hours_every_day() -> None:
    intervals = working_intervals(DEFAULT_TEMPLATE, date(2027, 3, 22), date(2027, 4, 4), MADRID)
    # Ten working days, two periods each; no weekend.
    assert len(intervals) == 20
    for interval in intervals:
        local = interval.starts_at.astimezone(MADRID)
        assert local.time() in (time(9), time(15))
        assert local.weekday() < 5
    assert intervals[0].starts_at == utc(2027, 3, 22, 8, 0)
    assert intervals[-1].ends_at == utc(2027, 4, 2, 17, 0)


def test_free_slots_fill_working_hours_back_to_back() -> None:
    found = free_slots(
        DEFAULT_TEMPLATE, [], [], date(2027, 3, 29), date(2027, 3, 29), MINUTES_45, MADRID
    )
    # 09:00–14:00 holds six 45-minute slots (to 13:30), 15:00–19:00 five (to 18:45).
    assert len(found) == 11
    assert found[0].starts_at == utc(2027, 3, 29, 7, 0)
    assert found[5].ends_at == utc(2027, 3, 29, 11, 30)
    assert found[6].starts_at == utc(2027, 3, 29, 13, 0)


def test_free_slots_skip_appointments_and_absences() -> None:
    booked = Appointment(
        id=uuid.uuid4(),
        practitioner_id=uuid.uuid4(),
        patient_id=uuid.uuid4(),
        kind="appointment",
        type="follow_up",
        status="scheduled",
        starts_at=utc(2027, 3, 26, 8, 30),
        ends_at=utc(2027, 3, 26, 9, 15),
    )
    cancelled = Appointment(
        **{
            **booked.__dict__,
            "id": uuid.uuid4(),
            "status": "cancelled",
            "starts_at": utc(2027, 3, 26, 14, 0),
            "ends_at": utc(2027, 3, 26, 15, 0),
        }
    )
    afternoon_off = Absence(utc(2027, 3, 26, 13, 0), utc(2027, 3, 26, 19, 0))
    found = free_slots(
        DEFAULT_TEMPLATE,
        [afternoon_off],
        [booked, cancelled],
        date(2027, 3, 26),
        date(2027, 3, 26),
        timedelta(minutes=30),
        MADRID,
    )
    starts = [s.starts_at for s in found]
    assert starts[0] == utc(2027, 3, 26, 8, 0)
    assert utc(2027, 3, 26, 8, 30) not in starts
    assert starts[1] == utc(2027, 3, 26, 9, 15)
    assert all(s.starts_at < utc(2027, 3, 26, 13, 0) for s in found)


def test_zero_duration_is_refused() -> None:
    with pytest.raises(FieldError, match="duration"):
        free_slots(
            DEFAULT_TEMPLATE, [], [], date(2027, 3, 26), date(2027, 3, 26), timedelta(0), MADRID
        )


def test_overlapping_periods_of_a_day_are_refused() -> None:
    with pytest.raises(FieldError, match="periods"):
        check_template([WorkingPeriod(0, time(9), time(14)), WorkingPeriod(0, time(13), time(15))])
    with pytest.raises(FieldError, match="end"):
        WorkingPeriod(0, time(14), time(9))
    check_template([WorkingPeriod(0, time(9), time(14)), WorkingPeriod(1, time(9), time(14))])


@pytest.mark.parametrize(
    ("was_practitioner", "is_practitioner", "has_hours", "expected"),
    [
        (False, True, False, True),  # new practitioner, or a receptionist promoted
        (False, True, True, False),  # promoted, but hours were already set
        (True, True, False, False),  # already practising with an emptied week: keep it
        (True, True, True, False),  # an ordinary update of a practitioner
        (False, False, False, False),  # receptionist or admin
        (True, False, True, False),  # demoted: hours are left as they are
    ],
)
def test_who_gets_the_clinic_default_hours(
    was_practitioner: bool, is_practitioner: bool, has_hours: bool, expected: bool
) -> None:
    assert needs_default_hours(was_practitioner, is_practitioner, has_hours) is expected
