"""Series occurrences keep the local time across DST."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic_scheduling.domain.appointments import new_empty_slot
from clinic_scheduling.domain.series import Repeat, occurrences, series_of
from clinic_shared.errors import ConflictError, FieldError

MADRID = ZoneInfo("Europe/Madrid")


def test_twice_a_week_across_the_march_change_stays_at_nine_local() -> None:
    first = datetime(2027, 3, 23, 8, 0, tzinfo=UTC)  # Tuesday 09:00 in Madrid (winter)
    starts = occurrences(first, Repeat(weekdays=(1, 3), count=4), MADRID)
    assert starts == [
        datetime(2027, 3, 23, 8, 0, tzinfo=UTC),
        datetime(2027, 3, 25, 8, 0, tzinfo=UTC),
        datetime(2027, 3, 30, 7, 0, tzinfo=UTC),  # summer time: 09:00 is 07:00 UTC
        datetime(2027, 4, 1, 7, 0, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("weekdays", "count", "field"),
    [
        ((), 3, "repeat.weekdays"),
        ((7,), 3, "repeat.weekdays"),
        ((1,), 0, "repeat.count"),
        ((1,), 61, "repeat.count"),
    ],
)
def test_bad_repeats_name_the_field(weekdays: tuple[int, ...], count: int, field: str) -> None:
    with pytest.raises(FieldError) as caught:
        Repeat(weekdays, count)
    assert caught.value.field == field


def test_series_of_names_the_series_or_refuses_a_single_appointment() -> None:
    start = datetime(2027, 3, 23, 8, 0, tzinfo=UTC)
    series_id = uuid.uuid4()
    single = new_empty_slot(uuid.uuid4(), start, start + timedelta(minutes=45))
    assert series_of(replace(single, series_id=series_id)) == series_id
    with pytest.raises(ConflictError, match="not part of a series"):
        series_of(single)
