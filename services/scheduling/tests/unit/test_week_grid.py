"""The week grid in Madrid time, including the week the clocks go forward."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic_scheduling.domain.appointments import Appointment
from clinic_scheduling.domain.week_grid import week_grid
from clinic_scheduling.domain.working_hours import DEFAULT_TEMPLATE
from clinic_shared.errors import FieldError

MADRID = ZoneInfo("Europe/Madrid")


def test_the_dst_week_shows_the_same_local_hours_on_each_side() -> None:
    # Sunday 28 March 2027 the clocks go forward: the week of Monday 22nd spans both offsets.
    booked = Appointment(
        id=uuid.uuid4(),
        practitioner_id=uuid.uuid4(),
        patient_id=uuid.uuid4(),
        kind="appointment",
        type="first_visit",
        status="scheduled",
        starts_at=datetime(2027, 3, 26, 8, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 26, 9, 0, tzinfo=UTC),
    )
    days = week_grid(DEFAULT_TEMPLATE, [], [booked], date(2027, 3, 22), timedelta(hours=1), MADRID)
    assert [d.day.weekday() for d in days] == list(range(7))
    friday, sunday = days[4], days[6]
    assert friday.hours[0].starts_at.time() == time(9)
    assert friday.hours[0].starts_at.utcoffset() == timedelta(hours=1)
    assert sunday.hours == []
    assert sunday.free == []
    assert [a.id for a in friday.appointments] == [booked.id]
    assert friday.appointments[0].starts_at.time() == time(9)
    assert friday.free[0].starts_at.time() == time(10)  # 09:00–10:00 is taken
    assert len(friday.free) == 4 + 4


def test_the_week_starts_on_a_monday() -> None:
    with pytest.raises(FieldError, match="weekStart"):
        week_grid(DEFAULT_TEMPLATE, [], [], date(2027, 3, 23), timedelta(hours=1), MADRID)
