"""Series occurrences keep the local time across DST."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from clinic_scheduling.domain.appointments import DomainError
from clinic_scheduling.domain.series import Repeat, occurrences

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
    with pytest.raises(DomainError) as caught:
        Repeat(weekdays, count)
    assert caught.value.field == field
